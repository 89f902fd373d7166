"""Drafting every cell's meetings month by month (agenda, attendance), and writing them."""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo

from django.conf import settings

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Opinion,
)
from lantoa.cells.queries.figures import month_end, months_between, year_and_quarter
from lantoa.cells.services.meetings import initial_roster
from lantoa.lib.bulk import allocate_ids, insert_objects, insert_rows
from lantoa.lib.vi import format_month_in_text
from lantoa.org.models import PositionTitle, Unit

from ..base import AuditBuffer, DemoContext
from . import minutes as cell_minutes
from . import texts
from .common import (
    END,
    FAR,
    LHPN,
    PHUOC_THANH,
    PLANNED,
    START,
    Cell,
    ItemDraft,
    MeetingDraft,
    Roll,
    current_month,
)

D = dt.date

# Phước Thạnh after the reorganisation: (date, kind, start, minutes). The 75-minute meeting of
# 11/2025 is shorter than Hướng dẫn 42-HD/BTCTW allows from 28/10/2025: it shows the warning.
LATE_MEETINGS = (
    (D(2025, 11, 5), MeetingKind.REGULAR, dt.time(19, 30), 75),
    (D(2025, 11, 20), MeetingKind.THEMATIC, dt.time(19, 30), 120),
)
# The two cells with full minutes keep meeting after 06/2025 up to the month the demo is loaded,
# whose meeting is planned: a secretary trying the demo finds "this month's meeting" waiting.
KEEP_MEETING = (LHPN, PHUOC_THANH)
COMBINED_SHARE = 0.3
HELD_BACK_SHARE = 0.1  # of June 2025 meetings, minutes still waiting for the chair's approval
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _open_months(unit: Unit) -> list[dt.date]:
    last = unit.valid_to or FAR
    return [m for m in months_between(START, END) if unit.valid_from <= month_end(m) and m <= last]


def _meeting_day(cell: Cell, month: dt.date, rng_day: int) -> dt.date:
    day = month.replace(day=max(1, min(28, rng_day)))
    if not cell.hamlet:
        while day.weekday() >= 5:  # agencies meet on working days
            day += dt.timedelta(days=1)
    last = cell.unit.valid_to
    return min(day, last) if last else day


def _minutes(rng: random.Random, kind: str) -> int:
    """Mostly 90–150 minutes, some shorter (no minimum before 28/10/2025); combined ones longer."""
    if kind == MeetingKind.COMBINED:
        return 5 * round(rng.triangular(140, 200, 160) / 5)
    if rng.random() < 0.08:
        return 5 * round(rng.uniform(60, 85) / 5)
    return 5 * round(rng.triangular(90, 150, 110) / 5)


class Drafter:
    def __init__(self, ctx: DemoContext, cells: list[Cell], users: dict[int, int]) -> None:
        self.schedule = ctx.rng("cells:schedule")
        self.attendance_rng = ctx.rng("cells:attendance")
        self.agenda_rng = ctx.rng("cells:agenda")
        self.ids = ctx.rng("cells:public-ids")
        self.cells = cells
        self.users = users
        self.drafts: list[MeetingDraft] = []

    def public_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.ids.getrandbits(128), version=4)

    def draft_all(self) -> None:
        for cell in self.cells:
            months = _open_months(cell.unit)
            thematic: dict[tuple[int, int], tuple[dt.date, bool]] = {}
            by_quarter: dict[tuple[int, int], list[dt.date]] = {}
            for month in months:
                by_quarter.setdefault(year_and_quarter(month), []).append(month)
            for quarter, quarter_months in by_quarter.items():
                thematic[quarter] = (
                    self.schedule.choice(quarter_months[-2:]),
                    self.schedule.random() < COMBINED_SHARE,
                )
            for index, month in enumerate(months):
                chosen, combined = thematic[year_and_quarter(month)]
                day = _meeting_day(cell, month, cell.usual_day + self.schedule.randint(-1, 2))
                kind = MeetingKind.COMBINED if chosen == month and combined else MeetingKind.REGULAR
                self.draft(cell, month, kind, day, cell.starts_at, _minutes(self.schedule, kind), index)
                if chosen == month and not combined:
                    later = _meeting_day(cell, month, day.day + self.schedule.randint(8, 14))
                    length = _minutes(self.schedule, MeetingKind.THEMATIC)
                    self.draft(cell, month, MeetingKind.THEMATIC, later, cell.starts_at, length, index)
            if cell.key in KEEP_MEETING:
                self.draft_recent(cell, first_index=len(months))
            elif cell.unit.valid_to is None or cell.unit.valid_to >= PLANNED:
                day = _meeting_day(cell, PLANNED, cell.usual_day)
                self.draft(cell, PLANNED, MeetingKind.REGULAR, day, cell.starts_at, None, len(months))

    def draft_recent(self, cell: Cell, first_index: int) -> None:
        """Monthly meetings from 07/2025 to the current month (planned), a thematic one in each
        quarter's last month, and Phước Thạnh's fixed meetings of 11/2025 once that month is past."""
        this_month = current_month()
        fixed = {day.replace(day=1) for day, *_rest in LATE_MEETINGS} if cell.key == PHUOC_THANH else set()
        for offset, month in enumerate(months_between(PLANNED, this_month)):
            index = first_index + offset
            if month in fixed and month < this_month:
                for day, kind, starts_at, length in LATE_MEETINGS:
                    if day.replace(day=1) == month:
                        self.draft(cell, month, kind, day, starts_at, length, index)
                continue
            day = _meeting_day(cell, month, cell.usual_day)
            planned = month == this_month
            minutes = None if planned else 5 * round(self.schedule.triangular(95, 140, 110) / 5)
            self.draft(cell, month, MeetingKind.REGULAR, day, cell.starts_at, minutes, index)
            if month.month % 3 == 0 and not planned:
                later = _meeting_day(cell, month, day.day + 10)
                self.draft(cell, month, MeetingKind.THEMATIC, later, cell.starts_at, 120, index)

    def draft(
        self,
        cell: Cell,
        period: dt.date,
        kind: str,
        day: dt.date,
        starts_at: dt.time,
        minutes: int | None,
        index: int,
    ) -> None:
        roll = cell.roll(day)
        if not roll:
            return
        held = minutes is not None
        chair = cell.holder((PositionTitle.SECRETARY, PositionTitle.DEPUTY), day)
        usable = [m for m in roll if not m.exempt_on(day) and not m.elsewhere_on(day)]
        usable_people = {m.person_id for m in usable}
        if chair is None or chair not in usable_people:
            chair = next((m.person_id for m in usable if m.is_full_on(day)), usable[0].person_id)
        clerk = cell.holder((PositionTitle.DEPUTY, PositionTitle.COMMITTEE_MEMBER), day)
        if clerk is None or clerk == chair or clerk not in usable_people:
            clerk = next(
                (
                    m.person_id
                    for m in cell.clerk_order
                    if m.person_id in usable_people and m.person_id != chair
                ),
                None,
            )
        status = MeetingStatus.APPROVED
        if not held:
            status = MeetingStatus.PLANNED
        elif period == END and self.schedule.random() < HELD_BACK_SHARE:
            status = MeetingStatus.HELD
        ends_at = None
        if minutes is not None:
            ends_at = (dt.datetime.combine(day, starts_at) + dt.timedelta(minutes=minutes)).time()
        approved = status == MeetingStatus.APPROVED
        meeting = Meeting(
            public_id=self.public_id(),
            unit=cell.unit,
            kind=kind,
            period=period,
            date=day,
            starts_at=starts_at,
            ends_at=ends_at,
            place=cell.place,
            topic=cell_minutes.thematic_topic(period) if kind != MeetingKind.REGULAR else "",
            chair_id=chair,
            clerk_id=clerk,
            status=status,
            approved_by_id=self.users.get(chair) if approved else None,
            approved_at=dt.datetime.combine(day + dt.timedelta(days=2), dt.time(9, 0), tzinfo=TZ)
            if approved
            else None,
        )
        # A planned meeting's list is written after the meetings, by the scheduling service's
        # own roster (see ``_write_planned_rosters``).
        attendance = self._attendance(roll, day, {chair, clerk}) if held else []
        draft = MeetingDraft(cell, meeting, [], attendance)
        draft.items = self._agenda(draft, index, usable)
        self.drafts.append(draft)

    def _attendance(
        self, roll: list[Roll], day: dt.date, officers: set[int | None]
    ) -> list[tuple[Roll, str, str]]:
        rng = self.attendance_rng
        rows: list[tuple[Roll, str, str]] = []
        reasons = [r for r, _w in texts.ABSENCE_REASONS]
        weights = [w for _r, w in texts.ABSENCE_REASONS]
        for member in roll:
            exempt = member.exempt_on(day)
            elsewhere = member.elsewhere_on(day)
            if exempt is not None:
                rows.append((member, AttendanceStatus.EXEMPT, exempt))
            elif elsewhere is not None:
                rows.append((member, AttendanceStatus.ELSEWHERE, elsewhere))
            elif member.person_id in officers or rng.random() >= member.absence:
                rows.append((member, AttendanceStatus.PRESENT, ""))
            elif rng.random() < 0.85:
                rows.append((member, AttendanceStatus.EXCUSED, rng.choices(reasons, weights)[0]))
            else:
                rows.append((member, AttendanceStatus.UNEXCUSED, ""))
        return rows

    def _agenda(self, draft: MeetingDraft, index: int, usable: list[Roll]) -> list[ItemDraft]:
        rng = self.agenda_rng
        meeting, cell = draft.meeting, draft.cell
        people = (draft.present() if draft.held else usable) or usable

        def item(kind: str, title: str, presenter: int | None = None, story: int | None = None) -> ItemDraft:
            return ItemDraft(AgendaItem(kind=kind, title=title[:300], presenter_id=presenter), story=story)

        chair = meeting.chair_id
        if meeting.kind == MeetingKind.THEMATIC:
            presenter = chair if rng.random() < 0.6 else rng.choice(people).person_id
            items = [
                item(AgendaKind.THEMATIC, meeting.topic, presenter),
                item(AgendaKind.OTHER, "Thảo luận, đăng ký việc làm cụ thể thực hiện chuyên đề"),
            ]
        else:
            story = (cell.story_offset + index) % len(texts.STORIES)
            presenter = chair if rng.random() < 0.3 else rng.choice(people).person_id
            previous = (meeting.period - dt.timedelta(days=1)).replace(day=1)
            items = [
                item(AgendaKind.STUDY, f"Kể chuyện: {texts.STORIES[story][0]}", presenter, story),
                item(AgendaKind.CURRENT, "Thông tin thời sự; quán triệt văn bản mới của cấp trên"),
                item(AgendaKind.REVIEW, f"Kết quả thực hiện nhiệm vụ tháng {format_month_in_text(previous)}"),
            ]
            if meeting.kind == MeetingKind.COMBINED:
                items.append(item(AgendaKind.THEMATIC, f"Sinh hoạt chuyên đề: {meeting.topic}", chair))
            items.append(
                item(AgendaKind.TASKS, f"Phương hướng, nhiệm vụ tháng {format_month_in_text(meeting.period)}")
            )
            if cell.key == LHPN:
                items.append(item(AgendaKind.OTHER, cell_minutes.FUND_ITEM))
        for order, made in enumerate(items, start=1):
            made.item.order = order
        return items


def _write_attendance(drafts: list[MeetingDraft]) -> int:
    """Attendance is the one large table (≈220 000 rows), written from plain values through the
    import's bulk writer: bulk_create spent most of the step's time building and preparing a
    model instance per row."""
    rows = [
        {
            "meeting_id": draft.meeting.pk,
            "member_id": roll.member_id,
            "status": status,
            "reason": reason,
            "full_member": roll.is_full_on(draft.meeting.date),
        }
        for draft in drafts
        for roll, status, reason in draft.attendance
    ]
    for row, pk in zip(rows, allocate_ids(Attendance, len(rows)), strict=True):
        row["id"] = pk
    insert_rows(Attendance, rows)
    return len(rows)


def _write_planned_rosters(drafts: list[MeetingDraft]) -> int:
    """A planned meeting lists exactly whom ``schedule_meeting`` would list: the roster on its
    date from ``services.meetings.initial_roster`` (exempt members pre-marked exempt, everyone
    else present), so the secretary opening this month's meeting finds the cell's members.
    Two queries a planned meeting: about 190 of them, 4 000 rows, well under a second."""
    rows = [row for draft in drafts if not draft.held for row in initial_roster(draft.meeting)]
    insert_objects(Attendance, rows)
    return len(rows)


def write_meetings(drafts: list[MeetingDraft], audit: AuditBuffer) -> tuple[int, int, int]:
    meetings = [d.meeting for d in drafts]
    insert_objects(Meeting, meetings)
    items: list[AgendaItem] = []
    for draft in drafts:
        for made in draft.items:
            made.item.meeting_id = draft.meeting.pk
            items.append(made.item)
    insert_objects(AgendaItem, items)
    opinions, links = [], []
    through = AgendaItem.materials.through
    for draft in drafts:
        for made in draft.items:
            opinions += [
                Opinion(item_id=made.item.pk, person_id=person, text=text, order=n)
                for n, (person, text) in enumerate(made.opinions, start=1)
            ]
            links += [through(agendaitem_id=made.item.pk, studymaterial_id=m.pk) for m in made.materials]
    insert_objects(Opinion, opinions)
    insert_objects(through, links)
    attendance = _write_attendance(drafts) + _write_planned_rosters(drafts)
    # One CREATE entry per meeting: the agenda, attendance and minutes are part of the meeting's
    # record (written with it, approved with it), so they get no entries of their own.
    audit.created(((m, m.unit) for m in meetings), ("unit", "kind", "period", "date", "status"))
    return len(meetings), len(items), attendance
