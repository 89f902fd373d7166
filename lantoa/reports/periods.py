"""Report periods: any span of days, and the period of the same length just before it.

A period of whole months (the 1st to a month's last day: a month, sơ kết 6 months, a year) has as
its previous period the same number of months before it (January–June 2024 → July–December
2023); any other span (the 3 years of KL 01, 18/05/2021–30/04/2024) the same number of days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lantoa.cells.queries.figures import month_end, month_start
from lantoa.lib.vi import format_date
from lantoa.org.models import Unit

# Records older than this are not kept by anyone; later than this is a typing error.
EARLIEST = dt.date(1930, 2, 3)
LATEST_YEARS_AHEAD = 1


class PeriodError(ValueError):
    """A period that cannot be counted, said so a reader understands."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The period ends before it starts."))

    @property
    def whole_months(self) -> bool:
        return self.start == month_start(self.start) and self.end == month_end(self.end)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Period:
        """The period of the same length ending the day before this one starts."""
        end = self.start - dt.timedelta(days=1)
        if self.whole_months:
            start = month_start(end)
            for _step in range(self.months - 1):
                start = month_start(start - dt.timedelta(days=1))
            return Period(start, end)
        return Period(end - (self.end - self.start), end)

    def label(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"


def checked_period(start: dt.date, end: dt.date, today: dt.date) -> Period:
    """The period typed, refused when it is impossible (ends before it starts, before 1930, or more
    than a year after today). The period before one that starts in 1930 reaches further back: it
    is counted all the same (it holds no record)."""
    period = Period(start, end)
    if start < EARLIEST:
        raise PeriodError(_("The period starts before 03/02/1930, the Party's founding."))
    if end.year > today.year + LATEST_YEARS_AHEAD:
        raise PeriodError(_("The period ends more than a year from today."))
    return period


def check_within_life(unit: Unit, period: Period) -> None:
    """Refuse a period wholly outside the unit's life: a district closed on 30/06/2025 has no
    cells, members or meetings to report in 2026, and its last figures would be read as that
    year's (and counted again in the province that took its communes)."""
    if unit.valid_to is not None and period.start > unit.valid_to:
        raise PeriodError(
            _("%(unit)s ended on %(day)s: choose a period that starts by that day.")
            % {"unit": unit.name, "day": format_date(unit.valid_to)}
        )
    if period.end < unit.valid_from:
        raise PeriodError(
            _("%(unit)s was formed on %(day)s: choose a period that ends on or after that day.")
            % {"unit": unit.name, "day": format_date(unit.valid_from)}
        )


def presets(today: dt.date) -> list[tuple[str, Period]]:
    """The periods a review is usually made for: the half year (sơ kết), the year (tổng kết), the
    3 years of Kết luận 01 (18/05/2021–30/04/2024), and the same for last year."""
    year = today.year
    return [
        (_("First half of %(year)s") % {"year": year}, Period(dt.date(year, 1, 1), dt.date(year, 6, 30))),
        (_("Year %(year)s") % {"year": year}, Period(dt.date(year, 1, 1), dt.date(year, 12, 31))),
        (_("Year %(year)s") % {"year": year - 1}, Period(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))),
        (_("3 years of Conclusion 01 (2021–2024)"), Period(dt.date(2021, 5, 18), dt.date(2024, 4, 30))),
    ]
