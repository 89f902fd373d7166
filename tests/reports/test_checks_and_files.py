"""The checks before a report is issued, the dashboard's "same days of last year", a report
numbered in the register, and the kept figures against amended records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.documents import services as document_services
from lantoa.org.models import Role
from lantoa.reports import services
from lantoa.reports.checks import data_warnings
from lantoa.reports.compute import Line, compute_report
from lantoa.reports.dashboard import year_so_far
from lantoa.reports.document import _target_sentence
from lantoa.reports.models import ReportRun, RunStatus
from lantoa.reports.periods import Period
from lantoa.reports.statistics import Figure, Statistic
from tests.conftest import BEFORE_THE_REFORM
from tests.factories import RoleGrantFactory, UserFactory

D = dt.date
YEAR_2024 = Period(D(2024, 1, 1), D(2024, 12, 31))


def _meeting(cell, day, status=MeetingStatus.APPROVED, kind=MeetingKind.REGULAR):
    return Meeting.objects.create(unit=cell, kind=kind, period=day.replace(day=1), date=day, status=status)


@pytest.mark.django_db
def test_minutes_in_draft_and_records_outside_their_unit_are_named_before_issuing(tree):
    _meeting(tree.phuoc_thanh, D(2024, 3, 12))
    _meeting(tree.phuoc_thanh, D(2024, 4, 9), status=MeetingStatus.HELD)  # minutes never approved
    tree.tan_thanh.valid_from = D(2024, 6, 1)  # the cell was founded in June: a March meeting is
    tree.tan_thanh.save()  # of a unit that did not exist
    _meeting(tree.tan_thanh, D(2024, 3, 5))

    report = compute_report(tree.district, YEAR_2024, BEFORE_THE_REFORM)
    warnings = {warning.code: warning for warning in data_warnings(report, BEFORE_THE_REFORM)}

    assert warnings["draft_minutes"].count == 1
    assert warnings["draft_minutes"].examples == ["Chi bộ ấp Phước Thạnh, 09/04/2024"]
    assert warnings["outside_life"].count == 1
    assert "05/03/2024" in warnings["outside_life"].examples[0]
    # The meeting of a unit that did not exist is counted nowhere; the two others are.
    assert report.value_of("meetings.regular.held") == 2


@pytest.mark.django_db
def test_a_clean_period_raises_no_question(tree):
    _meeting(tree.phuoc_thanh, D(2024, 3, 12))
    report = compute_report(tree.district, YEAR_2024, BEFORE_THE_REFORM)

    assert data_warnings(report, BEFORE_THE_REFORM) == []


@pytest.mark.parametrize(
    ("today", "current", "before"),
    [
        (D(2028, 2, 29), (D(2028, 1, 1), D(2028, 2, 29)), (D(2027, 1, 1), D(2027, 2, 28))),
        (D(2027, 1, 15), (D(2027, 1, 1), D(2027, 1, 15)), (D(2026, 1, 1), D(2026, 1, 15))),
        (D(2026, 12, 31), (D(2026, 1, 1), D(2026, 12, 31)), (D(2025, 1, 1), D(2025, 12, 31))),
    ],
)
@pytest.mark.django_db
def test_the_dashboard_compares_the_year_so_far_with_the_same_days_of_last_year(tree, today, current, before):
    tree.province.valid_to = None
    this, last = year_so_far(tree.province, today)

    assert (this.start, this.end) == current
    assert (last.start, last.end) == before


@pytest.mark.django_db
def test_a_closed_district_shows_its_last_year(tree):
    this, last = year_so_far(tree.district, D(2026, 12, 7))

    assert (this.start, this.end) == (D(2025, 1, 1), D(2025, 6, 30))
    assert (last.start, last.end) == (D(2024, 1, 1), D(2024, 6, 30))


@pytest.mark.django_db
@pytest.mark.today(BEFORE_THE_REFORM)
def test_a_report_takes_its_number_in_the_register_or_stays_a_draft(tree, django_capture_on_commit_callbacks):
    staff = UserFactory()
    with pytest.raises(ValidationError, match=r"term|nhiệm kỳ"):
        services.start_run(
            actor=staff, unit=tree.district, period=YEAR_2024, numbered=True, today=BEFORE_THE_REFORM
        )
    assert not ReportRun.objects.exists()  # nothing half-made

    document_services.create_term(
        actor=staff, unit=tree.district, name="2020–2025", starts_on=D(2020, 10, 1), ends_on=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        numbered = services.start_run(
            actor=staff, unit=tree.district, period=YEAR_2024, numbered=True, today=BEFORE_THE_REFORM
        )
        draft = services.start_run(actor=staff, unit=tree.district, period=YEAR_2024, today=BEFORE_THE_REFORM)
    numbered.refresh_from_db()
    draft.refresh_from_db()

    assert numbered.number == "Số 01-BC/HU"
    assert numbered.document is not None
    assert numbered.document.type_code == "BC"
    assert draft.number == ""
    assert (numbered.status, draft.status) == (RunStatus.DONE, RunStatus.DONE)
    # The figures are kept as issued: the run's JSON holds every statistic.
    assert {item["id"] for item in numbered.figures["statistics"]} >= {
        "honours.cells.individuals",
        "funds.children",
    }


@pytest.mark.django_db
@pytest.mark.today(BEFORE_THE_REFORM)
@pytest.mark.parametrize(
    ("start", "end"),
    [("29/02/2023", "01/03/2023"), ("01/01/1900", "01/03/2023"), ("01/05/2024", "01/03/2024"), ("<b>", "x")],
)
def test_a_period_that_cannot_be_counted_is_said_so_and_shown_again_as_typed(tree, client, start, end):
    staff = RoleGrantFactory(unit=tree.district, role=Role.PROPAGANDA).user
    client.force_login(staff)

    response = client.get(reverse("reports:index"), {"unit": "chau-thanh", "from": start, "to": end})

    assert response.status_code == 400
    assert response.context["problem"]
    assert response.context["report"] is None
    assert "<b>" not in response.content.decode()  # what was typed comes back escaped


def test_a_term_target_is_written_with_its_unit_of_measure():
    """ "đạt 13,31%; chỉ tiêu 15%" in the Word report and on the page, not "đạt 13,31; chỉ tiêu 15"."""
    statistic = Statistic("targets.rate", "Tỷ lệ đảng viên được khen thưởng")

    def line(value, target, achievement, unit):
        return Line(
            Figure(statistic, value, target=target, achievement=achievement, unit_of_measure=unit), None, None
        )

    rate = line(Decimal("13.31"), Decimal(15), Decimal("88.73"), "%")
    cells = line(66, Decimal(47), Decimal("140.43"), "chi bộ")
    whole = line(Decimal(100), Decimal(100), Decimal("100.00"), "%")

    assert _target_sentence(rate) == "đạt 13,31%; chỉ tiêu 15%; đạt 88,73% chỉ tiêu"
    assert _target_sentence(cells) == "đạt 66 chi bộ; chỉ tiêu 47 chi bộ; đạt 140,43% chỉ tiêu"
    assert _target_sentence(whole) == "đạt 100%; chỉ tiêu 100%; đạt 100% chỉ tiêu"
    assert _target_sentence(line(None, Decimal(47), None, "chi bộ")) == "chưa có số liệu"
    with translation.override("vi"):
        assert (rate.shown, rate.shown_target, cells.shown, cells.shown_target) == (
            "13,31%",
            "15%",
            "66 chi bộ",
            "47 chi bộ",
        )
