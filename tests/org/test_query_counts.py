"""N+1 guards: each list page runs the same number of queries for 1 row as for 3."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.org import services
from lantoa.org.models import PositionTitle
from tests.factories import PersonFactory, PositionFactory, UnitFactory, member_in

D = dt.date


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def _node_count(nodes):
    return sum(1 + _node_count(node["children"]) for node in nodes)


def _warm(client, url, params=None):
    """One request first, so caches every request shares (content types) are filled."""
    client.get(url, params)


def test_tree_page_queries_do_not_grow_with_units(district_staff, tree):
    url, params = reverse("org:tree"), {"on": "01/01/2024"}
    _warm(district_staff.client, url, params)
    one, _response = _count(district_staff.client, url, params)

    for n in range(4):
        cell = UnitFactory(parent=tree.phuoc_thanh)
        member_in(cell, name=f"Lê Văn {n}")
    more, response = _count(district_staff.client, url, params)

    assert _node_count(response.context["nodes"]) == 6 + 4
    assert more == one


def test_unit_search_queries_do_not_grow_with_matches(district_staff, tree):
    url, params = reverse("org:tree"), {"q": "ap moi"}
    UnitFactory(name="Chi bộ ấp Mới 1", parent=tree.an_khanh)
    _warm(district_staff.client, url, params)
    one, _response = _count(district_staff.client, url, params)

    UnitFactory(name="Chi bộ ấp Mới 2", parent=tree.an_khanh)
    UnitFactory(name="Chi bộ ấp Mới 3", parent=tree.tan_thach)
    three, response = _count(district_staff.client, url, params)

    assert len(response.context["page"]) == 3
    assert three == one


def test_unit_detail_queries_do_not_grow_with_members(district_staff, tree, hien):
    url = reverse("org:unit", args=["hoi-lhpn"])
    _warm(district_staff.client, url)
    one, _response = _count(district_staff.client, url)

    member_in(tree.women, name="Trần Thị Hai")
    member_in(tree.women, name="Lê Thị Ba", full_member_on=None)
    three, response = _count(district_staff.client, url)

    assert len(response.context["memberships"]) == 3
    assert three == one


def test_unit_detail_queries_do_not_grow_with_sub_units_posts_and_history(admin_persona, tree):
    url = reverse("org:unit", args=["tan-thach"])
    PositionFactory(unit=tree.tan_thach, title=PositionTitle.SECRETARY)
    _warm(admin_persona.client, url)
    one, _response = _count(admin_persona.client, url)

    for n in range(2):
        UnitFactory(name=f"Chi bộ ấp Thêm {n}", parent=tree.tan_thach)
        PositionFactory(unit=tree.tan_thach, title=PositionTitle.DEPUTY)
        services.update_unit(actor=admin_persona.user, unit=tree.tan_thach, note=f"Ghi chú {n}")
    three, response = _count(admin_persona.client, url)

    assert (len(response.context["children"]), len(response.context["positions"])) == (3, 3)
    assert len(response.context["audit"]) == 2
    assert three == one


def test_people_page_queries_do_not_grow_with_people(district_staff, tree, hien):
    url, params = reverse("org:people"), {"q": "nguyen"}
    _warm(district_staff.client, url, params)
    one, _response = _count(district_staff.client, url, params)

    member_in(tree.phuoc_thanh, name="Nguyễn Văn Hai")
    PersonFactory(full_name="Nguyễn Thị Ba", registered_unit=tree.an_khanh)
    three, response = _count(district_staff.client, url, params)

    assert len(response.context["page"]) == 3
    assert three == one


def test_person_page_queries_do_not_grow_with_history(district_staff, tree, hien):
    url = reverse("org:person", args=[hien.person.public_id])
    PositionFactory(person=hien.person, unit=tree.women)
    _warm(district_staff.client, url)
    one, _response = _count(district_staff.client, url)

    PositionFactory(person=hien.person, unit=tree.phuoc_thanh)
    services.transfer_member(
        actor=district_staff.user, member=hien, to_unit=tree.phuoc_thanh, on=D(2024, 1, 1)
    )
    services.change_card_number(
        actor=district_staff.user, member=hien, new_number="0100123456", on=D(2025, 8, 1)
    )
    services.update_person(actor=district_staff.user, person=hien.person, phone="0909")
    three, _response = _count(district_staff.client, url)

    assert three == one
