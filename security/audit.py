"""The audit trail: who did what in the admin and the importer, with what result, as
structured log records (one JSON object a line with ``JsonFormatter``).

Records go to the ``jczx.admin`` logger (admin saves and deletions, logins, uploads) and
``jczx.import`` (import runs). Each carries ``user``, ``action``, ``object`` and ``result``
as attributes, so a log shipper can filter on them without parsing the message.
"""

import datetime
import functools
import getpass
import json
import logging
import time

from django.utils import timezone

admin_log = logging.getLogger("jczx.admin")
import_log = logging.getLogger("jczx.import")

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and the ``extra`` fields."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def client_ip(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def log_admin_event(*, user, action, obj, result, **fields):
    """Write one audit record for an admin action. ``obj`` is a short text naming the
    object (``articles.article:12 在市委政协工作会议上的讲话``)."""
    username = getattr(user, "username", None) or str(user or "")
    admin_log.info(
        "%s %s by %s: %s",
        action,
        obj,
        username or "-",
        result,
        extra={"user": username, "action": action, "object": obj, "result": result, **fields},
    )


_ACTION_NAMES = {1: "add", 2: "change", 3: "delete"}


def _result_of(status: int) -> str:
    if status == 403:
        return "denied"
    if status >= 400:
        return "error"
    if status == 200:
        # The admin answers a POST with a page (not a redirect) when it did not save:
        # a form with errors, or a confirmation step before a deletion.
        return "not_saved"
    return "no_change"


class AdminAuditMiddleware:
    """Logs every POST to the admin site: the LogEntry rows it produced (one record per
    object, bulk deletions included), or, when it produced none, what happened instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        started = timezone.now()
        response = self.get_response(request)
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is None
            or match.namespace != "admin"
            or match.url_name in {"login", "logout"}  # logged by the login signals
            or user is None
            or not user.is_authenticated
        ):
            return response
        self.log_request(request, response, user, started)
        return response

    def log_request(self, request, response, user, started):
        from django.contrib.admin.models import LogEntry

        entries = LogEntry.objects.filter(user=user, action_time__gte=started).select_related(
            "content_type"
        )
        logged = False
        for entry in entries:
            content_type = entry.content_type
            label = f"{content_type.app_label}.{content_type.model}" if content_type else "?"
            log_admin_event(
                user=user,
                action=_ACTION_NAMES.get(entry.action_flag, str(entry.action_flag)),
                obj=f"{label}:{entry.object_id} {entry.object_repr}",
                result="success",
                change=entry.get_change_message(),
                path=request.path,
            )
            logged = True
        if not logged:
            log_admin_event(
                user=user,
                action="post",
                obj=request.path,
                result=_result_of(response.status_code),
                status=response.status_code,
                path=request.path,
            )


# --- Logins (connected in JczxConfig.ready) ----------------------------------------------


def on_login(sender, request, user, **kwargs):
    if request is not None:
        log_admin_event(user=user, action="login", obj="-", result="success", ip=client_ip(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        log_admin_event(
            user=credentials.get("username", ""),
            action="login",
            obj="-",
            result="failure",
            ip=client_ip(request),
        )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    log_admin_event(user=username, action="login", obj="-", result="locked", ip=ip_address)


# --- Import runs ---------------------------------------------------------------------------


def _run_by(options) -> str:
    """Who ran an import: the account passed as ``by``/``user``, else the system user."""
    who = options.get("by") or options.get("user")
    if who is not None:
        return getattr(who, "username", None) or str(who)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "-"


def logged_import(function):
    """Decorator for the import service: one ``jczx.import`` record per run, with who,
    the source, the outcome (created / replaced / unchanged / refused …), the issue, the
    counts and the first problems. A crash is logged as ``error`` and re-raised."""

    @functools.wraps(function)
    def wrapper(*args, **options):
        source = str(options.get("path", args[0] if args else ""))
        user = _run_by(options)
        started = time.perf_counter()
        try:
            result = function(*args, **options)
        except Exception:
            import_log.exception(
                "import %s by %s: error",
                source,
                user,
                extra={"user": user, "action": "import", "object": source, "result": "error"},
            )
            raise
        document = getattr(result, "document", None) or {}
        problems = [str(p) for p in getattr(result, "problems", [])]
        import_log.info(
            "import %s by %s: %s %s",
            source,
            user,
            result.outcome,
            result.issue,
            extra={
                "user": user,
                "action": "import",
                "object": source,
                "result": result.outcome,
                "issue": result.issue,
                "articles": len(document.get("articles", [])),
                "warnings": len(getattr(result, "warnings", [])),
                "problems": problems[:5],
                "dry_run": bool(options.get("dry_run")),
                "replace": bool(options.get("replace")),
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
        return result

    return wrapper
