"""No code that only the tests call: a helper the site never runs is tested for
nothing, and misleads a reader about what the site does."""

import os
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin

BASE = Path(settings.BASE_DIR)
SKIP = {".venv", "tests", "migrations", "node_modules", "staticfiles", "media"}


@cache
def _project_text() -> str:
    """The project's own code and templates, without tests and migrations."""
    texts = []
    for folder, subfolders, names in os.walk(BASE):
        subfolders[:] = [d for d in subfolders if d not in SKIP and not d.startswith(".")]
        texts += [
            Path(folder, name).read_text(encoding="utf-8")
            for name in names
            if name.endswith((".py", ".html", ".txt", ".xml"))
        ]
    return "\n".join(texts)


@pytest.mark.parametrize(
    ("definition", "use"),
    [
        (r"def search_words\(", r"\bsearch_words\("),  # articles.search
        (r"def featured\(self\):\n\s+return self\.filter", r"\.featured\(\)"),  # ArticleQuerySet
        (r"def found_articles\(", r"\.found_articles\b"),  # issues.importing ParsedIssue
    ],
)
def test_helpers_are_called_by_the_site_or_gone(definition, use):
    text = _project_text()
    defined = len(re.findall(definition, text))
    used = len(re.findall(use, text)) - len(
        re.findall(use, "\n".join(re.findall(definition, text)))
    )
    assert defined == 0 or used > 0, f"{definition} is defined but only the tests use it"


def test_no_admin_declares_an_empty_option():
    empty = [
        f"{type(model_admin).__name__}.{option}"
        for model_admin in admin.site._registry.values()
        for option, value in vars(type(model_admin)).items()
        if option.endswith(("_fields", "_display", "_filter")) and value in ({}, [], ())
    ]
    assert empty == []
