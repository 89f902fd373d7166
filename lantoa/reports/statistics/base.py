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

from django.db.models import QuerySet, Sum

from lantoa.lib.vi import format_decimal, format_int, format_money
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
    # A term target's own unit of measure ("%", "chi bộ", "mô hình"), written after its numbers.
    unit_of_measure: str = ""

    def with_unit(self, number: str) -> str:
        """A formatted number of this figure with its unit of measure: "13,31%", "66 chi bộ"."""
        if not self.unit_of_measure or not number or number == "–":
            return number
        return (
            f"{number}{self.unit_of_measure}"
            if self.unit_of_measure == "%"
            else f"{number} {self.unit_of_measure}"
        )


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
    # When the figure is not the number of records (a sum of money, meetings owed cell by cell,
    # a rate): what the whole list adds up to, computed from it, so the page shows the same
    # value as the figure; and what that total is called.
    total: Callable[[Any], Value] | None = None
    total_label: Any = None

    def count(self) -> int:
        return len(self.queryset) if isinstance(self.queryset, list) else self.queryset.count()

    def listed_value(self) -> Value:
        """What the list behind the figure comes to: its total, or the number of its records."""
        return self.total(self.queryset) if self.total is not None else self.count()


def signed_sum(field: str, sign: int = 1) -> Callable[[QuerySet[Any]], int]:
    """The total of a list of money: the field summed in the database, with the sign the figure
    gives it (a disbursement is stored negative and reported as paid out)."""

    def total(records: QuerySet[Any]) -> int:
        return sign * int(records.order_by().aggregate(total=Sum(field))["total"] or 0)

    return total


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

    def figure(self, statistic_id: str, ctx: Context) -> Figure | None:
        """One statistic's figure (the records page shows it above its list). Every statistic of
        the family by default; a family whose figures are costly apart counts only this one."""
        return next((f for f in self.compute(ctx) if f.statistic.id == statistic_id), None)

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        """The records behind a statistic; None where it has none to list."""
        return None

    def statistic(self, statistic_id: str) -> Statistic | None:
        return next((s for s in self.statistics if s.id == statistic_id), None)


def format_value(value: Value, measure: str) -> str:
    """As a reader writes it: 1.525, 140,43%, 9.700.000 đ; a dash where there is no figure."""
    if value is None:
        return "–"
    if measure == Measure.PERCENT:
        return f"{format_decimal(value)}%"
    if measure == Measure.MONEY:
        return format_money(int(value))
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return format_decimal(value)
    return format_int(int(value))
