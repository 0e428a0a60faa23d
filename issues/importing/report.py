"""The archivist's check by eye: one self-contained HTML page about one import.

It shows what the parse made of the file — the 目录 as read, each article's first and
last sentence, each paragraph joined across a page break (the two halves side by side),
each continued part moved and from where, each line dropped as page furniture, and every
warning and fault — so that a person can confirm an import without reading the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template.loader import render_to_string

from .document import ParsedArticle, ParsedIssue, ParseError, Problem
from .pipeline import parse_issue

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+$")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _ends(article: ParsedArticle, issue: ParsedIssue) -> tuple[str, str]:
    texts = [b.text for b in article.body]
    if article.holds_news:
        texts += [item.text for item in issue.news_items]
    if not texts:
        return "", ""
    first, last = sentences(texts[0]), sentences(texts[-1])
    return (first[0] if first else texts[0]), (last[-1] if last else texts[-1])


def import_report(
    *, path: str | Path, outcome: str, problems: list[Problem], warnings: list[Problem]
) -> str:
    """The report page for ``path``; ``outcome`` and the lists come from the import."""
    path = Path(path)
    try:
        issue = parse_issue(path)
    except ParseError as err:
        issue, problems = None, [*err.problems, *problems]
    context = {
        "source": str(path),
        "outcome": outcome,
        "problems": list(dict.fromkeys(problems)),
        "warnings": list(dict.fromkeys(warnings)),
        "issue": issue,
    }
    if issue is not None:
        titles = {a.toc_position: a.title or a.toc_title for a in issue.articles}
        context.update(
            articles=[
                {"article": a, "pages": a.end_page - a.start_page + 1, "ends": _ends(a, issue)}
                for a in issue.articles
            ],
            joins=[(j, titles.get(j.toc_position, "")) for j in issue.joins],
            continuations=[
                (c, titles.get(c.toc_position, ""), titles.get(c.printed_in, "（目录之前）"))
                for c in issue.continuations
            ],
            news_count=len(issue.news_items),
            found=len(issue.found_articles),
        )
    return render_to_string("issues/import_report.html", context)
