"""工作动态: one dated news item per ★ paragraph."""

from __future__ import annotations

import datetime as dt
import re

from .document import ParsedNewsItem
from .source import Block
from .text import ends_sentence, join_fragments, nfkc

STAR = ("★", "☆")

_DATE = re.compile(
    r"^(\d{1,2})月(\d{1,2})日"
    r"(?:\s*(?:至|到|—|–|-|~|～)\s*(?:(\d{1,2})月)?(\d{1,2})日)?"
    r"\s*(上午|下午|晚上|晚间|全天)?"
)


def holds_news(blocks: list[Block]) -> bool:
    """A section made of ★ items (工作动态) rather than an article."""
    starred = sum(1 for b in blocks if b.text.startswith(STAR))
    return starred >= 2 and starred * 2 >= len([b for b in blocks if b.text])


def parse_date(text: str, year: int) -> tuple[dt.date | None, dt.date | None, str]:
    """7月29日至31日 / 8月17日到21日 / 7月1日上午 → (date, end_date, part of day)."""
    m = _DATE.match(nfkc(text))
    if not m:
        return None, None, ""
    month, day = int(m.group(1)), int(m.group(2))
    try:
        date = dt.date(year, month, day)
        end = None
        if m.group(4):
            end_month = int(m.group(3)) if m.group(3) else month
            end = dt.date(year, end_month, int(m.group(4)))
            if end < date:  # 12月30日至1月2日 runs into the next year
                end = end.replace(year=year + 1)
    except ValueError:
        return None, None, _part(m.group(5))
    return date, end, _part(m.group(5))


def _part(word: str | None) -> str:
    return "晚上" if word == "晚间" else (word or "")


def people_named(text: str, known: list[str]) -> list[str]:
    """The known people (the 编委会: the committee's leaders) an item mentions, in the
    order it mentions them."""
    found = [(text.find(name), name) for name in dict.fromkeys(known) if name in text]
    return [name for _, name in sorted(found)]


def split_news(
    blocks: list[Block], year: int, joins: list[tuple[str, int, str, int]] | None = None
) -> tuple[list[ParsedNewsItem], list[Block]]:
    """★ items, each with the pieces a page break cut off it joined back.

    Returns the items and the blocks before the first ★ (they stay with the article);
    each join is added to ``joins`` as (text before, its line, text after, its line)."""
    items: list[ParsedNewsItem] = []
    lead: list[Block] = []
    for block in blocks:
        text = block.text
        if text.startswith(STAR):
            text = text.lstrip("".join(STAR)).strip()
            date, end, part = parse_date(text, year)
            items.append(ParsedNewsItem(date, end, part, text, block.no, lines=block.nos))
        elif items:
            item = items[-1]
            if joins is not None:
                joins.append((item.text, item.lines[-1], text, block.no))
            sep_ok = not ends_sentence(item.text)
            item.text = join_fragments(item.text, text) if sep_ok else item.text + text
            item.lines = (*item.lines, *block.nos)
        elif text:
            lead.append(block)
    return items, lead
