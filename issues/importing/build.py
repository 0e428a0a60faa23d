"""Step 8: save an interchange document as model objects, in one transaction.

Saving never parses: it takes a checked ``jczx-issue`` document (from a digitized text
or a JSON file) and writes the issue, its 编委会, articles with bylines, 本期导读 and
工作动态 — all of it or, on any error, nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from articles.models import Article, Authorship, Column, Highlight, NewsItem
from articles.search import indexing_deferred
from issues.models import Issue, MastheadEntry, Visibility
from jczx.publishing import Status
from members.models import Person


class SaveRefused(Exception):
    """The document cannot be saved as it stands (the issue exists, 总期号 taken)."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def people_by_name(names: list[str]) -> dict[str, Person]:
    """People found by exact name, created when missing. Where two people share a
    name, the earliest record is used (the admin's merge action sorts duplicates out)."""
    wanted = list(dict.fromkeys(n for n in names if n))
    found: dict[str, Person] = {}
    for person in Person.objects.filter(name__in=wanted).order_by("pk"):
        found.setdefault(person.name, person)
    missing = [Person(name=n) for n in wanted if n not in found]
    for person in Person.objects.bulk_create(missing):
        found[person.name] = person
    return found


def columns_by_name(names: list[str]) -> tuple[dict[str, Column], list[str]]:
    """Columns by name; a column the magazine has not had before is created at the end
    of the list, its 网址名 the pinyin of its name (委员风采 → weiyuanfengcai, see
    ``Column.fill_slug``), for an editor to change if they like."""
    wanted = list(dict.fromkeys(names))
    found = {c.name: c for c in Column.objects.filter(name__in=wanted)}
    created = []
    position = Column.objects.aggregate(m=Max("position"))["m"] or 0
    for name in wanted:
        if name in found:
            continue
        position += 1
        found[name] = Column.objects.create(name=name, position=position)
        created.append(name)
    return found, created


@transaction.atomic
@indexing_deferred()  # each article indexed for search once, when its bylines exist
def issue_save(
    *, document: dict[str, Any], status: str = Status.PUBLISHED, replace: bool = False
) -> Issue:
    """Write ``document`` (already checked) to the database; all or nothing."""
    data = document["issue"]
    year, number, total = data["year"], data["number"], data["total_number"]
    existing = Issue.objects.filter(year=year, number=number).first()
    if existing is not None:
        if not replace:
            raise SaveRefused(f"{existing}已经存在")
        existing.delete()
    clash = Issue.objects.filter(total_number=total).first()
    if clash is not None:
        raise SaveRefused(f"总第{total}期已用于{clash}")

    now = timezone.now()
    published_at = now if status == Status.PUBLISHED else None
    issue = Issue.objects.create(
        year=year,
        number=number,
        total_number=total,
        pub_date=_date(data.get("pub_date")),
        visibility=data.get("visibility") or Visibility.PUBLIC,
        host=data.get("host", ""),
        address=data.get("address", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        postcode=data.get("postcode", ""),
        website=data.get("website", ""),
        status=status,
        published_at=published_at,
    )

    articles_data = document["articles"]
    news_data = document["news_items"]
    board = data.get("editorial_board", [])
    people = people_by_name(
        [m["name"] for m in board]
        + [a["name"] for art in articles_data for a in art.get("authors", [])]
        + [name for item in news_data for name in item.get("people", [])]
    )
    seats = list(dict.fromkeys((m["role"], m["name"]) for m in board))
    MastheadEntry.objects.bulk_create(
        MastheadEntry(issue=issue, role=role, person=people[name], position=k)
        for k, (role, name) in enumerate(seats, start=1)
    )

    columns, _ = columns_by_name([a["column"] for a in articles_data])
    # Articles and bylines are created in bulk (bulk_create_with_history keeps the history
    # rows); their search index is written once per article when issue_save returns.
    articles = bulk_create_with_history(
        [
            Article(
                issue=issue,
                column=columns[a["column"]],
                toc_position=a["toc_position"],
                kicker=a.get("kicker", ""),
                title=a["title"],
                subtitle=a.get("subtitle", ""),
                toc_title=a.get("toc_title", ""),
                source=a.get("source", ""),
                event_date=_date(a.get("event_date")),
                editors_note=a.get("editors_note", ""),
                body=a.get("body", ""),
                author_note=a.get("author_note", ""),
                start_page=a["page"],
                end_page=a.get("end_page") or a["page"],
                continuation_pages=a.get("continuation_pages", []),
                status=status,
                published_at=published_at,
            )
            for a in articles_data
        ],
        Article,
    )
    by_position = {a.toc_position: a for a in articles}

    bylines = []
    for a in articles_data:
        seen = set()
        for k, author in enumerate(a.get("authors", []), start=1):
            if author["name"] in seen:
                continue
            seen.add(author["name"])
            bylines.append(
                Authorship(
                    article=by_position[a["toc_position"]],
                    person=people[author["name"]],
                    byline_title=author.get("title", ""),
                    role=author.get("role") or Authorship.Role.AUTHOR,
                    position=k,
                )
            )
    Authorship.objects.bulk_create(bylines)

    highlights = list(data.get("highlights", []))
    pointed = {h["article"] for h in highlights}
    highlights += [
        {"text": "", "article": a["toc_position"]}
        for a in articles_data
        if a.get("featured") and a["toc_position"] not in pointed
    ]
    Highlight.objects.bulk_create(
        Highlight(
            issue=issue, article=by_position[h["article"]], text=h.get("text", ""), position=k
        )
        for k, h in enumerate(highlights, start=1)
    )

    items = NewsItem.objects.bulk_create(
        NewsItem(
            issue=issue,
            article=by_position.get(item.get("article")),
            date=_date(item["date"]),
            end_date=_date(item.get("end_date")),
            part_of_day=item.get("part_of_day", ""),
            text=item["text"],
            position=k,
        )
        for k, item in enumerate(news_data, start=1)
    )
    Through = NewsItem.people.through
    Through.objects.bulk_create(
        Through(newsitem_id=obj.pk, person_id=people[name].pk)
        for obj, item in zip(items, news_data, strict=True)
        for name in dict.fromkeys(item.get("people", []))
    )
    return issue
