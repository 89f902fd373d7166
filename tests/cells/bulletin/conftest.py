"""Fixtures of the bulletin suite.

Huyện ủy Châu Thành's bulletin, issue no. 1 for 03/2024 (articles due 20/3/2024), edited by the
district's Ban Tuyên giáo (``district_staff``); and, for the pages that assign articles today, the
province's issue of the current month (``current_issue``: the district closed on 30/6/2025).
Chi bộ ấp Phước Thạnh (``cell_secretary``) has three members: Nguyễn Văn An, Trần Thị Bình and
Lê Văn Cường; An has an account of his own (``author``, a plain member role).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from lantoa.cells.models import Article, ArticleStatus, Attendance, BulletinIssue, Meeting, MeetingStatus
from lantoa.cells.queries.meetings import month_end
from lantoa.cells.services import bulletin as services
from lantoa.org.models import PartyMember, Role, Unit
from tests.conftest import Persona, Tree, persona
from tests.factories import member_in

D = dt.date
MARCH = D(2024, 3, 1)
ASSIGNED_ON = D(2024, 3, 2)


@dataclass
class Cell:
    an: PartyMember
    binh: PartyMember
    cuong: PartyMember


@pytest.fixture
def cell(tree: Tree) -> Cell:
    return Cell(
        an=member_in(tree.phuoc_thanh, name="Nguyễn Văn An"),
        binh=member_in(tree.phuoc_thanh, name="Trần Thị Bình"),
        cuong=member_in(tree.phuoc_thanh, name="Lê Văn Cường"),
    )


@pytest.fixture
def issue(tree: Tree, district_staff: Persona) -> BulletinIssue:
    return services.open_issue(
        actor=district_staff.user, unit=tree.district, period=MARCH, deadline=D(2024, 3, 20)
    )


@pytest.fixture
def current_issue(tree: Tree, admin_persona: Persona) -> BulletinIssue:
    """This month's issue of the province (Phước Thạnh sits under it since 1/7/2025), collecting
    articles until the month's last day: an issue a cell can assign for today."""
    today = timezone.localdate()
    return services.open_issue(
        actor=admin_persona.user,
        unit=tree.province,
        period=today.replace(day=1),
        deadline=month_end(today),
    )


@pytest.fixture
def author(tree: Tree, cell: Cell) -> Persona:
    """Nguyễn Văn An logged in with his own account (Role.MEMBER on his cell)."""
    made = persona(tree.phuoc_thanh, Role.MEMBER)
    person = cell.an.person
    person.user = made.user
    person.save()
    return made


def assign(
    secretary: Persona,
    issue: BulletinIssue,
    member: PartyMember,
    *,
    cell: Unit | None = None,
    on: dt.date = ASSIGNED_ON,
    topic: str = "Bác Hồ với đức tính tiết kiệm",
) -> Article:
    return services.assign_article(
        actor=secretary.user,
        cell=cell or member.memberships.get().unit,
        issue=issue,
        author=member,
        topic=topic,
        due_on=D(2024, 3, 15),
        assigned_on=on,
    )


def written(member: PartyMember, cell: Unit, issue: BulletinIssue, on: dt.date, status: str) -> Article:
    """An article in any state, written straight to the database (history for the rotation)."""
    return Article.objects.create(
        issue=issue,
        cell=cell,
        author=member,
        topic="Bài cũ",
        title="Bài cũ",
        status=status,
        assigned_on=on,
        due_on=on + dt.timedelta(days=14),
    )


def held_meeting(cell: Unit, day: dt.date, statuses: dict[PartyMember, str]) -> Meeting:
    meeting = Meeting.objects.create(
        unit=cell, period=day.replace(day=1), date=day, status=MeetingStatus.HELD
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member, status=status) for member, status in statuses.items()
    )
    return meeting


def login(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


__all__ = ["MARCH", "ArticleStatus", "Cell", "assign", "held_meeting", "login", "written"]
