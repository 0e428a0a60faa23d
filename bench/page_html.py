"""The HTML of the benchmark's pages (and a few variants: a year filter, a later page,
a search of one kind), page cache off, written to ``<out>/<page>.html``: run it in two
checkouts against the same archive and compare, to see that an optimisation changed
nothing a reader gets.

    source bench/env.sh
    (cd ../cold-base && JCZX_PAGE_CACHE=0 $PY bench/page_html.py /tmp/html-before)
    JCZX_PAGE_CACHE=0 $PY bench/page_html.py /tmp/html-after
    diff -r /tmp/html-before /tmp/html-after && echo identical
"""

import sys
from pathlib import Path

from _django import setup

VARIANTS = [
    ("column, one year", "/columns/huiyizhuanti/?year=2010"),
    ("column, page 3", "/columns/huiyizhuanti/?page=3"),
    ("search, 工作动态 only", "/search/?q=%E5%8F%91%E5%B1%95&kind=news"),
]


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    setup()
    from django.test import Client
    from http_bench import targets

    client = Client(HTTP_HOST="127.0.0.1")
    pages = [(name, path) for name, path, _ in targets()[1:]] + VARIANTS
    for n, (name, path) in enumerate(pages, 1):
        response = client.get(path)
        (out / f"{n:02d}.html").write_bytes(response.content)
        print(f"{n:02d}.html  {response.status_code}  {len(response.content):>7} B  {name} {path}")


if __name__ == "__main__":
    sys.exit(main())
