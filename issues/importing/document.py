"""What the parser hands over: plain dataclasses, no Django.

A digitized issue of 《晋城政协》 becomes one :class:`ParsedIssue`. Saving it (and the
JSON interchange format) start from these objects, never from the text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Body block kinds.
PARAGRAPH = "paragraph"
HEADING = "heading"  # 一、总体要求 (a numbered sub-heading inside an article)
SPEECH_HEADING = "speech-heading"  # the heading of one speech in a 发言摘编
SPEAKER = "speaker"  # the line under a speech heading: 高平市委书记 胡晓刚
BLOCK_KINDS = (PARAGRAPH, HEADING, SPEECH_HEADING, SPEAKER)

# Author roles, as an editor would label them.
ROLE_AUTHOR = "作者"
ROLE_SPEAKER = "发言"
ROLE_REPORTER = "反映"  # the contributor of a 社情民意 item


@dataclass(frozen=True)
class Problem:
    """Something wrong with a source file, located at a line (1-based; 0 = whole file)."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason}"


class ParseError(Exception):
    """The file cannot be imported. Carries one or more :class:`Problem`."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def reason(self) -> str:
        return self.problems[0].reason


@dataclass(frozen=True)
class BodyBlock:
    kind: str
    text: str
    line: int = 0  # first source line

    def __iter__(self):
        # Lets callers write ``for kind, text in article.body_pairs``-style unpacking.
        yield self.kind
        yield self.text


@dataclass(frozen=True)
class Author:
    name: str
    title: str = ""  # byline title (市委副书记); belongs on the authorship, not the person
    role: str = ROLE_AUTHOR


@dataclass
class BoardEntry:
    """One line of the 编委会: a role and the people holding it, in printed order."""

    role: str
    names: list[str] = field(default_factory=list)


@dataclass
class Contact:
    host: str = ""  # 主办
    address: str = ""
    email: str = ""
    phone: str = ""
    postcode: str = ""
    website: str = ""


@dataclass
class Highlight:
    """One 本期导读 line, re-joined, and the TOC entry it points to."""

    text: str
    toc_position: int | None
    line: int


@dataclass
class ParsedNewsItem:
    """One ★ item of 工作动态."""

    date: dt.date | None
    end_date: dt.date | None
    part_of_day: str  # 上午 / 下午 / 晚上 or ""
    text: str
    line: int
    people: list[str] = field(default_factory=list)
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Join:
    """Two blocks read as one paragraph: a page break (or a stray blank line) cut it."""

    toc_position: int
    left: str  # the end of the first piece
    right: str  # the start of the second
    left_line: int
    right_line: int


@dataclass(frozen=True)
class Continuation:
    """A continued part (上接M页) joined to the article whose (下转N页) names its page."""

    toc_position: int  # the article it joins
    printed_in: int | None  # the article it is printed inside
    line: int  # the (上接M页) line
    lines: tuple[int, ...]
    from_page: int  # M
    mark_line: int  # the (下转N页) line
    to_page: int  # N
    text: str  # how the part begins


@dataclass
class ParsedArticle:
    toc_position: int  # 1..n, TOC order
    column: str  # 栏目
    toc_title: str  # as printed in the TOC, wrapped lines joined
    start_page: int
    end_page: int
    toc_subtitle: str = ""
    continuation_pages: list[int] = field(default_factory=list)  # pages named in 下转
    kicker: str = ""  # 引题
    title: str = ""  # 主标题
    subtitle: str = ""  # 副标题, without the leading ——
    authors: list[Author] = field(default_factory=list)
    source: str = ""  # 新华社 …
    event_date: dt.date | None = None
    editors_note: str = ""  # 编者按
    author_note: str = ""  # 作者系…
    body: list[BodyBlock] = field(default_factory=list)
    featured: bool = False  # pointed to by a 本期导读 line
    holds_news: bool = False  # 工作动态: the body lives in ParsedIssue.news_items
    found: bool = True  # False: TOC entry whose body was not found in the text
    source_line: int = 0
    lines: tuple[int, ...] = ()  # every source line this article was made from
    toc_line: int = 0  # its 目录 entry
    headline_lines: tuple[int, ...] = ()  # the headline's pieces (a spread may split it)

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.body if b.kind == PARAGRAPH]

    def full_text(self) -> str:
        """Everything the reader sees, in order; used by tests and search indexing."""
        parts = [self.kicker, self.title, self.subtitle]
        parts += [" ".join(filter(None, (a.title, a.name))) for a in self.authors]
        parts += [self.editors_note, *(b.text for b in self.body), self.author_note]
        return "\n".join(p for p in parts if p)


@dataclass
class ParsedIssue:
    source: str
    year: int
    number: int  # 第4期
    total_number: int  # 总第43期
    highlights: list[Highlight] = field(default_factory=list)
    editorial_board: list[BoardEntry] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)
    articles: list[ParsedArticle] = field(default_factory=list)
    news_items: list[ParsedNewsItem] = field(default_factory=list)
    internal: bool = False  # the print is marked 内部资料 (internal material)
    warnings: list[Problem] = field(default_factory=list)
    # Problems that make the parse incomplete (a TOC entry without a body); an import
    # may skip those articles when asked (--allow-partial).
    errors: list[Problem] = field(default_factory=list)
    # Problems that mean text may sit in the wrong article: never imported.
    faults: list[Problem] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    continuations: list[Continuation] = field(default_factory=list)
    front_matter_lines: tuple[int, ...] = ()  # cover, masthead and TOC
    furniture_lines: tuple[int, ...] = ()  # running heads, rules, stray markup
    furniture: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, kind)

    @property
    def found_articles(self) -> list[ParsedArticle]:
        return [a for a in self.articles if a.found]

    def raise_for_errors(self) -> None:
        if self.errors or self.faults:
            raise ParseError([*self.faults, *self.errors])
