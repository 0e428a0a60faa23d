"""The parsing pipeline, step by step. Pure: text in, :class:`ParsedIssue` out.

read → lines → blocks → cover/masthead/TOC → locate articles → reassemble continued
parts → clean and classify → result. Each step lives in its own module and can be
tried on a few lines of text.
"""

from __future__ import annotations

from pathlib import Path

from . import body as body_step
from . import news as news_step
from .document import (
    ROLE_AUTHOR,
    Author,
    Continuation,
    Highlight,
    Join,
    ParsedArticle,
    ParsedIssue,
    ParsedNewsItem,
    ParseError,
    Problem,
)
from .frontmatter import (
    TocEntry,
    find_toc,
    furniture_kind,
    furniture_text_kind,
    parse_cover,
    parse_highlights,
    parse_masthead,
    parse_toc,
)
from .locate import (
    Placement,
    Run,
    align,
    cut_runs,
    place_orphans,
    score,
    title_variants,
    unclaimed_headlines,
)
from .source import Block, decode, markup_only_lines, read, split_blocks, split_lines
from .text import bigrams, join_wrapped, norm, unbreak
from .verify import verify

MIN_HIGHLIGHT_MATCH = 0.5


def parse_issue(path: str | Path) -> ParsedIssue:
    """Parse a digitized issue file. Raises :class:`ParseError` when it cannot be read
    as an issue at all; problems with single articles are in ``.errors``."""
    return parse_text(read(path), str(path))


def parse_bytes(data: bytes, file: str = "<bytes>") -> ParsedIssue:
    return parse_text(decode(data, file), file)


def parse_text(text: str, file: str = "<text>") -> ParsedIssue:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(text)
    blocks = split_blocks(lines)
    if not blocks:
        raise ParseError(Problem(file, 1, "文件是空的"))

    toc = find_toc(blocks, file)
    front = blocks[:toc]
    cover, warnings = parse_cover(front, file)
    raw_highlights = parse_highlights(front)
    board, contact = parse_masthead(front)
    entries, body_start = parse_toc(blocks, toc, file)

    furniture = [(no, lines[no - 1].raw.strip(), "排版标记") for no in markup_only_lines(lines)]
    body, placements = locate_articles(entries, blocks[body_start:], furniture)
    runs = cut_runs(body, placements)
    placed, faults, moves = place_orphans(runs, placements, body, file)
    faults = unclaimed_headlines(placements, body, file) + faults
    warnings += placed

    issue = ParsedIssue(
        source=file,
        year=cover.year,
        number=cover.number,
        total_number=cover.total_number,
        editorial_board=board,
        contact=contact,
        front_matter_lines=tuple(no for b in blocks[:body_start] for no in b.nos),
        furniture_lines=tuple(sorted(no for no, _, _ in furniture)),
        furniture=sorted(furniture),
    )
    for k, placement in enumerate(placements):
        article, items, problems = build_article(
            k, placement, runs, body, cover.year, file, issue.joins
        )
        issue.articles.append(article)
        issue.news_items.extend(items)
        for problem in problems:
            (issue.errors if not article.found else warnings).append(problem)
    board_names = [name for entry in board for name in entry.names]
    for item in issue.news_items:
        item.people = news_step.people_named(item.text, board_names)
    outside_articles = {*issue.front_matter_lines, *issue.furniture_lines}
    issue.internal = any("内部资料" in ln.text for ln in lines if ln.no in outside_articles)
    issue.highlights = match_highlights(raw_highlights, placements, issue.articles)
    for h in issue.highlights:
        if h.toc_position is None:
            warnings.append(Problem(file, h.line, f"本期导读“{h.text}”对不上目录里的文章"))
    issue.warnings = warnings
    issue.continuations = [
        Continuation(
            placements[m.owner].entry.position,
            placements[m.host].entry.position if m.host is not None else None,
            body[m.start].no,
            tuple(no for i in range(m.start, m.end) for no in body[i].nos),
            m.from_page,
            body[m.mark].no,
            m.to_page,
            body[m.start].text[:40],
        )
        for m in moves
    ]
    issue.faults = faults + verify(issue, {ln.no: ln.text for ln in lines})
    return issue


def locate_articles(
    entries: list[TocEntry], blocks: list[Block], furniture: list[tuple[int, str, str]]
) -> tuple[list[Block], list[Placement]]:
    """Page furniture out, then each 目录 entry's headline found in what is left.

    A column name standing alone is a running head, except where it is also an entry's
    title (工作动态): there the line the headline search picks is the headline and the
    other ones are running heads."""
    columns = {norm(e.column) for e in entries if e.column}
    titles = {norm(e.plain_title) for e in entries}
    heads = frozenset(columns - titles)
    body: list[Block] = []
    for block in blocks:
        kind = furniture_kind(block, columns=heads)
        if kind:
            furniture += [(line.no, line.text, kind) for line in block.lines]
        else:
            body += split_at_furniture(block, heads, furniture, frozenset(columns & titles))
    placements = align(entries, body)
    chosen = {i for p in placements for i in p.headline}
    repeated = {i for i, b in enumerate(body) if b.norm in columns & titles and i not in chosen}
    if repeated:
        for i in sorted(repeated):
            furniture += [(line.no, line.text, "页眉（栏目名）") for line in body[i].lines]
        body = [b for i, b in enumerate(body) if i not in repeated]
        placements = align(entries, body)
    return body, placements


# Characters: 晋城政协 2020年第4期 · 12 and the like (a pinyin title line, all ASCII, may
# be longer).
LONGEST_RUNNING_HEAD = 30


def split_at_furniture(
    block: Block,
    columns: frozenset[str],
    furniture: list[tuple[int, str, str]],
    titled_columns: frozenset[str] = frozenset(),
) -> list[Block]:
    """A running head or page number printed without blank lines around it (as many
    conversions give them) is dropped, and the lines before and after it become blocks
    of their own: it stood where a page ended, so a paragraph the break cut is joined
    again later like any other. A column name that is also a title (工作动态) becomes a
    block of its own: the headline search decides which one is the headline."""
    if len(block.lines) == 1:
        return [block]
    out: list[Block] = []
    run: list = []
    for line in block.lines:
        if len(line.text) > LONGEST_RUNNING_HEAD and not line.text.isascii():
            run.append(line)  # a line of text (most lines): no need to look closer
            continue
        kind = furniture_text_kind(line.text, columns=columns)
        alone = norm(line.text) in titled_columns
        if kind or alone:
            if run:
                out.append(Block(tuple(run)))
            run = []
            if alone:
                out.append(Block((line,)))
            else:
                furniture.append((line.no, line.text, kind))
        else:
            run.append(line)
    if run:
        out.append(Block(tuple(run)))
    return out if len(out) != 1 or len(out[0].lines) != len(block.lines) else [block]


def build_article(
    k: int,
    p: Placement,
    runs: list[Run],
    body: list[Block],
    year: int,
    file: str,
    joins: list[Join] | None = None,
) -> tuple[ParsedArticle, list[ParsedNewsItem], list[Problem]]:
    entry = p.entry
    article = ParsedArticle(
        toc_position=entry.position,
        column=entry.column,
        toc_title=_toc_title(entry, []),
        start_page=entry.page,
        end_page=entry.end_page,
        toc_subtitle=entry.subtitle,
        source_line=entry.line,
        toc_line=entry.line,
    )
    if not p.found:
        article.found = False
        article.title = entry.plain_title
        if entry.author_hint:
            article.authors = [Author(entry.author_hint)]
        return article, [], [Problem(file, entry.line, f"{entry.label}：正文里找不到这篇文章")]

    problems: list[Problem] = []
    main = [i for r in runs if r.owner == k and r.kind != "continued" for i in r_range(r)]
    continued = [i for r in runs if r.owner == k and r.kind == "continued" for i in r_range(r)]
    header = p.header
    rest = [i for i in main if i not in header]
    head = body_step.read_header([body[i] for i in rest])
    text_blocks = [body[i] for i in rest[head.used :]] + [body[i] for i in continued]
    own_text = "".join(b.text for b in text_blocks)

    references = [*entry.lines, own_text]
    article.title = " ".join(unbreak(body[i].display, references) for i in p.headline)
    article.headline_lines = tuple(body[i].no for i in p.headline)
    if not article.title:
        article.title = join_wrapped(entry.lines, [])
    article.toc_title = _toc_title(entry, [article.title])
    article.kicker = body[p.kicker].display if p.kicker is not None else ""
    subtitles = [body[i].display.lstrip("—").strip() for i in p.subtitle]
    subtitles += [body[i].display.lstrip("—").strip() for i in p.elsewhere if i not in p.headline]
    subtitles += head.subtitles
    article.subtitle = " ".join(s for s in subtitles if s) or entry.subtitle
    article.editors_note = head.editors_note
    article.source_line = body[p.start].no
    article.continuation_pages = sorted({pg for i in main for pg in body[i].continued_to})

    items: list[ParsedNewsItem] = []
    news_joins: list[tuple[str, int, str, int]] = []
    if news_step.holds_news(text_blocks):
        items, text_blocks = news_step.split_news(text_blocks, year, news_joins)
        article.holds_news = True
    cuts: list = []
    blocks, speakers = body_step.classify(text_blocks, cuts)
    if joins is not None:
        pos = entry.position
        joins += [Join(pos, a.text[-40:], b.text[:40], a.line, b.line) for a, b in cuts]
        joins += [Join(pos, a[-40:], b[:40], la, lb) for a, la, b, lb in news_joins]
    blocks, article.author_note = body_step.take_author_note(blocks)
    article.body = blocks
    article.source, dateline = body_step.find_source(blocks, year)
    article.event_date = head.event_date or dateline

    authors = [Author(a.name, a.title, ROLE_AUTHOR) for a in head.authors]
    authors += speakers + body_step.find_reporters(blocks)
    if not authors and entry.author_hint:
        authors = [Author(entry.author_hint)]
    elif entry.author_hint and entry.author_hint not in {a.name for a in authors}:
        problems.append(
            Problem(
                file,
                entry.line,
                f"{entry.label}：目录署名{entry.author_hint}与正文署名"
                f"{'、'.join(a.name for a in authors)}不同",
            )
        )
    article.authors = authors

    news_lines = {no for item in items for no in item.lines}
    article.lines = tuple(
        sorted(no for i in main + continued for no in body[i].nos if no not in news_lines)
    )
    return article, items, problems


def r_range(run: Run) -> range:
    return range(run.start, run.end)


def _toc_title(entry, references: list[str]) -> str:
    title = join_wrapped(entry.lines, references)
    return f"{entry.speaker}：{title}" if entry.speaker else title


def match_highlights(
    raw: list, placements: list[Placement], articles: list[ParsedArticle]
) -> list[Highlight]:
    """Each 本期导读 line points to the article whose TOC wording it repeats."""
    out = []
    variants = [title_variants(p.entry) for p in placements]
    for item in raw:
        found = bigrams("".join(item.lines))
        scores = [score(v, found)[0] for v in variants]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        article = None
        if best is not None and scores[best] >= MIN_HIGHLIGHT_MATCH:
            article = articles[best]
            article.featured = True
        refs = [article.toc_title, article.title] if article else []
        out.append(
            Highlight(
                join_wrapped(item.lines, refs),
                article.toc_position if article else None,
                item.line,
            )
        )
    return out
