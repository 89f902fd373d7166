"""The tree as it stood during a period: which units hung under a root, on which days.

One walk of the dated tree (``org.queries.walk_down``) gives every unit that was under the root
at some point of the period, with the days it was. A record counts for the root when its unit was
under the root on the record's own date: a commune merged in 2025 counts once, under the
district it belonged to on the day of each record. ``during`` turns that into one condition for
the database: units that hung under the root for the same days are grouped, so a province whose
ten thousand cells stayed put all period is one ``IN`` with one date range, not ten thousand.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q

from lantoa.lib.lookups import Many
from lantoa.org.models import CELL_KINDS, Unit
from lantoa.org.queries import TreeRow, walk_down

Window = tuple[dt.date, dt.date]
NOTHING = Q(pk__in=[])


@dataclass
class TreeInPeriod:
    root: Unit
    start: dt.date
    end: dt.date
    rows: list[TreeRow]

    @classmethod
    def walk(cls, root: Unit, start: dt.date, end: dt.date) -> TreeInPeriod:
        """One query: the walk (the units' kinds are a second, read when first needed)."""
        return cls(root, start, end, walk_down([(root.pk, start, end)]))

    @cached_property
    def kinds(self) -> dict[int, str]:
        return dict(Unit.objects.filter(pk__any_of=Many(sorted(self.unit_ids()))).values_list("pk", "kind"))

    @cached_property
    def is_cell(self) -> Callable[[TreeRow], bool]:
        """Keeps the rows of cells: one function per tree, so that ``windows`` works the cells'
        windows out once for all the figures that ask."""
        cells = {pk for pk, kind in self.kinds.items() if kind in CELL_KINDS}
        return lambda row: row.unit_id in cells

    @cached_property
    def _clipped(self) -> list[tuple[TreeRow, dt.date, dt.date]]:
        """Each row with its days under the root clipped to the unit's own life (rows outside
        it dropped), worked out once: a province's report asks for windows dozens of times."""
        clipped = []
        for row in self.rows:
            start = max(row.window_from, row.unit_from or row.window_from)
            end = min(row.window_to, row.unit_to)
            if start <= end:
                clipped.append((row, start, end))
        return clipped

    @cached_property
    def _during_memo(self) -> dict[tuple[object, ...], Q]:
        return {}

    @cached_property
    def _windows_memo(self) -> dict[tuple[object, bool], dict[Window, set[int]]]:
        return {}

    def unit_ids(self) -> set[int]:
        return {row.unit_id for row in self.rows}

    def windows(
        self, keep: Callable[[TreeRow], bool] | None = None, *, whole_months: bool = False
    ) -> dict[Window, set[int]]:
        """Units grouped by the days they were under the root (clipped to their own life);
        ``whole_months``: widened to the months they were, for records dated by their month
        (a meeting's ``period`` is the month's first day: a cell that joined on the 15th meets
        for that month here). Worked out once per ``keep``: the result is shared, not to be
        changed."""
        memo_key = (keep, whole_months)
        if memo_key in self._windows_memo:
            return self._windows_memo[memo_key]
        grouped: dict[Window, set[int]] = defaultdict(set)
        month_span: dict[Window, Window] = {}
        for row, start, end in self._clipped:
            if keep is not None and not keep(row):
                continue
            if whole_months:
                if (start, end) not in month_span:
                    month_span[start, end] = (
                        start.replace(day=1),
                        end.replace(day=calendar.monthrange(end.year, end.month)[1]),
                    )
                start, end = month_span[start, end]
            grouped[start, end].add(row.unit_id)
        self._windows_memo[memo_key] = grouped
        return grouped

    def during(
        self,
        unit_field: str,
        date_field: str,
        keep: Callable[[TreeRow], bool] | None = None,
        *,
        whole_months: bool = False,
    ) -> Q:
        """Records whose unit was under the root on the record's date: one condition, built once
        per question (a province's report asks the same one of several queries)."""
        memo_key = (unit_field, date_field, keep, whole_months)
        if memo_key not in self._during_memo:
            windows = self.windows(keep, whole_months=whole_months).items()
            self._during_memo[memo_key] = _condition(windows, unit_field, date_field)
        return self._during_memo[memo_key]

    def on(self, day: dt.date, kinds: Iterable[str] | None = None) -> set[int]:
        """The units under the root on ``day`` (of ``kinds``)."""
        wanted = set(kinds) if kinds is not None else None
        return {
            pk
            for (start, end), ids in self.windows().items()
            if start <= day <= end
            for pk in ids
            if wanted is None or self.kinds.get(pk) in wanted
        }

    def links(self) -> tuple[dict[int, int | None], dict[int, list[int]]]:
        """Each unit's parent and each parent's children, as first found by the walk (for a
        one-day tree, the tree of that day: a unit hangs under one parent on a day)."""
        parent_of: dict[int, int | None] = {}
        children_of: dict[int, list[int]] = {}
        for row in self.rows:
            if row.unit_id in parent_of:
                continue
            parent_of[row.unit_id] = row.parent_id
            if row.parent_id is not None:
                children_of.setdefault(row.parent_id, []).append(row.unit_id)
        return parent_of, children_of

    def parent_kind(self, row: TreeRow) -> str | None:
        return self.kinds.get(row.parent_id) if row.parent_id is not None else None


def _condition(groups: Iterable[tuple[Window, set[int]]], unit_field: str, date_field: str) -> Q:
    condition: Q | None = None
    for (start, end), ids in sorted(groups, key=lambda item: item[0]):
        part = Q(**{f"{unit_field}__any_of": Many(sorted(ids)), f"{date_field}__range": (start, end)})
        condition = part if condition is None else condition | part
    return condition if condition is not None else NOTHING
