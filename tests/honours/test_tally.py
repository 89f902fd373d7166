"""The vote arithmetic, as properties over many counts (hypothesis): quorum, base, thresholds,
recusal, secret-ballot slips, and counts that cannot be."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lantoa.honours.tally import (
    BASE_BODY,
    BASE_PRESENT,
    Fraction,
    Marks,
    Slips,
    TallyError,
    VoteRule,
    outcome,
    quorate,
)

MORE_THAN_HALF = Fraction(1, 2, strict=True)
AT_LEAST_NINE_TENTHS = Fraction(9, 10, strict=False)
CELL = VoteRule(quorum=MORE_THAN_HALF, base=BASE_PRESENT, threshold=MORE_THAN_HALF)
COUNCIL_90 = VoteRule(quorum=MORE_THAN_HALF, base=BASE_BODY, threshold=AT_LEAST_NINE_TENTHS)


@st.composite
def hands_vote(draw, rule=CELL):
    """A body, who came, and a show of hands that adds up."""
    body = draw(st.integers(1, 60))
    voters = draw(st.integers(0, body))
    recused = draw(st.booleans()) and voters > 0
    counted = voters - 1 if recused else voters
    votes_for = draw(st.integers(0, counted))
    votes_against = draw(st.integers(0, counted - votes_for))
    marks = Marks(votes_for, votes_against, counted - votes_for - votes_against)
    return body, voters, recused, marks


def test_the_seed_example_more_than_half_of_those_present():
    # 9 full members, 7 present, 4 in favour: 4 of 7 = 57,14 % > half, quorate (7 > 4,5).
    result = outcome(CELL, body_size=9, voters=7, marks=Marks(4, 2, 1))
    assert (result.quorate, result.base, result.percent, result.passed) == (True, 7, Decimal("57.14"), True)


def test_exactly_half_is_not_more_than_half():
    result = outcome(CELL, body_size=8, voters=6, marks=Marks(3, 3, 0))
    assert (result.percent, result.passed) == (Decimal("50.00"), False)


@given(hands_vote())
def test_passing_is_more_than_half_of_those_counted_when_quorate(vote):
    body, voters, recused, marks = vote
    result = outcome(CELL, body_size=body, voters=voters, marks=marks, recused=recused)
    assert result.quorate == (2 * voters > body)
    assert result.base == result.counted == voters - (1 if recused else 0)
    assert result.passed == (result.quorate and 2 * marks.votes_for > result.base)


@given(hands_vote())
def test_without_quorum_nobody_passes(vote):
    body, voters, recused, marks = vote
    assume(not quorate(CELL, body_size=body, present=voters))
    assert not outcome(CELL, body_size=body, voters=voters, marks=marks, recused=recused).passed


@given(hands_vote())
def test_one_more_vote_in_favour_never_turns_a_pass_into_a_fail(vote):
    body, voters, recused, marks = vote
    assume(marks.votes_against > 0)
    before = outcome(CELL, body_size=body, voters=voters, marks=marks, recused=recused)
    moved = Marks(marks.votes_for + 1, marks.votes_against - 1, marks.abstain)
    after = outcome(CELL, body_size=body, voters=voters, marks=moved, recused=recused)
    assert after.passed or not before.passed


@given(hands_vote())
def test_a_recused_nominee_counts_as_one_voter_fewer(vote):
    body, voters, recused, marks = vote
    assume(recused)
    result = outcome(CELL, body_size=body, voters=voters, marks=marks, recused=True)
    # The same as the vote of the others alone, in a meeting where the nominee was counted present
    # for the quorum: the quorum is the meeting's, the count is the others'.
    others = outcome(CELL, body_size=body, voters=voters - 1, marks=marks)
    assert result.counted == others.counted
    assert result.percent == others.percent
    assert result.quorate == quorate(CELL, body_size=body, present=voters)


@given(st.integers(1, 40), st.integers(0, 40), st.integers(0, 40))
def test_a_council_rule_takes_nine_tenths_of_all_members(body, present, votes_for):
    assume(present <= body and votes_for <= present)
    slips = Slips(present, present, present)
    result = outcome(
        COUNCIL_90,
        body_size=body,
        voters=present,
        marks=Marks(votes_for, present - votes_for, 0),
        slips=slips,
    )
    assert result.base == body
    assert result.passed == (2 * present > body and 10 * votes_for >= 9 * body)


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_slips_must_not_grow_from_issued_to_returned_to_valid(voters, issued, returned, valid):
    slips = Slips(issued, returned, valid)
    sound = issued <= voters and returned <= issued and valid <= returned
    marks = Marks(valid, 0, 0)
    if sound:
        assert (
            outcome(CELL, body_size=max(voters, 1), voters=voters, marks=marks, slips=slips).counted == voters
        )
    else:
        with pytest.raises(TallyError):
            outcome(CELL, body_size=max(voters, 1), voters=voters, marks=marks, slips=slips)


@given(hands_vote(), st.integers(1, 5))
def test_counts_that_do_not_add_up_are_refused(vote, extra):
    body, voters, recused, marks = vote
    too_many = Marks(marks.votes_for + extra, marks.votes_against, marks.abstain)
    with pytest.raises(TallyError) as caught:
        outcome(CELL, body_size=body, voters=voters, marks=too_many, recused=recused)
    assert "%(total)s" in caught.value.message  # a message the interface translates, with its figures


def test_more_voters_than_members_is_refused():
    with pytest.raises(TallyError):
        outcome(CELL, body_size=5, voters=6, marks=Marks(6, 0, 0))


def test_least_votes_needed():
    assert [MORE_THAN_HALF.least(n) for n in (1, 2, 7, 8)] == [1, 2, 4, 5]
    assert AT_LEAST_NINE_TENTHS.least(11) == 10
    assert MORE_THAN_HALF.least(0) is None
