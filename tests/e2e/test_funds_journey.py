"""The savings fund of Chi bộ ấp Phước Thạnh on 20/12/2024, while Huyện ủy Châu Thành stood: the
treasurer, on a 360 px phone at the month's meeting, taps the members who save and books them;
back at a desk, hands the fourth quarter's 1.200.000 đ to the sponsored child's mother with a
scanned receipt and prints the statement in Word and Excel, where the child (no consent recorded)
is only initials and year of birth; a plain member, on her phone, reads her own savings and the
fund's totals, never the child's name, hamlet or guardian, and has no form to book anything."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lantoa.funds import services
from lantoa.funds.models import Beneficiary, Disbursement, EntryKind, Fund, LedgerEntry
from lantoa.lib.vi import format_int, format_money
from lantoa.org import services as org
from lantoa.org.models import Role
from tests.conftest import D, tr

from .steps import PHONE, assert_fits_the_phone, field, log_in, open_menu
from .world import ChauThanh, _user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.today(D(2024, 12, 20))]

TODAY = "20/12/2024"
MONTH = D(2024, 12, 1)
FUND = "Quỹ tiết kiệm đỡ đầu trẻ mồ côi"
MONTHLY = 50_000
QUARTERLY = 1_200_000
TREASURER = "thuquy.phuocthanh"  # Lê Văn Hùng
MEMBER = "dangvien.lan"  # Phạm Thị Lan, a plain member
# Saved for November already; at December's meeting three of them save again (Hùng, the
# treasurer, pays later; Khoa, on probation since August, saves from next month).
NOVEMBER = ("Nguyễn Văn Tâm", "Trần Thị Hồng", "Lê Văn Hùng", "Phạm Thị Lan")
TAPPED = ("Nguyễn Văn Tâm", "Trần Thị Hồng", "Phạm Thị Lan")
CHILD = {
    "full_name": "Trần Ngọc Bảo Hân",
    "birth_year": 2014,
    "commune": "xã Phú Túc",
    "hamlet": "ấp Giồng Dứa",
    "situation": "Mồ côi cha, mẹ làm thuê ở lò gạch.",
    "guardian_name": "Lê Thị Mến",
    "guardian_relation": "mẹ",
    "guardian_contact": "0912 345 678",
    "sponsored_from": D(2024, 1, 1),
    "scheduled_amount": QUARTERLY,
    "every_months": 3,
}
# What only the fund's keepers read about the child, and no file prints without a consent.
SECRETS = ("Trần Ngọc Bảo Hân", "Phú Túc", "Giồng Dứa", "Lê Thị Mến", "0912 345 678", "lò gạch")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE_SCREEN = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def fund(chau_thanh: ChauThanh, settings, tmp_path) -> Fund:
    """Opened 01/01/2024 at 50.000 đ a month: 2.000.000 đ carried over from the old notebook, a
    600.000 đ donation, the first quarter paid to the child, November's savings of four members
    (1.600.000 đ on hand). Hùng keeps it as the cell's treasurer; Lan only reads it."""
    settings.MEDIA_ROOT = tmp_path  # the receipt is stored here, not in the project's var/
    cell = chau_thanh.phuoc_thanh
    fund = services.open_fund(
        actor=None,
        unit=cell,
        name=FUND,
        purpose="Đảng viên tiết kiệm mỗi tháng để đỡ đầu trẻ mồ côi có hoàn cảnh khó khăn.",
        opened_on=D(2024, 1, 1),
        monthly_amount=MONTHLY,
    )
    services.record_opening(
        actor=None, fund=fund, day=D(2024, 1, 1), amount=2_000_000, reason="Số dư chuyển từ sổ tay"
    )
    services.record_donation(
        actor=None, fund=fund, day=D(2024, 3, 10), amount=600_000, source="Cơ sở kẹo dừa Thanh Long"
    )
    child = services.add_beneficiary(actor=None, fund=fund, **CHILD)
    hung = chau_thanh.person("Lê Văn Hùng")
    services.record_disbursement(
        actor=None,
        child=child,
        day=D(2024, 3, 25),
        amount=QUARTERLY,
        handed_by=hung,
        received_by="Lê Thị Mến",
    )
    services.record_contributions(
        actor=None,
        fund=fund,
        month=D(2024, 11, 1),
        member_ids=[chau_thanh.members[name].pk for name in NOVEMBER],
        day=D(2024, 11, 15),
    )
    for username, name, role in (
        (TREASURER, "Lê Văn Hùng", Role.TREASURER),
        (MEMBER, "Phạm Thị Lan", Role.MEMBER),
    ):
        user = _user(username, chau_thanh.person(name))
        org.grant_role(actor=None, user=user, unit=cell, role=role, valid_from=D(2024, 1, 1))
    assert services.balance(fund) == 1_600_000
    return fund


def _context(browser: Browser, browser_context_args: dict, screen: dict) -> BrowserContext:
    context = browser.new_context(**{**browser_context_args, **screen})
    context.set_default_timeout(15_000)
    return context


def _open_fund(page: Page) -> None:
    """From the menu: the savings funds, then the cell's fund."""
    open_menu(page, tr("Savings funds"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Savings funds"))
    page.get_by_role("link", name=FUND, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FUND)


def _figure(page: Page, label: str) -> str:
    """A figure of the fund page's "The fund in 2024" list, by its label."""
    term = page.locator("section[aria-labelledby=money-h] dt").filter(
        has_text=re.compile(rf"^{re.escape(label)}$")
    )
    # As read: the no-break space that keeps "đ" on the number's line reads as a space.
    return " ".join(term.locator("xpath=following-sibling::dd[1]").inner_text().split())


def _no_secret(page: Page) -> None:
    """Not in what the page shows, nor anywhere in its HTML (title, attributes, hidden parts):
    nothing about the child, nor whose savings besides her own are booked."""
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, f"{page.url} shows {secret!r} to a plain member"
    for mate in ("Nguyễn Văn Tâm", "Trần Thị Hồng", "Lê Văn Hùng"):
        assert mate not in html, f"{page.url} shows {mate}'s savings to a plain member"


def _docx_text(document: Any) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.timeout(300)  # two people on three screens: over a minute on a loaded CI machine
def test_the_treasurer_collects_pays_and_prints_and_a_member_reads_without_the_childs_name(
    browser: Browser, browser_context_args: dict, live_server, chau_thanh: ChauThanh, fund: Fund
):
    child = Beneficiary.objects.get(fund=fund)
    members = {name: chau_thanh.members[name] for name in TAPPED}
    before = services.balance(fund)

    # 1. At December's meeting, on the treasurer's phone: one tap per member who saves.
    phone = _context(browser, browser_context_args, PHONE_SCREEN)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, TREASURER)
        _open_fund(page)
        assert_fits_the_phone(page)
        page.get_by_role("link", name=tr("Collect this month's savings")).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr("Savings for %(month)s", month="12/2024")
        )
        sheet = page.locator("form[aria-labelledby=tap-h]")
        assert_fits_the_phone(page)
        for name, member in members.items():
            sheet.locator("label", has_text=name).tap()
            expect(sheet.locator(f"#m{member.pk}")).to_be_checked()
        expect(sheet.locator("#m{}".format(chau_thanh.members["Lê Văn Hùng"].pk))).not_to_be_checked()
        sheet.get_by_role("button", name=tr("Record the savings")).tap()

        expect(page.locator(".alert-success")).to_contain_text(
            tr("Savings of %(count)s members for %(month)s recorded.", count=3, month="12/2024")
        )
        sheet = page.locator("form[aria-labelledby=tap-h]")
        for name, member in members.items():
            expect(sheet.locator(".btn-success", has_text=name)).to_contain_text(f"✓ {name} · {tr('saved')}")
            expect(sheet.locator(f"#m{member.pk}")).to_have_count(0)  # nothing left to tap
        # Those who have not saved yet can still be tapped.
        expect(sheet.locator("label", has_text="Lê Văn Hùng")).to_be_visible()
        assert_fits_the_phone(page)
    finally:
        phone.close()
    booked = LedgerEntry.objects.filter(fund=fund, kind=EntryKind.CONTRIBUTION, month=MONTH).select_related(
        "member__person", "recorded_by"
    )
    assert sorted(entry.member.person.full_name for entry in booked) == sorted(TAPPED)
    assert {entry.amount for entry in booked} == {MONTHLY}
    assert {entry.occurred_on for entry in booked} == {D(2024, 12, 20)}
    assert {entry.recorded_by.username for entry in booked} == {TREASURER}
    collected = services.balance(fund)
    assert collected == before + 3 * MONTHLY

    # 2. and 3. At a desk: the fourth quarter handed over with its receipt, then the statement.
    desk = _context(browser, browser_context_args, DESKTOP)
    try:
        page = desk.new_page()
        log_in(page, live_server.url, TREASURER)
        _open_fund(page)
        page.get_by_role("link", name=f"{CHILD['full_name']} (2014)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{CHILD['full_name']} (2014)")
        expect(page.locator("section[aria-labelledby=who-h]")).to_contain_text("Lê Thị Mến (mẹ)")
        page.get_by_role("link", name=tr("Hand over money"), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr("Hand over money to %(child)s", child=CHILD["full_name"])
        )
        expect(page.locator("main")).to_contain_text(
            tr("The fund holds %(amount)s today.", amount=format_money(collected))
        )
        expect(field(page, tr("Date handed over"))).to_have_value(TODAY)
        expect(field(page, tr("Amount (đồng)"))).to_have_value("1.200.000")
        expect(field(page, tr("Received by"))).to_have_value("Lê Thị Mến")
        hander = field(page, tr("Handed over by"))
        expect(hander).to_have_value(str(chau_thanh.person("Lê Văn Hùng").pk))  # the treasurer
        hander.select_option(label="Trần Thị Hồng")  # the deputy secretary went with her
        field(page, tr("Receipt")).set_input_files(
            files=[{"name": "bien-nhan-quy-4-2024.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name=tr("Save")).click()

        expect(page.locator(".alert-success")).to_contain_text(tr("Disbursement recorded."))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{CHILD['full_name']} (2014)")
        paid = page.locator("section[aria-labelledby=paid-h]")
        expect(paid).to_contain_text(tr("In all: %(total)s.", total=format_money(2 * QUARTERLY)))
        latest = paid.locator("li").filter(has_text=TODAY)
        expect(latest).to_contain_text(tr("period from %(slot)s", slot="10/2024"))
        expect(latest).to_contain_text(f"{tr('handed over by')} Trần Thị Hồng")
        expect(latest.get_by_role("link", name=tr("receipt"), exact=True)).to_be_visible()
        disbursement = Disbursement.objects.select_related("entry", "handed_by").get(slot=D(2024, 10, 1))
        assert disbursement.entry.amount == -QUARTERLY
        assert disbursement.entry.occurred_on == D(2024, 12, 20)
        assert disbursement.handed_by.full_name == "Trần Thị Hồng"
        assert disbursement.received_by == "Lê Thị Mến"
        assert disbursement.receipt_name == "bien-nhan-quy-4-2024.pdf"
        assert services.balance(fund) == collected - QUARTERLY
        with page.expect_download() as receipt:
            latest.get_by_role("link", name=tr("receipt"), exact=True).click()
        assert receipt.value.suggested_filename == "bien-nhan-quy-4-2024.pdf"
        assert receipt.value.path().read_bytes() == PDF

        # The statement of the year so far, to read out at the meeting.
        closing = services.balance(fund)
        page.get_by_role("link", name=f"← {FUND}").click()
        expect(page.locator("#balance")).to_have_text(format_money(closing))
        page.get_by_role("link", name=tr("Statement"), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Statement"))
        expect(page.locator("#closing")).to_have_text(format_money(closing))
        with page.expect_download() as word:
            page.get_by_role("link", name=tr("Word (to read out)")).click()
        assert word.value.suggested_filename.endswith(".docx")
        with page.expect_download() as excel:
            page.get_by_role("link", name=tr("Excel"), exact=True).click()
        assert excel.value.suggested_filename.endswith(".xlsx")
        word_file = word.value.path().read_bytes()
        # The download is saved without its extension, which openpyxl insists on: read the bytes.
        book = openpyxl.load_workbook(io.BytesIO(excel.value.path().read_bytes()))
    finally:
        desk.close()  # the downloaded files go with the context: they were read above

    assert closing == 1_600_000 + 3 * MONTHLY - QUARTERLY
    statement = docx.Document(io.BytesIO(word_file))
    word_text = _docx_text(statement)
    # The closing balance, in the summary table (I.) and in the sentence that ends the statement.
    summary_rows = [[cell.text for cell in row.cells] for table in statement.tables for row in table.rows]
    assert [row[-1] for row in summary_rows if "Số dư cuối kỳ" in row] == [format_int(closing)]
    assert f"Số dư quỹ đến hết ngày {TODAY}: {format_int(closing)} đồng" in word_text
    summary = book["Tổng hợp"]
    figures = {
        row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and isinstance(row[0], str)
    }
    assert figures["Số dư cuối kỳ"] == closing
    cells = "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )
    # No consent recorded: the child is "T. N. B. H. (2014)" in both files, and nothing else of her.
    for text in (word_text, cells):
        assert child.masked_label in text
        for secret in SECRETS:
            assert secret not in text
    assert "Đỡ đầu T. N. B. H. (2014), kỳ từ tháng 10/2024" in cells

    # 4. Lan, a plain member, on her phone: her savings and the fund's totals, not the child.
    phone = _context(browser, browser_context_args, PHONE_SCREEN)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, MEMBER)
        _open_fund(page)
        assert_fits_the_phone(page)
        mine = page.locator("section[aria-labelledby=mine-h]")
        expect(mine.get_by_role("heading")).to_have_text(tr("My savings in %(year)s", year=2024))
        expect(mine).to_contain_text(tr("Saved: %(paid)s.", paid=format_money(2 * MONTHLY)))
        # Nothing booked for her from January to October (the old notebook kept those months).
        expect(mine).to_contain_text(tr("Still to save: %(owed)s.", owed=format_money(10 * MONTHLY)))
        expect(mine.locator(".badge.text-bg-success")).to_have_text(["11/2024 ✓", "12/2024 ✓"])
        expect(page.locator("#balance")).to_have_text(format_money(closing))
        assert _figure(page, tr("Members' savings")) == format_money((len(NOVEMBER) + len(TAPPED)) * MONTHLY)
        assert _figure(page, tr("Donations")) == format_money(600_000)
        assert _figure(page, tr("Handed to the children")) == format_money(2 * QUARTERLY)
        children = page.locator("section[aria-labelledby=children-h]")
        expect(children.get_by_role("link", name=child.masked_label, exact=True)).to_be_visible()
        expect(page.get_by_role("link", name=tr("Money received"))).to_have_count(0)
        _no_secret(page)

        children.get_by_role("link", name=child.masked_label, exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(child.masked_label)
        expect(page.locator("section[aria-labelledby=paid-h]")).to_contain_text(
            tr("In all: %(total)s.", total=format_money(2 * QUARTERLY))
        )
        expect(page.get_by_role("link", name=tr("Hand over money"))).to_have_count(0)
        expect(page.get_by_role("link", name=tr("receipt"), exact=True)).to_have_count(0)
        _no_secret(page)
        assert_fits_the_phone(page)

        page.get_by_role("link", name=f"← {FUND}").tap()
        page.get_by_role("link", name=tr("Monthly savings"), exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr("Savings for %(month)s", month="12/2024")
        )
        expect(page.locator("main")).to_contain_text(f"Phạm Thị Lan: {tr('saved')}")
        expect(page.locator("form[aria-labelledby=tap-h]")).to_have_count(0)
        expect(page.get_by_role("button", name=tr("Record the savings"))).to_have_count(0)
        expect(page.locator("input[name=members]")).to_have_count(0)
        _no_secret(page)
        assert_fits_the_phone(page)
        # Nor does a hand-made form book anything: the server refuses her.
        token = next(c["value"] for c in phone.cookies() if c["name"] == "csrftoken")
        refused = page.request.post(
            page.url,
            form={"month": "12/2024", "members": str(chau_thanh.members["Lê Văn Hùng"].pk)},
            headers={"X-CSRFToken": token, "Referer": page.url},
        )
        assert refused.status == 403

        page.get_by_role("link", name=f"← {FUND}").tap()
        page.get_by_role("link", name=tr("Ledger"), exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Ledger"))
        expect(page.locator("main")).to_contain_text(child.masked_label)
        expect(page.get_by_role("button", name=tr("Record the reversal"))).to_have_count(0)
        _no_secret(page)

        page.get_by_role("link", name=f"← {FUND}").tap()
        page.get_by_role("link", name=tr("Statement"), exact=True).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Statement"))
        expect(page.locator("#closing")).to_have_text(format_money(closing))
        expect(page.locator("main")).to_contain_text(child.masked_label)
        expect(page.get_by_role("link", name=tr("Word (to read out)"))).to_have_count(0)
        expect(page.get_by_role("link", name=tr("Excel"), exact=True)).to_have_count(0)
        _no_secret(page)
        assert_fits_the_phone(page)
    finally:
        phone.close()
    assert (
        not LedgerEntry.objects.filter(fund=fund, kind=EntryKind.CONTRIBUTION, month=MONTH)
        .filter(member=chau_thanh.members["Lê Văn Hùng"])
        .exists()
    )
