"""Term targets against their actuals: counted from the records where the indicator is defined
over data, entered with evidence where it is not.

Achievement is actual ÷ target, to two decimals, always written out in words:
"66 chi bộ đạt; chỉ tiêu 47; đạt 140,43% chỉ tiêu", never "66/47".
A year's actual is read on that year's last day (or the term's, or today's, whichever is first);
a whole term's is the last year's for a state (cells holding a label, a share) and the sum of the
years for a flow (practices taken up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.honours.models import Replication
from lantoa.lib.vi import for_reader, format_decimal, percentage
from lantoa.org.models import CELL_KINDS, Unit
from lantoa.org.queries import subtree_query

from .models import Indicator, Level, Rating, RatingStatus, SubjectKind, TargetActual, TermTarget, UnitLabel

# Flows add up over a term; states are read at its end.
CUMULATIVE = frozenset({Indicator.PRACTICES_REPLICATED})
HUNDREDTH = Decimal("0.01")


@dataclass
class Actual:
    """A target's actual for a year (or a term): the value, what could exist at most (cells that
    exist), and the records it was counted from."""

    value: Decimal | None
    possible: Decimal | None = None
    drillable: bool = False  # its units can be listed (``units_behind``)
    evidence: str = ""

    @property
    def impossible(self) -> bool:
        return self.value is not None and self.possible is not None and self.value > self.possible


def achievement(value: Decimal | None, target: Decimal) -> Decimal | None:
    """Actual ÷ target in percent, two decimals rounded half up: 66 against 47 → 140,43."""
    return None if value is None else percentage(value, target)


def format_figure(value: Decimal) -> str:
    """66, 15,5 or 98,25: whole numbers without decimals, as the reader writes numbers."""
    return for_reader(
        format_decimal(value, 0) if value == value.to_integral_value() else format_decimal(value)
    )


def sentence(target: TermTarget, actual: Actual) -> str:
    """ "66 chi bộ đạt; chỉ tiêu 47; đạt 140,43% chỉ tiêu" (or "chưa có số liệu")."""
    if actual.value is None:
        return _("no figure yet; target %(target)s %(measure)s") % {
            "target": format_figure(target.target),
            "measure": target.measure,
        }
    share = percentage(actual.value, target.target)
    return _("%(actual)s %(measure)s achieved; target %(target)s; %(share)s%% of the target") % {
        "actual": format_figure(actual.value),
        "measure": target.measure,
        "target": format_figure(target.target),
        "share": for_reader(format_decimal(share)) if share is not None else "",
    }


def years_of(target: TermTarget, today: dt.date) -> list[int]:
    term = target.term
    last = min(term.ends_on or today, today)
    return list(range(term.starts_on.year, last.year + 1))


def _day_of(target: TermTarget, year: int, today: dt.date) -> dt.date:
    term = target.term
    candidates = [dt.date(year, 12, 31), today]
    if term.ends_on is not None:
        candidates.append(term.ends_on)
    if term.unit.valid_to is not None:
        candidates.append(term.unit.valid_to)
    return min(candidates)


def actual_for_year(target: TermTarget, year: int, today: dt.date) -> Actual:
    day = _day_of(target, year, today)
    if day < target.term.starts_on or day.year != year:
        return Actual(None)
    indicator = target.indicator
    if indicator == Indicator.ENTERED:
        entered = TargetActual.objects.filter(target=target, year=year).first()
        return Actual(entered.value, evidence=entered.evidence) if entered else Actual(None)
    under = subtree_query(target.term.unit, day)  # walked by the database, not sent back to it
    if indicator == Indicator.CELLS_LABELLED:
        cells = Unit.objects.filter(pk__in=under, kind__in=CELL_KINDS, residential=True)
        possible = Decimal(cells.count())
        labelled = UnitLabel.objects.filter(kind_id=target.label_id, year=year, unit__in=cells).count()
        if not labelled:  # the year's labels are not granted yet: no figure, not zero
            return Actual(None, possible=possible)
        return Actual(Decimal(labelled), possible=possible, drillable=True)
    if indicator in (Indicator.MEMBERS_EXCELLENT, Indicator.ORGANISATIONS_EXCELLENT):
        kind = SubjectKind.MEMBER if indicator == Indicator.MEMBERS_EXCELLENT else SubjectKind.ORGANISATION
        counted = Rating.objects.filter(
            unit_id__in=under, year=year, subject_kind=kind, status=RatingStatus.DECIDED
        ).aggregate(rated=Count("id"), excellent=Count("id", filter=Q(level=Level.EXCELLENT)))
        if not counted["rated"]:
            return Actual(None)
        share = (Decimal(counted["excellent"]) * 100 / counted["rated"]).quantize(HUNDREDTH, ROUND_HALF_UP)
        return Actual(share, possible=Decimal(100))
    if indicator == Indicator.PRACTICES_REPLICATED:
        count = Replication.objects.filter(unit_id__in=under, started_on__year=year).count()
        return Actual(Decimal(count))
    raise ValueError(indicator)


def units_behind(target: TermTarget, year: int, today: dt.date) -> QuerySet[Unit]:
    """The cells a counted figure of ``year`` stands for: what a reader opens it to."""
    if target.indicator != Indicator.CELLS_LABELLED:
        return Unit.objects.none()
    day = _day_of(target, year, today)
    cells = Unit.objects.filter(
        pk__in=subtree_query(target.term.unit, day), kind__in=CELL_KINDS, residential=True
    )
    return cells.filter(labels__kind_id=target.label_id, labels__year=year).order_by("search_text", "pk")


@dataclass
class TargetRow:
    target: TermTarget
    years: list[tuple[int, Actual]]
    term: Actual

    @property
    def achievement(self) -> Decimal | None:
        return achievement(self.term.value, self.target.target)

    @property
    def sentence(self) -> str:
        return sentence(self.target, self.term)


def term_actual(target: TermTarget, by_year: list[tuple[int, Actual]]) -> Actual:
    known = [(year, actual) for year, actual in by_year if actual.value is not None]
    if not known:
        return Actual(None)
    if target.indicator in CUMULATIVE:
        return Actual(sum((a.value for _y, a in known if a.value is not None), Decimal(0)))
    return known[-1][1]


def target_rows(targets: list[TermTarget], today: dt.date) -> list[TargetRow]:
    rows = []
    for target in targets:
        by_year = [(year, actual_for_year(target, year, today)) for year in years_of(target, today)]
        rows.append(TargetRow(target, by_year, term_actual(target, by_year)))
    return rows
