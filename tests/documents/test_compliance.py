"""Who must file what, who did, on time or not, rolled up the tree as it stood on the deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.documents import queries, services
from lantoa.documents.models import Filing, Term
from lantoa.documents.queries import Counts, Status
from lantoa.org import services as org_services
from lantoa.org.models import UnitKind
from tests.conftest import tr
from tests.documents.conftest import DEADLINE, cells_obligation, file_plan, issue
from tests.factories import UnitFactory

D = dt.date
AFTER_DEADLINE = D(2024, 5, 1)


def statuses(result: queries.Compliance) -> dict[str, str]:
    return {result.units[pk].key: status for pk, status in result.status.items()}


def test_compliance_counts_on_time_late_and_missing_at_every_level(tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(plan_2024, tree.tan_thanh, D(2024, 4, 10))

    result = queries.compliance(plan_2024, AFTER_DEADLINE)

    assert statuses(result) == {
        "phuoc-thanh": Status.ON_TIME,
        "tan-thanh": Status.LATE,
        "hoi-lhpn": Status.MISSING,
    }
    assert result.totals[tree.district.pk] == Counts(total=3, on_time=1, late=1, missing=1)
    assert result.totals[tree.an_khanh.pk] == Counts(total=1, on_time=1)
    assert result.totals[tree.tan_thach.pk] == Counts(total=1, late=1)
    assert result.totals[tree.women.pk] == Counts(total=1, missing=1)
    assert result.totals[tree.district.pk].filed_percent == Decimal("66.67")
    assert result.totals[tree.district.pk].on_time_percent == Decimal("33.33")
    assert [result.units[pk].key for pk in result.not_filed_under(tree.district.pk)] == ["hoi-lhpn"]


def test_compliance_before_the_deadline_counts_pending_not_missing(tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))

    result = queries.compliance(plan_2024, DEADLINE)

    assert result.totals[tree.district.pk] == Counts(total=3, on_time=1, pending=2)
    assert result.totals[tree.district.pk].not_filed == 2
    assert statuses(result)["tan-thanh"] == Status.PENDING


def test_compliance_counts_a_merged_commune_once_with_its_cells_under_it(tree, plan_2024):
    obligation = cells_obligation(
        tree.district, D(2024, 6, 30), target_kinds=[UnitKind.COMMUNE, UnitKind.CELL]
    )
    org_services.merge_units(actor=None, sources=[tree.tan_thach], target=tree.an_khanh, on=D(2024, 5, 1))

    result = queries.compliance(obligation, D(2024, 7, 1))

    # Tân Thạch closed on 30/4/2024: only An Khánh answers, for both villages' cells.
    assert statuses(result) == {
        "an-khanh": Status.MISSING,
        "phuoc-thanh": Status.MISSING,
        "tan-thanh": Status.MISSING,
    }
    assert sorted(result.units[pk].key for pk in result.children_of[tree.an_khanh.pk]) == [
        "phuoc-thanh",
        "tan-thanh",
    ]
    assert result.totals[tree.an_khanh.pk] == Counts(total=3, missing=3)
    # The women's union cell is a grassroots cell, a kind this obligation does not ask.
    assert result.totals[tree.district.pk] == Counts(total=3, missing=3)


def test_compliance_counts_a_unit_created_before_the_deadline_but_not_one_closed(tree, plan_2024):
    new_cell = UnitFactory(
        key="ap-moi", name="Chi bộ ấp Mới", valid_from=D(2024, 3, 1), parent=tree.tan_thach
    )
    org_services.close_unit(actor=None, unit=tree.tan_thanh, last_day=D(2024, 3, 15))
    late_cell = UnitFactory(
        key="ap-sau", name="Chi bộ ấp Sau", valid_from=D(2024, 4, 1), parent=tree.tan_thach
    )

    result = queries.compliance(plan_2024, AFTER_DEADLINE)

    assert sorted(statuses(result)) == ["ap-moi", "hoi-lhpn", "phuoc-thanh"]
    assert queries.obligated_unit_ids(plan_2024) == {new_cell.pk, tree.women.pk, tree.phuoc_thanh.pk}
    assert late_cell.pk not in result.units


def test_obligations_for_unit_reach_a_cell_through_its_commune_and_district(tree, plan_2024):
    for_communes = cells_obligation(
        tree.district, title="Báo cáo của đảng ủy xã", target_kinds=[UnitKind.COMMUNE]
    )
    elsewhere = cells_obligation(tree.other_district, title="Kế hoạch của Giồng Trôm")

    assert queries.obligations_for_unit(tree.phuoc_thanh) == [plan_2024]
    assert queries.obligations_for_unit(tree.an_khanh) == [for_communes]
    assert queries.obligations_for_unit(tree.other_cell) == [elsewhere]


def test_obligations_for_unit_drop_the_old_districts_after_the_cell_moved_away(tree, plan_2024):
    due_in_june = cells_obligation(tree.district, D(2024, 6, 30), title="Báo cáo sơ kết 6 tháng")
    org_services.move_unit(
        actor=None, unit=tree.phuoc_thanh, new_parent=tree.other_district, on=D(2024, 5, 1)
    )

    # Still under Châu Thành on 31/3, under Giồng Trôm on 30/6.
    assert queries.obligations_for_unit(tree.phuoc_thanh) == [plan_2024]
    assert tree.phuoc_thanh.pk not in queries.obligated_unit_ids(due_in_june)
    assert tree.phuoc_thanh.pk in queries.obligated_unit_ids(plan_2024)


def _plan_of(unit, type_code="KH"):
    return issue(unit, D(2024, 3, 10), type_code)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not obligated", "%(unit)s is not among the units that must file for this."),
        ("another unit's document", "The document must be issued by %(unit)s itself."),
        ("wrong type", "This obligation asks for a document of type %(type)s."),
        ("second filing", "%(unit)s has already filed for this."),
    ],
)
def test_file_document_refuses(tree, plan_2024, case, message):
    unit, document = tree.phuoc_thanh, None
    if case == "not obligated":
        unit, document = tree.an_khanh, _plan_of(tree.an_khanh)
    elif case == "another unit's document":
        document = _plan_of(tree.tan_thanh)
    elif case == "wrong type":
        document = _plan_of(tree.phuoc_thanh, "BC")
    else:
        file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
        document = _plan_of(tree.phuoc_thanh)
    filings_before = Filing.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.file_document(actor=None, obligation=plan_2024, unit=unit, document=document)

    assert refused.value.messages == [tr(message, unit=unit.name, type="KH")]
    assert Filing.objects.count() == filings_before


def _district_with(communes: int, cells: int, tree):
    district = UnitFactory(
        name="Huyện ủy Mỏ Cày", kind=UnitKind.DISTRICT, short_code="HU", parent=tree.province
    )
    Term.objects.create(unit=district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
    for c in range(communes):
        commune = UnitFactory(name=f"Đảng ủy xã {c}", kind=UnitKind.COMMUNE, short_code="ĐU", parent=district)
        for n in range(cells):
            UnitFactory(name=f"Chi bộ ấp {c}-{n}", parent=commune)
    return cells_obligation(district, target_kinds=[UnitKind.COMMUNE, UnitKind.CELL])


def _queries_for(obligation) -> tuple[int, queries.Compliance]:
    with CaptureQueriesContext(connection) as captured:
        result = queries.compliance(obligation, AFTER_DEADLINE)
    return len(captured), result


def test_compliance_runs_the_same_queries_for_a_small_and_a_large_tree(tree):
    small, small_result = _queries_for(_district_with(1, 1, tree))
    large, large_result = _queries_for(_district_with(3, 5, tree))

    assert len(small_result.obligated) == 2
    assert len(large_result.obligated) == 3 + 15
    # The tree walk, the units, the filings.
    assert small == large == 3
