"""The arithmetic of a bình xét vote, as plain functions of numbers (no database): whether the
meeting has its quorum, what a nominee's percentage is taken of, and whether they pass.

The numbers come from a rule set (``VoteRule``, stored as dated data in ``VoteRuleSet``):

- *quorum*: present voters against the body's size (the full members of the cell on the day,
  not counting those exempt from activity), e.g. more than half;
- *base*: the percentage is of the voters present, or of the whole body;
- *threshold*: votes for against the base, e.g. more than half, or at least 90 % (a council's
  secret ballot for the higher titles).

Recusal: a nominee who is among the voters may stand aside for their own name; their vote is kept
on the ballot for the others and not counted for them (the base and the voters for that name are
one fewer). Secret ballot: slips issued ≤ voters, returned ≤ issued, valid ≤ returned, and for
each name the for, against and blank marks add up to the valid slips. Show of hands: for, against
and abstaining add up to the voters counted for that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop

BASE_PRESENT = "present"
BASE_BODY = "body"


class TallyError(ValueError):
    """Numbers that cannot be: the message is an English msgid with %(name)s-style params."""

    def __init__(self, message: str, **params: int) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Fraction:
    """``numerator/denominator`` of something, reached strictly ("more than") or not ("at least")."""

    numerator: int
    denominator: int
    strict: bool

    def reached(self, value: int, of: int) -> bool:
        if of <= 0:
            return False
        scaled, needed = value * self.denominator, of * self.numerator
        return scaled > needed if self.strict else scaled >= needed

    def least(self, of: int) -> int | None:
        """The fewest that reach the fraction of ``of`` (the minutes say "cần 6"); None if none can."""
        return next((value for value in range(of + 1) if self.reached(value, of)), None)


@dataclass(frozen=True)
class VoteRule:
    quorum: Fraction
    base: str  # BASE_PRESENT or BASE_BODY
    threshold: Fraction


@dataclass(frozen=True)
class Slips:
    """A secret ballot's slips (phiếu phát ra, thu về, hợp lệ)."""

    issued: int
    returned: int
    valid: int


@dataclass(frozen=True)
class Marks:
    """One nominee's votes: for, against, and abstaining (hands) or blank (secret ballot)."""

    votes_for: int
    votes_against: int
    abstain: int = 0

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.abstain


@dataclass(frozen=True)
class Outcome:
    quorate: bool
    counted: int  # voters counted for this name (present, less a recused nominee)
    base: int  # what the percentage is of
    percent: Decimal | None  # votes for / base, 2 places, half up
    passed: bool


def quorate(rule: VoteRule, *, body_size: int, present: int) -> bool:
    return rule.quorum.reached(present, body_size)


def check_slips(slips: Slips, *, voters: int) -> None:
    if min(slips.issued, slips.returned, slips.valid) < 0:
        raise TallyError(gettext_noop("Numbers of slips cannot be negative."))
    if slips.issued > voters:
        raise TallyError(
            gettext_noop("%(issued)s slips issued to %(voters)s voters: no more slips than voters."),
            issued=slips.issued,
            voters=voters,
        )
    if slips.returned > slips.issued:
        raise TallyError(
            gettext_noop("%(returned)s slips returned of %(issued)s issued."),
            returned=slips.returned,
            issued=slips.issued,
        )
    if slips.valid > slips.returned:
        raise TallyError(
            gettext_noop("%(valid)s valid slips of %(returned)s returned."),
            valid=slips.valid,
            returned=slips.returned,
        )


def outcome(
    rule: VoteRule,
    *,
    body_size: int,
    voters: int,
    marks: Marks,
    recused: bool = False,
    slips: Slips | None = None,
) -> Outcome:
    """One nominee's result. Raises TallyError when the numbers cannot be."""
    if min(marks.votes_for, marks.votes_against, marks.abstain) < 0:
        raise TallyError(gettext_noop("Votes cannot be negative."))
    if voters > body_size:
        raise TallyError(
            gettext_noop("%(voters)s voters present in a body of %(size)s."), voters=voters, size=body_size
        )
    counted = voters - 1 if recused else voters
    if counted < 0:
        raise TallyError(gettext_noop("A nominee who stands aside must be among the voters."))
    if slips is None:
        if marks.total != counted:
            raise TallyError(
                gettext_noop(
                    "For, against and abstaining add up to %(total)s; %(counted)s voters were counted."
                ),
                total=marks.total,
                counted=counted,
            )
    else:
        check_slips(slips, voters=voters)
        valid = slips.valid - 1 if recused and slips.valid else slips.valid
        if marks.total != valid:
            raise TallyError(
                gettext_noop(
                    "For, against and blank add up to %(total)s; %(valid)s valid slips were counted."
                ),
                total=marks.total,
                valid=valid,
            )
    base = counted if rule.base == BASE_PRESENT else body_size - (1 if recused else 0)
    percent = (
        (Decimal(marks.votes_for) * 100 / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if base > 0
        else None
    )
    has_quorum = quorate(rule, body_size=body_size, present=voters)
    return Outcome(
        quorate=has_quorum,
        counted=counted,
        base=base,
        percent=percent,
        passed=has_quorum and rule.threshold.reached(marks.votes_for, base),
    )
