"""A small world for the report statistics, every figure known by construction.

The shared tree (``tests/conftest.py``) and, added here, as of 2024:

    Huyện ủy Châu Thành (district)
    ├── Đảng ủy xã An Khánh (commune)
    │   ├── Chi bộ ấp Phước Thạnh (cell): Lan, Hoa (probationary from 01/05/2024)
    │   └── Chi bộ ấp Long Hòa (cell): Sơn          ─┐ moves to Tân Thạch on 01/07/2024
    ├── Đảng ủy xã Tân Thạch (commune)               │
    │   ├── Chi bộ ấp Tân Thạnh (cell): Tâm          ◄┘
    │   └── Chi bộ ấp Cũ (cell): Cư                  → merged into Tân Thạnh on 01/10/2024
    ├── Chi bộ Hội LHPN huyện (grassroots cell): Mai, Thu
    └── Đảng ủy Trung tâm Y tế huyện (grassroots committee)
        └── Đảng bộ bộ phận Khoa Nội (sub-committee)
            └── Chi bộ Khoa Nội (cell): Nhân

The moves go through the product's own services (``org.services.move_unit``, ``merge_units``):
Long Hòa hangs under An Khánh until 30/06/2024, Chi bộ ấp Cũ closes on 30/09/2024 and Cư is
transferred to Tân Thạnh. Every unit has a term from 2020 (documents are numbered per term).
Today is pinned to 10/03/2025 (``TODAY``) in the test module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lantoa.documents.models import Term
from lantoa.org import services as org_services
from lantoa.org.models import PartyMember, Unit, UnitKind
from lantoa.reports.compute import compute_report
from lantoa.reports.periods import Period
from lantoa.reports.statistics import Context, Family, Figure, Value
from tests.conftest import Tree
from tests.factories import UnitFactory, member_in

D = dt.date
TODAY = D(2025, 3, 10)
YEAR = Period(D(2024, 1, 1), D(2024, 12, 31))
FIRST_HALF = Period(D(2024, 1, 1), D(2024, 6, 30))
MOVED_ON = D(2024, 7, 1)  # Long Hòa: An Khánh → Tân Thạch
MERGED_ON = D(2024, 10, 1)  # Chi bộ ấp Cũ → Tân Thạnh (it closes on 30/09/2024)


@dataclass
class World:
    tree: Tree
    long_hoa: Unit
    ap_cu: Unit
    hospital: Unit
    ward: Unit
    ward_cell: Unit
    lan: PartyMember
    hoa: PartyMember
    son: PartyMember
    tam: PartyMember
    cu: PartyMember
    mai: PartyMember
    thu: PartyMember
    nhan: PartyMember

    @property
    def district(self) -> Unit:
        return self.tree.district

    @property
    def an_khanh(self) -> Unit:
        return self.tree.an_khanh

    @property
    def tan_thach(self) -> Unit:
        return self.tree.tan_thach

    @property
    def phuoc_thanh(self) -> Unit:
        return self.tree.phuoc_thanh

    @property
    def tan_thanh(self) -> Unit:
        return self.tree.tan_thanh

    @property
    def women(self) -> Unit:
        return self.tree.women


@pytest.fixture
def world(tree: Tree) -> World:
    long_hoa = UnitFactory(key="long-hoa", name="Chi bộ ấp Long Hòa", parent=tree.an_khanh)
    ap_cu = UnitFactory(key="ap-cu", name="Chi bộ ấp Cũ", parent=tree.tan_thach)
    hospital = UnitFactory(
        key="ttyt",
        name="Đảng ủy Trung tâm Y tế huyện",
        kind=UnitKind.GRASSROOTS,
        short_code="ĐU",
        parent=tree.district,
    )
    ward = UnitFactory(
        key="khoa-noi-bp",
        name="Đảng bộ bộ phận Khoa Nội",
        kind=UnitKind.SUB_COMMITTEE,
        short_code="ĐBBP",
        parent=hospital,
    )
    ward_cell = UnitFactory(key="khoa-noi", name="Chi bộ Khoa Nội", parent=ward)
    made = World(
        tree=tree,
        long_hoa=long_hoa,
        ap_cu=ap_cu,
        hospital=hospital,
        ward=ward,
        ward_cell=ward_cell,
        lan=member_in(tree.phuoc_thanh, name="Trần Thị Lan"),
        hoa=member_in(
            tree.phuoc_thanh,
            name="Lê Thị Hoa",
            since=D(2024, 5, 1),
            admitted_on=D(2024, 5, 1),
            full_member_on=None,
        ),
        son=member_in(long_hoa, name="Võ Văn Sơn"),
        tam=member_in(tree.tan_thanh, name="Phạm Văn Tâm"),
        cu=member_in(ap_cu, name="Huỳnh Văn Cư"),
        mai=member_in(tree.women, name="Nguyễn Thị Mai"),
        thu=member_in(tree.women, name="Đặng Thị Thu"),
        nhan=member_in(ward_cell, name="Bùi Văn Nhân"),
    )
    org_services.move_unit(actor=None, unit=long_hoa, new_parent=tree.tan_thach, on=MOVED_ON)
    org_services.merge_units(actor=None, sources=[ap_cu], target=tree.tan_thanh, on=MERGED_ON)
    made.ap_cu.refresh_from_db()
    Term.objects.create(
        unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1), ends_on=D(2025, 6, 30)
    )
    for unit in (
        tree.an_khanh,
        tree.tan_thach,
        tree.phuoc_thanh,
        tree.tan_thanh,
        tree.women,
        long_hoa,
        ap_cu,
        hospital,
        ward,
        ward_cell,
    ):
        Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
    return made


# ---------------------------------------------------------------------------------------------
# Reading figures, and holding each one to the records behind it
# ---------------------------------------------------------------------------------------------


def listed(family: Family, statistic_id: str, ctx: Context) -> Value:
    """What the list behind a figure adds up to, as the records page shows it: the number of
    records, or the list's own total (a sum of money with the figure's sign, meetings owed cell
    by cell, an attendance rate from the cells' counts)."""
    records = family.records(statistic_id, ctx)
    assert records is not None, f"{statistic_id} is drillable but has no records"
    return records.listed_value()


def disagreements(
    family: Family, ctx: Context, figures: list[Figure] | None = None
) -> dict[str, tuple[Value, int]]:
    """The drillable figures of ``family`` (computed, or ``figures`` already computed for
    ``ctx``) whose records do not add up to them."""
    found = {}
    for figure in family.compute(ctx) if figures is None else figures:
        if figure.drillable:
            behind = listed(family, figure.statistic.id, ctx)
            if behind != figure.value:
                found[figure.statistic.id] = (figure.value, behind)
    return found


def values(unit: Unit, period: Period, today: dt.date = TODAY) -> dict[str, Any]:
    """Every figure of ``unit``'s report for ``period`` (``compute_report``), after checking that
    each drillable one, of the period and of the one before, is what its records add up to, and
    that the report's "period before" column is that period's own figures."""
    report = compute_report(unit, period, today)
    assert report.previous_period == period.previous()
    now, before = Context(unit, period, today), Context(unit, period.previous(), today)
    previous: dict[str, Value] = {}
    for section in report.sections:
        family = section.family
        assert disagreements(family, now, [line.figure for line in section.lines]) == {}, (family.key, period)
        earlier = family.compute(before)
        assert disagreements(family, before, earlier) == {}, (family.key, before.period)
        previous.update((figure.statistic.id, figure.value) for figure in earlier)
    assert {line.id: line.previous for line in report.lines()} == {
        line.id: previous.get(line.id) for line in report.lines()
    }
    return {line.id: line.value for line in report.lines()}


def previous_values(unit: Unit, period: Period, today: dt.date = TODAY) -> dict[str, Any]:
    """The report's "period before" column."""
    return {line.id: line.previous for line in compute_report(unit, period, today).lines()}


def pick(found: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The figures whose id starts with ``prefix`` (one family), the prefix cut off."""
    return {key.removeprefix(prefix): value for key, value in found.items() if key.startswith(prefix)}
