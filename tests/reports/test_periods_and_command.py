"""Report periods (the period before, the impossible ones) and the command line's refusals."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lantoa.org.models import Role
from lantoa.reports.periods import Period, PeriodError, checked_period
from tests.conftest import AFTER_THE_REFORM, page_text, tr
from tests.factories import RoleGrantFactory

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


@pytest.mark.django_db
@pytest.mark.today(AFTER_THE_REFORM)
def test_a_period_outside_the_units_life_is_refused_in_words(tree):
    with pytest.raises(CommandError, match="30/06/2025"):
        call_command("report", unit="chau-thanh", start="2026-01-01", end="2026-06-30")
    with pytest.raises(CommandError, match="01/01/1976"):
        call_command("report", unit="chau-thanh", start="1960-01-01", end="1975-12-31")
    # A period that reaches into its life is counted: a closed district's last year.
    out = io.StringIO()
    call_command("report", unit="chau-thanh", start="2025-01-01", end="2025-12-31", stdout=out)
    assert json.loads(out.getvalue())["to"] == "2025-12-31"


@pytest.mark.django_db
@pytest.mark.today(AFTER_THE_REFORM)
def test_the_report_page_says_a_closed_district_has_nothing_after_it_ended(tree, client):
    client.force_login(RoleGrantFactory(unit=tree.district, role=Role.PROPAGANDA).user)

    refused = client.get(
        reverse("reports:index"), {"unit": "chau-thanh", "from": "01/01/2026", "to": "30/06/2026"}
    )
    last_year = client.get(reverse("reports:index"), {"unit": "chau-thanh", "from": "", "to": "31/12/2024"})

    assert refused.status_code == 400
    assert refused.context["problem"] == tr(
        "%(unit)s ended on %(day)s: choose a period that starts by that day.",
        unit="Huyện ủy Châu Thành",
        day="30/06/2025",
    )
    # Only the end typed: from 1 January of its year.
    assert last_year.status_code == 200
    assert last_year.context["report"].period == Period(D(2024, 1, 1), D(2024, 12, 31))


@pytest.mark.django_db
@pytest.mark.today(AFTER_THE_REFORM)
def test_staff_who_moved_to_the_province_start_on_the_province_not_the_closed_district(tree, client):
    staff = RoleGrantFactory(unit=tree.district, role=Role.PROPAGANDA, valid_to=D(2025, 6, 30)).user
    RoleGrantFactory(user=staff, unit=tree.province, role=Role.PROPAGANDA, valid_from=D(2025, 7, 1))
    client.force_login(staff)

    assert client.get(reverse("reports:dashboard")).context["unit"] == tree.province
    assert client.get(reverse("reports:index")).context["report"].unit == tree.province
    # The district's own dashboard still opens, on its last year, and says so.
    closed = client.get(reverse("reports:dashboard"), {"unit": "chau-thanh"})
    assert closed.context["board"].report.period == Period(D(2025, 1, 1), D(2025, 6, 30))
    assert tr(
        "%(unit)s ended on %(day)s: these are the figures of its last year.",
        unit="Huyện ủy Châu Thành",
        day="30/06/2025",
    ) in page_text(closed)
