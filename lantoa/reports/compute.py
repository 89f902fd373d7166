"""A report's figures: every statistic of the registry for a unit and period, beside the same
for the period before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from lantoa.lib.vi import for_reader, format_date, format_figure
from lantoa.org.models import Unit

from .periods import Period
from .statistics import FAMILIES, Context, Family, Figure, Value
from .statistics.base import format_value


@dataclass
class Line:
    figure: Figure
    previous: Value
    records_url: str | None

    @property
    def id(self) -> str:
        return self.figure.statistic.id

    @property
    def label(self) -> str:
        return str(self.figure.statistic.label)

    @property
    def value(self) -> Value:
        return self.figure.value

    @property
    def shown(self) -> str:
        """The value on a page, in the reader's number format (a target's with its unit)."""
        return self.figure.with_unit(for_page(self.value, self.figure.statistic.measure))

    @property
    def shown_previous(self) -> str:
        return self.figure.with_unit(for_page(self.previous, self.figure.statistic.measure))

    @property
    def shown_target(self) -> str:
        """A term target's target on a page: "15%", "47 chi bộ"."""
        if self.figure.target is None:
            return ""
        return self.figure.with_unit(for_reader(format_figure(self.figure.target)))


@dataclass
class Section:
    family: Family
    lines: list[Line]

    @property
    def title(self) -> str:
        return str(self.family.title)


@dataclass
class Report:
    unit: Unit
    period: Period
    previous_period: Period
    sections: list[Section]

    def lines(self) -> list[Line]:
        return [line for section in self.sections for line in section.lines]

    def value_of(self, statistic_id: str) -> Value:
        return next(line.value for line in self.lines() if line.id == statistic_id)

    def line(self, statistic_id: str) -> Line:
        return next(line for line in self.lines() if line.id == statistic_id)


def records_url(unit: Unit, period: Period, statistic_id: str) -> str:
    query = urlencode(
        {
            "unit": unit.key,
            "from": format_date(period.start),
            "to": format_date(period.end),
            "statistic": statistic_id,
        }
    )
    return f"{reverse('reports:records')}?{query}"


def compute_report(
    unit: Unit,
    period: Period,
    today: dt.date,
    *,
    progress: Callable[[int, int], None] | None = None,
    with_previous: bool = True,
    previous: Period | None = None,
    families: tuple[Family, ...] = FAMILIES,
) -> Report:
    """Every family (or those given) over the period and over the one before (or ``previous``);
    ``progress(done, total)`` is told after each family (a background task shows it)."""
    previous = previous or period.previous()
    current, before = Context(unit, period, today), Context(unit, previous, today)
    sections = []
    for done, family in enumerate(families, start=1):
        before_values = {f.statistic.id: f.value for f in family.compute(before)} if with_previous else {}
        lines = [
            Line(
                figure,
                before_values.get(figure.statistic.id),
                records_url(unit, period, figure.statistic.id) if figure.drillable else None,
            )
            for figure in family.compute(current)
        ]
        sections.append(Section(family, lines))
        if progress is not None:
            progress(done, len(families))
    return Report(unit, period, previous, sections)


def for_page(value: Value, measure: str) -> str:
    """``format_value`` for a page: the reader's number format, "đ" kept on the number's line."""
    return for_reader(format_value(value, measure)).replace(" đ", "\u00a0đ")


def plain_number(value: Value) -> Any:
    """A figure as JSON and a spreadsheet take it: 66, 140.43 (a Decimal as an int or a float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def changed_since(issued: dict[str, Any], live: Report) -> list[tuple[dict[str, Any], Line]]:
    """The figures a kept report was issued with (``as_json``) that today's records count
    differently, each with today's line."""
    now = {line.id: line for line in live.lines()}
    return [
        (item, now[item["id"]])
        for item in issued.get("statistics", [])
        if item["id"] in now and plain_number(now[item["id"]].value) != item["value"]
    ]


def as_json(report: Report) -> dict[str, Any]:
    """The command line's and the kept report's figures (numbers as JSON numbers)."""
    number = plain_number
    statistics = []
    for line in report.lines():
        item: dict[str, Any] = {
            "id": line.id,
            "label": line.label,
            "value": number(line.value),
            "previous": number(line.previous),
            "records_url": line.records_url,
        }
        if line.figure.target is not None:
            item["target"] = number(line.figure.target)
            item["achievement"] = number(line.figure.achievement)
        statistics.append(item)
    return {
        "unit": report.unit.key,
        "unit_name": report.unit.name,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "previous_from": report.previous_period.start.isoformat(),
        "previous_to": report.previous_period.end.isoformat(),
        "statistics": statistics,
    }
