"""Database faults (security.errors, CONN_HEALTH_CHECKS): a request arriving after the
database dropped the app's connections (a restart) succeeds; one arriving while it is
out of reach gets the 503 page, never a 500.

Requests go through Django's own WSGI handler (tests.wsgi), as under gunicorn: the test
client skips the connection housekeeping a real request does at its start and end
(``close_old_connections``), which is what keeps or replaces a connection."""

import socket
import sqlite3

import pytest
from django.db import connection

from security.errors import server_error
from tests.factories import ArticleFactory
from tests.wsgi import wsgi_get

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_terminate_backend: PostgreSQL only (SQLite has no server to drop connections)",
)


def terminate_backends():
    """Do what a restart does to the app: end every other session on the test database,
    from a connection of our own, and wait until they are gone."""
    own = connection.get_new_connection(connection.get_connection_params())
    try:
        own.autocommit = True
        with own.cursor() as cursor:
            cursor.execute(
                "SELECT pid, pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return {pid for pid, ended in cursor.fetchall() if ended}
    finally:
        own.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def article(transactional_db, settings):
    settings.JCZX_PAGE_CACHE = False  # every request asks the database
    return ArticleFactory(title="政协委员视察沁河治理")


@on_postgresql
def test_the_first_request_after_a_restart_gets_a_fresh_connection(article):
    assert wsgi_get(article.get_absolute_url())[0] == 200
    kept = connection.connection.get_backend_pid()  # CONN_MAX_AGE keeps it for the next one

    assert kept in terminate_backends()

    status, _, body = wsgi_get(article.get_absolute_url())
    assert status == 200
    assert "政协委员视察沁河治理" in body
    assert connection.connection.get_backend_pid() != kept
    # The admin opens a transaction before its first query: it is checked there too.
    terminate_backends()
    assert wsgi_get("/admin/login/")[0] == 200


def database_out_of_reach(monkeypatch):
    """PostgreSQL: the next connection goes to a port nobody listens on (a server down).
    SQLite (an in-memory test database that never closes): every cursor fails as when
    the file cannot be opened."""
    if connection.vendor == "postgresql":
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "PORT", str(closed_port()))
    else:

        def unable_to_open(*args, **kwargs):
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(connection, "create_cursor", unable_to_open)


def test_while_the_database_is_out_of_reach_readers_get_a_503_page(article, monkeypatch):
    with monkeypatch.context() as patch:
        database_out_of_reach(patch)
        status, headers, body = wsgi_get(article.get_absolute_url())

    assert status == 503
    assert headers["Retry-After"] == "10"
    assert headers["Cache-Control"] == "no-store"
    assert '<h1 class="page-title">服务暂时不可用</h1>' in body
    assert "服务暂时不可用，请稍后再试。" in body
    # Back: the very next request is served.
    status, _, body = wsgi_get(article.get_absolute_url())
    assert status == 200
    assert "政协委员视察沁河治理" in body


def test_other_failures_keep_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器暂时出错" in response.content.decode()
