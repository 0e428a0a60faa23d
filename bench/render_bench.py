"""Cold pages in-process: what rendering one page costs with the page cache off, and
where the time goes. For each page of bench/http_bench.py: the median time of
``--repeat`` requests through Django's test client (the whole middleware stack, no
HTTP) and the median CPU time of this process (Python's share, steady on a shared
machine), its SQL queries and the time spent in them; with ``--profile``, the functions
that take the most time (cProfile, cumulative) written beside the results.

    source bench/env.sh && JCZX_PAGE_CACHE=0 $PY bench/render_bench.py --out "$BENCH_OUT"

Run after ``collectstatic`` (production settings hash static files).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

from _django import setup, write


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from http_bench import targets

    assert not settings.JCZX_PAGE_CACHE, "run with JCZX_PAGE_CACHE=0: cold pages"
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for name, path, _target in targets()[1:]:
        assert client.get(path).status_code == 200, path
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        row = {
            "name": name,
            "path": path,
            "ms_p50": statistics.median(times),
            "ms_min": min(times),
            # This process's CPU time: what the page costs in Python, little changed by
            # other work on a shared machine (the database's own time is not in it).
            "cpu_ms_p50": statistics.median(cpu),
            "queries": len(queries.captured_queries),
            "sql_ms": sql_ms,
        }
        rows.append(row)
        print(
            f"  {name:<28} {row['ms_p50']:7.1f} ms (min {row['ms_min']:.1f}),"
            f" CPU {row['cpu_ms_p50']:6.1f} ms,"
            f"  {row['queries']:3d} queries, {sql_ms:6.1f} ms in the database"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(5):
                client.get(path)
            profile.disable()
            text = io.StringIO()
            pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(60)
            (args.out / f"profile-{len(rows)}-{name.split()[0]}.txt").write_text(text.getvalue())
    write(args.out, "render", {"repeat": args.repeat, "pages": rows})


if __name__ == "__main__":
    sys.exit(main())
