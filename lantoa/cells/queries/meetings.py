"""Reading meetings: who is listed at a meeting, attendance totals, a unit's meetings in a month,
what the minutes print, and the cells under a committee that have not met.

Every function here runs a fixed number of queries whatever the number of members or cells:
the roster is one query for the memberships and one for the exemptions; the "cells without a
meeting" report is one walk of the dated tree, one query for the units and one for the meetings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from lantoa.lib.lookups import Many
from lantoa.org.models import (
    CELL_KINDS,
    COUNCIL_TITLES,
    ActivityExemption,
    PartyMember,
    Person,
    Position,
    Unit,
)
from lantoa.org.queries import memberships_on, parent_on, valid_on, walk_down, walk_up

from ..models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingDurationRule,
    MeetingKind,
    MeetingStatus,
    Opinion,
)
from ..rules import duration_warning

# What "held" means is the figures' (the pages, the dashboard and the reports count alike).
from .figures import HELD_STATUSES, REGULAR_KINDS, THEMATIC_KINDS, month_end

# ---------------------------------------------------------------------------------------------
# Months and quarters
# ---------------------------------------------------------------------------------------------

_MONTH_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")
_MONTH_VN = re.compile(r"^(?P<m>\d{1,2})[/.\-](?P<y>\d{4})$")


def parse_month(text: str | None) -> dt.date | None:
    """ "2024-03" or "03/2024" → 1/3/2024; anything else (or a year outside 2000–2100) → None."""
    value = (text or "").strip()
    match = _MONTH_ISO.match(value) or _MONTH_VN.match(value)
    if not match:
        return None
    year, month = int(match["y"]), int(match["m"])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_of(month: dt.date) -> tuple[dt.date, dt.date]:
    """First days of the first and the last month of the quarter holding ``month``."""
    first = dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return first, add_months(first, 2)


def quarter_number(month: dt.date) -> int:
    return (month.month - 1) // 3 + 1


# ---------------------------------------------------------------------------------------------
# Roster and attendance
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    """One member to be listed at a meeting, as the records stood on its date."""

    member: PartyMember
    full_member: bool
    exempt: bool
    exempt_reason: str = ""


def roster_for(unit: Unit, on: dt.date, kind: str = "") -> list[RosterEntry]:
    """Who is listed at a meeting of ``unit`` on ``on``: a cell's members that day (the dated
    memberships); for a committee, the party members holding a post in it that day (its council's
    posts for a council session, the others for its own meetings). A member with an activity
    exemption covering the day is marked exempt. Two queries, by name."""
    members: list[PartyMember]
    if unit.is_cell:
        members = [membership.member for membership in memberships_on([unit.pk], on)]
    else:
        held = Position.objects.filter(valid_on(on), unit=unit)
        posts = (
            held.filter(title__in=COUNCIL_TITLES)
            if kind == MeetingKind.COUNCIL
            else held.exclude(title__in=COUNCIL_TITLES)
        ).values("person_id")
        members = list(
            PartyMember.objects.filter(person_id__in=posts)
            .select_related("person")
            .order_by("person__search_text", "pk")
        )
    seen: set[int] = set()
    unique = []
    for member in members:
        # A member who left the Party before the day no longer attends, whatever the membership says.
        if member.pk in seen or (member.left_on is not None and member.left_on < on):
            continue
        seen.add(member.pk)
        unique.append(member)
    exemptions = {
        exemption.member_id: exemption.reason
        for exemption in ActivityExemption.objects.filter(valid_on(on), member_id__in=seen)
    }
    return [
        RosterEntry(
            member=member,
            full_member=member.is_full_member_on(on),
            exempt=member.pk in exemptions,
            exempt_reason=exemptions.get(member.pk, ""),
        )
        for member in unique
    ]


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance list with each member's name, by name. One query."""
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member__person")
        .order_by("member__person__search_text", "member__person__full_name", "pk")
    )


@dataclass
class Tally:
    """A count split by full and probationary members."""

    full: int = 0
    probationary: int = 0

    @property
    def total(self) -> int:
        return self.full + self.probationary

    def add(self, full_member: bool) -> None:
        if full_member:
            self.full += 1
        else:
            self.probationary += 1


STATUS_ORDER = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.UNEXCUSED,
    AttendanceStatus.EXEMPT,
    AttendanceStatus.ELSEWHERE,
]


@dataclass
class AttendanceTotals:
    """Totals of a meeting's attendance: every status × full/probationary, and who is in each
    status other than present (the minutes name the absent)."""

    members: Tally = field(default_factory=Tally)
    by_status: dict[str, Tally] = field(default_factory=lambda: {s.value: Tally() for s in STATUS_ORDER})
    named: dict[str, list[Attendance]] = field(default_factory=lambda: {s.value: [] for s in STATUS_ORDER})

    @property
    def present(self) -> Tally:
        return self.by_status[AttendanceStatus.PRESENT]

    @property
    def excused(self) -> Tally:
        return self.by_status[AttendanceStatus.EXCUSED]

    @property
    def unexcused(self) -> Tally:
        return self.by_status[AttendanceStatus.UNEXCUSED]

    @property
    def exempt(self) -> Tally:
        return self.by_status[AttendanceStatus.EXEMPT]

    @property
    def elsewhere(self) -> Tally:
        return self.by_status[AttendanceStatus.ELSEWHERE]

    def rows(self) -> list[tuple[str, str, Tally]]:
        """(status, label, tally) in the order the pages show them."""
        return [(s.value, str(s.label), self.by_status[s.value]) for s in STATUS_ORDER]


def attendance_totals(rows: Iterable[Attendance]) -> AttendanceTotals:
    """Totals from attendance rows already loaded (no query)."""
    totals = AttendanceTotals()
    for row in rows:
        totals.members.add(row.full_member)
        totals.by_status[row.status].add(row.full_member)
        if row.status != AttendanceStatus.PRESENT:
            totals.named[row.status].append(row)
    return totals


def voters_present(meeting: Meeting) -> int:
    """Full members marked present: those who may vote. Điều lệ Đảng, Điều 5: a probationary
    member has every right of a member except to vote, to stand and to be elected."""
    return Attendance.objects.filter(
        meeting=meeting, status=AttendanceStatus.PRESENT, full_member=True
    ).count()


# ---------------------------------------------------------------------------------------------
# Duration rules, loaded once per page
# ---------------------------------------------------------------------------------------------


def duration_rules() -> list[MeetingDurationRule]:
    """Every duration rule, newest first (a handful of rows: one query for a whole page)."""
    return list(MeetingDurationRule.objects.order_by("-valid_from"))


def rule_from(rules: Sequence[MeetingDurationRule], day: dt.date) -> MeetingDurationRule | None:
    """The rule in force on ``day`` out of ``rules`` (newest first), without a query."""
    return next((rule for rule in rules if rule.valid_from <= day), None)


def warning_for(meeting: Meeting, rules: Sequence[MeetingDurationRule]) -> str | None:
    """The duration warning of a meeting that has been held (a planned one has not lasted yet)."""
    if meeting.status == MeetingStatus.PLANNED:
        return None
    rule = rule_from(rules, meeting.date)
    return duration_warning(meeting, rule) if rule is not None else None


# ---------------------------------------------------------------------------------------------
# A unit's meetings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    warning: str | None


def meetings_in_month(unit: Unit, month: dt.date, rules: Sequence[MeetingDurationRule]) -> list[MeetingRow]:
    """The unit's meetings counted for ``month``, by date, each with its duration warning."""
    meetings = Meeting.objects.filter(unit=unit, period=month).select_related("chair").order_by("date", "pk")
    return [MeetingRow(meeting, warning_for(meeting, rules)) for meeting in meetings]


def planned_meetings(unit: Unit, today: dt.date) -> list[Meeting]:
    """Meetings scheduled from today on that have not been held yet, soonest first."""
    return list(
        Meeting.objects.filter(unit=unit, status=MeetingStatus.PLANNED, date__gte=today).order_by(
            "date", "pk"
        )
    )


@dataclass(frozen=True)
class MonthState:
    """Whether a unit has held its regular meeting for a month and a thematic one in its quarter."""

    regular: str  # HELD, PLANNED or NONE
    thematic: str


class Held:
    HELD = "held"
    PLANNED = "planned"
    NONE = "none"


def _state(rows: Iterable[tuple[dt.date, str, str]], months: Iterable[dt.date], kinds: Sequence[str]) -> str:
    wanted = set(months)
    found = {status for period, kind, status in rows if period in wanted and kind in kinds}
    if found & set(HELD_STATUSES):
        return Held.HELD
    return Held.PLANNED if found else Held.NONE


def month_state(unit: Unit, month: dt.date) -> MonthState:
    """One query: the unit's meetings in the quarter of ``month``."""
    first, last = quarter_of(month)
    rows = list(
        Meeting.objects.filter(unit=unit, period__gte=first, period__lte=last).values_list(
            "period", "kind", "status"
        )
    )
    quarter = [first, add_months(first, 1), last]
    return MonthState(_state(rows, [month], REGULAR_KINDS), _state(rows, quarter, THEMATIC_KINDS))


# ---------------------------------------------------------------------------------------------
# Cells under a committee without a meeting
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellState:
    unit: Unit
    parent: Unit | None
    regular: str
    thematic: str


@dataclass
class MissingReport:
    """The cells under ``committee`` as the tree stood on ``on`` (the month's last day, or the
    committee's last day if it closed during the month), each with its meeting state."""

    committee: Unit
    month: dt.date
    quarter: tuple[dt.date, dt.date]
    on: dt.date | None
    cells: list[CellState]

    @property
    def without_regular(self) -> list[CellState]:
        return [cell for cell in self.cells if cell.regular != Held.HELD]

    @property
    def without_thematic(self) -> list[CellState]:
        return [cell for cell in self.cells if cell.thematic != Held.HELD]

    @property
    def quarter_number(self) -> int:
        return quarter_number(self.month)

    @property
    def existed(self) -> bool:
        """Whether the committee existed at all in the month (a closed district has no cells in
        a later month, and that is not "every cell has met")."""
        return self.on is not None

    @property
    def ended_before(self) -> bool:
        """The committee had closed before the month began."""
        closed = self.committee.valid_to
        return closed is not None and closed < self.month

    @property
    def nearest_month(self) -> dt.date | None:
        """For a month the committee did not exist in: its last month (if it had closed) or its
        first (if it had not been founded yet), the nearest month worth showing instead."""
        if self.existed:
            return None
        if self.ended_before:
            assert self.committee.valid_to is not None
            return self.committee.valid_to.replace(day=1)
        return self.committee.valid_from.replace(day=1)


def _report_day(committee: Unit, month: dt.date) -> dt.date | None:
    """The day the committee's cells are taken for ``month``: its last day, or the committee's
    last day if it closed during the month; None if it did not exist in the month."""
    on = month_end(month)
    if committee.valid_to is not None and committee.valid_to < on:
        on = committee.valid_to
    if on < month or not committee.is_open_on(on):
        return None
    return on


@dataclass(frozen=True)
class CellsRollUp:
    total: int
    regular: int  # held their regular meeting for the month
    thematic: int  # held a thematic meeting in the quarter


def cells_roll_up(committee: Unit, month: dt.date) -> CellsRollUp:
    """How many of the cells under ``committee`` (as in ``cells_without_meetings``) held their
    meetings of ``month`` and its quarter, counted by the database: three queries, nothing per
    cell (a province's ten thousand cells are not loaded to be counted)."""
    on = _report_day(committee, month)
    if on is None:
        return CellsRollUp(0, 0, 0)
    first, last = quarter_of(month)
    ids = {row.unit_id for row in walk_down([(committee.pk, on, on)])} - {committee.pk}
    cells = list(
        Unit.objects.filter(pk__any_of=Many(sorted(ids)), kind__in=CELL_KINDS, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .values_list("pk", flat=True)
    )
    held = Meeting.objects.filter(unit_id__any_of=Many(cells), status__in=HELD_STATUSES)
    counts = held.aggregate(
        regular=Count("unit_id", distinct=True, filter=Q(period=month, kind__in=REGULAR_KINDS)),
        thematic=Count(
            "unit_id", distinct=True, filter=Q(period__range=(first, last), kind__in=THEMATIC_KINDS)
        ),
    )
    return CellsRollUp(len(cells), counts["regular"], counts["thematic"])


def cells_without_meetings(committee: Unit, month: dt.date) -> MissingReport:
    """Cells under ``committee`` with no regular meeting held for ``month`` and no thematic
    meeting held in its quarter. Three queries: the walk, the units, the meetings."""
    first, last = quarter_of(month)
    on = _report_day(committee, month)
    if on is None:
        return MissingReport(committee, month, (first, last), None, [])
    rows = walk_down([(committee.pk, on, on)])
    parent_of: dict[int, int | None] = {}
    for row in rows:
        parent_of.setdefault(row.unit_id, row.parent_id)
    # What the list shows and sorts by: a province loads ten thousand of them.
    shown = ("key", "name", "search_text", "kind", "valid_from", "valid_to")
    units = {unit.pk: unit for unit in Unit.objects.only(*shown).filter(pk__any_of=Many(sorted(parent_of)))}
    cell_ids = [
        pk for pk, unit in units.items() if pk != committee.pk and unit.is_cell and unit.is_open_on(on)
    ]
    by_cell: dict[int, list[tuple[dt.date, str, str]]] = {pk: [] for pk in cell_ids}
    meetings = (
        Meeting.objects.filter(unit_id__any_of=Many(cell_ids), period__gte=first, period__lte=last)
        .values_list("unit_id", "period", "kind", "status")
        .order_by()  # the model's ordering would join the DISTINCT and sort every meeting
        .distinct()
    )
    for unit_id, period, kind, status in meetings:
        by_cell[unit_id].append((period, kind, status))
    quarter = [first, add_months(first, 1), last]
    cells = []
    for pk in cell_ids:
        parent_id = parent_of.get(pk)
        cells.append(
            CellState(
                unit=units[pk],
                parent=units.get(parent_id) if parent_id is not None else None,
                regular=_state(by_cell[pk], [month], REGULAR_KINDS),
                thematic=_state(by_cell[pk], quarter, THEMATIC_KINDS),
            )
        )

    def by_name(cell: CellState) -> tuple[str, str, str, str]:
        parent = cell.parent
        return (
            parent.search_text if parent else "",
            parent.name if parent else "",
            cell.unit.search_text,
            cell.unit.name,
        )

    return MissingReport(committee, month, (first, last), on, sorted(cells, key=by_name))


# ---------------------------------------------------------------------------------------------
# People to choose from, and what the minutes print
# ---------------------------------------------------------------------------------------------


def people_of_unit(unit: Unit, on: dt.date) -> list[Person]:
    """Members of the unit on ``on`` and people holding a post in it: who may chair, take the
    minutes, present an item or speak. Two queries."""
    people: dict[int, Person] = {}
    if unit.is_cell:
        for membership in memberships_on([unit.pk], on):
            people.setdefault(membership.member.person_id, membership.member.person)
    for position in Position.objects.filter(valid_on(on), unit=unit).select_related("person"):
        people.setdefault(position.person_id, position.person)
    return sorted(people.values(), key=lambda p: (p.search_text, p.full_name, p.pk))


def upper_committee_people(unit: Unit, on: dt.date) -> list[Person]:
    """People holding a post on ``on`` in a committee ``unit`` sat under that day: the upper
    committee member who follows the cell is one of them. Two queries."""
    ancestor_ids = {
        row.unit_id for row in walk_up(unit) if row.depth > 0 and row.window_from <= on <= row.window_to
    }
    positions = Position.objects.filter(valid_on(on), unit_id__in=ancestor_ids).select_related("person")
    people = {position.person_id: position.person for position in positions}
    return sorted(people.values(), key=lambda p: (p.search_text, p.full_name, p.pk))


@dataclass
class MinutesData:
    """Everything the minutes and the attendance sheet print, loaded in a fixed number of queries."""

    meeting: Meeting
    unit: Unit
    parent: Unit | None
    items: list[AgendaItem]
    rows: list[Attendance]
    totals: AttendanceTotals
    chair: Person | None
    clerk: Person | None
    upper_member: Person | None
    posts: dict[int, list[Position]]  # person id → posts held on the meeting's date


@dataclass(frozen=True)
class ItemGap:
    """An agenda item whose minutes are still missing a part."""

    item: AgendaItem
    no_content: bool
    no_conclusion: bool


@dataclass(frozen=True)
class MinutesGaps:
    """What is still empty in a meeting's minutes: shown to the chair before approving (a warning,
    not a refusal: the chair decides whether the minutes are complete)."""

    items: list[ItemGap]
    no_resolution: bool

    def __bool__(self) -> bool:
        return bool(self.items) or self.no_resolution


def minutes_gaps(meeting: Meeting, items: Sequence[AgendaItem]) -> MinutesGaps:
    """Items without content or without the chair's conclusion, and a missing resolution. No
    query: ``items`` are the meeting's agenda, already loaded."""
    gaps = [
        ItemGap(item, not item.content.strip(), not item.conclusion.strip())
        for item in items
        if not item.content.strip() or not item.conclusion.strip()
    ]
    return MinutesGaps(gaps, not meeting.resolution.strip())


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order, with presenters and opinions by name. Two queries."""
    opinions = Opinion.objects.select_related("person").order_by("order", "pk")
    return list(
        meeting.items.select_related("presenter")
        .prefetch_related(Prefetch("opinions", queryset=opinions))
        .order_by("order")
    )


def minutes_data(meeting: Meeting) -> MinutesData:
    meeting = Meeting.objects.select_related("unit", "chair", "clerk", "upper_member").get(pk=meeting.pk)
    rows = attendance_rows(meeting)
    person_ids = {pk for pk in (meeting.chair_id, meeting.clerk_id, meeting.upper_member_id) if pk}
    posts: dict[int, list[Position]] = {}
    for position in (
        Position.objects.filter(valid_on(meeting.date), person_id__in=person_ids)
        .select_related("unit")
        .order_by("valid_from", "pk")
    ):
        posts.setdefault(position.person_id, []).append(position)
    return MinutesData(
        meeting=meeting,
        unit=meeting.unit,
        parent=parent_on(meeting.unit, meeting.date),
        items=agenda_items(meeting),
        rows=rows,
        totals=attendance_totals(rows),
        chair=meeting.chair,
        clerk=meeting.clerk,
        upper_member=meeting.upper_member,
        posts=posts,
    )


# ---------------------------------------------------------------------------------------------
# A year of meetings: every month of every cell under a unit
# ---------------------------------------------------------------------------------------------

# A month the cell was not under the unit (founded later, moved, merged away), or still to come.
OUTSIDE = "outside"
FUTURE = "future"


@dataclass(frozen=True)
class YearRow:
    unit: Unit
    parent: Unit | None
    months: list[str]  # twelve regular-meeting states: Held.*, OUTSIDE or FUTURE
    quarters: list[str]  # four thematic-meeting states


@dataclass(frozen=True)
class MeetingYear:
    unit: Unit
    year: int
    own: YearRow | None  # a committee's own meetings; None for a cell (its row is in ``cells``)
    cells: list[YearRow]

    @property
    def months(self) -> list[dt.date]:
        return [dt.date(self.year, number, 1) for number in range(1, 13)]


def meeting_year(unit: Unit, year: int, today: dt.date) -> MeetingYear:
    """Each cell under ``unit`` during ``year`` (the unit itself if it is a cell), month by month:
    its regular meeting held, planned or none, and its thematic meeting in each quarter; months
    the cell was not under the unit are OUTSIDE, months to come FUTURE. Three queries (the walk,
    the units, the meetings), whatever the number of cells."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    windows: dict[int, list[tuple[dt.date, dt.date]]] = {}
    parent_of: dict[int, int | None] = {}
    for row in walk_down([(unit.pk, first, last)]):
        windows.setdefault(row.unit_id, []).append((row.window_from, row.window_to))
        parent_of.setdefault(row.unit_id, row.parent_id)
    units = Unit.objects.in_bulk(list(windows) or [unit.pk])
    units.setdefault(unit.pk, unit)
    cell_ids = [unit.pk] if unit.is_cell else [pk for pk, u in units.items() if pk != unit.pk and u.is_cell]
    by_unit: dict[int, list[tuple[dt.date, str, str]]] = {pk: [] for pk in [*cell_ids, unit.pk]}
    meetings = Meeting.objects.filter(
        unit_id__in=by_unit, period__gte=first, period__lte=dt.date(year, 12, 1)
    ).values_list("unit_id", "period", "kind", "status")
    for unit_id, period, kind, status in meetings:
        by_unit[unit_id].append((period, kind, status))
    this_month = today.replace(day=1)
    months = [dt.date(year, number, 1) for number in range(1, 13)]

    def row_of(pk: int) -> YearRow:
        spans = windows.get(pk) or [(first, last)]

        def under(month: dt.date) -> bool:
            return any(start <= month_end(month) and end >= month for start, end in spans)

        def state(period: list[dt.date], kinds: Sequence[str]) -> str:
            if period[0] > this_month:
                return FUTURE
            if not any(under(month) for month in period):
                return OUTSIDE
            return _state(by_unit[pk], period, kinds)

        parent_id = parent_of.get(pk)
        return YearRow(
            unit=units[pk],
            parent=units.get(parent_id) if parent_id is not None and pk != unit.pk else None,
            months=[state([month], REGULAR_KINDS) for month in months],
            quarters=[state(months[q * 3 : q * 3 + 3], THEMATIC_KINDS) for q in range(4)],
        )

    def by_name(row: YearRow) -> tuple[str, str, str, str]:
        parent = row.parent
        return (
            parent.search_text if parent else "",
            parent.name if parent else "",
            row.unit.search_text,
            row.unit.name,
        )

    cells = sorted((row_of(pk) for pk in cell_ids), key=by_name)
    return MeetingYear(unit, year, None if unit.is_cell else row_of(unit.pk), cells)
