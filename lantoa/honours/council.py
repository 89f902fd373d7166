"""The year-end council's list, assembled from the records instead of re-typed.

For a unit and a year: every subject (person, Party unit, named collective) passed by a vote
anywhere in the unit's subtree during the year, with the months it was recognised, how many
nominations and passed votes it had, and its commitments kept. The staff curate it (remove with a
reason, add a nomination with a reason); assembling again adds new subjects and refreshes the
figures, and never brings back what was removed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_update, snapshot
from lantoa.documents.models import Commitment
from lantoa.lib.text import fold
from lantoa.lib.vi import format_date
from lantoa.org.models import Unit
from lantoa.org.queries import subtree_ids

from .models import CouncilEntry, CouncilList, Nomination, NominationStatus, PeriodKind, RoundNominee
from .services import clean_field

# A nomination counts for the list once a vote passed it (it may have gone further since).
PASSED_STATUSES = (NominationStatus.PASSED, NominationStatus.FORWARDED, NominationStatus.RECOGNISED)
ENTRY_FIELDS = (
    "subject_label",
    "months",
    "nominations_count",
    "votes_passed",
    "added_reason",
    "removed_reason",
)

SubjectKey = tuple[str, Any]


def subject_key(nomination: Nomination) -> SubjectKey:
    if nomination.subject_person_id is not None:
        return ("person", nomination.subject_person_id)
    if nomination.subject_unit_id is not None:
        return ("unit", nomination.subject_unit_id)
    return ("name", fold(nomination.subject_name).strip())


@dataclasses.dataclass
class Candidate:
    key: SubjectKey
    nomination: Nomination  # the latest: what the council votes and decides on
    label: str
    is_collective: bool
    months: set[int] = dataclasses.field(default_factory=set)
    nominations: int = 0
    votes_passed: int = 0
    commitments: int = 0
    commitments_kept: int = 0


def units_in_year(unit: Unit, year: int) -> set[int]:
    """The units under ``unit`` at the start or the end of the year (as far as it stood then)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if unit.valid_to is not None:
        last = min(last, unit.valid_to)
    first = max(first, unit.valid_from)
    if first > last:
        return set()
    return subtree_ids(unit, first) | subtree_ids(unit, last)


def candidates(unit: Unit, year: int) -> list[Candidate]:
    """Every subject passed in the unit's subtree during ``year``: one query for the nominations,
    one for the passed votes, one for the commitments, whatever the number of subjects."""
    nominations = list(
        Nomination.objects.filter(
            unit_id__in=units_in_year(unit, year), period_start__year=year, status__in=PASSED_STATUSES
        )
        .select_related("subject_person", "subject_unit")
        .order_by("period_end", "nominated_on", "id")
    )
    passed_votes = dict(
        RoundNominee.objects.filter(nomination__in=[n.pk for n in nominations], passed=True)
        .values("nomination_id")
        .annotate(n=Count("id"))
        .values_list("nomination_id", "n")
    )
    found: dict[SubjectKey, Candidate] = {}
    for nomination in nominations:
        key = subject_key(nomination)
        candidate = found.get(key)
        if candidate is None:
            candidate = found[key] = Candidate(
                key=key,
                nomination=nomination,
                label=nomination.subject_label,
                is_collective=nomination.subject_person_id is None,
            )
        candidate.nomination, candidate.label = nomination, nomination.subject_label  # the latest wins
        candidate.nominations += 1
        candidate.votes_passed += passed_votes.get(nomination.pk, 0)
        if nomination.period_kind == PeriodKind.MONTH:
            candidate.months.add(nomination.period_start.month)
    people = [key[1] for key in found if key[0] == "person"]
    for person_id, total, kept in (
        Commitment.objects.filter(member__person_id__in=people, year=year)
        .values("member__person_id")
        .annotate(total=Count("id"), kept=Count("id", filter=Q(done=True)))
        .values_list("member__person_id", "total", "kept")
    ):
        candidate = found[("person", person_id)]
        candidate.commitments, candidate.commitments_kept = total, kept
    return sorted(found.values(), key=lambda c: (c.is_collective, fold(c.label)))


def _months_text(months: set[int]) -> str:
    return ",".join(str(m) for m in sorted(months))


@transaction.atomic
def assemble(*, actor: Any, unit: Unit, year: int, day: dt.date | None = None) -> CouncilList:
    """Make (or refresh) the unit's list for ``year`` from the records."""
    day = day or timezone.localdate()
    if not 2000 <= year <= day.year:
        raise ValidationError({"year": _("The year must be between 2000 and this year.")})
    council_list, created = CouncilList.objects.get_or_create(
        unit=unit,
        year=year,
        defaults={
            "assembled_on": day,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if created:
        record_create(actor=actor, obj=council_list, fields=("unit", "year"), unit=unit)
    else:
        council_list.assembled_on = day
        council_list.save(update_fields=["assembled_on"])
    existing = {
        subject_key(entry.nomination): entry
        for entry in council_list.entries.select_related(
            "nomination__subject_person", "nomination__subject_unit"
        )
    }
    new_entries, changed = [], []
    for candidate in candidates(unit, year):
        values = {
            "subject_label": candidate.label,
            "is_collective": candidate.is_collective,
            "months": _months_text(candidate.months),
            "nominations_count": candidate.nominations,
            "votes_passed": candidate.votes_passed,
            "commitments_count": candidate.commitments,
            "commitments_kept": candidate.commitments_kept,
        }
        entry = existing.get(candidate.key)
        if entry is None:
            new_entries.append(
                CouncilEntry(council_list=council_list, nomination=candidate.nomination, **values)
            )
        elif any(getattr(entry, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            changed.append(entry)
    CouncilEntry.objects.bulk_create(new_entries)
    CouncilEntry.objects.bulk_update(changed, list(values) if changed else ["months"])
    return council_list


def year_nominations(council_list: CouncilList) -> Any:
    return Nomination.objects.filter(
        unit_id__in=units_in_year(council_list.unit, council_list.year),
        period_start__year=council_list.year,
    ).exclude(status=NominationStatus.WITHDRAWN)


def _keys_on_list(council_list: CouncilList) -> set[SubjectKey]:
    return {subject_key(e.nomination) for e in council_list.entries.select_related("nomination")}


def addable(council_list: CouncilList, limit: int = 300) -> list[Nomination]:
    """Nominations of the subtree that year whose subject is not on the list (not passed, for
    example), the latest first, one per subject, at most ``limit``: what the staff may add."""
    on_list = _keys_on_list(council_list)
    result, seen = [], set(on_list)
    for nomination in (
        year_nominations(council_list)
        .select_related("subject_person", "subject_unit", "unit")
        .order_by("-period_end", "-id")
        .iterator(chunk_size=500)
    ):
        key = subject_key(nomination)
        if key not in seen:
            seen.add(key)
            result.append(nomination)
            if len(result) >= limit:
                break
    return result


def may_add(council_list: CouncilList, nomination: Nomination) -> bool:
    return year_nominations(council_list).filter(pk=nomination.pk).exists() and subject_key(
        nomination
    ) not in _keys_on_list(council_list)


@transaction.atomic
def add_entry(*, actor: Any, council_list: CouncilList, nomination: Nomination, reason: str) -> CouncilEntry:
    reason = clean_field("added_reason", reason)
    if not reason:
        raise ValidationError({"added_reason": _("Say why this subject is added to the list.")})
    if not may_add(council_list, nomination):
        raise ValidationError(
            {"nomination": _("%(name)s cannot be added to this list.") % {"name": nomination.subject_label}}
        )
    entry = CouncilEntry.objects.create(
        council_list=council_list,
        nomination=nomination,
        subject_label=nomination.subject_label,
        is_collective=nomination.subject_person_id is None,
        added_reason=reason,
        nominations_count=1,
    )
    record_create(actor=actor, obj=entry, fields=ENTRY_FIELDS, unit=council_list.unit_id)
    return entry


@transaction.atomic
def remove_entry(*, actor: Any, entry: CouncilEntry, reason: str, day: dt.date | None = None) -> CouncilEntry:
    """Off the list, with the reason; the row stays, so the council sees what was taken off."""
    reason = clean_field("removed_reason", reason)
    if entry.removed_on is not None:
        raise ValidationError(
            _("%(name)s was already removed on %(date)s.")
            % {"name": entry.subject_label, "date": format_date(entry.removed_on)}
        )
    if not reason:
        raise ValidationError({"removed_reason": _("Say why this subject is removed from the list.")})
    before = snapshot(entry, ENTRY_FIELDS)
    entry.removed_on, entry.removed_reason = day or timezone.localdate(), reason
    entry.save(update_fields=["removed_on", "removed_reason"])
    record_update(actor=actor, obj=entry, before=before, fields=ENTRY_FIELDS, unit=entry.council_list.unit_id)
    return entry


@transaction.atomic
def restore_entry(*, actor: Any, entry: CouncilEntry) -> CouncilEntry:
    before = snapshot(entry, ENTRY_FIELDS)
    entry.removed_on, entry.removed_reason = None, ""
    entry.save(update_fields=["removed_on", "removed_reason"])
    record_update(actor=actor, obj=entry, before=before, fields=ENTRY_FIELDS, unit=entry.council_list.unit_id)
    return entry


def in_list_order(entries: Iterable[CouncilEntry]) -> list[CouncilEntry]:
    """People first, then collectives, each by name as Vietnamese is read (Đặng beside Đào, not
    after Võ as the letters' codes would put it)."""
    return sorted(entries, key=lambda e: (e.is_collective, fold(e.subject_label), e.pk))


def standing_entries(council_list: CouncilList) -> list[CouncilEntry]:
    return in_list_order(
        council_list.entries.filter(removed_on__isnull=True).select_related(
            "nomination__unit", "nomination__subject_person"
        )
    )
