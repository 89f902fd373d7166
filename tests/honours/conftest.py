"""A held meeting of Chi bộ ấp Phước Thạnh (March 2024) to vote at: two full members present (Minh,
Lan), one probationary present (Tư), one exempt (Già), one full member absent (Vắng); so the body
counts 3 full members and 2 vote."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.cells.models import AttendanceStatus, Meeting, MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.honours import services
from lantoa.honours.models import Nomination
from tests.cells.meetings.conftest import Cell, cell, plan  # noqa: F401 - the fixture
from tests.conftest import Tree
from tests.factories import member_in

D = dt.date


@pytest.fixture
def held(tree: Tree, cell: Cell) -> Meeting:  # noqa: F811 - the imported fixture
    absent = member_in(tree.phuoc_thanh, name="Huỳnh Văn Vắng")
    meeting = plan(tree, cell)
    meeting_services.sync_roster(actor=None, meeting=meeting)
    row = meeting.attendance.get(member=absent)
    meeting_services.set_attendance(actor=None, attendance=row, status=AttendanceStatus.UNEXCUSED)
    meeting_services.set_meeting_status(
        actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 5)
    )
    return meeting


def nominate(
    tree: Tree, *, person=None, name: str = "", achievements: str = "Giúp dân làm đường"
) -> Nomination:
    return services.nominate(
        actor=None,
        unit=tree.phuoc_thanh,
        subject_person=person,
        subject_name=name,
        achievements=achievements,
        period_kind="month",
        period_start=D(2024, 2, 1),
        period_end=D(2024, 2, 29),
        nominated_on=D(2024, 3, 1),
    )
