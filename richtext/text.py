"""Plain text out of sanitized rich text."""

import html
import re

# Tags that end a block of text (a paragraph, a cell, a line break) become a space;
# inline tags (strong, em, a, sub …) vanish, so "推动<strong>碳达峰碳中和</strong>是"
# reads "推动碳达峰碳中和是" as printed, not "推动 碳达峰碳中和 是".
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|h[1-6]|blockquote|ul|ol|li|img|figure|figcaption|table|thead|tbody|tfoot"
    r"|tr|th|td|caption|hr|div)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def html_to_text(value: str) -> str:
    """The readable text of sanitized rich text, whitespace collapsed."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", value or ""))
    return _SPACE.sub(" ", html.unescape(text)).strip()
