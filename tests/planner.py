"""How often PostgreSQL's planner statistics of a table were gathered by ANALYZE."""

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="ANALYZE after bulk writes is PostgreSQL's (SQLite is left alone: backup.statistics)",
)


def analyze_counts(*models) -> dict[str, int]:
    """``pg_stat_user_tables.analyze_count`` of each model's table, read afresh (the
    statistics views keep one snapshot per transaction unless it is cleared)."""
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        found = dict(cursor.fetchall())
    return {table: found.get(table, 0) for table in tables}


def analyzed_since(before: dict[str, int], *models) -> dict[str, int]:
    """How many times each table was analyzed since ``before`` was read."""
    after = analyze_counts(*models)
    return {table: after[table] - before[table] for table in after}
