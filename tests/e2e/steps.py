"""Steps several journeys share: logging in and out, the main menu on a wide screen or a phone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from . import world


def log_in(page: Page, base_url: str, username: str, password: str = world.PASSWORD) -> None:
    """Through the login form, as a person does; lands on the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào đồng chí")


def log_out(page: Page) -> None:
    """The account menu in the navigation bar (opened from the menu button on a phone)."""
    # Until the stylesheet has loaded the folded-menu button shows on any screen: wait for it.
    page.wait_for_load_state("load")
    toggler = page.get_by_role("button", name="Trình đơn")
    if toggler.is_visible():
        toggler.click()
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()


def open_menu(page: Page, item: str) -> None:
    """A link of the main navigation, whether the bar is expanded or folded behind its button."""
    page.wait_for_load_state("load")
    toggler = page.get_by_role("button", name="Trình đơn")
    if toggler.is_visible():
        toggler.click()
        # The folded bar slides open: wait until it stands still, or a tap may land while the
        # items are still moving (a CI run on a busy machine tapped a menu item and went nowhere).
        expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
        expect(page.locator("#mainnav")).not_to_have_class(re.compile(r"\bcollapsing\b"))
    link = page.locator("#mainnav").get_by_role("link", name=item, exact=True)
    if not link.is_visible():  # inside one of the grouped menus: open its group first
        # Role selectors skip hidden elements, so the closed group is found by the link's text.
        group = page.locator("#mainnav .dropdown").filter(has=page.locator(f'a:text-is("{item}")'))
        group.locator(".dropdown-toggle").click()
        expect(link).to_be_visible()
    # Wait for the new page: a next step's locator must not resolve on the page being left
    # (a "Chi bộ ấp Phước Thạnh" link exists on both the meeting and the bulletin page).
    href = link.get_attribute("href") or ""
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(href).path)
    page.wait_for_load_state("load")


PHONE = {"width": 360, "height": 780}


def assert_fits_the_phone(page: Page) -> None:
    """Nothing on the page makes a 360 px phone scroll sideways.

    Measured once the page and its fonts have loaded: a page measured before its stylesheet
    applied (seen once in CI, under load) is as wide as its widest unstyled control."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.fonts.ready.then(() => document.documentElement.scrollWidth)")
    assert width <= PHONE["width"] + 1, f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def field(scope: Page | Locator, label: str) -> Locator:
    """The form control labelled exactly ``label`` (required fields add " *" to the label)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))
