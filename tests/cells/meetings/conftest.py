"""A cell with a secretary, a clerk, a probationary member and an exempt one, and its meeting of
March 2024 planned from the template (study item first), as the secretary would plan it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from lantoa.cells.models import Meeting, MeetingKind
from lantoa.cells.services import meetings as services
from lantoa.org.models import ActivityExemption, PartyMember, Person, Position, PositionTitle
from tests.conftest import Tree
from tests.factories import PersonFactory, member_in

D = dt.date
T = dt.time


@dataclass
class Cell:
    minh: PartyMember  # secretary, chairs
    lan: PartyMember  # takes the minutes
    tu: PartyMember  # probationary
    gia: PartyMember  # exempt from activity
    hai: Person  # upper committee member following the cell


@pytest.fixture
def cell(tree: Tree) -> Cell:
    minh = member_in(tree.phuoc_thanh, name="Trần Văn Minh")
    lan = member_in(tree.phuoc_thanh, name="Lê Thị Lan")
    tu = member_in(tree.phuoc_thanh, name="Phạm Văn Tư", admitted_on=D(2023, 9, 2), full_member_on=None)
    gia = member_in(tree.phuoc_thanh, name="Nguyễn Văn Già")
    ActivityExemption.objects.create(member=gia, valid_from=D(2022, 1, 1), reason="Tuổi cao, sức yếu")
    Position.objects.create(
        person=minh.person, unit=tree.phuoc_thanh, title=PositionTitle.SECRETARY, valid_from=D(2020, 1, 1)
    )
    hai = PersonFactory(full_name="Võ Văn Hai")
    Position.objects.create(
        person=hai, unit=tree.an_khanh, title=PositionTitle.STANDING_MEMBER, valid_from=D(2020, 1, 1)
    )
    return Cell(minh, lan, tu, gia, hai)


def plan(tree: Tree, cell: Cell, **overrides: object) -> Meeting:
    values: dict[str, object] = {
        "actor": None,
        "unit": tree.phuoc_thanh,
        "kind": MeetingKind.REGULAR,
        "date": D(2024, 3, 5),
        "starts_at": T(19, 30),
        "ends_at": T(21, 0),
        "place": "Nhà văn hóa ấp Phước Thạnh",
        "chair": cell.minh.person,
        "clerk": cell.lan.person,
        "upper_member": cell.hai,
        "guests": "Bà Nguyễn Thị Tám, Trưởng ấp",
    }
    values.update(overrides)
    return services.schedule_meeting(**values)  # type: ignore[arg-type]


@pytest.fixture
def meeting(tree: Tree, cell: Cell) -> Meeting:
    return plan(tree, cell)
