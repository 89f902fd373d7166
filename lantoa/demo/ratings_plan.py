"""Who the demo rates each year and at what level (``lantoa.demo.ratings`` writes it): the cells'
year-end reviews, the levels their members are proposed and decided at within the quota, the
cells' and grassroots organisations' levels, and the hamlet cells granted the label."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from lantoa.cells.models import Meeting, MeetingStatus
from lantoa.lib.vi import format_date
from lantoa.org.models import CELL_KINDS, Membership, PartyMember, Unit, UnitKind
from lantoa.org.queries import children, valid_on
from lantoa.ratings import rules as rating_rules
from lantoa.ratings.models import LEVEL_ORDER, Level

from .cells.common import LHPN

D = dt.date

# Hamlet and quarter cells holding the label each year: 66 at the end of the term, against 47.
LABELLED = {2021: 41, 2022: 52, 2023: 60, 2024: 66}
LHPN_EXCELLENT_YEAR = 2023

# Members: the share the cells propose at each level (the top level is then kept within quota).
MEMBER_SHARES = ((Level.EXCELLENT, 0.15), (Level.GOOD, 0.69), (Level.DONE, 0.157), (Level.NOT_DONE, 0.003))
# A member sees their year one level better than the cell does now and then, or one worse.
SELF_HIGHER, SELF_LOWER = 0.05, 0.02
# Cells: "done" rather than "good" (hamlet cells without the label, agency cells), and how likely
# a cell that may be at the top level is proposed there.
HAMLET_DONE, AGENCY_DONE, CELL_TOP = 0.4, 0.12, 0.6
# Grassroots organisations rated by the Huyện ủy.
GRASSROOTS_DONE, GRASSROOTS_TOP = 0.1, 0.3
# A grassroots organisation decides on its members and cells between these days of December.
COMMITTEE_DAYS = (16, 22)
# A cell without a regular December meeting reviews its year on this day.
REVIEW_DAY = 14


@dataclass(eq=False)
class Review:
    """One cell's year-end review: its members as they stood at it, and the days of each step."""

    cell: Unit
    assessed: dt.date  # the members' (and the cell's) own assessments
    meeting: dt.date  # the cell's proposals
    members: list[PartyMember]
    present: int
    residential: bool
    # Members in the cell on 31/12 who joined after its review: unrated this year, so the cell
    # cannot be at the top level (every member on the reference day counts).
    late: int


@dataclass(eq=False)
class Body:
    """A grassroots organisation's year: its cells' reviews, its decisions' day and number."""

    unit: Unit
    reviews: list[Review]
    day: dt.date
    number: int
    # What the cells proposed and the body decided, by member id: (self, proposed, decided).
    members: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    cells: dict[int, str] = field(default_factory=dict)

    def document(self, offset: int = 0) -> str:
        return f"Quyết định số {self.number + offset}-QĐ/{self.unit.short_code} ngày {format_date(self.day)}"


# ---------------------------------------------------------------------------------------------
# Who is rated, when
# ---------------------------------------------------------------------------------------------


def bodies(rng: random.Random, district: Unit, year: int) -> list[Body]:
    """The grassroots organisations under the Huyện ủy at the year's end, each with its cells'
    reviews (a grassroots cell reviews itself) and the members present in the cell at its review
    who are still there on 31/12 (the rating's reference day); those who joined since are rated
    from the next year."""
    day = D(year, 12, 31)
    grassroots = list(children(district, day).filter(kind__in=rating_rules.GRASSROOTS_KINDS).order_by("key"))
    cells_of = {
        unit.pk: [unit]
        if unit.kind == UnitKind.GRASSROOTS_CELL
        else list(children(unit, day).filter(kind__in=CELL_KINDS).order_by("key"))
        for unit in grassroots
    }
    all_cells = [cell for cells in cells_of.values() for cell in cells]
    meetings = dict(
        Meeting.objects.filter(
            unit__in=all_cells,
            status=MeetingStatus.APPROVED,
            date__range=(D(year, 12, 1), D(year, 12, REVIEW_DAY)),
        )
        .values("unit")
        .annotate(last=Max("date"))
        .values_list("unit", "last")
    )
    members: dict[int, list[tuple[dt.date, PartyMember]]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(valid_on(day), unit__in=all_cells)
        .select_related("member__person")
        .order_by("member__person__search_text", "member_id")
    ):
        members[membership.unit_id].append((membership.valid_from, membership.member))
    bodies = []
    for unit in grassroots:
        reviews = []
        for cell in cells_of[unit.pk]:
            meeting = meetings.get(cell.pk, D(year, 12, REVIEW_DAY))
            present = [member for since, member in members[cell.pk] if since <= meeting]
            late = len(members[cell.pk]) - len(present)
            if present:
                absent = rng.randint(0, max(len(present) // 10, 1))
                assessed = max(meeting - dt.timedelta(days=rng.randint(2, 6)), meeting.replace(day=1))
                reviews.append(
                    Review(
                        cell,
                        assessed,
                        meeting,
                        present,
                        max(len(present) - absent, 1),
                        cell.residential,
                        late,
                    )
                )
        day_of_body = D(year, 12, rng.randint(*COMMITTEE_DAYS))
        bodies.append(Body(unit, reviews, day_of_body, rng.randint(40, 130)))
    return bodies


# ---------------------------------------------------------------------------------------------
# The levels
# ---------------------------------------------------------------------------------------------


def draw(rng: random.Random, shares: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random()
    for level, share in shares:
        if draw < share:
            return level
        draw -= share
    return shares[-1][0]


def within_quota(excellent: int, good: int) -> bool:
    """The rule sets of 2018–2025 alike: the top level at most a fifth of the second."""
    return excellent <= math.floor(good / 5)


def plan_members(rng: random.Random, body: Body, year: int, rewarded: set[int]) -> None:
    """What the cells propose for their members and what the body decides: the top level beyond
    the quota is decided one level lower (those lowered drawn at random). The members the honours
    demo rewards for the year (``rewarded``) are proposed at the top level and kept there where
    the quota allows: a Party periodic reward rests on it."""
    members = [m for review in body.reviews for m in review.members]
    if not members:
        return
    if body.unit.key == LHPN and year == LHPN_EXCELLENT_YEAR:
        # The year the cell is at the top level: everyone did well, one excellently.
        chosen = [n for n, m in enumerate(members) if m.pk in rewarded]
        top = chosen[0] if chosen else rng.randrange(len(members))
        proposed: list[str] = [Level.EXCELLENT if n == top else Level.GOOD for n in range(len(members))]
    else:
        proposed = [Level.EXCELLENT if m.pk in rewarded else draw(rng, MEMBER_SHARES) for m in members]
    decided = list(proposed)
    top_ones = [n for n, level in enumerate(decided) if level == Level.EXCELLENT]
    rng.shuffle(top_ones)
    # Lowered first: those not rewarded (popped from the end).
    top_ones.sort(key=lambda n: members[n].pk not in rewarded)
    while not within_quota(decided.count(Level.EXCELLENT), decided.count(Level.GOOD)):
        decided[top_ones.pop()] = Level.GOOD
    for member, put, level in zip(members, proposed, decided, strict=True):
        body.members[member.pk] = (self_level(rng, put), put, level)


def self_level(rng: random.Random, proposed: str) -> str:
    order = LEVEL_ORDER
    rank = order.index(Level(proposed))
    if proposed == Level.NOT_DONE:
        return Level.DONE  # a member rarely sees their year as a failure
    draw = rng.random()
    if draw < SELF_HIGHER and rank > 0:
        return order[rank - 1]
    if draw < SELF_HIGHER + SELF_LOWER and rank < len(order) - 1:
        return order[rank + 1]
    return proposed


def may_be_top(levels: list[str]) -> bool:
    """A cell at the top level: every member at "done" or above, four in five at "good" or above."""
    if not levels or Level.NOT_DONE in levels or "" in levels:
        return False
    good = sum(1 for level in levels if level in (Level.EXCELLENT, Level.GOOD))
    return good * 5 >= len(levels) * 4


def cell_levels(body: Body, review: Review) -> list[str]:
    """The decided levels of the cell's members on 31/12 ("" for one not rated)."""
    return [body.members[m.pk][2] for m in review.members] + [""] * review.late


def choose_labelled(
    rng: random.Random, bodies: list[Body], year: int, strength: dict[int, float]
) -> set[int]:
    """The hamlet cells the communes grant the label for the year: the strongest that year (a
    lasting strength, give or take the year)."""
    hamlets = [review.cell for body in bodies for review in body.reviews if review.residential]
    for cell in hamlets:
        strength.setdefault(cell.pk, rng.random())
    scored = sorted(hamlets, key=lambda cell: strength[cell.pk] + rng.uniform(0, 0.3), reverse=True)
    return {cell.pk for cell in scored[: LABELLED[year]]}


def plan_cells(rng: random.Random, body: Body, labelled: set[int]) -> None:
    """The body's cells: "good" for a hamlet cell holding the label, good or done for the others;
    the top level for some of those whose members allow it, within the quota."""
    if body.unit.kind == UnitKind.GRASSROOTS_CELL:
        return  # rated by the Huyện ủy with the grassroots organisations
    for review in body.reviews:
        if review.cell.pk in labelled:
            level = Level.GOOD
        else:
            done = HAMLET_DONE if review.residential else AGENCY_DONE
            level = Level.DONE if rng.random() < done else Level.GOOD
        body.cells[review.cell.pk] = level
    candidates = [
        r.cell.pk
        for r in body.reviews
        if body.cells[r.cell.pk] == Level.GOOD and may_be_top(cell_levels(body, r))
    ]
    rng.shuffle(candidates)
    for pk in candidates:
        levels = list(body.cells.values())
        if rng.random() < CELL_TOP and within_quota(
            levels.count(Level.EXCELLENT) + 1, levels.count(Level.GOOD) - 1
        ):
            body.cells[pk] = Level.EXCELLENT


def plan_grassroots(rng: random.Random, bodies: list[Body], year: int) -> dict[int, str]:
    """What the Huyện ủy decides for each grassroots organisation: most "good", some "done", the
    top level for a few (a grassroots cell only where its members allow it) within the quota;
    Chi bộ Hội LHPN huyện at the top level in 2023."""
    levels: dict[int, str] = {}
    for body in bodies:
        levels[body.unit.pk] = Level.DONE if rng.random() < GRASSROOTS_DONE else Level.GOOD
    lhpn = next((b for b in bodies if b.unit.key == LHPN), None)
    candidates = [
        b
        for b in bodies
        if levels[b.unit.pk] == Level.GOOD
        and (
            b.unit.kind != UnitKind.GRASSROOTS_CELL
            or may_be_top([lvl for r in b.reviews for lvl in cell_levels(b, r)])
        )
    ]
    rng.shuffle(candidates)
    if year == LHPN_EXCELLENT_YEAR and lhpn is not None:
        levels[lhpn.unit.pk] = Level.GOOD
        candidates = [lhpn] + [b for b in candidates if b is not lhpn]
    for body in candidates:
        chosen = list(levels.values())
        forced = year == LHPN_EXCELLENT_YEAR and body is lhpn
        if (forced or rng.random() < GRASSROOTS_TOP) and within_quota(
            chosen.count(Level.EXCELLENT) + 1, chosen.count(Level.GOOD) - 1
        ):
            levels[body.unit.pk] = Level.EXCELLENT
    return levels
