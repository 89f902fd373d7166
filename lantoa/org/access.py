"""Who may see and do what, where: the one access funnel for units and people.

A role is granted on a unit and reaches the units under it *for the days they were under it*:
the dated tree decides. A cell that moved from commune A to commune B on a day is A's before
that day and B's from it: A's officers read its records dated before, B's those dated after
(``Scope.can_on``, ``Scope.reach_filter``). Changing a unit's records needs a reach that lasts
until today or later: officers of a closed district, or of a commune a cell left, read history
and change nothing. A role grant counts while today lies within its dates. Views never fetch a
unit or person from an id the user sent except through ``get_unit_for_user`` /
``get_person_for_user``: outside the user's units → 404; in scope but the role only reads → 403.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.lib.lookups import Many

from .models import Membership, Person, Position, Role, RoleGrant, Unit
from .queries import FAR_FUTURE, TreeRow, walk_down, walk_up

EARLIEST = dt.date.min


class Capability:
    VIEW = "view"
    EDIT_PEOPLE = "edit_people"
    IMPORT_MEMBERS = "import_members"
    WRITE_PROGRAMME = "write_programme"
    MANAGE_TREE = "manage_tree"
    MANAGE_USERS = "manage_users"
    # Read what officers keep about members (who wrote least, who was absent): every role but a
    # plain member, who reads their own cell but not their cell mates' records.
    OVERSEE = "oversee"


_ALL = frozenset(
    {
        Capability.VIEW,
        Capability.EDIT_PEOPLE,
        Capability.IMPORT_MEMBERS,
        Capability.WRITE_PROGRAMME,
        Capability.MANAGE_TREE,
        Capability.MANAGE_USERS,
        Capability.OVERSEE,
    }
)
_UNIT_OFFICER = frozenset(
    {
        Capability.VIEW,
        Capability.OVERSEE,
        Capability.EDIT_PEOPLE,
        Capability.IMPORT_MEMBERS,
        Capability.WRITE_PROGRAMME,
    }
)

# What each role may do on the units it covers. Who reads sensitive data (ethnicity, religion, ID
# number, health) is not a capability of the units below: it follows the person's ties today
# (org.sensitive has the rule). A plain member reads their own cell (its page, its members) and,
# through ``readable_unit_ids``, what the committees above publish for it; they change nothing.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: _ALL,
    Role.STANDING: frozenset({Capability.VIEW, Capability.OVERSEE, Capability.WRITE_PROGRAMME}),
    Role.PROPAGANDA: _UNIT_OFFICER,
    Role.SECRETARY: _UNIT_OFFICER,
    Role.DEPUTY: _UNIT_OFFICER,
    Role.CLERK: _UNIT_OFFICER,
    Role.COUNCIL: frozenset({Capability.VIEW, Capability.OVERSEE}),
    Role.TREASURER: frozenset({Capability.VIEW}),
    Role.MEMBER: frozenset({Capability.VIEW}),
}


@dataclass(frozen=True)
class Reach:
    """Days (inclusive) during which a unit sat under one of the user's units, and what the user
    may do there for records of those days."""

    starts: dt.date
    ends: dt.date
    capabilities: frozenset[str]

    def covers(self, day: dt.date) -> bool:
        return self.starts <= day <= self.ends

    @property
    def is_open(self) -> bool:
        return self.ends == FAR_FUTURE


@dataclass
class Scope:
    """What one user may do where, computed once per request (two queries)."""

    capabilities_by_unit: dict[int, set[str]] = field(default_factory=dict)
    grants: list[RoleGrant] = field(default_factory=list)
    person_id: int | None = None
    is_superuser: bool = False
    # The user's own person and party membership (for "my record", "my commitments").
    person_public_id: uuid.UUID | None = None
    member_id: int | None = None
    # Units reached for only part of their life (moved in or out of the user's units): when.
    # A unit reached for all of its life is absent: any record of it is in reach.
    partial_reach: dict[int, list[Reach]] = field(default_factory=dict)
    # Closed units reached for all their life: in ``partial_reach`` so that nothing is done for
    # them today, though no other committee answers for any of their days.
    closed_unit_ids: set[int] = field(default_factory=set)
    today: dt.date = field(default_factory=timezone.localdate)
    # The first day of each unit in ``partial_reach`` (see ``_windows``).
    first_day_by_unit: dict[int, dt.date | None] = field(default_factory=dict)

    def unit_ids(self, capability: str = Capability.VIEW) -> set[int]:
        """Units the user reaches with ``capability`` for at least some days."""
        if self.is_superuser:
            return set(Unit.objects.values_list("pk", flat=True))
        return {uid for uid, caps in self.capabilities_by_unit.items() if capability in caps}

    def unit_ids_now(self, capability: str) -> set[int]:
        """Units the user acts for today with ``capability`` (what a form may offer)."""
        if self.is_superuser:
            still_open = Q(valid_to__isnull=True) | Q(valid_to__gte=self.today)
            return set(Unit.objects.filter(still_open).values_list("pk", flat=True))
        return {uid for uid in self.unit_ids(capability) if self.can_now(capability, uid)}

    def can(self, capability: str, unit: Unit | int) -> bool:
        """For some of the unit's records (a change dated by the record: see ``can_on``; one made
        today: ``can_now``)."""
        if self.is_superuser:
            return True
        unit_id = unit if isinstance(unit, int) else unit.pk
        return capability in self.capabilities_by_unit.get(unit_id, set())

    def can_on(self, capability: str, unit: Unit | int, day: dt.date) -> bool:
        """For the unit's records dated ``day``."""
        unit_id = unit if isinstance(unit, int) else unit.pk
        if not self.can(capability, unit_id):
            return False
        reaches = self.partial_reach.get(unit_id)
        if reaches is None or self.is_superuser:
            return True
        return any(starts <= day <= ends for starts, ends in self._windows(unit_id, capability))

    def can_now(self, capability: str, unit: Unit | int) -> bool:
        """For what the unit does today: an officer of a closed district, or of the commune a
        cell left, reads that history but acts for it no more."""
        return self.can_on(capability, unit, self.today)

    def reach_of(self, unit: Unit | int) -> list[Reach] | None:
        """When the user reaches the unit: None for all of its life (or no reach at all)."""
        unit_id = unit if isinstance(unit, int) else unit.pk
        if self.is_superuser or unit_id in self.closed_unit_ids:
            return None
        return self.partial_reach.get(unit_id)

    def can_during(self, capability: str, unit: Unit | int, starts: dt.date, ends: dt.date | None) -> bool:
        """For a tie to the unit that lasted from ``starts`` to ``ends`` (None: still open)."""
        unit_id = unit if isinstance(unit, int) else unit.pk
        if not self.can(capability, unit_id):
            return False
        reaches = self.partial_reach.get(unit_id)
        if reaches is None or self.is_superuser:
            return True
        last = ends or FAR_FUTURE
        return any(
            reach_starts <= last and starts <= reach_ends
            for reach_starts, reach_ends in self._windows(unit_id, capability)
        )

    def day_in_reach(self, unit: Unit | int, day: dt.date) -> dt.date:
        """``day`` if the unit's records of that day are in reach, else the nearest day that is
        (a page asked for a day after the cell moved away opens on its last day here)."""
        reaches = self.reach_of(unit)
        if not reaches or any(reach.covers(day) for reach in reaches):
            return day
        before = [reach.ends for reach in reaches if reach.ends < day]
        return max(before) if before else min(reach.starts for reach in reaches)

    def reach_filter(
        self,
        unit_field: str,
        *,
        on: str | None = None,
        span: tuple[str, str] | None = None,
        capability: str = Capability.VIEW,
    ) -> Q:
        """Rows of units in reach, dated when the unit was in reach: ``on`` names a date field;
        ``span`` names (from, to) fields of a dated tie (to may be empty: still open), which must
        overlap the reach. Without either, the unit alone decides (undated rows)."""
        if self.is_superuser:
            return Q()
        whole = [
            uid
            for uid, caps in self.capabilities_by_unit.items()
            if capability in caps and (uid not in self.partial_reach or (on is None and span is None))
        ]
        condition = Q(**{f"{unit_field}__any_of": Many(whole)})
        if on is None and span is None:
            return condition
        # One branch per distinct window, not per unit: a closed district's thousand cells share
        # "until 30/06/2025", and a province-sized OR chain took PostgreSQL tens of seconds.
        for (starts, ends), unit_ids in sorted(self._partial_windows(capability).items()):
            dated = Q()
            if on is not None:
                if starts != EARLIEST:
                    dated &= Q(**{f"{on}__gte": starts})
                if ends != FAR_FUTURE:
                    dated &= Q(**{f"{on}__lte": ends})
            else:
                assert span is not None
                start, end = span
                if ends != FAR_FUTURE:
                    dated &= Q(**{f"{start}__lte": ends})
                if starts != EARLIEST:
                    dated &= Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": starts})
            condition |= Q(**{f"{unit_field}__any_of": Many(sorted(unit_ids))}) & dated
        return condition

    def _partial_windows(self, capability: str) -> dict[tuple[dt.date, dt.date], list[int]]:
        """The partly reached units grouped by their windows of reach."""
        grouped: dict[tuple[dt.date, dt.date], list[int]] = {}
        for unit_id in self.partial_reach:
            for window in self._windows(unit_id, capability):
                grouped.setdefault(window, []).append(unit_id)
        return grouped

    def _windows(self, unit_id: int, capability: str) -> list[tuple[dt.date, dt.date]]:
        """The days (inclusive) a partly reached unit's records are in reach with ``capability``.
        A reach from the unit's first day holds its records misdated before it too (as a wholly
        reached unit's are), so that units created on different days under the same committee
        share one window. The end stays: a closed unit is acted for until its last day only."""
        first_day = self.first_day_by_unit.get(unit_id)
        return [
            (EARLIEST if first_day is not None and reach.starts <= first_day else reach.starts, reach.ends)
            for reach in self.partial_reach.get(unit_id, [])
            if capability in reach.capabilities
        ]

    def can_anywhere(self, capability: str) -> bool:
        return self.is_superuser or any(capability in caps for caps in self.capabilities_by_unit.values())

    def can_anywhere_now(self, capability: str) -> bool:
        """For some unit today (what a menu may offer: a closed district's staff import nowhere)."""
        return self.is_superuser or any(self.can_now(capability, uid) for uid in self.unit_ids(capability))

    def root_units(self) -> list[Unit]:
        """The units the user's grants sit on (the tops of what they see)."""
        if self.is_superuser:
            return list(Unit.objects.filter(parentages__isnull=True))
        seen: dict[int, Unit] = {}
        for grant in self.grants:
            if ROLE_CAPABILITIES.get(grant.role):
                seen.setdefault(grant.unit_id, grant.unit)
        return list(seen.values())


def active_grants(user: Any, today: dt.date | None = None) -> list[RoleGrant]:
    today = today or timezone.localdate()
    return list(
        RoleGrant.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
    )


def _reaches(rows: list[TreeRow], capabilities: frozenset[str]) -> list[Reach]:
    """One unit's windows under one role, joined where they touch."""
    spans: list[list[dt.date]] = []
    for row in sorted(rows, key=lambda r: r.window_from):
        if spans and row.window_from <= spans[-1][1] + dt.timedelta(days=1):
            spans[-1][1] = max(spans[-1][1], row.window_to)
        else:
            spans.append([row.window_from, row.window_to])
    return [Reach(start, end, capabilities) for start, end in spans]


def compute_scope(user: Any, today: dt.date | None = None) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    today = today or timezone.localdate()
    grants = active_grants(user, today)
    by_unit: dict[int, set[str]] = {}
    reaches_by_unit: dict[int, list[Reach]] = {}
    partly_reached: set[int] = set()
    closed_ids: set[int] = set()
    first_day: dict[int, dt.date | None] = {}
    # Grants with the same role are walked together; the walk is one query per distinct role.
    roles = {grant.role for grant in grants if ROLE_CAPABILITIES.get(grant.role)}
    for role in roles:
        roots = [
            (g.unit.pk, g.unit.valid_from, g.unit.valid_to or FAR_FUTURE) for g in grants if g.role == role
        ]
        rows_by_unit: dict[int, list[TreeRow]] = {}
        for row in walk_down(roots):
            rows_by_unit.setdefault(row.unit_id, []).append(row)
        for unit_id, rows in rows_by_unit.items():
            reaches = _reaches(rows, ROLE_CAPABILITIES[role])
            life = rows[0]  # every row of a unit carries the unit's own dates
            first_day.setdefault(unit_id, life.unit_from)
            whole = (
                len(reaches) == 1
                and life.unit_from is not None
                and reaches[0].starts <= life.unit_from
                and reaches[0].ends >= life.unit_to
            )
            if not whole:
                partly_reached.add(unit_id)
            elif life.unit_to < today:  # reached for all its life, which is over: dated like the rest
                closed_ids.add(unit_id)
            reaches_by_unit.setdefault(unit_id, []).extend(reaches)
            for reach in reaches:
                by_unit.setdefault(unit_id, set()).update(reach.capabilities)
    partial = {unit_id: reaches_by_unit[unit_id] for unit_id in partly_reached | closed_ids}
    person = Person.objects.filter(user=user).values_list("pk", "public_id", "party_member__pk").first()
    person_id, public_id, member_id = person or (None, None, None)
    return Scope(
        by_unit,
        grants,
        person_id,
        bool(user.is_superuser),
        person_public_id=public_id,
        member_id=member_id,
        partial_reach=partial,
        closed_unit_ids=closed_ids - partly_reached,
        today=today,
        first_day_by_unit={unit_id: first_day[unit_id] for unit_id in partial},
    )


def scope_for(user: Any) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    cached = getattr(user, "_lantoa_scope", None)
    if cached is None:
        cached = compute_scope(user)
        if getattr(user, "is_authenticated", False):
            user._lantoa_scope = cached
    return cached


def forget_scope(user: Any) -> None:
    if hasattr(user, "_lantoa_scope"):
        del user._lantoa_scope


def _deny_write() -> PermissionDenied:
    return PermissionDenied(_("Your role here can only read."))


ModelT = TypeVar("ModelT", bound=Model)


def fetch_for_user(
    queryset: QuerySet[ModelT],
    *,
    may_read: Callable[[ModelT], bool],
    not_found: Any,
    write: bool = False,
    may_write: Callable[[ModelT], bool] | None = None,
    **lookup: object,
) -> ModelT:
    """The one way every app fetches an object for a user. Missing, a malformed id, or not the
    user's to read: 404, with the same message for all three, so that nothing tells an object
    outside the user's units from one that does not exist. Readable but not the user's to
    change (``write``): 403. Each funnel supplies its rules as ``may_read`` / ``may_write``."""
    try:
        found = queryset.filter(**lookup).first()
    except (ValidationError, ValueError, TypeError):  # "not-a-uuid" and the like
        found = None
    if found is None or not may_read(found):
        raise Http404(not_found)
    if write and (may_write is None or not may_write(found)):
        raise _deny_write()
    return found


def get_unit_for_user(user: Any, key: str, *, write: str | None = None) -> Unit:
    """The unit with ``key`` if the user may see it; ``write`` names the capability a change needs
    (today: a closed unit's history is read, not changed)."""
    scope = scope_for(user)
    return fetch_for_user(
        Unit.objects.all(),
        key=key,
        may_read=lambda unit: scope.can(Capability.VIEW, unit),
        write=bool(write),
        may_write=lambda unit: scope.can_now(write or "", unit),
        not_found=_("No such unit in your area."),
    )


def _person_ties(person: Person) -> list[tuple[int, dt.date, dt.date | None]]:
    """(unit, from, to) of every membership and post the person ever had."""
    fields = ("unit_id", "valid_from", "valid_to")
    ties = list(Membership.objects.filter(member__person=person).values_list(*fields))
    ties += list(Position.objects.filter(person=person).values_list(*fields))
    return ties


def visible_people_filter(scope: Scope) -> Q:
    """People with a membership or post in a unit the user reaches, at a time it was in reach
    (a cell's members after it moved away are the new committee's), those recorded by such a
    unit, and the user themselves."""
    if scope.is_superuser:
        return Q()
    # Each tie is a subquery asked per person (an index probe), so a name search over a province
    # reads the ties of the people it found only; a join through memberships and posts multiplied
    # every person by their ties, and ``IN`` subqueries hashed all 200 000 memberships first.
    span = ("valid_from", "valid_to")
    memberships = Membership.objects.filter(
        scope.reach_filter("unit_id", span=span), member_id=OuterRef("party_member__id")
    )
    posts = Position.objects.filter(scope.reach_filter("unit_id", span=span), person=OuterRef("pk"))
    condition = Q(Exists(memberships)) | Q(Exists(posts)) | scope.reach_filter("registered_unit_id")
    if scope.person_id:
        condition |= Q(pk=scope.person_id)
    return condition


def current_unit_ids(person: Person, today: dt.date | None = None) -> set[int]:
    """The units that answer for the person now: the cell they belong to and the posts they hold
    today. Someone with no tie today (left the Party, a non-member) is answered for by their last
    cell, or by the unit that recorded them."""
    today = today or timezone.localdate()
    open_today = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    ids = set(Membership.objects.filter(open_today, member__person=person).values_list("unit_id", flat=True))
    ids |= set(Position.objects.filter(open_today, person=person).values_list("unit_id", flat=True))
    if not ids:
        last = (
            Membership.objects.filter(member__person=person)
            .order_by("-valid_from")
            .values_list("unit_id", flat=True)
        )
        ids = set(last[:1]) or ({person.registered_unit_id} if person.registered_unit_id else set())
    return ids


def can_on_person(scope: Scope, person: Person, capability: str) -> bool:
    """Seeing a person follows their ties to units the user reaches, while in reach (their
    history there is those units' history); changing them belongs to the units that answer for
    them now (their sensitive data: see org.sensitive)."""
    if scope.is_superuser:
        return True
    if capability not in (Capability.VIEW, Capability.OVERSEE):
        return any(scope.can_now(capability, unit_id) for unit_id in current_unit_ids(person))
    if person.registered_unit_id and scope.can(capability, person.registered_unit_id):
        return True
    return any(scope.can_during(capability, unit, start, end) for unit, start, end in _person_ties(person))


def get_person_for_user(user: Any, public_id: str | uuid.UUID, *, write: str | None = None) -> Person:
    scope = scope_for(user)
    return fetch_for_user(
        Person.objects.all(),
        public_id=public_id,
        may_read=lambda person: scope.person_id == person.pk or can_on_person(scope, person, Capability.VIEW),
        write=bool(write),
        may_write=lambda person: can_on_person(scope, person, write or ""),
        not_found=_("No such person in your area."),
    )


def readable_unit_ids(scope: Scope) -> set[int]:
    """The user's units and every committee any of them ever sat under (cached per request):
    what comes from above (directives, obligations, bulletin issues) is readable below."""
    cached = getattr(scope, "_readable_unit_ids", None)
    if cached is None:
        cached = set(scope.unit_ids())
        for root in scope.root_units():
            cached |= {row.unit_id for row in walk_up(root)}
        scope._readable_unit_ids = cached  # type: ignore[attr-defined]
    return cached


def readable_filter(scope: Scope, unit_field: str, *, on: str) -> Q:
    """Records of a unit the user reads, by the date field ``on``: those of units they reach,
    dated while in reach (a commune reads a cell's records of the days the cell was its own),
    and those of every committee above their units, whatever the date (directives come down
    and stay in force)."""
    if scope.is_superuser:
        return Q()
    above = readable_unit_ids(scope) - scope.unit_ids()
    return scope.reach_filter(unit_field, on=on) | Q(**{f"{unit_field}__in": sorted(above)})


def may_read_unit_record(scope: Scope, unit_id: int | None, day: dt.date) -> bool:
    """One record of ``readable_filter``: the unit's record dated ``day``."""
    if scope.is_superuser:
        return True
    if unit_id is None:
        return False
    if scope.can(Capability.VIEW, unit_id):
        return scope.can_on(Capability.VIEW, unit_id, day)
    return unit_id in readable_unit_ids(scope)
