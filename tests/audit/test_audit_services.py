"""The audit trail's writers: snapshots as people read them, before → after, who and when."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import (
    _jsonable,
    build_entry,
    diff,
    record_create,
    record_delete,
    record_event,
    record_update,
    snapshot,
)
from lantoa.org.models import Gender, Person, UnitKind
from tests.factories import UserFactory

D = dt.date


def test_snapshot_shows_dates_choices_and_related_rows_as_people_read_them(tree, hien):
    person = hien.person
    person.gender = Gender.FEMALE

    assert snapshot(person, ["full_name", "birth_date", "gender", "registered_unit", "phone"]) == {
        "full_name": "Nguyễn Thanh Hiền",
        "birth_date": "01/05/1980",
        "gender": str(Gender.FEMALE.label),
        "registered_unit": None,
        "phone": "",
    }
    assert snapshot(tree.an_khanh, ["kind", "valid_to"]) == {
        "kind": str(UnitKind.COMMUNE.label),
        "valid_to": None,
    }


def test_jsonable_keeps_plain_values_and_writes_moments_as_the_pages_do():
    moment = dt.datetime(2024, 3, 5, 8, 30, tzinfo=dt.UTC)

    assert [_jsonable(v) for v in [None, True, 7, "a", moment, D(2024, 3, 5)]] == [
        None,
        True,
        7,
        "a",
        "15:30 05/03/2024",  # in Vietnam's time
        "05/03/2024",
    ]


def test_diff_keeps_only_what_changed_in_name_order():
    before = {"phone": "", "full_name": "A", "religion": "X"}
    after = {"phone": "0909", "full_name": "A", "religion": ""}

    assert diff(before, after) == {"phone": ["", "0909"], "religion": ["X", ""]}
    assert list(diff(before, after)) == ["phone", "religion"]


def test_record_update_writes_nothing_when_nothing_changed(tree, hien):
    before = snapshot(hien.person, ["full_name"])

    assert record_update(actor=None, obj=hien.person, before=before, fields=["full_name"]) is None
    assert AuditEntry.objects.count() == 0


def test_record_update_names_the_actor_target_and_unit(tree, hien):
    actor = UserFactory(username="thuky")
    before = snapshot(hien.person, ["phone"])
    hien.person.phone = "0909123456"

    entry = record_update(
        actor=actor, obj=hien.person, before=before, fields=["phone"], unit=tree.women, note="gọi điện"
    )

    entry.refresh_from_db()
    assert (
        entry.actor,
        entry.actor_name,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.target_repr,
        entry.unit,
        entry.changes,
        entry.note,
    ) == (
        actor,
        "thuky",
        AuditAction.UPDATE,
        ContentType.objects.get_for_model(Person),
        str(hien.person.pk),
        "Nguyễn Thanh Hiền",
        tree.women,
        {"phone": ["", "0909123456"]},
        "gọi điện",
    )


def test_entries_without_a_logged_in_actor_are_by_the_system(tree):
    by_command = record_create(actor=None, obj=tree.women, fields=["name"], unit=tree.women)
    by_anonymous = build_entry(actor=AnonymousUser(), action=AuditAction.EXPORT)

    assert (by_command.actor, by_command.actor_name) == (None, "hệ thống")
    assert (by_anonymous.actor, by_anonymous.actor_name) == (None, "hệ thống")


def test_record_delete_keeps_what_was_there(tree):
    entry = record_delete(
        actor=None, obj=tree.tan_thanh, before={"name": "Chi bộ ấp Tân Thạnh"}, unit=tree.tan_thach
    )

    assert (entry.action, entry.changes, entry.unit) == (
        AuditAction.DELETE,
        {"name": ["Chi bộ ấp Tân Thạnh", None]},
        tree.tan_thach,
    )


def test_record_event_has_no_changes(tree, hien):
    entry = record_event(
        actor=None, action=AuditAction.EXPORT, obj=tree.women, unit=tree.women, note="members.xlsx"
    )

    assert (entry.action, entry.changes, entry.note, entry.unit_id) == (
        AuditAction.EXPORT,
        {},
        "members.xlsx",
        tree.women.pk,
    )


def test_build_entry_accepts_a_unit_id(tree):
    entry = build_entry(actor=None, action=AuditAction.IMPORT, unit=tree.women.pk)

    assert (entry.unit_id, entry.target_type, entry.target_id, entry.pk) == (tree.women.pk, None, "", None)


def test_entries_outlive_the_account_that_made_them(tree):
    actor = UserFactory(username="da-nghi")
    entry = record_create(actor=actor, obj=tree.women, fields=["name"])

    actor.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (None, "da-nghi")


def test_target_repr_is_cut_to_the_column(tree):
    tree.women.name = "X" * 400

    entry = build_entry(actor=None, action=AuditAction.UPDATE, obj=tree.women)

    assert len(entry.target_repr) == 300
