"""Rewrite every article's search index: the vector now holds pairs of adjacent words
(``'协商 民主'``), which the queries search.fulltext writes look up (see its
docstring). Without them a phrase would find nothing in an article indexed before.

The same rewrite as ``manage.py reindex_search``, through the historical models (the
fields this migration sees, whatever the models become later). SQLite's
``search_text`` is unchanged by pairs; it is rewritten all the same, harmlessly.
"""

from django.db import migrations

from search.fulltext import reindex_articles


def reindex(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    reindex_articles(Article._base_manager.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_headline_rank")]

    # Backwards there is nothing to undo: the pairs are lexemes a search without them
    # never looks up.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=False)]
