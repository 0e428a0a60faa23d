"""Readable 网址名 for columns: the pinyin of the name (委员风采 → ``weiyuanfengcai``).

Django admin's ``prepopulated_fields`` slugifies in the browser (URLify), which drops
Chinese characters, so the slug is made on the server: ``Column`` fills a blank slug
from its name when it is saved, whoever creates it (an editor, the importer).
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

FALLBACK = "lanmu"  # a name with nothing to spell (only punctuation)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def pinyin_slug(name: str, *, max_length: int = 60) -> str:
    """The syllables of ``name`` run together, lowercase ASCII; Latin letters and digits
    kept (NFKC folds full-width ２０２０ to 2020), anything else a hyphen between parts:
    委员风采 → ``weiyuanfengcai``, G20峰会 → ``g20fenghui``, 学习·论坛 → ``xuexi-luntan``."""
    text = unicodedata.normalize("NFKC", name)
    spelled = "".join(lazy_pinyin(text, style=Style.NORMAL)).lower()
    slug = _NOT_SLUG.sub("-", spelled).strip("-")
    return slug[:max_length].rstrip("-") or FALLBACK


def unique_slug(base: str, taken, *, max_length: int = 60) -> str:
    """``base``, or ``base-2``, ``base-3`` … the first one ``taken(slug)`` says is free."""
    if not taken(base):
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if not taken(candidate):
            return candidate
        n += 1
