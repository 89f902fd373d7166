"""Reads for imports and exports: the access funnel for jobs, the units a user may import into,
and stored members looked up in bulk (a few queries per thousand rows, never one per row)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.lib.text import fold
from lantoa.org.access import ROLE_CAPABILITIES, Capability, fetch_for_user, scope_for
from lantoa.org.models import (
    CELL_KINDS,
    NON_PARTY_KINDS,
    CardNumberChange,
    Membership,
    PartyMember,
    Unit,
    UnitParentage,
)
from lantoa.org.queries import memberships_on, subtree_ids, valid_on

from .cleaning import CellChoice
from .columns import PERSON_SHEET_FIELDS
from .models import ImportJob

T = TypeVar("T")


def chunk_size() -> int:
    """Values per IN (...) list: SQLite counts 999 parameters per statement."""
    return 900 if connection.vendor == "sqlite" else 5000


def chunked(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    size = size or chunk_size()
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------


def get_import_for_user(user: Any, job_id: str | uuid.UUID) -> ImportJob:
    """The job if the user may import into its unit: outside their units → 404; a role there
    that only reads → 403."""
    scope = scope_for(user)
    return fetch_for_user(
        ImportJob.objects.select_related("unit", "created_by", "confirmed_by"),
        public_id=job_id,
        may_read=lambda job: scope.can(Capability.VIEW, job.unit_id),
        write=True,
        may_write=lambda job: scope.can_now(Capability.IMPORT_MEMBERS, job.unit_id),
        not_found=_("No such import in your area."),
    )


def importable_units(user: Any, today: dt.date) -> list[tuple[Unit, int]]:
    """Party units open today where the user may import, in tree order with their depth, each
    level by folded name ("Tân …" before "Tiên …", "Đảng ủy …" with D). The user's own grant
    units come first: the form preselects the first one when it is theirs (see ``own_top_unit``)."""
    scope = scope_for(user)
    units_qs = Unit.objects.filter(valid_on(today)).exclude(kind__in=NON_PARTY_KINDS)
    if not scope.is_superuser:
        units_qs = units_qs.filter(pk__in=scope.unit_ids_now(Capability.IMPORT_MEMBERS))
    units = {unit.pk: unit for unit in units_qs}
    parent_of = dict(
        UnitParentage.objects.filter(valid_on(today), unit_id__in=list(units)).values_list(
            "unit_id", "parent_id"
        )
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units.values():
        parent = parent_of.get(unit.pk)
        children.setdefault(parent if parent in units else None, []).append(unit)
    granted = {grant.unit_id for grant in scope.grants}
    ordered: list[tuple[Unit, int]] = []

    def visit(unit: Unit, depth: int) -> None:
        ordered.append((unit, depth))
        for child in sorted(children.get(unit.pk, []), key=_by_name):
            visit(child, depth + 1)

    for top in sorted(children.get(None, []), key=lambda u: (u.pk not in granted, *_by_name(u))):
        visit(top, 0)
    return ordered


def _by_name(unit: Unit) -> tuple[str, str]:
    return (unit.search_text or fold(unit.name), unit.name)


def own_top_unit(user: Any, units: list[tuple[Unit, int]]) -> Unit | None:
    """The unit the upload form starts on: the highest unit the user's own role sits on, if it is
    still open (it comes first in ``units``). None when that unit has closed: the units left are
    the pieces of it, and picking one for the user would be arbitrary."""
    if not units:
        return None
    first = units[0][0]
    scope = scope_for(user)
    if scope.is_superuser or any(grant.unit_id == first.pk for grant in scope.grants):
        return first
    return None


@dataclass(frozen=True)
class ImportReach:
    """Why the upload form offers the units it does: one of the user's role units, and whether
    it still exists today (``ended_on`` is its last day if not)."""

    unit: Unit
    ended_on: dt.date | None


def import_reach(user: Any, today: dt.date) -> list[ImportReach]:
    """The units on which the user's roles let them import, by folded name (no query: the scope
    holds the grants with their units)."""
    scope = scope_for(user)
    seen: dict[int, ImportReach] = {}
    for grant in scope.grants:
        if Capability.IMPORT_MEMBERS in ROLE_CAPABILITIES.get(grant.role, frozenset()):
            unit = grant.unit
            ended = unit.valid_to if unit.valid_to is not None and unit.valid_to < today else None
            seen.setdefault(unit.pk, ImportReach(unit, ended))
    return sorted(seen.values(), key=lambda reach: _by_name(reach.unit))


def recent_jobs(user: Any, limit: int = 10) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(created_by=user)
        .select_related("unit")
        .order_by("-created_at", "-id")[:limit]
    )


# ---------------------------------------------------------------------------------------------
# What a file is checked against
# ---------------------------------------------------------------------------------------------


def cells_for_import(unit: Unit, today: dt.date) -> tuple[list[CellChoice], set[int]]:
    """The cells open today under ``unit`` (rows may name these) and every unit id under it."""
    scope_ids = subtree_ids(unit, today)
    cells = [
        CellChoice(pk, key, name, valid_from)
        for pk, key, name, valid_from in Unit.objects.filter(
            valid_on(today), pk__in=scope_ids, kind__in=CELL_KINDS
        )
        .order_by("name")
        .values_list("pk", "key", "name", "valid_from")
    ]
    return cells, scope_ids


@dataclass(slots=True)
class StoredMember:
    """What the import compares a row with: the member, their person, and where they belong."""

    member_id: int
    person_id: int
    card: str | None
    name_key: str
    person: dict[str, Any]
    admitted_on: dt.date
    full_member_on: dt.date | None
    registered_unit_id: int | None
    current_membership_id: int | None = None
    current_unit_id: int | None = None
    current_since: dt.date | None = None
    home_unit_id: int | None = None  # the unit that answers for the member: see _attach_memberships


_PERSON_VALUES = tuple(f"person__{name}" for name in PERSON_SHEET_FIELDS)
_MEMBER_VALUES = (
    "id",
    "person_id",
    "card_number",
    "admitted_on",
    "full_member_on",
    "person__search_text",
    "person__registered_unit_id",
    *_PERSON_VALUES,
)


def _stored(row: dict[str, Any]) -> StoredMember:
    return StoredMember(
        member_id=row["id"],
        person_id=row["person_id"],
        card=row["card_number"] or None,
        name_key=row["person__search_text"],
        person={name: row[f"person__{name}"] for name in PERSON_SHEET_FIELDS},
        admitted_on=row["admitted_on"],
        full_member_on=row["full_member_on"],
        registered_unit_id=row["person__registered_unit_id"],
    )


def _attach_memberships(members: dict[int, StoredMember], today: dt.date) -> None:
    """Current cell (membership valid today) and home unit: the current cell, else the last cell,
    else the unit that registered the person."""
    latest: dict[int, tuple[dt.date, int]] = {}
    for batch in chunked(members):
        rows = Membership.objects.filter(member_id__in=batch).values_list(
            "id", "member_id", "unit_id", "valid_from", "valid_to"
        )
        for pk, member_id, unit_id, valid_from, valid_to in rows:
            member = members[member_id]
            is_current = valid_from <= today and (valid_to is None or valid_to >= today)
            if is_current and (member.current_since is None or valid_from > member.current_since):
                member.current_membership_id, member.current_unit_id = pk, unit_id
                member.current_since = valid_from
            if member_id not in latest or valid_from > latest[member_id][0]:
                latest[member_id] = (valid_from, unit_id)
    for member_id, member in members.items():
        if member.current_unit_id is not None:
            member.home_unit_id = member.current_unit_id
        elif member_id in latest:
            member.home_unit_id = latest[member_id][1]
        else:
            member.home_unit_id = member.registered_unit_id


@dataclass
class StoredLookup:
    """Stored members found for a file, filled in two steps: by card numbers, then by name and
    birth date for the rows whose card number found nobody. ``finish`` adds memberships."""

    today: dt.date
    members: dict[int, StoredMember] = field(default_factory=dict)
    by_card: dict[str, StoredMember] = field(default_factory=dict)  # current card numbers
    by_old_card: dict[str, StoredMember] = field(default_factory=dict)  # numbers held before
    by_person_key: dict[tuple[str, dt.date], list[StoredMember]] = field(default_factory=dict)

    def _keep(self, row: dict[str, Any]) -> StoredMember:
        return self.members.setdefault(row["id"], _stored(row))

    def load_cards(self, cards: Collection[str]) -> None:
        """One query per chunk of numbers, one per chunk of numbers not found as current ones."""
        for batch in chunked(cards):
            for row in PartyMember.objects.filter(card_number__in=batch).values(*_MEMBER_VALUES):
                self.by_card[row["card_number"]] = self._keep(row)
        old_owner: dict[str, int] = {}
        for numbers in chunked(card for card in cards if card not in self.by_card):
            changes = (
                CardNumberChange.objects.filter(old_number__in=numbers)
                .order_by("changed_on", "id")
                .values_list("old_number", "member_id")
            )
            old_owner.update(changes)  # the latest change wins if a number was ever reused
        for ids in chunked(set(old_owner.values()) - set(self.members)):
            for row in PartyMember.objects.filter(pk__in=ids).values(*_MEMBER_VALUES):
                self._keep(row)
        self.by_old_card = {
            number: self.members[pk] for number, pk in old_owner.items() if pk in self.members
        }

    def load_person_keys(self, keys: Collection[tuple[str, dt.date]]) -> None:
        """Members with these (folded name, birth date): one query per chunk of names."""
        wanted = set(keys)
        for batch in chunked({name for name, _birth in wanted}):
            rows = PartyMember.objects.filter(person__search_text__in=batch).values(*_MEMBER_VALUES)
            for row in rows:
                key = (row["person__search_text"], row["person__birth_date"])
                if key in wanted:
                    self.by_person_key.setdefault(key, []).append(self._keep(row))

    def finish(self) -> None:
        _attach_memberships(self.members, self.today)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def members_for_export(unit: Unit, on: dt.date) -> QuerySet[Membership]:
    """Memberships in ``unit``'s subtree on ``on`` with member, person and cell in the same query."""
    return memberships_on(subtree_ids(unit, on), on)


def cell_twins(cells: Iterable[Unit]) -> set[int]:
    """Ids of the given cells whose name (accents and case ignored) another cell shares.
    An export writes these as "name (key)" so that the file imports again without ambiguity."""
    folded = {cell.pk: fold(cell.name) for cell in cells}
    if not folded:
        return set()
    holders: dict[str, set[int]] = {}
    for batch in chunked(set(folded.values())):
        clashes = Unit.objects.filter(kind__in=CELL_KINDS, search_text__in=batch).values_list(
            "pk", "search_text"
        )
        for pk, text in clashes:
            holders.setdefault(text, set()).add(pk)
    for pk, text in folded.items():
        holders.setdefault(text, set()).add(pk)
    return {pk for pk, text in folded.items() if len(holders[text]) > 1}
