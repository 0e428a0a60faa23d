"""The search vector now holds pairs of adjacent words (``'协商 民主'``), which the
queries search.fulltext writes look up (see its docstring). Without them a phrase would
find nothing in an article indexed before.

Migrations see historical models only and import no live code: the index is written by
search.fulltext, whose fields and module may change after this migration. So this
migration only declares ``rewrites_search_index``; when ``migrate`` has applied it,
``search.fulltext.reindex_after_migrate`` (a post_migrate handler, running the current
code against the current schema) rewrites every article's index, as
``manage.py reindex_search`` does.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_headline_rank")]

    rewrites_search_index = True

    # Backwards there is nothing to undo: the pairs are lexemes a search without them
    # never looks up.
    operations = []
