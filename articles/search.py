"""Chinese full-text search: jieba segmentation stored beside each article.

Index side. Each article keeps, in ``search_text``, the words of its headlines,
bylines, 编者按 and body: each word jieba cuts, plus every dictionary word nested in it
(人民政协 gives 人民, 民政, 政协 and 人民政协, so a two-character query like 政协
finds the longer word). On PostgreSQL the same words feed ``search_vector`` (config
``simple``, GIN index), weighted

    A  引题, 主标题, 副标题, 目录标题
    B  bylines: names and the titles printed beside them (泽州县政协主席 李正根)
    C  编者按 and source
    D  body and 作者简介

so that ``SearchRank`` puts an article whose title holds the word above one that only
mentions it. The index is rewritten by ``Article.save``, ``Authorship.save``/``delete``,
``Person.save`` (a renamed author) and the bulk paths of both QuerySets
(``update``, ``bulk_create``, ``bulk_update``, ``delete``); ``manage.py reindex_search``
rebuilds it after a raw load (``loaddata``) or a change of segmentation.

Query side. ``parse_query`` cuts the reader's words in jieba's precise mode; an article
matches when it holds every word (AND). Because context can change how jieba cuts a
document, a word also matches its characters in sequence where jieba cut them apart
(更大 in 作出新的更大贡献, cut 更/大). PostgreSQL builds that as a ``tsquery`` from
``plainto_tsquery``/``phraseto_tsquery`` calls, never parsing the reader's syntax, and
orders by ``SearchRank``; SQLite matches the same whole words with LIKE over
``search_text`` and puts headline matches first. Both then order newest first.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

import jieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_LENGTH = 100  # characters; a longer query is cut, and the page says so
SNIPPET_LENGTH = 120  # characters of body text around the first match

# Fields whose change must rewrite the index (bylines are handled by Authorship).
INDEXED_FIELDS = frozenset(
    {"kicker", "title", "subtitle", "toc_title", "source", "editors_note", "body", "author_note"}
)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """The readable text of sanitized rich text, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()


def _normalize(text: str) -> str:
    # NFKC folds full-width Latin letters and digits (２０２０, ＧＤＰ) into ASCII, on the
    # document and the query side alike, so both spellings meet.
    return unicodedata.normalize("NFKC", text or "").lower()


def search_words(text: str) -> list[str]:
    """The words ``text`` is found by: each word jieba cuts (precise mode, new words such
    as names found by its HMM), preceded by every dictionary word nested in it, so
    中国人民政治协商会议 is also found as 中国, 人民, 政治, 政治协商, 协商会议 …
    Lower-cased; punctuation dropped.

    jieba's own search mode (``cut_for_search``) nests only two- and three-character
    words; it would miss 政治协商 in 中国人民政治协商会议.
    """
    words = []
    for word in jieba.cut(_normalize(text)):
        word = word.strip()
        if not word or not _WORD.search(word):
            continue
        if len(word) > 2 and not word.isascii():
            words.extend(
                word[start : start + size]
                for size in range(2, len(word))
                for start in range(len(word) - size + 1)
                if jieba.get_FREQ(word[start : start + size])
            )
        words.append(word)
    return words


def segment(text: str) -> str:
    """``search_words(text)`` as one space-separated string."""
    return " ".join(search_words(text))


# --- Index side ----------------------------------------------------------------------


def _bylines(article) -> str:
    # ``authorships.all()`` uses a prefetch when there is one (reindex_articles).
    return " ".join(
        f"{a.byline_title} {a.person.name}" for a in article.authorships.all() if a.person_id
    )


def index_parts(article, *, bylines: str) -> dict[str, str]:
    """The segmented words of ``article`` by weight (A headlines … D body)."""
    return {
        "A": segment(
            " ".join([article.kicker, article.title, article.subtitle, article.toc_title])
        ),
        "B": segment(bylines),
        "C": segment(" ".join([html_to_text(article.editors_note), article.source])),
        "D": segment(" ".join([html_to_text(article.body), article.author_note])),
    }


def _index_values(parts: dict[str, str], vendor: str) -> dict:
    values = {"search_text": " ".join(words for words in parts.values() if words)}
    if vendor == "postgresql":
        values["search_vector"] = reduce(
            lambda left, right: left + right,
            (
                SearchVector(Value(words), weight=weight, config="simple")
                for weight, words in parts.items()
            ),
        )
    return values


def update_search_index(article, *, bylines: str | None = None) -> None:
    """Rewrite one article's index (one UPDATE, plus one SELECT for the bylines unless
    ``bylines`` is given — a new article has none)."""
    if bylines is None:
        bylines = " ".join(
            f"{title} {name}"
            for title, name in article.authorships.values_list("byline_title", "person__name")
        )
    db = article._state.db or "default"
    values = _index_values(index_parts(article, bylines=bylines), connections[db].vendor)
    type(article)._base_manager.using(db).filter(pk=article.pk).update(**values)
    article.search_text = values["search_text"]


def reindex_articles(queryset, *, batch_size: int = 200) -> int:
    """Rewrite the index of every article in ``queryset`` in batches: one SELECT of the
    articles and one of their bylines per batch, one UPDATE per batch. Returns how many
    articles were indexed."""
    model = queryset.model
    db = queryset.db
    vendor = connections[db].vendor
    pks = list(queryset.order_by().values_list("pk", flat=True).distinct())
    done = 0
    for start in range(0, len(pks), batch_size):
        batch = list(
            model._base_manager.using(db)
            .filter(pk__in=pks[start : start + batch_size])
            .only(*INDEXED_FIELDS)
            .prefetch_related("authorships__person")
        )
        for article in batch:
            values = _index_values(index_parts(article, bylines=_bylines(article)), vendor)
            for field, value in values.items():
                setattr(article, field, value)
        fields = ["search_text", "search_vector"] if vendor == "postgresql" else ["search_text"]
        model._base_manager.using(db).bulk_update(batch, fields)
        done += len(batch)
    return done


# --- Query side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of the query."""

    word: str

    @property
    def spelled(self) -> str | None:
        """The characters of a CJK word as separate words (更大 → 更 大): the fallback
        for documents where jieba cut the word apart (作出新的更大贡献 → 更/大)."""
        if len(self.word) > 1 and not self.word.isascii():
            return " ".join(self.word)
        return None


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what is searched, as shown back in the search box
    terms: tuple[Term, ...]
    truncated: bool = False  # the reader's query was longer than MAX_QUERY_LENGTH

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def highlight_pattern(self) -> re.Pattern | None:
        """Matches the query's words in displayed text, longest first."""
        if not self.terms:
            return None
        words = sorted({t.word for t in self.terms}, key=lambda w: (-len(w), w))
        return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: control characters (NUL …) and runs of whitespace become
    one space; cut at MAX_QUERY_LENGTH. Returns the text and whether it was cut."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _SPACE.sub(" ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


def parse_query(raw: str) -> ParsedQuery:
    """The reader's words, cut by jieba in precise mode (人民政协 stays one word: the
    documents hold it whole as well as its parts)."""
    text, truncated = clean_query(raw)
    words = dict.fromkeys(
        w.strip() for w in jieba.cut(text.lower()) if w.strip() and _WORD.search(w)
    )
    return ParsedQuery(text=text, terms=tuple(map(Term, words)), truncated=truncated)


def _tsquery(parsed: ParsedQuery) -> SearchQuery:
    def term_query(term):
        # plainto_tsquery/phraseto_tsquery: the reader's text is data, never tsquery
        # syntax (& | ! <-> :*).
        query = SearchQuery(term.word, config="simple")
        if term.spelled:
            query |= SearchQuery(term.spelled, config="simple", search_type="phrase")
        return query

    return reduce(and_, map(term_query, parsed.terms))


def _like_filter(parsed: ParsedQuery) -> Q:
    # Whole words, as on PostgreSQL: " 政协 " within " … " + search_text + " ".
    def term_filter(term):
        condition = Q(_search_words__contains=f" {term.word} ")
        if term.spelled:
            condition |= Q(_search_words__contains=f" {term.spelled} ")
        return condition

    return reduce(and_, map(term_filter, parsed.terms))


def search_articles(queryset, query: str | ParsedQuery):
    """``queryset`` narrowed to the articles matching ``query``, best first, then
    newest. An empty query (or one of punctuation only) matches nothing."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed:
        return queryset.none()
    newest = ("-issue__year", "-issue__number", "toc_position")
    if connections[queryset.db].vendor == "postgresql":
        tsquery = _tsquery(parsed)
        return (
            queryset.filter(search_vector=tsquery)
            .annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", *newest)
        )
    in_headline = reduce(
        or_,
        (
            Q(**{f"{field}__icontains": term.word})
            for term in parsed.terms
            for field in ("kicker", "title", "subtitle", "toc_title")
        ),
    )
    return (
        queryset.alias(
            _search_words=Concat(Value(" "), "search_text", Value(" "), output_field=TextField())
        )
        .filter(_like_filter(parsed))
        .annotate(rank=Case(When(in_headline, then=Value(1.0)), default=Value(0.0)))
        .order_by("-rank", *newest)
    )


# --- Display -------------------------------------------------------------------------


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """``text`` escaped, with every match of ``pattern`` wrapped in <mark>."""
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece is escaped above


def snippet(text: str, pattern: re.Pattern | None, length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around the first match, highlighted;
    the opening of the text when nothing matches there (a match in a title or byline)."""
    match = pattern.search(text) if pattern is not None else None
    start = max(0, match.start() - length // 4) if match else 0
    if start and len(text) - start < length:
        start = max(0, len(text) - length)
    excerpt = text[start : start + length]
    marked = highlight(excerpt, pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")  # highlight() escaped it


def article_text(article) -> str:
    """The running text a snippet is cut from: 编者按, body, 作者简介."""
    return " ".join(
        part
        for part in (
            html_to_text(article.editors_note),
            html_to_text(article.body),
            article.author_note,
        )
        if part
    )
