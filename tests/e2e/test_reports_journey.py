"""The Huyện ủy Châu Thành's review report on 20/12/2024, while the district stood: its propaganda
officer (``tuyengiao``) opens the dashboard from the menu, taps this year's figure of people praised
by the cells and reads as many records as it said; then counts the 3 years of Kết luận 01
(18/05/2021–30/04/2024) from the preset, checks the honours there, makes the report and downloads
the Word file once it is written, which carries the figures the page showed. On a 360 px phone the
dashboard fits the screen; a cell's plain member has no dashboard in the menu and is refused it.

The records: Chi bộ ấp Phước Thạnh praised Hồng and Hùng in 2023, Đảng ủy xã An Khánh rewarded
Hồng with a giấy khen in March 2024 (both within the 3 years), Chi bộ ấp Tân Thạnh praised Út in
September 2024 (this year's figure, after the 3 years)."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from lantoa.honours import decisions
from lantoa.honours import services as honours
from lantoa.honours.models import AwardForm, Decision, Nomination, NominationStatus, RecognitionKind
from lantoa.org import services as org
from lantoa.org.models import Person, Role, Unit
from lantoa.reports import services as reports
from lantoa.reports.models import ReportRun, RunStatus
from tests.conftest import D, tr

from .steps import PHONE, assert_fits_the_phone, log_in, open_menu
from .world import ChauThanh, _user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.today(D(2024, 12, 20))]

OFFICER = "tuyengiao"  # Võ Thị Phương, Ban Tuyên giáo of the Huyện ủy
MEMBER = "dangvien.lan"  # Phạm Thị Lan, a plain member of Phước Thạnh
THIS_YEAR = ("01/01/2024", "20/12/2024")
KL01 = ("18/05/2021", "30/04/2024")
PRAISED_BY_CELLS = "honours.cells.individuals"
REWARDED = "honours.reward.individuals"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE_SCREEN = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def _decide(unit: Unit, kind: str, people: list[Person], day: Any, **award: Any) -> Decision:
    """``unit`` recognises ``people`` on ``day``: nominated by it, passed (how a nomination passes
    its vote is another journey), decided in a numbered QĐ of its register."""
    nominations = [
        honours.nominate(
            actor=None,
            unit=unit,
            subject_person=person,
            achievements="Vận động bà con hiến đất làm đường giao thông nông thôn.",
            period_kind="month",
            period_start=day.replace(day=1),
            period_end=day,
            nominated_on=day,
        )
        for person in people
    ]
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(
        status=NominationStatus.PASSED, holder=unit
    )
    return decisions.issue_decision(
        actor=None,
        unit=unit,
        kind=kind,
        nominations=Nomination.objects.filter(pk__in=[n.pk for n in nominations]).order_by("pk"),
        decided_on=day,
        year=day.year,
        reason="Tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        **award,
    )


@pytest.fixture
def recognised(chau_thanh: ChauThanh) -> ChauThanh:
    """Three decisions of the units under the Huyện ủy (its committees' term began on 01/01/2023,
    so their registers number from then), and Lan's account as a plain member of her cell."""
    world = chau_thanh
    _decide(
        world.phuoc_thanh,
        RecognitionKind.PRAISE,
        [world.person("Trần Thị Hồng"), world.person("Lê Văn Hùng")],
        D(2023, 6, 15),
    )
    _decide(
        world.an_khanh,
        RecognitionKind.REWARD,
        [world.person("Trần Thị Hồng")],
        D(2024, 3, 20),
        form=AwardForm.objects.get(code="party-giay-khen"),
    )
    _decide(world.tan_thanh, RecognitionKind.PRAISE, [world.person("Võ Văn Út")], D(2024, 9, 2))
    lan = _user(MEMBER, world.person("Phạm Thị Lan"))
    org.grant_role(actor=None, user=lan, unit=world.phuoc_thanh, role=Role.MEMBER, valid_from=D(2024, 1, 1))
    return world


def _context(browser: Browser, browser_context_args: dict, screen: dict) -> BrowserContext:
    context = browser.new_context(**{**browser_context_args, **screen})
    context.set_default_timeout(15_000)
    return context


def _card(page: Page, statistic: str) -> Locator:
    """A key figure of the dashboard."""
    return page.locator(f"main [data-statistic='{statistic}']")


def _row(page: Page, statistic: str) -> Locator:
    """A figure's row in the review report's tables."""
    return page.locator(f"main tr[data-statistic='{statistic}']")


def _docx_text(document: Any) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _step_pattern() -> re.Pattern[str]:
    """ "Bước 3/10": the run's progress, whatever its numbers."""
    shown = re.escape(tr("Step %(done)s of %(total)s", done="DONE", total="TOTAL"))
    return re.compile(shown.replace("DONE", r"\d+").replace("TOTAL", r"\d+"))


@pytest.mark.timeout(300)  # a report of 3 years, written as Word, Excel and PDF, on three screens
def test_the_propaganda_officer_reads_the_dashboard_and_makes_the_three_years_report(
    browser: Browser, browser_context_args: dict, live_server, recognised: ChauThanh
):
    world = recognised
    district = world.district.name

    # 1. At the office: the dashboard, from the menu, with this year's key figures.
    desk = _context(browser, browser_context_args, DESKTOP)
    try:
        page = desk.new_page()
        log_in(page, live_server.url, OFFICER)
        open_menu(page, tr("Dashboard"))
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Dashboard"))
        expect(page.locator("#dashboard-unit")).to_have_value(world.district.key)
        expect(page.locator("main")).to_contain_text(
            tr(
                "%(start)s – %(end)s, beside the same days of last year (%(pstart)s – %(pend)s). "
                "Tap a figure to see its records.",
                start=THIS_YEAR[0],
                end=THIS_YEAR[1],
                pstart="01/01/2023",
                pend="20/12/2023",
            )
        )
        members = _card(page, "organisation.members")
        expect(members.locator(".fs-3")).to_have_text("7")  # Khoa, on probation since August, too
        praised = _card(page, PRAISED_BY_CELLS)
        expect(praised.locator(".fs-3")).to_have_text("1")  # Út, in September
        expect(praised).to_contain_text(tr("last year: %(before)s", before="2"))  # Hồng and Hùng
        expect(_card(page, REWARDED).locator(".fs-3")).to_have_text("1")  # Hồng's giấy khen
        expect(page.locator("section[aria-labelledby=chart-h] svg[role=img]")).to_be_visible()
        latest = page.locator("section[aria-labelledby=latest-h] li")
        expect(latest.first).to_contain_text("02/09/2024")
        expect(latest.first).to_contain_text("Võ Văn Út")

        # 2. The figure opens its records: as many as it said.
        figure = praised.get_by_role("link")
        shown = figure.inner_text().strip()
        figure.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            tr("Individuals introduced and praised by the cells under grassroots committees")
        )
        expect(page.locator("main")).to_contain_text(f"{district} · {THIS_YEAR[0]} – {THIS_YEAR[1]}")
        expect(page.locator("[data-records-count]")).to_have_text(shown)
        rows = page.locator("section[aria-labelledby=records-h] tbody tr")
        expect(rows).to_have_count(int(shown))
        expect(rows.first).to_contain_text("Võ Văn Út")
        expect(rows.first).to_contain_text(world.tan_thanh.name)

        # 3. The review report of the 3 years of Kết luận 01, from the preset.
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Dashboard"))
        page.get_by_role("link", name=tr("Review report of any period")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Review report"))
        page.get_by_role("link", name=tr("3 years of Conclusion 01 (2021–2024)")).click()
        expect(page.locator("#report-from")).to_have_value(KL01[0])
        expect(page.locator("#report-to")).to_have_value(KL01[1])
        expect(page.locator("#report-unit")).to_have_value(world.district.key)
        praised_row = _row(page, PRAISED_BY_CELLS)
        expect(praised_row.locator("td").first).to_have_text("2")  # Hồng and Hùng, in 2023
        expect(praised_row.locator("td").nth(1)).to_have_text("0")  # none in the 3 years before
        expect(_row(page, REWARDED).locator("td").first).to_have_text("1")
        expect(_row(page, "organisation.members").locator("td").first).to_have_text("6")  # Khoa later
        label = " ".join(praised_row.get_by_role("rowheader").inner_text().split())
        figure_shown = praised_row.locator("td").first.inner_text().strip()
        page.get_by_role("button", name=tr("Make the report (Word, Excel, PDF)")).click()

        # 4. The run page: its progress while the work runs (or the files already), then the files.
        word = page.get_by_role("link", name=tr("Word (.docx)"))
        progress = page.locator("[data-run-progress]")
        expect(progress.or_(word).first).to_be_visible(timeout=120_000)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{tr('Review report')} · {district}")
        expect(page.locator("main")).to_contain_text(f"{KL01[0]} – {KL01[1]}")
        for step in progress.all_inner_texts():  # gone already when the work was quick
            assert _step_pattern().fullmatch(step.strip()), step
        expect(word).to_be_visible(timeout=120_000)
        expect(page.get_by_role("link", name=tr("Excel (.xlsx)"))).to_be_visible()
        expect(page.locator("[data-changed]")).to_have_count(0)  # the records did not move since
        run = ReportRun.objects.get()
        assert (run.status, run.unit, run.start, run.end) == (
            RunStatus.DONE,
            world.district,
            D(2021, 5, 18),
            D(2024, 4, 30),
        )
        assert run.created_by == world.tuyengiao
        with page.expect_download() as download:
            word.click()
        assert download.value.suggested_filename == "bao-cao-huyen-uy-chau-thanh-2021-05-18-2024-04-30.docx"
        report = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    finally:
        desk.close()

    text = _docx_text(report)
    assert "BÁO CÁO" in text
    # The figure the page showed, in the sentence of section 5 and in the table of figures.
    assert "Các chi bộ trực thuộc đảng bộ cơ sở đã giới thiệu, biểu dương 0 tập thể, 2 cá nhân" in text
    table_rows = [[cell.text for cell in row.cells] for table in report.tables for row in table.rows]
    assert [row[2:] for row in table_rows if label in row] == [[figure_shown, "0"]]
    assert "với 6 đảng viên" in text

    # 5. On a 360 px phone: the officer's dashboard fits the screen, its figures folded out too.
    phone = _context(browser, browser_context_args, PHONE_SCREEN)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, OFFICER)
        open_menu(page, tr("Dashboard"))
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Dashboard"))
        expect(_card(page, PRAISED_BY_CELLS).get_by_role("link")).to_have_text("1")
        assert_fits_the_phone(page)
        page.locator("section[aria-labelledby=chart-h] summary").tap()
        expect(page.locator("section[aria-labelledby=chart-h] table")).to_be_visible()
        assert_fits_the_phone(page)
    finally:
        phone.close()

    # A plain member of Phước Thạnh, on her phone: no dashboard in the menu, and refused it.
    phone = _context(browser, browser_context_args, PHONE_SCREEN)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, MEMBER)
        page.wait_for_load_state("load")
        page.get_by_role("button", name=tr("Menu")).tap()
        expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
        nav = page.locator("#mainnav")
        expect(nav.locator("a", has_text=re.compile(rf"^{re.escape(tr('Dashboard'))}$"))).to_have_count(0)
        expect(nav.locator("a[href='/dashboard/']")).to_have_count(0)
        refused = page.goto(f"{live_server.url}/dashboard/")
        assert refused is not None
        assert refused.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(tr("Your role does not allow this"))
        expect(page.locator("main")).to_contain_text(
            tr("Review reports are made by the unit's officers and the committees above it.")
        )
        assert_fits_the_phone(page)
    finally:
        phone.close()


@pytest.mark.timeout(180)
def test_the_run_page_shows_the_progress_until_the_worker_has_written_the_files(
    browser: Browser, browser_context_args: dict, live_server, recognised: ChauThanh, settings
):
    """With a worker that has not started yet (the task only queued), the page shows the steps and
    asks again every second; once the worker has written the files, the buttons replace them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    world = recognised
    desk = _context(browser, browser_context_args, DESKTOP)
    try:
        page = desk.new_page()
        log_in(page, live_server.url, OFFICER)
        page.goto(f"{live_server.url}/reports/?unit={world.district.key}&from={KL01[0]}&to={KL01[1]}")
        page.get_by_role("button", name=tr("Make the report (Word, Excel, PDF)")).click()
        progress = page.locator("[data-run-progress]")
        expect(progress).to_be_visible()
        expect(progress).to_have_text(_step_pattern())
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
        expect(page.locator("#lt-run-status")).to_have_attribute("hx-trigger", "every 1s")
        expect(page.get_by_role("link", name=tr("Word (.docx)"))).to_have_count(0)
        run = ReportRun.objects.get()
        assert run.status == RunStatus.QUEUED

        reports.generate(run.pk)  # the worker picks the task up

        expect(page.get_by_role("link", name=tr("Word (.docx)"))).to_be_visible(timeout=60_000)
        expect(progress).to_have_count(0)
    finally:
        desk.close()
