"""What the search page finds besides articles: 工作动态 items, people and issues.

These tables are small (hundreds to a few thousand rows) and their text short, so each
piece of the query is looked for as a substring (``icontains``) on PostgreSQL and SQLite
alike: every piece must appear (AND), as for articles. Each function narrows a QuerySet
the caller built from ``visible_to()`` (or ``with_visible_content()`` for people): the
visibility rule stays in workflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db import connections
from django.db.models import Q

from .fulltext import ParsedQuery, id_array, with_ids
from .memo import remember

# 2020年第4期, 2020年4期, 2020 年 第 4 期; 2020-4, 2020/04, 2020.4; 总第43期, 总43期.
_YEAR_NUMBER = re.compile(r"(?<!\d)(\d{4})\s*(?:年\s*第?\s*(\d{1,2})\s*期|[-/.](\d{1,2}))(?!\d)")
_TOTAL = re.compile(r"总\s*第?\s*(\d{1,6})\s*期")


@dataclass(frozen=True)
class IssueReference:
    """An issue named in the query: by year and number, or by its total number."""

    year: int | None = None
    number: int | None = None
    total_number: int | None = None

    def as_q(self) -> Q:
        if self.total_number is not None:
            return Q(total_number=self.total_number)
        return Q(year=self.year, number=self.number)


def issue_references(text: str) -> list[IssueReference]:
    """The issues ``text`` names: 2020年第4期, 2020-4, 总第43期 (each at most once)."""
    found = []
    for match in _YEAR_NUMBER.finditer(text):
        number = match.group(2) or match.group(3)
        found.append(IssueReference(year=int(match.group(1)), number=int(number)))
    for match in _TOTAL.finditer(text):
        found.append(IssueReference(total_number=int(match.group(1))))
    return list(dict.fromkeys(found))


def search_issues(queryset, text: str):
    """``queryset`` narrowed to the issues ``text`` names, newest first; none if it
    names none."""
    references = issue_references(text)
    if not references:
        return queryset.none()
    return queryset.filter(reduce(lambda a, b: a | b, (r.as_q() for r in references))).order_by(
        "-year", "-number"
    )


def _every_piece(query: ParsedQuery, *fields: str) -> Q:
    """Each piece of the query in one of ``fields``, whatever its letters' case."""
    return reduce(
        and_,
        (
            reduce(
                lambda a, b: a | b,
                (Q(**{f"{field}__{_lookup(t.text)}": t.text}) for field in fields),
            )
            for t in query.terms
        ),
    )


def _lookup(piece: str) -> str:
    """``contains`` for a piece without letters that have a case (政协, 2020), which
    finds exactly what ``icontains`` finds; ``icontains`` otherwise (5G, CPPCC).
    ``icontains`` on PostgreSQL is ``UPPER(text) LIKE UPPER(…)``: upper-casing every
    item's text made a scan of 20,000 工作动态 items three times slower (60–75 ms
    against 11–30 ms), and a Chinese piece has nothing to upper-case."""
    return "icontains" if piece.upper() != piece or piece.lower() != piece else "contains"


def search_news(queryset, query: ParsedQuery):
    """工作动态 items whose text holds every piece, newest first."""
    if not query:
        return queryset.none()
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(_every_piece(query, "text")).latest_first()
    # With the memo (search.memo): the items holding every piece, whatever their state,
    # found once per content generation (a scan of every item's text took 60-150 ms for
    # 20,000 items, twice per page: the count and the first few); visibility is still
    # the caller's QuerySet's.
    every_item = queryset.model._base_manager.using(queryset.db).order_by()

    def find():
        found = every_item.filter(_every_piece(query, "text")).values_list("pk")
        return id_array(*found.query.sql_with_params(), queryset.db)

    ids = remember("search-news", "\0".join(t.text for t in query.terms), find)
    return with_ids(queryset, ids).latest_first()


def search_people(queryset, query: ParsedQuery):
    """People whose name or 现任职务 holds every piece (李正根; 泽州县政协主席)."""
    if not query:
        return queryset.none()
    return queryset.filter(_every_piece(query, "name", "position")).order_by("name", "pk")
