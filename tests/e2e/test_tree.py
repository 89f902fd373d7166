"""Ban Tuyên giáo staff find a cell in the tree and read who belongs to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lantoa.lib.vi import format_date

from .steps import log_in, open_menu
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_browses_tree_to_a_cell_and_its_members(page: Page, live_server, chau_thanh: ChauThanh):
    log_in(page, live_server.url, "tuyengiao")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào đồng chí Võ Thị Phương")

    open_menu(page, "Đơn vị")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đơn vị")
    tree = page.locator(".lt-tree").first
    expect(tree.get_by_role("link", name="Huyện ủy Châu Thành")).to_be_visible()
    # Communes start folded: their cells are not shown until the commune is opened.
    expect(tree.get_by_role("link", name="Đảng bộ xã An Khánh")).to_be_visible()
    cell_link = tree.get_by_role("link", name="Chi bộ ấp Phước Thạnh")
    expect(cell_link).to_be_hidden()

    # Open the commune by the summary beside its name (the name itself is a link to the
    # commune's page, kept out of the summary: a link inside a summary is a control in a control).
    an_khanh = tree.locator("li").filter(has=page.locator("> a", has_text="Đảng bộ xã An Khánh"))
    expect(an_khanh.locator("> details > summary a")).to_have_count(0)
    an_khanh.locator("> details > summary").click()
    expect(cell_link).to_be_visible()
    expect(tree.get_by_role("link", name="Chi bộ ấp Phước Hòa")).to_be_visible()
    expect(tree.get_by_role("link", name="Chi bộ ấp Tân Thạnh")).to_be_hidden()
    # The cell carries its number of members.
    expect(cell_link.locator("xpath=..").locator(".badge")).to_have_text("5")

    cell_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ ấp Phước Thạnh")
    breadcrumb = page.get_by_role("navigation", name="Đường dẫn")
    expect(breadcrumb).to_contain_text("Đảng bộ xã An Khánh")

    members = page.locator("section[aria-labelledby=members-h]")
    expect(members.get_by_role("heading", level=2)).to_have_text("Đảng viên 5")
    today = format_date(chau_thanh.today)
    expect(members).to_contain_text(f"Ngày {today}: 4 chính thức, 1 dự bị.")
    rows = members.locator("tbody tr")
    expect(rows).to_have_count(5)
    for name in ("Nguyễn Văn Tâm", "Trần Thị Hồng", "Lê Văn Hùng", "Phạm Thị Lan", "Huỳnh Minh Khoa"):
        expect(members.get_by_role("link", name=name)).to_be_visible()
    expect(rows.filter(has_text="Huỳnh Minh Khoa")).to_contain_text("dự bị")
    expect(rows.filter(has_text="Nguyễn Văn Tâm")).to_contain_text("83001001")
    # The posts of the cell are on the page too.
    expect(page.locator("section[aria-labelledby=posts-h]")).to_contain_text("Nguyễn Văn Tâm")
