"""Decisions within authority: what each level may grant (dated rule sets), the amount (the
form's coefficient × the base salary on the decision date, integer đồng), the numbered QĐ, the
HTXSNV reminder, revocation; certificates numbered within their decision, frozen, verifiable."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import ValidationError

from lantoa.documents.models import Term
from lantoa.honours import decisions, services
from lantoa.honours.certificate_docs import default_template, render_certificate, render_certificates
from lantoa.honours.models import (
    AwardForm,
    BaseSalary,
    EmulationTitle,
    NominationStatus,
    RecognitionKind,
    SubjectKind,
)
from lantoa.org.models import UnitKind
from tests.conftest import tr
from tests.factories import UnitFactory
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


def giay_khen() -> AwardForm:
    return AwardForm.objects.get(code="party-giay-khen")


def test_a_commune_gives_its_member_a_giay_khen_worth_three_tenths_of_the_base_salary(tree, at_the_commune):
    member, _collective = at_the_commune
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=giay_khen(),
        nominations=[member],
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="tiêu biểu trong học tập và làm theo Bác năm 2023",
    )

    recognition = decision.recognitions.get()
    assert recognition.subject_kind == SubjectKind.MEMBER
    assert recognition.coefficient == Decimal("0.30")
    # 0,3 × 1.800.000 đ (NĐ 24/2023, in force on 15/03/2024).
    assert decision.base_salary == BaseSalary.objects.get(valid_from=D(2023, 7, 1)).amount == 1_800_000
    assert recognition.amount == 540_000
    assert decision.document.number_line.startswith("Số 01-QĐ/")
    assert decision.document.signer_name == "Lê Văn Bí"
    member.refresh_from_db()
    assert member.status == NominationStatus.RECOGNISED
    assert decision.document.number_line in member.steps.last().note
    assert not decision.periodic  # a reward for the programme: no rating is needed


@pytest.mark.today(D(2024, 8, 1))
def test_the_amount_follows_the_base_salary_on_the_decision_date(tree, at_the_commune):
    member, _collective = at_the_commune
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=giay_khen(),
        nominations=[member],
        decided_on=D(2024, 7, 1),
        year=2023,
        reason="tiêu biểu năm 2023",
    )
    assert decision.recognitions.get().amount == 702_000  # 0,3 × 2.340.000 (NĐ 73/2024)


def test_a_cell_may_only_introduce_and_praise(tree, cell, held):
    nomination = nominate(tree, person=cell.lan.person)
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=[nomination])
    )
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=1, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2022–2025", starts_on=D(2022, 8, 1))
    nomination.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        decisions.issue_decision(
            actor=None,
            unit=tree.phuoc_thanh,
            kind=RecognitionKind.REWARD,
            form=giay_khen(),
            nominations=[nomination],
            decided_on=D(2024, 3, 15),
            year=2024,
            reason="tiêu biểu tháng 2",
        )
    message = refused.value.message_dict["kind"][0]
    assert "Chi bộ ấp Phước Thạnh" in message
    assert "Giấy khen" in message
    assert str(RecognitionKind(RecognitionKind.PRAISE).label) in message  # what it may do instead

    praise = decisions.issue_decision(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=RecognitionKind.PRAISE,
        nominations=[nomination],
        decided_on=D(2024, 3, 15),
        year=2024,
        reason="tiêu biểu tháng 2",
    )
    assert praise.recognitions.get().amount is None


def test_a_named_collective_gets_no_party_giay_khen_but_may_be_praised(tree, at_the_commune):
    _member, collective = at_the_commune
    with pytest.raises(ValidationError, match="Chi hội Phụ nữ ấp Phước Thạnh"):
        decisions.issue_decision(
            actor=None,
            unit=tree.an_khanh,
            kind=RecognitionKind.REWARD,
            form=giay_khen(),
            nominations=[collective],
            decided_on=D(2024, 3, 15),
            year=2023,
            reason="tiêu biểu",
        )
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[collective],
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="tiêu biểu",
    )
    assert decision.recognitions.get().subject_kind == SubjectKind.COLLECTIVE


@pytest.mark.today(D(2025, 7, 15))
def test_the_district_grants_nothing_after_the_reform(tree):
    assert decisions.allowed_on(tree.district, D(2025, 6, 30))
    problem = decisions.authority_problem(
        tree.district,
        RecognitionKind.REWARD,
        giay_khen(),
        None,
        [("Nguyễn Thị Lan", SubjectKind.MEMBER)],
        D(2025, 7, 1),
    )
    assert problem is not None
    assert "01/07/2025" in problem
    assert (
        decisions.authority_problem(
            tree.district,
            RecognitionKind.REWARD,
            giay_khen(),
            None,
            [("Lan", SubjectKind.MEMBER)],
            D(2025, 6, 30),
        )
        is None
    )


def test_form_and_title_are_two_axes_with_their_own_money(tree):
    agency = UnitFactory(
        key="ubnd-an-khanh", name="UBND xã An Khánh", kind=UnitKind.AGENCY, parent=tree.an_khanh
    )
    title = EmulationTitle.objects.get(code="lao-dong-tien-tien")
    state_form = AwardForm.objects.get(code="state-giay-khen")
    assert (
        decisions.authority_problem(
            agency, RecognitionKind.REWARD, state_form, title, [("Lan", SubjectKind.PERSON)], D(2024, 3, 1)
        )
        is None
    )
    # 0,3 (giấy khen) + 0,3 (Lao động tiên tiến) of the base salary.
    coefficient = decisions.coefficient_on(state_form, title, collective=False, day=D(2024, 3, 1))
    assert coefficient == Decimal("0.6")
    assert decisions.amount_for(coefficient, 1_800_000) == 1_080_000
    # A collective title for a person is refused before authority is even asked.
    collective_title = EmulationTitle.objects.get(code="tap-the-lao-dong-xuat-sac")
    assert decisions.authority_problem(
        agency, RecognitionKind.REWARD, None, collective_title, [("Lan", SubjectKind.PERSON)], D(2024, 3, 1)
    )
    # A Party committee does not grant State titles.
    assert decisions.authority_problem(
        tree.an_khanh, RecognitionKind.REWARD, None, title, [("Lan", SubjectKind.MEMBER)], D(2024, 3, 1)
    )


def test_amounts_are_whole_dong_rounded_half_up():
    assert decisions.amount_for(Decimal("0.3"), 1_490_000) == 447_000
    assert decisions.amount_for(Decimal("0.35"), 1_490_001) == 521_500  # 521 500,35 → 521 500
    assert decisions.amount_for(Decimal("0.5"), 3) == 2  # 1,5 → 2


def test_a_decision_needs_reason_subjects_and_a_date_not_in_the_future(tree, at_the_commune):
    _member, _ = at_the_commune
    with pytest.raises(ValidationError) as refused:
        decisions.issue_decision(
            actor=None,
            unit=tree.an_khanh,
            kind=RecognitionKind.REWARD,
            nominations=[],
            decided_on=D(2024, 3, 21),
            year=2023,
            reason="  ",
        )
    assert set(refused.value.message_dict) >= {"form", "reason", "nominations", "decided_on"}


def test_the_same_unit_does_not_praise_the_same_nomination_twice(tree, at_the_commune):
    member, _ = at_the_commune
    arguments = {
        "actor": None,
        "unit": tree.an_khanh,
        "kind": RecognitionKind.PRAISE,
        "nominations": [member],
        "decided_on": D(2024, 3, 15),
        "year": 2023,
        "reason": "tiêu biểu",
    }
    decisions.issue_decision(**arguments)
    member.refresh_from_db()
    with pytest.raises(ValidationError, match=member.subject_label):
        decisions.issue_decision(**arguments)


def test_certificates_are_numbered_in_their_decision_frozen_and_marked_revoked(tree, at_the_commune):
    member, _ = at_the_commune
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=giay_khen(),
        nominations=[member],
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="tiêu biểu trong học tập và làm theo Bác năm 2023",
    )
    (certificate,) = decisions.issue_certificates(actor=None, decision=decision)
    assert certificate.serial == 1
    assert certificate.serial_label == f"{decision.document.symbol} · 001"
    assert certificate.holder_name == member.subject_label
    assert certificate.holder_unit == "Chi bộ ấp Phước Thạnh"
    assert len(certificate.code) == decisions.CODE_LENGTH
    assert decisions.issue_certificates(actor=None, decision=decision) == []  # one per awardee

    # The printed words are frozen: renaming the person later changes nothing on a reprint.
    member.subject_person.full_name = "Tên Khác"
    member.subject_person.save()
    body = "\n".join(
        p.text
        for p in docx.Document(
            io.BytesIO(render_certificate(default_template(), certificate, "http://x/v/C"))
        ).paragraphs
    )
    assert certificate.holder_name in body
    assert "Tên Khác" not in body
    assert "GIẤY KHEN" in body
    assert "ĐẢNG ỦY XÃ AN KHÁNH" in body

    recognition = certificate.recognition
    decisions.revoke_recognition(
        actor=None, recognition=recognition, day=D(2024, 3, 20), reason="Bị kỷ luật khiển trách"
    )
    recognition.refresh_from_db()
    assert recognition.revoked_on == D(2024, 3, 20)
    assert "Bị kỷ luật khiển trách" in recognition.nomination.steps.last().note
    with pytest.raises(ValidationError):
        decisions.revoke_recognition(
            actor=None, recognition=recognition, day=D(2024, 3, 20), reason="lần nữa"
        )


def test_all_certificates_of_a_decision_print_one_per_page(tree, at_the_commune):
    member, collective = at_the_commune
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[member, collective],
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="tiêu biểu năm 2023",
    )
    certificates = decisions.issue_certificates(actor=None, decision=decision)
    assert [c.serial for c in certificates] == [1, 2]
    combined = docx.Document(
        io.BytesIO(
            render_certificates(default_template(), [(c, f"http://x/v/{c.code}") for c in certificates])
        )
    )
    text = "\n".join(p.text for p in combined.paragraphs)
    assert member.subject_label in text
    assert "Chi hội Phụ nữ ấp Phước Thạnh" in text
    assert text.count("BIỂU DƯƠNG") == 2
    # The second certificate starts on a page of its own.
    breaks = [p for p in combined.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == 1
    assert len(combined.inline_shapes) == 2  # a QR code on each


def test_introducing_has_no_certificates(tree, at_the_commune):
    member, _ = at_the_commune
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.INTRODUCE,
        nominations=[member],
        decided_on=D(2024, 3, 15),
        year=2024,
        reason="gương điển hình tháng 2",
    )
    with pytest.raises(ValidationError):
        decisions.issue_certificates(actor=None, decision=decision)
    assert tr("Introduce as an example (giới thiệu)")
