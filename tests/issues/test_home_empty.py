"""The home page of a site without a published issue (apart from test_views.py, whose
tests share the sample site)."""

import pytest


@pytest.mark.django_db
def test_home_without_issues_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "尚无已发布的期刊。" in response.content.decode()
