"""Fixtures of the documents suite: committee terms, a staff body, documents and an obligation.

Terms (Party documents are numbered per term):

    Huyện ủy Châu Thành   2015–2020: 01/8/2015 – 31/7/2020;  2020–2025: 01/8/2020 – 30/6/2025
    every other unit      one open term from 01/01/2020

The obligation ``plan_2024`` is set by Huyện ủy Châu Thành: every cell (Chi bộ ấp Phước Thạnh,
Chi bộ ấp Tân Thạnh, Chi bộ Hội LHPN huyện) files a plan (KH) by 31/3/2024.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantoa.documents import services
from lantoa.documents.models import Commitment, Document, Obligation, Term
from lantoa.documents.services import Issuer
from lantoa.org import services as org_services
from lantoa.org.models import PartyMember, Role, StaffBody, StaffBodyKind, Unit, UnitKind
from tests.conftest import Tree
from tests.factories import RoleGrantFactory, member_in

D = dt.date
DEADLINE = D(2024, 3, 31)


@pytest.fixture
def terms(tree: Tree) -> dict[str, Term]:
    made = {
        "district_2015": Term.objects.create(
            unit=tree.district, name="Nhiệm kỳ 2015–2020", starts_on=D(2015, 8, 1), ends_on=D(2020, 7, 31)
        ),
        "district_2020": Term.objects.create(
            unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1), ends_on=D(2025, 6, 30)
        ),
    }
    for unit in (tree.province, tree.an_khanh, tree.phuoc_thanh, tree.tan_thach, tree.tan_thanh, tree.women):
        made[unit.key] = Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
    for unit in (tree.other_district, tree.other_cell):
        made[unit.key] = Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
    return made


@pytest.fixture
def propaganda(tree: Tree) -> StaffBody:
    """Ban Tuyên giáo Huyện ủy Châu Thành (BTGHU); from 1/3/2025 Ban Tuyên giáo và Dân vận (BTGDVHU)."""
    body = org_services.add_staff_body(
        actor=None,
        committee=tree.district,
        kind=StaffBodyKind.PROPAGANDA,
        name="Ban Tuyên giáo",
        code="BTGHU",
        valid_from=D(2015, 1, 1),
    )
    org_services.rename_staff_body(
        actor=None, staff_body=body, name="Ban Tuyên giáo và Dân vận", code="BTGDVHU", on=D(2025, 3, 1)
    )
    return body


def issue(unit: Unit, day: dt.date, type_code: str = "KH", **kwargs: Any) -> Document:
    """A document of ``unit`` (or of ``staff_body`` of it) through the real numbering service."""
    staff_body = kwargs.pop("staff_body", None)
    kwargs.setdefault("summary", f"{type_code} của {unit.name}")
    return services.issue_document(
        actor=None,
        issuer=Issuer(unit=unit, staff_body=staff_body),
        type_code=type_code,
        issued_on=day,
        **kwargs,
    )


def cells_obligation(unit: Unit, deadline: dt.date = DEADLINE, **kwargs: Any) -> Obligation:
    kwargs.setdefault("title", "Kế hoạch thực hiện chuyên đề năm 2024")
    kwargs.setdefault("target_kinds", [UnitKind.CELL, UnitKind.GRASSROOTS_CELL])
    return services.create_obligation(actor=None, unit=unit, year=deadline.year, deadline=deadline, **kwargs)


def file_plan(obligation: Obligation, unit: Unit, filed_on: dt.date) -> Document:
    """``unit`` issues its plan (dated the day it files) and files it."""
    document = issue(unit, filed_on, obligation.required_type, summary="thực hiện chuyên đề năm 2024")
    services.file_document(actor=None, obligation=obligation, unit=unit, document=document, filed_on=filed_on)
    return document


@pytest.fixture
def plan_2024(tree: Tree, terms: dict[str, Term]) -> Obligation:
    return cells_obligation(tree.district)


PLAN_PDF = b"%PDF-1.4\n% ke hoach da ky\n"


@pytest.fixture
def district_plan(tree: Tree, terms: dict[str, Term]) -> Document:
    """Số 01-KH/HU of 05/3/2024, with its signed PDF attached."""
    document = issue(
        tree.district,
        D(2024, 3, 5),
        summary="thực hiện chuyên đề năm 2024",
        signing_form="T/M",
        signing_body="BAN THƯỜNG VỤ",
        signer_title="PHÓ BÍ THƯ THƯỜNG TRỰC",
        signer_name="Huỳnh Thanh Tuấn",
    )
    services.attach_file(
        actor=None,
        document=document,
        uploaded=SimpleUploadedFile("ke-hoach-01.pdf", PLAN_PDF, content_type="application/pdf"),
    )
    return document


@dataclass
class Member:
    """A party member of Chi bộ ấp Phước Thạnh with an account of their own (Role.MEMBER)."""

    member: PartyMember
    client: Client
    user: Any


def member_with_account(cell: Unit, name: str) -> Member:
    member = member_in(cell, name=name)
    grant = RoleGrantFactory(unit=cell, role=Role.MEMBER, valid_from=D(2020, 1, 1))
    member.person.user = grant.user
    member.person.save(update_fields=["user"])
    client = Client()
    client.force_login(grant.user)
    return Member(member, client, grant.user)


@pytest.fixture
def minh(tree: Tree) -> Member:
    return member_with_account(tree.phuoc_thanh, "Trần Văn Minh")


@pytest.fixture
def minh_commitment(minh: Member) -> Commitment:
    return services.register_commitment(
        actor=minh.user,
        member=minh.member,
        year=2024,
        position=1,
        text="Vận động bà con hiến đất làm đường ấp",
        on=D(2024, 2, 1),
    )
