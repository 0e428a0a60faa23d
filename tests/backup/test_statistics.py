"""backup.statistics.analyze: the planner's statistics brought up to date after bulk writes."""

import pytest
from django.db import connection

from articles.models import Article, NewsItem
from backup.statistics import analyze
from issues.models import Issue
from tests.factories import ArticleFactory
from tests.planner import analyze_counts, analyzed_since, postgresql_only

pytestmark = pytest.mark.django_db


@postgresql_only
def test_analyze_gathers_statistics_of_the_named_tables_only():
    ArticleFactory.create_batch(3)
    before = analyze_counts(Article, Issue, NewsItem)
    analyze([Article, Issue])
    assert analyzed_since(before, Article, Issue, NewsItem) == {
        "articles_article": 1,
        "issues_issue": 1,
        "articles_newsitem": 0,
    }


@postgresql_only
def test_analyze_without_models_covers_every_table():
    before = analyze_counts(Article, Issue, NewsItem)
    analyze()
    assert set(analyzed_since(before, Article, Issue, NewsItem).values()) == {1}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="what SQLite is left with")
def test_sqlite_is_left_without_statistics():
    ArticleFactory.create_batch(3)
    analyze([Article])
    analyze()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchall() == []
