"""A Party periodic reward needs each subject rated "Hoàn thành xuất sắc nhiệm vụ" that year, by
decision; a reward for the programme (thematic) does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.honours import council, decisions
from lantoa.honours.models import AwardForm, RecognitionKind
from lantoa.org.models import Role
from lantoa.ratings import services
from lantoa.ratings.models import Level
from tests.cells.meetings.conftest import cell  # noqa: F401 - the fixture
from tests.conftest import page_text, persona, tr
from tests.honours.conftest import at_the_commune, held  # noqa: F401 - the fixtures

D = dt.date
pytestmark = pytest.mark.today(D(2024, 3, 20))


def _reward(tree, nominations, *, periodic):
    return decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.REWARD,
        form=AwardForm.objects.get(code="party-giay-khen"),
        nominations=nominations,
        decided_on=D(2024, 3, 15),
        year=2023,
        reason="hoàn thành xuất sắc nhiệm vụ năm 2023",
        periodic=periodic,
    )


def _rate(member, level):
    rating = services.open_member_rating(member=member, year=2023)
    services.decide(
        actor=None,
        body=rating.quota_unit,
        year=2023,
        entries=[services.Entry(rating, level)],
        day=D(2023, 12, 20),
        document="Quyết định số 40-QĐ/ĐU ngày 20/12/2023",
    )


def test_a_periodic_party_reward_is_refused_without_the_top_rating(tree, at_the_commune):  # noqa: F811
    member, _collective = at_the_commune

    with pytest.raises(ValidationError) as refused:
        _reward(tree, [member], periodic=True)

    assert "periodic" in refused.value.message_dict
    assert member.subject_label in refused.value.message_dict["periodic"][0]


def test_rated_good_is_not_enough_but_excellent_is(tree, at_the_commune):  # noqa: F811
    member, _collective = at_the_commune
    _rate(member.subject_person.party_member, Level.GOOD)

    with pytest.raises(ValidationError):
        _reward(tree, [member], periodic=True)

    rating = member.subject_person.party_member.ratings.get(year=2023)
    services.decide(
        actor=None,
        body=rating.quota_unit,
        year=2023,
        entries=[services.Entry(rating, Level.EXCELLENT)],
        day=D(2023, 12, 28),
        document="Quyết định số 41-QĐ/ĐU ngày 28/12/2023",
        quota_override="Thành tích đột xuất",
    )
    assert _reward(tree, [member], periodic=True).periodic


def test_a_reward_for_the_programme_needs_no_rating(tree, at_the_commune):  # noqa: F811
    member, _collective = at_the_commune

    assert not _reward(tree, [member], periodic=False).periodic


def test_the_council_list_shows_each_subjects_rating(tree, at_the_commune):  # noqa: F811
    member, collective = at_the_commune
    council_list = council.assemble(actor=None, unit=tree.an_khanh, year=2024)
    rating = services.open_member_rating(member=member.subject_person.party_member, year=2024)
    services.decide(
        actor=None,
        body=rating.quota_unit,
        year=2024,
        entries=[services.Entry(rating, Level.GOOD)],
        day=D(2024, 3, 18),
        document="Quyết định số 5-QĐ/ĐU",
    )
    staff = persona(tree.an_khanh, Role.SECRETARY)

    response = staff.client.get(reverse("honours:council", args=[council_list.public_id]))

    text = page_text(response)
    assert member.subject_label in text
    assert collective.subject_label in text
    assert tr("Completed tasks well") in text  # Lan's rating
    assert tr("not rated") in text  # the association by name has none
