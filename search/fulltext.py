"""Chinese full-text search: jieba's words stored beside each article.

Words. jieba (precise mode, its HMM finding new words such as names) cuts each text
into words; every dictionary word nested in a longer one counts as well, so
中国人民政治协商会议 is also found as 人民, 政治协商, 协商会议 … and 人民政协 as 政协.

Index side. ``search_text`` holds an article's words: on its first line the words of its
headlines, bylines, 编者按 and body in reading order, on the second the nested words.
On PostgreSQL, ``search_vector`` (GIN index) holds the same words with their positions,
a nested word at the position of the word it sits in, weighted

    A  引题, 主标题, 副标题, 目录标题
    B  bylines: names and the titles printed beside them (泽州县政协主席 李正根)
    C  编者按, 摘要 and source
    D  body and 作者简介

so that an article whose title holds the word ranks above one that only mentions it.
Beside the words, the vector holds every pair of adjacent words as a lexeme of its own,
the two joined by a space (jieba's words never hold one): ``'协商 民主'`` at the
position of 协商, weight D. Where the first word ends with a word nested in it, or the
second begins with one, those count too — 人民政协 工作 gives ``'人民政协 工作'`` and
``'政协 工作'`` — exactly the runs of text a reader's phrase can fall on (人民 工作 is
not one). A phrase of words (``'协商' <-> '民主'``) needs their positions, so
PostgreSQL rechecks every row the index offers against its whole vector, kilobytes
stored out of line; a pair is one lexeme, which the GIN index answers alone. The price
is size: pairs make the vector about three times larger (see docs/benchmarks.md). Pairs
are weighted D whatever they join, so that ``search_headline`` (weights A–C, what
results are ranked by) holds words only and stays small. A pair is written only where
both words have a position of their own (the first MAX_POSITION words) and, like a
word, keeps its first MAX_POSITIONS_PER_WORD positions.

The vector is written from Python as a ``tsvector`` literal rather than by
``to_tsvector``: PostgreSQL's parser knows no Chinese, and this way the words on both
sides are exactly jieba's (what config ``simple`` would do with already-cut words,
without the parser re-splitting 3.5% or covid-19).

The index is rewritten by the handlers of ``search.signals``, on the signals that
``Article.save``, ``Authorship.save``/``delete``, ``Person.save`` (a renamed author) and
the bulk paths of both QuerySets (``update``, ``bulk_create``, ``bulk_update``,
``delete``) send (``articles.indexing``); ``manage.py reindex_search`` rebuilds it after
a raw load (``loaddata``) or a change of jieba's dictionary.

Query side. ``parse_query`` cuts the reader's query at spaces into pieces, each piece
into words; an article matches when it holds every piece (AND), the words of a piece
side by side (高质量发展, so 高质量转型发展 is not a match; 政协工作 matches 人民政协工作
since 政协 stands where 人民政协 does). A one-word piece also matches its characters in
sequence, where jieba cut the document's word apart (更大 in 作出新的更大贡献, cut
更/大). PostgreSQL gets that as a ``tsquery`` literal this module writes, every lexeme
quoted — the reader's & | ! <-> :* are never syntax — in which a piece of two words is
their pair (协商民主 → ``'协商 民主'``), a piece of more words its pairs in a chain
(推动高质量发展 → ``'推动 高质量' <-> '高质量 发展'``: rechecked against the vector, but
only in the articles holding both pairs) and a one-word piece the word or its spelling
(更大 → ``'更大' | '更 大'``). The query is matched against the whole vector through
its GIN index, and ranked by ``ts_rank`` over the words of weights A–C alone
(``search_headline``): where the words stand in the headlines, bylines and 编者按, not
how often the body repeats them, so that thousands of matches are ranked without
reading thousands of body vectors. SQLite, the embedded fallback, looks for each piece
as a substring of the first line of ``search_text`` with the spaces taken out (LIKE),
and puts headline matches first. Both then order newest first.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import pairwise
from operator import and_, or_

import jieba
from django.contrib.postgres.search import SearchVectorField
from django.db import connections
from django.db.models import BooleanField, Case, FloatField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, Replace, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.indexing import INDEXED_FIELDS, deferred
from richtext.text import html_to_text

from .memo import remember

jieba.setLogLevel(logging.WARNING)

MAX_QUERY_LENGTH = 100  # characters; a longer query is cut, and the page says so
SNIPPET_LENGTH = 120  # characters of body text around the first match
MAX_WORD_LENGTH = 64  # longer "words" are URLs or garbage runs, not searched
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_WORD = 256  # and how many it keeps per word

_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s+")


def _normalize(text: str) -> str:
    # NFKC folds full-width Latin letters and digits (２０２０, ＧＤＰ) into ASCII, on the
    # document and the query side alike, so both spellings meet.
    return unicodedata.normalize("NFKC", text or "").lower()


# --- Words ---------------------------------------------------------------------------


# jieba splits a text into blocks — runs of Han characters, letters and digits between
# punctuation — and cuts each block on its own, so cutting the blocks one at a time gives
# exactly jieba.cut's words. Blocks recur (names, titles, set phrases, a paragraph quoted
# again), and cutting is most of the cost of indexing, so each distinct block is cut once
# per process. Both memos are bounded; after changing jieba's dictionary at run time
# (the project never does), call clear_word_memos() and reindex.
_BLOCKS = jieba.re_han_default
WORD_MEMO_SIZE = 32_768


@lru_cache(maxsize=WORD_MEMO_SIZE)
def _cut_block(block: str) -> tuple[str, ...]:
    return tuple(jieba.cut(block))


def cut(text: str) -> list[str]:
    """The words of ``text`` in reading order, lower-cased, punctuation dropped."""
    words = (
        w.strip() for block in _BLOCKS.split(_normalize(text)) if block for w in _cut_block(block)
    )
    return [w for w in words if w and len(w) <= MAX_WORD_LENGTH and _WORD.search(w)]


@lru_cache(maxsize=WORD_MEMO_SIZE)
def nested_words(word: str) -> tuple[str, ...]:
    """The dictionary words inside a longer CJK word: 中国人民政治协商会议 → 中国,
    人民, 政治, 协商, 会议, 政治协商, 协商会议 … (jieba's ``cut_for_search`` would
    give only the two- and three-character ones)."""
    if len(word) <= 2 or word.isascii():
        return ()
    # get_FREQ reads an empty dictionary until jieba has loaded it, and the answer is
    # memoized: load it first, whether or not anything was cut yet in this process.
    jieba.dt.check_initialized()
    found = (
        word[start : start + size]
        for size in range(2, len(word))
        for start in range(len(word) - size + 1)
    )
    return tuple(dict.fromkeys(w for w in found if jieba.get_FREQ(w)))


def clear_word_memos() -> None:
    _cut_block.cache_clear()
    nested_words.cache_clear()


def _quote(word: str) -> str:
    """A word as a quoted tsvector/tsquery lexeme: quotes and backslashes doubled."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _pair(first: str, second: str) -> str:
    """The lexeme of two words side by side: ``协商 民主``. jieba's words hold no
    space, so no pair can be mistaken for a word."""
    return f"{first} {second}"


# --- Index side ----------------------------------------------------------------------


def _bylines(article) -> str:
    # ``authorships.all()`` uses a prefetch when there is one (reindex_articles).
    return " ".join(
        f"{a.byline_title} {a.person.name}" for a in article.authorships.all() if a.person_id
    )


def index_parts(article, *, bylines: str) -> dict[str, list[str]]:
    """The words of ``article`` in reading order, by weight (A headlines … D body)."""
    return {
        "A": cut(" ".join([article.kicker, article.title, article.subtitle, article.toc_title])),
        "B": cut(bylines),
        "C": cut(" ".join([html_to_text(article.editors_note), article.abstract, article.source])),
        "D": cut(" ".join([html_to_text(article.body), article.author_note])),
    }


def tsvector_literal(parts: dict[str, list[str]]) -> str:
    """``'政协':3A,17D '人民政协':3A '人民政协 工作':3D '政协 工作':3D …``: each word at
    its position in reading order (across the parts), each nested word at the position
    of the word it sits in, and each pair of adjacent words — the word or a word it ends
    with, then the next word or a word it begins with — at the first one's position,
    weight D."""
    positions: dict[str, list[str]] = {}

    def add(lexeme: str, entry: str) -> None:
        entries = positions.get(lexeme)
        if entries is None:
            positions[lexeme] = [entry]
        elif len(entries) < MAX_POSITIONS_PER_WORD:
            entries.append(entry)

    position = 0
    endings: tuple[str, ...] = ()  # the word before and the words it ends with
    for weight, words in parts.items():
        for word in words:
            nested = nested_words(word)
            # A pair only where both words have their own position: past MAX_POSITION
            # every word shares the last one and no two stand side by side.
            if endings and position < MAX_POSITION:
                pair_entry = f"{position}D"
                beginnings = (word, *(n for n in nested if word.startswith(n)))
                for first in endings:
                    for second in beginnings:
                        add(_pair(first, second), pair_entry)
            position = min(position + 1, MAX_POSITION)
            entry = f"{position}{weight}"
            add(word, entry)
            for lexeme in nested:
                add(lexeme, entry)
            endings = (word, *(n for n in nested if word.endswith(n)))
    return " ".join(
        f"{_quote(lexeme)}:{','.join(entries)}" for lexeme, entries in positions.items()
    )


def _index_values(parts: dict[str, list[str]], vendor: str) -> dict:
    words = [w for part in parts.values() for w in part]
    nested = dict.fromkeys(n for w in words for n in nested_words(w))
    values = {"search_text": " ".join(words) + "\n" + " ".join(nested)}
    if vendor == "postgresql":
        values["search_vector"] = Cast(Value(tsvector_literal(parts)), SearchVectorField())
    return values


def update_search_index(article, *, bylines: str | None = None) -> None:
    """Rewrite one article's index (one UPDATE, plus one SELECT for the bylines unless
    ``bylines`` is given — a new article has none)."""
    db = article._state.db or "default"
    if deferred(type(article)._base_manager.model, db, [article.pk]):
        return
    if bylines is None:
        bylines = " ".join(
            f"{title} {name}"
            for title, name in article.authorships.values_list("byline_title", "person__name")
        )
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
    if deferred(model, db, pks):
        return 0
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


def reindex_after_migrate(sender, *, using, plan=None, verbosity=1, stdout=None, **kwargs):
    """post_migrate: rewrite every article's index when ``migrate`` applied a migration
    that declares ``rewrites_search_index = True`` (a change of what the index holds).

    Migrations use historical models only and cannot call this module; here the current
    code runs against the schema every migration has already brought up to date."""
    if not any(
        getattr(migration, "rewrites_search_index", False) and not backwards
        for migration, backwards in plan or ()
    ):
        return
    count = reindex_articles(sender.get_model("Article")._base_manager.using(using).all())
    if count and verbosity >= 1 and stdout is not None:
        stdout.write(f"已重建 {count} 篇文章的检索索引。")


# --- Query side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One space-separated piece of the query: its words must stand side by side
    (高质量发展 → 高质量 发展), as the reader typed them."""

    text: str
    words: tuple[str, ...]

    @property
    def spelled(self) -> tuple[str, ...] | None:
        """For a single CJK word, its characters (更大 → 更, 大): the fallback for
        documents where jieba cut the word apart (作出新的更大贡献 → 更/大)."""
        word = self.words[0]
        if len(self.words) == 1 and len(word) > 1 and not word.isascii():
            return tuple(word)
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
        """Matches the query in displayed text: each piece as typed, and its words of
        two characters or more (a phrase matched across punctuation), longest first."""
        if not self.terms:
            return None
        marked = {t.text for t in self.terms}
        marked.update(w for t in self.terms for w in t.words if len(w) > 1)
        words = sorted(marked, key=lambda w: (-len(w), w))
        return re.compile("|".join(map(re.escape, words)), re.IGNORECASE)

    def tsquery_literal(self, operator: str = "&", *, pairs: bool = True) -> str:
        """``('协商 民主') & ('高质量 发展' <-> '发展 理念') & (('更大') | ('更 大'))``: the
        words of a piece as the pairs the index holds — one pair for two words, the
        pairs chained for more — every lexeme quoted. With ``operator="|"``, any of the
        pieces; with ``pairs=False``, the words of a piece as a phrase
        (``'协商' <-> '民主'``): what ranking weighs in ``search_headline``, which holds
        words, not pairs."""

        def side_by_side(words):
            if len(words) == 1:
                return _quote(words[0])
            if not pairs:
                return " <-> ".join(map(_quote, words))
            # Two words: one lexeme, answered by the GIN index alone. More: pair after
            # pair, a phrase PostgreSQL still rechecks, but only on the rows holding
            # every pair.
            return " <-> ".join(_quote(_pair(a, b)) for a, b in pairwise(words))

        def term(t):
            if not t.spelled:
                return f"({side_by_side(t.words)})"
            return f"(({side_by_side(t.words)}) | ({side_by_side(t.spelled)}))"

        return f" {operator} ".join(map(term, self.terms))


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: control characters (NUL …) and runs of whitespace become
    one space; cut at MAX_QUERY_LENGTH. Returns the text and whether it was cut."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _SPACE.sub(" ", text).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH].strip(), truncated


def parse_query(raw: str) -> ParsedQuery:
    """The reader's query cut into pieces at spaces, each piece into words (人民政协
    stays one word: documents hold it whole, and 政协 where it stands)."""
    text, truncated = clean_query(raw)
    terms = {}
    for piece in text.lower().split(" "):
        words = tuple(cut(piece))
        if words and piece not in terms:
            terms[piece] = Term(text=piece, words=words)
    return ParsedQuery(text=text, terms=tuple(terms.values()), truncated=truncated)


def matching_ids(tsquery_literal: str, *, using: str = "default") -> str:
    """Ids of the articles whose vector matches (PostgreSQL), whatever their state
    (visibility is the caller's QuerySet's business), as an ``id_array``."""

    def find():
        return id_array(
            "SELECT * FROM article_search_matches(%s::tsquery)", [tsquery_literal], using
        )

    return remember("search", tsquery_literal, find)


def id_array(sql: str, params, using: str) -> str:
    """The ids the query ``sql`` returns (its one column) as one PostgreSQL array
    literal, ``'{1,2,…}'``, in no particular order. PostgreSQL reads such a literal in
    well under a millisecond, where ``ARRAY[1, 2, …]`` (how a list is sent) takes it 3–4
    ms to parse and plan for 5,000 ids; it writes it too (``array_agg``): fetching
    20,000 ids and joining them in Python took 8 ms more. Memos keep it as it is."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(array_agg(found.id)::text, '{{}}') FROM ({sql}) AS found (id)",
            params,
        )
        return cursor.fetchone()[0]


def with_ids(queryset, ids: str):
    """``queryset`` narrowed to the rows of ``ids``, an ``id_array`` (PostgreSQL)."""
    table = queryset.model._meta.db_table
    matched = RawSQL(f'"{table}"."id" = ANY(%s::bigint[])', (ids,), BooleanField())
    return queryset.filter(matched)


def search_articles(queryset, query: str | ParsedQuery):
    """``queryset`` narrowed to the articles matching ``query``, best first, then
    newest. An empty query (or one of punctuation only) matches nothing."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    if not parsed:
        return queryset.none()
    newest = ("-issue__year", "-issue__number", "toc_position")
    if connections[queryset.db].vendor == "postgresql":
        # Matching: the whole vector, through the GIN index, once per request (the count
        # and the page reuse the ids), remembered until content changes; ranking:
        # ts_rank over the headline words alone (search_headline), so that no row's
        # kilobytes of body vector are read to order thousands of results. Each piece
        # found in the headlines counts (ts_rank of an AND query gives nothing unless all
        # its words are there). See migration 0003.
        ids = matching_ids(parsed.tsquery_literal(), using=queryset.db)
        table = queryset.model._meta.db_table
        rank = RawSQL(
            f'ts_rank("{table}"."search_headline", %s::tsquery)',
            (parsed.tsquery_literal("|", pairs=False),),
            FloatField(),
        )
        # The ids as one array literal (id_array): twice per page, count and rows.
        return with_ids(queryset, ids).annotate(rank=rank).order_by("-rank", *newest)
    # SQLite: the first line of search_text (the text's own words), spaces taken out.
    first_line = Substr("search_text", 1, StrIndex(Concat("search_text", Value("\n")), Value("\n")))
    runs = ["".join(t.words) for t in parsed.terms]
    in_text = reduce(and_, (Q(_search_run__contains=run) for run in runs))
    in_headline = reduce(
        or_,
        (
            Q(**{f"{field}__icontains": run})
            for run in runs
            for field in ("kicker", "title", "subtitle", "toc_title")
        ),
    )
    return (
        queryset.alias(
            _search_run=Replace(first_line, Value(" "), Value(""), output_field=TextField())
        )
        .filter(in_text)
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
