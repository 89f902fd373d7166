"""manage.py import_members: the same checks as the web, printed one per line, exit status 1."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.org.models import PartyMember
from tests.conftest import AFTER_THE_REFORM

from .conftest import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx_bytes([member_row(), member_row(name="Lê Văn Cư", card="90000002")]))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([member_row(name=""), member_row(card="90000002", id_number="123")]))
    return path


def _run(*args):
    out = io.StringIO()
    call_command("import_members", *args, stdout=out)
    return out.getvalue()


def test_command_imports_and_prints_counts(tree, good_file):
    output = _run(str(good_file), "--unit", "an-khanh")

    assert output == "2 rows: 2 new, 0 updated (0 transferred), 0 unchanged.\n"
    assert PartyMember.objects.count() == 2
    event = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert (event.actor_id, event.actor_name, event.unit_id) == (None, "hệ thống", tree.an_khanh.pk)


def test_command_dry_run_writes_nothing(tree, good_file):
    output = _run(str(good_file), "--unit", "an-khanh", "--dry-run")

    assert output == "2 rows: 2 new, 0 updated (0 transferred), 0 unchanged. Dry run: nothing was written.\n"
    assert (PartyMember.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_command_prints_every_problem_and_fails(tree, bad_file):
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"2 problems: nothing was imported\."):
        call_command("import_members", str(bad_file), "--unit", "an-khanh", stdout=out)

    assert out.getvalue().splitlines() == [
        "Row 2, column “Họ và tên”: is empty",
        "Row 3, column “Số CCCD”: a citizen ID number has 12 digits (old ID cards: 9), not “123”",
    ]
    assert PartyMember.objects.count() == 0


def test_command_exit_status_is_one_on_problems_and_zero_on_success(tree, bad_file, good_file):
    # manage.py turns a CommandError into sys.exit(error.returncode); success returns normally (0).
    with pytest.raises(CommandError) as failed:
        _run(str(bad_file), "--unit", "an-khanh")
    _run(str(good_file), "--unit", "an-khanh")

    assert failed.value.returncode == 1
    assert PartyMember.objects.count() == 2


@pytest.mark.today(AFTER_THE_REFORM)
def test_command_refuses_unknown_unit_closed_unit_and_missing_file(tree, good_file, tmp_path):
    with pytest.raises(CommandError, match=r"No unit with the key nowhere\."):
        _run(str(good_file), "--unit", "nowhere")
    with pytest.raises(CommandError, match="Huyện ủy Châu Thành does not exist on"):
        _run(str(good_file), "--unit", "chau-thanh")
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "missing.xlsx"), "--unit", "an-khanh")
