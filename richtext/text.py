"""Plain text out of sanitized rich text."""

import html
import re

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """The readable text of sanitized rich text, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", value or ""))).strip()
