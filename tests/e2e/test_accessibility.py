"""axe-core on the pages older committee staff and cell secretaries use, at an office desktop's width
and on a 360 px phone: no "serious" or "critical" WCAG 2 A/AA violation. On the phone, also what
axe does not measure: every control is at least 44 px tall and no text is smaller than 15 px.

axe-core 4.10.3 is vendored (tests/e2e/vendor/axe.min.js from `npm pack axe-core@4.10.3`, sha256
880970c0…8a68bb; MPL-2.0, licences beside it) and injected into each page through the DevTools
protocol, so nothing is fetched at test time and the page's Content-Security-Policy stays as served.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from lantoa.cells.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services import bulletin, meetings
from lantoa.documents.models import Obligation, Term
from lantoa.documents.services import Issuer, create_obligation, issue_document
from lantoa.funds import services as funds
from lantoa.funds.models import Beneficiary, Fund
from lantoa.honours import council as honours_council
from lantoa.honours import decisions as honours_decisions
from lantoa.honours import services as honours
from lantoa.honours.models import (
    Certificate,
    CouncilList,
    Decision,
    Nomination,
    NominationStatus,
    RecognitionKind,
    VotingRound,
)
from lantoa.lib.vi import format_date
from lantoa.org import services as org
from lantoa.org.models import UnitKind
from lantoa.ratings import rules as rating_rules
from lantoa.ratings import services as ratings
from lantoa.ratings.models import Indicator, LabelKind, Level, Rating, TermTarget
from lantoa.reports import services as reports
from lantoa.reports.models import ReportRun
from lantoa.reports.periods import Period

from .steps import log_in
from .world import ChauThanh, commune_secretary

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True},
}
FAILING_IMPACTS = {"serious", "critical"}
# WCAG 2.0 A and AA, the level the issue asks for. No rule is switched off.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def meeting(chau_thanh: ChauThanh) -> Meeting:
    """This month's meeting of Phước Thạnh, one member excused (so a reason field shows), a
    bulletin issue, a plan the district asks for and one document in the register."""
    meeting = meetings.schedule_meeting(
        actor=chau_thanh.secretary,
        unit=chau_thanh.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=chau_thanh.today,
        place="Nhà văn hóa ấp Phước Thạnh",
        chair=chau_thanh.person("Nguyễn Văn Tâm"),
        clerk=chau_thanh.person("Trần Thị Hồng"),
    )
    lan = meeting.attendance.get(member=chau_thanh.members["Phạm Thị Lan"])
    meetings.set_attendance(actor=None, attendance=lan, status=AttendanceStatus.EXCUSED, reason="Ốm")
    month = (chau_thanh.today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    bulletin.open_issue(
        actor=chau_thanh.tuyengiao, unit=chau_thanh.district, period=month, deadline=month.replace(day=10)
    )
    create_obligation(
        actor=None,
        unit=chau_thanh.district,
        title=f"Kế hoạch thực hiện chuyên đề năm {chau_thanh.today.year}",
        year=chau_thanh.today.year,
        deadline=chau_thanh.today + dt.timedelta(days=30),
        target_kinds=[UnitKind.CELL, UnitKind.GRASSROOTS_CELL],
    )
    issue_document(
        actor=None,
        issuer=Issuer(unit=chau_thanh.district),
        type_code="KH",
        issued_on=chau_thanh.today,
        summary="Kế hoạch học tập chuyên đề năm",
        signer_name="Võ Thị Phương",
    )
    # A thematic meeting held today, voting on a nomination: the vote's page with its count form.
    thematic = meetings.schedule_meeting(
        actor=chau_thanh.secretary,
        unit=chau_thanh.phuoc_thanh,
        kind=MeetingKind.THEMATIC,
        date=chau_thanh.today,
        topic="Học tập và làm theo Bác về tiết kiệm",
        starts_at=dt.time(14, 0),
        ends_at=dt.time(16, 0),
        chair=chau_thanh.person("Nguyễn Văn Tâm"),
        clerk=chau_thanh.person("Trần Thị Hồng"),
    )
    meetings.set_meeting_status(
        actor=None, meeting=thematic, status=MeetingStatus.HELD, today=chau_thanh.today
    )
    nomination = honours.nominate(
        actor=None,
        unit=chau_thanh.phuoc_thanh,
        subject_person=chau_thanh.person("Lê Văn Hùng"),
        achievements="Vận động bà con làm sạch kênh Phước Thạnh.",
        period_kind="month",
        period_start=chau_thanh.today.replace(day=1),
        period_end=chau_thanh.today,
    )
    honours.open_round(
        actor=None, voting_round=honours.prepare_round(actor=None, meeting=thematic, nominations=[nomination])
    )
    # The Huyện ủy's praise of Võ Văn Út (passed and before it), its certificate, the year-end list.
    praised = honours.nominate(
        actor=None,
        unit=chau_thanh.tan_thanh,
        subject_person=chau_thanh.person("Võ Văn Út"),
        achievements="Hiến đất làm đường.",
        period_kind="month",
        period_start=chau_thanh.today.replace(day=1),
        period_end=chau_thanh.today,
    )
    Nomination.objects.filter(pk=praised.pk).update(
        status=NominationStatus.PASSED, holder=chau_thanh.district
    )
    praised.refresh_from_db()
    decision = honours_decisions.issue_decision(
        actor=None,
        unit=chau_thanh.district,
        kind=RecognitionKind.PRAISE,
        nominations=[praised],
        decided_on=chau_thanh.today,
        year=chau_thanh.today.year,
        reason="tiêu biểu trong học tập và làm theo Bác",
    )
    honours_decisions.issue_certificates(actor=None, decision=decision)
    honours_council.assemble(actor=None, unit=chau_thanh.district, year=chau_thanh.today.year)
    return meeting


@pytest.fixture
def ratings_year(chau_thanh: ChauThanh) -> TermTarget:
    """This year's round in An Khánh, under the rules of today (with points where they apply):
    Phước Thạnh (a hamlet's cell) has proposed one member more at the top level than the quota
    allows, one rating is decided; the cell holds "Trong sạch, vững mạnh toàn diện", which the
    Huyện ủy's term target counts. An Khánh's secretary (``bithu.ankhanh``) decides."""
    world, today = chau_thanh, chau_thanh.today
    year = today.year
    scored = rating_rules.rules_on(today).scored
    org.update_unit(actor=None, unit=world.phuoc_thanh, residential=True)
    commune_secretary(world)
    levels = {
        "Nguyễn Văn Tâm": (Level.GOOD, 80),
        "Trần Thị Hồng": (Level.EXCELLENT, 95),
        "Lê Văn Hùng": (Level.GOOD, 78),
        "Phạm Thị Lan": (Level.GOOD, 75),
        "Huỳnh Minh Khoa": (Level.DONE, 60),
    }
    entries = []
    for name, (level, points) in levels.items():
        rating = ratings.open_member_rating(member=world.members[name], year=year)
        score = points if scored else None
        ratings.record_self_assessment(actor=None, rating=rating, level=level, score=score, day=today)
        entries.append(ratings.Entry(rating, level, score))
    ratings.record_proposals(actor=None, unit=world.phuoc_thanh, entries=entries, day=today, votes="4/4")
    ratings.decide(
        actor=None,
        body=world.an_khanh,
        year=year,
        entries=entries[:1],
        day=today,
        document=f"Quyết định số 45-QĐ/ĐU ngày {format_date(today)}",
    )
    label = LabelKind.objects.get(code="tsvm-toan-dien")
    ratings.grant_labels(
        actor=None,
        body=world.an_khanh,
        kind=label,
        year=year,
        units=[world.phuoc_thanh],
        day=today,
        document="",
    )
    return TermTarget.objects.create(
        term=Term.objects.get(unit=world.district),
        text="Số chi bộ ấp, khu phố đạt “Trong sạch, vững mạnh toàn diện”",
        indicator=Indicator.CELLS_LABELLED,
        label=label,
        target=1,
        measure="chi bộ",
    )


@pytest.fixture
def savings_fund(chau_thanh: ChauThanh) -> Fund:
    """Phước Thạnh's savings fund since the start of last year: a donation, this month's savings
    of two members, a sponsored child paid this quarter (its secretary keeps the fund, so the
    tap form, the reversal forms and the child's full record are on the pages)."""
    world, today = chau_thanh, chau_thanh.today
    opened = dt.date(today.year - 1, 1, 1)
    fund = funds.open_fund(
        actor=None,
        unit=world.phuoc_thanh,
        name="Quỹ tiết kiệm đỡ đầu trẻ mồ côi",
        purpose="Đảng viên tiết kiệm mỗi tháng để đỡ đầu trẻ mồ côi có hoàn cảnh khó khăn.",
        opened_on=opened,
        monthly_amount=50_000,
    )
    funds.record_donation(actor=None, fund=fund, day=opened, amount=3_000_000, source="Cơ sở kẹo dừa")
    funds.record_contributions(
        actor=None,
        fund=fund,
        month=today.replace(day=1),
        member_ids=[world.members["Nguyễn Văn Tâm"].pk, world.members["Trần Thị Hồng"].pk],
        day=today,
    )
    child = funds.add_beneficiary(
        actor=None,
        fund=fund,
        full_name="Trần Ngọc Bảo Hân",
        birth_year=today.year - 10,
        commune="xã Phú Túc",
        hamlet="ấp Giồng Dứa",
        situation="Mồ côi cha, mẹ làm thuê.",
        guardian_name="Lê Thị Mến",
        guardian_relation="mẹ",
        sponsored_from=opened,
        scheduled_amount=1_200_000,
        every_months=3,
    )
    funds.record_disbursement(
        actor=None,
        child=child,
        day=today,
        amount=1_200_000,
        handed_by=world.person("Nguyễn Văn Tâm"),
        received_by="Lê Thị Mến",
    )
    return fund


@pytest.fixture
def report_run(chau_thanh: ChauThanh, meeting: Meeting) -> ReportRun:
    """The Huyện ủy's review report of the year so far, made (the test settings run the task at
    once): its page shows the files and the figures changed since."""
    world, today = chau_thanh, chau_thanh.today
    return reports.start_run(
        actor=world.tuyengiao,
        unit=world.district,
        period=Period(today.replace(month=1, day=1), today),
        today=today,
    )


def reports_pages(world: ChauThanh, run: ReportRun) -> dict[str, list[str]]:
    """The dashboard and the review report as the district's propaganda officer opens them: the
    year so far, the records behind a figure, the report made."""
    period = {"unit": world.district.key, "from": format_date(run.start), "to": format_date(run.end)}
    return {
        "tuyengiao": [
            reverse("reports:dashboard"),
            reverse("reports:index"),
            reverse("reports:index") + "?" + urlencode({**period, "from": "18/05/2021", "to": "30/04/2024"}),
            reverse("reports:records") + "?" + urlencode({**period, "statistic": "organisation.members"}),
            reverse("reports:run", kwargs={"public_id": run.public_id}),
        ],
    }


def funds_pages(fund: Fund) -> dict[str, list[str]]:
    """The fund's pages as its keeper (the cell's secretary) opens them."""
    child = Beneficiary.objects.get(fund=fund)
    return {
        "bithu.phuocthanh": [
            reverse("funds:fund", kwargs={"public_id": fund.public_id}),
            reverse("funds:savings", kwargs={"public_id": fund.public_id}),
            reverse("funds:ledger", kwargs={"public_id": fund.public_id}),
            reverse("funds:statement", kwargs={"public_id": fund.public_id}),
            reverse("funds:child", kwargs={"public_id": child.public_id}),
        ],
    }


def ratings_pages(world: ChauThanh, target: TermTarget) -> dict[str, list[str]]:
    """The rating pages, by who opens them: the cell's review, the commune's decisions with the
    quota warning, one rating, the labels, the term targets with a figure opened."""
    year = str(world.today.year)
    decided = Rating.objects.get(member=world.members["Nguyễn Văn Tâm"])
    drill = urlencode({"term": target.term_id, "target": target.pk, "year": year})
    return {
        "tuyengiao": [
            reverse("ratings:targets", kwargs={"key": world.district.key}),
            reverse("ratings:targets", kwargs={"key": world.district.key}) + f"?{drill}",
        ],
        "bithu.phuocthanh": [
            reverse("ratings:index"),
            reverse("ratings:unit_year", kwargs={"key": world.phuoc_thanh.key, "year": year}),
            reverse("ratings:rating", kwargs={"public_id": decided.public_id}),
        ],
        "bithu.ankhanh": [
            reverse("ratings:unit_year", kwargs={"key": world.an_khanh.key, "year": year}),
            reverse("ratings:labels", kwargs={"key": world.an_khanh.key, "year": year}),
        ],
    }


def pages_by_user(world: ChauThanh, meeting: Meeting) -> dict[str | None, list[str]]:
    """The pages to check, by who opens them (None: not logged in)."""
    on = urlencode({"on": format_date(world.today)})
    meeting_url = reverse("cells:meeting", kwargs={"public_id": meeting.public_id})
    obligation = Obligation.objects.get()
    return {
        None: [
            reverse("accounts:login"),
            reverse("honours:verify_code", kwargs={"code": Certificate.objects.get().code}),
        ],
        "tuyengiao": [
            reverse("web:home"),
            reverse("org:tree"),
            reverse("org:unit", kwargs={"key": world.phuoc_thanh.key}) + f"?{on}",
            reverse("org:people") + "?" + urlencode({"q": "Nguyễn"}),
            reverse("cells:bulletin"),
            reverse("documents:obligations"),
            reverse("documents:obligation", kwargs={"public_id": obligation.public_id}),
            reverse("documents:list"),
            reverse("cells:missing_meetings"),
            reverse("honours:council_index"),
            reverse("honours:council", kwargs={"public_id": CouncilList.objects.get().public_id}),
            reverse("honours:decisions"),
            reverse("honours:decision", kwargs={"public_id": Decision.objects.get().public_id}),
            reverse("honours:figures") + "?line=reward&subjects=individuals",
        ],
        "bithu.phuocthanh": [
            reverse("web:home"),
            reverse("cells:meetings"),
            meeting_url,
            reverse("cells:attendance", kwargs={"public_id": meeting.public_id}),
            reverse("org:unit", kwargs={"key": world.phuoc_thanh.key}),
            reverse("honours:nominations"),
            reverse("honours:nomination_create"),
            reverse("honours:nomination", kwargs={"public_id": Nomination.objects.earliest("id").public_id}),
            reverse("honours:round", kwargs={"public_id": VotingRound.objects.get().public_id}),
            reverse("honours:practices"),
            reverse("honours:practice_create"),
        ],
    }


# Controls and text on the phone, measured in the page. Hidden elements (zero size, or the 1 px
# box of .visually-hidden) are skipped.
SMALL_ON_PHONE = """() => {
  const found = [];
  const name = (el) => {
    const tag = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
    const text = el.textContent.trim().slice(0, 40);
    return `<${tag}${el.className ? ' class="' + el.className + '"' : ''}> "${text}"`;
  };
  const controls = [
    'main a', 'main button', 'main summary', 'main select', 'main input:not([type=hidden])',
    'main textarea', 'nav a', 'nav button',
  ];
  for (const el of document.querySelectorAll(controls.join(', '))) {
    const box = el.getBoundingClientRect();
    // A box is tapped through its label: around it, or beside it (a .btn-check toggle's button).
    const boxed = el.matches('input[type=checkbox], input[type=radio]');
    const target = boxed ? el.closest('label') || (el.labels && el.labels[0]) || el : el;
    const height = target.getBoundingClientRect().height;
    if (box.width > 1 && box.height > 1 && height < 44) {
      found.push(`tap target ${Math.round(height)} px tall: ${name(target)}`);
    }
  }
  for (const el of document.querySelectorAll('main *')) {
    const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const box = el.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (text && box.width > 1 && size < 15) {
      found.push(`text ${size} px: ${name(el)}`);
    }
  }
  return found;
}"""


def open_folded_parts(page: Page) -> None:
    """Folded parts (a commune's cells in the tree) are checked too."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")


def axe_violations(page: Page) -> list[str]:
    """The serious and critical violations on the page, one entry per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{page.url}\n  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"  target: {' '.join(node['target'])}\n  " + node["failureSummary"].replace("\n", "\n  ")
        for violation in result["violations"]
        if violation["impact"] in FAILING_IMPACTS
        for node in violation["nodes"]
    ]


def small_on_phone(page: Page) -> list[str]:
    return [f"{page.url}\n  {problem}" for problem in page.evaluate(SMALL_ON_PHONE)]


@pytest.mark.timeout(300)  # some forty pages, each checked by axe: minutes on a loaded CI machine
@pytest.mark.parametrize("screen", SCREENS)
def test_key_pages_pass_axe_and_fit_a_thumb(
    browser: Browser,
    browser_context_args: dict,
    live_server,
    chau_thanh: ChauThanh,
    meeting: Meeting,
    ratings_year: TermTarget,
    savings_fund: Fund,
    report_run: ReportRun,
    screen,
):
    problems: list[str] = []
    pages = pages_by_user(chau_thanh, meeting)
    for more in (
        ratings_pages(chau_thanh, ratings_year),
        funds_pages(savings_fund),
        reports_pages(chau_thanh, report_run),
    ):
        for username, paths in more.items():
            pages[username] = pages.get(username, []) + paths
    for username, paths in pages.items():
        context = browser.new_context(**{**browser_context_args, **SCREENS[screen]})
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            if username:
                log_in(page, live_server.url, username)
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None, path
                assert response.status == 200, f"{path}: {response.status}"
                page.wait_for_load_state("load")
                open_folded_parts(page)
                problems += axe_violations(page)
                if screen == "phone":
                    problems += small_on_phone(page)
        finally:
            context.close()

    assert not problems, f"{len(problems)} accessibility problems at {screen} width:\n" + "\n".join(problems)
