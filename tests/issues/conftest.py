import pytest

from tests.issues.demo import ISSUE_2020_4


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return ISSUE_2020_4.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def issue_2020_4():
    from issues.importing import parse_issue

    return parse_issue(ISSUE_2020_4)


@pytest.fixture
def quick_index(request, monkeypatch):
    """Importing indexes every article for search (jieba: about half a second for a whole
    issue). Import tests that are not about search use this to skip it."""
    from articles.models import Article
    from search import fulltext as search

    if "real_search_index" not in request.fixturenames:
        monkeypatch.setattr(Article, "reindex", lambda self, **kwargs: None)
        # issue_save indexes what it wrote through reindex_articles, when it returns.
        monkeypatch.setattr(search, "reindex_articles", lambda queryset, **kwargs: 0)


@pytest.fixture
def real_search_index():
    """Marks a test that keeps Article.reindex (see quick_index); usefixtures-friendly."""


@pytest.fixture
def imported(db):
    """2020年第4期 imported from the digitized text."""
    from issues.importing.service import issue_import
    from issues.models import Issue

    result = issue_import(path=ISSUE_2020_4)
    assert result.outcome == "created", result.problems
    return Issue.objects.get(year=2020, number=4)
