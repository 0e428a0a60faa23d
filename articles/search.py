"""Chinese full-text search: jieba segmentation stored beside each article.

PostgreSQL: the segmented words feed a ``tsvector`` (config ``simple``, GIN index),
weighted A for headlines and bylines, D for the body. SQLite: the same words are
matched with LIKE, which still finds two-character words (政协, 药茶, 古堡).
"""

import html
import logging
import re

import jieba
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

jieba.setLogLevel(logging.WARNING)

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w", re.UNICODE)


def html_to_text(value: str) -> str:
    return html.unescape(_TAG.sub(" ", value or ""))


def segment(text: str) -> str:
    """Space-separated search words of ``text`` (jieba's search mode: 人民政协 gives
    人民, 政协 and 人民政协), lower-cased, punctuation dropped."""
    words = (w.strip().lower() for w in jieba.cut_for_search(text or ""))
    return " ".join(w for w in words if w and _WORD.search(w))


def headline_text(article) -> str:
    bylines = " ".join(
        f"{a.byline_title} {a.person.name}" for a in article.authorships.select_related("person")
    )
    return " ".join(
        [
            article.kicker,
            article.title,
            article.subtitle,
            article.toc_title,
            article.source,
            bylines,
        ]
    )


def body_text(article) -> str:
    return " ".join(
        [html_to_text(article.editors_note), html_to_text(article.body), article.author_note]
    )


def update_search_index(article) -> None:
    head = segment(headline_text(article))
    body = segment(body_text(article))
    fields = {"search_text": f"{head} {body}".strip()}
    if connection.vendor == "postgresql":
        fields["search_vector"] = SearchVector(
            Value(head), weight="A", config="simple"
        ) + SearchVector(Value(body), weight="D", config="simple")
    type(article).objects.filter(pk=article.pk).update(**fields)
    article.search_text = fields["search_text"]
