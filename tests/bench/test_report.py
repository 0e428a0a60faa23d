"""bench/report.py writes what the run measured, not what a default run would have."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report_module():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_output(tmp_path, *, generated: int | None) -> Path:
    (tmp_path / "machine.txt").write_text("date: 2026-12-01T14:00:00+00:00\nnproc: 2\n")
    (tmp_path / "archive.txt").write_text(
        "archive: 20 issues, 500 articles, 2000 news items, 40 people\n"
    )
    (tmp_path / "index.txt").write_text("search index: vector 3.1 KiB\n")
    if generated is None:
        (tmp_path / "generate.txt").write_text("reused (20 issues)\n")
    else:
        (tmp_path / "generate.txt").write_text("已生成 20 期：文章 500 篇，工作动态 2000 条\n")
        (tmp_path / "generated_issues.txt").write_text(f"{generated}\n")
    timing = {"p50": 0.25, "p95": 0.3, "n": 3}
    imports = {
        "real": {
            "file": "fixtures/demo/jczx-2020-04.md",
            "articles": 11,
            "news_items": 34,
            "in_process": timing,
            "runs": [0.3, 0.25, 0.2],
            "command_wall": 1.5,
            "jieba_dictionary_load": 0.5,
        },
        "batch": {"files": 20, "articles": 500, "command_wall": 10.0, "per_issue": 0.5},
    }
    (tmp_path / "import.json").write_text(json.dumps(imports))
    return tmp_path


def test_report_names_the_archive_size_of_the_run(report_module, tmp_path):
    markdown = report_module.report(run_output(tmp_path, generated=20))
    assert "Built by `generate_corpus --issues 20`: 已生成 20 期" in markdown
    assert "--issues 200" not in markdown


def test_report_says_when_the_archive_was_reused(report_module, tmp_path):
    markdown = report_module.report(run_output(tmp_path, generated=None))
    assert "generate_corpus" not in markdown
    assert "Archive: 20 issues, 500 articles, 2000 news items, 40 people, reused" in markdown


def test_report_counts_the_imported_file_as_imported(report_module, tmp_path):
    markdown = report_module.report(run_output(tmp_path, generated=20))
    assert "2020-4 file (`fixtures/demo/jczx-2020-04.md`, 11 articles, 34 items)" in markdown
