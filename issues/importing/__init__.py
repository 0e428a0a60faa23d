"""Importer for digitized issues of 《晋城政协》.

Parsing (this package's pipeline) never touches the database; see ``pipeline``.
"""

from .document import ParsedArticle, ParsedIssue, ParsedNewsItem, ParseError, Problem
from .pipeline import parse_bytes, parse_issue, parse_text

__all__ = [
    "ParseError",
    "ParsedArticle",
    "ParsedIssue",
    "ParsedNewsItem",
    "Problem",
    "parse_bytes",
    "parse_issue",
    "parse_text",
]
