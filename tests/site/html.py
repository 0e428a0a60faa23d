"""A few helpers to read rendered pages in tests, on Django's own HTML parser (no new
dependency): find elements by tag, class or id and read their text."""

import re

from django.test.html import Element, parse_html

_DOT = re.compile(r"\s*·\s*")


def parse(response) -> Element:
    return parse_html(response.content.decode())


def _matches(element, tag, cls, id_):
    attrs = dict(element.attributes)
    if tag and element.name != tag:
        return False
    if cls and cls not in (attrs.get("class") or "").split():
        return False
    return not (id_ and attrs.get("id") != id_)


def select(root, tag=None, cls=None, id=None) -> list[Element]:
    """Every element under ``root`` (document order) with that tag, class and id."""
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, Element):
            continue
        if node is not root and _matches(node, tag, cls, id):
            found.append(node)
        stack.extend(reversed(node.children))
    return found


def select_one(root, tag=None, cls=None, id=None) -> Element:
    found = select(root, tag, cls, id)
    assert found, f"no element tag={tag} class={cls} id={id}"
    return found[0]


def text(node) -> str:
    """The text of ``node`` with the whitespace between elements and around the "·"
    separators removed, as a reader sees Chinese text (spaces inside a title stay)."""
    if isinstance(node, str):
        return _DOT.sub("·", node.strip())
    return _DOT.sub("·", "".join(text(child) for child in node.children))


def attr(element, name):
    return dict(element.attributes).get(name)


def hrefs(root) -> list[str]:
    return [attr(a, "href") for a in select(root, "a") if attr(a, "href")]
