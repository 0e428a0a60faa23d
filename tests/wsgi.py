"""Requests as a WSGI server (gunicorn) makes them, for tests the test client cannot do:
the raw environ (a percent-encoded path arrives as bytes, as in production), Django's
connection housekeeping at each request's start and end (``close_old_connections``,
which the test client skips), and the page-cache front of jczx.wsgi."""

import contextlib
import io
import string
from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


def environ_for(url: str, method: str = "GET") -> dict:
    parts = urlsplit(url)
    return {
        "REQUEST_METHOD": method,
        # PEP 3333: the path's bytes, decoded as Latin-1 (what gunicorn passes).
        "PATH_INFO": unquote_to_bytes(parts.path).decode("iso-8859-1"),
        # Percent-encoded past ASCII, as browsers send it.
        "QUERY_STRING": quote(parts.query, safe=string.punctuation),
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


@contextlib.contextmanager
def _test_transaction_kept():
    """Without the connection housekeeping, as the test client does: a test inside a
    transaction (``django_db``) would otherwise see its connection closed."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_get(url: str, application=None, *, housekeeping=True) -> tuple[int, dict, str]:
    """(status, headers, body) of a GET of ``url`` through ``application`` (a fresh
    Django WSGIHandler by default). ``housekeeping=False`` in a test that runs inside a
    transaction (not ``transactional_db``)."""
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(headers)

    with contextlib.nullcontext() if housekeeping else _test_transaction_kept():
        result = (application or WSGIHandler())(environ_for(url), start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()  # request_finished, as a WSGI server does after each response
    return started["status"], started["headers"], body.decode(errors="replace")
