"""Steps 5–6: the text of one article — header lines (byline, date, 编者按), then body
blocks classified and page-break cuts joined again.

Structure comes from the words and punctuation, not the Markdown: a numbered line
(一、总体要求) is a heading when the article prints its numbered points as separate
lines, and the start of a paragraph when it runs them into the text
(一、提升提案办理质量,…。我局…) — then a short numbered line without a full stop
is a paragraph a page break cut (二、主动接受民主监督,努力推动 / 事业发展。…).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .document import (
    HEADING,
    PARAGRAPH,
    ROLE_REPORTER,
    ROLE_SPEAKER,
    SPEAKER,
    SPEECH_HEADING,
    Author,
    BodyBlock,
)
from .locate import is_display
from .source import Block
from .text import (
    HAN,
    REPORTED,
    ends_sentence,
    join_fragments,
    looks_like_name,
    nfkc,
    norm,
    normalize_name,
    split_names,
    split_title_name,
)

# ---------------------------------------------------------------- header lines

_BYLINE_PREFIX = re.compile(r"^(?:文\s*[/／|｜]\s*|作者\s*[:：]\s*|[□■◎]\s*)")
_TITLED_NAME = re.compile(f"^(.*?\\S)\\s+([{HAN}](?:[ \u3000]?[{HAN}]){{1,3}})$")
_DATE_LINE = re.compile(r"^[(（]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]$")
_EDITORS_NOTE = re.compile(r"^[【\[]?\s*编者按\s*[】\]]?\s*[:：]?\s*(.*)$", re.S)
_AUTHOR_NOTE = re.compile(r"^[(（]\s*(作者(?:系|为|是|单位).*?)\s*[)）]$", re.S)
_BYLINE_PUNCT = re.compile(r"[。，,；;：:！？!?“”\"()（）《》]")


def parse_byline(text: str) -> list[Author] | None:
    """刘佳义 / 市委副书记 姚 逊 / 高平市委书记 胡晓刚 → authors, or None."""
    text = _BYLINE_PREFIX.sub("", text.strip())
    if not text or len(text) > 40 or _BYLINE_PUNCT.search(text):
        return None
    if looks_like_name(text):
        return [Author(normalize_name(text))]
    names = split_names(text)
    if len(names) > 1 and all(looks_like_name(n) for n in names):
        return [Author(normalize_name(n)) for n in names]
    m = _TITLED_NAME.match(text)
    if m and looks_like_name(m.group(2)) and not looks_like_name(m.group(1)):
        return [Author(normalize_name(m.group(2)), m.group(1).strip())]
    return None


def parse_date_line(text: str) -> dt.date | None:
    m = _DATE_LINE.match(nfkc(text).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass
class Header:
    subtitles: list[str]
    authors: list[Author]
    event_date: dt.date | None
    editors_note: str
    used: int  # how many of the given blocks were header lines


def read_header(blocks: list[Block]) -> Header:
    """Lines right under the headline: —— subtitles, byline, (date), 编者按."""
    header = Header([], [], None, "", 0)
    for block in blocks:
        text = block.text
        if text.startswith("——"):
            header.subtitles.append(block.display.lstrip("—").strip())
        elif (m := _EDITORS_NOTE.match(text)) and m.group(1) and not header.editors_note:
            header.editors_note = m.group(1).strip()
        elif (date := parse_date_line(text)) and header.event_date is None:
            header.event_date = date
        elif (authors := parse_byline(text)) and is_display(block, 40):
            header.authors.extend(authors)
        else:
            break
        header.used += 1
    return header


# ---------------------------------------------------------------- body


_ENUMERATED = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_TINY_START = re.compile(r"^.{1,2}[。，,、；;：:！？!?）)”]")


@dataclass
class Piece:
    kind: str
    text: str
    line: int
    marked: bool = False


def _is_standalone_numbered(text: str) -> bool:
    """一、总体要求 / 三、挖掘康养潜力，打造康养产品。 — one short numbered line."""
    body = text.rstrip("。")
    return bool(_ENUMERATED.match(text)) and len(norm(text)) <= 40 and "。" not in body


def _is_lead_numbered(text: str) -> bool:
    """一、提升提案办理质量,及时回应社会关切。我局… — the number starts a paragraph."""
    return bool(_ENUMERATED.match(text)) and not _is_standalone_numbered(text)


def classify(
    blocks: list[Block], joins: list[tuple[Piece, Piece]] | None = None
) -> tuple[list[BodyBlock], list[Author]]:
    """Body blocks → kinds, cut paragraphs joined; and the speakers of a 发言摘编.

    Each join made is added to ``joins`` as (first piece, second piece)."""
    blocks = [b for b in blocks if b.text]
    pieces: list[Piece] = []
    speakers: list[Author] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            nxt is not None
            and is_display(block, 50)
            and not ends_sentence(block.text)
            and not _ENUMERATED.match(block.text)
            and is_display(nxt, 40)
            and (authors := parse_byline(nxt.text))
        ):
            pieces.append(Piece(SPEECH_HEADING, block.display, block.no))
            pieces.append(Piece(SPEAKER, nxt.text, nxt.no))
            speakers.extend(Author(a.name, a.title, ROLE_SPEAKER) for a in authors)
            i += 2
            continue
        pieces.append(Piece(PARAGRAPH, block.text, block.no, block.marked))
        i += 1
    _mark_headings(pieces)
    return _join_cuts(pieces, joins), speakers


def _mark_headings(pieces: list[Piece]) -> None:
    """Numbered lines become headings where the section prints them standalone."""
    sections: list[list[int]] = [[]]
    for k, piece in enumerate(pieces):
        if piece.kind == SPEECH_HEADING:
            sections.append([])
        elif piece.kind == PARAGRAPH:
            sections[-1].append(k)
    for section in sections:
        standalone = [k for k in section if _is_standalone_numbered(pieces[k].text)]
        lead = [k for k in section if _is_lead_numbered(pieces[k].text)]
        if len(standalone) >= len(lead):
            for k in standalone:
                pieces[k].kind = HEADING
    # A short line marked as a heading by the conversion, standing alone and not cut
    # off mid-word (the next block does not open with a 1–2 character tail).
    for k, piece in enumerate(pieces):
        nxt = pieces[k + 1] if k + 1 < len(pieces) else None
        if (
            piece.kind == PARAGRAPH
            and piece.marked
            and len(norm(piece.text)) <= 30
            and not ends_sentence(piece.text)
            and not _ENUMERATED.match(piece.text)
            and not piece.text.startswith(("(", "（"))
            and (nxt is None or not _TINY_START.match(nxt.text))
        ):
            piece.kind = HEADING


def _join_cuts(
    pieces: list[Piece], joins: list[tuple[Piece, Piece]] | None = None
) -> list[BodyBlock]:
    out: list[Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == PARAGRAPH
            and piece.kind == PARAGRAPH
            and not ends_sentence(prev.text)
        ):
            if joins is not None:
                joins.append((Piece(prev.kind, prev.text, prev.line), piece))
            prev.text = join_fragments(prev.text, piece.text)
            continue
        out.append(Piece(piece.kind, piece.text, piece.line, piece.marked))
    return [BodyBlock(p.kind, p.text, p.line) for p in out]


def take_author_note(body: list[BodyBlock]) -> tuple[list[BodyBlock], str]:
    """(作者系全国政协…) → the author note, out of the body."""
    for k in range(len(body) - 1, -1, -1):
        m = _AUTHOR_NOTE.match(body[k].text)
        if body[k].kind == PARAGRAPH and m:
            return body[:k] + body[k + 1 :], m.group(1)
    return body, ""


_DATELINE = re.compile(f"^([{HAN}]{{1,6}}?社)[{HAN}]{{0,6}}?(\\d{{1,2}})月(\\d{{1,2}})日电")


def find_source(body: list[BodyBlock], year: int) -> tuple[str, dt.date | None]:
    """新华社北京7月21日电 … → ("新华社", 2020-07-21)."""
    first = next((b.text for b in body if b.kind == PARAGRAPH), "")
    m = _DATELINE.match(nfkc(first))
    if not m:
        return "", None
    try:
        return m.group(1), dt.date(year, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return m.group(1), None


def find_reporters(body: list[BodyBlock]) -> list[Author]:
    """泽州县政协主席李正根反映：… → the contributors of a 社情民意 item."""
    first = next((b.text for b in body if b.kind == PARAGRAPH), "")
    m = REPORTED.match(first)
    if not m:
        return []
    authors = []
    for part in re.split(r"[，,]", m.group(1)):
        split = split_title_name(part.strip())
        if split:
            title, name = split
            authors.append(Author(name, title, ROLE_REPORTER))
    return authors
