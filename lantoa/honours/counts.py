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
- Dates are the decisions' dates, both ends included. Beside each count, the distinct subjects:
  the same person praised three years running is three recognitions and one subject.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from lantoa.org.models import Unit, UnitKind
from lantoa.org.queries import walk_down

from .models import COLLECTIVE_SUBJECTS, Recognition, RecognitionKind

# A cell under a grassroots committee (chi bộ trực thuộc đảng ủy cơ sở): under the committee
# itself, or under one of its sub-committees (đảng bộ bộ phận).
UNDER_COMMITTEE_KINDS = frozenset({UnitKind.GRASSROOTS, UnitKind.COMMUNE, UnitKind.SUB_COMMITTEE})


class Level(StrEnum):
    CELLS = "cells"  # cells under grassroots committees
    DIRECTLY_UNDER = "directly_under"  # units hanging directly under the root


# What each level's figure counts.
LEVEL_KINDS: dict[Level, tuple[str, ...]] = {
    Level.CELLS: (RecognitionKind.INTRODUCE, RecognitionKind.PRAISE),
    Level.DIRECTLY_UNDER: (RecognitionKind.REWARD, RecognitionKind.PRAISE, RecognitionKind.INTRODUCE),
}


@dataclass
class Figure:
    """One line of a report: how many recognitions of collectives and of individuals, how many
    distinct subjects behind them, and which recognitions (to drill down to)."""

    collectives: int = 0
    individuals: int = 0
    distinct_collectives: int = 0
    distinct_individuals: int = 0
    collective_ids: list[int] = field(default_factory=list)
    individual_ids: list[int] = field(default_factory=list)

    @property
    def recognition_ids(self) -> list[int]:
        return self.collective_ids + self.individual_ids


# One counted recognition, as plain values (a province reads hundreds of thousands): its id,
# what the decision did, whether its subject is a collective, and who the subject is.
_Row = tuple[int, str, bool, object]


def _deciding_windows(root: Unit, start: dt.date, end: dt.date, level: Level) -> dict[int, list[tuple]]:
    """For each unit that may count at ``level``, the dates it did: its windows in the tree."""
    rows = walk_down([(root.pk, start, end)])
    kinds: dict[int, str] = dict(
        Unit.objects.filter(pk__in={r.unit_id for r in rows}).values_list("pk", "kind")
    )
    windows: dict[int, list[tuple]] = {}
    for row in rows:
        if level == Level.DIRECTLY_UNDER:
            counts = row.parent_id == root.pk
        else:
            parent_kind = kinds.get(row.parent_id) if row.parent_id is not None else None
            counts = kinds.get(row.unit_id) == UnitKind.CELL and parent_kind in UNDER_COMMITTEE_KINDS
        if counts:
            windows.setdefault(row.unit_id, []).append((row.window_from, row.window_to))
    return windows


def _rows(root: Unit, start: dt.date, end: dt.date, level: Level, within: Q) -> list[_Row]:
    windows = _deciding_windows(root, start, end, level)
    found = (
        Recognition.objects.filter(
            decision__unit_id__in=windows,
            decision__decided_on__range=(start, end),
            decision__kind__in=LEVEL_KINDS[level],
            revoked_on__isnull=True,
        )
        .filter(within)
        .values_list(
            "pk",
            "decision__unit_id",
            "decision__decided_on",
            "decision__kind",
            "subject_kind",
            "nomination__subject_person_id",
            "nomination__subject_unit_id",
            "nomination__subject_name",
        )
    )
    rows: list[_Row] = []
    collective_kinds = set(COLLECTIVE_SUBJECTS)
    for pk, unit_id, day, kind, subject_kind, person_id, subject_unit_id, name in found.order_by(
        "decision__decided_on", "pk"
    ).iterator(chunk_size=10_000):
        spans = windows[unit_id]
        if len(spans) == 1:
            if not spans[0][0] <= day <= spans[0][1]:
                continue
        elif not any(low <= day <= high for low, high in spans):
            continue
        # The same person, Party unit or collective name is one subject however often recognised.
        subject = (
            person_id
            if person_id is not None
            else ("unit", subject_unit_id)
            if subject_unit_id is not None
            else ("name", name.strip().casefold())
        )
        rows.append((pk, kind, subject_kind in collective_kinds, subject))
    return rows


def _figure(rows: Iterable[_Row]) -> Figure:
    figure = Figure()
    collectives, individuals = set(), set()
    for pk, _kind, collective, subject in rows:
        if collective:
            figure.collective_ids.append(pk)
            collectives.add(subject)
        else:
            figure.individual_ids.append(pk)
            individuals.add(subject)
    figure.collectives, figure.individuals = len(figure.collective_ids), len(figure.individual_ids)
    figure.distinct_collectives, figure.distinct_individuals = len(collectives), len(individuals)
    return figure


def by_cells_under_committees(root: Unit, start: dt.date, end: dt.date, within: Q | None = None) -> Figure:
    """Introduced and praised by the cells under grassroots committees within ``root``.
    ``within``: a filter of the recognitions a reader may see (``recognitions_visible_filter``)."""
    return _figure(_rows(root, start, end, Level.CELLS, within or Q()))


def by_units_directly_under(
    root: Unit, start: dt.date, end: dt.date, within: Q | None = None
) -> dict[str, Figure]:
    """Rewarded, praised and introduced by the units directly under ``root``, by what they did."""
    rows = _rows(root, start, end, Level.DIRECTLY_UNDER, within or Q())
    return {kind: _figure(r for r in rows if r[1] == kind) for kind in LEVEL_KINDS[Level.DIRECTLY_UNDER]}
