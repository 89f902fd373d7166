"""From the cell's vote to the certificate in hand: Phước Thạnh passed Trần Thị Hồng at today's
meeting and proposed her to Đảng bộ xã An Khánh; An Khánh's secretary proposes her on to the
Huyện ủy; ``tuyengiao`` assembles the year-end list; the council votes on it by secret ballot at
its session; the Huyện ủy praises her by a numbered decision; her certificate comes out as a PDF
with her name and the decision's number."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from playwright.sync_api import Browser, expect

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services import meetings
from lantoa.honours import services
from lantoa.honours.models import Certificate, CertificatePrint, Decision, Nomination, NominationStatus
from lantoa.lib import pdf
from lantoa.org import services as org
from lantoa.org.models import Gender, PositionTitle, Role

from .steps import field, log_in, log_out, open_menu
from .world import PASSWORD, ChauThanh, _member, _user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
REASON = "tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def choose_unit(select, name: str) -> None:
    """Pick a unit in a chooser that names each unit's parent beside it ("… — Huyện ủy …")."""
    option = select.locator("option").filter(has_text=re.compile(rf"^{re.escape(name)}( — .*)?$")).first
    select.select_option(option.get_attribute("value"))


@pytest.fixture
def proposed_to_an_khanh(chau_thanh: ChauThanh) -> Nomination:
    """Hồng, nominated this month, passed at today's held meeting and proposed to An Khánh."""
    cell, today = chau_thanh.phuoc_thanh, chau_thanh.today
    meeting = meetings.schedule_meeting(
        actor=None,
        unit=cell,
        kind=MeetingKind.REGULAR,
        date=today,
        starts_at=dt.time(19, 0),
        ends_at=dt.time(21, 0),
        chair=chau_thanh.person("Nguyễn Văn Tâm"),
        clerk=chau_thanh.person("Trần Thị Hồng"),
    )
    meetings.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=today)
    nomination = services.nominate(
        actor=None,
        unit=cell,
        subject_person=chau_thanh.person("Trần Thị Hồng"),
        achievements="Vận động 5 hộ hiến đất mở rộng đường nông thôn.",
        period_kind="month",
        period_start=today.replace(day=1),
        period_end=today,
        nominated_on=today,
    )
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=meeting, nominations=[nomination])
    )
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=3, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    nomination.refresh_from_db()
    services.forward_nominations(
        actor=None, from_unit=cell, to_unit=chau_thanh.an_khanh, nominations=[nomination], proposed_on=today
    )
    # An Khánh's secretary, with an account.
    secretary = org.create_person(
        actor=None,
        unit=chau_thanh.an_khanh,
        full_name="Lê Minh Trí",
        birth_date=D(1970, 1, 5),
        gender=Gender.MALE,
    )
    user = _user("bithu.ankhanh", secretary)
    org.grant_role(
        actor=None, user=user, unit=chau_thanh.an_khanh, role=Role.SECRETARY, valid_from=D(2021, 1, 1)
    )
    return Nomination.objects.get(pk=nomination.pk)


@pytest.fixture
def council_session(chau_thanh: ChauThanh) -> Meeting:
    """The Huyện ủy's council (a chair and two members), its session today, held, all present."""
    council = [
        _member(
            chau_thanh.phuoc_hoa,
            name,
            born=D(1970 + n, 1, 1),
            gender=Gender.MALE,
            card=f"8300900{n}",
            admitted=D(1995, 1, 1),
            full=D(1996, 1, 1),
        )
        for n, name in enumerate(("Đỗ Văn Chủ", "Mai Thị Ủy", "Lý Văn Viên"))
    ]
    for n, member in enumerate(council):
        org.appoint(
            actor=None,
            person=member.person,
            unit=chau_thanh.district,
            title=PositionTitle.COUNCIL_CHAIR if n == 0 else PositionTitle.COUNCIL_MEMBER,
            valid_from=D(2021, 1, 1),
        )
    session = meetings.schedule_meeting(
        actor=None,
        unit=chau_thanh.district,
        kind=MeetingKind.COUNCIL,
        date=chau_thanh.today,
        starts_at=dt.time(8, 0),
        ends_at=dt.time(9, 0),
        chair=council[0].person,
        clerk=council[1].person,
    )
    return meetings.set_meeting_status(
        actor=None, meeting=session, status=MeetingStatus.HELD, today=chau_thanh.today
    )


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice is not installed (make test installs it)")
@pytest.mark.timeout(300)  # four people's work and a PDF: longer than a minute on a loaded CI machine
def test_from_the_cells_vote_to_the_certificate_pdf(
    browser: Browser,
    browser_context_args: dict,
    live_server,
    chau_thanh: ChauThanh,
    proposed_to_an_khanh: Nomination,
    council_session: Meeting,
):
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(15_000)
    page = context.new_page()
    year = str(chau_thanh.today.year)
    try:
        # An Khánh proposes Hồng on to the Huyện ủy.
        log_in(page, live_server.url, "bithu.ankhanh", PASSWORD)
        open_menu(page, "Gương điển hình")
        page.get_by_role("link", name="Đề nghị lên cấp trên").click()
        choose_unit(field(page, "Đơn vị nào đề nghị?"), "Đảng bộ xã An Khánh")
        page.get_by_role("button", name="Tiếp tục").click()
        # Nothing is ticked beforehand: the secretary ticks the case she sends.
        expect(page.get_by_label("Trần Thị Hồng")).not_to_be_checked()
        page.get_by_label("Trần Thị Hồng").check()
        # The committee just above comes first.
        expect(field(page, "Đề nghị lên").locator("option:checked")).to_contain_text("Huyện ủy Châu Thành")
        page.get_by_role("button", name="Lập tờ trình").click()
        expect(page.get_by_role("alert").first).to_contain_text("Đã ghi tờ trình")
        log_out(page)

        # tuyengiao assembles the Huyện ủy's list for the year: Hồng is on it.
        log_in(page, live_server.url, "tuyengiao")
        open_menu(page, "Hội đồng thi đua cuối năm")
        field(page, "Đơn vị").select_option(label="Huyện ủy Châu Thành")
        field(page, "Năm").fill(year)
        page.get_by_role("button", name="Tổng hợp từ dữ liệu").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Danh sách trình Hội đồng năm {year}")
        expect(page.locator("tbody")).to_contain_text("Trần Thị Hồng")

        # The council's session: the list is put to a secret ballot, three of three in favour.
        page.goto(f"{live_server.url}/meetings/{council_session.public_id}/")
        page.get_by_role("link", name="Đưa ra bình xét").click()
        expect(page.get_by_label("Trần Thị Hồng")).to_be_checked()
        page.get_by_role("button", name="Đưa bình xét vào chương trình họp").click()
        page.get_by_role("button", name="Mở biểu quyết").click()
        slips = page.locator("section[aria-labelledby=slips-h]")
        for label in ("Số phiếu phát ra", "Số phiếu thu về", "Số phiếu hợp lệ"):
            slips.get_by_label(label).fill("3")
        slips.get_by_role("button", name="Lưu số phiếu").click()
        results = page.locator("section[aria-labelledby=count-h]")
        results.get_by_label("Tán thành: Trần Thị Hồng", exact=True).fill("3")
        results.get_by_label("Không tán thành: Trần Thị Hồng", exact=True).fill("0")
        results.get_by_label("Không biểu quyết / để trống: Trần Thị Hồng").fill("0")
        page.get_by_role("button", name="Lưu kết quả biểu quyết").click()
        page.get_by_role("button", name="Kết thúc bình xét").click()
        expect(page.locator("section[aria-labelledby=count-h]")).to_contain_text("100,00% · đạt")
        page.get_by_role("button", name="Công bố kết quả").click()
        hong = Nomination.objects.get(pk=proposed_to_an_khanh.pk)
        assert (hong.status, hong.holder) == (NominationStatus.PASSED, chau_thanh.district)

        # The Huyện ủy praises her by decision, and issues her certificate.
        open_menu(page, "Quyết định và giấy khen")
        page.get_by_role("link", name="Quyết định mới").click()
        choose_unit(field(page, "Cấp nào quyết định?"), "Huyện ủy Châu Thành")
        page.get_by_role("button", name="Tiếp tục").click()
        field(page, "Quyết định").select_option(label="Biểu dương")
        field(page, "Năm").fill(year)
        field(page, "Thành tích").fill(REASON)
        page.get_by_label("Trần Thị Hồng").check()
        page.get_by_role("button", name="Ghi quyết định").click()
        decision = Decision.objects.get()
        number = decision.document.number_line
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Quyết định {number}")
        page.get_by_role("button", name="Cấp 1 giấy chứng nhận").click()
        expect(page.get_by_role("alert").first).to_contain_text("Đã cấp 1 giấy chứng nhận")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="PDF", exact=True).click()
        download = download_info.value
        assert download.suggested_filename.endswith("-001.pdf")
        text = pdf_text(download.path())
        assert "Trần Thị Hồng" in text
        assert decision.document.symbol in text
        assert "BIỂU DƯƠNG" in text
        certificate = Certificate.objects.get()
        assert certificate.code in text
        assert CertificatePrint.objects.filter(certificate=certificate, file_format="pdf").count() == 1
    finally:
        context.close()
