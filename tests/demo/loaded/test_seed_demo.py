"""The demo district as `manage.py seed_demo` loads it (once per session, see conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.audit.models import AuditEntry
from lantoa.demo.accounts import LOGINS
from lantoa.demo.base import AUDIT_NOTE, PASSWORD, REFERENCE_DATE
from lantoa.org.member_dates import member_date_problems
from lantoa.org.models import (
    CardNumberChange,
    Membership,
    PartyMember,
    Person,
    Position,
    PositionTitle,
    StaffBodyKind,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)
from lantoa.org.queries import path_to_root, staff_body_name_on, valid_on

D = dt.date
APPS = ("org", "accounts", "audit", "documents", "cells", "ratings")


def run_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


def keys_of_path(key: str, on: dt.date) -> list[str]:
    return [unit.key for unit in path_to_root(Unit.objects.get(key=key), on)]


def current_members(key: str, on: dt.date = REFERENCE_DATE) -> list[PartyMember]:
    return [
        m.member
        for m in Membership.objects.filter(valid_on(on), unit__key=key).select_related("member__person")
    ]


def holder(unit_key: str, title: str, on: dt.date = REFERENCE_DATE) -> list[str]:
    return sorted(
        Position.objects.filter(valid_on(on), unit__key=unit_key, title=title).values_list(
            "person__full_name", flat=True
        )
    )


# --- the command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_reports_what_it_loaded(demo):
    assert "Demo loaded (org, documents, cells, honours, ratings, funds)" in demo
    assert "party members on 30/04/2024" in demo


@pytest.mark.django_db
def test_seed_demo_second_run_changes_nothing(demo):
    before = row_counts()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()

    output = run_seed()

    assert output.strip() == "The demo is already loaded; nothing changed."
    assert row_counts() == before
    assert AuditEntry.objects.filter(id__gt=last_audit).count() == 0


@pytest.mark.django_db
def test_seed_demo_logins_prints_only_the_table(demo):
    lines = run_seed("--logins").splitlines()

    assert lines[0].split() == ["username", "role", "unit", "person"]
    assert [line.split()[0] for line in lines[1:]] == [login.username for login in LOGINS]
    assert "Nguyễn Thanh Hiền" in lines[[login.username for login in LOGINS].index("bithu.lhpn") + 1]


# --- the seed's people and the logins ----------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_has_the_seed_articles_people_in_their_posts(demo):
    assert holder("chau-thanh", PositionTitle.SECRETARY) == ["Phan Song Toàn"]
    assert holder("chau-thanh", PositionTitle.STANDING_DEPUTY) == ["Huỳnh Thanh Tuấn"]
    assert holder("chau-thanh", PositionTitle.HEAD_OF_COMMISSION) == ["Võ Thị Phương"]
    assert holder("chi-bo-hoi-lhpn", PositionTitle.SECRETARY) == ["Nguyễn Thanh Hiền"]
    assert holder("hoi-lhpn-huyen", PositionTitle.CHAIR) == ["Nguyễn Thanh Hiền"]
    hien = Person.objects.get(full_name="Nguyễn Thanh Hiền")
    assert hien.party_member.memberships.get().unit.key == "chi-bo-hoi-lhpn"


@pytest.mark.django_db
def test_seed_demo_logins_work_with_the_demo_password(demo, client):
    for login in LOGINS:
        client.logout()
        response = client.post(reverse("accounts:login"), {"username": login.username, "password": PASSWORD})

        assert response.status_code == 302, login.username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=login.username).pk)


@pytest.mark.django_db
def test_seed_demo_logins_hold_their_roles_and_people(demo):
    expected = {
        "admin": ("admin", ["ben-tre", "vinh-long"], None),
        "tuyengiao": ("propaganda", ["chau-thanh", "vinh-long"], "Võ Thị Phương"),
        "thuongtruc": ("standing", ["chau-thanh", "vinh-long"], "Huỳnh Thanh Tuấn"),
        "bithu.ankhanh": ("secretary", ["xa-an-khanh"], holder("xa-an-khanh", PositionTitle.SECRETARY)[0]),
        "bithu.phuocthanh": (
            "secretary",
            ["chi-bo-ap-phuoc-thanh-an-khanh"],
            holder("chi-bo-ap-phuoc-thanh-an-khanh", PositionTitle.SECRETARY)[0],
        ),
        "bithu.lhpn": ("secretary", ["chi-bo-hoi-lhpn"], "Nguyễn Thanh Hiền"),
        "hoidong": ("council", ["chau-thanh", "vinh-long"], None),
        "dangvien": ("member", ["chi-bo-ap-phuoc-thanh-an-khanh"], None),
    }
    for username, (role, unit_keys, person_name) in expected.items():
        user = User.objects.get(username=username)
        grants = user.role_grants.order_by("unit__key")

        assert [(g.role, g.unit.key) for g in grants] == [(role, key) for key in unit_keys]
        assert all(g.valid_to is None and g.valid_from <= D(2025, 7, 1) for g in grants)
        assert user.get_full_name()
        if person_name:
            assert user.person.full_name == person_name == user.get_full_name()
    plain = User.objects.get(username="dangvien").person
    assert plain.party_member.memberships.get().unit.key == "chi-bo-ap-phuoc-thanh-an-khanh"
    assert not plain.positions.exists()


# --- the tree ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_womens_union_cell_sits_directly_under_the_district(demo):
    assert keys_of_path("chi-bo-hoi-lhpn", D(2023, 6, 1)) == ["ben-tre", "chau-thanh", "chi-bo-hoi-lhpn"]
    assert Unit.objects.get(key="chi-bo-hoi-lhpn").kind == UnitKind.GRASSROOTS_CELL
    members = current_members("chi-bo-hoi-lhpn", D(2023, 6, 1))
    assert 9 <= len(members) <= 12
    assert Counter(m.person.gender for m in members)["F"] >= len(members) - 1


@pytest.mark.django_db
def test_seed_demo_phuoc_thanh_hangs_under_an_khanh_then_under_vinh_long(demo):
    cell = "chi-bo-ap-phuoc-thanh-an-khanh"
    assert keys_of_path(cell, D(2023, 6, 1)) == ["ben-tre", "chau-thanh", "xa-an-khanh", cell]
    assert keys_of_path(cell, D(2025, 8, 1)) == ["vinh-long", "xa-an-khanh", cell]


@pytest.mark.django_db
def test_seed_demo_2025_reorganisation_is_dated(demo):
    district, province = Unit.objects.get(key="chau-thanh"), Unit.objects.get(key="ben-tre")
    assert (district.valid_to, province.valid_to) == (D(2025, 6, 30), D(2025, 6, 30))
    assert Unit.objects.get(key="vinh-long").valid_from == D(2025, 7, 1)
    merges = set(UnitSuccession.objects.values_list("predecessor__key", "successor__key", "kind"))
    assert ("ben-tre", "vinh-long", SuccessionKind.MERGE) in merges
    assert ("xa-tuong-da", "xa-tien-thuy", SuccessionKind.MERGE) in merges
    propaganda = district.staff_bodies.get(kind=StaffBodyKind.PROPAGANDA)
    assert staff_body_name_on(propaganda.pk, D(2025, 2, 28)).code == "BTGHU"
    assert staff_body_name_on(propaganda.pk, D(2025, 3, 1)).name == "Ban Tuyên giáo và Dân vận"


@pytest.mark.django_db
def test_seed_demo_has_enough_hamlet_cells_for_the_term_target(demo):
    hamlet_cells = Unit.objects.filter(valid_on(D(2024, 6, 30)), kind=UnitKind.CELL).filter(
        name__regex=r"^Chi bộ (ấp|khu phố) "
    )
    cells = Unit.objects.filter(valid_on(D(2024, 6, 30)), kind__in=[UnitKind.CELL, UnitKind.GRASSROOTS_CELL])

    assert hamlet_cells.count() >= 66
    assert 150 <= cells.count() <= 200


@pytest.mark.django_db
def test_seed_demo_every_cell_has_one_secretary_through_the_period(demo):
    for day in (D(2021, 5, 1), REFERENCE_DATE, D(2025, 8, 1)):
        cells = set(
            Unit.objects.filter(
                valid_on(day), kind__in=[UnitKind.CELL, UnitKind.GRASSROOTS_CELL]
            ).values_list("pk", flat=True)
        )
        secretaries = Counter(
            Position.objects.filter(valid_on(day), title=PositionTitle.SECRETARY, unit__in=cells).values_list(
                "unit_id", flat=True
            )
        )
        assert set(secretaries) == cells, day
        assert set(secretaries.values()) == {1}, day


# --- the members -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_demo_card_numbers_are_unique_eight_digits(demo):
    current = list(PartyMember.objects.exclude(card_number=None).values_list("card_number", flat=True))
    old = list(CardNumberChange.objects.values_list("old_number", flat=True))

    assert len(set(current + old)) == len(current) + len(old)
    assert all(len(number) == 8 and number.isdigit() for number in current + old)
    assert len(old) > 0


@pytest.mark.django_db
def test_seed_demo_only_recent_admissions_are_probationary(demo):
    year_before = REFERENCE_DATE - dt.timedelta(days=365)
    probationary = PartyMember.objects.filter(full_member_on=None)

    assert not probationary.filter(admitted_on__lte=year_before).exists()
    assert 0.02 <= probationary.count() / PartyMember.objects.count() <= 0.06
    # Cards are issued on full membership.
    assert not probationary.exclude(card_number=None).exists()
    assert not PartyMember.objects.exclude(full_member_on=None).filter(card_number=None).exists()


@pytest.mark.django_db
def test_seed_demo_bulk_rows_are_audited_as_demo_data(demo):
    person_entries = AuditEntry.objects.filter(target_type__model="person", action="create")

    assert person_entries.count() == Person.objects.count()
    assert set(person_entries.values_list("actor_id", "actor_name", "note").distinct()) == {
        (None, "hệ thống", AUDIT_NOTE)
    }
    assert (
        AuditEntry.objects.filter(target_type__model="unit", action="create").count() == Unit.objects.count()
    )


@pytest.mark.django_db
def test_seed_demo_members_keep_the_party_rules_on_dates(demo):
    """The demo writes in bulk, past the services: it must still hold only what they accept."""
    today = timezone.localdate()
    broken = [
        (name, problems)
        for name, birth, admitted, full in PartyMember.objects.values_list(
            "person__full_name", "person__birth_date", "admitted_on", "full_member_on"
        )
        if (problems := member_date_problems(birth=birth, admitted=admitted, full=full, today=today))
    ]

    assert broken == []
