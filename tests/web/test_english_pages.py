"""A reader who chose English reads numbers as English writes them, counts that agree with their
number, and the import page's columns explained; Party documents stay Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lantoa.lib import vi
from lantoa.org.models import Role
from lantoa.web.templatetags.vi import vn_int, vn_money, vn_percent
from tests.conftest import BEFORE_THE_REFORM, page_text, persona
from tests.documents.conftest import cells_obligation, file_plan, terms  # noqa: F401 - the fixture

D = dt.date


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", ("1.525", "140,43%", "50.000\u00a0đ")), ("en", ("1,525", "140.43%", "50,000\u00a0đ"))],
)
def test_page_numbers_follow_the_readers_language(language, expected):
    with translation.override(language):
        assert (vn_int(1525), vn_percent(66, 47), vn_money(50000)) == expected


def test_documents_keep_vietnamese_numbers_whatever_the_reader_reads():
    with translation.override("en"):
        assert (vi.format_int(1525), vi.format_percent(66, 47)) == ("1.525", "140,43%")


@pytest.mark.today(BEFORE_THE_REFORM)
@pytest.mark.usefixtures("terms")
def test_the_obligations_page_in_english_writes_a_decimal_point(tree, district_staff):
    obligation = cells_obligation(tree.district, D(2024, 3, 31))
    file_plan(obligation, tree.phuoc_thanh, D(2024, 3, 20))
    english(district_staff.client)

    text = page_text(district_staff.client.get(reverse("documents:obligations")))

    assert "1 of 3 (33.33%)" in text
    assert "33,33%" not in text


def test_the_home_page_counts_one_unit_in_the_singular(tree):
    cell = persona(tree.other_cell, Role.SECRETARY)
    english(cell.client)

    text = page_text(cell.client.get(reverse("web:home")))

    assert "1 unit ·" in text
    assert "1 units" not in text


@pytest.mark.today(BEFORE_THE_REFORM)
def test_the_import_page_explains_its_vietnamese_column_headers_in_english(tree, district_staff):
    english(district_staff.client)

    text = page_text(district_staff.client.get(reverse("imports:start")))

    assert "Họ và tên (full name) · Số thẻ đảng viên (party card number)" in text
    assert "Số CCCD (citizen ID number)" in text


@pytest.mark.today(BEFORE_THE_REFORM)
def test_the_import_page_in_vietnamese_lists_the_headers_alone(tree, district_staff):
    text = page_text(district_staff.client.get(reverse("imports:start")))

    assert "Họ và tên · Số thẻ đảng viên · Ngày vào Đảng · Chi bộ" in text
