"""Meeting pages as the cell's secretary uses them: plan, mark attendance with one tap (htmx),
write the minutes inline, hold, approve, correct; and the committee's "who has not met" page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.audit.models import AuditEntry
from lantoa.cells.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services import meetings as services
from lantoa.lib.vi import format_month, format_month_in_text
from lantoa.org.models import Role
from tests.cells.meetings.conftest import plan
from tests.conftest import heading, page_text, persona, tr

D = dt.date
T = dt.time
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name, meeting, *args):
    return reverse(f"cells:{name}", args=[meeting.public_id, *args])


def _row(meeting, member):
    return meeting.attendance.get(member=member)


def _hold(meeting):
    services.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6))


# --- planning -----------------------------------------------------------------------------------


def test_create_form_offers_the_cells_members_and_the_upper_committee(cell_secretary, cell):
    response = cell_secretary.client.get(reverse("cells:meeting_create") + "?unit=phuoc-thanh")

    form = response.context["form"]
    assert [label for _v, label in form.fields["chair"].choices] == [
        "—",
        "Lê Thị Lan",
        "Nguyễn Văn Già",
        "Phạm Văn Tư",
        "Trần Văn Minh",
    ]
    assert [label for _v, label in form.fields["upper_member"].choices] == ["—", "Võ Văn Hai"]
    assert form.initial["chair"] == cell.minh.person.pk


def test_create_plans_the_meeting_with_the_template_and_goes_to_its_page(cell_secretary, cell, tree):
    response = cell_secretary.client.post(
        reverse("cells:meeting_create"),
        {
            "kind": "regular",
            "date": "05/03/2024",
            "starts_at": "19:30",
            "ends_at": "21:00",
            "place": "Nhà văn hóa ấp",
            "chair": cell.minh.person.pk,
            "clerk": cell.lan.person.pk,
            "upper_member": cell.hai.pk,
            "extra_items": "Thu đảng phí\n",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == _url("meeting", meeting)
    assert (meeting.unit, meeting.period, meeting.chair, meeting.upper_member) == (
        tree.phuoc_thanh,
        D(2024, 3, 1),
        cell.minh.person,
        cell.hai,
    )
    assert list(meeting.items.order_by("order").values_list("title", flat=True))[-2:] == [
        "Thu đảng phí",
        "Các vấn đề khác",
    ]
    assert meeting.attendance.count() == 4


def test_create_refuses_a_chair_from_outside_the_list(cell_secretary, stranger):
    response = cell_secretary.client.post(
        reverse("cells:meeting_create"),
        {"kind": "regular", "date": "05/03/2024", "chair": stranger.person.pk},
    )

    assert response.status_code == 200
    assert "chair" in response.context["form"].errors
    assert Meeting.objects.count() == 0


def test_create_shows_the_services_refusal_on_the_form(cell_secretary, cell):
    response = cell_secretary.client.post(
        reverse("cells:meeting_create"), {"kind": "thematic", "date": "05/03/2024", "topic": ""}
    )

    assert response.context["form"].errors["topic"] == [tr("A thematic meeting needs its topic.")]


def test_list_defaults_to_the_users_cell_and_shows_the_months_meetings(cell_secretary, meeting):
    response = cell_secretary.client.get(reverse("cells:meetings") + "?month=2024-03")

    assert response.context["unit"].key == "phuoc-thanh"
    assert [row.meeting for row in response.context["rows"]] == [meeting]
    assert (response.context["state"].regular, response.context["state"].thematic) == ("planned", "none")


def test_list_shows_the_duration_warning_of_a_short_meeting_after_the_2025_rule(cell_secretary, tree, cell):
    short = plan(tree, cell, date=D(2025, 11, 5), starts_at=T(19, 0), ends_at=T(20, 0))
    services.set_meeting_status(actor=None, meeting=short, status=MeetingStatus.HELD, today=D(2025, 11, 6))

    response = cell_secretary.client.get(reverse("cells:meetings") + "?month=11/2025")

    assert [row.warning is not None for row in response.context["rows"]] == [True]
    assert "90" in page_text(response)


def test_editing_details_changes_the_place(cell_secretary, meeting, cell):
    response = cell_secretary.client.post(
        _url("meeting_edit", meeting),
        {
            "kind": "regular",
            "date": "05/03/2024",
            "starts_at": "19:30",
            "ends_at": "21:00",
            "place": "Nhà đồng chí Minh",
            "chair": cell.minh.person.pk,
            "clerk": cell.lan.person.pk,
        },
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.place, meeting.upper_member) == ("Nhà đồng chí Minh", None)


# --- the meeting page and inline minutes ------------------------------------------------------------


def test_meeting_page_shows_the_agenda_with_the_study_item_first(cell_secretary, meeting):
    response = cell_secretary.client.get(_url("meeting", meeting))

    assert (
        response.context["items"][0].title == "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    )
    assert response.context["editable"] is True
    assert "1. Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" in page_text(response)


def test_item_form_comes_inline_for_htmx_and_saving_returns_the_card(cell_secretary, meeting, cell):
    item = meeting.items.get(order=1)
    url = _url("agenda_item", meeting, item.pk)

    form = cell_secretary.client.get(url, **HTMX)
    saved = cell_secretary.client.post(
        url,
        {
            "title": item.title,
            "presenter": cell.lan.person.pk,
            "content": "Kể chuyện Bác Hồ tiết kiệm",
            "conclusion": "Thực hành tiết kiệm",
            "votes_for": "2",
            "votes_against": "0",
            "votes_total": "2",  # Minh and Lan; Tư, on probation, does not vote
        },
        **HTMX,
    )

    assert (
        form.content.decode()
        .lstrip()
        .startswith(f'<article class="lt-card lt-agenda-item" id="item-{item.pk}"')
    )
    assert saved.status_code == 200
    assert "<html" not in saved.content.decode()
    text = page_text(saved)
    assert "Lê Thị Lan" in text
    assert "Kể chuyện Bác Hồ tiết kiệm" in text
    item.refresh_from_db()
    assert (item.presenter, item.votes_total) == (cell.lan.person, 2)


def test_cancel_on_the_inline_form_brings_the_card_back(cell_secretary, meeting):
    item = meeting.items.get(order=1)

    response = cell_secretary.client.get(_url("agenda_item", meeting, item.pk) + "?show=1", **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="lt-card lt-agenda-item" id="item-{item.pk}"')
    assert "<textarea" not in html.split("<details")[0]
    assert f'id="item{item.pk}_title"' not in html


def test_votes_beyond_the_full_members_present_come_back_on_the_form(cell_secretary, meeting, cell):
    """Present: Minh (full) and Tư (probationary, who does not vote); Lan excused, Già exempt."""
    item = meeting.items.get(order=2)
    services.set_attendance(actor=None, attendance=_row(meeting, cell.lan), status="excused")

    response = cell_secretary.client.post(
        _url("agenda_item", meeting, item.pk),
        {"title": item.title, "votes_for": "2", "votes_against": "0", "votes_total": "2"},
        **HTMX,
    )

    assert response.context["form"].errors["votes_total"] == [
        tr("%(voters)d voters, but only %(present)d full members are present.", voters=2, present=1)
    ]
    item.refresh_from_db()
    assert item.votes_total is None


def test_opinion_added_inline_names_the_member(cell_secretary, meeting, cell):
    item = meeting.items.get(order=1)

    response = cell_secretary.client.post(
        _url("opinion_add", meeting, item.pk),
        {"person": cell.tu.person.pk, "text": "Học Bác đức khiêm tốn"},
        **HTMX,
    )

    assert "Phạm Văn Tư: Học Bác đức khiêm tốn" in page_text(response)
    assert list(item.opinions.values_list("person__full_name", flat=True)) == ["Phạm Văn Tư"]


def test_opinion_removed(cell_secretary, meeting, cell):
    item = meeting.items.get(order=1)
    opinion = services.add_opinion(actor=None, item=item, person=cell.tu.person, text="Ý kiến")

    cell_secretary.client.post(_url("opinion_remove", meeting, item.pk, opinion.pk), **HTMX)

    assert item.opinions.count() == 0


def test_resolution_is_written_inline(cell_secretary, meeting):
    url = _url("resolution", meeting)

    editing = cell_secretary.client.get(url + "?edit=1", **HTMX)
    saved = cell_secretary.client.post(url, {"resolution": "1. Vận động đóng góp quỹ"}, **HTMX)

    assert 'name="resolution"' in editing.content.decode()
    assert 'name="resolution"' not in saved.content.decode()
    assert saved.content.decode().lstrip().startswith('<section class="lt-card" id="resolution"')
    assert "1. Vận động đóng góp quỹ" in page_text(saved)
    meeting.refresh_from_db()
    assert meeting.resolution == "1. Vận động đóng góp quỹ"


def test_agenda_items_are_added_moved_and_removed(cell_secretary, meeting):
    cell_secretary.client.post(_url("agenda_add", meeting), {"title": "Thu đảng phí"})
    added = meeting.items.get(title="Thu đảng phí")
    cell_secretary.client.post(_url("agenda_move", meeting, added.pk), {"direction": "up"})
    cell_secretary.client.post(_url("agenda_remove", meeting, meeting.items.get(order=2).pk))

    assert list(meeting.items.order_by("order").values_list("title", flat=True)) == [
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Đánh giá kết quả thực hiện nhiệm vụ tháng trước",
        "Phương hướng, nhiệm vụ tháng tới",
        "Thu đảng phí",
        "Các vấn đề khác",
    ]


def test_moving_an_item_above_the_study_item_is_refused_with_a_message(cell_secretary, meeting):
    second = meeting.items.get(order=2)

    response = cell_secretary.client.post(
        _url("agenda_move", meeting, second.pk), {"direction": "up"}, follow=True
    )

    assert tr("The study item stays first on the agenda.") in page_text(response)
    assert meeting.items.get(order=1).kind == "study"


# --- attendance ---------------------------------------------------------------------------------


def test_a_tap_with_htmx_returns_the_row_and_the_totals(cell_secretary, meeting, cell):
    row = _row(meeting, cell.lan)

    response = cell_secretary.client.post(_url("attendance_mark", meeting, row.pk), {"action": "tap"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="att-{row.pk}" class="lt-att-row lt-att-excused">')
    assert 'id="att-totals"' in html
    assert 'hx-swap-oob="true"' in html
    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.EXCUSED
    assert response.context["totals"].present.total == 2


def test_a_tap_without_htmx_goes_back_to_the_attendance_page(cell_secretary, meeting, cell):
    row = _row(meeting, cell.lan)

    response = cell_secretary.client.post(_url("attendance_mark", meeting, row.pk))

    assert response.status_code == 302
    assert response.url == _url("attendance", meeting) + f"#att-{row.pk}"


def test_a_reason_is_saved_with_the_status(cell_secretary, meeting, cell):
    row = _row(meeting, cell.lan)

    cell_secretary.client.post(
        _url("attendance_mark", meeting, row.pk),
        {"action": "set", "status": "excused", "reason": "Ốm"},
        **HTMX,
    )

    row.refresh_from_db()
    assert (row.status, row.reason) == ("excused", "Ốm")


def _marks_offered(html, row):
    """The marks in a member's list, and the one chosen."""
    start = html.index(f'<select id="att-status-{row.pk}"')
    options = re.findall(r'<option value="(\w+)"( selected)?>', html[start : html.index("</select>", start)])
    return [value for value, _ in options], [value for value, chosen in options if chosen]


def test_each_member_s_mark_is_chosen_from_a_list_not_stepped_through(cell_secretary, meeting, cell):
    services.set_attendance(actor=None, attendance=_row(meeting, cell.tu), status="excused", reason="Ốm")

    html = cell_secretary.client.get(_url("attendance", meeting)).content.decode()

    every_mark = ["present", "excused", "unexcused", "exempt", "elsewhere"]
    assert _marks_offered(html, _row(meeting, cell.tu)) == (every_mark, ["excused"])
    assert _marks_offered(html, _row(meeting, cell.minh)) == (every_mark, ["present"])
    assert 'name="action" value="tap"' not in html


def test_a_chosen_mark_is_saved_and_the_row_comes_back_with_it(cell_secretary, meeting, cell):
    row = _row(meeting, cell.lan)

    response = cell_secretary.client.post(
        _url("attendance_mark", meeting, row.pk), {"action": "set", "status": "unexcused"}, **HTMX
    )

    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.UNEXCUSED
    assert _marks_offered(response.content.decode(), row)[1] == ["unexcused"]


def test_everyone_present_button(cell_secretary, meeting, cell):
    services.set_attendance(actor=None, attendance=_row(meeting, cell.lan), status="unexcused")

    response = cell_secretary.client.post(_url("attendance_all_present", meeting))

    assert response.status_code == 302
    assert _row(meeting, cell.lan).status == AttendanceStatus.PRESENT
    assert _row(meeting, cell.gia).status == AttendanceStatus.EXEMPT


def test_attendance_page_lists_members_by_name_with_their_marks(cell_secretary, meeting):
    response = cell_secretary.client.get(_url("attendance", meeting))

    assert [(r.member.person.full_name, r.status) for r in response.context["rows"]] == [
        ("Lê Thị Lan", "present"),
        ("Nguyễn Văn Già", "exempt"),
        ("Phạm Văn Tư", "present"),
        ("Trần Văn Minh", "present"),
    ]


# --- hold, approve, amend -----------------------------------------------------------------------


@pytest.mark.today(D(2025, 11, 6))
def test_holding_a_short_meeting_warns_but_records_it(cell_secretary, tree, cell):
    short = plan(tree, cell, date=D(2025, 11, 5), starts_at=T(19, 0), ends_at=T(20, 0))

    response = cell_secretary.client.post(_url("meeting_hold", short), follow=True)

    short.refresh_from_db()
    assert short.status == MeetingStatus.HELD
    assert any("90" in str(m) and m.level_tag == "warning" for m in response.context["messages"])


def test_the_secretary_approves_and_a_second_approval_is_refused(cell_secretary, meeting):
    _hold(meeting)
    url = _url("meeting_approve", meeting)

    confirm = cell_secretary.client.get(url)
    first = cell_secretary.client.post(url)
    second = cell_secretary.client.post(url, follow=True)

    meeting.refresh_from_db()
    assert confirm.status_code == 200
    assert first.status_code == 302
    assert (meeting.status, meeting.approved_by) == (MeetingStatus.APPROVED, cell_secretary.user)
    assert tr("The minutes are already approved.") in page_text(second)


def test_after_approval_the_pages_are_read_only_and_a_tap_is_refused(cell_secretary, meeting, cell):
    _hold(meeting)
    services.set_meeting_status(actor=cell_secretary.user, meeting=meeting, status=MeetingStatus.APPROVED)
    row = _row(meeting, cell.lan)

    page = cell_secretary.client.get(_url("attendance", meeting))
    tap = cell_secretary.client.post(_url("attendance_mark", meeting, row.pk), **HTMX)
    edit = cell_secretary.client.get(_url("agenda_item", meeting, meeting.items.get(order=1).pk))

    assert page.context["editable"] is False
    assert _url("attendance_amend", meeting, row.pk) in page.content.decode()
    assert tap["HX-Redirect"] == _url("attendance", meeting)
    assert Attendance.objects.get(pk=row.pk).status == AttendanceStatus.PRESENT
    assert edit.status_code == 403


def test_an_amendment_needs_a_reason_and_is_kept_in_the_history(cell_secretary, meeting, cell):
    _hold(meeting)
    services.set_meeting_status(actor=cell_secretary.user, meeting=meeting, status=MeetingStatus.APPROVED)
    row = _row(meeting, cell.lan)
    url = _url("attendance_amend", meeting, row.pk)

    refused = cell_secretary.client.post(url, {"status": "excused", "reason": "Ốm", "amendment_reason": ""})
    done = cell_secretary.client.post(
        url, {"status": "excused", "reason": "Ốm", "amendment_reason": "Có giấy xin phép nộp muộn"}
    )

    assert "amendment_reason" in refused.context["form"].errors
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reason) == ("excused", "Ốm")
    entry = AuditEntry.objects.filter(target_type__model="attendance", target_id=str(row.pk)).latest("id")
    assert (entry.note, entry.actor) == ("Có giấy xin phép nộp muộn", cell_secretary.user)


# --- documents pages ----------------------------------------------------------------------------


def test_the_print_sheet_lists_every_member_with_the_party_header(cell_secretary, meeting):
    response = cell_secretary.client.get(_url("attendance_print", meeting))

    text = page_text(response)
    assert "ĐẢNG BỘ XÃ AN KHÁNH CHI BỘ ẤP PHƯỚC THẠNH" in text
    assert "An Khánh, ngày 05 tháng 3 năm 2024" in text
    assert "DANH SÁCH đảng viên dự sinh hoạt chi bộ định kỳ tháng 3 năm 2024" in text
    assert [row[1] for row in response.context["sheet"].rows] == [
        "Lê Thị Lan",
        "Nguyễn Văn Già",
        "Phạm Văn Tư",
        "Trần Văn Minh",
    ]


# --- cells without a meeting --------------------------------------------------------------------


def test_missing_page_defaults_to_the_users_committee_and_lists_cells_by_commune(district_staff, tree, cell):
    held = plan(tree, cell)
    _hold(held)

    response = district_staff.client.get(reverse("cells:missing_meetings") + "?month=2024-03")

    report = response.context["report"]
    assert report.committee == tree.district
    assert [c.unit.name for c in report.without_regular] == ["Chi bộ ấp Tân Thạnh", "Chi bộ Hội LHPN huyện"]
    assert [c.unit.name for c in report.without_thematic] == [
        "Chi bộ ấp Phước Thạnh",
        "Chi bộ ấp Tân Thạnh",
        "Chi bộ Hội LHPN huyện",
    ]


def test_a_long_missing_list_shows_its_first_rows_and_sends_to_excel_for_the_rest(
    district_staff, tree, monkeypatch
):
    monkeypatch.setattr("lantoa.cells.views.meetings.exports.MISSING_ROWS_SHOWN", 1)

    response = district_staff.client.get(reverse("cells:missing_meetings") + "?month=2024-03")

    text = page_text(response)
    # Three cells missed their meeting: the first is listed, the two others are counted.
    assert "Chi bộ ấp Phước Thạnh" in text
    assert "Chi bộ ấp Tân Thạnh" not in text
    assert (
        tr(
            "The first %(shown)s are shown; %(n)s more are in the Excel list. "
            "Choose a committee above to see fewer.",
            shown="1",
            n="2",
        )
        in text
    )


def test_missing_page_for_a_cell_is_404(district_staff, tree):
    response = district_staff.client.get(reverse("cells:missing_meetings") + "?unit=phuoc-thanh")

    assert response.status_code == 404


def test_missing_list_exports_to_excel(district_staff, tree, cell):
    plan(tree, cell, kind=MeetingKind.THEMATIC, topic="Chuyên đề", date=D(2024, 3, 10))

    response = district_staff.client.get(
        reverse("cells:missing_meetings_xlsx") + "?unit=chau-thanh&month=2024-03"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert rows == [
        [1, "Chi bộ ấp Phước Thạnh", "Đảng ủy xã An Khánh", "Chưa có", "Đã lên lịch, chưa họp"],
        [2, "Chi bộ ấp Tân Thạnh", "Đảng ủy xã Tân Thạch", "Chưa có", "Chưa có"],
        [3, "Chi bộ Hội LHPN huyện", "Huyện ủy Châu Thành", "Chưa có", "Chưa có"],
    ]
    assert response["Content-Disposition"] == 'attachment; filename="chua-sinh-hoat-chau-thanh-2024-03.xlsx"'


@pytest.mark.parametrize("role", [Role.CLERK, Role.DEPUTY])
def test_other_cell_officers_plan_meetings(tree, cell, role):
    officer = persona(tree.phuoc_thanh, role)

    response = officer.client.get(reverse("cells:meeting_create"))

    assert response.status_code == 200
    assert response.context["unit"] == tree.phuoc_thanh


def test_a_plain_member_reads_their_cells_meetings_but_schedules_nothing(tree, cell):
    member = persona(tree.phuoc_thanh, Role.MEMBER)

    listing = member.client.get(reverse("cells:meetings") + "?unit=phuoc-thanh")
    missing = member.client.get(reverse("cells:missing_meetings"))

    assert listing.status_code == 200
    assert listing.context["unit"] == tree.phuoc_thanh
    assert reverse("cells:meeting_create") not in listing.content.decode()
    assert missing.templates[0].name == "cells/meetings/no_unit.html"
    assert member.client.get(reverse("cells:meetings") + "?unit=tan-thanh").status_code == 404
    assert member.client.get(reverse("cells:meeting_create") + "?unit=phuoc-thanh").status_code == 403


@pytest.mark.today(D(2024, 3, 8))
def test_the_missing_page_says_its_month_is_not_over_and_offers_the_last_one(district_staff, tree, cell):
    url = reverse("cells:missing_meetings")
    this_month = district_staff.client.get(url + "?month=2024-03")
    last_month = district_staff.client.get(url + "?month=2024-02")

    assert (this_month.context["month_over"], last_month.context["month_over"]) == (False, True)
    assert tr("See last month") in page_text(this_month)
    assert "?unit=chau-thanh&amp;month=2024-02" in this_month.content.decode()
    assert tr("See last month") not in page_text(last_month)


def test_a_cell_secretary_without_a_committee_gets_a_friendly_missing_page(cell_secretary):
    response = cell_secretary.client.get(reverse("cells:missing_meetings"))

    assert response.templates[0].name == "cells/meetings/no_unit.html"


# --- what the UX review found ---------------------------------------------------------------------


def _item_card(html, item):
    start = html.index(f'id="item-{item.pk}"')
    return html[start : html.index("</article>", start)]


def test_the_arrows_offer_only_the_moves_the_rule_allows(cell_secretary, meeting):
    items = list(meeting.items.order_by("order"))

    html = cell_secretary.client.get(_url("meeting", meeting)).content.decode()

    def arrows(item):
        card = _item_card(html, item)
        return ('value="up"' in card, 'value="down"' in card)

    assert [arrows(item) for item in items] == [
        (False, False),
        (False, True),
        (True, True),
        (True, True),
        (True, False),
    ]


def test_an_item_card_returned_by_htmx_keeps_the_right_arrows(cell_secretary, meeting, cell):
    second = meeting.items.get(order=2)

    response = cell_secretary.client.post(
        _url("opinion_add", meeting, second.pk), {"person": cell.lan.person.pk, "text": "Đồng ý"}, **HTMX
    )

    html = response.content.decode()
    assert ('value="up"' in html, 'value="down"' in html) == (False, True)


def test_the_end_time_is_typed_beside_the_held_button(cell_secretary, tree, cell):
    meeting = plan(tree, cell, ends_at=None)

    page = cell_secretary.client.get(_url("meeting", meeting)).content.decode()
    form = page[page.index(f'action="{_url("meeting_hold", meeting)}"') :]
    form = form[: form.index("</form>")]
    response = cell_secretary.client.post(
        _url("meeting_hold", meeting), {"starts_at": "19:30", "ends_at": "21:15"}
    )

    assert 'type="time" name="ends_at"' in form
    assert form.index('name="ends_at"') < form.index('type="submit"')
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ends_at) == (MeetingStatus.HELD, T(21, 15))


def test_a_badly_typed_end_time_is_explained_and_nothing_changes(cell_secretary, meeting):
    response = cell_secretary.client.post(_url("meeting_hold", meeting), {"ends_at": "9h tối"}, follow=True)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert tr("Write the times as hh:mm, e.g. 21:15.") in page_text(response)


def test_the_approval_page_lists_what_is_still_empty_but_approving_still_works(cell_secretary, meeting):
    study = meeting.items.get(order=1)
    services.record_item_minutes(actor=None, item=study, content="Kể chuyện Bác", conclusion="Làm theo Bác")
    services.record_item_minutes(actor=None, item=meeting.items.get(order=2), content="Thời sự")
    _hold(meeting)
    url = _url("meeting_approve", meeting)

    text = page_text(cell_secretary.client.get(url))
    approved = cell_secretary.client.post(url)

    assert tr("Parts of the minutes are still empty") in text
    no_conclusion = tr("no chair's conclusion")
    nothing = tr("no content and no chair's conclusion")
    assert f"2. Thông tin thời sự, chủ trương, văn bản của cấp trên: {no_conclusion}" in text
    assert f"3. Đánh giá kết quả thực hiện nhiệm vụ tháng trước: {nothing}" in text
    assert f"{tr('Resolution of the meeting')}: {tr('not written')}" in text
    assert "1. Học tập" not in text.split(tr("Parts of the minutes are still empty"))[1]
    assert approved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED


def test_complete_minutes_show_no_warning_before_approval(cell_secretary, meeting):
    for item in meeting.items.all():
        services.record_item_minutes(actor=None, item=item, content="Nội dung", conclusion="Kết luận")
    services.update_meeting(actor=None, meeting=meeting, resolution="Nghị quyết")
    _hold(meeting)

    response = cell_secretary.client.get(_url("meeting_approve", meeting))

    assert heading(response) == tr("Approve the minutes")  # the page itself, with its button
    assert response.context["gaps"].items == []
    assert tr("Parts of the minutes are still empty") not in page_text(response)


@pytest.mark.parametrize(
    ("first_name", "last_name", "person_name", "shown"),
    [
        ("Trần Văn", "Minh", "", "Trần Văn Minh"),
        ("", "", "Trần Văn Minh", "Trần Văn Minh"),
        ("", "", "", None),  # the login name, only when there is no name at all
    ],
)
def test_the_approved_minutes_name_who_approved_them(
    cell_secretary, meeting, cell, first_name, last_name, person_name, shown
):
    user = cell_secretary.user
    user.first_name, user.last_name = first_name, last_name
    user.save()
    if person_name:
        person = cell.minh.person
        person.user = user
        person.save()
    _hold(meeting)
    services.set_meeting_status(actor=user, meeting=meeting, status=MeetingStatus.APPROVED)

    text = page_text(cell_secretary.client.get(_url("meeting", meeting)))

    when = timezone.localtime(meeting.approved_at).strftime("%H:%M %d/%m/%Y")
    message = (
        "Minutes approved by %(who)s at %(when)s. Attendance and minutes are frozen; attendance is "
        "corrected by an amendment with a reason."
    )
    assert tr(message, who=shown or user.username, when=when) in text


def test_a_reason_is_asked_only_where_one_can_be_given(cell_secretary, meeting, cell):
    services.set_attendance(actor=None, attendance=_row(meeting, cell.lan), status="unexcused")
    services.set_attendance(actor=None, attendance=_row(meeting, cell.tu), status="excused", reason="Ốm")

    html = cell_secretary.client.get(_url("attendance", meeting)).content.decode()

    def asks_reason(member):
        return f'id="reason-{_row(meeting, member).pk}"' in html

    assert {
        name: asks_reason(m)
        for name, m in [("lan", cell.lan), ("tu", cell.tu), ("minh", cell.minh), ("gia", cell.gia)]
    } == {
        "lan": False,  # absent without reason
        "tu": True,  # absent with reason
        "minh": False,  # present
        "gia": True,  # exempt: the exemption's reason
    }


def test_everyone_present_says_so_when_nothing_had_to_change(cell_secretary, meeting):
    response = cell_secretary.client.post(_url("attendance_all_present", meeting), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        tr("Everyone listed was already marked present.")
    ]


def test_the_attendance_marks_stay_on_one_line_on_a_phone():
    """ "Có mặt" wrapped onto two lines at 360 px: the short marks keep their width (white-space:
    nowrap, and the badge does not shrink); the row's name wraps instead."""
    css = " ".join((settings.BASE_DIR / "static" / "lantoa" / "lantoa.css").read_text().split())

    rule = css[css.rindex(".lt-att-present .badge") :]
    assert rule.startswith(".lt-att-present .badge, .lt-att-excused .badge, .lt-att-unexcused .badge {")
    assert "white-space: nowrap" in rule[: rule.index("}")]
    assert ".lt-att-row .badge { flex-shrink: 0; }" in css


def test_missing_page_for_a_month_after_the_committee_closed_says_so(district_staff, tree, cell):
    response = district_staff.client.get(reverse("cells:missing_meetings") + "?month=2026-11")

    text = page_text(response)
    assert response.context["report"].committee == tree.district
    assert (
        tr(
            "%(name)s ended on %(day)s: it did not exist in %(m)s, so it had no cells to meet.",
            name="Huyện ủy Châu Thành",
            day="30/06/2025",
            m=format_month_in_text(D(2026, 11, 1)),
        )
        in text
    )
    assert tr("See its last month, %(m)s", m=format_month(D(2025, 6, 1))) in text
    assert "?unit=chau-thanh&amp;month=2025-06" in response.content.decode()
    assert tr("Every cell has met.") not in text
    assert tr("Without a regular meeting for %(m)s", m=format_month_in_text(D(2026, 11, 1))) not in text


def test_missing_page_with_no_cells_never_says_every_cell_met(district_staff, tree):
    from lantoa.org.models import UnitKind
    from tests.factories import UnitFactory

    UnitFactory(key="xa-trong", name="Đảng ủy xã Trống", kind=UnitKind.COMMUNE, parent=tree.district)

    response = district_staff.client.get(reverse("cells:missing_meetings") + "?unit=xa-trong&month=2024-03")

    text = page_text(response)
    assert (
        tr(
            "%(name)s had no cells in %(m)s: there is nothing to check.",
            name="Đảng ủy xã Trống",
            m=format_month_in_text(D(2024, 3, 1)),
        )
        in text
    )
    assert tr("Every cell has met.") not in text


def test_missing_page_committee_list_holds_the_one_shown_and_those_under_it(district_staff, tree):
    response = district_staff.client.get(reverse("cells:missing_meetings") + "?month=2026-11")

    assert [u.name for u in response.context["committees"]] == [
        "Đảng ủy xã An Khánh",
        "Đảng ủy xã Tân Thạch",
        "Huyện ủy Châu Thành",
    ]
    html = response.content.decode()
    until = tr("until %(day)s", day="30/06/2025")
    assert f'<option value="chau-thanh" selected>Huyện ủy Châu Thành ({until})</option>' in html
