"""No page's query count grows with the archive: the same count with one small generated
issue as with several larger ones (more issues, articles, bylines, people, 工作动态
items), and within a fixed budget. The page cache is off here (its hits run no query
at all); tests/site/test_query_counts.py does the same for one issue's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Column, NewsItem
from issues.corpus import generate_corpus
from issues.models import Issue
from members.models import Person

pytestmark = pytest.mark.django_db

# The budgets: what each view needs (object, list, bylines' prefetch, nav, filters),
# and on every HTML page the footer's 站点设置 (read each time).
BUDGETS = {
    "home": 8,
    "archive": 3,
    "issue": 7,
    "article": 6,
    "column": 7,
    "person": 6,
    "news": 4,
    "news item": 5,
    # articles, and the counts and first few of 工作动态 items and people; 2 for the memo
    # of matches on its first use in a content generation (the generation, and the
    # 工作动态 items holding the words; a repeated search finds both remembered)
    "search": 15,
    "latest feed": 3,
    "column feed": 4,
    "sitemap": 10,  # five sections: a count and a page each
}


def pages() -> dict[str, str]:
    """One URL per kind of page, picked the same way whatever the archive's size: the
    oldest issue, its first 会议专题 article, its first 工作动态 item, a byline's person."""
    issue = Issue.objects.order_by("total_number").first()
    article = issue.articles.filter(column__name="会议专题").order_by("toc_position").first()
    column = Column.objects.get(name="会议专题")
    person = Person.objects.filter(authorships__article=article).order_by("pk").first()
    item = NewsItem.objects.filter(issue=issue).order_by("position").first()
    return {
        "home": "/",
        "archive": "/issues/",
        "issue": issue.get_absolute_url(),
        "article": article.get_absolute_url(),
        "column": column.get_absolute_url(),
        "person": person.get_absolute_url(),
        "news": "/news/",
        "news item": item.get_absolute_url(),
        "search": "/search/?q=政协",
        "latest feed": "/feeds/latest/",
        "column feed": f"{column.get_absolute_url()}feed/",
        "sitemap": "/sitemap.xml",
    }


def counts(client) -> dict[str, int]:
    found = {}
    for name, url in pages().items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        found[name] = len(queries)
    return found


def test_query_counts_do_not_grow_with_the_archive(client, settings):
    settings.JCZX_PAGE_CACHE = False
    generate_corpus(issues=1, last_year=2001, articles_per_issue=6, news_per_issue=3)
    small = counts(client)

    generate_corpus(
        issues=5, last_year=2006, first_total=1101, articles_per_issue=14, news_per_issue=12
    )
    assert Issue.objects.count() == 6
    assert Article.objects.count() == 6 + 5 * 14
    large = counts(client)

    assert large == small, (small, large)
    assert {name: n for name, n in large.items() if n > BUDGETS[name]} == {}
