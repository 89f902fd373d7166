"""N+1 guards: each list page runs the same number of queries for 1 row as for 3."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents import services
from lantoa.documents.models import Term
from tests.documents.conftest import cells_obligation, file_plan, issue
from tests.factories import UnitFactory, member_in

D = dt.date


def _count(client, url, params=None):
    client.get(url, params)  # warm the caches every request shares (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def test_document_list_queries_do_not_grow_with_documents(district_staff, tree, terms):
    url = reverse("documents:list")
    issue(tree.district, D(2024, 3, 5))
    one, _response = _count(district_staff.client, url)

    issue(tree.an_khanh, D(2024, 3, 6))
    issue(tree.phuoc_thanh, D(2024, 3, 7))
    three, response = _count(district_staff.client, url)

    assert len(response.context["page"]) == 3
    assert three == one


def test_obligation_list_queries_do_not_grow_with_obligations(cell_secretary, tree, terms):
    url = reverse("documents:obligations")
    first = cells_obligation(tree.district)
    file_plan(first, tree.phuoc_thanh, D(2024, 3, 20))
    one, _response = _count(cell_secretary.client, url)

    cells_obligation(tree.an_khanh, title="Kế hoạch của xã")
    cells_obligation(tree.phuoc_thanh, title="Kế hoạch của chi bộ", target_kinds=["group"])
    three, response = _count(cell_secretary.client, url)

    assert len(response.context["set_by_mine"]) + len(response.context["from_above"]) == 3
    assert three == one


def test_obligation_page_queries_do_not_grow_with_units(district_staff, tree, terms):
    commune = UnitFactory(name="Đảng ủy xã Phú Túc", kind="commune", short_code="ĐU", parent=tree.district)
    first = UnitFactory(name="Chi bộ ấp Phú Thạnh", parent=commune)
    obligation = cells_obligation(tree.district, target_kinds=["cell"])
    url = reverse("documents:obligation", args=[obligation.public_id])
    params = {"unit": commune.key}
    services.set_yearly_theme(actor=None, unit=tree.district, year=2024, title="Chuyên đề 2024")
    obligation.sources.set([issue(tree.province, D(2024, 2, 20), "HD")])
    Term.objects.create(unit=first, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
    file_plan(obligation, first, D(2024, 3, 1))
    one, _response = _count(district_staff.client, url, params)

    for name in ("Chi bộ ấp Phú Lợi", "Chi bộ ấp Phú Hòa"):
        cell = UnitFactory(name=name, parent=commune)
        Term.objects.create(unit=cell, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
        file_plan(obligation, cell, D(2024, 3, 2))
    three, response = _count(district_staff.client, url, params)

    assert [row["status"] for row in response.context["listed"]] == ["on_time"] * 3
    assert three == one


def test_cell_commitments_queries_do_not_grow_with_members(cell_secretary, tree, minh_commitment):
    url, params = reverse("documents:cell_commitments", args=["phuoc-thanh"]), {"year": "2024"}
    one, _response = _count(cell_secretary.client, url, params)

    for name in ("Lê Thị Lan", "Phạm Văn Tư"):
        member = member_in(tree.phuoc_thanh, name=name)
        for position in (1, 2):
            services.register_commitment(
                actor=None, member=member, year=2024, position=position, text=f"Việc {position}", officer=True
            )
    three, response = _count(cell_secretary.client, url, params)

    assert len(response.context["rows"]) == 3
    assert three == one
