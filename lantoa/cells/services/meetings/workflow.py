"""Scheduling a meeting and changing its details, and the one transition function
planned → held → approved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry, diff, record_create, record_update, snapshot
from lantoa.lib.vi import format_month_in_text
from lantoa.org.models import Person, Unit

from ...access import may_approve_minutes
from ...models import AgendaItem, AgendaKind, Meeting, MeetingKind, MeetingStatus
from ...queries.meetings import REGULAR_KINDS
from ...rules import duration_warning
from .agenda import agenda_template
from .attendance import sync_roster
from .common import MEETING_FIELDS, _check_open


def _raw(meeting: Meeting) -> dict[str, Any]:
    """The stored values of the meeting's fields (ids for the people), to see what changed."""
    people = ("chair", "clerk", "upper_member")
    return {name: getattr(meeting, f"{name}_id" if name in people else name) for name in MEETING_FIELDS}


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
    if kind == MeetingKind.COUNCIL and unit.is_cell:
        raise ValidationError(
            {"kind": _("A committee's emulation and commendation council holds sessions; a cell has none.")}
        )
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
      opinions and resolution are frozen (every service of this package raises
      ``MinutesFrozen``); attendance is corrected only through ``amend_attendance``, with a reason;
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
        # A bình xét (honours) still to be counted would be frozen half done with the minutes.
        if Meeting.objects.filter(pk=meeting.pk, voting_rounds__status__in=("prepared", "open")).exists():
            raise ValidationError(
                _("A vote at this meeting is not closed yet: close it before approving the minutes.")
            )
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
