"""Cell life: regular and thematic meetings held against those expected, attendance, study
items and bulletin articles (the definitions are in ``cells.queries.figures``' docstring).

What can be expected is worked out from the tree's windows, a few operations per cell whatever
the number of months: a regular meeting for each month a cell is open under the root, a thematic
one for each quarter, due in its last open month. What was held is counted as the list of
meetings it opens to: the first meeting held of each cell and month (of each quarter for
thematic ones), so a month with two meetings counts once. Attendance is summed by the database.
No object is built per cell and month: a province has ten thousand cells.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, Least
from django.utils.translation import gettext_lazy as _

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
)
from lantoa.cells.queries import figures
from lantoa.lib.lookups import Many
from lantoa.lib.vi import format_date, format_int, format_month, percentage
from lantoa.org.models import Unit
from lantoa.org.queries import FAR_FUTURE
from lantoa.org.tree_in_period import TreeInPeriod

from .base import Column, Context, Family, Figure, Measure, Records, Statistic, format_value

MEETING_COLUMNS = [
    Column(_("Month"), lambda m: format_month(m.period)),
    Column(_("Date"), lambda m: format_date(m.date)),
    Column(_("Cell"), lambda m: m.unit.name),
    Column(_("Meeting"), lambda m: m.get_kind_display()),
    Column(_("Status"), lambda m: m.get_status_display()),
]


def _months_tree(ctx: Context, start: dt.date) -> TreeInPeriod:
    key = f"months_tree:{start.isoformat()}"
    if key not in ctx.cache:
        ctx.cache[key] = TreeInPeriod.walk(ctx.root, start, figures.month_end(ctx.end))
    tree: TreeInPeriod = ctx.cache[key]
    return tree


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_of(number: int) -> dt.date:
    return dt.date(number // 12, number % 12 + 1, 1)


@dataclass
class CellMonths:
    """The months (as numbers: year × 12 + month − 1) a cell is open under the root within the
    period, as merged ranges, and the months of its own life."""

    ranges: list[tuple[int, int]]
    life: tuple[int, int]

    def open_in(self, month: int) -> bool:
        return any(a <= month <= b for a, b in self.ranges)


def _cell_months(ctx: Context) -> dict[int, CellMonths]:
    """Worked out once per period: the expected figures, their chart and their list read it."""
    if "cell_months" not in ctx.cache:
        ctx.cache["cell_months"] = _count_cell_months(ctx)
    cells: dict[int, CellMonths] = ctx.cache["cell_months"]
    return cells


def _count_cell_months(ctx: Context) -> dict[int, CellMonths]:
    first, last = _month_number(ctx.start), _month_number(ctx.end)
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    is_cell = tree.is_cell
    spans: dict[int, list[tuple[int, int]]] = {}
    lives: dict[int, tuple[int, int]] = {}
    for row in tree.rows:
        if not is_cell(row):
            continue
        born, ends = row.unit_from or row.window_from, row.unit_to
        start, end = max(row.window_from, born), min(row.window_to, ends)
        a, b = max(_month_number(start), first), min(_month_number(end), last)
        if start > end or a > b:
            continue
        spans.setdefault(row.unit_id, []).append((a, b))
        lives[row.unit_id] = (_month_number(born), _month_number(ends))
    cells = {}
    for pk, found in spans.items():
        merged: list[tuple[int, int]] = []
        for a, b in sorted(found):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        cells[pk] = CellMonths(merged, lives[pk])
    return cells


def _quarter_ends_between(a: int, b: int) -> int:
    """How many quarters' last months (month numbers ≡ 2 mod 3) lie in [a, b]."""
    return 0 if b < a else (b - 2) // 3 - (a - 3) // 3


def expected_by_cell(ctx: Context) -> dict[int, tuple[int, int]]:
    """Regular and thematic meetings each cell owes over the period: a regular meeting each
    month it is open under the root (any day of it), and a thematic one in the last month of each
    quarter in which it is open (its last month if it closes earlier), counted when that month is
    one it is under the root; a quarter whose due month falls after the period is left out.
    Worked out with a few operations per cell, whatever the length of the period."""
    owed = {}
    for pk, cell in _cell_months(ctx).items():
        life_from, life_to = cell.life
        regular = thematic = 0
        for a, b in cell.ranges:
            regular += b - a + 1
            thematic += _quarter_ends_between(a, min(b, life_to))
        # A cell closing before its quarter's end owes that quarter's meeting in its last month.
        if life_to % 3 != 2 and life_to >= life_from and cell.open_in(life_to):
            thematic += 1
        owed[pk] = (regular, thematic)
    return owed


def expected(ctx: Context) -> tuple[int, int]:
    """Regular and thematic meetings expected over the period (``expected_by_cell`` summed)."""
    owed = expected_by_cell(ctx).values()
    return sum(regular for regular, _t in owed), sum(thematic for _r, thematic in owed)


def expected_by_month(ctx: Context) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """``expected``, month by month (for a chart of a few months: it visits every month)."""
    regular: dict[int, int] = {}
    thematic: dict[int, int] = {}
    for cell in _cell_months(ctx).values():
        life_from, life_to = cell.life
        for a, b in cell.ranges:
            for month in range(a, b + 1):
                regular[month] = regular.get(month, 0) + 1
                due = month % 3 == 2 and month <= life_to
                closing = month == life_to and month % 3 != 2 and life_to >= life_from
                if due or closing:
                    thematic[month] = thematic.get(month, 0) + 1
    return (
        {_month_of(m): n for m, n in regular.items()},
        {_month_of(m): n for m, n in thematic.items()},
    )


ATTENDANCE_COUNTS = {
    "roll": Count("pk"),
    "present": Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
    "exempt": Count("pk", filter=Q(status=AttendanceStatus.EXEMPT)),
    "elsewhere": Count("pk", filter=Q(status=AttendanceStatus.ELSEWHERE)),
}


def _attendance_at_meetings_held(ctx: Context) -> QuerySet[Attendance]:
    """Every line of the attendance lists of the meetings held by cells under the root."""
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Attendance.objects.filter(
        tree.during("meeting__unit_id", "meeting__period", tree.is_cell, whole_months=True),
        meeting__status__in=figures.HELD_STATUSES,
        meeting__period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


def attendance(ctx: Context) -> dict[str, int]:
    """On the roll, present, exempt and elsewhere, over the meetings held (one query)."""
    return _attendance_at_meetings_held(ctx).aggregate(**ATTENDANCE_COUNTS)


def month_by_month(ctx: Context) -> list[tuple[dt.date, int, int, Any]]:
    """For each month of the period: regular meetings held, expected, and the attendance rate
    (three queries and the tree's walk, whatever the number of cells)."""
    regular, _thematic = expected_by_month(ctx)
    held = dict(
        _regular_meetings_held(ctx)
        .order_by()
        .values("period")
        .annotate(n=Count("unit_id", distinct=True))
        .values_list("period", "n")
    )
    rows = (
        _attendance_at_meetings_held(ctx).order_by().values("meeting__period").annotate(**ATTENDANCE_COUNTS)
    )
    rates = {figures.month_start(row["meeting__period"]): attendance_rate(row) for row in rows}
    return [
        (month, held.get(month, 0), regular.get(month, 0), rates.get(month))
        for month in figures.months_between(ctx.start, ctx.end)
    ]


def attendance_rate(counted: dict[str, int]) -> Any:
    """Present ÷ (on the roll − exempt − elsewhere), rounded to 2 places (``lib.vi.percentage``);
    None without a held meeting (``cells.queries.figures``' definition)."""
    return percentage(counted["present"], counted["roll"] - counted["exempt"] - counted["elsewhere"])


def _regular_meetings_held(ctx: Context) -> QuerySet[Meeting]:
    """Every regular (or combined) meeting held by a cell under the root in its month."""
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Meeting.objects.filter(
        tree.during("unit_id", "period", tree.is_cell, whole_months=True),
        status__in=figures.HELD_STATUSES,
        kind__in=figures.REGULAR_KINDS,
        period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


def _due_day(first: dt.date, last: dt.date) -> Any:
    """The day a meeting's quarterly thematic meeting falls due: its quarter's last day, or its
    cell's last day if the cell closes earlier (one WHEN per quarter of the period)."""
    whens, quarter = [], first
    while quarter <= last:
        quarter_end = figures.month_end(quarter.replace(month=quarter.month + 2))
        whens.append(When(period__range=(quarter, quarter_end), then=Value(quarter_end)))
        quarter = quarter_end + dt.timedelta(days=1)
    return Least(
        Case(*whens, output_field=DateField()),
        Coalesce("unit__valid_to", Value(FAR_FUTURE), output_field=DateField()),
    )


def _thematic_meetings_held(ctx: Context) -> QuerySet[Meeting]:
    """Every thematic (or combined) meeting held by a cell that was under the root in the month
    its quarter's meeting fell due (as the expected ones are counted), that month within the
    period."""
    first, last = figures.quarter_start(ctx.start), figures.month_end(ctx.end)
    tree = _months_tree(ctx, first)
    return (
        Meeting.objects.filter(
            status__in=figures.HELD_STATUSES, kind__in=figures.THEMATIC_KINDS, period__range=(first, last)
        )
        .annotate(due_on=_due_day(first, last), year=ExtractYear("period"), quarter=ExtractQuarter("period"))
        # Due within the period's months, as the expected ones: a cell that closed in April
        # owes April's meeting to a period that starts in April, not to one that starts in May.
        .filter(
            tree.during("unit_id", "due_on", tree.is_cell, whole_months=True),
            due_on__gte=figures.month_start(ctx.start),
            due_on__lte=last,
        )
    )


def held_regular(ctx: Context) -> QuerySet[Meeting]:
    """The list behind "held": the first meeting held of each cell and month."""
    held = _regular_meetings_held(ctx)
    earlier = Meeting.objects.filter(
        unit_id=OuterRef("unit_id"),
        period=OuterRef("period"),
        pk__lt=OuterRef("pk"),
        status__in=figures.HELD_STATUSES,
        kind__in=figures.REGULAR_KINDS,
    )
    return held.exclude(Exists(earlier))


def held_thematic(ctx: Context) -> QuerySet[Meeting]:
    """The first thematic meeting held of each cell and quarter."""
    held = _thematic_meetings_held(ctx)
    earlier = (
        Meeting.objects.filter(status__in=figures.HELD_STATUSES, kind__in=figures.THEMATIC_KINDS)
        .annotate(year=ExtractYear("period"), quarter=ExtractQuarter("period"))
        .filter(
            unit_id=OuterRef("unit_id"),
            year=OuterRef("year"),
            quarter=OuterRef("quarter"),
            pk__lt=OuterRef("pk"),
        )
    )
    return held.exclude(Exists(earlier))


def count_regular_held(ctx: Context) -> int:
    """As many as ``held_regular`` lists, counted as distinct cells and months (no anti-join)."""
    return _regular_meetings_held(ctx).order_by().values("unit_id", "period").distinct().count()


def count_thematic_held(ctx: Context) -> int:
    """As many as ``held_thematic`` lists: distinct cells and quarters."""
    held = _thematic_meetings_held(ctx).order_by()
    # "year" and "quarter" are the annotations above (the type checker sees fields only).
    return held.values("unit_id", "year", "quarter").distinct().count()  # type: ignore[misc]


@dataclass
class CellMeetings:
    """One cell's line in the lists behind the meetings expected and the attendance rate: a
    province's figure is ten thousand cells' lines added up."""

    unit: Unit
    parent: Unit | None  # the unit it sat under at its last day under the root in the period
    owed: int = 0
    held: int = 0
    roll: int = 0
    present: int = 0
    exempt: int = 0
    elsewhere: int = 0

    @property
    def not_held(self) -> int:
        return max(self.owed - self.held, 0)

    @property
    def rate(self) -> Any:
        return attendance_rate(vars(self))


def _cell_units(ctx: Context, ids: Any) -> dict[int, tuple[Unit, Unit | None]]:
    """The cells, each with the unit it sat under last in the period (two cells of different
    communes share a hamlet's name: "Chi bộ ấp An Hòa"). One query."""
    ids = set(ids)
    last_row: dict[int, Any] = {}
    for row in _months_tree(ctx, figures.month_start(ctx.start)).rows:
        if row.unit_id in ids and (
            row.unit_id not in last_row or row.window_to > last_row[row.unit_id].window_to
        ):
            last_row[row.unit_id] = row
    parent_of = {pk: row.parent_id for pk, row in last_row.items()}
    wanted = ids | {pk for pk in parent_of.values() if pk is not None}
    units = Unit.objects.only("key", "name", "search_text").filter(pk__any_of=Many(sorted(wanted)))
    found = {unit.pk: unit for unit in units}
    return {pk: (found[pk], found.get(parent_of.get(pk) or 0)) for pk in ids if pk in found}


def owed_by_cell(ctx: Context, *, thematic: bool) -> list[CellMeetings]:
    """Each cell with the meetings it owed over the period and those it held (as "held" counts
    them), those that held fewest first: the sum of the "owed" column is the figure."""
    owed = {pk: pair[1 if thematic else 0] for pk, pair in expected_by_cell(ctx).items()}
    if thematic:
        held_meetings = _thematic_meetings_held(ctx).order_by()
        # "year" and "quarter" are annotations (the type checker sees fields only).
        quarters = held_meetings.values_list("unit_id", "year", "quarter").distinct()  # type: ignore[misc]
        held = dict(Counter(unit_id for unit_id, _year, _quarter in quarters))
    else:
        months = (
            _regular_meetings_held(ctx)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("period", distinct=True))
        )
        held = {row["unit_id"]: row["n"] for row in months}
    units = _cell_units(ctx, owed.keys() | held.keys())
    lines = [CellMeetings(*units[pk], owed=owed.get(pk, 0), held=held.get(pk, 0)) for pk in units]
    return sorted(
        lines, key=lambda line: (-line.not_held, line.unit.search_text, line.unit.name, line.unit.pk)
    )


def attendance_by_cell(ctx: Context) -> list[CellMeetings]:
    """Each cell's attendance over its meetings held, the lowest rate first."""
    rows = list(
        _attendance_at_meetings_held(ctx).order_by().values("meeting__unit_id").annotate(**ATTENDANCE_COUNTS)
    )
    units = _cell_units(ctx, (row["meeting__unit_id"] for row in rows))
    lines = [
        CellMeetings(*units[row.pop("meeting__unit_id")], **row)  # roll, present, exempt, elsewhere
        for row in rows
    ]
    lowest = Decimal(1000)  # above any rate: a cell with nobody to count goes last
    return sorted(
        lines, key=lambda line: (line.rate if line.rate is not None else lowest, line.unit.search_text)
    )


def _summed_rate(lines: list[CellMeetings]) -> Any:
    """The attendance rate of all the lines together (not an average of the cells' rates)."""
    names = ("roll", "present", "exempt", "elsewhere")
    return attendance_rate({name: sum(getattr(line, name) for line in lines) for name in names})


def _parent_name(line: CellMeetings) -> str:
    return line.parent.name if line.parent is not None else ""


def _owed_records(ctx: Context, *, thematic: bool) -> Records:
    owed = _("Thematic meetings owed") if thematic else _("Meetings owed")
    return Records(
        owed_by_cell(ctx, thematic=thematic),
        [
            Column(_("Cell"), lambda line: line.unit.name),
            Column(_("Under"), _parent_name),
            Column(owed, lambda line: format_int(line.owed)),
            Column(_("Held"), lambda line: format_int(line.held)),
            Column(_("Not held"), lambda line: format_int(line.not_held)),
        ],
        total=lambda lines: sum(line.owed for line in lines),
        total_label=_("meetings owed, the cells' lines added up"),
    )


def _attendance_records(ctx: Context) -> Records:
    return Records(
        attendance_by_cell(ctx),
        [
            Column(_("Cell"), lambda line: line.unit.name),
            Column(_("Under"), _parent_name),
            Column(_("On the attendance lists"), lambda line: format_int(line.roll)),
            Column(_("Present"), lambda line: format_int(line.present)),
            Column(_("Exempt or attending elsewhere"), lambda line: format_int(line.exempt + line.elsewhere)),
            Column(_("Attendance"), lambda line: format_value(line.rate, Measure.PERCENT)),
        ],
        total=_summed_rate,
        total_label=_("rate of the cells' lines together"),
    )


# Figures that are not a number of records: their lists are the cells' lines, adding up to them.
CELL_LISTS = {
    "meetings.regular.expected": lambda ctx: _owed_records(ctx, thematic=False),
    "meetings.thematic.expected": lambda ctx: _owed_records(ctx, thematic=True),
    "meetings.attendance_rate": _attendance_records,
}


def study_items(ctx: Context) -> QuerySet[AgendaItem]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return AgendaItem.objects.filter(
        tree.during("meeting__unit_id", "meeting__period", tree.is_cell, whole_months=True),
        kind=AgendaKind.STUDY,
        presenter__isnull=False,
        meeting__status__in=figures.HELD_STATUSES,
        meeting__period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


def articles_assigned(ctx: Context) -> QuerySet[Article]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Article.objects.filter(
        tree.during("cell_id", "assigned_on", whole_months=True),
        assigned_on__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    ).exclude(status=ArticleStatus.CANCELLED)


def articles_published(ctx: Context) -> QuerySet[Article]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Article.objects.filter(
        tree.during("cell_id", "issue__period", whole_months=True),
        status=ArticleStatus.PUBLISHED,
        issue__period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


ARTICLE_COLUMNS = [
    Column(_("Assigned on"), lambda a: format_date(a.assigned_on)),
    Column(_("Unit"), lambda a: a.cell.name),
    Column(_("Title"), lambda a: a.title),
    Column(_("Status"), lambda a: a.get_status_display()),
]
LISTS: dict[str, tuple[Any, Any, list[Column]]] = {
    # statistic id: (records, what to select with them, columns)
    "meetings.regular.held": (held_regular, ("unit",), MEETING_COLUMNS),
    "meetings.thematic.held": (held_thematic, ("unit",), MEETING_COLUMNS),
    "meetings.study_items": (
        study_items,
        ("meeting__unit", "presenter"),
        [
            Column(_("Date"), lambda i: format_date(i.meeting.date)),
            Column(_("Cell"), lambda i: i.meeting.unit.name),
            Column(_("Study item"), lambda i: i.title),
            Column(_("Presented by"), lambda i: i.presenter.full_name if i.presenter else ""),
        ],
    ),
    "meetings.articles.assigned": (articles_assigned, ("cell",), ARTICLE_COLUMNS),
    "meetings.articles.published": (articles_published, ("cell",), ARTICLE_COLUMNS),
}
ORDER = {
    "meetings.regular.held": ("period", "unit__search_text", "pk"),
    "meetings.thematic.held": ("period", "unit__search_text", "pk"),
    "meetings.study_items": ("meeting__date", "meeting__unit__search_text", "pk"),
    "meetings.articles.assigned": ("assigned_on", "pk"),
    "meetings.articles.published": ("assigned_on", "pk"),
}


class MeetingsFamily(Family):
    key = "meetings"
    title = _("Cell meetings, study and the bulletin")
    statistics = (
        Statistic("meetings.regular.expected", _("Regular meetings expected")),
        Statistic("meetings.regular.held", _("Regular meetings held")),
        Statistic("meetings.thematic.expected", _("Thematic meetings expected")),
        Statistic("meetings.thematic.held", _("Thematic meetings held")),
        Statistic("meetings.attendance_rate", _("Attendance at meetings held"), Measure.PERCENT),
        Statistic("meetings.study_items", _("Study items presented at meetings")),
        Statistic("meetings.articles.assigned", _("Bulletin articles assigned")),
        Statistic("meetings.articles.published", _("Bulletin articles published")),
    )

    def compute(self, ctx: Context) -> list[Figure]:
        computed = self._values(ctx, {s.id for s in self.statistics})
        return [Figure(s, computed[s.id]) for s in self.statistics]

    def figure(self, statistic_id: str, ctx: Context) -> Figure | None:
        # Over a province's three years each figure reads millions of attendance lines or
        # meetings: a list's page counts its own figure only.
        statistic = self.statistic(statistic_id)
        return (
            None if statistic is None else Figure(statistic, self._values(ctx, {statistic_id})[statistic_id])
        )

    def _values(self, ctx: Context, wanted: set[str]) -> dict[str, Any]:
        computed: dict[str, Any] = {}
        if wanted & {"meetings.regular.expected", "meetings.thematic.expected"}:
            computed["meetings.regular.expected"], computed["meetings.thematic.expected"] = expected(ctx)
        if "meetings.attendance_rate" in wanted:
            computed["meetings.attendance_rate"] = attendance_rate(attendance(ctx))
        counters = {
            "meetings.regular.held": count_regular_held,
            "meetings.thematic.held": count_thematic_held,
        }
        for statistic_id in wanted & LISTS.keys():
            counter = counters.get(statistic_id)
            records, _related, _columns = LISTS[statistic_id]
            computed[statistic_id] = counter(ctx) if counter is not None else records(ctx).count()
        return computed

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id in CELL_LISTS:
            return CELL_LISTS[statistic_id](ctx)
        if statistic_id not in LISTS:
            return None
        records, related, columns = LISTS[statistic_id]
        return Records(records(ctx).select_related(*related).order_by(*ORDER[statistic_id]), columns)
