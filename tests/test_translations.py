"""Every screen is Indonesian first: the catalogue is complete, compiled, and covers the source."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_every_message_has_an_indonesian_translation():
    missing = [entry.msgid for entry in polib.pofile(str(PO)) if not entry.translated()]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(str(PO)) if entry.translated()}
    compiled = {
        entry.msgid: entry.msgstr for entry in polib.mofile(str(PO.with_suffix(".mo"))) if entry.msgid
    }
    assert compiled == source, "run: python manage.py compilemessages --ignore=.venv"


def test_no_source_string_is_missing_from_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_TOOLS"):
            pytest.fail("GNU gettext (xgettext) is needed for this check")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "artifacts", "*.pyc")
    )
    env = {**os.environ, "DEBUG": "True", "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--ignore=tests"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    expected = {entry.msgid for entry in polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))}
    present = {entry.msgid for entry in polib.pofile(str(PO))}
    assert sorted(expected - present) == [], "run: python manage.py makemessages -l id --no-obsolete"
