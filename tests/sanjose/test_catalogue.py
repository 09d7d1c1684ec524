"""The Spanish catalogue is complete, compiled, and holds every string marked in the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def live_entries(catalogue):
    return [e for e in catalogue if not e.obsolete and e.msgid]


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO))

    missing = [e.msgid for e in live_entries(catalogue) if not e.translated()]
    fuzzy = [e.msgid for e in live_entries(catalogue) if "fuzzy" in e.flags]

    assert missing == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in live_entries(polib.pofile(str(PO)))
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
        if e.msgid
    }

    assert compiled == source


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("This test needs GNU gettext (apt-get install gettext); .ci/run installs it.")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "media",
            "staticfiles",
            "screenshots",
            "node_modules",
            "__pycache__",
            "*.sqlite3",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--ignore=static/vendor/*",
            "--ignore=tests/*",
            "--ignore=benchmarks/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in live_entries(polib.pofile(str(copy / PO.relative_to(ROOT))))
    }
    ours = {(e.msgctxt, e.msgid) for e in live_entries(polib.pofile(str(PO)))}

    assert sorted(fresh - ours) == []
