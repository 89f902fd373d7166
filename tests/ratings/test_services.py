"""Writing ratings (lantoa.ratings.services): the rule set of the act's date, the points under
Quy định 366, the quota on the top level, a cell's consistency with its members, discipline and
what it re-rates and flags, who decides, the dates an act may bear, labels, and the audit trail.

The tree is tests/conftest.py's: Chi bộ ấp Phước Thạnh under Đảng ủy xã An Khánh (under the
district until 30/6/2025, the province after), Chi bộ ấp Tân Thạnh under Đảng ủy xã Tân Thạch."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from lantoa.audit.models import AuditEntry
from lantoa.honours.models import Decision, Recognition, RecognitionKind
from lantoa.ratings import services
from lantoa.ratings.models import (
    AwardToReview,
    Discipline,
    DisciplineForm,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    SubjectKind,
    UnitLabel,
)
from lantoa.ratings.services import Entry
from tests.cells.meetings.conftest import cell  # noqa: F401 - the fixture
from tests.conftest import tr
from tests.factories import UserFactory, member_in
from tests.honours.conftest import at_the_commune, giay_khen, held  # noqa: F401 - the fixtures
from tests.ratings.conftest import cell_under, decide, levels, lines, open_ratings, propose, rated

D = dt.date
# The 2024 round, decided in December 2024 under Quy định 124.
YEAR = 2024
DECIDED_ON = D(2024, 12, 20)
PROPOSED_ON = D(2024, 12, 10)
LABELLED_ON = D(2025, 1, 10)
OVERRIDE = "Chi bộ dẫn đầu phong trào thi đua của xã; Đảng ủy thống nhất vượt tỷ lệ."
QUOTA_TEXT = (
    "%(group)s: %(excellent)s at “Completed tasks excellently”; at most %(limit)s "
    "(%(share)s of the %(good)s at “Completed tasks well”)."
)
SHARE_TEXT = (
    "%(good)s of %(total)s members at “Completed tasks well” or above; the top level needs %(share)s%%."
)

pytestmark = pytest.mark.today(D(2025, 1, 15))


def quota_text(kind: str, *, excellent: int, limit: int, good: int) -> str:
    return tr(
        QUOTA_TEXT,
        group=SubjectKind(kind).label,
        excellent=str(excellent),
        limit=str(limit),
        share="20%",
        good=str(good),
    )


def refused(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


# ---------------------------------------------------------------------------------------------
# The rule set is the one in force on the act's date
# ---------------------------------------------------------------------------------------------


@pytest.mark.today(D(2024, 1, 15))
def test_decide_for_2023_applies_the_rules_of_the_decision_date_not_of_the_year(tree):
    early, late = rated(tree.phuoc_thanh, 2, 2023)

    decide(tree.an_khanh, 2023, [Entry(early, Level.GOOD)], D(2023, 9, 20))
    decide(tree.an_khanh, 2023, [Entry(late, Level.GOOD)], D(2023, 12, 20))

    early.refresh_from_db()
    late.refresh_from_db()
    assert early.rules.name == "Quy định 132-QĐ/TW"
    assert late.rules.name == "Quy định 124-QĐ/TW"


@pytest.mark.today(D(2018, 3, 20))
def test_decide_the_old_scale_level_is_refused_after_8_march_2018(tree):
    rating = rated(tree.phuoc_thanh, 1, 2017)[0]

    error = refused(decide, tree.an_khanh, 2017, [Entry(rating, Level.CLEAN_STRONG)], D(2018, 3, 8))

    assert error.messages == [
        f"{rating.subject_name}: "
        + tr(
            "“%(level)s” is not a level under %(rules)s.",
            level=Level.CLEAN_STRONG.label,
            rules="Quy định 132-QĐ/TW",
        )
    ]
    decide(tree.an_khanh, 2017, [Entry(rating, Level.CLEAN_STRONG)], D(2018, 3, 7))
    assert levels([rating]) == [Level.CLEAN_STRONG]


# ---------------------------------------------------------------------------------------------
# Points under Quy định 366
# ---------------------------------------------------------------------------------------------


@pytest.mark.today(D(2026, 1, 15))
def test_decide_under_366_the_points_bound_the_level(tree):
    ninety, eighty_nine, fifty, forty_nine = rated(tree.phuoc_thanh, 4, 2025)
    good = rated(tree.phuoc_thanh, 5, 2025, prefix="Tốt")  # so that one may be excellent
    day = D(2025, 12, 20)

    error = refused(decide, tree.an_khanh, 2025, [Entry(eighty_nine, Level.EXCELLENT, 89)], day)
    assert error.messages == [
        f"{eighty_nine.subject_name}: "
        + tr("%(score)d points allow at most “%(level)s”.", score=89, level=Level.GOOD.label)
    ]
    error = refused(decide, tree.an_khanh, 2025, [Entry(forty_nine, Level.DONE, 49)], day)
    assert error.messages == [
        f"{forty_nine.subject_name}: "
        + tr("%(score)d points allow at most “%(level)s”.", score=49, level=Level.NOT_DONE.label)
    ]

    decide(
        tree.an_khanh,
        2025,
        [
            *lines(good, Level.GOOD, 80),
            Entry(ninety, Level.EXCELLENT, 90),
            Entry(eighty_nine, Level.GOOD, 89),
            Entry(fifty, Level.DONE, 50),
            Entry(forty_nine, Level.NOT_DONE, 49),
        ],
        day,
    )

    assert levels([ninety, eighty_nine, fifty, forty_nine]) == [
        Level.EXCELLENT,
        Level.GOOD,
        Level.DONE,
        Level.NOT_DONE,
    ]
    assert Rating.objects.get(pk=ninety.pk).score == 90


@pytest.mark.today(D(2026, 1, 15))
def test_decide_under_366_a_level_without_points_or_over_100_is_refused(tree):
    rating = rated(tree.phuoc_thanh, 1, 2025)[0]
    day = D(2025, 12, 20)

    missing = refused(decide, tree.an_khanh, 2025, [Entry(rating, Level.GOOD)], day)
    over = refused(decide, tree.an_khanh, 2025, [Entry(rating, Level.GOOD, 101)], day)

    assert missing.messages == [
        f"{rating.subject_name}: "
        + tr("Under %(rules)s a rating needs its points (0–100).", rules="Quy định 366-QĐ/TW")
    ]
    assert over.messages == [
        f"{rating.subject_name}: " + tr("Points must be between 0 and %(max)d.", max=100)
    ]
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.SELF_ASSESSED


@pytest.mark.today(D(2026, 1, 15))
def test_record_self_assessment_under_366_needs_its_points(tree):
    rating = rated(tree.phuoc_thanh, 1, 2025)[0]

    error = refused(
        services.record_self_assessment, actor=None, rating=rating, level=Level.EXCELLENT, day=D(2025, 12, 1)
    )
    services.record_self_assessment(actor=None, rating=rating, level=Level.GOOD, score=85, day=D(2025, 12, 1))

    assert error.message_dict == {
        "self_level": [tr("Under %(rules)s a rating needs its points (0–100).", rules="Quy định 366-QĐ/TW")]
    }
    rating.refresh_from_db()
    assert (rating.self_level, rating.self_score, rating.self_on) == (Level.GOOD, 85, D(2025, 12, 1))


# ---------------------------------------------------------------------------------------------
# The quota: the top level at most 20% of those rated good, per grassroots organisation and group
# ---------------------------------------------------------------------------------------------


def test_decide_thirty_good_allow_six_excellent_and_a_seventh_is_refused(tree):
    good = rated(tree.phuoc_thanh, 30, YEAR, prefix="Tốt")
    excellent = rated(tree.phuoc_thanh, 7, YEAR, prefix="Xuất sắc")

    decide(tree.an_khanh, YEAR, lines(good, Level.GOOD) + lines(excellent[:6], Level.EXCELLENT), DECIDED_ON)
    error = refused(decide, tree.an_khanh, YEAR, [Entry(excellent[6], Level.EXCELLENT)], D(2024, 12, 21))

    assert Counter(levels(good + excellent)) == Counter({Level.GOOD: 30, Level.EXCELLENT: 6, "": 1})
    assert error.message_dict == {
        "quota_override": [
            quota_text(SubjectKind.MEMBER, excellent=7, limit=6, good=30),
            tr("Give the reason to exceed the quota, or lower a rating."),
        ]
    }
    assert "7" in error.message_dict["quota_override"][0]
    assert Rating.objects.get(pk=excellent[6].pk).status == RatingStatus.SELF_ASSESSED


def test_decide_over_the_quota_with_a_reason_stores_it_on_that_batchs_excellent_ratings(tree):
    earlier = rated(tree.phuoc_thanh, 1, YEAR, prefix="Trước")
    good = rated(tree.phuoc_thanh, 30, YEAR, prefix="Tốt")
    excellent = rated(tree.phuoc_thanh, 6, YEAR, prefix="Xuất sắc")
    decide(tree.an_khanh, YEAR, lines(earlier, Level.EXCELLENT) + lines(good, Level.GOOD), DECIDED_ON)
    batch = lines(excellent, Level.EXCELLENT)

    error = refused(decide, tree.an_khanh, YEAR, batch, D(2024, 12, 21))
    decide(tree.an_khanh, YEAR, batch, D(2024, 12, 21), quota_override=OVERRIDE)

    assert error.message_dict["quota_override"][0] == quota_text(
        SubjectKind.MEMBER, excellent=7, limit=6, good=30
    )
    assert set(Rating.objects.filter(quota_override=OVERRIDE).values_list("pk", flat=True)) == {
        rating.pk for rating in excellent
    }
    assert levels(excellent) == [Level.EXCELLENT] * 6
    assert Rating.objects.get(pk=earlier[0].pk).quota_override == ""  # decided in another batch


def test_decide_the_quota_base_is_those_rated_good_not_all_members(tree):
    # 32 members: 20% of them would be 6, but 5 at "good" allow one at the top level.
    good = rated(tree.phuoc_thanh, 5, YEAR, prefix="Tốt")
    done = rated(tree.phuoc_thanh, 25, YEAR, prefix="Đạt")
    excellent = rated(tree.phuoc_thanh, 2, YEAR, prefix="Xuất sắc")

    error = refused(
        decide,
        tree.an_khanh,
        YEAR,
        lines(good, Level.GOOD) + lines(done, Level.DONE) + lines(excellent, Level.EXCELLENT),
        DECIDED_ON,
    )
    decide(
        tree.an_khanh,
        YEAR,
        lines(good, Level.GOOD) + lines(done, Level.DONE) + lines(excellent[:1], Level.EXCELLENT),
        DECIDED_ON,
    )

    assert error.message_dict["quota_override"][0] == quota_text(
        SubjectKind.MEMBER, excellent=2, limit=1, good=5
    )
    assert levels(excellent) == [Level.EXCELLENT, ""]


def test_decide_nobody_good_means_nobody_excellent(tree):
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]

    error = refused(decide, tree.an_khanh, YEAR, [Entry(rating, Level.EXCELLENT)], DECIDED_ON)

    assert error.message_dict["quota_override"][0] == quota_text(
        SubjectKind.MEMBER, excellent=1, limit=0, good=0
    )


def test_decide_the_quota_counts_within_one_grassroots_organisation(tree):
    # Tân Thạch's five at "good" make no room at the top level in An Khánh.
    decide(
        tree.tan_thach,
        YEAR,
        lines(rated(tree.tan_thanh, 5, YEAR, prefix="Tân Thạnh"), Level.GOOD),
        DECIDED_ON,
    )
    excellent = rated(tree.phuoc_thanh, 1, YEAR)[0]

    error = refused(decide, tree.an_khanh, YEAR, [Entry(excellent, Level.EXCELLENT)], DECIDED_ON)

    assert excellent.quota_unit == tree.an_khanh
    assert error.message_dict["quota_override"][0] == quota_text(
        SubjectKind.MEMBER, excellent=1, limit=0, good=0
    )


def test_decide_the_quota_counts_organisations_apart_from_members(tree):
    good = rated(tree.phuoc_thanh, 5, YEAR, prefix="Tốt")
    excellent = rated(tree.phuoc_thanh, 1, YEAR, prefix="Xuất sắc")
    decide(tree.an_khanh, YEAR, lines(good, Level.GOOD) + lines(excellent, Level.EXCELLENT), DECIDED_ON)
    cell_rating = services.open_unit_rating(unit=tree.phuoc_thanh, year=YEAR)
    entries = [Entry(cell_rating, Level.EXCELLENT)]

    check = services.check_decision(body=tree.an_khanh, year=YEAR, entries=entries, day=DECIDED_ON)
    error = refused(decide, tree.an_khanh, YEAR, entries, DECIDED_ON)

    assert [(q.subject_kind, q.excellent, q.good, q.limit) for q in check.quotas] == [
        (SubjectKind.MEMBER, 1, 5, 1),
        (SubjectKind.ORGANISATION, 1, 0, 0),
    ]
    assert check.problems == []  # the cell's members allow it; only its group's quota does not
    assert error.message_dict["quota_override"][0] == quota_text(
        SubjectKind.ORGANISATION, excellent=1, limit=0, good=0
    )
    decide(tree.an_khanh, YEAR, entries, DECIDED_ON, quota_override=OVERRIDE)
    cell_rating.refresh_from_db()
    assert (cell_rating.level, cell_rating.quota_override) == (Level.EXCELLENT, OVERRIDE)
    assert Rating.objects.get(pk=excellent[0].pk).quota_override == ""


# ---------------------------------------------------------------------------------------------
# A cell at the top level: every member done or above, at least 80% good or above
# ---------------------------------------------------------------------------------------------


def cell_check(tree, extra: list[Entry] | None = None) -> tuple[Rating, list[str]]:
    cell_rating = services.open_unit_rating(unit=tree.phuoc_thanh, year=YEAR)
    entries = [Entry(cell_rating, Level.EXCELLENT), *(extra or [])]
    check = services.check_decision(body=tree.an_khanh, year=YEAR, entries=entries, day=DECIDED_ON)
    return cell_rating, check.problems


def test_check_decision_a_cell_with_a_member_not_done_cannot_be_excellent(tree):
    members = rated(tree.phuoc_thanh, 5, YEAR)
    decide(
        tree.an_khanh, YEAR, lines(members[:4], Level.GOOD) + lines(members[4:], Level.NOT_DONE), DECIDED_ON
    )

    cell_rating, problems = cell_check(tree)

    assert problems == [
        f"{cell_rating.subject_name}: "
        + tr(
            "%(count)s members are rated “Did not complete tasks”; the cell cannot be at the top level.",
            count="1",
        )
    ]


def test_check_decision_a_cell_with_four_of_six_good_cannot_be_excellent(tree):
    members = rated(tree.phuoc_thanh, 6, YEAR)  # 4 of 6 = 66,67% < 80%
    decide(tree.an_khanh, YEAR, lines(members[:4], Level.GOOD) + lines(members[4:], Level.DONE), DECIDED_ON)

    cell_rating, problems = cell_check(tree)

    assert problems == [f"{cell_rating.subject_name}: " + tr(SHARE_TEXT, good="4", total="6", share="80")]
    error = refused(
        decide,
        tree.an_khanh,
        YEAR,
        [Entry(cell_rating, Level.EXCELLENT)],
        DECIDED_ON,
        quota_override=OVERRIDE,
    )
    assert error.messages == problems  # a reason for the quota does not lift the members' rule
    assert levels([cell_rating]) == [""]


def test_check_decision_a_cell_with_four_of_five_good_may_be_excellent(tree):
    members = rated(tree.phuoc_thanh, 5, YEAR)  # exactly 80%
    decide(tree.an_khanh, YEAR, lines(members[:4], Level.GOOD) + lines(members[4:], Level.DONE), DECIDED_ON)

    cell_rating, problems = cell_check(tree)
    decide(tree.an_khanh, YEAR, [Entry(cell_rating, Level.EXCELLENT)], DECIDED_ON, quota_override=OVERRIDE)

    assert problems == []
    assert levels([cell_rating]) == [Level.EXCELLENT]


def test_check_decision_members_count_as_decided_else_chosen_now_else_proposed(tree):
    decided, chosen, proposed_1, proposed_2, proposed_done = rated(tree.phuoc_thanh, 5, YEAR)
    propose(tree.phuoc_thanh, lines([decided, chosen], Level.DONE), PROPOSED_ON)
    propose(tree.phuoc_thanh, lines([proposed_1, proposed_2], Level.GOOD), PROPOSED_ON)
    propose(tree.phuoc_thanh, [Entry(proposed_done, Level.DONE)], PROPOSED_ON)
    # Proposed "done", decided "good": the decision counts.
    decide(tree.an_khanh, YEAR, [Entry(decided, Level.GOOD)], D(2024, 12, 15))

    # Proposed "done", chosen "good" in the same batch as the cell: the choice counts.
    _cell_rating, problems = cell_check(tree, [Entry(chosen, Level.GOOD)])
    # Without the choice, the proposal counts: 3 of 5.
    cell_rating, without = cell_check(tree)

    assert problems == []
    assert without == [f"{cell_rating.subject_name}: " + tr(SHARE_TEXT, good="3", total="5", share="80")]


def test_check_decision_a_decided_level_outweighs_a_better_proposal(tree):
    members = rated(tree.phuoc_thanh, 5, YEAR)
    propose(tree.phuoc_thanh, lines(members, Level.GOOD), PROPOSED_ON)
    decide(
        tree.an_khanh, YEAR, [Entry(members[0], Level.DONE), Entry(members[1], Level.DONE)], D(2024, 12, 15)
    )

    cell_rating, problems = cell_check(tree)

    assert problems == [f"{cell_rating.subject_name}: " + tr(SHARE_TEXT, good="3", total="5", share="80")]


def test_check_decision_a_cell_without_rated_members_cannot_be_excellent(tree):
    open_ratings([member_in(tree.phuoc_thanh)], YEAR)

    cell_rating, problems = cell_check(tree)

    assert problems == [
        f"{cell_rating.subject_name}: " + tr("%(count)s members have no rating or proposal yet.", count="1"),
        f"{cell_rating.subject_name}: " + tr(SHARE_TEXT, good="0", total="1", share="80"),
    ]


# ---------------------------------------------------------------------------------------------
# Discipline
# ---------------------------------------------------------------------------------------------


def discipline(member, *, year: int, on: dt.date, decided_by, actor=None):
    return services.record_discipline(
        actor=actor,
        member=member,
        form=DisciplineForm.REPRIMAND,
        year=year,
        decided_on=on,
        decided_by=decided_by,
        document="Quyết định số 12-QĐ/UBKT",
        reason="Vi phạm quy định về những điều đảng viên không được làm",
    )


def test_decide_a_member_disciplined_for_the_year_only_as_not_done(tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Kỷ")
    rating = open_ratings([member], YEAR)[0]
    discipline(member, year=YEAR, on=D(2024, 11, 1), decided_by=tree.an_khanh)

    error = refused(decide, tree.an_khanh, YEAR, [Entry(rating, Level.DONE)], DECIDED_ON)
    decide(tree.an_khanh, YEAR, [Entry(rating, Level.NOT_DONE)], DECIDED_ON)

    assert error.messages == [
        "Trần Văn Kỷ: "
        + tr("disciplined for a violation in %(year)d: rated “Did not complete tasks”.", year=YEAR)
    ]
    assert levels([rating]) == [Level.NOT_DONE]


def test_decide_a_discipline_for_another_year_does_not_bound_this_one(tree):
    member = member_in(tree.phuoc_thanh)
    rating = open_ratings([member], YEAR)[0]
    discipline(member, year=2023, on=D(2024, 3, 1), decided_by=tree.an_khanh)

    decide(tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], DECIDED_ON)

    assert levels([rating]) == [Level.GOOD]


@pytest.mark.today(D(2024, 6, 10))
def test_record_discipline_later_re_rates_the_year_and_flags_its_reward(tree, cell, giay_khen):  # noqa: F811
    rating = open_ratings([cell.lan], 2023)[0]
    decide(tree.an_khanh, 2023, [Entry(rating, Level.GOOD)], D(2023, 12, 20))
    recognition = Recognition.objects.get(decision=giay_khen)

    outcome = discipline(cell.lan, year=2023, on=D(2024, 6, 1), decided_by=tree.an_khanh)

    rating.refresh_from_db()
    assert outcome.rerated == rating
    assert (rating.level, rating.rerated_from, rating.rerated_on) == (
        Level.NOT_DONE,
        Level.GOOD,
        D(2024, 6, 1),
    )
    assert rating.status == RatingStatus.DECIDED
    assert rating.rerated_reason == tr(
        "%(form)s by %(document)s", form=DisciplineForm.REPRIMAND.label, document="Quyết định số 12-QĐ/UBKT"
    )
    assert [(flag.recognition, flag.rating, flag.flagged_on) for flag in AwardToReview.objects.all()] == [
        (recognition, rating, D(2024, 6, 1))
    ]
    assert outcome.awards_flagged == list(AwardToReview.objects.all())
    recognition.refresh_from_db()
    assert recognition.revoked_on is None  # flagged for its body to review, not revoked
    (flag_entry,) = entries_for(outcome.awards_flagged[0])
    assert flag_entry.changes["flagged_on"] == [None, "01/06/2024"]


@pytest.mark.today(D(2024, 6, 10))
def test_record_discipline_twice_flags_the_reward_once(tree, cell, giay_khen):  # noqa: F811
    rating = open_ratings([cell.lan], 2023)[0]
    decide(tree.an_khanh, 2023, [Entry(rating, Level.GOOD)], D(2023, 12, 20))
    discipline(cell.lan, year=2023, on=D(2024, 6, 1), decided_by=tree.an_khanh)

    second = discipline(cell.lan, year=2023, on=D(2024, 6, 5), decided_by=tree.an_khanh)

    rating.refresh_from_db()
    assert second.rerated is None
    assert second.awards_flagged == []
    assert AwardToReview.objects.count() == 1
    assert Discipline.objects.filter(member=cell.lan).count() == 2
    assert (rating.level, rating.rerated_from, rating.rerated_on) == (
        Level.NOT_DONE,
        Level.GOOD,
        D(2024, 6, 1),
    )


@pytest.mark.today(D(2024, 6, 10))
def test_record_discipline_does_not_flag_a_praise(tree, cell, giay_khen):  # noqa: F811
    # The same decision, were it a praise (biểu dương) rather than a reward: nothing rests on it.
    Decision.objects.filter(pk=giay_khen.pk).update(kind=RecognitionKind.PRAISE, form=None)
    rating = open_ratings([cell.lan], 2023)[0]
    decide(tree.an_khanh, 2023, [Entry(rating, Level.GOOD)], D(2023, 12, 20))

    outcome = discipline(cell.lan, year=2023, on=D(2024, 6, 1), decided_by=tree.an_khanh)

    assert outcome.rerated is not None
    assert outcome.awards_flagged == []
    assert AwardToReview.objects.count() == 0


@pytest.mark.today(D(2024, 6, 10))
def test_record_discipline_for_another_year_leaves_the_reward_alone(tree, cell, giay_khen):  # noqa: F811
    rating = open_ratings([cell.lan], 2024)[0]

    outcome = discipline(cell.lan, year=2024, on=D(2024, 6, 1), decided_by=tree.an_khanh)

    assert outcome.awards_flagged == []
    assert AwardToReview.objects.count() == 0
    assert levels([rating]) == [""]


# ---------------------------------------------------------------------------------------------
# Who decides, who proposes
# ---------------------------------------------------------------------------------------------


def test_open_member_rating_is_kept_in_the_cell_and_decided_by_its_grassroots_organisation(tree):
    in_commune = rated(tree.phuoc_thanh, 1, YEAR)[0]
    in_grassroots_cell = rated(tree.women, 1, YEAR)[0]

    assert (in_commune.unit, in_commune.quota_unit) == (tree.phuoc_thanh, tree.an_khanh)
    assert (in_grassroots_cell.unit, in_grassroots_cell.quota_unit) == (tree.women, tree.women)


@pytest.mark.today(D(2026, 1, 15))
def test_open_unit_rating_a_commune_is_decided_by_the_district_before_the_reform_and_the_province_after(tree):
    rating_2024 = services.open_unit_rating(unit=tree.an_khanh, year=2024)
    rating_2025 = services.open_unit_rating(unit=tree.an_khanh, year=2025)
    cell_rating = services.open_unit_rating(unit=tree.phuoc_thanh, year=2025)

    assert rating_2024.quota_unit == tree.district
    assert rating_2025.quota_unit == tree.province
    assert cell_rating.quota_unit == tree.an_khanh


def test_open_unit_rating_for_a_year_the_unit_did_not_exist_in_is_refused(tree):
    closed = cell_under(tree.an_khanh, "Chi bộ ấp Cũ", valid_to=D(2020, 6, 30))
    opened = cell_under(tree.an_khanh, "Chi bộ ấp Mới", valid_from=D(2025, 1, 1))

    errors = [refused(services.open_unit_rating, unit=unit, year=YEAR) for unit in (closed, opened)]

    assert [error.messages for error in errors] == [
        [tr("%(unit)s did not exist in %(year)d.", unit="Chi bộ ấp Cũ", year=YEAR)],
        [tr("%(unit)s did not exist in %(year)d.", unit="Chi bộ ấp Mới", year=YEAR)],
    ]
    assert not Rating.objects.exists()
    # In the year it closed, it is rated as it stood on its last day.
    assert services.open_unit_rating(unit=closed, year=2020).quota_unit == tree.an_khanh


def test_decide_by_another_body_is_refused(tree):
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]

    error = refused(decide, tree.tan_thach, YEAR, [Entry(rating, Level.GOOD)], DECIDED_ON)
    wrong_year = refused(decide, tree.an_khanh, 2023, [Entry(rating, Level.GOOD)], DECIDED_ON)

    assert error.messages == [
        f"{rating.subject_name}: "
        + tr("not decided by %(body)s for %(year)d.", body="Đảng ủy xã Tân Thạch", year=YEAR)
    ]
    assert wrong_year.messages == [
        f"{rating.subject_name}: "
        + tr("not decided by %(body)s for %(year)d.", body="Đảng ủy xã An Khánh", year=2023)
    ]
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.SELF_ASSESSED


def test_record_proposals_for_a_rating_kept_in_another_unit_are_refused(tree):
    ours = rated(tree.tan_thanh, 1, YEAR, prefix="Tân Thạnh")[0]
    theirs = rated(tree.phuoc_thanh, 1, YEAR, prefix="Phước Thạnh")[0]

    error = refused(
        propose, tree.tan_thanh, [Entry(ours, Level.GOOD), Entry(theirs, Level.GOOD)], PROPOSED_ON
    )

    assert error.messages == [
        tr("%(name)s is not kept in %(unit)s.", name="Phước Thạnh 1", unit="Chi bộ ấp Tân Thạnh")
    ]
    # Every line is checked before any is written.
    assert Rating.objects.get(pk=ours.pk).status == RatingStatus.SELF_ASSESSED


def test_record_proposals_on_a_rating_decided_since_it_was_read_are_refused(tree):
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]  # read by the cell's form ...
    decide(tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], DECIDED_ON)  # ... then decided above

    error = refused(propose, tree.phuoc_thanh, [Entry(rating, Level.DONE)], D(2024, 12, 22))
    assessment = refused(
        services.record_self_assessment, actor=None, rating=rating, level=Level.DONE, day=D(2024, 12, 22)
    )

    assert error.messages == [tr("%(name)s: the rating is already decided.", name=rating.subject_name)]
    assert assessment.messages == [tr("This rating is decided; its self-assessment is closed.")]
    decided = Rating.objects.get(pk=rating.pk)
    assert (decided.status, decided.level, decided.decided_on) == (
        RatingStatus.DECIDED,
        Level.GOOD,
        DECIDED_ON,
    )


# ---------------------------------------------------------------------------------------------
# The audit trail: every step, before → after
# ---------------------------------------------------------------------------------------------


def entries_for(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        ).order_by("id")
    )


def test_each_step_of_a_rating_is_audited_before_and_after(tree):
    user = UserFactory(username="van-phong-dang-uy")
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]

    services.record_self_assessment(actor=user, rating=rating, level=Level.GOOD, day=D(2024, 12, 1))
    propose(tree.phuoc_thanh, [Entry(rating, Level.GOOD)], PROPOSED_ON, actor=user)
    decide(tree.an_khanh, YEAR, [Entry(rating, Level.DONE)], DECIDED_ON, actor=user)

    opened, assessed, proposed, decided = entries_for(rating)
    assert opened.changes["quota_unit"] == [None, "Đảng ủy xã An Khánh"]  # who will decide it
    assert {entry.actor_name for entry in (assessed, proposed, decided)} == {"van-phong-dang-uy"}
    assert assessed.changes["self_level"] == ["", str(Level.GOOD.label)]
    assert assessed.changes["self_on"] == [None, "01/12/2024"]
    assert proposed.changes["proposed_level"] == ["", str(Level.GOOD.label)]
    assert proposed.changes["status"] == [
        str(RatingStatus.SELF_ASSESSED.label),
        str(RatingStatus.PROPOSED.label),
    ]
    assert proposed.unit_id == tree.phuoc_thanh.pk
    assert decided.changes["level"] == ["", str(Level.DONE.label)]
    assert decided.changes["status"] == [str(RatingStatus.PROPOSED.label), str(RatingStatus.DECIDED.label)]
    assert decided.changes["decided_on"] == [None, "20/12/2024"]
    assert decided.changes["decided_by"] == [None, "Đảng ủy xã An Khánh"]
    assert decided.unit_id == tree.an_khanh.pk


def test_a_discipline_and_its_re_rating_are_audited(tree):
    user = UserFactory(username="ubkt")
    member = member_in(tree.phuoc_thanh)
    rating = open_ratings([member], YEAR)[0]
    decide(tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], DECIDED_ON)

    outcome = discipline(member, year=YEAR, on=D(2025, 1, 10), decided_by=tree.an_khanh, actor=user)

    (created,) = entries_for(outcome.discipline)
    assert created.action == "create"
    assert created.changes["year"] == [None, YEAR]
    assert created.actor_name == "ubkt"
    rerated = entries_for(rating)[-1]
    assert rerated.changes["level"] == [str(Level.GOOD.label), str(Level.NOT_DONE.label)]
    assert rerated.changes["rerated_from"] == ["", str(Level.GOOD.label)]
    assert rerated.actor_name == "ubkt"


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def test_decide_dated_after_today_is_refused(tree):
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]

    error = refused(decide, tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], D(2025, 1, 16))
    assessment = refused(
        services.record_self_assessment, actor=None, rating=rating, level=Level.GOOD, day=D(2025, 1, 16)
    )

    after_today = tr("%(what)s cannot be dated after today.", what=tr("A decision"))
    assert error.messages == [after_today]
    assert assessment.messages == [tr("%(what)s cannot be dated after today.", what=tr("A self-assessment"))]
    decide(tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], D(2025, 1, 15))  # today itself
    assert levels([rating]) == [Level.GOOD]


@pytest.mark.today(D(2026, 3, 2))
def test_decide_for_2024_dated_in_2026_is_refused(tree):
    rating = rated(tree.phuoc_thanh, 1, YEAR)[0]

    error = refused(decide, tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], D(2026, 1, 5))
    too_early = refused(decide, tree.an_khanh, YEAR, [Entry(rating, Level.GOOD)], D(2023, 12, 20))

    expected = tr(
        "%(what)s for %(year)d must be dated in %(year)d or %(next)d.",
        what=tr("A decision"),
        year=2024,
        next=2025,
    )
    assert error.messages == [expected]
    assert too_early.messages == [expected]


@pytest.mark.today(D(2028, 3, 1))
def test_decide_on_29_february_2028(tree):
    rating = rated(tree.phuoc_thanh, 1, 2027)[0]
    services.record_self_assessment(actor=None, rating=rating, level=Level.GOOD, score=80, day=D(2028, 2, 29))

    decide(tree.an_khanh, 2027, [Entry(rating, Level.GOOD, 82)], D(2028, 2, 29))

    rating.refresh_from_db()
    assert (rating.level, rating.score, rating.decided_on) == (Level.GOOD, 82, D(2028, 2, 29))
    assert rating.self_on == D(2028, 2, 29)
    assert rating.rules.name == "Quy định 366-QĐ/TW"


def test_open_member_rating_for_a_year_in_no_cell_is_refused_in_vietnamese(tree):
    member = member_in(tree.phuoc_thanh, name="Võ Thị Mới", since=D(2016, 5, 19))

    with translation.override("vi"):
        error = refused(services.open_member_rating, member=member, year=2015)

    # The English msgid stands in where the catalogue has no translation yet (tr gives the vi text).
    assert error.messages == [
        tr("%(name)s belonged to no cell on %(date)s.", name="Võ Thị Mới", date="31/12/2015")
    ]
    assert not Rating.objects.filter(member=member).exists()


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


def grant(tree, code: str, units, *, year: int = YEAR, day: dt.date = LABELLED_ON, actor=None):
    return services.grant_labels(
        actor=actor,
        body=tree.an_khanh,
        kind=LabelKind.objects.get(code=code),
        year=year,
        units=units,
        day=day,
        document="Quyết định số 50-QĐ/ĐU",
    )


def test_grant_labels_refuses_a_label_not_in_force_on_the_day(tree):
    error = refused(grant, tree, "tsvm-tieu-bieu", [tree.phuoc_thanh])

    assert error.messages == [
        tr(
            "“%(label)s” is not granted on %(date)s.",
            label="Trong sạch, vững mạnh tiêu biểu",
            date="10/01/2025",
        )
    ]
    assert not UnitLabel.objects.exists()


@pytest.mark.today(D(2020, 1, 15))
def test_grant_labels_a_label_in_force_then_is_granted(tree):
    (label,) = grant(tree, "tsvm-toan-dien", [tree.phuoc_thanh], year=2019, day=D(2020, 1, 10))

    assert (label.unit, label.year, label.granted_on, label.granted_by) == (
        tree.phuoc_thanh,
        2019,
        D(2020, 1, 10),
        tree.an_khanh,
    )


def test_grant_labels_htxsnv_tieu_bieu_needs_the_decided_top_rating(tree):
    members = rated(tree.phuoc_thanh, 5, YEAR)
    decide(tree.an_khanh, YEAR, lines(members, Level.GOOD), DECIDED_ON)
    cell_rating = services.open_unit_rating(unit=tree.phuoc_thanh, year=YEAR)
    services.record_self_assessment(actor=None, rating=cell_rating, level=Level.EXCELLENT, day=PROPOSED_ON)

    undecided = refused(grant, tree, "htxsnv-tieu-bieu", [tree.phuoc_thanh])
    decide(tree.an_khanh, YEAR, [Entry(cell_rating, Level.EXCELLENT)], DECIDED_ON, quota_override=OVERRIDE)
    (label,) = grant(tree, "htxsnv-tieu-bieu", [tree.phuoc_thanh])

    assert undecided.messages == [
        tr(
            "%(unit)s is not rated “%(level)s” for %(year)d.",
            unit="Chi bộ ấp Phước Thạnh",
            level=Level.EXCELLENT.label,
            year=YEAR,
        )
    ]
    assert (label.unit, label.kind.code, label.year) == (tree.phuoc_thanh, "htxsnv-tieu-bieu", YEAR)


def test_grant_labels_refuses_a_unit_rated_only_good(tree):
    cell_rating = services.open_unit_rating(unit=tree.tan_thanh, year=YEAR)
    decide(tree.tan_thach, YEAR, [Entry(cell_rating, Level.GOOD)], DECIDED_ON)

    error = refused(grant, tree, "htxsnv-tieu-bieu", [tree.tan_thanh])

    assert len(error.messages) == 1
    assert "Chi bộ ấp Tân Thạnh" in error.messages[0]


def test_grant_labels_tsvm_toan_dien_needs_no_rating_and_is_granted_once(tree):
    user = UserFactory(username="to-chuc")

    (label,) = grant(tree, "tsvm-toan-dien", [tree.phuoc_thanh], actor=user)
    duplicate = refused(grant, tree, "tsvm-toan-dien", [tree.tan_thanh, tree.phuoc_thanh])

    assert not Rating.objects.exists()
    assert duplicate.messages == [
        tr(
            "%(unit)s already holds “%(label)s” for %(year)d.",
            unit="Chi bộ ấp Phước Thạnh",
            label="Trong sạch, vững mạnh toàn diện",
            year=YEAR,
        )
    ]
    assert list(UnitLabel.objects.values_list("unit", flat=True)) == [tree.phuoc_thanh.pk]
    (created,) = entries_for(label)
    assert created.actor_name == "to-chuc"
    assert created.changes["granted_by"] == [None, "Đảng ủy xã An Khánh"]
