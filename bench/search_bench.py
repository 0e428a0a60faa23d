"""Search latency on the benchmark archive (bench/run_all.sh builds it: 5,000 articles),
in-process, beside an ``icontains`` scan over the same rows, in the same run.

For each query of a fixed list, ``--repeat`` times after one warm-up:

- ``search``: what the search page asks of the database, through its own code —
  ``SearchView.get_queryset()`` for an anonymous reader, in one ``one_generation()``
  block as ``SearchView.get()`` runs it (query parsing, the filter
  form's lookups, ``Article.objects.visible_to(...).search(...)``), then the count and
  the first page of 20 with bylines, as the paginator takes them. Measured twice:
  *cold*, the content generation replaced before each run (as after any edit: the
  matching articles are looked up in the GIN index again), and *repeated* (the matches
  remembered for the generation, as for a popular query);
- ``icontains``: the same count and page from the same visible articles, each piece
  of the query matched with ``icontains`` on the fields search covers (title, 引题,
  副标题, 目录标题, 编者按, source, body, 作者简介), newest first;
- ``page``: the whole ``SearchView`` response rendered (template, snippets, highlights),
  repeated.
"""

import argparse
import time
from functools import reduce
from operator import and_, or_
from pathlib import Path

from _django import setup, summary, write

QUERIES = [
    "政协",
    "人民政协",
    "委员",
    "协商民主",
    "高质量发展",
    "药茶",
    "康养旅游",
    "营商环境",
    "文明城市",
    "企业家精神",
    "政治协商",
    "习近平 总书记",
    "中小企业融资",
    "常国荣",
    "古堡",
    "火星探测",  # found nowhere
]
FIELDS = [
    "title",
    "kicker",
    "subtitle",
    "toc_title",
    "editors_note",
    "source",
    "body",
    "author_note",
]


def timed(function, repeat: int, before=None) -> tuple[list[float], object]:
    result = function()  # warm-up: query plans, jieba's dictionary
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q
    from django.test import RequestFactory

    import jczx.wsgi  # noqa: F401  (a worker's warm-up: jieba loaded, start-up objects frozen)
    from articles.models import Article
    from pagecache.cache import replace_generation
    from search.memo import one_generation
    from search.views import SearchView

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    factory = RequestFactory()

    def request(q):
        r = factory.get("/search/", {"q": q})
        r.user = AnonymousUser()
        return r

    def search(q):
        view = SearchView()
        view.setup(request(q))
        with one_generation():  # as SearchView.get(): the generation read once
            queryset = view.get_queryset()
            return queryset.count(), list(queryset[:20])

    def scan(q):
        pieces = [
            reduce(or_, (Q(**{f"{field}__icontains": piece}) for field in FIELDS))
            for piece in q.split()
        ]
        queryset = (
            Article.objects.visible_to(None).filter(reduce(and_, pieces)).with_listing()
        ).latest_first()
        return queryset.count(), list(queryset[:20])

    def page(q):
        response = SearchView.as_view()(request(q))
        response.render()
        assert response.status_code == 200
        return len(response.content)

    articles = Article.objects.visible_to(None).count()
    print(f"{articles} articles visible to anonymous readers")
    print(
        f"{'query':<14}{'hits':>6}{'scan hits':>10}   median ms: search cold, repeated"
        "  icontains   page"
    )
    kinds = ("search", "repeated", "icontains", "page")
    rows, totals = [], {kind: [] for kind in kinds}
    for q in QUERIES:
        measured = {
            "search": timed(lambda q=q: search(q), args.repeat, before=replace_generation),
            "repeated": timed(lambda q=q: search(q), args.repeat),
            "icontains": timed(lambda q=q: scan(q), args.repeat),
            "page": timed(lambda q=q: page(q), args.repeat),
        }
        row = {
            "query": q,
            "hits": measured["search"][1][0],
            "scan_hits": measured["icontains"][1][0],
        }
        for kind in kinds:
            totals[kind] += measured[kind][0]
            row[kind] = summary(measured[kind][0])
        rows.append(row)
        print(
            f"{q:<14}{row['hits']:>6}{row['scan_hits']:>10}   {row['search']['p50']:22.1f}"
            f"{row['repeated']['p50']:10.1f}{row['icontains']['p50']:11.1f}"
            f"{row['page']['p50']:7.1f}"
        )
    overall = {key: summary(samples) for key, samples in totals.items()}
    for key, s in overall.items():
        print(f"all queries, {key:<10} p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms")
    print(f"page cache (and remembered matches): {settings.JCZX_PAGE_CACHE}")
    speedup = overall["icontains"]["p50"] / overall["search"]["p50"]
    print(f"search is {speedup:.1f}× faster than icontains (medians)")
    write(
        args.out,
        "search",
        {
            "articles": articles,
            "repeat": args.repeat,
            "remembered_matches": settings.JCZX_PAGE_CACHE,
            "queries": rows,
            "overall": overall,
        },
    )


if __name__ == "__main__":
    main()
