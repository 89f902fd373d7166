"""N+1 guards: the meeting and attendance pages run the same number of queries for 5 members as
for 50, and the "cells without a meeting" page for 1 cell as for 3."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.cells.models import MeetingKind, MeetingStatus
from lantoa.cells.services import meetings as services
from lantoa.org.models import ActivityExemption
from tests.factories import UnitFactory, member_in

D = dt.date


def _count(client, url):
    client.get(url)  # warm the caches every request shares (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def _meeting_with(tree, size: int):
    """A cell of ``size`` members (every fifth probationary, one exempt) with its minutes written:
    opinions on the study item, marks of every kind."""
    cell = UnitFactory(name=f"Chi bộ ấp {size} đảng viên", parent=tree.an_khanh)
    members = [
        member_in(cell, name=f"Đảng viên {n:02d}", **({"full_member_on": None} if n % 5 == 0 else {}))
        for n in range(size)
    ]
    ActivityExemption.objects.create(member=members[1], valid_from=D(2020, 1, 1), reason="Tuổi cao")
    meeting = services.schedule_meeting(
        actor=None,
        unit=cell,
        kind=MeetingKind.REGULAR,
        date=D(2024, 3, 5),
        starts_at=dt.time(19, 30),
        ends_at=dt.time(21, 0),
        chair=members[0].person,
        clerk=members[2].person,
    )
    rows = {row.member_id: row for row in meeting.attendance.select_related("meeting")}
    services.set_attendance(actor=None, attendance=rows[members[2].pk], status="excused", reason="Ốm")
    services.set_attendance(actor=None, attendance=rows[members[3].pk], status="unexcused")
    study = meeting.items.get(order=1)
    for member in members[:3]:
        services.add_opinion(actor=None, item=study, person=member.person, text="Ý kiến")
    services.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6))
    return meeting


def test_meeting_page_queries_do_not_grow_with_members(tree, district_staff):
    small = _meeting_with(tree, 5)
    large = _meeting_with(tree, 50)

    five, _ = _count(district_staff.client, reverse("cells:meeting", args=[small.public_id]))
    fifty, response = _count(district_staff.client, reverse("cells:meeting", args=[large.public_id]))

    assert response.context["totals"].members.total == 50
    assert len(response.context["speakers"]) == 50
    assert fifty == five


def test_attendance_page_queries_do_not_grow_with_members(tree, district_staff):
    small = _meeting_with(tree, 5)
    large = _meeting_with(tree, 50)

    five, _ = _count(district_staff.client, reverse("cells:attendance", args=[small.public_id]))
    fifty, response = _count(district_staff.client, reverse("cells:attendance", args=[large.public_id]))

    assert len(response.context["rows"]) == 50
    assert fifty == five


def test_missing_meetings_page_queries_do_not_grow_with_cells(tree, district_staff):
    commune = UnitFactory(name="Đảng ủy xã Phú Túc", kind="commune", short_code="ĐU", parent=tree.district)
    first = UnitFactory(name="Chi bộ ấp Phú Thạnh", parent=commune)
    services.schedule_meeting(actor=None, unit=first, kind=MeetingKind.REGULAR, date=D(2024, 3, 5))
    url = reverse("cells:missing_meetings") + f"?unit={commune.key}&month=2024-03"
    one, _ = _count(district_staff.client, url)

    for name in ("Chi bộ ấp Phú Lợi", "Chi bộ ấp Phú Hòa"):
        cell = UnitFactory(name=name, parent=commune)
        services.schedule_meeting(
            actor=None, unit=cell, kind=MeetingKind.THEMATIC, topic="Chuyên đề", date=D(2024, 2, 5)
        )
    three, response = _count(district_staff.client, url)

    assert len(response.context["report"].cells) == 3
    assert three == one


def test_meetings_list_queries_do_not_grow_with_meetings(tree, cell_secretary, cell):
    from tests.cells.meetings.conftest import plan

    url = reverse("cells:meetings") + "?unit=phuoc-thanh&month=2024-03"
    plan(tree, cell)
    one, _ = _count(cell_secretary.client, url)

    plan(tree, cell, kind=MeetingKind.THEMATIC, topic="Chuyên đề 1", date=D(2024, 3, 12))
    plan(tree, cell, kind=MeetingKind.THEMATIC, topic="Chuyên đề 2", date=D(2024, 3, 19))
    three, response = _count(cell_secretary.client, url)

    assert len(response.context["rows"]) == 3
    assert three == one
