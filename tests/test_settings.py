"""Settings come from the environment and refuse bad values loudly (DESIGN §10)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gugus_tugas.environment import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
SAFE_KEY = "k" * 20 + "-Aa1_random_enough_for_the_deploy_check_0123456789"


def settings_in_subprocess(expression: str, **env: str) -> subprocess.CompletedProcess:
    """Import the settings afresh with exactly this environment (plus PATH) and print an expression."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "gugus_tugas.settings", **env}
    code = f"from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("True", True), ("1", True), ("on", True), ("False", False), ("0", False), ("no", False), ("", True)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", True) is expected


def test_env_bool_refuses_a_misspelling(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be True or False, not 'ture'"):
        env_bool("SOME_FLAG", False)


def test_env_int_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "thirty")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be a whole number"):
        env_int("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be at least 1"):
        env_int("SOME_NUMBER", 5, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , ,b.example")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_it_stops_without_a_secret_key_when_debug_is_off():
    result = settings_in_subprocess("settings.DEBUG", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_without_a_secret_key_in_debug():
    result = settings_in_subprocess("settings.DEBUG", DEBUG="True")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_bad_value_stops_start_up_with_its_name():
    result = settings_in_subprocess(
        "settings.SESSION_COOKIE_AGE", SECRET_KEY=SAFE_KEY, SESSION_IDLE_MINUTES="half"
    )
    assert result.returncode != 0
    assert "SESSION_IDLE_MINUTES must be a whole number" in result.stderr


def test_secure_settings_are_on_without_debug_and_relax_one_by_one():
    expression = (
        "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS"
    )
    strict = settings_in_subprocess(expression, SECRET_KEY=SAFE_KEY)
    assert strict.stdout.strip() == "True True True 31536000"
    relaxed = settings_in_subprocess(expression, SECRET_KEY=SAFE_KEY, SECURE_SSL_REDIRECT="False")
    assert relaxed.stdout.strip() == "False True True 31536000"


def test_database_url_selects_postgresql_and_sqlite_is_the_default():
    expression = "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']"
    default = settings_in_subprocess(expression, SECRET_KEY=SAFE_KEY)
    assert default.stdout.startswith("django.db.backends.sqlite3")
    postgres = settings_in_subprocess(
        expression, SECRET_KEY=SAFE_KEY, DATABASE_URL="postgres://u:p@db.example:5432/tppo"
    )
    assert postgres.stdout.strip() == "django.db.backends.postgresql tppo"


def test_time_zone_and_languages():
    result = settings_in_subprocess(
        "settings.TIME_ZONE, settings.LANGUAGE_CODE, [c for c, _ in settings.LANGUAGES]", SECRET_KEY=SAFE_KEY
    )
    assert result.stdout.strip() == "Asia/Makassar id ['id', 'en']"


def test_check_deploy_is_clean_with_debug_off():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="tppo.kupangkota.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_offline_commands_run_without_a_secret_key_but_serving_commands_do_not():
    offline = manage("makemigrations", "--check", "--dry-run", DEBUG="False")
    assert offline.returncode == 0, offline.stderr
    serving = manage("migrate", "--plan", DEBUG="False")
    assert serving.returncode != 0
    assert "SECRET_KEY is not set" in serving.stderr
