"""Ban Tuyên giáo import a sheet of members: every problem at once, then the corrected file.

The checks and the writing run as background tasks. Here the task backend only records them
(DummyBackend) and the test runs each task itself, so the job page is seen the way people see
it: waiting, then changed in place by htmx's polling. Polling requests are routed through the
test thread, so none reaches the live server while a task is writing (SQLite in memory shares
one connection between the test and the server).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from lantoa.imports import services
from lantoa.imports.models import ImportJob
from lantoa.lib.vi import format_date
from lantoa.org.models import PartyMember, Person

from .steps import field, log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JOB_URL = re.compile(r"/imports/[0-9a-f-]{36}/(\?.*)?$")
HEADERS = [
    "STT",
    "Họ và tên",
    "Số thẻ đảng viên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Chi bộ",
]
D = dt.date
DAY = dt.timedelta(days=1)
PHUOC_THANH = "Chi bộ ấp Phước Thạnh"
TAN_THANH = "Chi bộ ấp Tân Thạnh"


def member_rows(today: dt.date, *, corrected: bool) -> list[list[object]]:
    """Six members as a commune office types them: real dates as Excel dates, one as text; the
    first file has four mistakes, the corrected one none."""
    rows: list[list[object]] = [
        [1, "Đặng Văn Bình", "84000101", D(1985, 3, 14), "Nam", "28/02/2020", "01/03/2021", PHUOC_THANH],
        [2, "Lâm Thị Thu", "84000102", D(1992, 7, 21), "Nữ", D(2018, 3, 15), D(2019, 3, 15), PHUOC_THANH],
        [3, "Tô Văn Chiến", "84000103", D(1979, 10, 5), "Nam", D(2012, 5, 19), D(2013, 5, 19), PHUOC_THANH],
        [4, "Mai Thị Ngọc", "84000105", D(1995, 12, 1), "Nữ", D(2020, 9, 2), D(2021, 9, 2), TAN_THANH],
        [5, "Cao Văn Lực", "84000106", D(1988, 4, 30), "Nam", D(2016, 2, 3), D(2017, 2, 3), TAN_THANH],
        # Admitted two months ago: probationary, no date of full membership yet.
        [6, "Dương Thị Kim Anh", "84000107", D(1997, 8, 19), "Nữ", today - 60 * DAY, None, PHUOC_THANH],
    ]
    if not corrected:
        rows[0][5] = "31/02/2020"  # Excel row 2: there is no 31 February
        rows[1][6] = D(2018, 1, 10)  # row 3: full membership before admission
        rows[2][7] = "Chi bộ ấp Phước Lộc"  # row 4: no such cell in the district
        rows[4][2] = "84000105"  # row 6: the card number of row 5 typed again
    return rows


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Đảng viên"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def run_task_between_polls(page: Page, task: Callable[[], object]) -> None:
    """Wait for a poll to come back, then run the task before the next one is let through."""
    with page.expect_response(JOB_URL):
        pass
    task()


def upload(page: Page, name: str, content: bytes) -> ImportJob:
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách đảng viên")
    unit = field(page, "Nhập vào đơn vị")
    expect(unit).to_have_value("chau-thanh")  # the user's own unit comes first
    unit.select_option(label="Huyện ủy Châu Thành")
    field(page, "Tệp bảng tính (.xlsx hoặc .csv)").set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ]
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("heading", name="Đang chờ kiểm tra…")).to_be_visible()
    return ImportJob.objects.get(original_name=name)


def test_member_import_shows_every_error_then_imports_the_corrected_file(
    page: Page, live_server, chau_thanh: ChauThanh, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.route(JOB_URL, lambda route: route.continue_())
    members_before = PartyMember.objects.count()
    today = chau_thanh.today

    log_in(page, live_server.url, "tuyengiao")
    open_menu(page, "Nhập danh sách đảng viên")
    job = upload(page, "dang-vien-chau-thanh.xlsx", workbook(member_rows(today, corrected=False)))
    run_task_between_polls(page, lambda: services.validate_job(job_id=job.pk))

    # Every problem of the file at once, row and column as Excel shows them.
    expect(page.get_by_role("alert").first).to_contain_text("Phát hiện 4 lỗi. Chưa nhập gì.")
    errors = page.locator("table.lt-errors tbody tr")
    expect(errors).to_have_count(4)
    expected = [
        ("2", "Ngày vào Đảng", "ngày không có thật: 31/02/2020"),
        ("3", "Ngày chính thức", "ngày chính thức 10/01/2018 trước ngày vào Đảng 15/03/2018"),
        ("4", "Chi bộ", "hiện không có chi bộ “Chi bộ ấp Phước Lộc” trong Huyện ủy Châu Thành"),
        ("6", "Số thẻ đảng viên", "số thẻ đảng viên 84000105 trùng với dòng 5"),
    ]
    for index, (row, column, problem) in enumerate(expected):
        expect(errors.nth(index).locator("td")).to_have_text([row, column, problem])
    # Nothing was written, not even the rows without problems.
    assert PartyMember.objects.count() == members_before
    assert not Person.objects.filter(full_name__in=["Mai Thị Ngọc", "Dương Thị Kim Anh"]).exists()

    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    job = upload(page, "dang-vien-chau-thanh-da-sua.xlsx", workbook(member_rows(today, corrected=True)))
    run_task_between_polls(page, lambda: services.validate_job(job_id=job.pk))

    expect(page.get_by_role("heading", name="Tệp hợp lệ.")).to_be_visible()
    expect(page.get_by_text("Việc nhập sẽ làm như sau. Chưa ghi gì.")).to_be_visible()
    counts = page.get_by_role("region", name="Số lượng")
    expect(counts).to_contain_text(re.compile(r"6\s*mới"))
    expect(counts).to_contain_text(re.compile(r"0\s*cập nhật"))
    expect(counts).to_contain_text("Tệp có 6 dòng")
    assert PartyMember.objects.count() == members_before

    page.get_by_role("button", name="Xác nhận và nhập").click()
    expect(page.get_by_role("heading", name="Đang nhập…")).to_be_visible()
    progress = page.get_by_role("progressbar", name="Tiến độ")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("aria-valuenow", "0")
    run_task_between_polls(page, lambda: services.apply_job(job_id=job.pk))

    expect(page.get_by_role("heading", name="Đã nhập xong.")).to_be_visible()
    expect(progress).to_be_hidden()
    expect(page.get_by_role("region", name="Số lượng")).to_contain_text(re.compile(r"6\s*mới"))
    assert PartyMember.objects.count() == members_before + 6

    # The imported members are in their cells.
    page.get_by_role("link", name="Mở Huyện ủy Châu Thành").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huyện ủy Châu Thành")
    page.get_by_role("link", name="Đảng bộ xã An Khánh").click()
    page.get_by_role("link", name="Chi bộ ấp Phước Thạnh").click()
    members = page.locator("section[aria-labelledby=members-h]")
    expect(members.get_by_role("heading", level=2)).to_have_text("Đảng viên 9")
    expect(members).to_contain_text(f"Ngày {format_date(today)}: 7 chính thức, 2 dự bị.")
    for name in ("Đặng Văn Bình", "Lâm Thị Thu", "Tô Văn Chiến", "Dương Thị Kim Anh"):
        expect(members.get_by_role("link", name=name)).to_be_visible()
    expect(members.locator("tbody tr").filter(has_text="Dương Thị Kim Anh")).to_contain_text("dự bị")
    expect(members.locator("tbody tr").filter(has_text="Đặng Văn Bình")).to_contain_text("28/02/2020")
