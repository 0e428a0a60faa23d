"""Other conversions of 2020年第4期 read as the digitized text does (issue #11).

:mod:`tests.issues.variants` makes, from a seed, the text another conversion of the same
print would give. Every variant must parse to what the original parses to — the same
articles, columns, kickers, titles, subtitles, authors with their titles, pages (the
misprinted 目录 number aside), bodies, continued parts and 工作动态 items — without an
error or a fault. Only the 目录 wording itself (``toc_title``) may differ: it carries
the look-alike characters the variant printed there.

Parsing is pure (no database), so the property runs over :data:`VARIANTS` seeds at the
parse level, in the PostgreSQL and the SQLite run alike; :data:`IMPORTED` of them go the
whole way through ``issue_import`` into the database and are compared as exported.
"""

import collections
import re

import pytest
from django.db import transaction

from issues.importing import parse_text
from issues.importing.interchange import issue_export
from issues.importing.service import issue_import
from issues.models import Issue

from .conftest import ISSUE_2020_4
from .variants import make_variant

VARIANTS = 200
IMPORTED = 20


@pytest.fixture(scope="module")
def column_of_line(issue_2020_4):
    """The column each line of the corpus is printed in (running heads name it)."""
    out = {}
    for article in issue_2020_4.articles:
        out.update(dict.fromkeys(article.lines, article.column))
    for item in issue_2020_4.news_items:
        out.update(dict.fromkeys(item.lines, "工作动态"))
    return out


def reading(issue):
    """What a reader gets from a parsed issue, without line numbers and 目录 wording."""
    return {
        "issue": (issue.year, issue.number, issue.total_number, issue.internal),
        "articles": [
            {
                "toc_position": a.toc_position,
                "column": a.column,
                "found": a.found,
                "kicker": a.kicker,
                "title": a.title,
                "subtitle": a.subtitle,
                "authors": [(x.name, x.title, x.role) for x in a.authors],
                "source": a.source,
                "event_date": a.event_date,
                "editors_note": a.editors_note,
                "author_note": a.author_note,
                "body": [(b.kind, b.text) for b in a.body],
                "holds_news": a.holds_news,
                "featured": a.featured,
                "continuation_pages": a.continuation_pages,
            }
            for a in issue.articles
        ],
        "news": [(n.date, n.end_date, n.part_of_day, n.text, n.people) for n in issue.news_items],
        "continuations": [
            (c.toc_position, c.printed_in, c.from_page, c.to_page, c.text)
            for c in issue.continuations
        ],
        "highlights": [(h.text, h.toc_position) for h in issue.highlights],
        "board": [(e.role, e.names) for e in issue.editorial_board],
    }


def printed_pages(issue_2020_4, misprint):
    """(start, end) page of each article as the variant's 目录 prints them."""
    pages = [[a.start_page, a.end_page] for a in issue_2020_4.articles]
    if misprint:
        position, page = misprint
        pages[position - 1][0] = page
        last = position == len(pages)  # its end page is its start page
        pages[position - 1][1] = page if last else max(page, pages[position - 1][1])
        if position > 1:
            pages[position - 2][1] = max(pages[position - 2][0], page - 1)
    return [tuple(p) for p in pages]


@pytest.mark.parametrize("seed", range(VARIANTS))
def test_a_variant_parses_as_the_original(seed, corpus_text, issue_2020_4, column_of_line):
    variant = make_variant(corpus_text, seed, column_of_line)
    parsed = parse_text(variant.text, f"variant-{seed}.md")
    assert (parsed.errors, parsed.faults) == ([], []), variant
    assert reading(parsed) == reading(issue_2020_4), variant
    pages = [(a.start_page, a.end_page) for a in parsed.articles]
    assert pages == printed_pages(issue_2020_4, variant.misprint), variant


# A page number or running head with text on the line above and below.
GLUED = re.compile(
    r"[^\n]\n(?:· \S{1,2} ·|— \S{1,2} —|\S{1,2} 晋城政协|晋城政协 2020年第4期)\n[^\n]"
)


def test_the_variants_cover_every_kind_of_change(corpus_text, column_of_line):
    """The property is only as good as the variety: each change the issue lists occurs
    in many of the seeds above."""
    seen = collections.Counter()
    for seed in range(VARIANTS):
        variant = make_variant(corpus_text, seed, column_of_line)
        text = variant.text
        seen["crlf"] += "\r\n" in text
        seen["misprint"] += variant.misprint is not None
        seen["dot leaders"] += "……４９" in text or "……49" in text
        seen["page number first"] += bool(re.search(r"^(?:- )?1 习近平", text, re.M))
        seen["full-width pages"] += "４９" in text
        seen["3-line 目录 title"] += bool(re.search(r"\n关于制\S*\n\S+\n\S*的说明", text))
        seen["re-wrapped body"] += bool(
            re.search(r"\n新华社北京7月21日电 中共中\S{1,30}\r?\n", text)
        )
        seen["· n ·"] += bool(re.search(r"^· \S{1,2} ·\r?$", text, re.M))
        seen["— n —"] += bool(re.search(r"^— \S{1,2} —\r?$", text, re.M))
        seen["晋城政协 2020年第4期"] += "\n晋城政协 2020年第4期" in text
        seen["n 晋城政协"] += bool(re.search(r"^[0-9０-９]{1,2} 晋城政协\r?$", text, re.M))
        seen["column head"] += bool(re.search(r"^会议专题\r?$", text, re.M))
        seen["blank lines added"] += "\n\n\n\n" in text.replace("\r", "")
        seen["glued furniture"] += bool(GLUED.search(text.replace("\r", "")))
        toc = text[text.index("# 目录") : text.index("习近平主持召开企业家座谈会强调")]
        for look_alike in ("药荼", "入民", "会议土"):
            seen[look_alike] += look_alike in toc.replace("\r\n", "")
    assert min(seen.values()) >= VARIANTS // 20, seen


@pytest.fixture(scope="module")
def original_export(django_db_setup, django_db_blocker):
    """2020年第4期 as imported from the digitized text, exported (then rolled back)."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert issue_import(path=ISSUE_2020_4).outcome == "created"
        document = comparable(issue_export(issue=Issue.objects.get()))
        transaction.set_rollback(True)
    return document


def comparable(document):
    document["issue"].pop("url")
    for article in document["articles"]:
        for key in ("url", "toc_title", "page", "end_page"):
            article.pop(key)
    return document


@pytest.mark.django_db
@pytest.mark.usefixtures("quick_index")
@pytest.mark.parametrize("seed", range(IMPORTED))
def test_a_variant_imports_as_the_original(
    seed, tmp_path, corpus_text, issue_2020_4, column_of_line, original_export
):
    variant = make_variant(corpus_text, seed, column_of_line)
    path = tmp_path / f"variant-{seed}.md"
    path.write_bytes(variant.text.encode())
    result = issue_import(path=path)
    assert result.outcome == "created", (result.problems, str(variant))
    issue = Issue.objects.get()
    assert comparable(issue_export(issue=issue)) == original_export, variant
    pages = list(issue.articles.order_by("toc_position").values_list("start_page", "end_page"))
    assert pages == printed_pages(issue_2020_4, variant.misprint)
