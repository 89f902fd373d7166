"""What the parts of the cell-life demo share: its months, the two cells with full minutes, the
cells with their members as drafted in memory, and the drafts of meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from lantoa.cells.models import AgendaItem, AttendanceStatus, Meeting, MeetingStatus, StudyMaterial
from lantoa.cells.queries.figures import month_end
from lantoa.org.models import CELL_KINDS, ActivityExemption, Membership, Position, PositionTitle, Unit

from ..base import REFERENCE_DATE, DemoContext, day_between
from . import texts

D = dt.date
FAR = D(9999, 12, 31)

START = D(2021, 5, 1)
END = D(2025, 6, 1)  # the district's last month
PLANNED = D(2025, 7, 1)  # the next regular meeting of every cell still open, not yet held
LHPN = "chi-bo-hoi-lhpn"
PHUOC_THANH = "chi-bo-ap-phuoc-thanh-an-khanh"
FULL_MINUTES = (LHPN, PHUOC_THANH)
ELSEWHERE_MEMBERS = 30


def current_month() -> dt.date:
    """The month the demo is loaded in, never before 07/2025. The recent part (the two cells
    that keep meeting, the province's bulletin) runs from 07/2025 to this month, whose meeting
    waits to be held and whose issue collects articles; nothing after today is recorded as done."""
    return max(timezone.localdate().replace(day=1), PLANNED)


@dataclass(eq=False)
class Roll:
    """A member's time in a cell, with what decides their attendance."""

    member_id: int
    person_id: int
    name: str
    full_from: dt.date | None
    start: dt.date
    end: dt.date
    absence: float
    exempt: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    elsewhere: tuple[dt.date, dt.date, str] | None = None

    def on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def exempt_on(self, day: dt.date) -> str | None:
        return next((reason for start, end, reason in self.exempt if start <= day <= end), None)

    def elsewhere_on(self, day: dt.date) -> str | None:
        if self.elsewhere and self.elsewhere[0] <= day <= self.elsewhere[1]:
            return self.elsewhere[2]
        return None

    def is_full_on(self, day: dt.date) -> bool:
        return self.full_from is not None and self.full_from <= day


@dataclass(eq=False)
class Cell:
    unit: Unit
    members: list[Roll]
    posts: list[tuple[str, dt.date, dt.date, int]]  # title, from, to, person
    hamlet: bool
    starts_at: dt.time
    usual_day: int
    story_offset: int
    clerk_order: list[Roll] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.unit.key

    def roll(self, day: dt.date) -> list[Roll]:
        return [m for m in self.members if m.on(day)]

    def holder(self, titles: tuple[str, ...], day: dt.date) -> int | None:
        for wanted in titles:
            for title, start, end, person in self.posts:
                if title == wanted and start <= day <= end:
                    return person
        return None

    @property
    def place(self) -> str:
        rest = self.unit.name.removeprefix("Chi bộ ")
        return f"Nhà văn hóa {rest}" if self.hamlet else f"Phòng họp {rest}"


@dataclass(eq=False)
class ItemDraft:
    item: AgendaItem
    story: int | None = None  # index in texts.STORIES of the story told
    opinions: list[tuple[int, str]] = field(default_factory=list)
    materials: list[StudyMaterial] = field(default_factory=list)


@dataclass(eq=False)
class MeetingDraft:
    cell: Cell
    meeting: Meeting
    items: list[ItemDraft]
    attendance: list[tuple[Roll, str, str]]  # member, status, reason
    authors: list[Roll] = field(default_factory=list)  # bulletin articles assigned at the meeting
    issue_number: int | None = None

    @property
    def held(self) -> bool:
        return self.meeting.status != MeetingStatus.PLANNED

    def present(self) -> list[Roll]:
        return [roll for roll, status, _reason in self.attendance if status == AttendanceStatus.PRESENT]

    def eligible(self) -> list[Roll]:
        """Members who could be given work: on the roll, neither exempt nor elsewhere."""
        away = (AttendanceStatus.EXEMPT, AttendanceStatus.ELSEWHERE)
        return [roll for roll, status, _reason in self.attendance if status not in away]


def load_cells(ctx: DemoContext) -> list[Cell]:
    """Every cell with its members over time, exemptions and officers, in four queries."""
    rng = ctx.rng("cells:cells")
    units = list(Unit.objects.filter(kind__in=CELL_KINDS).order_by("key"))
    exemptions: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
    for member_id, start, end, reason in ActivityExemption.objects.order_by(
        "member_id", "valid_from"
    ).values_list("member_id", "valid_from", "valid_to", "reason"):
        exemptions.setdefault(member_id, []).append((start, end or FAR, reason or "Tuổi cao, sức yếu"))
    rolls: dict[int, list[Roll]] = {}
    rows = (
        Membership.objects.filter(unit__in=units)
        .order_by("unit_id", "valid_from", "member_id")
        .values_list(
            "unit_id",
            "member_id",
            "member__person_id",
            "member__person__full_name",
            "member__person__birth_date",
            "member__full_member_on",
            "valid_from",
            "valid_to",
        )
    )
    for unit_id, member_id, person_id, name, birth, full_from, start, end in rows:
        age = (REFERENCE_DATE - birth).days // 365 if birth else 50
        absence = 0.045 + (0.04 if age >= 70 else 0) + (0.03 if age >= 80 else 0) + rng.uniform(0, 0.04)
        rolls.setdefault(unit_id, []).append(
            Roll(
                member_id,
                person_id,
                name,
                full_from,
                start,
                end or FAR,
                absence,
                exemptions.get(member_id, []),
            )
        )
    posts: dict[int, list[tuple[str, dt.date, dt.date, int]]] = {}
    titles = (PositionTitle.SECRETARY, PositionTitle.DEPUTY, PositionTitle.COMMITTEE_MEMBER)
    for unit_id, title, start, end, person_id in (
        Position.objects.filter(unit__in=units, title__in=titles)
        .order_by("unit_id", "valid_from", "id")
        .values_list("unit_id", "title", "valid_from", "valid_to", "person_id")
    ):
        posts.setdefault(unit_id, []).append((title, start, end or FAR, person_id))
    cells = []
    for unit in units:
        hamlet = unit.name.startswith(("Chi bộ ấp ", "Chi bộ khu phố "))
        evening = hamlet and rng.random() < 0.8
        members = rolls.get(unit.pk, [])
        cell = Cell(
            unit=unit,
            members=members,
            posts=posts.get(unit.pk, []),
            hamlet=hamlet,
            starts_at=dt.time(19, 30) if evening else dt.time(14, 0),
            usual_day=rng.randint(3, 10),
            story_offset=rng.randrange(len(texts.STORIES)),
        )
        cell.clerk_order = rng.sample(members, len(members))
        cells.append(cell)
    _place_elsewhere(ctx, cells)
    return cells


def _place_elsewhere(ctx: DemoContext, cells: list[Cell]) -> None:
    """A few members sinh hoạt tạm thời elsewhere for some months (study, work away)."""
    rng = ctx.rng("cells:elsewhere")
    officers = {person for cell in cells for _t, _s, _e, person in cell.posts}
    candidates = [
        roll
        for cell in cells
        for roll in cell.members
        if roll.full_from
        and not roll.exempt
        and roll.person_id not in officers
        and roll.start < D(2021, 1, 1)
    ]
    for roll in rng.sample(candidates, min(ELSEWHERE_MEMBERS, len(candidates))):
        start = day_between(rng, D(2021, 7, 1), D(2024, 10, 31)).replace(day=1)
        end = month_end(start + dt.timedelta(days=31 * rng.randint(3, 8)))
        roll.elsewhere = (start, min(end, roll.end), rng.choice(texts.ELSEWHERE_REASONS))
