"""Ban Tuyên giáo sets an obligation and finds its basis document by typing a few words of it:
the matches come as she types (htmx), each told apart by number, title, issuer and date; another
district's document is never offered."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from lantoa.documents import services as documents
from lantoa.documents.models import Obligation
from lantoa.documents.services import Issuer
from lantoa.lib.vi import format_date

from .steps import field, log_in
from .world import ChauThanh

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_basis_document_is_found_by_typing(page: Page, live_server, chau_thanh: ChauThanh):
    day = chau_thanh.today - dt.timedelta(days=3)
    guidance = documents.issue_document(
        actor=None,
        issuer=Issuer(unit=chau_thanh.province),
        type_code="HD",
        issued_on=day,
        summary="học tập chuyên đề năm nay",
    )
    commune = Issuer(unit=chau_thanh.an_khanh)  # its plans are no basis for the district
    documents.issue_document(actor=None, issuer=commune, type_code="KH", issued_on=day, summary="chuyên đề")
    title = "Kế hoạch học tập chuyên đề"

    log_in(page, live_server.url, "tuyengiao")
    page.goto(f"{live_server.url}/obligations/new/")
    field(page, "Đơn vị giao").select_option(label="Huyện ủy Châu Thành — Tỉnh ủy Bến Tre")
    page.get_by_role("searchbox", name="Tìm văn bản căn cứ").press_sequentially("chuyen de", delay=30)

    options = page.locator("#sources-options")
    # The matches of what was typed, fetched while typing (the page itself was not sent again).
    expect(options).to_contain_text("Văn bản Huyện ủy Châu Thành được căn cứ khớp với từ tìm:")
    label = f"Số 01-HD/TU · Hướng dẫn học tập chuyên đề năm nay · Tỉnh ủy Bến Tre · {format_date(day)}"
    expect(options.get_by_role("checkbox", name=label)).to_be_visible()
    expect(options).not_to_contain_text("Đảng bộ xã An Khánh")  # a commune's plan is not the district's basis
    options.get_by_role("checkbox", name=label).check()
    field(page, "Văn bản phải nộp").fill(title)
    field(page, "Hạn nộp").fill(format_date(chau_thanh.today + dt.timedelta(days=30)))
    page.get_by_role("checkbox", name="Chi bộ trực thuộc", exact=True).focus()
    page.get_by_role("checkbox", name="Chi bộ trực thuộc", exact=True).press("Space")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("main")).to_contain_text("Căn cứ: 01-HD/TU")
    assert list(Obligation.objects.get(title=title).sources.all()) == [guidance]
