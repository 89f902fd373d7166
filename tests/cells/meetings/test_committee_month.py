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


def test_the_committees_counts_open_to_the_meetings_held_as_the_reports_count_them(commune_secretary, tree):
    held(tree.phuoc_thanh, D(2024, 3, 5))
    held(tree.phuoc_thanh, D(2024, 2, 20), kind=MeetingKind.THEMATIC)

    response = commune_secretary.client.get(reverse("cells:meetings"), MARCH)
    links = response.context["cells_links"]
    regular = commune_secretary.client.get(links["regular"])
    thematic = commune_secretary.client.get(links["thematic"])

    assert links["regular"] in response.content.decode().replace("&amp;", "&")
    assert (regular.status_code, regular.context["figure"].value, len(regular.context["rows"])) == (200, 1, 1)
    assert (thematic.status_code, thematic.context["figure"].value, len(thematic.context["rows"])) == (
        200,
        1,
        1,
    )


def test_a_role_that_reads_no_report_sees_the_counts_without_the_lists(tree):
    # The commune's fund treasurer reads the meetings page, but review reports are for those who
    # oversee the unit: the counts show, the links to the lists do not.
    treasurer = persona(tree.an_khanh, Role.TREASURER)
    held(tree.phuoc_thanh, D(2024, 3, 5))

    response = treasurer.client.get(reverse("cells:meetings"), MARCH)

    assert response.status_code == 200
    assert response.context["cells"].regular == 1
    assert response.context["cells_links"] == {"regular": None, "thematic": None}


def test_a_cells_page_has_no_roll_up(cell_secretary, tree):
    held(tree.phuoc_thanh, D(2024, 3, 5))

    month = {"unit": "phuoc-thanh", "month": "2024-03"}

    response = cell_secretary.client.get(reverse("cells:meetings"), month)

    assert response.context["cells"] is None
    assert tr("The cells under this committee") not in page_text(response)
