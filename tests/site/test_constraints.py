"""Every uniqueness rule the models declare is enforced by the database itself, so no
path that skips validation (an import, bulk_create, two editors at once) can break it."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"issues", "articles", "members", "jczx"}


def declared_unique_rules():
    """(model, columns) for every unique field, UniqueConstraint and unique_together."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or not model._meta.managed:
            continue
        if model.__name__.startswith("Historical"):
            continue  # history rows repeat the live row's values by design
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                yield model, (field.column,)
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                yield model, tuple(model._meta.get_field(f).column for f in constraint.fields)
        for fields in model._meta.unique_together:
            yield model, tuple(model._meta.get_field(f).column for f in fields)


def test_there_are_rules_to_check():
    labels = {(m._meta.label, cols) for m, cols in declared_unique_rules()}
    assert ("issues.Issue", ("year", "number")) in labels
    assert ("articles.Article", ("issue_id", "toc_position")) in labels


def test_every_declared_uniqueness_is_a_database_constraint():
    missing = []
    with connection.cursor() as cursor:
        for model, columns in declared_unique_rules():
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            if not any(
                c["unique"] and tuple(c["columns"]) == columns for c in constraints.values()
            ):
                missing.append((model._meta.label, columns))
    assert missing == []


def test_the_database_refuses_a_second_2020_issue_4_saved_without_validation():
    IssueFactory(year=2020, number=4, total_number=43)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(year=2020, number=4, total_number=44)


def test_the_database_refuses_two_articles_at_one_toc_position():
    article = ArticleFactory(toc_position=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(issue=article.issue, toc_position=3)
