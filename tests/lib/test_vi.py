from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantoa.lib.vi import (
    DateParseError,
    format_date,
    format_dateline,
    format_dateline_month,
    format_datetime,
    format_decimal,
    format_int,
    format_money,
    format_month,
    format_month_in_text,
    format_percent,
    parse_date,
    percentage,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (7, "7"), (999, "999"), (1525, "1.525"), (1000000, "1.000.000"), (-1525, "-1.525")],
)
def test_format_int_groups_thousands_with_dots(value, text):
    assert format_int(value) == text


def test_format_int_of_none_is_empty():
    assert format_int(None) == ""


def test_format_money_is_integer_dong_with_the_dong_sign():
    assert (format_money(50000), format_money(1200000), format_money(0)) == ("50.000 đ", "1.200.000 đ", "0 đ")


def test_format_money_of_none_is_empty():
    assert format_money(None) == ""


def test_format_percent_writes_the_seed_figure_with_a_decimal_comma():
    # 66 cells "trong sạch, vững mạnh" against a target of 47 (never "66/47").
    assert format_percent(66, 47) == "140,43%"


def test_format_percent_of_a_zero_target_is_empty():
    assert (format_percent(5, 0), percentage(5, 0)) == ("", None)


def test_percentage_rounds_half_up():
    # 1/8 = 12,5% exactly; 1/16 = 6,25%; 1/32 = 3,125% → 3,13 (half-up, not banker's 3,12).
    assert (percentage(1, 8), percentage(1, 16), percentage(1, 32)) == (
        Decimal("12.50"),
        Decimal("6.25"),
        Decimal("3.13"),
    )


def test_format_decimal_groups_the_whole_part_and_keeps_places():
    assert (format_decimal(Decimal("1525.5")), format_decimal(Decimal("-0.125"))) == ("1.525,50", "-0,13")


def test_format_date_is_day_month_year_with_zeros():
    assert format_date(D(2024, 3, 5)) == "05/03/2024"


def test_format_date_of_a_datetime_keeps_only_the_day():
    assert format_date(dt.datetime(2024, 3, 5, 23, 59)) == "05/03/2024"


def test_format_date_of_none_is_empty():
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("05/03/2024", D(2024, 3, 5)),
        ("5/3/2024", D(2024, 3, 5)),
        ("05.03.2024", D(2024, 3, 5)),
        ("05-03-2024", D(2024, 3, 5)),
        ("2024-03-05", D(2024, 3, 5)),
        ("  29/02/2024 ", D(2024, 2, 29)),
    ],
)
def test_parse_date_reads_what_people_type(text, day):
    assert parse_date(text) == day


def test_parse_date_reads_an_excel_datetime_as_its_day():
    assert parse_date(dt.datetime(2024, 3, 5, 0, 0)) == D(2024, 3, 5)


def test_parse_date_passes_a_date_through():
    assert parse_date(D(2024, 3, 5)) == D(2024, 3, 5)


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_parse_date_of_blank_is_none(blank):
    assert parse_date(blank) is None


@pytest.mark.parametrize("impossible", ["31/02/2024", "29/02/2023", "2024-13-01", "00/01/2024"])
def test_parse_date_refuses_an_impossible_date_naming_it(impossible):
    with pytest.raises(DateParseError) as caught:
        parse_date(impossible)

    assert str(caught.value) == f"ngày không có thật: {impossible}"


@pytest.mark.parametrize("garbage", ["hôm qua", "05/03", "2024", "5/3/24x", "45356"])
def test_parse_date_refuses_garbage_saying_how_to_write_it(garbage):
    with pytest.raises(DateParseError) as caught:
        parse_date(garbage)

    assert str(caught.value) == f"không đọc được ngày '{garbage}' (ghi theo dạng dd/mm/yyyy)"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_int_round_trips_and_groups_by_three(value):
    text = format_int(value)

    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", text)
    assert int(text.replace(".", "")) == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_percentage_is_the_exact_ratio_rounded_half_up(actual, target):
    exact = Fraction(actual * 100, target)
    # Half-up on the exact rational: floor(x * 100 + 1/2) / 100.
    hundredths = (exact * 100 + Fraction(1, 2)).__floor__()
    expected = (Decimal(hundredths) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    assert percentage(actual, target) == expected
    assert format_percent(actual, target) == format_decimal(expected) + "%"


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_format_date_and_parse_date_round_trip(day):
    assert parse_date(format_date(day)) == day


# --- months and datelines ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "table", "text", "dateline"),
    [
        (D(2027, 1, 1), "01/2027", "1/2027", "tháng 01 năm 2027"),
        (D(2028, 2, 1), "02/2028", "2/2028", "tháng 02 năm 2028"),
        (D(2025, 6, 1), "06/2025", "6/2025", "tháng 6 năm 2025"),
        (D(2026, 12, 1), "12/2026", "12/2026", "tháng 12 năm 2026"),
    ],
)
def test_a_month_has_one_form_for_tables_one_for_text_and_one_for_documents(month, table, text, dateline):
    assert format_month(month) == table
    assert format_month_in_text(month) == text
    assert format_dateline_month(month) == dateline


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (D(2024, 3, 5), "ngày 05 tháng 3 năm 2024"),
        (D(2018, 2, 20), "ngày 20 tháng 02 năm 2018"),
        (D(2028, 2, 29), "ngày 29 tháng 02 năm 2028"),
        (D(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (D(2025, 7, 1), "ngày 01 tháng 7 năm 2025"),
    ],
)
def test_dateline_pads_days_below_ten_and_only_january_and_february(day, line):
    assert format_dateline(day) == line


def test_datetime_is_shown_in_vietnams_time():
    moment = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1/1/2027 in Vietnam

    assert format_datetime(moment) == "00:30 01/01/2027"


_HAND_WRITTEN_DATE = re.compile(
    r"""%m/%Y|%d/%m|date:["']m/Y["']|date:["']d/m|\.month\}/\{|month:02d\}/|day:02d\}/"""
)


def test_months_and_dates_are_written_only_by_lib_vi():
    """Pages and documents write a month or a date through lantoa.lib.vi, never by hand."""
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "lantoa" / "lib" / "vi.py"}
    sources = [
        *root.joinpath("lantoa").rglob("*.py"),
        *root.joinpath("templates").rglob("*.html"),
    ]
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sources
        if path not in allowed and "migrations" not in path.parts and "formats" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if _HAND_WRITTEN_DATE.search(line) and "strptime" not in line and "INPUT_FORMATS" not in line
    ]
    assert offenders == []
