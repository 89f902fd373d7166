"""The year of meetings: for each cell under a unit, the months it met and did not, the
committee's own row apart, the months a cell was not under the unit told apart from "none"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.cells.queries.meetings import FUTURE, OUTSIDE, Held
from lantoa.org.models import Role
from tests.conftest import persona
from tests.factories import UnitFactory

D = dt.date
YEAR = reverse("cells:meeting_year")


def held(unit, day, kind=MeetingKind.REGULAR, status=MeetingStatus.HELD):
    return Meeting.objects.create(unit=unit, kind=kind, date=day, period=day.replace(day=1), status=status)


@pytest.fixture
def commune_secretary(tree):
    return persona(tree.an_khanh, Role.SECRETARY)


@pytest.mark.today(D(2024, 5, 10))
def test_year_shows_each_cells_months_and_quarters(commune_secretary, tree):
    held(tree.phuoc_thanh, D(2024, 1, 5))
    held(tree.phuoc_thanh, D(2024, 2, 5), MeetingKind.COMBINED)
    held(tree.phuoc_thanh, D(2024, 5, 3), status=MeetingStatus.PLANNED)
    # A cell founded under the commune in March: January and February are not "none".
    late = UnitFactory(key="moi", name="Chi bộ ấp Mới", parent=tree.an_khanh, valid_from=D(2024, 3, 1))

    response = commune_secretary.client.get(YEAR, {"unit": "an-khanh", "year": "2024"})

    assert response.status_code == 200
    grid = response.context["grid"]
    rows = {row.unit.name: (row.months[:6], row.quarters) for row in grid.cells}
    N, H, P, X, F = Held.NONE, Held.HELD, Held.PLANNED, OUTSIDE, FUTURE
    assert rows == {
        "Chi bộ ấp Phước Thạnh": ([H, H, N, N, P, F], [H, N, F, F]),
        late.name: ([X, X, N, N, N, F], [N, N, F, F]),
    }
    assert grid.own.unit == tree.an_khanh
    assert grid.own.months[:2] == [N, N]
    html = response.content.decode()
    assert f"{reverse('cells:meetings')}?unit=an-khanh&amp;month=2024-03" in html  # drill into March


def test_the_month_view_links_to_its_year(cell_secretary):
    response = cell_secretary.client.get(
        reverse("cells:meetings"), {"unit": "phuoc-thanh", "month": "2024-03"}
    )

    assert f"{YEAR}?unit=phuoc-thanh&amp;year=2024" in response.content.decode()


def test_year_runs_the_same_queries_for_one_cell_or_three(commune_secretary, tree):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = commune_secretary.client.get(YEAR, {"unit": "an-khanh", "year": "2024"})
        assert response.status_code == 200
        return len(queries)

    held(tree.phuoc_thanh, D(2024, 1, 5))
    one = count()
    for n in range(2):
        cell = UnitFactory(key=f"them-{n}", name=f"Chi bộ thêm {n}", parent=tree.an_khanh)
        held(cell, D(2024, 1, 6))

    assert (
        len(commune_secretary.client.get(YEAR, {"unit": "an-khanh", "year": "2024"}).context["grid"].cells)
        == 3
    )
    assert count() == one


def test_year_of_another_district_is_404(outsider, tree):
    held(tree.phuoc_thanh, D(2024, 1, 5))

    response = outsider.client.get(YEAR, {"unit": "an-khanh", "year": "2024"})

    assert response.status_code == 404
    assert "Phước Thạnh" not in response.content.decode()


def test_a_cell_secretary_cannot_open_the_communes_year(cell_secretary, tree):
    assert cell_secretary.client.get(YEAR, {"unit": "an-khanh", "year": "2024"}).status_code == 404


def test_year_sends_anonymous_to_login(anonymous):
    response = anonymous.get(YEAR, {"unit": "an-khanh"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_year_shows_no_month_the_user_did_not_reach(district_staff, tree):
    """Phước Thạnh's commune moved from the district to the province on 1/7/2025: the district's
    staff see its first half of 2025, and nothing of the second."""
    held(tree.phuoc_thanh, D(2025, 2, 5))
    held(tree.phuoc_thanh, D(2025, 8, 5))

    response = district_staff.client.get(YEAR, {"unit": "phuoc-thanh", "year": "2025"})

    [row] = response.context["grid"].cells
    assert (row.months[1], row.months[7], row.quarters[0], row.quarters[2]) == (
        Held.HELD,
        OUTSIDE,
        Held.NONE,
        OUTSIDE,
    )
