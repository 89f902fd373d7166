"""The access funnel: which units and people each role reaches, and what it may do there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from lantoa.org.access import (
    ROLE_CAPABILITIES,
    Capability,
    compute_scope,
    get_person_for_user,
    get_unit_for_user,
    readable_unit_ids,
    scope_for,
)
from lantoa.org.models import Role, Unit
from lantoa.org.sensitive import may_see_sensitive
from tests.conftest import AFTER_THE_REFORM, BEFORE_THE_REFORM, persona
from tests.factories import PersonFactory, PositionFactory, RoleGrantFactory, UserFactory, member_in

D = dt.date
CHAU_THANH_KEYS = ["chau-thanh", "an-khanh", "phuoc-thanh", "tan-thach", "tan-thanh", "hoi-lhpn"]


def _unit_keys(scope, capability=Capability.VIEW):
    return sorted(Unit.objects.filter(pk__in=scope.unit_ids(capability)).values_list("key", flat=True))


def test_district_role_reaches_every_unit_ever_under_the_district(tree, district_staff):
    scope = compute_scope(district_staff.user)

    assert _unit_keys(scope) == sorted(CHAU_THANH_KEYS)


@pytest.mark.today(AFTER_THE_REFORM)
def test_district_staff_still_reach_an_khanh_after_it_left_the_district(tree, district_staff):
    # Today is after 1/7/2025, when An Khánh moved under the province.
    assert get_unit_for_user(district_staff.user, "an-khanh") == tree.an_khanh
    assert get_unit_for_user(district_staff.user, "phuoc-thanh") == tree.phuoc_thanh


def test_district_role_does_not_reach_the_province_or_the_other_district(tree, district_staff):
    for key in ["ben-tre", "giong-trom", "ap-giong"]:
        with pytest.raises(Http404):
            get_unit_for_user(district_staff.user, key)


def test_outsider_reaches_nothing_in_chau_thanh(tree, outsider):
    scope = compute_scope(outsider.user)

    assert _unit_keys(scope) == ["ap-giong"]
    for key in CHAU_THANH_KEYS:
        with pytest.raises(Http404):
            get_unit_for_user(outsider.user, key)


def test_unknown_unit_key_is_404_not_an_error(tree, admin_persona):
    with pytest.raises(Http404):
        get_unit_for_user(admin_persona.user, "khong-co")


def test_expired_grant_gives_nothing(tree):
    grant = RoleGrantFactory(
        unit=tree.district, role=Role.ADMIN, valid_from=D(2020, 1, 1), valid_to=D(2024, 12, 31)
    )

    scope = compute_scope(grant.user)

    assert (scope.unit_ids(), scope.grants, scope.can_anywhere(Capability.VIEW)) == (set(), [], False)
    with pytest.raises(Http404):
        get_unit_for_user(grant.user, "chau-thanh")


def test_grant_starting_tomorrow_gives_nothing_yet(tree):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    grant = RoleGrantFactory(unit=tree.district, role=Role.PROPAGANDA, valid_from=tomorrow)

    assert compute_scope(grant.user).unit_ids() == set()


def test_grant_is_judged_on_the_day_asked(tree):
    grant = RoleGrantFactory(
        unit=tree.women, role=Role.CLERK, valid_from=D(2020, 1, 1), valid_to=D(2024, 12, 31)
    )

    assert compute_scope(grant.user, today=D(2024, 12, 31)).unit_ids() == {tree.women.pk}
    assert compute_scope(grant.user, today=D(2025, 1, 1)).unit_ids() == set()


def test_anonymous_scope_is_empty(tree):
    scope = compute_scope(AnonymousUser())

    assert (scope.unit_ids(), scope.person_id, scope.is_superuser) == (set(), None, False)


def test_superuser_reaches_every_unit(tree):
    boss = UserFactory(is_superuser=True)

    assert len(compute_scope(boss).unit_ids()) == 9
    assert get_unit_for_user(boss, "ap-giong") == tree.other_cell


# --- capabilities per role -------------------------------------------------------------------


def test_role_capabilities_are_what_each_role_needs():
    caps = {role: sorted(ROLE_CAPABILITIES[role]) for role in Role.values}

    assert caps == {
        "admin": sorted(
            [
                "view",
                "edit_people",
                "import_members",
                "write_programme",
                "manage_tree",
                "manage_users",
                "oversee",
            ]
        ),
        "standing": ["oversee", "view", "write_programme"],
        "propaganda": ["edit_people", "import_members", "oversee", "view", "write_programme"],
        "secretary": [
            "edit_people",
            "import_members",
            "oversee",
            "view",
            "write_programme",
        ],
        "deputy": ["edit_people", "import_members", "oversee", "view", "write_programme"],
        "clerk": ["edit_people", "import_members", "oversee", "view", "write_programme"],
        "council": ["oversee", "view"],
        # Reads the unit like a member; keeping its fund is funds.access's rule, not a capability.
        "treasurer": ["view"],
        "member": ["view"],
    }


def test_propaganda_staff_do_not_see_sensitive_data(tree, district_staff, hien):
    assert get_person_for_user(district_staff.user, hien.person.public_id) == hien.person
    assert may_see_sensitive(district_staff.user, hien.person) is False


def test_secretary_sees_sensitive_data_of_their_own_cell(tree, women_secretary, hien):
    assert may_see_sensitive(women_secretary.user, hien.person) is True


def test_secretary_of_another_cell_does_not_reach_the_person(tree, cell_secretary, hien):
    with pytest.raises(Http404):
        get_person_for_user(cell_secretary.user, hien.person.public_id)
    assert may_see_sensitive(cell_secretary.user, hien.person) is False


def test_secretary_scope_is_their_cell_only(tree, cell_secretary):
    assert _unit_keys(compute_scope(cell_secretary.user)) == ["phuoc-thanh"]


def test_council_reads_but_may_not_change(tree, council_member, hien):
    assert get_unit_for_user(council_member.user, "hoi-lhpn") == tree.women
    assert get_person_for_user(council_member.user, hien.person.public_id) == hien.person

    with pytest.raises(PermissionDenied):
        get_unit_for_user(council_member.user, "hoi-lhpn", write=Capability.EDIT_PEOPLE)
    with pytest.raises(PermissionDenied):
        get_person_for_user(council_member.user, hien.person.public_id, write=Capability.EDIT_PEOPLE)
    assert may_see_sensitive(council_member.user, hien.person) is False


@pytest.mark.today(BEFORE_THE_REFORM)
def test_propaganda_staff_may_change_people_but_not_the_tree(tree, district_staff, hien):
    assert (
        get_person_for_user(district_staff.user, hien.person.public_id, write=Capability.EDIT_PEOPLE)
        == hien.person
    )

    with pytest.raises(PermissionDenied):
        get_unit_for_user(district_staff.user, "an-khanh", write=Capability.MANAGE_TREE)


@pytest.mark.today(AFTER_THE_REFORM)
def test_a_closed_districts_staff_read_its_people_but_change_nothing(tree, district_staff, hien):
    # Hiền's cell hung under the district, which ended on 30/6/2025.
    assert get_person_for_user(district_staff.user, hien.person.public_id) == hien.person
    with pytest.raises(PermissionDenied):
        get_person_for_user(district_staff.user, hien.person.public_id, write=Capability.EDIT_PEOPLE)


def test_out_of_scope_write_is_404_not_403(tree, outsider, hien):
    with pytest.raises(Http404):
        get_person_for_user(outsider.user, hien.person.public_id, write=Capability.EDIT_PEOPLE)
    with pytest.raises(Http404):
        get_unit_for_user(outsider.user, "hoi-lhpn", write=Capability.EDIT_PEOPLE)


# --- the member role and own records ---------------------------------------------------------


@pytest.fixture
def hien_as_member(tree, hien):
    """Nguyễn Thanh Hiền logged in with the plain member role on her cell."""
    made = persona(tree.women, Role.MEMBER)
    hien.person.user = made.user
    hien.person.save()
    return made


def test_member_role_reads_their_own_cell_and_its_members(tree, hien, hien_as_member):
    neighbour = member_in(tree.women, name="Trần Thị Hàng Xóm")
    scope = compute_scope(hien_as_member.user)

    assert (scope.unit_ids(), scope.person_id, scope.member_id) == ({tree.women.pk}, hien.person.pk, hien.pk)
    assert scope.person_public_id == hien.person.public_id
    assert get_person_for_user(hien_as_member.user, hien.person.public_id) == hien.person
    assert get_person_for_user(hien_as_member.user, neighbour.person.public_id) == neighbour.person
    assert get_unit_for_user(hien_as_member.user, "hoi-lhpn") == tree.women
    assert may_see_sensitive(hien_as_member.user, hien.person) is True
    assert may_see_sensitive(hien_as_member.user, neighbour.person) is False


def test_member_role_changes_nothing_in_their_cell(tree, hien, hien_as_member):
    neighbour = member_in(tree.women, name="Trần Thị Hàng Xóm")
    scope = compute_scope(hien_as_member.user)

    assert [c for c in sorted(ROLE_CAPABILITIES[Role.ADMIN]) if scope.can(c, tree.women)] == [Capability.VIEW]
    with pytest.raises(PermissionDenied):
        get_person_for_user(hien_as_member.user, neighbour.person.public_id, write=Capability.EDIT_PEOPLE)
    with pytest.raises(PermissionDenied):
        get_unit_for_user(hien_as_member.user, "hoi-lhpn", write=Capability.EDIT_PEOPLE)


@pytest.mark.parametrize("key", ["chau-thanh", "an-khanh", "phuoc-thanh", "ap-giong", "ben-tre"])
def test_member_role_reaches_no_other_unit(tree, hien_as_member, key):
    with pytest.raises(Http404):
        get_unit_for_user(hien_as_member.user, key)


def test_member_role_reaches_no_member_of_another_cell(tree, hien_as_member, stranger):
    other = member_in(tree.phuoc_thanh, name="Lê Văn Ấp Khác")

    for person in (other.person, stranger.person):
        with pytest.raises(Http404):
            get_person_for_user(hien_as_member.user, person.public_id)


def test_member_may_not_change_their_own_record(tree, hien, hien_as_member):
    with pytest.raises(PermissionDenied):
        get_person_for_user(hien_as_member.user, hien.person.public_id, write=Capability.EDIT_PEOPLE)


# --- people reached through posts and registration -------------------------------------------


def test_person_is_reached_through_a_post_in_scope(tree, cell_secretary):
    leader = PositionFactory(unit=tree.phuoc_thanh, person=PersonFactory(full_name="Lý Văn Bí Thư")).person

    assert get_person_for_user(cell_secretary.user, leader.public_id) == leader


def test_non_member_is_reached_through_the_registering_unit(tree, cell_secretary):
    citizen = PersonFactory(full_name="Huỳnh Thị Điển Hình", registered_unit=tree.phuoc_thanh)

    assert get_person_for_user(cell_secretary.user, citizen.public_id) == citizen


@pytest.mark.parametrize("bad_id", ["6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b", "not-a-uuid", "", None])
def test_unknown_or_malformed_person_id_is_404(tree, admin_persona, bad_id):
    with pytest.raises(Http404):
        get_person_for_user(admin_persona.user, bad_id)


# --- cost ------------------------------------------------------------------------------------


def test_scope_costs_one_query_per_distinct_role_however_many_grants(tree, django_assert_num_queries):
    user = UserFactory()
    for unit in [tree.an_khanh, tree.tan_thach, tree.women, tree.other_district]:
        RoleGrantFactory(user=user, unit=unit, role=Role.CLERK)
    RoleGrantFactory(user=user, unit=tree.district, role=Role.COUNCIL)

    # grants + one walk per role (2) + own person
    with django_assert_num_queries(4):
        scope = compute_scope(user)

    assert len(scope.unit_ids()) == 8


def test_scope_is_computed_once_per_request_user(tree, district_staff, django_assert_num_queries):
    first = scope_for(district_staff.user)

    with django_assert_num_queries(0):
        again = scope_for(district_staff.user)

    assert again is first


def test_former_cell_secretary_sees_the_member_but_no_longer_answers_for_them(tree, cell_secretary):
    member = member_in(tree.phuoc_thanh, name="Trần Thị Chuyển Đi", since=dt.date(2015, 1, 1))
    membership = member.memberships.get()
    membership.valid_to = dt.date(2023, 12, 31)
    membership.save()
    member.memberships.create(unit=tree.tan_thanh, valid_from=dt.date(2024, 1, 1))
    person = member.person
    user = cell_secretary.user

    assert get_person_for_user(user, person.public_id) == person
    assert may_see_sensitive(user, person) is False
    with pytest.raises(PermissionDenied):
        get_person_for_user(user, person.public_id, write=Capability.EDIT_PEOPLE)


def test_member_role_reads_what_the_committees_above_their_cell_publish(tree):
    member = persona(tree.phuoc_thanh, Role.MEMBER)

    readable = readable_unit_ids(compute_scope(member.user))

    assert readable == {tree.phuoc_thanh.pk, tree.an_khanh.pk, tree.district.pk, tree.province.pk}


# --- a list's filter and a record's check agree --------------------------------------------------


@pytest.mark.today(AFTER_THE_REFORM)
@pytest.mark.parametrize("who", ["district_staff", "admin_persona", "cell_secretary", "outsider"])
def test_the_list_filter_and_the_record_check_agree_on_every_day(tree, request, who):
    """Records on both sides of the reform, on units' first days and before them (misdated): what
    a list shows (``reach_filter``) is what a record's page lets through (``can_on``)."""
    from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus

    days = [D(1975, 12, 31), D(1999, 12, 31), D(2000, 1, 1), D(2025, 6, 30), D(2025, 7, 1), D(2026, 1, 5)]
    units = [tree.district, tree.an_khanh, tree.phuoc_thanh, tree.tan_thach, tree.tan_thanh, tree.women]
    for unit in [*units, tree.other_cell]:
        for day in days:
            Meeting.objects.create(
                unit=unit,
                kind=MeetingKind.REGULAR,
                date=day,
                period=day.replace(day=1),
                status=MeetingStatus.HELD,
            )
    scope = compute_scope(request.getfixturevalue(who).user)

    listed = set(
        Meeting.objects.filter(scope.reach_filter("unit_id", on="date")).values_list("pk", flat=True)
    )
    checked = {
        meeting.pk
        for meeting in Meeting.objects.all()
        if scope.can_on(Capability.VIEW, meeting.unit_id, meeting.date)
    }

    assert listed == checked
    if who == "district_staff":
        # The closed district reads An Khánh's records up to its move, and the misdated ones from
        # before its cells existed, but nothing An Khánh did under the province.
        seen = {(m.unit.key, m.date) for m in Meeting.objects.filter(pk__in=listed).select_related("unit")}
        assert ("phuoc-thanh", D(1999, 12, 31)) in seen
        assert ("phuoc-thanh", D(2025, 6, 30)) in seen
        assert ("phuoc-thanh", D(2025, 7, 1)) not in seen
        assert ("an-khanh", D(2026, 1, 5)) not in seen
        assert not any(key == "ap-giong" for key, _day in seen)
