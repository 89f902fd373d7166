"""The demo logins: one per kind of user the programme serves, all with the password
``lantoa-demo``, each linked to the person it belongs to so pages greet and scope them right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from lantoa.accounts.models import User
from lantoa.audit.services import record_create
from lantoa.org import services
from lantoa.org.models import Membership, Person, Role, RoleGrant, Unit

from .base import PASSWORD

GRANTED_FROM = dt.date(2021, 1, 1)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    units: tuple[str, ...]
    # Key of the person in the demo (see ``people.build``); none for the administrator.
    person: str = ""
    display_name: str = ""


# The secretary of Đảng ủy xã An Khánh, who also approves its council sessions' minutes.
COMMUNE_SECRETARY = "bithu.ankhanh"

LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", Role.ADMIN, ("ben-tre", "vinh-long"), display_name="Quản trị viên"),
    # The district's people keep its archive (their role on Huyện ủy Châu Thành reads its history
    # up to 30/6/2025) and since 1/7/2025 work at the province the communes now answer to.
    DemoLogin("tuyengiao", Role.PROPAGANDA, ("chau-thanh", "vinh-long"), "vo-thi-phuong"),
    DemoLogin("thuongtruc", Role.STANDING, ("chau-thanh", "vinh-long"), "huynh-thanh-tuan"),
    DemoLogin(COMMUNE_SECRETARY, Role.SECRETARY, ("xa-an-khanh",), "secretary:xa-an-khanh"),
    DemoLogin(
        "bithu.phuocthanh",
        Role.SECRETARY,
        ("chi-bo-ap-phuoc-thanh-an-khanh",),
        "secretary:chi-bo-ap-phuoc-thanh-an-khanh",
    ),
    DemoLogin("bithu.lhpn", Role.SECRETARY, ("chi-bo-hoi-lhpn",), "nguyen-thanh-hien"),
    DemoLogin("hoidong", Role.COUNCIL, ("chau-thanh", "vinh-long"), "council"),
    DemoLogin("dangvien", Role.MEMBER, ("chi-bo-ap-phuoc-thanh-an-khanh",), "plain-member"),
    # The treasurer who keeps the cell's savings fund (the funds demo): a member of the cell.
    DemoLogin("thuquy", Role.TREASURER, ("chi-bo-hoi-lhpn",), "treasurer:chi-bo-hoi-lhpn"),
)
# A person key "treasurer:<cell>" names the cell's longest-standing member who holds no post.
TREASURER_KEY = "treasurer:"


def usernames() -> list[str]:
    return [login.username for login in LOGINS]


def treasurer_of(cell: Unit) -> Person:
    """The cell's treasurer: of its members today who hold no post, are full members and are not
    excused from activity, the one who joined first (the data is drawn, so this is repeatable)."""
    membership = (
        Membership.objects.filter(unit=cell, valid_to__isnull=True, member__full_member_on__isnull=False)
        .exclude(member__person__positions__isnull=False)
        .exclude(member__exemptions__isnull=False)
        .exclude(member__person__user__isnull=False)
        .select_related("member__person")
        .order_by("valid_from", "member_id")
        .first()
    )
    if membership is None:
        raise RuntimeError(f"no member of {cell.name} can be its treasurer")
    return membership.member.person


def build(persons: dict[str, Person], units: dict[str, Unit]) -> int:
    # Argon2 is slow on purpose (about half a second a hash here); every demo login has the same
    # published password, so one hash serves them all.
    password_hash = make_password(PASSWORD)
    for login in LOGINS:
        person = persons.get(login.person)
        if login.person.startswith(TREASURER_KEY):
            person = treasurer_of(units[login.person.removeprefix(TREASURER_KEY)])
        # Family and middle names first, the given name last, as accounts.views stores them.
        first, _sep, last = (person.full_name if person else login.display_name).rpartition(" ")
        user = User(username=login.username, first_name=first, last_name=last, password=password_hash)
        user.save()
        record_create(actor=None, obj=user, fields=("username", "first_name", "last_name"))
        for key in login.units:
            unit = units[key]
            services.grant_role(
                actor=None,
                user=user,
                unit=unit,
                role=login.role,
                valid_from=max(GRANTED_FROM, unit.valid_from),
            )
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
    return len(LOGINS)


def format_logins() -> str:
    """The demo logins as a plain-text table (username, role, unit, person)."""
    users = {user.username: user for user in User.objects.filter(username__in=usernames())}
    if not users:
        return "The demo is not loaded: run `manage.py seed_demo` first."
    grants: dict[int, list[RoleGrant]] = {}
    for grant in (
        RoleGrant.objects.filter(user__in=users.values()).select_related("unit").order_by("valid_from", "id")
    ):
        grants.setdefault(grant.user_id, []).append(grant)
    people = {person.user_id: person.full_name for person in Person.objects.filter(user__in=users.values())}
    rows = [("username", "role", "unit", "person")]
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        user_grants = grants.get(user.pk, [])
        rows.append(
            (
                user.username,
                ", ".join(dict.fromkeys(str(grant.get_role_display()) for grant in user_grants)),
                ", ".join(grant.unit.name for grant in user_grants),
                people.get(user.pk, "—"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )
