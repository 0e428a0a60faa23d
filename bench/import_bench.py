"""Import time per issue, on the benchmark database (bench/run_all.sh sets it up).

1. The digitized 2020-4 file (its articles and 工作动态 items counted), in-process through
   ``issues.importing.service.issue_import`` — parse, check, save, search index — with
   jieba's dictionary loaded but nothing of the text segmented before (each run clears
   the segmentation memo): ``--repeat`` runs, the median is the figure. Then once as
   ``manage.py import_issue`` in a new process, start-up included.
2. A batch: ``--batch`` generated issues exported as JSON files into one folder, deleted,
   and imported again with ``manage.py import_issue <folder>`` (wall time of the command).
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from _django import BASE_DIR, setup, summary, write

DEMO = BASE_DIR / "fixtures" / "demo" / "jczx-2020-04.md"


def manage(*args) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout + done.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    setup()
    import jieba

    from issues.importing.interchange import dumps, issue_export
    from issues.importing.service import issue_import
    from issues.models import Issue
    from search.fulltext import clear_word_memos

    started = time.perf_counter()
    jieba.initialize()
    dictionary = time.perf_counter() - started

    # 1. The real issue, in-process.
    demo = Issue.objects.filter(year=2020, number=4)
    runs = []
    for _ in range(args.repeat):
        demo.delete()
        clear_word_memos()
        started = time.perf_counter()
        result = issue_import(path=DEMO)
        runs.append(time.perf_counter() - started)
        assert result.outcome == "created", result.problems
    demo.delete()
    command_seconds, output = manage("import_issue", str(DEMO))
    assert "已创建" in output, output
    imported = demo.get()
    real = {
        "file": str(DEMO.relative_to(BASE_DIR)),
        "articles": imported.articles.count(),
        "news_items": imported.news_items.count(),
        "in_process": summary(runs),
        "runs": runs,
        "command_wall": command_seconds,
        "jieba_dictionary_load": dictionary,
    }
    print(
        f"2020-4 file: {real['in_process']['p50']:.3f} s in-process (median of {args.repeat}), "
        f"{command_seconds:.2f} s as a command (start-up included)"
    )

    # 2. A batch of generated issues as JSON, imported from a folder.
    folder = args.out / "import-batch"
    folder.mkdir(parents=True, exist_ok=True)
    issues = list(
        Issue.objects.filter(total_number__gt=1000).order_by("total_number")[: args.batch]
    )
    articles = 0
    for issue in issues:
        document = issue_export(issue=issue)
        articles += len(document["articles"])
        path = folder / f"{issue.year}-{issue.number:02d}.json"
        path.write_text(dumps(document), encoding="utf-8")
    Issue.objects.filter(pk__in=[i.pk for i in issues]).delete()
    batch_seconds, output = manage("import_issue", str(folder))
    (args.out / "import-batch.txt").write_text(output, encoding="utf-8")
    created = re.search(r"合计：已创建 (\d+)", output)
    assert created and int(created.group(1)) == len(issues), output[-500:]
    batch = {
        "files": len(issues),
        "articles": articles,
        "command_wall": batch_seconds,
        "per_issue": batch_seconds / len(issues),
    }
    print(
        f"batch: {len(issues)} JSON files ({articles} articles) in {batch_seconds:.1f} s, "
        f"{batch['per_issue']:.3f} s per issue"
    )
    write(args.out, "import", {"real": real, "batch": batch})


if __name__ == "__main__":
    main()
