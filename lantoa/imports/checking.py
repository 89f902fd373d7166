"""Checking a whole member file against the tree and the stored members, without writing.

The result is a ``Plan``: every problem at once, or the rows to create, the members to change
(field by field, with transfers) and how many rows change nothing. The same plan is what
``services.write_plan`` writes, so "what the check said" and "what the import did" cannot differ.

Matching a row to a stored member, in order:
1. its card number is a member's current number;
2. its card number is a number a member held before a new card (``CardNumberChange``);
3. no card number (or an unknown one): one member in the unit with the same name and date of
   birth — a member without a card gets the row's number; a member whose card differs is an
   error, because it is most likely the same person with a re-issued card.
Otherwise the row is a new member.

Sensitive columns (ethnicity, religion, ID number) count only where the person importing may
read and change them (``org.sensitive``): for a member they may not, those cells are left out as
if blank, so the check neither confirms a guessed value ("unchanged") nor writes one. The plan
says how many rows that concerned.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from lantoa.lib.bulk import cyclic_gc_paused
from lantoa.lib.vi import format_int
from lantoa.org.models import Unit
from lantoa.org.sensitive import may_enter_sensitive_for_new_member, readable_people

from .cleaning import CellChoice, CellIndex, CleanRow, RowCleaner, check_dates
from .columns import PERSON_SHEET_FIELDS, SENSITIVE_FIELDS
from .messages import Problem
from .parsing import FileProblem, match_headers, open_sheet
from .queries import StoredLookup, StoredMember, cells_for_import

# Report progress every this many rows (each report is one UPDATE of the job row).
PROGRESS_EVERY = 1000
# Rows matched against the stored members at a time (see _match_rows).
MATCH_BATCH = 10_000
# People listed on the check page before confirming, of those to add and of those to change.
PREVIEW_ROWS = 50

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class MemberChange:
    """A stored member that a row changes. ``person`` / ``member`` map field → (before, after)."""

    row: CleanRow
    stored: StoredMember
    person: dict[str, tuple[Any, Any]]
    member: dict[str, tuple[Any, Any]]
    transfer: bool


@dataclass
class Plan:
    unit: Unit
    today: dt.date
    source_name: str
    rows: int = 0
    creates: list[CleanRow] = field(default_factory=list)
    changes: list[MemberChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    cells: dict[int, CellChoice] = field(default_factory=dict)
    # Rows whose sensitive cells were left out: the importer may not read or change them.
    sensitive_ignored: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.creates),
            "updated": len(self.changes),
            "unchanged": self.unchanged,
            "transferred": sum(1 for change in self.changes if change.transfer),
            "sensitive_ignored": self.sensitive_ignored,
        }


def check_file(
    stream: IO[bytes],
    source_name: str,
    unit: Unit,
    *,
    actor: Any,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Read and check every row of the file for ``actor`` (``None``: the system, on the command
    line); the database is only read."""
    with cyclic_gc_paused():
        return _check_file(stream, source_name, unit, actor, today or timezone.localdate(), progress)


def _check_file(
    stream: IO[bytes], source_name: str, unit: Unit, actor: Any, today: dt.date, progress: Progress | None
) -> Plan:
    plan = Plan(unit=unit, today=today, source_name=source_name)
    try:
        sheet = open_sheet(stream, source_name)
    except FileProblem as exc:
        plan.problems.append(exc.problem)
        return plan
    headers, plan.problems = match_headers(sheet)
    cells, scope_ids = cells_for_import(unit, today)
    plan.cells = {cell.id: cell for cell in cells}
    cleaner = RowCleaner(headers, CellIndex(cells, unit.name), today)
    clean_rows: list[CleanRow] = []
    expected = sheet.expected_rows
    max_rows = settings.LANTOA_MAX_IMPORT_ROWS
    deadline = time.monotonic() + 60 * settings.LANTOA_IMPORT_MAX_MINUTES
    try:
        for row_number, values in sheet.rows:
            read = row_number - sheet.header_row
            if progress is not None and read % PROGRESS_EVERY == 0:
                progress(read, max(expected, read))
            # Every row: a row of thousands of cells takes a while on its own.
            if time.monotonic() > deadline:
                raise FileProblem(Problem("too_slow", params={"minutes": settings.LANTOA_IMPORT_MAX_MINUTES}))
            if cleaner.is_blank(values):
                continue
            if plan.rows >= max_rows:
                raise FileProblem(Problem("too_many_rows", params={"max": format_int(max_rows)}))
            plan.rows += 1
            clean, problems = cleaner.clean(row_number, values)
            if clean is not None:
                clean_rows.append(clean)
            else:
                plan.problems.extend(problems)
    except FileProblem as exc:  # the file breaks off half-way: say so, write nothing
        plan.problems.append(exc.problem)
        return plan
    if progress is not None:
        progress(plan.rows, plan.rows)
    if not plan.rows and not plan.problems:
        plan.problems.append(Problem("no_rows"))
    _match_rows(plan, clean_rows, cleaner.cards, cleaner.labels, scope_ids, actor)
    # Row by row, and within a row in the order of the file's columns, as people read the sheet.
    position = cleaner.order
    plan.problems.sort(key=lambda problem: (problem.row or 0, position.get(problem.column, -1)))
    return plan


def _match_rows(
    plan: Plan,
    rows: list[CleanRow],
    cards: list[tuple[int, str]],
    labels: dict[str, str],
    scope_ids: set[int],
    actor: Any,
) -> None:
    card_label = labels["card_number"]
    first_row_of_card: dict[str, int] = {}
    for row_number, card in cards:
        if card in first_row_of_card:
            plan.problems.append(
                Problem(
                    "duplicate_card",
                    row=row_number,
                    column=card_label,
                    params={"card": card, "other": first_row_of_card[card]},
                )
            )
        else:
            first_row_of_card[card] = row_number
    first_row_of_member: dict[int, int] = {}
    first_row_of_person: dict[tuple[str, dt.date], int] = {}
    # The stored members a batch of rows names are loaded, compared and let go batch by batch:
    # only the rows that create or change a member stay (bench/RESULTS.md, "Memory").
    for start in range(0, len(rows), MATCH_BATCH):
        batch = rows[start : start + MATCH_BATCH]
        stored = StoredLookup(plan.today)
        stored.load_cards(list({row.card for row in batch if row.card is not None}))
        stored.load_person_keys(
            {
                (row.name_key, row.values["birth_date"])
                for row in batch
                if row.values.get("birth_date") is not None
                and (
                    row.card is None
                    or (row.card not in stored.by_card and row.card not in stored.by_old_card)
                )
            }
        )
        stored.finish()
        sensitive = _SensitiveRights(actor, stored, plan.today)
        for row in batch:
            if row.card is not None and first_row_of_card[row.card] != row.row:
                continue  # already reported as a repeated card number
            member, problem = _find_member(row, stored, scope_ids, plan, labels)
            if problem is not None:
                plan.problems.append(problem)
                continue
            if member is None:
                if row.card is None:
                    key = (row.name_key, row.values["birth_date"])
                    if key in first_row_of_person:
                        plan.problems.append(
                            Problem(
                                "duplicate_person",
                                row=row.row,
                                column=labels["full_name"],
                                params={"other": first_row_of_person[key]},
                            )
                        )
                        continue
                    first_row_of_person[key] = row.row
                sensitive.keep_or_drop(plan, row, None)
                plan.creates.append(row)
                continue
            if member.member_id in first_row_of_member:
                other = first_row_of_member[member.member_id]
                if row.card is None:  # found by name and birth date, like the other row
                    problem = Problem(
                        "duplicate_person", row=row.row, column=labels["full_name"], params={"other": other}
                    )
                else:
                    problem = Problem(
                        "duplicate_member",
                        row=row.row,
                        column=card_label,
                        params={"card": row.card, "other": other},
                    )
                plan.problems.append(problem)
                continue
            first_row_of_member[member.member_id] = row.row
            sensitive.keep_or_drop(plan, row, member)
            _compare(plan, row, member, labels)


class _SensitiveRights:
    """Whether a row's sensitive cells count: the importer must read the stored member's sensitive
    data (today's ties) and be allowed to record it in the row's cell."""

    def __init__(self, actor: Any, stored: StoredLookup, today: dt.date) -> None:
        self.actor = actor
        self.today = today
        people = {m.person_id for m in stored.by_card.values()} | {
            m.person_id for m in stored.by_old_card.values()
        }
        people |= {m.person_id for found in stored.by_person_key.values() for m in found}
        self.readable = readable_people(actor, people, today)
        self.cells: dict[int, bool] = {}

    def _may_enter(self, cell_id: int) -> bool:
        if cell_id not in self.cells:
            self.cells[cell_id] = may_enter_sensitive_for_new_member(self.actor, cell_id, self.today)
        return self.cells[cell_id]

    def keep_or_drop(self, plan: Plan, row: CleanRow, member: StoredMember | None) -> None:
        allowed = self._may_enter(row.cell_id) and (member is None or member.person_id in self.readable)
        if allowed:
            return
        dropped = [name for name in SENSITIVE_FIELDS if row.values.pop(name, None) is not None]
        if dropped:
            plan.sensitive_ignored += 1


def _find_member(
    row: CleanRow, stored: StoredLookup, scope_ids: set[int], plan: Plan, labels: dict[str, str]
) -> tuple[StoredMember | None, Problem | None]:
    card_label = labels["card_number"]
    if row.card is not None:
        member = stored.by_card.get(row.card) or stored.by_old_card.get(row.card)
        if member is not None:
            if member.home_unit_id not in scope_ids:
                return None, Problem(
                    "card_out_of_scope",
                    row=row.row,
                    column=card_label,
                    params={"card": row.card, "unit": plan.unit.name},
                )
            return member, None
    birth = row.values.get("birth_date")
    if birth is None:
        return None, None
    candidates = [
        m for m in stored.by_person_key.get((row.name_key, birth), []) if m.home_unit_id in scope_ids
    ]
    if row.card is not None:
        # An unknown number: a namesake without a card is this member receiving one; a namesake
        # with another card is most likely this member with a re-issued card.
        holders = [m for m in candidates if m.card]
        if holders:
            return None, Problem(
                "same_person_other_card",
                row=row.row,
                column=card_label,
                params={"card": row.card, "other_card": holders[0].card},
            )
        candidates = [m for m in candidates if not m.card]
    if len(candidates) > 1:
        return None, Problem("ambiguous_person", row=row.row, column=labels["full_name"])
    return (candidates[0] if candidates else None), None


def _compare(plan: Plan, row: CleanRow, member: StoredMember, labels: dict[str, str]) -> None:
    values = row.values
    person = {
        name: (member.person[name], values[name])
        for name in PERSON_SHEET_FIELDS
        if name in values and values[name] != member.person[name]
    }
    member_changes: dict[str, tuple[Any, Any]] = {}
    for name, before in (("admitted_on", member.admitted_on), ("full_member_on", member.full_member_on)):
        if name in values and values[name] != before:
            member_changes[name] = (before, values[name])
    if row.card is not None and member.card is None:
        member_changes["card_number"] = (None, row.card)
    transfer = row.cell_id != member.current_unit_id
    if not (person or member_changes or transfer):
        plan.unchanged += 1
        return
    # Dates the row leaves blank keep their stored values: check the order of what results.
    problems = check_dates(
        row.row,
        labels,
        values.get("admitted_on", member.admitted_on),
        values.get("full_member_on", member.full_member_on),
        values.get("birth_date", member.person["birth_date"]),
        plan.today,
    )
    if problems:
        plan.problems.extend(problems)
        return
    plan.changes.append(MemberChange(row, member, person, member_changes, transfer))


def preview_of(plan: Plan, limit: int = PREVIEW_ROWS) -> dict[str, list[dict[str, Any]]]:
    """The first ``limit`` people the plan adds and the first ``limit`` it changes, in file order,
    for the person who confirms to recognise: row, name, card number, cell, and for a change the
    columns that change and the cell left. Sensitive columns (ethnicity, religion, ID number) are
    never shown, not even by name: a change to one reads "other details" (``private``)."""

    def cell_name(unit_id: int | None) -> str:
        cell = plan.cells.get(unit_id) if unit_id is not None else None
        return cell.name if cell is not None else ""

    added = [
        {
            "row": row.row,
            "name": row.values["full_name"],
            "card": row.card or "",
            "cell": cell_name(row.cell_id),
        }
        for row in plan.creates[:limit]
    ]
    changed = []
    for change in plan.changes[:limit]:
        fields = [*change.person, *change.member]
        changed.append(
            {
                "row": change.row.row,
                "name": change.row.values.get("full_name") or change.stored.person["full_name"],
                "card": change.row.card or change.stored.card or "",
                "cell": cell_name(change.row.cell_id),
                "from_cell": cell_name(change.stored.current_unit_id) if change.transfer else "",
                "fields": [name for name in fields if name not in SENSITIVE_FIELDS],
                "private": any(name in SENSITIVE_FIELDS for name in fields),
            }
        )
    return {"new": added, "updated": changed}
