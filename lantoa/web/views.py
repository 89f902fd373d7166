from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lantoa.cells.models import Meeting
from lantoa.org.access import Capability, Scope, scope_for
from lantoa.org.models import Membership, Role, Unit
from lantoa.org.queries import member_counts, valid_on, walk_down

# Roles that run a cell's meetings: their home page opens on this month's meeting.
MEETING_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY, Role.CLERK})


@dataclass(frozen=True)
class MonthMeeting:
    """A cell an officer runs and its meeting for this month, if one is planned or held."""

    cell: Unit
    meeting: Meeting | None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where each user starts: this month's meeting for a cell's officers, the units an officer
    covers, or a plain member's own cell and pages."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    month = today.replace(day=1)
    officer = scope.is_superuser or any(grant.role != Role.MEMBER for grant in scope.grants)
    context: dict[str, object] = {
        "grants": scope.grants,
        "today": today,
        "month": month,
        "officer": officer,
        "month_meetings": _month_meetings(scope, today, month),
    }
    if officer:
        roots = scope.root_units()
        counted_on = _counted_on(roots, today)
        unit_ids = {row.unit_id for row in walk_down([(root.pk, counted_on, counted_on) for root in roots])}
        context.update(
            {
                "roots": roots,
                "counted_on": counted_on,
                "unit_count": len(unit_ids),
                "members_today": sum(member_counts(unit_ids, counted_on).values()) if unit_ids else 0,
            }
        )
    elif scope.member_id is not None:
        own_cell = _own_cell(scope, today)
        context["own_cell"] = own_cell
        context["own_cell_readable"] = own_cell is not None and scope.can(Capability.VIEW, own_cell)
    return render(request, "web/home.html", context)


def _counted_on(roots: list[Unit], today: dt.date) -> dt.date:
    """The day the home page counts units and members on: today, or, when every unit the user
    covers has closed (a district after 30/6/2025), the last day one of them stood; the units
    under them on that day, not every unit that was ever under them."""
    if not roots or any(root.is_open_on(today) for root in roots):
        return today
    return max(root.valid_to or today for root in roots if root.valid_from <= today)


def _month_meetings(scope: Scope, today: dt.date, month: dt.date) -> list[MonthMeeting]:
    """The cells the user is secretary, deputy or clerk of, each with its meeting for ``month``
    (the earliest when there are several); one query whatever the number of cells."""
    cells: dict[int, Unit] = {}
    for grant in scope.grants:
        if grant.role in MEETING_ROLES and grant.unit.is_cell and grant.unit.is_open_on(today):
            cells.setdefault(grant.unit_id, grant.unit)
    if not cells:
        return []
    meetings: dict[int, Meeting] = {}
    for meeting in Meeting.objects.filter(unit_id__in=list(cells), period=month).order_by("date", "pk"):
        meetings.setdefault(meeting.unit_id, meeting)
    ordered = sorted(cells.values(), key=lambda unit: (unit.search_text, unit.name))
    return [MonthMeeting(cell, meetings.get(cell.pk)) for cell in ordered]


def _own_cell(scope: Scope, today: dt.date) -> Unit | None:
    """The cell a plain member belongs to today (one query)."""
    membership = (
        Membership.objects.filter(valid_on(today), member_id=scope.member_id)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    return membership.unit if membership else None


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: almost always a page left open past the end of
    its session, or sent again from the browser's history. Said in the user's language, with the
    way out, instead of Django's English page for developers."""
    return render(request, "403_csrf.html", status=403)
