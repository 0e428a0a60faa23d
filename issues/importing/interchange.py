"""The JSON interchange format ``jczx-issue`` (docs/interchange.md).

Every import goes through a document of this shape: a digitized text is parsed and
turned into one (:func:`document_from_parsed`, pure), a JSON file is read and checked
against the schema shipped beside this module, jczx-issue.schema.json (:func:`load`),
and :mod:`.build` saves either.
:func:`issue_export` writes the same shape back from the database, so
export → import → export gives the same JSON.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from jsonschema import Draft202012Validator, ValidationError

from articles.models import Authorship
from richtext.fields import sanitize_html

from .document import (
    HEADING,
    SPEAKER,
    SPEECH_HEADING,
    ParsedArticle,
    ParsedIssue,
    ParseError,
    Problem,
)
from .source import read

FORMAT = "jczx-issue"
VERSION = 1
# Shipped inside the package (docs/jczx-issue.schema.json links to it), so a deploy
# needs no docs/ folder.
SCHEMA_PATH = files(__package__) / "jczx-issue.schema.json"

# Fields that describe where an object lives on the site, not what the issue says;
# written on export, ignored on import and when comparing.
DERIVED_KEYS = frozenset({"url"})
# Publication settings an editor may change after an import; a re-import that differs
# only in these is "unchanged".
WORKFLOW_ISSUE_KEYS = frozenset({"visibility", "pub_date"})


# ---------------------------------------------------------------- from a parse


def body_html(blocks) -> str:
    """Body blocks → the HTML the site stores (sanitized by the project's one sanitizer).

    A 发言摘编's speeches get ``<h3>`` and ``<p class="speaker">``; numbered headings are
    ``<h3>``, or ``<h4>`` inside speeches."""
    speeches = any(b.kind == SPEECH_HEADING for b in blocks)
    parts = []
    for block in blocks:
        text = html.escape(block.text, quote=False)
        if block.kind == SPEECH_HEADING:
            parts.append(f"<h3>{text}</h3>")
        elif block.kind == HEADING:
            parts.append(f"<h4>{text}</h4>" if speeches else f"<h3>{text}</h3>")
        elif block.kind == SPEAKER:
            parts.append(f'<p class="speaker">{text}</p>')
        else:
            parts.append(f"<p>{text}</p>")
    return sanitize_html("\n".join(parts))


def paragraph_html(text: str) -> str:
    return sanitize_html(f"<p>{html.escape(text, quote=False)}</p>") if text else ""


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def article_document(article: ParsedArticle) -> dict[str, Any]:
    return {
        "toc_position": article.toc_position,
        "column": article.column,
        "page": article.start_page,
        "end_page": article.end_page,
        "continuation_pages": list(article.continuation_pages),
        # The model keeps the TOC wording only where it differs from the headline.
        "toc_title": article.toc_title if article.toc_title != article.title else "",
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "source": article.source,
        "event_date": _date(article.event_date),
        "featured": article.featured,
        "authors": [{"name": a.name, "title": a.title, "role": a.role} for a in article.authors],
        "editors_note": paragraph_html(article.editors_note),
        "body": body_html(article.body),
        "author_note": article.author_note,
    }


def document_from_parsed(parsed: ParsedIssue) -> dict[str, Any]:
    """The interchange document of a parsed issue. Articles whose body was not found
    are left out (the caller decides whether that is acceptable)."""
    articles = parsed.found_articles
    kept = {a.toc_position for a in articles}
    news_article = next((a.toc_position for a in articles if a.holds_news), None)
    c = parsed.contact
    return {
        "format": FORMAT,
        "version": VERSION,
        "issue": {
            "year": parsed.year,
            "number": parsed.number,
            "total_number": parsed.total_number,
            "pub_date": None,
            "visibility": "internal" if parsed.internal else "public",
            "host": c.host,
            "address": c.address,
            "email": c.email,
            "phone": c.phone,
            "postcode": c.postcode,
            "website": c.website,
            "editorial_board": [
                {"role": entry.role, "name": name}
                for entry in parsed.editorial_board
                for name in entry.names
            ],
            "highlights": [
                {"text": h.text, "article": h.toc_position}
                for h in parsed.highlights
                if h.toc_position in kept
            ],
        },
        "articles": [article_document(a) for a in articles],
        "news_items": [
            {
                "date": _date(item.date),
                "end_date": _date(item.end_date),
                "part_of_day": item.part_of_day,
                "text": item.text,
                "people": list(item.people),
                "article": news_article,
            }
            for item in parsed.news_items
            if item.date is not None
        ],
    }


# ---------------------------------------------------------------- reading and checking


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def load(path: str | Path) -> dict[str, Any]:
    """Read and check a JSON interchange file; ParseError with file and line if wrong."""
    text = read(path)  # the same UTF-8 / empty-file checks as for digitized text
    file = str(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(Problem(file, exc.lineno, f"JSON 格式错误：{exc.msg}")) from None
    problems = validate(document, file)
    if problems:
        raise ParseError(problems)
    return document


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def validate(document: Any, file: str = "<json>") -> list[Problem]:
    """Check a document against the schema (jsonschema), then the rules a schema cannot
    say (unique 目录序号, pages ascending, references to articles that exist, real
    dates). Each problem names the field's place, ``$.articles[3].title``, in Chinese."""
    errors = sorted(_validator().iter_errors(document), key=_document_order)
    messages = list(dict.fromkeys(m for error in errors for m in _messages(error)))
    if not messages:
        messages += _cross_checks(document)
    return [Problem(file, 0, m) for m in messages[:20]]


def _document_order(error: ValidationError):
    # A place's parent sorts before it; items by index, fields by name.
    return [(isinstance(step, str), step) for step in error.absolute_path]


_TYPE_NAMES = {
    "object": "对象",
    "array": "数组",
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "true/false",
    "null": "null",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _messages(error: ValidationError) -> list[str]:
    """jsonschema's error as the reader's message(s): its place, then what is wrong."""
    path, value, expected = error.json_path, error.instance, error.validator_value
    match error.validator:
        case "const":
            return [f"{path}：应为 {_json(expected)}"]
        case "enum":
            return [f"{path}：应为 {'、'.join(_json(v) for v in expected)} 之一"]
        case "type":
            wanted = "或".join(_TYPE_NAMES[t] for t in _as_list(expected))
            return [f"{path}：应为{wanted}，实为 {_json(value)[:30]}"]
        case "minLength":
            return [f"{path}：不能为空" if not value else f"{path}：太短"]
        case "maxLength":
            return [f"{path}：超过 {expected} 个字符"]
        case "pattern":
            return [f"{path}：格式不对（“{value[:20]}”）"]
        case "minimum":
            return [f"{path}：不能小于 {expected}"]
        case "maximum":
            return [f"{path}：不能大于 {expected}"]
        case "required":
            return [f"{path}：缺少 {key}" for key in expected if key not in value]
        case "additionalProperties":
            known = error.schema.get("properties", {})
            return [f"{path}：不认识的字段 {key}" for key in value if key not in known]
    # A keyword the schema may use one day: its place, and jsonschema's own words.
    return [f"{path}：不符合格式要求（{error.validator}：{error.message}）"]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _cross_checks(document: dict[str, Any]) -> list[str]:
    out = []
    positions = [a["toc_position"] for a in document["articles"]]
    if len(set(positions)) != len(positions):
        out.append("articles：目录序号 toc_position 有重复")
    known = set(positions)
    for i, a in enumerate(document["articles"]):
        if a.get("end_page", a["page"]) < a["page"]:
            out.append(f"articles[{i}]：结束页 {a['end_page']} 早于起始页 {a['page']}")
        if a.get("event_date"):
            out += _real_date(a["event_date"], f"articles[{i}].event_date")
    for i, h in enumerate(document["issue"].get("highlights", [])):
        if h["article"] not in known:
            out.append(f"issue.highlights[{i}]：没有目录序号为 {h['article']} 的文章")
    if document["issue"].get("pub_date"):
        out += _real_date(document["issue"]["pub_date"], "issue.pub_date")
    for i, item in enumerate(document["news_items"]):
        out += _real_date(item["date"], f"news_items[{i}].date")
        if item.get("end_date"):
            out += _real_date(item["end_date"], f"news_items[{i}].end_date")
            if item["end_date"] < item["date"]:
                out.append(f"news_items[{i}]：结束日期早于开始日期")
        if item.get("article") is not None and item["article"] not in known:
            out.append(f"news_items[{i}].article：没有目录序号为 {item['article']} 的文章")
    return out


def _real_date(value: str, path: str) -> list[str]:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return [f"{path}：不是有效日期（{value}）"]
    return []


# ---------------------------------------------------------------- from the database


def issue_export(*, issue) -> dict[str, Any]:
    """The interchange document of a saved issue (five queries)."""
    articles = list(
        issue.articles.select_related("column")
        .prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person").order_by("position", "pk"),
            ),
            "highlights",
        )
        .order_by("toc_position")
    )
    by_pk = {a.pk: a.toc_position for a in articles}
    masthead = issue.masthead.select_related("person").order_by("position", "pk")
    highlights = issue.highlights.order_by("position", "pk")
    news = issue.news_items.prefetch_related("people").order_by("position", "pk")
    return {
        "format": FORMAT,
        "version": VERSION,
        "issue": {
            "year": issue.year,
            "number": issue.number,
            "total_number": issue.total_number,
            "pub_date": _date(issue.pub_date),
            "visibility": issue.visibility,
            "host": issue.host,
            "address": issue.address,
            "email": issue.email,
            "phone": issue.phone,
            "postcode": issue.postcode,
            "website": issue.website,
            "editorial_board": [{"role": m.role, "name": m.person.name} for m in masthead],
            "highlights": [{"text": h.text, "article": by_pk[h.article_id]} for h in highlights],
            "url": issue.get_absolute_url(),
        },
        "articles": [
            {
                "toc_position": a.toc_position,
                "column": a.column.name,
                "page": a.start_page,
                "end_page": a.end_page,
                "continuation_pages": list(a.continuation_pages or []),
                "toc_title": a.toc_title,
                "kicker": a.kicker,
                "title": a.title,
                "subtitle": a.subtitle,
                "source": a.source,
                "event_date": _date(a.event_date),
                "featured": bool(a.highlights.all()),
                "authors": [
                    {"name": s.person.name, "title": s.byline_title, "role": s.role}
                    for s in a.authorships.all()
                ],
                "editors_note": a.editors_note,
                "body": a.body,
                "author_note": a.author_note,
                "url": a.get_absolute_url(),
            }
            for a in articles
        ],
        "news_items": [
            {
                "date": _date(n.date),
                "end_date": _date(n.end_date),
                "part_of_day": n.part_of_day,
                "text": n.text,
                "people": sorted((p.name for p in n.people.all()), key=_name_order(n.text)),
                "article": by_pk.get(n.article_id),
            }
            for n in news
        ],
    }


def _name_order(text: str):
    """People of a news item in the order the text names them (a many-to-many keeps
    no order)."""
    return lambda name: (text.find(name) if name in text else len(text), name)


# ---------------------------------------------------------------- comparing


def content(document: dict[str, Any]) -> dict[str, Any]:
    """What an issue says, without site addresses and publication settings."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in DERIVED_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    out = strip(document)
    out["issue"] = {k: v for k, v in out["issue"].items() if k not in WORKFLOW_ISSUE_KEYS}
    # The flag is derived from the highlights; older files may omit it.
    featured = {h["article"] for h in out["issue"].get("highlights", [])}
    for article in out["articles"]:
        article["featured"] = article["toc_position"] in featured or article.get("featured", False)
    return out


def differences(old: dict[str, Any], new: dict[str, Any], limit: int = 8) -> list[str]:
    """Where two documents of the same issue differ, as an editor would say it."""
    old, new = content(old), content(new)
    out = []
    for key in sorted(set(old["issue"]) | set(new["issue"])):
        if old["issue"].get(key) != new["issue"].get(key):
            out.append(
                f"期刊 {key}：{_short(old['issue'].get(key))} → {_short(new['issue'].get(key))}"
            )
    olds = {a["toc_position"]: a for a in old["articles"]}
    news = {a["toc_position"]: a for a in new["articles"]}
    for pos in sorted(set(olds) | set(news)):
        a, b = olds.get(pos), news.get(pos)
        if a is None:
            out.append(f"目录第{pos}条《{b['title']}》：新增")
        elif b is None:
            out.append(f"目录第{pos}条《{a['title']}》：文件里没有")
        else:
            fields = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
            if fields:
                out.append(f"目录第{pos}条《{b['title']}》：{'、'.join(fields)} 不同")
    if old["news_items"] != new["news_items"]:
        out.append(f"工作动态：{len(old['news_items'])} 条 → {len(new['news_items'])} 条，内容不同")
    if len(out) > limit:
        out = [*out[:limit], f"……另有 {len(out) - limit} 处不同"]
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"
