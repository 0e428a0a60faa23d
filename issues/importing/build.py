"""Step 8: save an interchange document as model objects, in one transaction.

Saving never parses: it takes a checked ``jczx-issue`` document (from a digitized text
or a JSON file) and writes the issue, its 编委会, articles with bylines, 本期导读 and
工作动态 — all of it or, on any error, nothing.

Replacing an issue that exists (:func:`issue_replace`) rewrites what the file carries
and keeps what it does not: the issue row and its 封面, PDF, 公开范围, 出版日期 and
流程记录; the articles matched by 目录 position keep their ids (admin addresses, history,
流程记录), those the file no longer has are deleted, new ones created. Bylines, 编委会,
本期导读 and 工作动态 are replaced as the file says. Publication states: see
:func:`issue_replace`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from articles.indexing import indexing_deferred
from articles.models import Article, Authorship, Column, Highlight, NewsItem
from issues.models import Issue, MastheadEntry, Visibility
from members.models import Person
from workflow.models import Status


class SaveRefused(Exception):
    """The document cannot be saved as it stands (the issue exists, 总期号 taken)."""


@dataclass
class Replacement:
    """What :func:`issue_replace` did, for the workflow record and the command's output."""

    issue: Issue
    from_status: str  # the issue's state before
    # Articles kept (same id) and rewritten, each with its state before; and those the
    # file has exactly as they were (untouched: no history row, no version bump).
    rewritten: list[tuple[Article, str]] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    added: list[Article] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # 目录第13条《…》

    def summary(self) -> str:
        """保留文章 12 篇，其中改动 1 篇；新增 0 篇，删除 1 篇：目录第13条《…》"""
        kept = len(self.rewritten) + len(self.unchanged)
        counts = (kept, len(self.rewritten), len(self.added), len(self.removed))
        out = "保留文章 {} 篇，其中改动 {} 篇；新增 {} 篇，删除 {} 篇".format(*counts)
        return out + (f"：{'、'.join(self.removed)}" if self.removed else "")


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
    for person in bulk_create_with_history(missing, Person):
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


# Issue fields the file carries and a replacement rewrites. Not here: 公开范围 and 出版日期
# (editors' settings, interchange.WORKFLOW_ISSUE_KEYS), 封面 and PDF (uploads).
CONTACT_FIELDS = ("host", "address", "email", "phone", "postcode", "website")
# Article fields the file carries (all but the state, publication time and version).
ARTICLE_FIELDS = (
    "column",
    "kicker",
    "title",
    "subtitle",
    "toc_title",
    "source",
    "event_date",
    "editors_note",
    "body",
    "author_note",
    "start_page",
    "end_page",
    "continuation_pages",
)


def _article_values(a: dict[str, Any], columns: dict[str, Column]) -> dict[str, Any]:
    return {
        "column": columns[a["column"]],
        "kicker": a.get("kicker", ""),
        "title": a["title"],
        "subtitle": a.get("subtitle", ""),
        "toc_title": a.get("toc_title", ""),
        "source": a.get("source", ""),
        "event_date": _date(a.get("event_date")),
        "editors_note": a.get("editors_note", ""),
        "body": a.get("body", ""),
        "author_note": a.get("author_note", ""),
        "start_page": a["page"],
        "end_page": a.get("end_page") or a["page"],
        "continuation_pages": a.get("continuation_pages", []),
    }


def _people(document: dict[str, Any]) -> dict[str, Person]:
    board = document["issue"].get("editorial_board", [])
    return people_by_name(
        [m["name"] for m in board]
        + [a["name"] for art in document["articles"] for a in art.get("authors", [])]
        + [name for item in document["news_items"] for name in item.get("people", [])]
    )


def _clash(total: int, issue: Issue | None) -> None:
    clash = Issue.objects.filter(total_number=total)
    if issue is not None:
        clash = clash.exclude(pk=issue.pk)
    other = clash.first()
    if other is not None:
        raise SaveRefused(f"总第{total}期已用于{other}")


@transaction.atomic
@indexing_deferred()  # each article indexed for search once, when its bylines exist
def issue_save(
    *,
    document: dict[str, Any],
    status: str | None = None,
    replace: bool = False,
    visibility: str | None = None,
    by=None,
    source: str = "",
) -> Issue:
    """Write ``document`` (already checked) to the database; all or nothing.

    A new issue gets ``status`` (default 已发布) and the 公开范围 ``visibility`` or the
    document's. An issue that exists is refused unless ``replace``; then see
    :func:`issue_replace`. ``by`` and ``source`` (the file name) go into the history."""
    data = document["issue"]
    existing = Issue.objects.filter(year=data["year"], number=data["number"]).first()
    if existing is not None:
        if not replace:
            raise SaveRefused(f"{existing}已经存在")
        return issue_replace(
            issue=existing,
            document=document,
            status=status,
            visibility=visibility,
            by=by,
            source=source,
        ).issue
    _clash(data["total_number"], None)

    status = status or Status.PUBLISHED
    reason = f"导入：{source}" if source else "导入"
    published_at = timezone.now() if status == Status.PUBLISHED else None
    issue = Issue(
        year=data["year"],
        number=data["number"],
        total_number=data["total_number"],
        pub_date=_date(data.get("pub_date")),
        visibility=visibility or data.get("visibility") or Visibility.PUBLIC,
        **{name: data.get(name, "") for name in CONTACT_FIELDS},
        status=status,
        published_at=published_at,
    )
    if by is not None:
        issue._history_user = by
    issue._change_reason = reason
    issue.save()

    people = _people(document)
    columns, _ = columns_by_name([a["column"] for a in document["articles"]])
    # Everything is created in bulk; bulk_create_with_history writes the history rows of
    # what has one (people, articles, 本期导读, 工作动态). The articles' search index is
    # written once per article when issue_save returns.
    articles = bulk_create_with_history(
        [
            Article(
                issue=issue,
                toc_position=a["toc_position"],
                **_article_values(a, columns),
                status=status,
                published_at=published_at,
            )
            for a in document["articles"]
        ],
        Article,
        default_user=by,
        default_change_reason=reason,
    )
    _save_parts(issue, document, {a.toc_position: a for a in articles}, people)
    return issue


@transaction.atomic
@indexing_deferred()
def issue_replace(
    *,
    issue: Issue,
    document: dict[str, Any],
    status: str | None = None,
    visibility: str | None = None,
    by=None,
    source: str = "",
) -> Replacement:
    """Rewrite ``issue`` in place from ``document`` (the same year and number); all or
    nothing. What is kept and what is replaced: see the module's docstring.

    States. ``status`` given: the issue and its articles end in it, as a new import
    would, except that an article an editor withdrew (已撤回) stays withdrawn, and an
    issue or article that was already 已发布 and stays so keeps its publication time (a
    scheduled issue stays scheduled). ``status=None`` keeps every state as it is (new
    articles are 草稿). Who may do which is decided before, by the caller
    (``issue_import_permitted``; the importer refuses ``None`` for a published issue).

    Articles the file has exactly as they are (text, bylines, state) are left alone. The
    issue's version and those of the articles rewritten are bumped, so an editor who
    opened one of them before gets a conflict instead of saving over the replacement;
    history rows name ``by`` and the file."""
    data = document["issue"]
    locked = Issue.objects.select_for_update().filter(pk=issue.pk).first()
    if locked is None:
        raise SaveRefused(f"{issue}已被删除")
    issue = locked
    if (issue.year, issue.number) != (data["year"], data["number"]):
        raise SaveRefused(f"文件是{data['year']}年第{data['number']}期，不是{issue}")
    _clash(data["total_number"], issue)

    now = timezone.now()
    reason = f"以导入文件替换：{source}" if source else "以导入文件替换"
    done = Replacement(issue=issue, from_status=issue.status)
    if status is not None:
        if status == Status.PUBLISHED and not (
            issue.status == Status.PUBLISHED and issue.published_at
        ):
            issue.published_at = now
        issue.status = status
    issue.total_number = data["total_number"]
    issue.pub_date = issue.pub_date or _date(data.get("pub_date"))
    if visibility:
        issue.visibility = visibility
    for name in CONTACT_FIELDS:
        setattr(issue, name, data.get(name, ""))
    issue.version += 1
    if by is not None:
        issue._history_user = by
    issue._change_reason = reason
    issue.save()

    # What is replaced wholesale goes first (工作动态 and 本期导读 point at articles).
    NewsItem.objects.filter(issue=issue).delete()
    Highlight.objects.filter(issue=issue).delete()
    MastheadEntry.objects.filter(issue=issue).delete()

    people = _people(document)
    columns, _ = columns_by_name([a["column"] for a in document["articles"]])
    old = {
        a.toc_position: a
        for a in issue.articles.select_for_update()
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person").order_by("position", "pk"),
            )
        )
        .order_by("pk")
    }
    new_bylines = []  # the articles whose bylines are rewritten
    for a in document["articles"]:
        values = _article_values(a, columns)
        article = old.pop(a["toc_position"], None)
        if article is None:
            new_status = status or Status.DRAFT
            done.added.append(
                Article(
                    issue=issue,
                    toc_position=a["toc_position"],
                    **values,
                    status=new_status,
                    published_at=issue.published_at if new_status == Status.PUBLISHED else None,
                )
            )
            continue
        before = (article.status, article.published_at)
        if status is not None and article.status != Status.WITHDRAWN:
            if status == Status.PUBLISHED and article.status != Status.PUBLISHED:
                article.published_at = issue.published_at
            article.status = status
        bylines_differ = _bylines(a) != [
            (s.person.name, s.byline_title, s.role, s.position) for s in article.authorships.all()
        ]
        if (
            not bylines_differ
            and (article.status, article.published_at) == before
            and not _differs(article, values)
        ):
            done.unchanged.append(article)
            continue
        done.rewritten.append((article, before[0]))
        if bylines_differ:
            new_bylines.append(article)
        for name, value in values.items():
            setattr(article, name, value)
        article.version += 1
        article.updated_at = now

    rewritten = [article for article, _ in done.rewritten]
    bulk_update_with_history(
        rewritten,
        Article,
        [*ARTICLE_FIELDS, "status", "published_at", "version", "updated_at"],
        default_user=by,
        default_change_reason=reason,
    )
    Authorship.objects.filter(article__in=new_bylines).delete()
    for article in sorted(old.values(), key=lambda x: x.toc_position):
        done.removed.append(f"目录第{article.toc_position}条《{article.title}》")
        if by is not None:
            article._history_user = by
        article._change_reason = reason
        article.delete()
    done.added = bulk_create_with_history(
        done.added, Article, default_user=by, default_change_reason=reason
    )
    by_position = {a.toc_position: a for a in [*rewritten, *done.unchanged, *done.added]}
    _save_parts(
        issue,
        document,
        by_position,
        people,
        bylines_for={a.toc_position for a in [*new_bylines, *done.added]},
    )
    return done


def _differs(article: Article, values: dict[str, Any]) -> bool:
    """Whether writing ``values`` would change ``article``."""
    for name, value in values.items():
        if name == "column":
            if article.column_id != value.pk:
                return True
        elif getattr(article, name) != value:
            return True
    return False


def _bylines(a: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    """An article's bylines in the document as (name, title, role, position), a name
    once (a name printed twice in a byline is one person)."""
    out, seen = [], set()
    for k, author in enumerate(a.get("authors", []), start=1):
        if author["name"] in seen:
            continue
        seen.add(author["name"])
        role = author.get("role") or Authorship.Role.AUTHOR
        out.append((author["name"], author.get("title", ""), role, k))
    return out


def _save_parts(
    issue: Issue,
    document: dict[str, Any],
    by_position: dict[int, Article],
    people: dict[str, Person],
    *,
    bylines_for: set[int] | None = None,
) -> None:
    """编委会, bylines (of the articles at ``bylines_for``, default all), 本期导读 and
    工作动态 of a saved issue's articles, in bulk."""
    data = document["issue"]
    articles_data = document["articles"]
    news_data = document["news_items"]
    seats = list(dict.fromkeys((m["role"], m["name"]) for m in data.get("editorial_board", [])))
    MastheadEntry.objects.bulk_create(
        MastheadEntry(issue=issue, role=role, person=people[name], position=k)
        for k, (role, name) in enumerate(seats, start=1)
    )

    Authorship.objects.bulk_create(
        Authorship(
            article=by_position[a["toc_position"]],
            person=people[name],
            byline_title=title,
            role=role,
            position=k,
        )
        for a in articles_data
        if bylines_for is None or a["toc_position"] in bylines_for
        for name, title, role, k in _bylines(a)
    )

    highlights = list(data.get("highlights", []))
    pointed = {h["article"] for h in highlights}
    highlights += [
        {"text": "", "article": a["toc_position"]}
        for a in articles_data
        if a.get("featured") and a["toc_position"] not in pointed
    ]
    bulk_create_with_history(
        [
            Highlight(
                issue=issue, article=by_position[h["article"]], text=h.get("text", ""), position=k
            )
            for k, h in enumerate(highlights, start=1)
        ],
        Highlight,
    )

    items = bulk_create_with_history(
        [
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
        ],
        NewsItem,
    )
    Through = NewsItem.people.through
    Through.objects.bulk_create(
        Through(newsitem_id=obj.pk, person_id=people[name].pk)
        for obj, item in zip(items, news_data, strict=True)
        for name in dict.fromkeys(item.get("people", []))
    )
