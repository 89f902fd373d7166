"""Reading meetings: attendance totals, months and quarters, and the cells without a meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.cells.models import MeetingKind, MeetingStatus
from lantoa.cells.queries import meetings as queries
from lantoa.cells.services import meetings as services
from lantoa.org.models import Position, PositionTitle, UnitKind, UnitParentage
from tests.cells.meetings.conftest import plan
from tests.factories import UnitFactory, member_in

D = dt.date


def _mark(meeting, member, status, reason=""):
    row = meeting.attendance.select_related("meeting").get(member=member)
    services.set_attendance(actor=None, attendance=row, status=status, reason=reason)


def test_attendance_totals_split_full_and_probationary_members(tree, cell, meeting):
    extra = member_in(tree.phuoc_thanh, name="Lý Thị Mai", full_member_on=None, admitted_on=D(2023, 1, 5))
    services.sync_roster(actor=None, meeting=meeting)
    _mark(meeting, cell.lan, "excused", "Ốm")
    _mark(meeting, extra, "unexcused")

    totals = queries.attendance_totals(queries.attendance_rows(meeting))

    table = {status: (t.full, t.probationary, t.total) for status, _label, t in totals.rows()}
    assert (totals.members.full, totals.members.probationary, totals.members.total) == (3, 2, 5)
    assert table == {
        "present": (1, 1, 2),
        "excused": (1, 0, 1),
        "unexcused": (0, 1, 1),
        "exempt": (1, 0, 1),
        "elsewhere": (0, 0, 0),
    }
    assert [row.member.person.full_name for row in totals.named["excused"]] == ["Lê Thị Lan"]


def test_full_member_mark_is_fixed_when_the_roster_is_taken(tree, cell, meeting):
    cell.tu.full_member_on = D(2024, 3, 1)  # corrected later: the meeting still counts him as on the day
    cell.tu.save()

    totals = queries.attendance_totals(queries.attendance_rows(meeting))

    assert (totals.members.full, totals.members.probationary) == (3, 1)


def test_roster_of_a_committee_is_its_members_holding_a_post(tree, cell):
    Position.objects.create(
        person=cell.minh.person,
        unit=tree.an_khanh,
        title=PositionTitle.COMMITTEE_MEMBER,
        valid_from=D(2020, 1, 1),
    )

    roster = queries.roster_for(tree.an_khanh, D(2024, 3, 5))

    assert [entry.member.person.full_name for entry in roster] == ["Trần Văn Minh"]


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2024-03", D(2024, 3, 1)),
        ("03/2024", D(2024, 3, 1)),
        ("3/2024", D(2024, 3, 1)),
        ("2024-13", None),
        ("x", None),
    ],
)
def test_parse_month(text, month):
    assert queries.parse_month(text) == month


def test_quarter_of_a_month():
    assert queries.quarter_of(D(2024, 5, 1)) == (D(2024, 4, 1), D(2024, 6, 1))
    assert queries.quarter_number(D(2024, 12, 1)) == 4


def test_cells_without_meetings_in_a_month_and_without_a_thematic_one_in_the_quarter(tree, cell):
    held = plan(tree, cell)  # Phước Thạnh: regular, March 2024
    services.set_meeting_status(actor=None, meeting=held, status=MeetingStatus.HELD, today=D(2024, 3, 6))
    thematic = plan(
        tree,
        cell,
        kind=MeetingKind.THEMATIC,
        topic="Chuyên đề quý I",
        date=D(2024, 1, 20),
        chair=None,
        clerk=None,
    )
    services.set_meeting_status(actor=None, meeting=thematic, status=MeetingStatus.HELD, today=D(2024, 3, 6))
    # Tân Thạnh has only planned its March meeting; the women's cell has nothing.
    services.schedule_meeting(actor=None, unit=tree.tan_thanh, kind=MeetingKind.REGULAR, date=D(2024, 3, 28))

    report = queries.cells_without_meetings(tree.district, D(2024, 3, 1))

    states = {c.unit.name: (c.regular, c.thematic, c.parent.name) for c in report.cells}
    assert states == {
        "Chi bộ ấp Phước Thạnh": ("held", "held", "Đảng ủy xã An Khánh"),
        "Chi bộ ấp Tân Thạnh": ("planned", "none", "Đảng ủy xã Tân Thạch"),
        "Chi bộ Hội LHPN huyện": ("none", "none", "Huyện ủy Châu Thành"),
    }
    assert [c.unit.name for c in report.without_regular] == ["Chi bộ ấp Tân Thạnh", "Chi bộ Hội LHPN huyện"]
    assert len(report.without_thematic) == 2
    # The committee pages count the same cells in the database.
    assert queries.cells_roll_up(tree.district, D(2024, 3, 1)) == queries.CellsRollUp(3, 1, 1)
    assert queries.cells_roll_up(tree.district, D(2025, 8, 1)) == queries.CellsRollUp(0, 0, 0)


def test_a_combined_meeting_counts_as_regular_and_thematic(tree, cell):
    combined = plan(tree, cell, kind=MeetingKind.COMBINED, topic="Chuyên đề", date=D(2024, 2, 5))
    services.set_meeting_status(actor=None, meeting=combined, status=MeetingStatus.HELD, today=D(2024, 3, 6))

    report = queries.cells_without_meetings(tree.an_khanh, D(2024, 2, 1))

    assert [(c.unit.name, c.regular, c.thematic) for c in report.cells] == [
        ("Chi bộ ấp Phước Thạnh", "held", "held")
    ]


def test_cells_are_those_under_the_committee_as_of_the_month(tree):
    moved = UnitFactory(name="Chi bộ ấp Mới", valid_from=D(2000, 1, 1))
    UnitParentage.objects.create(
        unit=moved, parent=tree.tan_thach, valid_from=D(2000, 1, 1), valid_to=D(2024, 3, 31)
    )
    UnitParentage.objects.create(unit=moved, parent=tree.an_khanh, valid_from=D(2024, 4, 1))
    closed = UnitFactory(name="Chi bộ ấp Đã Giải Thể", valid_to=D(2024, 2, 10), parent=tree.an_khanh)

    march = queries.cells_without_meetings(tree.an_khanh, D(2024, 3, 1))
    april = queries.cells_without_meetings(tree.an_khanh, D(2024, 4, 1))

    assert closed.pk not in {c.unit.pk for c in march.cells}
    assert [c.unit.name for c in march.cells] == ["Chi bộ ấp Phước Thạnh"]
    assert [c.unit.name for c in april.cells] == ["Chi bộ ấp Mới", "Chi bộ ấp Phước Thạnh"]


def test_a_district_closed_before_the_month_has_no_cells(tree):
    report = queries.cells_without_meetings(tree.district, D(2025, 8, 1))

    assert report.cells == []
    assert report.on is None


def test_cells_without_meetings_is_three_queries(tree, django_assert_num_queries):
    for n in range(3):
        UnitFactory(name=f"Chi bộ ấp Số {n}", parent=tree.tan_thach, kind=UnitKind.CELL)

    with django_assert_num_queries(3):
        queries.cells_without_meetings(tree.district, D(2024, 3, 1))


def test_a_closed_committee_points_to_its_last_month(tree):
    report = queries.cells_without_meetings(tree.district, D(2026, 11, 1))

    assert (report.existed, report.ended_before, report.nearest_month) == (False, True, D(2025, 6, 1))


def test_a_committee_not_yet_founded_points_to_its_first_month(tree):
    new = UnitFactory(name="Đảng ủy xã Mới", kind=UnitKind.COMMUNE, valid_from=D(2025, 7, 1))

    report = queries.cells_without_meetings(new, D(2025, 3, 1))

    assert (report.existed, report.ended_before, report.nearest_month) == (False, False, D(2025, 7, 1))


def test_a_committee_open_in_the_month_existed_even_without_cells(tree):
    empty = UnitFactory(name="Đảng ủy xã Trống", kind=UnitKind.COMMUNE, valid_from=D(2000, 1, 1))

    report = queries.cells_without_meetings(empty, D(2024, 3, 1))

    assert (report.existed, report.cells, report.nearest_month) == (True, [], None)


def test_minutes_gaps_list_items_without_content_or_conclusion_and_a_missing_resolution(tree, cell):
    meeting = plan(tree, cell)
    items = list(meeting.items.order_by("order"))
    services.record_item_minutes(actor=None, item=items[0], content="Kể chuyện Bác", conclusion="Làm theo")
    services.record_item_minutes(actor=None, item=items[1], content="Thời sự trong tháng")

    gaps = queries.minutes_gaps(meeting, queries.agenda_items(meeting))

    assert [(g.item.order, g.no_content, g.no_conclusion) for g in gaps.items] == [
        (2, False, True),
        (3, True, True),
        (4, True, True),
        (5, True, True),
    ]
    assert gaps.no_resolution
    assert gaps


def test_complete_minutes_have_no_gaps(tree, cell):
    meeting = plan(tree, cell)
    for item in meeting.items.all():
        services.record_item_minutes(actor=None, item=item, content="Nội dung", conclusion="Kết luận")
    services.update_meeting(actor=None, meeting=meeting, resolution="Nghị quyết")

    gaps = queries.minutes_gaps(meeting, queries.agenda_items(meeting))

    assert (gaps.items, gaps.no_resolution, bool(gaps)) == ([], False, False)
