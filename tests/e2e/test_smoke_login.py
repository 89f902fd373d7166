from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lantoa.org.models import Role
from tests.factories import RoleGrantFactory, UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_shows_home_with_roles(page: Page, live_server):
    unit = UnitFactory(key="chau-thanh", name="Huyện ủy Châu Thành", kind="district")
    RoleGrantFactory(
        user__username="tuyengiao",
        # Family and middle names first, the given name last (as accounts.views stores them).
        user__first_name="Võ Thị",
        user__last_name="Phương",
        unit=unit,
        role=Role.PROPAGANDA,
    )

    page.goto(f"{live_server.url}/")
    page.get_by_label("Tên đăng nhập").fill("tuyengiao")
    page.get_by_label("Mật khẩu").fill("test-password-123")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Võ Thị Phương")
    expect(page.get_by_text("Huyện ủy Châu Thành").first).to_be_visible()
