"""Writing a checked plan: the only code that changes members during an import.

It writes in one transaction (the caller's, or its own), in bulk (``bulk.py``: no query per
row), and keeps what the one-at-a-time services in ``lantoa.org.services`` keep:
``Person.search_text`` and ``Person.registered_unit``; transfers that close the old membership
the day before and open the new one from today (``transfer_member``); one audit entry per
created or changed person and member, worded like ``lantoa.audit.services.snapshot``; and one
IMPORT entry for the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry, record_event
from lantoa.lib.bulk import (
    Row,
    allocate_ids,
    cyclic_gc_paused,
    insert_rows,
    refresh_planner_statistics,
    update_rows,
)
from lantoa.lib.text import fold
from lantoa.lib.vi import format_date
from lantoa.org.models import Gender, Membership, PartyMember, Person, Unit
from lantoa.org.services import MEMBER_FIELDS, PERSON_FIELDS

from .checking import MemberChange, Plan
from .cleaning import CleanRow
from .columns import PERSON_SHEET_FIELDS
from .queries import chunked


def _shown(name: str, value: Any) -> Any:
    """A value as ``lantoa.audit.services.snapshot`` records it (dates dd/mm/yyyy, choices by
    label), without the per-field model lookups that cost seconds on 100 000 rows."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return format_date(value)
    if name == "gender" and value:
        return str(Gender(value).label)
    return value


class _Created:
    """``diff({}, snapshot(obj, fields))`` for a new row given as a dict, computed the fast way:
    fields by name, empty (None) ones left out, dates and gender shown as ``_shown`` does."""

    def __init__(self, fields: tuple[str, ...], date_fields: frozenset[str]) -> None:
        self.fields = sorted(fields)  # diff() lists fields in name order
        self.dates = date_fields
        self.genders = {value: str(label) for value, label in Gender.choices}
        # A hundred thousand members share a few thousand distinct dates: format each once.
        self.date_texts: dict[dt.date, str] = {}

    def __call__(self, row: Row) -> dict[str, list[Any]]:
        changes: dict[str, list[Any]] = {}
        dates, genders, date_texts = self.dates, self.genders, self.date_texts
        for name in self.fields:
            value = row.get(name, "")
            if value is None or value == "":
                continue  # a new record's empty fields are not news (as record_create)
            if name in dates:
                text = date_texts.get(value)
                if text is None:
                    text = date_texts[value] = format_date(value)
                value = text
            elif name == "gender" and value:
                value = genders[value]
            changes[name] = [None, value]
        return changes


# Rows written at a time: the rows built for the database (people, members, memberships, two
# audit entries each) are dropped after each batch, so that writing 100 000 members needs a few
# megabytes more than checking them did, not hundreds (bench/RESULTS.md, "Memory").
WRITE_BATCH = 5000


class _Audit:
    """The audit entries of one import, written batch by batch (``flush``)."""

    def __init__(self, actor: Any, note: str) -> None:
        # build_entry decides how the actor is recorded (a user, or "hệ thống" for the system).
        template = build_entry(actor=actor, action=AuditAction.UPDATE, note=note)
        self.shared = {"actor_id": template.actor_id, "actor_name": template.actor_name, "note": note}
        self.note = note
        self.person_type = ContentType.objects.get_for_model(Person).pk
        self.member_type = ContentType.objects.get_for_model(PartyMember).pk
        self.rows: list[Row] = []

    def add(self, action: str, type_id: int, pk: int, label: str, unit_id: int, changes: dict) -> None:
        self.rows.append(
            {
                "action": action,
                "target_type_id": type_id,
                "target_id": str(pk),
                "target_repr": label[:300],
                "unit_id": unit_id,
                "changes": changes,
            }
        )

    def flush(self) -> None:
        for row, pk in zip(self.rows, allocate_ids(AuditEntry, len(self.rows)), strict=True):
            row["id"] = pk
        insert_rows(AuditEntry, self.rows, constants=self.shared)
        self.rows = []


@transaction.atomic
def write_plan(plan: Plan, *, actor: Any, job: Any = None) -> dict[str, int]:
    """Write a plan that has no problems. Side effects: people, members and memberships
    created; changed fields updated; transfers; audit entries; one IMPORT event."""
    if not plan.ok:
        raise ValueError("a plan with problems cannot be written")
    audit = _Audit(actor, _("Imported from %(file)s") % {"file": plan.source_name})
    with cyclic_gc_paused():
        _create_members(plan, audit)
        _update_members(plan, audit)
        audit.flush()
    refresh_planner_statistics(Person, PartyMember, Membership, AuditEntry)
    counts = plan.counts
    record_event(
        actor=actor,
        action=AuditAction.IMPORT,
        obj=job,
        unit=plan.unit,
        note=_(
            "%(file)s: %(new)d new, %(updated)d updated (%(transferred)d transferred), "
            "%(unchanged)d unchanged"
        )
        % {"file": plan.source_name, **counts},
    )
    return counts


def _create_members(plan: Plan, audit: _Audit) -> None:
    for start in range(0, len(plan.creates), WRITE_BATCH):
        _create_batch(plan, plan.creates[start : start + WRITE_BATCH], audit)
        audit.flush()


def _create_batch(plan: Plan, rows: list[CleanRow], audit: _Audit) -> None:
    count = len(rows)
    if not count:
        return
    person_ids = allocate_ids(Person, count)
    member_ids = allocate_ids(PartyMember, count)
    people: list[Row] = []
    members: list[Row] = []
    memberships: list[Row] = []
    person_created = _Created(PERSON_FIELDS, frozenset({"birth_date"}))
    member_created = _Created(MEMBER_FIELDS, frozenset({"admitted_on", "full_member_on", "left_on"}))
    for row, person_id, member_id in zip(rows, person_ids, member_ids, strict=True):
        values = row.values
        person = {name: values.get(name, "") for name in PERSON_SHEET_FIELDS}
        person["birth_date"] = values.get("birth_date")
        person.update(id=person_id, registered_unit_id=row.cell_id, search_text=row.name_key)
        people.append(person)
        member = {
            "id": member_id,
            "person_id": person_id,
            "card_number": row.card,
            "admitted_on": values["admitted_on"],
            "full_member_on": values.get("full_member_on"),
            "left_on": None,
            "left_reason": "",
        }
        members.append(member)
        # In the cell since admission, as lantoa.org.services.admit_member assumes, but not
        # before the cell existed.
        since = max(values["admitted_on"], plan.cells[row.cell_id].valid_from)
        memberships.append({"member_id": member_id, "unit_id": row.cell_id, "valid_from": since})
        audit.add(
            AuditAction.CREATE,
            audit.person_type,
            person_id,
            person["full_name"],
            row.cell_id,
            person_created(person),
        )
        label = f"{person['full_name']} ({row.card or '—'})"
        audit.add(
            AuditAction.CREATE, audit.member_type, member_id, label, row.cell_id, member_created(member)
        )
    for membership, pk in zip(memberships, allocate_ids(Membership, count), strict=True):
        membership["id"] = pk
    insert_rows(Person, people)
    insert_rows(PartyMember, members)
    insert_rows(Membership, memberships)


def _update_members(plan: Plan, audit: _Audit) -> None:
    changes = plan.changes
    if not changes:
        return
    person_fields = sorted({name for change in changes for name in change.person})
    member_fields = sorted({name for change in changes for name in change.member})
    moved = any(change.transfer for change in changes)
    person_columns = [*person_fields, *(["search_text"] if "full_name" in person_fields else [])]
    person_columns += ["registered_unit"] if moved else []
    person_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    for change in changes:
        stored = change.stored
        if change.person or change.transfer:
            # Every listed column is written for every row: unchanged ones get their stored value.
            after = {
                name: change.person[name][1] if name in change.person else stored.person[name]
                for name in person_fields
            }
            if "full_name" in person_fields:
                after["search_text"] = fold(after["full_name"])
            if moved:
                after["registered_unit"] = (
                    change.row.cell_id if change.transfer else stored.registered_unit_id
                )
            person_rows.append((stored.person_id, *(after[name] for name in person_columns)))
        if change.member:
            current = {
                "admitted_on": stored.admitted_on,
                "full_member_on": stored.full_member_on,
                "card_number": stored.card,
            }
            member_rows.append(
                (
                    stored.member_id,
                    *(
                        change.member[name][1] if name in change.member else current[name]
                        for name in member_fields
                    ),
                )
            )
    update_rows(Person, person_columns, person_rows)
    update_rows(PartyMember, member_fields, member_rows)
    left_cells = _transfer(plan, [change for change in changes if change.transfer], audit.note)
    for change in changes:
        _audit_change(plan, audit, change, left_cells)


def _audit_change(plan: Plan, audit: _Audit, change: MemberChange, left_cells: dict[int, str]) -> None:
    stored, cell_id = change.stored, change.row.cell_id
    name = change.person["full_name"][1] if "full_name" in change.person else stored.person["full_name"]
    if change.person:
        shown = {
            field: [_shown(field, old), _shown(field, new)] for field, (old, new) in change.person.items()
        }
        audit.add(AuditAction.UPDATE, audit.person_type, stored.person_id, name, cell_id, shown)
    member_changes = {
        field: [_shown(field, old), _shown(field, new)] for field, (old, new) in change.member.items()
    }
    if change.transfer:
        member_changes["cell"] = [left_cells.get(stored.current_unit_id or 0, ""), plan.cells[cell_id].name]
        member_changes["from"] = [None, format_date(plan.today)]
    if member_changes:
        card = change.member["card_number"][1] if "card_number" in change.member else stored.card
        audit.add(
            AuditAction.UPDATE,
            audit.member_type,
            stored.member_id,
            f"{name} ({card or '—'})",
            cell_id,
            member_changes,
        )


def _transfer(plan: Plan, changes: list[MemberChange], note: str) -> dict[int, str]:
    """Close each current membership the day before today (or drop it if it began today) and
    open the new one from today, as ``lantoa.org.services.transfer_member`` does. Returns the
    names of the cells the members left, for the audit."""
    if not changes:
        return {}
    today = plan.today
    closing = [
        c.stored.current_membership_id
        for c in changes
        if c.stored.current_since and c.stored.current_since < today
    ]
    dropping = [c.stored.current_membership_id for c in changes if c.stored.current_since == today]
    for batch in chunked(closing):
        Membership.objects.filter(pk__in=batch).update(valid_to=today - dt.timedelta(days=1))
    for batch in chunked(dropping):
        Membership.objects.filter(pk__in=batch).delete()
    opened = [
        {
            "id": pk,
            "member_id": c.stored.member_id,
            "unit_id": c.row.cell_id,
            "valid_from": today,
            "note": note[:200],
        }
        for c, pk in zip(changes, allocate_ids(Membership, len(changes)), strict=True)
    ]
    insert_rows(Membership, opened)
    left = {c.stored.current_unit_id for c in changes if c.stored.current_unit_id is not None}
    names = {pk: cell.name for pk, cell in plan.cells.items() if pk in left}
    for unit_ids in chunked(left - set(names)):
        names.update(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    return names
