"""Exporting a unit's members: the import's format, masked sensitive data, formulas neutralised."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.imports.columns import COLUMNS
from lantoa.org.models import Role
from tests.factories import UnitFactory, member_in

from .conftest import HEADERS, check, logged_in, member_row, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def _export(client, key, **params):
    return client.get(reverse("imports:export_members", args=[key]), params)


def _sheet(response):
    book = load_workbook(io.BytesIO(response.content))
    return book["Đảng viên"]


def _rows(response):
    return list(_sheet(response).iter_rows(values_only=True))


def test_export_has_the_template_columns_bold_frozen_and_sized(tree, district_staff, hien):
    response = _export(district_staff.client, "chau-thanh", on="01/01/2024")

    sheet = _sheet(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="dang-vien-chau-thanh-01-01-2024.xlsx"'
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == COLUMNS[1].width


def test_export_masks_sensitive_data_for_district_staff(tree, district_staff, hien):
    rows = _rows(_export(district_staff.client, "chau-thanh", on="01/01/2024"))

    assert rows[1][1] == "Nguyễn Thanh Hiền"
    assert rows[1][5:8] == ("•••", "•••", "•••")


def test_export_shows_sensitive_data_to_the_cells_secretary(tree, hien):
    secretary = logged_in(tree.women, Role.SECRETARY)

    rows = _rows(_export(secretary.client, "hoi-lhpn"))

    assert rows[1][5:8] == ("Kinh", "Phật giáo", "083123456789")


def test_export_values_dates_and_cells(tree, district_staff, hien):
    member_in(tree.phuoc_thanh, name="Võ Thị Năm", full_member_on=None)

    sheet = _sheet(_export(district_staff.client, "chau-thanh", on="01/01/2024"))

    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # Grouped by cell (accents ignored: "ấp" sorts before "Hội"), then by name.
    assert [(row[0], row[1], row[11]) for row in rows] == [
        (1, "Võ Thị Năm", "Chi bộ ấp Phước Thạnh"),
        (2, "Nguyễn Thanh Hiền", "Chi bộ Hội LHPN huyện"),
    ]
    assert rows[1][3] == dt.datetime(1980, 5, 1)
    assert rows[1][4] == "Nam"
    assert rows[0][10] is None
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["J2"].number_format == "dd/mm/yyyy"
    assert sheet["C2"].number_format == "@"


def test_export_on_a_date_follows_the_tree_of_that_date(tree, district_staff, hien):
    # After 30/6/2025 the district no longer exists, so it has no members.
    assert len(_rows(_export(district_staff.client, "chau-thanh", on="01/08/2025"))) == 1
    assert len(_rows(_export(district_staff.client, "chau-thanh", on="01/08/2024"))) == 2


def test_export_neutralises_formula_like_text_and_reimports_unchanged(tree, commune_secretary):
    run_import(tree.an_khanh, xlsx_bytes([member_row(phone="+84912000111")]))
    # Stored before names had rules (or by another path): still exported as text, not run.
    member_in(tree.phuoc_thanh, name="=1+1", card_number="90000099")

    response = _export(commune_secretary.client, "an-khanh")

    sheet = _sheet(response)
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    assert (rows["90000099"][1].value, rows["90000099"][1].data_type) == ("'=1+1", "s")
    assert rows["90000001"][8].value == "'+84912000111"
    again = check(tree.an_khanh, xlsx_bytes([member_row(phone="+84912000111")]))
    assert again.counts == {
        "rows": 1,
        "new": 0,
        "updated": 0,
        "unchanged": 1,
        "transferred": 0,
        "sensitive_ignored": 0,
    }


def test_export_reimports_unchanged_even_masked(tree, district_staff, hien):
    hien.memberships.update(unit=tree.phuoc_thanh)
    member_in(tree.phuoc_thanh, name="Võ Thị Năm", full_member_on=None, card_number=None)
    twin = UnitFactory(key="phuoc-thanh-b", name="Chi bộ ấp Phước Thạnh", parent=tree.an_khanh)
    member_in(twin, name="Đặng Văn Sáu")

    response = _export(district_staff.client, "an-khanh")

    assert [row[11] for row in _rows(response)[1:]] == [
        "Chi bộ ấp Phước Thạnh (phuoc-thanh)",
        "Chi bộ ấp Phước Thạnh (phuoc-thanh)",
        "Chi bộ ấp Phước Thạnh (phuoc-thanh-b)",
    ]
    plan = check(tree.an_khanh, response.content)
    assert [problem.message for problem in plan.problems] == []
    assert plan.counts == {
        "rows": 3,
        "new": 0,
        "updated": 0,
        "unchanged": 3,
        "transferred": 0,
        "sensitive_ignored": 0,
    }


def test_export_is_audited(tree, district_staff, hien):
    _export(district_staff.client, "chau-thanh", on="01/01/2024")

    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_id, entry.unit_id) == (district_staff.user.pk, tree.district.pk)
    assert entry.note == "Members on 01/01/2024: 1 row; sensitive data shown for 0"


def test_export_permissions(tree, district_staff, outsider, council_member, anonymous, hien):
    for reader in (district_staff, council_member):  # reading is the council's role
        # On a day the district still had members (it closed on 30/6/2025).
        response = _export(reader.client, "chau-thanh", on="01/01/2024")
        assert response.status_code == 200
        assert [row[1] for row in _rows(response)] == ["Họ và tên", "Nguyễn Thanh Hiền"]
    assert _export(outsider.client, "chau-thanh").status_code == 404
    assert _export(outsider.client, "hoi-lhpn").status_code == 404
    assert _export(district_staff.client, "no-such-unit").status_code == 404
    assert _export(anonymous, "chau-thanh").status_code == 302


def test_export_runs_the_same_queries_for_one_and_three_members(
    tree, district_staff, django_assert_num_queries
):
    member_in(tree.phuoc_thanh)
    with CaptureQueriesContext(connection) as one:
        _export(district_staff.client, "an-khanh")
    member_in(tree.phuoc_thanh)
    member_in(tree.phuoc_thanh)

    with django_assert_num_queries(len(one)):
        response = _export(district_staff.client, "an-khanh")

    assert len(_rows(response)) == 4
