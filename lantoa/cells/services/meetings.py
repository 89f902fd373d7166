"""Writing meetings: scheduling with the agenda template, the roster, one-tap attendance, the
minutes item by item, and the one transition function planned → held → approved.

Every write is audited in its own transaction. Once the minutes are approved the meeting is
frozen: every function here refuses to change it (``MinutesFrozen``), except
``amend_attendance``, which records a correction with its reason in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry, diff, record_create, record_delete, record_update, snapshot
from lantoa.lib.vi import format_month_in_text
from lantoa.org.models import Person, Unit

from ..access import may_approve_minutes
from ..models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Opinion,
)
from ..queries.meetings import REGULAR_KINDS, RosterEntry, attendance_rows, roster_for, voters_present
from ..rules import duration_warning


class MinutesFrozen(ValidationError):
    """The minutes are approved: attendance and minutes no longer change except by amendment."""

    def __init__(self) -> None:
        super().__init__(
            _("The minutes are approved and frozen. Corrections to attendance are recorded as amendments.")
        )


# ---------------------------------------------------------------------------------------------
# The agenda template
# ---------------------------------------------------------------------------------------------

# Printed in the minutes, so Vietnamese whatever the interface language. The study item comes
# first at every meeting (Kết luận 01-KL/TW; Hướng dẫn 12-HD/BTCTW).
STUDY_TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
CURRENT_TITLE = "Thông tin thời sự, chủ trương, văn bản của cấp trên"
REVIEW_TITLE = "Đánh giá kết quả thực hiện nhiệm vụ tháng trước"
TASKS_TITLE = "Phương hướng, nhiệm vụ tháng tới"
OTHER_TITLE = "Các vấn đề khác"


def agenda_template(kind: str, topic: str = "") -> list[tuple[str, str]]:
    """(agenda kind, title) of a new meeting's agenda; the study item always first."""
    thematic = (AgendaKind.THEMATIC.value, f"Chuyên đề: {topic}" if topic else "Chuyên đề")
    regular = [
        (AgendaKind.CURRENT.value, CURRENT_TITLE),
        (AgendaKind.REVIEW.value, REVIEW_TITLE),
        (AgendaKind.TASKS.value, TASKS_TITLE),
    ]
    middle = {
        MeetingKind.REGULAR: regular,
        MeetingKind.THEMATIC: [thematic],
        MeetingKind.COMBINED: [*regular, thematic],
    }[MeetingKind(kind)]
    return [(AgendaKind.STUDY.value, STUDY_TITLE), *middle, (AgendaKind.OTHER.value, OTHER_TITLE)]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

MEETING_FIELDS = (
    "kind",
    "period",
    "date",
    "starts_at",
    "ends_at",
    "place",
    "topic",
    "chair",
    "clerk",
    "upper_member",
    "guests",
    "resolution",
)
ITEM_FIELDS = ("title", "presenter", "content", "conclusion", "votes_for", "votes_against", "votes_total")
ATTENDANCE_FIELDS = ("status", "reason")


def _raw(meeting: Meeting) -> dict[str, Any]:
    """The stored values of the meeting's fields (ids for the people), to see what changed."""
    people = ("chair", "clerk", "upper_member")
    return {name: getattr(meeting, f"{name}_id" if name in people else name) for name in MEETING_FIELDS}


def _check_open(meeting: Meeting) -> None:
    if meeting.is_frozen:
        raise MinutesFrozen()


def _check_times(starts_at: dt.time | None, ends_at: dt.time | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def _check_regular_unique(unit: Unit, kind: str, period: dt.date, exclude: int | None = None) -> None:
    """One regular meeting per unit and month: a second one is almost always a typing mistake."""
    if kind not in REGULAR_KINDS:
        return
    clash = Meeting.objects.filter(unit=unit, period=period, kind__in=REGULAR_KINDS)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {
                "period": _("There is already a regular meeting for %(month)s.")
                % {"month": format_month_in_text(period)}
            }
        )


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
    return [roster_row(meeting, entry) for entry in roster_for(meeting.unit, meeting.date)]


def sync_roster(*, actor: Any, meeting: Meeting) -> tuple[int, int]:
    """Bring the attendance list in line with the members on the meeting's date: add who is
    missing (as ``roster_row`` marks them), drop who was not a member that day, and fix the
    full/probationary mark. Marks already made stay. Returns (added, removed). Audited."""
    _check_open(meeting)
    roster = roster_for(meeting.unit, meeting.date)
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
# Scheduling and details
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    date: dt.date,
    period: dt.date | None = None,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    place: str = "",
    topic: str = "",
    chair: Person | None = None,
    clerk: Person | None = None,
    upper_member: Person | None = None,
    guests: str = "",
    extra_items: Sequence[str] = (),
) -> Meeting:
    """Plan a meeting: the agenda from the template (study item first; ``extra_items`` go before
    "Các vấn đề khác") and the roster of members on ``date``. The meeting starts as planned."""
    if not unit.is_party:
        raise ValidationError(_("Only Party organisations hold cell meetings."))
    if not unit.is_open_on(date):
        raise ValidationError({"date": _("%(unit)s does not exist on that date.") % {"unit": unit.name}})
    if kind in (MeetingKind.THEMATIC, MeetingKind.COMBINED) and not topic.strip():
        raise ValidationError({"topic": _("A thematic meeting needs its topic.")})
    _check_times(starts_at, ends_at)
    period = (period or date).replace(day=1)
    _check_regular_unique(unit, kind, period)
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        period=period,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        topic=topic.strip(),
        chair=chair,
        clerk=clerk,
        upper_member=upper_member,
        guests=guests.strip(),
        status=MeetingStatus.PLANNED,
    )
    record_create(actor=actor, obj=meeting, fields=MEETING_FIELDS, unit=unit)
    template = agenda_template(kind, meeting.topic)
    extras = [(AgendaKind.OTHER.value, title.strip()) for title in extra_items if title.strip()]
    planned = [*template[:-1], *extras, template[-1]]
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=order, kind=item_kind, title=title[:300])
        for order, (item_kind, title) in enumerate(planned, start=1)
    )
    item_type = ContentType.objects.get_for_model(AgendaItem)
    AuditEntry.objects.bulk_create(
        build_entry(
            actor=actor,
            action=AuditAction.CREATE,
            obj=item,
            unit=unit,
            changes=diff({}, snapshot(item, ("title",))),
            content_type=item_type,
        )
        for item in items
    )
    sync_roster(actor=actor, meeting=meeting)
    return meeting


@transaction.atomic
def update_meeting(*, actor: Any, meeting: Meeting, **changes: Any) -> Meeting:
    """Change the meeting's details or its resolution. A new date re-takes the roster (marks
    already made stay). Refused once the minutes are approved."""
    _check_open(meeting)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"not meeting fields: {sorted(unknown)}")
    before = snapshot(meeting, MEETING_FIELDS)
    raw_before = _raw(meeting)
    old_date = meeting.date
    for name, value in changes.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    meeting.period = (meeting.period or meeting.date).replace(day=1)
    if not meeting.unit.is_open_on(meeting.date):
        raise ValidationError(
            {"date": _("%(unit)s does not exist on that date.") % {"unit": meeting.unit.name}}
        )
    if meeting.kind in (MeetingKind.THEMATIC, MeetingKind.COMBINED) and not meeting.topic:
        raise ValidationError({"topic": _("A thematic meeting needs its topic.")})
    _check_times(meeting.starts_at, meeting.ends_at)
    _check_regular_unique(meeting.unit, meeting.kind, meeting.period, exclude=meeting.pk)
    raw_after = _raw(meeting)
    fields = [name for name in MEETING_FIELDS if raw_after[name] != raw_before[name]]
    if not fields:
        return meeting
    meeting.save(update_fields=fields)
    record_update(actor=actor, obj=meeting, before=before, fields=MEETING_FIELDS, unit=meeting.unit)
    if meeting.date != old_date:
        sync_roster(actor=actor, meeting=meeting)
    return meeting


# ---------------------------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *, actor: Any, meeting: Meeting, title: str, kind: str = AgendaKind.OTHER, presenter: Person | None = None
) -> AgendaItem:
    """A new item at the end of the agenda."""
    _check_open(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, order=last + 1, kind=kind, title=title.strip()[:300], presenter=presenter
    )
    record_create(actor=actor, obj=item, fields=("title", "presenter"), unit=meeting.unit_id)
    return item


def move_target(kinds: Sequence[str], index: int, *, up: bool) -> int | None:
    """Where the item at ``index`` of an agenda (its items' kinds, in order) would move, or None
    when it cannot: past either end, or across the study item, which stays first."""
    target = index - 1 if up else index + 1
    if not 0 <= target < len(kinds):
        return None
    if kinds[0] == AgendaKind.STUDY and 0 in (index, target):
        return None
    return target


def possible_moves(kinds: Sequence[str]) -> list[tuple[bool, bool]]:
    """(up, down) for each item of an agenda given by its kinds in order: the arrows a page offers."""
    return [
        (move_target(kinds, index, up=True) is not None, move_target(kinds, index, up=False) is not None)
        for index in range(len(kinds))
    ]


def _swap(first: AgendaItem, second: AgendaItem) -> None:
    # (meeting, order) is unique: park one item on 0 (orders start at 1) while the other moves.
    a, b = first.order, second.order
    first.order = 0
    first.save(update_fields=["order"])
    second.order = a
    second.save(update_fields=["order"])
    first.order = b
    first.save(update_fields=["order"])


@transaction.atomic
def move_agenda_item(*, actor: Any, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap the item with its neighbour above (``up``) or below. The study item stays first."""
    meeting = item.meeting
    _check_open(meeting)
    items = list(meeting.items.order_by("order"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    if not 0 <= (index - 1 if up else index + 1) < len(items):
        return item
    target = move_target([other.kind for other in items], index, up=up)
    if target is None:
        raise ValidationError(_("The study item stays first on the agenda."))
    other = items[target]
    before = snapshot(item, ("order",))
    _swap(item, other)
    record_update(actor=actor, obj=item, before=before, fields=("order",), unit=meeting.unit_id)
    return item


@transaction.atomic
def remove_agenda_item(*, actor: Any, item: AgendaItem) -> None:
    """Take an item off the agenda (with its opinions); the items below move up. The study
    item cannot be removed."""
    meeting = item.meeting
    _check_open(meeting)
    if item.kind == AgendaKind.STUDY:
        raise ValidationError(_("The study item stays first on the agenda."))
    before = snapshot(item, ITEM_FIELDS)
    removed_order = item.order
    record_delete(actor=actor, obj=item, before=before, unit=meeting.unit_id)
    item.delete()
    for below in meeting.items.filter(order__gt=removed_order).order_by("order"):
        below.order -= 1
        below.save(update_fields=["order"])


def check_votes(
    *, votes_for: int | None, votes_against: int | None, votes_total: int | None, present: int
) -> None:
    """Votes add up: in favour + against ≤ voters ≤ full members present (probationary members
    do not vote). All three or none."""
    if votes_for is None and votes_against is None and votes_total is None:
        return
    if votes_for is None or votes_against is None or votes_total is None:
        raise ValidationError(_("Record in favour, against and the number of voters together."))
    if votes_for + votes_against > votes_total:
        raise ValidationError(
            {"votes_total": _("In favour and against together are more than the number of voters.")}
        )
    if votes_total > present:
        raise ValidationError(
            {
                "votes_total": _("%(voters)d voters, but only %(present)d full members are present.")
                % {"voters": votes_total, "present": present}
            }
        )


@transaction.atomic
def record_item_minutes(*, actor: Any, item: AgendaItem, **changes: Any) -> AgendaItem:
    """What was said and decided on one item: title, presenter, content, the chair's conclusion
    and the vote. Votes are checked against the members marked present."""
    meeting = item.meeting
    _check_open(meeting)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not agenda item fields: {sorted(unknown)}")
    before = snapshot(item, ITEM_FIELDS)
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if not item.title:
        raise ValidationError({"title": _("Give the item a title.")})
    check_votes(
        votes_for=item.votes_for,
        votes_against=item.votes_against,
        votes_total=item.votes_total,
        present=voters_present(meeting),
    )
    item.save(update_fields=list(changes))
    record_update(actor=actor, obj=item, before=before, fields=ITEM_FIELDS, unit=meeting.unit_id)
    return item


@transaction.atomic
def add_opinion(*, actor: Any, item: AgendaItem, person: Person, text: str) -> Opinion:
    """A member's opinion on an item, by name, after the ones already recorded."""
    _check_open(item.meeting)
    if not text.strip():
        raise ValidationError({"text": _("Write what was said.")})
    last = item.opinions.aggregate(last=Max("order"))["last"] or 0
    opinion = Opinion.objects.create(item=item, person=person, text=text.strip(), order=last + 1)
    record_create(actor=actor, obj=opinion, fields=("person", "text"), unit=item.meeting.unit_id)
    return opinion


@transaction.atomic
def remove_opinion(*, actor: Any, opinion: Opinion) -> None:
    meeting = opinion.item.meeting
    _check_open(meeting)
    record_delete(
        actor=actor, obj=opinion, before=snapshot(opinion, ("person", "text")), unit=meeting.unit_id
    )
    opinion.delete()


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


# ---------------------------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD},
    MeetingStatus.HELD: {MeetingStatus.APPROVED},
    MeetingStatus.APPROVED: set(),
}


@transaction.atomic
def set_meeting_status(*, actor: Any, meeting: Meeting, status: str, today: dt.date | None = None) -> Meeting:
    """Move a meeting along planned → held (minutes in draft) → approved (minutes locked).

    Checks: the move is one of ``TRANSITIONS`` (approving twice is refused); to held, the
    meeting's date has come and its start and end times are recorded; to approved, the actor may
    approve (``may_approve_minutes``: the chair, or the unit's secretary or deputy acting for a
    chair without an account) and a chair and a clerk are named.

    Side effects:
    * held: the roster is taken again as of the meeting's date (members who joined or left since
      it was planned; marks already made stay);
    * approved: ``approved_by`` and ``approved_at`` are set, and from then on attendance, agenda,
      opinions and resolution are frozen (every service here raises ``MinutesFrozen``); attendance
      is corrected only through ``amend_attendance``, with a reason;
    * one audit row for the status change; when the meeting was shorter than the duration rule
      in force on its date, the warning is its note (the meeting is recorded all the same).
    """
    target = MeetingStatus(status)
    current = MeetingStatus(meeting.status)
    if target not in TRANSITIONS[current]:
        if current == MeetingStatus.APPROVED:
            raise ValidationError(_("The minutes are already approved."))
        raise ValidationError(
            _("A meeting cannot go from “%(current)s” to “%(target)s”.")
            % {"current": current.label, "target": target.label}
        )
    fields = ["status"]
    before = snapshot(meeting, ("status", "approved_by", "approved_at"))
    if target == MeetingStatus.HELD:
        today = today or timezone.localdate()
        if meeting.date > today:
            raise ValidationError(_("The meeting's date has not come yet."))
        if meeting.starts_at is None or meeting.ends_at is None:
            raise ValidationError(_("Record when the meeting started and ended first."))
        sync_roster(actor=actor, meeting=meeting)
    if target == MeetingStatus.APPROVED:
        if not may_approve_minutes(actor, meeting):
            raise PermissionDenied(_("Only the chair, or the cell's secretary, approves the minutes."))
        if meeting.chair_id is None or meeting.clerk_id is None:
            raise ValidationError(_("Name the chair and the clerk before approving the minutes."))
        meeting.approved_by = actor
        meeting.approved_at = timezone.now()
        fields += ["approved_by", "approved_at"]
    meeting.status = target.value
    meeting.save(update_fields=fields)
    record_update(
        actor=actor,
        obj=meeting,
        before=before,
        fields=("status", "approved_by", "approved_at"),
        unit=meeting.unit_id,
        note=duration_warning(meeting) or "",
    )
    return meeting


@transaction.atomic
def hold_meeting(
    *,
    actor: Any,
    meeting: Meeting,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Record the meeting as held, with the times it started and ended when given (the secretary
    types the end time as the meeting closes, beside the button). The times are saved through
    ``update_meeting`` and the status moves through ``set_meeting_status`` in one transaction: a
    refused move leaves the times as they were. A time not given keeps the one recorded."""
    changes = {
        name: value
        for name, value in (("starts_at", starts_at), ("ends_at", ends_at))
        if value is not None and value != getattr(meeting, name)
    }
    if changes:
        update_meeting(actor=actor, meeting=meeting, **changes)
    return set_meeting_status(actor=actor, meeting=meeting, status=MeetingStatus.HELD, today=today)
