"""The security audit: who did what in the admin and the importer, with what result, as
structured log records (one JSON object a line with ``JsonFormatter``). It is one of the
three records of changes (README, "Records of changes"), written where the action
happens and nowhere else.

Records go to the ``jczx.admin`` logger (admin saves and deletions, workflow steps,
merges, logins, uploads, refusals) and ``jczx.import`` (import runs). Each carries
``user``, ``action``, ``object`` and ``result`` as attributes, so a log shipper can
filter on them without parsing the message.
"""

import datetime
import functools
import getpass
import json
import logging
import time

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

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


def object_label(obj) -> str:
    """``articles.article:12 在市委政协工作会议上的讲话``: the model, the key, the name."""
    return f"{obj._meta.label_lower}:{obj.pk} {obj}"


# Set on a request once it has written its own audit record, so that the middleware does
# not add a second, vaguer one.
_AUDITED = "_jczx_audited"


def log_request_event(request, *, action, obj, result, **fields):
    """One audit record for what ``request`` did to ``obj`` (a model instance)."""
    setattr(request, _AUDITED, True)
    log_admin_event(
        user=request.user,
        action=action,
        obj=object_label(obj),
        result=result,
        path=request.path,
        **fields,
    )


# --- The admin: one record per object it adds, changes or deletes -----------------------


class AuditedAdmin:
    """ModelAdmin mixin: the calls through which the admin reports what it saved —
    ``log_addition``, ``log_change``, ``log_deletions`` (every add and change form, the
    changelist's ``list_editable``, the delete page and the bulk deletion, the user
    admin's password form, simple-history's restore) — write the audit record and
    nothing else. No ``LogEntry`` row: what changed is in the object's history
    (simple-history), the workflow steps in the 流程记录, the security trail here.

    ``AuditedAdminSite`` mixes this into every ModelAdmin it registers, so the admins of
    Django's and third-party apps (users, groups, django-axes) are covered too; admins
    that write records of their own (transitions, merges) inherit it to call
    ``log_event``.
    """

    def log_event(self, request, obj, *, action, result="success", **fields):
        log_request_event(request, action=action, obj=obj, result=result, **fields)

    def log_addition(self, request, obj, message):
        # ``message`` is the admin's structured change message (a list of dicts naming
        # the fields and inline rows touched); kept as data for the log shipper.
        self.log_event(request, obj, action="add", change=message)

    def log_change(self, request, obj, message):
        self.log_event(request, obj, action="change", change=message)

    def log_deletions(self, request, queryset):
        # Called before the deletion, once for the delete page and the bulk action alike.
        # (Django 5.2 calls the deprecated ``log_deletion`` only from the default
        # ``log_deletions``, which this replaces.)
        for obj in queryset:
            self.log_event(request, obj, action="delete")


class AuditedAdminSite(admin.AdminSite):
    """The default admin site (``AdminConfig.default_site``): every ModelAdmin registered
    on it logs through ``AuditedAdmin``."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class)(
                admin_class.__name__,
                (AuditedAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)


class AdminConfig(DjangoAdminConfig):
    """``django.contrib.admin`` with ``AuditedAdminSite`` as ``admin.site``."""

    default_site = f"{__name__}.AuditedAdminSite"


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
    """So that no admin request that may have changed something, or was refused, goes
    unrecorded: a POST to the admin that wrote no audit record of its own (a form with
    errors, a confirmation step, a refusal), and any admin page refused with 403, gets
    one record saying what happened instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            (request.method != "POST" and response.status_code != 403)
            or getattr(request, _AUDITED, False)
            or match is None
            or match.namespace != "admin"
            or match.url_name in {"login", "logout"}  # logged by the login signals
            or user is None
            or not user.is_authenticated
        ):
            return response
        log_admin_event(
            user=user,
            action="post" if request.method == "POST" else "view",
            obj=request.path,
            result=_result_of(response.status_code),
            status=response.status_code,
            path=request.path,
        )
        return response


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
