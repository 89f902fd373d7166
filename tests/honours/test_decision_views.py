"""The decision and certificate pages as Đảng ủy xã An Khánh's secretary uses them: record a reward
through the form, read it with its amount, issue the certificates, print one (every print
logged) and all of them, download the QĐ; a decision outside the body's authority refused with
the reason and nothing written; revoking one subject, after which the public check says
"revoked" and still tells nothing more about the person; who reads and who acts; the list's
query count and totals; English numbers. (Every route against anonymous, out-of-scope and
read-only visitors: tests/test_every_url.py.)"""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs, urlsplit

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents.models import Document, Term
from lantoa.honours import decisions, services
from lantoa.honours.models import (
    AwardForm,
    Certificate,
    CertificatePrint,
    Decision,
    Nomination,
    NominationStatus,
    RecognitionKind,
)
from lantoa.lib import pdf
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr, tr_count
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))

LOGIN = reverse("accounts:login")
REASON = "tiêu biểu trong học tập và làm theo Bác năm 2023"
LAN = "Lê Thị Lan"
NO_CERTIFICATE = (
    "No certificate has this code. Check the code printed under the QR code; if it is right, the "
    "certificate is not genuine."
)


def giay_khen() -> AwardForm:
    return AwardForm.objects.get(code="party-giay-khen")


@pytest.fixture
def commune_secretary(tree):
    """Secretary of Đảng ủy xã An Khánh: acts for the commune and the cells under it."""
    return persona(tree.an_khanh, Role.SECRETARY)


def reward(tree, nominations: list[Nomination]) -> Decision:
    """An Khánh gives its Party giấy khen (0,3 × the base salary) to these members."""
    return decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=giay_khen(),
        nominations=nominations,
        decided_on=D(2024, 3, 15),
        year=2023,
        reason=REASON,
    )


@pytest.fixture
def rewarded(tree, at_the_commune) -> Decision:
    """Lan's giấy khen (540.000 đ), her certificate issued (serial 1)."""
    member, _collective = at_the_commune
    decision = reward(tree, [member])
    decisions.issue_certificates(actor=None, decision=decision)
    return decision


def passed_and_proposed(tree, held, *nominations: Nomination) -> None:
    """The cell votes the nominations through at its held meeting and proposes them to An Khánh."""
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(actor=None, meeting=held, nominations=list(nominations)),
    )
    for entry in voting_round.nominees.all():  # a nominee stands aside for their own name
        votes = 1 if entry.recused else 2
        services.record_tally(actor=None, entry=entry, votes_for=votes, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    for nomination in nominations:
        nomination.refresh_from_db()
    services.forward_nominations(
        actor=None,
        from_unit=tree.phuoc_thanh,
        to_unit=tree.an_khanh,
        nominations=list(nominations),
        proposed_on=D(2024, 3, 12),
    )
    for nomination in nominations:
        nomination.refresh_from_db()


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file."""
    document = docx.Document(io.BytesIO(content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def url(name: str, decision: Decision, *args: object) -> str:
    return reverse(name, args=[decision.public_id, *args])


# ---------------------------------------------------------------------------------------------
# The commune's secretary: record, read, issue, print, download
# ---------------------------------------------------------------------------------------------


def test_the_commune_secretary_rewards_issues_and_prints_every_print_logged(
    tree, at_the_commune, commune_secretary
):
    member, _collective = at_the_commune
    client = commune_secretary.client

    created = client.post(
        reverse("honours:decision_create"),
        {
            "unit": "an-khanh",
            "kind": RecognitionKind.REWARD,
            "form": str(giay_khen().pk),
            "title": "",
            "year": "2023",
            "reason": REASON,
            "decided_on": "15/03/2024",
            "nominations": [str(member.public_id)],
        },
    )

    decision = Decision.objects.get()
    assert created.status_code == 302
    assert created["Location"] == url("honours:decision", decision)
    assert (decision.unit, decision.kind, decision.form, decision.decided_on) == (
        tree.an_khanh,
        RecognitionKind.REWARD,
        giay_khen(),
        D(2024, 3, 15),
    )
    assert decision.created_by == commune_secretary.user
    page = page_text(client.get(created["Location"]))
    assert tr("Decision recorded as %(number)s.", number=decision.document.number_line) in page
    assert LAN in page
    assert "540.000" in page  # 0,3 × 1.800.000 đ
    member.refresh_from_db()
    assert member.status == NominationStatus.RECOGNISED

    issued = client.post(url("honours:certificates_issue", decision), follow=True)

    certificate = Certificate.objects.get()
    assert (certificate.decision, certificate.recognition.nomination, certificate.serial) == (
        decision,
        member,
        1,
    )
    assert certificate.issued_by == commune_secretary.user
    one_issued = tr_count("%(count)s certificate issued.", "%(count)s certificates issued.", 1)
    assert one_issued % {"count": 1} in page_text(issued)

    one = client.get(url("honours:certificate", decision, 1, "docx"))

    assert one.status_code == 200
    assert one["Content-Disposition"].startswith("attachment;")
    assert "-001.docx" in one["Content-Disposition"]
    text = docx_text(one.content)
    assert LAN in text
    assert "GIẤY KHEN" in text
    assert decision.document.number_line.replace("Số ", "số ") in text  # "Quyết định số 01-QĐ/ĐU …"
    assert certificate.code in text
    (logged,) = CertificatePrint.objects.all()
    assert (logged.certificate, logged.printed_by, logged.file_format, logged.bulk) == (
        certificate,
        commune_secretary.user,
        "docx",
        False,
    )

    client.get(url("honours:certificate", decision, 1, "docx"))  # a reprint

    assert CertificatePrint.objects.filter(certificate=certificate).count() == 2
    detail = page_text(client.get(url("honours:decision", decision)))
    assert tr_count("printed %(n)s time", "printed %(n)s times", 2, n=2) in detail

    everything = client.get(url("honours:certificates", decision, "docx"))

    assert everything.status_code == 200
    assert everything["Content-Disposition"].startswith("attachment;")
    assert LAN in docx_text(everything.content)
    assert CertificatePrint.objects.filter(certificate=certificate, bulk=True).count() == 1

    qd = client.get(url("honours:decision_docx", decision))

    assert qd.status_code == 200
    assert qd["Content-Disposition"].startswith("attachment;")
    text = docx_text(qd.content)
    assert "QUYẾT ĐỊNH" in text
    assert "Điều 1" in text
    assert LAN in text
    assert "540.000" in text


def test_a_cell_trying_to_reward_is_told_what_it_may_grant_and_nothing_is_written(tree, cell, held):
    nomination = nominate(tree, person=cell.lan.person)
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=[nomination])
    )
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=1, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    documents = Document.objects.count()

    response = secretary.client.post(
        reverse("honours:decision_create"),
        {
            "unit": "phuoc-thanh",
            "kind": RecognitionKind.REWARD,
            "form": str(giay_khen().pk),
            "periodic": "on",
            "year": "2024",
            "reason": "tiêu biểu tháng 2",
            "decided_on": "15/03/2024",
            "nominations": [str(nomination.public_id)],
        },
    )

    assert response.status_code == 200  # the form again
    text = page_text(response)
    assert tr("The decision was not recorded:") in text
    may_grant = sorted([tr("Introduce as an example (giới thiệu)"), tr("Praise (biểu dương)")])
    assert (
        tr(
            "%(unit)s may not grant %(award)s to %(subject)s (%(names)s) on %(date)s. "
            "It may grant: %(allowed)s.",
            unit="Chi bộ ấp Phước Thạnh",
            award="Giấy khen",
            subject=tr("Party member").lower(),
            names=LAN,
            date="15/03/2024",
            allowed="; ".join(may_grant),
        )
        in text
    )
    assert Decision.objects.count() == 0
    assert Document.objects.count() == documents
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PASSED


# ---------------------------------------------------------------------------------------------
# Revoking, and the public check
# ---------------------------------------------------------------------------------------------


def test_revoked_through_the_form_the_check_says_so_and_tells_only_what_is_printed(
    tree, at_the_commune, rewarded, commune_secretary
):
    member, _collective = at_the_commune
    certificate = Certificate.objects.get()
    check_url = reverse("honours:verify_code", args=[certificate.code])
    before = Client().get(check_url)
    assert before.status_code == 200
    assert tr("Genuine and valid.") in page_text(before)

    response = commune_secretary.client.post(
        url("honours:recognition_revoke", rewarded, certificate.recognition.pk),
        {"revoked_on": "20/03/2024", "revoked_reason": "Bị kỷ luật khiển trách"},
        follow=True,
    )

    assert tr("Recognition of %(name)s revoked.", name=LAN) in page_text(response)
    certificate.recognition.refresh_from_db()
    assert certificate.recognition.revoked_on == D(2024, 3, 20)
    after = Client().get(check_url)  # anyone, signed in or not
    assert after.status_code == 200
    text = page_text(after)
    assert tr("This certificate was genuine but has been revoked.") in text
    assert tr("Revoked on %(day)s.", day="20/03/2024") in text
    assert tr("Genuine and valid.") not in text
    # The words printed on it …
    for printed in (
        LAN,
        certificate.award,
        certificate.granting_body,
        certificate.decision_number,
        certificate.serial_label,
    ):
        assert printed in text
    # … and nothing else about the person: birth date, achievements, unit, why it was revoked.
    person = member.subject_person
    assert person.birth_date is not None
    for private in (
        f"{person.birth_date:%d/%m/%Y}",
        member.achievements,
        REASON,
        "Chi bộ ấp Phước Thạnh",
        certificate.holder_unit,
        "Bị kỷ luật khiển trách",
    ):
        assert private not in text
    # The whole decision's file leaves the revoked certificate out.
    assert commune_secretary.client.get(url("honours:certificates", rewarded, "docx"))["Location"] == url(
        "honours:decision", rewarded
    )


def test_a_revocation_dated_before_the_decision_is_refused_naming_the_subject(rewarded, commune_secretary):
    recognition = rewarded.recognitions.get()

    response = commune_secretary.client.post(
        url("honours:recognition_revoke", rewarded, recognition.pk),
        {"revoked_on": "01/03/2024", "revoked_reason": "Nhầm"},
        follow=True,
    )

    refused = tr("The date must be between the decision's date and today.")
    assert f"{LAN}: {refused}" in page_text(response)
    recognition.refresh_from_db()
    assert recognition.revoked_on is None


def test_the_check_accepts_a_typed_code_in_lowercase_with_dashes_or_spaces(rewarded):
    code = Certificate.objects.get().code
    typed = [
        code.lower(),
        f"{code[:5]}-{code[5:]}".lower(),
        f"{code[:5]} {code[5:]}".lower(),
        f" {code[:3]}-{code[3:6]}-{code[6:]} ",
    ]
    anonymous = Client()

    for variant in typed:
        by_path = anonymous.get(reverse("honours:verify_code", args=[variant]))
        by_form = anonymous.get(reverse("honours:verify"), {"code": variant})
        for response in (by_path, by_form):
            assert response.status_code == 200, variant
            assert tr("Genuine and valid.") in page_text(response)


@pytest.mark.parametrize(
    "code",
    [
        "<script>alert(1)",
        "ZZZZZZZZZZ",  # well formed, no such certificate
        "A" * 200,
        "ĐĐĐĐĐĐĐĐĐĐ",
        "   ",
        "'; DROP TABLE honours_certificate; --",
        "\x00" * 12,
        "%",
    ],
    ids=["script", "unknown", "200-chars", "non-ascii", "spaces", "sql", "nul", "percent"],
)
def test_an_unknown_or_malformed_code_is_not_found_and_never_an_error(db, code):
    anonymous = Client()
    by_form = anonymous.get(reverse("honours:verify"), {"code": code})
    responses = [by_form]
    if code.strip("\x00").strip():  # a path segment cannot be empty
        responses.append(anonymous.get(reverse("honours:verify_code", args=[code])))

    for response in responses:
        assert response.status_code == 404
        content = response.content.decode()
        assert tr(NO_CERTIFICATE) in page_text(response)
        assert "<script>alert" not in content


def test_the_empty_check_is_the_form_without_a_verdict(db):
    for response in (
        Client().get(reverse("honours:verify")),
        Client().get(reverse("honours:verify"), {"code": ""}),
    ):
        assert response.status_code == 200
        text = page_text(response)
        assert tr(NO_CERTIFICATE) not in text
        assert tr("Verification code") in text


def test_a_real_code_followed_by_more_characters_is_not_that_certificate(rewarded):
    code = Certificate.objects.get().code

    for longer in (f"{code}X", code + "A" * 190):
        response = Client().get(reverse("honours:verify_code", args=[longer]))
        assert response.status_code == 404, longer


# ---------------------------------------------------------------------------------------------
# Who reads, who acts
# ---------------------------------------------------------------------------------------------


def _routes(decision: Decision) -> list[tuple[str, str]]:
    """(method, URL) of every decision route."""
    recognition = decision.recognitions.get()
    return [
        ("GET", reverse("honours:decisions")),
        ("GET", reverse("honours:decision_create")),
        ("POST", reverse("honours:decision_create")),
        ("GET", url("honours:decision", decision)),
        ("GET", url("honours:decision_docx", decision)),
        ("POST", url("honours:certificates_issue", decision)),
        ("GET", url("honours:certificates", decision, "docx")),
        ("GET", url("honours:certificates", decision, "pdf")),
        ("GET", url("honours:certificate", decision, 1, "docx")),
        ("GET", url("honours:certificate", decision, 1, "pdf")),
        ("POST", url("honours:recognition_revoke", decision, recognition.pk)),
    ]


def test_an_anonymous_visitor_is_sent_to_login_everywhere_but_the_check(rewarded):
    anonymous = Client()

    for method, address in _routes(rewarded):
        response = anonymous.post(address) if method == "POST" else anonymous.get(address)
        assert response.status_code == 302, address
        target = urlsplit(response["Location"])
        assert (target.path, parse_qs(target.query)) == (LOGIN, {"next": [address]})
    code = Certificate.objects.get().code
    assert anonymous.get(reverse("honours:verify")).status_code == 200
    assert anonymous.get(reverse("honours:verify_code", args=[code])).status_code == 200
    assert CertificatePrint.objects.count() == 0


@pytest.mark.parametrize("who", ["member", "cell_secretary", "outsider"])
def test_the_cell_below_and_another_district_do_not_read_the_communes_decision(tree, rewarded, who, request):
    visitor = persona(tree.phuoc_thanh, Role.MEMBER) if who == "member" else request.getfixturevalue(who)
    client = visitor.client

    for name, args in (
        ("honours:decision", ()),
        ("honours:decision_docx", ()),
        ("honours:certificate", (1, "docx")),
        ("honours:certificates", ("docx",)),
    ):
        assert client.get(url(name, rewarded, *args)).status_code == 404, name
    for name, args in (
        ("honours:certificates_issue", ()),
        ("honours:recognition_revoke", (rewarded.recognitions.get().pk,)),
    ):
        assert (
            client.post(
                url(name, rewarded, *args), {"revoked_on": "20/03/2024", "revoked_reason": "x"}
            ).status_code
            == 404
        )
    listed = client.get(reverse("honours:decisions"))
    assert listed.status_code == 200
    assert list(listed.context["page"].object_list) == []
    assert url("honours:decision", rewarded) not in listed.content.decode()
    assert CertificatePrint.objects.count() == 0
    assert rewarded.recognitions.get().revoked_on is None


def test_the_district_council_reads_the_decision_but_prints_issues_and_revokes_nothing(
    tree, at_the_commune, rewarded, council_member
):
    client = council_member.client
    _member, collective = at_the_commune
    praised = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[collective],
        decided_on=D(2024, 3, 16),
        year=2023,
        reason="tiêu biểu",
    )

    detail = client.get(url("honours:decision", rewarded))
    listed = client.get(reverse("honours:decisions"))

    assert detail.status_code == 200
    assert LAN in page_text(detail)
    assert url("honours:certificates_issue", rewarded) not in detail.content.decode()
    assert url("honours:recognition_revoke", rewarded, rewarded.recognitions.get().pk) not in (
        detail.content.decode()
    )
    assert {d.pk for d in listed.context["page"].object_list} == {rewarded.pk, praised.pk}
    assert client.get(url("honours:decision_docx", rewarded)).status_code == 200
    assert client.get(reverse("honours:decision_create")).status_code == 403
    assert client.post(url("honours:certificates_issue", praised)).status_code == 403
    assert client.get(url("honours:certificate", rewarded, 1, "docx")).status_code == 403
    assert client.get(url("honours:certificate", rewarded, 1, "pdf")).status_code == 403
    assert client.get(url("honours:certificates", rewarded, "docx")).status_code == 403
    revoke = url("honours:recognition_revoke", rewarded, rewarded.recognitions.get().pk)
    assert client.post(revoke, {"revoked_on": "20/03/2024", "revoked_reason": "x"}).status_code == 403
    assert not praised.certificates.exists()
    assert CertificatePrint.objects.count() == 0
    assert rewarded.recognitions.get().revoked_on is None


# ---------------------------------------------------------------------------------------------
# The list: queries, totals
# ---------------------------------------------------------------------------------------------


def _queries(client, address):
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _decide_again(tree, nominations: list[Nomination], count: int) -> None:
    """``count`` decisions, each a reward of the members with certificates, revoked afterwards
    (a revoked recognition may be decided again)."""
    for _i in range(count):
        decision = reward(tree, nominations)
        decisions.issue_certificates(actor=None, decision=decision)
        for recognition in decision.recognitions.all():
            decisions.revoke_recognition(
                actor=None, recognition=recognition, day=D(2024, 3, 18), reason="Xét lại"
            )
        for nomination in nominations:
            nomination.refresh_from_db()


def test_the_decisions_list_runs_the_same_queries_for_three_rows_or_eight(
    tree, at_the_commune, commune_secretary
):
    member, _collective = at_the_commune
    address = reverse("honours:decisions")
    _decide_again(tree, [member], 3)
    three = _queries(commune_secretary.client, address)
    assert len(commune_secretary.client.get(address).context["page"].object_list) == 3

    _decide_again(tree, [member], 5)

    assert len(commune_secretary.client.get(address).context["page"].object_list) == 8
    assert _queries(commune_secretary.client, address) == three


def test_the_list_total_of_a_decision_does_not_grow_with_its_certificates(
    tree, cell, held, at_the_commune, commune_secretary
):
    lan, _collective = at_the_commune
    minh = nominate(tree, person=cell.minh.person)
    passed_and_proposed(tree, held, minh)
    decision = reward(tree, [lan, minh])
    assert sum(r.amount for r in decision.recognitions.all()) == 1_080_000
    address = reverse("honours:decisions")
    assert "1.080.000" in page_text(commune_secretary.client.get(address))

    decisions.issue_certificates(actor=None, decision=decision)

    (row,) = commune_secretary.client.get(address).context["page"].object_list
    assert (row.subjects, row.printed) == (2, 2)
    assert row.total == 1_080_000


# ---------------------------------------------------------------------------------------------
# Prints: only what was printed is logged
# ---------------------------------------------------------------------------------------------


def test_a_pdf_that_could_not_be_made_is_not_logged_as_a_print(rewarded, commune_secretary, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)

    response = commune_secretary.client.get(url("honours:certificate", rewarded, 1, "pdf"))

    assert response.status_code == 503
    assert CertificatePrint.objects.count() == 0


def test_an_unknown_format_or_serial_is_not_found(rewarded, commune_secretary):
    client = commune_secretary.client

    assert client.get(url("honours:certificate", rewarded, 1, "exe")).status_code == 404
    assert client.get(url("honours:certificate", rewarded, 2, "docx")).status_code == 404
    assert client.get(url("honours:certificates", rewarded, "odt")).status_code == 404
    assert CertificatePrint.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# English
# ---------------------------------------------------------------------------------------------


def test_in_english_the_amount_is_written_with_a_comma(rewarded, commune_secretary):
    client = commune_secretary.client
    assert "540.000" in page_text(client.get(url("honours:decision", rewarded)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    text = page_text(client.get(url("honours:decision", rewarded)))

    assert "540,000" in text
    assert "540.000" not in text


def test_a_revoked_certificate_is_not_printed_again(rewarded, commune_secretary, client):
    recognition = rewarded.recognitions.get()
    decisions.revoke_recognition(actor=None, recognition=recognition, day=D(2024, 3, 20), reason="Kỷ luật")
    client.force_login(commune_secretary.user)

    response = client.get(url("honours:certificate", rewarded, 1, "docx"), follow=True)

    assert tr(
        "The certificate of %(name)s was revoked: it is not printed again.", name=recognition.subject_label
    ) in (page_text(response))
    assert not CertificatePrint.objects.exists()
