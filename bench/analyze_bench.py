"""The home page in-process before and after the planner statistics of a fresh archive.

On an empty, migrated PostgreSQL database (autovacuum off, as on the CI machine), page
cache off:

    JCZX_PAGE_CACHE=0 DJANGO_ALLOWED_HOSTS=testserver manage.py shell < bench/analyze_bench.py

generate_corpus runs here without its closing ANALYZE, so that the page is timed first as
a bulk load leaves it, then after analyze_archive().
"""

import statistics
import time

from django.test import Client
from django.test.utils import override_settings

import issues.corpus as corpus
from backup.statistics import analyze
from issues.importing.service import analyze_archive


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def home(n=7):
    c = Client()
    c.get("/")
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        r = c.get("/")
        ts.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    return statistics.median(ts)


corpus.analyze_archive = lambda: None  # build without the new ANALYZE
t = time.perf_counter()
res = corpus.generate_corpus(issues=20)
print(f"generate_corpus 20 issues: {res.created} created, {time.perf_counter() - t:.1f} s")
print(f"home before ANALYZE: {home():.1f} ms (median of 7)")
t = time.perf_counter()
analyze_archive()
print(f"analyze_archive(): {(time.perf_counter() - t) * 1000:.0f} ms")
print(f"home after ANALYZE: {home():.1f} ms (median of 7)")
t = time.perf_counter()
analyze()
print(f"ANALYZE whole db: {(time.perf_counter() - t) * 1000:.0f} ms")
