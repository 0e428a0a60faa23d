"""Scopes: which cached pages a write makes stale.

A *scope* names a part of the content that pages show: ``issue:12`` (an issue and
everything printed in it), ``column:3``, ``list:news``… Each scope has a token in the
database (``pagecache.models.Scope``); a page is stored with the scopes it depends on and
their tokens, and is current while every one of those tokens is unchanged (see
``pagecache.cache``). Two scopes are built in:

- ``GLOBAL``: every page depends on it. A write this module cannot attribute to rows it
  understands — a table without a mapping, raw SQL of another form, a TRUNCATE, the
  site settings, a name shown everywhere — replaces it: everything is stale. Safe.
- ``CONTENT``: replaced by every content write, attributed or not. A page that declares
  nothing depends on it (and on ``GLOBAL``): it is stale after any edit, as every page
  was before scopes existed. Feeds, sitemaps and search depend on it.

Pages say what they depend on with ``depend(request, *scopes)`` (the views of the
content apps, while they render). Writes are attributed at the SQL level, so that
``update()``, ``bulk_create()``, m2m ``add()`` and raw SQL count as well as ``save()``:
``Write`` reads the rows a statement changes (before and after an UPDATE, before a
DELETE, from the parameters of an INSERT) and maps them through the registry the content
apps fill in their ``AppConfig.ready()`` (``register``): pagecache knows no content
model. Whatever cannot be read that way is ``GLOBAL``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

GLOBAL = "global"
CONTENT = "content"
# More scopes than this on one page or in one transaction: depend on / replace CONTENT
# or GLOBAL instead (one token read or written, and the outcome is as safe).
MAX_PAGE_SCOPES = 64
MAX_WRITE_SCOPES = 256
# More rows than this in one UPDATE or DELETE: not read, GLOBAL.
MAX_ROWS = 1000
REQUEST_ATTRIBUTE = "_page_scopes"


# --- What pages depend on --------------------------------------------------------------


def depend(request, *scopes: str) -> None:
    """Declare that the page rendered for ``request`` shows content of ``scopes``."""
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    if found is None:
        found = set()
        setattr(request, REQUEST_ATTRIBUTE, found)
    found.update(scopes)


def page_scopes(request) -> tuple[str, ...]:
    """The scopes of the page rendered for ``request``, sorted, ``GLOBAL`` included."""
    declared = getattr(request, REQUEST_ATTRIBUTE, None)
    if not declared or len(declared) > MAX_PAGE_SCOPES:
        return (CONTENT, GLOBAL)
    return tuple(sorted({GLOBAL, *declared}))


# --- What writes touch -----------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """How rows of one table map to scopes.

    ``scopes(row)``: the scopes showing this row (``row``: column name → value, every
    column but those in ``unread``; an INSERT's row lacks an automatic primary key).
    ``moved``: scopes replaced as well when rows appear, disappear, or change in a
    column outside ``unread`` and ``in_place`` — the lists whose membership or order
    such a change can alter. ``follow``: {column: table} — the rows a foreign key points
    to count too, mapped by their own table's ``scopes`` (a byline shows on its
    article's pages). ``unread``: columns never read (large text)."""

    table: str
    scopes: Callable[[dict], Iterable[str]]
    moved: frozenset[str] = frozenset()
    in_place: frozenset[str] = frozenset()
    unread: frozenset[str] = frozenset()
    follow: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    pk: str = "id"
    inserts_only: bool = False


_registry: dict[str, Mapping] = {}


def register(
    model,
    *,
    scopes: Callable[[dict], Iterable[str]],
    moved: Iterable[str] = (),
    in_place: Iterable[str] = (),
    unread: Iterable[str] = (),
    follow: dict | None = None,
    inserts_only: bool = False,
) -> None:
    """Map writes to ``model``'s table to scopes (called in ``AppConfig.ready()``);
    ``follow`` maps a foreign key's field name to its model. See ``Mapping``.
    ``inserts_only``: only new rows are mapped; changing or deleting one is GLOBAL
    (a row whose text every page may print, once something links to it)."""
    meta = model._meta
    unread = frozenset(meta.get_field(name).column for name in unread)
    _registry[meta.db_table.lower()] = Mapping(
        table=meta.db_table,
        scopes=scopes,
        moved=frozenset(moved),
        in_place=frozenset(meta.get_field(name).column for name in in_place),
        unread=unread,
        follow={
            meta.get_field(name).column: target._meta.db_table.lower()
            for name, target in (follow or {}).items()
        },
        columns=tuple(f.column for f in meta.concrete_fields if f.column not in unread),
        pk=meta.pk.column,
        inserts_only=inserts_only,
    )


def registered_tables() -> frozenset[str]:
    return frozenset(_registry)


class Unattributable(Exception):
    """A write whose rows cannot be read: it replaces ``GLOBAL``."""


_NAME = r'"?(\w+)"?'
# INSERT OR IGNORE (SQLite) and ON CONFLICT DO NOTHING (m2m add(), ignore_conflicts):
# the rows named, some perhaps not inserted, are a superset of what changed.
_INSERT = re.compile(
    rf"\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+{_NAME}\s*\(([^)]*)\)\s*(.*)$", re.I | re.S
)
_UPDATE = re.compile(rf"\s*UPDATE\s+{_NAME}\s+SET\s", re.I)
_DELETE = re.compile(rf"\s*DELETE\s+FROM\s+{_NAME}\s*", re.I)
_END = r"\s*(?:ON\s+CONFLICT\s+DO\s+NOTHING\s*)?(?:RETURNING\s[^;]*)?;?\s*$"
_VALUES = re.compile(r"VALUES\s*(?:\(\s*%s(?:\s*,\s*%s)*\s*\)\s*,?\s*)+" + _END, re.I)
_UNNEST = re.compile(r"SELECT\s+\*\s+FROM\s+UNNEST\([^;]*\)" + _END, re.I | re.S)
_PLACEHOLDER = re.compile(r"%%|%s")


def _placeholders(sql: str) -> int:
    return sum(1 for match in _PLACEHOLDER.finditer(sql) if match.group() == "%s")


def _top_level_where(sql: str) -> int:
    """The index of the statement's own WHERE (not a subquery's), or -1."""
    depth, i, quote = 0, 0, None
    upper = sql.upper()
    while i < len(sql):
        char = sql[i]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and upper.startswith("WHERE", i) and sql[i - 1].isspace():
            return i
        i += 1
    return -1


class Write:
    """One write statement to a content table: ``Write(connection, sql, params, many)``
    before it runs, ``scopes()`` after. Anything not understood raises
    ``Unattributable``."""

    def __init__(self, connection, sql: str, params, many: bool):
        self.connection = connection
        self.before: list[dict] = []
        self.found: set[str] | None = None  # an INSERT's scopes, from its parameters
        self.is_update = False
        self.mapping: Mapping
        if isinstance(params, dict):
            raise Unattributable("named parameters")
        if match := _INSERT.match(sql):
            self.mapping = self._mapping(match.group(1))
            # Resolved before the INSERT runs: the rows its foreign keys point to exist
            # already, and SQLite reads nothing while the INSERT's RETURNING is unread.
            self.found = self._resolve(self._inserted(match, params, many), moved=True)
            return
        if many:
            raise Unattributable("executemany of an UPDATE or DELETE")
        params = list(params or ())
        if match := (_UPDATE.match(sql) or _DELETE.match(sql)):
            self.mapping = self._mapping(match.group(1))
            if self.mapping.inserts_only:
                raise Unattributable(f"{self.mapping.table} maps new rows only")
            where = _top_level_where(sql)
            if where < 0 or (_DELETE.match(sql) and where != match.end()):
                raise Unattributable("no WHERE of its own")
            condition = sql[where + len("WHERE") :]
            if re.search(r"\b(RETURNING|ORDER\s+BY|LIMIT)\b", condition, re.I):
                raise Unattributable("RETURNING, ORDER BY or LIMIT")
            split = _placeholders(sql[:where])
            if _placeholders(condition) != len(params) - split:
                raise Unattributable("parameters")
            self.before = self._select(f"WHERE {condition}", params[split:])
            self.is_update = bool(_UPDATE.match(sql))
            return
        raise Unattributable("a statement of another form")

    @staticmethod
    def _mapping(table: str) -> Mapping:
        mapping = _registry.get(table.lower())
        if mapping is None:
            raise Unattributable(f"no mapping for {table}")
        return mapping

    def _inserted(self, match, params, many) -> list[dict]:
        columns = [name.strip().strip('"`') for name in match.group(2).split(",")]
        rest = match.group(3)
        if _VALUES.match(rest):
            batches = list(params) if many else [params]
            values = [value for batch in batches for value in batch]
            if not columns or len(values) % len(columns):
                raise Unattributable("parameters")
            return [
                dict(zip(columns, values[i : i + len(columns)], strict=True))
                for i in range(0, len(values), len(columns))
            ]
        if not many and _UNNEST.match(rest) and len(params) == len(columns):
            return [dict(zip(columns, row, strict=True)) for row in zip(*params, strict=True)]
        raise Unattributable("an INSERT of another form")

    def _select(self, where: str, params: list, mapping: Mapping | None = None) -> list[dict]:
        mapping = mapping or self.mapping
        quote = self.connection.ops.quote_name
        columns = ", ".join(f"{quote(mapping.table)}.{quote(c)}" for c in mapping.columns)
        sql = f"SELECT {columns} FROM {quote(mapping.table)} {where} LIMIT {MAX_ROWS + 1}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [dict(zip(mapping.columns, row, strict=True)) for row in cursor.fetchall()]
        if len(rows) > MAX_ROWS:
            raise Unattributable(f"more than {MAX_ROWS} rows")
        return rows

    def _by_pk(self, mapping: Mapping, keys: list) -> list[dict]:
        if not keys:
            return []
        marks = ", ".join(["%s"] * len(keys))
        quote = self.connection.ops.quote_name
        pk = f"{quote(mapping.table)}.{quote(mapping.pk)}"
        return self._select(f"WHERE {pk} IN ({marks})", list(keys), mapping)

    def scopes(self) -> set[str]:
        """After the statement ran: the scopes of the rows it changed."""
        mapping = self.mapping
        if self.found is not None:  # INSERT
            return self.found
        if self.is_update:  # UPDATE: the rows before and after
            after = self._by_pk(mapping, [row[mapping.pk] for row in self.before])
            if len(after) != len(self.before):
                raise Unattributable("an UPDATE of primary keys")
            return self._resolve(self.before + after, moved=_moved(mapping, self.before, after))
        return self._resolve(self.before, moved=bool(self.before))  # DELETE

    def _resolve(self, rows: list[dict], *, moved: bool) -> set[str]:
        mapping = self.mapping
        found = set(mapping.moved) if moved else set()
        for row in rows:
            found.update(_row_scopes(mapping, row))
        for column, table in mapping.follow.items():
            target = _registry.get(table)
            if target is None:
                raise Unattributable(f"no mapping for {table}")
            keys = sorted({row[column] for row in rows if row.get(column) is not None})
            targets = self._by_pk(target, keys)
            if len(targets) != len(keys):
                raise Unattributable(f"{table} rows already gone")
            for row in targets:
                found.update(_row_scopes(target, row))
        return found


def _row_scopes(mapping: Mapping, row: dict) -> set[str]:
    try:
        return set(mapping.scopes(row))
    except (KeyError, TypeError, ValueError) as exc:
        raise Unattributable(f"{mapping.table}: {exc!r}") from exc


def _moved(mapping: Mapping, before: list[dict], after: list[dict]) -> bool:
    """Did any row change outside the columns it may change in place?"""
    watched = [c for c in mapping.columns if c not in mapping.in_place]
    return any(old[c] != new[c] for old, new in zip(before, after, strict=True) for c in watched)


def write_scopes(connection, sql: str, params, many: bool, execute) -> tuple[object, set[str]]:
    """Run ``execute()`` (the statement) and return its result with the scopes it
    touched (``{GLOBAL}`` when it cannot be attributed)."""
    try:
        write = Write(connection, sql, params, many)
    except Unattributable:
        return execute(), {GLOBAL}
    result = execute()
    try:
        return result, write.scopes()
    except Unattributable:
        return result, {GLOBAL}
