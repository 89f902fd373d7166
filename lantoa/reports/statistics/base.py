"""What a statistic is: a stable id, a label, a value counted from records, and those records.

A family computes its statistics together (one or two aggregates for all of them) and hands out,
for each, the query of the records behind it: the figure is the size of that query wherever it
can be, so a figure and the list it opens to cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from lantoa.org.models import Unit
from lantoa.org.tree_in_period import TreeInPeriod

from ..periods import Period

Value = int | Decimal | None


class Measure:
    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"  # whole đồng


@dataclass(frozen=True)
class Statistic:
    id: str
    label: Any  # a lazy translation
    measure: str = Measure.COUNT


@dataclass
class Figure:
    """A statistic's value for one unit and period; a term target's also has the target."""

    statistic: Statistic
    value: Value
    target: Decimal | None = None
    achievement: Decimal | None = None
    drillable: bool = True
    # The most there can be (a term target's cells that exist): a value above it is an error.
    possible: Decimal | None = None


@dataclass(frozen=True)
class Column:
    label: Any
    text: Callable[[Any], str]


@dataclass
class Records:
    """The records behind a figure, in the order a reader goes through them: a query, or a list
    for rows the tree works out rather than store (a unit that must file and has not)."""

    queryset: QuerySet[Any] | list[Any]
    columns: list[Column]
    # For a sum of money: the field summed, so the list shows the same total as the figure, and
    # the sign the figure gives it (a disbursement is stored negative and reported as paid out).
    amount_field: str | None = None
    amount_sign: int = 1

    def count(self) -> int:
        return len(self.queryset) if isinstance(self.queryset, list) else self.queryset.count()


@dataclass
class Context:
    """The unit and period a report counts, and the day it is counted on (what is pending)."""

    root: Unit
    period: Period
    today: dt.date
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def last_day(self) -> dt.date:
        """The day "as of the period's end" figures are read on: the end, or the day the unit
        ended if it ended before."""
        return min(self.end, self.root.valid_to) if self.root.valid_to else self.end

    @cached_property
    def tree(self) -> TreeInPeriod:
        return TreeInPeriod.walk(self.root, self.start, self.end)


class Family(ABC):
    """A section of the report: statistics counted together."""

    key: str = ""
    title: Any = ""
    statistics: tuple[Statistic, ...] = ()

    def owns(self, statistic_id: str) -> bool:
        return any(s.id == statistic_id for s in self.statistics)

    @abstractmethod
    def compute(self, ctx: Context) -> list[Figure]:
        """Every statistic of the family for ``ctx``, in a fixed number of queries."""

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        """The records behind a statistic; None where it has none to list (a rate)."""
        return None

    def statistic(self, statistic_id: str) -> Statistic | None:
        return next((s for s in self.statistics if s.id == statistic_id), None)
