"""Bad requests get a 400 or a 404, never a 500: every public URL pattern, each of its
parameters replaced by hostile values (non-ASCII, NUL, over-long, malformed
percent-encoding, negative and huge numbers), hostile query strings, hostile paths.

The table is built from the URL configuration itself, so a pattern added later is probed
too; a pattern with parameters needs a sample object (SAMPLES) or this test says so.
An anonymous reader's requests go through the whole production stack (tests.wsgi: the
page-cache front of jczx.wsgi, then Django), with the page cache off and on."""

import re
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from edition.models import Page
from issues.models import EditionState, Issue
from pagecache.cache import PageCacheFront
from tests.factories import ArticleFactory, AuthorshipFactory, NewsItemFactory
from tests.wsgi import wsgi_get

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [
    "-1",
    "0",
    "00",
    "99999",
    "2147483648",  # past a 32-bit integer column
    "9223372036854775808",  # past a 64-bit one
    "9" * 400,
    "1.5",
    "1e3",
    "0x10",
    "２０２０",  # full-width digits
    "٢٠٢٠",  # Arabic-Indic digits
]
BAD_TEXT = [
    "%FF%FE",  # not UTF-8
    "%C0%AF",  # overlong UTF-8 for "/"
    "%ED%A0%80",  # a UTF-16 surrogate in UTF-8
    "%E6%94",  # UTF-8 cut short
    "%",  # malformed percent-encoding
    "%G1",
    "%00",
    "a%00b",
    "%01%1F%7F",  # control characters
    "政协",
    "%E6%94%BF%E5%8D%8F",  # 政协, percent-encoded
    "caf%C3%A9",  # Latin-1 range
    "\U0001f600",  # outside the Basic Multilingual Plane
    "a" * 5000,
    "政" * 2000,
    "%2e%2e",
    "..%2F..%2Fetc%2Fpasswd",
    "<script>alert(1)</script>",
]
BAD_QUERIES = [
    "page=-1",
    "page=0",
    "page=abc",
    "page=%FF",
    "page=99999999999999999999",
    "page=1e3",
    "page=",
    "page=1&page=2",
    "page=" + "9" * 3000,
    "page=%00",
    "q=%FF%FE",
    "q=%00",
    "q=" + "政" * 3000,
    "q=" + "a" * 10_000,
    "q=a&q=b&q=" + "c" * 100,
    "&".join(["page=2"] * 50),
    "%FF=%FE",
    "year=abc&number=-1",
    "year=99999999999999999999&number=-99999999999999999999",
]
BAD_PATHS = [
    "/" + "a" * 3000,
    "/issues/" + "9" * 3000 + "/1/",
    "/%FF%FE/",
    "/issues/%FF/",
    "/issues/2020/%FF/",
    "/issues/2020/4/articles/%C0%AE%C0%AE/",
    "/issues/-2020/4/",
    "/issues/2020/-4/",
    "/issues/2020/4/articles/-1/",
    "/issues/2020/4/../../admin/",
    "/issues//4/",
    "/people/1.0/",
    "/news/0x10/",
    "/columns/%00/",
    "/media/%FF%FE",
    "/media/" + "a" * 3000,
    "/media/" + "a/" * 3000,
    "/media/" + "政" * 100 + ".jpg",
    "/media/covers/2026/" + "a" * 300 + ".jpg",
    "/media/%00",
    "/media/covers/2026/a%00.jpg",
    "/media/pdf/%00/x.pdf",
    "/media/uploads/%01.jpg",
    "/media/../manage.py",
    "/media/%E6%94%BF%E5%8D%8F/",
    "/%E6%94%BF%E5%8D%8F/",
    "/search/%00/",
    "/static/%FF",
    "/static/%00",
    "/" + "%" * 10,
]

PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def public_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}"


@pytest.fixture
def samples():
    """One existing object per public URL with parameters: name → valid kwargs."""
    article = ArticleFactory(toc_position=1)
    authorship = AuthorshipFactory(article=article)
    news = NewsItemFactory(issue=article.issue, article=article)
    issue = {"year": article.issue.year, "number": article.issue.number}
    # Its print edition (电子版): one rendered page, printed as the article's first.
    Issue.objects.filter(pk=article.issue_id).update(
        pdf="pdf/sample.pdf", edition_pdf="pdf/sample.pdf", edition_state=EditionState.READY
    )
    Page.objects.create(
        issue_id=article.issue_id,
        index=1,
        number=article.start_page,
        image="edition/sample.webp",
        width=1400,
        height=1981,
        thumbnail="edition/sample-thumb.webp",
        thumbnail_width=300,
        thumbnail_height=424,
    )
    page = {"page": article.start_page}
    urls = [
        article.issue.get_absolute_url(),
        article.get_absolute_url(),
        article.column.get_absolute_url(),
        news.get_absolute_url(),
        authorship.person.get_absolute_url(),
        reverse("issues:issue_page_lookup", kwargs=issue),
        reverse("issues:issue_page", kwargs={**issue, "page": article.start_page}),
        reverse("articles:column_feed", kwargs={"slug": article.column.slug}),
        reverse("preview:article", kwargs={"pk": article.pk}),
        reverse("preview:issue", kwargs={"pk": article.issue.pk}),
        reverse("edition:pages", kwargs=issue),
        reverse("edition:page", kwargs={**issue, **page}),
        reverse("preview:issue_pages", kwargs={"pk": article.issue.pk}),
        reverse("preview:issue_page", kwargs={"pk": article.issue.pk, **page}),
    ]
    found = {}
    for url in urls:
        match = resolve(url)
        found[match.view_name] = match.kwargs
    return found


@pytest.fixture
def browser():
    # A 500 must show up as a 500 here, as a reader would get it, not as an exception.
    return Client(raise_request_exception=False)


def build(route, values):
    return "/" + PLACEHOLDER.sub(lambda m: str(values[m.group("name")]), route)


def beyond_latin1(url) -> bool:
    """Does the path hold a character past U+00FF (政, ２)? Such paths once broke the
    page-cache front on every route (#17); they are reported on their own."""
    path = unquote_to_bytes(urlsplit(url).path).decode(errors="ignore")
    return any(ord(c) > 0xFF for c in path)


# (page cache on, characters past U+00FF): every hostile URL is in one of the two groups.
PAGE_CACHE_AND_CHARACTERS = [
    pytest.param(False, False, id="page-cache-off"),
    pytest.param(False, True, id="page-cache-off-beyond-latin1"),
    pytest.param(True, False, id="page-cache-on"),
    pytest.param(True, True, id="page-cache-on-beyond-latin1"),
]


@pytest.fixture
def anonymous_status(settings):
    """``status(url, page_cache=…)``: what an anonymous reader gets through the
    production stack (jczx.wsgi: the page-cache front, then Django); an exception
    escaping it is the 500 a WSGI server would answer."""
    front = PageCacheFront(WSGIHandler())

    def status(url, *, page_cache):
        # Each assignment stacks one more override of the settings, through which every
        # later setting is looked up: a thousand requests made each lookup crawl.
        if page_cache != settings.JCZX_PAGE_CACHE:
            settings.JCZX_PAGE_CACHE = page_cache
        try:
            return wsgi_get(url, front, housekeeping=False)[0]
        except Exception as exc:
            return f"500 ({type(exc).__name__}: {str(exc)[:60]})"

    return status


def test_every_pattern_with_parameters_has_a_sample(samples):
    missing = [
        name
        for route, name in public_patterns()
        if PLACEHOLDER.search(route) and name not in samples and not route.startswith("^media")
    ]
    assert missing == [], f"add a sample object for {missing} in samples()"


def path_cases(samples):
    for route, name in public_patterns():
        if route.startswith("^"):
            continue  # regex patterns (media) are covered by BAD_PATHS
        valid = samples.get(name, {})
        for match in PLACEHOLDER.finditer(route):
            bad_values = BAD_NUMBERS if match.group("converter") == "int" else BAD_TEXT
            for bad in bad_values:
                yield name, build(route, {**valid, match.group("name"): bad})


@pytest.mark.parametrize(("page_cache", "past_latin1"), PAGE_CACHE_AND_CHARACTERS)
def test_bad_values_in_every_url_are_4xx_for_readers(
    anonymous_status, samples, page_cache, past_latin1
):
    """Each parameter of each public pattern, and hostile paths (/media/ included)."""
    cases = [*path_cases(samples), *(("-", path) for path in BAD_PATHS)]
    cases = [(name, url) for name, url in cases if beyond_latin1(url) == past_latin1]
    failures = []
    for name, url in cases:
        status = anonymous_status(url, page_cache=page_cache)
        if status not in (400, 404):
            failures.append((name, url[:80], status))
    assert len(cases) >= (10 if past_latin1 else 5 * len(BAD_NUMBERS))
    assert failures == []


def test_bad_values_in_every_url_parameter_are_404_for_staff(browser, samples, editor):
    """Staff also reach the draft previews (never page-cached)."""
    browser.force_login(editor)
    failures = []
    count = 0
    for name, url in path_cases(samples):
        count += 1
        status = browser.get(url).status_code
        if status not in (400, 404):
            failures.append((name, url[:80], status))
    assert count >= 5 * len(BAD_NUMBERS)
    assert failures == []


@pytest.mark.parametrize("page_cache", [False, True], ids=["page-cache-off", "page-cache-on"])
def test_bad_query_strings_never_give_a_500(browser, anonymous_status, samples, page_cache):
    failures = []
    for route, name in public_patterns():
        if route.startswith("^"):
            continue
        url = build(route, samples.get(name, {}))
        context = browser.get(url).context
        paginated = context is not None and context.get("page_obj") is not None
        for query in BAD_QUERIES:
            status = anonymous_status(f"{url}?{query}", page_cache=page_cache)
            # An empty page= is the first page; page=1&page=2 is page 2 (or a 404).
            strict = paginated and query.startswith("page=") and query[5:] and "&" not in query
            allowed = (400, 404) if strict else (200, 302, 400, 404)
            if status not in allowed:
                failures.append((name, query[:40], status))
    assert failures == []


def test_the_404_page_is_the_sites_own(browser):
    response = browser.get("/issues/1900/1/")
    assert response.status_code == 404
    assert "晋城政协网" in response.content.decode()
