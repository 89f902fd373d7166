"""A committee's meetings page tells its own meetings apart from its cells': Đảng ủy xã An Khánh
has no meeting of its own in March 2024, while its only cell held its regular meeting; the
page must not say "none" as if nothing had been held."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.cells.queries.meetings import CellsRollUp
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

D = dt.date
MARCH = {"unit": "an-khanh", "month": "2024-03"}


def held(unit, day, kind=MeetingKind.REGULAR):
    return Meeting.objects.create(
        unit=unit, kind=kind, date=day, period=day.replace(day=1), status=MeetingStatus.HELD
    )


@pytest.fixture
def commune_secretary(tree):
    return persona(tree.an_khanh, Role.SECRETARY)


def test_a_committees_page_counts_its_cells_apart_from_its_own_meetings(commune_secretary, tree):
    held(tree.phuoc_thanh, D(2024, 3, 5))

    response = commune_secretary.client.get(reverse("cells:meetings"), MARCH)

    assert response.context["cells"] == CellsRollUp(total=1, regular=1, thematic=0)
    assert response.context["state"].regular == "none"  # the committee's own: none, and so labelled
    text = page_text(response)
    assert tr("Meetings of %(unit)s itself", unit="Đảng ủy xã An Khánh") in text
    assert tr("The cells under this committee") in text
    assert "1 trên 1 chi bộ đã họp" in text


def test_a_cells_page_has_no_roll_up(cell_secretary, tree):
    held(tree.phuoc_thanh, D(2024, 3, 5))

    month = {"unit": "phuoc-thanh", "month": "2024-03"}

    response = cell_secretary.client.get(reverse("cells:meetings"), month)

    assert response.context["cells"] is None
    assert tr("The cells under this committee") not in page_text(response)
