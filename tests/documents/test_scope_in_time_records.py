"""Reach follows the dated tree for every kind of record, not only meetings: Chi bộ ấp Phước Thạnh
moves from Đảng ủy xã An Khánh to Đảng ủy xã Tân Thạch on 01/03/2026. Each committee reads the
cell's documents, bulletin articles and study material of the days the cell was its own, and not
the other's; what comes from above (the province's directives) stays readable below. A closed
district's staff read its history and change nothing of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.cells.models import MaterialKind
from lantoa.cells.services import bulletin as bulletin_services
from lantoa.cells.services import library as library_services
from lantoa.org import services as org_services
from lantoa.org.models import Role
from tests.conftest import AFTER_THE_REFORM, Tree, persona
from tests.factories import member_in

from .conftest import issue

D = dt.date
MOVED_ON = D(2026, 3, 1)

pytestmark = pytest.mark.today(AFTER_THE_REFORM)


@pytest.fixture
def moved(tree: Tree, terms):
    """Records of the cell on each side of the move, and the two committees' secretaries."""
    author = member_in(tree.phuoc_thanh, name="Trần Văn Viết")
    old_committee = persona(tree.an_khanh, Role.SECRETARY)
    new_committee = persona(tree.tan_thach, Role.SECRETARY)
    records = {}
    for side, day, committee in (
        ("before", D(2026, 2, 10), old_committee),
        ("after", D(2026, 4, 7), new_committee),
    ):
        if side == "after":
            org_services.move_unit(actor=None, unit=tree.phuoc_thanh, new_parent=tree.tan_thach, on=MOVED_ON)
        records[side] = {
            "document": issue(tree.phuoc_thanh, day, "NQ", summary=f"Nghị quyết chi bộ {side}"),
            "material": library_services.share_material(
                actor=None,
                unit=tree.phuoc_thanh,
                kind=MaterialKind.ARTICLE,
                title=f"Câu chuyện kể {side}",
                shared_on=day,
                in_library=False,
                url="https://example.invalid/x",
            ),
            "article": _article(tree, committee, author, day),
        }
    return records, old_committee, new_committee


def _article(tree: Tree, committee, author, day: dt.date):
    """The cell's article for its committee's bulletin of ``day``'s month, in progress."""
    period = day.replace(day=1)
    unit = committee.user.role_grants.get().unit
    bulletin = bulletin_services.open_issue(
        actor=committee.user, unit=unit, period=period, deadline=period + dt.timedelta(days=20)
    )
    return bulletin_services.assign_article(
        actor=committee.user,
        issue=bulletin,
        cell=tree.phuoc_thanh,
        author=author,
        topic="Bài viết",
        assigned_on=day,
    )


def _status(client, name: str, record) -> int:
    return client.get(reverse(name, args=[record.public_id])).status_code


@pytest.mark.parametrize(
    ("kind", "url_name"),
    [("document", "documents:detail"), ("material", "cells:material"), ("article", "cells:article")],
)
def test_each_committee_reads_the_cells_records_of_its_own_time(moved, kind, url_name):
    records, old_committee, new_committee = moved
    before, after = records["before"][kind], records["after"][kind]

    assert _status(old_committee.client, url_name, before) == 200
    assert _status(old_committee.client, url_name, after) == 404
    assert _status(new_committee.client, url_name, after) == 200
    assert _status(new_committee.client, url_name, before) == 404


def test_the_register_lists_each_committees_part_of_the_cells_documents(moved):
    _records, old_committee, new_committee = moved

    def listed(client) -> set[str]:
        response = client.get(reverse("documents:list"))
        assert response.status_code == 200
        return {d.summary for d in response.context["page"].object_list}

    assert "Nghị quyết chi bộ before" in listed(old_committee.client)
    assert "Nghị quyết chi bộ after" not in listed(old_committee.client)
    assert "Nghị quyết chi bộ after" in listed(new_committee.client)
    assert "Nghị quyết chi bộ before" not in listed(new_committee.client)


def test_the_library_lists_each_committees_part_of_the_cells_material(moved):
    _records, old_committee, new_committee = moved

    def listed(client) -> str:
        return client.get(reverse("cells:library")).content.decode()

    assert "Câu chuyện kể before" in listed(old_committee.client)
    assert "Câu chuyện kể after" not in listed(old_committee.client)
    assert "Câu chuyện kể after" in listed(new_committee.client)
    assert "Câu chuyện kể before" not in listed(new_committee.client)


def test_the_cell_reads_its_own_records_and_the_directives_from_above(moved, tree):
    records, _old, _new = moved
    cell = persona(tree.phuoc_thanh, Role.SECRETARY)
    directive = issue(tree.province, D(2021, 5, 1), "CT", summary="Chỉ thị của Tỉnh ủy")

    for side in ("before", "after"):
        assert _status(cell.client, "documents:detail", records[side]["document"]) == 200
    assert _status(cell.client, "documents:detail", directive) == 200


def test_a_closed_districts_staff_read_its_documents_and_change_none(tree, terms):
    document = issue(tree.district, D(2024, 4, 2), "KH", summary="Kế hoạch của Huyện ủy")
    staff = persona(tree.district, Role.PROPAGANDA)

    assert _status(staff.client, "documents:detail", document) == 200
    assert staff.client.get(reverse("documents:terms", args=["chau-thanh"])).status_code == 200
    # Nothing new in its name: no document, no term.
    assert staff.client.get(reverse("documents:create")).status_code == 403
    response = staff.client.post(
        reverse("documents:terms", args=["chau-thanh"]),
        {"name": "Nhiệm kỳ 2025–2030", "starts_on": "01/08/2025"},
    )
    assert response.status_code == 403
    assert not tree.district.terms.filter(name="Nhiệm kỳ 2025–2030").exists()
