"""What the site reads at run time ships inside its apps: a deploy of the packages works
without the repository's docs/ and fixtures/ folders (which only link to the apps' files
for people)."""

import ast
import os
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
NOT_RUN_TIME = {".venv", "tests", "bench", "migrations", "docs", "fixtures"}


def _run_time_modules():
    for folder, subfolders, names in os.walk(BASE):
        subfolders[:] = sorted(
            d for d in subfolders if d not in NOT_RUN_TIME and not d.startswith(".")
        )
        yield from (Path(folder, n) for n in sorted(names) if n.endswith(".py"))


def _docstrings(tree) -> set[int]:
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _under_the_repository(node) -> bool:
    """``BASE_DIR / "fixtures"``, ``Path(__file__).parent.parent / "docs" / …``: a path
    into the repository's folders rather than into a package."""
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
        return False
    parts = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.append(node.right)
        node = node.left
    root = ast.unparse(node)
    return ("BASE_DIR" in root or "__file__" in root) and any(
        isinstance(p, ast.Constant) and p.value in {"docs", "fixtures"} for p in parts
    )


def test_run_time_code_reads_no_path_under_docs_or_fixtures():
    found = []
    for path in _run_time_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            relative = (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and node.value.startswith(("docs/", "fixtures/"))
            )
            if relative or _under_the_repository(node):
                found.append(f"{path.relative_to(BASE)}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_the_apps_ship_the_columns_the_demo_issue_and_the_schema():
    from importlib.resources import files

    assert files("articles").joinpath("fixtures/columns.json").is_file()
    assert files("issues").joinpath("fixtures/jczx-2020-04.md").is_file()
    assert files("issues.importing").joinpath("jczx-issue.schema.json").is_file()
