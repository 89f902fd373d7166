"""Reading ratings for the pages, in a fixed number of queries whatever the size of the unit, and
the funnels that decide who reads and who writes them.

Who reads a rating: those who reach its unit on the year's reference day with the right to read
officers' records (``OVERSEE``: a cell's or a committee's officers, the committees above); a plain
member reads their own rating and their cell's. Who writes: the officers of the unit that keeps it
(self-assessment, proposal) and of the body that decides it, on the unit as it stands today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lantoa.documents.models import Commitment
from lantoa.org.access import Capability, Scope, fetch_for_user, scope_for
from lantoa.org.models import NON_PARTY_KINDS, Membership, Unit, UnitKind
from lantoa.org.queries import member_counts, memberships_on, subtree_query, walk_down

from . import rules as rating_rules
from .models import Discipline, Rating, RatingStatus, SubjectKind


def own_member_id(user: Any) -> int | None:
    person = getattr(user, "person", None)
    member = getattr(person, "party_member", None) if person is not None else None
    return member.pk if member is not None else None


def may_read_rating(scope: Scope, user: Any, rating: Rating) -> bool:
    day = rating_rules.reference_day(rating.year, scope.today)
    if scope.can_on(Capability.OVERSEE, rating.unit_id, day):
        return True
    if not scope.can_on(Capability.VIEW, rating.unit_id, day):
        return False
    # A plain member: their own rating, and their cell's as a Party organisation.
    return (rating.member_id is not None and rating.member_id == own_member_id(user)) or (
        rating.subject_kind != SubjectKind.MEMBER
    )


def may_keep(scope: Scope, unit: Unit | int) -> bool:
    """Record self-assessments and proposals for the ratings a unit keeps."""
    return scope.can_now(Capability.WRITE_PROGRAMME, unit)


def may_decide(scope: Scope, body: Unit | int) -> bool:
    return scope.can_now(Capability.WRITE_PROGRAMME, body)


def get_rating_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Rating:
    scope = scope_for(user)
    return fetch_for_user(
        Rating.objects.select_related(
            "member__person", "subject_unit", "unit", "quota_unit", "proposed_by", "decided_by", "rules"
        ),
        public_id=public_id,
        may_read=lambda rating: may_read_rating(scope, user, rating),
        write=write,
        may_write=lambda rating: may_decide(scope, rating.quota_unit_id),
        not_found=_("No such rating in your area."),
    )


# ---------------------------------------------------------------------------------------------
# A cell's members and their ratings
# ---------------------------------------------------------------------------------------------


@dataclass
class MemberLine:
    membership: Membership
    rating: Rating | None
    commitments: int = 0
    commitments_done: int = 0
    disciplined: bool = False


def commitment_counts(member_ids: list[int], year: int) -> dict[int, tuple[int, int]]:
    """(registered, done) commitments of each member for the year, in one query."""
    rows = (
        Commitment.objects.filter(member_id__in=member_ids, year=year)
        .values("member_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    )
    return {row["member_id"]: (row["total"], row["done"]) for row in rows}


def member_lines(cell: Unit, year: int, day: dt.date, only_member: int | None = None) -> list[MemberLine]:
    """The cell's members on ``day`` with their rating of ``year``, commitments and discipline."""
    memberships = list(memberships_on([cell.pk], day))
    if only_member is not None:
        memberships = [m for m in memberships if m.member_id == only_member]
    ids = [m.member_id for m in memberships]
    ratings = {
        r.member_id: r
        for r in Rating.objects.filter(member_id__in=ids, year=year).select_related(
            "proposed_by", "decided_by"
        )
    }
    commitments = commitment_counts(ids, year)
    disciplined = set(
        Discipline.objects.filter(member_id__in=ids, year=year).values_list("member_id", flat=True)
    )
    return [
        MemberLine(
            m,
            ratings.get(m.member_id),
            *commitments.get(m.member_id, (0, 0)),
            disciplined=m.member_id in disciplined,
        )
        for m in memberships
    ]


# ---------------------------------------------------------------------------------------------
# What a committee decides
# ---------------------------------------------------------------------------------------------


# Organisations led by an elected committee (đảng ủy, đảng ủy bộ phận), rated apart from it.
COMMITTEE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.SUB_COMMITTEE})


def organisations_rated_by(body: Unit, day: dt.date) -> list[Unit]:
    """The Party organisations whose rating ``body`` decides on ``day`` (``rules.deciding_body``
    for a whole subtree in one walk): a grassroots committee's cells and sub-committees; a
    district's or province's grassroots organisations not under another such committee."""
    rows = walk_down([(body.pk, day, day)])
    # Only the kinds for the walk (a province is ten thousand units); the units found are loaded.
    kinds = dict(Unit.objects.filter(pk__in=subtree_query(body, day)).values_list("pk", "kind"))
    alive = {row.unit_id for row in rows if row.unit_from is not None and row.unit_from <= day <= row.unit_to}
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None:
            children[row.parent_id].append(row.unit_id)
    deciding_grassroots = body.kind in rating_rules.GRASSROOTS_KINDS
    found: list[int] = []
    stack = list(children[body.pk])
    while stack:
        unit_id = stack.pop()
        kind = kinds.get(unit_id)
        if kind is None or kind in NON_PARTY_KINDS or unit_id not in alive:
            continue
        if kind in rating_rules.ABOVE_GRASSROOTS_KINDS:
            continue  # another committee rates what is under it
        if kind in rating_rules.GRASSROOTS_KINDS:
            if not deciding_grassroots:
                found.append(unit_id)
            continue  # its own cells are rated by it
        if deciding_grassroots:
            found.append(unit_id)
        stack.extend(children[unit_id])
    return list(Unit.objects.filter(pk__in=found).order_by("search_text", "pk"))


@dataclass
class BodyYear:
    """What a body decides for a year: the organisations (rated or not yet) and the members'
    ratings its cells have opened, and how many members each cell has not yet proposed."""

    # Each organisation it rates, then its committee (cấp ủy) where it has one: (unit, subject
    # kind, the rating if opened).
    organisations: list[tuple[Unit, str, Rating | None]] = field(default_factory=list)
    members: list[Rating] = field(default_factory=list)
    unproposed: list[tuple[Unit, int]] = field(default_factory=list)


def body_year(body: Unit, year: int, day: dt.date) -> BodyYear:
    organisations = organisations_rated_by(body, day)
    ratings = list(
        Rating.objects.filter(quota_unit=body, year=year).select_related(
            "member__person", "subject_unit", "unit", "proposed_by", "decided_by"
        )
    )
    by_subject = {
        (r.subject_unit_id, r.subject_kind): r for r in ratings if r.subject_kind != SubjectKind.MEMBER
    }
    members = sorted(
        (r for r in ratings if r.subject_kind == SubjectKind.MEMBER),
        key=lambda r: (r.unit.search_text, r.member.person.search_text if r.member else "", r.pk),
    )
    rows: list[tuple[Unit, str, Rating | None]] = []
    for unit in organisations:
        for kind in (SubjectKind.ORGANISATION, SubjectKind.LEADERSHIP):
            if kind == SubjectKind.ORGANISATION or unit.kind in COMMITTEE_KINDS:
                rows.append((unit, kind, by_subject.get((unit.pk, kind))))
    result = BodyYear(organisations=rows, members=members)
    # Cells whose members are not all proposed yet: what the body is waiting for.
    cells = [u for u in organisations if u.is_cell]
    if body.is_cell:
        cells.append(body)
    if cells:
        counts = member_counts([c.pk for c in cells], day)
        proposed: dict[int, int] = defaultdict(int)
        for rating in members:
            if rating.proposed_level or rating.level:
                proposed[rating.unit_id] += 1
        result.unproposed = [
            (cell, counts.get(cell.pk, 0) - proposed[cell.pk])
            for cell in cells
            if counts.get(cell.pk, 0) > proposed[cell.pk]
        ]
    return result


# ---------------------------------------------------------------------------------------------
# The ratings behind nominations (the council's list, Party periodic rewards)
# ---------------------------------------------------------------------------------------------


def ratings_of_subjects(nominations: list[Any], year: int) -> dict[int, Rating]:
    """The decided rating of ``year`` of each nomination's subject, by nomination id: a party
    member's own, a Party organisation's as an organisation. Two queries whatever the number."""
    members = {
        n.pk: member.pk
        for n in nominations
        if (member := getattr(n.subject_person, "party_member", None)) is not None
    }
    units = {n.pk: n.subject_unit_id for n in nominations if n.subject_unit_id is not None}
    decided = Rating.objects.filter(year=year, status=RatingStatus.DECIDED)
    by_member = {r.member_id: r for r in decided.filter(member_id__in=members.values())} if members else {}
    by_unit = (
        {
            r.subject_unit_id: r
            for r in decided.filter(subject_unit_id__in=units.values(), subject_kind=SubjectKind.ORGANISATION)
        }
        if units
        else {}
    )
    found: dict[int, Rating] = {}
    for pk, member_id in members.items():
        if member_id in by_member:
            found[pk] = by_member[member_id]
    for pk, unit_id in units.items():
        if unit_id in by_unit:
            found[pk] = by_unit[unit_id]
    return found
