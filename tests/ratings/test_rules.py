"""The rules of a day (lantoa.ratings.rules): which rule set governs an act by its date, the
points' bands under Quy định 366, the quota on the top level, and who decides whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lantoa.ratings import rules
from lantoa.ratings.models import Level, SubjectKind
from tests.conftest import tr

D = dt.date
FOUR = ["excellent", "good", "done", "not_done"]

pytestmark = pytest.mark.today(D(2026, 1, 15))


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2018, 3, 7), "Hướng dẫn 27-HD/BTCTW (thang cũ)"),
        (D(2018, 3, 8), "Quy định 132-QĐ/TW"),
        (D(2023, 10, 3), "Quy định 132-QĐ/TW"),
        (D(2023, 10, 4), "Quy định 124-QĐ/TW"),
        (D(2025, 8, 29), "Quy định 124-QĐ/TW"),
        (D(2025, 8, 30), "Quy định 366-QĐ/TW"),
        (D(2026, 1, 15), "Quy định 366-QĐ/TW"),
    ],
)
def test_rules_on_takes_the_rule_set_in_force_on_the_day(db, day, name):
    assert rules.rules_on(day).name == name


def test_rules_on_the_old_scale_rate_clean_and_strong_and_the_new_ones_four_levels(db):
    assert rules.allowed_levels(rules.rules_on(D(2018, 3, 7))) == ["clean_strong", "good", "done", "weak"]
    assert rules.allowed_levels(rules.rules_on(D(2018, 3, 8))) == FOUR
    assert rules.allowed_levels(rules.rules_on(D(2025, 8, 30))) == FOUR


def test_rules_on_only_366_rates_on_points(db):
    assert [rules.rules_on(day).scored for day in (D(2018, 3, 7), D(2023, 10, 4), D(2025, 8, 29))] == [
        False,
        False,
        False,
    ]
    assert rules.rules_on(D(2025, 8, 30)).scored is True


def test_rules_on_a_day_before_2014_is_refused_in_vietnamese(db):
    with pytest.raises(ValidationError) as caught:
        rules.rules_on(D(2013, 12, 31))

    assert caught.value.messages == [tr("No rating rules are recorded for %(date)s.", date="31/12/2013")]


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, Level.EXCELLENT),
        (90, Level.EXCELLENT),
        (89, Level.GOOD),
        (70, Level.GOOD),
        (69, Level.DONE),
        (50, Level.DONE),
        (49, Level.NOT_DONE),
        (0, Level.NOT_DONE),
    ],
)
def test_level_for_score_follows_the_bands_of_366(db, score, level):
    assert rules.level_for_score(rules.rules_on(D(2025, 12, 1)), score) == level


def test_score_problem_89_points_allow_at_most_good(db):
    rule_set = rules.rules_on(D(2025, 12, 1))

    problem = rules.score_problem(rule_set, Level.EXCELLENT, 89)

    assert problem == tr("%(score)d points allow at most “%(level)s”.", score=89, level=Level.GOOD.label)
    assert "89" in problem
    assert rules.score_problem(rule_set, Level.GOOD, 89) is None
    assert rules.score_problem(rule_set, Level.EXCELLENT, 90) is None
    assert rules.score_problem(rule_set, Level.DONE, 50) is None
    assert rules.score_problem(rule_set, Level.DONE, 49) is not None
    assert rules.score_problem(rule_set, Level.NOT_DONE, 49) is None


def test_score_problem_a_level_without_points_or_over_100_is_refused_under_366(db):
    rule_set = rules.rules_on(D(2025, 12, 1))

    assert rules.score_problem(rule_set, Level.GOOD, None) == tr(
        "Under %(rules)s a rating needs its points (0–100).", rules="Quy định 366-QĐ/TW"
    )
    assert rules.score_problem(rule_set, Level.GOOD, 101) == tr(
        "Points must be between 0 and %(max)d.", max=100
    )
    assert rules.score_problem(rule_set, Level.EXCELLENT, 100) is None


def test_score_problem_before_366_no_points_are_needed(db):
    assert rules.score_problem(rules.rules_on(D(2025, 8, 29)), Level.EXCELLENT, None) is None


@pytest.mark.parametrize(("good", "limit"), [(30, 6), (29, 5), (5, 1), (4, 0), (0, 0)])
def test_quota_limit_is_a_fifth_of_those_rated_good_rounded_down(db, good, limit):
    assert rules.quota_limit(rules.rules_on(D(2024, 12, 20)), good) == limit


def test_quota_limit_the_old_scale_sets_none(db):
    assert rules.quota_limit(rules.rules_on(D(2017, 12, 20)), 30) is None
    assert rules.quota_share(rules.rules_on(D(2024, 12, 20))) == "20%"


def test_deciding_body_of_a_member_is_the_grassroots_organisation_of_the_cell(tree):
    day = D(2024, 12, 31)

    assert rules.deciding_body(SubjectKind.MEMBER, tree.phuoc_thanh, day) == tree.an_khanh
    assert rules.deciding_body(SubjectKind.MEMBER, tree.tan_thanh, day) == tree.tan_thach
    # A grassroots cell (directly under the district) decides on its own members.
    assert rules.deciding_body(SubjectKind.MEMBER, tree.women, day) == tree.women


def test_deciding_body_of_a_cell_is_its_grassroots_committee(tree):
    assert rules.deciding_body(SubjectKind.ORGANISATION, tree.phuoc_thanh, D(2024, 12, 31)) == tree.an_khanh
    assert rules.deciding_body(SubjectKind.ORGANISATION, tree.phuoc_thanh, D(2025, 12, 31)) == tree.an_khanh


def test_deciding_body_of_a_commune_is_the_district_until_the_reform_and_the_province_after(tree):
    for kind in (SubjectKind.ORGANISATION, SubjectKind.LEADERSHIP):
        assert rules.deciding_body(kind, tree.an_khanh, D(2025, 6, 30)) == tree.district
        assert rules.deciding_body(kind, tree.an_khanh, D(2025, 7, 1)) == tree.province
    assert rules.deciding_body(SubjectKind.ORGANISATION, tree.women, D(2024, 12, 31)) == tree.district


def test_reference_day_is_the_last_day_of_the_year_or_today_while_it_runs():
    assert rules.reference_day(2024, D(2026, 1, 15)) == D(2024, 12, 31)
    assert rules.reference_day(2026, D(2026, 1, 15)) == D(2026, 1, 15)
