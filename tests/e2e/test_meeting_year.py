"""The Huyện ủy's officer looks back over a year of meetings on a phone: every cell's months on
one screen that scrolls sideways, and a month opened from it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from lantoa.cells.models import MeetingKind, MeetingStatus
from lantoa.cells.services import meetings

from .steps import PHONE, assert_fits_the_phone, log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_year_of_meetings_on_a_phone(
    browser: Browser, browser_context_args: dict, live_server, chau_thanh: ChauThanh
):
    meeting = meetings.schedule_meeting(
        actor=chau_thanh.secretary,
        unit=chau_thanh.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=chau_thanh.today,
        starts_at=dt.time(19, 30),
        ends_at=dt.time(21, 0),
    )
    meetings.set_meeting_status(actor=chau_thanh.secretary, meeting=meeting, status=MeetingStatus.HELD)
    year, month = chau_thanh.today.year, chau_thanh.today.month
    context = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    )
    page = context.new_page()
    try:
        log_in(page, live_server.url, "tuyengiao")
        open_menu(page, "Sinh hoạt chi bộ")
        page.get_by_role("combobox", name="Đơn vị").select_option(label="Huyện ủy Châu Thành")
        page.get_by_role("button", name="Xem").tap()
        page.get_by_role("link", name=f"Cả năm {year}").tap()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Sinh hoạt năm {year} · Huyện ủy Châu Thành"
        )
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Chi bộ ấp Phước Thạnh"))
        expect(row.get_by_role("cell").nth(month - 1)).to_have_text("✓đã họp")
        assert_fits_the_phone(page)

        page.get_by_role("link", name=f"T{month}", exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sinh hoạt chi bộ")
        expect(page.locator("main")).to_contain_text(f"Huyện ủy Châu Thành · {month:02}/{year}")
    finally:
        context.close()
