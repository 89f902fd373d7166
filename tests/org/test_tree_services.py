"""Changing the dated tree: create, rename, move, close, merge, staff bodies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.org import queries, services
from lantoa.org.models import (
    Membership,
    StaffBodyKind,
    StaffBodyName,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitParentage,
    UnitSuccession,
)
from tests.conftest import tr
from tests.factories import UnitFactory, UserFactory, member_in

D = dt.date


@pytest.fixture
def actor(db):
    return UserFactory(username="quantri")


def _entries(obj):
    return list(
        AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
        .order_by("id")
        .values_list("action", "changes")
    )


def _links(unit):
    return list(
        UnitParentage.objects.filter(unit=unit)
        .order_by("valid_from")
        .values_list("parent__key", "valid_from", "valid_to")
    )


# --- create / update -------------------------------------------------------------------------


def test_create_unit_links_the_parent_and_folds_the_name(tree, actor):
    unit = services.create_unit(
        actor=actor,
        key="ap-phuoc-hoa",
        name="  Chi bộ   ấp Phước Hòa ",
        kind=UnitKind.CELL,
        valid_from=D(2024, 1, 1),
        parent=tree.an_khanh,
        short_code="CB",
    )

    assert (unit.name, unit.search_text) == ("Chi bộ ấp Phước Hòa", "chi bo ap phuoc hoa")
    assert _links(unit) == [("an-khanh", D(2024, 1, 1), None)]
    assert _entries(unit) == [
        (
            AuditAction.CREATE,
            {
                "key": [None, "ap-phuoc-hoa"],
                "kind": [None, str(UnitKind.CELL.label)],
                "name": [None, "Chi bộ ấp Phước Hòa"],
                "residential": [None, False],  # not a hamlet cell unless marked so
                "short_code": [None, "CB"],
                "valid_from": [None, "01/01/2024"],
            },
        )
    ]


def test_create_unit_refuses_a_key_in_use(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.create_unit(
            actor=actor, key="an-khanh", name="Trùng", kind=UnitKind.CELL, valid_from=D(2024, 1, 1)
        )

    assert caught.value.message_dict == {
        "key": [tr("The key %(key)s is already used by another unit.", key="an-khanh")]
    }


def test_create_unit_refuses_a_parent_closed_on_the_day(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.create_unit(
            actor=actor,
            key="moi",
            name="Chi bộ mới",
            kind=UnitKind.CELL,
            valid_from=D(2025, 7, 1),
            parent=tree.district,
        )

    assert caught.value.messages == [
        tr("%(parent)s does not exist on %(date)s.", parent="Huyện ủy Châu Thành", date="01/07/2025")
    ]
    assert not Unit.objects.filter(key="moi").exists()


def test_update_unit_records_the_rename_and_refolds(tree, actor):
    services.update_unit(actor=actor, unit=tree.an_khanh, name="Đảng ủy xã An Khánh mới")

    tree.an_khanh.refresh_from_db()
    assert tree.an_khanh.search_text == "dang uy xa an khanh moi"
    assert _entries(tree.an_khanh) == [
        (AuditAction.UPDATE, {"name": ["Đảng ủy xã An Khánh", "Đảng ủy xã An Khánh mới"]})
    ]


def test_update_unit_without_a_change_writes_no_entry(tree, actor):
    services.update_unit(actor=actor, unit=tree.an_khanh, name="Đảng ủy xã An Khánh")

    assert _entries(tree.an_khanh) == []


def test_update_unit_cannot_change_dates(tree, actor):
    with pytest.raises(ValueError, match=r"update_unit cannot change \['valid_from'\]"):
        services.update_unit(actor=actor, unit=tree.an_khanh, valid_from=D(2000, 1, 1))


# --- move ------------------------------------------------------------------------------------


def test_move_unit_closes_the_old_link_the_day_before(tree, actor):
    services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.an_khanh, on=D(2025, 3, 1))

    assert _links(tree.tan_thanh) == [
        ("tan-thach", D(2000, 1, 1), D(2025, 2, 28)),
        ("an-khanh", D(2025, 3, 1), None),
    ]
    assert queries.parent_on(tree.tan_thanh, D(2025, 2, 28)) == tree.tan_thach
    assert queries.parent_on(tree.tan_thanh, D(2025, 3, 1)) == tree.an_khanh
    assert _entries(tree.tan_thanh) == [
        (
            AuditAction.UPDATE,
            {"parent": ["Đảng ủy xã Tân Thạch", "Đảng ủy xã An Khánh"], "from": [None, "01/03/2025"]},
        )
    ]


def test_move_unit_twice_on_the_same_day_replaces_the_first_move(tree, actor):
    services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.an_khanh, on=D(2025, 3, 1))

    services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.district, on=D(2025, 3, 1))

    assert _links(tree.tan_thanh) == [
        ("tan-thach", D(2000, 1, 1), D(2025, 2, 28)),
        ("chau-thanh", D(2025, 3, 1), None),
    ]


def test_move_unit_refuses_a_place_under_its_own_sub_unit(tree, actor):
    before = _links(tree.an_khanh)

    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=actor, unit=tree.an_khanh, new_parent=tree.phuoc_thanh, on=D(2024, 1, 1))

    assert caught.value.messages == [tr("A unit cannot be placed under one of its own sub-units.")]
    assert _links(tree.an_khanh) == before


def test_move_unit_refuses_itself(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=actor, unit=tree.an_khanh, new_parent=tree.an_khanh, on=D(2024, 1, 1))

    assert caught.value.messages == [tr("A unit cannot be placed under itself.")]


def test_move_unit_refuses_when_a_later_move_is_recorded_and_changes_nothing(tree, actor):
    before = _links(tree.an_khanh)

    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=actor, unit=tree.an_khanh, new_parent=tree.other_district, on=D(2024, 1, 1))

    assert caught.value.messages == [
        tr("This unit already has a later move recorded; change that one first.")
    ]
    assert _links(tree.an_khanh) == before
    assert _entries(tree.an_khanh) == []


def test_move_unit_refuses_the_parent_it_already_has(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.tan_thach, on=D(2024, 1, 1))

    assert caught.value.messages == [
        tr("%(unit)s is already under %(parent)s.", unit="Chi bộ ấp Tân Thạnh", parent="Đảng ủy xã Tân Thạch")
    ]


def test_move_unit_refuses_a_parent_that_is_closed_on_the_day(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.district, on=D(2025, 7, 1))

    assert caught.value.messages == [
        tr("%(parent)s does not exist on %(date)s.", parent="Huyện ủy Châu Thành", date="01/07/2025")
    ]


# --- close -----------------------------------------------------------------------------------


def test_close_unit_refuses_while_sub_units_remain_and_names_the_count(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.tan_thach, last_day=D(2024, 12, 31))

    assert caught.value.messages == [
        tr(
            "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
            "move or merge them first.",
            unit="Đảng ủy xã Tân Thạch",
            children=1,
            members=0,
            date="31/12/2024",
        )
    ]
    tree.tan_thach.refresh_from_db()
    assert tree.tan_thach.valid_to is None


def test_close_unit_refuses_while_members_remain(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.women, last_day=D(2024, 12, 31))

    assert caught.value.messages == [
        tr(
            "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
            "move or merge them first.",
            unit="Chi bộ Hội LHPN huyện",
            children=0,
            members=1,
            date="31/12/2024",
        )
    ]


def test_close_unit_does_not_count_a_sub_unit_that_already_moved_away(tree, actor):
    # An Khánh moved to the province on 1/7/2025; only Tân Thạch and the women's cell remain.
    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.district, last_day=D(2025, 8, 31))

    assert caught.value.messages == [
        tr(
            "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
            "move or merge them first.",
            unit="Huyện ủy Châu Thành",
            children=2,
            members=0,
            date="31/08/2025",
        )
    ]


def test_close_unit_counts_members_recorded_to_join_later(tree, actor):
    member_in(tree.tan_thanh, name="Đỗ Văn Sắp Đến", since=D(2025, 9, 1))

    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.tan_thanh, last_day=D(2025, 6, 30))

    assert caught.value.messages == [
        tr(
            "%(unit)s still has %(children)d sub-units and %(members)d members after %(date)s; "
            "move or merge them first.",
            unit="Chi bộ ấp Tân Thạnh",
            children=0,
            members=1,
            date="30/06/2025",
        )
    ]


def test_close_unit_refuses_while_a_later_move_of_the_unit_is_recorded(tree, actor):
    # Tân Thạnh is to move under An Khánh in 2026; closing it in 2025 would leave that link
    # ending before it starts.
    services.move_unit(actor=actor, unit=tree.tan_thanh, new_parent=tree.an_khanh, on=D(2026, 1, 1))

    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.tan_thanh, last_day=D(2025, 6, 30))

    assert caught.value.messages == [
        tr("This unit already has a later move recorded; change that one first.")
    ]
    tree.tan_thanh.refresh_from_db()
    assert tree.tan_thanh.valid_to is None
    assert _links(tree.tan_thanh) == [
        ("tan-thach", D(2000, 1, 1), D(2025, 12, 31)),
        ("an-khanh", D(2026, 1, 1), None),
    ]


def test_close_unit_ends_the_unit_and_its_link(tree, actor):
    services.close_unit(actor=actor, unit=tree.tan_thanh, last_day=D(2024, 12, 31), reason="Sáp nhập ấp")

    tree.tan_thanh.refresh_from_db()
    assert tree.tan_thanh.valid_to == D(2024, 12, 31)
    assert _links(tree.tan_thanh) == [("tan-thach", D(2000, 1, 1), D(2024, 12, 31))]
    assert _entries(tree.tan_thanh) == [(AuditAction.UPDATE, {"valid_to": [None, "31/12/2024"]})]
    assert queries.subtree_ids(tree.tan_thach, D(2025, 1, 1)) == {tree.tan_thach.pk}


def test_close_unit_refuses_a_day_before_it_began(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.close_unit(actor=actor, unit=tree.tan_thanh, last_day=D(1999, 12, 31))

    assert caught.value.messages == [tr("A unit cannot close before it was created.")]


# --- merge -----------------------------------------------------------------------------------


def test_merge_units_moves_sub_units_closes_the_source_and_records_the_succession(tree, actor):
    services.merge_units(
        actor=actor, sources=[tree.tan_thach], target=tree.an_khanh, on=D(2025, 3, 1), note="NQ 1/2025"
    )

    tree.tan_thach.refresh_from_db()
    assert tree.tan_thach.valid_to == D(2025, 2, 28)
    assert _links(tree.tan_thanh) == [
        ("tan-thach", D(2000, 1, 1), D(2025, 2, 28)),
        ("an-khanh", D(2025, 3, 1), None),
    ]
    assert list(
        UnitSuccession.objects.values_list("predecessor__key", "successor__key", "on_date", "kind")
    ) == [("tan-thach", "an-khanh", D(2025, 3, 1), SuccessionKind.MERGE)]
    assert queries.subtree_ids(tree.an_khanh, D(2025, 3, 1)) == {
        tree.an_khanh.pk,
        tree.phuoc_thanh.pk,
        tree.tan_thanh.pk,
    }
    assert queries.subtree_ids(tree.tan_thach, D(2025, 2, 28)) == {tree.tan_thach.pk, tree.tan_thanh.pk}


def test_merge_units_transfers_members_closing_the_old_membership_the_day_before(tree, actor):
    member = member_in(tree.tan_thanh, name="Phạm Văn Sáu", since=D(2010, 1, 1))

    services.merge_units(actor=actor, sources=[tree.tan_thanh], target=tree.phuoc_thanh, on=D(2025, 3, 1))

    assert list(
        member.memberships.order_by("valid_from").values_list("unit__key", "valid_from", "valid_to")
    ) == [
        ("tan-thanh", D(2010, 1, 1), D(2025, 2, 28)),
        ("phuoc-thanh", D(2025, 3, 1), None),
    ]
    assert queries.member_counts([tree.phuoc_thanh.pk, tree.tan_thanh.pk], D(2025, 3, 1)) == {
        tree.phuoc_thanh.pk: 1
    }


def test_merge_units_moves_only_the_sub_units_the_source_has_on_the_day(tree, actor):
    # Ấp Mới sat under Tân Thạch until 2024, then under An Khánh; merging Tân Thạch in 2025
    # must leave it where it is.
    moved_away = UnitFactory(key="ap-moi", name="Chi bộ ấp Mới")
    UnitParentage.objects.create(
        unit=moved_away, parent=tree.tan_thach, valid_from=D(2000, 1, 1), valid_to=D(2024, 12, 31)
    )
    UnitParentage.objects.create(unit=moved_away, parent=tree.an_khanh, valid_from=D(2025, 1, 1))

    services.merge_units(actor=actor, sources=[tree.tan_thach], target=tree.women, on=D(2025, 3, 1))

    assert _links(moved_away) == [
        ("tan-thach", D(2000, 1, 1), D(2024, 12, 31)),
        ("an-khanh", D(2025, 1, 1), None),
    ]


def test_merge_units_refuses_members_into_a_non_cell(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.merge_units(actor=actor, sources=[tree.women], target=tree.tan_thach, on=D(2025, 3, 1))

    assert caught.value.messages == [tr("Members can only move into a cell; merge cells into a cell.")]
    assert Membership.objects.get(member=hien).valid_to is None


def test_merge_units_refuses_the_target_as_a_source(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.merge_units(actor=actor, sources=[tree.an_khanh], target=tree.an_khanh, on=D(2025, 3, 1))

    assert caught.value.messages == [tr("A unit cannot be merged into itself.")]


def test_merge_units_refuses_no_sources(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.merge_units(actor=actor, sources=[], target=tree.an_khanh, on=D(2025, 3, 1))

    assert caught.value.messages == [tr("Choose at least one unit to merge.")]


# --- staff bodies ----------------------------------------------------------------------------


def test_staff_body_rename_keeps_the_old_name_and_code_for_earlier_dates(tree, actor):
    body = services.add_staff_body(
        actor=actor,
        committee=tree.district,
        kind=StaffBodyKind.PROPAGANDA,
        name="Ban Tuyên giáo Huyện ủy",
        code="BTGHU",
        valid_from=D(2000, 1, 1),
    )

    services.rename_staff_body(
        actor=actor,
        staff_body=body,
        name="Ban Tuyên giáo và Dân vận Huyện ủy",
        code="BTGDVHU",
        on=D(2025, 3, 1),
    )

    assert queries.staff_body_name_on(body.pk, D(2025, 2, 28)).code == "BTGHU"
    assert queries.staff_body_name_on(body.pk, D(2025, 3, 1)).code == "BTGDVHU"
    assert list(
        StaffBodyName.objects.filter(staff_body=body).values_list("code", "valid_from", "valid_to")
    ) == [
        ("BTGHU", D(2000, 1, 1), D(2025, 2, 28)),
        ("BTGDVHU", D(2025, 3, 1), None),
    ]
    assert [changes for _action, changes in _entries(tree.district)] == [
        {"staff_body": [None, "Ban Tuyên giáo Huyện ủy (BTGHU)"], "from": [None, "01/01/2000"]},
        {"staff_body": [None, "Ban Tuyên giáo và Dân vận Huyện ủy (BTGDVHU)"], "from": [None, "01/03/2025"]},
    ]


def test_add_staff_body_twice_reuses_the_body(tree, actor):
    first = services.add_staff_body(
        actor=actor,
        committee=tree.district,
        kind=StaffBodyKind.OFFICE,
        name="Văn phòng",
        code="VPHU",
        valid_from=D(2000, 1, 1),
    )
    second = services.add_staff_body(
        actor=actor,
        committee=tree.district,
        kind=StaffBodyKind.OFFICE,
        name="Văn phòng HU",
        code="VP",
        valid_from=D(2020, 1, 1),
    )

    assert first.pk == second.pk
    assert queries.staff_body_name_on(first.pk, D(2019, 12, 31)).code == "VPHU"
    assert queries.staff_body_name_on(first.pk, D(2020, 1, 1)).code == "VP"


def test_staff_body_rename_on_the_same_day_corrects_the_name(tree, actor):
    body = services.add_staff_body(
        actor=actor,
        committee=tree.district,
        kind=StaffBodyKind.PROPAGANDA,
        name="Ban Tuyen giao",
        code="BTG",
        valid_from=D(2000, 1, 1),
    )

    services.rename_staff_body(
        actor=actor, staff_body=body, name="Ban Tuyên giáo Huyện ủy", code="BTGHU", on=D(2000, 1, 1)
    )

    assert list(
        StaffBodyName.objects.filter(staff_body=body).values_list("code", "valid_from", "valid_to")
    ) == [("BTGHU", D(2000, 1, 1), None)]


def test_staff_body_rename_before_a_later_name_is_refused(tree, actor):
    body = services.add_staff_body(
        actor=actor,
        committee=tree.district,
        kind=StaffBodyKind.PROPAGANDA,
        name="Ban Tuyên giáo và Dân vận Huyện ủy",
        code="BTGDVHU",
        valid_from=D(2025, 3, 1),
    )

    with pytest.raises(ValidationError) as caught:
        services.rename_staff_body(
            actor=actor, staff_body=body, name="Ban Tuyên giáo Huyện ủy", code="BTGHU", on=D(2000, 1, 1)
        )

    assert caught.value.messages == [
        tr("This staff body already has a later name recorded; change that one first.")
    ]
    assert StaffBodyName.objects.filter(staff_body=body).count() == 1
