"""A generated archive for benchmarks and tests (``manage.py generate_corpus``).

Every issue is made from the text of 2020年第4期 (issues/fixtures/jczx-2020-04.md): its
paragraphs, headings, bylines and 工作动态 items are reshuffled into other articles with
other titles, names, dates, pages and issue numbers, the way an archive of hundreds of
issues would look. Nothing here writes rows itself: each issue becomes a
:class:`~issues.importing.document.ParsedIssue`, then goes the importer's way — the
interchange document (``document_from_parsed``), its checks (``validate``) and the one
save function (``issue_save``) — so a generated archive exercises the same code, search
indexing included, as imported back issues.

The same seed gives the same archive: issue *k* depends only on the seed and *k*.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from django.db.models import Q

from issues.importing import interchange
from issues.importing.build import issue_save
from issues.importing.document import (
    HEADING,
    PARAGRAPH,
    ROLE_AUTHOR,
    ROLE_REPORTER,
    ROLE_SPEAKER,
    SPEAKER,
    SPEECH_HEADING,
    Author,
    BoardEntry,
    BodyBlock,
    Highlight,
    ParsedArticle,
    ParsedIssue,
    ParsedNewsItem,
    ParseError,
)
from issues.importing.pipeline import parse_issue
from issues.importing.service import analyze_archive
from issues.models import Issue
from workflow.models import Status

# The issues app's own data, so a deploy needs no fixtures/ folder.
SOURCE = files("issues") / "fixtures" / "jczx-2020-04.md"

# Synthetic 总期号 start here, far above any real issue's (2020年第4期 is 总第43期), so a
# generated archive and imported back issues never claim the same number.
FIRST_TOTAL_NUMBER = 1001
# The archive ends the year before the demo issue, so 2020年第4期 can be imported beside it.
LAST_YEAR = 2019

COLUMNS = ["高层声音", "学习论坛", "本期关注", "会议专题", "社情民意"]
NEWS_COLUMN = "工作动态"
# Share of an issue's articles per column, as in a typical issue (the rest is 社情民意).
COLUMN_WEIGHTS = {"高层声音": 2, "学习论坛": 3, "本期关注": 3, "会议专题": 7, "社情民意": 9}
CHARS_PER_PAGE = 1300

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋"
    "蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟"
    "段雷钱汤尹黎常武乔贺赖龚文牛焦阴和原靳申秦卫"
)
GIVEN = (
    "建国华明志文军平伟红丽玉英芳晓海林春强新东宏勇杰峰涛斌敏静燕霞艳刚辉云鹏亮鑫磊波俊"
    "荣贵喜胜莉守安正阳向晋川佳逊忠根娟涛艳芳振兴利民德福庆永胜宁"
)
PLACES = ["泽州县", "高平市", "阳城县", "陵川县", "沁水县", "城区", "开发区"]
OFFICES = [
    "政协主席",
    "政协副主席",
    "政协常委",
    "政协委员",
    "政协委员、教育局局长",
    "政协委员、卫健委主任",
    "政协委员、文旅局副局长",
    "政协委员、农业农村局局长",
    "政协委员、民营企业家",
    "政协委员、律师事务所主任",
    "政协委员、医院院长",
    "政协委员、中学校长",
]
TOPICS = [
    "药茶产业",
    "康养旅游",
    "太行一号旅游公路",
    "古堡保护利用",
    "煤层气产业",
    "光机电产业",
    "城市更新",
    "老旧小区改造",
    "农村人居环境整治",
    "职业教育",
    "乡村振兴",
    "营商环境",
    "数字经济",
    "黄河流域生态保护",
    "丹河湿地保护",
    "非物质文化遗产传承",
    "社区养老服务",
    "中小企业融资",
    "生活垃圾分类",
    "城市停车治理",
    "学前教育",
    "中医药传承创新",
    "文旅融合",
    "消费回暖",
    "人才引进",
    "科技创新",
    "农产品品牌建设",
    "智慧城市建设",
    "公共卫生应急体系",
    "义务教育均衡发展",
    "就业创业",
    "新能源汽车推广",
    "民营经济发展",
    "河长制落实",
    "森林防火",
    "交通治堵",
    "文明城市创建",
    "安全生产",
    "全域旅游",
    "蚕桑产业",
]
MEETINGS = [
    "市委政协工作会议",
    "市政协常委会议",
    "市政协全体会议",
    "专题议政会",
    "重点提案督办协商座谈会",
    "民主监督工作推进会",
    "委员履职培训会",
    "市委统战工作会议",
]
TITLE_PATTERNS = {
    "学习论坛": ["{phrase}", "深刻把握{phrase}", "以{phrase}引领政协工作"],
    "本期关注": ["{phrase}", "中共晋城市委{n}届{m}次全体会议召开", "{meeting}召开"],
    "社情民意": ["关于{topic}的建议", "加快{topic}的建议", "推动{topic}提质增效的建议"],
}
PARTS_OF_DAY = ["", "", "上午", "上午", "下午", "下午", "全天"]
_DATE_PREFIX = re.compile(
    r"^\d{1,2}月\d{1,2}日(?:[至到](?:\d{1,2}月)?\d{1,2}日)?(?:上午|下午|晚上|全天)?[，,]?"
)
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、")
_CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Pools:
    """What generated issues are made of, taken from one parsed issue."""

    paragraphs: tuple[str, ...]
    phrases: tuple[str, ...]  # headline-like lines: headings, titles, speech headings
    kickers: tuple[str, ...]
    titles: tuple[tuple[str, str], ...]  # (kicker, title) of 高层声音
    byline_titles: tuple[str, ...]
    news: tuple[tuple[str, tuple[str, ...]], ...]  # (text without date, board names in it)
    board_names: tuple[str, ...]
    contact: object


@cache
def pools(source: Path = SOURCE) -> Pools:
    parsed = parse_issue(source)
    articles = [a for a in parsed.found_articles if not a.holds_news]
    paragraphs = [
        b.text for a in articles for b in a.body if b.kind == PARAGRAPH and len(b.text) >= 40
    ]
    phrases = []
    for a in articles:
        phrases += [_NUMBERING.sub("", b.text).rstrip("。") for b in a.body if b.kind != PARAGRAPH]
        phrases += [part for part in a.title.split() if len(part) >= 6]
    phrases = [p for p in dict.fromkeys(phrases) if 6 <= len(p) <= 24 and " " not in p.strip()]
    board = [name for entry in parsed.editorial_board for name in entry.names]
    news = []
    for item in parsed.news_items:
        text = _DATE_PREFIX.sub("", item.text)
        news.append((text, tuple(n for n in board if n in text)))
    return Pools(
        paragraphs=tuple(paragraphs),
        phrases=tuple(phrases),
        kickers=tuple(a.kicker for a in articles if a.kicker),
        titles=tuple((a.kicker, a.title) for a in articles if a.column == "高层声音"),
        byline_titles=tuple(
            dict.fromkeys(au.title for a in articles for au in a.authors if au.title)
        ),
        news=tuple(news),
        board_names=tuple(board),
        contact=parsed.contact,
    )


@dataclass(frozen=True)
class Layout:
    """Where issue *k* of the archive sits: year, number and 总期号."""

    issues: int
    per_year: int = 6
    last_year: int = LAST_YEAR
    first_total: int = FIRST_TOTAL_NUMBER

    @property
    def first_year(self) -> int:
        return self.last_year - (self.issues - 1) // self.per_year

    def place(self, k: int) -> tuple[int, int, int]:
        return self.first_year + k // self.per_year, k % self.per_year + 1, self.first_total + k

    def pub_date(self, year: int, number: int) -> dt.date:
        month = min(12, number * 12 // self.per_year)
        return dt.date(year, month, 25)


def _people(seed: int, count: int) -> list[str]:
    """``count`` distinct two- or three-character names, the same for the same seed."""
    rng = random.Random(f"{seed}:people")
    names: dict[str, None] = {}
    while len(names) < count:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        names[rng.choice(SURNAMES) + given] = None
    return list(names)


def _numbered(k: int) -> str:
    return _CHINESE_NUMERALS[k - 1] if k <= 10 else f"十{_CHINESE_NUMERALS[k - 11]}"


@dataclass
class IssueMaker:
    """Makes the ParsedIssue of archive issue *k*."""

    seed: int
    layout: Layout
    articles: int = 25
    news: int = 100
    pools: Pools = field(default_factory=pools)

    def __post_init__(self):
        self.people = _people(self.seed, 400)

    def board(self, year: int) -> list[BoardEntry]:
        # A 编委会 serves a five-year term (the CPPCC's), so the same people recur.
        rng = random.Random(f"{self.seed}:board:{year // 5}")
        names = rng.sample(self.people, 9)
        return [
            BoardEntry("主任", names[:1]),
            BoardEntry("编委", names[1:6]),
            BoardEntry("主编", names[6:7]),
            BoardEntry("副主编", names[7:9]),
        ]

    def byline(self, rng: random.Random, role: str = ROLE_AUTHOR) -> Author:
        if rng.random() < 0.3:
            title = rng.choice(self.pools.byline_titles)
        else:
            title = rng.choice(PLACES) + rng.choice(OFFICES)
        return Author(rng.choice(self.people), title, role)

    def body(self, rng: random.Random, paragraphs: int, headings: bool) -> list[BodyBlock]:
        chosen = rng.sample(self.pools.paragraphs, min(paragraphs, len(self.pools.paragraphs)))
        blocks, section = [], 0
        for k, text in enumerate(chosen):
            if headings and k % 5 == 1:
                section += 1
                phrase = rng.choice(self.pools.phrases)
                blocks.append(BodyBlock(HEADING, f"{_numbered(section)}、{phrase}"))
            blocks.append(BodyBlock(PARAGRAPH, text))
        return blocks

    def column_plan(self, rng: random.Random) -> list[str]:
        """The column of each 目录 entry, grouped by column as printed; 工作动态 last."""
        total = max(1, self.articles - 1)
        weight_sum = sum(COLUMN_WEIGHTS.values())
        plan = []
        for column in COLUMNS[:-1]:
            share = COLUMN_WEIGHTS[column] * total / weight_sum
            plan += [column] * max(1, round(share + rng.uniform(-0.5, 0.5)))
        plan = plan[:total]
        plan += [COLUMNS[-1]] * (total - len(plan))
        return [*plan, NEWS_COLUMN] if self.articles > 1 else [NEWS_COLUMN]

    def article(self, rng, position, column, period) -> ParsedArticle:
        p = self.pools
        kicker = subtitle = source = author_note = editors_note = ""
        authors: list[Author] = []
        event_date = None
        day = period[0] + dt.timedelta(days=rng.randrange((period[1] - period[0]).days + 1))
        if column == NEWS_COLUMN:  # its dated items are the issue's news_items
            title, body = NEWS_COLUMN, []
        elif column == "高层声音":
            kicker, title = rng.choice(p.titles)
            if rng.random() < 0.7:
                title = " ".join(rng.sample(p.phrases, 2))
            source, event_date = "新华社", day
            body = self.body(rng, rng.randint(9, 14), headings=False)
        elif column == "会议专题":
            meeting = rng.choice(MEETINGS)
            if rng.random() < 0.3:  # a 发言摘编: speeches, each with heading and speaker
                title = " ".join(rng.sample(p.phrases, 2))
                subtitle = f"{meeting}发言摘编"
                editors_note = f"{day.month}月{day.day}日，{meeting}召开。现将部分发言摘编如下。"
                body = []
                for _ in range(rng.randint(3, 5)):
                    author = self.byline(rng, ROLE_SPEAKER)
                    authors.append(author)
                    body.append(BodyBlock(SPEECH_HEADING, rng.choice(p.phrases)))
                    body.append(BodyBlock(SPEAKER, f"{author.title} {author.name}"))
                    body += self.body(rng, rng.randint(2, 4), headings=False)
            else:
                title = f"在{meeting}上的讲话"
                authors.append(self.byline(rng))
                event_date = day
                body = self.body(rng, rng.randint(14, 26), headings=True)
        else:
            pattern = rng.choice(TITLE_PATTERNS[column])
            title = pattern.format(
                phrase=rng.choice(p.phrases),
                topic=rng.choice(TOPICS),
                meeting=rng.choice(MEETINGS),
                n=_numbered(rng.randint(5, 9)),
                m=_numbered(rng.randint(1, 12)),
            )
            if column == "学习论坛":
                authors.append(self.byline(rng))
                if rng.random() < 0.5:
                    subtitle = f"学习{rng.choice(p.phrases)}的体会"
                author_note = f"作者系{authors[0].title}"
                body = self.body(rng, rng.randint(14, 24), headings=True)
            elif column == "社情民意":
                authors += [self.byline(rng, ROLE_REPORTER) for _ in range(rng.choice((1, 1, 2)))]
                body = self.body(rng, rng.randint(4, 8), headings=rng.random() < 0.3)
            else:
                body = self.body(rng, rng.randint(8, 14), headings=False)
        # One name may appear once per byline list, as the importer keeps it.
        seen: set[str] = set()
        authors = [a for a in authors if not (a.name in seen or seen.add(a.name))]
        return ParsedArticle(
            toc_position=position,
            column=column,
            toc_title=title,
            start_page=1,
            end_page=1,
            kicker=kicker,
            title=title,
            subtitle=subtitle,
            authors=authors,
            source=source,
            event_date=event_date,
            editors_note=editors_note,
            author_note=author_note,
            body=body,
        )

    def news_items(self, rng, period, board: list[BoardEntry]) -> list[ParsedNewsItem]:
        # The 2020年第4期 items name its 编委会; here they name this issue's.
        real = list(self.pools.board_names)
        ours = [name for entry in board for name in entry.names]
        rename = dict(zip(real, ours, strict=False))
        days = sorted(
            period[0] + dt.timedelta(days=rng.randrange((period[1] - period[0]).days + 1))
            for _ in range(self.news)
        )
        items = []
        for k, day in enumerate(days, start=1):
            text, names = rng.choice(self.pools.news)
            for old in names:
                text = text.replace(old, rename[old])
            end = day + dt.timedelta(days=rng.randint(1, 3)) if rng.random() < 0.1 else None
            part = "" if end else rng.choice(PARTS_OF_DAY)
            label = f"{day.month}月{day.day}日"
            if end:
                label += (
                    f"至{end.day}日" if end.month == day.month else f"至{end.month}月{end.day}日"
                )
            items.append(
                ParsedNewsItem(
                    date=day,
                    end_date=end,
                    part_of_day=part,
                    text=f"{label}{part}，{text}",
                    line=k,
                    people=[rename[old] for old in names],
                )
            )
        return items

    def issue(self, k: int) -> ParsedIssue:
        rng = random.Random(f"{self.seed}:issue:{k}")
        year, number, total = self.layout.place(k)
        pub_date = self.layout.pub_date(year, number)
        # The items and events an issue reports happened in the two months before it.
        period = (pub_date - dt.timedelta(days=60), pub_date - dt.timedelta(days=5))
        board = self.board(year)
        articles = [
            self.article(rng, position, column, period)
            for position, column in enumerate(self.column_plan(rng), start=1)
        ]
        page = 1
        for article in articles:
            if article.column == NEWS_COLUMN:
                article.holds_news = True
                chars = 60 * self.news
            else:
                chars = sum(len(b.text) for b in article.body)
            article.start_page = page
            article.end_page = page + max(0, (chars - 1) // CHARS_PER_PAGE)
            page = article.end_page + 1
        for article in rng.sample(articles, max(1, len(articles) // 20)):
            if not article.holds_news:
                article.continuation_pages = [page]  # 下转 a page at the back of the issue
                page += 1
        featured = [a for a in articles if not a.holds_news][:: max(1, len(articles) // 5)][:5]
        for article in featured:
            article.featured = True
        return ParsedIssue(
            source=f"generated:{self.seed}:{k}",
            year=year,
            number=number,
            total_number=total,
            highlights=[Highlight(a.title, a.toc_position, 0) for a in featured],
            editorial_board=board,
            contact=self.pools.contact,
            articles=articles,
            news_items=self.news_items(rng, period, board),
        )

    def document(self, k: int) -> dict:
        """The checked interchange document of issue *k*, as an import would have it."""
        parsed = self.issue(k)
        document = interchange.document_from_parsed(parsed)
        document["issue"]["pub_date"] = self.layout.pub_date(parsed.year, parsed.number).isoformat()
        problems = interchange.validate(document, parsed.source)
        if problems:
            raise ParseError(problems)
        return document


@dataclass
class CorpusResult:
    created: int = 0
    skipped: int = 0  # the year and number, or the 总期号, were taken already
    articles: int = 0
    news_items: int = 0
    seconds: float = 0.0


def generate_corpus(
    *,
    issues: int,
    seed: int = 0,
    articles_per_issue: int = 25,
    news_per_issue: int = 100,
    per_year: int = 6,
    last_year: int = LAST_YEAR,
    first_total: int = FIRST_TOTAL_NUMBER,
    status: str = Status.PUBLISHED,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusResult:
    """Generate and save ``issues`` issues; each is saved by the importer in its own
    transaction. Issues whose place (year and number, or 总期号) is taken are skipped,
    so a second run with the same arguments adds nothing."""
    layout = Layout(issues=issues, per_year=per_year, last_year=last_year, first_total=first_total)
    maker = IssueMaker(seed=seed, layout=layout, articles=articles_per_issue, news=news_per_issue)
    result = CorpusResult()
    started = time.perf_counter()
    for k in range(issues):
        year, number, total = layout.place(k)
        if Issue.objects.filter(Q(year=year, number=number) | Q(total_number=total)).exists():
            result.skipped += 1
        else:
            document = maker.document(k)
            issue_save(document=document, status=status)
            result.created += 1
            result.articles += len(document["articles"])
            result.news_items += len(document["news_items"])
        if progress is not None:
            progress(k + 1, issues)
    if result.created:
        analyze_archive()  # the planner would guess from the tables as they were before
    result.seconds = time.perf_counter() - started
    return result
