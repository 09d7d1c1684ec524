"""Configuration: clear messages for bad values, a clean `check --deploy` in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k7#Qz9!vR2mLx4@pT8wN1sB6yH3cJ5dF0gA-eU_iO+rV=tW*qE&uY^oP%lK$jZ"


# Variables of the test run itself that a real deployment would not have.
NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SANJOSE_TESTING"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unparsable_database_url_is_one_clear_line():
    result = run_manage("check", DATABASE_URL="not-a-url")

    assert result.returncode == 2
    assert result.stderr.startswith("Configuration error: DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_bad_boolean_names_the_variable():
    result = run_manage("check", DEBUG="maybe")

    assert result.returncode == 2
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_bad_redis_url_names_the_variable():
    result = run_manage("check", REDIS_URL="localhost:6379")

    assert result.returncode == 2
    assert "REDIS_URL must look like redis://HOST:PORT/DB" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="dialogue.example.org")

    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_prints_no_warning_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="dialogue.example.org",
        SITE_URL="https://dialogue.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/sanjose",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_embedded_default_uses_sqlite_inline_tasks_and_console_email():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
        " s.CACHES['default']['BACKEND'])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    clean["DJANGO_SETTINGS_MODULE"] = "sanjose.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
