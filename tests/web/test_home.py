"""The home page, the menu, the health check and the headers every response carries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lantoa.lib.security import POLICY
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr
from tests.factories import UserFactory, member_in

D = dt.date
HOME = reverse("web:home")


def test_home_sends_anonymous_to_login(anonymous):
    response = anonymous.get(HOME)

    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_home_shows_the_users_roles_units_and_members_today(district_staff, tree, hien):
    member_in(tree.phuoc_thanh, name="Lê Văn Một")
    member_in(tree.tan_thanh, name="Lê Văn Cũ").memberships.update(valid_to=D(2020, 1, 1))
    member_in(tree.other_cell, name="Lê Văn Ngoài")

    response = district_staff.client.get(HOME)

    assert (response.context["unit_count"], response.context["members_today"]) == (6, 2)
    assert [grant.unit.key for grant in response.context["grants"]] == ["chau-thanh"]
    assert [unit.key for unit in response.context["roots"]] == ["chau-thanh"]
    text = page_text(response)
    assert f"{Role.PROPAGANDA.label} — Huyện ủy Châu Thành ({tr('since')} 01/01/2020)" in text
    assert f"6 {tr('units')} · 2 {tr('party members today')}" in text


def test_home_of_the_province_admin_counts_every_unit(admin_persona, tree):
    for n in range(3):
        member_in(tree.women, name=f"Thành viên {n}")

    response = admin_persona.client.get(HOME)

    assert response.context["members_today"] == 3
    assert f"9 {tr('units')} · 3 {tr('party members today')}" in page_text(response)


def test_home_without_roles_says_whom_to_ask(db):
    client = Client()
    client.force_login(UserFactory(first_name="Lan", last_name="Trần"))

    response = client.get(HOME)

    text = page_text(response)
    assert tr("You have no role on any unit yet. Ask your administrator.") in text
    assert f"0 {tr('units')} · 0 {tr('party members today')}" in text
    assert tr("Hello, %(name)s", name="Lan Trần") in text


def test_home_lists_only_current_roles(tree):
    made = persona(tree.women, Role.SECRETARY)
    made.user.role_grants.create(
        unit=tree.an_khanh, role=Role.CLERK, valid_from=D(2010, 1, 1), valid_to=D(2019, 12, 31)
    )

    response = made.client.get(HOME)

    assert [(g.role, g.unit.key) for g in response.context["grants"]] == [(Role.SECRETARY, "hoi-lhpn")]


@pytest.mark.parametrize(
    ("who", "imports", "accounts"),
    [("admin_persona", True, True), ("district_staff", True, False), ("council_member", False, False)],
)
def test_menu_offers_only_links_the_user_may_follow(request, who, imports, accounts):
    html = request.getfixturevalue(who).client.get(HOME).content.decode()

    assert (f'href="{reverse("imports:start")}"' in html, f'href="{reverse("accounts:users")}"' in html) == (
        imports,
        accounts,
    )


def test_menu_links_to_my_record_when_the_account_is_a_person(tree, hien):
    own = persona(tree.women, Role.MEMBER)
    hien.person.user = own.user
    hien.person.save()

    html = own.client.get(HOME).content.decode()

    assert f'href="{reverse("org:person", args=[hien.person.public_id])}"' in html


def test_healthz_answers_json_without_login(anonymous, db):
    response = anonymous.get(reverse("web:healthz"))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": connection.vendor}


def test_healthz_answers_only_get(anonymous, db):
    assert anonymous.post(reverse("web:healthz")).status_code == 405


@pytest.mark.parametrize("url", [HOME, reverse("web:healthz"), reverse("accounts:login")])
def test_every_response_carries_the_security_headers(district_staff, url):
    response = district_staff.client.get(url)

    assert (
        response["Content-Security-Policy"],
        response["X-Frame-Options"],
        response["X-Content-Type-Options"],
        response["Referrer-Policy"],
    ) == (POLICY, "DENY", "nosniff", "same-origin")


def test_content_security_policy_allows_nothing_from_elsewhere():
    directives = dict(part.strip().split(" ", 1) for part in POLICY.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in POLICY


def test_pages_load_no_script_or_style_from_another_host(district_staff):
    html = district_staff.client.get(HOME).content.decode()

    assert "http://" not in html
    assert "https://" not in html
    assert "<script>" not in html
