"""Article pages, column pages, the 工作动态 timeline and items, and the RSS feeds."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from articles.models import Article
from tests.factories import ArticleFactory, IssueFactory
from tests.site.html import attr, hrefs, parse, select, select_one, text
from workflow.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(sample_site):
    return sample_site


def meta(page, prop):
    for element in select(page, "meta"):
        if prop in (attr(element, "property"), attr(element, "name")):
            return attr(element, "content")
    return None


# --- Article ------------------------------------------------------------------------


def test_article_page_shows_headlines_bylines_pages_and_breadcrumbs(client, sample):
    page = parse(client.get("/issues/2020/4/articles/5/"))
    article = select_one(page, "article", "article")
    assert text(select_one(article, "h1")) == "在市委政协工作会议上的讲话"
    assert text(select_one(article, "p", "subtitle")) == "2020年8月6日"
    byline = select_one(article, "span", "byline")
    assert text(byline) == "讲话市委书记张志川"
    assert hrefs(byline) == [sample.people["张志川"].get_absolute_url()]
    assert text(select_one(article, "p", "article-pages")) == "刊于2020年第4期·会议专题·第18–25页"
    note = select_one(article, "aside", "editors-note")
    assert text(note) == "编者按8月6日，市委召开政协工作会议。现将讲话全文刊发，供学习参考。"
    assert "一、提高政治站位" in text(select_one(article, "div", "article-body"))
    assert text(select_one(article, "p", "author-note")) == "作者系中共晋城市委书记。"
    crumbs = select_one(page, "nav", "breadcrumbs")
    assert [text(a) for a in select(crumbs, "a")] == ["首页", "2020年第4期", "会议专题"]
    assert hrefs(crumbs) == ["/", "/issues/2020/4/", "/columns/huiyizhuanti/"]


def test_article_page_shows_kicker_source_and_event_date(client, sample):
    page = parse(client.get("/issues/2020/4/articles/1/"))
    assert text(select_one(page, "p", "kicker")) == "习近平主持召开企业家座谈会强调"
    assert text(select_one(page, "p", "article-source")) == "来源：新华社·2020年7月21日"


def test_article_page_shows_continuation_pages(client, sample):
    page = parse(client.get("/issues/2020/4/articles/9/"))
    assert text(select_one(page, "p", "article-pages")).endswith("第44–45页（转第48页）")
    assert text(select_one(page, "span", "byline")) == "反映泽州县政协主席李正根"


def test_previous_and_next_skip_what_the_reader_may_not_see(client, sample):
    page = parse(client.get("/issues/2020/4/articles/5/"))
    pager = select_one(page, "nav", "article-pager")
    assert hrefs(pager) == ["/issues/2020/4/articles/4/", "/issues/2020/4/articles/6/"]
    assert text(select_one(pager, "a", "pager-next")) == (
        "下一篇中共晋城市委关于新时代加强和改进人民政协工作的实施意见"
    )
    # The last visible entry (工作动态, 12) has no next: 13 is a draft, 14 is scheduled.
    last = parse(client.get("/issues/2020/4/articles/12/"))
    assert hrefs(select_one(last, "nav", "article-pager")) == ["/issues/2020/4/articles/11/"]
    first = parse(client.get("/issues/2020/4/articles/1/"))
    assert hrefs(select_one(first, "nav", "article-pager")) == ["/issues/2020/4/articles/2/"]


def test_news_entry_lists_its_dated_items_each_with_its_own_page(client, sample):
    page = parse(client.get("/issues/2020/4/articles/12/"))
    news = select_one(page, "section", "article-news")
    assert text(select_one(news, "h2")) == "本期工作动态（2条）"
    assert hrefs(news) == [
        sample.items.first.get_absolute_url(),
        sample.items.second.get_absolute_url(),
    ]
    assert [text(t) for t in select(news, "time")] == ["7月1日上午", "8月14日下午"]


def test_article_has_meta_description_and_open_graph(client, sample):
    page = parse(client.get("/issues/2020/4/articles/5/"))
    # no 摘要: the first sentences of the body (not the 副标题, a date here)
    assert meta(page, "description") == (
        "人民政协是具有中国特色的制度安排，是社会主义协商民主的重要渠道和专门协商机构。"
        "新时代加强和改进人民政协工作，必须坚持党的领导、统一战线、协商民主有机结合。"
    )
    assert meta(page, "og:title") == "在市委政协工作会议上的讲话"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == "http://testserver/issues/2020/4/articles/5/"
    assert meta(page, "article:section") == "会议专题"
    body_only = parse(client.get("/issues/2020/4/articles/9/"))
    assert meta(body_only, "description") == "连翘、黄芩等都是道地药材，药茶产业大有可为。"


def test_article_tools_are_static_files_not_inline_scripts(client, sample):
    html = client.get("/issues/2020/4/articles/5/").content.decode()
    page = parse(client.get("/issues/2020/4/articles/5/"))
    scripts = select(page, "script")
    assert [attr(s, "src") for s in scripts] == ["/static/js/site.js"]
    assert all(not s.children for s in scripts)
    assert " style=" not in html
    stylesheets = {attr(link, "href"): attr(link, "media") for link in select(page, "link")}
    assert stylesheets["/static/css/print.css"] == "print"
    copy = select_one(page, "button", "copy-link")
    assert attr(copy, "data-copy-url") == "http://testserver/issues/2020/4/articles/5/"
    sizes = [
        attr(b, "data-font-size-choice")
        for b in select(page, "button")
        if attr(b, "data-font-size-choice")
    ]
    assert sizes == ["normal", "large", "xlarge"]


@pytest.mark.parametrize("position", [13, 14])
def test_draft_and_scheduled_articles_are_404_even_for_signed_in_readers(
    client, django_user_model, sample, position
):
    assert client.get(f"/issues/2020/4/articles/{position}/").status_code == 404
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert client.get(f"/issues/2020/4/articles/{position}/").status_code == 404


def test_withdrawn_article_disappears(client, sample):
    sample.articles.tourism.status = Status.WITHDRAWN
    sample.articles.tourism.save()
    assert client.get("/issues/2020/4/articles/11/").status_code == 404
    pager = select_one(parse(client.get("/issues/2020/4/articles/10/")), "nav", "article-pager")
    assert hrefs(pager) == ["/issues/2020/4/articles/9/", "/issues/2020/4/articles/12/"]


# --- Column -------------------------------------------------------------------------


def test_column_lists_articles_newest_issue_first(client, sample):
    page = parse(client.get("/columns/xuexiluntan/"))
    titles = [text(select_one(item, "h3")) for item in select(page, "article", "article-item")]
    assert titles == ["新时代人民政协的行动指南", "坚持和完善人民政协制度"]
    assert "（共2篇）" in text(select_one(page, "h2", "section-title"))


def test_column_filters_by_year(client, sample):
    page = parse(client.get("/columns/gaocengshengyin/", {"year": "2019"}))
    titles = [text(select_one(item, "h3")) for item in select(page, "article", "article-item")]
    assert titles == ["在庆祝人民政协成立70周年大会上的讲话"]
    options = [text(o) for o in select(select_one(page, "select"), "option")]
    assert options == ["全部年份", "2020年", "2019年"]


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1900"}, {"year": "<script>"}])
def test_column_ignores_a_bad_year(client, sample, query):
    response = client.get("/columns/xuexiluntan/", query)
    assert response.status_code == 200
    assert len(select(parse(response), "article", "article-item")) == 2


def test_column_is_paginated_and_bad_pages_are_404(client, sample):
    column = sample.columns["社情民意"]
    for n in range(25):
        ArticleFactory(
            issue=IssueFactory(year=1990 + n, number=1, total_number=500 + n),
            column=column,
            toc_position=1,
            title=f"旧文{n}",
        )
    first = parse(client.get("/columns/sheqingminyi/"))
    assert len(select(first, "article", "article-item")) == 20
    assert text(select_one(first, "span", "pagination-current")) == "第1页 / 共2页"
    second = parse(client.get("/columns/sheqingminyi/", {"page": "2"}))
    assert (
        len(select(second, "article", "article-item")) == 25 + 4 - 20
    )  # 社情民意 has 4 visible articles in the sample
    assert client.get("/columns/sheqingminyi/", {"page": "abc"}).status_code == 404
    assert client.get("/columns/sheqingminyi/", {"page": "99999"}).status_code == 404
    assert client.get("/columns/sheqingminyi/", {"page": "-1"}).status_code == 404


def test_pagination_keeps_the_year_filter(client, sample):
    column = sample.columns["社情民意"]
    for n in range(21):
        ArticleFactory(
            issue=IssueFactory(year=1995, number=n + 1, total_number=600 + n),
            column=column,
            toc_position=1,
        )
    page = parse(client.get("/columns/sheqingminyi/", {"year": "1995"}))
    assert hrefs(select_one(page, "nav", "pagination")) == ["?year=1995&page=2"]


def test_unknown_column_is_404(client, sample):
    assert client.get("/columns/no-such-column/").status_code == 404
    assert client.get("/columns/no-such-column/feed/").status_code == 404


# --- 工作动态 ---------------------------------------------------------------------


def test_news_timeline_groups_visible_items_by_month(client, sample):
    page = parse(client.get("/news/"))
    months = {
        text(select_one(section, "h2")): [text(t) for t in select(section, "time")]
        for section in select(page, "section", "news-month")
    }
    assert months == {
        "2020年8月": ["8月14日下午"],
        "2020年7月": ["7月1日上午"],
        "2020年5月": ["5月20日上午"],
    }  # no internal (2021年1月) or draft-issue (2021年3月) items


def test_news_item_page(client, sample):
    page = parse(client.get(sample.items.second.get_absolute_url()))
    assert text(select_one(page, "h1")) == "2020年8月14日下午"
    assert "郭向阳" in text(select_one(page, "article"))
    assert sample.people["郭向阳"].get_absolute_url() in hrefs(page)
    assert "/issues/2020/4/articles/12/" in hrefs(page)


def test_news_item_of_a_hidden_issue_is_404(client, sample):
    hidden = sample.internal.news_items.get()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(sample.draft_issue.news_items.get().get_absolute_url()).status_code == 404


# --- Feeds --------------------------------------------------------------------------


def feed_titles(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def test_latest_feed_holds_only_visible_articles(client, sample):
    titles = feed_titles(client.get("/feeds/latest/"))
    assert titles[:2] == [
        "激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展",
        "着眼长远把握大势开门问策 集思广益研究新情况作出新规划",
    ]
    assert len(titles) == 12 + 2 + 1
    for hidden in [
        "尚未审定的草稿文章",
        "明天才发布的定时文章",
        "内部资料中的学习文章",
        "草稿期刊里的文章",
    ]:
        assert hidden not in titles


def test_feeds_are_the_anonymous_view_even_for_a_signed_in_reader(django_user_model, sample):
    client = Client()
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert "内部资料中的学习文章" not in feed_titles(client.get("/feeds/latest/"))
    assert feed_titles(client.get("/columns/xuexiluntan/feed/")) == [
        "新时代人民政协的行动指南",
        "坚持和完善人民政协制度",
    ]


def test_column_feed_item_links_and_descriptions(client, sample):
    root = ET.fromstring(client.get("/columns/sheqingminyi/feed/").content)
    first = next(root.iter("item"))
    assert first.findtext("link") == "http://testserver/issues/2020/4/articles/9/"
    assert first.findtext("description") == "连翘、黄芩等都是道地药材，药茶产业大有可为。"
    assert first.findtext("category") == "社情民意"


def test_pages_link_their_feeds_from_head(client, sample):
    page = parse(client.get("/columns/sheqingminyi/"))
    feeds = [
        attr(link, "href")
        for link in select(page, "link")
        if attr(link, "type") == "application/rss+xml"
    ]
    assert feeds == ["/feeds/latest/", "/columns/sheqingminyi/feed/"]


def test_scheduled_article_appears_when_its_time_comes(client, sample):
    scheduled = sample.articles.scheduled
    scheduled.published_at = scheduled.published_at - datetime.timedelta(days=2)
    scheduled.save()
    assert client.get("/issues/2020/4/articles/14/").status_code == 200
    assert "明天才发布的定时文章" in feed_titles(client.get("/feeds/latest/"))


def test_news_items_of_a_withdrawn_news_entry_disappear(client, sample):
    sample.articles.news.status = Status.WITHDRAWN
    sample.articles.news.save()
    assert client.get(sample.items.first.get_absolute_url()).status_code == 404
    months = [text(h) for h in select(parse(client.get("/news/")), "h2")]
    assert months == ["2020年5月"]  # the older issue's item, printed outside any entry
    assert client.get(sample.people["郭向阳"].get_absolute_url()).status_code == 404


def test_abstract_is_the_feed_description_the_meta_description_and_the_list_teaser(client, sample):
    Article.objects.filter(pk=sample.articles.tea.pk).update(abstract="建议把药茶产业做大做强。")
    root = ET.fromstring(client.get("/columns/sheqingminyi/feed/").content)
    assert next(root.iter("item")).findtext("description") == "建议把药茶产业做大做强。"
    page = client.get("/issues/2020/4/articles/9/").content.decode()
    assert '<meta name="description" content="建议把药茶产业做大做强。">' in page
    column = client.get("/columns/sheqingminyi/").content.decode()
    assert '<p class="article-item-summary">建议把药茶产业做大做强。</p>' in column
    # an article without 摘要 shows the opening of its body
    assert (
        "人民政协是具有中国特色的制度安排，是社会主义协商民主的重要渠道和专门协商机构。" in column
    )
