"""Steps 1–2: bytes → text → cleaned lines → blocks (runs of lines between blank lines).

The digitized text is Markdown-ish, but the conversion put ``#`` and ``**`` wherever the
print had big or bold type, so markup is removed here and never used for structure,
except as a weak hint recorded on the line (:attr:`Line.marked`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .document import ParseError, Problem
from .text import join_fragments, norm


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM) → text with ``\\n`` line ends, or a clear ParseError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(Problem(file, 1, "文件是 UTF-16 编码，不是 UTF-8；请另存为 UTF-8"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            Problem(
                file,
                line,
                f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节 0x{data[exc.start]:02x} 无效，"
                "可能是 GBK）；请另存为 UTF-8",
            )
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(Problem(file, 1, "文件是空的"))
    return text


def read(path: str | Path) -> str:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(Problem(str(path), 0, f"无法读取文件：{exc.strerror}")) from None
    return decode(data, str(path))


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the source
    raw: str
    text: str  # markup removed, spaces collapsed
    marked: bool  # the source made it a Markdown heading (#)


_HEADING_MARK = re.compile(r"^#{1,6}(?:\s+|$)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


_MARKUP_CHARS = frozenset("#*_\\<\t\u3000\u00a0")


def clean_line(raw: str) -> tuple[str, bool]:
    s = raw.strip()
    if "  " not in s and _MARKUP_CHARS.isdisjoint(s):
        return s, False  # most lines: plain text
    marked = bool(_HEADING_MARK.match(s))
    s = _HEADING_MARK.sub("", s)
    s = s.replace("**", "").replace("__", "")
    s = _ESCAPE.sub(r"\1", s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _SPACES.sub(" ", s).strip()
    if s.strip("#*_ ") == "":  # a stray mark alone on a line
        s = ""
    return s, marked


def split_lines(text: str) -> list[Line]:
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        cleaned, marked = clean_line(raw)
        lines.append(Line(no, raw, cleaned, marked))
    return lines


_CONTINUED_TO = re.compile(r"[(（]\s*(?:下\s*)?转\s*(?:第\s*)?(\d{1,3})\s*(?:页|版)\s*[)）]")
_CONTINUED_FROM = re.compile(r"^[(（]\s*(?:上\s*)?接\s*(?:第\s*)?(\d{1,3})\s*(?:页|版)\s*[)）]\s*")


@dataclass
class Block:
    """Lines printed as one unit: a paragraph, a headline, a TOC group …"""

    lines: tuple[Line, ...]

    @property
    def no(self) -> int:
        return self.lines[0].no

    @property
    def nos(self) -> tuple[int, ...]:
        return tuple(line.no for line in self.lines)

    @property
    def marked(self) -> bool:
        return self.lines[0].marked

    @cached_property
    def raw_text(self) -> str:
        """Lines joined as running text (hard wraps removed), continuation marks kept."""
        out = ""
        for line in self.lines:
            out = join_fragments(out, line.text)
        return out

    @cached_property
    def continued_to(self) -> list[int]:
        """Pages named by (下转N页) marks in the block."""
        return [int(m) for m in _CONTINUED_TO.findall(self.raw_text)]

    @cached_property
    def continued_from(self) -> int | None:
        """The page named by a leading (上接N页) mark."""
        m = _CONTINUED_FROM.match(self.raw_text)
        return int(m.group(1)) if m else None

    @cached_property
    def text(self) -> str:
        """Running text without continuation marks."""
        s = _CONTINUED_FROM.sub("", self.raw_text)
        return _CONTINUED_TO.sub("", s).strip()

    @cached_property
    def norm(self) -> str:
        """:func:`text.norm` of the running text, kept: matching asks for it often."""
        return norm(self.text)

    @cached_property
    def display(self) -> str:
        """Lines joined with a space: how a multi-line headline or subtitle reads."""
        return " ".join(line.text for line in self.lines)


def split_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    run: list[Line] = []
    for line in lines:
        if line.text:
            run.append(line)
        elif run:
            blocks.append(Block(tuple(run)))
            run = []
    if run:
        blocks.append(Block(tuple(run)))
    return blocks


def markup_only_lines(lines: list[Line]) -> list[int]:
    """Lines that held nothing but markup (``#``, ``**``): furniture."""
    return [line.no for line in lines if line.raw.strip() and not line.text]
