"""Who may count and print a unit's review report: those who oversee it (its officers, the
committees above, the council), for a period their role covered it all along. A plain member or a
treasurer reads their cell, not its report; another cell's secretary does not see the unit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lantoa.lib.vi import format_date
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import Unit

from .periods import Period


def may_report(user: Any, unit: Unit, period: Period) -> str:
    """Empty if the user may report on ``unit`` over ``period``, else why not (to show)."""
    scope = scope_for(user)
    if not scope.can(Capability.OVERSEE, unit):
        return _("Review reports are made by the unit's officers and the committees above it.")
    reaches = scope.reach_of(unit)
    if reaches is None:
        return ""
    covering = [r for r in reaches if Capability.OVERSEE in r.capabilities]
    if any(r.starts <= period.start and period.end <= r.ends for r in covering):
        return ""
    spans = "; ".join(f"{format_date(r.starts)} – {format_date(r.ends)}" for r in covering)
    return _("Your role covers %(unit)s only for %(spans)s: choose a period within it.") % {
        "unit": unit.name,
        "spans": spans,
    }


def unit_to_report(user: Any, key: str, period: Period) -> Unit:
    """The unit, if the user may report on it over ``period``: 404 outside their area, 403 where
    they see it but may not report on it."""
    unit = get_unit_for_user(user, key)
    problem = may_report(user, unit, period)
    if problem:
        raise PermissionDenied(problem)
    return unit


def may_make_files(user: Any, unit: Unit) -> bool:
    """Making the report's files is the staff's work (who draft it); the council reads them. A
    closed district's staff still report on its years: a report changes none of its records."""
    return scope_for(user).can(Capability.WRITE_PROGRAMME, unit)


def report_roots(user: Any) -> list[Unit]:
    """The units the user's overseeing roles sit on: the first choices of the report page, those
    still open first (a district's staff who moved to the province after 1/7/2025 start there)."""
    scope = scope_for(user)
    return sorted(
        (unit for unit in scope.root_units() if scope.can(Capability.OVERSEE, unit)),
        key=lambda unit: (not unit.is_open_on(scope.today), unit.search_text, unit.pk),
    )


def records_link(user: Any, unit: Unit, period: Period, statistic_id: str) -> str | None:
    """The registry's list behind a figure another page shows (a committee's "12 of 14 cells
    met"), for a user who may open it; None for one who may not (a plain member)."""
    from .compute import records_url  # compute imports the families, which import this app's models

    if may_report(user, unit, period):
        return None
    return records_url(unit, period, statistic_id)
