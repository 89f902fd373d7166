"""Officers over the 2020–2025 term: who held which post in the district, its committees and
its cells, and from when. Drawn among the drafted members (see ``people``), written with them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from lantoa.org.models import Position, PositionTitle, Unit, UnitKind

from .base import day_between
from .places import MASS_ORGS

if TYPE_CHECKING:
    from .org import DemoTree
    from .people import Draft, Drafter

D = dt.date

# Congresses of the 2020–2025 term (demo dates): cells in spring 2020, then the communes and
# grassroots committees, then the district in July; cells re-elected at mid-term in late 2022.
CELL_CONGRESS = (D(2020, 3, 2), D(2020, 4, 28))
COMMITTEE_CONGRESS = (D(2020, 5, 11), D(2020, 6, 26))
DISTRICT_CONGRESS = D(2020, 7, 15)
MASS_ORG_CONGRESS = D(2021, 6, 1)
CELL_MIDTERM = (D(2022, 9, 5), D(2022, 11, 25))
MIDTERM_CHANGE_SHARE = 0.12


class Posts:
    def __init__(self) -> None:
        self.rows: list[tuple[Draft, Position]] = []

    def holders(self, unit: Unit) -> frozenset[Draft]:
        return frozenset(draft for draft, position in self.rows if position.unit is unit)

    def add(self, draft: Draft, unit: Unit, title: str, start: dt.date, end: dt.date | None = None) -> None:
        # Nobody holds a post before they are a full member of a cell in the unit.
        start = max(start, draft.joined_on, draft.full_member_on or draft.joined_on)
        if end is None or start <= end:
            self.rows.append((draft, Position(unit=unit, title=title, valid_from=start, valid_to=end)))


def draft_posts(drafter: Drafter, tree: DemoTree, result_keys: dict[str, Draft]) -> Posts:
    """Officers of the district, its committees and cells over the 2020–2025 term."""
    rng, by_cell, units = drafter.rng, drafter.by_cell, tree.units
    posts = Posts()
    busy = set(drafter.named.values())
    last = tree.last_days.get
    toan, tuan, phuong, hien = (
        drafter.named[k] for k in ("phan-song-toan", "huynh-thanh-tuan", "vo-thi-phuong", "nguyen-thanh-hien")
    )
    district = units["chau-thanh"]
    district_end = last("chau-thanh")
    on = DISTRICT_CONGRESS
    posts.add(toan, district, PositionTitle.SECRETARY, on, district_end)
    posts.add(tuan, district, PositionTitle.STANDING_DEPUTY, on, district_end)
    chairman = drafter.pick(by_cell["chi-bo-van-phong-hdnd-ubnd-huyen"], on, busy, (40, 58))
    posts.add(chairman, district, PositionTitle.DEPUTY, on, district_end)
    posts.add(phuong, district, PositionTitle.STANDING_MEMBER, on, district_end)
    posts.add(phuong, district, PositionTitle.HEAD_OF_COMMISSION, on, district_end)
    # The heads of the Organisation Commission (the "hoidong" login), the Inspection Commission
    # and the Mass Mobilisation Commission sit on the standing committee.
    council = drafter.pick(by_cell["chi-bo-ban-to-chuc-huyen-uy"], on, busy, (38, 58))
    result_keys["council"] = council
    posts.add(council, district, PositionTitle.STANDING_MEMBER, on, district_end)
    for cell_key in ("chi-bo-uy-ban-kiem-tra-huyen-uy", "chi-bo-ban-dan-van-huyen-uy"):
        head = drafter.pick(by_cell[cell_key], on, busy, (38, 58))
        posts.add(head, district, PositionTitle.STANDING_MEMBER, on, district_end)
    district_members = [hien]

    # Committees (communes, agency grassroots committees): standing members from their own
    # office cell where there is one, other committee members from all their cells.
    for committee, plans in tree.committees:
        start = day_between(rng, *COMMITTEE_CONGRESS)
        end = last(committee.key)
        pool = [d for plan in plans for d in by_cell[plan.unit.key]]
        office = [
            d for plan in plans if plan.profile == "commune_office" for d in by_cell[plan.unit.key]
        ] or pool
        secretary = drafter.pick(office, start, busy, (35, 60))
        posts.add(secretary, committee, PositionTitle.SECRETARY, start, end)
        posts.add(secretary, district, PositionTitle.COMMITTEE_MEMBER, DISTRICT_CONGRESS, district_end)
        result_keys[f"secretary:{committee.key}"] = secretary
        is_commune = committee.kind == UnitKind.COMMUNE
        titles = (
            [
                PositionTitle.STANDING_DEPUTY,
                PositionTitle.DEPUTY,
                PositionTitle.STANDING_MEMBER,
                PositionTitle.STANDING_MEMBER,
            ]
            if is_commune
            else [PositionTitle.DEPUTY]
        )
        for title in titles:
            posts.add(
                drafter.pick(office, start, busy, exclude=posts.holders(committee)),
                committee,
                title,
                start,
                end,
            )
        for _ in range(6 if is_commune else 3):
            member = drafter.pick(pool, start, busy, exclude=posts.holders(committee))
            posts.add(member, committee, PositionTitle.COMMITTEE_MEMBER, start, end)

    # Every cell: a secretary, a deputy from 7 members, a third chi ủy member from 15. A few
    # cells changed secretary at the 2022 mid-term congress.
    protected = {"chi-bo-hoi-lhpn", "chi-bo-ap-phuoc-thanh-an-khanh"}
    for plan in tree.cells:
        key = plan.unit.key
        members = by_cell[key]
        start = day_between(rng, *CELL_CONGRESS)
        secretary = hien if key == "chi-bo-hoi-lhpn" else drafter.pick(members, start, busy, (27, 70))
        result_keys[f"secretary:{key}"] = secretary
        if key not in protected and rng.random() < MIDTERM_CHANGE_SHARE:
            change = day_between(rng, *CELL_MIDTERM)
            posts.add(secretary, plan.unit, PositionTitle.SECRETARY, start, change - dt.timedelta(days=1))
            successor = drafter.pick(members, change, busy, (27, 70), exclude=posts.holders(plan.unit))
            posts.add(successor, plan.unit, PositionTitle.SECRETARY, change, plan.last_day)
        else:
            posts.add(secretary, plan.unit, PositionTitle.SECRETARY, start, plan.last_day)
        if len(members) >= 7:
            deputy = drafter.pick(members, start, busy, (25, 70), exclude=posts.holders(plan.unit))
            posts.add(deputy, plan.unit, PositionTitle.DEPUTY, start, plan.last_day)
        if len(members) >= 15:
            posts.add(
                drafter.pick(members, start, busy, (25, 70), exclude=posts.holders(plan.unit)),
                plan.unit,
                PositionTitle.COMMITTEE_MEMBER,
                start,
                plan.last_day,
            )
    district_members.append(result_keys["secretary:chi-bo-huyen-doan"])
    for draft in district_members:
        posts.add(draft, district, PositionTitle.COMMITTEE_MEMBER, DISTRICT_CONGRESS, district_end)
    for org in MASS_ORGS:
        chair = result_keys[f"secretary:{org.chair_cell}"]
        posts.add(chair, units[org.key], PositionTitle.CHAIR, MASS_ORG_CONGRESS, last(org.key))
    return posts
