"""Other conversions of the same printed issue, made from the digitized 2020年第4期.

The archive holds every issue since 总第1期, converted from PDF over the years by
different people with different tools. :func:`make_variant` rewrites the corpus text the
way those conversions come out, driven by a seed so that a failing variant can be
rebuilt and looked at (``make_variant(text, seed).text``):

- body paragraphs re-wrapped at 16–40 characters (hard line breaks, with or without the
  Markdown two-space mark);
- the 目录 in another layout: the page number in front (``7 新时代…``) or at the end
  after dot leaders (``新时代……7``), titles wrapped over two or three lines, page
  numbers in full-width or ASCII digits;
- at every page break a page-number line and a running head of one of the printed forms
  (``晋城政协 2020年第4期``, ``12 晋城政协``, ``· 12 ·``, ``— 12 —``, the column name on
  odd pages …), except on one page; set apart by blank lines, or glued to the last line
  of the page or the first of the next;
- blank lines added or dropped, CRLF line ends;
- one to three look-alike characters (茶/荼, 人/入, 土/上) in 目录 titles;
- one 目录 page number off by one or two (:attr:`Variant.misprint`).

The generator reads the corpus's own layout (the 目录 lines, blank lines, sentence ends);
from the importer it takes only which column each line of the original text was
printed in, so that a column-name running head names the column of its page, as print
does.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from itertools import pairwise

LOOK_ALIKES = {"茶": "荼", "荼": "茶", "人": "入", "入": "人", "土": "上", "上": "土"}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
LEADERS = ("……", "……………", "......", "·····", " ", " …… ", "・・・")
SENTENCE_END = tuple("。！？”）)：:")
MAGAZINE = "晋城政协"


@dataclass
class TocEntry:
    page: int
    title: str  # as printed, the original wraps removed
    author: str = ""  # 刘佳义, 姚 逊
    subtitle: str = ""  # ——市委政协工作会议发言摘编


@dataclass
class TocColumn:
    line: str  # ### ◎ 高层声音, printed as it is
    name: str
    entries: list[TocEntry] = field(default_factory=list)


@dataclass(repr=False)
class Variant:
    seed: int
    text: str
    misprint: tuple[int, int] | None = None  # (TOC position 1.., printed page) or None
    changes: list[str] = field(default_factory=list)  # what was done, for failure messages

    def __str__(self) -> str:
        return f"variant {self.seed}: " + "; ".join(self.changes)

    __repr__ = __str__


# ---------------------------------------------------------------- reading the corpus

_LEAD_ENTRY = re.compile(r"^(?:- )?(\d{1,3}) (\S.*)$")
_AUTHOR = re.compile(r"^(.*\S) ([\u4e00-\u9fff](?: ?[\u4e00-\u9fff]){1,3})$")


def split_corpus(text: str) -> tuple[list[str], list[TocColumn], list[str]]:
    """(lines before the 目录, the 目录's columns and entries, lines after it)."""
    front, columns, start = _split(text)
    return front, columns, text.split("\n")[start:]


def _split(text: str) -> tuple[list[str], list[TocColumn], int]:
    lines = text.split("\n")
    start = lines.index("# 目录")
    columns: list[TocColumn] = []
    last: TocEntry | None = None
    after_blank = False
    i = start + 1
    while i < len(lines):
        line = lines[i].rstrip()
        bare = line.strip()
        if not bare:
            after_blank = True
        elif bare.startswith("### "):
            columns.append(TocColumn(bare, bare.removeprefix("### ").lstrip("◎ ")))
        elif bare == "## CONTENTS":
            pass
        elif m := _LEAD_ENTRY.match(bare):
            last = TocEntry(int(m.group(1)), m.group(2))
            columns[-1].entries.append(last)
        elif bare.startswith("——") and last is not None:
            last.subtitle = bare
        elif last is not None and not after_blank:
            # The corpus wraps 目录 titles between phrases, where a one-line title has
            # a space (集思广益 研究新情况…).
            last.title += f" {bare}"
        else:
            break
        if bare:
            after_blank = False
        i += 1
    for column in columns:
        for entry in column.entries:
            m = _AUTHOR.match(entry.title)
            if m and len(m.group(2).replace(" ", "")) <= 3:
                entry.title, entry.author = m.group(1), m.group(2)
    return lines[:start], columns, i


# ---------------------------------------------------------------- the variant


def make_variant(text: str, seed: int, column_of_line: dict[int, str]) -> Variant:
    """``column_of_line``: the column each (1-based) line of ``text`` is printed in."""
    rng = random.Random(seed)
    front, columns, start = _split(text)
    body = text.split("\n")[start:]
    variant = Variant(seed, "")
    entries = [e for c in columns for e in c.entries]

    look_alikes = _swap_look_alikes(rng, entries)
    variant.changes.append(f"look-alikes {look_alikes}")
    if rng.random() < 0.5:
        variant.misprint = _misprint(rng, entries)
        variant.changes.append(f"misprint {variant.misprint}")

    digits_full = rng.random() < 0.5
    toc = _render_toc(rng, columns, digits_full, variant)
    width = rng.randint(16, 40)
    body_blocks = _blocks(body)
    block_columns = _columns_of(body, start, column_of_line)
    if rng.random() < 0.85:
        body_blocks = [_rewrap(rng, block, width) for block in body_blocks]
        variant.changes.append(f"wrapped at {width}")
    body_blocks = _page_breaks(rng, body_blocks, block_columns, digits_full, variant)
    out = front + toc + _join_blocks(rng, body_blocks, variant)
    result = "\n".join(out)
    if rng.random() < 0.3:
        result = result.replace("\n", "\r\n")
        variant.changes.append("CRLF")
    variant.text = result
    return variant


def _swap_look_alikes(rng: random.Random, entries: list[TocEntry]) -> list[str]:
    """One to three characters of 目录 titles printed as their look-alikes."""
    spots = [
        (k, i) for k, e in enumerate(entries) for i, ch in enumerate(e.title) if ch in LOOK_ALIKES
    ]
    done = []
    for k, i in rng.sample(spots, k=min(len(spots), rng.randint(1, 3))):
        title = entries[k].title
        entries[k].title = title[:i] + LOOK_ALIKES[title[i]] + title[i + 1 :]
        done.append(f"{title[i]}→{LOOK_ALIKES[title[i]]}@{entries[k].page}")
    return done


def _misprint(rng: random.Random, entries: list[TocEntry]) -> tuple[int, int] | None:
    """One page number off by one or two, the 目录 still ascending."""
    choices = []
    for k, entry in enumerate(entries):
        low = entries[k - 1].page if k else 0
        high = entries[k + 1].page if k + 1 < len(entries) else 10**3
        for delta in (-2, -1, 1, 2):
            if low < entry.page + delta < high:
                choices.append((k, entry.page + delta))
    k, page = rng.choice(choices)
    entries[k].page = page
    return k + 1, page


def _wrap_title(rng: random.Random, title: str, parts: int) -> list[str]:
    """A title over ``parts`` lines, never broken beside a space or inside a Latin word."""
    ok = [
        i
        for i in range(3, len(title) - 2)
        if not title[i - 1].isspace()
        and not title[i].isspace()
        and not (title[i - 1].isascii() and title[i].isascii())
    ]
    cuts = sorted(rng.sample(ok, k=min(parts - 1, len(ok))))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(title[last:cut])
        last = cut
    return [*pieces, title[last:]]


def _render_toc(
    rng: random.Random, columns: list[TocColumn], digits_full: bool, variant: Variant
) -> list[str]:
    trailing = rng.random() < 0.6
    leader = rng.choice(LEADERS)
    bullet = rng.choice(("- ", ""))
    one_block = rng.random() < 0.5  # entries of a column without blank lines between
    variant.changes.append(
        f"目录 {'trailing ' + repr(leader) if trailing else 'leading ' + repr(bullet)}"
        f"{' full-width' if digits_full else ''}{' one block' if one_block else ''}"
    )
    out = ["# 目录", "", "## CONTENTS", ""]
    for column in columns:
        out += [column.line, ""]
        for entry in column.entries:
            page = str(entry.page).translate(FULL_WIDTH) if digits_full else str(entry.page)
            parts = rng.choice((1, 1, 2, 2, 3)) if len(entry.title) > 8 else 1
            lines = _wrap_title(rng, entry.title, parts)
            if entry.author:
                lines[-1] += f" {entry.author}"
            if trailing:
                lines[-1] += f"{leader}{page}" if leader != " " else f" {page}"
            else:
                lines[0] = f"{bullet}{page} {lines[0]}"
            out += lines
            if entry.subtitle:
                out += ["", entry.subtitle]
            if not one_block or entry.subtitle:
                out.append("")
        if one_block and out[-1]:
            out.append("")
    return out


def _columns_of(lines: list[str], start: int, column_of_line: dict[int, str]) -> list[str]:
    """The column of each block of ``lines`` (the body from 0-based line ``start``)."""
    out, column, inside = [], "", False
    for k, line in enumerate(lines):
        column = column_of_line.get(start + k + 1, column)
        if line.strip() and not inside:
            out.append(column)
        inside = bool(line.strip())
    return out


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks, run = [], []
    for line in lines:
        if line.strip():
            run.append(line)
        elif run:
            blocks.append(run)
            run = []
    if run:
        blocks.append(run)
    return blocks


_MARKUP = re.compile(r"[#*_\\<>]")


def _rewrap(rng: random.Random, block: list[str], width: int) -> list[str]:
    """A one-line paragraph as a conversion that keeps the printed line ends gives it."""
    if len(block) != 1 or _MARKUP.search(block[0]) or len(block[0]) <= width:
        return block
    text = block[0].strip()
    if not any(p in text for p in "。，,；"):
        return block  # a headline or byline: printed as it is

    def legal(cut: int) -> bool:  # never beside a space, never inside a Latin word
        a, b = text[cut - 1], text[cut]
        return not (a.isspace() or b.isspace() or (a.isascii() and b.isascii() and b.isalnum()))

    cuts = []
    if text.endswith(SENTENCE_END):
        cut = 0
        while len(text) - cut > width:
            cut += width
            while not legal(cut):
                cut -= 1
            cuts.append(cut)
    else:
        # A page break cut the paragraph: its last printed line on the page is a full
        # one, so the lines are counted from the end and the first one is the short one.
        cut = len(text)
        while cut > width + 3:
            cut -= width
            while not legal(cut):
                cut += 1
            cuts.insert(0, cut)
    bounds = [0, *cuts, len(text)]
    lines = [text[a:b] for a, b in pairwise(bounds)]
    mark = "  " if rng.random() < 0.5 else ""
    return [line + mark for line in lines[:-1]] + [lines[-1]]


def _page_breaks(
    rng: random.Random,
    blocks: list[list[str]],
    columns: list[str],
    digits_full: bool,
    variant: Variant,
) -> list[list[str]]:
    """Running heads and page numbers where pages end: every paragraph a page break cut
    (it does not end a sentence) and some paragraph ends besides."""
    breaks = [
        k
        for k in range(1, len(blocks))
        if (
            not blocks[k - 1][-1].rstrip().endswith(SENTENCE_END)
            and len("".join(blocks[k - 1])) > 40
        )
        or rng.random() < 0.08
    ]
    if not breaks:
        return blocks
    skipped = rng.choice(breaks)  # one page without furniture
    number_form = rng.choice(("{n}", "· {n} ·", "— {n} —", "－{n}－"))
    head_forms = rng.sample(
        ("晋城政协", "晋城政协 2020年第4期", "{n} 晋城政协", "晋城政协 {n}", "COLUMN"), k=2
    )
    # Without blank lines around it, the furniture sits inside the text around it.
    glued = rng.random() < 0.4
    variant.changes.append(
        f"page breaks {len(breaks) - 1} {number_form!r} {head_forms}{' glued' if glued else ''}"
    )
    out: list[list[str]] = []
    page = 1
    for k, block in enumerate(blocks):
        if k in breaks and k != skipped:
            page += 1
            n = str(page).translate(FULL_WIDTH) if digits_full else str(page)
            form = head_forms[page % 2]
            # A column name: the column of the page that begins here.
            head = columns[k] if form == "COLUMN" else form.format(n=n)
            furniture = [[number_form.format(n=n)], [head]]
            if "{n}" in form:
                furniture = [[head]]
            rng.shuffle(furniture)
            lines = [line for f in furniture for line in f]
            if glued and out and rng.random() < 0.5:
                out[-1] = out[-1] + lines  # under the last line of the page
            elif glued:
                block = lines + block  # over the first line of the next
            else:
                out += furniture
        out.append(block)
    return out


def _join_blocks(rng: random.Random, blocks: list[list[str]], variant: Variant) -> list[str]:
    style = rng.choice(("one", "more"))
    variant.changes.append(f"blank lines {style}")
    out: list[str] = []
    for block in blocks:
        out += block
        blanks = 1 if style == "one" else rng.choice((1, 1, 1, 2, 3))
        out += [""] * blanks
    return out
