"""What a plain member of the cell reads of its meetings: when and where it meets; its agenda,
attendance and minutes once the minutes are approved (they are read out and adopted at the
meeting); never a draft, never why a cell mate is exempt from Party activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.cells.models import MeetingStatus
from lantoa.cells.services import meetings as services
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

D = dt.date
STUDY = "Chuyện Bác Hồ với đức tính tiết kiệm, đang ghi dở"


@pytest.fixture
def plain(tree, cell):
    """Lê Thị Lan with the plain member role on Chi bộ ấp Phước Thạnh."""
    made = persona(tree.phuoc_thanh, Role.MEMBER)
    cell.lan.person.user = made.user
    cell.lan.person.save()
    return made


@pytest.fixture
def drafted(meeting, cell):
    item = meeting.items.order_by("order").first()
    services.record_item_minutes(actor=None, item=item, content=STUDY, presenter=cell.minh.person)
    services.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6))
    return meeting


def _url(name, meeting):
    return reverse(f"cells:{name}", args=[meeting.public_id])


def test_member_reads_when_and_where_a_planned_meeting_is_and_nothing_of_its_record(plain, meeting):
    response = plain.client.get(_url("meeting", meeting))

    text = page_text(response)
    assert response.status_code == 200
    assert meeting.place in text
    assert (
        tr(
            "The agenda, the attendance and the minutes are shown to members once the minutes are "
            "approved at the meeting."
        )
        in text
    )
    assert "items" not in response.context


@pytest.mark.parametrize(
    "name", ["attendance", "minutes_docx", "minutes_pdf", "attendance_sheet", "resolution"]
)
def test_member_gets_nothing_of_draft_minutes(plain, drafted, name):
    response = plain.client.get(_url(name, drafted))

    assert response.status_code == 404
    assert STUDY.encode() not in response.content


def test_officers_read_the_draft(cell_secretary, drafted):
    assert STUDY in page_text(cell_secretary.client.get(_url("meeting", drafted)))


def test_member_reads_approved_minutes_but_not_why_a_mate_is_exempt(plain, drafted, cell, cell_secretary):
    services.set_meeting_status(actor=cell_secretary.user, meeting=drafted, status=MeetingStatus.APPROVED)

    detail = plain.client.get(_url("meeting", drafted))
    attendance = plain.client.get(_url("attendance", drafted))
    officers = cell_secretary.client.get(_url("attendance", drafted))

    assert STUDY in page_text(detail)
    assert cell.gia.person.full_name in page_text(attendance)
    assert "Tuổi cao, sức yếu" not in attendance.content.decode()
    assert "Tuổi cao, sức yếu" in officers.content.decode()
    assert plain.client.get(_url("minutes_docx", drafted)).status_code == 200


def test_member_does_not_read_a_mates_exemption_reason_on_the_persons_page(plain, cell, cell_secretary):
    url = reverse("org:person", args=[cell.gia.person.public_id])

    assert "Tuổi cao, sức yếu" not in plain.client.get(url).content.decode()
    assert "Tuổi cao, sức yếu" in cell_secretary.client.get(url).content.decode()
