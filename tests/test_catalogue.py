"""The Vietnamese catalogue is complete: every message in the code has a translation, none fuzzy.

Messages are extracted afresh (makemessages) into a scratch copy of the catalogue, so a string
added to the code without a translation fails here, not in front of a user.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every live entry; plural entries report their first form."""

    def joined(block: str, key: str) -> str | None:
        match = re.search(r"^" + key + r" ((?:\".*\"\n?)+)", block, re.M)
        return "".join(re.findall(r'"(.*)"', match.group(1))) if match else None

    result = []
    for block in po_text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        msgid = joined(block, "msgid")
        if not msgid:
            continue
        msgstr = joined(block, "msgstr")
        if msgstr is None:
            msgstr = joined(block, r"msgstr\[0\]") or ""
        result.append((msgid, msgstr, "fuzzy" in block.split("msgid")[0]))
    return result


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext tools are not installed (make system-deps)"
)
def test_catalogue_translates_every_message_in_the_code(tmp_path):
    scratch = tmp_path / "locale"
    (scratch / "vi" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, scratch / "vi" / "LC_MESSAGES" / "django.po")
    env = {**os.environ, "LANTOA_LOCALE_DIR": str(scratch), "DJANGO_SETTINGS_MODULE": "lantoa.settings"}
    env.setdefault("LANTOA_VAR_DIR", str(tmp_path / "var"))
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=tests/*",
            "--ignore=bench/*",
            # Without this, Django finds ./locale while walking the tree and writes the real
            # catalogue instead of the scratch copy.
            "--ignore=locale",
            "--no-obsolete",
            "-v0",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    entries = _entries((scratch / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))

    untranslated = [msgid for msgid, msgstr, _fuzzy in entries if not msgstr]
    fuzzy = [msgid for msgid, _msgstr, is_fuzzy in entries if is_fuzzy]
    assert untranslated == [], f"{len(untranslated)} messages have no Vietnamese: {untranslated[:15]}"
    assert fuzzy == [], f"{len(fuzzy)} Vietnamese entries are fuzzy: {fuzzy[:15]}"
    assert len(entries) > 200


def test_catalogue_in_the_repository_has_no_empty_or_fuzzy_entry():
    entries = _entries(CATALOGUE.read_text(encoding="utf-8"))
    assert [m for m, s, f in entries if not s or f] == []
