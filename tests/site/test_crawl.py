"""Crawl the public site from the home page: every internal link answers, and nothing
hidden (drafts, scheduled, internal 内部资料 issues) shows anywhere to a stranger."""

import pytest
from django.test.html import parse_html

from tests.site.crawl import crawl
from tests.site.html import attr, select

pytestmark = pytest.mark.django_db

HIDDEN = [
    "尚未审定的草稿文章",
    "明天才发布的定时文章",
    "不应出现的草稿导读",
    "草稿作者",
    "内部资料中的学习文章",
    "内部作者",
    "内部资料中的工作动态",
    "草稿期刊里的文章",
    "草稿期刊里的动态",
    "2021年第2期",
]


@pytest.fixture
def sample(sample_site):
    return sample_site


def test_every_internal_link_answers_and_nothing_hidden_leaks(client, sample):
    pages = crawl(client)
    broken = {url: status for url, (status, _) in pages.items() if status != 200}
    assert broken == {}
    # The crawl reached every kind of page.
    for url in [
        "/issues/",
        "/issues/2019/6/",
        "/issues/2020/4/articles/12/",
        "/columns/gaocengshengyin/",
        "/columns/gaocengshengyin/feed/",
        "/feeds/latest/",
        "/news/",
        sample.items.first.get_absolute_url(),
        sample.people["和贵喜"].get_absolute_url(),
    ]:
        assert url in pages
    assert len(pages) > 40
    # A strict Content-Security-Policy will allow no inline script or style anywhere.
    html_pages = {url: body for url, (_, body) in pages.items() if body.startswith("<!DOCTYPE")}
    inline = [
        url
        for url, body in html_pages.items()
        if "<style" in body
        or any(not attr(s, "src") or s.children for s in select(parse_html(body), "script"))
    ]
    styled = [url for url, body in html_pages.items() if " style=" in body]
    assert (inline, styled) == ([], [])
    leaks = {
        url: [word for word in HIDDEN if word in body]
        for url, (_, body) in pages.items()
        if any(word in body for word in HIDDEN)
    }
    assert leaks == {}


def test_signed_in_readers_reach_internal_issues_without_broken_links(
    client, django_user_model, sample
):
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    pages = crawl(client)
    assert {url: s for url, (s, _) in pages.items() if s != 200} == {}
    assert "/issues/2021/1/articles/1/" in pages
    assert sample.internal_only.get_absolute_url() in pages
    drafts = [w for w in HIDDEN if "草稿" in w or "明天" in w]
    assert not [url for url, (_, body) in pages.items() if any(w in body for w in drafts)]
