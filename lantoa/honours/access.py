"""Access funnels for nominations and voting rounds (through ``fetch_for_user``).

A nomination belongs to the unit that made it: read by those who read that unit's records of the
day it was made (its officers, the committees above it then, its members), changed by its
officers today. A voting round belongs to its meeting: officers read it as it goes, a plain member
once it is published; changing it needs the meeting's write rights.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.cells.access import library_unit_ids
from lantoa.org.access import Capability, Scope, fetch_for_user, scope_for

from .models import CouncilList, Decision, GoodPractice, Nomination, Proposal, RoundStatus, VotingRound


def get_nomination_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Nomination:
    scope = scope_for(user)
    return fetch_for_user(
        Nomination.objects.select_related("unit", "subject_person", "subject_unit", "theme", "campaign"),
        public_id=public_id,
        may_read=lambda n: scope.can_on(Capability.VIEW, n.unit_id, n.nominated_on),
        write=write,
        may_write=lambda n: scope.can_now(Capability.WRITE_PROGRAMME, n.unit_id),
        not_found=_("No such nomination in your area."),
    )


def get_round_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> VotingRound:
    scope = scope_for(user)

    def may_read(voting_round: VotingRound) -> bool:
        meeting = voting_round.meeting
        if not scope.can_on(Capability.VIEW, meeting.unit_id, meeting.date):
            return False
        officer = scope.can_on(Capability.OVERSEE, meeting.unit_id, meeting.date)
        return officer or voting_round.status == RoundStatus.PUBLISHED

    return fetch_for_user(
        VotingRound.objects.select_related("meeting__unit", "item", "rules"),
        public_id=public_id,
        may_read=may_read,
        write=write,
        may_write=lambda r: scope.can_on(Capability.WRITE_PROGRAMME, r.meeting.unit_id, r.meeting.date),
        not_found=_("No such vote in your area."),
    )


def get_proposal_for_user(user: Any, public_id: str | uuid.UUID) -> Proposal:
    """Read by those who read either side's records of the day it was made."""
    scope = scope_for(user)
    return fetch_for_user(
        Proposal.objects.select_related("from_unit", "to_unit", "document"),
        public_id=public_id,
        may_read=lambda p: (
            scope.can_on(Capability.VIEW, p.from_unit_id, p.proposed_on)
            or scope.can_on(Capability.VIEW, p.to_unit_id, p.proposed_on)
        ),
        not_found=_("No such proposal in your area."),
    )


def practices_visible_filter(scope: Scope) -> Q:
    """Good practices are shared like the study library: every unit of the district (or, without
    one, the province) above the user's units reads those of the others."""
    if scope.is_superuser:
        return Q()
    return Q(unit_id__in=library_unit_ids(scope)) | scope.reach_filter("unit_id")


def get_practice_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> GoodPractice:
    scope = scope_for(user)
    return fetch_for_user(
        GoodPractice.objects.filter(practices_visible_filter(scope)).select_related("unit"),
        public_id=public_id,
        may_read=lambda practice: True,  # the queryset holds only what the user reads
        write=write,
        may_write=lambda practice: scope.can_now(Capability.WRITE_PROGRAMME, practice.unit_id),
        not_found=_("No such good practice in your area."),
    )


def get_decision_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Decision:
    """Read by those who read the granting body's records of the decision's day; its officers
    today act on it (certificates, revocation)."""
    scope = scope_for(user)
    return fetch_for_user(
        Decision.objects.select_related("unit", "form", "title", "document"),
        public_id=public_id,
        may_read=lambda d: scope.can_on(Capability.VIEW, d.unit_id, d.decided_on),
        write=write,
        may_write=lambda d: scope.can_now(Capability.WRITE_PROGRAMME, d.unit_id),
        not_found=_("No such decision in your area."),
    )


def decisions_visible_filter(scope: Scope) -> Q:
    """The list's rows: decisions of units the user reached on their day (as ``may_read``; a
    committee's decision lists other cells' people, so a cell does not read those from above)."""
    return Q() if scope.is_superuser else scope.reach_filter("unit_id", on="decided_on")


def recognitions_visible_filter(scope: Scope) -> Q:
    """The recognitions of the decisions the user reads (``decisions_visible_filter``)."""
    return Q() if scope.is_superuser else scope.reach_filter("decision__unit_id", on="decision__decided_on")


def get_council_list_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> CouncilList:
    """Read by those who read the unit's records (its staff, the council's members, the
    committees above); curated by its staff today."""
    scope = scope_for(user)
    return fetch_for_user(
        CouncilList.objects.select_related("unit"),
        public_id=public_id,
        may_read=lambda c: scope.can_on(Capability.VIEW, c.unit_id, c.assembled_on),
        write=write,
        may_write=lambda c: scope.can_now(Capability.WRITE_PROGRAMME, c.unit_id),
        not_found=_("No such council list in your area."),
    )
