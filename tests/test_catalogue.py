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
    # makemessages writes into any ./locale it can see from where it runs, so it runs on a copy
    # of the sources, next to a scratch copy of the catalogue: the real one is never touched.
    scratch = tmp_path / "locale"
    (scratch / "vi" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(CATALOGUE, scratch / "vi" / "LC_MESSAGES" / "django.po")
    sources = tmp_path / "src"
    for part in ("lantoa", "templates"):
        shutil.copytree(
            ROOT / part, sources / part, ignore=shutil.ignore_patterns("__pycache__", "migrations")
        )
    env = {
        **os.environ,
        "LANTOA_LOCALE_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "lantoa.settings",
        "PYTHONPATH": str(ROOT),
        "LANTOA_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-obsolete", "-v0"],
        cwd=sources,
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


def test_django_messages_users_meet_read_in_vietnamese():
    """Django's own messages that its catalogue lacks or words badly come from locale_overrides."""
    from django import forms
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("vi"):
        with pytest.raises(ValidationError) as slug:
            forms.SlugField().clean("chi bộ")
        with pytest.raises(ValidationError) as password:
            validate_password("ngan")
        with pytest.raises(ValidationError) as whole:
            forms.IntegerField().clean("mười")

    assert slug.value.messages == [
        "Hãy nhập khóa hợp lệ: chỉ gồm chữ không dấu, chữ số, dấu gạch dưới hoặc gạch ngang."
    ]
    assert password.value.messages[0] == "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."
    assert whole.value.messages == ["Hãy nhập một số nguyên."]
