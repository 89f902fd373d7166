"""Lan Tỏa settings: one module, read from the environment (see README "Configuration").

Cloning and running needs no variables: SQLite under var/, a generated dev secret, mail to the
console. LANTOA_DEBUG=0 is production mode and then SECRET_KEY and ALLOWED_HOSTS are required.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, cast

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lantoa.lib.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LANTOA_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # whitenoise warns on every start without it

DEBUG = env_bool("LANTOA_DEBUG", True)


def _secret_key() -> str:
    given = env_str("SECRET_KEY")
    if given:
        return given
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production mode (LANTOA_DEBUG=0) give a long random "
            "SECRET_KEY in the environment."
        )
    # Development: generate once and keep it in var/ so sessions survive restarts.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. In production mode (LANTOA_DEBUG=0) list the host names the "
        "site answers to, separated by commas, e.g. ALLOWED_HOSTS=lantoa.tinhuy.vn"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "lantoa.accounts",
    "lantoa.audit",
    "lantoa.org",
    "lantoa.imports",
    "lantoa.documents",
    "lantoa.cells",
    "lantoa.honours",
    "lantoa.ratings",
    "lantoa.funds",
    "lantoa.reports",
    "lantoa.web",
    "lantoa.demo",
    "lantoa.scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lantoa.lib.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantoa.urls"
WSGI_APPLICATION = "lantoa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantoa.web.context_processors.nav",
            ],
            "builtins": ["lantoa.web.templatetags.vi"],
        },
    },
]

DATABASES = {
    "default": dict(
        dj_database_url.parse(
            env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lantoa.sqlite3'}",
            conn_max_age=env_int("LANTOA_DB_CONN_MAX_AGE", 60),
        )
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query it thinks costly: on a province's people search it spent
    # 1,5 s compiling a query that ran in 1,1 s (bench/RESULTS.md). Pages here are short queries.
    given_options = cast(dict[str, Any], DATABASES["default"].get("OPTIONS") or {})
    DATABASES["default"]["OPTIONS"] = {**given_options, "options": "-c jit=off"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests and the task worker share the file: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# Lets two test runs share one PostgreSQL server without sharing a test database.
if env_str("LANTOA_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("LANTOA_TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
CSRF_FAILURE_VIEW = "lantoa.web.views.csrf_failure"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock a username out after repeated failures (django-axes), from the address they came from.
AXES_FAILURE_LIMIT = env_int("LANTOA_LOGIN_FAILURE_LIMIT", 5)
LANTOA_LOGIN_COOLOFF_MINUTES = env_int("LANTOA_LOGIN_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = LANTOA_LOGIN_COOLOFF_MINUTES / 60  # hours
# The username and the address together: by username alone anyone could lock anyone out by
# typing five wrong passwords; by address alone an office behind one NAT address would be locked
# out whole. Guessing one account from one address stops; its owner, at their desk, still logs in.
# Administrators see and lift locks on the accounts page.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("LANTOA_SESSION_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# LANTOA_LOCALE_DIR lets the catalogue test extract messages into a scratch copy.
LOCALE_PATHS = [
    Path(env_str("LANTOA_LOCALE_DIR") or BASE_DIR / "locale"),
    BASE_DIR / "locale_overrides" / "django",  # better Vietnamese for a few of Django's own messages
]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["lantoa.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Import files up to 30 MB (100 000 members is about 8 MB as .xlsx).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LANTOA_MAX_IMPORT_BYTES = env_int("LANTOA_MAX_IMPORT_MB", 30) * 1024 * 1024
# One file holds at most this many members (a district has tens of thousands; a province is
# imported district by district): checking it stays under 250 MB (bench/RESULTS.md). A check longer
# than this many minutes is stopped (it would hold up every other import in the worker).
LANTOA_MAX_IMPORT_ROWS = env_int("LANTOA_MAX_IMPORT_ROWS", 100_000)
LANTOA_IMPORT_MAX_MINUTES = env_int("LANTOA_IMPORT_MAX_MINUTES", 15)

EMAIL_BACKEND = env_str("LANTOA_EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"

# Background work (django-tasks). "database": a worker (`manage.py db_worker`) runs the tasks,
# `make run` starts one. "immediate": tasks run inside the request (tests, tiny installs).
TASKS_MODE = env_choice("LANTOA_TASKS", ("database", "immediate"), "database")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_MODE == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A dashboard of a unit with more members than this (a province: seconds to count) is kept for
# this many minutes; the page says when it was counted and offers to count again.
LANTOA_DASHBOARD_REMEMBER_MEMBERS = env_int("LANTOA_DASHBOARD_REMEMBER_MEMBERS", 50_000)
LANTOA_DASHBOARD_REMEMBER_MINUTES = env_int("LANTOA_DASHBOARD_REMEMBER_MINUTES", 15)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Production defaults pass `manage.py check --deploy`; an intranet served over plain HTTP
    # can turn them off explicitly (README explains the trade-off).
    SECURE_SSL_REDIRECT = env_bool("LANTOA_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("LANTOA_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("LANTOA_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("LANTOA_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LANTOA_LOG_LEVEL") or "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Names shown in the interface. Kept here because every page and document uses it.
LANTOA_SITE_NAME = _("Lan Tỏa")
