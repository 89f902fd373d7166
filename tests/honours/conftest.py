"""A held meeting of Chi bộ ấp Phước Thạnh (March 2024) to vote at: two full members present (Minh,
Lan), one probationary present (Tư), one exempt (Già), one full member absent (Vắng); so the body
counts 3 full members and 2 vote."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.cells.models import AttendanceStatus, Meeting, MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.documents.models import Term
from lantoa.honours import services
from lantoa.honours.models import Nomination
from lantoa.org.models import Position, PositionTitle
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


@pytest.fixture
def at_the_commune(tree, cell, held):  # noqa: F811 - the imported fixture
    """Two nominations of Phước Thạnh (a member, the women's association by name), passed by the
    cell and proposed to Đảng ủy xã An Khánh, whose secretary is Lê Văn Bí."""
    member = nominate(tree, person=cell.lan.person)
    collective = nominate(tree, name="Chi hội Phụ nữ ấp Phước Thạnh")
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(actor=None, meeting=held, nominations=[member, collective]),
    )
    for entry in voting_round.nominees.all():  # Lan stands aside for her own name: one vote counts
        votes = 1 if entry.recused else 2
        services.record_tally(actor=None, entry=entry, votes_for=votes, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    for unit in (tree.phuoc_thanh, tree.an_khanh, tree.district):
        Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    secretary = member_in(tree.an_khanh, name="Lê Văn Bí")
    Position.objects.create(
        person=secretary.person, unit=tree.an_khanh, title=PositionTitle.SECRETARY, valid_from=D(2020, 8, 1)
    )
    member.refresh_from_db()
    collective.refresh_from_db()
    services.forward_nominations(
        actor=None,
        from_unit=tree.phuoc_thanh,
        to_unit=tree.an_khanh,
        nominations=[member, collective],
        proposed_on=D(2024, 3, 10),
    )
    member.refresh_from_db()
    collective.refresh_from_db()
    return member, collective


@pytest.fixture
def giay_khen(tree, at_the_commune):
    """Đảng ủy xã An Khánh's Giấy khen of 15/03/2024 to the member proposed to it."""
    from lantoa.honours import decisions
    from lantoa.honours.models import AwardForm, RecognitionKind

    member, _collective = at_the_commune
    return decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=AwardForm.objects.get(code="party-giay-khen"),
        nominations=[member],
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="tiêu biểu năm 2023",
    )
