"""The honours figures a review report gives, counted as ``lantoa.honours.counts`` states: one
subject in one decision is one recognition, revoked ones are not counted, "by cells under
grassroots committees" and "by units directly under" follow the tree on each decision's date, and
the figures page links each count to the recognitions behind it, within the reader's area."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents.models import Term
from lantoa.honours import counts, decisions, figure_views, services
from lantoa.honours.access import recognitions_visible_filter
from lantoa.honours.models import AwardForm, Nomination, NominationStatus, Recognition, RecognitionKind
from lantoa.org.access import scope_for
from lantoa.org.models import Role, UnitParentage
from tests.conftest import page_text, persona, tr, tr_count
from tests.factories import UnitFactory, member_in

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
    behind = [
        (r.subject_label, r.decision.decided_on)
        for collectives in (True, False)
        for r in counts.recognitions_behind(
            tree.district, D(2024, 1, 1), D(2024, 12, 31), level=counts.Level.CELLS, collectives=collectives
        )
    ]
    assert behind == [
        ("Chi hội Phụ nữ ấp Phước Thạnh", D(2024, 3, 15)),
        ("Trần Thị Lan", D(2024, 3, 15)),
        ("Trần Thị Lan", D(2024, 4, 30)),
    ]


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
    # No table of zeros for some other period under the error.
    assert page.context["table"] == []
    assert backwards.context["table"] == []
    assert (backwards.context["start"], backwards.context["end"]) == (D(2024, 6, 1), D(2024, 1, 1))


def test_a_closed_district_opens_on_its_last_year_and_says_it_ended(tree, recorded):
    staff = persona(tree.district, Role.PROPAGANDA)

    page = staff.client.get(reverse("honours:figures"), {"unit": tree.district.key})

    assert (page.context["start"], page.context["end"]) == (D(2025, 1, 1), tree.district.valid_to)
    assert tr(
        "%(name)s ended on %(day)s: its figures are of the days before.",
        name=tree.district.name,
        day="30/06/2025",
    ) in page_text(page)


def test_a_reader_who_reaches_the_whole_unit_counts_what_the_area_filter_counts(tree, recorded, moved):
    """The page skips the area's condition for a reader who reaches the unit for all of its life
    (a province's staff would otherwise carry ten thousand units in it): the figures are the same."""
    staff = persona(tree.district, Role.PROPAGANDA)
    query = {"unit": tree.district.key, "from": "01/01/2024", "to": "31/12/2024"}
    everything = recognitions_visible_filter(scope_for(staff.user))

    page = staff.client.get(reverse("honours:figures"), query)

    rows = {key: pairs(figure) for key, _label, figure in page.context["table"]}
    year = (D(2024, 1, 1), D(2024, 12, 31))
    assert rows["cells"] == pairs(counts.by_cells_under_committees(tree.district, *year, everything))
    assert rows["cells"] == (1, 4, 1, 2)
    # A reader who reached a cell only for some days still counts only those days.
    partial = persona(tree.tan_thach, Role.SECRETARY)
    own = partial.client.get(reverse("honours:figures"), {**query, "unit": tree.tan_thach.key})
    assert {key: pairs(f) for key, _l, f in own.context["table"]}["cells"] == (0, 1, 0, 1)


# --- What the database counts is what the rule says ---------------------------------------------
# The tests below would catch a wrong translation of the rule into SQL: the windows of a unit
# that moved, the ends of a period, revoked rows, distinct subjects, the reader's area.


@pytest.fixture
def moved(tree):
    """Chi bộ ấp Mới hung under Đảng ủy xã Tân Thạch until 30/6/2024 and under An Khánh from
    1/7/2024; it praised Bình on each of those two days."""
    cell = UnitFactory(key="ap-moi", name="Chi bộ ấp Mới", valid_from=D(1976, 1, 1))
    UnitParentage.objects.create(
        unit=cell, parent=tree.tan_thach, valid_from=D(1976, 1, 1), valid_to=D(2024, 6, 30)
    )
    UnitParentage.objects.create(unit=cell, parent=tree.an_khanh, valid_from=D(2024, 7, 1))
    Term.objects.create(unit=cell, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    binh = member_in(cell, name="Võ Văn Bình").person
    for day in (D(2024, 6, 30), D(2024, 7, 1)):
        decide(cell, RecognitionKind.PRAISE, nominations(cell, people=[binh]), day)
    return cell


def behind_cells(root, start, end, *, collectives=False, within=None):
    found = counts.recognitions_behind(
        root, start, end, level=counts.Level.CELLS, collectives=collectives, within=within
    )
    return [(r.subject_label, r.decision.decided_on) for r in found.select_related("decision")]


def test_a_cell_that_changed_committee_counts_under_each_only_for_its_days_there(tree, moved):
    year = (D(2024, 1, 1), D(2024, 12, 31))

    assert behind_cells(tree.tan_thach, *year) == [("Võ Văn Bình", D(2024, 6, 30))]
    assert behind_cells(tree.an_khanh, *year) == [("Võ Văn Bình", D(2024, 7, 1))]
    # Under the district all year, through one commune then the other: two recognitions, one man.
    assert pairs(counts.by_cells_under_committees(tree.district, *year)) == (0, 2, 0, 1)
    assert pairs(counts.by_cells_under_committees(tree.tan_thach, *year)) == (0, 1, 0, 1)


def test_the_days_either_side_of_a_move_are_each_counted_once_and_in_the_right_place(tree, moved):
    edges = (D(2024, 6, 30), D(2024, 7, 1))

    assert counts.by_cells_under_committees(tree.tan_thach, *edges).individuals == 1
    assert counts.by_cells_under_committees(tree.an_khanh, *edges).individuals == 1
    assert counts.by_cells_under_committees(tree.district, *edges).individuals == 2
    assert counts.by_cells_under_committees(tree.district, D(2024, 6, 30), D(2024, 6, 30)).individuals == 1
    assert counts.by_cells_under_committees(tree.an_khanh, D(2024, 6, 30), D(2024, 6, 30)).individuals == 0
    assert counts.by_cells_under_committees(tree.tan_thach, D(2024, 7, 1), D(2024, 7, 1)).individuals == 0


def test_the_units_directly_under_count_a_decision_on_the_first_and_the_last_day(tree, recorded):
    # An Khánh rewarded Lan on 20/3/2024.
    on_the_day = counts.by_units_directly_under(tree.district, D(2024, 3, 20), D(2024, 3, 20))
    before = counts.by_units_directly_under(tree.district, D(2024, 1, 1), D(2024, 3, 19))
    after = counts.by_units_directly_under(tree.district, D(2024, 3, 21), D(2024, 12, 31))

    assert pairs(on_the_day[RecognitionKind.REWARD]) == (0, 1, 0, 1)
    assert before[RecognitionKind.REWARD].individuals == 0
    assert after[RecognitionKind.REWARD].individuals == 0
    assert (
        counts.by_units_directly_under(tree.district, D(2024, 1, 1), D(2024, 3, 20))[
            RecognitionKind.REWARD
        ].individuals
        == 1
    )


def test_a_revoked_recognition_is_neither_counted_nor_listed(tree, recorded):
    lan, _hoa = recorded
    reward = Recognition.objects.get(decision__kind=RecognitionKind.REWARD)
    decisions.revoke_recognition(actor=None, recognition=reward, day=D(2024, 6, 1), reason="Xếp loại lại")
    year = (D(2024, 1, 1), D(2024, 12, 31))

    by_units = counts.by_units_directly_under(tree.district, *year)
    assert pairs(by_units[RecognitionKind.REWARD]) == (0, 0, 0, 0)
    assert not counts.recognitions_behind(
        tree.district,
        *year,
        level=counts.Level.DIRECTLY_UNDER,
        kind=RecognitionKind.REWARD,
        collectives=False,
    ).exists()
    # Lan's praise of 2/4/2024 was revoked when recorded: two of her three praises count.
    assert [name for name, _day in behind_cells(tree.district, *year)] == [lan.full_name, lan.full_name]


def test_the_same_person_three_years_running_is_three_recognitions_and_one_person(tree):
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    lan = member_in(tree.phuoc_thanh, name="Trần Thị Lan").person
    for year in (2021, 2022, 2023):
        decide(
            tree.phuoc_thanh,
            RecognitionKind.PRAISE,
            nominations(tree.phuoc_thanh, people=[lan]),
            D(year, 12, 20),
        )

    figure = counts.by_cells_under_committees(tree.an_khanh, D(2021, 1, 1), D(2023, 12, 31))

    assert pairs(figure) == (0, 3, 0, 1)


def test_a_collective_named_in_another_case_and_with_a_space_is_one_collective(tree):
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    # Capital letters with Vietnamese marks (Ấ, Ộ, Ữ), which SQLite's lower() leaves as they are.
    for day, name in (
        (D(2024, 3, 15), "Tổ Phụ Nữ Ấp Một"),
        (D(2024, 4, 15), "tổ phụ nữ ấp một "),
        (D(2024, 5, 15), "Tổ Phụ Nữ Ấp Hai"),
    ):
        decide(tree.phuoc_thanh, RecognitionKind.PRAISE, nominations(tree.phuoc_thanh, names=[name]), day)

    figure = counts.by_cells_under_committees(tree.an_khanh, D(2024, 1, 1), D(2024, 12, 31))

    assert pairs(figure) == (3, 0, 2, 0)


def test_the_figures_count_and_list_only_what_the_reader_reads(tree, recorded, moved):
    """Tân Thạch's secretary reads its cells' records: Chi bộ ấp Mới's until it left on 30/6/2024."""
    reader = persona(tree.tan_thach, Role.SECRETARY)
    within = recognitions_visible_filter(scope_for(reader.user))
    year = (D(2024, 1, 1), D(2024, 12, 31))

    assert pairs(counts.by_cells_under_committees(tree.district, *year, within)) == (0, 1, 0, 1)
    assert behind_cells(tree.district, *year, within=within) == [("Võ Văn Bình", D(2024, 6, 30))]
    by_units = counts.by_units_directly_under(tree.district, *year, within)
    assert [pairs(figure) for figure in by_units.values()] == [(0, 0, 0, 0)] * 3
    # The district's staff reads it all: Lan twice, the association, Bình twice.
    staff = persona(tree.district, Role.PROPAGANDA)
    everything = recognitions_visible_filter(scope_for(staff.user))
    assert pairs(counts.by_cells_under_committees(tree.district, *year, everything)) == (1, 4, 1, 2)


def test_the_figures_page_lists_a_line_in_pages_read_in_the_order_of_the_decisions(
    tree, recorded, moved, monkeypatch
):
    monkeypatch.setattr(figure_views, "PAGE_SIZE", 3)
    staff = persona(tree.district, Role.PROPAGANDA)
    query = {"unit": tree.district.key, "from": "01/01/2024", "to": "31/12/2024", "line": "cells"}

    pages = [
        staff.client.get(reverse("honours:figures"), {**query, "subjects": "individuals", "page": number})
        for number in (1, 2)
    ]

    listed = [
        [(r.subject_label, r.decision.decided_on) for r in page.context["recognitions"]] for page in pages
    ]
    assert listed == [
        [("Trần Thị Lan", D(2024, 3, 15)), ("Trần Thị Lan", D(2024, 4, 30)), ("Võ Văn Bình", D(2024, 6, 30))],
        [("Võ Văn Bình", D(2024, 7, 1))],
    ]
    assert [page.context["page"].paginator.num_pages for page in pages] == [2, 2]
    assert tr_count("%(total)s recognition.", "%(total)s recognitions.", 4, total="4") in page_text(pages[1])


def test_the_figures_page_runs_as_many_queries_whatever_the_number_of_recognitions(tree, recorded):
    staff = persona(tree.district, Role.PROPAGANDA)
    query = {"unit": tree.district.key, "from": "01/01/2024", "to": "31/12/2024"}
    url = reverse("honours:figures")

    def queries_run() -> int:
        with CaptureQueriesContext(connection) as run:
            assert (
                staff.client.get(url, {**query, "line": "cells", "subjects": "individuals"}).status_code
                == 200
            )
        return len(run.captured_queries)

    few = queries_run()
    # Three more cells under the communes, each praising two people and a collective.
    for number in range(3):
        cell = UnitFactory(key=f"ap-{number}", name=f"Chi bộ ấp {number}", parent=tree.tan_thach)
        Term.objects.create(unit=cell, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
        people = [member_in(cell, name=f"Người {number} {n}").person for n in range(2)]
        made = nominations(cell, people=people, names=[f"Tổ {number}"])
        decide(cell, RecognitionKind.PRAISE, made, D(2024, 6, 1))

    assert counts.by_cells_under_committees(tree.district, D(2024, 1, 1), D(2024, 12, 31)).individuals == 8
    assert queries_run() == few


def test_the_migration_fills_the_subject_of_recognitions_already_recorded(tree, recorded):
    """The rows recorded before the key existed get the key their nominations give."""
    migration = importlib.import_module("lantoa.honours.migrations.0009_recognition_subject_key")
    expected = dict(Recognition.objects.values_list("pk", "subject_key"))
    Recognition.objects.update(subject_key="?")

    migration.fill_subject_keys(apps, None)

    assert dict(Recognition.objects.values_list("pk", "subject_key")) == expected
    lan, hoa = recorded
    assert set(expected.values()) == {f"p:{lan.pk}", f"p:{hoa.pk}", "n:chi hội phụ nữ ấp phước thạnh"}
