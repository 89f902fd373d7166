"""Articles assigned and published per unit and month, as the figures module counts them for the
bulletin's own scenarios (assigned by the day, cancelled left out; published by the issue's month)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.cells.models import ArticleStatus
from lantoa.cells.queries.figures import unit_figures
from lantoa.cells.services import bulletin as services
from tests.cells.bulletin.conftest import written
from tests.conftest import BEFORE_THE_REFORM

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus


def test_assigned_counts_by_the_day_of_assignment_without_cancelled(tree, cell, issue):
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 1), S.PUBLISHED)
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 31), S.ASSIGNED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 3, 15), S.CANCELLED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 4, 1), S.ASSIGNED)
    written(cell.cuong, tree.tan_thanh, issue, D(2024, 2, 29), S.ASSIGNED)
    units = [tree.phuoc_thanh.pk, tree.tan_thanh.pk, tree.women.pk]

    figures = unit_figures(units, D(2024, 3, 1), D(2024, 3, 31))

    assert {pk: figures[pk, D(2024, 3, 1)].articles_assigned for pk in units} == {
        tree.phuoc_thanh.pk: 2,
        tree.tan_thanh.pk: 0,
        tree.women.pk: 0,
    }


def test_published_counts_by_the_month_of_the_issue(tree, cell, issue, district_staff):
    april = services.open_issue(
        actor=district_staff.user, unit=tree.district, period=D(2024, 4, 1), deadline=D(2024, 4, 20)
    )
    written(
        cell.an, tree.phuoc_thanh, issue, D(2024, 2, 20), S.PUBLISHED
    )  # assigned in February, March's issue
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 2), S.EDITED)  # accepted, not yet published
    written(cell.cuong, tree.phuoc_thanh, april, D(2024, 3, 25), S.PUBLISHED)
    written(cell.cuong, tree.women, issue, D(2024, 3, 2), S.PUBLISHED)

    figures = unit_figures([tree.phuoc_thanh.pk, tree.women.pk], D(2024, 3, 1), D(2024, 4, 30))

    assert figures[tree.phuoc_thanh.pk, D(2024, 3, 1)].articles_published == 1
    assert figures[tree.women.pk, D(2024, 3, 1)].articles_published == 1
    assert figures[tree.phuoc_thanh.pk, D(2024, 4, 1)].articles_published == 1
