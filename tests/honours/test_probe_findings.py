"""What an attacker's and a careful user's probe of the honours pages found (07/12/2026), kept as
regressions: "digits" that are not ASCII, a withdrawn nomination coming back as passed, a vote
stuck open under approved minutes, results seen before they are published, records written in
the reader's language, achievements of any length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.cells.models import MeetingStatus
from lantoa.cells.services import meetings as meeting_services
from lantoa.honours import services
from lantoa.honours.models import NominationStatus
from lantoa.org.models import Role
from tests.conftest import persona, tr
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 5))


def _open(held, *nominations):
    return services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=nominations)
    )


@pytest.mark.parametrize("typed", ["²", "٣", "５", "-1", "1000"])
def test_a_count_that_is_not_a_plain_number_is_named_not_a_server_error(tree, cell, held, typed):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    voting_round = _open(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))
    entry = voting_round.nominees.get()

    response = secretary.client.post(
        reverse("honours:round_action", args=[voting_round.public_id, "count"]),
        {f"for-{entry.pk}": typed, f"against-{entry.pk}": "0", f"abstain-{entry.pk}": "0"},
        follow=True,
    )

    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.votes_for is None


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("honours:nominations", {"year": "²²²²"}),
        ("documents:list", {"year": "²"}),
        ("cells:meeting_year", {"unit": "phuoc-thanh", "year": "²"}),
        ("cells:library", {"theme": "²"}),
    ],
)
def test_superscript_digits_in_a_filter_are_ignored(tree, name, query):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)

    assert secretary.client.get(reverse(name), query).status_code == 200


def test_a_nomination_in_a_prepared_vote_cannot_be_withdrawn_and_come_back_passed(tree, held):
    nomination = nominate(tree, name="Chi đoàn ấp Phước Thạnh")
    services.prepare_round(actor=None, meeting=held, nominations=[nomination])

    with pytest.raises(ValidationError):
        services.withdraw_nomination(actor=None, nomination=nomination, reason="Trùng hồ sơ")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED


def test_minutes_are_not_approved_over_a_vote_still_open(tree, cell, held):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    cell.minh.person.user = secretary.user
    cell.minh.person.save()
    _open(held, nominate(tree, name="Chi đoàn ấp Phước Thạnh"))

    with pytest.raises(ValidationError) as caught:
        meeting_services.set_meeting_status(actor=secretary.user, meeting=held, status=MeetingStatus.APPROVED)

    assert caught.value.messages == [
        tr("A vote at this meeting is not closed yet: close it before approving the minutes.")
    ]


def test_a_member_learns_the_result_only_when_it_is_published(tree, cell, held):
    member = persona(tree.phuoc_thanh, Role.MEMBER)
    nomination = nominate(tree, person=cell.lan.person)
    voting_round = _open(held, nomination)
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=1, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)

    page = member.client.get(reverse("honours:nomination", args=[nomination.public_id])).content.decode()
    passed = member.client.get(reverse("honours:nominations"), {"status": NominationStatus.PASSED})

    assert "100,00%" not in page
    assert list(passed.context["page"].object_list) == []
    services.publish_round(actor=None, voting_round=voting_round)
    assert (
        "100,00%"
        in member.client.get(reverse("honours:nomination", args=[nomination.public_id])).content.decode()
    )


def test_what_the_services_write_into_the_records_is_vietnamese_whoever_types(tree, held):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    secretary.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    nomination = nominate(tree, name="Chi đoàn ấp Phước Thạnh")

    secretary.client.post(
        reverse("honours:round_create", args=[held.public_id]),
        {"nominations": [str(nomination.public_id)], "method": "hands"},
    )

    assert nomination.round_entries.get().round.item.title == "Bình xét gương điển hình tháng 3/2024"


def test_achievements_have_a_length_a_council_can_read(tree):
    with pytest.raises(ValidationError) as caught:
        nominate(tree, name="Chi đoàn ấp Phước Thạnh", achievements="Làm đường. " * 600)

    assert "achievements" in caught.value.message_dict
