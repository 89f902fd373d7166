"""N+1 guards for the list pages that had none: each page runs the same number of queries for
one row as for three (a material's uses, the printed attendance sheet, an account's roles, login
locks, recent imports).

The other list pages keep their guards next to their own tests (``test_query_counts*.py`` in
``tests/org``, ``tests/documents``, ``tests/cells/*``; the audit log, accounts, imports and home
pages in their test modules)."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.cells.models import AgendaItem, AgendaKind, Meeting, MeetingStatus
from lantoa.imports.models import ImportJob, ImportStatus
from lantoa.org.models import Role
from tests.cells.library.conftest import share
from tests.cells.meetings.test_query_counts import _meeting_with
from tests.conftest import persona
from tests.factories import RoleGrantFactory, UserFactory, member_in

D = dt.date


def _count(client, url, params=None):
    client.get(url, params)  # warm the caches every request shares (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


# --- cells -----------------------------------------------------------------------------------


def test_material_page_queries_do_not_grow_with_the_meetings_that_used_it(cell_secretary, tree):
    story = share(tree.phuoc_thanh, "Bác Hồ với đức tính tiết kiệm")
    url = reverse("cells:material", args=[story.public_id])

    def present(month):
        presenter = member_in(tree.phuoc_thanh, name=f"Báo cáo viên tháng {month}")
        meeting = Meeting.objects.create(
            unit=tree.phuoc_thanh, period=D(2024, month, 1), date=D(2024, month, 5), status=MeetingStatus.HELD
        )
        item = AgendaItem.objects.create(
            meeting=meeting, order=1, kind=AgendaKind.STUDY, title="Học tập", presenter=presenter.person
        )
        item.materials.add(story)

    present(1)
    one, _response = _count(cell_secretary.client, url)

    present(2)
    present(3)
    three, response = _count(cell_secretary.client, url)

    assert [i.presenter.full_name for i in response.context["uses"]] == [
        "Báo cáo viên tháng 3",
        "Báo cáo viên tháng 2",
        "Báo cáo viên tháng 1",
    ]
    assert three == one


def test_attendance_print_page_queries_do_not_grow_with_members(tree, district_staff):
    small = _meeting_with(tree, 5)
    large = _meeting_with(tree, 50)

    five, _response = _count(district_staff.client, reverse("cells:attendance_print", args=[small.public_id]))
    fifty, response = _count(district_staff.client, reverse("cells:attendance_print", args=[large.public_id]))

    assert "Đảng viên 49" in response.content.decode()
    assert fifty == five


# --- accounts and imports --------------------------------------------------------------------


def test_account_page_queries_do_not_grow_with_roles(tree):
    admin = persona(tree.district, Role.ADMIN)
    account = UserFactory(username="tran-lan")
    RoleGrantFactory(user=account, unit=tree.an_khanh, role=Role.CLERK, valid_from=D(2021, 1, 1))
    url = reverse("accounts:user_detail", args=[account.pk])
    one, _response = _count(admin.client, url)

    RoleGrantFactory(user=account, unit=tree.tan_thach, role=Role.SECRETARY, valid_from=D(2022, 1, 1))
    RoleGrantFactory(user=account, unit=tree.women, role=Role.PROPAGANDA, valid_from=D(2023, 1, 1))
    three, response = _count(admin.client, url)

    assert [grant.unit.name for grant, _may_end in response.context["grants"]] == [
        "Chi bộ Hội LHPN huyện",
        "Đảng ủy xã Tân Thạch",
        "Đảng ủy xã An Khánh",
    ]
    assert three == one


def test_login_locks_page_queries_do_not_grow_with_locks(tree):
    admin = persona(tree.district, Role.ADMIN)
    url = reverse("accounts:locks")

    def lock(username):
        RoleGrantFactory(user=UserFactory(username=username), unit=tree.an_khanh, role=Role.CLERK)
        AccessAttempt.objects.create(
            username=username,
            ip_address="10.0.0.12",
            user_agent="",
            http_accept="",
            path_info=reverse("accounts:login"),
            get_data="",
            post_data="",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )

    lock("nguyen-an")
    one, _response = _count(admin.client, url)

    lock("tran-binh")
    lock("le-chi")
    three, response = _count(admin.client, url)

    assert sorted(attempt.username for attempt in response.context["locks"]) == [
        "le-chi",
        "nguyen-an",
        "tran-binh",
    ]
    assert three == one


def test_import_start_page_queries_do_not_grow_with_recent_jobs(tree):
    # The district closed on 30/6/2025: imports go into the commune, open today.
    importer = persona(tree.an_khanh, Role.SECRETARY)
    url = reverse("imports:start")

    def job(unit):
        made = ImportJob(
            unit=unit, created_by=importer.user, original_name=f"{unit.key}.xlsx", status=ImportStatus.DONE
        )
        made.file.save("members.xlsx", ContentFile(b"PK"), save=False)
        made.save()

    job(tree.an_khanh)
    one, _response = _count(importer.client, url)

    job(tree.phuoc_thanh)
    job(tree.an_khanh)
    three, response = _count(importer.client, url)

    assert sorted(j.unit.name for j in response.context["jobs"]) == [
        "Chi bộ ấp Phước Thạnh",
        "Đảng ủy xã An Khánh",
        "Đảng ủy xã An Khánh",
    ]
    assert three == one
