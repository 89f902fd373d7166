"""The one rule of who reads a person's sensitive data (lantoa/org/sensitive.py), and the paths
by which it leaked before: a past date in an export, an import's check, a mask that told an empty
field from a filled one."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.imports.columns import COLUMNS, MASK
from lantoa.lib.vi import format_date
from lantoa.org.models import Role
from lantoa.org.sensitive import may_enter_sensitive_for_new_member, may_see_sensitive, readable_people
from tests.conftest import persona
from tests.factories import member_in

D = dt.date


@pytest.fixture
def lan(tree):
    """A member of Chi bộ ấp Phước Thạnh (under Đảng ủy xã An Khánh) with sensitive data."""
    member = member_in(tree.phuoc_thanh, name="Phạm Thị Lan", since=D(2015, 1, 1))
    person = member.person
    person.ethnicity, person.religion, person.id_number = "Khmer", "Phật giáo Hòa Hảo", "083111222333"
    person.save()
    return member


@pytest.mark.parametrize(
    ("unit", "role", "reads"),
    [
        ("phuoc_thanh", Role.SECRETARY, True),  # the cell's secretary
        ("phuoc_thanh", Role.DEPUTY, True),
        ("an_khanh", Role.SECRETARY, True),  # the grassroots committee keeps the cell's records
        ("an_khanh", Role.DEPUTY, True),
        ("province", Role.ADMIN, True),
        ("phuoc_thanh", Role.CLERK, False),
        ("phuoc_thanh", Role.MEMBER, False),  # a cell mate
        ("an_khanh", Role.PROPAGANDA, False),
        ("district", Role.SECRETARY, False),  # above the grassroots committee
        ("district", Role.PROPAGANDA, False),
        ("district", Role.STANDING, False),
        ("district", Role.COUNCIL, False),
        ("tan_thach", Role.SECRETARY, False),  # another commune
        ("tan_thanh", Role.SECRETARY, False),  # another cell
    ],
)
def test_who_reads_a_members_sensitive_data(tree, lan, unit, role, reads):
    user = persona(getattr(tree, unit), role).user

    assert may_see_sensitive(user, lan.person) is reads


def test_the_person_reads_their_own(tree, lan):
    own = persona(tree.phuoc_thanh, Role.MEMBER)
    lan.person.user = own.user
    lan.person.save()

    assert may_see_sensitive(own.user, lan.person) is True


def test_after_a_transfer_the_new_cell_reads_and_the_old_one_no_longer(tree, lan):
    old = persona(tree.phuoc_thanh, Role.SECRETARY).user
    new = persona(tree.tan_thanh, Role.SECRETARY).user
    today = timezone.localdate()
    membership = lan.memberships.get()
    membership.valid_to = today - dt.timedelta(days=5)
    membership.save()
    lan.memberships.create(unit=tree.tan_thanh, valid_from=today - dt.timedelta(days=4))

    assert (may_see_sensitive(old, lan.person), may_see_sensitive(new, lan.person)) == (False, True)


def test_the_system_reads_and_an_anonymous_visitor_does_not(tree, lan):
    from django.contrib.auth.models import AnonymousUser

    assert readable_people(None, [lan.person.pk]) == {lan.person.pk}
    assert readable_people(AnonymousUser(), [lan.person.pk]) == set()
    assert may_enter_sensitive_for_new_member(AnonymousUser(), tree.phuoc_thanh.pk) is False


def test_readable_people_runs_the_same_queries_for_one_and_many(tree, django_assert_max_num_queries):
    keeper = persona(tree.an_khanh, Role.SECRETARY).user
    people = [member_in(tree.phuoc_thanh).person.pk for _ in range(30)]
    readable_people(keeper, people[:1])  # the scope is computed once per request
    with django_assert_max_num_queries(6):
        assert readable_people(keeper, people) == set(people)


# --- the export asked for a past date (found by the review) ---------------------------------------


def _sheet_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sensitive = [header.index(column.header) for column in COLUMNS if column.sensitive]
    return {row[1]: [row[i] for i in sensitive] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_export_for_a_past_date_masks_a_member_who_has_moved_away_since(tree, lan):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    today = timezone.localdate()
    moved = today - dt.timedelta(days=5)
    membership = lan.memberships.get()
    membership.valid_to = moved - dt.timedelta(days=1)
    membership.save()
    lan.memberships.create(unit=tree.tan_thanh, valid_from=moved)
    stays = member_in(tree.phuoc_thanh, name="Võ Văn Ở Lại", since=D(2015, 1, 1))
    stays.person.ethnicity = "Kinh"
    stays.person.save()

    before_the_move = format_date(moved - dt.timedelta(days=1))
    response = secretary.client.get(
        reverse("imports:export_members", args=["phuoc-thanh"]), {"on": before_the_move}
    )

    rows = _sheet_rows(response)
    assert rows["Phạm Thị Lan"] == [MASK, MASK, MASK]
    assert rows["Võ Văn Ở Lại"] == ["Kinh", None, None]
    assert "083111222333" not in response.content.decode("latin-1")


def test_export_masks_empty_and_filled_sensitive_cells_alike(tree, lan):
    staff = persona(tree.district, Role.PROPAGANDA)
    member_in(tree.phuoc_thanh, name="Không Có Gì Nhạy Cảm")

    rows = _sheet_rows(staff.client.get(reverse("imports:export_members", args=["phuoc-thanh"])))

    assert rows["Phạm Thị Lan"] == rows["Không Có Gì Nhạy Cảm"] == [MASK, MASK, MASK]


def test_person_page_asked_for_a_past_date_does_not_unmask_a_member_who_moved(tree, lan):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    membership = lan.memberships.get()
    membership.valid_to = timezone.localdate() - dt.timedelta(days=10)
    membership.save()
    lan.memberships.create(unit=tree.tan_thanh, valid_from=timezone.localdate() - dt.timedelta(days=9))
    long_ago = format_date(D(2020, 1, 1))

    page = secretary.client.get(reverse("org:person", args=[lan.person.public_id]), {"on": long_ago})
    reveal = secretary.client.get(
        reverse("org:person_sensitive", args=[lan.person.public_id]), {"on": long_ago}
    )

    assert page.context["may_see_sensitive"] is False
    assert reveal.status_code == 403
    assert "Khmer" not in page.content.decode() + reveal.content.decode()
