"""The good-practice library: a cell records what it started, every cell of the district finds
it without typing accents, and other cells record that they took it up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.honours import services
from lantoa.org.models import Role
from tests.conftest import BEFORE_THE_REFORM, persona

D = dt.date

pytestmark = pytest.mark.today(BEFORE_THE_REFORM)


def _practice(tree, title="Mô hình “Ngày Chủ nhật xanh”", unit=None):
    return services.record_practice(
        actor=None,
        unit=unit or tree.phuoc_thanh,
        title=title,
        kind="model",
        started_on=D(2023, 5, 19),
        description="Mỗi Chủ nhật, đảng viên cùng bà con phát quang đường ấp.",
        results="15/03/2024: 1,2 km đường ấp sạch.",
    )


def test_another_cell_of_the_district_finds_it_without_accents_another_district_does_not(tree):
    practice = _practice(tree)
    neighbour = persona(tree.tan_thanh, Role.SECRETARY)
    elsewhere = persona(tree.other_cell, Role.SECRETARY)

    found = neighbour.client.get(reverse("honours:practices"), {"q": "ngay chu nhat xanh"})

    assert [p.title for p in found.context["page"].object_list] == [practice.title]
    assert list(elsewhere.client.get(reverse("honours:practices")).context["page"].object_list) == []
    assert elsewhere.client.get(reverse("honours:practice", args=[practice.public_id])).status_code == 404


def test_another_cell_records_that_it_took_the_practice_up_once(tree):
    practice = _practice(tree)
    neighbour = persona(tree.tan_thanh, Role.SECRETARY)

    response = neighbour.client.post(
        reverse("honours:practice", args=[practice.public_id]),
        {"unit": "tan-thanh", "started_on": "01/04/2024"},
    )

    assert response.status_code == 302
    assert [(r.unit.key, r.started_on) for r in practice.replications.all()] == [("tan-thanh", D(2024, 4, 1))]
    with pytest.raises(ValidationError):
        services.record_replication(
            actor=None, practice=practice, unit=tree.tan_thanh, started_on=D(2024, 5, 1)
        )
    with pytest.raises(ValidationError):
        services.record_replication(
            actor=None, practice=practice, unit=tree.phuoc_thanh, started_on=D(2024, 5, 1)
        )
    with pytest.raises(ValidationError):
        services.record_replication(actor=None, practice=practice, unit=tree.women, started_on=D(2020, 1, 1))


def test_a_member_reads_the_library_and_records_nothing(tree):
    practice = _practice(tree)
    member = persona(tree.phuoc_thanh, Role.MEMBER)

    assert member.client.get(reverse("honours:practice", args=[practice.public_id])).status_code == 200
    assert member.client.get(reverse("honours:practice_create")).status_code == 403
    refused = member.client.post(
        reverse("honours:practice", args=[practice.public_id]),
        {"unit": "phuoc-thanh", "started_on": "01/04/2024"},
    )
    assert refused.status_code == 403


def test_the_library_runs_the_same_queries_for_one_practice_or_three(tree):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    url = reverse("honours:practices")
    _practice(tree)

    def count():
        secretary.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            secretary.client.get(url)
        return len(captured)

    one = count()
    _practice(tree, "Mô hình “Dân vận khéo”")
    _practice(tree, "Cách làm hay: tổ hòa giải", unit=tree.tan_thanh)
    assert count() == one
