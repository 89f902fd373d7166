"""The web flow (upload → check → confirm → import) and who may use each page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.imports.models import STALE_AFTER, ImportJob, ImportStatus
from lantoa.org.models import PartyMember

from .conftest import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db

START = reverse("imports:start")


def _upload(client, unit_key, content=None, name="members.xlsx"):
    content = content if content is not None else xlsx_bytes([member_row()])
    return client.post(START, {"unit": unit_key, "file": SimpleUploadedFile(name, content)})


def _job(tree, user, *, status=ImportStatus.VALIDATED, errors=None, counts=None, unit=None):
    job = ImportJob(
        unit=unit or tree.an_khanh,
        created_by=user,
        original_name="members.xlsx",
        status=status,
        errors=errors or [],
        counts=counts or {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "transferred": 0, "errors": 0},
    )
    job.file.save("test.xlsx", ContentFile(xlsx_bytes([member_row()])), save=False)
    job.save()
    return job


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


# ---------------------------------------------------------------------------------------------
# The flow
# ---------------------------------------------------------------------------------------------


def test_upload_checks_then_confirm_imports_and_done_page_links_the_unit(tree, district_staff):
    response = _upload(district_staff.client, "an-khanh")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job", args=[job.public_id])
    assert (job.status, job.counts["new"], job.errors) == (ImportStatus.VALIDATED, 1, [])
    assert (job.created_by, job.unit, job.original_name) == (
        district_staff.user,
        tree.an_khanh,
        "members.xlsx",
    )

    page = district_staff.client.get(response.url)
    assert "Confirm and import" in _text(page)
    assert PartyMember.objects.count() == 0

    confirmed = district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))
    job.refresh_from_db()
    assert confirmed.status_code == 302
    assert (job.status, job.counts["new"], job.confirmed_by) == (ImportStatus.DONE, 1, district_staff.user)
    assert PartyMember.objects.get().person.full_name == "Trần Văn Bình"

    done = district_staff.client.get(confirmed.url)
    assert "Imported." in _text(done)
    assert reverse("org:unit", args=["an-khanh"]) in done.content.decode()
    assert "hx-trigger" not in done.content.decode()


def test_upload_with_errors_shows_the_full_error_table_and_no_confirm_button(tree, district_staff):
    rows = [member_row(name=""), member_row(card="90000002", gender="Trai")]

    response = _upload(district_staff.client, "an-khanh", xlsx_bytes(rows))
    page = district_staff.client.get(response.url)

    text = _text(page)
    assert "2 problems found. Nothing was imported." in text
    assert "2 Họ và tên is empty" in text
    assert "3 Giới tính write “Nam” or “Nữ”, not “Trai”" in text
    assert "Confirm and import" not in text
    assert (
        district_staff.client.post(
            reverse("imports:confirm", args=[ImportJob.objects.get().public_id])
        ).status_code
        == 302
    )
    assert ImportJob.objects.get().status == ImportStatus.VALIDATED
    assert PartyMember.objects.count() == 0


def test_uploaded_file_is_deleted_once_imported_or_refused(tree, district_staff):
    """The file holds personal data: kept only while it may still be confirmed."""
    _upload(district_staff.client, "an-khanh")
    job = ImportJob.objects.get()
    assert job.file  # waiting for confirmation

    district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))
    _upload(district_staff.client, "an-khanh", xlsx_bytes([member_row(name="")]))

    assert [(j.status, bool(j.file)) for j in ImportJob.objects.order_by("pk")] == [
        (ImportStatus.DONE, False),
        (ImportStatus.VALIDATED, False),
    ]


def test_confirm_twice_imports_once(tree, district_staff):
    _upload(district_staff.client, "an-khanh")
    job = ImportJob.objects.get()
    url = reverse("imports:confirm", args=[job.public_id])

    district_staff.client.post(url)
    second = district_staff.client.post(url, follow=True)

    assert PartyMember.objects.count() == 1
    assert "already been confirmed" in _text(second)


def test_data_changed_between_check_and_confirm_returns_to_errors(tree, district_staff, stranger_member):
    _upload(district_staff.client, "an-khanh", xlsx_bytes([member_row(card="99000222")]))
    job = ImportJob.objects.get()
    stranger_member.card_number = "99000222"
    stranger_member.save()

    district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert [error["code"] for error in job.errors] == ["card_out_of_scope"]
    assert PartyMember.objects.count() == 1


@override_settings(LANTOA_MAX_IMPORT_BYTES=1024)
def test_file_above_the_limit_is_refused_with_a_clear_message(tree, district_staff):
    response = _upload(district_staff.client, "an-khanh")

    assert response.status_code == 200
    assert re.search(r"The file is \d+ KB; the largest file that can be imported is 1 KB\.", _text(response))
    assert ImportJob.objects.count() == 0


def test_other_file_types_are_refused(tree, district_staff):
    response = _upload(district_staff.client, "an-khanh", b"x", name="members.xls")

    assert "Only .xlsx and .csv files can be imported." in _text(response)
    assert ImportJob.objects.count() == 0


def test_start_page_offers_only_units_open_today_where_the_user_may_import(tree, district_staff):
    page = district_staff.client.get(START)

    select = re.search(r'<select name="unit".*?</select>', page.content.decode(), re.DOTALL)
    options = re.findall(r'<option value="([^"]+)"', select.group(0))
    # The district closed on 30/6/2025; what was under it is still the user's to import into.
    assert options == ["hoi-lhpn", "an-khanh", "phuoc-thanh", "tan-thach", "tan-thanh"]


def test_start_page_preselects_the_users_own_unit(tree, commune_secretary):
    page = commune_secretary.client.get(START)

    assert '<option value="an-khanh" selected>' in page.content.decode()
    assert f"{reverse('imports:template')}?unit=an-khanh" in page.content.decode()


def test_job_page_polls_while_running_and_shows_progress(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.VALIDATING)
    ImportJob.objects.filter(pk=job.pk).update(progress_done=1500, progress_total=6000)

    page = district_staff.client.get(
        reverse("imports:job", args=[job.public_id]), headers={"HX-Request": "true"}
    )

    html = page.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'data-lt-progress="25"' in html
    assert "1.500 / 6.000 rows" in _text(page)
    assert "<html" not in html  # the partial only


def test_job_page_stops_polling_when_finished(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.VALIDATED)

    page = district_staff.client.get(
        reverse("imports:job", args=[job.public_id]), headers={"HX-Request": "true"}
    )

    assert "hx-trigger" not in page.content.decode()


def test_failed_job_says_nothing_was_written(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.FAILED)

    page = district_staff.client.get(reverse("imports:job", args=[job.public_id]))

    assert "Nothing was written." in _text(page)


def test_template_download_has_headers_example_and_instructions(tree, district_staff):
    from io import BytesIO

    from openpyxl import load_workbook

    response = district_staff.client.get(reverse("imports:template"), {"unit": "an-khanh"})

    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn", "Chi bộ"]
    rows = list(book["Đảng viên"].iter_rows(min_row=1, max_row=2, values_only=True))
    assert rows[0][:4] == ("STT", "Họ và tên", "Số thẻ đảng viên", "Ngày sinh")
    assert rows[1][1] == "Nguyễn Văn An"
    assert rows[1][11] == "Chi bộ ấp Phước Thạnh"
    assert list(book["Chi bộ"].iter_rows(min_row=2, values_only=True)) == [
        ("Chi bộ ấp Phước Thạnh", "phuoc-thanh")
    ]
    assert "HƯỚNG DẪN" in book["Hướng dẫn"]["A1"].value


def test_template_imports_cleanly_once_the_example_is_kept(tree, district_staff):
    content = district_staff.client.get(reverse("imports:template"), {"unit": "an-khanh"}).content

    response = _upload(district_staff.client, "an-khanh", content)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.errors, job.counts["new"]) == ([], 1)


# ---------------------------------------------------------------------------------------------
# Permissions: in scope 200, out of scope 404, read-only 403, anonymous → login
# ---------------------------------------------------------------------------------------------


def test_start_page_permissions(tree, district_staff, outsider, council_member, anonymous):
    assert district_staff.client.get(START).status_code == 200
    assert outsider.client.get(START).status_code == 200  # their own cell only
    assert council_member.client.get(START).status_code == 403
    response = anonymous.get(START)
    assert (response.status_code, response.url.startswith(reverse("accounts:login"))) == (302, True)


def test_upload_permissions(tree, district_staff, outsider, council_member, anonymous):
    assert _upload(district_staff.client, "an-khanh").status_code == 302
    assert _upload(outsider.client, "an-khanh").status_code == 404
    assert _upload(district_staff.client, "ap-giong").status_code == 404
    assert _upload(council_member.client, "an-khanh").status_code == 403
    response = _upload(anonymous, "an-khanh")
    assert (response.status_code, response.url.startswith(reverse("accounts:login"))) == (302, True)
    assert ImportJob.objects.count() == 1


def test_job_page_permissions(tree, district_staff, outsider, council_member, cell_secretary, anonymous):
    job = _job(tree, district_staff.user)
    url = reverse("imports:job", args=[job.public_id])

    assert district_staff.client.get(url).status_code == 200
    assert outsider.client.get(url).status_code == 404
    assert cell_secretary.client.get(url).status_code == 404  # the job is for the commune above them
    assert council_member.client.get(url).status_code == 403
    assert anonymous.get(url).status_code == 302
    assert (
        district_staff.client.get(
            reverse("imports:job", args=["6f0c0a5e-0000-4000-8000-000000000000"])
        ).status_code
        == 404
    )


def test_confirm_permissions(tree, district_staff, outsider, council_member, anonymous):
    job = _job(tree, district_staff.user)
    url = reverse("imports:confirm", args=[job.public_id])

    assert outsider.client.post(url).status_code == 404
    assert council_member.client.post(url).status_code == 403
    assert anonymous.post(url).status_code == 302
    assert district_staff.client.get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert district_staff.client.post(url).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_template_permissions(tree, district_staff, outsider, anonymous):
    url = reverse("imports:template")

    assert district_staff.client.get(url).status_code == 200
    assert district_staff.client.get(url, {"unit": "an-khanh"}).status_code == 200
    assert outsider.client.get(url, {"unit": "an-khanh"}).status_code == 404
    assert anonymous.get(url).status_code == 302


def test_recent_imports_list_only_the_users_own(tree, district_staff, commune_secretary):
    _job(tree, commune_secretary.user)

    page = district_staff.client.get(START)

    assert "You have not imported anything yet." in _text(page)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_errors", [True, False])
def test_job_page_runs_the_same_queries_for_one_and_three_rows(
    tree, district_staff, django_assert_num_queries, with_errors
):
    def job_with(n):
        if with_errors:
            errors = [
                {"row": i + 2, "column": "Họ và tên", "code": "empty", "params": {}, "message": ""}
                for i in range(n)
            ]
            return _job(tree, district_staff.user, errors=errors)
        return _job(tree, district_staff.user, status=ImportStatus.DONE, counts={"rows": n, "new": n})

    one, three = job_with(1), job_with(3)
    with CaptureQueriesContext(connection) as baseline:
        district_staff.client.get(reverse("imports:job", args=[one.public_id]))

    with django_assert_num_queries(len(baseline)):
        district_staff.client.get(reverse("imports:job", args=[three.public_id]))


# ---------------------------------------------------------------------------------------------
# A worker that died mid-task
# ---------------------------------------------------------------------------------------------


def _stale(job):
    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - STALE_AFTER - dt.timedelta(seconds=1)
    )
    job.refresh_from_db()
    return job


def test_stale_job_stops_polling_and_offers_to_start_again(tree, district_staff):
    job = _stale(_job(tree, district_staff.user, status=ImportStatus.VALIDATING))

    page = district_staff.client.get(reverse("imports:job", args=[job.public_id]))

    html = page.content.decode()
    assert "hx-trigger" not in html
    assert reverse("imports:restart", args=[job.public_id]) in html
    assert "the background work seems to have stopped" in _text(page)


def test_restarting_a_stale_check_runs_it_again(tree, district_staff):
    job = _stale(_job(tree, district_staff.user, status=ImportStatus.VALIDATING, counts={}))

    district_staff.client.post(reverse("imports:restart", args=[job.public_id]))

    job.refresh_from_db()
    assert (job.status, job.counts["new"]) == (ImportStatus.VALIDATED, 1)


def test_restarting_a_stale_import_returns_it_to_confirmation(tree, district_staff):
    job = _stale(_job(tree, district_staff.user, status=ImportStatus.IMPORTING))

    district_staff.client.post(reverse("imports:restart", args=[job.public_id]))

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert PartyMember.objects.count() == 0
    assert job.can_confirm


def test_a_job_that_is_still_working_is_not_restarted(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.VALIDATING)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())

    district_staff.client.post(reverse("imports:restart", args=[job.public_id]))

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATING


def test_restart_permissions(tree, district_staff, outsider, council_member, anonymous):
    job = _stale(_job(tree, district_staff.user, status=ImportStatus.VALIDATING))
    url = reverse("imports:restart", args=[job.public_id])

    assert outsider.client.post(url).status_code == 404
    assert council_member.client.post(url).status_code == 403
    assert anonymous.post(url).status_code == 302
    assert district_staff.client.get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATING


def test_a_crash_while_checking_marks_the_job_failed_and_writes_nothing(tree, district_staff, monkeypatch):
    from lantoa.imports import services

    def crash(*args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(services, "check_file", crash)

    response = _upload(district_staff.client, "an-khanh")

    job = ImportJob.objects.get()
    assert (job.status, job.failure) == (ImportStatus.FAILED, "RuntimeError: disk went away")
    assert "Nothing was written." in _text(district_staff.client.get(response.url))
    assert PartyMember.objects.count() == 0
