"""Helpers shared by the meeting pages: which unit and month, loading through the access funnel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.audit.queries import history_for
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import Membership, Person, Unit
from lantoa.org.queries import valid_on

from ...access import get_meeting_for_user, may_approve_minutes, may_read_record
from ...forms_meetings import (
    AddItemForm,
    HoldForm,
)
from ...models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingStatus, Opinion
from ...queries import meetings as queries
from ...services.meetings import possible_moves

STATUS_BADGES = {
    AttendanceStatus.PRESENT: "text-bg-success",
    AttendanceStatus.EXCUSED: "text-bg-warning",
    AttendanceStatus.UNEXCUSED: "text-bg-danger",
    AttendanceStatus.EXEMPT: "text-bg-secondary",
    AttendanceStatus.ELSEWHERE: "text-bg-info",
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _default_unit(request: HttpRequest, *, committee: bool = False) -> Unit | None:
    """The unit a page shows when none is asked for: the cell the user's role is on (or the
    user's own cell); for ``committee`` pages the highest committee the user's roles reach."""
    scope = scope_for(request.user)
    # Units still open first: a district's staff who moved to the province start there.
    roots = sorted(scope.root_units(), key=lambda u: (not u.is_open_on(scope.today), u.search_text, u.name))
    if committee:
        return next((u for u in roots if not u.is_cell), None)
    cells = [u for u in roots if u.is_cell]
    if cells:
        return cells[0]
    if scope.person_id is not None:
        membership = (
            Membership.objects.filter(valid_on(timezone.localdate()), member__person_id=scope.person_id)
            .select_related("unit")
            .first()
        )
        if membership is not None and scope.can(Capability.VIEW, membership.unit_id):
            return membership.unit
    return roots[0] if roots else None


def _unit(request: HttpRequest, *, write: bool = False, committee: bool = False) -> Unit:
    key = request.GET.get("unit", "").strip()
    capability = Capability.WRITE_PROGRAMME if write else None
    if key:
        unit = get_unit_for_user(request.user, key, write=capability)
    else:
        found = _default_unit(request, committee=committee)
        if found is None:
            raise Http404(_("You have no unit to show."))
        unit = found
    # Planning is done today: for a unit the user answers for today (not a closed district, not
    # a cell that has moved to another commune).
    if write and not scope_for(request.user).can_now(Capability.WRITE_PROGRAMME, unit):
        raise PermissionDenied(_("Your role here can only read."))
    return unit


def _month(request: HttpRequest) -> dt.date:
    return queries.parse_month(request.GET.get("month")) or timezone.localdate().replace(day=1)


def month_in_reach(request: HttpRequest, unit: Unit, month: dt.date) -> dt.date:
    """``month`` if any of its days is in the user's reach of the unit, else the nearest month
    that is: a commune's officers asking for a cell's month after it moved away see its last
    month under them."""
    scope = scope_for(request.user)
    if scope.can_during(Capability.VIEW, unit, month, queries.month_end(month)):
        return month
    return scope.day_in_reach(unit, month).replace(day=1)


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("cells:meeting", kwargs={"public_id": meeting.public_id})
    return f"{url}#{anchor}" if anchor else url


def _can_write(request: HttpRequest, meeting: Meeting) -> bool:
    return scope_for(request.user).can_on(Capability.WRITE_PROGRAMME, meeting.unit_id, meeting.date)


def _speakers(meeting: Meeting, rows: list[Attendance]) -> list[Person]:
    """Who may present an item or give an opinion: the members listed, the chair, the clerk and
    the upper committee member (already loaded with the meeting)."""
    people = {row.member.person_id: row.member.person for row in rows}
    for person in (meeting.chair, meeting.clerk, meeting.upper_member):
        if person is not None:
            people.setdefault(person.pk, person)
    return sorted(people.values(), key=lambda p: (p.search_text, p.full_name, p.pk))


def _load(request: HttpRequest, public_id: str, *, write: bool = False, record: bool = True) -> Meeting:
    """The meeting through the access funnel (``record``: see ``get_meeting_for_user``), with the
    people the page names."""
    meeting = get_meeting_for_user(request.user, public_id, write=write, record=record)
    return Meeting.objects.select_related(
        "unit", "chair", "clerk", "upper_member", "approved_by__person"
    ).get(pk=meeting.pk)


def _moves(agenda: list[tuple[int, str]]) -> dict[int, tuple[bool, bool]]:
    """Item id → (may move up, may move down) for an agenda given as (id, kind) in order: the
    arrows the page shows, so that none offers a move the rule refuses (across the study item,
    or past either end)."""
    allowed = possible_moves([kind for _pk, kind in agenda])
    return {pk: moves for (pk, _kind), moves in zip(agenda, allowed, strict=True)}


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    opinions = Opinion.objects.select_related("person").order_by("order", "pk")
    item = (
        meeting.items.select_related("presenter")
        .prefetch_related(Prefetch("opinions", queryset=opinions))
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404(_("No such agenda item."))
    item.meeting = meeting
    return item


def _attendance(meeting: Meeting, attendance_id: int) -> Attendance:
    row = (
        Attendance.objects.select_related("member__person").filter(meeting=meeting, pk=attendance_id).first()
    )
    if row is None:
        raise Http404(_("No such member at this meeting."))
    row.meeting = meeting
    return row


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_write = _can_write(request, meeting)
    if not may_read_record(scope_for(request.user), meeting):
        # A plain member before the minutes are approved: when and where, nothing of the record.
        return {
            "meeting": meeting,
            "unit": meeting.unit,
            "reads_record": False,
            "savings_funds": _funds_kept_at(request, meeting),
        }
    rows = queries.attendance_rows(meeting)
    totals = queries.attendance_totals(rows)
    items = queries.agenda_items(meeting)
    rounds = list(
        apps.get_model("honours", "VotingRound").objects.filter(meeting=meeting).select_related("item")
    )
    return {
        "meeting": meeting,
        "unit": meeting.unit,
        "items": items,
        "moves": _moves([(item.pk, item.kind) for item in items]),
        "hold_form": HoldForm(
            initial={"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}, auto_id="hold_%s"
        ),
        "totals": totals,
        "speakers": _speakers(meeting, rows),
        "warning": queries.warning_for(meeting, queries.duration_rules()),
        "can_write": can_write,
        "editable": can_write and not meeting.is_frozen,
        "can_approve": meeting.status == MeetingStatus.HELD and may_approve_minutes(request.user, meeting),
        "add_form": AddItemForm(),
        "audit": history_for(meeting, show_sensitive=False),
        "guests": [line for line in meeting.guests.splitlines() if line.strip()],
        "reads_record": True,
        # Bình xét rounds held at this meeting (honours): a reader of the record sees them all; a
        # plain member reads the record only once approved, when every round is published or closed.
        "voting_rounds": rounds,
        "vote_item_ids": {r.item_id for r in rounds},  # those items stay on the agenda
        "can_hold_vote": can_write and meeting.status == MeetingStatus.HELD,
        "savings_funds": _funds_kept_at(request, meeting),
    }


def _funds_kept_at(request: HttpRequest, meeting: Meeting) -> list[Any]:
    """The unit's savings funds the user keeps, open on the meeting's day: members save at the
    meeting, and the treasurer books them from here (funds.views.savings_sheet)."""
    from lantoa.funds.access import managed_unit_ids

    if meeting.unit_id not in managed_unit_ids(request.user):
        return []
    fund_model = apps.get_model("funds", "Fund")
    return list(
        fund_model.objects.filter(unit_id=meeting.unit_id, opened_on__lte=meeting.date).exclude(
            closed_on__lt=meeting.date
        )
    )


def _item_context(request: HttpRequest, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    rows = queries.attendance_rows(meeting)
    can_write = _can_write(request, meeting)
    return {
        "meeting": meeting,
        "item": item,
        "moves": _moves(list(meeting.items.order_by("order").values_list("pk", "kind"))),
        "speakers": _speakers(meeting, rows),
        "editable": can_write and not meeting.is_frozen,
    }


def _item_response(request: HttpRequest, meeting: Meeting, item_id: int) -> HttpResponse:
    """After a change to an item: its card alone for htmx, else back to the meeting page."""
    if not _htmx(request):
        return redirect(_meeting_url(meeting, f"item-{item_id}"))
    item = _item(meeting, item_id)
    return render(request, "cells/meetings/detail.html#item", _item_context(request, meeting, item))


def _attendance_context(request: HttpRequest, meeting: Meeting, rows: list[Attendance]) -> dict[str, Any]:
    can_write = _can_write(request, meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "totals": queries.attendance_totals(rows),
        "can_write": can_write,
        "editable": can_write and not meeting.is_frozen,
        "badges": STATUS_BADGES,
        # Why a member is exempt (age, health) is for the officers, not for cell mates.
        "reason_statuses": [AttendanceStatus.EXCUSED, AttendanceStatus.ELSEWHERE]
        + (
            [AttendanceStatus.EXEMPT]
            if scope_for(request.user).can_on(Capability.OVERSEE, meeting.unit_id, meeting.date)
            else []
        ),
    }


def _missing_report(request: HttpRequest) -> queries.MissingReport:
    committee = _unit(request, committee=True)
    if committee.is_cell:
        raise Http404(_("Choose a committee: a cell has no cells under it."))
    return queries.cells_without_meetings(committee, _month(request))


STATE_WORDS = {
    queries.Held.HELD: "Đã sinh hoạt",
    queries.Held.PLANNED: "Đã lên lịch, chưa họp",
    queries.Held.NONE: "Chưa có",
}
