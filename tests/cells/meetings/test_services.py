"""Meeting services: the agenda template, the roster, one-tap attendance, votes, the transition
function, freezing after approval and audited amendments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.cells.models import AgendaKind, Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.rules import duration_warning
from lantoa.cells.services import meetings as services
from lantoa.org.models import Role
from tests.cells.meetings.conftest import plan
from tests.conftest import make_user_with, tr
from tests.factories import member_in

D = dt.date
T = dt.time


def _row(meeting: Meeting, member) -> Attendance:
    return meeting.attendance.select_related("member__person", "meeting__unit").get(member=member)


def _held(meeting: Meeting) -> Meeting:
    return services.set_meeting_status(
        actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6)
    )


# --- scheduling ---------------------------------------------------------------------------------


def test_schedule_meeting_takes_the_agenda_template_with_the_study_item_first(meeting):
    items = list(meeting.items.order_by("order").values_list("order", "kind", "title"))

    assert items == [
        (1, "study", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
        (2, "current", "Thông tin thời sự, chủ trương, văn bản của cấp trên"),
        (3, "review", "Đánh giá kết quả thực hiện nhiệm vụ tháng trước"),
        (4, "tasks", "Phương hướng, nhiệm vụ tháng tới"),
        (5, "other", "Các vấn đề khác"),
    ]
    assert (meeting.status, meeting.period) == (MeetingStatus.PLANNED, D(2024, 3, 1))


def test_schedule_thematic_meeting_puts_the_topic_after_the_study_item_and_extras_before_other(tree, cell):
    meeting = plan(
        tree,
        cell,
        kind=MeetingKind.THEMATIC,
        topic="Nêu gương của cán bộ, đảng viên",
        extra_items=["Xét kết nạp quần chúng Lê Văn Năm"],
    )

    titles = list(meeting.items.order_by("order").values_list("title", flat=True))
    assert titles == [
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Chuyên đề: Nêu gương của cán bộ, đảng viên",
        "Xét kết nạp quần chúng Lê Văn Năm",
        "Các vấn đề khác",
    ]


def test_schedule_thematic_meeting_without_topic_is_refused(tree, cell):
    with pytest.raises(ValidationError) as caught:
        plan(tree, cell, kind=MeetingKind.THEMATIC, topic=" ")

    assert caught.value.message_dict == {"topic": [tr("A thematic meeting needs its topic.")]}


def test_a_second_regular_meeting_for_the_same_month_is_refused_but_a_thematic_one_is_not(
    tree, cell, meeting
):
    with pytest.raises(ValidationError) as caught:
        plan(tree, cell, date=D(2024, 3, 20))
    thematic = plan(tree, cell, date=D(2024, 3, 20), kind=MeetingKind.THEMATIC, topic="Chuyên đề quý I")

    assert list(caught.value.message_dict) == ["period"]
    assert thematic.period == D(2024, 3, 1)


def test_a_meeting_held_early_next_month_can_count_for_the_previous_month(tree, cell):
    meeting = plan(tree, cell, date=D(2024, 2, 2), period=D(2024, 1, 1))

    assert meeting.period == D(2024, 1, 1)


def test_schedule_is_audited_with_the_meeting_and_each_agenda_item(meeting):
    entries = AuditEntry.objects.filter(
        action=AuditAction.CREATE, target_type__model__in=["meeting", "agendaitem"]
    )

    assert sorted(entries.values_list("target_type__model", flat=True)) == ["agendaitem"] * 5 + ["meeting"]


# --- roster -------------------------------------------------------------------------------------


def test_roster_lists_every_member_on_the_date_with_exempt_prefilled(meeting, cell):
    rows = {
        row.member.person.full_name: (row.status, row.reason, row.full_member)
        for row in meeting.attendance.select_related("member__person")
    }

    assert rows == {
        "Trần Văn Minh": ("present", "", True),
        "Lê Thị Lan": ("present", "", True),
        "Phạm Văn Tư": ("present", "", False),
        "Nguyễn Văn Già": ("exempt", "Tuổi cao, sức yếu", True),
    }


def test_roster_follows_the_dated_memberships(tree, cell):
    member_in(tree.phuoc_thanh, name="Đỗ Văn Mới", since=D(2024, 4, 1))
    left = member_in(tree.phuoc_thanh, name="Hồ Văn Cũ")
    left.memberships.update(valid_to=D(2024, 2, 29))

    meeting = plan(tree, cell)

    names = set(meeting.attendance.values_list("member__person__full_name", flat=True))
    assert names == {"Trần Văn Minh", "Lê Thị Lan", "Phạm Văn Tư", "Nguyễn Văn Già"}


def test_changing_the_date_retakes_the_roster_and_keeps_marks(tree, cell, meeting):
    newcomer = member_in(tree.phuoc_thanh, name="Đỗ Văn Mới", since=D(2024, 3, 10))
    services.set_attendance(actor=None, attendance=_row(meeting, cell.lan), status="excused", reason="Ốm")

    services.update_meeting(actor=None, meeting=meeting, date=D(2024, 3, 12), period=D(2024, 3, 1))

    assert _row(meeting, newcomer).status == AttendanceStatus.PRESENT
    assert (_row(meeting, cell.lan).status, _row(meeting, cell.lan).reason) == ("excused", "Ốm")


def test_probationary_member_becomes_full_when_the_date_moves_past_full_membership(tree, cell, meeting):
    cell.tu.full_member_on = D(2024, 3, 10)
    cell.tu.save()

    services.update_meeting(actor=None, meeting=meeting, date=D(2024, 3, 12), period=D(2024, 3, 1))

    assert _row(meeting, cell.tu).full_member is True


# --- attendance ---------------------------------------------------------------------------------


def test_a_tap_moves_a_member_to_the_next_status(meeting, cell):
    row = _row(meeting, cell.lan)
    seen = []
    for _ in range(5):
        services.tap_attendance(actor=None, attendance=row)
        seen.append(row.status)

    assert seen == ["excused", "unexcused", "elsewhere", "exempt", "present"]


def test_set_attendance_is_audited_with_before_and_after(meeting, cell):
    row = _row(meeting, cell.lan)

    services.set_attendance(actor=None, attendance=row, status="excused", reason="Đi công tác")

    entry = AuditEntry.objects.filter(target_type__model="attendance", target_id=str(row.pk)).latest("id")
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {
        "reason": ["", "Đi công tác"],
        "status": [tr("Present"), tr("Absent with reason")],
    }
    assert entry.target_repr == f"Lê Thị Lan – {meeting}"


def test_all_present_leaves_exempt_and_elsewhere_alone(meeting, cell):
    services.set_attendance(actor=None, attendance=_row(meeting, cell.lan), status="unexcused")
    services.set_attendance(
        actor=None, attendance=_row(meeting, cell.tu), status="elsewhere", reason="Xã Tân Thạch"
    )

    changed = services.mark_all_present(actor=None, meeting=meeting)

    statuses = dict(meeting.attendance.values_list("member__person__full_name", "status"))
    assert changed == 1
    assert statuses == {
        "Trần Văn Minh": "present",
        "Lê Thị Lan": "present",
        "Phạm Văn Tư": "elsewhere",
        "Nguyễn Văn Già": "exempt",
    }


# --- freezing and amendments --------------------------------------------------------------------


@pytest.fixture
def approved(meeting, cell, tree):
    _held(meeting)
    secretary = make_user_with(tree.phuoc_thanh, Role.SECRETARY)
    return services.set_meeting_status(actor=secretary, meeting=meeting, status=MeetingStatus.APPROVED)


def test_attendance_cannot_be_changed_directly_after_approval(approved, cell):
    row = _row(approved, cell.lan)

    with pytest.raises(services.MinutesFrozen):
        services.set_attendance(actor=None, attendance=row, status="excused", reason="Ốm")
    with pytest.raises(services.MinutesFrozen):
        services.tap_attendance(actor=None, attendance=row)
    with pytest.raises(services.MinutesFrozen):
        services.mark_all_present(actor=None, meeting=approved)

    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.PRESENT


def test_minutes_cannot_be_changed_after_approval(approved):
    item = approved.items.get(order=1)

    with pytest.raises(services.MinutesFrozen):
        services.record_item_minutes(actor=None, item=item, content="Sửa sau")
    with pytest.raises(services.MinutesFrozen):
        services.add_agenda_item(actor=None, meeting=approved, title="Thêm sau")
    with pytest.raises(services.MinutesFrozen):
        services.update_meeting(actor=None, meeting=approved, resolution="Sửa sau")
    with pytest.raises(services.MinutesFrozen):
        services.add_opinion(actor=None, item=item, person=approved.chair, text="Sửa sau")


def test_an_amendment_with_a_reason_changes_attendance_and_is_audited_with_the_reason(approved, cell, tree):
    row = _row(approved, cell.lan)
    actor = make_user_with(tree.phuoc_thanh, Role.SECRETARY)

    services.amend_attendance(
        actor=actor,
        attendance=row,
        status="excused",
        reason="Ốm",
        amendment_reason="Đồng chí Lan nộp giấy xin phép sau buổi họp",
    )

    entry = AuditEntry.objects.filter(target_type__model="attendance", target_id=str(row.pk)).latest("id")
    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.EXCUSED
    assert entry.note == "Đồng chí Lan nộp giấy xin phép sau buổi họp"
    assert entry.changes == {"reason": ["", "Ốm"], "status": [tr("Present"), tr("Absent with reason")]}
    assert entry.actor == actor


def test_an_amendment_without_a_reason_is_refused(approved, cell):
    row = _row(approved, cell.lan)
    before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.amend_attendance(
            actor=None, attendance=row, status="excused", reason="Ốm", amendment_reason="  "
        )

    assert list(caught.value.message_dict) == ["amendment_reason"]
    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.PRESENT
    assert AuditEntry.objects.count() == before


def test_an_amendment_that_changes_nothing_is_refused(approved, cell):
    with pytest.raises(ValidationError):
        services.amend_attendance(
            actor=None,
            attendance=_row(approved, cell.lan),
            status="present",
            reason="",
            amendment_reason="Nhầm",
        )


# --- the transition function --------------------------------------------------------------------


def test_planned_to_held_to_approved_records_who_approved(meeting, tree):
    secretary = make_user_with(tree.phuoc_thanh, Role.SECRETARY)

    _held(meeting)
    assert meeting.status == MeetingStatus.HELD
    services.set_meeting_status(actor=secretary, meeting=meeting, status=MeetingStatus.APPROVED)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.approved_by, meeting.is_frozen) == (
        MeetingStatus.APPROVED,
        secretary,
        True,
    )
    assert meeting.approved_at is not None
    statuses = [
        e.changes["status"]
        for e in AuditEntry.objects.filter(target_type__model="meeting", target_id=str(meeting.pk)).order_by(
            "id"
        )
        if "status" in e.changes
    ]
    assert statuses == [
        [tr("Planned"), tr("Held, minutes in draft")],
        [tr("Held, minutes in draft"), tr("Minutes approved")],
    ]


def test_approving_twice_is_refused(approved, tree):
    secretary = make_user_with(tree.phuoc_thanh, Role.SECRETARY)

    with pytest.raises(ValidationError) as caught:
        services.set_meeting_status(actor=secretary, meeting=approved, status=MeetingStatus.APPROVED)

    assert caught.value.messages == [tr("The minutes are already approved.")]


def test_a_planned_meeting_cannot_be_approved_without_being_held(meeting, tree):
    secretary = make_user_with(tree.phuoc_thanh, Role.SECRETARY)

    with pytest.raises(ValidationError):
        services.set_meeting_status(actor=secretary, meeting=meeting, status=MeetingStatus.APPROVED)

    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


def test_someone_who_is_neither_chair_nor_secretary_cannot_approve(meeting, tree):
    _held(meeting)
    district_staff = make_user_with(tree.district, Role.PROPAGANDA)  # may write, does not chair

    with pytest.raises(PermissionDenied):
        services.set_meeting_status(actor=district_staff, meeting=meeting, status=MeetingStatus.APPROVED)

    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def test_the_chair_with_an_account_approves(meeting, tree, cell):
    _held(meeting)
    clerk_user = make_user_with(tree.phuoc_thanh, Role.CLERK)
    cell.minh.person.user = clerk_user
    cell.minh.person.save()

    services.set_meeting_status(actor=clerk_user, meeting=meeting, status=MeetingStatus.APPROVED)

    assert meeting.status == MeetingStatus.APPROVED


def test_a_meeting_cannot_be_held_before_its_date_or_without_times(tree, cell):
    future = plan(tree, cell, date=D(2024, 4, 2))
    untimed = plan(tree, cell, date=D(2024, 5, 2), starts_at=None, ends_at=None)

    with pytest.raises(ValidationError):
        services.set_meeting_status(
            actor=None, meeting=future, status=MeetingStatus.HELD, today=D(2024, 4, 1)
        )
    with pytest.raises(ValidationError):
        services.set_meeting_status(
            actor=None, meeting=untimed, status=MeetingStatus.HELD, today=D(2024, 6, 1)
        )


def test_approving_needs_a_chair_and_a_clerk(tree, cell):
    meeting = plan(tree, cell, clerk=None)
    _held(meeting)

    with pytest.raises(ValidationError):
        services.set_meeting_status(
            actor=make_user_with(tree.phuoc_thanh, Role.SECRETARY),
            meeting=meeting,
            status=MeetingStatus.APPROVED,
        )


# --- duration rule by date ----------------------------------------------------------------------


def test_a_60_minute_meeting_before_the_2025_rule_has_no_warning(tree, cell):
    meeting = plan(tree, cell, date=D(2025, 10, 15), starts_at=T(19, 0), ends_at=T(20, 0))

    assert duration_warning(meeting) is None


def test_a_60_minute_meeting_after_the_rule_warns_naming_90_but_is_recorded(tree, cell):
    meeting = plan(tree, cell, date=D(2025, 11, 5), starts_at=T(19, 0), ends_at=T(20, 0))

    services.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2025, 11, 6))

    warning = duration_warning(meeting)
    assert warning == tr(
        "The meeting lasted %(length)d minutes; since %(date)s it should last at least "
        "%(minimum)d (%(source)s).",
        length=60,
        minimum=90,
        date="28/10/2025",
        source="Chỉ thị 50-CT/TW ngày 23/7/2025; Hướng dẫn 42-HD/BTCTW ngày 28/10/2025",
    )
    assert meeting.status == MeetingStatus.HELD
    assert AuditEntry.objects.filter(target_id=str(meeting.pk), note=warning).count() == 1


def test_a_100_minute_combined_meeting_after_the_rule_warns_naming_120(tree, cell):
    meeting = plan(
        tree,
        cell,
        kind=MeetingKind.COMBINED,
        topic="Chuyên đề quý IV",
        date=D(2025, 11, 5),
        starts_at=T(19, 0),
        ends_at=T(20, 40),
    )

    warning = duration_warning(meeting)

    assert warning is not None
    assert "120" in warning
    assert "100" in warning


# --- agenda and votes ---------------------------------------------------------------------------


def test_items_can_be_added_and_reordered_but_the_study_item_stays_first(meeting):
    added = services.add_agenda_item(actor=None, meeting=meeting, title="Thu đảng phí")
    services.move_agenda_item(actor=None, item=added, up=True)
    second = meeting.items.get(order=2)

    with pytest.raises(ValidationError):
        services.move_agenda_item(actor=None, item=second, up=True)
    with pytest.raises(ValidationError):
        services.move_agenda_item(actor=None, item=meeting.items.get(order=1), up=False)

    titles = list(meeting.items.order_by("order").values_list("title", flat=True))
    assert titles[0] == "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    assert titles[-2:] == ["Thu đảng phí", "Các vấn đề khác"]


def test_removing_an_item_closes_the_gap_and_the_study_item_cannot_be_removed(meeting):
    services.remove_agenda_item(actor=None, item=meeting.items.get(order=2))

    with pytest.raises(ValidationError):
        services.remove_agenda_item(actor=None, item=meeting.items.get(kind=AgendaKind.STUDY))

    assert list(meeting.items.order_by("order").values_list("order", "kind")) == [
        (1, "study"),
        (2, "review"),
        (3, "tasks"),
        (4, "other"),
    ]


@pytest.mark.parametrize(
    ("votes", "field"),
    [
        ((3, 1, 3), "votes_total"),  # 3 + 1 > 3
        ((3, 0, 4), "votes_total"),  # only 3 present (the exempt member does not count)
        ((3, None, 3), None),  # all three or none
    ],
)
def test_votes_must_add_up_and_not_exceed_the_members_present(meeting, votes, field):
    item = meeting.items.get(order=3)
    votes_for, votes_against, votes_total = votes

    with pytest.raises(ValidationError) as caught:
        services.record_item_minutes(
            actor=None, item=item, votes_for=votes_for, votes_against=votes_against, votes_total=votes_total
        )

    if field:
        assert list(caught.value.message_dict) == [field]
    item.refresh_from_db()
    assert item.votes_total is None


def test_valid_votes_and_minutes_are_saved_and_audited(meeting, cell):
    item = meeting.items.get(order=1)

    services.record_item_minutes(
        actor=None,
        item=item,
        presenter=cell.lan.person,
        content="Kể chuyện “Bác Hồ với đức tính giản dị”",
        conclusion="Mỗi đồng chí tiết kiệm trong sinh hoạt",
        votes_for=1,
        votes_against=1,
        votes_total=2,  # the full members present: Minh and Lan (Tư is on probation)
    )

    item.refresh_from_db()
    entry = AuditEntry.objects.filter(target_type__model="agendaitem", target_id=str(item.pk)).latest("id")
    assert (item.presenter, item.votes_for, item.votes_against, item.votes_total) == (
        cell.lan.person,
        1,
        1,
        2,
    )
    assert entry.changes["votes_total"] == [None, 2]


def test_opinions_keep_their_order(meeting, cell):
    item = meeting.items.get(order=1)
    services.add_opinion(actor=None, item=item, person=cell.tu.person, text="Em sẽ học tập Bác")
    services.add_opinion(actor=None, item=item, person=cell.minh.person, text="Đồng ý")

    assert list(item.opinions.values_list("person__full_name", "order")) == [
        ("Phạm Văn Tư", 1),
        ("Trần Văn Minh", 2),
    ]


# --- the starting roster, the arrows, holding with the end time ----------------------------------


def test_initial_roster_is_exactly_what_scheduling_writes(meeting):
    def marks(rows):
        return sorted((row.member_id, row.status, row.reason, row.full_member) for row in rows)

    assert marks(services.initial_roster(meeting)) == marks(meeting.attendance.all())
    assert {row.status for row in services.initial_roster(meeting)} == {"present", "exempt"}


def test_the_moves_an_agenda_allows_keep_the_study_item_first():
    regular = ["study", "current", "review", "tasks", "other"]

    assert services.possible_moves(regular) == [
        (False, False),  # the study item stays first
        (False, True),  # nothing may go above the study item
        (True, True),
        (True, True),
        (True, False),  # the last item has nowhere further down
    ]
    assert services.possible_moves(["thematic", "other"]) == [(False, True), (True, False)]
    assert services.possible_moves([]) == []


def test_holding_records_the_end_time_typed_beside_the_button(tree, cell):
    meeting = plan(tree, cell, ends_at=None)

    services.hold_meeting(actor=None, meeting=meeting, ends_at=T(21, 15), today=D(2024, 3, 6))

    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.ends_at) == (MeetingStatus.HELD, T(19, 30), T(21, 15))
    assert AuditEntry.objects.filter(target_id=str(meeting.pk), changes__has_key="ends_at").exists()


def test_a_refused_hold_leaves_the_times_as_they_were(tree, cell):
    meeting = plan(tree, cell, date=D(2024, 4, 2))

    with pytest.raises(ValidationError):
        services.hold_meeting(actor=None, meeting=meeting, ends_at=T(22, 0), today=D(2024, 4, 1))

    meeting.refresh_from_db()
    assert (meeting.status, meeting.ends_at) == (MeetingStatus.PLANNED, T(21, 0))
