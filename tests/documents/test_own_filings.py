"""A cell secretary's "Plans and reports due" shows what the cell itself must file and where it
stands (on time, late, not yet, overdue, with the deadline), not the district's "2 of 3"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents.queries import Status
from tests.conftest import page_text, tr
from tests.documents.conftest import cells_obligation, file_plan

D = dt.date
LIST = reverse("documents:obligations")


def own(response):
    return [(o.title, [(f.unit.name, f.status) for f in o.own]) for o in response.context["from_above"]]


@pytest.mark.today(D(2024, 4, 10))
def test_a_cell_secretary_sees_the_cells_own_filing_not_the_districts_ratio(cell_secretary, tree, terms):
    on_time = cells_obligation(tree.district, title="Kế hoạch đúng hạn", deadline=D(2024, 3, 31))
    late = cells_obligation(tree.district, title="Kế hoạch nộp trễ", deadline=D(2024, 3, 15))
    cells_obligation(tree.district, title="Kế hoạch quá hạn", deadline=D(2024, 4, 5))
    cells_obligation(tree.district, title="Kế hoạch còn hạn", deadline=D(2024, 5, 31))
    file_plan(on_time, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(on_time, tree.tan_thanh, D(2024, 3, 20))  # another cell: not this secretary's count
    file_plan(late, tree.phuoc_thanh, D(2024, 3, 20))

    response = cell_secretary.client.get(LIST)

    cell = "Chi bộ ấp Phước Thạnh"
    assert own(response) == [
        ("Kế hoạch còn hạn", [(cell, Status.PENDING)]),
        ("Kế hoạch quá hạn", [(cell, Status.MISSING)]),
        ("Kế hoạch đúng hạn", [(cell, Status.ON_TIME)]),
        ("Kế hoạch nộp trễ", [(cell, Status.LATE)]),
    ]
    text = page_text(response)
    assert tr("filed on time") in text
    assert tr("filed late") in text
    assert tr("not filed, overdue") in text
    assert tr("due by %(day)s", day="31/05/2024") in text
    assert tr("all filed") not in text
    assert "2 trên 3" not in text


@pytest.mark.today(D(2024, 4, 10))
def test_the_district_still_sees_its_ratio(district_staff, tree, terms):
    obligation = cells_obligation(tree.district)
    file_plan(obligation, tree.phuoc_thanh, D(2024, 3, 20))

    response = district_staff.client.get(LIST)

    assert [o.own for o in response.context["set_by_mine"]] == [[]]
    assert tr("%(filed)s of %(total)s (%(percent)s)", filed="1", total="3", percent="33,33%") in page_text(
        response
    )


@pytest.mark.today(D(2024, 4, 10))
def test_own_filings_run_the_same_queries_for_one_obligation_or_three(cell_secretary, tree, terms):
    def count():
        cell_secretary.client.get(LIST)
        with CaptureQueriesContext(connection) as captured:
            response = cell_secretary.client.get(LIST)
        return len(captured), response

    file_plan(cells_obligation(tree.district, title="Một"), tree.phuoc_thanh, D(2024, 3, 20))
    one, _response = count()
    file_plan(cells_obligation(tree.district, title="Hai"), tree.phuoc_thanh, D(2024, 3, 21))
    cells_obligation(tree.district, title="Ba")
    three, response = count()

    assert len(response.context["from_above"]) == 3
    assert three == one
