"""Search latency on ~1,000 generated articles, beside an ``icontains`` scan.

Builds a throw-away test database (``test_<name>`` for PostgreSQL, in memory for SQLite),
fills it with articles assembled from paragraphs of the real 2020-4 issue, then times a
fixed list of queries three ways:

- ``search``: ``Article.objects.search(q)``: the count and the first page of 20, as the
  search page asks for them;
- ``icontains``: the same count and page from ``title``/``body`` ``icontains``;
- ``page``: the whole ``GET /search/?q=`` through the test client (template, snippets).

Usage (PostgreSQL is what production runs)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jczx_search \\
        .venv/bin/python bench/search_latency.py [--articles 1000] [--repeat 30]
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jczx.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnop")

QUERIES = [
    "政协",
    "药茶",
    "古堡",
    "人民政协",
    "李正根",
    "协商 民主",
    "高质量发展",
    "康养旅游",
    "政治协商",
    "习近平 总书记 重要讲话",
    "火星探测",  # no result
]


def corpus_paragraphs() -> list[str]:
    text = (BASE_DIR / "fixtures" / "demo" / "jczx-2020-04.md").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 40]


def build(count: int) -> None:
    import datetime

    from django.utils import timezone

    from articles.models import Article, Authorship, Column
    from issues.models import Issue
    from jczx.publishing import Status
    from members.models import Person

    rng = random.Random(43)
    paragraphs = corpus_paragraphs()
    names = ["李正根", "原红海", "胡晓刚", "刘佳义", "张志川", "姚逊", "李志忠", "刘娟", "韩晋涛"]
    people = [Person.objects.create(name=n) for n in names]
    people += [Person.objects.create(name=f"委员{n}") for n in range(40)]
    columns = [
        Column.objects.get_or_create(slug=f"col-{n}", defaults={"name": f"栏目{n}"})[0]
        for n in range(6)
    ]
    published = timezone.now() - datetime.timedelta(days=1)
    per_issue = 50
    started = time.perf_counter()
    for start in range(0, count, per_issue):
        number = start // per_issue
        issue = Issue.objects.create(
            year=2000 + number // 6,
            number=number % 6 + 1,
            total_number=number + 1,
            status=Status.PUBLISHED,
            published_at=published,
        )
        articles = Article.objects.bulk_create(
            [
                Article(
                    issue=issue,
                    column=rng.choice(columns),
                    toc_position=position + 1,
                    title=rng.choice(paragraphs)[: rng.randint(8, 24)],
                    body="".join(f"<p>{p}</p>" for p in rng.sample(paragraphs, rng.randint(5, 15))),
                    start_page=position + 1,
                    end_page=position + 2,
                    status=Status.PUBLISHED,
                    published_at=published,
                )
                for position in range(min(per_issue, count - start))
            ]
        )
        Authorship.objects.bulk_create(
            [
                Authorship(article=a, person=p, byline_title="政协委员")
                for a in articles
                for p in rng.sample(people, rng.randint(1, 2))
            ]
        )
    elapsed = time.perf_counter() - started
    print(f"built and indexed {count} articles in {elapsed:.1f} s")


def timed(function, repeat: int) -> list[float]:
    function()  # warm caches (jieba's dictionary, the query plan)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p50_p95(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):7.1f} {p95:7.1f}"


def measure(repeat: int) -> None:
    from django.db.models import Q
    from django.test import Client

    from articles.models import Article

    client = Client()
    visible = Article.objects.visible_to(None)

    def search(q):
        qs = visible.with_listing().search(q)
        return qs.count(), list(qs[:20])

    def scan(q):
        words = q.split()
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        qs = visible.with_listing().filter(condition).latest_first()
        return qs.count(), list(qs[:20])

    def page(q):
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, response.status_code
        return response

    print(
        f"{'query':<16} {'hits':>5} {'scan':>5}   search p50/p95"
        "   icontains p50/p95   page p50/p95 (ms)"
    )
    totals = {"search": [], "scan": [], "page": []}
    for q in QUERIES:
        hits, scan_hits = search(q)[0], scan(q)[0]
        rows = {
            "search": timed(lambda q=q: search(q), repeat),
            "scan": timed(lambda q=q: scan(q), repeat),
            "page": timed(lambda q=q: page(q), repeat),
        }
        for key, samples in rows.items():
            totals[key] += samples
        label = q if len(q) <= 10 else q[:9] + "…"
        print(
            f"{label:<16}"
            f" {hits:>5} {scan_hits:>5}   {p50_p95(rows['search'])}"
            f"      {p50_p95(rows['scan'])}      {p50_p95(rows['page'])}"
        )
    print(
        f"{'all queries':<16} {'':>5} {'':>5}   {p50_p95(totals['search'])}"
        f"      {p50_p95(totals['scan'])}      {p50_p95(totals['page'])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As in the tests: static URLs without a collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "postgresql":
        # Not test_<name>: a pytest run on the same database may be using that one.
        connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({re.sub(r'.*/', '', str(name))})")
        build(args.articles)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        measure(args.repeat)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
