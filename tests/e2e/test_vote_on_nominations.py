"""The secretary of Chi bộ ấp Phước Thạnh nominates a member, puts her to the vote at today's
meeting (held, attendance taken), counts the show of hands, closes the vote and prints its
minutes. Only the full members present vote: the probationary member is not counted, and the
nominee stands aside for her own name."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from playwright.sync_api import Browser, expect

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services import meetings
from lantoa.honours.models import Nomination, NominationStatus
from lantoa.lib.vi import format_date, format_dateline_month

from .steps import field, log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACHIEVEMENTS = "Vận động 5 hộ hiến đất mở rộng đường nông thôn, tổng cộng 320 m²."


@pytest.fixture
def held_meeting(chau_thanh: ChauThanh) -> Meeting:
    """Today's regular meeting, held: everyone on the roll present (four full members and the
    probationary Huỳnh Minh Khoa)."""
    meeting = meetings.schedule_meeting(
        actor=chau_thanh.secretary,
        unit=chau_thanh.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=chau_thanh.today,
        starts_at=dt.time(19, 0),
        ends_at=dt.time(21, 0),
        place="Nhà văn hóa ấp Phước Thạnh",
        chair=chau_thanh.person("Nguyễn Văn Tâm"),
        clerk=chau_thanh.person("Trần Thị Hồng"),
    )
    return meetings.set_meeting_status(
        actor=chau_thanh.secretary, meeting=meeting, status=MeetingStatus.HELD, today=chau_thanh.today
    )


def test_cell_secretary_nominates_and_the_cell_votes(
    browser: Browser, browser_context_args: dict, live_server, chau_thanh: ChauThanh, held_meeting: Meeting
):
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "bithu.phuocthanh")

        # The nomination: Trần Thị Hồng, for this month so far.
        open_menu(page, "Gương điển hình")
        page.get_by_role("link", name="Giới thiệu mới").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Giới thiệu mới")
        page.get_by_label("Một cá nhân (đảng viên hoặc quần chúng)").check()
        field(page, "Cá nhân").select_option(label="Trần Thị Hồng")
        field(page, "Thành tích").fill(ACHIEVEMENTS)
        page.get_by_role("button", name="Lưu").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Trần Thị Hồng")
        expect(page.locator("main")).to_contain_text("Được giới thiệu")

        # Today's meeting: put the nomination to the vote.
        open_menu(page, "Sinh hoạt chi bộ")
        page.locator("section[aria-labelledby=month-h]").get_by_role(
            "link", name=format_date(chau_thanh.today)
        ).click()
        page.get_by_role("link", name="Đưa ra bình xét").click()
        expect(page.get_by_label("Trần Thị Hồng")).to_be_checked()
        page.get_by_role("button", name="Đưa bình xét vào chương trình họp").click()

        # Open it: the voters are fixed from the attendance.
        page.get_by_role("button", name="Mở biểu quyết").click()
        voters = page.locator("section[aria-labelledby=voters-h]")
        expect(voters).to_contain_text("4 người biểu quyết trên 4 đảng viên chính thức được tính.")
        expect(voters).not_to_contain_text("Huỳnh Minh Khoa")

        # The show of hands: three in favour (Hồng stands aside for her own name).
        results = page.locator("section[aria-labelledby=count-h]")
        expect(results.get_by_label("không tự biểu quyết cho mình")).to_be_checked()
        results.get_by_label("Tán thành: Trần Thị Hồng", exact=True).fill("3")
        results.get_by_label("Không tán thành: Trần Thị Hồng", exact=True).fill("0")
        results.get_by_label("Không biểu quyết / để trống: Trần Thị Hồng").fill("0")
        page.get_by_role("button", name="Lưu kết quả biểu quyết").click()
        expect(page.locator("section[aria-labelledby=count-h]")).to_contain_text("100,00% · sẽ đạt")
        page.get_by_role("button", name="Kết thúc bình xét").click()
        expect(page.locator("section[aria-labelledby=count-h]")).to_contain_text("100,00% · đạt")
        page.get_by_role("button", name="Công bố kết quả cho chi bộ").click()
        expect(page.locator("main")).to_contain_text("Đã công bố")
        assert Nomination.objects.get().status == NominationStatus.PASSED

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Biên bản bình xét (Word)").click()
        download = download_info.value
        assert download.suggested_filename.startswith("bien-ban-binh-xet-")
        minutes = docx.Document(download.path())
        text = "\n".join(
            [p.text for p in minutes.paragraphs]
            + [cell.text for table in minutes.tables for row in table.rows for cell in row.cells]
        )
        assert f"bình xét gương điển hình {format_dateline_month(chau_thanh.today.replace(day=1))}" in text
        assert "Trần Thị Hồng (không tự biểu quyết)" in text
        assert "Chi bộ thống nhất giới thiệu, biểu dương: Trần Thị Hồng." in text
    finally:
        context.close()
