"""The demo district as `manage.py seed_demo` loads it.

The demo is built once for the module (inside a transaction rolled back at the end) because a
build takes seconds; every test then runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from lantoa.accounts.models import User
from lantoa.audit.models import AuditEntry
from lantoa.cells.models import (
    AgendaItem,
    Article,
    Attendance,
    BulletinIssue,
    Meeting,
    Opinion,
    StudyMaterial,
)
from lantoa.demo.accounts import LOGINS
from lantoa.demo.base import AUDIT_NOTE, PASSWORD, REFERENCE_DATE
from lantoa.documents.models import (
    Attachment,
    Campaign,
    Commitment,
    Document,
    Filing,
    NumberSequence,
    Obligation,
    Term,
    Theme,
)
from lantoa.org.models import (
    CardNumberChange,
    Membership,
    PartyMember,
    Person,
    Position,
    PositionTitle,
    RoleGrant,
    StaffBodyKind,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitParentage,
    UnitSuccession,
)
from lantoa.org.queries import path_to_root, staff_body_name_on, valid_on

D = dt.date
APPS = ("org", "accounts", "audit", "documents", "cells")


def run_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _keep_statistics_true() -> None:
    """PostgreSQL only. Each module holds the demo in one long uncommitted transaction. Autovacuum,
    cleaning up after an earlier rollback, cannot see those rows: it records the tables as empty
    (reltuples 0 over many pages), and the planner then nests loops over thousands of rows for
    minutes. So autovacuum is switched off for the (throwaway) test database's tables, committed
    before the transaction, and ANALYZE runs inside it once the demo is loaded (it counts the
    transaction's own rows)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} SET (autovacuum_enabled = off)")


def _settle() -> None:
    """PostgreSQL only: statistics for the loaded demo (see above), and the deferred foreign-key
    checks of its rows run once here. Otherwise every test's teardown, which checks constraints
    inside its savepoint, would re-check the whole demo's rows and roll the result back again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("ANALYZE")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _keep_statistics_true()
        with transaction.atomic():
            output = run_seed()
            _settle()
            yield output
            transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


def demo_digest() -> str:
    """Everything a rebuild must reproduce, in an order that does not depend on row ids."""
    digest = hashlib.sha256()
    queries = [
        Unit.objects.order_by("key").values_list(
            "key", "name", "kind", "short_code", "valid_from", "valid_to"
        ),
        UnitParentage.objects.order_by("unit__key", "valid_from").values_list(
            "unit__key", "parent__key", "valid_from", "valid_to"
        ),
        Person.objects.order_by("public_id").values_list(
            "public_id",
            "full_name",
            "birth_date",
            "gender",
            "phone",
            "ethnicity",
            "religion",
            "id_number",
            "party_member__card_number",
            "party_member__admitted_on",
            "party_member__full_member_on",
        ),
        Membership.objects.order_by("member__person__public_id", "valid_from").values_list(
            "member__person__public_id", "unit__key", "valid_from", "valid_to"
        ),
        Document.objects.order_by("issuer_name", "type_code", "issued_on", "number").values_list(
            "issuer_unit__key", "issuer_code", "type_code", "number", "issued_on", "summary", "signer_name"
        ),
        Filing.objects.order_by("unit__key", "obligation__deadline").values_list(
            "unit__key", "obligation__title", "filed_on", "document__number"
        ),
        Position.objects.order_by("person__public_id", "unit__key", "title", "valid_from").values_list(
            "person__public_id", "unit__key", "title", "valid_from", "valid_to"
        ),
        CardNumberChange.objects.order_by("old_number").values_list("old_number", "new_number", "changed_on"),
        Meeting.objects.order_by("public_id").values_list(
            "public_id",
            "unit__key",
            "kind",
            "period",
            "date",
            "starts_at",
            "ends_at",
            "status",
            "chair__public_id",
            "clerk__public_id",
        ),
        AgendaItem.objects.order_by("meeting__public_id", "order").values_list(
            "meeting__public_id", "order", "kind", "title", "presenter__public_id", "votes_for", "votes_total"
        ),
        # Attendance by meeting and status rather than row by row: the same check, a fraction of the time.
        Attendance.objects.order_by("meeting__public_id", "status")
        .values("meeting__public_id", "status")
        .annotate(n=Count("id"))
        .values_list("meeting__public_id", "status", "n"),
        Article.objects.order_by("public_id").values_list(
            "public_id", "cell__key", "author__person__public_id", "issue__number", "status", "assigned_on"
        ),
        StudyMaterial.objects.order_by("public_id").values_list(
            "public_id", "unit__key", "title", "url", "shared_on", "shared_by__public_id", "in_library"
        ),
    ]
    for query in queries:
        for row in query:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def wipe_everything() -> None:
    # Later domains first: their rows protect the units and people they point to.
    for model in (
        Article,
        BulletinIssue,
        Opinion,
        AgendaItem.materials.through,
        AgendaItem,
        Attendance,
        Meeting,
        StudyMaterial,
        Filing,
        Attachment,
        Commitment,
        Obligation,
        Campaign,
        Theme,
        Document,
        NumberSequence,
        Term,
    ):
        model.objects.all().delete()
    AuditEntry.objects.all().delete()
    RoleGrant.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
    UnitSuccession.objects.all().delete()
    UnitParentage.objects.all().delete()
    Unit.objects.all().delete()


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


# Marked like the others although it reads no table: pytest-django moves unmarked tests after the
# marked ones, and this one then ran after other modules and built the demo a second time.
@pytest.mark.django_db
def test_seed_demo_reports_what_it_loaded(demo):
    assert "Demo loaded (org, documents, cells)" in demo
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
def test_seed_demo_rebuild_gives_the_same_demo(demo):
    first = demo_digest()
    wipe_everything()

    run_seed()

    assert demo_digest() == first


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
        "tuyengiao": ("propaganda", ["chau-thanh"], "Võ Thị Phương"),
        "thuongtruc": ("standing", ["chau-thanh"], "Huỳnh Thanh Tuấn"),
        "bithu.ankhanh": ("secretary", ["xa-an-khanh"], holder("xa-an-khanh", PositionTitle.SECRETARY)[0]),
        "bithu.phuocthanh": (
            "secretary",
            ["chi-bo-ap-phuoc-thanh-an-khanh"],
            holder("chi-bo-ap-phuoc-thanh-an-khanh", PositionTitle.SECRETARY)[0],
        ),
        "bithu.lhpn": ("secretary", ["chi-bo-hoi-lhpn"], "Nguyễn Thanh Hiền"),
        "hoidong": ("council", ["chau-thanh"], None),
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
def test_seed_demo_member_count_is_in_range(demo):
    assert 3500 <= Membership.objects.filter(valid_on(REFERENCE_DATE)).count() <= 5000


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
