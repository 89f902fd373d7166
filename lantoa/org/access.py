"""Who may see and do what, where: the one access funnel for units and people.

A role is granted on a unit and reaches every unit that was ever under it (so a district's staff
can still review a commune that merged away in 2025). A role grant counts while today lies within
its dates. Views never fetch a unit or person from an id the user sent except through
``get_unit_for_user`` / ``get_person_for_user``: outside the user's units → 404; in scope but the
role only reads → 403.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Membership, Person, Position, Role, RoleGrant, Unit
from .queries import FAR_FUTURE, walk_down, walk_up


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
    Role.MEMBER: frozenset({Capability.VIEW}),
}


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

    def unit_ids(self, capability: str = Capability.VIEW) -> set[int]:
        if self.is_superuser:
            return set(Unit.objects.values_list("pk", flat=True))
        return {uid for uid, caps in self.capabilities_by_unit.items() if capability in caps}

    def can(self, capability: str, unit: Unit | int) -> bool:
        if self.is_superuser:
            return True
        unit_id = unit if isinstance(unit, int) else unit.pk
        return capability in self.capabilities_by_unit.get(unit_id, set())

    def can_anywhere(self, capability: str) -> bool:
        return self.is_superuser or any(capability in caps for caps in self.capabilities_by_unit.values())

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


def compute_scope(user: Any, today: dt.date | None = None) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return Scope()
    grants = active_grants(user, today)
    by_unit: dict[int, set[str]] = {}
    # Grants with the same role are walked together; the walk is one query per distinct role.
    roles = {grant.role for grant in grants if ROLE_CAPABILITIES.get(grant.role)}
    for role in roles:
        roots = [
            (g.unit.pk, g.unit.valid_from, g.unit.valid_to or FAR_FUTURE) for g in grants if g.role == role
        ]
        for row in walk_down(roots):
            by_unit.setdefault(row.unit_id, set()).update(ROLE_CAPABILITIES[role])
    person = Person.objects.filter(user=user).values_list("pk", "public_id", "party_member__pk").first()
    person_id, public_id, member_id = person or (None, None, None)
    return Scope(
        by_unit,
        grants,
        person_id,
        bool(user.is_superuser),
        person_public_id=public_id,
        member_id=member_id,
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


def get_unit_for_user(user: Any, key: str, *, write: str | None = None) -> Unit:
    """The unit with ``key`` if the user may see it; ``write`` names the capability a change needs."""
    scope = scope_for(user)
    unit = Unit.objects.filter(key=key).first()
    if unit is None or not scope.can(Capability.VIEW, unit):
        raise Http404(_("No such unit in your area."))
    if write and not scope.can(write, unit):
        raise _deny_write()
    return unit


def person_unit_ids(person: Person) -> set[int]:
    """Every unit the person ever belonged to or held a post in."""
    ids = set(Membership.objects.filter(member__person=person).values_list("unit_id", flat=True))
    ids |= set(Position.objects.filter(person=person).values_list("unit_id", flat=True))
    if person.registered_unit_id:
        ids.add(person.registered_unit_id)
    return ids


def visible_people_filter(scope: Scope) -> Q:
    """People reachable through a membership or post in a unit the user sees, or themselves."""
    if scope.is_superuser:
        return Q()
    unit_ids = scope.unit_ids(Capability.VIEW)
    condition = (
        Q(party_member__memberships__unit_id__in=unit_ids)
        | Q(positions__unit_id__in=unit_ids)
        | Q(registered_unit_id__in=unit_ids)
    )
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
    """Seeing a person follows every unit they were ever in (their history is those units' history);
    changing them belongs to the units that answer for them now (their sensitive data: see
    org.sensitive)."""
    if scope.is_superuser:
        return True
    unit_ids = person_unit_ids(person) if capability == Capability.VIEW else current_unit_ids(person)
    return any(scope.can(capability, unit_id) for unit_id in unit_ids)


def get_person_for_user(user: Any, public_id: str | uuid.UUID, *, write: str | None = None) -> Person:
    scope = scope_for(user)
    try:
        person = Person.objects.get(public_id=public_id)
    except (Person.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404(_("No such person in your area.")) from exc
    own = scope.person_id == person.pk
    if not own and not can_on_person(scope, person, Capability.VIEW):
        raise Http404(_("No such person in your area."))
    if write and not can_on_person(scope, person, write):
        raise _deny_write()
    return person


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
