"""404 and 500 pages in the site's style."""

import pytest
from django.db import connection
from django.template import loader
from django.test.utils import CaptureQueriesContext

from tests.site.html import parse, select, select_one, text

pytestmark = pytest.mark.django_db


def test_404_page_is_styled_and_helpful(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = parse(response)
    assert text(select_one(page, "h1")) == "页面不存在"
    assert select(page, "nav", "site-nav")  # the site's own header and navigation
    assert select(page, "form", "site-search")


def test_500_page_needs_no_context_processor_nor_database():
    with CaptureQueriesContext(connection) as queries:
        html = loader.get_template("500.html").render({})
    assert len(queries) == 0
    assert "<title>服务器暂时出错 · 晋城政协网</title>" in html
    assert '<p class="error-code">500</p>' in html
    assert '<h1 class="page-title">服务器暂时出错</h1>' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert 'lang="zh-Hans"' in html


def test_server_error_view_renders_the_500_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器暂时出错" in response.content.decode()
