"""What "no live script" means on a rendered page, checked the way a browser would
build it: no script element but the site's own static files, no event-handler
attributes, no javascript:/vbscript:/data: URLs, no frames, objects, <base>, refreshes
or inline styles. Used by tests/site/test_xss.py; the browser half is there too."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "data" / "xss-payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]

# Attributes whose value a browser treats as a URL to load or navigate to.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "codebase",
    "cite",
    "longdesc",
    "ping",
    "manifest",
    "lowsrc",
    "dynsrc",
}
# SVG animation can set an href to its values.
ANIMATION_VALUE_ATTRIBUTES = {"values", "to", "from", "by"}
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "style",
    "isindex",
}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}
C0_AND_SPACE = "".join(map(chr, range(0x21)))
IMAGE_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.IGNORECASE)


def url_scheme(value: str) -> str:
    """The scheme a browser would see: it drops tabs and newlines anywhere and control
    characters and spaces at both ends before reading the scheme."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip(C0_AND_SPACE)
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


class _LiveScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self._in_script = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_starttag(self, tag, attrs):
        attrs = [(name.lower(), value or "") for name, value in attrs]
        found = dict(attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            kind = found.get("type", "").strip().lower()
            src = found.get("src", "")
            if kind in DATA_BLOCK_TYPES:
                self._in_script = "data"
            elif src.startswith(settings.STATIC_URL) and "//" not in src:
                self.scripts.append(src)
                self._in_script = "static"
            else:
                self.problems.append(f"<script> not from the site's static files: {src!r}")
                self._in_script = "live"
        if tag == "meta" and found.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "link" and found.get("rel", "").lower() in {"import", "prefetch"}:
            self.problems.append(f"<link rel={found['rel']}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            elif name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            elif name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc=…>")
            elif name in URL_ATTRIBUTES or name == "srcset":
                scheme = url_scheme(value)
                if scheme in {"javascript", "vbscript", "livescript"}:
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
                elif scheme == "data" and not (tag == "img" and IMAGE_DATA_URL.match(value)):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}> data: URL")
            elif name in ANIMATION_VALUE_ATTRIBUTES and "javascript:" in value.lower():
                self.problems.append(f"<{tag} {name}={value[:40]!r}> animated script URL")

    def handle_data(self, data):
        if self._in_script == "static" and data.strip():
            self.problems.append("inline code in a <script src>")
        elif self._in_script == "data" and "</" in data:
            self.problems.append("a data block that closes an element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def live_script_problems(html: str) -> list[str]:
    """Everything in ``html`` that could run script; [] for a clean page."""
    finder = _LiveScriptFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


# The same rules, run inside Chromium on the DOM it built (tests/site/test_xss.py).
DOM_CHECK = """() => {
  const bad = [];
  const staticUrl = %(static)s;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (%(forbidden)s.includes(tag)) bad.push('<' + tag + '>');
    if (tag === 'script') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      const src = el.getAttribute('src') || '';
      if (!%(data_types)s.includes(type) && !(src.startsWith(staticUrl) && !src.includes('//')))
        bad.push('script ' + src);
    }
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\t\\n\\r]/g, '').trim().toLowerCase();
      if (name.startsWith('on')) bad.push(tag + ' ' + name);
      if (name === 'style') bad.push(tag + ' style');
      if (%(url_attrs)s.includes(name) && /^(javascript|vbscript|livescript):/.test(value))
        bad.push(tag + ' ' + name + ' ' + value);
    }
  }
  return bad;
}"""


def dom_check_script() -> str:
    import json

    return DOM_CHECK % {
        "static": json.dumps(settings.STATIC_URL),
        "forbidden": json.dumps(sorted(FORBIDDEN_ELEMENTS)),
        "data_types": json.dumps(sorted(DATA_BLOCK_TYPES)),
        "url_attrs": json.dumps(sorted(URL_ATTRIBUTES)),
    }
