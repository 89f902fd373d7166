"""What the honours figures count, stated once (the review reports and the demo's seed figures).

- **A recognition** is one subject in one decision (``Recognition``): a person praised by their
  cell in December and rewarded by the commune in January is two recognitions. A revoked one is
  not counted.
- **Individuals** are people (party members or not); **collectives** are Party organisations and
  other collectives (``COLLECTIVE_SUBJECTS``), as the recognition recorded them.
- **By cells under grassroots committees** (``Level.CELLS``): recognitions that introduce or
  praise, whose deciding body was, on the decision's date, a cell (not a grassroots cell) whose
  parent was a grassroots or commune committee or one of its sub-committees, within the root's
  tree. "Qua 3 năm, các chi bộ trực thuộc đảng bộ cơ sở đã
  giới thiệu biểu dương 113 tập thể, 1.525 cá nhân."
- **By units directly under the root** (``Level.DIRECTLY_UNDER``): recognitions whose deciding
  body hung directly under the root on the decision's date (for a district: its grassroots
  committees, communes and grassroots cells), counted apart by what they do: "Các chi bộ, đảng bộ
  cơ sở trực thuộc Huyện ủy khen thưởng 63 tập thể, 294 cá nhân; biểu dương 129 tập thể, 920 cá
  nhân."
- **By the committee itself** (``Level.COMMITTEE``): the root's own decisions, by what they do.
- Dates are the decisions' dates, both ends included. Beside each count, the distinct subjects:
  the same person praised three years running is three recognitions and one subject (one
  ``Recognition.subject_key``: the person, the Party unit, or the collective's name casefolded).

The database counts (a province holds hundreds of thousands of recognitions); the tree is walked
in Python once per level, and the deciding units' windows become the query's condition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q, QuerySet

from lantoa.lib.lookups import Many
from lantoa.org.models import Unit, UnitKind
from lantoa.org.tree_in_period import TreeInPeriod

from .models import COLLECTIVE_SUBJECTS, Recognition, RecognitionKind

# A cell under a grassroots committee (chi bộ trực thuộc đảng ủy cơ sở): under the committee
# itself, or under one of its sub-committees (đảng bộ bộ phận).
UNDER_COMMITTEE_KINDS = frozenset({UnitKind.GRASSROOTS, UnitKind.COMMUNE, UnitKind.SUB_COMMITTEE})


class Level(StrEnum):
    CELLS = "cells"  # cells under grassroots committees
    DIRECTLY_UNDER = "directly_under"  # units hanging directly under the root
    COMMITTEE = "committee"  # the root itself (the Huyện ủy's own decisions)


# What each level's figure counts.
LEVEL_KINDS: dict[Level, tuple[str, ...]] = {
    Level.CELLS: (RecognitionKind.INTRODUCE, RecognitionKind.PRAISE),
    Level.DIRECTLY_UNDER: (RecognitionKind.REWARD, RecognitionKind.PRAISE, RecognitionKind.INTRODUCE),
    Level.COMMITTEE: (RecognitionKind.REWARD, RecognitionKind.PRAISE, RecognitionKind.INTRODUCE),
}

COLLECTIVE = Q(subject_kind__in=COLLECTIVE_SUBJECTS)


@dataclass
class Figure:
    """One line of a report: how many recognitions of collectives and of individuals, and how many
    distinct subjects behind them (``recognitions_behind`` lists them)."""

    collectives: int = 0
    individuals: int = 0
    distinct_collectives: int = 0
    distinct_individuals: int = 0


def _deciding_conditions(tree: TreeInPeriod) -> dict[Level, Q | None]:
    """For each level, the decisions of the units that count at it, on the days they did (their
    windows in the tree, within the period), as one condition; None where no unit counts."""
    root, rows, kinds = tree.root, tree.rows, tree.kinds
    # Units grouped by window: most hang under the same parent for the whole period, so a
    # province's ten thousand cells make a handful of conditions, not one per cell.
    units_by_window: dict[Level, dict[tuple[dt.date, dt.date], set[int]]] = {
        level: defaultdict(set) for level in Level
    }
    for row in rows:
        window = (row.window_from, row.window_to)
        if row.unit_id == root.pk and row.parent_id is None:
            units_by_window[Level.COMMITTEE][window].add(row.unit_id)
        if row.parent_id == root.pk:
            units_by_window[Level.DIRECTLY_UNDER][window].add(row.unit_id)
        parent_kind = kinds.get(row.parent_id) if row.parent_id is not None else None
        if kinds.get(row.unit_id) == UnitKind.CELL and parent_kind in UNDER_COMMITTEE_KINDS:
            units_by_window[Level.CELLS][window].add(row.unit_id)
    conditions: dict[Level, Q | None] = {}
    for level, by_window in units_by_window.items():
        condition: Q | None = None
        for window, unit_ids in sorted(by_window.items()):
            during = Q(decision__unit_id__any_of=Many(sorted(unit_ids)), decision__decided_on__range=window)
            condition = during if condition is None else condition | during
        conditions[level] = condition
    return conditions


FIGURE_COUNTS = {
    "collectives": Count("pk", filter=COLLECTIVE),
    "individuals": Count("pk", filter=~COLLECTIVE),
    "distinct_collectives": Count("subject_key", filter=COLLECTIVE, distinct=True),
    "distinct_individuals": Count("subject_key", filter=~COLLECTIVE, distinct=True),
}


class Counting:
    """The figures of ``root`` over a period, as ``within`` lets a reader see them
    (``recognitions_visible_filter``): the tree is walked once, and the figures and the lists
    behind them are read from the same condition."""

    def __init__(
        self,
        root: Unit,
        start: dt.date,
        end: dt.date,
        within: Q | None = None,
        *,
        tree: TreeInPeriod | None = None,
    ) -> None:
        self.conditions = _deciding_conditions(tree or TreeInPeriod.walk(root, start, end))
        self.within = within or Q()

    def counted(self, level: Level) -> QuerySet[Recognition]:
        """The recognitions ``level`` counts: the one definition of what a figure is."""
        condition = self.conditions[level]
        if condition is None:
            return Recognition.objects.none()
        return Recognition.objects.filter(
            condition, decision__kind__in=LEVEL_KINDS[level], revoked_on__isnull=True
        ).filter(self.within)

    def by_cells_under_committees(self) -> Figure:
        return Figure(**self.counted(Level.CELLS).order_by().aggregate(**FIGURE_COUNTS))

    def by_units_directly_under(self) -> dict[str, Figure]:
        return self.by_kind(Level.DIRECTLY_UNDER)

    def by_kind(self, level: Level) -> dict[str, Figure]:
        """The level's figures by what the decisions did (reward, praise, introduce)."""
        figures = {kind: Figure() for kind in LEVEL_KINDS[level]}
        counted = self.counted(level).order_by()
        for row in counted.values("decision__kind").annotate(**FIGURE_COUNTS):
            kind = row.pop("decision__kind")
            figures[kind] = Figure(**row)
        return figures

    def recognitions_behind(
        self, *, level: Level, collectives: bool, kind: str | None = None
    ) -> QuerySet[Recognition]:
        """The recognitions one figure counts (``kind``: one of the level's, for the units
        directly under), in the order of their decisions, for a page to show a slice of."""
        counted = self.counted(level)
        if kind is not None:
            counted = counted.filter(decision__kind=kind)
        counted = counted.filter(COLLECTIVE if collectives else ~COLLECTIVE)
        return counted.order_by("decision__decided_on", "decision_id", "order", "pk")


def by_cells_under_committees(root: Unit, start: dt.date, end: dt.date, within: Q | None = None) -> Figure:
    """Introduced and praised by the cells under grassroots committees within ``root``.
    ``within``: a filter of the recognitions a reader may see (``recognitions_visible_filter``)."""
    return Counting(root, start, end, within).by_cells_under_committees()


def by_units_directly_under(
    root: Unit, start: dt.date, end: dt.date, within: Q | None = None
) -> dict[str, Figure]:
    """Rewarded, praised and introduced by the units directly under ``root``, by what they did."""
    return Counting(root, start, end, within).by_units_directly_under()


def recognitions_behind(
    root: Unit,
    start: dt.date,
    end: dt.date,
    *,
    level: Level,
    collectives: bool,
    kind: str | None = None,
    within: Q | None = None,
) -> QuerySet[Recognition]:
    """The recognitions behind one figure (``Counting.recognitions_behind``)."""
    return Counting(root, start, end, within).recognitions_behind(
        level=level, collectives=collectives, kind=kind
    )
