"""Step 7: the parse checks itself, so that a wrong import cannot succeed.

Everything here looks only at the finished :class:`ParsedIssue`. A finding means text may
sit in the wrong article (or a date is missing); it is a fault, never a warning: the file
is refused naming the line and why, and nothing is written.
"""

from __future__ import annotations

import re
from itertools import pairwise
from statistics import median

from .document import ParsedArticle, ParsedIssue, Problem

# An article's text against what its 目录 page range predicts at the issue's usual
# density (characters per page, the median over its articles). 2020年第4期 runs from 0.59
# to 1.18 times the prediction; the limits leave room for a 目录 number misprinted by two
# pages on either side.
MISPRINT_PAGES = 2
TOO_SHORT = 0.3  # of the pages beyond the misprint allowance
TOO_LONG = 1.5  # of the pages with the misprint allowance
SPREAD_PAGES = 2  # text between the pieces of a headline split across facing pages
# "Far" longer is also more than this many characters beyond the limit: small issues
# with short items vary too much in density to tell a few hundred characters apart.
MIN_EXCESS = 1500

# A 目录 entry, not article text: a short line ending in dot leaders and a page number,
# or led by one (- 36 高举伟大旗帜…).
_TOC_LINE = re.compile(
    r"[.…·・]{2,}\s*\d{1,3}$|^(?:[-*+]\s+)?\d{1,3}\s+[^\d\s。，,；;]{2}[^。；;]{0,58}$"
)


def verify(issue: ParsedIssue, lines: dict[int, str]) -> list[Problem]:
    """Faults of a parsed issue. ``lines``: the source text by line number."""
    file = issue.source
    faults: list[Problem] = []
    faults += _pages_ascending(issue, file)
    faults += _toc_lines_in_articles(issue, lines, file)
    faults += [
        Problem(file, item.line, f"工作动态“{item.text[:20]}”没有日期")
        for item in issue.news_items
        if item.date is None
    ]
    density = _density(issue)
    if density:
        faults += _lengths(issue, file, density)
        faults += _split_headlines(issue, lines, file, density)
    return faults


def _pages_ascending(issue: ParsedIssue, file: str) -> list[Problem]:
    out = []
    for before, article in pairwise(issue.articles):
        if article.start_page < before.start_page:
            out.append(
                Problem(
                    file,
                    article.toc_line,
                    f"目录第{article.toc_position}条的页码{article.start_page}小于上一条的"
                    f"{before.start_page}：目录的页码应当递增",
                )
            )
    found = [a for a in issue.articles if a.found]
    for before, article in pairwise(found):
        if article.source_line < before.source_line:
            out.append(
                Problem(
                    file,
                    article.source_line,
                    f"目录第{article.toc_position}条《{article.title}》在正文里出现在"
                    f"第{before.toc_position}条之前：文章顺序与目录不同",
                )
            )
    return out


def _toc_lines_in_articles(issue: ParsedIssue, lines: dict[int, str], file: str) -> list[Problem]:
    """A 目录 cut short leaves its other entries in the text before the first headline."""
    first = min((a.source_line for a in issue.articles if a.found), default=0)
    for article in issue.articles:
        for no in article.lines:
            if no < first and _TOC_LINE.search(lines.get(no, "").strip()):
                return [
                    Problem(
                        file,
                        no,
                        f"像目录条目的一行（“{lines[no].strip()[:30]}”）出现在"
                        f"目录第{article.toc_position}条的正文里：目录可能没有读完",
                    )
                ]
    return []


def _chars(article: ParsedArticle, issue: ParsedIssue) -> int:
    n = len(article.full_text())
    if article.holds_news:
        n += sum(len(item.text) for item in issue.news_items)
    return n


def _pages(article: ParsedArticle) -> int:
    return article.end_page - article.start_page + 1 + len(article.continuation_pages)


def _density(issue: ParsedIssue) -> float:
    """Characters per page, the median over the articles; 0 with too few to tell."""
    found = [a for a in issue.articles if a.found]
    if len(found) < 3:
        return 0.0
    return median(_chars(a, issue) / _pages(a) for a in found)


def _split_headlines(
    issue: ParsedIssue, lines: dict[int, str], file: str, density: float
) -> list[Problem]:
    """A headline printed across a spread has its pieces a page apart at most; pieces
    further apart are two articles' headlines read as one (目录 entries run together)."""
    furniture = set(issue.furniture_lines)
    out = []
    for article in issue.articles:
        if len(article.headline_lines) < 2:
            continue
        first, last = min(article.headline_lines), max(article.headline_lines)
        between = sum(
            len(lines.get(no, "")) for no in range(first + 1, last) if no not in furniture
        )
        if between > SPREAD_PAGES * density:
            out.append(
                Problem(
                    file,
                    last,
                    f"目录第{article.toc_position}条的标题由相隔{between}字的几行拼成"
                    f"（第{first}行与第{last}行）：可能是两篇文章的标题，目录条目可能合并了",
                )
            )
    return out


def _lengths(issue: ParsedIssue, file: str, density: float) -> list[Problem]:
    """Text far out of proportion to the pages the 目录 gives an article."""
    found = [a for a in issue.articles if a.found]
    out = []
    for article in found:
        chars, pages = _chars(article, issue), _pages(article)
        last = article is issue.articles[-1]  # its end page is unknown
        if not article.body and not article.holds_news:
            problem = "没有正文"
        elif chars < (pages - MISPRINT_PAGES) * density * TOO_SHORT:
            problem = f"正文{chars}字，远少于"
        elif chars > (pages + MISPRINT_PAGES) * density * TOO_LONG + MIN_EXCESS and not last:
            problem = f"正文{chars}字，远多于"
        else:
            continue
        if problem != "没有正文":
            problem += (
                f"目录页码（第{article.start_page}–{article.end_page}页）"
                f"估计的{round(pages * density)}字"
            )
        out.append(
            Problem(
                file,
                article.source_line,
                f"目录第{article.toc_position}条《{article.title}》{problem}：可能有文字归错了文章",
            )
        )
    return out
