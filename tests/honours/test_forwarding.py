"""Forwarding upward: a nomination the cell passed goes to the commune's committee with a
numbered tờ trình, is voted on there, and can go on to the committee above; nothing is re-typed,
and every step is on the nomination's timeline."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.cells.models import MeetingKind, MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.documents.models import Term
from lantoa.honours import services
from lantoa.honours.models import NominationStatus
from lantoa.org.models import Position, PositionTitle, Role
from tests.conftest import persona, tr
from tests.factories import member_in
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


@pytest.fixture
def passed(tree, cell, held):
    """A nomination Phước Thạnh passed at its March meeting."""
    nomination = nominate(tree, person=cell.lan.person)
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=[nomination])
    )
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=1, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    nomination.refresh_from_db()
    for unit in (tree.phuoc_thanh, tree.an_khanh):
        Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    return nomination


def test_the_cell_proposes_to_its_commune_with_a_numbered_submission(tree, cell, passed):
    proposal = services.forward_nominations(
        actor=None,
        from_unit=tree.phuoc_thanh,
        to_unit=tree.an_khanh,
        nominations=[passed],
        proposed_on=D(2024, 3, 10),
    )

    passed.refresh_from_db()
    assert (passed.status, passed.holder) == (NominationStatus.FORWARDED, tree.an_khanh)
    assert proposal.document.type_code == "TTr"
    assert proposal.document.number_line.startswith("Số 01-TTr/")
    assert proposal.document.signer_name == "Trần Văn Minh"  # the cell's secretary that day
    assert passed.steps.last().note == tr(
        "Proposed to %(unit)s (%(number)s)", unit="Đảng ủy xã An Khánh", number=proposal.document.number_line
    )


def test_the_commune_votes_on_it_at_its_own_meeting_and_may_propose_it_on(tree, cell, passed):
    services.forward_nominations(
        actor=None,
        from_unit=tree.phuoc_thanh,
        to_unit=tree.an_khanh,
        nominations=[passed],
        proposed_on=D(2024, 3, 10),
    )
    # The commune's committee: three members holding a post in it (who a committee meeting lists).
    committee = [member_in(tree.an_khanh, name=f"Cấp ủy viên {n}") for n in range(3)]
    for member in committee:
        Position.objects.create(
            person=member.person,
            unit=tree.an_khanh,
            title=PositionTitle.COMMITTEE_MEMBER,
            valid_from=D(2020, 8, 1),
        )
    meeting = meeting_services.schedule_meeting(
        actor=None,
        unit=tree.an_khanh,
        kind=MeetingKind.REGULAR,
        date=D(2024, 3, 15),
        starts_at=dt.time(8, 0),
        ends_at=dt.time(10, 0),
        chair=committee[0].person,
        clerk=committee[1].person,
    )
    meeting_services.set_meeting_status(
        actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 15)
    )

    assert services.nominations_awaiting_vote(meeting) == [passed]
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=meeting, nominations=[passed])
    )
    assert voting_round.rules.body == "committee"
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=3, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)

    passed.refresh_from_db()
    assert (passed.status, passed.holder) == (NominationStatus.PASSED, tree.an_khanh)
    assert [step.unit for step in passed.steps.all()] == [tree.phuoc_thanh] * 3 + [tree.an_khanh]
    # On to the province (the district closed on 30/6/2025; in 2024 An Khánh was under it).
    assert services.proposal_targets(tree.an_khanh, D(2024, 3, 20)) == [tree.district, tree.province]


def test_only_passed_nominations_go_up_and_only_to_a_committee_above(tree, cell, passed):
    waiting = nominate(tree, name="Chi đoàn ấp Phước Thạnh")

    with pytest.raises(ValidationError) as caught:
        services.forward_nominations(
            actor=None, from_unit=tree.phuoc_thanh, to_unit=tree.an_khanh, nominations=[passed, waiting]
        )
    assert "Chi đoàn ấp Phước Thạnh" in caught.value.message_dict["nominations"][0]
    with pytest.raises(ValidationError) as caught:
        services.forward_nominations(
            actor=None, from_unit=tree.phuoc_thanh, to_unit=tree.tan_thach, nominations=[passed]
        )
    assert "to_unit" in caught.value.message_dict
    passed.refresh_from_db()
    assert passed.status == NominationStatus.PASSED


def test_the_secretary_proposes_from_the_page_and_prints_the_submission(tree, cell, passed):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)

    response = secretary.client.post(
        reverse("honours:proposal_create"),
        {
            "unit": "phuoc-thanh",
            "nominations": [str(passed.public_id)],
            "to_unit": "an-khanh",
            "proposed_on": "20/03/2024",
        },
    )

    passed.refresh_from_db()
    proposal = passed.proposals.get()
    assert response["Location"] == reverse("honours:proposal", args=[proposal.public_id])
    download = secretary.client.get(reverse("honours:proposal_docx", args=[proposal.public_id]))
    document = docx.Document(io.BytesIO(download.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "TỜ TRÌNH" in text
    assert "về việc đề nghị biểu dương gương điển hình" in text
    assert "Kính gửi: Đảng ủy xã An Khánh" in text
    assert "Lê Thị Lan" in cells
    assert "1 tán thành (100,00%)" in cells
    # The commune's officers read it; another commune's do not.
    assert (
        persona(tree.an_khanh, Role.SECRETARY)
        .client.get(reverse("honours:proposal", args=[proposal.public_id]))
        .status_code
        == 200
    )
    assert (
        persona(tree.tan_thach, Role.SECRETARY)
        .client.get(reverse("honours:proposal", args=[proposal.public_id]))
        .status_code
        == 404
    )
