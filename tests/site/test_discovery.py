"""sitemap.xml and robots.txt: what search engines are told about, only what an
anonymous reader may see."""

import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def sample(sample_site):
    return sample_site


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {loc.text.removeprefix("http://testserver") for loc in root.findall(".//s:loc", NS)}


def test_sitemap_lists_visible_issues_articles_columns_people_and_news(client, sample):
    paths = sitemap_paths(client)
    assert {"/issues/2020/4/", "/issues/2020/3/", "/issues/2019/6/"} <= paths
    assert "/issues/2020/4/articles/1/" in paths
    assert "/issues/2020/4/articles/12/" in paths
    assert "/columns/huiyizhuanti/" in paths
    assert sample.people["张志川"].get_absolute_url() in paths
    assert sample.people["和贵喜"].get_absolute_url() in paths  # masthead only
    assert sample.items.first.get_absolute_url() in paths
    assert len([p for p in paths if "/articles/" in p]) == 12 + 2 + 1


def test_sitemap_leaves_out_everything_hidden(client, django_user_model, sample):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    paths = sitemap_paths(client)  # the same for a signed-in reader: a public file
    hidden = {
        "/issues/2021/1/",
        "/issues/2021/2/",
        "/issues/2021/1/articles/1/",
        "/issues/2021/2/articles/1/",
        "/issues/2020/4/articles/13/",
        "/issues/2020/4/articles/14/",
        sample.draft_only.get_absolute_url(),
        sample.internal_only.get_absolute_url(),
        sample.internal.news_items.get().get_absolute_url(),
        sample.draft_issue.news_items.get().get_absolute_url(),
    }
    assert not hidden & paths


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
