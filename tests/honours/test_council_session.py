"""The council votes in a session: its members (the council's posts, not the committee's) are
listed, those present vote, by the council's rules (the usual one, or 90 % of all its members for
a provincial title); who passes is before the committee to decide on."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.cells.models import AttendanceStatus, MeetingKind, MeetingStatus
from lantoa.cells.queries.meetings import roster_for
from lantoa.cells.services import meetings as meeting_services
from lantoa.honours import council, decisions, services
from lantoa.honours.models import NominationStatus, RecognitionKind, VoteBody, VoteMethod
from lantoa.org.models import Position, PositionTitle
from tests.factories import member_in

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


@pytest.fixture
def council_of_an_khanh(tree):
    """Four council members (the chair and three members) and a committee member who is not on
    the council."""
    people = [member_in(tree.an_khanh, name=f"Hội đồng viên {n}") for n in range(4)]
    for index, member in enumerate(people):
        title = PositionTitle.COUNCIL_CHAIR if index == 0 else PositionTitle.COUNCIL_MEMBER
        Position.objects.create(
            person=member.person, unit=tree.an_khanh, title=title, valid_from=D(2023, 1, 1)
        )
    outsider = member_in(tree.an_khanh, name="Cấp ủy viên Không Hội đồng")
    Position.objects.create(
        person=outsider.person,
        unit=tree.an_khanh,
        title=PositionTitle.COMMITTEE_MEMBER,
        valid_from=D(2023, 1, 1),
    )
    return people, outsider


@pytest.fixture
def session(tree, at_the_commune, council_of_an_khanh):
    """The council's session of 18/03/2024 on the list of 2024, held: three of four present."""
    people, _outsider = council_of_an_khanh
    council.assemble(actor=None, unit=tree.an_khanh, year=2024)
    meeting = meeting_services.schedule_meeting(
        actor=None,
        unit=tree.an_khanh,
        kind=MeetingKind.COUNCIL,
        date=D(2024, 3, 18),
        starts_at=dt.time(8, 0),
        ends_at=dt.time(9, 0),
        chair=people[0].person,
        clerk=people[1].person,
    )
    absent = meeting.attendance.get(member=people[3])
    meeting_services.set_attendance(
        actor=None, attendance=absent, status=AttendanceStatus.EXCUSED, reason="Ốm"
    )
    meeting_services.set_meeting_status(
        actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 18)
    )
    return meeting


def test_the_session_lists_the_council_and_the_committee_meeting_does_not(tree, council_of_an_khanh, session):
    people, outsider = council_of_an_khanh

    listed = {row.member_id for row in session.attendance.all()}
    assert listed == {p.pk for p in people}
    committee = {entry.member.pk for entry in roster_for(tree.an_khanh, D(2024, 3, 18), MeetingKind.REGULAR)}
    assert outsider.pk in committee
    assert not committee & listed
    # No 90-minute rule for a council session.
    from lantoa.cells.rules import minimum_minutes

    assert minimum_minutes(session) is None


def test_a_cell_has_no_council(tree):
    with pytest.raises(ValidationError) as refused:
        meeting_services.schedule_meeting(
            actor=None, unit=tree.phuoc_thanh, kind=MeetingKind.COUNCIL, date=D(2024, 3, 18)
        )
    assert "kind" in refused.value.message_dict


def test_the_council_votes_on_its_list_and_who_passes_is_before_the_committee(tree, at_the_commune, session):
    member, collective = at_the_commune

    assert set(services.nominations_awaiting_vote(session)) == {member, collective}
    usual, ninety = services.rules_in_force(VoteBody.COUNCIL, session.date)
    assert (usual.pass_numerator, usual.pass_denominator) == (1, 2)
    assert (ninety.pass_numerator, ninety.pass_denominator, ninety.pass_strict) == (9, 10, False)

    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(actor=None, meeting=session, nominations=[member, collective]),
    )
    assert voting_round.method == VoteMethod.SECRET
    assert voting_round.body_size == 4
    services.record_slips(actor=None, voting_round=voting_round, issued=3, returned=3, valid=3)
    entries = {e.nomination_id: e for e in voting_round.nominees.all()}
    services.record_tally(actor=None, entry=entries[member.pk], votes_for=3, votes_against=0, votes_abstain=0)
    services.record_tally(
        actor=None, entry=entries[collective.pk], votes_for=2, votes_against=1, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)

    member.refresh_from_db()
    collective.refresh_from_db()
    # 3 of the council's 4 is more than half; 2 of 4 is not.
    assert (member.status, member.holder) == (NominationStatus.PASSED, tree.an_khanh)
    assert collective.status == NominationStatus.NOT_PASSED
    assert services.nominations_awaiting_vote(session) == []  # voted once, not again
    assert member in decisions.decidable(tree.an_khanh)
    decision = decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[member],
        decided_on=D(2024, 3, 19),
        year=2023,
        reason="tiêu biểu năm 2023",
    )
    assert decision.recognitions.get().nomination == member


def test_under_the_ninety_percent_rule_three_of_four_is_not_enough(tree, at_the_commune, session):
    member, _collective = at_the_commune
    _usual, ninety = services.rules_in_force(VoteBody.COUNCIL, session.date)
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(actor=None, meeting=session, nominations=[member], rules=ninety),
    )
    services.record_slips(actor=None, voting_round=voting_round, issued=3, returned=3, valid=3)
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=3, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)

    assert voting_round.nominees.get().passed is False  # 3 of 4 is 75 %, under 90 %


def test_a_rule_set_of_another_body_is_refused(tree, at_the_commune, session):
    member, _collective = at_the_commune
    cell_rules = services.rules_for(VoteBody.CELL, session.date)
    with pytest.raises(ValidationError):
        services.prepare_round(actor=None, meeting=session, nominations=[member], rules=cell_rules)


def test_the_sessions_minutes_speak_of_the_council_and_what_it_voted_on(
    tree, at_the_commune, session, admin_persona
):
    member, collective = at_the_commune
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(actor=None, meeting=session, nominations=[member, collective]),
    )
    services.record_slips(actor=None, voting_round=voting_round, issued=3, returned=3, valid=3)
    for entry in voting_round.nominees.all():
        services.record_tally(actor=None, entry=entry, votes_for=3, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)

    minutes = admin_persona.client.get(reverse("honours:round_minutes", args=[voting_round.public_id]))

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(minutes.content)).paragraphs)
    assert voting_round.item.title[1:] in text  # "…ình xét danh sách trình Hội đồng năm …"
    assert "Số thành viên Hội đồng có mặt, có quyền biểu quyết" in text
    assert "đảng viên chính thức" not in text
    assert "Hội đồng thống nhất đề nghị cấp có thẩm quyền xem xét, khen thưởng: " in text
    assert "Chi bộ thống nhất" not in text
