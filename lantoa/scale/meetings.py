"""Three years of cell life: a regular meeting a month and a thematic one a quarter, each with its
study (or thematic) agenda item and the attendance of every member of the cell.

This is where the size is: about nine million attendance rows for ten thousand cells (seven at
the regular meetings). So the cells are drafted and written a chunk at a time (memory stays
bounded), each chunk's tables with one COPY per batch (``lantoa.lib.bulk.insert_rows``; the
attendance as plain tuples numbered by the database, ``load.copy_values``), and every random draw
comes from streams of the cell itself: what a cell's meetings look like does not depend on the
chunk it falls in.

The shapes follow ``lantoa.cells.queries.figures``: about 5 % of the months a cell does not meet
(no meeting is recorded, so the month counts as expected and not held); the thematic meeting
falls in the quarter's last month; meetings are approved, except some of the last two months'
whose minutes are still in draft (held). Officers always attend; the others miss meetings at a
rate of their own, mostly with a reason. The December meeting of each year is where the cell
holds its bình xét (``honours``): what it needs of that meeting is kept in a ``Review``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from lantoa.demo.cells.texts import ABSENCE_REASONS, STORIES, THEMATIC_TOPICS
from lantoa.lib.bulk import Row

from .people import Member
from .plan import Scale, Writer, at, public_id
from .tree import Cell, Tree

HELD_SHARE = 0.95
DRAFT_SHARE = 0.2  # of the last two months' meetings: minutes not yet approved
DEFAULT_TOPIC = "Nâng cao chất lượng sinh hoạt chi bộ"
EXEMPT_REASON = "Miễn công tác và sinh hoạt đảng"
CHUNK_CELLS = 100
ATTENDANCE = ("meeting_id", "member_id", "status", "reason", "full_member")
REASONS = [reason for reason, _weight in ABSENCE_REASONS]
REASON_WEIGHTS = [float(weight) for _reason, weight in ABSENCE_REASONS]


@dataclass(slots=True, eq=False)
class Review:
    """A cell's approved December meeting: where it votes on its year's examples."""

    cell: Cell
    meeting_id: int
    date: dt.date
    voters: list[Member]  # full members present
    body_size: int  # full members, less the exempt


@dataclass
class Reviews:
    by_cell_year: dict[tuple[int, int], Review]

    def of(self, cell: Cell, year: int) -> Review | None:
        return self.by_cell_year.get((cell.index, year))


def _meeting_day(cell: Cell, month: dt.date, day: int) -> dt.date:
    day_of = month.replace(day=max(1, min(28, day)))
    if not cell.residential:
        # Agencies meet on working days: the Monday after, or late in the month the Friday before.
        step = dt.timedelta(days=-1 if day_of.day > 25 else 1)
        while day_of.weekday() >= 5:
            day_of += step
    return day_of


def _ends(day: dt.date, starts: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(day, starts) + dt.timedelta(minutes=minutes)).time()


class CellMeetings:
    """One cell's meetings over the window, drafted from the cell's own random streams."""

    def __init__(self, scale: Scale, cell: Cell) -> None:
        self.scale = scale
        self.cell = cell
        self.schedule = scale.rng(f"meetings:{cell.index}")
        self.presence = scale.rng(f"attendance:{cell.index}")
        self.agenda = scale.rng(f"agenda:{cell.index}")
        self.ids = scale.id_rng(f"meetings:{cell.index}")

    def draft(self) -> list[Row]:
        rng, cell = self.schedule, self.cell
        months = self.scale.months
        last_months = set(months[-2:])
        rows = []
        for month in months:
            plans = [
                (
                    MeetingKind.REGULAR,
                    cell.usual_day + rng.randint(-1, 2),
                    5 * round(rng.triangular(90, 150, 110) / 5),
                )
            ]
            if month.month % 3 == 0:
                plans.append(
                    (
                        MeetingKind.THEMATIC,
                        cell.usual_day + rng.randint(9, 14),
                        5 * round(rng.triangular(100, 180, 120) / 5),
                    )
                )
            for kind, day_number, minutes in plans:
                if rng.random() >= HELD_SHARE:
                    continue
                day = _meeting_day(cell, month, day_number)
                draft = month in last_months and rng.random() < DRAFT_SHARE
                topic = ""
                if kind == MeetingKind.THEMATIC:
                    topic = THEMATIC_TOPICS.get((month.year, (month.month - 1) // 3 + 1), DEFAULT_TOPIC)
                rows.append(
                    {
                        "public_id": public_id(self.ids),
                        "unit_id": cell.id,
                        "kind": kind,
                        "period": month,
                        "date": day,
                        "starts_at": cell.starts_at,
                        "ends_at": _ends(day, cell.starts_at, minutes),
                        "place": cell.place,
                        "topic": topic,
                        "chair_id": cell.secretary.person_id if cell.secretary else None,
                        "clerk_id": cell.deputy.person_id if cell.deputy else None,
                        "upper_member_id": None,
                        "guests": "",
                        "resolution": "",
                        "status": MeetingStatus.HELD if draft else MeetingStatus.APPROVED,
                        "approved_by_id": None,
                        "approved_at": None if draft else at(day + dt.timedelta(days=2), 9),
                    }
                )
        return rows

    def attend(self, meeting: Row, rows: list[tuple[int, int, str, str, bool]]) -> list[Member]:
        """Append the meeting's attendance to ``rows`` (``ATTENDANCE`` columns); returns who was
        present."""
        rng, random_ = self.presence, self.presence.random
        day: dt.date = meeting["date"]
        meeting_id: int = meeting["id"]
        present = []
        append = rows.append
        for member in self.cell.members:
            if member.exempt:
                status, reason = AttendanceStatus.EXEMPT, EXEMPT_REASON
            elif member.officer or random_() >= member.absence:
                status, reason = AttendanceStatus.PRESENT, ""
                present.append(member)
            elif random_() < 0.85:
                status, reason = AttendanceStatus.EXCUSED, rng.choices(REASONS, REASON_WEIGHTS)[0]
            else:
                status, reason = AttendanceStatus.UNEXCUSED, ""
            append((meeting_id, member.id, status, reason, member.full_on <= day))
        return present

    def item(self, meeting: Row, present: list[Member], index: int) -> Row:
        rng, chair = self.agenda, meeting["chair_id"]
        people = [m.person_id for m in present] or [chair]
        if meeting["kind"] == MeetingKind.THEMATIC:
            return {
                "meeting_id": meeting["id"],
                "order": 1,
                "kind": AgendaKind.THEMATIC,
                "title": meeting["topic"],
                "presenter_id": chair if rng.random() < 0.6 else rng.choice(people),
            }
        story = STORIES[(self.cell.index + index) % len(STORIES)][0]
        return {
            "meeting_id": meeting["id"],
            "order": 1,
            "kind": AgendaKind.STUDY,
            "title": f"Kể chuyện: {story}",
            "presenter_id": chair if rng.random() < 0.3 else rng.choice(people),
        }


def write(
    writer: Writer, tree: Tree, scale: Scale, progress: Callable[[int, int], None] | None = None
) -> Reviews:
    reviews: dict[tuple[int, int], Review] = {}
    years = set(scale.rating_years)
    item_defaults = {
        "content": "",
        "conclusion": "",
        "votes_for": None,
        "votes_against": None,
        "votes_total": None,
    }
    for start in range(0, len(tree.cells), CHUNK_CELLS):
        chunk = [CellMeetings(scale, cell) for cell in tree.cells[start : start + CHUNK_CELLS]]
        drafted = [(cell, cell.draft()) for cell in chunk]
        meetings = [row for _cell, rows in drafted for row in rows]
        writer.add(Meeting, meetings)
        attendance: list[tuple[int, int, str, str, bool]] = []
        items: list[Row] = []
        for cell, rows in drafted:
            for index, meeting in enumerate(rows):
                present = cell.attend(meeting, attendance)
                items.append(cell.item(meeting, present, index))
                day: dt.date = meeting["date"]
                if (
                    day.month == 12
                    and day.year in years
                    and meeting["kind"] == MeetingKind.REGULAR
                    and meeting["status"] == MeetingStatus.APPROVED
                ):
                    voters = [m for m in present if m.full_on <= day]
                    body = sum(1 for m in cell.cell.members if m.full_on <= day and not m.exempt)
                    reviews[cell.cell.index, day.year] = Review(cell.cell, meeting["id"], day, voters, body)
        writer.copy(Attendance, ATTENDANCE, attendance)
        writer.add(AgendaItem, items, constants=item_defaults)
        del attendance, items, meetings, drafted
        if progress is not None:
            progress(min(start + CHUNK_CELLS, len(tree.cells)), len(tree.cells))
    return Reviews(reviews)
