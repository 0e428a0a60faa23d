"""Soak: gunicorn (2 workers, as in production) under 64 concurrent connections for 60 s
with wrk, on the home, issue, article and search pages. Fails (exit 1) on any socket
error, timeout or 5xx, and writes the figures into docs/benchmarks.md ("## Soak").

Everything runs on this machine: a throw-away database (SQLite in a temporary folder, or
with DATABASE_URL=postgres://… a database ``jczx_soak`` created and dropped on that
server), filled with issues and articles made from the real 2020-4 issue's paragraphs;
gunicorn bound to 127.0.0.1; wrk sending traffic only there.

Usage::

    .venv/bin/python bench/soak.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/soak.py
    .venv/bin/python bench/soak.py --duration 10 --no-write   # a quick try

Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
# wrk gives up on a request after this long and counts a timeout error. With 2 sync
# workers the 64 connections queue, so the wait is about 64 ÷ throughput: 30 s (what
# gunicorn allows a request, and far less than a browser waits) leaves room for a
# machine shared with other work without hiding a server that stops answering.
TIMEOUT = 30
SEARCH_WORDS = ["政协", "协商", "药茶", "高质量发展", "人民政协", "古堡", "李正根", "康养旅游"]

LUA = r"""
-- Round-robin over the page list; every response's status counted per thread.
local paths = {PATHS}
local counter = 0
statuses = {}

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("STATUS %d %d\n", status, count))
  end
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --- The database --------------------------------------------------------------------------


class Database:
    """A throw-away database: SQLite in ``workdir``, or ``jczx_soak`` on the PostgreSQL
    server of DATABASE_URL."""

    def __init__(self, workdir: Path):
        given = os.environ.get("DATABASE_URL", "")
        self.postgres = given.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parts = urllib.parse.urlsplit(given)
            self.admin_url = parts._replace(path="/postgres").geturl()
            self.url = parts._replace(path="/jczx_soak").geturl()
        else:
            self.url = f"sqlite:///{workdir / 'soak.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg2

        connection = psycopg2.connect(self.admin_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()

    def create(self) -> None:
        if self.postgres:
            self._admin("DROP DATABASE IF EXISTS jczx_soak")
            self._admin("CREATE DATABASE jczx_soak")

    def drop(self) -> None:
        if self.postgres:
            self._admin("DROP DATABASE IF EXISTS jczx_soak WITH (FORCE)")

    def version(self) -> str:
        if not self.postgres:
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg2

        connection = psycopg2.connect(self.url)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        connection.close()
        return f"PostgreSQL {version}"


def seed(issues: int, per_issue: int) -> dict:
    """Fill the database (Django already set up) and return the pages to request."""
    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article, Authorship, Column
    from issues.models import Issue
    from members.models import Person
    from workflow.models import Status

    call_command("migrate", verbosity=0)
    call_command("loaddata", str(BASE_DIR / "fixtures" / "columns.json"), verbosity=0)
    text = (BASE_DIR / "fixtures" / "demo" / "jczx-2020-04.md").read_text(encoding="utf-8")
    paragraphs = [line.strip() for line in text.splitlines() if len(line.strip()) > 40]
    rng = random.Random(43)
    columns = list(Column.objects.all())
    names = ["李正根", "原红海", "胡晓刚", "刘佳义", "张志川", "姚逊", "李志忠", "刘娟"]
    people = [Person.objects.create(name=n) for n in names]
    published = timezone.now() - datetime.timedelta(days=1)
    articles = []
    for n in range(issues):
        issue = Issue.objects.create(
            year=2015 + n // 6,
            number=n % 6 + 1,
            total_number=n + 1,
            status=Status.PUBLISHED,
            published_at=published,
        )
        for position in range(1, per_issue + 1):
            article = Article.objects.create(
                issue=issue,
                column=rng.choice(columns),
                toc_position=position,
                title=rng.choice(paragraphs)[: rng.randint(8, 24)],
                body="".join(f"<p>{p}</p>" for p in rng.sample(paragraphs, rng.randint(5, 15))),
                start_page=position * 2,
                end_page=position * 2 + 1,
                status=Status.PUBLISHED,
                published_at=published,
            )
            for person in rng.sample(people, rng.randint(1, 2)):
                Authorship.objects.create(article=article, person=person, byline_title="政协委员")
            articles.append(article)
    latest = Issue.objects.latest_first()
    pages = {
        "home": ["/"],
        "issue": [issue.get_absolute_url() for issue in latest[:6]],
        "article": [a.get_absolute_url() for a in rng.sample(articles, min(30, len(articles)))],
        "search": ["/search/?" + urllib.parse.urlencode({"q": w}) for w in SEARCH_WORDS],
    }
    return pages


# --- The server and the load ---------------------------------------------------------------


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def warm_up(port: int, paths: list[str]) -> None:
    """Each page a few times, so both workers have loaded jieba's dictionary and
    their templates before the clock starts; every page must answer 200."""
    for path in paths * 3:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status} before the soak")


def single_request_ms(port: int, pages: dict[str, list[str]]) -> dict[str, float]:
    """Median time of one request at a time, per kind of page: what a page costs when
    nothing queues (the soak's latency is mostly queueing)."""
    medians = {}
    for kind, paths in pages.items():
        samples = []
        for path in paths[:5] * 3:
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
                response.read()
            samples.append((time.perf_counter() - started) * 1000)
        medians[kind] = sorted(samples)[len(samples) // 2]
    return medians


def run_wrk(port, paths, connections, duration, threads, workdir) -> str:
    script = workdir / "soak.lua"
    script.write_text(LUA.replace("{PATHS}", ", ".join(json.dumps(p) for p in paths)))
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        f"--timeout={TIMEOUT}s",
        "--latency",
        f"--script={script}",
        f"http://{HOST}:{port}/",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed: {result.stderr}")
    return result.stdout


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> dict:
    """The figures of a wrk run: requests, rate, latency percentiles (ms), socket
    errors, non-2xx/3xx count, and every status code seen."""

    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * UNITS[unit]

    figures = {
        "requests": int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", output).group(1)),
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "latency_ms": {
            p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE)
        },
        "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx_3xx": 0,
        "statuses": {int(s): int(c) for s, c in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M)},
    }
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        figures["errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True)
        )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        figures["non_2xx_3xx"] = int(non_2xx.group(1))
    figures["latency_ms"]["max"] = ms(
        re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, re.MULTILINE).group(1)
    )
    return figures


def server_errors(access_log: Path) -> int:
    """5xx answers in gunicorn's access log: a second count, independent of wrk's."""
    if not access_log.exists():
        return 0
    return sum(1 for line in access_log.read_text().splitlines() if re.search(r'" 5\d\d ', line))


# --- Report --------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.platform()}"


def versions() -> str:
    import django
    import gunicorn

    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    wrk_version = re.search(r"wrk (?:\S+/)?([\d.]+)", wrk.stdout + wrk.stderr)
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__}, wrk {wrk_version.group(1) if wrk_version else '?'}"
    )


def report(args, figures, pages, content, database, fivexx_logged, command, load) -> str:
    latency = figures["latency_ms"]
    percentiles = " / ".join(f"{latency.get(p, 0):.0f}" for p in ("50", "75", "90", "99"))
    errors = " / ".join(str(figures["errors"][k]) for k in ("connect", "read", "write", "timeout"))
    statuses = ", ".join(f"{s}: {c}" for s, c in sorted(figures["statuses"].items()))
    singles = ", ".join(f"{k} {v:.0f}" for k, v in figures["single_request_ms"].items())
    counts = ", ".join(f"{len(v)} {k}" for k, v in pages.items())
    return f"""## Soak

`bench/soak.py` runs gunicorn with 2 sync workers (as in production, `DJANGO_DEBUG=0`,
`DJANGO_HTTPS=0`) on 127.0.0.1 and sends it {args.connections} concurrent connections for
{args.duration} s with wrk, round-robin over {counts} pages ({sum(map(len, pages.values()))}
URLs; search with jieba words). It fails on any socket error, timeout ({TIMEOUT} s) or 5xx.

- Date: {datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}
- Command: `{command}`
- Machine: {machine()}; load average {load[0]:.1f} before the run, {load[1]:.1f}
  after
- Software: {versions()}, {database}
- Content: {content}

| figure | value |
|---|---|
| requests | {figures["requests"]:,} |
| requests/s | {figures["requests_per_second"]:.1f} |
| latency p50 / p75 / p90 / p99 | {percentiles} ms |
| latency max | {latency["max"]:.0f} ms |
| socket errors (connect/read/write/timeout) | {errors} |
| non-2xx/3xx responses | {figures["non_2xx_3xx"]} |
| status codes | {statuses} |
| 5xx in gunicorn's access log | {fivexx_logged} |
| one request at a time, median | {singles} ms |

With two sync workers each request holds a worker, so the {args.connections} connections
queue: latency here is mostly waiting in line (about connections ÷ throughput), not the
time a page takes to render (the last row). Throughput is bounded by the CPU time of a
page over two workers: every page is rendered for every request, since the soak runs
with the page cache off (`JCZX_PAGE_CACHE=0`) — the worst case of a spike, such as the
first minutes after a deploy. With the page cache (Redis, or each worker's own memory)
the same pages are answered from the cache: see the Results above.
"""


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Soak\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--articles-per-issue", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="jczx-soak-"))
    database = Database(workdir)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "soak-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "DJANGO_SETTINGS_MODULE": "jczx.settings",
        "JCZX_PAGE_CACHE": "0",  # every request rendered: the worst case
    }
    server = None
    try:
        database.create()
        os.environ.update(env)
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        pages = seed(args.issues, args.articles_per_issue)
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.db import connections

        connections.close_all()
        content = (
            f"{args.issues} published issues × {args.articles_per_issue} articles "
            f"(5–15 paragraphs each), seeded in {time.perf_counter() - started:.0f} s"
        )
        port = free_port()
        access_log = workdir / "access.log"
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "jczx.wsgi",
                "--workers=2",
                f"--bind={HOST}:{port}",
                f"--access-logfile={access_log}",
                f"--error-logfile={workdir / 'error.log'}",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        wait_until_up(port, server)
        paths = [p for group in pages.values() for p in group]
        warm_up(port, paths)
        single = single_request_ms(port, pages)
        access_log.write_text("")  # count only the soak's own requests
        load_before = os.getloadavg()[0]
        print(
            f"soaking {len(paths)} URLs with {args.connections} connections for {args.duration} s"
        )
        output = run_wrk(port, paths, args.connections, args.duration, args.threads, workdir)
        print(output)
        figures = parse_wrk(output)
        load = (load_before, os.getloadavg()[0])
        figures["single_request_ms"] = single
        fivexx_logged = server_errors(access_log)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()  # before the database is dropped
        db_label = database.version()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)

    fivexx = sum(c for s, c in figures["statuses"].items() if s >= 500)
    failed = sum(figures["errors"].values()) + figures["non_2xx_3xx"] + fivexx + fivexx_logged
    print(json.dumps(figures, indent=2))
    if not args.no_write:
        command = (
            "make soak"
            if args.connections == 64 and args.duration == 60
            else " ".join(["bench/soak.py", *sys.argv[1:]])
        )
        if database.postgres:
            command = f"DATABASE_URL=postgres://…/… {command}"
        section = report(args, figures, pages, content, db_label, fivexx_logged, command, load)
        write_section(BASE_DIR / "docs" / "benchmarks.md", section)
        print("wrote the Soak section of docs/benchmarks.md")
    if failed:
        print(f"FAILED: {failed} errors / non-2xx / 5xx", file=sys.stderr)
        return 1
    print("soak passed: no errors, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
