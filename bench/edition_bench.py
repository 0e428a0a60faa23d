"""电子版: rendering a generated 100-page PDF (edition.rendering, the work of the
background task), its time and peak memory, beside a 10-page PDF and a process that only
opens the PDF (the baseline), all measured in the same run:

    .venv/bin/python bench/edition_bench.py                        # prints the figures
    .venv/bin/python bench/edition_bench.py --write docs/benchmarks.md

Each rendering runs in a child process of its own; its peak resident memory is the
kernel's count for that process (``os.wait4``'s ru_maxrss), so nothing of this parent
or of an earlier run is in it. The pages are written to a temporary folder (the task
writes them through Django's storage; the database rows are a few milliseconds). The
PDFs come from ``tests/pdfs.py``: A4, a cover, a 目录 and numbered text pages.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SECTION = "## 电子版: rendering an issue's PDF"


def child(pdf_path: str, out_dir: str, open_only: bool) -> None:
    # The same modules in the baseline as in the renderings.
    import pypdfium2 as pdfium

    from edition.rendering import detect_page_one, render_pdf

    start = time.perf_counter()
    if open_only:
        pdf = pdfium.PdfDocument(pdf_path)
        pages, written = len(pdf), 0
        pdf.close()
        found = None
    else:
        written = 0

        def save(suffix, data):
            nonlocal written
            written += len(data)
            (Path(out_dir) / suffix).write_bytes(data)
            return suffix

        rendered = list(render_pdf(pdf_path, save=save))
        pages = len(rendered)
        found = detect_page_one(rendered)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pages": pages,
                "bytes": written,
                "page_one": found.index if found else None,
            }
        )
    )


def measure(pdf_path: Path, *, open_only=False) -> dict:
    with tempfile.TemporaryDirectory() as out_dir:
        args = [sys.executable, __file__, "--child", str(pdf_path), out_dir]
        if open_only:
            args.append("--open-only")
        process = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=BASE_DIR)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"child failed: {process.returncode}")
    result = json.loads(output)
    result["peak_mib"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


def report(results: dict, command: str) -> str:
    base = results["open"]
    lines = [
        SECTION,
        "",
        "What the background task does with an issue's PDF (`edition.rendering`): every page",
        "rendered by PDFium at 1400 px wide, encoded as WebP twice (1400 px and a 300 px",
        "thumbnail), its page number read from the text layer. One page at a time, each",
        "page, text page and bitmap closed before the next: peak memory does not grow with",
        "the number of pages. Each figure is a child process of its own (`os.wait4`'s",
        "ru_maxrss), the baseline a process that imports the same modules and only opens",
        "the PDF, measured in the same run.",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Run of {results['date']} on {results['machine']} (load {results['load']}).",
        "",
        "| PDF | pages | time | per page | peak memory | above the baseline | images written |",
        "|---|---|---|---|---|---|---|",
    ]
    lines.append(
        f"| baseline: open only | {base['pages']} | {base['seconds']:.2f} s | – | "
        f"{base['peak_mib']:.0f} MiB | – | – |"
    )
    for name in ("10", "100"):
        r = results[name]
        lines.append(
            f"| {name} pages, A4 | {r['pages']} | {r['seconds']:.1f} s | "
            f"{r['seconds'] / r['pages'] * 1000:.0f} ms | {r['peak_mib']:.0f} MiB | "
            f"+{r['peak_mib'] - base['peak_mib']:.0f} MiB | {r['bytes'] / 1024 / 1024:.1f} MiB |"
        )
    lines += [
        "",
        f"Printed page 1 found at PDF page {results['100']['page_one']} (the PDF prints",
        "numbers from its third page). The machine's two cores are shared with other work:",
        "the times are an upper bound; the memory does not depend on the load.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    text = path.read_text()
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="rewrite this section of docs/benchmarks.md")
    parser.add_argument("--child", nargs=2, metavar=("PDF", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--open-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child, options.open_only)
        return

    from tests.pdfs import magazine_pdf

    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores",
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    with tempfile.TemporaryDirectory() as folder:
        pdfs = {}
        for pages in (10, 100):
            pdfs[str(pages)] = Path(folder) / f"{pages}.pdf"
            pdfs[str(pages)].write_bytes(magazine_pdf(pages, 3))
        results["open"] = measure(pdfs["100"], open_only=True)
        for name, path in pdfs.items():
            results[name] = measure(path)
            results[name]["pdf_mib"] = path.stat().st_size / 1024 / 1024
    command = ".venv/bin/python bench/edition_bench.py --write docs/benchmarks.md"
    section = report(results, command)
    print(section)
    if options.write:
        write_section(options.write, section)


if __name__ == "__main__":
    sys.exit(main())
