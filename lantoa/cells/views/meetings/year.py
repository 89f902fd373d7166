"""A year of meetings for a unit: for each cell the months it met or did not, to drill into."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, Scope, scope_for

from ...queries import meetings as queries
from .common import _unit


def _year(request: HttpRequest) -> int:
    """?year=, within the years a meeting can have (2000–2100); anything else: this year."""
    value = request.GET.get("year", "")
    return whole_number(value, low=2000, high=2100) or timezone.localdate().year


def _within_reach(scope: Scope, grid: queries.MeetingYear) -> queries.MeetingYear:
    """Months the user does not reach a cell in (it sat under another committee then) shown as
    outside, as the month view shows none of their meetings. No query: the scope knows."""
    months = grid.months

    def clip(row: queries.YearRow) -> queries.YearRow:
        def seen(first: int, last: int) -> bool:
            end = queries.month_end(months[last])
            return scope.can_during(Capability.VIEW, row.unit, months[first], end)

        return replace(
            row,
            months=[s if seen(i, i) else queries.OUTSIDE for i, s in enumerate(row.months)],
            quarters=[s if seen(q * 3, q * 3 + 2) else queries.OUTSIDE for q, s in enumerate(row.quarters)],
        )

    return replace(grid, own=clip(grid.own) if grid.own else None, cells=[clip(row) for row in grid.cells])


@login_required
@require_GET
def meeting_year(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request)
    grid = _within_reach(scope_for(request.user), queries.meeting_year(unit, year, timezone.localdate()))
    return render(
        request,
        "cells/meetings/year.html",
        {"unit": unit, "year": year, "grid": grid, "previous_year": year - 1, "next_year": year + 1},
    )
