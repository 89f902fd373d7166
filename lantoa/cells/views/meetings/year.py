"""A year of meetings for a unit: for each cell the months it met or did not, to drill into."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ...queries import meetings as queries
from .common import _unit


def _year(request: HttpRequest) -> int:
    """?year=, within the years a meeting can have (2000–2100); anything else: this year."""
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def meeting_year(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    year = _year(request)
    grid = queries.meeting_year(unit, year, timezone.localdate())
    return render(
        request,
        "cells/meetings/year.html",
        {"unit": unit, "year": year, "grid": grid, "previous_year": year - 1, "next_year": year + 1},
    )
