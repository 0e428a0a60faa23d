"""The server-error handler (``handler500`` in jczx/urls.py): a database that cannot be
reached is a 503 with Retry-After, every other failure the 500 page.

While PostgreSQL restarts (a few seconds) or is unreachable, any request that needs it
fails with ``OperationalError`` (cannot connect, the server closed the connection) or
``InterfaceError`` (a connection already closed), raised wherever the first query is:
a view, a template, a middleware saving the session. Django turns each into a call of
this handler, so one place answers them all, and logs them as before (django.request).
The request after the database is back gets a working connection: ``CONN_HEALTH_CHECKS``
(settings) replaces a connection the restart ended before the request uses it."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

# Seconds a reader (or a proxy, a crawler) is asked to wait: a restart takes a few.
RETRY_AFTER_SECONDS = 10


class ServiceUnavailable(HttpResponseServerError):
    status_code = 503


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 503 page when the database is out of reach, else Django's own 500 view.
    Called inside the ``except`` block that caught the failure, so ``sys.exc_info()``
    is that failure (django.core.handlers.exception)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return default_server_error(request, template_name)


def database_unavailable(request):
    """503.html rendered like 500.html: an empty context, no query, no context processor."""
    response = ServiceUnavailable(loader.get_template("503.html").render({}))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Nobody keeps it: the next request may well succeed.
    response["Cache-Control"] = "no-store"
    return response
