"""Settings for jczx, driven entirely by environment variables.

The table of variables is in README.md. With ``DJANGO_DEBUG`` off (the default)
these settings are production-safe: a secret key is required, HTTPS-only behaviour
is on unless ``DJANGO_HTTPS=0``.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    # Only the embedded quick start (``make run``) runs with debug on; it still passes
    # a generated key through the environment, this default is for a bare runserver.
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-debug-only-never-in-production")
else:
    try:
        SECRET_KEY = env("DJANGO_SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            '(generate one: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        ) from exc
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short: use at least 32 characters.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin with an admin site that writes the audit log (security.audit).
    "security.audit.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_ckeditor_5",
    "simple_history",
    "csp",
    "security.axesapp.AxesConfig",  # django-axes, labelled in Chinese
    # Background tasks (Django 6's django.tasks, backported) stored in the database.
    "django_tasks",
    "django_tasks_db",
    # The project's apps, lowest layer first (docs/architecture.md).
    "richtext",
    "backup",
    "security",
    "pagecache",
    "uploads",
    "sitesettings",
    "workflow",
    "members",
    "articles",
    "issues",
    "edition",
    "search",
]

MIDDLEWARE = [
    # First: what it stores holds every header the others add, and a hit skips them all
    # (jczx.wsgi answers hits even earlier); /static/ and /media/ pass straight through.
    "pagecache.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag/304 for every page (a cached page is stored with its ETag).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "security.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "security.audit.AdminAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jczx.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sitesettings.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "jczx.wsgi.application"

# SQLite in the project folder is the embedded default for a first run;
# production and CI use PostgreSQL through DATABASE_URL.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
# A kept connection is tested (SELECT 1) before a request's first query uses it, and
# replaced when the database has dropped it (a restart, a failover, an idle timeout):
# without this, each worker's first request after a restart fails.
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# Without CACHE_URL, each process's own memory, at most 2,000 entries: pages of 12-120 KB
# (50-100 MB for a typical mix; up to about 250 MB per process if every entry were the
# largest page), search's memos among them.
CACHES = {
    "default": env.cache_url_config(
        env.str("CACHE_URL", default="") or "locmemcache://jczx?max_entries=2000"
    )
}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # Redis unreachable costs only speed (docs/operations.md): pages are then rendered
    # without it, and each request waits at most this long for a cache that is gone.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        SOCKET_CONNECT_TIMEOUT=env.float("JCZX_CACHE_CONNECT_TIMEOUT", default=0.25),
        SOCKET_TIMEOUT=env.float("JCZX_CACHE_TIMEOUT", default=0.5),
    )

# Whole pages for anonymous readers (pagecache.cache). Each page is checked against its
# scopes' tokens in the database on every hit, so a cache of each process's own memory is
# as exact as a shared one: an edit made through one process makes the other processes'
# copies stale too. "auto" turns it on for every backend but the dummy one, and but local
# memory under DJANGO_DEBUG, where a developer's template edit must show at once.
_page_cache = env.str("JCZX_PAGE_CACHE", default="auto").lower()
_cache_backend = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
JCZX_PAGE_CACHE = (
    _cache_backend != "DummyCache" and not (DEBUG and _cache_backend == "LocMemCache")
    if _page_cache == "auto"
    else env.bool("JCZX_PAGE_CACHE")
)
JCZX_PAGE_CACHE_ALIAS = "default"
# Longest a page stays cached (writes and scheduled publications end it sooner); the
# bound for changes made outside Django, e.g. with psql.
JCZX_PAGE_CACHE_SECONDS = env.int("JCZX_PAGE_CACHE_SECONDS", default=600)
# max-age for browsers and proxies on anonymous pages (capped at the next scheduled
# publication); 0 makes them revalidate (ETag) every time.
JCZX_PAGE_MAX_AGE = env.int("JCZX_PAGE_MAX_AGE", default=60)
# Each process keeps copies of the pages it served from the cache, up to this many bytes
# of page bodies, and reads only its scopes' tokens (from the database) on a hit.
JCZX_PAGE_CACHE_LOCAL_BYTES = env.int("JCZX_PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)
JCZX_PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/media/", "/static/"]
# What public pages show: a write to any table of these apps (history and many-to-many
# tables included) makes cached pages and search's memo stale.
JCZX_CONTENT_APPS = ["issues", "articles", "members", "sitesettings", "edition"]
# Models whose scheduled publications (定时发布) end a cached page's life; each default
# manager offers next_publication_after() (workflow.models.PublicationQuerySet).
JCZX_SCHEDULED_MODELS = ["issues.Issue", "articles.Article"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (django-tasks): stored in the database, run by `manage.py db_worker`
# (`make run` starts one beside the site; README › 电子版 for production). Rendering an
# issue's PDF pages is the one task so far (edition.tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# When the admin says a rendering seems to have stopped (a worker killed mid-render:
# 100 pages take under a minute) and that no worker seems to run (queued, not started).
JCZX_EDITION_STALLED_MINUTES = env.int("JCZX_EDITION_STALLED_MINUTES", default=15)
JCZX_EDITION_UNSTARTED_MINUTES = env.int("JCZX_EDITION_UNSTARTED_MINUTES", default=10)

# The lockout backend comes first so a locked-out login never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "security.auth.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "security.auth.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Uploaded files: the media folder of this machine, or, for several app servers, an
# S3-compatible bucket they all share (DJANGO_STORAGE=s3: needs `pip install ".[s3]"`).
# Credentials come from the environment boto3 reads (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY). URLs are signed and expire (internal issues' PDFs must not be
# public); they outlive any cached page (JCZX_PAGE_CACHE_SECONDS).
if env.str("DJANGO_STORAGE", default="filesystem") == "s3":
    import importlib.util

    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            'DJANGO_STORAGE=s3 needs django-storages: .venv/bin/pip install ".[s3]"'
        )
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3 * 60 * 60),
            "object_parameters": {"CacheControl": "max-age=86400, private"},
        },
    }
else:
    # FileSystemStorage that never leaves a half-written file (a full disk).
    _media_storage = {"BACKEND": "uploads.storage.MediaStorage"}

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the limits below are enforced by uploads.files, not only by these settings.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644
# E-mail (the review stages tell their group when a piece reaches them): EMAIL_URL as
# django-environ reads it, e.g. smtp+tls://user:password@smtp.example.org:587; printed to
# the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="jczx@localhost")
# 三审: may one person sign two stages of the same piece? Not by default.
JCZX_REVIEW_ALLOW_SAME_SIGNER = env.bool("JCZX_REVIEW_ALLOW_SAME_SIGNER", default=False)

JCZX_IMAGE_MAX_BYTES = env.int("JCZX_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
JCZX_IMAGE_MAX_PIXELS = env.int("JCZX_IMAGE_MAX_PIXELS", default=40_000_000)
JCZX_PDF_MAX_BYTES = env.int("JCZX_PDF_MAX_BYTES", default=100 * 1024 * 1024)
# manage.py backup / restore (make backup / make restore): database + media.
JCZX_BACKUP_ROOT = env.path("JCZX_BACKUP_ROOT", default=BASE_DIR / "backups")

# --- Security -------------------------------------------------------------------------
HTTPS = env.bool("DJANGO_HTTPS", default=True) and not DEBUG
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto.
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # CKEditor 5 reads the CSRF cookie to upload images.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): no inline script or style anywhere on the public
# site, nothing from another origin. The admin gets the one exception it needs in
# security.csp (inline style attributes), scoped to its URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for CKEditor 5, which shows pasted and dropped images as data: URLs
        # until they are uploaded.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
JCZX_ADMIN_URL_PREFIX = "/admin/"

# Admin login lockout (django-axes): 5 failures for one account from one address lock
# that pair out for an hour. Locking the pair, not the account alone, keeps a stranger
# from locking an editor out of the admin by typing her user name.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，账户已暂时锁定，请稍后再试或联系系统管理员。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多，账户已锁定，请联系系统管理员。"
AXES_VERBOSE = False
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    # The client address is the one the proxy appends to X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Rich text ------------------------------------------------------------------------
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "image_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_MAX_FILE_SIZE = JCZX_IMAGE_MAX_BYTES // (1024 * 1024)
_toolbar = [
    "heading",
    "|",
    "bold",
    "italic",
    "link",
    "bulletedList",
    "numberedList",
    "blockQuote",
    "|",
    "imageUpload",
    "insertTable",
    "|",
    "undo",
    "redo",
]
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "toolbar": {"items": _toolbar},
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "小标题",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "三级标题",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {"toolbar": ["imageTextAlternative", "|", "toggleImageCaption"]},
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
    },
}

# Logs go to stderr (gunicorn and systemd collect them). The audit loggers jczx.admin
# (who did what in the admin, with what result) and jczx.import (import runs) write one
# JSON object a line, so they can be searched by user, action and object.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "security.audit.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "jczx": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "jczx.admin": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        "jczx.import": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # django-axes logs each failed login itself; jczx.admin already records them.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
