"""The page cache for anonymous readers (pagecache.cache): served from the cache, never
stale — an edit, a publication, a withdrawal or a scheduled time shows on the very next
request — and never shared with or filled by signed-in readers. Each test runs with
local memory; the main ones with Redis too (REDIS_URL, set by CI; db 15 on 127.0.0.1
otherwise)."""

import datetime
import io
import os
import re
import uuid

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from articles.models import Article, Highlight, NewsItem
from issues.corpus import generate_corpus
from issues.models import Issue
from members.models import Person
from pagecache import cache as pagecache
from tests.site.crawl import crawl
from tests.site.sample import build_sample_site
from workflow.models import Status

pytestmark = pytest.mark.django_db

DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def redis_url():
    url = os.environ.get("REDIS_URL")
    if url:
        return url  # CI: Redis must be there
    import redis

    try:
        redis.Redis.from_url(DEFAULT_REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not running at {DEFAULT_REDIS} (CI sets REDIS_URL)")
    return DEFAULT_REDIS


@pytest.fixture
def page_cache(request, settings):
    """The page cache on, in local memory or (parametrized "redis") in Redis."""
    kind = getattr(request, "param", "locmem")
    # A key prefix of its own: parallel runs sharing the Redis database never meet.
    prefix = f"jczx-test-{uuid.uuid4().hex}"
    if kind == "redis":
        backend = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url()}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": {**backend, "LOCATION": backend.get("LOCATION", prefix)}}
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    settings.JCZX_PAGE_CACHE = True
    pagecache.local_pages.clear()
    from django.core.cache import cache

    yield cache
    if kind == "redis":
        cache.delete_pattern("*")


@pytest.fixture
def site(db):
    return build_sample_site()


def get(client, url, **extra):
    response = client.get(url, **extra)
    return response, response.content.decode()


def generation_read_only(queries) -> bool:
    """A hit's one query: the tokens of the page's scopes, read by their keys."""
    return [q["sql"].split(" WHERE")[0] for q in queries.captured_queries] == [
        'SELECT name, token FROM "pagecache_scope"'
    ]


def cached(client, url):
    """Request ``url`` until it is served from the cache; return that response."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def control(response):
    """The Cache-Control directives, in any order."""
    return {d.strip() for d in response["Cache-Control"].split(",")}


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_anonymous_pages_are_served_from_the_cache(client, site, page_cache):
    urls = [
        "/",
        "/issues/",
        site.issue.get_absolute_url(),
        site.articles.forum.get_absolute_url(),
        site.columns["会议专题"].get_absolute_url(),
        site.people["刘佳义"].get_absolute_url(),
        "/news/",
        "/feeds/latest/",
    ]
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss"
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second["X-Page-Cache"] == "hit"
        assert generation_read_only(queries), url
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert control(second) == {"max-age=60", "public"}
        assert second["ETag"] == first["ETag"]
        assert "Cookie" in second["Vary"]
        # Headers the inner middleware added are kept with the page.
        assert second["X-Frame-Options"] == "DENY"


def test_a_cached_page_answers_304_to_its_etag(client, site, page_cache):
    etag = cached(client, "/")["ETag"]
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_an_edit_is_visible_on_the_very_next_request(client, site, page_cache):
    article = site.articles.forum
    for url in ("/", site.issue.get_absolute_url(), article.get_absolute_url()):
        cached(client, url)
    article.title = "新时代人民政协的行动指南（修订）"
    article.save()
    for url in (site.issue.get_absolute_url(), article.get_absolute_url()):
        response, html = get(client, url)
        assert response["X-Page-Cache"] == "miss"
        assert "新时代人民政协的行动指南（修订）" in html


def test_queryset_update_bulk_create_and_delete_make_pages_stale(client, site, page_cache):
    article = site.articles.explain
    person = site.people["刘佳义"]
    for url in (article.get_absolute_url(), person.get_absolute_url(), "/news/", "/"):
        cached(client, url)

    Article.objects.filter(pk=article.pk).update(title="关于《实施意见》起草情况的说明")
    assert "关于《实施意见》起草情况的说明" in get(client, article.get_absolute_url())[1]

    Person.objects.filter(pk=person.pk).update(name="刘佳义同志")
    assert "刘佳义同志" in get(client, person.get_absolute_url())[1]

    NewsItem.objects.bulk_create(
        [
            NewsItem(
                issue=site.issue,
                article=site.articles.news,
                date=datetime.date(2020, 8, 31),
                text="市政协召开党组会议，传达学习全国政协会议精神。",
                position=9,
            )
        ]
    )
    assert "传达学习全国政协会议精神" in get(client, "/news/")[1]

    cached(client, "/")
    Highlight.objects.filter(issue=site.issue).delete()
    assert "张志川在市委政协工作会议上的讲话" not in get(client, "/")[1]


def test_an_import_shows_on_the_home_page_at_once(client, site, page_cache):
    assert "2020年第4期" in cached(client, "/").content.decode()
    generate_corpus(issues=1, last_year=2022, articles_per_issue=3, news_per_issue=2)
    response, html = get(client, "/")
    assert response["X-Page-Cache"] == "miss"
    assert "2022年第1期" in html


def test_a_withdrawal_and_a_new_publication_show_at_once(client, site, page_cache):
    url = site.issue.get_absolute_url()
    cached(client, url)
    Issue.objects.filter(pk=site.issue.pk).update(status=Status.WITHDRAWN)
    assert client.get(url).status_code == 404
    assert "2020年第4期" not in get(client, "/")[1]

    Issue.objects.filter(pk=site.issue.pk).update(status=Status.PUBLISHED)
    response, html = get(client, url)
    assert response.status_code == 200
    assert "在市委政协工作会议上的讲话" in html


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_a_scheduled_article_appears_at_its_time(client, site, page_cache, monkeypatch):
    start = timezone.now().replace(microsecond=0)
    scheduled = site.articles.scheduled
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=start + datetime.timedelta(seconds=120)
    )
    url = site.issue.get_absolute_url()
    at(monkeypatch, start)
    response, html = get(client, url)
    assert "明天才发布的定时文章" not in html
    assert control(response) == {"max-age=60", "public"}

    # 30 seconds before: still the cached page, and browsers may keep it only that long.
    at(monkeypatch, start + datetime.timedelta(seconds=90))
    response, html = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert control(response) == {"max-age=30", "public"}
    assert "明天才发布的定时文章" not in html

    # At its time, with nobody touching anything, the article is there.
    at(monkeypatch, start + datetime.timedelta(seconds=120))
    response, html = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "明天才发布的定时文章" in html


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_signed_in_readers_never_get_a_shared_page(client, site, page_cache, editor):
    internal_url = site.internal.get_absolute_url()
    assert client.get(internal_url).status_code == 404
    anonymous_home = cached(client, "/").content.decode()
    assert "2021年第1期" not in anonymous_home

    client.force_login(editor)
    response, html = get(client, "/")
    assert "X-Page-Cache" not in response
    assert "2021年第1期" in html  # the internal issue is the latest for signed-in readers
    assert control(response) == {"no-cache", "private"}
    response, html = get(client, internal_url)
    assert response.status_code == 200
    assert "内部资料中的学习文章" in html


def test_signed_in_readers_never_fill_the_cache(client, site, page_cache, editor):
    client.force_login(editor)
    for url in ("/", site.internal.get_absolute_url(), site.issue.get_absolute_url()):
        assert client.get(url).status_code == 200
    client.logout()
    response, html = get(client, "/")
    assert response["X-Page-Cache"] == "miss"
    assert "2021年第1期" not in html
    assert client.get(site.internal.get_absolute_url()).status_code == 404


def csrf_view(request):
    template = engines["django"].from_string("<form method='post'>{% csrf_token %}</form>")
    return HttpResponse(template.render({}, request))


def token_view(request):
    return HttpResponse(f"token {get_token(request)}")


urlpatterns = [
    path("form/", csrf_view),
    path("token/", token_view),
    path("", include("jczx.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/form/", "/token/"])
def test_a_page_holding_a_csrf_token_is_never_shared(client, page_cache, url):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert control(response) == {"no-cache", "private"}
        assert "csrftoken" in response.cookies


def test_public_pages_hold_no_csrf_token_and_post_no_form(client, site, page_cache):
    pages = crawl(client)
    assert len(pages) > 20
    for url, (_status, html) in pages.items():
        assert "csrfmiddlewaretoken" not in html, url
        assert not re.search(r"<form[^>]*method=[\"']?post", html, re.IGNORECASE), url
    assert "csrftoken" not in client.cookies


def test_write_tracking_reads_the_statement():
    assert pagecache._writes_content('INSERT INTO "articles_article" ("title") VALUES (%s)')
    assert pagecache._writes_content('UPDATE "issues_issue" SET "status" = %s')
    assert pagecache._writes_content('  DELETE FROM "members_person" WHERE "id" = %s')
    assert pagecache._writes_content('INSERT INTO "articles_newsitem_people" VALUES (%s, %s)')
    assert pagecache._writes_content('INSERT INTO "articles_historicalarticle" VALUES (%s)')
    assert pagecache._writes_content('TRUNCATE "django_session", "articles_article";')
    assert not pagecache._writes_content('SELECT * FROM "articles_article"')
    assert not pagecache._writes_content('UPDATE "django_session" SET "expire_date" = %s')
    assert not pagecache._writes_content('INSERT INTO "auth_user" ("username") VALUES (%s)')


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_when_a_transaction_commits_not_before(client, page_cache):
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="委员履职的几点体会")
    url = article.get_absolute_url()
    cached(client, url)

    before = pagecache.current_generation()
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="委员履职的三点体会")
        # Not committed: other readers still see the old row, so the old page is right.
        assert pagecache.current_generation() == before
    assert pagecache.current_generation() != before
    response, html = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "委员履职的三点体会" in html

    cached(client, url)
    after = pagecache.current_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(title="不会保存的标题")
        raise RuntimeError("rolled back")
    assert pagecache.current_generation() == after
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_without_the_page_cache_pages_are_revalidated_every_time(client, site, settings):
    settings.JCZX_PAGE_CACHE = False
    for _ in range(2):
        response = client.get("/")
        assert "X-Page-Cache" not in response
        assert control(response) == {"max-age=0", "must-revalidate", "public"}
        assert response["ETag"]


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_search_results_follow_an_edit_for_every_reader(client, site, page_cache, editor):
    """The articles matching a search are remembered per content generation (on
    PostgreSQL): signed-in readers, who get no cached page, see an edit at once too."""
    client.force_login(editor)
    query = {"q": "数字政府"}

    def search(data):  # the page's text, the <mark>s around matches taken out
        return re.sub(r"</?mark>", "", client.get("/search/", data).content.decode())

    assert "关于加快数字政府建设的建议" in search(query)
    with CaptureQueriesContext(connection) as queries:
        html = search(query)
    assert "关于加快数字政府建设的建议" in html
    if connection.vendor == "postgresql":  # the match itself is not run again
        assert not any("article_search_matches" in q["sql"] for q in queries.captured_queries)

    article = Article.objects.get(title="关于加快数字政府建设的建议")
    article.title = "关于加快智慧城市建设的建议"
    article.save()
    html = search(query)
    assert "关于加快智慧城市建设的建议" not in html
    assert "关于加快智慧城市建设的建议" in search({"q": "智慧城市"})


# --- The WSGI front (jczx.wsgi): hits answered before Django ------------------------


@pytest.fixture
def front(settings):
    """Calls ``jczx.wsgi.application`` — what gunicorn runs — as a WSGI server would.
    Like Django's test client, it keeps request_started/finished from closing the
    test's database connection (it is inside the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from jczx.wsgi import application

    settings.ALLOWED_HOSTS = ["testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    started = []

    def count(**kwargs):
        started.append(kwargs)

    request_started.connect(count)

    def call(path, method="GET", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            **headers,
        }
        reply = {}

        def start_response(status, response_headers, exc_info=None):
            reply["status"] = int(status.split()[0])
            reply["headers"] = dict(response_headers)

        body = application(environ, start_response)
        try:
            reply["body"] = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        reply["django"] = bool(started)
        started.clear()
        return reply

    yield call
    request_started.disconnect(count)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_the_front_answers_a_cached_page_without_django(front, site, page_cache):
    url = site.articles.forum.get_absolute_url()
    first = front(url)
    assert (first["status"], first["headers"]["X-Page-Cache"], first["django"]) == (
        200,
        "miss",
        True,
    )
    with CaptureQueriesContext(connection) as queries:
        second = front(url)
    assert (second["status"], second["headers"]["X-Page-Cache"]) == (200, "hit")
    assert second["django"] is False  # no request_started: Django never saw it
    assert generation_read_only(queries)
    assert second["body"] == first["body"]
    assert "新时代人民政协的行动指南" in second["body"].decode()
    # Every header of the rendered page, SecurityMiddleware's and the CSP included.
    for name in (
        "Content-Type",
        "ETag",
        "Vary",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Security-Policy",
        "Content-Language",
    ):
        assert second["headers"][name] == first["headers"][name], name
    assert {d.strip() for d in second["headers"]["Cache-Control"].split(",")} == {
        "max-age=60",
        "public",
    }


def test_the_front_answers_304_and_head_from_the_cache(front, site, page_cache):
    page = front("/")
    page = front("/")
    assert page["headers"]["X-Page-Cache"] == "hit"
    not_modified = front("/", HTTP_IF_NONE_MATCH=page["headers"]["ETag"])
    assert (not_modified["status"], not_modified["body"], not_modified["django"]) == (
        304,
        b"",
        False,
    )
    head = front("/", method="HEAD")
    assert (head["status"], head["body"], head["django"]) == (200, b"", False)
    assert head["headers"]["Content-Length"] == str(len(page["body"]))


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_through_the_front_an_edit_shows_on_the_very_next_request(front, site, page_cache):
    article = site.articles.forum
    url = article.get_absolute_url()
    front(url)
    assert front(url)["headers"]["X-Page-Cache"] == "hit"
    article.title = "新时代人民政协的行动指南（修订）"
    article.save()
    page = front(url)
    assert (page["headers"]["X-Page-Cache"], page["django"]) == ("miss", True)
    assert "新时代人民政协的行动指南（修订）" in page["body"].decode()


def test_the_front_leaves_signed_in_readers_posts_and_bad_hosts_to_django(front, site, page_cache):
    front("/")
    assert front("/")["django"] is False
    signed_in = front("/", HTTP_COOKIE="sessionid=abc")
    assert signed_in["django"] is True
    assert "X-Page-Cache" not in signed_in["headers"]
    assert front("/", method="POST")["django"] is True
    bad_host = front("/", HTTP_HOST="evil.example")
    assert (bad_host["status"], bad_host["django"]) == (400, True)


@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_each_process_keeps_its_copy_of_a_page_only_for_the_current_generation(
    front, site, page_cache
):
    article = site.articles.forum
    url = article.get_absolute_url()
    front(url)
    assert front(url)["headers"]["X-Page-Cache"] == "hit"  # copied into this process
    # The shared copy gone (evicted, say): this process still has the page …
    keys = list(pagecache.local_pages.entries)
    assert len(keys) == 1
    page_cache.delete_many(keys)
    assert page_cache.get(keys[0]) is None
    page = front(url)
    assert (page["headers"]["X-Page-Cache"], page["django"]) == ("hit", False)
    # … but only until content changes: the generation is read from the shared cache
    # on every request, and an edit replaces it.
    article.title = "新时代人民政协的行动指南（第二版）"
    article.save()
    page = front(url)
    assert (page["headers"]["X-Page-Cache"], page["django"]) == ("miss", True)
    assert "新时代人民政协的行动指南（第二版）" in page["body"].decode()


def test_the_process_copies_stay_within_their_byte_limit():
    pages = pagecache.LocalPages(limit=25)

    def entry(body):
        return ("token", 1e12, 200, [], body)

    pages.put("a", entry(b"x" * 10))
    pages.put("b", entry(b"y" * 10))
    assert pages.get("a") is not None  # a is now the most recently used
    pages.put("c", entry(b"z" * 10))  # 30 bytes: the least recently used (b) goes
    assert (pages.get("a") is not None, pages.get("b"), pages.get("c") is not None) == (
        True,
        None,
        True,
    )
    assert pages.size == 20
    pages.put("huge", entry(b"h" * 26))  # larger than the whole limit: not kept
    assert pages.get("huge") is None
    assert pages.size == 20


def test_a_miss_through_the_front_reads_the_cache_once(front, site, page_cache, monkeypatch):
    """The front's lookup of a page it does not hold goes with the request to the
    middleware, which renders and stores the page without asking the cache again."""
    made = []
    original = pagecache.Lookup.__init__

    def counting(self, request):
        made.append(request.path)
        original(self, request)

    monkeypatch.setattr(pagecache.Lookup, "__init__", counting)
    url = site.issue.get_absolute_url()
    page = front(url)
    assert (page["headers"]["X-Page-Cache"], made) == ("miss", [url])
    page = front(url)
    assert (page["headers"]["X-Page-Cache"], made) == ("hit", [url, url])


# --- Paths above U+00FF ----------------------------------------------------------------


@pytest.mark.parametrize("page_cache_on", [True, False])
@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_a_path_above_latin_1_is_a_404_through_the_front_and_the_client(
    front, client, site, page_cache, settings, page_cache_on
):
    """A WSGI server hands the path over as Latin-1 text of its UTF-8 bytes; the front
    once wrote the decoded path back into that environ, and Django then failed on it:
    a 500 on every such path, the admin's included."""
    settings.JCZX_PAGE_CACHE = page_cache_on
    expected = {"/政协/": 404, "/issues/第4期/": 404, "/people/刘佳义/": 404, "/admin/政协/": 302}
    for path_, status in expected.items():
        raw = path_.encode().decode("latin-1")  # what gunicorn puts in PATH_INFO
        assert front(raw)["status"] == status, path_
    # After the front: the test client reconnects the signal handlers the front's
    # fixture keeps from closing the test's connection.
    for path_, status in expected.items():
        assert client.get(path_).status_code == status, path_


@pytest.mark.urls(__name__.replace("test_cache", "unicode_urls"))
@pytest.mark.parametrize("page_cache", ["locmem", "redis"], indirect=True)
def test_a_page_at_a_chinese_path_is_served_and_cached_through_the_front(front, page_cache):
    raw = "/政协/".encode().decode("latin-1")
    first, second = front(raw), front(raw)
    assert (first["status"], first["headers"]["X-Page-Cache"]) == (200, "miss")
    assert (second["status"], second["headers"]["X-Page-Cache"]) == (200, "hit")
    assert second["body"].decode() == "页面 /政协/"
