from pathlib import Path

import pytest

CORPUS = Path("/work/shared/corpus")
ISSUE_2020_4 = CORPUS / "jczx-2020-04.md"


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return ISSUE_2020_4.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def issue_2020_4():
    from issues.importing import parse_issue

    return parse_issue(ISSUE_2020_4)
