"""Who reads a person's sensitive data: the one rule, used by every page, export and import.

Sensitive data is the person's ethnicity, religion, citizen ID number and health (Luật Bảo vệ dữ
liệu cá nhân 91/2025/QH15). It is read by those who keep the person's Party records now:

1. the person themself;
2. an administrator whose area holds, today, a unit the person belongs to;
3. the secretary or a deputy secretary of the cell the person belongs to today, or of the
   grassroots Party committee (đảng ủy xã, phường, đảng ủy cơ sở) that cell is under today:
   the grassroots committee keeps its members' records (hồ sơ đảng viên).

Nobody else: not the district's or province's staff, not the standing office, the council, a
clerk or a cell mate. "The units the person belongs to" are the cell they are a member of and
the units where they hold a post, today; someone with neither (left the Party, not a member) is
answered for by their last cell, or by the unit that recorded them. Today's ties decide whatever
date a page or an export is asked for: a member who moved away on 01/12/2026 is not readable by
the old cell's secretary in a list "as of 30/11/2026".

Who may *write* sensitive data is the same set: a form or an import that may not show a value
may not change it either (it would confirm a guess).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from .access import scope_for
from .models import Membership, Person, Position, Role, UnitKind
from .queries import subtree_ids, valid_on

# Roles that keep the records of their own unit's members.
RECORD_KEEPERS = frozenset({Role.SECRETARY, Role.DEPUTY})
# Committees that keep the records of the members of every cell under them.
GRASSROOTS_COMMITTEES = frozenset({UnitKind.COMMUNE, UnitKind.GRASSROOTS})


def readable_units(user: Any, today: dt.date | None = None) -> set[int] | None:
    """The units whose people's sensitive data ``user`` reads today; None means every unit
    (a superuser). One walk of the tree per grant that reaches beyond its own unit."""
    scope = scope_for(user)
    if scope.is_superuser:
        return None
    today = today or timezone.localdate()
    units: set[int] = set()
    for grant in scope.grants:
        if grant.role == Role.ADMIN:
            units |= subtree_ids(grant.unit, today)
        elif grant.role in RECORD_KEEPERS:
            if grant.unit.kind in GRASSROOTS_COMMITTEES:
                units |= subtree_ids(grant.unit, today)
            else:
                units.add(grant.unit_id)
    return units


def current_units(person_ids: Iterable[int], today: dt.date | None = None) -> dict[int, set[int]]:
    """Person id → the units that answer for them today (see the module's rule). Three queries
    whatever the number of people, a fourth for those with no tie today."""
    today = today or timezone.localdate()
    wanted = set(person_ids)
    ties: dict[int, set[int]] = {pk: set() for pk in wanted}
    memberships = Membership.objects.filter(valid_on(today), member__person_id__in=wanted)
    posts = Position.objects.filter(valid_on(today), person_id__in=wanted)
    for person_id, unit_id in memberships.values_list("member__person_id", "unit_id"):
        ties[person_id].add(unit_id)
    for person_id, unit_id in posts.values_list("person_id", "unit_id"):
        ties[person_id].add(unit_id)
    untied = [pk for pk, units in ties.items() if not units]
    if untied:
        # The last cell: the membership that started last (ties broken by its id).
        for person_id, unit_id in (
            Membership.objects.filter(member__person_id__in=untied)
            .order_by("member__person_id", "-valid_from", "-pk")
            .values_list("member__person_id", "unit_id")
        ):
            if not ties[person_id]:
                ties[person_id].add(unit_id)
        for person_id, unit_id in Person.objects.filter(
            pk__in=[pk for pk in untied if not ties[pk]], registered_unit__isnull=False
        ).values_list("pk", "registered_unit_id"):
            ties[person_id].add(unit_id)
    return ties


def readable_people(user: Any, person_ids: Iterable[int], today: dt.date | None = None) -> set[int]:
    """Of ``person_ids``, those whose sensitive data ``user`` reads (and may change). ``None`` is
    the system itself (the command line run on the server), which reads everything."""
    wanted = set(person_ids)
    if user is None:
        return wanted
    if not wanted or not getattr(user, "is_authenticated", False):
        return set()
    units = readable_units(user, today)
    if units is None:
        return wanted
    own = scope_for(user).person_id
    ties = current_units(wanted, today)
    return {pk for pk in wanted if pk == own or ties[pk] & units}


def readable_people_among(user: Any, people: list[Person]) -> set[int]:
    """The ``lib.privacy`` readers of ``Person.SENSITIVE``."""
    return readable_people(user, [person.pk for person in people])


def may_see_sensitive(user: Any, person: Person) -> bool:
    return person.pk in readable_people(user, [person.pk])


def may_enter_sensitive_for_new_member(user: Any, cell_id: int, today: dt.date | None = None) -> bool:
    """Whether ``user`` (``None``: the system) may record the sensitive data of someone joining
    ``cell_id`` today."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    units = readable_units(user, today)
    return units is None or cell_id in units
