"""The "as of" date every tree page is asked with."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from lantoa.org.access import scope_for
from lantoa.org.forms import AsOfForm
from lantoa.org.models import Unit


def as_of(request: HttpRequest, *, last_day: dt.date | None = None, unit: Unit | None = None) -> dt.date:
    """The date the page is asked for (?on=dd/mm/yyyy). Without one: today, or ``last_day`` when
    what the page shows ended before today (a district closed on 30/6/2025 opens as it last stood).
    With ``unit``: a day the user reaches the unit on, the nearest to the one asked for (a
    commune's officers asking for a cell after it moved away see it on its last day under them)."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("on"):
        day = form.cleaned_data["on"]
    else:
        today = timezone.localdate()
        day = min(today, last_day) if last_day else today
    if unit is not None:
        day = scope_for(request.user).day_in_reach(unit, day)
    return day
