"""Reading nominations and votes: lists for the user's units, a person's or a collective's record,
a round's page. Every list is one query plus its related rows, whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from lantoa.org.access import Capability, Scope
from lantoa.org.models import Unit

from . import tally
from .access import recognitions_visible_filter
from .models import Nomination, NominationStep, Recognition, RoundNominee, VoteMethod, VotingRound


def nominations_for(
    scope: Scope, *, unit: Unit | None = None, status: str = "", year: int | None = None
) -> QuerySet[Nomination]:
    """Nominations made by units the user reaches, dated while in reach; newest first."""
    found = Nomination.objects.filter(scope.reach_filter("unit_id", on="nominated_on"))
    if unit is not None:
        found = found.filter(unit=unit)
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(period_start__year=year)
    return found.select_related("unit", "holder", "subject_person", "subject_unit").order_by(
        "-nominated_on", "-id"
    )


def record_of(scope: Scope, **subject: Any) -> list[Nomination]:
    """Every nomination of one subject (``subject_person=``, ``subject_unit=`` or
    ``subject_name=``) the user may read, with its votes and the recognitions of decisions the user
    reads: what a council reads before deciding."""
    return list(
        nominations_for(scope)
        .filter(**subject)
        .prefetch_related(
            Prefetch("steps", queryset=NominationStep.objects.select_related("unit")),
            Prefetch("round_entries", queryset=RoundNominee.objects.select_related("round__meeting__unit")),
            Prefetch(
                "recognitions",
                queryset=Recognition.objects.filter(recognitions_visible_filter(scope)).select_related(
                    "decision__unit", "decision__document", "decision__form", "decision__title"
                ),
            ),
        )
    )


@dataclass
class NomineeRow:
    entry: RoundNominee
    preview: tally.Outcome | None  # while open, once the count adds up
    problem: str


def outcome_of(voting_round: VotingRound, entry: RoundNominee, voters: int) -> tally.Outcome:
    """``entry``'s result by the round's rules (raises TallyError when the count cannot be)."""
    slips = (
        tally.Slips(
            voting_round.slips_issued or 0, voting_round.slips_returned or 0, voting_round.slips_valid or 0
        )
        if voting_round.method == VoteMethod.SECRET
        else None
    )
    return tally.outcome(
        voting_round.rules.rule,
        body_size=voting_round.body_size or 0,
        voters=voters,
        marks=tally.Marks(entry.votes_for or 0, entry.votes_against or 0, entry.votes_abstain or 0),
        recused=entry.recused,
        slips=slips,
    )


def round_rows(voting_round: VotingRound) -> list[NomineeRow]:
    """The round's nominees with their result (frozen once closed; a preview while voting)."""
    voters = voting_round.voters.count()
    rows = []
    for entry in voting_round.nominees.select_related(
        "nomination__subject_person", "nomination__subject_unit"
    ):
        preview, problem = None, ""
        if entry.votes_for is not None and voting_round.body_size is not None:
            try:
                preview = outcome_of(voting_round, entry, voters)
            except tally.TallyError as error:
                problem = _(error.message) % error.params
        rows.append(NomineeRow(entry, preview, problem))
    return rows


def may_oversee_round(scope: Scope, voting_round: VotingRound) -> bool:
    meeting = voting_round.meeting
    return scope.can_on(Capability.OVERSEE, meeting.unit_id, meeting.date)
