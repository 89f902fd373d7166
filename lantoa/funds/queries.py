"""What a fund's pages and statements read: the statement of a period, each member's savings and
arrears, the children's totals. Sums are taken in SQL; nothing is queried per row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Q, Sum, Value, When
from django.utils import timezone

from lantoa.cells.queries.meetings import add_months

from .models import Beneficiary, ContributionRule, EntryKind, Exemption, Fund, LedgerEntry
from .services import balance, members_in_month


def counted_kind() -> Case:
    """The kind an entry counts under: a reversal counts under the kind it undoes (a reversed
    saving lowers the savings, not a line of its own)."""
    return Case(
        When(kind=EntryKind.REVERSAL, then=F("reverses__kind")),
        default=F("kind"),
        output_field=CharField(),
    )


@dataclass
class ChildLine:
    child: Beneficiary
    count: int  # disbursements in the period, net of reversals
    total: int  # đồng handed over in the period, net of reversals (a positive number)


@dataclass
class Statement:
    """A period's account (sao kê), ready to read out at the meeting."""

    fund: Fund
    start: dt.date
    end: dt.date
    opening: int
    by_kind: dict[str, int]  # net amount per kind (savings, donations, opening, disbursements)
    closing: int
    children: list[ChildLine] = field(default_factory=list)
    entries: list[LedgerEntry] = field(default_factory=list)
    contributors: int = 0  # distinct members who saved in the period

    @property
    def money_in(self) -> int:
        return sum(amount for kind, amount in self.by_kind.items() if kind != EntryKind.DISBURSEMENT)

    @property
    def money_out(self) -> int:
        return -self.by_kind.get(EntryKind.DISBURSEMENT, 0)

    @property
    def contributions(self) -> int:
        return self.by_kind.get(EntryKind.CONTRIBUTION, 0)

    @property
    def donations(self) -> int:
        return self.by_kind.get(EntryKind.DONATION, 0)

    @property
    def opening_entries(self) -> int:
        return self.by_kind.get(EntryKind.OPENING, 0)


def statement(fund: Fund, start: dt.date, end: dt.date, *, with_entries: bool = True) -> Statement:
    """Opening balance (end of the day before ``start``), the period's movements by kind and by
    child, the closing balance (end of ``end``). Opening + movements = closing, always: both
    balances are sums of the same entries."""
    opening = balance(fund, start - dt.timedelta(days=1))
    period = LedgerEntry.objects.filter(fund=fund, occurred_on__range=(start, end))
    by_kind = {
        row["counted_as"]: int(row["total"])
        for row in period.annotate(counted_as=counted_kind())
        .values("counted_as")
        .annotate(total=Sum("amount"))
    }
    closing = opening + sum(by_kind.values())
    paid = (
        period.filter(beneficiary__isnull=False)
        .annotate(counted_as=counted_kind())
        .filter(counted_as=EntryKind.DISBURSEMENT)
        .values("beneficiary_id")
        .annotate(
            total=Sum("amount"),
            count=Sum(Case(When(kind=EntryKind.REVERSAL, then=Value(-1)), default=Value(1))),
        )
    )
    totals = {row["beneficiary_id"]: (int(row["count"]), -int(row["total"])) for row in paid}
    children = [
        ChildLine(child, *totals.get(child.pk, (0, 0)))
        for child in fund.beneficiaries.filter(
            Q(pk__in=totals)
            | (Q(sponsored_from__lte=end) & (Q(sponsored_to__isnull=True) | Q(sponsored_to__gte=start)))
        ).prefetch_related("consents")
    ]
    contributors = (
        period.filter(kind=EntryKind.CONTRIBUTION, reversed_by__isnull=True)
        .values("member_id")
        .distinct()
        .count()
    )
    entries = (
        list(
            period.select_related("member__person", "beneficiary", "reverses", "meeting").order_by(
                "occurred_on", "number"
            )
        )
        if with_entries
        else []
    )
    return Statement(fund, start, end, opening, by_kind, closing, children, entries, contributors)


# ---------------------------------------------------------------------------------------------
# Members' savings
# ---------------------------------------------------------------------------------------------


@dataclass
class MemberSavings:
    """One member's months in a span: what was booked, what was excused, what is owed."""

    member_id: int
    name: str
    paid: dict[dt.date, int] = field(default_factory=dict)  # month → đồng
    excused: set[dt.date] = field(default_factory=set)
    owed: dict[dt.date, int] = field(default_factory=dict)  # past months neither paid nor excused

    @property
    def paid_total(self) -> int:
        return sum(self.paid.values())

    @property
    def owed_total(self) -> int:
        return sum(self.owed.values())


def _amounts_by_month(fund: Fund, months: list[dt.date]) -> dict[dt.date, int]:
    rules = list(ContributionRule.objects.filter(fund=fund).order_by("valid_from"))
    amounts = {}
    for month in months:
        in_force = [rule for rule in rules if rule.valid_from <= month]
        amounts[month] = in_force[-1].monthly_amount if in_force else 0
    return amounts


def savings(
    fund: Fund,
    first: dt.date,
    last: dt.date,
    *,
    today: dt.date | None = None,
    member_ids: set[int] | None = None,
) -> list[MemberSavings]:
    """Each member's savings for the months from ``first`` to ``last``: a month is owed once it
    is over (the current month is still being collected), the member belonged to the unit in it,
    the fund had an amount for it and was open, and the member neither paid nor was excused.
    ``member_ids`` narrows it to some members (a plain member reads their own). Four queries."""
    today = today or timezone.localdate()
    first = first.replace(day=1)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    amounts = _amounts_by_month(fund, months)
    # Who belonged in which month: one query over the span's memberships.
    from lantoa.org.models import Membership

    span_end = add_months(months[-1], 1) - dt.timedelta(days=1) if months else last
    ties = Membership.objects.filter(unit_id=fund.unit_id, valid_from__lte=span_end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    if member_ids is not None:
        ties = ties.filter(member_id__in=member_ids)
    rows: dict[int, MemberSavings] = {}
    belongs: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for member_id, name, starts, ends in ties.values_list(
        "member_id", "member__person__full_name", "valid_from", "valid_to"
    ):
        rows.setdefault(member_id, MemberSavings(member_id, name))
        belongs[member_id].append((starts, ends))
    booked = (
        LedgerEntry.objects.filter(
            fund=fund, kind=EntryKind.CONTRIBUTION, month__range=(first, last), member_id__in=list(rows)
        )
        .filter(reversed_by__isnull=True)
        .values_list("member_id", "month", "amount")
    )
    for member_id, paid_month, amount in booked:
        if member_id in rows:
            rows[member_id].paid[paid_month] = rows[member_id].paid.get(paid_month, 0) + int(amount)
    for exemption in Exemption.objects.filter(
        fund=fund, member_id__in=list(rows), first_month__lte=last
    ).filter(Q(last_month__isnull=True) | Q(last_month__gte=first)):
        rows[exemption.member_id].excused |= {m for m in months if exemption.covers(m)}
    current = today.replace(day=1)
    for member_id, row in rows.items():
        for month in months:
            month_end = add_months(month, 1) - dt.timedelta(days=1)
            in_unit = any(s <= month_end and (e is None or e >= month) for s, e in belongs[member_id])
            due = amounts[month] if fund.open_in_month(month, month_end) else 0
            if month < current and in_unit and due and month not in row.paid and month not in row.excused:
                row.owed[month] = due
    return sorted(rows.values(), key=lambda row: (row.name, row.member_id))


def month_sheet(fund: Fund, month: dt.date) -> tuple[list, set[int], set[int], int]:
    """The collection sheet of a month: the members, who paid, who is excused, the amount."""
    from .services import amount_due, exempt_member_ids, paid_member_ids

    return (
        members_in_month(fund, month),
        paid_member_ids(fund, month),
        exempt_member_ids(fund, month),
        amount_due(fund, month),
    )


def year_totals(fund: Fund, year: int) -> Statement:
    return statement(fund, dt.date(year, 1, 1), dt.date(year, 12, 31), with_entries=False)
