"""N+1 guards: each bulletin page runs the same number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.cells.models import ArticleStatus, AttendanceStatus
from lantoa.cells.services import bulletin as services
from lantoa.org.models import ActivityExemption
from tests.cells.bulletin.conftest import held_meeting, written
from tests.conftest import BEFORE_THE_REFORM
from tests.factories import member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus


def _count(client, url):
    client.get(url)  # warm what every request shares (session, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_issue_page_queries_do_not_grow_with_articles(district_staff, tree, cell, issue):
    url = reverse("cells:bulletin_issue", args=[issue.public_id])
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.EDITED)
    one, _response = _count(district_staff.client, url)

    written(cell.binh, tree.tan_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    written(cell.cuong, tree.women, issue, D(2024, 3, 2), S.ASSIGNED)
    three, response = _count(district_staff.client, url)

    assert (
        len(response.context["accepted"] + response.context["to_review"] + response.context["writing"]) == 3
    )
    assert three == one


def test_bulletin_index_queries_do_not_grow_with_issues(district_staff, tree, issue):
    url = reverse("cells:bulletin")
    one, _response = _count(district_staff.client, url)

    for month in (4, 5):
        services.open_issue(
            actor=district_staff.user,
            unit=tree.district,
            period=D(2024, month, 1),
            deadline=D(2024, month, 20),
        )
    three, response = _count(district_staff.client, url)

    assert len(response.context["page"]) == 3
    assert three == one


def test_my_articles_queries_do_not_grow_with_articles(author, tree, cell, issue, district_staff):
    url = reverse("cells:my_articles")
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.ASSIGNED)
    one, _response = _count(author.client, url)

    april = services.open_issue(
        actor=district_staff.user, unit=tree.district, period=D(2024, 4, 1), deadline=D(2024, 4, 20)
    )
    may = services.open_issue(
        actor=district_staff.user, unit=tree.an_khanh, period=D(2024, 5, 1), deadline=D(2024, 5, 20)
    )
    written(cell.an, tree.phuoc_thanh, april, D(2024, 4, 2), S.PUBLISHED)
    written(cell.an, tree.phuoc_thanh, may, D(2024, 5, 2), S.RETURNED)
    three, response = _count(author.client, url)

    assert len(response.context["articles"]) == 3
    assert three == one


def _fill(cell, issue, count):
    members = [member_in(cell, name=f"Đảng viên {n:02d}") for n in range(count)]
    for day in (D(2024, 1, 5), D(2024, 2, 5)):
        held_meeting(cell, day, dict.fromkeys(members[::4], AttendanceStatus.UNEXCUSED))
    for n, member in enumerate(members[1::3]):
        written(member, cell, issue, D(2023, 1 + n % 12, 3), S.PUBLISHED if n % 2 else S.ASSIGNED)
    ActivityExemption.objects.bulk_create(
        ActivityExemption(member=m, valid_from=D(2024, 1, 1)) for m in members[2::5]
    )


def test_cell_page_with_the_rotation_runs_the_same_queries_for_5_and_50_members(district_staff, tree, issue):
    _fill(tree.phuoc_thanh, issue, 5)
    _fill(tree.tan_thanh, issue, 50)

    small, small_page = _count(district_staff.client, reverse("cells:bulletin_cell", args=["phuoc-thanh"]))
    large, large_page = _count(district_staff.client, reverse("cells:bulletin_cell", args=["tan-thanh"]))

    assert (
        len(large_page.context["suggested"]) + large_page.context["more"] + len(large_page.context["skipped"])
        == 50
    )
    assert (
        len(small_page.context["suggested"]) + small_page.context["more"] + len(small_page.context["skipped"])
        == 5
    )
    assert large == small
