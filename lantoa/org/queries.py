"""Reading the dated tree: subtrees, paths and history as of a date, in one query each.

The tree is a set of dated parent links (``UnitParentage``). A recursive CTE walks them and
carries a date window down: a child belongs to the subtree for the part of its link's dates that
overlaps the parent's window. Asking "as of a day" is the window [day, day]; asking "ever" is the
root's whole lifetime. The SQL runs unchanged on SQLite and PostgreSQL except for the names of
the two-argument max/min functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from lantoa.lib.text import fold

from .models import (
    Membership,
    PartyMember,
    Person,
    Position,
    PositionTitle,
    StaffBodyName,
    Unit,
    UnitParentage,
    UnitSuccession,
)

FAR_FUTURE = dt.date(9999, 12, 31)


class TreeRow(NamedTuple):
    """One unit found by a walk: where it hangs and for which dates (inclusive). A named tuple:
    a province's walk makes tens of thousands on every request (a frozen dataclass was 4× slower)."""

    unit_id: int
    parent_id: int | None
    depth: int
    window_from: dt.date
    window_to: dt.date
    # The unit's own life (walk_down only): whether the window covers all of it.
    unit_from: dt.date | None = None
    unit_to: dt.date = FAR_FUTURE


def _greatest_least() -> tuple[str, str]:
    return ("GREATEST", "LEAST") if connection.vendor == "postgresql" else ("MAX", "MIN")


def _param(day: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(day)


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def walk_down(roots: Iterable[tuple[int, dt.date, dt.date]]) -> list[TreeRow]:
    """Every unit under the given roots, each root with its own date window.

    ``roots`` are ``(unit_id, window_from, window_to)``. A unit reached by several paths appears
    once per distinct (parent, window); callers that only need ids take the set.
    """
    roots = list(roots)
    if not roots:
        return []
    greatest, least = _greatest_least()
    unit_table = Unit._meta.db_table
    link_table = UnitParentage._meta.db_table
    far = _param(FAR_FUTURE)
    anchors = []
    params: list[Any] = []
    for unit_id, start, end in roots:
        anchors.append(
            f"SELECT u.id, CAST(NULL AS BIGINT), 0, {greatest}(u.valid_from, %s), "
            f"{least}(COALESCE(u.valid_to, %s), %s) FROM {unit_table} u "
            "WHERE u.id = %s AND u.valid_from <= %s AND COALESCE(u.valid_to, %s) >= %s"
        )
        params += [_param(start), far, _param(end), unit_id, _param(end), far, _param(start)]
    sql = (
        "WITH RECURSIVE sub(id, parent_id, depth, wfrom, wto) AS ("
        + " UNION ALL ".join(anchors)
        + f" UNION SELECT p.unit_id, p.parent_id, s.depth + 1, {greatest}(p.valid_from, s.wfrom), "
        f"{least}(COALESCE(p.valid_to, %s), s.wto) FROM {link_table} p JOIN sub s ON p.parent_id = s.id "
        "WHERE p.valid_from <= s.wto AND COALESCE(p.valid_to, %s) >= s.wfrom"
        ") SELECT s.id, s.parent_id, s.depth, s.wfrom, s.wto, u.valid_from, COALESCE(u.valid_to, %s) "
        f"FROM sub s JOIN {unit_table} u ON u.id = s.id ORDER BY s.depth, s.id"
    )
    params += [far, far, far]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            TreeRow(
                row[0], row[1], row[2], _as_date(row[3]), _as_date(row[4]), _as_date(row[5]), _as_date(row[6])
            )
            for row in cursor.fetchall()
        ]


def subtree_ids(unit: Unit, on: dt.date) -> set[int]:
    """Ids of ``unit`` and every unit under it on ``on``."""
    return {row.unit_id for row in walk_down([(unit.pk, on, on)])}


def subtree_query(unit: Unit, on: dt.date) -> RawSQL:
    """The ids of ``unit`` and everything under it on ``on``, as a subquery the database walks
    itself (``unit_id__in=subtree_query(...)``): a province's ten thousand ids never travel to
    Python and back as parameters."""
    link_table = UnitParentage._meta.db_table
    day = _param(on)
    sql = (
        "WITH RECURSIVE sub(id) AS (SELECT CAST(%s AS BIGINT) UNION "
        f"SELECT p.unit_id FROM {link_table} p JOIN sub s ON p.parent_id = s.id "
        "WHERE p.valid_from <= %s AND COALESCE(p.valid_to, %s) >= %s) SELECT id FROM sub"
    )
    return RawSQL(sql, [unit.pk, day, _param(FAR_FUTURE), day])  # noqa: S611 - our table names, values as parameters


def subtree(unit: Unit, on: dt.date) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=subtree_ids(unit, on))


def ever_under_ids(unit: Unit) -> set[int]:
    """Ids of every unit that was under ``unit`` at any time of its life (for access scope)."""
    return {row.unit_id for row in walk_down([(unit.pk, unit.valid_from, unit.valid_to or FAR_FUTURE)])}


def children(unit: Unit, on: dt.date) -> QuerySet[Unit]:
    # One filter() call, so every condition applies to the same parentage row: a unit that left
    # ``unit`` and hangs elsewhere now must not count through its newer link.
    return Unit.objects.filter(valid_on(on, "parentages__"), parentages__parent=unit).distinct()


def parent_on(unit: Unit, on: dt.date) -> Unit | None:
    link = (
        UnitParentage.objects.select_related("parent")
        .filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .first()
    )
    return link.parent if link else None


def path_to_root(unit: Unit, on: dt.date) -> list[Unit]:
    """[root, ..., unit] as the tree stood on ``on`` (one query for the walk, one for names)."""
    link_table = UnitParentage._meta.db_table
    sql = (
        "WITH RECURSIVE up(id, depth) AS (SELECT CAST(%s AS BIGINT), 0 UNION "
        f"SELECT p.parent_id, up.depth + 1 FROM {link_table} p JOIN up ON p.unit_id = up.id "
        "WHERE p.valid_from <= %s AND COALESCE(p.valid_to, %s) >= %s AND up.depth < 50"
        ") SELECT id, depth FROM up ORDER BY depth DESC"
    )
    day = _param(on)
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, day, _param(FAR_FUTURE), day])
        order = [row[0] for row in cursor.fetchall()]
    by_id = Unit.objects.in_bulk(order)
    return [by_id[pk] for pk in order if pk in by_id]


# A page shows at most about this many units; deeper levels fold and open on request.
TREE_PAGE_UNITS = 600


@dataclass(frozen=True)
class TreeNode:
    unit: Unit
    depth: int
    parent_id: int | None
    # Units directly under it that day, and whether they are on the page (else they load when
    # the node is opened: ``org:tree_children``).
    child_count: int
    children_shown: bool


def tree(roots: Iterable[Unit], on: dt.date, *, budget: int | None = None) -> list[TreeNode]:
    """Units under ``roots`` on ``on`` in display order (parents first, siblings by name), as
    many levels as fit in ``budget`` units (default ``TREE_PAGE_UNITS``; at least the roots and
    their children): a commune's
    tree is shown whole, a province's down to where it would be thousands of rows. Three queries
    whatever the size (the walk, the shown units, nothing per row)."""
    budget = TREE_PAGE_UNITS if budget is None else budget
    rows = walk_down([(root.pk, on, on) for root in roots])
    kids: dict[int | None, list[TreeRow]] = {}
    for row in rows:
        kids.setdefault(row.parent_id, []).append(row)
    # A root that is also under another root (grants on a commune and on one of its cells) is
    # shown once, under its parent.
    reached = {row.unit_id for row in rows if row.parent_id is not None}
    tops = [row for row in kids.get(None, []) if row.unit_id not in reached]
    last_depth = _depth_within(tops, kids, budget)
    shown_ids: set[int] = set()
    level = tops
    for _depth in range(last_depth + 1):
        shown_ids |= {row.unit_id for row in level}
        level = [child for row in level for child in kids.get(row.unit_id, [])]
    units = Unit.objects.in_bulk(shown_ids)
    ordered: list[TreeNode] = []
    seen: set[int] = set()

    def by_name(row: TreeRow) -> tuple[str, str]:
        # Folded first so Đ sorts with D and Ấ with A (code points would put them after Z).
        unit = units[row.unit_id]
        return (unit.search_text or fold(unit.name), unit.name)

    def visit(row: TreeRow, depth: int) -> None:
        if row.unit_id in seen:
            return
        seen.add(row.unit_id)
        children = {child.unit_id: child for child in kids.get(row.unit_id, [])}
        shown = depth < last_depth or not children
        ordered.append(TreeNode(units[row.unit_id], depth, row.parent_id, len(children), shown))
        if shown:
            for child in sorted(children.values(), key=by_name):
                visit(child, depth + 1)

    for top in sorted(tops, key=by_name):
        visit(top, 0)
    return ordered


def _depth_within(tops: list[TreeRow], kids: dict[int | None, list[TreeRow]], budget: int) -> int:
    """The deepest level (0 = the roots) such that the levels down to it hold at most ``budget``
    units; never less than 1, so a province shows its communes."""
    depth, total, level = 0, len(tops), tops
    while True:
        below = [child for row in level for child in kids.get(row.unit_id, [])]
        if not below or (depth >= 1 and total + len(below) > budget):
            return depth
        depth, total, level = depth + 1, total + len(below), below


@dataclass(frozen=True)
class UnitHistory:
    parentages: list[UnitParentage]
    predecessors: list[UnitSuccession]
    successors: list[UnitSuccession]


def unit_history(unit: Unit) -> UnitHistory:
    """Where a unit hung over time and what it came from / went into."""
    return UnitHistory(
        parentages=list(
            UnitParentage.objects.filter(unit=unit).select_related("parent").order_by("valid_from")
        ),
        predecessors=list(unit.successions_in.select_related("predecessor").order_by("on_date")),
        successors=list(unit.successions_out.select_related("successor").order_by("on_date")),
    )


def valid_on(on: dt.date, prefix: str = "") -> Q:
    """Q for rows whose ``valid_from``/``valid_to`` cover ``on``."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def memberships_on(unit_ids: Iterable[int], on: dt.date) -> QuerySet[Membership]:
    """Memberships in the given units on ``on``, with member and person loaded, by name."""
    return (
        Membership.objects.filter(valid_on(on), unit_id__in=list(unit_ids))
        .select_related("member__person", "unit")
        .order_by("member__person__search_text", "member_id")
    )


def member_counts(unit_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """Members per unit on ``on`` (direct members only), in one query."""
    rows = (
        Membership.objects.filter(valid_on(on), unit_id__in=list(unit_ids))
        .values("unit_id")
        .annotate(n=Count("id"))
    )
    return {row["unit_id"]: row["n"] for row in rows}


# Posts as a unit lists them: the secretary first, the chair of a mass organisation after the
# committee (the order of the choices is not this order: heads of commission rank above members).
POSITION_RANK: tuple[str, ...] = (
    PositionTitle.SECRETARY,
    PositionTitle.STANDING_DEPUTY,
    PositionTitle.DEPUTY,
    PositionTitle.STANDING_MEMBER,
    PositionTitle.HEAD_OF_COMMISSION,
    PositionTitle.COMMITTEE_MEMBER,
    PositionTitle.CHAIR,
    PositionTitle.DEPUTY_CHAIR,
    PositionTitle.COUNCIL_CHAIR,
    PositionTitle.COUNCIL_MEMBER,
)


def position_rank(field: str = "title") -> Case:
    """An ordering expression: the rank of a post's title in :data:`POSITION_RANK`."""
    return Case(
        *[When(**{field: title}, then=Value(rank)) for rank, title in enumerate(POSITION_RANK)],
        default=Value(len(POSITION_RANK)),
        output_field=IntegerField(),
    )


def positions_on(unit: Unit, on: dt.date) -> QuerySet[Position]:
    """The posts held in ``unit`` on ``on``, by rank (secretary first), then by name."""
    return (
        Position.objects.filter(valid_on(on), unit=unit)
        .select_related("person")
        .order_by(position_rank(), "person__search_text", "pk")
    )


def current_membership(member: PartyMember, on: dt.date) -> Membership | None:
    return member.memberships.filter(valid_on(on)).select_related("unit").first()


def primary_unit(person: Person) -> Unit | None:
    """The unit a person's records are filed under (audit entries, the audit log's scope): the
    latest cell, else the latest post, else the unit that registered a non-member."""
    membership = (
        Membership.objects.filter(member__person=person)
        .order_by("-valid_from")
        .select_related("unit")
        .first()
    )
    if membership:
        return membership.unit
    position = person.positions.order_by("-valid_from").select_related("unit").first()
    if position:
        return position.unit
    return person.registered_unit


def staff_body_name_on(staff_body_id: int, on: dt.date) -> StaffBodyName | None:
    return StaffBodyName.objects.filter(valid_on(on), staff_body_id=staff_body_id).first()


def walk_up(unit: Unit) -> list[TreeRow]:
    """Every unit ``unit`` ever sat under, with the dates it sat there (the mirror of walk_down).

    Rows are (ancestor_id, child_id on the way, depth, window): ``unit`` was under the ancestor
    from window_from to window_to. One query.
    """
    greatest, least = _greatest_least()
    link_table = UnitParentage._meta.db_table
    unit_table = Unit._meta.db_table
    far = _param(FAR_FUTURE)
    sql = (
        "WITH RECURSIVE up(id, child_id, depth, wfrom, wto) AS ("
        f"SELECT u.id, CAST(NULL AS BIGINT), 0, u.valid_from, COALESCE(u.valid_to, %s) FROM {unit_table} u "
        "WHERE u.id = %s"
        f" UNION SELECT p.parent_id, p.unit_id, up.depth + 1, {greatest}(p.valid_from, up.wfrom), "
        f"{least}(COALESCE(p.valid_to, %s), up.wto) FROM {link_table} p JOIN up ON p.unit_id = up.id "
        "WHERE p.valid_from <= up.wto AND COALESCE(p.valid_to, %s) >= up.wfrom AND up.depth < 50"
        ") SELECT id, child_id, depth, wfrom, wto FROM up ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [far, unit.pk, far, far])
        return [
            TreeRow(row[0], row[1], row[2], _as_date(row[3]), _as_date(row[4])) for row in cursor.fetchall()
        ]


# ---------------------------------------------------------------------------------------------
# Searching names
# ---------------------------------------------------------------------------------------------

_WORDS = re.compile(r"\w+")
_M = TypeVar("_M", bound=Model)


def search_words(query: str) -> list[str]:
    """The folded words of a query: "  Nguyễn   Thanh-Hiền " → ["nguyen", "thanh", "hien"]."""
    return _WORDS.findall(fold(query))


def search_by_name(queryset: QuerySet[_M], query: str, field: str = "search_text") -> QuerySet[_M]:
    """Rows whose folded name has a word starting with each word of the query ("hien" finds
    Nguyễn Thanh Hiền, not Bùi Phước Thiện; "an khanh" needs both an "an…" and a "khanh…").

    Ordered: the exact name first, then names that start with the query, then the rest, each
    by folded name. Plain LIKE on the stored folded text, so SQLite and PostgreSQL agree.
    """
    words = search_words(query)
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(
            Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
        )
    phrase = " ".join(words)
    rank = Case(
        When(**{field: phrase}, then=Value(0)),
        When(**{f"{field}__startswith": phrase}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.alias(name_rank=rank).order_by("name_rank", field, "pk")


# ---------------------------------------------------------------------------------------------
# Units in drop-down lists
# ---------------------------------------------------------------------------------------------


def unit_choice_labels(units: Iterable[Unit], on: dt.date) -> dict[int, str]:
    """ "Name — parent name" for each unit, so the three "Chi bộ ấp Phú Thạnh" of a province can
    be told apart. The parent is the one on ``on``, or on the unit's last day when it closed
    before. One query for all units."""
    units = list(units)
    days = {unit.pk: min(on, unit.valid_to) if unit.valid_to else on for unit in units}
    parents: dict[int, str] = {}
    links = (
        UnitParentage.objects.filter(unit_id__in=list(days))
        .values_list("unit_id", "parent__name", "valid_from", "valid_to")
        .order_by("unit_id", "valid_from")
    )
    for unit_id, parent_name, start, end in links:
        day = days[unit_id]
        if start <= day and (end is None or day <= end):
            parents[unit_id] = parent_name
    return {
        unit.pk: f"{unit.name} — {parents[unit.pk]}" if unit.pk in parents else unit.name for unit in units
    }
