"""Scoped invalidation (pagecache.scopes): an edit makes stale exactly the cached pages
that show what changed — for every kind of content, the page showing it is never
served stale — while the pages of other issues stay cached (``X-Page-Cache: hit``).
Edits the scopes cannot attribute make every page stale."""

import datetime
import random

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Authorship, Column, Highlight, NewsItem
from issues.models import Issue, MastheadEntry
from members.models import Person
from pagecache import cache as pagecache
from pagecache.scopes import CONTENT, GLOBAL
from sitesettings.models import SiteSettings
from tests.factories import ArticleFactory
from tests.site.sample import build_sample_site
from workflow.models import Status, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return build_sample_site()


def touched(action) -> set[str]:
    """The scopes whose tokens the writes of ``action()`` replace at COMMIT (the test
    runs in a transaction: they are collected on the connection until then)."""
    setattr(connection, pagecache._WROTE, set())
    action()
    return set(getattr(connection, pagecache._WROTE))


def issue(obj) -> str:
    return f"issue:{obj.pk}"


# --- Which scopes a write touches --------------------------------------------------------


def test_an_article_text_edit_touches_its_issue_and_column_only(site):
    forum = site.articles.forum
    forum.title = "新的标题"
    found = touched(forum.save)
    assert found == {issue(site.issue), f"column:{forum.column_id}"}


def test_update_and_bulk_create_are_attributed_like_save(site):
    forum = site.articles.forum
    found = touched(lambda: Article.objects.filter(pk=forum.pk).update(abstract="摘要"))
    assert found == {issue(site.issue), f"column:{forum.column_id}"}

    def bulk():
        Article.objects.bulk_create(
            [
                ArticleFactory.build(
                    issue=site.older, column=forum.column, toc_position=position, title="批量"
                )
                for position in (7, 8)
            ]
        )

    found = touched(bulk)
    assert {issue(site.older), f"column:{forum.column_id}", "list:articles"} <= found
    assert GLOBAL not in found


def test_publishing_withdrawing_and_moving_change_the_lists(site):
    plenary = site.articles.plenary
    plenary.status = Status.DRAFT
    assert touched(plenary.save) == {
        issue(site.issue),
        f"column:{plenary.column_id}",
        "list:articles",
    }
    tourism = site.articles.tourism
    tourism.issue, tourism.toc_position = site.older, 9
    found = touched(tourism.save)
    assert {issue(site.issue), issue(site.older), "list:articles"} <= found  # both issues
    assert GLOBAL not in found


def test_deleting_an_article_is_attributed_with_its_bylines_and_items(site):
    found = touched(site.articles.news.delete)  # cascades: items set null, highlights …
    assert {issue(site.issue), "list:articles", "list:news"} <= found
    assert GLOBAL not in found


def test_bylines_seats_highlights_and_items_touch_their_issue(site):
    byline = Authorship.objects.get(article=site.articles.forum)
    byline.byline_title = "新职务"
    assert touched(byline.save) == {
        issue(site.issue),
        f"column:{site.articles.forum.column_id}",
        f"person:{byline.person_id}",
    }
    seat = MastheadEntry.objects.filter(issue=site.issue).first()
    seat.role = "主编"
    assert touched(seat.save) == {issue(site.issue), f"person:{seat.person_id}"}
    highlight = Highlight.objects.filter(issue=site.issue).first()
    highlight.text = "新导读"
    assert issue(site.issue) in touched(highlight.save)
    item = site.items.first
    item.text = "新动态"
    assert issue(site.issue) in touched(item.save)
    assert "list:news" in touched(lambda: item.people.add(site.people["姚逊"]))


def test_an_issue_field_touches_the_issue_and_the_archive(site):
    site.older.address = "新地址"
    assert touched(site.older.save) == {issue(site.older), "list:issues"}
    site.older.visibility = Visibility.INTERNAL
    assert touched(site.older.save) >= {issue(site.older), "list:articles", "list:news"}


def test_what_every_page_shows_or_cannot_be_read_touches_global(site):
    column = site.columns["学习论坛"]
    column.name = "理论学习"
    assert GLOBAL in touched(column.save)
    person = site.people["刘佳义"]
    person.name = "刘某"
    assert GLOBAL in touched(person.save)
    settings_row = SiteSettings.load()
    settings_row.site_name = "新的站名"
    assert GLOBAL in touched(settings_row.save)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET abstract = 'x'")  # no WHERE

    assert GLOBAL in touched(raw)
    # A new person shows nowhere until something links to them.
    assert GLOBAL not in touched(lambda: Person.objects.create(name="新人"))


def test_a_commit_replaces_the_touched_tokens_and_no_other(transactional_db):
    site = build_sample_site()
    before = pagecache.read_tokens([issue(site.issue), issue(site.older), CONTENT])
    Article.objects.filter(pk=site.articles.forum.pk).update(title="已提交")
    after = pagecache.read_tokens([issue(site.issue), issue(site.older), CONTENT])
    assert after[issue(site.issue)] != before.get(issue(site.issue))
    assert after[CONTENT] != before[CONTENT]
    assert after[issue(site.older)] == before[issue(site.older)]
    assert after[GLOBAL] == before[GLOBAL]


# --- Pages: never stale, and other issues' pages stay cached ----------------------------


def cached(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def unrelated_urls(site):
    """Pages of another issue: no edit of 2020-4 may make them stale."""
    return [site.older.get_absolute_url(), site.articles.older_forum.get_absolute_url()]


def assert_shown(client, urls, text):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def assert_still_cached(client, urls):
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def edit_article_title(site):
    Article.objects.filter(pk=site.articles.forum.pk).update(title="修改后的论坛标题")
    forum, issue_ = site.articles.forum, site.issue
    return "修改后的论坛标题", [
        forum.get_absolute_url(),
        issue_.get_absolute_url(),
        site.articles.advice.get_absolute_url(),  # its neighbours show its title
        site.articles.plenary.get_absolute_url(),
        forum.column.get_absolute_url(),
        "/",
    ]


def edit_byline(site):
    Authorship.objects.filter(article=site.articles.forum).update(byline_title="新任职务")
    return "新任职务", [
        site.articles.forum.get_absolute_url(),
        site.people["刘佳义"].get_absolute_url(),
    ]


def edit_issue_fields(site):
    site.issue.address = "凤台东街新址"
    site.issue.save()
    return "凤台东街新址", [site.issue.get_absolute_url()]


def edit_masthead(site):
    seat = MastheadEntry.objects.filter(issue=site.issue).order_by("position").first()
    seat.role = "名誉主编"
    seat.save()
    return "名誉主编", [site.issue.get_absolute_url()]


def edit_highlight(site):
    Highlight.objects.filter(issue=site.issue, position=1).update(text="改写后的本期导读")
    return "改写后的本期导读", [site.issue.get_absolute_url(), "/"]


def edit_news_item(site):
    item = site.items.second
    item.text = "改写后的工作动态条目。"
    item.save()
    return "改写后的工作动态条目。", [
        site.articles.news.get_absolute_url(),
        item.get_absolute_url(),
        "/news/",
        "/",
    ]


def publish_draft(site):
    draft = site.articles.draft
    draft.status = Status.PUBLISHED
    draft.published_at = timezone.now() - datetime.timedelta(minutes=1)
    draft.save()
    return draft.title, [
        site.issue.get_absolute_url(),
        draft.column.get_absolute_url(),
        site.articles.news.get_absolute_url(),  # position 12: its next is the draft now
    ]


def move_article_to_older_issue(site):
    tourism = site.articles.tourism
    tourism.issue, tourism.toc_position = site.older, 3
    tourism.save()
    return tourism.title, [site.older.get_absolute_url()]


KINDS = [
    edit_article_title,
    edit_byline,
    edit_issue_fields,
    edit_masthead,
    edit_highlight,
    edit_news_item,
    publish_draft,
]


@pytest.mark.parametrize("edit", KINDS, ids=lambda edit: edit.__name__)
def test_an_edit_shows_where_it_is_printed_and_other_issues_stay_cached(
    client, site, page_cache, edit
):
    # Warm every page first: the ones that will show the edit, and another issue's.
    pages = [
        site.issue.get_absolute_url(),
        site.articles.forum.get_absolute_url(),
        site.articles.advice.get_absolute_url(),
        site.articles.plenary.get_absolute_url(),
        site.articles.news.get_absolute_url(),
        site.people["刘佳义"].get_absolute_url(),
        site.items.second.get_absolute_url(),
        site.articles.forum.column.get_absolute_url(),
        site.articles.draft.column.get_absolute_url(),
        "/news/",
        "/",
    ]
    for url in pages + unrelated_urls(site):
        cached(client, url)

    text, showing = edit(site)

    assert_shown(client, showing, text)
    assert_still_cached(client, unrelated_urls(site))


def test_an_article_moved_to_another_issue_leaves_one_and_joins_the_other(client, site, page_cache):
    title = site.articles.tourism.title
    assert title in cached(client, site.issue.get_absolute_url()).content.decode()
    assert title not in cached(client, site.older.get_absolute_url()).content.decode()
    old_url = site.articles.tourism.get_absolute_url()
    cached(client, old_url)
    cached(client, site.oldest.get_absolute_url())

    move_article_to_older_issue(site)

    assert title not in client.get(site.issue.get_absolute_url()).content.decode()
    assert title in client.get(site.older.get_absolute_url()).content.decode()
    assert client.get(old_url).status_code == 404
    assert_still_cached(client, [site.oldest.get_absolute_url()])


def test_a_withdrawn_article_disappears_everywhere_it_was_listed(client, site, page_cache):
    plenary = site.articles.plenary
    urls = [site.issue.get_absolute_url(), plenary.column.get_absolute_url(), "/"]
    for url in [*urls, plenary.get_absolute_url(), *unrelated_urls(site)]:
        cached(client, url)
    assert plenary.title in client.get("/").content.decode()

    Article.objects.filter(pk=plenary.pk).update(status=Status.DRAFT)

    assert client.get(plenary.get_absolute_url()).status_code == 404
    for url in urls:
        assert plenary.title not in client.get(url).content.decode(), url
    assert_still_cached(client, unrelated_urls(site))


def test_a_person_page_shows_an_edit_of_their_article_and_ignores_others(client, site, page_cache):
    liu = site.people["刘佳义"].get_absolute_url()  # bylines in 2020-4 and 2020-3
    cached(client, liu)
    Article.objects.filter(issue=site.oldest).update(title="与刘佳义无关的标题")
    assert client.get(liu)["X-Page-Cache"] == "hit"  # 2019-6: nothing of his
    Article.objects.filter(pk=site.articles.older_forum.pk).update(title="刘佳义文章的新标题")
    response = client.get(liu)
    assert response["X-Page-Cache"] == "miss"
    assert "刘佳义文章的新标题" in response.content.decode()
    Article.objects.filter(pk=site.articles.older_forum.pk).update(status=Status.DRAFT)
    assert "刘佳义文章的新标题" not in client.get(liu).content.decode()


@pytest.mark.parametrize("kind", ["column", "person", "site settings"])
def test_names_printed_everywhere_make_every_page_stale(client, site, page_cache, kind):
    older_forum = site.articles.older_forum.get_absolute_url()
    cached(client, older_forum)
    if kind == "column":
        Column.objects.filter(slug="xuexiluntan").update(name="理论学习园地")
        text = "理论学习园地"
    elif kind == "person":
        Person.objects.filter(pk=site.people["刘佳义"].pk).update(name="刘某某")
        text = "刘某某"
    else:
        row = SiteSettings.load()
        row.site_name = "晋城政协新网站"
        row.save()
        text = "晋城政协新网站"
    response = client.get(older_forum)
    assert response["X-Page-Cache"] == "miss"
    assert text in response.content.decode()


def test_a_scheduled_article_appears_at_its_time_on_each_page(
    client, site, page_cache, monkeypatch
):
    scheduled = site.articles.scheduled
    urls = [site.issue.get_absolute_url(), scheduled.column.get_absolute_url()]
    for url in urls:
        assert scheduled.title not in cached(client, url).content.decode()
    later = scheduled.published_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    for url in urls:
        assert scheduled.title in client.get(url).content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_a_hit_reads_its_scopes_in_one_query(client, site, page_cache):
    url = site.articles.older_forum.get_absolute_url()
    cached(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('SELECT name, token FROM "pagecache_scope" WHERE name IN')
    assert f"issue:{site.older.pk}" in queries[0]["sql"]  # its issue's token


# --- Property: over generated edit sequences, cached == freshly rendered -------------------


def property_edits(site, rng):
    """Edits of every kind, each picking its target at random."""
    articles = list(Article.objects.all())
    items = list(NewsItem.objects.all())
    issues = list(Issue.objects.all())
    word = f"改{rng.randrange(10**6)}"

    def title():
        Article.objects.filter(pk=rng.choice(articles).pk).update(title=f"标题{word}")

    def state():
        article = rng.choice(articles)
        Article.objects.filter(pk=article.pk).update(
            status=rng.choice([Status.DRAFT, Status.PUBLISHED])
        )

    def move():
        article = rng.choice(articles)
        target = rng.choice(issues)
        position = 100 + rng.randrange(100)
        if not Article.objects.filter(issue=target, toc_position=position).exists():
            Article.objects.filter(pk=article.pk).update(issue=target, toc_position=position)

    def byline():
        Authorship.objects.filter(pk__in=Authorship.objects.values("pk")[:3]).update(
            byline_title=f"职务{word}"
        )

    def item():
        NewsItem.objects.filter(pk=rng.choice(items).pk).update(text=f"动态{word}")

    def highlight():
        Highlight.objects.update(text=f"导读{word}")

    def issue_field():
        chosen = rng.choice(issues)
        chosen.phone = f"0356-{rng.randrange(10**7):07d}"
        chosen.save()

    def visibility():
        Issue.objects.filter(pk=rng.choice(issues).pk).update(
            visibility=rng.choice([Visibility.PUBLIC, Visibility.INTERNAL])
        )

    def seat():
        MastheadEntry.objects.filter(issue=rng.choice(issues)).update(role=f"职{word}")

    def delete():
        rng.choice(articles[:-1]).authorships.all().delete()

    return [title, state, move, byline, item, highlight, issue_field, visibility, seat, delete]


def public_urls(site):
    urls = {"/", "/issues/", "/news/"}
    for obj in [*Issue.objects.all(), *Article.objects.all(), *Column.objects.all()]:
        try:
            urls.add(obj.get_absolute_url())
        except Exception:  # an article without a URL of its own
            continue
    urls.update(item.get_absolute_url() for item in NewsItem.objects.all())
    return sorted(urls)


def fresh(client, url):
    with override_settings(JCZX_PAGE_CACHE=False):
        response = client.get(url)
    return response.status_code, response.content


@pytest.mark.parametrize("seed", range(2))
def test_cached_pages_equal_fresh_ones_after_any_edit_sequence(client, site, page_cache, seed):
    rng = random.Random(seed)
    edits = property_edits(site, rng)
    urls = public_urls(site)
    for url in urls:
        client.get(url)
    for step in range(8):
        edit = rng.choice(edits)
        edit()
        for url in urls:
            response = client.get(url)
            got = (response.status_code, response.content)
            assert got == fresh(client, url), (seed, step, edit.__name__, url)
