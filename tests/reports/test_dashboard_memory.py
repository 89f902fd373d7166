"""A province's dashboard takes seconds to count: it is kept a while, says when it was counted,
and counts again on request; a small unit's is counted on every view."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

from .conftest import TODAY, D, World

pytestmark = pytest.mark.today(TODAY)


@pytest.fixture
def forget_dashboards():
    cache.clear()
    yield
    cache.clear()


def _held(board) -> int:
    return board.report.value_of("meetings.regular.held")


def _hold_a_meeting(world: World) -> None:
    Meeting.objects.create(
        unit=world.phuoc_thanh,
        kind=MeetingKind.REGULAR,
        date=D(2025, 3, 5),
        period=D(2025, 3, 1),
        status=MeetingStatus.HELD,
    )


def test_a_large_units_dashboard_is_kept_and_counted_again_on_request(
    world: World, settings, forget_dashboards
):
    settings.LANTOA_DASHBOARD_REMEMBER_MEMBERS = 1  # the hand-built district counts as large
    staff = persona(world.district, Role.PROPAGANDA)
    asked = {"unit": world.district.key}
    first = staff.client.get(reverse("reports:dashboard"), asked)
    assert first.context["board"].remembered is False
    counted = _held(first.context["board"])

    _hold_a_meeting(world)
    kept = staff.client.get(reverse("reports:dashboard"), asked)

    assert kept.context["board"].remembered is True
    assert _held(kept.context["board"]) == counted
    assert tr("Count again now") in page_text(kept)
    recounted = staff.client.get(reverse("reports:dashboard"), {**asked, "recount": "1"})
    assert recounted.context["board"].remembered is False
    assert _held(recounted.context["board"]) == counted + 1


def test_a_kept_dashboard_is_no_way_round_the_access_check(world: World, settings, forget_dashboards):
    settings.LANTOA_DASHBOARD_REMEMBER_MEMBERS = 1
    persona(world.district, Role.PROPAGANDA).client.get(
        reverse("reports:dashboard"), {"unit": world.district.key}
    )

    sibling = persona(world.tan_thanh, Role.SECRETARY).client.get(
        reverse("reports:dashboard"), {"unit": world.district.key}
    )
    member = persona(world.phuoc_thanh, Role.MEMBER).client.get(
        reverse("reports:dashboard"), {"unit": world.district.key}
    )

    assert sibling.status_code == 404
    assert member.status_code == 404


def test_a_small_units_dashboard_is_counted_on_every_view(world: World, forget_dashboards):
    staff = persona(world.district, Role.PROPAGANDA)
    staff.client.get(reverse("reports:dashboard"), {"unit": world.district.key})
    _hold_a_meeting(world)

    again = staff.client.get(reverse("reports:dashboard"), {"unit": world.district.key})

    assert again.context["board"].remembered is False
    assert tr("Count again now") not in page_text(again)
