"""The dashboard of a unit: this year's key figures beside the same days of last year, the
regular meetings month by month, the plans due and overdue, the latest recognitions.

The figures are the registry's (``statistics``): the same numbers as the review report, each
opening to its records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lantoa.cells.queries import figures
from lantoa.documents.models import Filing, Obligation
from lantoa.documents.queries import obligated_counts, obligations_for_unit
from lantoa.honours.models import Recognition
from lantoa.org.models import Unit
from lantoa.org.tree_in_period import TreeInPeriod

from .compute import Line, Report, compute_report
from .periods import Period
from .statistics import Context
from .statistics.honours import HonoursFamily
from .statistics.meetings import MeetingsFamily, month_by_month
from .statistics.organisation import OrganisationFamily
from .statistics.programme import CommitmentsFamily, PlansFamily

FAMILIES = (OrganisationFamily(), MeetingsFamily(), HonoursFamily(), CommitmentsFamily(), PlansFamily())
KEY_FIGURES = (
    "organisation.members",
    "meetings.regular.held",
    "meetings.attendance_rate",
    "honours.cells.individuals",
    "honours.reward.individuals",
    "honours.praise.individuals",
    "commitments.registered",
    "plans.on_time",
    "plans.missing",
)
# A cell's own life: its honours are its decisions (the levels above count committees' units).
CELL_KEY_FIGURES = (
    "organisation.members",
    "meetings.regular.held",
    "meetings.attendance_rate",
    "meetings.study_items",
    "commitments.registered",
    "commitments.done",
    "meetings.articles.published",
    "honours.decisions",
)
MONTHS_CHARTED = 12
LATEST = 10


@dataclass
class KeyFigure:
    line: Line

    @property
    def trend(self) -> str:
        """ "up", "down" or "same" against last year; "" where either has no figure."""
        now, before = self.line.value, self.line.previous
        if now is None or before is None:
            return ""
        return "up" if now > before else "down" if now < before else "same"


@dataclass
class MonthBar:
    month: dt.date
    held: int
    expected: int
    attendance: Decimal | None

    @property
    def percent(self) -> int:
        return round(self.held * 100 / self.expected) if self.expected else 0


@dataclass
class DueObligation:
    obligation: Obligation
    due: int
    filed: int

    @property
    def overdue(self) -> bool:
        return self.filed < self.due

    def late_on(self, today: dt.date) -> bool:
        """Its deadline has passed and some units have not filed."""
        return self.overdue and self.obligation.deadline < today


@dataclass
class Dashboard:
    unit: Unit
    report: Report
    key_figures: list[KeyFigure]
    months: list[MonthBar]
    obligations: list[DueObligation]
    recognitions: list[Recognition]
    counted_at: dt.datetime = field(default_factory=timezone.now)
    # Read from memory rather than counted for this request (see ``dashboard_for_page``).
    remembered: bool = False

    def chart(self) -> list[Bar]:
        return chart_bars(self.months)


def year_so_far(unit: Unit, today: dt.date) -> tuple[Period, Period]:
    """From 1 January to today (a closed unit: its last year), and the same days a year before
    (29 February becomes 28)."""
    last = min(today, unit.valid_to) if unit.valid_to else today
    current = Period(dt.date(last.year, 1, 1), last)
    before_end = last.replace(year=last.year - 1, day=min(last.day, 28) if last.month == 2 else last.day)
    return current, Period(dt.date(last.year - 1, 1, 1), before_end)


def _months(unit: Unit, last: dt.date, today: dt.date) -> list[MonthBar]:
    """The regular meetings held against expected for each of the last twelve months."""
    first = figures.month_start(last)
    for _step in range(MONTHS_CHARTED - 1):
        first = figures.month_start(first - dt.timedelta(days=1))
    ctx = Context(unit, Period(first, last), today)
    return [MonthBar(month, held, expected, rate) for month, held, expected, rate in month_by_month(ctx)]


def _obligations(unit: Unit, today: dt.date) -> list[DueObligation]:
    """Plans due around today (within the last year or the next two months): for a committee those
    it and the units under it set, with how many of the units filed; for a cell those it must
    answer, filed or not. The overdue first, then the nearest deadlines."""
    window = (today - dt.timedelta(days=365), today + dt.timedelta(days=60))
    rows = _cell_obligations(unit, window) if unit.is_cell else _committee_obligations(unit, window)
    rows.sort(key=lambda row: (not row.late_on(today), row.obligation.deadline))
    return rows[:LATEST]


def _cell_obligations(cell: Unit, window: tuple[dt.date, dt.date]) -> list[DueObligation]:
    mine = [o for o in obligations_for_unit(cell) if window[0] <= o.deadline <= window[1]]
    filed = set(Filing.objects.filter(obligation__in=mine, unit=cell).values_list("obligation_id", flat=True))
    return [DueObligation(o, 1, int(o.pk in filed)) for o in mine]


def _committee_obligations(unit: Unit, window: tuple[dt.date, dt.date]) -> list[DueObligation]:
    tree = TreeInPeriod.walk(unit, *window)
    set_here = list(
        Obligation.objects.filter(tree.during("unit_id", "deadline"), deadline__range=window)
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    due = obligated_counts(set_here)
    filed_by_obligation: dict[int, int] = dict(
        Filing.objects.filter(obligation__in=set_here)
        .order_by()
        .values_list("obligation_id")
        .annotate(n=Count("pk"))
    )
    return [DueObligation(o, due.get(o.pk, 0), filed_by_obligation.get(o.pk, 0)) for o in set_here]


def _latest_recognitions(unit: Unit, today: dt.date) -> list[Recognition]:
    since = today - dt.timedelta(days=365)
    tree = TreeInPeriod.walk(unit, since, today)
    found: QuerySet[Recognition] = Recognition.objects.filter(
        tree.during("decision__unit_id", "decision__decided_on"),
        Q(revoked_on__isnull=True),
        decision__decided_on__range=(since, today),
    )
    return list(found.select_related("decision__unit").order_by("-decision__decided_on", "-pk")[:LATEST])


def dashboard(unit: Unit, today: dt.date) -> Dashboard:
    current, before = year_so_far(unit, today)
    report = compute_report(unit, current, today, previous=before, families=FAMILIES)
    lines = {line.id: line for line in report.lines()}
    return Dashboard(
        unit,
        report,
        [
            KeyFigure(lines[key])
            for key in (CELL_KEY_FIGURES if unit.is_cell else KEY_FIGURES)
            if key in lines
        ],
        _months(unit, current.end, today),
        _obligations(unit, current.end),
        _latest_recognitions(unit, current.end),
    )


def dashboard_for_page(unit: Unit, today: dt.date, *, recount: bool = False) -> Dashboard:
    """The dashboard as a page shows it. A unit as large as a province (more members than
    ``LANTOA_DASHBOARD_REMEMBER_MEMBERS``) takes seconds to count, so its dashboard is kept for
    ``LANTOA_DASHBOARD_REMEMBER_MINUTES`` and the page says when it was counted and offers to
    count again; smaller units are counted on every view. Whoever reads it has passed the same
    access check: the figures are the unit's, not the reader's."""
    key = f"lantoa:dashboard:{unit.pk}:{today.isoformat()}"
    if not recount:
        kept = cache.get(key)
        if kept is not None:
            return dataclasses.replace(kept, remembered=True)
    board = dashboard(unit, today)
    members = board.report.value_of("organisation.members") or 0
    if members >= settings.LANTOA_DASHBOARD_REMEMBER_MEMBERS:
        cache.set(key, board, settings.LANTOA_DASHBOARD_REMEMBER_MINUTES * 60)
    return board


@dataclass(frozen=True)
class Bar:
    """One month's bar of the chart, placed on a 360 × 170 drawing."""

    x: float
    y: float
    width: float
    height: float
    middle: float
    month: MonthBar


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 180, 8, 30


def chart_bars(months: list[MonthBar]) -> list[Bar]:
    """Bars of the regular meetings held (% of expected), drawn by ``reports/_chart_svg.html``: no
    script and nothing from outside, so the chart shows on an intranet and prints."""
    slot = CHART_WIDTH / max(len(months), 1)
    room = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    bars = []
    for index, month in enumerate(months):
        height = room * month.percent / 100
        x = index * slot + slot * 0.15
        bars.append(Bar(x, CHART_HEIGHT - CHART_BOTTOM - height, slot * 0.7, height, x + slot * 0.35, month))
    return bars
