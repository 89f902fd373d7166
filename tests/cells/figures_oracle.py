"""A second, independent count of the cell-life figures, for the tests to hold the product's to.

This was the product's first counting: per unit and month, rolled up the dated tree in Python
(an object per unit and month). The statistics registry (``lantoa.reports.statistics.meetings``)
replaced it, counting in SQL over the tree's windows; kept here, with its own tests
(``tests/cells/test_figures.py``), as the oracle the registry's figures are checked against on
hand-built trees. The definitions are ``lantoa.cells.queries.figures``'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from lantoa.cells.queries.figures import (
    HELD_STATUSES,
    REGULAR_KINDS,
    THEMATIC_KINDS,
    month_end,
    month_start,
    months_between,
    quarter_start,
    year_and_quarter,
)
from lantoa.lib.vi import percentage
from lantoa.org.models import CELL_KINDS, Unit
from lantoa.org.queries import FAR_FUTURE, walk_down

UnitMonth = tuple[int, dt.date]
Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Figures:
    """A unit's cell-life figures for a month (or the sum over units and months)."""

    regular_expected: int = 0
    regular_held: int = 0
    thematic_expected: int = 0
    thematic_held: int = 0
    on_roll: int = 0  # attendance rows of held meetings
    present: int = 0
    exempt: int = 0
    elsewhere: int = 0
    study_items: int = 0
    articles_assigned: int = 0
    articles_published: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def expected_attendance(self) -> int:
        """Members who should have come: the roll without the exempt and those elsewhere."""
        return self.on_roll - self.exempt - self.elsewhere

    @property
    def attendance_rate(self) -> Decimal | None:
        """Percentage, 2 places (``lantoa.lib.vi.percentage``); None without a held meeting."""
        return percentage(self.present, self.expected_attendance)

    @property
    def regular_rate(self) -> Decimal | None:
        return percentage(self.regular_held, self.regular_expected)

    @property
    def thematic_rate(self) -> Decimal | None:
        return percentage(self.thematic_held, self.thematic_expected)

    @property
    def published_rate(self) -> Decimal | None:
        return percentage(self.articles_published, self.articles_assigned)


def total(figures: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in figures:
        result = result + item
    return result


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _UnitInfo:
    kind: str
    valid_from: dt.date
    valid_to: dt.date


def _overlaps(month: dt.date, spans: Iterable[Span]) -> bool:
    last = month_end(month)
    return any(start <= last and month <= end for start, end in spans)


def _counted_months(spans: dict[int, list[Span]], months: list[dt.date]) -> dict[int, list[dt.date]]:
    return {pk: [m for m in months if _overlaps(m, unit_spans)] for pk, unit_spans in spans.items()}


def _thematic_due_months(info: _UnitInfo, months: Iterable[dt.date]) -> set[dt.date]:
    """Of ``months``, those in which the cell's quarterly thematic meeting falls due: the last month
    of each quarter in which the cell is open."""
    last_open: dict[tuple[int, int], dt.date] = {}
    for month in months:
        if _overlaps(month, [(info.valid_from, info.valid_to)]):
            quarter = year_and_quarter(month)
            last_open[quarter] = max(month, last_open.get(quarter, month))
    return set(last_open.values())


def _quarter_months(month: dt.date) -> list[dt.date]:
    first = quarter_start(month)
    return [first.replace(month=first.month + i) for i in range(3)]


def articles_assigned(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[UnitMonth, int]:
    """Articles assigned by each unit, per month of ``assigned_on``, from ``start``'s month to
    ``end``'s. One query."""
    rows = (
        Article.objects.filter(
            cell_id__in=list(unit_ids), assigned_on__gte=month_start(start), assigned_on__lte=month_end(end)
        )
        .exclude(status=ArticleStatus.CANCELLED)
        .annotate(month=TruncMonth("assigned_on"))
        .values("cell_id", "month")
        .annotate(n=Count("id"))
    )
    found: dict[UnitMonth, int] = defaultdict(int)
    for row in rows:
        found[row["cell_id"], month_start(row["month"])] += row["n"]
    return dict(found)


def articles_published(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[UnitMonth, int]:
    """Each unit's articles published in the issues of each month. One query."""
    rows = (
        Article.objects.filter(
            cell_id__in=list(unit_ids),
            status=ArticleStatus.PUBLISHED,
            issue__period__gte=month_start(start),
            issue__period__lte=month_end(end),
        )
        .values("cell_id", "issue__period")
        .annotate(n=Count("id"))
    )
    found: dict[UnitMonth, int] = defaultdict(int)
    for row in rows:
        found[row["cell_id"], month_start(row["issue__period"])] += row["n"]
    return dict(found)


def _figures_for_spans(
    spans: dict[int, list[Span]], units: dict[int, _UnitInfo], start: dt.date, end: dt.date
) -> dict[UnitMonth, Figures]:
    """The figures of each unit for every month (``start``–``end``) that overlaps its spans. Five
    queries."""
    months = months_between(start, end)
    if not months or not spans:
        return {}
    first, last = months[0], months[-1]
    counted = _counted_months(spans, months)
    cell_ids = [pk for pk in spans if units[pk].kind in CELL_KINDS]

    held = Meeting.objects.filter(
        unit_id__in=cell_ids,
        status__in=HELD_STATUSES,
        period__gte=quarter_start(first),
        period__lte=month_end(last),
    )
    regular_months: set[UnitMonth] = set()
    thematic_quarters: set[tuple[int, tuple[int, int]]] = set()
    for unit_id, period, kind in held.values_list("unit_id", "period", "kind").distinct():
        if kind in REGULAR_KINDS:
            regular_months.add((unit_id, month_start(period)))
        if kind in THEMATIC_KINDS:
            thematic_quarters.add((unit_id, year_and_quarter(period)))

    in_range = Q(
        meeting__unit_id__in=cell_ids,
        meeting__status__in=HELD_STATUSES,
        meeting__period__gte=first,
        meeting__period__lte=month_end(last),
    )
    attendance: dict[UnitMonth, tuple[int, int, int, int]] = defaultdict(lambda: (0, 0, 0, 0))
    for row in (
        Attendance.objects.filter(in_range)
        .values("meeting__unit_id", "meeting__period")
        .annotate(
            roll=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            exempt=Count("id", filter=Q(status=AttendanceStatus.EXEMPT)),
            elsewhere=Count("id", filter=Q(status=AttendanceStatus.ELSEWHERE)),
        )
    ):
        key = (row["meeting__unit_id"], month_start(row["meeting__period"]))
        before = attendance[key]
        attendance[key] = (
            before[0] + row["roll"],
            before[1] + row["present"],
            before[2] + row["exempt"],
            before[3] + row["elsewhere"],
        )
    study: dict[UnitMonth, int] = defaultdict(int)
    for row in (
        AgendaItem.objects.filter(in_range, kind=AgendaKind.STUDY, presenter__isnull=False)
        .values("meeting__unit_id", "meeting__period")
        .annotate(n=Count("id"))
    ):
        study[row["meeting__unit_id"], month_start(row["meeting__period"])] += row["n"]

    assigned = articles_assigned(list(spans), first, last)
    published = articles_published(list(spans), first, last)

    result: dict[UnitMonth, Figures] = {}
    for pk, unit_months in counted.items():
        info = units[pk]
        is_cell = info.kind in CELL_KINDS
        # The quarter of the last month matters whole: a quarter whose due month falls after
        # ``end`` is left out.
        due = _thematic_due_months(info, months + _quarter_months(last)) if is_cell else set()
        for month in unit_months:  # spans are clipped to the unit's dates: it is open this month
            key = (pk, month)
            roll, present, exempt, elsewhere = attendance.get(key, (0, 0, 0, 0))
            thematic_due = month in due
            result[key] = Figures(
                regular_expected=int(is_cell),
                regular_held=int(is_cell and key in regular_months),
                thematic_expected=int(thematic_due),
                thematic_held=int(thematic_due and (pk, year_and_quarter(month)) in thematic_quarters),
                on_roll=roll,
                present=present,
                exempt=exempt,
                elsewhere=elsewhere,
                study_items=study.get(key, 0),
                articles_assigned=assigned.get(key, 0),
                articles_published=published.get(key, 0),
            )
    return result


def _unit_infos(unit_ids: Iterable[int]) -> dict[int, _UnitInfo]:
    return {
        pk: _UnitInfo(kind, valid_from, valid_to or FAR_FUTURE)
        for pk, kind, valid_from, valid_to in Unit.objects.filter(pk__in=list(unit_ids)).values_list(
            "pk", "kind", "valid_from", "valid_to"
        )
    }


def _clip(spans: Iterable[Span], info: _UnitInfo) -> list[Span]:
    clipped = []
    for start, end in spans:
        start, end = max(start, info.valid_from), min(end, info.valid_to)
        if start <= end:
            clipped.append((start, end))
    return clipped


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def unit_figures(unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[UnitMonth, Figures]:
    """The figures of the given units themselves (nothing under them), for each month from
    ``start``'s to ``end``'s in which each is open. Six queries."""
    units = _unit_infos(unit_ids)
    spans = {pk: [(info.valid_from, info.valid_to)] for pk, info in units.items()}
    return _figures_for_spans(spans, units, start, end)


@dataclass(frozen=True)
class _Subtree:
    units: dict[int, _UnitInfo]
    spans: dict[int, list[Span]]
    # (unit, window): the parent the unit hung under for those dates.
    links: dict[int, list[tuple[int, Span]]]


def _subtree(root: Unit, start: dt.date, end: dt.date) -> _Subtree:
    rows = walk_down([(root.pk, month_start(start), month_end(end))])
    units = _unit_infos({row.unit_id for row in rows})
    raw: dict[int, list[Span]] = defaultdict(list)
    links: dict[int, list[tuple[int, Span]]] = defaultdict(list)
    for row in rows:
        raw[row.unit_id].append((row.window_from, row.window_to))
        if row.parent_id is not None:
            links[row.unit_id].append((row.parent_id, (row.window_from, row.window_to)))
    spans = {pk: clipped for pk, found in raw.items() if pk in units and (clipped := _clip(found, units[pk]))}
    return _Subtree(units, spans, dict(links))


def monthly_figures(root: Unit, start: dt.date, end: dt.date) -> dict[UnitMonth, Figures]:
    """Every unit in ``root``'s subtree (``root`` included), for each month from ``start``'s to
    ``end``'s in which it is in the subtree: its own figures (zero for committees). Seven queries."""
    subtree = _subtree(root, start, end)
    return _figures_for_spans(subtree.spans, subtree.units, start, end)


def rollup(root: Unit, start: dt.date, end: dt.date) -> dict[UnitMonth, Figures]:
    """Every unit in ``root``'s subtree, for each month it is in it: its own figures plus those of
    every unit under it that month. ``rollup(...)[root.pk, month]`` is the whole subtree's month;
    ``total(...)`` of those over the months is the period's. Seven queries."""
    subtree = _subtree(root, start, end)
    own = _figures_for_spans(subtree.spans, subtree.units, start, end)
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for pk, month in own:
        by_month[month].append(pk)
    result: dict[UnitMonth, Figures] = {}
    for month, unit_ids in by_month.items():
        present = set(unit_ids)
        children: dict[int, list[int]] = defaultdict(list)
        for pk in unit_ids:
            parent = _parent_in(subtree.links.get(pk, []), month, present)
            if parent is not None:
                children[parent].append(pk)

        def add_up(pk: int, month: dt.date = month, children: dict[int, list[int]] = children) -> Figures:
            figures = own[pk, month] + total(add_up(child) for child in children.get(pk, []))
            result[pk, month] = figures
            return figures

        if root.pk in present:
            add_up(root.pk)
    return result


def _parent_in(links: list[tuple[int, Span]], month: dt.date, present: set[int]) -> int | None:
    """The parent a unit had last within ``month`` (it may have moved during the month)."""
    last, found = month_end(month), None
    best: dt.date | None = None
    for parent, (start, end) in links:
        if parent in present and start <= last and month <= end:
            seen_until = min(end, last)
            if best is None or seen_until > best:
                best, found = seen_until, parent
    return found
