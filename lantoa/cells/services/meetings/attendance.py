"""The roster and attendance: who is listed at a meeting (as the records stood on its date),
one-tap marks, everyone present, and amendments after the minutes are approved."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry, diff, snapshot

from ...models import Attendance, AttendanceStatus, Meeting
from ...queries.meetings import RosterEntry, attendance_rows, roster_for
from .common import ATTENDANCE_FIELDS, _check_open


def _attendance_entry(
    actor: Any, action: str, row: Attendance, meeting: Meeting, changes: dict[str, list[Any]], note: str = ""
) -> AuditEntry:
    """An audit entry for one attendance row, named after the member and the meeting (the model
    has no name of its own)."""
    entry = build_entry(
        actor=actor,
        action=action,
        obj=row,
        unit=meeting.unit_id,
        changes=changes,
        note=note,
        content_type=ContentType.objects.get_for_model(Attendance),
    )
    entry.target_repr = f"{row.member.person.full_name} – {meeting}"[:300]
    return entry


def roster_row(meeting: Meeting, entry: RosterEntry) -> Attendance:
    """The attendance row a member starts with at a meeting (unsaved): exempt members pre-marked
    exempt with the exemption's reason, everyone else present (the secretary then marks who is
    absent)."""
    return Attendance(
        meeting=meeting,
        member=entry.member,
        status=AttendanceStatus.EXEMPT if entry.exempt else AttendanceStatus.PRESENT,
        reason=entry.exempt_reason if entry.exempt else "",
        full_member=entry.full_member,
    )


def initial_roster(meeting: Meeting) -> list[Attendance]:
    """The attendance list a newly planned meeting starts with (unsaved rows): everyone on the
    roster on its date, as ``roster_row`` marks them. What ``schedule_meeting`` writes; the demo
    writes its planned meetings' lists from it too."""
    return [roster_row(meeting, entry) for entry in roster_for(meeting.unit, meeting.date, meeting.kind)]


def sync_roster(*, actor: Any, meeting: Meeting) -> tuple[int, int]:
    """Bring the attendance list in line with the members on the meeting's date: add who is
    missing (as ``roster_row`` marks them), drop who was not a member that day, and fix the
    full/probationary mark. Marks already made stay. Returns (added, removed). Audited."""
    _check_open(meeting)
    roster = roster_for(meeting.unit, meeting.date, meeting.kind)
    existing = {
        row.member_id: row
        for row in Attendance.objects.filter(meeting=meeting).select_related("member__person")
    }
    wanted = {entry.member.pk: entry for entry in roster}
    added = [roster_row(meeting, entry) for pk, entry in wanted.items() if pk not in existing]
    removed = [row for pk, row in existing.items() if pk not in wanted]
    changed = [
        row for pk, row in existing.items() if pk in wanted and row.full_member != wanted[pk].full_member
    ]
    entries = []
    if added:
        Attendance.objects.bulk_create(added)
        for row in added:
            after = snapshot(row, (*ATTENDANCE_FIELDS, "full_member"))
            entries.append(_attendance_entry(actor, AuditAction.CREATE, row, meeting, diff({}, after)))
    if removed:
        for row in removed:
            before = snapshot(row, (*ATTENDANCE_FIELDS, "full_member"))
            entries.append(_attendance_entry(actor, AuditAction.DELETE, row, meeting, diff(before, {})))
        Attendance.objects.filter(pk__in=[row.pk for row in removed]).delete()
    for row in changed:
        before = {"full_member": row.full_member}
        row.full_member = wanted[row.member_id].full_member
        row.save(update_fields=["full_member"])
        entries.append(
            _attendance_entry(
                actor, AuditAction.UPDATE, row, meeting, diff(before, {"full_member": row.full_member})
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return len(added), len(removed)


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------

# One tap moves a member to the next status: the common marks first.
TAP_CYCLE = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.UNEXCUSED,
    AttendanceStatus.ELSEWHERE,
    AttendanceStatus.EXEMPT,
]


def next_status(status: str) -> str:
    index = TAP_CYCLE.index(AttendanceStatus(status))
    return TAP_CYCLE[(index + 1) % len(TAP_CYCLE)].value


@transaction.atomic
def set_attendance(
    *, actor: Any, attendance: Attendance, status: str, reason: str | None = None
) -> Attendance:
    """Mark one member. ``reason=None`` keeps the reason already given (a tap does not wipe it);
    present clears it. Refused once the minutes are approved: use ``amend_attendance``."""
    meeting = attendance.meeting
    _check_open(meeting)
    return _change_attendance(actor=actor, attendance=attendance, status=status, reason=reason, note="")


def _change_attendance(
    *, actor: Any, attendance: Attendance, status: str, reason: str | None, note: str
) -> Attendance:
    meeting = attendance.meeting
    before = snapshot(attendance, ATTENDANCE_FIELDS)
    attendance.status = AttendanceStatus(status).value
    if status == AttendanceStatus.PRESENT:
        attendance.reason = ""
    elif reason is not None:
        attendance.reason = reason.strip()[:200]
    changes = diff(before, snapshot(attendance, ATTENDANCE_FIELDS))
    if not changes:
        return attendance
    attendance.save(update_fields=list(ATTENDANCE_FIELDS))
    _attendance_entry(actor, AuditAction.UPDATE, attendance, meeting, changes, note).save()
    return attendance


@transaction.atomic
def tap_attendance(*, actor: Any, attendance: Attendance) -> Attendance:
    """The one-tap mark: the member moves to the next status of ``TAP_CYCLE``."""
    return set_attendance(actor=actor, attendance=attendance, status=next_status(attendance.status))


@transaction.atomic
def mark_all_present(*, actor: Any, meeting: Meeting) -> int:
    """Everyone marked absent becomes present; exempt members and those attending elsewhere stay
    as they are. Returns how many changed. Audited row by row."""
    _check_open(meeting)
    absent = [
        row
        for row in attendance_rows(meeting)
        if row.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)
    ]
    entries = []
    for row in absent:
        before = snapshot(row, ATTENDANCE_FIELDS)
        row.status, row.reason = AttendanceStatus.PRESENT, ""
        entries.append(
            _attendance_entry(
                actor, AuditAction.UPDATE, row, meeting, diff(before, snapshot(row, ATTENDANCE_FIELDS))
            )
        )
    Attendance.objects.filter(pk__in=[row.pk for row in absent]).update(
        status=AttendanceStatus.PRESENT, reason=""
    )
    AuditEntry.objects.bulk_create(entries)
    return len(absent)


@transaction.atomic
def amend_attendance(
    *, actor: Any, attendance: Attendance, status: str, reason: str, amendment_reason: str
) -> Attendance:
    """Correct a member's attendance after the minutes were approved. The correction is explicit:
    it needs a reason, which the audit entry keeps as its note beside the before → after."""
    if not amendment_reason.strip():
        raise ValidationError({"amendment_reason": _("Say why the attendance is corrected.")})
    before = snapshot(attendance, ATTENDANCE_FIELDS)
    _change_attendance(
        actor=actor, attendance=attendance, status=status, reason=reason, note=amendment_reason.strip()
    )
    if snapshot(attendance, ATTENDANCE_FIELDS) == before:
        raise ValidationError(_("Nothing was changed."))
    return attendance
