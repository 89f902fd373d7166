"""Writing checked files: creates, idempotent re-imports, updates, transfers, audit, volume."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import snapshot
from lantoa.imports.services import import_file, write_plan
from lantoa.lib.text import fold
from lantoa.org.models import Membership, PartyMember, Person
from lantoa.org.services import MEMBER_FIELDS, PERSON_FIELDS, change_card_number
from tests.factories import member_in

from .conftest import D, check, member_row, messages_of, name_for, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def _three_rows(cell="Chi bộ ấp Phước Thạnh"):
    return [
        member_row(),
        member_row(
            name="Nguyễn Thị Cúc",
            card="90000002",
            gender="Nữ",
            birth=D(1990, 12, 1),
            admitted="19/05/2015",
            full=None,
            id_number=None,
            cell=cell,
        ),
        member_row(name="Lê Văn Đức", card="90000003", ethnicity="Khmer", religion="Phật giáo", cell=cell),
    ]


def test_import_creates_people_members_and_memberships(tree):
    plan = run_import(tree.an_khanh, xlsx_bytes(_three_rows()))

    assert plan.counts == {
        "rows": 3,
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "transferred": 0,
        "sensitive_ignored": 0,
    }
    member = PartyMember.objects.select_related("person").get(card_number="90000002")
    person = member.person
    assert (person.full_name, person.birth_date, person.gender, person.search_text) == (
        "Nguyễn Thị Cúc",
        D(1990, 12, 1),
        "F",
        "nguyen thi cuc",
    )
    assert (person.id_number, person.ethnicity, person.registered_unit_id) == (
        "",
        "Kinh",
        tree.phuoc_thanh.pk,
    )
    assert (member.admitted_on, member.full_member_on) == (D(2015, 5, 19), None)
    memberships = list(
        Membership.objects.filter(member=member).values_list("unit_id", "valid_from", "valid_to")
    )
    assert memberships == [(tree.phuoc_thanh.pk, D(2015, 5, 19), None)]


def test_new_membership_does_not_start_before_its_cell(tree, an_thanh):
    an_thanh.valid_from = D(2020, 1, 1)
    an_thanh.save()

    run_import(tree.an_khanh, xlsx_bytes([member_row(cell="an-thanh")]))

    assert list(Membership.objects.values_list("valid_from", flat=True)) == [D(2020, 1, 1)]


def test_file_with_any_error_writes_nothing(tree, tmp_path):
    rows = [*_three_rows(), member_row(name="Sai Ngày", card="90000004", admitted="30/02/2010")]
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    entries_before = AuditEntry.objects.count()

    plan = import_file(path=path, unit=tree.an_khanh)

    assert messages_of(plan) == ["Row 5, column “Ngày vào Đảng”: there is no such date: 30/02/2010"]
    assert (Person.objects.count(), PartyMember.objects.count(), Membership.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == entries_before


def test_plan_with_problems_cannot_be_written(tree):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(name="")]))

    with pytest.raises(ValueError, match="problems"):
        write_plan(plan, actor=None)


def test_reimport_is_a_no_op(tree):
    content = xlsx_bytes(_three_rows())
    run_import(tree.an_khanh, content)
    people = list(Person.objects.order_by("pk").values())
    memberships = list(Membership.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()

    plan = run_import(tree.an_khanh, content)

    assert plan.counts == {
        "rows": 3,
        "new": 0,
        "updated": 0,
        "unchanged": 3,
        "transferred": 0,
        "sensitive_ignored": 0,
    }
    assert list(Person.objects.order_by("pk").values()) == people
    assert list(Membership.objects.order_by("pk").values()) == memberships
    new_entries = list(AuditEntry.objects.order_by("id")[entries:].values_list("action", flat=True))
    assert new_entries == [AuditAction.IMPORT]


def test_reimport_updates_only_the_fields_that_differ(tree):
    run_import(tree.an_khanh, xlsx_bytes(_three_rows()))
    rows = _three_rows()
    rows[0][8] = "0988777666"  # Điện thoại
    rows[1][1] = "Nguyễn Thị Cúc Hoa"  # Họ và tên
    rows[1][10] = D(2016, 5, 19)  # Ngày chính thức
    entries = AuditEntry.objects.count()

    plan = run_import(tree.an_khanh, xlsx_bytes(rows), actor=None)

    assert plan.counts == {
        "rows": 3,
        "new": 0,
        "updated": 2,
        "unchanged": 1,
        "transferred": 0,
        "sensitive_ignored": 0,
    }
    binh = Person.objects.get(party_member__card_number="90000001")
    cuc = PartyMember.objects.select_related("person").get(card_number="90000002")
    assert (binh.phone, binh.full_name) == ("0988777666", "Trần Văn Bình")
    assert (cuc.person.full_name, cuc.person.search_text, cuc.full_member_on) == (
        "Nguyễn Thị Cúc Hoa",
        "nguyen thi cuc hoa",
        D(2016, 5, 19),
    )
    changes = [
        (entry.action, entry.target_repr, entry.changes)
        for entry in AuditEntry.objects.order_by("id")[entries:]
    ]
    assert changes == [
        (AuditAction.UPDATE, "Trần Văn Bình", {"phone": ["0912000111", "0988777666"]}),
        (AuditAction.UPDATE, "Nguyễn Thị Cúc Hoa", {"full_name": ["Nguyễn Thị Cúc", "Nguyễn Thị Cúc Hoa"]}),
        (AuditAction.UPDATE, "Nguyễn Thị Cúc Hoa (90000002)", {"full_member_on": [None, "19/05/2016"]}),
        (AuditAction.IMPORT, "", {}),
    ]


def test_changed_cell_is_a_transfer_from_today(tree, an_thanh):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number="90000001", since=D(2015, 1, 1))
    today = timezone.localdate()

    plan = run_import(tree.an_khanh, xlsx_bytes([member_row(cell="Chi bộ ấp An Thạnh")]))

    assert plan.counts["transferred"] == 1
    memberships = list(
        member.memberships.order_by("valid_from").values_list("unit_id", "valid_from", "valid_to")
    )
    assert memberships == [
        (tree.phuoc_thanh.pk, D(2015, 1, 1), today - dt.timedelta(days=1)),
        (an_thanh.pk, today, None),
    ]
    member.person.refresh_from_db()
    assert member.person.registered_unit_id == an_thanh.pk
    entry = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(PartyMember), target_id=str(member.pk)
    ).get()
    assert entry.changes["cell"] == ["Chi bộ ấp Phước Thạnh", "Chi bộ ấp An Thạnh"]
    assert entry.unit_id == an_thanh.pk


def test_transfer_of_a_membership_that_began_today_replaces_it(tree, an_thanh):
    today = timezone.localdate()
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number="90000001", since=today)

    run_import(tree.an_khanh, xlsx_bytes([member_row(cell="an-thanh")]))

    assert list(member.memberships.values_list("unit_id", "valid_from", "valid_to")) == [
        (an_thanh.pk, today, None)
    ]


def test_old_card_number_finds_the_member_and_keeps_the_new_number(tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number="90000001")
    change_card_number(actor=None, member=member, new_number="91000001", on=D(2025, 9, 1))

    plan = run_import(tree.an_khanh, xlsx_bytes([member_row(card="90000001", phone="0911222333")]))

    assert plan.counts["updated"] == 1
    member.refresh_from_db()
    assert member.card_number == "91000001"
    assert PartyMember.objects.count() == 1


def test_member_without_card_is_recognised_by_name_and_birth_date_and_gets_the_card(tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number=None)
    member.person.birth_date = D(1980, 4, 30)
    member.person.save()

    first = run_import(tree.an_khanh, xlsx_bytes([member_row(card=None)]))
    second = run_import(tree.an_khanh, xlsx_bytes([member_row(card="90000001")]))

    assert (first.counts["new"], second.counts["updated"]) == (0, 1)
    member.refresh_from_db()
    assert member.card_number == "90000001"
    assert PartyMember.objects.count() == 1


def test_masked_sensitive_cells_keep_stored_values(tree, hien):
    hien.memberships.update(unit=tree.phuoc_thanh)
    row = member_row(
        name="Nguyễn Thanh Hiền",
        card=hien.card_number,
        birth=D(1980, 5, 1),
        gender="Nam",
        ethnicity="•••",
        religion="•••",
        id_number="•••",
        phone=None,
        admitted=D(2010, 3, 2),
        full=D(2011, 3, 2),
    )

    plan = run_import(tree.an_khanh, xlsx_bytes([row]))

    assert plan.counts["unchanged"] == 1
    hien.person.refresh_from_db()
    assert (hien.person.ethnicity, hien.person.religion, hien.person.id_number) == (
        "Kinh",
        "Phật giáo",
        "083123456789",
    )


def test_audit_has_one_entry_per_created_person_and_member_and_one_import_event(tree, district_staff):
    before = AuditEntry.objects.count()

    run_import(tree.an_khanh, xlsx_bytes(_three_rows()), name="ds-an-khanh.xlsx", actor=district_staff.user)

    entries = list(AuditEntry.objects.order_by("id")[before:])
    kinds = [(entry.action, entry.target_type.model if entry.target_type else "") for entry in entries]
    assert kinds == [(AuditAction.CREATE, "person"), (AuditAction.CREATE, "partymember")] * 3 + [
        (AuditAction.IMPORT, "")
    ]
    assert {entry.actor_id for entry in entries} == {district_staff.user.pk}
    assert {entry.unit_id for entry in entries[:-1]} == {tree.phuoc_thanh.pk}
    assert entries[-1].unit_id == tree.an_khanh.pk
    assert entries[-1].note == "ds-an-khanh.xlsx: 3 new, 0 updated (0 transferred), 0 unchanged"


def test_audit_values_read_like_the_one_at_a_time_services(tree):
    run_import(tree.an_khanh, xlsx_bytes([member_row()]))
    member = PartyMember.objects.select_related("person").get()
    person_entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, target_id=str(member.person.pk), target_type__model="person"
    )
    member_entry = AuditEntry.objects.get(
        action=AuditAction.CREATE, target_id=str(member.pk), target_type__model="partymember"
    )

    # As record_create writes a new record: its empty fields left out.
    expected_person = {
        k: [None, v] for k, v in snapshot(member.person, PERSON_FIELDS).items() if v not in (None, "")
    }
    expected_member = {
        k: [None, v] for k, v in snapshot(member, MEMBER_FIELDS).items() if v not in (None, "")
    }
    assert person_entry.changes == expected_person
    assert member_entry.changes == expected_member
    assert member_entry.target_repr == str(member)


def test_command_line_import_is_audited_as_the_system(tree, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx_bytes([member_row()]))

    import_file(path=path, unit=tree.an_khanh)

    assert set(AuditEntry.objects.values_list("actor_id", "actor_name")) == {(None, "hệ thống")}


def test_five_thousand_rows_import_correctly(tree, an_thanh):
    cells = ["Chi bộ ấp Phước Thạnh", "an-thanh"]
    rows = [
        member_row(
            name=f"Nguyễn Văn {name_for(n)}",
            card=str(70000000 + n),
            birth=D(1950 + n % 30, 1 + n % 12, 1 + n % 28),  # 20 or older when admitted
            admitted=D(2000 + n % 20, 1 + n % 12, 1 + n % 28),
            full=None if n % 7 == 0 else D(2001 + n % 20, 1 + n % 12, 1 + n % 28),
            id_number=f"0830{n:08d}",
            cell=cells[n % 2],
            number=n + 1,
        )
        for n in range(5000)
    ]
    content = xlsx_bytes(rows)
    started = time.monotonic()

    plan = run_import(tree.an_khanh, content)
    again = check(tree.an_khanh, content)

    assert time.monotonic() - started < 60
    assert plan.counts["new"] == 5000
    assert again.counts == {
        "rows": 5000,
        "new": 0,
        "updated": 0,
        "unchanged": 5000,
        "transferred": 0,
        "sensitive_ignored": 0,
    }
    assert Membership.objects.filter(unit=an_thanh).count() == 2500
    sample = PartyMember.objects.select_related("person").get(card_number="70004321")
    assert (sample.person.full_name, sample.person.search_text) == (
        f"Nguyễn Văn {name_for(4321)}",
        fold(f"Nguyễn Văn {name_for(4321)}"),
    )
    assert sample.person.id_number == "083000004321"
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 10000


def test_import_from_a_csv_stream_matches_the_xlsx(tree):
    from .conftest import csv_bytes

    rows = [member_row(birth="30/04/1980", admitted="02/09/2005", full="02/09/2006")]
    run_import(tree.an_khanh, csv_bytes(rows, delimiter=";", bom=True), name="members.csv")

    plan = check(tree.an_khanh, xlsx_bytes([member_row()]))

    assert plan.counts["unchanged"] == 1
