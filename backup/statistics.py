"""Planner statistics after bulk writes.

PostgreSQL plans every query from the statistics ``ANALYZE`` gathers. Autovacuum gathers
them some time after a bulk load, or never where it is off; until then the planner
guesses from empty tables, and the home page of a freshly generated 200-issue archive
took 518 ms instead of 57 ms (issue #16). So whatever fills tables in bulk (a batch
import, ``generate_corpus``, ``restore``) analyzes them itself when it is done.

SQLite is left alone: its planner does without statistics unless ``ANALYZE`` has been
run once, and statistics gathered then stay frozen in ``sqlite_stat1`` until the next
``ANALYZE``, so analyzing a small load would steer later plans by stale numbers.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model


def analyze(models: Iterable[type[Model]] | None = None) -> None:
    """Run ``ANALYZE`` on PostgreSQL for the tables of ``models`` (their many-to-many
    tables included), or on every table of the database when ``models`` is None.
    A no-op on other databases."""
    if connection.vendor != "postgresql":
        return
    if models is None:
        statement = "ANALYZE"
    else:
        tables = set()
        for model in models:
            tables.add(model._meta.db_table)
            tables.update(
                f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many
            )
        if not tables:
            return
        statement = "ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables))
    with connection.cursor() as cursor:
        cursor.execute(statement)
