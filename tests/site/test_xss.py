"""Every vector of tests/data/xss-payloads.txt, entered through the admin's forms, the
JSON importer and the text importer, in titles, bylines and bodies, leaves no live
script on any public page: checked on the rendered HTML of every page that shows it
(tests/xss.py says what counts as live), and in Chromium, where no dialog may open.

The payloads go in by parts (PARTS), one test each: all of them through one way in is
a couple of minutes of requests, which pytest-xdist can spread over its workers only
in parts. Every payload is in exactly one part."""

import datetime
import html
import json
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.models import Article, Column, NewsItem
from issues.importing import parse_issue, service
from issues.importing.service import issue_import
from issues.models import Issue
from members.models import Person
from tests.browser import chromium
from tests.factories import ColumnFactory, IssueFactory
from tests.forms import form_data
from tests.xss import PAYLOADS, dom_check_script, live_script_problems
from workflow.models import Status

pytestmark = pytest.mark.django_db


# Every PARTS-th payload from the part's own on: similar vectors sit side by side in the
# file, so each part gets a mix of them.
PARTS = 4


def payloads_of(part: int) -> list[str]:
    return PAYLOADS[part::PARTS]


def name_of(payload: str) -> str:
    """A person's name holds 40 characters: the payload's first 40 (never blank)."""
    return payload[:40].strip() or "某人"


# --- The checker can fail ------------------------------------------------------------------


def test_the_checker_flags_the_payloads_placed_raw_in_a_page():
    flagged = [p for p in PAYLOADS if live_script_problems(f"<body><p>{p}</p></body>")]
    # The rest only work inside a JavaScript string or attribute, not in HTML text.
    assert len(flagged) >= 200, len(flagged)
    for payload in [
        "<img src=x onerror=alert(1)>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        "<svg><animate attributeName=href values=javascript:alert(1) />",
        "<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'></iframe>",
        "<script>alert(1)</script>",
        '<form><button formaction="javascript:alert(1)">x</button></form>',
    ]:
        assert live_script_problems(payload), payload


def test_the_checker_passes_escaped_payloads_and_the_sites_own_scripts():
    page = "".join(f"<p title='{html.escape(p)}'>{html.escape(p)}</p>" for p in PAYLOADS)
    page += '<script src="/static/js/site.js" defer></script>'
    page += '<script type="application/json" id="x">{"a": "\\u003c/script\\u003e"}</script>'
    assert live_script_problems(page) == []


# --- Three ways in ---------------------------------------------------------------------------


def test_the_parts_hold_every_payload_once():
    parts = [payloads_of(part) for part in range(PARTS)]
    assert sorted(p for part in parts for p in part) == sorted(PAYLOADS)
    assert min(map(len, parts)) >= len(PAYLOADS) // PARTS


def enter_via_admin(client, payloads) -> Issue:
    """Each payload as the title, 引题, 副标题, 来源, 编者按, body and 作者简介 of an article
    and as the name and byline title of its author, typed into the admin's forms."""
    issue = IssueFactory(year=2031, number=1, total_number=9001)
    column = ColumnFactory(name="学习论坛", slug="xuexiluntan")
    person_url = reverse("admin:members_person_add")
    person_form = form_data(client.get(person_url).content.decode(), "person_form")
    article_url = reverse("admin:articles_article_add")
    article_form = form_data(client.get(article_url).content.decode(), "article_form")
    for k, payload in enumerate(payloads, start=1):
        response = client.post(person_url, {**person_form, "name": name_of(payload)})
        assert response.status_code == 302, (payload, response.status_code)
        person = Person.objects.latest("pk")
        data = {
            **article_form,
            "issue": issue.pk,
            "column": column.pk,
            "toc_position": k,
            "kicker": payload[:200],
            "title": payload[:300],
            "subtitle": payload[:300],
            "source": payload[:100],
            "editors_note": payload,
            "body": f"<p>正文</p>{payload}<p>{payload}</p>",
            "author_note": payload,
            "start_page": k,
            "end_page": k,
            "continuation_pages": "[]",
            "authorships-TOTAL_FORMS": "1",
            "authorships-INITIAL_FORMS": "0",
            "authorships-0-person": person.pk,
            "authorships-0-byline_title": payload[:200],
            "authorships-0-role": "作者",
            "authorships-0-position": "0",
        }
        response = client.post(article_url, data)
        assert response.status_code == 302, (payload, response.content.decode()[:300])
    return issue


def enter_via_json(tmp_path, payloads) -> Issue:
    """One jczx-issue document: a payload in every text field of every article, the
    编委会, 本期导读 and 工作动态."""
    articles = [
        {
            "toc_position": k,
            "column": "学习论坛",
            "page": k,
            "kicker": p[:200],
            "title": p[:300],
            "subtitle": p[:300],
            "toc_title": p[:300],
            "source": p[:100],
            "authors": [{"name": name_of(p), "title": p[:200], "role": "作者"}],
            "editors_note": p,
            "body": f"<p>正文</p>{p}<p>{p}</p>",
            "author_note": p,
        }
        for k, p in enumerate(payloads, start=1)
    ]
    document = {
        "format": "jczx-issue",
        "version": 1,
        "issue": {
            "year": 2032,
            "number": 1,
            "total_number": 9002,
            "visibility": "public",
            "host": payloads[0][:100],
            "address": payloads[1][:200],
            "editorial_board": [{"role": "编委", "name": name_of(p)} for p in payloads[:40]],
            "highlights": [{"text": p[:300], "article": k} for k, p in enumerate(payloads[:20], 1)],
        },
        "articles": articles,
        "news_items": [
            {"date": "2032-01-05", "text": p, "people": [name_of(p)], "article": 1}
            for p in payloads
        ],
    }
    path = tmp_path / "xss.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = issue_import(path=path)
    assert result.outcome == "created", result.problems
    return Issue.objects.get(year=2032, number=1)


def digitized_text(payloads) -> str:
    """A digitized issue in the corpus' layout whose 目录, headlines and bodies carry the
    payloads."""
    toc, bodies = [], []
    for k, p in enumerate(payloads, start=1):
        title = f"第{k}篇{p}"
        toc.append(f"{2 * k + 1} {title} 周五")
        bodies.append(f"# {title}\n\n周　五\n\n正文第一段{p}。\n\n{p}\n")
    return (
        "# 晋城政协\n\n2033年第1期（总第9003期）\n\n## 《晋城政协》编委会\n\n主任：王一平\n\n"
        "# 目 录\n\n【学习论坛】\n\n" + "\n\n".join(toc) + "\n\n" + "\n".join(bodies)
    )


def parse_without_faults(path):
    """The parse, its self-check's faults set aside: titles made only of markup cannot
    all be told apart, so the importer would refuse the file (text may sit in the wrong
    article); here only what the pages make of the payloads matters."""
    parsed = parse_issue(path)
    parsed.faults = []
    return parsed


def enter_via_text(tmp_path, payloads) -> Issue:
    path = tmp_path / "xss.md"
    path.write_text(digitized_text(payloads), encoding="utf-8")
    with mock.patch.object(service, "parse_issue", parse_without_faults):
        result = issue_import(path=path, allow_partial=True, visibility="public")
    assert result.outcome == "created", result.problems
    return Issue.objects.get(year=2033, number=1)


SOURCES = {"admin": enter_via_admin, "json": enter_via_json, "text": enter_via_text}


def publish(issue: Issue) -> None:
    """Make everything readable by an anonymous reader (publication is not the point)."""
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    Issue.objects.filter(pk=issue.pk).update(
        status=Status.PUBLISHED, published_at=earlier, visibility="public"
    )
    Article.objects.filter(issue=issue).update(status=Status.PUBLISHED, published_at=earlier)


def search_urls(payloads=()) -> list[str]:
    """Search result pages: for words the payloads contain (results listing them, with
    snippets) and for each of ``payloads`` itself (reflected in the form and the
    heading)."""
    try:
        search = reverse("search:search")
    except NoReverseMatch:
        return []
    words = ["alert", "prompt", "script", "onerror", "javascript", "svg", "第1篇"]
    return [f"{search}?{urlencode({'q': q})}" for q in [*words, *payloads]]


def paginated(client: Client, url: str) -> list[str]:
    """``url`` and each of its further pages."""
    pages = [url]
    while True:
        response = client.get(f"{url}?page={len(pages) + 1}")
        if response.status_code != 200:
            return pages
        pages.append(f"{url}?page={len(pages) + 1}")


def pages_showing(issue: Issue, client: Client) -> list[str]:
    """The public pages that show ``issue``: its page, every article (titles, bylines
    and bodies), its people, columns and 工作动态 (lists, and a sample of the single-item
    pages, which repeat the same text), home and archive, search results."""
    articles = Article.objects.filter(issue=issue).select_related("issue")
    people = (
        Person.objects.filter(authorships__article__issue=issue)
        | Person.objects.filter(masthead_entries__issue=issue)
        | Person.objects.filter(news_items__issue=issue)
    )
    columns = Column.objects.filter(articles__issue=issue).distinct()
    news = NewsItem.objects.filter(issue=issue).order_by("pk")
    return [
        "/",
        reverse("issues:issue_list"),
        issue.get_absolute_url(),
        *(a.get_absolute_url() for a in articles),
        *(p.get_absolute_url() for p in people.distinct().order_by("pk")),
        *(page for c in columns for page in paginated(client, c.get_absolute_url())),
        *paginated(client, reverse("articles:newsitem_list")),
        *(n.get_absolute_url() for n in news[::8]),
        *search_urls(),
    ]


def stored_text(issue: Issue) -> str:
    """What the database holds of the issue, entities decoded, to show the payloads
    really went in."""
    rows = Article.objects.filter(issue=issue).values_list(
        "title", "kicker", "body", "editors_note", "authorships__byline_title"
    )
    return html.unescape("\n".join(str(v) for row in rows for v in row))


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("source", SOURCES)
def test_payloads_leave_no_live_script_on_any_page(source, part, editor_client, tmp_path):
    payloads = payloads_of(part)
    way_in = editor_client if source == "admin" else tmp_path
    issue = SOURCES[source](way_in, payloads)
    publish(issue)
    stored = stored_text(issue)
    landed = [p for p in payloads if p.strip() in stored or html.escape(p) in stored]
    assert len(landed) >= 0.9 * len(payloads), f"only {len(landed)} payloads were stored"

    reader = Client(raise_request_exception=False)
    problems = {}
    pages = pages_showing(issue, reader)
    assert len(pages) > len(payloads)
    for url in pages:
        response = reader.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found = live_script_problems(response.content.decode())
        if found:
            problems[url] = found[:3]
    assert problems == {}


@pytest.mark.parametrize("part", range(PARTS))
def test_search_reflects_no_payload_as_markup(client, part):
    """Each payload typed into the search box comes back in the page (the form, the
    heading) as text only."""
    urls = search_urls(payloads_of(part))
    assert len(urls) > len(payloads_of(part))
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = live_script_problems(response.content.decode())
        if found:
            problems[url] = found[:3]
    assert problems == {}


# --- In the browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_dialog_opens_in_chromium(live_server, tmp_path):
    issue = enter_via_json(tmp_path, PAYLOADS)
    publish(issue)
    articles = list(Article.objects.filter(issue=issue).order_by("toc_position"))
    sample = [
        issue.get_absolute_url(),
        "/",
        *(a.get_absolute_url() for a in articles[::16]),
        *(
            p.get_absolute_url()
            for p in Person.objects.filter(authorships__article__in=articles[::40])
        ),
        NewsItem.objects.filter(issue=issue).first().get_absolute_url(),
        reverse("articles:newsitem_list"),
        *search_urls(PAYLOADS)[:12],
    ]
    dialogs, problems = [], {}
    with chromium() as browser:
        page = browser.new_page()

        def on_dialog(dialog):
            dialogs.append((page.url, dialog.message))
            dialog.dismiss()

        page.on("dialog", on_dialog)
        for url in sample:
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            # What a reader might do: focus and hover everything, scroll to the end.
            page.keyboard.press("Tab")
            page.mouse.move(200, 300)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(50)
            found = page.evaluate(dom_check_script())
            if found:
                problems[url] = found[:3]
    assert dialogs == []
    assert problems == {}
    assert len(sample) >= 20
