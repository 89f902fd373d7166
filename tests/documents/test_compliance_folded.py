"""A district's compliance page on a phone: past 30 units, the list folds by the level below
(each commune with its counts, opened to its cells on demand), so the page starts short."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from lantoa.documents.models import Term
from lantoa.documents.views import obligations
from lantoa.org.models import Unit
from tests.conftest import page_text, tr
from tests.documents.conftest import cells_obligation, file_plan
from tests.factories import UnitFactory

D = dt.date


def test_a_long_list_folds_by_commune_with_the_units_to_chase_first(district_staff, tree, terms):
    for n in range(30):
        UnitFactory(key=f"ap-{n}", name=f"Chi bộ ấp số {n:02}", parent=tree.tan_thach)
    obligation = cells_obligation(tree.district)
    file_plan(obligation, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(obligation, tree.women, D(2024, 3, 20))

    response = district_staff.client.get(reverse("documents:obligation", args=[obligation.public_id]))

    assert len(response.context["listed"]) == 33
    groups = [
        (g["unit"].name, g["counts"].total, g["counts"].not_filed, len(g["rows"]))
        for g in response.context["groups"]
    ]
    assert groups == [
        ("Đảng ủy xã Tân Thạch", 31, 31, 31),
        ("Chi bộ Hội LHPN huyện", 1, 0, 1),
        ("Đảng ủy xã An Khánh", 1, 0, 1),
    ]
    html = response.content.decode()
    # Every unit row sits inside a closed <details>: a phone shows three lines first.
    assert len(re.findall(r"<details(?![^>]*\bopen\b)", html)) == 3
    assert html.count("<tr>") - html.count("<tr><th") == 33
    assert tr("By unit below") not in page_text(response)
    assert tr("Open %(unit)s on its own page", unit="Đảng ủy xã Tân Thạch") in page_text(response)


def test_a_short_list_is_not_folded(district_staff, tree, terms):
    obligation = cells_obligation(tree.district)

    response = district_staff.client.get(reverse("documents:obligation", args=[obligation.public_id]))

    assert response.context["groups"] is None
    assert "<details" not in response.content.decode()
    assert tr("By unit below") in page_text(response)


def test_a_province_sized_list_shows_the_units_to_chase_first_and_says_how_many_more(
    district_staff, tree, terms, monkeypatch
):
    """Ten thousand cells do not fit a page: it lists the first ones, those not filed before
    those that filed, says how many more there are, and keeps every unit below as a group to open
    (the list in Excel has every unit not filed)."""
    monkeypatch.setattr(obligations, "ROWS_SHOWN", 31)
    for n in range(30):
        UnitFactory(key=f"ap-{n}", name=f"Chi bộ ấp số {n:02}", parent=tree.tan_thach)
    obligation = cells_obligation(tree.district)
    # The cells of Tân Thạch filed on time; An Khánh's Phước Thạnh and the women's cell did not.
    for n in range(30):
        cell = Unit.objects.get(key=f"ap-{n}")
        Term.objects.create(unit=cell, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 1, 1))
        file_plan(obligation, cell, D(2024, 3, 20))
    file_plan(obligation, tree.tan_thanh, D(2024, 3, 20))

    response = district_staff.client.get(reverse("documents:obligation", args=[obligation.public_id]))

    listed = response.context["listed"]
    assert len(listed) == 31
    assert [row["unit"].key for row in listed[:2]] == [tree.women.key, tree.phuoc_thanh.key]
    assert {row["status"] for row in listed[:2]} == {"missing"}
    assert response.context["not_shown"] == 2
    # Every unit below keeps its group and counts, the left-out units' too.
    groups = {g["unit"].name: (g["counts"].total, g["counts"].not_filed) for g in response.context["groups"]}
    assert groups == {
        "Chi bộ Hội LHPN huyện": (1, 1),
        "Đảng ủy xã An Khánh": (1, 1),
        "Đảng ủy xã Tân Thạch": (31, 0),
    }
    text = page_text(response)
    assert (
        tr(
            "This page lists %(shown)s units, those to chase first; %(n)s more are not listed. Open a unit "
            "above to see all of its own, or download the not-yet-filed list (Excel), which has every "
            "unit that has not filed.",
            shown="31",
            n="2",
        )
        in text
    )
    # Only the rows shown load their documents: one query whatever the number of filings.
    assert all(row["filing"] is None or row["filing"].document is not None for row in listed)
