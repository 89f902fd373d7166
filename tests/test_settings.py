"""The one settings module: safe to clone and run, loud when production is misconfigured."""

from __future__ import annotations

import json
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import lantoa.settings as real_settings
import lantoa.settings_test as test_settings

ROOT = Path(__file__).resolve().parent.parent
ENV_NAMES = [
    "LANTOA_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "LANTOA_VAR_DIR",
    "LANTOA_TEST_DB_NAME",
    "CSRF_TRUSTED_ORIGINS",
]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No Lan Tỏa variables but a private var/ directory."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANTOA_VAR_DIR", str(tmp_path))
    return monkeypatch


def _load() -> dict[str, object]:
    """Execute lantoa/settings.py afresh (the imported module stays as it is)."""
    return runpy.run_path(str(ROOT / "lantoa" / "settings.py"), run_name="lantoa_settings_probe")


def _run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANTOA_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start_naming_it(clean_env):
    clean_env.setenv("LANTOA_DEBUG", "0")
    clean_env.setenv("ALLOWED_HOSTS", "example.org")

    with pytest.raises(ImproperlyConfigured) as caught:
        _load()

    assert str(caught.value).startswith("SECRET_KEY is not set.")


def test_production_without_allowed_hosts_refuses_to_start_naming_it(clean_env):
    clean_env.setenv("LANTOA_DEBUG", "0")
    clean_env.setenv("SECRET_KEY", secrets.token_urlsafe(50))

    with pytest.raises(ImproperlyConfigured) as caught:
        _load()

    assert str(caught.value).startswith("ALLOWED_HOSTS is not set.")


def test_a_typo_in_debug_refuses_to_start(clean_env):
    clean_env.setenv("LANTOA_DEBUG", "nope")

    with pytest.raises(ImproperlyConfigured) as caught:
        _load()

    assert "LANTOA_DEBUG" in str(caught.value)


def test_production_turns_on_https_protections(clean_env):
    clean_env.setenv("LANTOA_DEBUG", "0")
    clean_env.setenv("SECRET_KEY", "k" * 10 + secrets.token_urlsafe(50))
    clean_env.setenv("ALLOWED_HOSTS", "lantoa.tinhuy.vn, www.lantoa.tinhuy.vn")

    loaded = _load()

    assert (
        loaded["DEBUG"],
        loaded["ALLOWED_HOSTS"],
        loaded["SECURE_SSL_REDIRECT"],
        loaded["SESSION_COOKIE_SECURE"],
        loaded["CSRF_COOKIE_SECURE"],
        loaded["SECURE_HSTS_SECONDS"],
    ) == (False, ["lantoa.tinhuy.vn", "www.lantoa.tinhuy.vn"], True, True, True, 31536000)


def test_development_generates_and_keeps_a_secret_in_var(clean_env, tmp_path):
    first = _load()["SECRET_KEY"]
    second = _load()["SECRET_KEY"]

    key_file = tmp_path / "dev-secret-key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_development_needs_no_variables(clean_env, tmp_path):
    loaded = _load()

    assert (loaded["DEBUG"], loaded["ALLOWED_HOSTS"]) == (True, ["127.0.0.1", "localhost", "[::1]"])
    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANTOA_DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "example.org",
            "DJANGO_SETTINGS_MODULE": "lantoa.settings",
            "LANTOA_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST', ''), "
    "'test': db.get('TEST', {}).get('NAME')}))"
)


def test_database_url_switches_to_postgresql(tmp_path):
    result = _run(
        PRINT_DATABASE,
        tmp_path,
        DJANGO_SETTINGS_MODULE="lantoa.settings",
        DATABASE_URL="postgres://lantoa:secret@db.tinhuy.vn:5432/lantoa",
        LANTOA_TEST_DB_NAME="test_lantoa_core",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.postgresql",
        "name": "lantoa",
        "host": "db.tinhuy.vn",
        "test": "test_lantoa_core",
    }


def test_default_database_is_sqlite_under_the_var_directory(tmp_path):
    result = _run(PRINT_DATABASE, tmp_path, DJANGO_SETTINGS_MODULE="lantoa.settings")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.sqlite3",
        "name": str(tmp_path / "lantoa.sqlite3"),
        "host": "",
        "test": None,
    }


def test_real_settings_hash_with_argon2_and_lock_out_after_five_failures():
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert (real_settings.AXES_FAILURE_LIMIT, real_settings.AXES_LOCKOUT_PARAMETERS) == (
        5,
        [["username", "ip_address"]],
    )


def test_test_settings_only_speed_up_and_isolate():
    differing = sorted(
        name
        for name in dir(test_settings)
        if name.isupper() and getattr(test_settings, name) != getattr(real_settings, name, object())
    )

    # AXES_ENABLED is only spelled out (True is the default), so the lockout tests run.
    assert differing == ["AXES_ENABLED", "LOGGING", "PASSWORD_HASHERS", "STORAGES", "TASKS", "TASKS_MODE"]
