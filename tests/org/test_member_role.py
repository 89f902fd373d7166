"""A plain party member (Role.MEMBER on their cell): reads the cell and its members, sees no
one's sensitive data but their own, reaches no other cell, and changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.imports.columns import COLUMNS, MASK
from lantoa.lib.vi import format_date
from lantoa.org.models import Membership, Person, PositionTitle, Role, Unit
from tests.conftest import page_text, persona, tr
from tests.factories import PositionFactory, member_in

D = dt.date


@pytest.fixture
def mate(tree, hien):
    """Hiền's cell mate, with sensitive values that must stay masked for Hiền."""
    member = member_in(tree.women, name="Trần Thị Cùng Chi Bộ")
    person = member.person
    person.ethnicity, person.religion, person.id_number = "Khmer", "Cao Đài", "083555444333"
    person.health_note = "Tiểu đường"
    person.save()
    return member


@pytest.fixture
def member(tree, hien):
    """Nguyễn Thanh Hiền logged in with the plain member role on her cell."""
    made = persona(tree.women, Role.MEMBER)
    hien.person.user = made.user
    hien.person.save()
    return made


def _state():
    return (
        sorted(Unit.objects.values_list("key", "name", "valid_to")),
        sorted(Membership.objects.values_list("member_id", "unit_id", "valid_from", "valid_to")),
        sorted(Person.objects.values_list("full_name", "phone", "religion")),
    )


def test_member_reads_their_cells_page_and_members(member, tree, hien, mate):
    response = member.client.get(reverse("org:unit", args=["hoi-lhpn"]))

    assert response.status_code == 200
    assert [m.member.person.full_name for m in response.context["memberships"]] == [
        "Nguyễn Thanh Hiền",
        "Trần Thị Cùng Chi Bộ",
    ]
    assert (response.context["can_manage"], response.context["can_edit_people"]) == (False, False)
    html = response.content.decode()
    assert reverse("org:member_create", args=["hoi-lhpn"]) not in html
    assert reverse("org:unit_edit", args=["hoi-lhpn"]) not in html


def test_member_sees_a_cell_mate_with_sensitive_data_masked(member, mate):
    response = member.client.get(reverse("org:person", args=[mate.person.public_id]))

    assert response.status_code == 200
    assert (response.context["may_see_sensitive"], response.context["can_edit"]) == (False, False)
    html = response.content.decode()
    for secret in ["Khmer", "Cao Đài", "083555444333", "Tiểu đường"]:
        assert secret not in html
    assert tr("Hidden: your role does not need these fields.") in page_text(response)


def test_member_cannot_reveal_a_cell_mates_sensitive_data(member, mate):
    response = member.client.get(reverse("org:person_sensitive", args=[mate.person.public_id]))

    assert response.status_code == 403
    assert "083555444333" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).exists()


def test_member_reaches_no_other_cell_and_none_of_its_members(member, tree, stranger):
    neighbour = member_in(tree.phuoc_thanh, name="Lê Văn Ấp Bên")

    for key in ["phuoc-thanh", "ap-giong", "chau-thanh", "an-khanh"]:
        assert member.client.get(reverse("org:unit", args=[key])).status_code == 404
    for person in [neighbour.person, stranger.person]:
        response = member.client.get(reverse("org:person", args=[person.public_id]))
        assert response.status_code == 404
        assert person.full_name not in response.content.decode()


def test_member_finds_only_their_cell_mates(member, tree, hien, mate, stranger):
    member_in(tree.phuoc_thanh, name="Trần Văn Ấp Bên")

    response = member.client.get(reverse("org:people"), {"q": "tran"})

    assert [p.full_name for p in response.context["page"]] == ["Trần Thị Cùng Chi Bộ"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("name", "whose"),
    [
        ("org:unit_create", None),
        ("org:unit_edit", "cell"),
        ("org:unit_move", "cell"),
        ("org:unit_close", "cell"),
        ("org:unit_merge", "cell"),
        ("org:member_create", "cell"),
        ("org:person_edit", "mate"),
        ("org:person_edit", "self"),
        ("org:member_transfer", "mate"),
        ("org:member_card", "mate"),
        ("org:position_create", "mate"),
        ("org:position_end", "post"),
    ],
)
def test_member_changes_nothing_in_their_cell(member, tree, hien, mate, name, whose, method):
    post = PositionFactory(person=mate.person, unit=tree.women, title=PositionTitle.SECRETARY)
    args = {
        None: [],
        "cell": ["hoi-lhpn"],
        "mate": [mate.person.public_id],
        "self": [hien.person.public_id],
        "post": [mate.person.public_id, post.pk],
    }[whose]
    before = _state()

    response = getattr(member.client, method)(
        reverse(name, args=args),
        {"full_name": "Đổi Tên", "name": "Đổi Tên", "on": "01/01/2025", "last_day": "01/01/2025"}
        if method == "post"
        else None,
    )

    assert response.status_code == 403
    assert _state() == before
    post.refresh_from_db()
    assert post.valid_to is None


def test_member_export_of_the_cells_list_masks_sensitive_columns(member, mate, hien):
    response = member.client.get(reverse("imports:export_members", args=["hoi-lhpn"]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sensitive = [header.index(column.header) for column in COLUMNS if column.sensitive]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # Her own sensitive data is hers to read; her cell mate's is masked.
    assert [rows[mate.person.full_name][i] for i in sensitive] == [MASK, MASK, MASK]
    assert [rows[hien.person.full_name][i] for i in sensitive] == ["Kinh", "Phật giáo", "083123456789"]
    with translation.override("vi"):
        note = translation.ngettext(
            "Members on %(date)s: %(count)d row; sensitive data shown for %(shown)d",
            "Members on %(date)s: %(count)d rows; sensitive data shown for %(shown)d",
            2,
        ) % {"date": format_date(timezone.localdate()), "count": 2, "shown": 1}
    assert AuditEntry.objects.get(action=AuditAction.EXPORT).note == note
