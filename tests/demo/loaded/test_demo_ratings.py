"""The demo's yearly ratings 2021–2024 and the Huyện ủy's term targets: the figures are what the
product's own functions count, and every rating follows the rules of the day it was decided."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.demo.cells.common import LHPN, PHUOC_THANH
from lantoa.demo.org import DISTRICT_KEY
from lantoa.demo.ratings import YEARS
from lantoa.demo.ratings_plan import LABELLED
from lantoa.honours.models import RecognitionKind
from lantoa.org.models import CELL_KINDS, Unit, UnitKind
from lantoa.ratings import rules, targets
from lantoa.ratings.models import (
    AwardToReview,
    Discipline,
    Indicator,
    Level,
    Rating,
    RatingRuleSet,
    RatingStatus,
    SubjectKind,
    TermTarget,
    UnitLabel,
)
from lantoa.ratings.services import Entry, check_decision

D = dt.date


def district_targets() -> list[TermTarget]:
    return list(
        TermTarget.objects.filter(
            term__unit__key=DISTRICT_KEY, term__name="Nhiệm kỳ 2020–2025"
        ).select_related("term__unit", "label")
    )


@pytest.mark.django_db
def test_demo_target_page_counts_66_cells_against_47(demo):
    rows = targets.target_rows(district_targets(), timezone.localdate())
    cells = next(row for row in rows if row.target.indicator == Indicator.CELLS_LABELLED)

    assert cells.target.label is not None
    assert cells.target.label.code == "tsvm-toan-dien"
    assert (cells.term.value, cells.target.target, cells.achievement) == (
        Decimal(66),
        Decimal(47),
        Decimal("140.43"),
    )
    by_year = {year: actual.value for year, actual in cells.years if actual.value is not None}
    assert by_year == {year: Decimal(count) for year, count in LABELLED.items()}
    with translation.override("vi"):
        text = cells.sentence
    assert text.startswith("66 chi bộ")
    assert "47" in text
    assert "140,43%" in text


@pytest.mark.django_db
def test_demo_other_targets_are_counted_and_entered(demo):
    rows = {
        row.target.indicator: row for row in targets.target_rows(district_targets(), timezone.localdate())
    }
    members = rows[Indicator.MEMBERS_EXCELLENT]
    entered = rows[Indicator.ENTERED]

    # Counted from the decided ratings of 2024, the term's last year with ratings: short of 15%.
    assert Decimal(10) <= members.term.value <= Decimal(15)
    assert [year for year, actual in entered.years if actual.value is not None] == list(YEARS)
    assert all("-BC/HU" in actual.evidence for _year, actual in entered.years if actual.value is not None)


@pytest.mark.django_db
def test_demo_every_member_of_a_cell_is_rated_each_year_in_their_cell(demo):
    for year in YEARS:
        counts = Counter(
            Rating.objects.filter(year=year, subject_kind=SubjectKind.MEMBER).values_list("status", flat=True)
        )
        assert set(counts) == {RatingStatus.DECIDED}
        assert counts[RatingStatus.DECIDED] > 3000
    day = D(2023, 12, 31)
    for rating in Rating.objects.filter(year=2023, subject_kind=SubjectKind.MEMBER).order_by("?")[:40]:
        assert rating.member is not None
        cell = rules.cell_of(rating.member, day)
        assert cell is not None
        assert rating.unit_id == cell.pk
        assert rating.quota_unit == rules.deciding_body(SubjectKind.MEMBER, cell, day)
        assert rating.decided_by_id == rating.quota_unit_id
        assert rating.self_on <= rating.proposed_on <= rating.decided_on <= day


@pytest.mark.django_db
def test_demo_no_grassroots_organisation_exceeds_the_quota(demo):
    groups: dict[tuple[int, int, str], Counter[str]] = defaultdict(Counter)
    rule_sets: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for body, year, kind, level, rules_id in Rating.objects.filter(status=RatingStatus.DECIDED).values_list(
        "quota_unit", "year", "subject_kind", "level", "rules"
    ):
        groups[body, year, kind][level] += 1
        rule_sets[body, year, kind].add(rules_id)
    rule_set = RatingRuleSet.objects.in_bulk()

    assert len(groups) > 4 * 30
    for key, levels in groups.items():
        (rules_id,) = rule_sets[key]
        limit = rules.quota_limit(rule_set[rules_id], levels[Level.GOOD])
        assert limit is not None
        assert levels[Level.EXCELLENT] <= limit, key
    assert not Rating.objects.exclude(quota_override="").exists()


@pytest.mark.django_db
def test_demo_every_cell_at_the_top_level_meets_the_80_percent_rule(demo):
    top = list(
        Rating.objects.filter(
            subject_kind=SubjectKind.ORGANISATION, level=Level.EXCELLENT, subject_unit__kind__in=CELL_KINDS
        ).select_related("quota_unit", "subject_unit")
    )

    assert len(top) > 4 * 10
    for rating in top:
        assert rating.decided_on is not None
        check = check_decision(
            body=rating.quota_unit,
            year=rating.year,
            entries=[Entry(rating, rating.level)],
            day=rating.decided_on,
        )
        assert check.blocking == {}, check.problems
        assert not check.quota_exceeded


@pytest.mark.django_db
def test_demo_the_womens_union_cell_is_rated_excellent_for_2023_by_the_huyen_uy(demo):
    rating = Rating.objects.select_related("decided_by", "rules").get(
        subject_unit__key=LHPN, subject_kind=SubjectKind.ORGANISATION, year=2023
    )
    members = Rating.objects.filter(unit__key=LHPN, year=2023, subject_kind=SubjectKind.MEMBER)

    assert rating.level == Level.EXCELLENT
    assert rating.decided_by is not None
    assert rating.decided_by.key == DISTRICT_KEY
    assert rating.decided_on == D(2023, 12, 25)
    assert rating.document.endswith("-QĐ/HU ngày 25/12/2023")
    assert rating.rules == rules.rules_on(D(2023, 12, 25))
    # As a grassroots cell it decides its own members' ratings, before the Huyện ủy rates it.
    assert set(members.values_list("decided_by__key", flat=True)) == {LHPN}
    assert all(decided < rating.decided_on for decided in members.values_list("decided_on", flat=True))
    assert members.count() >= 10
    assert not members.filter(level=Level.NOT_DONE).exists()


@pytest.mark.django_db
def test_demo_every_decision_applies_the_rules_in_force_on_its_day(demo):
    pairs = set(
        Rating.objects.filter(status=RatingStatus.DECIDED).values_list("decided_on", "rules_id").distinct()
    )

    assert pairs
    assert all(rules_id == rules.rules_on(day).pk for day, rules_id in pairs)
    # 2021–2022 under Quy định 132, 2023–2024 under Quy định 124 (from 04/10/2023).
    names = dict(
        Rating.objects.filter(status=RatingStatus.DECIDED).values_list("year", "rules__name").distinct()
    )
    assert names == {
        2021: "Quy định 132-QĐ/TW",
        2022: "Quy định 132-QĐ/TW",
        2023: "Quy định 124-QĐ/TW",
        2024: "Quy định 124-QĐ/TW",
    }
    assert not Rating.objects.filter(decided_on__gt=timezone.localdate()).exists()


@pytest.mark.django_db
def test_demo_grassroots_organisations_are_rated_by_the_huyen_uy(demo):
    for year in YEARS:
        rated = Rating.objects.filter(year=year, quota_unit__key=DISTRICT_KEY)
        kinds = set(rated.values_list("subject_unit__kind", flat=True))
        assert kinds == {UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL}
        assert rated.count() == 31  # 20 communes, 4 grassroots committees, 7 grassroots cells
        assert set(rated.values_list("decided_by__key", flat=True)) == {DISTRICT_KEY}


@pytest.mark.django_db
def test_demo_labels_go_to_hamlet_cells_rated_well_by_their_commune(demo):
    labels = UnitLabel.objects.filter(kind__code="tsvm-toan-dien").select_related("unit", "granted_by")

    assert Counter(labels.values_list("year", flat=True)) == Counter(LABELLED)
    assert Unit.objects.filter(residential=True).count() >= max(LABELLED.values())
    for label in labels:
        assert label.unit.residential
        assert label.granted_by.kind == UnitKind.COMMUNE
        rating = Rating.objects.get(
            subject_unit=label.unit, year=label.year, subject_kind=SubjectKind.ORGANISATION
        )
        assert rating.level in (Level.EXCELLENT, Level.GOOD)
        assert rating.decided_by == label.granted_by


@pytest.mark.django_db
def test_demo_a_discipline_re_rates_2023_and_flags_the_reward(demo):
    (discipline,) = Discipline.objects.select_related("member")
    rating = Rating.objects.get(member=discipline.member, year=discipline.year)
    (flag,) = AwardToReview.objects.select_related("recognition__decision")

    assert discipline.year == 2023
    assert discipline.decided_on > rating.decided_on
    assert rating.level == Level.NOT_DONE
    assert rating.rerated_from in (Level.EXCELLENT, Level.GOOD, Level.DONE)
    assert rating.rerated_on == discipline.decided_on
    assert flag.rating == rating
    assert flag.recognition.decision.kind == RecognitionKind.REWARD
    assert flag.recognition.decision.year == 2023


@pytest.mark.django_db
def test_demo_bulk_ratings_have_the_audit_rows_the_services_write(demo):
    """Phước Thạnh's members go through the services; the other cells' are written in bulk: both
    leave four entries (the opening, then one per step) with the same fields."""

    def steps(rating: Rating) -> list[tuple[str, list[str], int | None]]:
        return [
            (entry.action, sorted(entry.changes), entry.unit_id)
            for entry in AuditEntry.objects.filter(
                target_type__model="rating", target_id=str(rating.pk)
            ).order_by("id")
        ]

    by_service = Rating.objects.filter(
        unit__key=PHUOC_THANH, year=2024, subject_kind=SubjectKind.MEMBER
    ).first()
    in_bulk = (
        Rating.objects.filter(unit__kind=UnitKind.CELL, year=2024, subject_kind=SubjectKind.MEMBER)
        .exclude(quota_unit__key="xa-an-khanh")
        .first()
    )
    assert by_service is not None
    assert in_bulk is not None

    served, bulk = steps(by_service), steps(in_bulk)
    assert [(action, fields) for action, fields, _unit in served] == [
        (action, fields) for action, fields, _unit in bulk
    ]
    assert [action for action, _f, _u in bulk] == [AuditAction.CREATE] + [AuditAction.UPDATE] * 3
    assert [unit for _a, _f, unit in bulk] == [in_bulk.unit_id] * 3 + [in_bulk.quota_unit_id]
