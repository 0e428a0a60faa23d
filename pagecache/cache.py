"""Whole-page cache for anonymous readers that never serves stale content.

How a page stays fresh
----------------------
Every cached page carries the *scopes* it shows (``issue:12``, ``column:3``,
``list:articles``…, declared by the views while they render: ``pagecache.scopes``) and
the token each scope had when the page was rendered; the tokens live in the database,
one row per scope (``pagecache.models.Scope``). Every transaction that writes to a
content table — an issue, article, byline, column, person, 工作动态 item, highlight,
编委会 seat, their history — replaces, as its last statement before COMMIT, the tokens of
the scopes its rows belong to (read at the SQL level, mapped by the content apps'
registrations), plus ``content``; a write that cannot be attributed replaces ``global``,
which every page depends on. A hit reads its page's tokens in one query (``WHERE name IN
(…)``) and is served only if every one is unchanged: an edit of one article makes stale
its issue's pages, its column's, the lists that hold it, not the other issues' pages.

A page stored after a miss gets the tokens read *after* it rendered, and is stored only
if ``global`` and ``content`` were the same before it rendered (one of them changes on
every content write): a write that commits while the page renders leaves it unstored.

A page's lifetime is also capped at the next scheduled publication (the earliest
``published_at`` still ahead among published issues and articles), whatever the page,
so a scheduled item appears on time with no job to run; and at
``JCZX_PAGE_CACHE_SECONDS`` whatever happens, as a bound on any write made outside
Django (psql).

Why the token is in the database, not in Redis
----------------------------------------------
It was in Redis, and Redis could not keep it honest: a write made while Redis was
unreachable could not replace it, and a Redis restarted from a dump (save points, AOF,
or a network blip that lost nothing) brought an old token back together with the pages
rendered under it, served as hits. Freshness cannot depend on the cache having been
reachable when the content changed. In the database the token commits or rolls back
with the content it stands for, in the same transaction, so at any moment the committed
token and the committed content agree; whatever Redis loses, keeps or brings back
carries a token of its own and is served only while that token is the database's.

The price is one indexed read per request (``SELECT name, token … WHERE name IN (…)``,
a few rows) in place of the Redis GET of the token: about a third more per hit on the
measured machine, tens of microseconds (docs/operations.md, bench/front_bench.py). Cheaper
designs were rejected: a copy of the token kept in Redis or in the process for a short
TTL is stale after a restart or for the TTL, and checking Redis's token against the
database only "when it looks old" cannot see a token that is old but present.

The tokens are replaced last, at COMMIT, not at the first write, in one upsert with the
scopes sorted: the rows are locked from that statement until the commit, so taking them
last holds the locks only for the commit and can never wait in a cycle with content
rows the transaction locked before (the workflow's ``select_for_update``), nor with
another transaction's tokens. A single statement in autocommit mode gets a transaction
of its own on PostgreSQL; on SQLite, which cannot commit while a statement still has
rows to fetch, the tokens are replaced just after the statement commits.

Why writes are seen at the SQL level
------------------------------------
A write can reach the database by ``save()``, ``delete()``, ``QuerySet.update()``,
``bulk_create()``/``bulk_update()`` (the importer, the search index, the workflow
services, a person merge), m2m ``add()``/``set()``, ``loaddata`` or a raw cursor. Model
signals see only the first few, and a list of explicit "invalidate here" calls goes
stale the day someone adds a bulk path. Every one of them, however, runs an INSERT,
UPDATE, DELETE or TRUNCATE through Django's cursor, so one execute wrapper (installed on
every connection, see ``install_write_tracking``) looks at the statement's table and,
for a content table, reads the rows it changes (``pagecache.scopes.Write``: before and
after an UPDATE, before a DELETE, an INSERT's parameters) and adds their scopes to the
connection's; its commit replaces their tokens (see above). A rolled back transaction
changed nothing and leaves the tokens as they were.

A request rendered on a connection that holds uncommitted content writes of its own
(only tests do that: the test client runs inside the test's transaction) replaces the
tokens of its scopes first, in that transaction, since it sees rows nobody else sees yet.

What is cached
--------------
Only GET/HEAD requests without a session cookie or Authorization header (so signed-in
readers — who may see 内部资料 issues — never get a shared page and never fill one),
and only a 200 response that sets no cookie, did not use the CSRF token, and does not
mark itself private. The middleware comes first in MIDDLEWARE, so the cached copy
keeps every header the others added (security headers, CSP, X-Frame-Options, Vary,
Content-Language, ETag). A hit is answered in front of Django by ``PageCacheFront``,
the WSGI application gunicorn runs (jczx.wsgi): its scopes' tokens read in one query,
the page taken from this process's copy (or one cache round trip), no request signals,
no middleware.
The middleware answers hits the same way when Django is called without the front (the
test client).

Redis unreachable, flushed or restarted
---------------------------------------
Every cache call on a page's path degrades to the uncached path, logged: a lookup that
cannot reach Redis renders the page and does not store it (still served from this
process's copy when that copy is current); renditions read their size
from the storage, search's memo computes its matches. Timeouts (settings) bound the
wait. A flushed Redis is a cold one; a restored one holds only pages of old tokens.

Without Redis
-------------
Since a page is served only under its scopes' tokens read from the database, the cache
need not be shared: with the local-memory default (no ``CACHE_URL``) each process keeps
the pages it rendered, and an edit made through any process, or with ``import_issue``,
makes every process's copies stale exactly as it does in Redis. Each process renders a
page once before it has it (with Redis, one process renders it for all), and a process
restarted starts cold. ``JCZX_PAGE_CACHE=auto`` (the default) turns the page cache on for
every backend but the dummy one, and but local memory under ``DJANGO_DEBUG``, where a
developer's template edit must show at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import re
import secrets
import threading
from collections import OrderedDict
from functools import cache
from http.client import responses

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

from . import scopes
from .models import Scope
from .scopes import CONTENT, GLOBAL

logger = logging.getLogger("jczx.pagecache")

PAGE_KEY_PREFIX = "jczx:page:"
SCHEDULE_KEY_PREFIX = "jczx:next-publication:"
# Where PageCacheFront leaves its Lookup of a miss for PageCacheMiddleware.
LOOKUP_ENVIRON_KEY = "jczx.page_cache.lookup"

_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+["`]?(\w+)',
    re.IGNORECASE,
)
# Set on a connection by a content write: the scopes its transaction touched, until its
# commit replaces their tokens; _UNREAD until a request on the same connection has
# replaced them to read.
_WROTE = "jczx_content_scopes"
_UNREAD = "jczx_content_written_unread"
_TABLE_READY = "jczx_scope_table_ready"


def page_cache():
    return caches[settings.JCZX_PAGE_CACHE_ALIAS]


# --- The scopes' tokens ----------------------------------------------------------------


def _table(connection) -> str:
    return connection.ops.quote_name(Scope._meta.db_table)


def _write_tokens(connection, touched) -> None:
    """Replace the tokens of ``touched`` and of CONTENT (one upsert, keys sorted so that
    two transactions lock the rows in the same order); ``GLOBAL`` among them, or too
    many of them, replaces GLOBAL instead. Creates rows a TRUNCATE (``flush``) emptied."""
    touched = set(touched)
    if GLOBAL in touched or len(touched) > scopes.MAX_WRITE_SCOPES:
        touched = {GLOBAL}
    keys = sorted({CONTENT, *touched})
    rows = ", ".join(["(%s, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(connection)} (name, token) VALUES {rows} "
            "ON CONFLICT (name) DO UPDATE SET token = excluded.token",
            [value for key in keys for value in (key, secrets.token_hex(8))],
        )


def read_tokens(keys) -> dict[str, str]:
    """The committed tokens of ``keys`` (or those this connection's own open transaction
    wrote), in one query; a scope never written has none. ``GLOBAL`` is always there:
    on a fresh or flushed database it is created, with a new random token, so nothing
    stored before the flush can match."""
    keys = sorted({GLOBAL, *keys})
    connection = connections[DEFAULT_DB_ALIAS]
    marks = ", ".join(["%s"] * len(keys))
    sql = f"SELECT name, token FROM {_table(connection)} WHERE name IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(sql, keys)
        tokens = dict(cursor.fetchall())
        if GLOBAL not in tokens:  # several readers agree on one token
            cursor.execute(
                f"INSERT INTO {_table(connection)} (name, token) VALUES (%s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                [GLOBAL, secrets.token_hex(8)],
            )
            cursor.execute(sql, keys)
            tokens = dict(cursor.fetchall())
    return tokens


def current_generation() -> str:
    """The content generation: the tokens of GLOBAL and CONTENT, which every committed
    content write replaces one of (or written by this connection's open transaction)."""
    tokens = read_tokens([CONTENT])
    return f"{tokens[GLOBAL]}.{tokens.get(CONTENT, '')}"


def replace_generation() -> None:
    """Make every cached page stale (in the current transaction, if there is one); call
    it after changing content behind Django's back (psql)."""
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        _write_tokens(connections[DEFAULT_DB_ALIAS], {GLOBAL})


# --- Seeing content writes -----------------------------------------------------------


@cache
def content_tables() -> frozenset[str]:
    """Tables of the content apps (``JCZX_CONTENT_APPS``), many-to-many tables and
    history tables included."""
    tables = set()
    for label in settings.JCZX_CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table.lower())
    return frozenset(tables)


def _writes_content(sql) -> bool:
    if not isinstance(sql, str) or sql.lstrip()[:1] not in "IUDTiudt":
        return False
    match = _WRITE.match(sql)
    if match is None:
        return False
    return sql.lstrip()[:1] in "Tt" or match.group(1).lower() in content_tables()


def _touched(connection, sql, params, many, run) -> tuple[object, set[str]]:
    """Run the statement; return its result and the scopes it touched."""
    if sql.lstrip()[:1] in "Tt":  # TRUNCATE
        return run(), {GLOBAL}
    return scopes.write_scopes(connection, sql, params, many, run)


def _track_writes(execute, sql, params, many, context):
    if not _writes_content(sql):
        return execute(sql, params, many, context)
    connection = context["connection"]
    if connection.get_autocommit():
        if connection.vendor == "postgresql":
            # One statement, one transaction: the tokens are replaced in it before COMMIT.
            with transaction.atomic(using=connection.alias):
                return _track_writes(execute, sql, params, many, context)
        # SQLite cannot commit while the caller has rows left to fetch (INSERT …
        # RETURNING), so the tokens are replaced right after the statement's own commit.
        result, touched = _touched(
            connection, sql, params, many, lambda: execute(sql, params, many, context)
        )
        if _scope_table_ready(connection):
            _write_tokens(connection, touched)
        return result
    result, touched = _touched(
        connection, sql, params, many, lambda: execute(sql, params, many, context)
    )
    getattr(connection, _WROTE).update(touched)
    setattr(connection, _UNREAD, True)
    return result


def _scope_table_ready(connection) -> bool:
    """False only while ``migrate`` runs content apps' migrations before pagecache's."""
    if not getattr(connection, _TABLE_READY, False):
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        setattr(connection, _TABLE_READY, Scope._meta.db_table in tables)
    return getattr(connection, _TABLE_READY)


def install_write_tracking(sender=None, connection=None, **kwargs):
    """``connection_created`` receiver: watch this connection's writes (once), and
    replace the tokens of the scopes every transaction touched as its last statement
    before COMMIT. Last, and not at the first write: the rows are locked from the upsert
    to the commit, so taking them last holds them only for the commit and can never
    wait in a cycle with the content rows a transaction locked before
    (select_for_update)."""
    if _track_writes in connection.execute_wrappers:
        return
    setattr(connection, _WROTE, set())
    setattr(connection, _UNREAD, False)
    commit, rollback = connection._commit, connection._rollback

    def _commit():
        touched = getattr(connection, _WROTE)
        if touched and _scope_table_ready(connection):
            _write_tokens(connection, touched)
        setattr(connection, _WROTE, set())
        setattr(connection, _UNREAD, False)
        return commit()

    def _rollback():
        setattr(connection, _WROTE, set())
        setattr(connection, _UNREAD, False)
        return rollback()

    connection._commit, connection._rollback = _commit, _rollback
    # First in the list: ``connection.execute_wrapper()`` blocks pop from the end.
    connection.execute_wrappers.insert(0, _track_writes)


def replace_generation_after_migrate(**kwargs):
    """A deploy (migrate) may change templates as well as tables: start afresh."""
    replace_generation()


def _own_writes_visible() -> None:
    """A request on a connection that holds uncommitted content writes of its own (only
    tests do that: the test client runs inside the test's transaction) sees rows nobody
    else sees yet, so their scopes' tokens are replaced first, in that transaction
    (which commits them, or rolls them back, with the writes they stand for)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, _UNREAD, False) and not connection.get_autocommit():
        _write_tokens(connection, getattr(connection, _WROTE))
        setattr(connection, _WROTE, set())
        setattr(connection, _UNREAD, False)


def generation_for_reading() -> str:
    """The content generation a reader's request sees now: for caches of anything
    derived from content alone (search's memo of matches), keyed by it."""
    _own_writes_visible()
    return current_generation()


# --- Scheduled publication -----------------------------------------------------------


def next_publication_after(moment):
    """The earliest publication time after ``moment`` (定时发布) among the models of
    ``JCZX_SCHEDULED_MODELS``, each asked through its default manager's
    ``next_publication_after()`` (``workflow.models.PublicationQuerySet``), or None."""
    times = [
        apps.get_model(label)._default_manager.next_publication_after(moment)
        for label in settings.JCZX_SCHEDULED_MODELS
    ]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def _next_change(token: str, now: float) -> float:
    """When pages rendered now stop being current without any write: the next scheduled
    publication, remembered per content generation (any write may change the schedule).
    One time for every page: a page is never kept past a publication anywhere, which
    may make a page stale early (it renders again), never late."""
    store = page_cache()
    key = SCHEDULE_KEY_PREFIX + token
    remembered = store.get(key)
    if remembered is not None and remembered > now:
        return remembered
    upcoming = next_publication_after(dt.datetime.fromtimestamp(now, tz=dt.UTC))
    moment = upcoming.timestamp() if upcoming is not None else math.inf
    store.set(key, moment, timeout=settings.JCZX_PAGE_CACHE_SECONDS)
    return moment


# --- The middleware ------------------------------------------------------------------


def anonymous_read(request) -> bool:
    """A GET/HEAD with no session cookie and no Authorization header."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request) -> str:
    """The cache key of the page at this absolute URL (scheme, host, path and query:
    pages hold absolute links, and http:// and https:// get different headers)."""
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_KEY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def _max_age(valid_until: float, now: float) -> int:
    return max(0, min(settings.JCZX_PAGE_MAX_AGE, int(valid_until - now)))


def _set_public_max_age(response, max_age: int) -> None:
    if max_age > 0:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class LocalPages:
    """This process's copies of cached pages, least recently used dropped first once
    their bodies pass ``limit`` bytes. A copy is only ever served under its scopes'
    tokens just read from the database, exactly like the cache's entry it copies, so
    it is never staler than that entry; it saves moving the page out of Redis and
    unpickling it on every hit (a round trip of a few bytes instead of tens of KB)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's threaded workers share a process

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[-1])
        if size > self.limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[-1])
            self.entries[key] = entry
            self.size += size
            while self.size > self.limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[-1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


local_pages = LocalPages(settings.JCZX_PAGE_CACHE_LOCAL_BYTES)


class Lookup:
    """What the cache holds for a request: the time ``now`` of the look, the ``tokens``
    read from the database (scope → token, None for a scope never written) and, when
    the page is cached and current, its ``entry`` (its scopes, their tokens when it was
    rendered, valid until, status, headers, content); ``shared`` is False when the
    shared cache could not be asked (Redis down): the page is then rendered and not
    stored.

    The page comes from this process's copy when that copy is current, else from the
    shared cache (a round trip, once per page, version and process). Current means:
    every one of its scopes' tokens, read now in one query, is the one it was stored
    with, and its time has not run out."""

    __slots__ = ("entry", "key", "now", "shared", "tokens")

    def __init__(self, request):
        self.key = page_key(request)
        _own_writes_visible()
        self.now = timezone.now().timestamp()
        self.entry = None
        self.shared = True
        self.tokens: dict[str, str | None] = {}
        entry = local_pages.get(self.key)
        if self.current(entry):
            self.entry = entry
            return
        try:
            entry = page_cache().get(self.key)
        except Exception as exc:  # Redis down: only speed is lost
            self.shared = False
            logger.warning("page cache unavailable, %s rendered uncached: %r", request.path, exc)
            return
        if self.current(entry):
            local_pages.put(self.key, entry)
            self.entry = entry

    def read(self, keys) -> None:
        missing = [key for key in keys if key not in self.tokens]
        if missing:
            found = read_tokens(missing)
            self.tokens.update({key: found.get(key) for key in {GLOBAL, *missing}})

    def current(self, entry) -> bool:
        if entry is None or len(entry) != 6 or self.now >= entry[2]:  # 6: this version's
            return False
        page_scopes, tokens = entry[0], entry[1]
        self.read(page_scopes)
        return tuple(self.tokens[key] for key in page_scopes) == tokens

    def generation(self) -> str:
        """GLOBAL's and CONTENT's tokens (one of them changes on every content write)."""
        self.read((GLOBAL, CONTENT))
        return f"{self.tokens[GLOBAL]}.{self.tokens[CONTENT] or ''}"

    def headers(self) -> list[tuple[str, str]]:
        """The cached page's headers, its Cache-Control counting down to its end."""
        _, _, valid_until, _, headers, _ = self.entry
        max_age = _max_age(valid_until, self.now)
        control = f"public, max-age={max_age}" + ("" if max_age else ", must-revalidate")
        return [
            *((name, value) for name, value in headers if name != "Cache-Control"),
            ("Cache-Control", control),
            ("X-Page-Cache", "hit"),
        ]

    def response(self, request):
        """The cached page, or 304 Not Modified when the reader holds it already."""
        _, _, _, status, _, content = self.entry
        response = HttpResponse(content, status=status)
        for name, value in self.headers():
            response[name] = value
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


class PageCacheMiddleware:
    """Serves and stores whole pages for anonymous readers (see the module docstring);
    sets Cache-Control on pages: ``public`` with a short max-age for anonymous readers,
    ``private, no-cache`` for signed-in ones. Place it first: what it stores then holds
    every header the other middleware add (SecurityMiddleware's too), and a hit skips
    them all; ``PageCacheFront`` serves hits even before Django's request handling."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(settings.JCZX_PAGE_CACHE_EXCLUDED_PATHS)

    def __call__(self, request):
        if request.path.startswith(self.excluded):
            return self.get_response(request)
        if not anonymous_read(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if not settings.JCZX_PAGE_CACHE:
            return self.uncached(request)
        return self.cached(request)

    def uncached(self, request):
        """The page rendered for this request alone, browsers told to revalidate it."""
        response = self.get_response(request)
        if self.shareable(request, response):
            self.mark_public(response, max_age=0)
        return response

    @staticmethod
    def shareable(request, response) -> bool:
        """May every anonymous reader get this very response?"""
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def mark_public(response, *, max_age: int) -> None:
        _set_public_max_age(response, max_age)
        # The same URL shows more to signed-in readers: shared caches must tell them apart.
        patch_vary_headers(response, ("Cookie",))
        if not response.has_header("ETag"):
            set_response_etag(response)

    def cached(self, request):
        try:
            # The front looked already (jczx.wsgi): its answer, else a lookup here.
            found = request.META.pop(LOOKUP_ENVIRON_KEY, None) or Lookup(request)
            if found.entry is not None:
                return found.response(request)
            if not found.shared:
                return self.uncached(request)
            # Decided before the view reads anything: a publication that happens while
            # it renders must not be cached past its time; and a write committed while
            # it renders changes the generation, read here first.
            generation = found.generation()
            valid_until = min(
                found.now + settings.JCZX_PAGE_CACHE_SECONDS, _next_change(generation, found.now)
            )
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400
        except Exception as exc:  # the cache (or the database) is down: serve uncached
            logger.warning("page cache unavailable, %s rendered uncached: %r", request.path, exc)
            return self.uncached(request)

        response = self.get_response(request)
        if not self.shareable(request, response):
            if response.status_code == 200 and not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        self.mark_public(response, max_age=_max_age(valid_until, found.now))
        headers = list(response.items())
        response["X-Page-Cache"] = "miss"
        page_scopes = scopes.page_scopes(request)
        try:
            tokens = read_tokens({CONTENT, *page_scopes})
        except Exception as exc:
            logger.warning("page cache unavailable, %s not stored: %r", request.path, exc)
            return response
        if f"{tokens[GLOBAL]}.{tokens.get(CONTENT) or ''}" != generation:
            return response  # content changed while it rendered: it may show either
        entry = (
            page_scopes,
            tuple(tokens.get(key) for key in page_scopes),
            valid_until,
            response.status_code,
            headers,
            response.content,
        )
        try:
            page_cache().set(found.key, entry, timeout=max(1, math.ceil(valid_until - found.now)))
        except Exception as exc:
            logger.warning("page cache unavailable, %s not stored: %r", request.path, exc)
        return response


def _request(environ) -> WSGIRequest:
    """A request for the front's own look, on a copy of the environ: WSGIRequest writes
    the decoded path back into the environ it is given (``META["PATH_INFO"]``), and a
    path above U+00FF (``/政协/``) written there can no longer be read as the WSGI
    server's Latin-1 text by the WSGIRequest Django's handler builds next."""
    return WSGIRequest(dict(environ))


class PageCacheFront:
    """The WSGI application in front of Django's (``jczx.wsgi``): answers a cache hit
    for an anonymous reader before Django builds its request, runs request_started and
    request_finished (which look at every database connection) and the middleware. On
    anything but a current cached page it hands the request to Django, where
    PageCacheMiddleware renders and stores it, with the ``Lookup`` it made (in the
    environ): the cache is read once per request, and a page is current for one exactly
    when it is for the other."""

    def __init__(self, application):
        self.application = application
        self.excluded = tuple(settings.JCZX_PAGE_CACHE_EXCLUDED_PATHS)

    def __call__(self, environ, start_response):
        found = self.lookup(environ) if settings.JCZX_PAGE_CACHE else None
        if found is None or found.entry is None:
            if found is not None:  # a miss: the middleware renders and stores the page
                environ[LOOKUP_ENVIRON_KEY] = found
            return self.application(environ, start_response)
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            response = found.response(_request(environ))  # may be 304
            headers, content = list(response.items()), response.content
            status = f"{response.status_code} {response.reason_phrase}"
        else:
            _, _, _, code, _, content = found.entry
            headers, status = found.headers(), f"{code} {responses.get(code, '')}"
        start_response(status, headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [content]

    def lookup(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if "HTTP_AUTHORIZATION" in environ:
            return None
        request = _request(environ)
        if request.path.startswith(self.excluded) or not anonymous_read(request):
            return None
        try:
            return Lookup(request)
        except Exception:  # a disallowed host, the database unreachable: Django decides
            return None
