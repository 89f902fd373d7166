"""The honours figures of a unit over a period, as the review reports count them
(``counts``): each figure links to the recognitions behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantoa.lib.vi import DateParseError, parse_date
from lantoa.org.access import Capability, Scope, get_unit_for_user, scope_for
from lantoa.org.models import Unit

from . import counts
from .access import recognitions_visible_filter
from .models import RecognitionKind

PAGE_SIZE = 50
# The lines of the table (``counts`` says what each counts).
LINES = (
    ("cells", gettext_lazy("Introduced and praised by the cells under grassroots committees")),
    ("reward", gettext_lazy("Rewarded by the units directly under it")),
    ("praise", gettext_lazy("Praised by the units directly under it")),
    ("introduce", gettext_lazy("Introduced by the units directly under it")),
)
# Which recognitions each line counts: a level, and for the units directly under, what they did.
LINE_FIGURES: dict[str, tuple[counts.Level, str | None]] = {
    "cells": (counts.Level.CELLS, None),
    "reward": (counts.Level.DIRECTLY_UNDER, RecognitionKind.REWARD),
    "praise": (counts.Level.DIRECTLY_UNDER, RecognitionKind.PRAISE),
    "introduce": (counts.Level.DIRECTLY_UNDER, RecognitionKind.INTRODUCE),
}
SUBJECTS = ("collectives", "individuals")


class CountedPaginator(Paginator):
    """Pages a line the figure above has already counted: no second count over a province."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def _root_choices(request: HttpRequest) -> list[Unit]:
    """The units the user's roles are granted on: the roots their figures are counted under."""
    scope = scope_for(request.user)
    ids = {grant.unit_id for grant in scope.grants}
    if not ids and scope.is_superuser:
        return list(Unit.objects.filter(parentages__isnull=True).order_by("name"))
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


def _period(request: HttpRequest, last_day: dt.date) -> tuple[dt.date, dt.date, str]:
    """``from`` and ``to`` as typed (dd/mm/yyyy); by default the year so far, or a closed unit's
    last year (the figures of a district that ended on 30/6/2025 are in its past)."""
    try:
        start = parse_date(request.GET.get("from", "")[:20]) or dt.date(last_day.year, 1, 1)
        end = parse_date(request.GET.get("to", "")[:20]) or last_day
    except DateParseError:
        return dt.date(last_day.year, 1, 1), last_day, _("A date could not be read: write it as dd/mm/yyyy.")
    if end < start:
        return start, end, _("The period ends before it starts.")
    return start, end, ""


def _visible(scope: Scope, unit: Unit, start: dt.date, end: dt.date) -> Q:
    """What the reader may count under ``unit``: nothing to filter when they reach it for the
    whole period (its staff, the committees above), since what sat under it on a day is theirs
    that day; this spares a province a condition over ten thousand units. Otherwise only the days
    each unit was in their area."""
    if scope.can(Capability.VIEW, unit):
        reaches = scope.reach_of(unit)
        if reaches is None or any(
            r.starts <= start and end <= r.ends and Capability.VIEW in r.capabilities for r in reaches
        ):
            return Q()
    return recognitions_visible_filter(scope)


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = scope.today
    roots = _root_choices(request)
    key = request.GET.get("unit", "")[:80] or (roots[0].key if roots else "")
    unit = get_unit_for_user(request.user, key) if key else None
    last_day = min(today, unit.valid_to) if unit is not None and unit.valid_to else today
    start, end, problem = _period(request, last_day)
    table, page, chosen, recognitions = [], None, None, []
    if unit is not None and not problem:
        # Only what the reader may read: a role reaches a unit for the days it was in its area.
        within = _visible(scope, unit, start, end)
        counting = counts.Counting(unit, start, end, within)
        by_cells = counting.by_cells_under_committees()
        by_units = counting.by_units_directly_under()
        figures_by_line = {
            line_key: by_cells if level == counts.Level.CELLS else by_units[str(kind)]
            for line_key, (level, kind) in LINE_FIGURES.items()
        }
        table = [(line_key, label, figures_by_line[line_key]) for line_key, label in LINES]
        line, subjects = request.GET.get("line", ""), request.GET.get("subjects", "")
        if line in LINE_FIGURES and subjects in SUBJECTS:
            chosen = (line, subjects)
            level, kind = LINE_FIGURES[line]
            collectives = subjects == "collectives"
            behind = counting.recognitions_behind(level=level, kind=kind, collectives=collectives)
            figure = figures_by_line[line]
            # The database pages: one slice of the line is read, however many it holds.
            page = CountedPaginator(
                behind.select_related(
                    "decision__unit", "decision__document", "decision__form", "decision__title"
                ),
                PAGE_SIZE,
                count=figure.collectives if collectives else figure.individuals,
            ).get_page(request.GET.get("page"))
            recognitions = list(page.object_list)
    return render(
        request,
        "honours/figures.html",
        {
            "unit": unit,
            "roots": roots,
            "start": start,
            "end": end,
            "problem": problem,
            "table": table,
            "page": page,
            "chosen": chosen,
            "recognitions": recognitions,
            "presets": _presets(last_day),
            "closed_on": unit.valid_to
            if unit is not None and unit.valid_to and unit.valid_to < today
            else None,
        },
        status=400 if problem else 200,
    )


def _presets(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    year = today.year
    return [
        (_("This year"), dt.date(year, 1, 1), today),
        (_("Last year"), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)),
        (_("The last three years"), dt.date(year - 3, 1, 1), dt.date(year - 1, 12, 31)),
    ]
