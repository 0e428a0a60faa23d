"""Requests/s and latency of the site under gunicorn (2 workers), measured with wrk on
127.0.0.1, beside a static file served by the same gunicorn + WhiteNoise in the same
run (the ceiling of this stack).

Three rounds: the production setup (page cache on, in Redis), the page cache on without
Redis (each worker's own memory: a single server with no CACHE_URL), then the page cache
off (every request rendered), each starting gunicorn afresh with the environment of
bench/env.sh. Each URL is checked to answer 200, requested a few times to warm up, then
loaded with ``wrk -t2 -c16 -d<duration> --latency``.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from _django import BASE_DIR, setup, write

CONNECTIONS = 16
THREADS = 2
# wrk counts a response slower than its timeout (2 s by default) as an error, not a
# request: cold pages on a loaded machine come near it.
TIMEOUT = 10
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def targets() -> list[tuple[str, str, bool]]:
    """(label, path, is a target page) — the static baseline first."""
    from django.conf import settings
    from django.db.models import Count

    from articles.models import Column
    from issues.models import Issue
    from members.models import Person

    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    css = manifest["paths"]["css/site.css"]
    issues = list(Issue.objects.visible_to(None).latest_first())
    issue = issues[len(issues) // 2]
    articles = sorted(issue.articles.exclude(body=""), key=lambda a: (len(a.body), a.pk))
    article = articles[len(articles) // 2]
    column = Column.objects.get(name="会议专题")
    person = Person.objects.annotate(n=Count("authorships")).order_by("-n", "pk").first()
    return [
        ("static file (baseline)", f"{settings.STATIC_URL}{css}", False),
        ("home", "/", True),
        ("issue", issue.get_absolute_url(), True),
        ("article", article.get_absolute_url(), True),
        ("column", column.get_absolute_url(), True),
        ("search", "/search/?q=" + quote("政协"), True),
        ("archive list (200 issues)", "/issues/", False),
        ("news timeline", "/news/", False),
        ("person", person.get_absolute_url(), False),
    ]


def parse_wrk(output: str) -> dict:
    def latency(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(m.group(1)) * UNITS[m.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sockets.group(1) if sockets else "",
    }


def get(url: str) -> tuple[int, int, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, len(response.read()), dict(response.headers)


class Server:
    def __init__(self, port: int, env: dict, log: Path, tree: Path = BASE_DIR):
        self.port, self.env, self.log, self.tree = port, env, log, tree

    def __enter__(self):
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "jczx.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=self.tree,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"http://127.0.0.1:{self.port}/")
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {self.log}") from None
                time.sleep(0.5)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()


def measure(port, items, duration, out, label) -> list[dict]:
    rows = []
    for name, path, target in items:
        url = f"http://127.0.0.1:{port}{path}"
        status, size, headers = get(url)
        assert status == 200, (url, status)
        for _ in range(5):
            get(url)
        output = subprocess.run(
            [
                "wrk",
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{duration}s",
                f"--timeout={TIMEOUT}s",
                "--latency",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (out / f"wrk-{label}-{len(rows)}.txt").write_text(f"$ wrk {url}\n{output}")
        row = {"name": name, "path": path, "target": target, "bytes": size, **parse_wrk(output)}
        row["cache_header"] = headers.get("X-Page-Cache", "")
        rows.append(row)
        print(
            f"  {name:<28} {row['rps']:8.0f} req/s   p50 {row['p50_ms']:7.2f} ms"
            f"   p99 {row['p99_ms']:7.2f} ms   {size:>7} B  {row['non_2xx']} non-2xx"
        )
    return rows


def load() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


# Each round's environment over bench/env.sh's.
ROUNDS = {
    "cached": {"JCZX_PAGE_CACHE": "auto"},
    "local": {"JCZX_PAGE_CACHE": "auto", "CACHE_URL": ""},
    "uncached": {"JCZX_PAGE_CACHE": "0"},
}
DESCRIBED = {
    "cached": "page cache on, in Redis",
    "local": "page cache on, each worker's own memory (no Redis)",
    "uncached": "page cache off",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 15)))
    parser.add_argument(
        "--rounds",
        default="cached,local,uncached",
        help="which rounds: cached (page cache on, Redis), local (on, no Redis), "
        "uncached (off: cold pages)",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        default=BASE_DIR,
        help="the checkout gunicorn serves (a second worktree: the code before a change)",
    )
    parser.add_argument("--name", default="http", help="the results file: <out>/<name>.json")
    args = parser.parse_args()
    setup()
    from django.core.cache import cache

    args.out.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("BENCH_PORT", 8790))
    items = targets()
    result = {
        "workers": 2,
        "threads": THREADS,
        "connections": CONNECTIONS,
        "tree": str(args.tree),
        "commit": subprocess.run(
            ["git", "-C", str(args.tree), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "rounds": {},
        "load": {},
    }
    for label in args.rounds.split(","):
        duration = args.duration if label != "uncached" else max(5, args.duration * 2 // 3)
        cache.clear()  # the benchmark's own Redis database (CACHE_URL)
        env = {**os.environ, **ROUNDS[label]}
        print(f"{DESCRIBED[label]} (wrk -d{duration}s):")
        before = load()
        log = args.out / f"gunicorn-{args.name}-{label}.log"
        with Server(port, env, log, args.tree):
            result["rounds"][label] = measure(
                port, items, duration, args.out, f"{args.name}-{label}"
            )
        result["load"][label] = {"before": before, "after": load()}
        time.sleep(2)
    write(args.out, args.name, result)


if __name__ == "__main__":
    sys.exit(main())
