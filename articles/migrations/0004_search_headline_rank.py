"""Search at archive scale, PostgreSQL only (see search.fulltext.search_articles):

- ``search_headline``, a generated column: the search vector's words of weights A–C
  (headlines, bylines, 编者按), a few hundred bytes kept in the row, which results are
  ranked by instead of the whole vector (kilobytes, stored out of line);
- ``article_search_matches(tsquery)``: the ids of the articles whose vector matches,
  always through the GIN index. The planner, counting a tsvector match as cheap, would
  rather read every row's vector for a common word (a sequential scan decompressing
  5,000 vectors: hundreds of ms) than use the index (a few ms); the function's own
  ``SET enable_seqscan = off`` applies inside it alone.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_headline tsvector "
    "GENERATED ALWAYS AS (ts_filter(search_vector, '{a,b,c}')) STORED",
    "CREATE OR REPLACE FUNCTION article_search_matches(query tsquery) RETURNS SETOF bigint "
    "LANGUAGE sql STABLE SET enable_seqscan = off AS "
    "$$ SELECT id FROM articles_article WHERE search_vector @@ query $$",
]
BACKWARD = [
    "DROP FUNCTION IF EXISTS article_search_matches(tsquery)",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_headline",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_article_workflow_events")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
