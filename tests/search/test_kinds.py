"""The search page finds 工作动态 items, people and issues beside articles, each as an
<article class="search-result"> whose first link is the result's own page."""

import datetime
import re
import uuid

import pytest

from search.kinds import IssueReference, issue_references
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    NewsItemFactory,
    PersonFactory,
)
from workflow.models import Status

pytestmark = pytest.mark.django_db

WENMING = (
    "7月15日上午，市政协副主席、市创建文明城市指挥部副指挥长武四海带领相关人员先后来到"
    "赵树理文学馆、凤西便民市场等地，就文明城市创建工作进行督导检查。"
)


def first_links(response) -> list[tuple[str, str]]:
    """(href, text) of the first link of each search result, in page order."""
    html = response.content.decode()
    blocks = re.findall(r'<article class="search-result">(.*?)</article>', html, re.S)
    found = []
    for block in blocks:
        href, text = re.search(r'<a href="([^"]+)">(.*?)</a>', block, re.S).groups()
        found.append((href, re.sub(r"<[^>]+>", "", text)))
    return found


@pytest.fixture(params=["without memo", "with memo"], autouse=True)
def memo(request, settings):
    """Every test twice: 工作动态 matched by a scan each time (a cache that keeps
    nothing), and through the memo of matches kept per content generation
    (search.kinds.search_news)."""
    backend = "locmem.LocMemCache" if request.param == "with memo" else "dummy.DummyCache"
    settings.CACHES = {
        "default": {
            "BACKEND": f"django.core.cache.backends.{backend}",
            "LOCATION": f"kinds-{uuid.uuid4().hex}",
        }
    }
    settings.JCZX_PAGE_CACHE = False
    return request.param


@pytest.fixture
def content(columns):
    issue = IssueFactory(year=2020, number=4, total_number=43, pub_date=datetime.date(2020, 9, 1))
    entry = ArticleFactory(issue=issue, column=columns["工作动态"], title="工作动态", body="")
    item = NewsItemFactory(
        issue=issue, article=entry, date=datetime.date(2020, 7, 15), text=WENMING
    )
    person = PersonFactory(name="李正根", position="泽州县政协主席")
    article = ArticleFactory(
        issue=issue,
        column=columns["社情民意"],
        title="将我市建成山西省药茶产业高地的建议",
        body="<p>推动<strong>碳达峰碳中和</strong>是一场广泛而深刻的变革。</p>",
    )
    AuthorshipFactory(article=article, person=person)
    return {"issue": issue, "item": item, "person": person, "article": article}


def test_words_printed_only_in_news_items_find_the_items(client, content):
    item = content["item"]
    for word in ["文明城市", "督导检查", "赵树理文学馆"]:
        response = client.get("/search/", {"q": word})
        assert first_links(response) == [(f"/news/{item.pk}/", "2020年7月15日上午")], word
    html = client.get("/search/", {"q": "督导检查"}).content.decode()
    assert "工作动态（1）" in html
    assert "<mark>督导检查</mark>" in html


def test_people_are_found_by_name_and_by_position(client, content):
    person = content["person"]
    by_name = first_links(client.get("/search/", {"q": "李正根", "kind": "person"}))
    assert by_name == [(f"/people/{person.pk}/", "李正根")]
    by_position = first_links(client.get("/search/", {"q": "泽州县 主席", "kind": "person"}))
    assert by_position == [(f"/people/{person.pk}/", "李正根")]


@pytest.mark.parametrize("query", ["2020年第4期", "总第43期", "2020-4", "2020年4期", "2020/04"])
def test_issues_are_found_by_year_and_number_or_total_number(client, content, query):
    links = first_links(client.get("/search/", {"q": query}))
    assert links[0] == ("/issues/2020/4/", "《晋城政协》2020年第4期（总第43期）")


def test_issue_references_in_a_query():
    assert issue_references("2020年第4期 总第43期") == [
        IssueReference(year=2020, number=4),
        IssueReference(total_number=43),
    ]
    assert issue_references("2020-4") == [IssueReference(year=2020, number=4)]
    assert issue_references("政协 20200-4 2020-123") == []


def test_counts_per_kind_and_the_kind_filter(client, content):
    response = client.get("/search/", {"q": "政协"})
    html = response.content.decode()
    counts = dict(
        re.findall(r'">(期刊|人物|工作动态|文章) <span class="search-kind-count">(\d+)', html)
    )
    assert counts == {"期刊": "0", "人物": "1", "工作动态": "1", "文章": "0"}
    only_news = first_links(client.get("/search/", {"q": "政协", "kind": "news"}))
    assert only_news == [(f"/news/{content['item'].pk}/", "2020年7月15日上午")]


def test_filters_work_together_across_kinds(client, content, columns):
    other = IssueFactory(year=2021, number=1, total_number=44)
    NewsItemFactory(issue=other, date=datetime.date(2021, 1, 5), text="督导检查文明城市创建。")
    both = first_links(client.get("/search/", {"q": "文明城市", "kind": "news"}))
    assert len(both) == 2
    in_2021 = first_links(client.get("/search/", {"q": "文明城市", "kind": "news", "year": 2021}))
    assert [text for _, text in in_2021] == ["2021年1月5日上午"]
    # an author narrows people to that author, and news items to those naming them
    person = content["person"]
    people = first_links(client.get("/search/", {"q": "政协", "author": person.pk}))
    assert (f"/people/{person.pk}/", "李正根") in people
    assert [href for href, _ in people if href.startswith("/news/")] == []


def test_nothing_unpublished_is_found_in_any_kind(client, content):
    content["issue"].__class__.objects.filter(pk=content["issue"].pk).update(status=Status.DRAFT)
    for query in ["督导检查", "李正根", "2020年第4期", "药茶"]:
        assert first_links(client.get("/search/", {"q": query})) == [], query


def test_snippets_read_as_printed_without_spaces_around_bold(client, content):
    html = client.get("/search/", {"q": "药茶", "kind": "article"}).content.decode()
    assert "推动碳达峰碳中和是一场广泛而深刻的变革。" in html


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "nonsense"},
        {"kind": "<script>"},
        {"q": "总第99999999999期"},
        {"q": "9999-99"},
        {"q": "9999年第99期", "kind": "issue"},
        {"year": "x"},
        {"year": "-5", "kind": "news"},
        {"author": "999999999999999999999999", "kind": "person"},
        {"q": "\x00\x01", "column": "../.."},
        {"q": "政" * 5000},
    ],
)
def test_bad_values_are_ignored_not_errors(client, content, params):
    assert client.get("/search/", params).status_code == 200


def test_opensearch_description_is_linked_from_every_page(client, content):
    page = client.get("/").content.decode()
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" title="晋城政协网" '
        'href="/opensearch.xml">'
    ) in page
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
    xml = response.content.decode()
    assert "<ShortName>晋城政协网</ShortName>" in xml
    assert 'template="http://testserver/search/?q={searchTerms}"' in xml


def test_a_changed_news_item_is_found_by_its_new_words_at_once(client, content):
    item = content["item"]
    assert first_links(client.get("/search/", {"q": "督导检查"})) == [
        (f"/news/{item.pk}/", "2020年7月15日上午")
    ]
    item.text = "7月15日上午，市政协召开植树活动动员会。"
    item.save()
    assert first_links(client.get("/search/", {"q": "督导检查"})) == []
    assert first_links(client.get("/search/", {"q": "植树活动"})) == [
        (f"/news/{item.pk}/", "2020年7月15日上午")
    ]
    other = NewsItemFactory(
        issue=content["issue"], date=datetime.date(2020, 8, 1), text="8月1日，植树活动继续。"
    )
    assert [href for href, _ in first_links(client.get("/search/", {"q": "植树活动"}))] == [
        f"/news/{other.pk}/",
        f"/news/{item.pk}/",
    ]


def test_news_items_are_found_whatever_the_case_of_a_pieces_letters(client, content):
    """A piece with letters matches them in either case (search.kinds._lookup); one of
    Chinese characters and digits alone is looked for as it is, with the same results."""
    item = NewsItemFactory(
        issue=content["issue"],
        date=datetime.date(2020, 7, 20),
        text="7月20日，市政协召开5G网络建设座谈会，CPPCC Jincheng 2020年度工作要点。",
    )
    found = (f"/news/{item.pk}/", "2020年7月20日上午")
    for q in ["5g", "5G 座谈会", "cppcc", "Cppcc jincheng", "座谈会 2020", "jincheng 工作要点"]:
        assert first_links(client.get("/search/", {"q": q, "kind": "news"})) == [found], q
    for q in ["6g", "cppcc 植树", "座谈会 2021"]:
        assert first_links(client.get("/search/", {"q": q, "kind": "news"})) == [], q
