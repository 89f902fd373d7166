"""Every meetings view against the personas: anonymous → login, another district → 404 without
the data, the read-only council member → 403 on every write (and reads), the cell's secretary →
the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from lantoa.cells import urls_meetings
from lantoa.cells.models import Attendance, Meeting, MeetingStatus, Opinion
from lantoa.cells.services import meetings as services
from lantoa.lib import pdf
from tests.conftest import page_text, tr

D = dt.date


@dataclass
class World:
    meeting: Meeting
    item_id: int
    opinion_id: int
    row_id: int


@pytest.fixture
def world(meeting, cell) -> World:
    item = meeting.items.get(order=1)
    opinion = services.add_opinion(
        actor=None, item=item, person=cell.tu.person, text="Bí mật của Phước Thạnh"
    )
    services.update_meeting(actor=None, meeting=meeting, resolution="Nghị quyết riêng của Phước Thạnh")
    row = meeting.attendance.get(member=cell.lan)
    return World(meeting, item.pk, opinion.pk, row.pk)


def _m(name: str, *extra: object) -> Callable[[World], str]:
    return lambda w: reverse(f"cells:{name}", args=[w.meeting.public_id, *[e(w) for e in extra]])  # type: ignore[operator]


def _item(w: World) -> int:
    return w.item_id


def _opinion(w: World) -> int:
    return w.opinion_id


def _row(w: World) -> int:
    return w.row_id


ROUTES: dict[str, Callable[[World], str]] = {
    "meetings": lambda w: reverse("cells:meetings") + "?unit=phuoc-thanh&month=2024-03",
    "meeting_create": lambda w: reverse("cells:meeting_create") + "?unit=phuoc-thanh",
    "meeting_year": lambda w: reverse("cells:meeting_year") + "?unit=phuoc-thanh&year=2024",
    "missing_meetings": lambda w: reverse("cells:missing_meetings") + "?unit=an-khanh&month=2024-03",
    "missing_meetings_xlsx": lambda w: (
        reverse("cells:missing_meetings_xlsx") + "?unit=an-khanh&month=2024-03"
    ),
    "meeting": _m("meeting"),
    "meeting_edit": _m("meeting_edit"),
    "meeting_hold": _m("meeting_hold"),
    "meeting_approve": _m("meeting_approve"),
    "resolution": lambda w: _m("resolution")(w) + "?edit=1",
    "agenda_add": _m("agenda_add"),
    "agenda_item": _m("agenda_item", _item),
    "agenda_move": _m("agenda_move", _item),
    "agenda_remove": _m("agenda_remove", _item),
    "opinion_add": _m("opinion_add", _item),
    "opinion_remove": _m("opinion_remove", _item, _opinion),
    "attendance": _m("attendance"),
    "attendance_all_present": _m("attendance_all_present"),
    "attendance_mark": _m("attendance_mark", _row),
    "attendance_amend": _m("attendance_amend", _row),
    "attendance_sheet": _m("attendance_sheet"),
    "attendance_print": _m("attendance_print"),
    "minutes_docx": _m("minutes_docx"),
    "minutes_pdf": _m("minutes_pdf"),
}

POST_ONLY = {
    "meeting_hold",
    "agenda_add",
    "agenda_move",
    "agenda_remove",
    "opinion_add",
    "opinion_remove",
    "attendance_all_present",
    "attendance_mark",
}
READS = {
    "meetings",
    "meeting_year",
    "missing_meetings",
    "missing_meetings_xlsx",
    "meeting",
    "attendance",
    "attendance_sheet",
    "attendance_print",
    "minutes_docx",
    "minutes_pdf",
}
WRITES = sorted(set(ROUTES) - READS)
SECRETS = ["Bí mật của Phước Thạnh", "Nghị quyết riêng của Phước Thạnh", "Phạm Văn Tư", "Lê Thị Lan"]


def _method(name: str) -> str:
    return "post" if name in POST_ONLY else "get"


def test_every_meetings_url_is_in_the_matrix():
    assert {pattern.name for pattern in urls_meetings.urlpatterns} == set(ROUTES)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_is_sent_to_login(anonymous, world, name):
    url = ROUTES[name](world)

    response = getattr(anonymous, _method(name))(url)

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("accounts:login")
    assert parse_qs(target.query) == {"next": [url]}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_another_district_gets_404_without_the_data(outsider, world, name):
    response = getattr(outsider.client, _method(name))(ROUTES[name](world))

    assert response.status_code == 404
    html = response.content.decode()
    assert [secret for secret in SECRETS if secret in html] == []


WRITE_CASES = [(name, "post") for name in WRITES] + [
    (name, "get") for name in WRITES if name not in POST_ONLY
]


@pytest.mark.parametrize(("name", "method"), WRITE_CASES)
def test_read_only_role_is_refused_every_write(council_member, world, name, method):
    before = (Opinion.objects.count(), list(Attendance.objects.values_list("status", flat=True)))

    data = {"title": "x", "person": "1", "text": "x", "status": "excused", "amendment_reason": "x"}

    response = getattr(council_member.client, method)(ROUTES[name](world), data if method == "post" else None)

    assert response.status_code == 403
    assert (Opinion.objects.count(), list(Attendance.objects.values_list("status", flat=True))) == before


@pytest.mark.parametrize("name", sorted(READS - {"minutes_pdf"}))
def test_read_only_role_reads(council_member, world, name):
    response = council_member.client.get(ROUTES[name](world))

    assert response.status_code == 200


def test_read_only_role_sees_no_write_buttons(council_member, world):
    response = council_member.client.get(ROUTES["meeting"](world))

    assert (response.context["can_write"], response.context["editable"], response.context["can_approve"]) == (
        False,
        False,
        False,
    )
    assert reverse("cells:meeting_edit", args=[world.meeting.public_id]) not in response.content.decode()


def test_pdf_without_libreoffice_is_503_for_readers(council_member, world, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)

    response = council_member.client.get(ROUTES["minutes_pdf"](world))

    assert response.status_code == 503
    assert response.templates[0].name == "includes/pdf_unavailable.html"


# --- in scope: the cell's secretary -------------------------------------------------------------

IN_SCOPE_GET = {
    "meetings": 200,
    "meeting_year": 200,
    "meeting_create": 200,
    "meeting": 200,
    "meeting_edit": 200,
    "resolution": 200,
    "agenda_item": 200,
    "attendance": 200,
    "attendance_amend": 200,
    "attendance_sheet": 200,
    "attendance_print": 200,
    "minutes_docx": 200,
}


@pytest.mark.parametrize("name", sorted(IN_SCOPE_GET))
def test_in_scope_secretary_gets_the_page(cell_secretary, world, name):
    response = cell_secretary.client.get(ROUTES[name](world))

    assert response.status_code == IN_SCOPE_GET[name]


def test_cell_secretary_cannot_see_the_communes_missing_list(cell_secretary, world):
    response = cell_secretary.client.get(ROUTES["missing_meetings"](world))

    assert response.status_code == 404


def test_a_cell_secretary_opening_the_missing_list_is_sent_to_their_cells_meetings(cell_secretary, world):
    response = cell_secretary.client.get(reverse("cells:missing_meetings"))

    assert response.status_code == 200
    text = page_text(response)
    assert (
        tr(
            "This page lists the cells of a committee that have not met. Your role is on a cell: its own "
            "meetings are on the meetings page."
        )
        in text
    )
    assert f"{reverse('cells:meetings')}?unit=phuoc-thanh" in response.content.decode()


def test_district_staff_sees_the_missing_list_of_a_commune(district_staff, world):
    response = district_staff.client.get(ROUTES["missing_meetings"](world))

    assert response.status_code == 200
    assert [c.unit.name for c in response.context["report"].cells] == ["Chi bộ ấp Phước Thạnh"]


def test_district_staff_may_write_but_not_approve(district_staff, world):
    services.set_meeting_status(
        actor=None, meeting=world.meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6)
    )

    page = district_staff.client.get(ROUTES["meeting"](world))
    get = district_staff.client.get(ROUTES["meeting_approve"](world))
    post = district_staff.client.post(ROUTES["meeting_approve"](world))

    assert (page.context["editable"], page.context["can_approve"]) == (True, False)
    assert (get.status_code, post.status_code) == (403, 403)
    assert Meeting.objects.get(pk=world.meeting.pk).status == MeetingStatus.HELD


def test_an_item_of_another_meeting_is_404(cell_secretary, world, tree, cell):
    from tests.cells.meetings.conftest import plan

    other = plan(tree, cell, date=D(2024, 4, 5))
    url = reverse("cells:agenda_item", args=[other.public_id, world.item_id])

    assert cell_secretary.client.get(url).status_code == 404
