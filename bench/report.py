"""The results of one bench/run_all.sh run as Markdown: machine, targets met or not, the
tables. ``--write docs/benchmarks.md`` replaces the block between the results markers.

    .venv/bin/python bench/report.py bench/out/<time> [--write docs/benchmarks.md]
"""

import argparse
import json
import re
from pathlib import Path

START, END = "<!-- results:start -->", "<!-- results:end -->"
COLD_START, COLD_END = "<!-- cold:start -->", "<!-- cold:end -->"
PAGES = ("home", "issue", "article", "column")
# Issue #16: each cold page (page cache off) against the static file of the same round.
COLD_TARGETS = {"article": 0.20, "home": 0.10, "issue": 0.10, "column": 0.10, "search": 0.05}


def load(out: Path, name: str):
    path = out / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def text(out: Path, name: str) -> str:
    path = out / name
    return path.read_text().strip() if path.exists() else ""


def mark(ok: bool) -> str:
    return "**met**" if ok else "**NOT met**"


def report(out: Path) -> str:
    http, search, imports = load(out, "http"), load(out, "search"), load(out, "import")
    machine = text(out, "machine.txt")
    date = re.search(r"^date: (.*)$", machine, re.M).group(1)
    lines = [
        f"### Run of {date}",
        "",
        "Command: `bench/run_all.sh` (raw output: `bench/out/<time>/`, not committed).",
        "",
        "```",
        machine,
        "```",
        "",
        f"Archive: {text(out, 'archive.txt').removeprefix('archive: ')}" + archive_origin(out),
        "",
        text(out, "index.txt") + ".",
        "",
        "#### Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    if http:
        rows = {r["name"]: r for r in http["rounds"]["cached"]}
        static = rows["static file (baseline)"]["rps"]
        for page in PAGES:
            r = rows[page]
            share = r["rps"] / static
            lines.append(
                f"| {page} page ≥ 70% of the static file's requests/s | "
                f"{r['rps']:.0f} vs {static:.0f} req/s = {share:.0%} | {mark(share >= 0.7)} |"
            )
    if http and "uncached" in http["rounds"]:
        lines += cold_targets(http["rounds"]["uncached"])
    if search:
        s, scan = search["overall"]["search"], search["overall"]["icontains"]
        repeated = search["overall"]["repeated"]
        speedup = scan["p50"] / s["p50"]
        lines.append(
            f"| search p95 ≤ 50 ms with {search['articles']:,} articles | "
            f"after an edit (cold): p95 {s['p95']:.1f} ms, p50 {s['p50']:.1f} ms; "
            f"repeated: p95 {repeated['p95']:.1f} ms | {mark(s['p95'] <= 50)} |"
        )
        lines.append(
            f"| search ≥ 10× faster than icontains | icontains p50 {scan['p50']:.1f} ms / "
            f"search p50 {s['p50']:.1f} ms = {speedup:.0f}× (p95: "
            f"{scan['p95'] / s['p95']:.0f}×) | {mark(speedup >= 10)} |"
        )
    if imports:
        real = imports["real"]["in_process"]["p50"]
        lines.append(
            f"| one issue imported in ≤ 1 s | 2020-4 file: {real:.2f} s "
            f"(median of {imports['real']['in_process']['n']}) | {mark(real <= 1)} |"
        )
    edits = load(out, "edits")
    if edits:
        lines += edit_targets(edits)
    lines.append(
        "| no page's query count grows with the archive | asserted by the tests "
        "(`tests/site/test_query_budgets.py`, `tests/site/test_query_counts.py`) | tests |"
    )
    if http:
        lines += ["", "#### Pages under gunicorn (2 workers), wrk -t2 -c16", ""]
        lines += [
            "| URL | page cache on: req/s | p50 | p99 | % of static | "
            "page cache off: req/s | p50 | p99 | % of static | size |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        on = {r["name"]: r for r in http["rounds"]["cached"]}
        off = {r["name"]: r for r in http["rounds"]["uncached"]}
        s_on = on["static file (baseline)"]["rps"]
        s_off = off["static file (baseline)"]["rps"]
        for name, r in on.items():
            o = off[name]
            lines.append(
                f"| {name} `{r['path']}` | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | "
                f"{r['p99_ms']:.1f} ms | {r['rps'] / s_on:.0%} | {o['rps']:.0f} | "
                f"{o['p50_ms']:.1f} ms | {o['p99_ms']:.1f} ms | {o['rps'] / s_off:.0%} | "
                f"{r['bytes'] / 1024:.0f} KiB |"
            )
        if "local" in http["rounds"]:
            lines += local_section(http["rounds"]["local"], on)
        errors = sum(r["non_2xx"] for rows in http["rounds"].values() for r in rows)
        lines += ["", f"Non-2xx responses during the runs: {errors}."]
    if edits:
        lines += edit_section(edits)
    if search:
        lines += [
            "",
            f"#### Search, in-process ({search['repeat']} runs of each query after a warm-up)",
            "",
            "| query | hits | icontains hits | search, cold p50 / p95 | search, repeated "
            "p50 / p95 | icontains p50 / p95 | whole page p50 / p95 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]

        def cells(row):
            return " | ".join(
                f"{row[k]['p50']:.1f} / {row[k]['p95']:.1f} ms"
                for k in ("search", "repeated", "icontains", "page")
            )

        for q in search["queries"]:
            lines.append(f"| {q['query']} | {q['hits']} | {q['scan_hits']} | {cells(q)} |")
        lines.append(f"| **all queries** | | | {cells(search['overall'])} |")
    if imports:
        real, batch = imports["real"], imports["batch"]
        runs = ", ".join(f"{t:.2f}" for t in real["runs"])
        lines += [
            "",
            "#### Import",
            "",
            f"- 2020-4 file (`{real['file']}`, {real['articles']} articles, "
            f"{real['news_items']} items), in-process, "
            f"segmentation memo cleared before each run: {runs} s → median "
            f"**{real['in_process']['p50']:.2f} s**. As `manage.py import_issue` in a new "
            f"process: {real['command_wall']:.2f} s, of which jieba's dictionary load "
            f"≈ {real['jieba_dictionary_load']:.1f} s.",
            f"- {batch['files']} generated issues exported as JSON, then "
            f"`manage.py import_issue <folder>`: {batch['command_wall']:.1f} s for "
            f"{batch['articles']:,} articles, **{batch['per_issue']:.2f} s per issue** "
            "(start-up included; generated issues share the 2020-4 paragraphs, so most "
            "segmentation comes from the memo — the 2020-4 figure is the cold one).",
        ]
    return "\n".join(lines) + "\n"


def local_section(local, redis) -> list[str]:
    """The page cache without Redis (each gunicorn worker's own memory) beside it in Redis."""
    static = local[0]["rps"]
    lines = [
        "",
        "Without Redis (`CACHE_URL` unset: the page cache in each worker's own memory, "
        "checked against the tokens in PostgreSQL), the same pages in the same run:",
        "",
        "| URL | req/s | p50 | p99 | % of static | % of the Redis round's rate |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in local:
        lines.append(
            f"| {r['name']} | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
            f"{r['rps'] / static:.0%} | {r['rps'] / redis[r['name']]['rps']:.0%} |"
        )
    return lines


def cold_targets(rows: list[dict]) -> list[str]:
    """Target lines of the cold pages (page cache off), against that round's static file."""
    by_name = {r["name"]: r for r in rows}
    static = by_name["static file (baseline)"]["rps"]
    lines = []
    for page, share_needed in COLD_TARGETS.items():
        r = by_name[page]
        share = r["rps"] / static
        lines.append(
            f"| cold {page} page (page cache off) ≥ {share_needed:.0%} of the static file | "
            f"{r['rps']:.0f} vs {static:.0f} req/s = {share:.1%} | {mark(share >= share_needed)} |"
        )
    return lines


def cold_report(out: Path) -> str:
    """Cold pages before and after (bench/cold_bench.sh): gunicorn serving the base
    checkout and this one in turns, against the same archive, each page beside the
    static file measured in the same round."""
    passes = sorted(out.glob("cold-before-*.json"))
    runs = [
        (load(out, p.stem), load(out, p.stem.replace("before", "after")))
        for p in passes
        if (out / p.name.replace("before", "after")).exists()
    ]
    machine = text(out, "machine.txt")
    date = re.search(r"^date: (.*)$", machine, re.M).group(1)
    base, this = runs[0][0], runs[0][1]
    lines = [
        f"### Cold pages, run of {date}",
        "",
        "Command: `BENCH_BASE=<worktree of the base commit> bench/cold_bench.sh` "
        "(raw output: `bench/out/<time>/`, not committed).",
        "",
        "```",
        machine,
        "```",
        "",
        f"Before: `{base['commit']}`; after: `{this['commit']}`. Page cache off "
        "(`JCZX_PAGE_CACHE=0`), gunicorn 2 workers, `wrk -t2 -c16`, the two checkouts "
        "served in turns against the same archive; every page is given beside the static "
        "file measured in the same round (`% st.`). Load average (1 min) before and after "
        "each round in the last row.",
        "",
    ]
    header = "| page |"
    rule = "|---|"
    for n in range(1, len(runs) + 1):
        header += f" before #{n}: req/s | % st. | after #{n}: req/s | % st. | p50 after |"
        rule += "---:|---:|---:|---:|---:|"
    lines += [header, rule]
    for i, row in enumerate(base["rounds"]["uncached"]):
        cells = f"| {row['name']} `{row['path']}` |"
        for before, after in runs:
            b = before["rounds"]["uncached"]
            a = after["rounds"]["uncached"]
            cells += (
                f" {b[i]['rps']:.0f} | {b[i]['rps'] / b[0]['rps']:.1%} |"
                f" **{a[i]['rps']:.0f}** | **{a[i]['rps'] / a[0]['rps']:.1%}** |"
                f" {a[i]['p50_ms']:.1f} ms |"
            )
        lines.append(cells)
    cells = "| load average (1 min), before → after the round |"
    for before, after in runs:
        lb, la = before["load"]["uncached"], after["load"]["uncached"]
        cells += (
            f" {lb['before'][0]:.2f} → {lb['after'][0]:.2f} | |"
            f" {la['before'][0]:.2f} → {la['after'][0]:.2f} | | |"
        )
    lines.append(cells)
    lines += ["", "#### Targets of issue #16 (after; each pass)", "", "| target | measured | |"]
    lines.append("|---|---|---|")
    for n, (_, after) in enumerate(runs, 1):
        lines += [
            line.replace("| cold ", f"| #{n}: cold ", 1)
            for line in cold_targets(after["rounds"]["uncached"])
        ]
    errors = sum(r["non_2xx"] for pair in runs for res in pair for r in res["rounds"]["uncached"])
    sockets = [
        f"{label} #{n} {r['name']}: {r['socket_errors']}"
        for n, pair in enumerate(runs, 1)
        for label, res in zip(("before", "after"), pair, strict=True)
        for r in res["rounds"]["uncached"]
        if r["socket_errors"]
    ]
    lines += [
        "",
        f"Non-2xx responses during the runs: {errors}. wrk's socket errors "
        f"(a response slower than the 10 s timeout counts as one, not as a request): "
        f"{'; '.join(sockets) or 'none'}.",
    ]
    return "\n".join(lines) + "\n"


def edit_rounds(edits) -> dict:
    """{round: ({name: row}, static req/s)}."""
    found = {}
    for label, data in edits["rounds"].items():
        rows = {r["name"]: r for r in data["rows"]}
        found[label] = (rows, rows["static file (baseline)"]["rps"])
    return found


def edit_targets(edits) -> list[str]:
    """Pages of other issues under one edit a second, the worst of the scoped rounds."""
    scoped = [found for label, found in edit_rounds(edits).items() if label.startswith("scoped")]
    lines = []
    for name in scoped[0][0]:
        if "another issue" in name or "other issues" in name:
            r, static = min(
                ((rows[name], static) for rows, static in scoped),
                key=lambda pair: pair[0]["rps"] / pair[1],
            )
            share = r["rps"] / static
            lines.append(
                f"| one edit a second: {name} ≥ 70% of the static file | "
                f"{r['rps']:.0f} vs {static:.0f} req/s = {share:.0%} | {mark(share >= 0.7)} |"
            )
    return lines


def edit_section(edits) -> list[str]:
    rounds = edit_rounds(edits)
    labels = list(rounds)
    lines = [
        "",
        "#### One edit per second during the load (`bench/edit_bench.py`)",
        "",
        f"A writer saves a random article of {edits['edited_issue']} every second "
        "(`Article.save()`) while wrk (-t2 -c16) loads the page; page cache on (Redis), "
        "gunicorn 2 workers. Each round runs its own code: "
        + "; ".join(f"*{label}*: `{edits['rounds'][label]['tree']}`" for label in labels)
        + ".",
        "",
        "| URL | "
        + " | ".join(f"{label}: req/s | p99 | % of static | misses" for label in labels)
        + " |",
        "|---|" + "---:|---:|---:|---:|" * len(labels),
    ]
    for name, first in rounds[labels[0]][0].items():
        cells = []
        for label in labels:
            rows, static = rounds[label]
            r = rows[name]
            cells.append(
                f"{r['rps']:.0f} | {r['p99_ms']:.1f} ms | {r['rps'] / static:.0%} | "
                f"{r.get('misses', '—')}"
            )
        lines.append(f"| {name} `{first['path']}` | " + " | ".join(cells) + " |")
    edits_made = ", ".join(
        f"{label}: {sum(r['edits'] for r in rounds[label][0].values())}" for label in labels
    )
    errors = sum(r["non_2xx"] for label in labels for r in rounds[label][0].values())
    lines += ["", f"Edits saved during the runs: {edits_made}. Non-2xx responses: {errors}."]
    return lines


def archive_origin(out: Path) -> str:
    """How the run got its archive: built with the issue count run_all.sh was given
    (``BENCH_ISSUES``), or reused from an earlier run (``BENCH_REUSE=1``)."""
    issues = text(out, "generated_issues.txt")
    if not issues:
        return ", reused from an earlier run."
    timing = text(out, "generate_time.txt")
    return (
        f". Built by `generate_corpus --issues {issues}`: {last_line(text(out, 'generate.txt'))}"
        + (f" ({timing} for the command)." if timing else ".")
    )


def last_line(value: str) -> str:
    return value.splitlines()[-1].strip() if value else "—"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--cold", action="store_true", help="the before/after of bench/cold_bench.sh"
    )
    args = parser.parse_args()
    markdown = cold_report(args.out) if args.cold else report(args.out)
    (args.out / ("cold.md" if args.cold else "report.md")).write_text(markdown)
    print(markdown)
    if args.write:
        start, end = (COLD_START, COLD_END) if args.cold else (START, END)
        doc = args.write.read_text()
        before, rest = doc.split(start, 1)
        _, after = rest.split(end, 1)
        args.write.write_text(f"{before}{start}\n{markdown}{end}{after}")


if __name__ == "__main__":
    main()
