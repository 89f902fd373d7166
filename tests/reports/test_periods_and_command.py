"""Report periods (the period before, the impossible ones) and the command line's refusals."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from lantoa.reports.periods import Period, PeriodError, checked_period

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        # a month, across a year's end
        (D(2024, 1, 1), D(2024, 1, 31), (D(2023, 12, 1), D(2023, 12, 31))),
        # sơ kết 6 months, and a year (tổng kết)
        (D(2024, 1, 1), D(2024, 6, 30), (D(2023, 7, 1), D(2023, 12, 31))),
        (D(2024, 1, 1), D(2024, 12, 31), (D(2023, 1, 1), D(2023, 12, 31))),
        # March after a leap February: whole months, not days
        (D(2024, 3, 1), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
        # the 3 years of KL 01: the same number of days before
        (D(2021, 5, 18), D(2024, 4, 30), (D(2018, 6, 4), D(2021, 5, 17))),
    ],
)
def test_the_period_before_has_the_same_length(start, end, before):
    previous = Period(start, end).previous()

    assert (previous.start, previous.end) == before
    if not Period(start, end).whole_months:
        assert previous.end - previous.start == end - start


def test_impossible_periods_are_refused_in_words():
    with pytest.raises(PeriodError, match=r"ends before it starts|trước ngày bắt đầu"):
        Period(D(2024, 5, 1), D(2024, 4, 30))
    with pytest.raises(PeriodError):
        checked_period(D(1900, 1, 1), D(1901, 1, 1), today=D(2026, 12, 7))
    with pytest.raises(PeriodError):
        checked_period(D(2024, 1, 1), D(2099, 12, 31), today=D(2026, 12, 7))


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_unit_and_an_impossible_period(tree):
    with pytest.raises(CommandError, match="No unit has the key"):
        call_command("report", unit="khong-co", start="2024-01-01", end="2024-12-31")
    with pytest.raises(CommandError):
        call_command("report", unit="chau-thanh", start="2024-12-31", end="2024-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", unit="chau-thanh", start="31/12/2024", end="2024-12-31")
    with pytest.raises(CommandError, match="--output"):
        call_command("report", unit="chau-thanh", start="2024-01-01", end="2024-12-31", format="docx")


@pytest.mark.django_db
def test_the_command_prints_every_statistic_once_as_json(tree):
    out = io.StringIO()
    call_command("report", unit="chau-thanh", start="2024-01-01", end="2024-12-31", stdout=out)
    report = json.loads(out.getvalue())

    ids = [item["id"] for item in report["statistics"]]
    assert len(ids) == len(set(ids)) > 40
    assert (report["from"], report["to"], report["previous_from"]) == (
        "2024-01-01",
        "2024-12-31",
        "2023-01-01",
    )
    assert all(
        {"id", "label", "value", "previous", "records_url"} <= set(item) for item in report["statistics"]
    )


@pytest.mark.django_db
def test_a_period_from_the_partys_founding_has_a_period_before_it_too(tree):
    out = io.StringIO()
    call_command("report", unit="chau-thanh", start="1930-02-03", end="2024-12-31", stdout=out)

    assert json.loads(out.getvalue())["previous_to"] == "1930-02-02"
