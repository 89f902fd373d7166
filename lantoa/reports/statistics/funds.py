"""Members' savings funds: money saved, given and paid out in the period, the balance at its end,
and the children sponsored, by number only: a report never names a child.

Money moved counts for the root when the fund's unit was under it on the entry's date (a cell
merged in June counts its first half under the district it left); the funds, their balance at
the end and the children are those of the units under the root on the period's last day."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from lantoa.funds.models import Beneficiary, EntryKind, Fund, LedgerEntry
from lantoa.funds.queries import counted_kind
from lantoa.lib.vi import format_date, format_money
from lantoa.org.queries import subtree_query

from .base import Column, Context, Family, Figure, Measure, Records, Statistic, signed_sum

MOVEMENTS = {
    "funds.savings": EntryKind.CONTRIBUTION,
    "funds.donations": EntryKind.DONATION,
    "funds.disbursements": EntryKind.DISBURSEMENT,
}


def _funds(ctx: Context) -> QuerySet[Fund]:
    """The funds of the units under the root on the period's last day, opened by then (the tree
    of that day, as the organisation's figures read it, even where the root closed before)."""
    return Fund.objects.filter(unit_id__in=subtree_query(ctx.root, ctx.last_day), opened_on__lte=ctx.last_day)


def _entries(ctx: Context) -> QuerySet[Any]:  # ledger entries with their "counted_as"
    """The period's entries of the funds whose unit was under the root on the entry's date."""
    return LedgerEntry.objects.filter(
        ctx.tree.during("fund__unit_id", "occurred_on"), occurred_on__range=(ctx.start, ctx.end)
    ).annotate(counted_as=counted_kind())


def _movements(ctx: Context, kind: str) -> QuerySet[Any]:
    return _entries(ctx).filter(counted_as=kind)


def _children(ctx: Context) -> QuerySet[Beneficiary]:
    return Beneficiary.objects.filter(
        Q(sponsored_to__isnull=True) | Q(sponsored_to__gte=ctx.start),
        fund__in=_funds(ctx),
        sponsored_from__lte=ctx.end,
    )


class FundsFamily(Family):
    key = "funds"
    title = _("Savings funds and sponsored children")
    statistics = (
        Statistic("funds.funds", _("Savings funds")),
        Statistic("funds.savings", _("Members' savings"), Measure.MONEY),
        Statistic("funds.donations", _("Donations"), Measure.MONEY),
        Statistic("funds.disbursements", _("Paid to sponsored children"), Measure.MONEY),
        Statistic("funds.balance", _("Balance at the end of the period"), Measure.MONEY),
        Statistic("funds.children", _("Children sponsored")),
    )

    def compute(self, ctx: Context) -> list[Figure]:
        funds = _funds(ctx)
        by_kind = {
            row["counted_as"]: int(row["total"] or 0)
            for row in _entries(ctx).order_by().values("counted_as").annotate(total=Sum("amount"))
        }
        balance = _balance_entries(ctx).aggregate(total=Sum("amount"))["total"]
        values = {
            "funds.funds": funds.count(),
            "funds.savings": by_kind.get(EntryKind.CONTRIBUTION, 0),
            "funds.donations": by_kind.get(EntryKind.DONATION, 0),
            "funds.disbursements": -by_kind.get(EntryKind.DISBURSEMENT, 0),
            "funds.balance": int(balance or 0),
            "funds.children": _children(ctx).count(),
        }
        return [Figure(s, values[s.id], drillable=s.id != "funds.children") for s in self.statistics]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id == "funds.funds":
            return Records(
                _funds(ctx).select_related("unit").order_by("unit__search_text", "pk"),
                [
                    Column(_("Fund"), lambda f: f.name),
                    Column(_("Unit"), lambda f: f.unit.name),
                    Column(_("Opened on"), lambda f: format_date(f.opened_on)),
                ],
            )
        if statistic_id == "funds.balance":
            # Every entry to the last day: savings and gifts in, payments out (with their sign).
            return Records(
                _ledger_order(_balance_entries(ctx)),
                [*ENTRY_COLUMNS[:3], Column(_("Amount"), lambda e: format_money(e.amount)), ENTRY_COLUMNS[4]],
                total=signed_sum("amount"),
                total_label=AMOUNTS_LISTED,
            )
        if statistic_id not in MOVEMENTS:
            return None  # the children are counted, never listed
        return Records(
            _ledger_order(_movements(ctx, MOVEMENTS[statistic_id])),
            ENTRY_COLUMNS,
            total=signed_sum("amount", -1 if statistic_id == "funds.disbursements" else 1),
            total_label=AMOUNTS_LISTED,
        )


def _balance_entries(ctx: Context) -> QuerySet[LedgerEntry]:
    """All the entries, up to the period's last day, of the funds counted on that day."""
    return LedgerEntry.objects.filter(fund__in=_funds(ctx), occurred_on__lte=ctx.last_day)


def _ledger_order(entries: QuerySet[Any]) -> QuerySet[Any]:
    return entries.select_related("fund", "member__person", "beneficiary").order_by(
        "occurred_on", "fund_id", "number"
    )


def _party_of(entry: LedgerEntry) -> str:
    """Who saved, who gave, or the child paid: a child by initials and year of birth only."""
    if entry.beneficiary is not None:
        return entry.beneficiary.masked_label
    if entry.member is not None:
        return str(entry.member.person.full_name)
    return entry.source


AMOUNTS_LISTED = _("total of the amounts listed")
ENTRY_COLUMNS = [
    Column(_("Date"), lambda e: format_date(e.occurred_on)),
    Column(_("Fund"), lambda e: e.fund.name),
    Column(_("Entry"), lambda e: e.get_kind_display()),
    Column(_("Amount"), lambda e: format_money(abs(e.amount))),
    Column(_("From or to"), _party_of),
]
