"""The honours figures a review report gives, counted as ``lantoa.honours.counts`` states: one
subject in one decision is one recognition, revoked ones are not counted, "by cells under
grassroots committees" and "by units directly under" follow the tree on each decision's date, and
the figures page links each count to the recognitions behind it, within the reader's area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.documents.models import Term
from lantoa.honours import counts, decisions, services
from lantoa.honours.models import AwardForm, Nomination, NominationStatus, RecognitionKind
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr
from tests.factories import member_in

D = dt.date

pytestmark = pytest.mark.today(D(2025, 8, 1))


def nominations(unit, *, people=(), names=()) -> list[Nomination]:
    """Examples before ``unit`` to decide on (how they got there is tested elsewhere)."""
    made = [
        services.nominate(
            actor=None,
            unit=unit,
            subject_person=person,
            subject_name=name,
            achievements="Giúp dân làm đường",
            period_kind="month",
            period_start=D(2024, 2, 1),
            period_end=D(2024, 2, 29),
            nominated_on=D(2024, 3, 1),
        )
        for person, name in [(p, "") for p in people] + [(None, n) for n in names]
    ]
    Nomination.objects.filter(pk__in=[n.pk for n in made]).update(status=NominationStatus.PASSED)
    return list(Nomination.objects.filter(pk__in=[n.pk for n in made]).order_by("pk"))


def decide(unit, kind, chosen, day, **extra):
    Nomination.objects.filter(pk__in=[n.pk for n in chosen]).update(
        holder=unit, status=NominationStatus.PASSED
    )
    chosen = list(Nomination.objects.filter(pk__in=[n.pk for n in chosen]).order_by("pk"))
    return decisions.issue_decision(
        actor=None,
        unit=unit,
        kind=kind,
        nominations=chosen,
        decided_on=day,
        year=day.year,
        reason="tiêu biểu",
        **extra,
    )


@pytest.fixture
def recorded(tree):
    """Phước Thạnh (a cell under Đảng ủy xã An Khánh) praises Lan twice and its women's
    association once; the Chi bộ Hội LHPN huyện (a grassroots cell directly under the district)
    praises Hoa; An Khánh (directly under the district until 30/6/2025, then under the province)
    rewards Lan in 2024 and praises Lan in 2025; one praise of Lan is revoked."""
    for unit in (tree.phuoc_thanh, tree.an_khanh, tree.women, tree.district):
        Term.objects.create(unit=unit, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    lan = member_in(tree.phuoc_thanh, name="Trần Thị Lan").person
    hoa = member_in(tree.women, name="Lê Thị Hoa").person
    first = nominations(tree.phuoc_thanh, people=[lan], names=["Chi hội Phụ nữ ấp Phước Thạnh"])
    decide(tree.phuoc_thanh, RecognitionKind.PRAISE, first, D(2024, 3, 15))
    again = nominations(tree.phuoc_thanh, people=[lan])
    decide(tree.phuoc_thanh, RecognitionKind.PRAISE, again, D(2024, 4, 30))
    revoked = decide(
        tree.phuoc_thanh, RecognitionKind.PRAISE, nominations(tree.phuoc_thanh, people=[lan]), D(2024, 4, 2)
    )
    decisions.revoke_recognition(
        actor=None, recognition=revoked.recognitions.get(), day=D(2024, 5, 2), reason="Xếp loại lại"
    )
    decide(tree.women, RecognitionKind.PRAISE, nominations(tree.women, people=[hoa]), D(2024, 5, 1))
    decide(
        tree.an_khanh,
        RecognitionKind.REWARD,
        first[:1],
        D(2024, 3, 20),
        form=AwardForm.objects.get(code="party-giay-khen"),
    )
    decide(tree.an_khanh, RecognitionKind.PRAISE, again, D(2025, 7, 10))
    return lan, hoa


def pairs(figure: counts.Figure) -> tuple[int, int, int, int]:
    return figure.collectives, figure.individuals, figure.distinct_collectives, figure.distinct_individuals


def test_cells_under_committees_count_each_recognition_and_each_subject_once(tree, recorded):
    figure = counts.by_cells_under_committees(tree.district, D(2024, 1, 1), D(2024, 12, 31))

    # Lan twice (the revoked third not counted), one person; the association once; Hoa's cell is
    # a grassroots cell directly under the district, not a cell under a grassroots committee.
    assert pairs(figure) == (1, 2, 1, 1)
    assert len(figure.recognition_ids) == 3


def test_both_ends_of_the_period_are_counted_and_nothing_outside(tree, recorded):
    assert counts.by_cells_under_committees(tree.district, D(2024, 3, 16), D(2024, 4, 30)).individuals == 1
    assert counts.by_cells_under_committees(tree.district, D(2024, 3, 15), D(2024, 3, 15)).individuals == 1
    assert counts.by_cells_under_committees(tree.district, D(2024, 5, 1), D(2024, 12, 31)).individuals == 0


def test_units_directly_under_follow_the_tree_on_each_decisions_day(tree, recorded):
    whole = (D(2024, 1, 1), D(2025, 7, 31))
    district = counts.by_units_directly_under(tree.district, *whole)
    province = counts.by_units_directly_under(tree.province, *whole)

    # 2024: An Khánh and the women's cell are directly under the district.
    assert pairs(district[RecognitionKind.REWARD]) == (0, 1, 0, 1)
    assert pairs(district[RecognitionKind.PRAISE]) == (0, 1, 0, 1)  # Hoa
    # 10/7/2025: An Khánh hangs under the province, the district is closed.
    assert pairs(province[RecognitionKind.PRAISE]) == (0, 1, 0, 1)
    assert province[RecognitionKind.REWARD].individuals == 0
    # The cells under the province's communes count for the province too.
    assert counts.by_cells_under_committees(tree.province, *whole).individuals == 2


def test_the_figures_page_counts_and_drills_down_to_the_names(tree, recorded, django_assert_max_num_queries):
    staff = persona(tree.district, Role.PROPAGANDA)
    query = {"unit": tree.district.key, "from": "01/01/2024", "to": "31/12/2024"}

    with django_assert_max_num_queries(25):
        page = staff.client.get(
            reverse("honours:figures"), {**query, "line": "cells", "subjects": "individuals"}
        )

    assert page.status_code == 200
    text = page_text(page)
    assert tr("Introduced and praised by the cells under grassroots committees") in text
    assert text.count("Trần Thị Lan") == 2
    assert "Lê Thị Hoa" not in text
    rows = {key: figure for key, _label, figure in page.context["table"]}
    assert pairs(rows["cells"]) == (1, 2, 1, 1)
    assert pairs(rows["reward"]) == (0, 1, 0, 1)


def test_the_figures_page_refuses_a_unit_outside_the_area_and_anyone_logged_out(client, tree, recorded):
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    assert secretary.client.get(reverse("honours:figures"), {"unit": tree.district.key}).status_code == 404
    own = secretary.client.get(reverse("honours:figures"))
    assert own.status_code == 200
    assert own.context["unit"] == tree.phuoc_thanh
    # Under another district: not found, whatever the dates.
    staff = persona(tree.district, Role.PROPAGANDA)
    assert staff.client.get(reverse("honours:figures"), {"unit": tree.other_district.key}).status_code == 404
    assert client.get(reverse("honours:figures")).status_code == 302


def test_a_date_that_cannot_be_read_is_said_and_nothing_is_counted_wrongly(tree, recorded):
    staff = persona(tree.district, Role.PROPAGANDA)
    page = staff.client.get(reverse("honours:figures"), {"unit": tree.district.key, "from": "31/02/2024"})

    assert page.status_code == 400
    assert tr("A date could not be read: write it as dd/mm/yyyy.") in page_text(page)
    backwards = staff.client.get(
        reverse("honours:figures"), {"unit": tree.district.key, "from": "01/06/2024", "to": "01/01/2024"}
    )
    assert backwards.status_code == 400
    assert tr("The period ends before it starts.") in page_text(backwards)
