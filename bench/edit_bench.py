"""Cached pages while an editor works: one article saved every second during the load.

A writer process saves a random article of one issue (the *edited* issue, in the middle
of the archive) once a second, with ``Article.save()`` as the admin does, while wrk
loads pages of OTHER issues through gunicorn (2 workers, page cache on, Redis): one
article page, and a rotation over one article page of each of up to 150 other issues
(a reader population, not one hot URL). The static file is measured in the same
round, with the writer running too. The edited issue's own article page is measured
for comparison: it must be rendered again after every edit.

Two rounds, same session, same archive: this tree (scoped invalidation) and a baseline
tree (``--baseline-tree``, e.g. ``git worktree add ../base 2134d99``: the single
content generation that any edit replaced). The baseline runs with its own code on a
copy of the database migrated back to its schema (``pagecache`` 0001).

    . bench/env.sh && .venv/bin/python bench/edit_bench.py --out "$BENCH_OUT" \
        --baseline-tree ../scoped-base
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from _django import BASE_DIR, setup, write
from http_bench import CONNECTIONS, THREADS, Server, get, parse_wrk

ROTATION = 150

# Runs in the tree under test (its code, its models): says "ready" once Django is set up
# (seconds on a loaded machine: wrk waits for it), then saves a random article of one
# issue every second until its time is up, and prints how many it saved.
WRITER = """
import os, random, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jczx.settings")
import django
django.setup()
from articles.models import Article
ids = list(Article.objects.filter(issue_id=int(sys.argv[1])).values_list("pk", flat=True))
print("ready", flush=True)
sys.stdin.readline()
rng, saved, start = random.Random(16), 0, time.monotonic()
while time.monotonic() - start < float(sys.argv[2]):
    article = Article.objects.get(pk=rng.choice(ids))
    article.abstract = f"第{saved}次修改的摘要。"
    article.save()
    saved += 1
    time.sleep(max(0.0, start + saved - time.monotonic()))
print(saved)
"""

# wrk cycles through the paths of the file named in BENCH_PATHS (if set), and counts the
# answers the page cache gave (X-Page-Cache: hit or miss; none for the static file).
COUNT_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  hits, misses, paths, i = 0, 0, {}, 0
  local file = os.getenv("BENCH_PATHS")
  if file then for line in io.lines(file) do paths[#paths + 1] = line end end
end
function request()
  if #paths == 0 then return wrk.format("GET") end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  local answer = headers["X-Page-Cache"]
  if answer == "hit" then hits = hits + 1 elseif answer == "miss" then misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, m = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); m = m + t:get("misses") end
  io.write(string.format("page cache: %d hits, %d misses\\n", h, m))
end
"""


def targets():
    """The static file, the pages of other issues, the edited issue and its page."""
    import json

    from django.conf import settings

    from issues.models import Issue

    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    css = manifest["paths"]["css/site.css"]
    issues = list(Issue.objects.visible_to(None).latest_first())
    edited = issues[len(issues) // 2]
    others = [i for i in issues[1:] if i != edited]  # not the latest: the home page shows it
    first_articles = []
    for issue in others[:ROTATION]:
        article = issue.articles.visible_to(None).order_by("toc_position").first()
        if article is not None:
            first_articles.append(article.get_absolute_url())
    other = others[len(others) // 3]
    other_article = other.articles.visible_to(None).exclude(body="").order_by("pk").first()
    edited_article = edited.articles.visible_to(None).exclude(body="").order_by("pk").first()
    return edited, [
        ("static file (baseline)", f"{settings.STATIC_URL}{css}"),
        ("article of another issue", other_article.get_absolute_url()),
        ("issue page of another issue", other.get_absolute_url()),
        (f"{len(first_articles)} articles of other issues, rotated", first_articles),
        ("home (does not show the edited issue)", "/"),
        ("article of the edited issue", edited_article.get_absolute_url()),
    ]


def wrk(url: str, duration: int, env: dict, script: Path) -> str:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    command += ["-s", str(script)]
    return subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, env=env
    ).stdout


def measure(tree, env, port, items, edited, duration, out, label) -> dict:
    rows = []
    script = out / "count.lua"
    script.write_text(COUNT_LUA)
    with Server(port, env, out / f"gunicorn-edits-{label}.log", tree=tree):
        for name, path in items:
            paths = path if isinstance(path, list) else [path]
            for p in paths:  # 200 and cached before the load
                status, _size, _ = get(f"http://127.0.0.1:{port}{p}")
                assert status == 200, (p, status)
                get(f"http://127.0.0.1:{port}{p}")
            wrk_env = {k: v for k, v in env.items() if k != "BENCH_PATHS"}
            if isinstance(path, list):
                (out / "paths.txt").write_text("\n".join(paths) + "\n")
                wrk_env["BENCH_PATHS"] = str(out / "paths.txt")
            writer = subprocess.Popen(
                [sys.executable, "-c", WRITER, str(edited.pk), str(duration)],
                cwd=tree,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert writer.stdout.readline().strip() == "ready"
            writer.stdin.write("go\n")
            writer.stdin.flush()
            output = wrk(f"http://127.0.0.1:{port}{paths[0]}", duration, wrk_env, script)
            saved = int(writer.communicate(timeout=120)[0].strip() or 0)  # all during wrk
            (out / f"wrk-edits-{label}-{len(rows)}.txt").write_text(f"$ wrk {paths[0]}\n{output}")
            row = {"name": name, "path": paths[0], "urls": len(paths), "edits": saved}
            row.update(parse_wrk(output))
            answers = re.search(r"page cache: (\d+) hits, (\d+) misses", output)
            row["hits"], row["misses"] = (int(n) for n in answers.groups())
            rows.append(row)
            print(
                f"  {name:<42} {row['rps']:8.0f} req/s   p50 {row['p50_ms']:7.2f} ms"
                f"   p99 {row['p99_ms']:7.2f} ms   {row['misses']} misses   {saved} edits"
                f"   {row['non_2xx']} non-2xx"
            )
    return {"tree": str(tree), "rows": rows}


def psql(*args: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q", *args],
        check=True,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 15)))
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        default=os.environ.get("BENCH_BASELINE_TREE"),
        help="a checkout of the code before scoped invalidation (e.g. git worktree of 2134d99)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of each tree, alternating (machine noise)"
    )
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    args.out.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("BENCH_PORT", 8790))
    edited, items = targets()
    database = settings.DATABASES["default"]["NAME"]
    result = {"workers": 2, "threads": THREADS, "connections": CONNECTIONS, "rounds": {}}
    rounds = [("scoped", BASE_DIR, os.environ["DATABASE_URL"])]
    if args.baseline_tree:
        copy = f"{database}_base"
        # A copy of the archive in the baseline's schema: pagecache's table as its 0001
        # made it (by hand: unapplying 0002 here would run this tree's post_migrate).
        connection.close()
        psql("-c", f"DROP DATABASE IF EXISTS {copy}")
        psql("-c", f"CREATE DATABASE {copy} TEMPLATE {database}")
        psql(
            "-d",
            copy,
            "-c",
            "DROP TABLE pagecache_scope; DELETE FROM django_migrations "
            "WHERE app = 'pagecache' AND name <> '0001_initial'; "
            "CREATE TABLE pagecache_generation "
            "(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, token varchar(32) NOT NULL)",
        )
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{copy}"
        rounds.append(("global generation (baseline)", args.baseline_tree.resolve(), url))
    print(f"edited issue: {edited} (id {edited.pk}), one Article.save() a second")
    result["edited_issue"] = str(edited)
    rounds = [
        (label + (f", round {n + 1}" if n else ""), tree, url)
        for n in range(args.repeat)
        for label, tree, url in rounds
    ]
    for label, tree, url in rounds:
        cache.clear()  # the benchmark's own Redis database (CACHE_URL)
        env = {**os.environ, "DATABASE_URL": url, "JCZX_PAGE_CACHE": "auto"}
        print(f"{label} ({tree}), wrk -d{args.duration}s:")
        result["rounds"][label] = measure(
            tree, env, port, items, edited, args.duration, args.out, re.sub(r"\W+", "-", label)
        )
        time.sleep(2)
    write(args.out, "edits", result)


if __name__ == "__main__":
    sys.exit(main())
