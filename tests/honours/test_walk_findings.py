"""What a walk through the honours pages as each role found (07/12/2026), kept as regressions:
a tờ trình that sent every case, a show of hands where the rules ask for a secret ballot, who was
present read by members before the minutes are approved, a "not passed" hidden by withdrawing,
choices that could not be told apart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.cells.models import MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.documents.models import Term
from lantoa.honours import council, decisions, services
from lantoa.honours.forms import ProposalForm
from lantoa.honours.models import (
    CouncilEntry,
    Nomination,
    NominationStatus,
    RecognitionKind,
    VoteMethod,
    VoteRuleSet,
)
from lantoa.lib.vi import format_month
from lantoa.org.models import Role
from tests.conftest import page_text, persona
from tests.factories import UnitFactory
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 5))


def _closed(held, nomination, *, votes_for=1, votes_against=0, publish=True):
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=[nomination])
    )
    services.record_tally(
        actor=None,
        entry=voting_round.nominees.get(),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=0,
    )
    services.close_round(actor=None, voting_round=voting_round)
    if publish:
        services.publish_round(actor=None, voting_round=voting_round)
    return voting_round


def test_the_proposal_form_ticks_nothing_and_tells_cases_apart(tree, cell, held):
    passed = nominate(tree, person=cell.lan.person)
    _closed(held, passed)

    form = ProposalForm(ready=Nomination.objects.filter(pk=passed.pk), targets=[tree.an_khanh])

    assert not form.fields["nominations"].initial
    label = next(iter(form.fields["nominations"].choices))[1]
    assert "Lê Thị Lan" in label
    assert "Chi bộ ấp Phước Thạnh" in label  # who nominated
    assert format_month(passed.period_start) in label  # which month


def test_rules_that_ask_for_a_secret_ballot_refuse_a_show_of_hands(tree, held):
    VoteRuleSet.objects.filter(body="cell").update(method=VoteMethod.SECRET)
    nomination = nominate(tree, name="Chi đoàn ấp Phước Thạnh")

    with pytest.raises(ValidationError) as refused:
        services.prepare_round(actor=None, meeting=held, nominations=[nomination], method=VoteMethod.HANDS)

    assert "method" in refused.value.message_dict
    secret = services.prepare_round(
        actor=None, meeting=held, nominations=[nomination], method=VoteMethod.SECRET
    )
    assert secret.method == VoteMethod.SECRET


def test_a_member_reads_who_voted_only_with_the_approved_minutes(tree, cell, held):
    member = persona(tree.phuoc_thanh, Role.MEMBER)
    voting_round = _closed(held, nominate(tree, person=cell.lan.person))
    page_url = reverse("honours:round", args=[voting_round.public_id])
    minutes_url = reverse("honours:round_minutes", args=[voting_round.public_id])

    page = member.client.get(page_url)
    minutes = member.client.get(minutes_url)

    assert page.status_code == 200
    assert "Huỳnh Văn Vắng" not in page_text(page)  # the absent member, named in the attendance
    assert cell.minh.person.full_name not in page_text(page)
    assert minutes.status_code == 302  # back to the page, saying why
    chair = persona(tree.phuoc_thanh, Role.SECRETARY)
    cell.minh.person.user = chair.user  # the cell's secretary approves the minutes
    cell.minh.person.save()
    meeting_services.set_meeting_status(
        actor=chair.user, meeting=held, status=MeetingStatus.APPROVED, today=D(2024, 3, 5)
    )
    assert member.client.get(minutes_url).status_code == 200
    assert cell.minh.person.full_name in page_text(member.client.get(page_url))


def test_a_nomination_not_passed_cannot_be_withdrawn(tree, held):
    nomination = nominate(tree, name="Chi đoàn ấp Phước Thạnh")
    _closed(held, nomination, votes_for=0, votes_against=2)  # the two full members present
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOT_PASSED

    with pytest.raises(ValidationError):
        services.withdraw_nomination(actor=None, nomination=nomination, reason="Rút lại")

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOT_PASSED


def test_the_unit_to_act_for_offers_the_users_own_first_and_names_parents(tree):
    UnitFactory(key="phuoc-thanh-2", name="Chi bộ ấp Phước Thạnh", parent=tree.tan_thach)  # a namesake
    staff = persona(tree.district, Role.PROPAGANDA)

    response = staff.client.get(reverse("honours:decision_create"))

    options = [
        label
        for _key, label in re.findall(r'<option value="([^"]+)">([^<]+)</option>', response.content.decode())
    ]
    assert options[0].startswith("Huyện ủy Châu Thành")
    assert "Chi bộ ấp Phước Thạnh — Đảng ủy xã An Khánh" in options
    assert "Chi bộ ấp Phước Thạnh — Đảng ủy xã Tân Thạch" in options


def test_a_decision_recognises_a_subject_once_however_many_nominations_name_it(tree, cell, held):
    first = nominate(tree, person=cell.lan.person)
    second = nominate(tree, person=cell.lan.person)
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=[first, second])
    )
    for entry in voting_round.nominees.all():
        services.record_tally(actor=None, entry=entry, votes_for=1, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2022–2025", starts_on=D(2022, 7, 1))

    praise = decisions.issue_decision(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=RecognitionKind.PRAISE,
        nominations=Nomination.objects.filter(pk__in=[first.pk, second.pk]),
        decided_on=D(2024, 3, 5),
        year=2024,
        reason="tiêu biểu quý I",
    )

    assert praise.recognitions.count() == 1
    assert set(Nomination.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        NominationStatus.RECOGNISED
    }


def test_the_council_list_reads_in_vietnamese_alphabetical_order():
    names = ["Võ Văn A", "Đặng Thị B", "Trần Văn C", "Đào Văn D", "Chi hội Phụ nữ"]
    entries = [
        CouncilEntry(pk=number, subject_label=name, is_collective=name.startswith("Chi hội"))
        for number, name in enumerate(names, start=1)
    ]

    ordered = [e.subject_label for e in council.in_list_order(entries)]

    assert ordered == ["Đặng Thị B", "Đào Văn D", "Trần Văn C", "Võ Văn A", "Chi hội Phụ nữ"]
