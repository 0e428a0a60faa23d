"""The teaser of an article: what lists, feeds and the meta description print of it."""

import re
from collections.abc import Iterable

SUMMARY_LENGTH = 120  # characters of a teaser: about two lines of a list, what search
# engines show of a meta description
_SENTENCE_END = re.compile(r"(?<=[。！？!?；…])")


def first_sentences(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The opening sentences of ``text`` that fit in ``limit`` characters (whitespace
    collapsed); the first sentence cut with “…” when it alone is longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    taken = ""
    for sentence in _SENTENCE_END.split(text):
        if len(taken) + len(sentence) > limit:
            break
        taken += sentence
    return taken.strip() or text[: limit - 1] + "…"


def summary_of(*, abstract: str, texts: Iterable[str], title: str) -> str:
    """The editor's 摘要, else the first sentences of the first of ``texts`` that has
    any (the body's, the 编者按's, the 副标题), else the title; at most SUMMARY_LENGTH
    characters."""
    abstract = " ".join(abstract.split())
    if abstract:
        return abstract if len(abstract) <= SUMMARY_LENGTH else abstract[:119] + "…"
    for text in texts:
        if text := first_sentences(text):
            return text
    return title
