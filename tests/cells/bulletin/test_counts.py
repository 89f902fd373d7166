"""Articles assigned and published per cell and month, as the statistics registry counts them for
the bulletin's own scenarios (assigned by the day, cancelled left out; published by the issue's
month)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.cells.models import ArticleStatus
from lantoa.cells.services import bulletin as services
from lantoa.reports.periods import Period
from lantoa.reports.statistics import Context
from lantoa.reports.statistics.meetings import MeetingsFamily
from tests.cells.bulletin.conftest import written
from tests.conftest import BEFORE_THE_REFORM

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus


def counted(statistic: str, unit, start: dt.date, end: dt.date):
    figure = MeetingsFamily().figure(statistic, Context(unit, Period(start, end), BEFORE_THE_REFORM))
    assert figure is not None
    return figure.value


def test_assigned_counts_by_the_day_of_assignment_without_cancelled(tree, cell, issue):
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 1), S.PUBLISHED)
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 31), S.ASSIGNED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 3, 15), S.CANCELLED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 4, 1), S.ASSIGNED)
    written(cell.cuong, tree.tan_thanh, issue, D(2024, 2, 29), S.ASSIGNED)
    march = (D(2024, 3, 1), D(2024, 3, 31))

    assert {
        unit.key: counted("meetings.articles.assigned", unit, *march)
        for unit in (tree.phuoc_thanh, tree.tan_thanh, tree.women)
    } == {tree.phuoc_thanh.key: 2, tree.tan_thanh.key: 0, tree.women.key: 0}


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

    published = "meetings.articles.published"
    assert counted(published, tree.phuoc_thanh, D(2024, 3, 1), D(2024, 3, 31)) == 1
    assert counted(published, tree.women, D(2024, 3, 1), D(2024, 3, 31)) == 1
    assert counted(published, tree.phuoc_thanh, D(2024, 4, 1), D(2024, 4, 30)) == 1
