"""Meetings: the list for a unit and month, scheduling, editing, holding and approving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.lib.forms import apply_validation_error
from lantoa.org.access import Capability, scope_for
from lantoa.org.models import NON_PARTY_KINDS, PositionTitle, Unit
from lantoa.org.queries import positions_on

from ...access import may_approve_minutes
from ...forms_meetings import (
    HoldForm,
    MeetingForm,
)
from ...models import Meeting, MeetingStatus
from ...queries import meetings as queries
from ...rules import duration_warning
from ...services import meetings as services
from .common import (
    _default_unit,
    _error,
    _load,
    _meeting_context,
    _meeting_url,
    _month,
    _unit,
    month_in_reach,
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _held_links(request: HttpRequest, committee: Unit, month: dt.date) -> dict[str, str | None]:
    """The registry's lists behind the committee's "cells met" counts: the month's regular
    meetings held, and the quarter's thematic ones."""
    from lantoa.reports.access import records_link
    from lantoa.reports.periods import Period

    first, last = queries.quarter_of(month)
    return {
        "regular": records_link(
            request.user, committee, Period(month, queries.month_end(month)), "meetings.regular.held"
        ),
        "thematic": records_link(
            request.user, committee, Period(first, queries.month_end(last)), "meetings.thematic.held"
        ),
    }


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """A unit's meetings for a month, with the month's and the quarter's state and warnings."""
    if not request.GET.get("unit") and _default_unit(request) is None:
        return render(request, "cells/meetings/no_unit.html", {"title": _("Cell meetings")})
    unit = _unit(request)
    month = month_in_reach(request, unit, _month(request))
    scope = scope_for(request.user)
    today = timezone.localdate()
    rules = queries.duration_rules()
    first, last = queries.quarter_of(month)
    choices = list(
        Unit.objects.filter(pk__in=scope.unit_ids(Capability.VIEW))
        .exclude(valid_to__lt=today)
        .exclude(kind__in=NON_PARTY_KINDS)
        .order_by("search_text", "name")[:500]
    )
    if unit not in choices:  # a closed unit asked for by key still shows as chosen
        choices.insert(0, unit)
    return render(
        request,
        "cells/meetings/list.html",
        {
            "unit": unit,
            "month": month,
            "previous_month": queries.add_months(month, -1),
            "next_month": queries.add_months(month, 1),
            "rows": [
                row
                for row in queries.meetings_in_month(unit, month, rules)
                if scope.can_on(Capability.VIEW, unit, row.meeting.date)
            ],
            "planned": [
                meeting
                for meeting in queries.planned_meetings(unit, today)
                if scope.can_on(Capability.VIEW, unit, meeting.date)
            ],
            "reach": scope.reach_of(unit),
            "state": queries.month_state(unit, month),
            # A committee's own meetings and its cells' are two things: its own badge says nothing
            # of whether its cells met (three queries, whatever the number of cells).
            "cells": None if unit.is_cell else queries.cells_roll_up(unit, month),
            "cells_links": None if unit.is_cell else _held_links(request, unit, month),
            "quarter": queries.quarter_number(month),
            "quarter_first": first,
            "quarter_last": last,
            "can_write": scope.can_now(Capability.WRITE_PROGRAMME, unit) and unit.is_party,
            "unit_choices": choices,
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """The secretary plans a meeting: date, time, place, who chairs and takes the minutes, the
    guests; the agenda comes from the template and can be changed on the meeting page."""
    unit = _unit(request, write=True)
    if not unit.is_party:
        raise Http404(_("Only Party organisations hold cell meetings."))
    today = timezone.localdate()
    people = queries.people_of_unit(unit, today)
    upper = queries.upper_committee_people(unit, today)
    last = Meeting.objects.filter(unit=unit).order_by("-date", "-pk").first()
    secretary = next(
        (p.person for p in positions_on(unit, today) if p.title == PositionTitle.SECRETARY), None
    )
    initial: dict[str, Any] = {
        "date": today,
        "chair": secretary.pk if secretary else "",
        "place": last.place if last else "",
        "starts_at": last.starts_at if last else None,
        "ends_at": last.ends_at if last else None,
    }
    form = MeetingForm(request.POST or None, people=people, upper_people=upper, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.schedule_meeting(actor=request.user, unit=unit, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Meeting planned. Check the agenda and the members listed."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cells/meetings/form.html",
        {"form": form, "unit": unit, "title": _("Plan a meeting"), "meeting": None},
    )


@login_required
def meeting_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    if meeting.is_frozen:
        messages.error(request, str(services.MinutesFrozen().messages[0]))
        return redirect(_meeting_url(meeting))
    people = queries.people_of_unit(meeting.unit, meeting.date)
    upper = queries.upper_committee_people(meeting.unit, meeting.date)
    form = MeetingForm(request.POST or None, people=people, upper_people=upper, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cells/meetings/form.html",
        {"form": form, "unit": meeting.unit, "title": _("Meeting details"), "meeting": meeting},
    )


@login_required
def meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, record=False)
    return render(request, "cells/meetings/detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_hold(request: HttpRequest, public_id: str) -> HttpResponse:
    """ "The meeting was held", with the start and end times typed beside the button."""
    meeting = _load(request, public_id, write=True)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the times as hh:mm, e.g. 21:15."))
        return redirect(_meeting_url(meeting))
    try:
        services.hold_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Meeting recorded as held. Write the minutes, then the chair approves them.")
        )
        warning = duration_warning(meeting)
        if warning:
            messages.warning(request, warning)
    return redirect(_meeting_url(meeting))


@login_required
def meeting_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    """The chair approves the minutes: a confirmation page, then the transition."""
    meeting = _load(request, public_id, write=True)
    if not may_approve_minutes(request.user, meeting):
        raise PermissionDenied(_("Only the chair, or the cell's secretary, approves the minutes."))
    if request.method == "POST":
        try:
            services.set_meeting_status(actor=request.user, meeting=meeting, status=MeetingStatus.APPROVED)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Minutes approved. Attendance and minutes are now frozen."))
            return redirect(_meeting_url(meeting))
    rows = queries.attendance_rows(meeting)
    return render(
        request,
        "cells/meetings/approve.html",
        {
            "meeting": meeting,
            "totals": queries.attendance_totals(rows),
            "warning": queries.warning_for(meeting, queries.duration_rules()),
            # Shown, not enforced: the chair decides whether the minutes are complete.
            "gaps": queries.minutes_gaps(meeting, queries.agenda_items(meeting)),
        },
    )
