"""Reach follows the dated tree: Chi bộ ấp Phước Thạnh moves from Đảng ủy xã An Khánh to Đảng ủy
xã Tân Thạch on 01/03/2026. An Khánh's officers read what the cell did before that day, Tân
Thạch's what it did from that day, and neither the other's part: its meetings, its members, its
page, its list of members in Excel, its month of meetings."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from lantoa.org import services as org_services
from lantoa.org.models import Role
from tests.conftest import AFTER_THE_REFORM, Tree, persona
from tests.factories import member_in

from .conftest import Cell, plan

D = dt.date
MOVED_ON = D(2026, 3, 1)

pytestmark = pytest.mark.today(AFTER_THE_REFORM)


@pytest.fixture
def moved(tree: Tree, cell: Cell):
    before = plan(tree, cell, date=D(2026, 2, 10))
    leaver = member_in(tree.phuoc_thanh, name="Lý Thị Cũ")
    leaver.memberships.update(valid_to=D(2026, 1, 31))
    org_services.move_unit(actor=None, unit=tree.phuoc_thanh, new_parent=tree.tan_thach, on=MOVED_ON)
    after = plan(tree, cell, date=D(2026, 4, 7))
    newcomer = member_in(tree.phuoc_thanh, name="Đỗ Văn Mới", since=D(2026, 5, 4))
    old_committee = persona(tree.an_khanh, Role.SECRETARY)
    new_committee = persona(tree.tan_thach, Role.SECRETARY)
    return before, after, leaver, newcomer, old_committee, new_committee


def _meeting(client, meeting):
    return client.get(reverse("cells:meeting", kwargs={"public_id": meeting.public_id}))


def test_each_committee_reads_the_meetings_held_while_the_cell_was_under_it(moved):
    before, after, _leaver, _newcomer, old_committee, new_committee = moved

    assert _meeting(old_committee.client, before).status_code == 200
    assert _meeting(old_committee.client, after).status_code == 404
    assert _meeting(new_committee.client, after).status_code == 200
    assert _meeting(new_committee.client, before).status_code == 404


def test_the_old_committee_cannot_change_a_meeting_held_after_the_cell_left(moved):
    _before, after, _leaver, _newcomer, old_committee, _new = moved
    url = reverse("cells:meeting_edit", kwargs={"public_id": after.public_id})

    response = old_committee.client.post(url, {"place": "Nơi khác"})

    assert response.status_code == 404
    after.refresh_from_db()
    assert after.place == "Nhà văn hóa ấp Phước Thạnh"


def test_each_committee_finds_the_members_of_its_time(moved, cell):
    _before, _after, leaver, newcomer, old_committee, new_committee = moved

    def names(client):
        response = client.get(reverse("org:people"), {"q": ""})
        assert response.status_code == 200
        return {row.full_name for row in response.context["page"].object_list}

    old_names, new_names = names(old_committee.client), names(new_committee.client)
    assert {leaver.person.full_name, cell.minh.person.full_name} <= old_names
    assert newcomer.person.full_name not in old_names
    assert {newcomer.person.full_name, cell.minh.person.full_name} <= new_names
    assert leaver.person.full_name not in new_names
    person_url = reverse("org:person", args=[newcomer.person.public_id])
    assert old_committee.client.get(person_url).status_code == 404
    assert new_committee.client.get(person_url).status_code == 200


def test_the_cell_page_and_its_excel_list_open_on_the_last_day_under_the_old_committee(moved, tree, cell):
    _before, _after, _leaver, newcomer, old_committee, _new = moved
    last_day = MOVED_ON - dt.timedelta(days=1)

    page = old_committee.client.get(reverse("org:unit", args=[tree.phuoc_thanh.key]), {"on": "01/06/2026"})
    assert page.context["on"] == last_day
    assert newcomer.person.full_name not in {m.member.person.full_name for m in page.context["memberships"]}

    export = old_committee.client.get(
        reverse("imports:export_members", args=[tree.phuoc_thanh.key]), {"on": "01/06/2026"}
    )
    assert export.status_code == 200
    assert "28-02-2026" in export["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value}
    assert cell.minh.person.full_name in cells
    assert newcomer.person.full_name not in cells


def test_the_old_committees_month_of_meetings_stays_within_its_time(moved, tree):
    before, _after, _leaver, _newcomer, old_committee, _new = moved

    response = old_committee.client.get(
        reverse("cells:meetings"), {"unit": tree.phuoc_thanh.key, "month": "2026-04"}
    )

    assert response.context["month"] == D(2026, 2, 1)
    assert [row.meeting for row in response.context["rows"]] == [before]
    assert response.context["planned"] == []
