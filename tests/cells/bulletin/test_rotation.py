"""The rotation: who writes next, why, and whom it passes over (and why)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lantoa.cells.models import ArticleStatus, AttendanceStatus, Meeting, MeetingStatus
from lantoa.cells.queries.bulletin import FAIRNESS_RULE, rotation
from lantoa.lib.vi import format_month_in_text
from lantoa.org.models import ActivityExemption, Membership
from tests.cells.bulletin.conftest import held_meeting, written
from tests.cells.library.conftest import vi_messages
from tests.conftest import BEFORE_THE_REFORM, tr
from tests.factories import member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
ON = D(2024, 3, 10)
S = ArticleStatus
A = AttendanceStatus


def _order(turn):
    return [(entry.name, entry.why) for entry in turn.suggested]


def _skipped(turn):
    return [(entry.name, entry.why) for entry in turn.skipped]


def test_rotation_puts_never_written_first_then_oldest_last_assignment(tree, cell, issue):
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 1, 8), S.PUBLISHED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2023, 12, 5), S.PUBLISHED)

    turn = rotation(tree.phuoc_thanh, ON)

    assert _order(turn) == [
        ("Trần Thị Bình", tr("has never written an article")),
        ("Lê Văn Cường", tr("last time: %(month)s", month=format_month_in_text(D(2023, 12, 1)))),
        ("Nguyễn Văn An", tr("last time: %(month)s", month=format_month_in_text(D(2024, 1, 1)))),
    ]
    assert turn.first.member_id == cell.binh.pk
    assert turn.skipped == []


def test_rotation_why_reads_in_plain_vietnamese(tree, cell, issue):
    """The reasons as a cell secretary reads them: the catalogue's Vietnamese filled in for two
    members."""
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 1), S.PUBLISHED)
    with translation.override("en"):
        whys = {entry.name: str(entry.why) for entry in rotation(tree.phuoc_thanh, ON).suggested}
    vietnamese = vi_messages()

    assert vietnamese["has never written an article"] == "chưa viết bài lần nào"
    assert vietnamese["last time: %(month)s"] % {"month": "3/2024"} == "lần gần nhất: tháng 3/2024"
    assert whys["Trần Thị Bình"] == "has never written an article"
    assert whys["Nguyễn Văn An"] == f"last time: {format_month_in_text(D(2024, 3, 1))}"


def test_rotation_breaks_ties_by_name_without_accents(tree):
    for name in ("Đặng Văn Em", "Dương Thị Hoa", "Bùi Văn Ba", "Ân Thị Út"):
        member_in(tree.tan_thanh, name=name)

    names = [entry.name for entry in rotation(tree.tan_thanh, ON).suggested]

    # Folded: "an thi ut" < "bui van ba" < "dang van em" < "duong thi hoa" (Đ sorts with D, not after Z).
    assert names == ["Ân Thị Út", "Bùi Văn Ba", "Đặng Văn Em", "Dương Thị Hoa"]


def test_rotation_ties_on_the_same_month_are_by_name_too(tree, cell, issue):
    for member in (cell.an, cell.binh, cell.cuong):
        written(member, tree.phuoc_thanh, issue, D(2024, 2, 5), S.PUBLISHED)

    assert [entry.name for entry in rotation(tree.phuoc_thanh, ON).suggested] == [
        "Lê Văn Cường",
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]


def test_rotation_passes_over_members_absent_from_both_last_held_meetings(tree, cell):
    held_meeting(tree.phuoc_thanh, D(2024, 1, 5), {cell.an: A.EXCUSED, cell.binh: A.UNEXCUSED})
    held_meeting(tree.phuoc_thanh, D(2024, 2, 5), {cell.an: A.UNEXCUSED, cell.binh: A.PRESENT})

    turn = rotation(tree.phuoc_thanh, ON)

    # An missed both (with and then without a reason); Bình missed only one of them.
    assert _skipped(turn) == [("Nguyễn Văn An", tr("absent from the last two meetings"))]
    assert [entry.name for entry in turn.suggested] == ["Lê Văn Cường", "Trần Thị Bình"]


def test_rotation_looks_only_at_the_last_two_held_meetings(tree, cell):
    held_meeting(tree.phuoc_thanh, D(2023, 12, 5), {cell.an: A.UNEXCUSED, cell.binh: A.UNEXCUSED})
    held_meeting(tree.phuoc_thanh, D(2024, 1, 5), {cell.an: A.UNEXCUSED, cell.binh: A.EXCUSED})
    held_meeting(tree.phuoc_thanh, D(2024, 2, 5), {cell.an: A.PRESENT, cell.binh: A.EXCUSED})
    # Planned, not held: it does not count, nor does a meeting after the day asked about.
    Meeting.objects.create(
        unit=tree.phuoc_thanh, period=D(2024, 3, 1), date=D(2024, 3, 5), status=MeetingStatus.PLANNED
    )
    held_meeting(tree.phuoc_thanh, D(2024, 3, 20), {cell.binh: A.PRESENT})

    turn = rotation(tree.phuoc_thanh, ON)

    assert [entry.name for entry in turn.skipped] == ["Trần Thị Bình"]


def test_rotation_does_not_count_exempt_or_elsewhere_attendance_as_absence(tree, cell):
    for day in (D(2024, 1, 5), D(2024, 2, 5)):
        held_meeting(tree.phuoc_thanh, day, {cell.an: A.EXEMPT, cell.binh: A.ELSEWHERE})

    assert rotation(tree.phuoc_thanh, ON).skipped == []


def test_rotation_with_a_single_held_meeting_skips_nobody_for_absence(tree, cell):
    held_meeting(tree.phuoc_thanh, D(2024, 2, 5), {cell.an: A.UNEXCUSED})

    assert rotation(tree.phuoc_thanh, ON).skipped == []


def test_rotation_passes_over_members_exempt_on_the_day(tree, cell):
    ActivityExemption.objects.create(member=cell.an, valid_from=D(2024, 1, 1), reason="Tuổi cao")
    ActivityExemption.objects.create(member=cell.binh, valid_from=D(2023, 1, 1), valid_to=D(2023, 12, 31))
    ActivityExemption.objects.create(member=cell.cuong, valid_from=D(2024, 4, 1))

    turn = rotation(tree.phuoc_thanh, ON)

    assert _skipped(turn) == [("Nguyễn Văn An", tr("exempt from Party activity"))]
    assert [entry.name for entry in turn.suggested] == ["Lê Văn Cường", "Trần Thị Bình"]


def test_rotation_passes_over_members_with_an_open_assignment(tree, cell, issue):
    hien = member_in(tree.phuoc_thanh, name="Phạm Thị Hiền")
    dung = member_in(tree.phuoc_thanh, name="Võ Văn Dũng")
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 1), S.ASSIGNED)
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 1), S.SUBMITTED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 3, 1), S.RETURNED)
    written(hien, tree.phuoc_thanh, issue, D(2024, 2, 1), S.EDITED)
    written(dung, tree.phuoc_thanh, issue, D(2024, 1, 1), S.PUBLISHED)

    turn = rotation(tree.phuoc_thanh, ON)

    finish = tr("still has an article to finish")
    assert _skipped(turn) == [
        ("Lê Văn Cường", finish),
        ("Nguyễn Văn An", finish),
        ("Trần Thị Bình", finish),
    ]
    assert [entry.name for entry in turn.suggested] == ["Võ Văn Dũng", "Phạm Thị Hiền"]


def test_rotation_ignores_cancelled_assignments(tree, cell, issue):
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 1), S.CANCELLED)
    written(cell.binh, tree.phuoc_thanh, issue, D(2024, 2, 1), S.PUBLISHED)
    written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 1, 1), S.PUBLISHED)

    turn = rotation(tree.phuoc_thanh, ON)

    assert _order(turn)[0] == ("Nguyễn Văn An", tr("has never written an article"))
    assert turn.skipped == []


def test_rotation_counts_articles_written_in_another_cell(tree, cell, issue):
    """A member who moved in keeps their history: what they wrote before still counts."""
    newcomer = member_in(tree.tan_thanh, name="Huỳnh Văn Mới", since=D(2015, 1, 1))
    written(newcomer, tree.tan_thanh, issue, D(2024, 1, 3), S.PUBLISHED)
    Membership.objects.filter(member=newcomer).update(valid_to=D(2024, 1, 31))
    Membership.objects.create(member=newcomer, unit=tree.phuoc_thanh, valid_from=D(2024, 2, 1))

    names = [entry.name for entry in rotation(tree.phuoc_thanh, ON).suggested]

    assert names == ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình", "Huỳnh Văn Mới"]


def test_rotation_leaves_out_members_who_left_the_cell_or_the_party(tree, cell):
    Membership.objects.filter(member=cell.an).update(valid_to=D(2024, 2, 29))
    cell.binh.left_on = D(2024, 3, 1)
    cell.binh.save()

    turn = rotation(tree.phuoc_thanh, ON)

    assert [entry.name for entry in turn.suggested + turn.skipped] == ["Lê Văn Cường"]


def test_rotation_of_an_empty_cell_suggests_nobody(tree):
    turn = rotation(tree.tan_thanh, ON)

    assert (turn.suggested, turn.skipped, turn.first) == ([], [], None)


def test_rotation_runs_the_same_queries_for_5_and_50_members(tree, issue, django_assert_num_queries):
    def fill(cell, count):
        members = [member_in(cell, name=f"Đảng viên {n:02d}") for n in range(count)]
        held_meeting(cell, D(2024, 1, 5), dict.fromkeys(members[::3], A.UNEXCUSED))
        held_meeting(cell, D(2024, 2, 5), dict.fromkeys(members[::3], A.UNEXCUSED))
        for m in members[1::4]:
            written(m, cell, issue, D(2024, 2, 1), S.PUBLISHED)
        for m in members[2::5]:
            ActivityExemption.objects.create(member=m, valid_from=D(2024, 1, 1))

    fill(tree.phuoc_thanh, 5)
    fill(tree.tan_thanh, 50)

    with django_assert_num_queries(4):
        small = rotation(tree.phuoc_thanh, ON)
    with django_assert_num_queries(4):
        large = rotation(tree.tan_thanh, ON)

    assert (len(small.suggested) + len(small.skipped), len(large.suggested) + len(large.skipped)) == (5, 50)


def test_every_reason_and_the_rule_have_their_vietnamese():
    with translation.override("en"):
        msgids = [
            str(FAIRNESS_RULE),
            "exempt from Party activity",
            "absent from the last two meetings",
            "still has an article to finish",
            "has never written an article",
            "last time: %(month)s",
        ]
    vietnamese = vi_messages()

    assert [m for m in msgids if not vietnamese.get(m)] == []
    assert "chưa viết bài lần nào" in vietnamese[msgids[0]]
