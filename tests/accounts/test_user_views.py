"""Accounts and role grants, managed by administrators within their part of the tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.org.models import Role, RoleGrant
from tests.conftest import AFTER_THE_REFORM, BEFORE_THE_REFORM, page_text, persona, tr
from tests.factories import RoleGrantFactory, UserFactory

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
LOGIN = reverse("accounts:login")


@pytest.fixture
def chau_admin(tree):
    """Administrator of Huyện ủy Châu Thành only."""
    return persona(tree.district, Role.ADMIN)


@pytest.fixture
def giong_trom_account(tree):
    """An account that holds roles in Giồng Trôm only: Châu Thành must not see it."""
    user = UserFactory(username="giongtrom-bimat", first_name="Bí", last_name="Mật")
    RoleGrantFactory(user=user, unit=tree.other_cell, role=Role.CLERK)
    return user


def _grant_data(unit_key: str, role: str = Role.CLERK, **extra: str) -> dict[str, str]:
    return {"unit": unit_key, "role": role, "valid_from": "01/01/2025", "valid_to": "", **extra}


# --- who may open what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("accounts:users", [], "get"),
        ("accounts:user_create", [], "get"),
        ("accounts:user_detail", [1], "get"),
        ("accounts:grant_end", [1, 1], "post"),
    ],
)
def test_account_pages_send_anonymous_to_login(db, anonymous, name, args, method):
    url = reverse(name, args=args)

    response = getattr(anonymous, method)(url)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={url}")


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("accounts:users", "get"),
        ("accounts:user_create", "get"),
        ("accounts:user_detail", "get"),
        ("accounts:grant_end", "post"),
    ],
)
@pytest.mark.parametrize("who", ["district_staff", "council_member", "cell_secretary"])
def test_account_pages_are_forbidden_to_non_administrators(request, tree, name, method, who):
    client = request.getfixturevalue(who).client
    target = request.getfixturevalue("district_staff").user
    grant = target.role_grants.get()
    args = {"accounts:user_detail": [target.pk], "accounts:grant_end": [target.pk, grant.pk]}.get(name, [])

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.valid_to is None


# --- list ------------------------------------------------------------------------------------


def test_user_list_shows_accounts_with_roles_in_the_admins_units(
    tree, chau_admin, district_staff, cell_secretary, giong_trom_account
):
    response = chau_admin.client.get(reverse("accounts:users"))

    usernames = [user.username for user in response.context["users"]]
    assert usernames == sorted(
        [chau_admin.user.username, district_staff.user.username, cell_secretary.user.username]
    )
    text = page_text(response)
    assert f"{Role.PROPAGANDA.label} — Huyện ủy Châu Thành" in text
    assert "giongtrom-bimat" not in text
    assert "Chi bộ ấp Giồng" not in text


def test_user_list_queries_do_not_grow_with_the_number_of_accounts(tree, chau_admin):
    url = reverse("accounts:users")
    chau_admin.client.get(url)  # warm caches shared by every request

    with CaptureQueriesContext(connection) as one:
        chau_admin.client.get(url)
    for unit in [tree.an_khanh, tree.women, tree.tan_thach]:
        RoleGrantFactory(unit=unit, role=Role.CLERK)
    with CaptureQueriesContext(connection) as four:
        response = chau_admin.client.get(url)

    assert len(response.context["users"]) == 4
    assert len(four) == len(one)


# --- create ----------------------------------------------------------------------------------


def test_user_create_makes_the_account_and_its_first_role(tree, chau_admin):
    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {
            "username": "tran-lan",
            "full_name": "Trần Thị Lan",
            "password": "Lan-toa-2025-moi",
            **_grant_data("an-khanh"),
        },
    )

    user = User.objects.get(username="tran-lan")
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert (user.first_name, user.last_name, user.check_password("Lan-toa-2025-moi")) == (
        "Trần Thị",
        "Lan",
        True,
    )
    assert list(user.role_grants.values_list("unit__key", "role", "valid_from", "valid_to")) == [
        ("an-khanh", Role.CLERK, D(2025, 1, 1), None)
    ]
    assert list(
        AuditEntry.objects.filter(actor=chau_admin.user).order_by("id").values_list("action", "target_repr")
    ) == [(AuditAction.CREATE, str(user)), (AuditAction.CREATE, f"{Role.CLERK.label} – Đảng ủy xã An Khánh")]


def test_user_create_refuses_a_taken_username_by_the_field(tree, chau_admin, district_staff):
    taken = district_staff.user.username.upper()

    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {"username": taken, "full_name": "Ai Đó", "password": "Lan-toa-2025-moi", **_grant_data("an-khanh")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"username": [tr("This username is taken.")]}
    assert tr("This username is taken.") in page_text(response)
    assert not User.objects.filter(username=taken).exists()


def test_user_create_shows_password_rules_by_the_password_field(tree, chau_admin):
    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {"username": "lan", "full_name": "Trần Thị Lan", "password": "12345678", **_grant_data("an-khanh")},
    )

    errors = response.context["form"].errors
    assert list(errors) == ["password"]
    assert len(errors["password"]) == 3  # too short, too common, entirely numeric
    assert not User.objects.filter(username="lan").exists()


def test_user_create_cannot_grant_a_role_outside_the_admins_units(tree, chau_admin):
    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {
            "username": "lan",
            "full_name": "Trần Thị Lan",
            "password": "Lan-toa-2025-moi",
            **_grant_data("ap-giong"),
        },
    )

    assert list(response.context["grant_form"].errors) == ["unit"]
    assert not User.objects.filter(username="lan").exists()


def test_user_create_form_offers_only_the_admins_units(tree, chau_admin):
    response = chau_admin.client.get(reverse("accounts:user_create"))

    offered = sorted(unit.key for unit in response.context["grant_form"].fields["unit"].queryset)
    assert offered == sorted(["chau-thanh", "an-khanh", "phuoc-thanh", "tan-thach", "tan-thanh", "hoi-lhpn"])


# --- detail and grants -----------------------------------------------------------------------


def test_user_detail_shows_the_roles(tree, chau_admin, district_staff):
    response = chau_admin.client.get(reverse("accounts:user_detail", args=[district_staff.user.pk]))

    assert response.context["account"] == district_staff.user
    assert f"{Role.PROPAGANDA.label} — Huyện ủy Châu Thành (01/01/2020 – …)" in page_text(response)


def test_user_detail_of_an_account_in_another_district_is_404(tree, chau_admin, giong_trom_account):
    response = chau_admin.client.get(reverse("accounts:user_detail", args=[giong_trom_account.pk]))

    assert response.status_code == 404
    assert "giongtrom-bimat" not in response.content.decode()


def test_user_detail_of_a_missing_account_is_404(tree, chau_admin):
    assert chau_admin.client.get(reverse("accounts:user_detail", args=[999999])).status_code == 404


def test_user_detail_grants_another_role(tree, chau_admin, district_staff):
    url = reverse("accounts:user_detail", args=[district_staff.user.pk])

    response = chau_admin.client.post(url, _grant_data("phuoc-thanh", Role.SECRETARY))

    assert response["Location"] == url
    assert sorted(district_staff.user.role_grants.values_list("unit__key", "role")) == [
        ("chau-thanh", Role.PROPAGANDA),
        ("phuoc-thanh", Role.SECRETARY),
    ]


def test_user_detail_refuses_an_end_before_the_start_by_the_field(tree, chau_admin, district_staff):
    response = chau_admin.client.post(
        reverse("accounts:user_detail", args=[district_staff.user.pk]),
        _grant_data("phuoc-thanh", valid_to="31/12/2024"),
    )

    assert response.context["form"].errors == {"valid_to": [tr("The end date is before the start date.")]}
    assert tr("The end date is before the start date.") in page_text(response)
    assert district_staff.user.role_grants.count() == 1


def test_grant_end_ends_the_role_today(tree, chau_admin, district_staff):
    grant = district_staff.user.role_grants.get()

    response = chau_admin.client.post(reverse("accounts:grant_end", args=[district_staff.user.pk, grant.pk]))

    assert response["Location"] == reverse("accounts:user_detail", args=[district_staff.user.pk])
    grant.refresh_from_db()
    assert grant.valid_to == timezone.localdate()
    assert list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(RoleGrant), target_id=str(grant.pk)
        ).values_list("action", "changes")
    ) == [(AuditAction.UPDATE, {"valid_to": [None, timezone.localdate().strftime("%d/%m/%Y")]})]


def test_grant_end_asks_first_naming_the_person_the_role_and_the_unit(tree, chau_admin, district_staff):
    district_staff.user.first_name, district_staff.user.last_name = "Võ Thị", "Phương"
    district_staff.user.save()
    grant = district_staff.user.role_grants.get()
    detail_url = reverse("accounts:user_detail", args=[district_staff.user.pk])
    end_url = reverse("accounts:grant_end", args=[district_staff.user.pk, grant.pk])

    detail = chau_admin.client.get(detail_url)
    question = chau_admin.client.get(end_url)

    assert f'href="{end_url}"' in detail.content.decode()
    assert tr(
        "End the role “%(role)s” of %(name)s on %(unit)s today, %(date)s?",
        role=str(Role.PROPAGANDA.label),
        name="Võ Thị Phương",
        unit="Huyện ủy Châu Thành",
        date=timezone.localdate().strftime("%d/%m/%Y"),
    ) in page_text(question)
    assert f'href="{detail_url}"' in question.content.decode()
    grant.refresh_from_db()
    assert grant.valid_to is None


def test_grant_end_answers_only_get_and_post(tree, chau_admin, district_staff):
    grant = district_staff.user.role_grants.get()

    response = chau_admin.client.put(reverse("accounts:grant_end", args=[district_staff.user.pk, grant.pk]))

    assert response.status_code == 405


def test_an_administrator_cannot_end_their_own_administrator_role(tree, chau_admin):
    grant = chau_admin.user.role_grants.get()
    detail_url = reverse("accounts:user_detail", args=[chau_admin.user.pk])
    end_url = reverse("accounts:grant_end", args=[chau_admin.user.pk, grant.pk])
    refusal = tr("You cannot end your own administrator role: another administrator must end it.")

    detail = chau_admin.client.get(detail_url)
    question = chau_admin.client.get(end_url)
    posted = chau_admin.client.post(end_url, follow=True)

    assert f'href="{end_url}"' not in detail.content.decode()
    assert tr("Your own administrator role: another administrator must end it.") in page_text(detail)
    assert refusal in page_text(question)
    assert f'type="submit">{tr("End the role")}</button>' not in question.content.decode()
    assert posted.redirect_chain == [(detail_url, 302)]
    assert refusal in page_text(posted)
    grant.refresh_from_db()
    assert grant.valid_to is None


def test_another_administrator_ends_an_administrators_role(tree, chau_admin):
    province_admin = persona(tree.province, Role.ADMIN)
    grant = chau_admin.user.role_grants.get()

    province_admin.client.post(reverse("accounts:grant_end", args=[chau_admin.user.pk, grant.pk]))

    grant.refresh_from_db()
    assert grant.valid_to == timezone.localdate()


def test_grant_end_of_an_ended_role_says_so(tree, chau_admin, district_staff):
    grant = district_staff.user.role_grants.get()
    grant.valid_to = D(2024, 12, 31)
    grant.save()

    response = chau_admin.client.post(
        reverse("accounts:grant_end", args=[district_staff.user.pk, grant.pk]), follow=True
    )

    assert tr("This role has already ended.") in page_text(response)
    grant.refresh_from_db()
    assert grant.valid_to == D(2024, 12, 31)


# --- the role and unit choices ---------------------------------------------------------------


def test_user_create_form_chooses_no_role_in_advance(tree, chau_admin):
    response = chau_admin.client.get(reverse("accounts:user_create"))

    select = str(response.context["grant_form"]["role"])
    assert f'<option value="" selected>{tr("— Choose —")}</option>' in select
    assert '<option value="admin" selected>' not in select


def test_user_create_needs_a_role(tree, chau_admin):
    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {
            "username": "lan",
            "full_name": "Trần Thị Lan",
            "password": "Lan-toa-2025-moi",
            **_grant_data("an-khanh", ""),
        },
    )

    assert list(response.context["grant_form"].errors) == ["role"]
    assert not User.objects.filter(username="lan").exists()


@pytest.mark.parametrize(
    ("unit", "role"),
    [
        ("phuoc-thanh", Role.PROPAGANDA),
        ("hoi-lhpn", Role.STANDING),
        ("phuoc-thanh", Role.COUNCIL),
        ("an-khanh", Role.MEMBER),
    ],
)
def test_user_create_refuses_a_role_that_does_not_fit_the_unit(tree, chau_admin, unit, role):
    response = chau_admin.client.post(
        reverse("accounts:user_create"),
        {
            "username": "lan",
            "full_name": "Trần Thị Lan",
            "password": "Lan-toa-2025-moi",
            **_grant_data(unit, role),
        },
    )

    assert list(response.context["grant_form"].errors) == ["role"]
    assert not User.objects.filter(username="lan").exists()


def test_user_create_gives_the_member_role_on_a_cell(tree, chau_admin):
    chau_admin.client.post(
        reverse("accounts:user_create"),
        {
            "username": "dang.vien+1@ap_phuoc-thanh",
            "full_name": "Trần Văn Đảng Viên",
            "password": "Lan-toa-2025-moi",
            **_grant_data("phuoc-thanh", Role.MEMBER),
        },
    )

    user = User.objects.get(username="dang.vien+1@ap_phuoc-thanh")
    assert list(user.role_grants.values_list("unit__key", "role")) == [("phuoc-thanh", Role.MEMBER)]


def test_user_detail_refuses_a_committee_role_on_a_cell_by_the_field(tree, chau_admin, district_staff):
    response = chau_admin.client.post(
        reverse("accounts:user_detail", args=[district_staff.user.pk]),
        _grant_data("phuoc-thanh", Role.PROPAGANDA),
    )

    message = tr(
        "“%(role)s” is a role of a Party committee, not of %(unit)s.",
        role=str(Role.PROPAGANDA.label),
        unit="Chi bộ ấp Phước Thạnh",
    )
    assert response.context["form"].errors == {"role": [message]}
    assert message in page_text(response)
    assert district_staff.user.role_grants.count() == 1


@pytest.mark.today(AFTER_THE_REFORM)
def test_role_forms_label_units_with_their_parent(tree, chau_admin):
    response = chau_admin.client.get(reverse("accounts:user_create"))

    labels = [str(label) for _value, label in response.context["grant_form"].fields["unit"].choices]
    assert labels == [
        tr("— Choose —"),
        "Chi bộ ấp Phước Thạnh — Đảng ủy xã An Khánh",
        "Chi bộ ấp Tân Thạnh — Đảng ủy xã Tân Thạch",
        "Chi bộ Hội LHPN huyện — Huyện ủy Châu Thành",
        "Đảng ủy xã An Khánh — Tỉnh ủy Bến Tre",
        "Đảng ủy xã Tân Thạch — Huyện ủy Châu Thành",
        "Huyện ủy Châu Thành — Tỉnh ủy Bến Tre",
    ]


def test_grant_end_of_a_grant_outside_the_admins_units_is_404(tree, chau_admin, district_staff):
    foreign = RoleGrantFactory(user=district_staff.user, unit=tree.other_cell, role=Role.CLERK)

    response = chau_admin.client.post(
        reverse("accounts:grant_end", args=[district_staff.user.pk, foreign.pk])
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.valid_to is None


def test_grant_end_for_an_account_in_another_district_is_404(tree, chau_admin, giong_trom_account):
    grant = giong_trom_account.role_grants.get()

    response = chau_admin.client.post(reverse("accounts:grant_end", args=[giong_trom_account.pk, grant.pk]))

    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.valid_to is None
