"""Test settings: the real settings, only faster and isolated (see house style point 14)."""

from lantoa.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TASKS_MODE = "immediate"
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A statement planned badly fails within seconds, with the query and a stack, instead of
    # running for the rest of the CI run. The slowest honest statement (the demo's COPY of
    # 220 000 attendance rows) takes about 2 s.
    DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=20s"}  # noqa: F405
