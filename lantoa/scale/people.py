"""The members of every cell: people, party members, their membership of the cell (from before
2021, so every cell has the same members through the window) and the posts that sign and chair.

Drawn with the demo's name generator (``lantoa.demo.names``: southern names, CCCD numbers, phones),
written a chunk of cells at a time so that two hundred thousand people are never all held as
rows at once. What later steps need of a member stays in memory in a small ``Member``.

About 3 % were admitted in 2020 and are probationary into 2021 (attendance records them as not
yet full members, they do not vote); a few of the oldest members of hamlet cells are exempt from
activity (``ActivityExemption``) since before 2021. Card numbers are eight digits, unique against
the database's existing cards too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from lantoa.demo.names import NameGenerator
from lantoa.lib.bulk import Row
from lantoa.lib.text import fold, normalize_name
from lantoa.org.member_dates import ADMISSION_AGE, age_on, years_after
from lantoa.org.models import ActivityExemption, Membership, PartyMember, Person, Position, PositionTitle

from .plan import (
    FIRST_MONTH,
    FOUNDED,
    LAST_ADMISSION,
    LAST_DISTRICT_DAY,
    Scale,
    Writer,
    anniversary,
    day_between,
    public_id,
)
from .tree import CELL_TERMS, COMMITTEE_TERMS, DISTRICT_TERMS, PROVINCE_TERMS, Cell, Tree

D = dt.date

REFERENCE = D(2024, 4, 30)  # ages are drawn as of the end of the review's window
# (youngest, oldest, most common) age on REFERENCE, and the share of women.
RESIDENTIAL_PROFILE = ((23, 88, 58), 0.35)
AGENCY_PROFILE = ((25, 59, 40), 0.45)
PROBATIONARY_SHARE = 0.03
EXEMPT_AGE = 78
EXEMPT_SHARE = 0.5  # of the members of hamlet cells that old
EXEMPT_MOST = 0.1  # of a cell's members
CHUNK_CELLS = 1000


@dataclass(slots=True, eq=False)
class Member:
    """What the later steps need of a member."""

    id: int
    person_id: int
    name: str
    full_on: dt.date
    joined: dt.date
    absence: float  # how often they miss a meeting
    exempt: bool
    officer: bool = False


@dataclass(slots=True)
class _Draft:
    name: str
    gender: str
    birth: dt.date
    phone: str
    ethnicity: str
    religion: str
    id_number: str
    admitted: dt.date
    joined: dt.date
    absence: float
    exempt_from: dt.date | None = None


class PeopleDrafter:
    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.rng = scale.rng("people")
        self.names = NameGenerator(scale.rng("people.names"))
        self.ids = scale.id_rng("people.public-ids")

    def draft_cell(self, cell: Cell) -> list[_Draft]:
        rng = self.rng
        age, female_share = RESIDENTIAL_PROFILE if cell.residential else AGENCY_PROFILE
        drafts = []
        for _n in range(self.scale.members_per_cell):
            gender = self.names.gender(female_share)
            birth = self.names.birth_date(on=REFERENCE, age=age)
            data = self.names.person(gender=gender, birth_date=birth)
            admitted = self._admitted(birth)
            earliest = max(admitted, FOUNDED)
            if cell.residential and rng.random() < 0.7:
                joined = earliest  # admitted in their hamlet
            else:
                joined = day_between(rng, max(earliest, years_after(birth, 22)), LAST_ADMISSION)
            joined = min(max(joined, earliest), LAST_ADMISSION)
            drafts.append(
                _Draft(
                    normalize_name(data.full_name),
                    gender,
                    birth,
                    data.phone,
                    data.ethnicity,
                    data.religion,
                    data.id_number,
                    admitted,
                    joined,
                    round(rng.triangular(0.02, 0.30, 0.07), 3),
                )
            )
        old = [d for d in drafts if cell.residential and age_on(d.birth, FIRST_MONTH) >= EXEMPT_AGE]
        room = int(len(drafts) * EXEMPT_MOST)
        for draft in old[:room]:
            if rng.random() < EXEMPT_SHARE:
                draft.exempt_from = max(draft.joined, day_between(rng, D(2016, 1, 1), D(2021, 4, 30)))
        return drafts

    def _admitted(self, birth: dt.date) -> dt.date:
        rng = self.rng
        adult = years_after(birth, ADMISSION_AGE)
        if rng.random() < PROBATIONARY_SHARE:
            return day_between(rng, max(adult, D(2020, 1, 1)), LAST_ADMISSION)
        admitted = birth + dt.timedelta(days=int(rng.triangular(18, 45, 26) * 365.25))
        if not adult <= admitted <= D(2019, 12, 31):
            admitted = day_between(rng, adult, max(adult, D(2019, 12, 31)))
        return min(admitted, LAST_ADMISSION)


def _card_numbers(rng: random.Random, count: int) -> list[str]:
    """Eight-digit card numbers, none already in the database."""
    taken = set(PartyMember.objects.exclude(card_number=None).values_list("card_number", flat=True))
    numbers: list[str] = []
    seen: set[str] = set()
    while len(numbers) < count:
        for value in rng.sample(range(10_000_000, 100_000_000), count - len(numbers)):
            number = str(value)
            if number not in taken and number not in seen:
                seen.add(number)
                numbers.append(number)
    return numbers


def write(writer: Writer, tree: Tree, scale: Scale) -> None:
    drafter = PeopleDrafter(scale)
    cards = iter(_card_numbers(scale.rng("people.cards"), len(tree.cells) * scale.members_per_cell))
    for start in range(0, len(tree.cells), CHUNK_CELLS):
        chunk = tree.cells[start : start + CHUNK_CELLS]
        drafts = [(cell, drafter.draft_cell(cell)) for cell in chunk]
        people = [
            {
                "public_id": public_id(drafter.ids),
                "full_name": d.name,
                "birth_date": d.birth,
                "gender": d.gender,
                "phone": d.phone,
                "ethnicity": d.ethnicity,
                "religion": d.religion,
                "id_number": d.id_number,
                "health_note": "",
                "user_id": None,
                "registered_unit_id": cell.id,
                "search_text": fold(d.name),
            }
            for cell, cell_drafts in drafts
            for d in cell_drafts
        ]
        person_ids = iter(writer.add(Person, people))
        members: list[Row] = []
        for _cell, cell_drafts in drafts:
            for d in cell_drafts:
                members.append(
                    {
                        "person_id": next(person_ids),
                        "card_number": next(cards),
                        "admitted_on": d.admitted,
                        "full_member_on": anniversary(d.admitted),
                        "left_on": None,
                        "left_reason": "",
                    }
                )
        member_rows = iter(members)
        writer.add(PartyMember, members)
        memberships, exemptions = [], []
        for cell, cell_drafts in drafts:
            for d in cell_drafts:
                row = next(member_rows)
                member = Member(
                    row["id"],
                    row["person_id"],
                    d.name,
                    row["full_member_on"],
                    d.joined,
                    d.absence,
                    d.exempt_from is not None,
                )
                cell.members.append(member)
                memberships.append(
                    {
                        "member_id": member.id,
                        "unit_id": cell.id,
                        "valid_from": d.joined,
                        "valid_to": None,
                        "note": "",
                    }
                )
                if d.exempt_from is not None:
                    exemptions.append(
                        {
                            "member_id": member.id,
                            "valid_from": d.exempt_from,
                            "valid_to": None,
                            "reason": "Tuổi cao, sức yếu",
                        }
                    )
        writer.add(Membership, memberships)
        writer.add(ActivityExemption, exemptions)
    writer.add(Position, _posts(drafter.rng, tree))


def _able(members: list[Member], on: dt.date) -> list[Member]:
    return [m for m in members if not m.exempt and not m.officer and m.full_on <= on and m.joined <= on]


def _officer(rng: random.Random, members: list[Member], on: dt.date) -> Member:
    """Someone free to hold a post from ``on``; failing that, whoever qualifies first."""
    able = _able(members, on)
    if able:
        chosen = rng.choice(able)
    else:
        # A small cell: someone already holding a post takes this one too.
        free = [m for m in members if not m.exempt and not m.officer] or [m for m in members if not m.exempt]
        chosen = min(free or members, key=lambda m: (max(m.full_on, m.joined), m.id))
    chosen.officer = True
    return chosen


def _posts(rng: random.Random, tree: Tree) -> list[Row]:
    """A secretary and a deputy in each cell from its 2020 congress; a secretary for each committee,
    district (until 30/6/2025) and the province, drawn from the members of their first cell."""
    rows: list[Row] = []

    def post(member: Member, unit_id: int, title: str, start: dt.date, end: dt.date | None) -> None:
        rows.append(
            {
                "person_id": member.person_id,
                "unit_id": unit_id,
                "title": title,
                "valid_from": max(start, member.full_on, member.joined),
                "valid_to": end,
            }
        )
        if title == PositionTitle.SECRETARY:
            tree.secretary_names[unit_id] = member.name

    cell_start = CELL_TERMS[0][1]
    for cell in tree.cells:
        cell.secretary = _officer(rng, cell.members, cell_start)
        cell.deputy = _officer(rng, cell.members, cell_start)
        post(cell.secretary, cell.id, PositionTitle.SECRETARY, cell_start, None)
        post(cell.deputy, cell.id, PositionTitle.DEPUTY, cell_start, None)
    for committee in tree.committees:
        start = COMMITTEE_TERMS[0][1]
        post(
            _officer(rng, committee.cells[0].members, start),
            committee.id,
            PositionTitle.SECRETARY,
            start,
            None,
        )
    for district in tree.districts:
        start = DISTRICT_TERMS[0][1]
        first = district.committees[0].cells[0].members
        post(_officer(rng, first, start), district.id, PositionTitle.SECRETARY, start, LAST_DISTRICT_DAY)
    start = PROVINCE_TERMS[0][1]
    post(_officer(rng, tree.cells[0].members, start), tree.province_id, PositionTitle.SECRETARY, start, None)
    return rows
