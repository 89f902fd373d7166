"""Every URL of the project against the access rules, so that no page slips past them.

The project's URL patterns are walked (with their namespaces) and compared with ``ROUTES``: an
explicit registry that says, for each URL name, how to build the URL from one "world" of objects
in Huyện ủy Châu Thành, which methods the view answers, whether a POST to it changes something,
and who in scope reads it. ``PUBLIC`` lists the few pages open to anyone by design. A new page
without an entry fails ``test_every_route_of_the_project_is_in_the_registry``, naming it:
whoever adds a page decides here who may open it.

For every registered URL:

* an anonymous visitor is sent to the login page, with the page to come back to;
* a user of another district (Giồng Trôm: the secretary of Chi bộ ấp Giồng, and its
  administrator) gets 404 on anything bound to a Châu Thành object, and on the other pages their
  own lists; no answer holds a word of the world (names, places, titles);
* the district's read-only council member is refused (403) every write, and nothing changes;
* an officer in scope opens every page (or download) and makes the registry's change with every
  POST: the registry builds real URLs and real changes, so the 404s, 403s and "nothing changed"
  above come from the rules, not from a wrong id or a form that could never be saved.

The world is made once for the module, inside a transaction rolled back at its end (the pattern
of Django's ``setUpTestData``); each test runs in a savepoint of its own (pytest-django's ``db``),
so a write one test lets through never reaches another. It is dated in 2024, and made and tried
on BEFORE_THE_REFORM (2/6/2025), a day the district stood: its staff act for it only while it
stands.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lantoa.accounts.models import User
from lantoa.audit.models import AuditEntry
from lantoa.cells.models import (
    AgendaItem,
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    BulletinIssue,
    MaterialKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Opinion,
    StudyMaterial,
)
from lantoa.cells.services import bulletin as bulletin_services
from lantoa.cells.services import library as library_services
from lantoa.cells.services import meetings as meeting_services
from lantoa.documents import services as document_services
from lantoa.documents.models import (
    Attachment,
    Campaign,
    Commitment,
    Document,
    Filing,
    Obligation,
    Term,
    Theme,
)
from lantoa.documents.services import Issuer
from lantoa.funds import services as fund_services
from lantoa.funds.models import (
    Beneficiary,
    Consent,
    ContributionRule,
    Disbursement,
    Exemption,
    Fund,
    LedgerEntry,
)
from lantoa.honours import council as honours_council
from lantoa.honours import decisions as honours_decisions
from lantoa.honours import services as honours_services
from lantoa.honours.certificate_docs import default_template
from lantoa.honours.models import (
    AwardForm,
    Certificate,
    CertificatePrint,
    CouncilEntry,
    CouncilList,
    Decision,
    GoodPractice,
    Nomination,
    NominationEvidence,
    NominationStep,
    Proposal,
    Recognition,
    RecognitionKind,
    Replication,
    RoundNominee,
    RoundVoter,
    VotingRound,
)
from lantoa.imports.columns import COLUMNS
from lantoa.imports.models import ImportJob, ImportStatus
from lantoa.lib import pdf
from lantoa.org.models import (
    CardNumberChange,
    Membership,
    PartyMember,
    Person,
    Position,
    PositionTitle,
    Role,
    RoleGrant,
    Unit,
    UnitKind,
    UnitParentage,
)
from lantoa.ratings import services as rating_services
from lantoa.ratings.models import (
    Discipline,
    Indicator,
    LabelKind,
    Rating,
    TargetActual,
    TermTarget,
    UnitLabel,
)
from lantoa.reports.models import ReportRun, RunStatus
from tests.conftest import BEFORE_THE_REFORM, Tree, build_tree, ten_in_the_morning
from tests.factories import PositionFactory, RoleGrantFactory, UserFactory, member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
T = dt.time
LOGIN = reverse("accounts:login")

# ---------------------------------------------------------------------------------------------
# Pages open to anyone, by design
# ---------------------------------------------------------------------------------------------

PUBLIC = {
    "accounts:login": "the way in: it must answer before anyone has logged in",
    "accounts:logout": "ends the visitor's own session, if there is one, and shows nothing",
    "web:healthz": "the load balancer's probe: says only that the database answers",
    "set_language": "Django's language switch: stores a choice in the visitor's cookie",
    "honours:verify": "anyone checks a certificate's code: genuine or not, and the words printed on it",
    "honours:verify_code": "the address in a certificate's QR code: the same check, for anyone",
}

# ---------------------------------------------------------------------------------------------
# The world: one of everything a URL can name, in Châu Thành, with words that must not leak
# ---------------------------------------------------------------------------------------------

NAME = "Trần Thị Bí Ẩn"  # party member of Chi bộ ấp Phước Thạnh and its secretary
CELL_MATE = "Lê Văn Kín Đáo"
PLACE = "Hội trường Bí Ẩn ấp Phước Thạnh"
OPINION = "Ý kiến riêng của chị Bí Ẩn về tác phong"
RESOLUTION = "Nghị quyết kín của chi bộ Phước Thạnh"
DOCUMENT = "kế hoạch bí ẩn học tập năm 2024"
ATTACHMENT = "ke-hoach-bi-an.pdf"
TERM = "Nhiệm kỳ Bí Ẩn 2020–2025"
THEME = "Chuyên đề bí ẩn năm 2024"
CAMPAIGN = "Phong trào Bí Ẩn"
OBLIGATION = "Kế hoạch bí ẩn phải nộp năm 2024"
COMMITMENT = "Vận động bà con làm con đường bí ẩn"
MATERIAL = "Tư liệu bí ẩn về Bác Hồ"
ARTICLE = "Tấm gương bí ẩn của Bác"
IMPORT_FILE = "danh-sach-bi-an.csv"
ACHIEVEMENTS = "Vận động bí ẩn hiến đất làm đường"
COLLECTIVE = "Chi hội Phụ nữ ấp Bí Ẩn"
EVIDENCE = "giay-khen-bi-an.pdf"
PRACTICE = "Mô hình bí ẩn Ngày Chủ nhật xanh"
DECISION = "tiêu biểu bí ẩn trong học tập và làm theo Bác năm 2023"
TARGET = "Chi bộ ấp bí ẩn đạt trong sạch, vững mạnh toàn diện"
ACCOUNT = "taikhoan.bian"
ACCOUNT_NAME = "Đỗ Thị Tài Khoản"
FUND = "Quỹ bí ẩn đỡ đầu trẻ em"
CHILD = "Nguyễn Bé Bí Ẩn"
GUARDIAN = "Trần Thị Giám Hộ"
REPORT_FILE = "Kết quả bí ẩn 2024"  # a figure's label kept in the Huyện ủy's report of 2024
# What a page of another district must never show.
SECRETS = (
    NAME,
    CELL_MATE,
    PLACE,
    OPINION,
    RESOLUTION,
    DOCUMENT,
    ATTACHMENT,
    TERM,
    THEME,
    CAMPAIGN,
    OBLIGATION,
    COMMITMENT,
    MATERIAL,
    ARTICLE,
    IMPORT_FILE,
    ACHIEVEMENTS,
    COLLECTIVE,
    EVIDENCE,
    PRACTICE,
    DECISION,
    ACCOUNT,
    ACCOUNT_NAME,
    FUND,
    CHILD,
    GUARDIAN,
    # The units by their names ("Châu Thành" alone is a form's example of a place name).
    "Huyện ủy Châu Thành",
    "Đảng ủy xã An Khánh",
    "Chi bộ ấp Phước Thạnh",
    "Đảng ủy xã Tân Thạch",
    "Chi bộ ấp Tân Thạnh",
    "Chi bộ Hội LHPN huyện",
)


@dataclass
class World:
    tree: Tree
    users: dict[str, User]
    member: PartyMember
    position: Position
    meeting: Meeting
    item: AgendaItem  # the study item, first on the agenda, with an opinion
    movable: AgendaItem  # the next one, which may move and go
    opinion: Opinion
    row: Attendance
    document: Document
    attachment: Attachment
    obligation: Obligation
    commitment: Commitment
    material: StudyMaterial
    issue: BulletinIssue
    article: Article  # Bí Ẩn's, accepted, first in the issue
    second_article: Article  # her cell mate's, accepted, second
    job: ImportJob
    held: Meeting  # February 2024, held: its bình xét is closed
    nomination: Nomination  # of Bí Ẩn herself, passed at the April vote
    collective: Nomination  # a collective by name, awaiting a vote
    voting_round: VotingRound
    to_publish: VotingRound  # closed, not published
    proposal: Proposal
    practice: GoodPractice
    decision: Decision  # An Khánh's giấy khen to Bí Ẩn, her certificate issued (serial 1)
    praise: Decision  # An Khánh's praise of Bí Ẩn, its certificate not yet issued
    council_list: CouncilList  # An Khánh's year-end list of 2024, Bí Ẩn on it
    rating: Rating  # Bí Ẩn's rating of 2024, proposed by her cell, decided by An Khánh
    term: Term  # the Huyện ủy's 2020–2025 term, with two targets
    entered_target: TermTarget  # its target whose actual is entered with evidence
    fund: Fund  # Phước Thạnh's savings fund, with a donation, a child, her consent and a payment
    child: Beneficiary
    consent: Consent
    payment: Disbursement  # with its receipt
    unreceipted: Disbursement  # the next quarter's, its receipt still to attach
    report_run: ReportRun  # the Huyện ủy's report of 2024, made, its Word file kept
    account: User
    grant: RoleGrant
    lock: AccessAttempt
    # Each user's session, logged in once for the module (a fresh client per test carries it).
    sessions: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    # Stored files by name: put back after a test whose action deleted one (an import).
    files: dict[str, bytes] = field(default_factory=dict)


def _import_csv() -> bytes:
    """A clean one-member file: a confirm the rules let through would really write."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    writer.writerow(
        [
            "1",
            "Nguyễn Văn Nhập",
            "90000001",
            "30/04/1980",
            "Nam",
            "Kinh",
            "Không",
            "083080001111",
            "0912000111",
            "02/09/2005",
            "02/09/2006",
            "Chi bộ ấp Phước Thạnh",
        ]
    )
    return buffer.getvalue().encode()


def _build_world() -> World:
    """Made with the services a user's clicks go through."""
    tree = build_tree()

    def user(unit: Unit, role: str) -> User:
        return RoleGrantFactory(unit=unit, role=role, valid_from=D(2020, 1, 1)).user

    users = {
        "admin": user(tree.province, Role.ADMIN),
        "staff": user(tree.district, Role.PROPAGANDA),
        "council": user(tree.district, Role.COUNCIL),
        "secretary": user(tree.phuoc_thanh, Role.SECRETARY),
        "treasurer": user(tree.phuoc_thanh, Role.TREASURER),
        # Another district: its cell's secretary (tests/conftest.py's ``outsider``) and its
        # administrator, who holds every capability there and none in Châu Thành.
        "outsider": user(tree.other_cell, Role.SECRETARY),
        "outsider_admin": user(tree.other_district, Role.ADMIN),
    }

    member = member_in(tree.phuoc_thanh, name=NAME, card_number="88000777")
    person = member.person
    person.ethnicity, person.religion, person.id_number = "Khmer", "Cao Đài", "083111222333"
    person.user = users["secretary"]  # the cell's secretary, logged in as herself
    person.save()
    mate = member_in(tree.phuoc_thanh, name=CELL_MATE)
    position = PositionFactory(person=person, unit=tree.phuoc_thanh, title=PositionTitle.SECRETARY)

    meeting = meeting_services.schedule_meeting(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=D(2024, 3, 5),
        starts_at=T(19, 30),
        ends_at=T(21, 30),
        place=PLACE,
        chair=person,
        clerk=mate.person,
    )
    meeting_services.update_meeting(actor=None, meeting=meeting, resolution=RESOLUTION)
    item = meeting.items.get(order=1)
    opinion = meeting_services.add_opinion(actor=None, item=item, person=person, text=OPINION)
    row = meeting.attendance.get(member=member)
    meeting_services.set_attendance(actor=None, attendance=row, status=AttendanceStatus.EXCUSED, reason="Ốm")

    Term.objects.create(unit=tree.district, name=TERM, starts_on=D(2020, 8, 1), ends_on=D(2025, 6, 30))
    for cell in (tree.women, tree.phuoc_thanh):
        Term.objects.create(unit=cell, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    document = document_services.issue_document(
        actor=None,
        issuer=Issuer(unit=tree.district),
        type_code="KH",
        issued_on=D(2024, 3, 5),
        summary=DOCUMENT,
        signer_name="Huỳnh Thanh Tuấn",
    )
    attachment = document_services.attach_file(
        actor=None,
        document=document,
        uploaded=SimpleUploadedFile(ATTACHMENT, b"%PDF-1.4\n% bi an\n", content_type="application/pdf"),
    )
    theme = document_services.set_yearly_theme(actor=None, unit=tree.district, year=2024, title=THEME)
    document_services.create_campaign(
        actor=None,
        unit=tree.district,
        issuer_name=tree.district.name,
        name=CAMPAIGN,
        motto="Học Bác mỗi ngày",
        starts_on=D(2024, 1, 1),
        ends_on=None,
    )
    obligation = document_services.create_obligation(
        actor=None,
        unit=tree.district,
        title=OBLIGATION,
        year=2024,
        deadline=D(2024, 3, 31),
        target_kinds=[UnitKind.CELL, UnitKind.GRASSROOTS_CELL],
        theme=theme,
    )
    # The women's union cell has filed; Phước Thạnh has not, so its filing form stays open.
    plan = document_services.issue_document(
        actor=None,
        issuer=Issuer(unit=tree.women),
        type_code="KH",
        issued_on=D(2024, 3, 10),
        summary="kế hoạch",
    )
    document_services.file_document(
        actor=None, obligation=obligation, unit=tree.women, document=plan, filed_on=D(2024, 3, 20)
    )
    commitment = document_services.register_commitment(
        actor=None, member=member, year=2024, position=1, text=COMMITMENT, on=D(2024, 2, 1)
    )

    material = library_services.share_material(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=MaterialKind.FILE,
        title=MATERIAL,
        shared_on=D(2024, 3, 5),
        uploaded=SimpleUploadedFile("tu-lieu.pdf", b"%PDF-1.4\n% tu lieu\n"),
    )
    issue = bulletin_services.open_issue(
        actor=users["staff"], unit=tree.district, period=D(2024, 3, 1), deadline=D(2024, 3, 20)
    )
    articles = []
    for order, (author, title) in enumerate(((member, ARTICLE), (mate, "Bác Hồ với thanh niên")), start=1):
        article = bulletin_services.assign_article(
            actor=users["secretary"],
            cell=tree.phuoc_thanh,
            issue=issue,
            author=author,
            topic=title,
            due_on=D(2024, 3, 15),
            assigned_on=D(2024, 3, 2),
        )
        # Handed in and accepted by the editor (the moves are the workflow's tests' business).
        article.file.save("bai-viet.docx", ContentFile(b"PK bai viet"), save=False)
        article.title, article.text = title, "Bác dạy: tiết kiệm không phải là bủn xỉn."
        article.status, article.submitted_on, article.order = ArticleStatus.EDITED, D(2024, 3, 10), order
        article.save()
        articles.append(article)

    job = ImportJob(
        unit=tree.an_khanh,
        created_by=users["staff"],
        original_name=IMPORT_FILE,
        status=ImportStatus.VALIDATED,
        counts={"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "transferred": 0, "errors": 0},
    )
    job.file.save("world.csv", ContentFile(_import_csv()), save=False)
    job.save()

    held = meeting_services.schedule_meeting(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=D(2024, 2, 6),
        starts_at=T(19, 30),
        ends_at=T(21, 0),
        place=PLACE,
        chair=person,
        clerk=mate.person,
    )
    meeting_services.set_meeting_status(
        actor=None, meeting=held, status=MeetingStatus.HELD, today=D(2024, 4, 5)
    )
    nomination = honours_services.nominate(
        actor=None,
        unit=tree.phuoc_thanh,
        subject_person=person,
        achievements=ACHIEVEMENTS,
        period_kind="month",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 1, 31),
        nominated_on=D(2024, 2, 1),
    )
    collective = honours_services.nominate(
        actor=None,
        unit=tree.phuoc_thanh,
        subject_name=COLLECTIVE,
        achievements="Giúp đỡ hộ nghèo",
        period_kind="month",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 1, 31),
        nominated_on=D(2024, 2, 2),
    )
    evidence = honours_services.add_evidence(
        actor=None, nomination=nomination, uploaded=_pdf(EVIDENCE), dated=D(2024, 1, 20)
    )
    mate_nomination = honours_services.nominate(
        actor=None,
        unit=tree.phuoc_thanh,
        subject_person=mate.person,
        achievements="Giúp hộ nghèo trồng bưởi",
        period_kind="month",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 1, 31),
        nominated_on=D(2024, 2, 1),
    )
    voting_round = honours_services.prepare_round(
        actor=None, meeting=held, nominations=[nomination, mate_nomination]
    )
    honours_services.open_round(actor=None, voting_round=voting_round)
    counted = voting_round.voters.count() - 1  # each nominee stands aside for their own name
    for entry in voting_round.nominees.all():
        honours_services.record_tally(
            actor=None, entry=entry, votes_for=counted, votes_against=0, votes_abstain=0
        )
    honours_services.close_round(actor=None, voting_round=voting_round)
    honours_services.publish_round(actor=None, voting_round=voting_round)
    # A second vote, closed and not yet published: the "publish" button's round.
    to_publish = honours_services.prepare_round(
        actor=None,
        meeting=held,
        nominations=[
            honours_services.nominate(
                actor=None,
                unit=tree.phuoc_thanh,
                subject_name="Tổ hòa giải ấp Phước Thạnh",
                achievements="Hòa giải thành 2 vụ",
                period_kind="month",
                period_start=D(2024, 1, 1),
                period_end=D(2024, 1, 31),
                nominated_on=D(2024, 2, 3),
            )
        ],
    )
    honours_services.open_round(actor=None, voting_round=to_publish)
    honours_services.record_tally(
        actor=None, entry=to_publish.nominees.get(), votes_for=counted + 1, votes_against=0, votes_abstain=0
    )
    honours_services.close_round(actor=None, voting_round=to_publish)
    # Bí Ẩn's goes up to An Khánh; her cell mate's waits to be proposed.
    nomination.refresh_from_db()
    proposal = honours_services.forward_nominations(
        actor=None,
        from_unit=tree.phuoc_thanh,
        to_unit=tree.an_khanh,
        nominations=[nomination],
        proposed_on=D(2024, 2, 10),
    )

    # An Khánh gives Bí Ẩn its giấy khen, her certificate issued; it also praises her, the
    # certificate not yet issued (the "issue" button's decision).
    Term.objects.create(unit=tree.an_khanh, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    nomination.refresh_from_db()
    decision = honours_decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=AwardForm.objects.get(code="party-giay-khen"),
        nominations=[nomination],
        decided_on=D(2024, 2, 20),
        year=2023,
        reason=DECISION,
    )
    honours_decisions.issue_certificates(actor=None, decision=decision, day=D(2024, 2, 22))
    nomination.refresh_from_db()
    praise = honours_decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[nomination],
        decided_on=D(2024, 2, 21),
        year=2023,
        reason=DECISION,
    )

    council_list = honours_council.assemble(actor=None, unit=tree.an_khanh, year=2024)

    rating = rating_services.open_member_rating(member=member, year=2024)
    rating_services.record_proposals(
        actor=None,
        unit=tree.phuoc_thanh,
        entries=[rating_services.Entry(rating, "good")],
        day=D(2024, 12, 15),
    )
    Unit.objects.filter(pk=tree.phuoc_thanh.pk).update(residential=True)
    whole_clean = LabelKind.objects.get(code="tsvm-toan-dien")
    rating_services.grant_labels(
        actor=None,
        body=tree.an_khanh,
        kind=whole_clean,
        year=2023,
        units=[tree.phuoc_thanh],
        day=D(2023, 12, 20),
        document="Quyết định số 9-QĐ/ĐU",
    )
    term = Term.objects.create(
        unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1), ends_on=D(2025, 6, 30)
    )
    TermTarget.objects.create(
        term=term,
        text=TARGET,
        indicator=Indicator.CELLS_LABELLED,
        label=whole_clean,
        target=1,
        measure="chi bộ",
    )
    entered_target = TermTarget.objects.create(
        term=term,
        position=2,
        text="Chi bộ đưa việc học tập và làm theo Bác vào sinh hoạt",
        indicator=Indicator.ENTERED,
        target=100,
        measure="%",
    )

    practice = honours_services.record_practice(
        actor=None,
        unit=tree.phuoc_thanh,
        title=PRACTICE,
        kind="model",
        started_on=D(2023, 5, 19),
        description="Mỗi Chủ nhật, đảng viên cùng bà con phát quang đường ấp.",
    )

    fund = fund_services.open_fund(
        actor=None,
        unit=tree.phuoc_thanh,
        name=FUND,
        purpose="Đảng viên tiết kiệm để đỡ đầu trẻ em.",
        opened_on=D(2024, 1, 1),
        monthly_amount=50_000,
    )
    fund_services.record_donation(
        actor=None, fund=fund, day=D(2024, 1, 5), amount=5_000_000, source="Mạnh thường quân"
    )
    child = fund_services.add_beneficiary(
        actor=None,
        fund=fund,
        full_name=CHILD,
        birth_year=2019,
        commune="xã An Khánh",
        hamlet="ấp Phước Thạnh",
        situation="Mồ côi cha.",
        guardian_name=GUARDIAN,
        guardian_relation="mẹ",
        guardian_contact="0900 000 111",
        sponsored_from=D(2024, 1, 1),
        scheduled_amount=1_200_000,
        every_months=3,
    )
    consent = fund_services.record_consent(
        actor=None,
        child=child,
        given_by="guardian",
        giver_name=GUARDIAN,
        given_on=D(2024, 1, 5),
        uses=["statement"],
    )
    payment = fund_services.record_disbursement(
        actor=None,
        child=child,
        day=D(2024, 3, 25),
        amount=1_200_000,
        handed_by=member.person,
        received_by=GUARDIAN,
        receipt=SimpleUploadedFile(
            "bien-nhan-bi-an.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"
        ),
    )
    unreceipted = fund_services.record_disbursement(
        actor=None,
        child=child,
        day=D(2024, 6, 25),
        amount=1_200_000,
        handed_by=member.person,
        received_by=GUARDIAN,
    )

    # A report made earlier: its kept figures differ from today's count, so its page names them.
    report_run = ReportRun.objects.create(
        unit=tree.district,
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),
        status=RunStatus.DONE,
        figures={"statistics": [{"id": "honours.reward.individuals", "label": REPORT_FILE, "value": 999}]},
    )
    report_run.docx.save("bao-cao-bi-an.docx", ContentFile(b"PK\x03\x04 report"), save=True)

    first, last = ACCOUNT_NAME.rsplit(" ", 1)
    account = UserFactory(username=ACCOUNT, first_name=first, last_name=last)
    grant = RoleGrantFactory(user=account, unit=tree.phuoc_thanh, role=Role.CLERK, valid_from=D(2020, 1, 1))
    lock = AccessAttempt.objects.create(
        username=ACCOUNT,
        ip_address="10.0.0.12",
        user_agent="",
        http_accept="",
        path_info=LOGIN,
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    files = {
        stored.name: stored.read()
        for stored in (
            attachment.file,
            material.file,
            articles[0].file,
            articles[1].file,
            job.file,
            evidence.file,
            payment.receipt,
            report_run.docx,
        )
    }
    sessions = {}
    for who, logged_in in users.items():
        client = Client()
        client.force_login(logged_in)
        sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return World(
        tree=tree,
        users=users,
        member=member,
        position=position,
        meeting=meeting,
        item=item,
        movable=meeting.items.get(order=2),
        opinion=opinion,
        row=row,
        document=document,
        attachment=attachment,
        obligation=obligation,
        commitment=commitment,
        material=material,
        issue=issue,
        article=articles[0],
        second_article=articles[1],
        job=job,
        held=held,
        nomination=nomination,
        collective=collective,
        voting_round=voting_round,
        to_publish=to_publish,
        proposal=proposal,
        practice=practice,
        decision=decision,
        praise=praise,
        council_list=council_list,
        rating=rating,
        term=term,
        entered_target=entered_target,
        fund=fund,
        child=child,
        consent=consent,
        payment=payment,
        unreceipted=unreceipted,
        report_run=report_run,
        account=account,
        grant=grant,
        lock=lock,
        sessions=sessions,
        files=files,
    )


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, made once inside a transaction that is rolled back when the module ends: each
    test's ``db`` savepoint nests inside it (as Django's ``setUpTestData`` does), so no test sees
    another's changes and nothing stays for the next module. About 600 requests against one world
    take seconds; the same world made for each test would take two minutes."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # The same day as the tests (the module's mark): the district stands, sessions hold.
            with time_machine.travel(ten_in_the_morning(BEFORE_THE_REFORM), tick=True):
                built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_world_of_the_module: World, db: None) -> Iterator[World]:
    """The module's world; this test's changes are rolled back with its savepoint (``db``)."""
    yield _world_of_the_module
    for name, content in _world_of_the_module.files.items():
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))


def login(world: World, who: str) -> Client:
    """The client of ``who`` (``anonymous``: nobody's) with their session cookie and nothing else:
    no message left over from another test. Clients are kept for the module, as each new one
    loads the middleware again (WhiteNoise scans the static files)."""
    client = world.clients.setdefault(who, Client())
    client.cookies = SimpleCookie()
    if who != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[who]
    return client


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

Builder = Callable[[World], dict[str, Any]]


def _none(w: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """How to reach one URL name and what each visitor must get there."""

    kwargs: Builder = _none
    query: dict[str, str] = field(default_factory=dict)
    methods: frozenset[str] = frozenset({"GET"})  # what the view answers
    write: bool = False  # a POST changes something
    # Bound to an object of Châu Thành (a unit key, a public id, an id, ?unit=): 404 elsewhere.
    # Unbound pages answer another district with its own lists.
    bound: bool = True
    # A cell secretary is refused this page by role alone (403), wherever they are: accounts,
    # the audit log, the tree's changes, obligations (set by committees).
    cell_secretary_refused: bool = False
    reader: str = "admin"  # an officer in scope who opens it
    download: bool = False  # answers a file (Content-Disposition: attachment)
    # What the reader's page shows of the world: words, or a link made from it.
    shows: tuple[str | Callable[[World], str], ...] = ()
    data: Builder = _none  # what a POST sends: a change an officer in scope may make
    posted: int = 302  # what that officer's POST answers
    unchanged: str = ""  # why that POST changes nothing in this world, when it cannot


def page(kwargs: Builder = _none, **options: Any) -> Route:
    return Route(kwargs, **options)


def form(kwargs: Builder = _none, **options: Any) -> Route:
    """A page with a form that changes something when posted."""
    return Route(kwargs, methods=frozenset({"GET", "POST"}), write=True, **options)


def action(kwargs: Builder = _none, **options: Any) -> Route:
    """A button: POST only, then a redirect."""
    return Route(kwargs, methods=frozenset({"POST"}), write=True, **options)


def download(kwargs: Builder = _none, **options: Any) -> Route:
    return Route(kwargs, download=True, **options)


def _key(key: str) -> Builder:
    return lambda w: {"key": key}


def _person(w: World) -> dict[str, Any]:
    return {"public_id": w.member.person.public_id}


def _meeting(w: World) -> dict[str, Any]:
    return {"public_id": w.meeting.public_id}


def _item(w: World) -> dict[str, Any]:
    return {"public_id": w.meeting.public_id, "item_id": w.item.pk}


def _movable(w: World) -> dict[str, Any]:
    return {"public_id": w.meeting.public_id, "item_id": w.movable.pk}


def _row(w: World) -> dict[str, Any]:
    return {"public_id": w.meeting.public_id, "attendance_id": w.row.pk}


def _document(w: World) -> dict[str, Any]:
    return {"public_id": w.document.public_id}


def _obligation(w: World) -> dict[str, Any]:
    return {"public_id": w.obligation.public_id}


def _material(w: World) -> dict[str, Any]:
    return {"public_id": w.material.public_id}


def _issue(w: World) -> dict[str, Any]:
    return {"public_id": w.issue.public_id}


def _article(w: World) -> dict[str, Any]:
    return {"public_id": w.article.public_id}


def _job(w: World) -> dict[str, Any]:
    return {"public_id": w.job.public_id}


def _account(w: World) -> dict[str, Any]:
    return {"user_id": w.account.pk}


def _decision(w: World) -> dict[str, Any]:
    return {"public_id": w.decision.public_id}


def _fund(w: World) -> dict[str, Any]:
    return {"public_id": w.fund.public_id}


def _child(w: World) -> dict[str, Any]:
    return {"public_id": w.child.public_id}


def _data(**values: Any) -> Builder:
    return lambda w: values


UNIT = {"unit": "phuoc-thanh"}
MARCH = {"unit": "phuoc-thanh", "month": "2024-03"}
GRANT = {"unit": "phuoc-thanh", "role": Role.DEPUTY, "valid_from": "01/01/2025", "valid_to": ""}
PERSON_FORM = {"full_name": "Nguyễn Văn Đổi", "birth_date": "01/05/1980", "gender": "M", "phone": ""}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% da ky\n", content_type="application/pdf")


ROUTES: dict[str, Route] = {
    # --- web -----------------------------------------------------------------------------------
    # A cell's secretary starts on this month's meeting of her cell.
    "web:home": page(bound=False, reader="secretary", shows=("Chi bộ ấp Phước Thạnh",)),
    # --- accounts ------------------------------------------------------------------------------
    # Changing one's own password is every role's right, not a change to the Party's records.
    "accounts:password_change": Route(methods=frozenset({"GET", "POST"}), bound=False),
    "accounts:password_change_done": page(bound=False),
    "accounts:users": page(bound=False, cell_secretary_refused=True, shows=(ACCOUNT,)),
    "accounts:locks": form(
        bound=False, cell_secretary_refused=True, shows=(ACCOUNT,), data=lambda w: {"lock": w.lock.pk}
    ),
    "accounts:user_create": form(
        bound=False,
        cell_secretary_refused=True,
        shows=("Chi bộ ấp Phước Thạnh",),
        data=_data(username="moi", full_name="Nguyễn Văn Mới", password="Lan-toa-2025-moi", **GRANT),
    ),
    "accounts:user_detail": form(
        _account, cell_secretary_refused=True, shows=(ACCOUNT,), data=_data(**GRANT)
    ),
    "accounts:grant_end": form(
        lambda w: {"user_id": w.account.pk, "grant_id": w.grant.pk},
        cell_secretary_refused=True,
        shows=(ACCOUNT_NAME,),
    ),
    # --- audit ---------------------------------------------------------------------------------
    # The log names a sponsored child by initials only (its record's str), never by name.
    "audit:log": page(bound=False, cell_secretary_refused=True, shows=("N. B. B. Ẩ. (2019)",)),
    # --- org: the tree -------------------------------------------------------------------------
    "org:tree": page(bound=False, query={"q": "phuoc thanh"}, shows=("Chi bộ ấp Phước Thạnh",)),
    "org:tree_children": page(_key("an-khanh"), shows=("Chi bộ ấp Phước Thạnh",)),
    "org:unit_create": form(
        bound=False,
        cell_secretary_refused=True,
        shows=("Chi bộ ấp Phước Thạnh",),
        data=_data(
            name="Chi bộ ấp Mới",
            key="ap-moi",
            short_code="CB",
            kind="cell",
            parent="an-khanh",
            valid_from="01/01/2024",
        ),
    ),
    "org:unit": page(_key("phuoc-thanh"), shows=(NAME, CELL_MATE)),
    "org:unit_edit": form(
        _key("phuoc-thanh"), data=_data(name="Chi bộ ấp Đổi Tên", short_code="CB", kind="cell")
    ),
    "org:unit_move": form(_key("phuoc-thanh"), data=_data(new_parent="tan-thach", on="01/01/2025")),
    # A cell without members (one with members is refused until they are moved).
    "org:unit_close": form(_key("tan-thanh"), data=_data(last_day="01/01/2025")),
    "org:unit_merge": form(
        _key("phuoc-thanh"), data=_data(sources=["tan-thanh"], on="01/01/2025", kind="merge")
    ),
    "org:member_create": form(
        _key("phuoc-thanh"),
        data=_data(**{f"p-{k}": v for k, v in PERSON_FORM.items()}, **{"m-admitted_on": "02/09/2005"}),
    ),
    # --- org: people ---------------------------------------------------------------------------
    "org:people": page(bound=False, query={"q": "bi an"}, shows=(NAME,)),
    "org:person": page(_person, shows=(NAME,)),
    "org:person_sensitive": page(_person, shows=("Cao Đài",)),
    "org:person_edit": form(_person, shows=(NAME,), data=_data(**PERSON_FORM)),
    "org:member_transfer": form(_person, shows=(NAME,), data=_data(to_unit="tan-thanh", on="01/01/2025")),
    "org:member_card": form(_person, shows=(NAME,), data=_data(new_number="88000999", on="01/01/2025")),
    "org:position_create": form(
        _person,
        shows=(NAME,),
        data=_data(unit="phuoc-thanh", title=PositionTitle.DEPUTY, valid_from="01/01/2025"),
    ),
    "org:position_end": form(
        lambda w: {"public_id": w.member.person.public_id, "position_id": w.position.pk}, shows=(NAME,)
    ),
    # --- documents: the register ---------------------------------------------------------------
    "documents:list": page(bound=False, shows=(DOCUMENT,)),
    "documents:create": form(
        bound=False,
        shows=("Huyện ủy Châu Thành",),
        data=_data(
            issuer="unit:chau-thanh",
            system="party",
            type_code="KH",
            issued_on="05/03/2024",
            summary="kế hoạch mới",
        ),
    ),
    "documents:detail": page(_document, shows=(DOCUMENT, ATTACHMENT)),
    "documents:docx": download(_document),
    "documents:pdf": download(_document),
    "documents:attachment": download(
        lambda w: {"public_id": w.document.public_id, "attachment_id": w.attachment.pk}
    ),
    "documents:terms": form(
        _key("chau-thanh"),
        shows=(TERM,),
        data=_data(name="Nhiệm kỳ 2015–2020", starts_on="01/08/2015", ends_on="31/07/2020"),
    ),
    # --- documents: the programme --------------------------------------------------------------
    "documents:themes": form(
        bound=False,
        shows=(THEME, CAMPAIGN),
        data=_data(**{"theme": "1", "theme-unit": "chau-thanh", "theme-year": "2025", "theme-title": "Mới"}),
    ),
    "documents:cell_commitments": page(_key("phuoc-thanh"), query={"year": "2024"}, shows=(NAME, COMMITMENT)),
    "documents:member_commitments": form(
        lambda w: {"member_id": w.member.pk}, query={"year": "2024"}, shows=(NAME,), data=_data(first="Đổi")
    ),
    "documents:commitment_assess": form(
        lambda w: {"commitment_id": w.commitment.pk}, shows=(COMMITMENT,), data=_data(done="1", note="Xong")
    ),
    # --- documents: obligations ----------------------------------------------------------------
    "documents:obligations": page(bound=False, shows=(OBLIGATION,)),
    "documents:obligation_create": form(
        bound=False,
        cell_secretary_refused=True,
        # Committees the reader answers for today: the district closed on 30/6/2025, and what
        # stayed under it is no longer the province's; An Khánh moved up to the province.
        shows=("Đảng ủy xã An Khánh",),
        data=_data(
            unit="an-khanh",
            title="Mới",
            year="2024",
            required_type="KH",
            target_kinds=["cell"],
            deadline="31/05/2024",
        ),
    ),
    # The basis documents An Khánh may cite, the district's plan among them (htmx, or no-JS).
    "documents:obligation_sources": page(
        query={"unit": "an-khanh", "sources_q": "bi an"}, cell_secretary_refused=True, shows=(DOCUMENT,)
    ),
    "documents:obligation": page(_obligation, shows=(OBLIGATION,)),
    "documents:obligation_missing": download(_obligation),
    "documents:obligation_file": form(
        lambda w: {"public_id": w.obligation.public_id, "key": "phuoc-thanh"},
        shows=(OBLIGATION,),
        data=lambda w: {
            "summary": "kế hoạch của chi bộ",
            "issued_on": "10/03/2024",
            "signer_title": "BÍ THƯ",
            "signer_name": NAME,
            "file": _pdf("ke-hoach-chi-bo.pdf"),
            "filed_on": "10/03/2024",
        },
    ),
    # --- cells: meetings -----------------------------------------------------------------------
    "cells:meetings": page(
        query=MARCH, shows=(lambda w: reverse("cells:meeting", args=[w.meeting.public_id]),)
    ),
    "cells:meeting_year": page(query={"unit": "an-khanh", "year": "2024"}, shows=("Chi bộ ấp Phước Thạnh",)),
    "cells:meeting_create": form(query=UNIT, data=_data(kind=MeetingKind.REGULAR, date="05/04/2024")),
    "cells:missing_meetings": page(
        query={"unit": "an-khanh", "month": "2024-03"}, shows=("Chi bộ ấp Phước Thạnh",)
    ),
    "cells:missing_meetings_xlsx": download(query={"unit": "an-khanh", "month": "2024-03"}),
    "cells:meeting": page(_meeting, shows=(PLACE, OPINION, RESOLUTION)),
    "cells:meeting_edit": form(
        _meeting, shows=(PLACE,), data=_data(kind=MeetingKind.REGULAR, date="06/03/2024")
    ),
    "cells:meeting_hold": action(_meeting, data=_data(starts_at="19:30", ends_at="21:15")),
    # The chair approves; she is the cell's secretary, logged in as herself.
    "cells:meeting_approve": form(
        _meeting,
        reader="secretary",
        posted=200,
        unchanged="the meeting is only planned: its minutes are approved once it has been held",
    ),
    "cells:resolution": form(
        _meeting, query={"edit": "1"}, shows=(RESOLUTION,), data=_data(resolution="Đổi")
    ),
    "cells:agenda_add": action(_meeting, data=_data(title="Việc mới")),
    "cells:agenda_item": form(_item, data=_data(title="Học tập chuyên đề", content="Nội dung mới")),
    "cells:agenda_move": action(_movable, data=_data(direction="down")),
    "cells:agenda_remove": action(_movable),
    "cells:opinion_add": action(_item, data=lambda w: {"person": w.member.person.pk, "text": "Ý kiến mới"}),
    "cells:opinion_remove": action(
        lambda w: {"public_id": w.meeting.public_id, "item_id": w.item.pk, "opinion_id": w.opinion.pk}
    ),
    "cells:attendance": page(_meeting, shows=(NAME, CELL_MATE)),
    "cells:attendance_all_present": action(_meeting),
    "cells:attendance_mark": action(_row, data=_data(action="tap")),
    "cells:attendance_amend": form(
        _row, shows=(NAME,), data=_data(status="unexcused", reason="", amendment_reason="Sửa")
    ),
    "cells:attendance_sheet": download(_meeting),
    "cells:attendance_print": page(_meeting, shows=(NAME, PLACE)),
    "cells:minutes_docx": download(_meeting),
    "cells:minutes_pdf": download(_meeting),
    # --- cells: library ------------------------------------------------------------------------
    "cells:library": page(bound=False, shows=(MATERIAL,)),
    "cells:material_create": form(
        query=UNIT,
        data=_data(kind=MaterialKind.ARTICLE, title="Mới", summary="Chuyện mới", shared_on="05/03/2024"),
    ),
    "cells:material": page(_material, shows=(MATERIAL,)),
    "cells:material_edit": form(
        _material, shows=(MATERIAL,), data=_data(kind=MaterialKind.FILE, title="Đổi", shared_on="05/03/2024")
    ),
    "cells:material_file": download(_material),
    # --- cells: bulletin -----------------------------------------------------------------------
    "cells:bulletin": form(
        bound=False,
        shows=("Huyện ủy Châu Thành",),
        data=_data(unit="chau-thanh", period="04/2024", deadline="20/04/2024"),
    ),
    # Her own articles: the secretary wrote one.
    "cells:my_articles": page(bound=False, reader="secretary", shows=(ARTICLE,)),
    "cells:bulletin_issue": page(_issue, shows=(ARTICLE, NAME)),
    "cells:bulletin_order": action(
        _issue,
        data=lambda w: {f"order-{w.article.public_id}": "2", f"order-{w.second_article.public_id}": "1"},
    ),
    "cells:bulletin_publish": action(_issue),
    "cells:bulletin_docx": download(_issue),
    "cells:article": form(
        _article,
        shows=(ARTICLE, NAME),
        data=_data(**{"action": "accept", "accept-title": "Đổi", "accept-text": "Đổi"}),
    ),
    "cells:article_file": download(_article),
    "cells:bulletin_cell": form(
        _key("phuoc-thanh"),
        shows=(NAME, CELL_MATE),
        data=lambda w: {
            "issue": w.issue.public_id,
            "member": w.member.pk,
            "topic": "Mới",
            "due_on": "15/03/2024",
        },
        posted=200,
        unchanged="no issue of Châu Thành collects articles today: its issue closed on 20/03/2024",
    ),
    # --- imports -------------------------------------------------------------------------------
    "imports:start": form(
        bound=False,
        reader="staff",
        shows=(IMPORT_FILE,),
        data=lambda w: {"unit": "an-khanh", "file": SimpleUploadedFile("moi.csv", _import_csv())},
    ),
    "imports:template": download(query={"unit": "an-khanh"}),
    "imports:job": page(_job, shows=(IMPORT_FILE,)),
    "imports:confirm": action(_job),
    "imports:cancel": action(_job),
    "imports:restart": action(
        _job, unchanged="only a job whose worker stopped is restarted; this one is checked"
    ),
    "imports:export_members": download(_key("phuoc-thanh")),
    # --- honours -------------------------------------------------------------------------------
    "honours:nominations": page(bound=False, shows=(NAME, COLLECTIVE)),
    "honours:nomination_create": form(
        query=UNIT,
        shows=(NAME,),  # the cell's members to choose from
        data=_data(
            unit="phuoc-thanh",
            subject_kind="name",
            subject_name="Chi đoàn ấp Mới",
            period_kind="month",
            period_start="01/04/2024",
            period_end="30/04/2024",
            achievements="Ra quân làm sạch kênh",
        ),
    ),
    "honours:nomination": page(
        lambda w: {"public_id": w.nomination.public_id}, shows=(NAME, ACHIEVEMENTS, EVIDENCE)
    ),
    "honours:evidence_add": action(
        lambda w: {"public_id": w.nomination.public_id},
        data=lambda w: {"file": _pdf("anh-cong-trinh.pdf"), "dated": "25/01/2024"},
    ),
    "honours:evidence": download(
        lambda w: {"public_id": w.nomination.public_id, "evidence_id": w.nomination.evidence.get().pk}
    ),
    "honours:nomination_commitments": action(
        lambda w: {"public_id": w.nomination.public_id},
        data=_data(commitments=[]),
        unchanged="Bí Ẩn registered no commitment: citing none is what her nomination already cites",
    ),
    "honours:nomination_withdraw": action(
        lambda w: {"public_id": w.collective.public_id}, data=_data(reason="Trùng hồ sơ")
    ),
    "honours:person_record": page(_person, shows=(NAME, ACHIEVEMENTS)),
    "honours:unit_record": page(_key("phuoc-thanh"), shows=("Chi bộ ấp Phước Thạnh",)),
    "honours:collective_record": page(query={"name": COLLECTIVE}, shows=("Giúp đỡ hộ nghèo",)),
    "honours:round_create": form(
        lambda w: {"public_id": w.held.public_id},
        shows=(COLLECTIVE,),
        data=lambda w: {"nominations": [str(w.collective.public_id)], "method": "hands"},
    ),
    "honours:round": page(lambda w: {"public_id": w.voting_round.public_id}, shows=(NAME,)),
    "honours:round_minutes": download(lambda w: {"public_id": w.voting_round.public_id}),
    "honours:round_action": action(lambda w: {"public_id": w.to_publish.public_id, "action": "publish"}),
    "honours:proposal_create": form(
        query=UNIT,
        shows=(CELL_MATE,),  # passed, waiting to be proposed
        data=lambda w: {
            "unit": "phuoc-thanh",
            "nominations": [
                str(
                    w.voting_round.nominees.get(
                        nomination__subject_person__full_name=CELL_MATE
                    ).nomination.public_id
                )
            ],
            "to_unit": "an-khanh",
            "proposed_on": "20/02/2024",
        },
    ),
    "honours:proposal": page(lambda w: {"public_id": w.proposal.public_id}, shows=(NAME,)),
    "honours:proposal_docx": download(lambda w: {"public_id": w.proposal.public_id}),
    "honours:practices": page(bound=False, query={"q": "chu nhat xanh"}, shows=(PRACTICE,)),
    "honours:practice_create": form(
        query=UNIT,
        data=_data(
            unit="phuoc-thanh",
            title="Mô hình mới",
            kind="method",
            started_on="01/03/2024",
            description="Mô tả",
        ),
    ),
    # The women's union cell takes Phước Thạnh's practice up (the admin writes for both).
    "honours:practice": form(
        lambda w: {"public_id": w.practice.public_id},
        shows=(PRACTICE,),
        data=_data(unit="hoi-lhpn", started_on="01/03/2024"),
    ),
    "honours:decisions": page(
        bound=False, shows=("Đảng ủy xã An Khánh", lambda w: reverse("honours:decision", kwargs=_decision(w)))
    ),
    # Bí Ẩn's nomination is before An Khánh, which has rewarded and praised her: it introduces her.
    "honours:decision_create": form(
        query={"unit": "an-khanh"},
        shows=(NAME,),
        data=lambda w: {
            "unit": "an-khanh",
            "kind": RecognitionKind.INTRODUCE,
            "periodic": "on",
            "year": "2024",
            "reason": "gương điển hình tháng 3",
            "decided_on": "20/03/2024",
            "nominations": [str(w.nomination.public_id)],
        },
    ),
    # The figures under the district that year, down to An Khánh's giấy khen to Bí Ẩn.
    "honours:figures": page(
        query={
            "unit": "chau-thanh",
            "from": "01/01/2024",
            "to": "31/12/2024",
            "line": "reward",
            "subjects": "individuals",
        },
        shows=(NAME, lambda w: reverse("honours:decision", kwargs=_decision(w))),
    ),
    "honours:decision": page(_decision, shows=(NAME, DECISION)),
    "honours:decision_docx": download(_decision),
    "honours:decision_attach": action(
        _decision, data=lambda w: {"file": _pdf("qd-ky.pdf"), "title": "Bản ký"}
    ),
    "honours:certificates_issue": action(lambda w: {"public_id": w.praise.public_id}),
    "honours:certificates": download(lambda w: {**_decision(w), "file_format": "docx"}),
    "honours:certificate": download(lambda w: {**_decision(w), "serial": 1, "file_format": "docx"}),
    "honours:certificate_template": form(
        query={"unit": "an-khanh"},
        shows=("Đảng ủy xã An Khánh", "holder_name"),
        data=lambda w: {
            "unit": "an-khanh",
            "file": SimpleUploadedFile("mau-an-khanh.docx", default_template()),
        },
    ),
    "honours:certificate_template_download": download(query={"unit": "an-khanh"}),
    "honours:council_index": page(bound=False, shows=("Đảng ủy xã An Khánh · 2024",)),
    # A list for another year: made when the staff of An Khánh ask for it.
    "honours:council_assemble": action(data=_data(unit="an-khanh", year="2023")),
    "honours:council": page(lambda w: {"public_id": w.council_list.public_id}, shows=(NAME,)),
    "honours:council_add": action(
        lambda w: {"public_id": w.council_list.public_id},
        data=lambda w: {"nomination": str(w.collective.public_id), "reason": "Tập thể tiêu biểu"},
    ),
    "honours:council_entry": action(
        lambda w: {
            "public_id": w.council_list.public_id,
            "entry_id": w.council_list.entries.first().pk,
            "action": "remove",
        },
        data=_data(reason="Trùng với danh sách khác"),
    ),
    "honours:council_export": download(
        lambda w: {"public_id": w.council_list.public_id, "file_format": "xlsx"}
    ),
    "honours:recognition_revoke": action(
        lambda w: {**_decision(w), "recognition_id": w.decision.recognitions.get().pk},
        data=_data(revoked_on="01/03/2024", revoked_reason="Bị kỷ luật khiển trách"),
    ),
    # Year-end ratings: the index lists the reader's own units.
    "ratings:index": page(bound=False, shows=("Tỉnh ủy Bến Tre",)),
    # An Khánh decides the ratings its cells proposed: Bí Ẩn's, proposed "good" by her cell.
    "ratings:unit_year": form(
        lambda w: {"key": "an-khanh", "year": "2024"},
        shows=(NAME, "Chi bộ ấp Phước Thạnh"),
        data=lambda w: {
            "decide": "1",
            "day": "20/12/2024",
            "document": "Quyết định số 12-QĐ/ĐU ngày 20/12/2024",
            f"level-{w.rating.pk}": "good",
        },
    ),
    "ratings:rating": page(lambda w: {"public_id": w.rating.public_id}, shows=(NAME,)),
    "ratings:discipline_create": form(
        lambda w: {"public_id": w.rating.public_id},
        shows=(NAME,),
        data=_data(
            form="reprimand", decided_on="01/03/2025", document="Quyết định số 3-QĐ/ĐU", reason="Vi phạm"
        ),
    ),
    "ratings:labels": form(
        lambda w: {"key": "an-khanh", "year": "2024"},
        shows=("Chi bộ ấp Phước Thạnh",),
        data=lambda w: {
            "kind": str(LabelKind.objects.get(code="tsvm-toan-dien").pk),
            "units": str(w.tree.phuoc_thanh.pk),
            "day": "20/12/2024",
            "document": "Quyết định số 13-QĐ/ĐU",
        },
    ),
    "ratings:targets": page(_key("chau-thanh"), shows=(TARGET,)),
    "ratings:target_create": form(
        _key("chau-thanh"),
        shows=("Nhiệm kỳ 2020–2025",),
        data=lambda w: {
            "term": str(w.term.pk),
            "position": "3",
            "text": "Kết nạp đảng viên mới",
            "indicator": "entered",
            "target": "120",
            "measure": "đảng viên",
        },
    ),
    "ratings:actual_enter": form(
        lambda w: {"target_id": w.entered_target.pk},
        shows=("Chi bộ đưa việc học tập",),
        data=_data(year="2024", value="98,5", evidence="Báo cáo số 210-BC/HU ngày 15/12/2024"),
    ),
    # Savings funds: Phước Thạnh's, kept by its treasurer; the province's administrator reads it
    # with the child masked, and changes nothing (the fund's managers alone keep it).
    "funds:index": page(bound=False, shows=(FUND,)),
    "funds:fund": page(_fund, shows=(FUND, "N. B. B. Ẩ. (2019)")),
    "funds:fund_create": form(
        bound=False,
        reader="treasurer",
        shows=("Chi bộ ấp Phước Thạnh",),
        data=lambda w: {
            "unit": w.tree.phuoc_thanh.pk,
            "name": "Quỹ khuyến học",
            "purpose": "Tặng vở cho học sinh nghèo.",
            "opened_on": "01/06/2025",
            "monthly_amount": "20.000",
        },
    ),
    "funds:rule_create": form(
        _fund,
        reader="treasurer",
        data=_data(valid_from="07/2025", monthly_amount="60.000", decided_by="Chi bộ"),
    ),
    "funds:savings": form(
        _fund,
        reader="treasurer",
        shows=(NAME,),
        data=lambda w: {"month": "05/2025", "members": [w.member.pk]},
    ),
    "funds:exemption_create": form(
        _fund,
        reader="treasurer",
        shows=(NAME,),
        data=lambda w: {"member": w.member.pk, "first_month": "05/2025", "reason": "Điều trị bệnh"},
    ),
    "funds:money_in": form(
        _fund,
        reader="treasurer",
        data=_data(kind="donation", day="01/06/2025", amount="500.000", source="Hội viên phụ nữ"),
    ),
    "funds:ledger": page(
        _fund, query={"start": "01/01/2024", "end": "31/05/2025"}, shows=("Mạnh thường quân", "5.000.000")
    ),
    "funds:reverse": action(
        lambda w: {**_fund(w), "number": w.payment.entry.number},
        reader="treasurer",
        data=_data(reason="Ghi nhầm"),
    ),
    "funds:child_create": form(
        _fund,
        reader="treasurer",
        data=_data(
            full_name="Lê Văn Bé",
            birth_year="2018",
            commune="xã An Khánh",
            situation="Mồ côi mẹ.",
            guardian_name="Lê Văn Ông",
            guardian_relation="ông ngoại",
            sponsored_from="01/06/2025",
            scheduled_amount="1.200.000",
            every_months="3",
        ),
    ),
    "funds:statement": page(_fund, query={"start": "01/01/2024", "end": "31/05/2025"}, shows=("5.000.000",)),
    "funds:statement_file": download(lambda w: {**_fund(w), "fmt": "xlsx"}),
    "funds:child": page(_child, shows=("N. B. B. Ẩ. (2019)", "1.200.000")),
    "funds:child_edit": form(
        _child,
        reader="treasurer",
        shows=(CHILD, GUARDIAN),
        data=_data(
            full_name=CHILD,
            birth_year="2019",
            commune="xã An Khánh",
            hamlet="ấp Phước Thạnh",
            situation="Mồ côi cha, mẹ đau yếu.",
            guardian_name=GUARDIAN,
            guardian_relation="mẹ",
            sponsored_from="01/01/2024",
            scheduled_amount="1.200.000",
            every_months="3",
        ),
    ),
    "funds:consent_create": form(
        _child,
        reader="treasurer",
        data=_data(given_by="child", giver_name=CHILD, given_on="01/06/2025", uses=["statement"]),
    ),
    "funds:consent_withdraw": action(lambda w: {**_child(w), "consent_id": w.consent.pk}, reader="treasurer"),
    "funds:pay": form(
        _child,
        reader="treasurer",
        data=lambda w: {
            "day": "01/06/2025",
            "amount": "1.200.000",
            "handed_by": w.member.person.pk,
            "received_by": GUARDIAN,
        },
    ),
    "reports:dashboard": page(
        query={"unit": "chau-thanh"},
        shows=(lambda w: reverse("reports:index") + "?unit=chau-thanh",),
    ),
    "reports:index": page(
        query={"unit": "chau-thanh", "from": "01/01/2024", "to": "31/12/2024"},
        shows=(lambda w: reverse("reports:run", kwargs={"public_id": w.report_run.public_id}),),
    ),
    "reports:records": page(
        query={
            "unit": "chau-thanh",
            "from": "01/01/2024",
            "to": "31/12/2024",
            "statistic": "honours.reward.individuals",
        },
        shows=(NAME,),
    ),
    "reports:generate": action(
        data=lambda w: {"unit": "chau-thanh", "from": "01/01/2024", "to": "31/12/2024"}
    ),
    "reports:run": page(lambda w: {"public_id": w.report_run.public_id}, shows=(REPORT_FILE,)),
    "reports:download": download(lambda w: {"public_id": w.report_run.public_id, "fmt": "docx"}),
    "funds:receipt": download(lambda w: {"public_id": w.payment.public_id}, reader="treasurer"),
    "funds:receipt_attach": action(
        lambda w: {"public_id": w.unreceipted.public_id},
        reader="treasurer",
        data=lambda w: {"receipt": _pdf("bien-nhan-moi.pdf")},
    ),
}


def url_of(name: str, world: World) -> str:
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    return f"{url}?{urlencode(route.query)}" if route.query else url


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        else:
            assert pattern.name, f"{pattern.pattern} has no name: it cannot be guarded by name"
            yield f"{namespace}{pattern.name}"


def project_url_names() -> list[str]:
    return list(_names(get_resolver().url_patterns))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> HttpResponse:
    return client.post(url, data or {}) if method == "POST" else client.get(url)


def body(response: HttpResponse) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def leaked(response: HttpResponse) -> list[str]:
    text = body(response)
    return [secret for secret in SECRETS if secret in text]


# Every model a page of the project writes.
MODELS = [
    Unit,
    UnitParentage,
    Person,
    PartyMember,
    Membership,
    CardNumberChange,
    Position,
    User,
    RoleGrant,
    AccessAttempt,
    Document,
    Attachment,
    Term,
    Theme,
    Campaign,
    Obligation,
    Filing,
    Commitment,
    Meeting,
    AgendaItem,
    Opinion,
    Attendance,
    StudyMaterial,
    BulletinIssue,
    Article,
    ImportJob,
    Nomination,
    NominationEvidence,
    NominationStep,
    VotingRound,
    RoundVoter,
    RoundNominee,
    Proposal,
    GoodPractice,
    Replication,
    Decision,
    Recognition,
    Certificate,
    CertificatePrint,
    CouncilEntry,
    CouncilList,
    Rating,
    Discipline,
    UnitLabel,
    TermTarget,
    TargetActual,
    Fund,
    ContributionRule,
    Exemption,
    Beneficiary,
    Consent,
    LedgerEntry,
    Disbursement,
    AuditEntry,
]


def state() -> dict[str, Any]:
    """What a refused write must leave as it was: how many rows of every model (in one query),
    and the fields the registry's writes would change."""
    quote = connection.ops.quote_name
    # Table names of our own models, nothing typed by anyone.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in MODELS)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {
        "counts": dict(zip([model.__name__ for model in MODELS], row, strict=True)),
        "units": sorted(Unit.objects.values_list("key", "name", "valid_to")),
        "people": sorted(Person.objects.values_list("pk", "full_name", "phone")),
        "positions": sorted(Position.objects.values_list("pk", "valid_to")),
        "grants": sorted(RoleGrant.objects.values_list("pk", "valid_to")),
        "meetings": sorted(Meeting.objects.values_list("pk", "status", "date", "resolution")),
        "items": sorted(AgendaItem.objects.values_list("pk", "order", "title", "content")),
        "attendance": sorted(Attendance.objects.values_list("pk", "status", "reason")),
        "commitments": sorted(Commitment.objects.values_list("pk", "text", "done")),
        "materials": sorted(StudyMaterial.objects.values_list("pk", "title", "kind")),
        "issues": sorted(BulletinIssue.objects.values_list("pk", "status")),
        "articles": sorted(Article.objects.values_list("pk", "status", "title", "order")),
        "jobs": sorted(ImportJob.objects.values_list("pk", "status")),
        "nominations": sorted(Nomination.objects.values_list("pk", "status")),
        "rounds": sorted(VotingRound.objects.values_list("pk", "status")),
        "recognitions": sorted(Recognition.objects.values_list("pk", "revoked_on")),
        "council_entries": sorted(CouncilEntry.objects.values_list("pk", "removed_on")),
    }


# ---------------------------------------------------------------------------------------------
# The registry covers the project
# ---------------------------------------------------------------------------------------------


def test_every_route_of_the_project_is_in_the_registry():
    names = project_url_names()

    missing = sorted(set(names) - set(ROUTES) - set(PUBLIC))
    stale = sorted((set(ROUTES) | set(PUBLIC)) - set(names))

    assert missing == [], f"URL names without an entry in ROUTES (or PUBLIC): {missing}"
    assert stale == [], f"entries for URL names the project no longer has: {stale}"
    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert set(ROUTES) & set(PUBLIC) == set()


@pytest.mark.parametrize(
    ("name", "method", "data", "status", "answer"),
    [
        ("accounts:login", "GET", None, 200, 'name="password"'),
        ("web:healthz", "GET", None, 200, '"ok": true'),
        ("accounts:logout", "POST", {}, 302, LOGIN),
        ("set_language", "POST", {"language": "vi", "next": "/"}, 302, "/"),
        ("honours:verify", "GET", None, 200, 'name="code"'),
    ],
)
def test_public_pages_answer_an_anonymous_visitor_themselves(db, name, method, data, status, answer):
    response = send(Client(), method, reverse(name), data)

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == answer
    else:
        assert answer in body(response)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "council", "secretary"])
def test_the_certificate_check_answers_anyone_with_only_what_is_printed(world, who):
    """Public by design (``PUBLIC``): the world's certificate is genuine for every visitor, and the
    page says nothing of its holder beyond the printed name: no card, no ethnicity, no religion, no
    ID number, no achievements, no cell."""
    certificate = world.decision.certificates.get()
    client = login(world, who)

    found = client.get(reverse("honours:verify_code", kwargs={"code": certificate.code}))
    unknown = client.get(reverse("honours:verify_code", kwargs={"code": "ZZZZZZZZZZ"}))

    assert found.status_code == 200
    text = body(found)
    assert NAME in text
    assert certificate.serial_label in text
    person = world.member.person
    private = ("88000777", person.ethnicity, person.religion, person.id_number, ACHIEVEMENTS, DECISION)
    assert [word for word in private if word in text] == []
    assert "Chi bộ ấp Phước Thạnh" not in text
    assert unknown.status_code == 404
    assert NAME not in body(unknown)


# ---------------------------------------------------------------------------------------------
# (a) Anonymous: the login page
# ---------------------------------------------------------------------------------------------

ANONYMOUS = [(name, method) for name, route in sorted(ROUTES.items()) for method in sorted(route.methods)]


@pytest.mark.parametrize(("name", "method"), ANONYMOUS)
def test_every_page_sends_an_anonymous_visitor_to_login(world, name, method):
    url = url_of(name, world)

    response = send(login(world, "anonymous"), method, url, ROUTES[name].data(world))

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.path, parse_qs(target.query)) == (LOGIN, {"next": [url]})


# ---------------------------------------------------------------------------------------------
# (b) Another district: not found, or its own lists, and never a word of Châu Thành
# ---------------------------------------------------------------------------------------------


def _outsider_expects(route: Route, who: str) -> int:
    if who == "outsider" and route.cell_secretary_refused:
        return 403
    return 404 if route.bound else 200


OUTSIDERS = [
    (name, who, method)
    for name, route in sorted(ROUTES.items())
    for who in ("outsider", "outsider_admin")
    for method in sorted(route.methods)
]


@pytest.mark.parametrize(("name", "who", "method"), OUTSIDERS)
def test_another_district_finds_nothing_of_chau_thanh(world, name, who, method):
    route = ROUTES[name]
    before = state()

    response = send(login(world, who), method, url_of(name, world), route.data(world))

    expected = _outsider_expects(route, who)
    if method == "POST" and expected == 200:
        # A form of their own, sent with Châu Thành's units: refused as a choice (the form again),
        # by role (403), or as not found (404); never taken.
        assert response.status_code in (200, 403, 404)
    else:
        assert response.status_code == expected
    assert leaked(response) == []
    assert state() == before


# ---------------------------------------------------------------------------------------------
# (c) The read-only council member: every write refused, nothing changed
# ---------------------------------------------------------------------------------------------

WRITES = sorted(name for name, route in ROUTES.items() if route.write)


@pytest.mark.parametrize("name", WRITES)
def test_the_read_only_role_is_refused_every_write(world, name):
    route = ROUTES[name]
    client = login(world, "council")
    before = state()

    response = client.post(url_of(name, world), route.data(world))

    assert response.status_code == 403
    assert state() == before


# ---------------------------------------------------------------------------------------------
# (d) In scope: every page opens and every change is made: the registry's URLs and data are real
# ---------------------------------------------------------------------------------------------

PAGES = sorted(name for name, route in ROUTES.items() if "GET" in route.methods)


@pytest.mark.parametrize("who", ["admin", "staff", "council"])
@pytest.mark.parametrize("name", PAGES)
def test_no_page_or_file_names_a_sponsored_child_to_those_who_do_not_keep_the_fund(
    world, name, who, monkeypatch
):
    """The children's data (Luật Trẻ em, Luật 91/2025): the province's administrator, the
    district's staff and its council read Phước Thạnh's fund and find the child by initials
    only, on every page and in every file, whatever the page (a child's consent covers
    statements, and still their files mask her: they do not keep the fund)."""
    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda docx: b"%PDF-1.4\n% converted\n")

    response = login(world, who).get(url_of(name, world))

    content = b"".join(response.streaming_content) if response.streaming else response.content
    texts = [content.decode(errors="replace")]
    if zipfile.is_zipfile(io.BytesIO(content)):
        # Word and Excel files are zip archives: their text is inside, compressed.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            texts += [archive.read(member).decode(errors="replace") for member in archive.namelist()]
    assert [secret for secret in (CHILD, GUARDIAN) for text in texts if secret in text] == []


@pytest.mark.parametrize("name", PAGES)
def test_an_officer_in_scope_opens_every_page(world, name, monkeypatch):
    route = ROUTES[name]
    # PDF without LibreOffice: the conversion is not what this test is about.
    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", lambda docx: b"%PDF-1.4\n% converted\n")

    response = login(world, route.reader).get(url_of(name, world))

    assert response.status_code == 200
    if route.download:
        assert response["Content-Disposition"].startswith("attachment;")
    else:
        text = body(response)
        shown = [word(world) if callable(word) else word for word in route.shows]
        assert [word for word in shown if word not in text] == []


@pytest.mark.parametrize("name", WRITES)
def test_an_officer_in_scope_makes_every_change(world, name):
    """The registry's POST changes the world when an officer in scope sends it: the council
    member's "nothing changed" above is the rule's doing, not a form that could not be saved."""
    route = ROUTES[name]
    before = state()

    response = login(world, route.reader).post(url_of(name, world), route.data(world))

    assert response.status_code == route.posted
    if route.posted == 302:
        assert urlsplit(response["Location"]).path != LOGIN
    changed = state() != before
    assert changed is not bool(route.unchanged), route.unchanged or "the POST changed nothing"


@pytest.mark.parametrize("name", sorted(name for name, route in ROUTES.items() if route.methods == {"POST"}))
def test_buttons_answer_only_post(world, name):
    response = login(world, ROUTES[name].reader).get(url_of(name, world))

    assert response.status_code == 405
