"""The cell-life figures as the test oracle counts them (``tests/cells/figures_oracle.py``), exact
on small hand-made data: the oracle the statistics registry is held to
(``tests/reports/test_statistics.py``) must itself be right.

The tree is the shared fixture (tests/conftest.py): Huyện ủy Châu Thành with Chi bộ ấp Phước
Thạnh (under xã An Khánh), Chi bộ ấp Tân Thạnh (under xã Tân Thạch) and Chi bộ Hội LHPN huyện
(directly under the district).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    BulletinIssue,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from lantoa.cells.queries.figures import months_between, year_and_quarter
from lantoa.org.models import PartyMember, Unit, UnitKind, UnitParentage
from tests.cells.figures_oracle import Figures, monthly_figures, rollup, total, unit_figures
from tests.conftest import Tree
from tests.factories import PersonFactory, UnitFactory, member_in

D = dt.date
pytestmark = pytest.mark.django_db

YEAR_2024 = months_between(D(2024, 1, 1), D(2024, 12, 1))


def meeting(
    unit: Unit,
    period: dt.date,
    kind: str = MeetingKind.REGULAR,
    status: str = MeetingStatus.APPROVED,
) -> Meeting:
    return Meeting.objects.create(
        unit=unit, period=period, date=period + dt.timedelta(days=4), kind=kind, status=status
    )


def attend(held: Meeting, members: list[PartyMember], statuses: list[str]) -> None:
    Attendance.objects.bulk_create(
        Attendance(meeting=held, member=member, status=status)
        for member, status in zip(members, statuses, strict=True)
    )


def study_item(held: Meeting, *, presenter: bool = True, order: int = 1) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=held,
        order=order,
        kind=AgendaKind.STUDY,
        title="Bác Hồ với đức tính tiết kiệm",
        presenter=PersonFactory() if presenter else None,
    )


def sum_over(result: dict, unit: Unit, months: list[dt.date]) -> Figures:
    return total(result[unit.pk, month] for month in months if (unit.pk, month) in result)


# --- meetings held against expected ------------------------------------------------------------


def test_year_and_quarter_keys_a_month_by_its_year_and_quarter():
    quarters = [year_and_quarter(D(2024, m, 1)) for m in (1, 3, 4, 12)]
    assert quarters == [(2024, 1), (2024, 1), (2024, 2), (2024, 4)]
    assert year_and_quarter(D(2025, 1, 1)) == (2025, 1)


def test_figures_count_regular_and_thematic_meetings_a_combined_one_as_both(tree: Tree):
    cell = tree.phuoc_thanh
    meeting(cell, D(2024, 1, 1))
    meeting(cell, D(2024, 2, 1), MeetingKind.COMBINED)
    meeting(cell, D(2024, 4, 1))
    meeting(cell, D(2024, 5, 1), MeetingKind.THEMATIC)
    meeting(cell, D(2024, 5, 1))
    meeting(cell, D(2024, 6, 1), status=MeetingStatus.PLANNED)  # planned, not held

    result = unit_figures([cell.pk], D(2024, 1, 1), D(2024, 6, 30))

    q1 = sum_over(result, cell, months_between(D(2024, 1, 1), D(2024, 3, 1)))
    q2 = sum_over(result, cell, months_between(D(2024, 4, 1), D(2024, 6, 1)))
    assert (q1.regular_expected, q1.regular_held, q1.thematic_expected, q1.thematic_held) == (3, 2, 1, 1)
    assert (q2.regular_expected, q2.regular_held, q2.thematic_expected, q2.thematic_held) == (3, 2, 1, 1)
    # The quarter's thematic meeting is counted in the quarter's last month.
    assert [result[cell.pk, m].thematic_expected for m in months_between(D(2024, 1, 1), D(2024, 6, 1))] == [
        0,
        0,
        1,
        0,
        0,
        1,
    ]
    assert result[cell.pk, D(2024, 3, 1)].thematic_held == 1


def test_figures_count_a_month_once_however_many_regular_meetings_it_had(tree: Tree):
    meeting(tree.phuoc_thanh, D(2024, 3, 1))
    meeting(tree.phuoc_thanh, D(2024, 3, 1))
    meeting(tree.phuoc_thanh, D(2024, 3, 1), MeetingKind.THEMATIC)
    meeting(tree.phuoc_thanh, D(2024, 2, 1), MeetingKind.THEMATIC)

    figures = unit_figures([tree.phuoc_thanh.pk], D(2024, 3, 1), D(2024, 3, 31))[
        tree.phuoc_thanh.pk, D(2024, 3, 1)
    ]

    assert (figures.regular_expected, figures.regular_held) == (1, 1)
    assert (figures.thematic_expected, figures.thematic_held) == (1, 1)


def test_figures_expect_a_new_cell_only_from_its_creation_month(tree: Tree):
    new_cell = UnitFactory(name="Chi bộ ấp Phước Xuân", valid_from=D(2024, 5, 15), parent=tree.an_khanh)
    meeting(new_cell, D(2024, 5, 1))

    result = monthly_figures(tree.district, D(2024, 1, 1), D(2024, 12, 31))

    year = sum_over(result, new_cell, YEAR_2024)
    assert sorted(month for pk, month in result if pk == new_cell.pk) == YEAR_2024[4:]
    assert (year.regular_expected, year.regular_held) == (8, 1)
    assert year.thematic_expected == 3  # Q2 (open in June), Q3, Q4
    assert sum_over(result, tree.phuoc_thanh, YEAR_2024).regular_expected == 12


def test_figures_stop_expecting_a_closed_cell_and_count_its_last_quarter_in_its_last_month(tree: Tree):
    closing = UnitFactory(name="Chi bộ Quân sự xã Tường Đa", valid_to=D(2024, 11, 20), parent=tree.an_khanh)
    meeting(closing, D(2024, 10, 1), MeetingKind.THEMATIC)

    result = monthly_figures(tree.district, D(2024, 1, 1), D(2024, 12, 31))

    assert (closing.pk, D(2024, 12, 1)) not in result
    assert sum_over(result, closing, YEAR_2024).regular_expected == 11
    november = result[closing.pk, D(2024, 11, 1)]
    assert (november.thematic_expected, november.thematic_held) == (1, 1)


def test_figures_leave_out_a_quarter_the_range_ends_in(tree: Tree):
    meeting(tree.phuoc_thanh, D(2024, 4, 1), MeetingKind.THEMATIC)

    result = unit_figures([tree.phuoc_thanh.pk], D(2023, 5, 1), D(2024, 4, 30))

    months = months_between(D(2023, 5, 1), D(2024, 4, 1))
    period = sum_over(result, tree.phuoc_thanh, months)
    # 05/2023–04/2024: Q2 2023 (due in June), Q3, Q4, Q1 2024; Q2 2024 falls due after the range.
    assert (period.regular_expected, period.thematic_expected, period.thematic_held) == (12, 4, 0)


def test_figures_give_committees_no_meetings(tree: Tree):
    meeting(tree.an_khanh, D(2024, 3, 1))

    figures = monthly_figures(tree.district, D(2024, 3, 1), D(2024, 3, 31))[tree.an_khanh.pk, D(2024, 3, 1)]

    assert figures == Figures()


# --- attendance and study ----------------------------------------------------------------------


def test_figures_attendance_rate_leaves_out_exempt_and_elsewhere(tree: Tree):
    members = [member_in(tree.phuoc_thanh) for _ in range(10)]
    held = meeting(tree.phuoc_thanh, D(2024, 3, 1))
    statuses = [AttendanceStatus.PRESENT] * 7 + [
        AttendanceStatus.EXCUSED,
        AttendanceStatus.EXEMPT,
        AttendanceStatus.ELSEWHERE,
    ]
    attend(held, members, statuses)
    planned = meeting(tree.phuoc_thanh, D(2024, 3, 1), MeetingKind.THEMATIC, MeetingStatus.PLANNED)
    attend(planned, members, [AttendanceStatus.UNEXCUSED] * 10)

    figures = unit_figures([tree.phuoc_thanh.pk], D(2024, 3, 1), D(2024, 3, 1))[
        tree.phuoc_thanh.pk, D(2024, 3, 1)
    ]

    assert (figures.on_roll, figures.present, figures.exempt, figures.elsewhere) == (10, 7, 1, 1)
    assert figures.expected_attendance == 8
    assert figures.attendance_rate == Decimal("87.50")


def test_figures_attendance_rate_is_none_without_a_held_meeting(tree: Tree):
    figures = unit_figures([tree.phuoc_thanh.pk], D(2024, 3, 1), D(2024, 3, 1))[
        tree.phuoc_thanh.pk, D(2024, 3, 1)
    ]

    assert figures.attendance_rate is None


def test_figures_count_study_items_with_a_presenter_in_held_meetings_only(tree: Tree):
    held = meeting(tree.phuoc_thanh, D(2024, 3, 1))
    study_item(held, order=1)
    study_item(held, presenter=False, order=2)
    AgendaItem.objects.create(
        meeting=held, order=3, kind=AgendaKind.CURRENT, title="Thời sự", presenter=PersonFactory()
    )
    thematic = meeting(tree.phuoc_thanh, D(2024, 3, 1), MeetingKind.THEMATIC, MeetingStatus.HELD)
    study_item(thematic)
    study_item(meeting(tree.phuoc_thanh, D(2024, 3, 1), status=MeetingStatus.PLANNED))

    figures = unit_figures([tree.phuoc_thanh.pk], D(2024, 3, 1), D(2024, 3, 1))[
        tree.phuoc_thanh.pk, D(2024, 3, 1)
    ]

    assert figures.study_items == 2


# --- articles ----------------------------------------------------------------------------------


def test_figures_count_articles_assigned_by_month_and_published_by_issue(tree: Tree):
    author = member_in(tree.women)
    march = BulletinIssue.objects.create(
        unit=tree.district, number=3, period=D(2024, 3, 1), deadline=D(2024, 3, 20)
    )
    april = BulletinIssue.objects.create(
        unit=tree.district, number=4, period=D(2024, 4, 1), deadline=D(2024, 4, 20)
    )

    def article(issue: BulletinIssue, assigned_on: dt.date, status: str) -> None:
        Article.objects.create(
            issue=issue,
            cell=tree.women,
            author=author,
            topic="Về Bác",
            status=status,
            assigned_on=assigned_on,
            due_on=issue.deadline,
        )

    article(march, D(2024, 2, 28), ArticleStatus.PUBLISHED)  # assigned in February, out in March
    article(march, D(2024, 3, 5), ArticleStatus.PUBLISHED)
    article(march, D(2024, 3, 5), ArticleStatus.RETURNED)
    article(april, D(2024, 3, 31), ArticleStatus.ASSIGNED)

    result = unit_figures([tree.women.pk], D(2024, 2, 1), D(2024, 4, 30))

    assert [
        (result[tree.women.pk, m].articles_assigned, result[tree.women.pk, m].articles_published)
        for m in months_between(D(2024, 2, 1), D(2024, 4, 1))
    ] == [(1, 0), (3, 2), (0, 0)]


# --- the tree ----------------------------------------------------------------------------------


def _busy_quarter(tree: Tree) -> None:
    """Q1 2024 in the three cells, with attendance, study items and an article."""
    for cell, kinds in (
        (tree.phuoc_thanh, [MeetingKind.REGULAR, MeetingKind.COMBINED, MeetingKind.REGULAR]),
        (tree.tan_thanh, [MeetingKind.REGULAR, MeetingKind.REGULAR, None]),
        (tree.women, [MeetingKind.COMBINED, MeetingKind.REGULAR, MeetingKind.REGULAR]),
    ):
        members = [member_in(cell) for _ in range(4)]
        for month, kind in zip(months_between(D(2024, 1, 1), D(2024, 3, 1)), kinds, strict=True):
            if kind is None:
                continue
            held = meeting(cell, month, kind)
            study_item(held)
            attend(held, members, [AttendanceStatus.PRESENT] * 3 + [AttendanceStatus.EXCUSED])
    issue = BulletinIssue.objects.create(
        unit=tree.district, number=1, period=D(2024, 2, 1), deadline=D(2024, 2, 20)
    )
    Article.objects.create(
        issue=issue,
        cell=tree.women,
        author=member_in(tree.women),
        topic="Về Bác",
        status=ArticleStatus.PUBLISHED,
        assigned_on=D(2024, 2, 3),
        due_on=D(2024, 2, 20),
    )


def test_rollup_of_the_district_equals_the_sum_of_its_cells(tree: Tree):
    _busy_quarter(tree)
    months = months_between(D(2024, 1, 1), D(2024, 3, 1))

    rolled = rollup(tree.district, D(2024, 1, 1), D(2024, 3, 31))
    own = monthly_figures(tree.district, D(2024, 1, 1), D(2024, 3, 31))

    cells = [tree.phuoc_thanh, tree.tan_thanh, tree.women]
    for month in months:
        assert rolled[tree.district.pk, month] == total(own[cell.pk, month] for cell in cells)
    district = total(rolled[tree.district.pk, m] for m in months)
    assert (district.regular_expected, district.regular_held) == (9, 8)
    assert (district.thematic_expected, district.thematic_held) == (3, 2)
    assert (district.on_roll, district.present, district.study_items) == (32, 24, 8)
    assert district.attendance_rate == Decimal("75.00")
    assert (district.articles_assigned, district.articles_published) == (1, 1)
    assert total(rolled[tree.an_khanh.pk, m] for m in months) == total(
        own[tree.phuoc_thanh.pk, m] for m in months
    )
    assert (tree.other_cell.pk, months[0]) not in rolled


def test_rollup_follows_a_cell_that_moved_as_of_each_month(tree: Tree):
    link = UnitParentage.objects.get(unit=tree.tan_thanh)
    link.valid_to = D(2024, 2, 10)
    link.save()
    UnitParentage.objects.create(unit=tree.tan_thanh, parent=tree.an_khanh, valid_from=D(2024, 2, 11))
    for month in months_between(D(2024, 1, 1), D(2024, 3, 1)):
        meeting(tree.tan_thanh, month)

    rolled = rollup(tree.district, D(2024, 1, 1), D(2024, 3, 31))

    assert rolled[tree.tan_thach.pk, D(2024, 1, 1)].regular_held == 1
    # Moved during February: counted where it was at the end of the month, once.
    assert rolled[tree.tan_thach.pk, D(2024, 2, 1)].regular_held == 0
    assert rolled[tree.an_khanh.pk, D(2024, 2, 1)].regular_held == 1
    assert rolled[tree.district.pk, D(2024, 2, 1)].regular_held == 1
    assert rolled[tree.an_khanh.pk, D(2024, 3, 1)].thematic_expected == 2
    # Only the months it was under the root count in a rollup of its old commune.
    old_commune = rollup(tree.tan_thach, D(2024, 1, 1), D(2024, 3, 31))
    assert sorted(month for pk, month in old_commune if pk == tree.tan_thanh.pk) == [
        D(2024, 1, 1),
        D(2024, 2, 1),
    ]


def test_figures_queries_do_not_grow_with_cells_and_months(tree: Tree):
    commune = UnitFactory(
        name="Đảng ủy xã Phú Túc", kind=UnitKind.COMMUNE, short_code="ĐU", parent=tree.district
    )
    cells = [UnitFactory(name=f"Chi bộ ấp Phú {n}", parent=commune) for n in range(5)]
    for cell in cells:
        member = member_in(cell)
        for month in YEAR_2024:
            held = meeting(cell, month)
            study_item(held)
            attend(held, [member], [AttendanceStatus.PRESENT])

    def count(call) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            result = call()
        return len(captured), result

    one, small = count(lambda: rollup(cells[0], D(2024, 1, 1), D(2024, 1, 31)))
    many, large = count(lambda: rollup(commune, D(2024, 1, 1), D(2024, 12, 31)))
    one_ids, _ = count(lambda: unit_figures([cells[0].pk], D(2024, 1, 1), D(2024, 1, 31)))
    many_ids, _ = count(lambda: unit_figures([c.pk for c in cells], D(2024, 1, 1), D(2024, 12, 31)))

    assert list(small) == [(cells[0].pk, D(2024, 1, 1))]
    assert small[cells[0].pk, D(2024, 1, 1)].regular_held == 1
    assert total(large[commune.pk, m] for m in YEAR_2024).regular_held == 60
    assert one == many == 7
    assert one_ids == many_ids == 6


def test_figures_count_articles_as_the_bulletin_pages_do(tree: Tree):
    """Cancelled assignments do not count; only published articles count as published."""
    author = member_in(tree.women)
    issue = BulletinIssue.objects.create(
        unit=tree.district, number=3, period=D(2024, 3, 1), deadline=D(2024, 3, 20)
    )
    for status in (ArticleStatus.PUBLISHED, ArticleStatus.CANCELLED, ArticleStatus.EDITED):
        Article.objects.create(
            issue=issue,
            cell=tree.women,
            author=author,
            topic="Về Bác",
            status=status,
            assigned_on=D(2024, 3, 4),
            due_on=issue.deadline,
        )

    figures = unit_figures([tree.women.pk], D(2024, 3, 1), D(2024, 3, 31))[tree.women.pk, D(2024, 3, 1)]

    assert (figures.articles_assigned, figures.articles_published) == (2, 1)
