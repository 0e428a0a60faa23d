"""Step 3: the front of the issue — cover (issue number, 本期导读), the 编委会 and contact
block, and the 目录 (table of contents), which is the source of truth for the articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import BoardEntry, Contact, ParseError, Problem
from .source import Block
from .text import HAN, looks_like_name, nfkc, norm, normalize_name, split_names

# ---------------------------------------------------------------- furniture


_RULE = re.compile(r"^[-*_=~—]{3,}$")
_PINYIN = re.compile(r"^[A-Z]{1,12}(?: [A-Z]{1,12}){2,}$")
# A page number as printed at the foot or head of a page: 12, · 12 ·, — 12 —, －12－.
_PAGE_NO = re.compile(r"^[·•・\-—–－~～\s]*\d{1,3}[·•・\-—–－~～\s]*$")
_ISSUE_NO = re.compile(r"\d{4}\s*年\s*第\s*\d{1,2}\s*期|总\s*第\s*\d{1,4}\s*期")
FURNITURE_TEXTS = frozenset({"内部资料", "内部资料注意保存", "注意保存"})


def furniture_kind(
    block: Block, magazine: str = "晋城政协", columns: frozenset[str] = frozenset()
) -> str:
    """What page furniture the block is (running head, page number …), or "".

    Running heads: the magazine's name, alone or with the issue or a page number
    (晋城政协 2020年第4期, 12 晋城政协), or a column name (odd pages print the column)."""
    return furniture_text_kind(block.display, magazine, columns)


def furniture_text_kind(
    text: str, magazine: str = "晋城政协", columns: frozenset[str] = frozenset()
) -> str:
    if len(text) > 80:
        return ""
    plain = nfkc(text)
    if _RULE.match(text):
        return "分隔线"
    if _PINYIN.match(text):
        return "拼音标题"
    if _PAGE_NO.match(plain):
        return "页码"
    if norm(text) in FURNITURE_TEXTS:
        return "内部资料标注"
    if norm(re.sub(r"\d{1,3}", "", _ISSUE_NO.sub("", plain))) == magazine:
        return "页眉"
    if norm(text) in columns:
        return "页眉（栏目名）"
    return ""


def is_furniture(
    block: Block, magazine: str = "晋城政协", columns: frozenset[str] = frozenset()
) -> bool:
    """Running heads, page numbers, rules, pinyin title lines: not article text."""
    return bool(furniture_kind(block, magazine, columns))


# ---------------------------------------------------------------- cover


_TOTAL = re.compile(r"总\s*第\s*(\d{1,4})\s*期")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NUMBER = re.compile(r"(?<![\d总])(?:第\s*)?(\d{1,2})(?!\d)")


@dataclass
class Cover:
    year: int
    number: int
    total_number: int
    line: int


def parse_cover(front: list[Block], file: str) -> tuple[Cover, list[Problem]]:
    """The issue number printed as 〔4 总第43期 2020〕 (or 2020年第4期 总第43期)."""
    found: list[Cover] = []
    for block in front:
        text = nfkc(block.display)
        total = _TOTAL.search(text)
        if not total:
            continue
        rest = _TOTAL.sub(" ", text)
        year = _YEAR.search(rest)
        if not year:
            continue
        rest = rest[: year.start()] + " " + rest[year.end() :]
        number = _NUMBER.search(rest)
        if not number or not 1 <= int(number.group(1)) <= 24:
            continue
        found.append(Cover(int(year.group(1)), int(number.group(1)), int(total.group(1)), block.no))
    if not found:
        line = front[0].no if front else 1
        raise ParseError(
            Problem(
                file,
                line,
                "找不到封面：目录之前没有期号（应如 〔4 总第43期 2020〕 或 2020年第4期 总第43期）",
            )
        )
    problems = [
        Problem(
            file,
            other.line,
            f"期号与第 {found[0].line} 行不一致："
            f"{other.year}年第{other.number}期（总第{other.total_number}期）",
        )
        for other in found[1:]
        if (other.year, other.number, other.total_number)
        != (found[0].year, found[0].number, found[0].total_number)
    ]
    return found[0], problems


# ---------------------------------------------------------------- 本期导读


_ITEM_MARK = re.compile(r"^(?:[-*+]\s+)?[◆◇●○■□▲△★☆·•]?\s*")


@dataclass
class RawHighlight:
    lines: list[str]
    line: int


def parse_highlights(front: list[Block]) -> list[RawHighlight]:
    """Lines under 本期导读, each item possibly wrapped over several lines."""
    items: list[RawHighlight] = []
    started = False
    for block in front:
        if not started:
            if norm(block.lines[0].text) in ("本期导读", "本期要目", "导读"):
                started = True
                rest = block.lines[1:]
            else:
                continue
        else:
            rest = block.lines
        if not rest:
            continue
        if not re.match(r"^(?:[-*+]\s+|[◆◇●○■□▲△★☆·•])", rest[0].text):
            if items:
                break
            continue
        for line in rest:
            is_item = re.match(r"^(?:[-*+]\s+|[◆◇●○■□▲△★☆·•])", line.text)
            text = _ITEM_MARK.sub("", line.text).strip()
            if is_item or not items:
                items.append(RawHighlight([text], line.no))
            else:
                items[-1].lines.append(text)
    return items


# ---------------------------------------------------------------- 编委会 and contact


_LABEL = re.compile(r"^([^：:]{1,12})[：:]\s*(.*)$")
CONTACT_LABELS = {
    "主办": "host",
    "主办单位": "host",
    "地址": "address",
    "通讯地址": "address",
    "电子信箱": "email",
    "电子邮箱": "email",
    "邮箱": "email",
    "email": "email",
    "e-mail": "email",
    "电话": "phone",
    "联系电话": "phone",
    "邮编": "postcode",
    "邮政编码": "postcode",
    "网址": "website",
    "网站": "website",
}


def _contact_field(label: str) -> str | None:
    key = re.sub(r"\s+", "", nfkc(label)).lower()
    if key in CONTACT_LABELS:
        return CONTACT_LABELS[key]
    if key.endswith("网") or "网址" in key:
        return "website"
    return None


def parse_masthead(front: list[Block]) -> tuple[list[BoardEntry], Contact]:
    """The 编委会 (role：names, names continuing on the following lines) and the contact
    block (主办、地址 …) after it."""
    board: list[BoardEntry] = []
    contact = Contact()
    started = False
    last: tuple[str, object] | None = None  # ("board", entry) or ("contact", field)
    for block in front:
        for line in block.lines:
            text = line.text
            if not started:
                if "编委会" in text or "编辑委员会" in text:
                    started = True
                continue
            m = _LABEL.match(text)
            if m:
                label, value = m.group(1).strip(), m.group(2).strip()
                fld = _contact_field(label)
                if fld:
                    setattr(contact, fld, _clean_contact(fld, value))
                    last = ("contact", fld)
                elif not any(v for v in vars(contact).values()):
                    entry = BoardEntry(re.sub(r"\s+", "", label), split_names(value))
                    board.append(entry)
                    last = ("board", entry)
                else:
                    last = None
            elif last and last[0] == "board" and _all_names(text):
                last[1].names.extend(split_names(text))
            elif last and last[0] == "contact":
                fld = last[1]
                joined = getattr(contact, fld) + text
                setattr(contact, fld, _clean_contact(fld, joined))
    return board, contact


def _all_names(text: str) -> bool:
    names = split_names(text)
    return bool(names) and all(looks_like_name(n) or len(n) in (2, 3) for n in names)


def _clean_contact(fld: str, value: str) -> str:
    value = value.strip()
    if fld == "host":
        value = value.removesuffix("主办").strip()
    elif fld == "phone":
        value = nfkc(value).replace(" ", "")
    elif fld in ("postcode", "email", "website"):
        value = nfkc(value).replace(" ", "").strip("<>")
    return value


# ---------------------------------------------------------------- 目录


@dataclass
class TocEntry:
    position: int
    column: str
    page: int
    lines: list[str]  # the title as printed, one item per printed line
    line: int
    subtitle: str = ""
    author_hint: str = ""  # a name printed after the title (刘佳义, 姚 逊 → 姚逊)
    speaker: str = ""  # 习近平：… — the speaker named in front of the title
    end_page: int = 0
    line_nos: list[int] = field(default_factory=list)

    @property
    def plain_title(self) -> str:
        """Title lines run together, without the author or speaker."""
        return "".join(self.lines)

    @property
    def label(self) -> str:
        """How problems name this entry: 第26页《…》."""
        return f"目录第{self.position}条（{self.column} 第{self.page}页《{self.toc_text}》）"

    @property
    def toc_text(self) -> str:
        text = " ".join(self.lines)
        if self.speaker:
            text = f"{self.speaker}：{text}"
        return text


_TOC_HEAD = ("目录", "目次", "本期目录")
_ENTRY_LEAD = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_ENTRY_TRAIL = re.compile(r"^(\S.*?)\s*(?:[.…·・]{2,}|\s)\s*(\d{1,3})$")
_TOC_MARK = re.compile(r"^(?:[-*+]\s+)?[◎●○■□◆◇▲△☆★·•]?\s*")
_COLUMN_MARK = re.compile(r"^(?:[-*+]\s+)?[◎●○■□◆◇▲△☆★]|^【.+】$")
_TRAILING_NAME = re.compile(f"\\s+([{HAN}](?:[ \u3000]?[{HAN}]){{1,3}})$")
_SPEAKER = re.compile(f"^([{HAN}]{{2,4}})\\s*[：:]\\s*(\\S.*)$")


def find_toc(blocks: list[Block], file: str) -> int:
    for i, block in enumerate(blocks):
        if norm(block.lines[0].text) in _TOC_HEAD:
            return i
    where = blocks[min(_expected_toc(blocks), len(blocks) - 1)]
    raise ParseError(
        Problem(
            file,
            where.no,
            f"找不到目录：此处应是“目录”，实为“{where.display[:24]}”",
        )
    )


def _expected_toc(blocks: list[Block]) -> int:
    """Where the 目录 should have been: after the contact block, or before the first
    article text."""
    last_contact = None
    for i, block in enumerate(blocks):
        if any(
            (m := _LABEL.match(line.text)) and _contact_field(m.group(1)) for line in block.lines
        ):
            last_contact = i
        elif len(block.text) > 60 and "。" in block.text:
            break
    if last_contact is not None:
        return last_contact + 1
    for i, block in enumerate(blocks):
        if len(block.text) > 60 and "。" in block.text:
            return max(i - 2, 0)
    return 0


def _entry(text: str) -> tuple[int, str] | None:
    """(page, title) of a 目录 line; a page number between rules (· 2 ·) is none."""
    m = _ENTRY_LEAD.match(text)
    if m and _has_words(m.group(2)):
        return int(m.group(1)), m.group(2).strip()
    m = _ENTRY_TRAIL.match(text)
    if m and not re.search(r"\d$", m.group(1)) and _has_words(m.group(1)):
        return int(m.group(2)), m.group(1).strip()
    return None


def _has_words(text: str) -> bool:
    return any(not ch.isdigit() for ch in norm(text))


def parse_toc(blocks: list[Block], toc: int, file: str) -> tuple[list[TocEntry], int]:
    """Entries of the 目录, and the index of the first block after it.

    Columns are the short lines introducing a group of entries (◎ 高层声音). Two layouts:
    the page number in front of the title (``7 新时代…``), wrapped title lines following
    it; or at the end, after dot leaders (``新时代……7``), as tables of contents print it,
    the wrapped title lines before it. Lines set apart and led by —— give a subtitle."""
    flat = [(bi, li) for bi in range(toc + 1, len(blocks)) for li in range(len(blocks[bi].lines))]
    if _numbers_trail(blocks, flat):
        entries, end = _toc_numbers_trailing(blocks, flat)
    else:
        entries, end = _toc_numbers_leading(blocks, flat)
    if not entries:
        raise ParseError(
            Problem(
                file, blocks[toc].no, "目录里没有条目（应如“- 7 新时代人民政协的行动指南 刘佳义”）"
            )
        )
    for entry in entries:
        _split_author_and_speaker(entry)
    for k, entry in enumerate(entries):
        nxt_page = entries[k + 1].page if k + 1 < len(entries) else entry.page
        entry.end_page = max(entry.page, nxt_page - 1)
    return entries, end


def _toc_text(blocks: list[Block], at: tuple[int, int]) -> str:
    return _TOC_MARK.sub("", blocks[at[0]].lines[at[1]].text).strip()


def _numbers_trail(blocks: list[Block], flat: list[tuple[int, int]]) -> bool:
    """The first line that is an entry decides the layout."""
    for at in flat:
        text = _toc_text(blocks, at)
        if _ENTRY_LEAD.match(text):
            return False
        if _entry(text):
            return True
    return False


def _toc_numbers_leading(
    blocks: list[Block], flat: list[tuple[int, int]]
) -> tuple[list[TocEntry], int]:
    entries: list[TocEntry] = []
    column = ""
    current_block = -1
    end = len(blocks)
    for pos, (bi, li) in enumerate(flat):
        line = blocks[bi].lines[li]
        if furniture_text_kind(line.text):
            continue  # a running head or page number printed on the 目录 page
        text = _toc_text(blocks, (bi, li))
        entry = _entry(text)
        after = (_toc_text(blocks, at) for at in flat[pos + 1 :])
        nxt = next((t for t in after if not furniture_text_kind(t)), None)
        next_is_entry = bool(nxt and _entry(nxt))
        if entry:
            page, title = entry
            entries.append(TocEntry(len(entries) + 1, column, page, [title], line.no))
            entries[-1].line_nos.append(line.no)
            current_block = bi
        elif text.startswith("——") and entries:
            _add_subtitle(entries[-1], text, line.no)
        elif entries and li > 0 and current_block == bi and not _COLUMN_MARK.match(line.text):
            entries[-1].lines.append(text)
            entries[-1].line_nos.append(line.no)
        elif _COLUMN_MARK.match(line.text) or (next_is_entry and len(norm(text)) <= 16):
            column = text.strip("【】 ")
        elif not entries and re.fullmatch(r"[A-Za-z .]+", text):
            pass  # CONTENTS
        else:
            end = bi
            break
    return entries, end


def _toc_numbers_trailing(
    blocks: list[Block], flat: list[tuple[int, int]]
) -> tuple[list[TocEntry], int]:
    """Title lines gather until the line that ends with the page number.

    Lines left over at the end of a block are a column name when they are one short line
    and entries follow; otherwise the 目录 ended before them."""
    entries: list[TocEntry] = []
    column = ""
    pending: list[tuple[str, int]] = []  # (title line, line number)
    pending_block = -1
    end = len(blocks)
    for pos, (bi, li) in enumerate(flat):
        line = blocks[bi].lines[li]
        if furniture_text_kind(line.text):
            continue  # a running head or page number printed on the 目录 page
        text = _toc_text(blocks, (bi, li))
        if pending and bi != pending_block:
            block_has_entry = any(
                _entry(_toc_text(blocks, (bi, k))) for k in range(len(blocks[bi].lines))
            )
            if len(pending) == 1 and len(norm(pending[0][0])) <= 16 and block_has_entry:
                column = pending[0][0].strip("【】 ")
                pending = []
            else:
                end = pending_block
                pending = []
                break
        entry = _entry(text)
        if entry:
            page, title = entry
            lines = [t for t, _ in pending]
            subtitle = ""
            if title.startswith("——") and lines:
                subtitle, title = title, ""  # ……——副题……36: the subtitle closes the entry
            titles = [t for t in [*lines, title] if t]
            first = pending[0][1] if pending else line.no
            item = TocEntry(len(entries) + 1, column, page, titles, first)
            item.line_nos = [*(no for _, no in pending), line.no]
            if subtitle:
                _add_subtitle(item, subtitle, line.no)
            entries.append(item)
            pending = []
        elif text.startswith("——") and entries and not pending:
            _add_subtitle(entries[-1], text, line.no)
        elif _COLUMN_MARK.match(line.text) and not pending:
            column = text.strip("【】 ")
        elif not entries and not pending and re.fullmatch(r"[A-Za-z .]+", text):
            pass  # CONTENTS
        else:
            pending.append((text, line.no))
            pending_block = bi
        if pos + 1 == len(flat) and pending:
            end = pending_block
    return entries, end


def _add_subtitle(entry: TocEntry, text: str, no: int) -> None:
    entry.subtitle = (entry.subtitle + text.lstrip("—").strip()).strip()
    entry.line_nos.append(no)


def _split_author_and_speaker(entry: TocEntry) -> None:
    last = entry.lines[-1]
    m = _TRAILING_NAME.search(last)
    if m and looks_like_name(m.group(1)) and last[: m.start()].strip():
        entry.author_hint = normalize_name(m.group(1))
        entry.lines[-1] = last[: m.start()].strip()
    m = _SPEAKER.match(entry.lines[0])
    if m and looks_like_name(m.group(1)):
        entry.speaker = m.group(1)
        entry.lines[0] = m.group(2).strip()
