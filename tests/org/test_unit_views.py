"""The unit pages as users in scope see them, and the forms that change the tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from lantoa.org import services
from lantoa.org.forms import UnitChoiceField, UnitMultipleChoiceField
from lantoa.org.models import (
    PositionTitle,
    Role,
    StaffBodyKind,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitParentage,
    UnitSuccession,
)
from tests.conftest import AFTER_THE_REFORM, BEFORE_THE_REFORM, page_text, persona, tr
from tests.factories import PositionFactory, UnitFactory, member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date


def _tree_names(nodes, depth=0):
    """The nested tree nodes as (depth, name, member count), depth first."""
    rows = []
    for node in nodes:
        rows.append((depth, node["unit"].name, node["count"]))
        rows += _tree_names(node["children"], depth + 1)
    return rows


def _links(unit):
    return list(
        UnitParentage.objects.filter(unit=unit)
        .order_by("valid_from")
        .values_list("parent__key", "valid_from", "valid_to")
    )


# --- tree ------------------------------------------------------------------------------------


def test_tree_as_of_2024_shows_the_district_with_member_counts(district_staff, hien):
    response = district_staff.client.get(reverse("org:tree"), {"on": "01/01/2024"})

    assert _tree_names(response.context["nodes"]) == [
        (0, "Huyện ủy Châu Thành", 0),
        (1, "Chi bộ Hội LHPN huyện", 1),
        (1, "Đảng ủy xã An Khánh", 0),
        (2, "Chi bộ ấp Phước Thạnh", 0),
        (1, "Đảng ủy xã Tân Thạch", 0),
        (2, "Chi bộ ấp Tân Thạnh", 0),
    ]
    text = page_text(response)
    assert (
        tr(
            "The tree as it stood on %(day)s. Numbers are party members belonging directly to each cell.",
            day="01/01/2024",
        )
        in text
    )
    assert "Huyện ủy Giồng Trôm" not in text
    assert f'href="{reverse("org:unit", args=["an-khanh"])}?on=01/01/2024"' in response.content.decode()


@pytest.mark.today(AFTER_THE_REFORM)
def test_tree_today_for_the_province_admin_has_an_khanh_under_the_province(admin_persona, tree):
    response = admin_persona.client.get(reverse("org:tree"))

    assert _tree_names(response.context["nodes"]) == [
        (0, "Tỉnh ủy Bến Tre", 0),
        (1, "Đảng ủy xã An Khánh", 0),
        (2, "Chi bộ ấp Phước Thạnh", 0),
        (1, "Huyện ủy Giồng Trôm", 0),
        (2, "Chi bộ ấp Giồng", 0),
    ]
    assert tr("New unit") in page_text(response)


def test_a_big_tree_folds_and_a_folded_branch_opens_on_request(district_staff, tree, monkeypatch):
    # A page for a few units: the district and its three units directly under it fit, the cells
    # under the communes are folded, and opening a commune loads them.
    monkeypatch.setattr("lantoa.org.queries.TREE_PAGE_UNITS", 4)
    response = district_staff.client.get(reverse("org:tree"), {"on": "01/01/2024"})

    assert [name for _depth, name, _count in _tree_names(response.context["nodes"])] == [
        "Huyện ủy Châu Thành",
        "Chi bộ Hội LHPN huyện",
        "Đảng ủy xã An Khánh",
        "Đảng ủy xã Tân Thạch",
    ]
    html = response.content.decode()
    branch = reverse("org:tree_children", args=["an-khanh"])
    assert f'hx-get="{branch}?on=01/01/2024"' in html
    assert "Chi bộ ấp Phước Thạnh" not in html

    opened = district_staff.client.get(branch, {"on": "01/01/2024"})

    assert opened.status_code == 200
    assert _tree_names(opened.context["nodes"]) == [(0, "Chi bộ ấp Phước Thạnh", 0)]
    assert "Huyện ủy Châu Thành" not in opened.content.decode()


def test_a_branch_outside_the_users_units_does_not_exist(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree_children", args=["giong-trom"]))

    assert response.status_code == 404


def test_tree_offers_new_unit_only_to_those_who_change_the_tree(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree"), {"on": "01/01/2024"})

    assert response.context["can_manage_tree"] is False
    assert reverse("org:unit_create") not in response.content.decode()


def test_tree_with_an_unreadable_date_falls_back_to_today(admin_persona, tree):
    response = admin_persona.client.get(reverse("org:tree"), {"on": "31/02/2024"})

    assert response.context["on"] == timezone.localdate()


def test_tree_search_lists_matching_units_in_scope(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree"), {"q": "chi bo"})

    assert [unit.name for unit in response.context["page"]] == [
        "Chi bộ ấp Phước Thạnh",
        "Chi bộ ấp Tân Thạnh",
        "Chi bộ Hội LHPN huyện",
    ]
    assert "Chi bộ ấp Giồng" not in page_text(response)


# --- unit detail -----------------------------------------------------------------------------


def test_unit_detail_of_a_cell_lists_its_members_on_the_day(district_staff, tree, hien):
    member_in(
        tree.women, name="Trần Thị Dự Bị", admitted_on=D(2023, 6, 1), full_member_on=None, since=D(2023, 6, 1)
    )
    member_in(tree.women, name="Lê Văn Đã Chuyển", since=D(2010, 1, 1)).memberships.update(
        valid_to=D(2020, 12, 31)
    )

    response = district_staff.client.get(reverse("org:unit", args=["hoi-lhpn"]), {"on": "01/01/2024"})

    assert [m.member.person.full_name for m in response.context["memberships"]] == [
        "Nguyễn Thanh Hiền",
        "Trần Thị Dự Bị",
    ]
    assert (response.context["full_count"], response.context["probationary_count"]) == (1, 1)
    text = page_text(response)
    assert (
        tr("%(full)s full, %(prob)s probationary, on %(day)s.", full="1", prob="1", day="01/01/2024") in text
    )
    assert hien.card_number in text
    assert "Lê Văn Đã Chuyển" not in text


def test_unit_detail_shows_the_path_children_and_posts(district_staff, tree, hien):
    PositionFactory(
        person=hien.person, unit=tree.an_khanh, title=PositionTitle.SECRETARY, valid_from=D(2020, 1, 1)
    )

    response = district_staff.client.get(reverse("org:unit", args=["an-khanh"]), {"on": "01/01/2024"})

    assert [unit.key for unit in response.context["path"]] == ["ben-tre", "chau-thanh", "an-khanh"]
    assert [unit.name for unit in response.context["children"]] == ["Chi bộ ấp Phước Thạnh"]
    assert [(p.person.full_name, p.title) for p in response.context["positions"]] == [
        ("Nguyễn Thanh Hiền", PositionTitle.SECRETARY)
    ]
    text = page_text(response)
    assert "Tỉnh ủy Bến Tre Huyện ủy Châu Thành Đảng ủy xã An Khánh" in text  # breadcrumb
    assert f"{tr('Under')} Huyện ủy Châu Thành: 01/01/1976 – 30/06/2025" in text
    assert f"{tr('Under')} Tỉnh ủy Bến Tre: 01/07/2025 – …" in text


def test_unit_detail_after_the_move_shows_the_new_path(admin_persona, tree):
    response = admin_persona.client.get(reverse("org:unit", args=["an-khanh"]), {"on": "01/08/2025"})

    assert [unit.key for unit in response.context["path"]] == ["ben-tre", "an-khanh"]


def test_unit_detail_asked_after_the_move_by_the_old_committee_opens_on_its_last_day_there(
    district_staff, tree
):
    # An Khánh left the district on 1/7/2025: the district's staff read it as it stood on
    # 30/6/2025, and the page says why, instead of showing what it did under the province.
    response = district_staff.client.get(reverse("org:unit", args=["an-khanh"]), {"on": "01/08/2025"})

    assert response.context["on"] == D(2025, 6, 30)
    assert [unit.key for unit in response.context["path"]] == ["ben-tre", "chau-thanh", "an-khanh"]
    notice = tr("Your units answer for this unit only for part of its life:")
    assert f"{notice} 01/01/1976 – 30/06/2025." in page_text(response)


def test_unit_detail_shows_the_staff_body_name_of_the_day(admin_persona, tree):
    body = services.add_staff_body(
        actor=admin_persona.user,
        committee=tree.district,
        kind=StaffBodyKind.PROPAGANDA,
        name="Ban Tuyên giáo Huyện ủy",
        code="BTGHU",
        valid_from=D(2000, 1, 1),
    )
    services.rename_staff_body(
        actor=admin_persona.user,
        staff_body=body,
        name="Ban Tuyên giáo và Dân vận Huyện ủy",
        code="BTGDVHU",
        on=D(2025, 3, 1),
    )
    url = reverse("org:unit", args=["chau-thanh"])

    before = admin_persona.client.get(url, {"on": "28/02/2025"})
    after = admin_persona.client.get(url, {"on": "01/03/2025"})

    assert [sb["current"].code for sb in before.context["staff_bodies"]] == ["BTGHU"]
    assert [sb["current"].code for sb in after.context["staff_bodies"]] == ["BTGDVHU"]
    assert "Ban Tuyên giáo và Dân vận Huyện ủy (BTGDVHU)" in page_text(after)


def test_unit_detail_shows_merges_both_ways(admin_persona, tree):
    services.merge_units(
        actor=admin_persona.user,
        sources=[tree.tan_thach],
        target=tree.an_khanh,
        on=D(2025, 3, 1),
        note="QĐ 5",
    )

    merged = page_text(admin_persona.client.get(reverse("org:unit", args=["an-khanh"])))
    gone = page_text(admin_persona.client.get(reverse("org:unit", args=["tan-thach"])))

    kind = str(SuccessionKind.MERGE.label).lower()
    assert f"01/03/2025: Đảng ủy xã Tân Thạch → {tr('this unit')} ({kind}) — QĐ 5" in merged
    assert f"01/03/2025: {tr('this unit')} → Đảng ủy xã An Khánh ({kind}) — QĐ 5" in gone
    assert tr("closed") in gone


def test_unit_detail_offers_changes_only_to_tree_managers(district_staff, admin_persona, tree):
    url = reverse("org:unit", args=["an-khanh"])

    staff = district_staff.client.get(url)
    admin = admin_persona.client.get(url)

    assert (staff.context["can_manage"], admin.context["can_manage"]) == (False, True)
    assert reverse("org:unit_move", args=["an-khanh"]) not in staff.content.decode()
    assert reverse("org:unit_move", args=["an-khanh"]) in admin.content.decode()


# --- create ----------------------------------------------------------------------------------


def _unit_data(**overrides):
    data = {
        "name": "Chi bộ ấp Phước Hòa",
        "key": "ap-phuoc-hoa",
        "short_code": "CB",
        "kind": UnitKind.CELL,
        "parent": "an-khanh",
        "valid_from": "01/01/2024",
        "note": "",
    }
    return {**data, **overrides}


def test_unit_create_adds_the_unit_under_its_parent(admin_persona, tree):
    response = admin_persona.client.post(reverse("org:unit_create"), _unit_data())

    assert response["Location"] == reverse("org:unit", args=["ap-phuoc-hoa"])
    unit = Unit.objects.get(key="ap-phuoc-hoa")
    assert (unit.name, unit.valid_from) == ("Chi bộ ấp Phước Hòa", D(2024, 1, 1))
    assert _links(unit) == [("an-khanh", D(2024, 1, 1), None)]
    followed = admin_persona.client.get(response["Location"])
    assert tr("Unit %(name)s created.", name="Chi bộ ấp Phước Hòa") in page_text(followed)


def test_unit_create_prefills_the_parent_from_the_link(admin_persona, tree):
    response = admin_persona.client.get(reverse("org:unit_create"), {"parent": "an-khanh"})

    assert response.context["form"]["parent"].value() == "an-khanh"


def test_unit_create_refuses_a_key_in_use_by_the_field(admin_persona, tree):
    response = admin_persona.client.post(reverse("org:unit_create"), _unit_data(key="tan-thanh"))

    message = tr("The key %(key)s is already used by another unit.", key="tan-thanh")
    assert response.context["form"].errors == {"key": [message]}
    assert message in page_text(response)


def test_unit_create_refuses_an_impossible_date_by_the_field(admin_persona, tree):
    response = admin_persona.client.post(reverse("org:unit_create"), _unit_data(valid_from="31/02/2024"))

    assert response.context["form"].errors == {"valid_from": [tr("Enter a real date as dd/mm/yyyy.")]}
    assert not Unit.objects.filter(key="ap-phuoc-hoa").exists()


def test_unit_create_asks_where_the_unit_sits(admin_persona, tree):
    response = admin_persona.client.post(reverse("org:unit_create"), _unit_data(parent=""))

    assert response.context["form"].errors == {"parent": [tr("Choose the unit it sits under.")]}
    assert tr("Choose the unit it sits under.") in page_text(response)


def test_unit_create_offers_only_parents_the_admin_manages(tree):
    chau_admin = persona(tree.district, Role.ADMIN)

    response = chau_admin.client.post(reverse("org:unit_create"), _unit_data(parent="giong-trom"))

    assert list(response.context["form"].errors) == ["parent"]
    assert not Unit.objects.filter(key="ap-phuoc-hoa").exists()


# --- edit, move, close, merge ----------------------------------------------------------------


def test_unit_edit_renames_and_shows_the_change_in_the_history(admin_persona, tree):
    url = reverse("org:unit_edit", args=["an-khanh"])
    form = admin_persona.client.get(url).context["form"]
    assert form["name"].value() == "Đảng ủy xã An Khánh"

    response = admin_persona.client.post(
        url, {"name": "Đảng ủy xã An Khánh (mới)", "short_code": "ĐU", "kind": UnitKind.COMMUNE, "note": ""}
    )

    assert response["Location"] == reverse("org:unit", args=["an-khanh"])
    tree.an_khanh.refresh_from_db()
    assert tree.an_khanh.name == "Đảng ủy xã An Khánh (mới)"
    detail = admin_persona.client.get(response["Location"])
    assert [c["before"] for item in detail.context["audit"] for c in item["changes"]] == [
        "Đảng ủy xã An Khánh"
    ]
    assert "Đảng ủy xã An Khánh → Đảng ủy xã An Khánh (mới)" in page_text(detail)


def test_unit_edit_refuses_a_blank_name(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_edit", args=["an-khanh"]),
        {"name": "", "short_code": "ĐU", "kind": UnitKind.COMMUNE},
    )

    assert response.context["form"].errors == {"name": [tr("This field is required.")]}
    tree.an_khanh.refresh_from_db()
    assert tree.an_khanh.name == "Đảng ủy xã An Khánh"


def test_unit_move_moves_the_unit_from_the_day(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_move", args=["tan-thanh"]), {"new_parent": "an-khanh", "on": "01/03/2025"}
    )

    assert response["Location"] == reverse("org:unit", args=["tan-thanh"])
    assert _links(tree.tan_thanh) == [
        ("tan-thach", D(2000, 1, 1), D(2025, 2, 28)),
        ("an-khanh", D(2025, 3, 1), None),
    ]


def test_unit_move_under_its_own_sub_unit_shows_why(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_move", args=["an-khanh"]), {"new_parent": "phuoc-thanh", "on": "01/01/2024"}
    )

    message = tr("A unit cannot be placed under one of its own sub-units.")
    assert response.context["form"].errors == {"__all__": [message]}
    assert message in page_text(response)


def test_unit_move_needs_a_date(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_move", args=["tan-thanh"]), {"new_parent": "an-khanh", "on": ""}
    )

    assert response.context["form"].errors == {"on": [tr("This field is required.")]}


def test_unit_close_closes_an_empty_cell(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_close", args=["tan-thanh"]), {"last_day": "31/12/2024", "reason": "Sáp nhập ấp"}
    )

    assert response["Location"] == reverse("org:unit", args=["tan-thanh"])
    tree.tan_thanh.refresh_from_db()
    assert tree.tan_thanh.valid_to == D(2024, 12, 31)


def test_unit_close_with_sub_units_left_names_the_counts(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_close", args=["tan-thach"]), {"last_day": "31/12/2024"}
    )

    message = tr(
        "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
        "move or merge them first.",
        unit="Đảng ủy xã Tân Thạch",
        children=1,
        members=0,
        date="31/12/2024",
    )
    assert response.context["form"].errors == {"__all__": [message]}
    assert message in page_text(response)


def test_unit_merge_merges_the_chosen_units(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_merge", args=["an-khanh"]),
        {"sources": ["tan-thach"], "on": "01/03/2025", "kind": SuccessionKind.MERGE, "note": "NQ 1"},
    )

    assert response["Location"] == reverse("org:unit", args=["an-khanh"])
    assert list(UnitSuccession.objects.values_list("predecessor__key", "successor__key", "on_date")) == [
        ("tan-thach", "an-khanh", D(2025, 3, 1))
    ]


def test_unit_merge_offers_only_open_units_other_than_the_target(admin_persona, tree):
    response = admin_persona.client.get(reverse("org:unit_merge", args=["an-khanh"]))

    offered = sorted(unit.key for unit in response.context["form"].fields["sources"].queryset)
    assert offered == sorted(
        ["ben-tre", "phuoc-thanh", "tan-thach", "tan-thanh", "hoi-lhpn", "giong-trom", "ap-giong"]
    )


def test_unit_merge_needs_a_source(admin_persona, tree):
    response = admin_persona.client.post(
        reverse("org:unit_merge", args=["an-khanh"]), {"on": "01/03/2025", "kind": SuccessionKind.MERGE}
    )

    assert response.context["form"].errors == {"sources": [tr("This field is required.")]}


def test_unit_merge_of_members_into_a_committee_shows_why(admin_persona, tree, hien):
    response = admin_persona.client.post(
        reverse("org:unit_merge", args=["an-khanh"]),
        {"sources": ["hoi-lhpn"], "on": "01/03/2025", "kind": SuccessionKind.MERGE},
    )

    message = tr("Members can only move into a cell; merge cells into a cell.")
    assert response.context["form"].errors == {"__all__": [message]}
    assert UnitSuccession.objects.count() == 0


@pytest.mark.parametrize("name", ["org:unit_edit", "org:unit_move", "org:unit_close", "org:unit_merge"])
def test_tree_forms_show_the_unit_they_change(admin_persona, tree, name):
    response = admin_persona.client.get(reverse(name, args=["tan-thach"]))

    assert response.context["unit"] == tree.tan_thach
    assert "Đảng ủy xã Tân Thạch" in page_text(response)


# --- links only where the reader may go -----------------------------------------------------


def _unit_hrefs(response):
    """Keys of the unit pages the page links to."""
    html = response.content.decode()
    prefix = reverse("org:unit", args=["KEY"]).replace("KEY/", "")
    keys = {part.split('"')[0].split("?")[0].strip("/") for part in html.split(f'href="{prefix}')[1:]}
    return {key for key in keys if key and "/" not in key}


def test_unit_path_names_units_above_the_secretarys_cell_without_linking_them(cell_secretary, tree):
    response = cell_secretary.client.get(reverse("org:unit", args=["phuoc-thanh"]), {"on": "01/01/2024"})

    text = page_text(response)
    assert "Tỉnh ủy Bến Tre Huyện ủy Châu Thành Đảng ủy xã An Khánh Chi bộ ấp Phước Thạnh" in text
    assert f"{tr('Under')} Đảng ủy xã An Khánh: 01/01/2000 – …" in text
    assert _unit_hrefs(response) & {"ben-tre", "chau-thanh", "an-khanh"} == set()


def test_unit_path_links_the_units_the_reader_covers(district_staff, tree):
    response = district_staff.client.get(reverse("org:unit", args=["phuoc-thanh"]), {"on": "01/01/2024"})

    assert _unit_hrefs(response) >= {"chau-thanh", "an-khanh"}
    assert "ben-tre" not in _unit_hrefs(response)
    assert f'href="{reverse("org:unit", args=["an-khanh"])}?on=01/01/2024"' in response.content.decode()


def test_unit_history_names_a_merged_unit_outside_scope_without_a_link(tree):
    staff = persona(tree.tan_thach, Role.PROPAGANDA)
    services.merge_units(
        actor=None,
        sources=[tree.other_cell],
        target=tree.tan_thanh,
        on=D(2025, 1, 1),
        kind=SuccessionKind.MERGE,
        note="",
    )

    response = staff.client.get(reverse("org:unit", args=["tan-thanh"]))

    assert "Chi bộ ấp Giồng" in page_text(response)
    assert "ap-giong" not in _unit_hrefs(response)


def test_unit_posts_are_listed_by_rank_then_name(district_staff, tree):
    for name, title in [
        ("Trần Văn Ủy Viên", PositionTitle.COMMITTEE_MEMBER),
        ("An Văn Ủy Viên", PositionTitle.COMMITTEE_MEMBER),
        ("Lê Văn Trưởng Ban", PositionTitle.HEAD_OF_COMMISSION),
        ("Võ Văn Phó", PositionTitle.DEPUTY),
        ("Phạm Văn Thường Trực", PositionTitle.STANDING_DEPUTY),
        ("Huỳnh Văn Bí Thư", PositionTitle.SECRETARY),
        ("Đỗ Văn Thường Vụ", PositionTitle.STANDING_MEMBER),
    ]:
        PositionFactory(person=member_in(tree.an_khanh, name=name).person, unit=tree.an_khanh, title=title)

    response = district_staff.client.get(reverse("org:unit", args=["an-khanh"]), {"on": "01/01/2024"})

    assert [p.person.full_name for p in response.context["positions"]] == [
        "Huỳnh Văn Bí Thư",
        "Phạm Văn Thường Trực",
        "Võ Văn Phó",
        "Đỗ Văn Thường Vụ",
        "Lê Văn Trưởng Ban",
        "An Văn Ủy Viên",
        "Trần Văn Ủy Viên",
    ]


# --- the new-unit form ----------------------------------------------------------------------


def test_unit_create_makes_the_key_from_the_name_when_left_empty(admin_persona, tree):
    UnitFactory(key="chi-bo-ap-phuoc-hoa", name="Chi bộ ấp Phước Hòa (cũ)")

    first = admin_persona.client.post(reverse("org:unit_create"), _unit_data(key=""))
    second = admin_persona.client.post(reverse("org:unit_create"), _unit_data(key="", parent="tan-thach"))

    assert (first["Location"], second["Location"]) == (
        reverse("org:unit", args=["chi-bo-ap-phuoc-hoa-2"]),
        reverse("org:unit", args=["chi-bo-ap-phuoc-hoa-3"]),
    )
    assert _links(Unit.objects.get(key="chi-bo-ap-phuoc-hoa-3")) == [("tan-thach", D(2024, 1, 1), None)]


def test_unit_create_form_starts_today_with_no_kind_chosen(admin_persona, tree):
    form = admin_persona.client.get(reverse("org:unit_create")).context["form"]

    assert (form["valid_from"].value(), form["kind"].value(), form.fields["key"].required) == (
        timezone.localdate(),
        None,
        False,
    )
    assert '<option value="" selected>' + tr("— Choose —") + "</option>" in str(form["kind"])


def test_unit_create_needs_a_kind(admin_persona, tree):
    response = admin_persona.client.post(reverse("org:unit_create"), _unit_data(kind=""))

    assert list(response.context["form"].errors) == ["kind"]
    assert not Unit.objects.filter(key="ap-phuoc-hoa").exists()


@pytest.mark.today(AFTER_THE_REFORM)
def test_unit_forms_tell_same_named_units_apart_by_their_parent(admin_persona, tree):
    UnitFactory(key="phuoc-thanh-2", name="Chi bộ ấp Phước Thạnh", parent=tree.other_district)
    UnitFactory(key="tien-thuy", name="Chi bộ ấp Tiên Thủy", parent=tree.an_khanh)
    UnitFactory(key="tan-hoa", name="Chi bộ ấp Tân Hòa", parent=tree.an_khanh)

    form = admin_persona.client.get(reverse("org:unit_move", args=["ap-giong"])).context["form"]

    # Folded order: Tân before Tiên (by raw characters "â" sorts after "i"), Đ with D. Only the
    # units the administrator acts for today: not Huyện ủy Châu Thành (closed on 30/6/2025), nor
    # what stayed under it.
    assert [(str(value), str(label)) for value, label in form.fields["new_parent"].choices] == [
        ("", tr("— Choose —")),
        ("phuoc-thanh", "Chi bộ ấp Phước Thạnh — Đảng ủy xã An Khánh"),
        ("phuoc-thanh-2", "Chi bộ ấp Phước Thạnh — Huyện ủy Giồng Trôm"),
        ("tan-hoa", "Chi bộ ấp Tân Hòa — Đảng ủy xã An Khánh"),
        ("tien-thuy", "Chi bộ ấp Tiên Thủy — Đảng ủy xã An Khánh"),
        ("an-khanh", "Đảng ủy xã An Khánh — Tỉnh ủy Bến Tre"),
        ("giong-trom", "Huyện ủy Giồng Trôm — Tỉnh ủy Bến Tre"),
        ("ben-tre", "Tỉnh ủy Bến Tre"),
    ]


def test_unit_choice_labels_cost_the_units_query_and_one_more(admin_persona, tree, django_assert_num_queries):
    for n in range(3):
        UnitFactory(name=f"Chi bộ ấp Mới {n}", parent=tree.tan_thach)

    class _Form(forms.Form):
        unit = UnitChoiceField(queryset=Unit.objects.all())

    with django_assert_num_queries(2):
        html = str(_Form()["unit"])

    assert html.count("<option") == 1 + 12


@pytest.mark.parametrize(
    ("name", "field"),
    [("org:unit_create", "parent"), ("org:unit_move", "new_parent"), ("org:unit_merge", "sources")],
)
def test_unit_forms_choose_among_labelled_units(admin_persona, tree, name, field):
    url = reverse(name, args=[] if name == "org:unit_create" else ["tan-thanh"])

    form = admin_persona.client.get(url).context["form"]

    assert isinstance(form.fields[field], UnitChoiceField | UnitMultipleChoiceField)
    assert "Chi bộ ấp Phước Thạnh — Đảng ủy xã An Khánh" in [
        str(label) for _v, label in form.fields[field].choices
    ]
