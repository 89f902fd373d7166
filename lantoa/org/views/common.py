"""The "as of" date every tree page is asked with."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from lantoa.org.forms import AsOfForm


def as_of(request: HttpRequest, *, last_day: dt.date | None = None) -> dt.date:
    """The date the page is asked for (?on=dd/mm/yyyy). Without one: today, or ``last_day`` when
    what the page shows ended before today (a district closed on 30/6/2025 opens as it last stood)."""
    form = AsOfForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("on"):
        return form.cleaned_data["on"]
    today = timezone.localdate()
    return min(today, last_day) if last_day else today
