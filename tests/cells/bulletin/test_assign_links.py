"""The bulletin page offers "Assignments in your cells" only to whom holds a role on a cell and
may assign there; a committee's officer, who has no cell of their own, is shown the cells below
with articles overdue; a plain member neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.cells.models import ArticleStatus
from lantoa.org.models import Role
from tests.cells.bulletin.conftest import written
from tests.conftest import BEFORE_THE_REFORM, page_text, persona, tr
from tests.factories import RoleGrantFactory, member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
BULLETIN = reverse("cells:bulletin")


def overdue_in(cell, issue):
    return written(member_in(cell), cell, issue, D(2024, 3, 2), ArticleStatus.ASSIGNED)


def sections(response):
    return (
        [cell.key for cell, _n in response.context["own_cells"]],
        [(cell.key, n) for cell, n in response.context["followed_cells"]],
    )


def test_a_committee_officer_is_not_offered_assignments_in_a_cell_of_their_own(tree, issue):
    overdue_in(tree.phuoc_thanh, issue)
    commune_officer = persona(tree.an_khanh, Role.SECRETARY)

    response = commune_officer.client.get(BULLETIN)

    assert sections(response) == ([], [("phuoc-thanh", 1)])
    text = page_text(response)
    assert tr("Assignments in your cells") not in text
    assert tr("Cells with articles overdue") in text


def test_a_secretary_of_a_cell_and_of_the_commune_sees_both(tree, issue):
    overdue_in(tree.tan_thanh, issue)
    both = persona(tree.phuoc_thanh, Role.SECRETARY)
    RoleGrantFactory(user=both.user, unit=tree.an_khanh, role=Role.PROPAGANDA)
    RoleGrantFactory(user=both.user, unit=tree.tan_thach, role=Role.PROPAGANDA)

    response = both.client.get(BULLETIN)

    # Her own cell has nothing overdue and is still hers to assign in.
    assert sections(response) == (["phuoc-thanh"], [("tan-thanh", 1)])


def test_a_plain_member_is_offered_no_cell_and_cannot_open_one(tree, issue, author):
    overdue_in(tree.phuoc_thanh, issue)

    response = author.client.get(BULLETIN)

    assert sections(response) == ([], [])
    assert reverse("cells:bulletin_cell", args=["phuoc-thanh"]) not in response.content.decode()
    assert author.client.get(reverse("cells:bulletin_cell", args=["phuoc-thanh"])).status_code == 403
