"""People, members, cards, transfers, posts, exemptions and roles: each service and its audit entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.org import queries, services
from lantoa.org.models import (
    CardNumberChange,
    Gender,
    PartyMember,
    PositionTitle,
    Role,
)
from tests.conftest import tr
from tests.factories import PersonFactory, UnitFactory, UserFactory, member_in

D = dt.date


@pytest.fixture
def actor(db):
    return UserFactory(username="thuky")


def _entries(obj):
    """(action, unit key, changes) of every audit entry about ``obj``, oldest first."""
    return [
        (entry.action, entry.unit.key if entry.unit else None, entry.changes)
        for entry in AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )
        .select_related("unit")
        .order_by("id")
    ]


def _cells(member):
    return list(member.memberships.order_by("valid_from").values_list("unit__key", "valid_from", "valid_to"))


# --- people ----------------------------------------------------------------------------------


def test_create_person_normalises_the_name_and_keeps_a_folded_copy(tree, actor):
    person = services.create_person(
        actor=actor,
        unit=tree.women,
        full_name=" Nguyễn  Thị   Đào ",
        birth_date=D(1990, 5, 1),
        gender=Gender.FEMALE,
    )

    assert (person.full_name, person.search_text) == ("Nguyễn Thị Đào", "nguyen thi dao")
    assert person.registered_unit == tree.women
    assert _entries(person) == [
        (
            AuditAction.CREATE,
            "hoi-lhpn",
            {
                "birth_date": [None, "01/05/1990"],
                "full_name": [None, "Nguyễn Thị Đào"],
                "gender": [None, str(Gender.FEMALE.label)],
            },
        )
    ]


def test_update_person_records_the_name_change_and_refolds(tree, actor, hien):
    person = hien.person

    services.update_person(actor=actor, person=person, full_name="Nguyễn Thanh Hiển")

    person.refresh_from_db()
    assert person.search_text == "nguyen thanh hien"
    assert _entries(person) == [
        (AuditAction.UPDATE, "hoi-lhpn", {"full_name": ["Nguyễn Thanh Hiền", "Nguyễn Thanh Hiển"]})
    ]


def test_update_person_records_sensitive_changes_before_and_after(tree, actor, hien):
    services.update_person(actor=actor, person=hien.person, religion="Không", id_number="083123456780")

    assert _entries(hien.person) == [
        (
            AuditAction.UPDATE,
            "hoi-lhpn",
            {"id_number": ["083123456789", "083123456780"], "religion": ["Phật giáo", "Không"]},
        )
    ]


def test_update_person_without_a_change_writes_no_entry(tree, actor, hien):
    services.update_person(
        actor=actor, person=hien.person, full_name="Nguyễn Thanh Hiền", religion="Phật giáo"
    )

    assert _entries(hien.person) == []


def test_update_person_of_a_non_member_files_the_entry_under_the_registering_unit(tree, actor):
    person = services.create_person(actor=actor, unit=tree.tan_thach, full_name="Võ Văn Tốt")

    services.update_person(actor=actor, person=person, phone="0909123456")

    assert _entries(person)[-1] == (AuditAction.UPDATE, "tan-thach", {"phone": ["", "0909123456"]})


def test_update_person_refuses_fields_it_does_not_own(tree, actor, hien):
    with pytest.raises(ValueError, match=r"update_person cannot change \['user'\]"):
        services.update_person(actor=actor, person=hien.person, user=actor)


# --- admission -------------------------------------------------------------------------------


def test_admit_member_puts_the_person_in_the_cell_from_the_day_of_admission(tree, actor):
    person = PersonFactory(full_name="Trần Văn Mới")

    member = services.admit_member(
        actor=actor, person=person, cell=tree.phuoc_thanh, admitted_on=D(2024, 2, 3), card_number="81000001"
    )

    assert (member.card_number, member.admitted_on, member.full_member_on) == (
        "81000001",
        D(2024, 2, 3),
        None,
    )
    assert _cells(member) == [("phuoc-thanh", D(2024, 2, 3), None)]
    assert not member.is_full_member_on(D(2025, 2, 3))
    assert _entries(member) == [
        (
            AuditAction.CREATE,
            "phuoc-thanh",
            {
                "admitted_on": [None, "03/02/2024"],
                "card_number": [None, "81000001"],
            },
        )
    ]


def test_admit_member_uses_the_day_of_joining_the_cell_when_given(tree, actor):
    member = services.admit_member(
        actor=actor,
        person=PersonFactory(),
        cell=tree.women,
        admitted_on=D(2010, 1, 1),
        joined_cell_on=D(2020, 6, 1),
        full_member_on=D(2011, 1, 1),
    )

    assert _cells(member) == [("hoi-lhpn", D(2020, 6, 1), None)]
    assert member.is_full_member_on(D(2011, 1, 1))


def test_admit_member_refuses_a_unit_that_is_not_a_cell(tree, actor):
    person = PersonFactory()

    with pytest.raises(ValidationError) as caught:
        services.admit_member(actor=actor, person=person, cell=tree.an_khanh, admitted_on=D(2024, 1, 1))

    assert caught.value.message_dict == {
        "unit": [tr("Members belong to a cell, not to %(unit)s.", unit="Đảng ủy xã An Khánh")]
    }
    assert not PartyMember.objects.filter(person=person).exists()


def test_admit_member_refuses_full_membership_before_admission(tree, actor):
    with pytest.raises(ValidationError) as caught:
        services.admit_member(
            actor=actor,
            person=PersonFactory(),
            cell=tree.women,
            admitted_on=D(2024, 1, 1),
            full_member_on=D(2023, 12, 31),
        )

    assert caught.value.message_dict == {
        "full_member_on": [
            capfirst(
                tr(
                    "the date of full membership %(full)s is before the date of admission %(admitted)s",
                    full="31/12/2023",
                    admitted="01/01/2024",
                )
            )
        ]
    }


def test_admit_member_refuses_a_card_number_in_use(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.admit_member(
            actor=actor,
            person=PersonFactory(),
            cell=tree.women,
            admitted_on=D(2024, 1, 1),
            card_number=hien.card_number,
        )

    assert caught.value.message_dict == {
        "card_number": [
            tr("Party card number %(number)s belongs to another member.", number=hien.card_number)
        ]
    }
    assert PartyMember.objects.count() == 1


def test_admit_member_refuses_a_person_who_is_already_a_member(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.admit_member(
            actor=actor, person=hien.person, cell=tree.phuoc_thanh, admitted_on=D(2024, 1, 1)
        )

    assert caught.value.messages == [tr("%(name)s is already a party member.", name="Nguyễn Thanh Hiền")]
    assert _cells(hien) == [("hoi-lhpn", D(2015, 1, 1), None)]


def test_update_member_records_leaving(tree, actor, hien):
    services.update_member(
        actor=actor, member=hien, left_on=D(2024, 5, 1), left_reason="Chuyển ra nước ngoài"
    )

    assert _entries(hien) == [
        (
            AuditAction.UPDATE,
            "hoi-lhpn",
            {"left_on": [None, "01/05/2024"], "left_reason": ["", "Chuyển ra nước ngoài"]},
        )
    ]


def test_update_member_does_not_change_card_numbers(tree, actor, hien):
    with pytest.raises(ValueError, match="change_card_number"):
        services.update_member(actor=actor, member=hien, card_number="1")


# --- cards -----------------------------------------------------------------------------------


def test_change_card_number_keeps_the_old_number_in_the_history(tree, actor, hien):
    old = hien.card_number

    change = services.change_card_number(
        actor=actor,
        member=hien,
        new_number=" 0100123456 ",
        on=D(2025, 8, 15),
        reason="Đổi thẻ theo Chỉ thị 51",
    )

    hien.refresh_from_db()
    assert hien.card_number == "0100123456"
    assert (change.old_number, change.new_number, change.changed_on) == (old, "0100123456", D(2025, 8, 15))
    assert CardNumberChange.objects.get(old_number=old).member == hien
    assert _entries(hien) == [(AuditAction.UPDATE, "hoi-lhpn", {"card_number": [old, "0100123456"]})]


def test_change_card_number_refuses_the_current_number(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.change_card_number(actor=actor, member=hien, new_number=hien.card_number, on=D(2025, 8, 15))

    assert caught.value.message_dict == {"card_number": [tr("This is already the member's card number.")]}


def test_change_card_number_refuses_blank(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.change_card_number(actor=actor, member=hien, new_number="  ", on=D(2025, 8, 15))

    assert caught.value.message_dict == {"card_number": [tr("Enter the new card number.")]}


def test_change_card_number_refuses_another_members_number(tree, actor, hien):
    other = member_in(tree.women, card_number="82000002")

    with pytest.raises(ValidationError) as caught:
        services.change_card_number(actor=actor, member=hien, new_number="82000002", on=D(2025, 8, 15))

    assert caught.value.message_dict == {
        "card_number": [tr("Party card number %(number)s belongs to another member.", number="82000002")]
    }
    assert CardNumberChange.objects.count() == 0
    other.refresh_from_db()
    assert other.card_number == "82000002"


# --- transfers -------------------------------------------------------------------------------


def test_transfer_member_closes_the_old_membership_the_day_before(tree, actor, hien):
    services.transfer_member(
        actor=actor, member=hien, to_unit=tree.phuoc_thanh, on=D(2024, 9, 1), note="QĐ 12"
    )

    assert _cells(hien) == [("hoi-lhpn", D(2015, 1, 1), D(2024, 8, 31)), ("phuoc-thanh", D(2024, 9, 1), None)]
    assert queries.current_membership(hien, D(2024, 8, 31)).unit == tree.women
    assert queries.current_membership(hien, D(2024, 9, 1)).unit == tree.phuoc_thanh
    assert _entries(hien) == [
        (
            AuditAction.UPDATE,
            "phuoc-thanh",
            {"cell": ["Chi bộ Hội LHPN huyện", "Chi bộ ấp Phước Thạnh"], "from": [None, "01/09/2024"]},
        )
    ]


def test_transfer_member_on_the_day_the_membership_began_replaces_it(tree, actor, hien):
    services.transfer_member(actor=actor, member=hien, to_unit=tree.phuoc_thanh, on=D(2015, 1, 1))

    assert _cells(hien) == [("phuoc-thanh", D(2015, 1, 1), None)]


def test_transfer_member_refuses_a_unit_that_is_not_a_cell(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.transfer_member(actor=actor, member=hien, to_unit=tree.tan_thach, on=D(2024, 9, 1))

    assert caught.value.message_dict == {
        "unit": [tr("Members belong to a cell, not to %(unit)s.", unit="Đảng ủy xã Tân Thạch")]
    }
    assert _cells(hien) == [("hoi-lhpn", D(2015, 1, 1), None)]


def test_transfer_member_refuses_the_cell_they_are_in(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.transfer_member(actor=actor, member=hien, to_unit=tree.women, on=D(2024, 9, 1))

    assert caught.value.messages == [
        tr("The member already belongs to %(unit)s.", unit="Chi bộ Hội LHPN huyện")
    ]


def test_transfer_member_refuses_a_closed_cell(tree, actor, hien):
    services.close_unit(actor=actor, unit=tree.tan_thanh, last_day=D(2024, 6, 30))

    with pytest.raises(ValidationError) as caught:
        services.transfer_member(actor=actor, member=hien, to_unit=tree.tan_thanh, on=D(2024, 9, 1))

    assert caught.value.messages == [
        tr("%(unit)s does not exist on %(date)s.", unit="Chi bộ ấp Tân Thạnh", date="01/09/2024")
    ]


# --- posts and exemptions --------------------------------------------------------------------


def test_appoint_records_the_post(tree, actor, hien):
    position = services.appoint(
        actor=actor,
        person=hien.person,
        unit=tree.women,
        title=PositionTitle.SECRETARY,
        valid_from=D(2020, 10, 1),
    )

    assert list(queries.positions_on(tree.women, D(2021, 1, 1))) == [position]
    assert list(queries.positions_on(tree.women, D(2020, 9, 30))) == []
    assert _entries(position) == [
        (
            AuditAction.CREATE,
            "hoi-lhpn",
            {
                "person": [None, "Nguyễn Thanh Hiền"],
                "title": [None, str(PositionTitle.SECRETARY.label)],
                "unit": [None, "Chi bộ Hội LHPN huyện"],
                "valid_from": [None, "01/10/2020"],
            },
        )
    ]


def test_appoint_refuses_an_end_before_the_start(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.appoint(
            actor=actor,
            person=hien.person,
            unit=tree.women,
            title=PositionTitle.DEPUTY,
            valid_from=D(2020, 10, 1),
            valid_to=D(2020, 9, 30),
        )

    assert caught.value.message_dict == {"valid_to": [tr("The end date is before the start date.")]}


def test_end_position_sets_the_last_day(tree, actor, hien):
    position = services.appoint(
        actor=actor,
        person=hien.person,
        unit=tree.women,
        title=PositionTitle.DEPUTY,
        valid_from=D(2020, 10, 1),
    )

    services.end_position(actor=actor, position=position, last_day=D(2025, 6, 30))

    assert list(queries.positions_on(tree.women, D(2025, 7, 1))) == []
    assert _entries(position)[-1] == (AuditAction.UPDATE, "hoi-lhpn", {"valid_to": [None, "30/06/2025"]})


def test_end_position_refuses_a_day_before_it_began(tree, actor, hien):
    position = services.appoint(
        actor=actor,
        person=hien.person,
        unit=tree.women,
        title=PositionTitle.DEPUTY,
        valid_from=D(2020, 10, 1),
    )

    with pytest.raises(ValidationError) as caught:
        services.end_position(actor=actor, position=position, last_day=D(2020, 9, 30))

    assert caught.value.messages == [tr("A post cannot end before it began.")]


def test_set_exemption_records_the_dates_and_reason(tree, actor, hien):
    exemption = services.set_exemption(
        actor=actor, member=hien, valid_from=D(2024, 1, 1), valid_to=None, reason="Tuổi cao, sức yếu"
    )

    assert list(hien.exemptions.values_list("valid_from", "valid_to", "reason")) == [
        (D(2024, 1, 1), None, "Tuổi cao, sức yếu")
    ]
    assert _entries(exemption) == [
        (
            AuditAction.CREATE,
            "hoi-lhpn",
            {"reason": [None, "Tuổi cao, sức yếu"], "valid_from": [None, "01/01/2024"]},
        )
    ]
    # Exempt members stay in their cell.
    assert queries.current_membership(hien, D(2024, 6, 1)).unit == tree.women


def test_set_exemption_refuses_an_end_before_the_start(tree, actor, hien):
    with pytest.raises(ValidationError) as caught:
        services.set_exemption(
            actor=actor, member=hien, valid_from=D(2024, 1, 1), valid_to=D(2023, 1, 1), reason=""
        )

    assert caught.value.message_dict == {"valid_to": [tr("The end date is before the start date.")]}
    assert hien.exemptions.count() == 0


# --- roles -----------------------------------------------------------------------------------


def test_grant_role_and_end_role_are_recorded_on_the_unit(tree, actor):
    user = UserFactory(username="canbo")

    grant = services.grant_role(
        actor=actor, user=user, unit=tree.an_khanh, role=Role.CLERK, valid_from=D(2024, 1, 1)
    )
    services.end_role(actor=actor, grant=grant, last_day=D(2024, 12, 31))

    assert _entries(grant) == [
        (
            AuditAction.CREATE,
            "an-khanh",
            {
                "role": [None, str(Role.CLERK.label)],
                "unit": [None, "Đảng ủy xã An Khánh"],
                "user": [None, "canbo"],
                "valid_from": [None, "01/01/2024"],
            },
        ),
        (AuditAction.UPDATE, "an-khanh", {"valid_to": [None, "31/12/2024"]}),
    ]


def test_end_role_never_ends_before_the_start(tree, actor):
    grant = services.grant_role(
        actor=actor, user=UserFactory(), unit=tree.an_khanh, role=Role.CLERK, valid_from=D(2024, 1, 1)
    )

    services.end_role(actor=actor, grant=grant, last_day=D(2023, 1, 1))

    grant.refresh_from_db()
    assert grant.valid_to == D(2024, 1, 1)


@pytest.mark.parametrize(
    ("role", "unit", "fits"),
    [
        (Role.STANDING, "district", True),
        (Role.PROPAGANDA, "an_khanh", True),
        (Role.COUNCIL, "district", True),
        (Role.STANDING, "phuoc_thanh", False),
        (Role.PROPAGANDA, "women", False),
        (Role.COUNCIL, "phuoc_thanh", False),
        (Role.MEMBER, "phuoc_thanh", True),
        (Role.MEMBER, "women", True),
        (Role.MEMBER, "an_khanh", False),
        (Role.SECRETARY, "an_khanh", True),
        (Role.SECRETARY, "phuoc_thanh", True),
        (Role.CLERK, "women", True),
        (Role.ADMIN, "province", True),
    ],
)
def test_grant_role_gives_committee_roles_on_committees_and_the_member_role_on_cells(
    tree, actor, role, unit, fits
):
    user = UserFactory()
    target = getattr(tree, unit)

    if fits:
        services.grant_role(actor=actor, user=user, unit=target, role=role, valid_from=D(2024, 1, 1))
    else:
        with pytest.raises(ValidationError) as caught:
            services.grant_role(actor=actor, user=user, unit=target, role=role, valid_from=D(2024, 1, 1))
        assert list(caught.value.message_dict) == ["role"]

    assert user.role_grants.count() == (1 if fits else 0)


def test_grant_role_says_why_a_role_does_not_fit(tree, actor):
    with pytest.raises(ValidationError) as committee:
        services.check_role_fits_unit(Role.PROPAGANDA, tree.phuoc_thanh)
    with pytest.raises(ValidationError) as member:
        services.check_role_fits_unit(Role.MEMBER, tree.an_khanh)

    assert committee.value.message_dict == {
        "role": [
            tr(
                "“%(role)s” is a role of a Party committee, not of %(unit)s.",
                role=str(Role.PROPAGANDA.label),
                unit="Chi bộ ấp Phước Thạnh",
            )
        ]
    }
    assert member.value.message_dict == {
        "role": [
            tr("A party member's role is given on their cell, not on %(unit)s.", unit="Đảng ủy xã An Khánh")
        ]
    }


def test_end_role_refuses_to_end_the_actors_own_administrator_role(tree, actor):
    own = services.grant_role(
        actor=None, user=actor, unit=tree.province, role=Role.ADMIN, valid_from=D(2024, 1, 1)
    )
    other_role = services.grant_role(
        actor=None, user=actor, unit=tree.an_khanh, role=Role.SECRETARY, valid_from=D(2024, 1, 1)
    )

    with pytest.raises(ValidationError) as caught:
        services.end_role(actor=actor, grant=own, last_day=D(2024, 12, 31))
    services.end_role(actor=actor, grant=other_role, last_day=D(2024, 12, 31))

    assert caught.value.messages == [
        tr("You cannot end your own administrator role: another administrator must end it.")
    ]
    own.refresh_from_db()
    other_role.refresh_from_db()
    assert (own.valid_to, other_role.valid_to) == (None, D(2024, 12, 31))


def test_another_administrator_may_end_an_administrator_role(tree, actor):
    grant = services.grant_role(
        actor=None, user=UserFactory(), unit=tree.province, role=Role.ADMIN, valid_from=D(2024, 1, 1)
    )

    services.end_role(actor=actor, grant=grant, last_day=D(2024, 12, 31))

    grant.refresh_from_db()
    assert grant.valid_to == D(2024, 12, 31)


# --- unit keys -------------------------------------------------------------------------------


def test_unit_key_from_name_folds_hyphenates_and_avoids_keys_in_use(tree):
    UnitFactory(key="chi-bo-ap-phu-thanh", name="Chi bộ ấp Phú Thạnh")
    UnitFactory(key="chi-bo-ap-phu-thanh-2", name="Chi bộ ấp Phú Thạnh")

    assert [
        services.unit_key_from_name("Chi bộ ấp Phú Thạnh"),
        services.unit_key_from_name("  Đảng ủy xã   Tân Thạch (mới) "),
        services.unit_key_from_name("!!!"),
    ] == ["chi-bo-ap-phu-thanh-3", "dang-uy-xa-tan-thach-moi", "don-vi"]


def test_create_unit_without_a_key_makes_one_from_the_name(tree, actor):
    unit = services.create_unit(
        actor=actor,
        name="Chi bộ ấp Phước Thạnh",
        kind="cell",
        valid_from=D(2024, 1, 1),
        parent=tree.tan_thach,
    )

    assert unit.key == "chi-bo-ap-phuoc-thanh"
