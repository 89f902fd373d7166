"""A bình xét round from agenda to published results: who votes (full members present, frozen at
opening), standing aside, the rules of the meeting's date, counts that must add up, and results
that do not change once closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lantoa.cells.models import AttendanceStatus, MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.honours import services
from lantoa.honours.models import (
    NominationStatus,
    RoundStatus,
    VoteBody,
    VoteMethod,
    VoteRuleSet,
)
from tests.conftest import tr
from tests.honours.conftest import nominate

D = dt.date


def _round(held, *nominations, method=None):
    voting_round = services.prepare_round(actor=None, meeting=held, nominations=nominations, method=method)
    return services.open_round(actor=None, voting_round=voting_round)


def test_the_voters_are_the_full_members_present_and_are_frozen_when_the_vote_opens(tree, cell, held):
    voting_round = _round(held, nominate(tree, name="Chi hội Phụ nữ ấp Phước Thạnh"))

    voters = {v.member.person.full_name for v in voting_round.voters.select_related("member__person")}
    assert voters == {"Trần Văn Minh", "Lê Thị Lan"}  # not Tư (probationary), Già (exempt), Vắng (absent)
    assert voting_round.body_size == 3  # Minh, Lan, Vắng: the exempt member is not counted
    assert voting_round.status == RoundStatus.OPEN
    assert voting_round.item.meeting == held
    assert voting_round.item.title == tr("Review of exemplary examples, month %(month)s", month="3/2024")

    # Attendance corrected afterwards does not change who voted.
    row = held.attendance.get(member=cell.lan)
    meeting_services.set_attendance(actor=None, attendance=row, status=AttendanceStatus.EXCUSED, reason="Ốm")
    assert voting_round.voters.count() == 2


def test_a_nominee_who_votes_stands_aside_for_their_own_name(tree, cell, held):
    voting_round = _round(held, nominate(tree, person=cell.minh.person))
    entry = voting_round.nominees.get()
    assert entry.recused

    services.record_tally(actor=None, entry=entry, votes_for=1, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)

    entry.refresh_from_db()
    assert (entry.percent, entry.passed) == (Decimal("100.00"), True)  # Lan's vote, of 1 counted


def test_closing_passes_or_fails_each_nomination_and_writes_its_timeline(tree, cell, held):
    passing = nominate(tree, name="Chi hội Phụ nữ ấp Phước Thạnh")
    failing = nominate(tree, name="Chi đoàn ấp Phước Thạnh")
    voting_round = _round(held, passing, failing)
    first, second = voting_round.nominees.order_by("order")
    services.record_tally(actor=None, entry=first, votes_for=2, votes_against=0, votes_abstain=0)
    services.record_tally(actor=None, entry=second, votes_for=1, votes_against=1, votes_abstain=0)

    services.close_round(actor=None, voting_round=voting_round)
    passing.refresh_from_db()
    assert passing.status == NominationStatus.NOMINATED  # announced when published, not before
    services.publish_round(actor=None, voting_round=voting_round)

    passing.refresh_from_db()
    failing.refresh_from_db()
    assert (passing.status, failing.status) == (NominationStatus.PASSED, NominationStatus.NOT_PASSED)
    note = tr("%(for)s of %(base)s in favour (%(percent)s)", **{"for": 1, "base": 2, "percent": "50,00%"})
    assert [s.note for s in failing.steps.all()][-1] == note
    voting_round.refresh_from_db()
    assert voting_round.status == RoundStatus.PUBLISHED
    with pytest.raises(ValidationError):  # results are frozen
        services.record_tally(actor=None, entry=first, votes_for=0, votes_against=2, votes_abstain=0)


def test_counts_that_do_not_add_up_name_the_nominee_and_close_nothing(tree, held):
    nomination = nominate(tree, name="Chi hội Phụ nữ ấp Phước Thạnh")
    voting_round = _round(held, nomination)
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=3, votes_against=0, votes_abstain=0
    )

    with pytest.raises(ValidationError) as caught:
        services.close_round(actor=None, voting_round=voting_round)

    problem = tr(
        "For, against and abstaining add up to %(total)s; %(counted)s voters were counted.",
        total=3,
        counted=2,
    )
    assert caught.value.messages == [f"Chi hội Phụ nữ ấp Phước Thạnh: {problem}"]
    voting_round.refresh_from_db()
    nomination.refresh_from_db()
    assert (voting_round.status, nomination.status) == (RoundStatus.OPEN, NominationStatus.NOMINATED)


def test_a_missing_count_is_named(tree, held):
    voting_round = _round(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))

    with pytest.raises(ValidationError) as caught:
        services.close_round(actor=None, voting_round=voting_round)

    assert caught.value.messages == [tr("%(name)s: no count entered.", name="Chi đoàn ấp Phước Thạnh")]


def test_the_rules_are_those_in_force_on_the_meetings_date(tree, held):
    VoteRuleSet.objects.create(
        name="Quy tắc mới: từ hai phần ba",
        body=VoteBody.CELL,
        valid_from=D(2024, 3, 1),
        quorum_numerator=1,
        quorum_denominator=2,
        base="present",
        pass_numerator=2,
        pass_denominator=3,
        pass_strict=False,
        method=VoteMethod.HANDS,
    )

    assert services.rules_for(VoteBody.CELL, D(2024, 2, 29)).name.startswith("Chi bộ bình xét")
    voting_round = _round(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))
    assert voting_round.rules.name == "Quy tắc mới: từ hai phần ba"


def test_a_secret_ballot_needs_its_slips_and_they_cannot_outnumber_the_voters(tree, held):
    voting_round = _round(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"), method=VoteMethod.SECRET)
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=2, votes_against=0, votes_abstain=0
    )

    with pytest.raises(ValidationError):
        services.close_round(actor=None, voting_round=voting_round)
    with pytest.raises(ValidationError):
        services.record_slips(actor=None, voting_round=voting_round, issued=3, returned=3, valid=3)

    services.record_slips(actor=None, voting_round=voting_round, issued=2, returned=2, valid=2)
    services.close_round(actor=None, voting_round=voting_round)
    assert voting_round.nominees.get().passed


def test_a_vote_needs_a_held_meeting_and_stops_changing_once_its_minutes_are_approved(tree, cell, held):
    planned = held.__class__.objects.get(pk=held.pk)
    planned.status = MeetingStatus.PLANNED
    with pytest.raises(ValidationError):
        services.prepare_round(actor=None, meeting=planned, nominations=[nominate(tree, name="Tổ 1")])

    voting_round = _round(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))
    held.__class__.objects.filter(pk=held.pk).update(status=MeetingStatus.APPROVED)  # the chair approved
    voting_round.refresh_from_db()
    voting_round.meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.close_round(actor=None, voting_round=voting_round)


def test_the_agenda_item_of_a_vote_stays_on_the_agenda(tree, held):
    voting_round = _round(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))

    with pytest.raises(ValidationError):
        meeting_services.remove_agenda_item(actor=None, item=voting_round.item)


def test_a_nomination_names_one_subject_in_clean_text(tree, cell):
    with pytest.raises(ValidationError) as caught:
        services.nominate(
            actor=None,
            unit=tree.phuoc_thanh,
            subject_person=cell.minh.person,
            subject_name="Chi đoàn",
            achievements="Tốt",
            period_kind="month",
            period_start=D(2024, 2, 1),
            period_end=D(2024, 2, 29),
        )
    assert "subject_person" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        nominate(tree, name="Chi đoàn", achievements="Làm\x1bđường")
    assert "achievements" in caught.value.message_dict


def test_withdrawing_needs_a_reason_and_leaves_it_on_the_timeline(tree):
    nomination = nominate(tree, name="Chi đoàn ấp Phước Thạnh")

    with pytest.raises(ValidationError):
        services.withdraw_nomination(actor=None, nomination=nomination, reason="  ")
    services.withdraw_nomination(actor=None, nomination=nomination, reason="Trùng hồ sơ")

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    assert nomination.steps.last().note == "Trùng hồ sơ"
