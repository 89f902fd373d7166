"""The secretary of Chi bộ ấp Phước Thạnh runs this month's meeting from a phone: attendance,
the minutes, the meeting held, next month's bulletin article, approval and the Word minutes."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest
from playwright.sync_api import Browser, expect

from lantoa.cells.models import Article, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services import bulletin, meetings
from lantoa.lib.vi import format_date, format_month, format_month_in_text

from .steps import PHONE, assert_fits_the_phone, field, log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STUDY_TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
STUDY_CONTENT = (
    "Đồng chí Trần Thị Hồng kể chuyện “Bác Hồ với đức tính tiết kiệm” và liên hệ việc giữ gìn của công ở ấp."
)
STUDY_CONCLUSION = "Mỗi đảng viên đăng ký một việc làm cụ thể về thực hành tiết kiệm trong tháng tới."
RESOLUTION = "Chi bộ thống nhất vận động bà con làm sạch tuyến kênh Phước Thạnh trước ngày 15 tháng tới."
TOPIC = "Thanh niên ấp Phước Thạnh học tập và làm theo Bác"


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def monthly_meeting(chau_thanh: ChauThanh) -> Meeting:
    """This month's regular meeting, planned for today (times not yet recorded), and the
    district's bulletin issue for next month, open for articles."""
    meeting = meetings.schedule_meeting(
        actor=chau_thanh.secretary,
        unit=chau_thanh.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=chau_thanh.today,
        place="Nhà văn hóa ấp Phước Thạnh",
        chair=chau_thanh.person("Nguyễn Văn Tâm"),
        clerk=chau_thanh.person("Trần Thị Hồng"),
    )
    month = next_month(chau_thanh.today)
    bulletin.open_issue(
        actor=chau_thanh.tuyengiao, unit=chau_thanh.district, period=month, deadline=month.replace(day=10)
    )
    return meeting


def test_cell_secretary_runs_the_monthly_meeting_on_a_phone(
    browser: Browser, browser_context_args: dict, live_server, chau_thanh: ChauThanh, monthly_meeting: Meeting
):
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    today = chau_thanh.today
    month = format_month(today)
    try:
        log_in(page, live_server.url, "bithu.phuocthanh")

        # This month's meeting, from the cell's list.
        open_menu(page, "Sinh hoạt chi bộ")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
        this_month = page.locator("section[aria-labelledby=month-h]")
        this_month.get_by_role("link", name=format_date(today)).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Sinh hoạt thường kỳ hằng tháng · {month}")
        expect(page.locator("main")).to_contain_text("Đã lên lịch")
        assert_fits_the_phone(page)

        # When it started and ended.
        page.get_by_role("link", name="Sửa thông tin").tap()
        field(page, "Giờ bắt đầu").fill("19:00")
        field(page, "Giờ kết thúc").fill("21:00")
        page.get_by_role("button", name="Lưu").tap()
        expect(page.get_by_role("alert").first).to_have_text("Đã lưu.")
        expect(page.locator("section[aria-labelledby=details-h]")).to_contain_text(
            f"{format_date(today)}, 19:00–21:00 (120 phút)"
        )

        # Attendance: everyone is listed present; Phạm Thị Lan is marked absent, with her reason,
        # by choosing the mark from the list beside her name (not by stepping through the marks).
        page.get_by_role("link", name="Điểm danh").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh")
        rows = page.locator(".lt-att-row")
        expect(rows).to_have_count(5)
        expect(rows.locator("select option:checked")).to_have_text(["Có mặt"] * 5)
        lan = rows.filter(has_text="Phạm Thị Lan")
        lan.get_by_role("combobox", name=re.compile("^Phạm Thị Lan")).select_option(label="Vắng có lý do")
        expect(lan.locator("select option:checked")).to_have_text("Vắng có lý do")
        lan.get_by_label("Lý do của đồng chí Phạm Thị Lan").fill("Đi tập huấn ở huyện")
        lan.get_by_role("button", name="Lưu").tap()
        expect(lan.get_by_label("Lý do của đồng chí Phạm Thị Lan")).to_have_value("Đi tập huấn ở huyện")
        totals = page.locator("#att-totals")
        expect(totals.locator("tr").filter(has_text="Có mặt").locator("td")).to_have_text(["3", "1", "4"])
        expect(totals.locator("tr").filter(has_text="Vắng có lý do").locator("td")).to_have_text(
            ["1", "0", "1"]
        )
        assert_fits_the_phone(page)
        page.get_by_role("link", name=f"← Sinh hoạt thường kỳ hằng tháng {month}").tap()

        # The study item: who presented what, and the chair's conclusion (edited in place).
        study = page.locator("article.lt-agenda-item").filter(has_text=STUDY_TITLE)
        study.get_by_role("link", name="Ghi biên bản").tap()
        study_form = page.locator("article.lt-agenda-item form").first
        expect(field(study_form, "Người trình bày")).to_be_visible()
        assert_fits_the_phone(page)
        field(study_form, "Người trình bày").select_option(label="Trần Thị Hồng")
        field(study_form, "Nội dung trình bày").fill(STUDY_CONTENT)
        field(study_form, "Kết luận của chủ trì").fill(STUDY_CONCLUSION)
        study_form.get_by_role("button", name="Lưu").tap()
        study = page.locator("article.lt-agenda-item").filter(has_text=STUDY_TITLE)
        expect(study).to_contain_text("Người trình bày: Trần Thị Hồng")
        expect(study).to_contain_text(STUDY_CONTENT)
        expect(study).to_contain_text(STUDY_CONCLUSION)

        # The resolution of the meeting.
        resolution = page.locator("#resolution")
        resolution.get_by_role("link", name="Ghi nghị quyết").tap()
        field(resolution, "Nghị quyết buổi sinh hoạt").fill(RESOLUTION)
        resolution.get_by_role("button", name="Lưu").tap()
        expect(page.locator("#resolution")).to_contain_text(RESOLUTION)

        page.get_by_role("button", name="Xác nhận đã họp").tap()
        expect(page.get_by_role("alert").first).to_have_text(
            "Đã ghi nhận buổi sinh hoạt đã họp. Hãy ghi biên bản, sau đó đồng chí chủ trì thông qua."
        )
        expect(page.locator("main")).to_contain_text("Đã họp, biên bản đang dự thảo")
        assert_fits_the_phone(page)

        # Next month's bulletin article, to the member the rotation suggests.
        open_menu(page, "Bản tin")
        page.get_by_role("link", name="Chi bộ ấp Phước Thạnh").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Bài viết cho bản tin · Chi bộ ấp Phước Thạnh"
        )
        turn = page.locator("section[aria-labelledby=turn-h]")
        first = turn.locator("li").first
        expect(first).to_contain_text("Huỳnh Minh Khoa")
        first.get_by_role("link", name="Phân công (đề xuất)").tap()
        assign = page.locator("form#assign")
        expect(field(assign, "Đảng viên").locator("option:checked")).to_have_text("Huỳnh Minh Khoa")
        expect(field(assign, "Số bản tin").locator("option:checked")).to_have_text(
            f"Huyện ủy Châu Thành – Số 1 – tháng {format_month_in_text(next_month(today))}"
        )
        field(assign, "Chủ đề").fill(TOPIC)
        field(assign, "Phân công tại buổi sinh hoạt").select_option(
            label=f"Sinh hoạt thường kỳ hằng tháng {month} – Chi bộ ấp Phước Thạnh"
        )
        assign.get_by_role("button", name="Phân công").tap()
        expect(page.get_by_role("alert").first).to_have_text(
            f"Đã phân công Huỳnh Minh Khoa viết bài “{TOPIC}”."
        )
        article_row = page.locator("tbody tr").filter(has_text=TOPIC)
        expect(article_row).to_contain_text("theo lượt luân phiên")
        expect(article_row).to_contain_text(format_month(next_month(today)))
        assert_fits_the_phone(page)
        article = Article.objects.get(topic=TOPIC)
        assert article.by_rotation
        assert article.assigned_at_meeting == monthly_meeting

        # Back to the meeting: the chair approves the minutes, and they are frozen.
        open_menu(page, "Sinh hoạt chi bộ")
        page.locator("section[aria-labelledby=month-h]").get_by_role("link", name=format_date(today)).tap()
        page.get_by_role("link", name="Thông qua biên bản").tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thông qua biên bản")
        page.get_by_role("button", name="Thông qua biên bản").tap()
        expect(page.get_by_role("alert").first).to_have_text(
            "Đã thông qua biên bản. Điểm danh và biên bản đã được khóa lại."
        )
        expect(page.locator("main")).to_contain_text("Biên bản đã được thông qua")
        expect(page.get_by_role("link", name="Ghi biên bản")).to_have_count(0)
        assert_fits_the_phone(page)
        monthly_meeting.refresh_from_db()
        assert monthly_meeting.status == MeetingStatus.APPROVED

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Tải tệp Word (.docx)").tap()
        download = download_info.value
        assert download.suggested_filename.endswith(".docx")
        minutes = docx.Document(download.path())
        text = "\n".join(
            [p.text for p in minutes.paragraphs]
            + [cell.text for table in minutes.tables for row in table.rows for cell in row.cells]
        )
        assert "BIÊN BẢN SINH HOẠT CHI BỘ" in text
        assert "Trần Thị Hồng" in text
        assert STUDY_CONTENT in text
        assert "Phạm Thị Lan" in text
        assert "Đi tập huấn ở huyện" in text
    finally:
        context.close()
