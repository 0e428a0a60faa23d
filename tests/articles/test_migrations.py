"""Migrations use historical models only: a later change to the live code (the search
index's fields, a module moved to another app) never breaks a fresh ``migrate``."""

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from search.fulltext import search_articles
from tests.factories import ArticleFactory


def _project_packages() -> set[str]:
    base = Path(settings.BASE_DIR).resolve()
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base
    }


def _data_migrations():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in _project_packages():
            continue
        for path in sorted(Path(config.path, "migrations").glob("0*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if "RunPython" in ast.unparse(tree):
                yield path, tree


def test_data_migrations_import_no_project_code():
    project = _project_packages()
    offending = []
    for path, tree in _data_migrations():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offending += [
                f"{path.parent.parent.name}/migrations/{path.name}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] in project
            ]
    assert offending == []


@pytest.mark.django_db(transaction=True)
def test_migrate_rewrites_the_index_of_existing_articles_after_0005():
    article = ArticleFactory(title="协商民主的重要渠道")
    Article._base_manager.filter(pk=article.pk).update(search_text="", search_vector=None)
    assert not search_articles(Article.objects.all(), "协商民主").exists()

    call_command("migrate", "articles", "0004", verbosity=0)
    out = io.StringIO()
    call_command("migrate", "articles", verbosity=1, stdout=out)

    assert "已重建 1 篇文章的检索索引。" in out.getvalue()
    assert list(
        search_articles(Article.objects.all(), "协商民主").values_list("title", flat=True)
    ) == [article.title]


@pytest.mark.django_db(transaction=True)
def test_migrate_records_the_images_existing_articles_show():
    article = ArticleFactory(
        body='<p><img src="/media/uploads/aa.jpg"></p><p><img src="https://example.org/b.jpg">'
        '<img src="/media/renditions/body-1280x1280/uploads/cc.jpg"></p>',
        editors_note='<p><img src="/media/uploads/dd.png"></p>',
    )

    call_command("migrate", "articles", "0008", verbosity=0)
    call_command("migrate", "articles", verbosity=0)

    assert sorted(article.images.values_list("name", flat=True)) == [
        "uploads/aa.jpg",
        "uploads/dd.png",
    ]
