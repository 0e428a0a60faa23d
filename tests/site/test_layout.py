"""What every public page shares: language, skip link, landmarks, the search form
that the search page answers, the feed link, static assets only."""

import pytest

from tests.site.html import attr, parse, select, select_one, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(sample_site):
    return sample_site


def test_base_layout_landmarks_skip_link_and_language(client, sample):
    page = parse(client.get("/issues/2020/4/"))
    assert attr(page, "lang") == "zh-Hans"
    skip = select(page, "a")[0]
    assert (text(skip), attr(skip, "href")) == ("跳到正文", "#main")
    assert attr(select_one(page, "main"), "id") == "main"
    assert select(page, "header", "site-header") and select(page, "footer", "site-footer")
    assert attr(select_one(page, "nav", "site-nav"), "aria-label") == "主导航"


def test_header_search_form_goes_to_the_search_page(client, sample):
    page = parse(client.get("/"))
    form = select_one(page, "form", "site-search")
    assert (attr(form, "action"), attr(form, "method"), attr(form, "role")) == (
        "/search/",
        "get",
        "search",
    )
    field = select_one(form, "input")
    assert attr(field, "name") == "q"
    label = select_one(form, "label")
    assert attr(label, "for") == attr(field, "id")
    assert text(label) == "搜索文章"


def test_news_timeline_is_paginated(client, sample):
    from tests.factories import NewsItemFactory

    for n in range(50):
        NewsItemFactory(issue=sample.older, position=n, text=f"第{n}条动态。")
    first = parse(client.get("/news/"))
    assert len(select(first, "li", "news-item")) == 50
    second = parse(client.get("/news/", {"page": "2"}))
    assert len(select(second, "li", "news-item")) == 3 + 50 - 50
    assert client.get("/news/", {"page": "abc"}).status_code == 404
