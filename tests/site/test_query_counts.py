"""The pages run a fixed number of SQL queries whatever the size of an issue: the same
count with 6 articles as with 60, and no more than the budget below."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    HighlightFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)
from tests.site.sample import standing_columns

pytestmark = pytest.mark.django_db

# Budgets, read from the views: the nav's columns, the object(s), the list, its bylines'
# prefetch, and a few small lookups (highlights, masthead, neighbours, filter years),
# and the footer's 站点设置 (read each time with a process-local cache, as here).
BUDGET = {
    "/": 8,
    "/issues/": 3,
    "/issues/2020/4/": 7,
    "/issues/2020/4/articles/3/": 6,
    "/issues/2020/4/articles/1/": 6,
    "/columns/huiyizhuanti/": 7,
    "/news/": 4,
}


@pytest.fixture
def issue(db):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    for position in range(8):
        MastheadEntryFactory(issue=issue, role="编委" if position else "主任", position=position)
    return issue


def add_articles(issue, first, count):
    columns = list(standing_columns().values())
    for n in range(first, first + count):
        article = ArticleFactory(
            issue=issue,
            column=columns[n % len(columns)],
            toc_position=n + 1,
            start_page=2 * n + 1,
            end_page=2 * n + 2,
            kicker="引题",
            subtitle="副标题",
        )
        for position in range(2):
            AuthorshipFactory(article=article, byline_title="市政协委员", position=position)
        if n % 3 == 0:
            HighlightFactory(article=article, position=n)
        item = NewsItemFactory(issue=issue, article=article if n == 0 else None, position=n)
        item.people.add(PersonFactory())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_counts_do_not_grow_with_the_issue(client, issue, django_assert_max_num_queries):
    add_articles(issue, 0, 6)
    small = {url: count_queries(client, url) for url in BUDGET}
    add_articles(issue, 6, 54)
    assert issue.articles.count() == 60
    large = {url: count_queries(client, url) for url in BUDGET}
    assert large == small
    for url, budget in BUDGET.items():
        with django_assert_max_num_queries(budget):
            client.get(url)


def test_person_page_query_count_does_not_grow_with_their_bylines(client, issue):
    add_articles(issue, 0, 6)
    person = PersonFactory(name="常国荣")
    MastheadEntryFactory(issue=issue, role="主编", person=person, position=99)
    articles = list(issue.articles.all())
    AuthorshipFactory(article=articles[0], person=person, position=5)
    one = count_queries(client, person.get_absolute_url())
    for article in articles[1:]:
        AuthorshipFactory(article=article, person=person, position=5)
    assert count_queries(client, person.get_absolute_url()) == one <= 6
