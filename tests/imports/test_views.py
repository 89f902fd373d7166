"""The web flow (upload → check → confirm → import) and who may use each page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.imports.models import STALE_AFTER, ImportJob, ImportStatus
from lantoa.org.models import PartyMember, Role
from tests.conftest import AFTER_THE_REFORM, BEFORE_THE_REFORM, page_text, persona, tr
from tests.factories import UnitFactory, member_in

from .conftest import ADMITTED, FULL, member_row, name_for, xlsx_bytes

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = [pytest.mark.django_db, pytest.mark.today(BEFORE_THE_REFORM)]

D = dt.date
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
    UnitFactory(key="ap-cu", name="Chi bộ ấp Cũ", parent=tree.tan_thach, valid_to=D(2024, 12, 31))

    page = district_staff.client.get(START)

    select = re.search(r'<select name="unit".*?</select>', page.content.decode(), re.DOTALL)
    options = re.findall(r'<option value="([^"]+)"', select.group(0))
    # The user's own committee first, then the tree under it by folded name; not the cell that
    # closed at the end of 2024, nor another district's units.
    assert options == ["chau-thanh", "hoi-lhpn", "an-khanh", "phuoc-thanh", "tan-thach", "tan-thanh"]


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
    assert "1,500 / 6,000 rows" in _text(page)  # the page is read in English here
    assert "<html" not in html  # the partial only


def test_job_page_stops_polling_when_finished(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.VALIDATED)

    page = district_staff.client.get(
        reverse("imports:job", args=[job.public_id]), headers={"HX-Request": "true"}
    )

    html = page.content.decode()
    assert 'id="lt-job-status"' in html  # the status partial answered, and it waits for no more
    assert "Confirm and import" in _text(page)
    assert "hx-trigger" not in html


def test_failed_job_says_nothing_was_written(tree, district_staff):
    job = _job(tree, district_staff.user, status=ImportStatus.FAILED)

    page = district_staff.client.get(reverse("imports:job", args=[job.public_id]))

    assert "Nothing was written." in _text(page)


def test_template_download_has_only_the_header_on_the_member_sheet_and_the_example_in_the_guide(
    tree, district_staff
):
    from io import BytesIO

    from openpyxl import load_workbook

    response = district_staff.client.get(reverse("imports:template"), {"unit": "an-khanh"})

    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Đảng viên", "Hướng dẫn", "Chi bộ"]
    rows = [row for row in book["Đảng viên"].iter_rows(values_only=True) if any(v is not None for v in row)]
    assert [row[:4] for row in rows] == [("STT", "Họ và tên", "Số thẻ đảng viên", "Ngày sinh")]
    guide = {row[0]: row for row in book["Hướng dẫn"].iter_rows(values_only=True) if row[0]}
    assert guide["Cột"][4] == "Ví dụ"
    assert [guide[header][4] for header in ("Họ và tên", "Số thẻ đảng viên", "Ngày sinh", "Chi bộ")] == [
        "Nguyễn Văn An",
        "12345678",
        "15/05/1985",
        "Chi bộ ấp Phước Thạnh",
    ]
    assert list(book["Chi bộ"].iter_rows(min_row=2, values_only=True)) == [
        ("Chi bộ ấp Phước Thạnh", "phuoc-thanh")
    ]
    assert "HƯỚNG DẪN" in book["Hướng dẫn"]["A1"].value


def test_template_uploaded_unfilled_says_it_has_no_member_rows_and_imports_nobody(tree, district_staff):
    content = district_staff.client.get(reverse("imports:template"), {"unit": "an-khanh"}).content

    _upload(district_staff.client, "an-khanh", content)

    job = ImportJob.objects.get()
    assert [error["code"] for error in job.errors] == ["no_rows"]
    assert PartyMember.objects.count() == 0


def test_an_older_template_with_its_example_row_left_in_is_refused_on_that_row(tree, district_staff):
    """Found by trying the demo: the example "Nguyễn Văn An / 12345678" imported as a member."""
    rows = [
        member_row(name="Nguyễn Văn An", card="12345678", birth=dt.date(1985, 5, 15), cell="Chi bộ ấp Xa Lạ"),
        member_row(number=2),
    ]

    response = _upload(district_staff.client, "an-khanh", xlsx_bytes(rows))

    job = ImportJob.objects.get()
    assert [(error["row"], error["code"]) for error in job.errors] == [(2, "template_example")]
    text = page_text(district_staff.client.get(response.url))
    assert "2 — this is the template's example row: delete it before importing" in text
    assert PartyMember.objects.count() == 0


def test_a_real_nguyen_van_an_with_his_own_card_imports(tree, district_staff):
    _upload(
        district_staff.client, "an-khanh", xlsx_bytes([member_row(name="Nguyễn Văn An", card="90001234")])
    )

    assert ImportJob.objects.get().errors == []


# ---------------------------------------------------------------------------------------------
# The preview before confirming, and cancelling
# ---------------------------------------------------------------------------------------------


def test_check_page_lists_who_is_added_and_changed_without_sensitive_columns(tree, an_thanh):
    # The commune's secretary keeps its members' records: the sensitive columns count, unnamed.
    keeper = persona(tree.an_khanh, Role.SECRETARY)
    stored = member_in(tree.phuoc_thanh, name="Lê Thị Hoa", card_number="90000005")
    person = stored.person
    person.birth_date, person.gender, person.phone = dt.date(1980, 4, 30), "F", "0912000111"
    person.ethnicity, person.religion, person.id_number = "Kinh", "Không", "083080005555"
    person.save()
    stored.admitted_on, stored.full_member_on = dt.date(2005, 9, 2), dt.date(2006, 9, 2)
    stored.save()
    rows = [
        member_row("Trần Văn Bình", "90000001"),
        member_row(
            "Lê Thị Hoa",
            "90000005",
            gender="Nữ",
            religion="Công giáo",
            id_number="083080009999",
            phone="0987654321",
            cell="Chi bộ ấp An Thạnh",
            number=2,
        ),
    ]

    response = _upload(keeper.client, "an-khanh", xlsx_bytes(rows))
    page = keeper.client.get(response.url)

    assert page.context["preview_new"] == [
        {"row": 2, "name": "Trần Văn Bình", "card": "90000001", "cell": "Chi bộ ấp Phước Thạnh"}
    ]
    assert [
        (p["row"], p["name"], p["card"], p["cell"], p["from_cell"], p["changes"])
        for p in page.context["preview_updated"]
    ] == [
        (
            3,
            "Lê Thị Hoa",
            "90000005",
            "Chi bộ ấp An Thạnh",
            "Chi bộ ấp Phước Thạnh",
            ["Điện thoại", "other details"],
        )
    ]
    text = _text(page)
    assert "2 Trần Văn Bình 90000001 Chi bộ ấp Phước Thạnh" in text
    assert "moves from Chi bộ ấp Phước Thạnh Điện thoại, other details" in text
    html = page.content.decode()
    assert [
        value
        for value in ("Công giáo", "083080009999", "083080005555", "Tôn giáo", "Số CCCD")
        if value in html
    ] == []


def _hoa_in_phuoc_thanh(tree):
    stored = member_in(tree.phuoc_thanh, name="Lê Thị Hoa", card_number="90000005")
    person = stored.person
    person.birth_date, person.gender = dt.date(1980, 4, 30), "F"
    person.ethnicity, person.religion, person.id_number = "Kinh", "Công giáo", "083080005555"
    person.save()
    stored.admitted_on, stored.full_member_on = ADMITTED, FULL
    stored.save()
    return stored


@pytest.mark.parametrize("guess", ["Công giáo", "Phật giáo"])
def test_an_import_does_not_confirm_or_write_a_guessed_sensitive_value(tree, district_staff, guess):
    """Propaganda staff may not read a member's religion: a one-row file with a guess reads the
    same whether the guess is right or wrong, and confirming it writes nothing sensitive."""
    stored = _hoa_in_phuoc_thanh(tree)
    row = member_row("Lê Thị Hoa", "90000005", birth=dt.date(1980, 4, 30), gender="Nữ", religion=guess)
    row[7], row[8] = "", ""  # ID number and phone left blank: only the guess differs

    response = _upload(district_staff.client, "an-khanh", xlsx_bytes([row]))
    page = district_staff.client.get(response.url)
    job = ImportJob.objects.get()
    district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))

    assert (job.counts["unchanged"], job.counts["updated"], job.counts["sensitive_ignored"]) == (1, 0, 1)
    assert page.context["preview_updated"] == []
    assert tr(
        "Ethnicity, religion and ID number were left as stored for %(n)s row: your role does not read or "
        "change those members' sensitive data.",
        n=1,
    ) in _text(page)
    stored.person.refresh_from_db()
    assert (stored.person.ethnicity, stored.person.religion) == ("Kinh", "Công giáo")


def test_check_page_lists_the_first_fifty_of_many(tree, district_staff):
    rows = [member_row(f"Đảng Viên {name_for(n)}", f"9100{n:04d}", number=n) for n in range(1, 61)]

    response = _upload(district_staff.client, "an-khanh", xlsx_bytes(rows))
    page = district_staff.client.get(response.url)

    assert [p["row"] for p in page.context["preview_new"]] == list(range(2, 52))
    assert "To be added: the first 50 of 60" in _text(page)


def test_preview_is_emptied_with_the_file_once_imported(tree, district_staff):
    _upload(district_staff.client, "an-khanh")
    job = ImportJob.objects.get()
    assert job.preview["new"][0]["name"] == "Trần Văn Bình"

    district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))

    job.refresh_from_db()
    assert (job.status, job.preview, bool(job.file)) == (ImportStatus.DONE, {}, False)


def test_cancel_on_the_check_page_ends_the_job_and_deletes_the_file(tree, district_staff):
    """Found by trying the demo: "Hủy" left the job waiting and the file (personal data) on disk."""
    response = _upload(district_staff.client, "an-khanh")
    job = ImportJob.objects.get()
    stored_file, storage = job.file.name, job.file.storage
    assert storage.exists(stored_file)
    cancel_url = reverse("imports:cancel", args=[job.public_id])
    assert f'action="{cancel_url}"' in district_staff.client.get(response.url).content.decode()

    cancelled = district_staff.client.post(cancel_url, follow=True)
    confirmed = district_staff.client.post(reverse("imports:confirm", args=[job.public_id]))

    job.refresh_from_db()
    assert (job.status, bool(job.file), job.preview) == (ImportStatus.CANCELLED, False, {})
    assert job.finished_at is not None
    assert not storage.exists(stored_file)
    assert cancelled.redirect_chain == [(START, 302)]
    assert "Import cancelled. Nothing was written and the uploaded file was deleted." in _text(cancelled)
    # In "Your recent imports": file, unit, when, status.
    assert re.search(r"members\.xlsx Đảng ủy xã An Khánh [\d:]+ [\d/]+ Cancelled", _text(cancelled))
    assert confirmed.status_code == 302
    assert PartyMember.objects.count() == 0
    assert "Cancelled. Nothing was written." in _text(district_staff.client.get(response.url))


@pytest.mark.parametrize("status", [ImportStatus.DONE, ImportStatus.IMPORTING, ImportStatus.VALIDATING])
def test_a_job_that_is_working_or_finished_is_not_cancelled(tree, district_staff, status):
    job = _job(tree, district_staff.user, status=status)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())

    response = district_staff.client.post(reverse("imports:cancel", args=[job.public_id]), follow=True)

    job.refresh_from_db()
    assert (job.status, bool(job.file)) == (status, True)
    assert "This import can no longer be cancelled." in _text(response)


def test_a_check_whose_worker_died_can_be_cancelled(tree, district_staff):
    job = _stale(_job(tree, district_staff.user, status=ImportStatus.VALIDATING))

    page = district_staff.client.get(reverse("imports:job", args=[job.public_id]))
    district_staff.client.post(reverse("imports:cancel", args=[job.public_id]))

    assert reverse("imports:cancel", args=[job.public_id]) in page.content.decode()
    job.refresh_from_db()
    assert (job.status, bool(job.file)) == (ImportStatus.CANCELLED, False)


def test_cancel_permissions(tree, district_staff, outsider, council_member, anonymous):
    job = _job(tree, district_staff.user)
    url = reverse("imports:cancel", args=[job.public_id])

    assert outsider.client.post(url).status_code == 404
    assert council_member.client.post(url).status_code == 403
    assert anonymous.post(url).status_code == 302
    assert district_staff.client.get(url).status_code == 405
    job.refresh_from_db()
    assert (job.status, bool(job.file)) == (ImportStatus.VALIDATED, True)


# ---------------------------------------------------------------------------------------------
# The unit to import into
# ---------------------------------------------------------------------------------------------


def _options(page):
    select = re.search(r'<select name="unit".*?</select>', page.content.decode(), re.DOTALL)
    return re.findall(r'<option value="([^"]*)"( selected)?>', select.group(0))


@pytest.mark.today(AFTER_THE_REFORM)
def test_a_closed_districts_staff_import_nowhere_and_are_told_why(tree, district_staff):
    page = district_staff.client.get(START)

    assert page.status_code == 403
    assert (
        "Huyện ủy Châu Thành ended on 30/06/2025. Your role there covers its history (its pages and "
        "reports), not new imports: the units that were under it import through the committee they "
        "belong to today."
    ) in _text(page)
    assert _upload(district_staff.client, "an-khanh").status_code == 403
    assert ImportJob.objects.count() == 0
    # The menu does not offer it either.
    home = district_staff.client.get(reverse("web:home")).content.decode()
    assert reverse("imports:start") not in home


def test_start_page_without_a_chosen_unit_asks_for_one(tree, district_staff):
    response = _upload(district_staff.client, "")

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["unit"]
    assert ImportJob.objects.count() == 0


def test_start_page_sorts_units_by_folded_name(tree, commune_secretary):
    UnitFactory(key="ap-tien-thuy", name="Chi bộ ấp Tiên Thủy", parent=tree.an_khanh)
    UnitFactory(key="ap-tan-phu", name="Chi bộ ấp Tân Phú", parent=tree.an_khanh)

    page = commune_secretary.client.get(START)

    # By code points "Tiên" would come before "Tân" (â sorts after i).
    keys = [key for key, _selected in _options(page)]
    assert keys == ["an-khanh", "phuoc-thanh", "ap-tan-phu", "ap-tien-thuy"]
    assert "Đảng ủy xã An Khánh and the units under it today." in _text(page)


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

    for params in ({}, {"unit": "an-khanh"}):
        response = district_staff.client.get(url, params)
        assert response.status_code == 200
        assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == ["Đảng viên", "Hướng dẫn"]
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
