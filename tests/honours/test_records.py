"""The record a council reads before deciding, for a collective as for a person: every nomination,
vote and recognition across the years, of a Party unit or of a collective named in nominations,
within the reader's area, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.honours import decisions, services
from lantoa.honours.models import RecognitionKind
from lantoa.org.models import Role
from tests.conftest import page_text, persona

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))
ASSOCIATION = "Chi hội Phụ nữ ấp Phước Thạnh"


@pytest.fixture
def praised(tree, at_the_commune):
    """An Khánh praises Lan and the women's association by decision; it also nominates its cell
    Phước Thạnh for 2023 and praises it."""
    member, collective = at_the_commune
    cell = services.nominate(
        actor=None,
        unit=tree.an_khanh,
        subject_unit=tree.phuoc_thanh,
        achievements="Chi bộ lãnh đạo hoàn thành xuất sắc chỉ tiêu năm",
        period_kind="year",
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 31),
        nominated_on=D(2024, 3, 12),
    )
    cell.status = "passed"
    cell.save(update_fields=["status"])
    return decisions.issue_decision(
        actor=None,
        unit=tree.an_khanh,
        kind=RecognitionKind.PRAISE,
        nominations=[member, collective, cell],
        decided_on=D(2024, 3, 15),
        year=2024,
        reason="tiêu biểu quý I/2024",
    )


def test_a_named_collectives_record_shows_its_vote_and_its_praise(tree, praised):
    staff = persona(tree.an_khanh, Role.SECRETARY)

    page = staff.client.get(reverse("honours:collective_record"), {"name": ASSOCIATION})

    assert page.status_code == 200
    text = page_text(page)
    assert ASSOCIATION in text
    assert "Giúp dân làm đường" in text  # the achievements
    assert "Chi bộ ấp Phước Thạnh, ngày 05/03/2024: 100,00%" in text  # the cell's vote
    assert praised.document.symbol in text
    # From the nomination's page, one link away.
    nomination = praised.recognitions.get(subject_label=ASSOCIATION).nomination
    detail = staff.client.get(reverse("honours:nomination", args=[nomination.public_id]))
    assert reverse("honours:collective_record") + "?name=Chi%20h%E1%BB%99i" in detail.content.decode()


def test_a_party_units_record_shows_its_nomination_by_the_commune(tree, praised):
    staff = persona(tree.an_khanh, Role.SECRETARY)

    text = page_text(staff.client.get(reverse("honours:unit_record", args=[tree.phuoc_thanh.key])))

    assert "Chi bộ lãnh đạo hoàn thành xuất sắc chỉ tiêu năm" in text
    assert praised.document.symbol in text


def test_records_show_nothing_outside_the_readers_area(client, tree, praised):
    elsewhere = persona(tree.tan_thanh, Role.SECRETARY)
    assert (
        elsewhere.client.get(reverse("honours:unit_record", args=[tree.phuoc_thanh.key])).status_code == 404
    )
    named = elsewhere.client.get(reverse("honours:collective_record"), {"name": ASSOCIATION})
    assert named.status_code == 404
    assert "Giúp dân làm đường" not in page_text(named)
    assert elsewhere.client.get(reverse("honours:collective_record")).status_code == 404
    assert client.get(reverse("honours:collective_record"), {"name": ASSOCIATION}).status_code == 302


def test_a_record_takes_the_same_queries_however_long(tree, praised):
    staff = persona(tree.an_khanh, Role.SECRETARY)
    url = reverse("honours:collective_record") + f"?name={ASSOCIATION}"
    staff.client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff.client.get(url)
    for year in (2021, 2022, 2023):
        services.nominate(
            actor=None,
            unit=tree.phuoc_thanh,
            subject_name=ASSOCIATION,
            achievements=f"Năm {year}",
            period_kind="year",
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            nominated_on=D(year, 12, 20),
        )
    with CaptureQueriesContext(connection) as four:
        page = staff.client.get(url)
    assert len(page.context["nominations"]) == 4
    assert len(four) == len(one)
