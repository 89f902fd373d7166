"""A savings fund built through the product's services: the Chi bộ Hội LHPN huyện of the test
tree saves 50.000 đ a month from 01/01/2023; a child is sponsored 1.200.000 đ a quarter. Each test
module pins today (``@pytest.mark.today``) so that the dates it books are not in the future."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from lantoa.funds import services
from lantoa.funds.models import Beneficiary, Fund
from lantoa.org.models import PartyMember, Role
from tests.conftest import Persona, Tree, persona
from tests.factories import member_in

D = dt.date
OPENED = D(2023, 1, 1)
MONTHLY = 50_000
QUARTERLY = 1_200_000


def open_fund(unit, opened_on: dt.date = OPENED, monthly: int = MONTHLY) -> Fund:  # type: ignore[no-untyped-def]
    return services.open_fund(
        actor=None,
        unit=unit,
        name="Quỹ tiết kiệm đỡ đầu trẻ mồ côi",
        purpose="Đảng viên tiết kiệm mỗi tháng để đỡ đầu trẻ mồ côi có hoàn cảnh khó khăn.",
        opened_on=opened_on,
        monthly_amount=monthly,
    )


def add_child(fund: Fund, **overrides: object) -> Beneficiary:
    data: dict[str, object] = {
        "full_name": "Trần Ngọc Bảo Hân",
        "birth_year": 2014,
        "commune": "xã An Khánh",
        "hamlet": "ấp Phước Thạnh",
        "situation": "Mồ côi cha, mẹ làm thuê.",
        "guardian_name": "Lê Thị Mến",
        "guardian_relation": "mẹ",
        "guardian_contact": "0912 345 678",
        "sponsored_from": D(2023, 1, 1),
        "scheduled_amount": QUARTERLY,
        "every_months": 3,
    }
    data.update(overrides)
    return services.add_beneficiary(actor=None, fund=fund, **data)


@dataclass
class FundWorld:
    tree: Tree
    fund: Fund
    members: list[PartyMember]
    child: Beneficiary
    treasurer: Persona


@pytest.fixture
def fund_world(tree: Tree) -> FundWorld:
    members = [member_in(tree.women, name=f"Hội viên {n}", since=D(2020, 1, 1)) for n in range(1, 10)]
    fund = open_fund(tree.women)
    child = add_child(fund)
    return FundWorld(tree, fund, members, child, persona(tree.women, Role.TREASURER))
