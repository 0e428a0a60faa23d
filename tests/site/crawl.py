"""Crawl the public site from the home page, as a reader's browser would follow links."""

from collections import deque
from urllib.parse import urldefrag

from tests.site.html import attr, parse, select

SKIP = ("/admin/", "/media/", "/static/")


def internal_links(response):
    if not response["Content-Type"].startswith("text/html"):
        return []
    page = parse(response)
    links = [attr(a, "href") for a in select(page, "a")]
    links += [
        attr(link, "href") for link in select(page, "link") if attr(link, "rel") == "alternate"
    ]
    found = []
    for href in filter(None, links):
        href = urldefrag(href.replace("&amp;", "&")).url
        if href.startswith("/") and not href.startswith("//") and not href.startswith(SKIP):
            found.append(href)
    return found


def crawl(client):
    """{url: (status, body)} for every page reachable from "/"."""
    seen = {"/": None}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        response = client.get(url, follow=True)
        seen[url] = (response.status_code, response.content.decode(errors="replace"))
        for href in internal_links(response):
            if href not in seen:
                seen[href] = None
                queue.append(href)
    return seen
