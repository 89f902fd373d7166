"""The 2024 round, on 20/12/2024 while Huyện ủy Châu Thành stood: Chi bộ ấp Phước Thạnh's
secretary, on a 360 px phone, writes down each member's own assessment and what the cell proposes
by its vote; An Khánh's secretary, at the office, sees that the cell proposes one more member at
the top level than the quota allows, is refused a decision without a reason, decides with one,
and grants the hamlet cell "Trong sạch, vững mạnh toàn diện"; the Huyện ủy's term target counting
such cells then reads 1 of its target of 1."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from lantoa.documents.models import Term
from lantoa.org import services as org
from lantoa.org.models import Gender
from lantoa.ratings.models import (
    Indicator,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    SubjectKind,
    TermTarget,
    UnitLabel,
)
from tests.conftest import D, tr

from .steps import PHONE, assert_fits_the_phone, log_in, open_menu
from .world import ChauThanh, _member, commune_secretary

# The rating round runs in December; a decision of that day is not dated in the future.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.today(D(2024, 12, 20))]

YEAR = 2024
TODAY = "20/12/2024"
DOCUMENT = "Quyết định số 45-QĐ/ĐU ngày 20/12/2024"
REASON = "Đồng chí Trần Thị Hồng có thành tích đột xuất trong phòng, chống sạt lở bờ sông năm 2024."
LABEL = "Trong sạch, vững mạnh toàn diện"
# Self-assessment and the cell's proposal of each member: one at the top level, four at the second
# (20% of 4 allows none at the top: one over the quota), the probationary member at the third.
REVIEW = {
    "Nguyễn Văn Tâm": (Level.GOOD, Level.GOOD),
    "Trần Thị Hồng": (Level.EXCELLENT, Level.EXCELLENT),
    "Lê Văn Hùng": (Level.EXCELLENT, Level.GOOD),
    "Phạm Thị Lan": (Level.GOOD, Level.GOOD),
    "Huỳnh Minh Khoa": (Level.DONE, Level.DONE),
    "Bùi Văn Thành": (Level.GOOD, Level.GOOD),
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE_SCREEN = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def round_2024(chau_thanh: ChauThanh) -> TermTarget:
    """Phước Thạnh is a hamlet's cell with a sixth member; An Khánh's secretary has an account;
    the Huyện ủy's term resolution counts the hamlet cells holding the label (target: 1)."""
    org.update_unit(actor=None, unit=chau_thanh.phuoc_thanh, residential=True)
    chau_thanh.members["Bùi Văn Thành"] = _member(
        chau_thanh.phuoc_thanh,
        "Bùi Văn Thành",
        born=D(1985, 3, 3),
        gender=Gender.MALE,
        card="83001006",
        admitted=D(2010, 5, 19),
        full=D(2011, 5, 19),
    )
    commune_secretary(chau_thanh)
    return TermTarget.objects.create(
        term=Term.objects.get(unit=chau_thanh.district),
        text="Số chi bộ ấp, khu phố đạt “Trong sạch, vững mạnh toàn diện”",
        indicator=Indicator.CELLS_LABELLED,
        label=LabelKind.objects.get(code="tsvm-toan-dien"),
        target=Decimal(1),
        measure="chi bộ",
    )


def _context(browser: Browser, browser_context_args: dict, screen: dict) -> BrowserContext:
    context = browser.new_context(**{**browser_context_args, **screen})
    context.set_default_timeout(15_000)
    return context


def _open_year(page: Page, unit_name: str) -> None:
    """From the menu: the ratings, then the unit's 2024 round."""
    open_menu(page, tr("Year-end quality ratings"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Year-end quality ratings"))
    page.get_by_role("listitem").filter(has_text=unit_name).get_by_role(
        "link", name=tr("Ratings %(y)s", y=YEAR), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{tr('Ratings %(year)s', year=YEAR)} · {unit_name}"
    )


def _target_sentence(page: Page, target: TermTarget) -> str:
    return page.locator(f"section[aria-labelledby=target-{target.pk}] p.fs-5").inner_text()


@pytest.mark.timeout(300)  # three people's work: longer than a minute on a loaded CI machine
def test_the_cell_proposes_the_commune_decides_over_the_quota_and_the_target_counts_the_label(
    browser: Browser, browser_context_args: dict, live_server, chau_thanh: ChauThanh, round_2024: TermTarget
):
    target = round_2024
    members = {name: chau_thanh.members[name] for name in REVIEW}
    targets_url = f"{live_server.url}/ratings/targets/{chau_thanh.district.key}/"

    # The Huyện ủy's propaganda department: no hamlet cell holds the label for 2024 yet.
    district = _context(browser, browser_context_args, DESKTOP)
    try:
        page = district.new_page()
        log_in(page, live_server.url, "tuyengiao")
        page.goto(targets_url)
        expect(page.get_by_role("heading", level=2, name=target.text)).to_be_visible()
        assert _target_sentence(page, target) == tr(
            "no figure yet; target %(target)s %(measure)s", target="1", measure="chi bộ"
        )
        row_2024 = page.locator(f"section[aria-labelledby=target-{target.pk}] tbody tr").filter(
            has=page.get_by_role("rowheader", name=str(YEAR))
        )
        expect(row_2024.locator("td").first).to_have_text(f"— {tr('of %(n)s', n='1')}")
    finally:
        district.close()

    # The cell's secretary, on a phone, after the cell's review meeting.
    phone = _context(browser, browser_context_args, PHONE_SCREEN)
    try:
        page = phone.new_page()
        log_in(page, live_server.url, "bithu.phuocthanh")
        _open_year(page, chau_thanh.phuoc_thanh.name)
        assert_fits_the_phone(page)
        review = page.locator("form[aria-labelledby=review-h]")
        for name, member in members.items():
            own, proposed = REVIEW[name]
            expect(review.get_by_role("rowheader", name=name)).to_be_visible()
            review.locator(f"select[name=self-{member.pk}]").select_option(own)
            review.locator(f"select[name=proposal-{member.pk}]").select_option(proposed)
        expect(review.locator("input[name=day]")).to_have_value(TODAY)
        review.locator("input[name=votes]").fill("5/5 đảng viên chính thức có mặt biểu quyết tán thành")
        assert_fits_the_phone(page)
        review.locator("button[name=review]").click()

        expect(page.locator(".alert-success")).to_contain_text(tr("The cell's review is saved."))
        for name, member in members.items():
            own, proposed = REVIEW[name]
            expect(page.locator(f"select[name=self-{member.pk}]")).to_have_value(own)
            expect(page.locator(f"select[name=proposal-{member.pk}]")).to_have_value(proposed)
        assert_fits_the_phone(page)
    finally:
        phone.close()
    ratings = {
        r.member.person.full_name: r
        for r in Rating.objects.filter(year=YEAR).select_related("member__person")
    }
    assert sorted(ratings) == sorted(REVIEW)
    assert {r.status for r in ratings.values()} == {RatingStatus.PROPOSED}

    # An Khánh's secretary, at the office: the quota check is in view before anything is decided.
    office = _context(browser, browser_context_args, DESKTOP)
    try:
        page = office.new_page()
        log_in(page, live_server.url, "bithu.ankhanh")
        _open_year(page, chau_thanh.an_khanh.name)
        deciding = page.locator("section[aria-labelledby=decide-h]")
        checks = deciding.get_by_role("status")
        expect(checks).to_be_visible()
        quota = tr(
            "%(group)s: %(excellent)s at “Completed tasks excellently”; at most %(limit)s "
            "(%(share)s of the %(good)s at “Completed tasks well”).",
            group=SubjectKind.MEMBER.label,
            excellent="1",
            limit="0",
            share="20%",
            good="4",
        )
        expect(checks).to_contain_text(quota)
        expect(checks).to_contain_text(tr("Over the quota: a reason must be recorded."))
        for name, rating in ratings.items():
            expect(deciding.get_by_role("rowheader", name=name)).to_be_visible()
            # The decision starts from the cell's proposal.
            expect(deciding.locator(f"select[name=level-{rating.pk}]")).to_have_value(REVIEW[name][1])
        expect(deciding.locator("input[name=day]")).to_have_value(TODAY)
        deciding.locator("input[name=document]").fill(DOCUMENT)

        # Deciding without saying why the quota is exceeded: refused, and the page says why.
        deciding.locator("button[name=decide]").click()
        reason = page.locator("textarea[name=quota_override]")
        expect(reason).to_have_attribute("aria-invalid", "true")
        errors = page.locator(f"#{reason.get_attribute('id')}_error")
        expect(errors).to_contain_text(quota)
        expect(errors).to_contain_text(tr("Give the reason to exceed the quota, or lower a rating."))
        expect(page.locator("input[name=document]")).to_have_value(DOCUMENT)  # nothing to type again
        assert not Rating.objects.filter(status=RatingStatus.DECIDED).exists()

        reason.fill(REASON)
        page.locator("button[name=decide]").click()
        expect(page.locator(".alert-success")).to_contain_text(tr("%(count)s ratings decided.", count=6))
        deciding = page.locator("section[aria-labelledby=decide-h]")
        for name in ratings:
            row = deciding.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=name))
            expect(row).to_contain_text(f"{tr('decided')} {TODAY}")
        decided = {
            r.member.person.full_name: r
            for r in Rating.objects.filter(year=YEAR).select_related("member__person")
        }
        assert {name: r.level for name, r in decided.items()} == {
            name: p for name, (_own, p) in REVIEW.items()
        }
        assert {name: r.quota_override for name, r in decided.items() if r.quota_override} == {
            "Trần Thị Hồng": REASON
        }
        assert {r.document for r in decided.values()} == {DOCUMENT}

        # Hồng's rating, as the secretary opens it from the list.
        deciding.get_by_role("link", name="Trần Thị Hồng").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Trần Thị Hồng · {YEAR}")
        steps = page.locator("section[aria-labelledby=steps-h]")
        expect(steps).to_contain_text(f"{chau_thanh.an_khanh.name} · {TODAY} · {DOCUMENT}")
        expect(steps).to_contain_text(REASON)
        page.go_back()

        # The year's labels: the hamlet cell is granted "Trong sạch, vững mạnh toàn diện".
        page.get_by_role("link", name=tr("Labels of the year")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{tr('Labels of the year')} {YEAR}")
        grant = page.locator("form").filter(has=page.locator("select[name=kind]"))
        grant.locator("select[name=kind]").select_option(label=LABEL)
        grant.get_by_label(re.compile(rf"^{re.escape(chau_thanh.phuoc_thanh.name)}")).check()
        grant.locator("input[name=document]").fill("Quyết định số 46-QĐ/ĐU ngày 20/12/2024")
        grant.locator("button[type=submit]").click()
        expect(page.locator(".alert-success")).to_contain_text(tr("%(count)s labels granted.", count=1))
        expect(page.locator("section[aria-labelledby=granted-h]")).to_contain_text(
            f"{chau_thanh.phuoc_thanh.name} — {LABEL} · {TODAY}"
        )
    finally:
        office.close()
    assert UnitLabel.objects.get().unit == chau_thanh.phuoc_thanh

    # Back at the Huyện ủy: the target counts the cell, and the figure opens it.
    district = _context(browser, browser_context_args, DESKTOP)
    try:
        page = district.new_page()
        log_in(page, live_server.url, "tuyengiao")
        page.goto(targets_url)
        assert _target_sentence(page, target) == tr(
            "%(actual)s %(measure)s achieved; target %(target)s; %(share)s%% of the target",
            actual="1",
            measure="chi bộ",
            target="1",
            share="100,00",
        )
        section = page.locator(f"section[aria-labelledby=target-{target.pk}]")
        row_2024 = section.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=str(YEAR)))
        expect(row_2024.locator("td").nth(0)).to_have_text(f"1 {tr('of %(n)s', n='1')}")
        expect(row_2024.locator("td").nth(1)).to_have_text("100,00%")
        row_2024.get_by_role("link", name="1", exact=True).click()
        drill = page.locator("#drill")
        expect(drill).to_be_visible()
        expect(drill.get_by_role("listitem")).to_have_text([chau_thanh.phuoc_thanh.name])
    finally:
        district.close()
