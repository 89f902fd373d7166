"""The footer's language form: English for a visitor who reads it better, then back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .steps import log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_language_switch(page: Page, live_server, chau_thanh: ChauThanh):
    log_in(page, live_server.url, "tuyengiao")
    open_menu(page, "Đơn vị")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    footer = page.locator("footer")
    language = footer.get_by_label("Ngôn ngữ")
    # Each language is offered in its own name, so a reader of English finds "English".
    language.select_option(label="English")
    footer.get_by_role("button", name="Đổi").click()

    # The same page, now in English: headings, the menu and the footer itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Units")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.locator("#mainnav")
        .get_by_role("button", name="Cell life")
        .or_(page.locator("#mainnav").get_by_role("link", name="Cell life"))
    ).to_be_visible()
    expect(page.get_by_label("Find a unit")).to_be_visible()
    # Names in the data stay as they are.
    expect(page.get_by_role("link", name="Huyện ủy Châu Thành")).to_be_visible()

    # The choice sticks while moving around.
    open_menu(page, "People")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_menu(page, "Units")
    expect(page.get_by_role("heading", level=1)).to_have_text("Units")

    language = footer.get_by_label("Language")
    language.select_option(value="vi")
    footer.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(
        page.locator("#mainnav")
        .get_by_role("button", name="Chi bộ", exact=True)
        .or_(page.locator("#mainnav").get_by_role("link", name="Chi bộ", exact=True))
    ).to_be_visible()
