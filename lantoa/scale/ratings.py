"""The year-end quality ratings, the "Trong sạch, vững mạnh toàn diện" labels and the province's
term targets, as ``lantoa.ratings.services`` would leave them after the three steps.

Each December (rules-vn §2.5, as the demo's ``ratings`` step draws it): members assess
themselves a few days before their cell's December meeting, the cell proposes a level for each at
that meeting, and the grassroots committee decides a week or so later, keeping the top level
within its quota (a fifth of those at the second level, counted per committee): a member proposed
beyond it is decided one level lower. The committee then rates its cells (the top level only for a
cell whose members all completed their tasks and four in five did well, within the same quota)
and grants the label to some of its hamlet cells; the district rates its committees. The rule set
of each decision is the one in force on its day (Quy định 132, then 124).

The levels are drawn before the honours: a commune's Giấy khen in January is a Party periodic
reward, which needs the year's top level (``honours``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lantoa.lib.vi import format_date
from lantoa.ratings import rules as rating_rules
from lantoa.ratings.models import (
    Indicator,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    SubjectKind,
    TermTarget,
    UnitLabel,
)

from .meetings import Reviews
from .plan import Scale, Writer, pick_weighted, public_id
from .tree import Committee, Tree

D = dt.date

LABEL_CODE = "tsvm-toan-dien"
MEMBER_LEVELS = ((Level.EXCELLENT, 12.0), (Level.GOOD, 70.0), (Level.DONE, 16.0), (Level.NOT_DONE, 2.0))
UNIT_LEVELS = ((Level.EXCELLENT, 18.0), (Level.GOOD, 68.0), (Level.DONE, 12.0), (Level.NOT_DONE, 2.0))
RANK: dict[str, int] = {Level.EXCELLENT: 0, Level.GOOD: 1, Level.DONE: 2, Level.NOT_DONE: 3}
COMMITTEES_PER_BATCH = 100  # about 20 000 ratings held as rows at once


@dataclass
class Year:
    """One year's levels: (self-assessed, proposed, decided) per member id, decided per unit id,
    and the days of each committee's and district's decisions."""

    members: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    committee_day: dict[int, dt.date] = field(default_factory=dict)
    district_day: dict[int, dt.date] = field(default_factory=dict)
    number: dict[int, int] = field(default_factory=dict)  # the committee's decision number

    def excellent_members(self, committee: Committee) -> list[int]:
        return [
            m.id for cell in committee.cells for m in cell.members if self.members[m.id][2] == Level.EXCELLENT
        ]


def _quota(levels: dict[Any, str], order: list[Any], demoted: set[Any]) -> None:
    """At most a fifth of those at the second level at the top: the last drawn step down."""
    good = sum(1 for key in order if levels[key] == Level.GOOD)
    top = [key for key in order if levels[key] == Level.EXCELLENT]
    room = good // 5
    for key in top[room:]:
        levels[key] = Level.GOOD
        demoted.add(key)


def plan(scale: Scale, tree: Tree) -> dict[int, Year]:
    rng = scale.rng("ratings")
    years: dict[int, Year] = {}
    for year in scale.rating_years:
        plan_year = years[year] = Year()
        for district in tree.districts:
            plan_year.district_day[district.id] = D(year, 12, 27) + dt.timedelta(days=rng.randint(0, 2))
            committee_levels: dict[int, str] = {}
            for committee in district.committees:
                plan_year.committee_day[committee.id] = D(year, 12, 20) + dt.timedelta(days=rng.randint(0, 6))
                plan_year.number[committee.id] = rng.randint(20, 90)
                _plan_committee(rng, committee, plan_year)
                committee_levels[committee.id] = pick_weighted(rng, UNIT_LEVELS)
            _quota(committee_levels, [c.id for c in district.committees], set())
            plan_year.units.update(committee_levels)
    return years


def _plan_committee(rng: random.Random, committee: Committee, year: Year) -> None:
    members = [m for cell in committee.cells for m in cell.members]
    decided = {m.id: pick_weighted(rng, MEMBER_LEVELS) for m in members}
    demoted: set[int] = set()
    _quota(decided, [m.id for m in members], demoted)
    for member in members:
        level = decided[member.id]
        proposed = Level.EXCELLENT if member.id in demoted else level
        self_level = proposed
        if rng.random() < 0.15 and RANK[proposed] > 0:
            self_level = next(lvl for lvl, rank in RANK.items() if rank == RANK[proposed] - 1)
        year.members[member.id] = (self_level, proposed, level)
    cells: dict[int, str] = {}
    for cell in committee.cells:
        levels = [decided[m.id] for m in cell.members]
        allowed = all(RANK[lvl] <= 2 for lvl in levels) and 5 * sum(
            RANK[lvl] <= 1 for lvl in levels
        ) >= 4 * len(levels)
        level = pick_weighted(rng, UNIT_LEVELS)
        cells[cell.id] = Level.GOOD if level == Level.EXCELLENT and not allowed else level
    _quota(cells, [c.id for c in committee.cells], set())
    year.units.update(cells)


class RuleSets:
    """The rule set in force on a day, read once per day."""

    def __init__(self) -> None:
        self.by_day: dict[dt.date, int] = {}

    def on(self, day: dt.date) -> int:
        if day not in self.by_day:
            self.by_day[day] = rating_rules.rules_on(day).pk
        return self.by_day[day]


def _document(number: int, code: str, day: dt.date) -> str:
    return f"Quyết định số {number}-QĐ/{code} ngày {format_date(day)}"


def write(writer: Writer, tree: Tree, scale: Scale, years: dict[int, Year], reviews: Reviews) -> None:
    ids = scale.id_rng("ratings")
    rules = RuleSets()
    label = LabelKind.objects.get(code=LABEL_CODE)
    label_rng = scale.rng("ratings.labels")
    for year, levels in years.items():
        for start in range(0, len(tree.committees), COMMITTEES_PER_BATCH):
            rows: list[dict[str, Any]] = []
            labels: list[dict[str, Any]] = []
            for committee in tree.committees[start : start + COMMITTEES_PER_BATCH]:
                day = levels.committee_day[committee.id]
                number = levels.number[committee.id]
                for cell in committee.cells:
                    review = reviews.of(cell, year)
                    meeting = review.date if review else D(year, 12, 15)
                    present = len(review.voters) if review else len(cell.members)
                    common = {
                        "year": year,
                        "unit_id": cell.id,
                        "quota_unit_id": committee.id,
                        "status": RatingStatus.DECIDED,
                        "self_on": meeting - dt.timedelta(days=3),
                        "proposed_on": meeting,
                        "proposed_by_id": cell.id,
                        "proposal_votes": f"{present}/{present} đảng viên có mặt tán thành",
                        "decided_on": day,
                        "decided_by_id": committee.id,
                        "rules_id": rules.on(day),
                    }
                    for member in cell.members:
                        self_level, proposed, level = levels.members[member.id]
                        rows.append(
                            {
                                **common,
                                "public_id": public_id(ids),
                                "subject_kind": SubjectKind.MEMBER,
                                "member_id": member.id,
                                "subject_unit_id": None,
                                "self_level": self_level,
                                "proposed_level": proposed,
                                "level": level,
                                "document": _document(number, "ĐU", day),
                            }
                        )
                    level = levels.units[cell.id]
                    rows.append(
                        {
                            **common,
                            "public_id": public_id(ids),
                            "subject_kind": SubjectKind.ORGANISATION,
                            "member_id": None,
                            "subject_unit_id": cell.id,
                            "self_level": level,
                            "proposed_level": level,
                            "level": level,
                            "document": _document(number + 1, "ĐU", day),
                        }
                    )
                    share = 0.55 + 0.07 * (year - scale.rating_years[0])
                    if cell.residential and RANK[level] <= 1 and label_rng.random() < share:
                        labels.append(
                            {
                                "unit_id": cell.id,
                                "kind_id": label.pk,
                                "year": year,
                                "granted_on": day,
                                "granted_by_id": committee.id,
                                "document": _document(number + 2, "ĐU", day),
                            }
                        )
                district = committee.district
                district_day = levels.district_day[district.id]
                level = levels.units[committee.id]
                rows.append(
                    {
                        "public_id": public_id(ids),
                        "year": year,
                        "subject_kind": SubjectKind.ORGANISATION,
                        "member_id": None,
                        "subject_unit_id": committee.id,
                        "unit_id": committee.id,
                        "quota_unit_id": district.id,
                        "status": RatingStatus.DECIDED,
                        "self_level": level,
                        "self_on": day,
                        "proposed_level": level,
                        "proposed_on": day,
                        "proposed_by_id": committee.id,
                        "proposal_votes": "",
                        "level": level,
                        "decided_on": district_day,
                        "decided_by_id": district.id,
                        "rules_id": rules.on(district_day),
                        "document": _document(400 + 10 * district.index + year % 10, "HU", district_day),
                    }
                )
            writer.add(Rating, rows)
            writer.add(UnitLabel, labels)
    _targets(writer, tree, label)


def _targets(writer: Writer, tree: Tree, label: LabelKind) -> None:
    """The province congress's targets for 2020–2025 that the records count."""
    term_id = tree.province_terms[0][0]
    residential = sum(1 for cell in tree.cells if cell.residential)
    wanted = max(1, round(residential * 0.6))
    targets = (
        (
            f"Đến cuối nhiệm kỳ có {wanted} chi bộ ấp, khu phố đạt trong sạch, vững mạnh toàn diện",
            Indicator.CELLS_LABELLED,
            label.pk,
            Decimal(wanted),
            "chi bộ",
        ),
        (
            "Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ hằng năm đạt từ 15% trở lên",
            Indicator.MEMBERS_EXCELLENT,
            None,
            Decimal(15),
            "%",
        ),
        (
            "Hằng năm trên 20% tổ chức đảng hoàn thành xuất sắc nhiệm vụ",
            Indicator.ORGANISATIONS_EXCELLENT,
            None,
            Decimal(20),
            "%",
        ),
    )
    writer.add(
        TermTarget,
        [
            {
                "term_id": term_id,
                "position": position,
                "text": text,
                "indicator": indicator,
                "label_id": label_id,
                "target": target,
                "measure": measure,
            }
            for position, (text, indicator, label_id, target, measure) in enumerate(targets, start=1)
        ],
    )
