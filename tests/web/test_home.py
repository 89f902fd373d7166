"""The home page, the menu, the health check and the headers every response carries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.cells.models import Meeting
from lantoa.lib.security import POLICY
from lantoa.lib.vi import format_date
from lantoa.org.models import Role
from lantoa.org.queries import subtree_ids
from tests.conftest import BEFORE_THE_REFORM, heading, page_text, persona, tr, tr_count
from tests.factories import PersonFactory, UserFactory, member_in

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

    # Counted on today, or, once the district has ended (30/6/2025), on its last day: the six
    # units under it then, not the ones that moved on since.
    today = timezone.localdate()
    counted_on = min(today, tree.district.valid_to)
    assert response.context["counted_on"] == counted_on
    assert (response.context["unit_count"], response.context["members_today"]) == (6, 2)
    assert [grant.unit.key for grant in response.context["grants"]] == ["chau-thanh"]
    assert [unit.key for unit in response.context["roots"]] == ["chau-thanh"]
    text = page_text(response)
    last_day = tr("the unit's last day: %(day)s", day=format_date(tree.district.valid_to))
    assert f"{Role.PROPAGANDA.label} — Huyện ủy Châu Thành ({tr('since')} 01/01/2020; {last_day})" in text
    units = tr_count("unit", "units", 6, context="home page count")
    if counted_on == today:
        assert f"6 {units} · 2 {tr_count('party member today', 'party members today', 2)}" in text
    else:
        members_then = tr_count(
            "party member on %(day)s, the last day of the units you cover",
            "party members on %(day)s, the last day of the units you cover",
            2,
            day=format_date(counted_on),
        )
        assert f"6 {units} · 2 {members_then}" in text


def test_home_of_the_province_admin_counts_every_unit_under_it_today(admin_persona, tree):
    for n in range(3):
        member_in(tree.phuoc_thanh, name=f"Thành viên {n}")

    response = admin_persona.client.get(HOME)

    # The units under the province today, as the tree stands: after 30/6/2025 that is no longer
    # the district and what stayed under it, but An Khánh, which moved up, is.
    today = timezone.localdate()
    expected = subtree_ids(tree.province, today)
    assert response.context["unit_count"] == len(expected)
    assert response.context["members_today"] == 3
    units = tr_count("unit", "units", len(expected), context="home page count")
    members = tr_count("party member today", "party members today", 3)
    assert f"{len(expected)} {units} · 3 {members}" in page_text(response)


def test_home_without_roles_says_whom_to_ask(db):
    client = Client()
    client.force_login(UserFactory(first_name="Lan", last_name="Trần"))

    response = client.get(HOME)

    text = page_text(response)
    assert tr("You have no role on any unit yet. Ask your administrator.") in text
    assert tr_count("party member today", "party members today", 2) not in text
    assert tr("Browse the tree") not in text
    assert tr("Hello, %(name)s", name="Lan Trần") in text


def test_home_lists_only_current_roles(tree):
    made = persona(tree.women, Role.SECRETARY)
    made.user.role_grants.create(
        unit=tree.an_khanh, role=Role.CLERK, valid_from=D(2010, 1, 1), valid_to=D(2019, 12, 31)
    )

    response = made.client.get(HOME)

    assert [(g.role, g.unit.key) for g in response.context["grants"]] == [(Role.SECRETARY, "hoi-lhpn")]


@pytest.mark.today(BEFORE_THE_REFORM)  # the district stands: its staff import
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
    response = district_staff.client.get(HOME)
    html = response.content.decode()

    # The home page itself, which loads scripts and styles of its own, all from this host.
    assert heading(response) == tr("Hello, %(name)s", name=district_staff.user.username)
    assert '<script src="/static/' in html
    assert '<link rel="stylesheet" href="/static/' in html
    assert "http://" not in html
    assert "https://" not in html
    assert "<script>" not in html


# --- this month's meeting for a cell's officers ------------------------------------------------


def _month_start():
    return timezone.localdate().replace(day=1)


def _meeting(unit, **fields):
    fields.setdefault("period", _month_start())
    fields.setdefault("date", timezone.localdate())
    return Meeting.objects.create(unit=unit, **fields)


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.DEPUTY, Role.CLERK])
def test_home_of_a_cell_officer_offers_to_schedule_this_months_meeting(tree, role):
    officer = persona(tree.phuoc_thanh, role)
    _meeting(tree.phuoc_thanh, period=_month_start().replace(year=_month_start().year - 1))
    _meeting(tree.tan_thanh)

    response = officer.client.get(HOME)

    assert [(row.cell.key, row.meeting) for row in response.context["month_meetings"]] == [
        ("phuoc-thanh", None)
    ]
    html = response.content.decode()
    assert f'href="{reverse("cells:meeting_create")}?unit=phuoc-thanh"' in html
    assert f'href="{reverse("cells:bulletin_cell", args=["phuoc-thanh"])}"' in html
    assert f'href="{reverse("documents:cell_commitments", args=["phuoc-thanh"])}"' in html
    assert tr("Schedule this month's meeting") in page_text(response)


def test_home_of_a_cell_secretary_opens_this_months_meeting(cell_secretary, tree):
    meeting = _meeting(tree.phuoc_thanh, place="Nhà văn hóa ấp")

    response = cell_secretary.client.get(HOME)

    html = response.content.decode()
    assert f'href="{reverse("cells:meeting", args=[meeting.public_id])}"' in html
    assert reverse("cells:meeting_create") not in html
    text = page_text(response)
    assert tr("Open the meeting") in text
    assert "Nhà văn hóa ấp" in text


def test_home_shows_no_meeting_card_to_committee_officers_and_members(district_staff, tree):
    committee_secretary = persona(tree.an_khanh, Role.SECRETARY)
    member = persona(tree.phuoc_thanh, Role.MEMBER)

    for who in (district_staff, committee_secretary, member):
        response = who.client.get(HOME)
        assert response.context["month_meetings"] == []
        assert reverse("cells:meeting_create") not in response.content.decode()


def test_home_meeting_card_queries_do_not_grow_with_cells(tree):
    officer = persona(tree.phuoc_thanh, Role.SECRETARY)
    _meeting(tree.phuoc_thanh)
    officer.client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        officer.client.get(HOME)

    for cell in (tree.tan_thanh, tree.women):
        officer.user.role_grants.create(unit=cell, role=Role.SECRETARY, valid_from=D(2020, 1, 1))
        _meeting(cell)
    with CaptureQueriesContext(connection) as three:
        response = officer.client.get(HOME)

    assert [(row.cell.key, row.meeting is not None) for row in response.context["month_meetings"]] == [
        ("phuoc-thanh", True),
        ("tan-thanh", True),
        ("hoi-lhpn", True),
    ]
    assert len(three) == len(one)


# --- a plain member's home -------------------------------------------------------------------------


@pytest.fixture
def plain_member(tree, hien):
    own = persona(tree.women, Role.MEMBER)
    hien.person.user = own.user
    hien.person.save()
    return own


def test_home_of_a_plain_member_shows_their_cell_and_own_pages(plain_member, tree, hien):
    response = plain_member.client.get(HOME)

    assert response.context["own_cell"] == tree.women
    text = page_text(response)
    assert tr_count("party member today", "party members today", 2) not in text
    assert f"{tr('Your cell')} Chi bộ Hội LHPN huyện" in text
    html = response.content.decode()
    for url in [
        reverse("org:unit", args=["hoi-lhpn"]),
        reverse("org:person", args=[hien.person.public_id]),
        reverse("documents:member_commitments", args=[hien.pk]),
        reverse("cells:my_articles"),
        f"{reverse('cells:meetings')}?unit=hoi-lhpn",
    ]:
        assert f'href="{url}"' in html
    assert tr("Browse the tree") not in text


def test_home_of_a_member_without_a_role_names_the_cell_without_a_link(tree, hien):
    client = Client()
    user = UserFactory()
    hien.person.user = user
    hien.person.save()
    client.force_login(user)

    response = client.get(HOME)

    assert f"{tr('Your cell')} Chi bộ Hội LHPN huyện" in page_text(response)
    html = response.content.decode()
    assert reverse("org:unit", args=["hoi-lhpn"]) not in html
    assert reverse("cells:meetings") + "?unit=" not in html


def test_menu_offers_a_party_members_own_commitments_and_articles(plain_member, hien):
    html = plain_member.client.get(HOME).content.decode()

    assert f'href="{reverse("documents:member_commitments", args=[hien.pk])}"' in html
    assert f'href="{reverse("cells:my_articles")}"' in html


def test_menu_offers_no_commitments_to_accounts_that_are_not_party_members(district_staff, tree):
    citizen = PersonFactory(full_name="Võ Văn Không Đảng Viên", registered_unit=tree.district)
    citizen.user = district_staff.user
    citizen.save()

    html = district_staff.client.get(HOME).content.decode()

    assert f'href="{reverse("org:person", args=[citizen.public_id])}"' in html
    assert reverse("cells:my_articles") not in html


def test_a_form_sent_without_its_token_is_explained_in_vietnamese(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert tr("Nothing was saved: please send the form again") in page_text(response)
