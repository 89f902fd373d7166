"""The programme's own records: plans filed on time, members' commitments, good practices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.documents.models import Commitment, Filing, Obligation
from lantoa.documents.queries import Status, obligated_units
from lantoa.honours.models import GoodPractice, Replication
from lantoa.lib.vi import format_date
from lantoa.org.models import PartyMember, Unit

from .base import Column, Context, Family, Figure, Records, Statistic


def _obligations(ctx: Context) -> QuerySet[Obligation]:
    """Obligations set by the root or a unit under it, due within the period."""
    return Obligation.objects.filter(
        ctx.tree.during("unit_id", "deadline"), deadline__range=(ctx.start, ctx.end)
    )


def _filings(ctx: Context, on_time: bool) -> QuerySet[Filing]:
    filed = Filing.objects.filter(obligation__in=_obligations(ctx))
    return (
        filed.filter(filed_on__lte=F("obligation__deadline"))
        if on_time
        else filed.filter(filed_on__gt=F("obligation__deadline"))
    )


FILING_COLUMNS = [
    Column(_("Obligation"), lambda f: f.obligation.title),
    Column(_("Deadline"), lambda f: format_date(f.obligation.deadline)),
    Column(_("Unit"), lambda f: f.unit.name),
    Column(_("Filed on"), lambda f: format_date(f.filed_on)),
    Column(_("Document"), lambda f: f.document.symbol),
]


class PlansFamily(Family):
    key = "plans"
    title = _("Plans and reports filed")
    statistics = (
        Statistic("plans.obligations", _("Obligations to file due")),
        Statistic("plans.due", _("Filings due from the units")),
        Statistic("plans.on_time", _("Filed on time")),
        Statistic("plans.late", _("Filed late")),
        Statistic("plans.missing", _("Not filed after the deadline")),
    )

    def compute(self, ctx: Context) -> list[Figure]:
        obligations = list(_obligations(ctx))
        due = obligated_units(obligations)
        filed = _filed_units(obligations)
        values = {
            "plans.obligations": len(obligations),
            "plans.due": sum(len(units) for units in due.values()),
            "plans.on_time": _filings(ctx, on_time=True).count(),
            "plans.late": _filings(ctx, on_time=False).count(),
            "plans.missing": sum(
                len(due[o.pk] - filed.get(o.pk, set())) for o in obligations if o.deadline < ctx.today
            ),
        }
        return [Figure(s, values[s.id]) for s in self.statistics]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id == "plans.obligations":
            return Records(
                _obligations(ctx).select_related("unit").order_by("deadline", "pk"),
                [
                    Column(_("Obligation"), lambda o: o.title),
                    Column(_("Set by"), lambda o: o.unit.name),
                    Column(_("Deadline"), lambda o: format_date(o.deadline)),
                ],
            )
        if statistic_id in ("plans.on_time", "plans.late"):
            filed = _filings(ctx, on_time=statistic_id == "plans.on_time")
            return Records(
                filed.select_related("obligation", "unit", "document").order_by(
                    "obligation__deadline", "unit__search_text", "pk"
                ),
                FILING_COLUMNS,
            )
        if statistic_id in ("plans.due", "plans.missing"):
            rows = _due_filings(ctx)
            if statistic_id == "plans.missing":
                rows = [row for row in rows if row.status == Status.MISSING]
            return Records(rows, DUE_COLUMNS)
        return None


@dataclass(frozen=True)
class DueFiling:
    """A unit that must file for an obligation, and what it did."""

    obligation: Obligation
    unit: Unit
    filing: Filing | None
    status: str


STATUS_TEXT = {
    Status.ON_TIME: _("filed on time"),
    Status.LATE: _("filed late"),
    Status.MISSING: _("not filed, overdue"),
    Status.PENDING: _("not filed yet"),
}

DUE_COLUMNS = [
    Column(_("Obligation"), lambda r: r.obligation.title),
    Column(_("Deadline"), lambda r: format_date(r.obligation.deadline)),
    Column(_("Unit"), lambda r: r.unit.name),
    Column(_("Status"), lambda r: str(STATUS_TEXT[r.status])),
    Column(_("Filed on"), lambda r: format_date(r.filing.filed_on) if r.filing else ""),
]


def _filed_units(obligations: list[Obligation]) -> dict[int, set[int]]:
    filed: dict[int, set[int]] = {}
    rows = Filing.objects.filter(obligation__in=[o.pk for o in obligations]).values_list(
        "obligation_id", "unit_id"
    )
    for obligation_id, unit_id in rows:
        filed.setdefault(obligation_id, set()).add(unit_id)
    return filed


def _due_filings(ctx: Context) -> list[DueFiling]:
    """Every (obligation, unit that must file) of the period with its state, by deadline and unit
    name: the list behind "filings due" and "not filed". Four queries whatever the size."""
    obligations = list(_obligations(ctx).order_by("deadline", "pk"))
    due = obligated_units(obligations)
    units = Unit.objects.in_bulk(sorted(set().union(*due.values())) if due else [])
    filings = {
        (filing.obligation_id, filing.unit_id): filing
        for filing in Filing.objects.filter(obligation__in=[o.pk for o in obligations]).order_by(
            "filed_on", "pk"
        )
    }
    rows = []
    for obligation in obligations:
        for unit in sorted(
            (units[pk] for pk in due[obligation.pk]), key=lambda u: (u.search_text, u.name, u.pk)
        ):
            filing = filings.get((obligation.pk, unit.pk))
            if filing is not None:
                status = Status.ON_TIME if filing.filed_on <= obligation.deadline else Status.LATE
            else:
                status = Status.PENDING if ctx.today <= obligation.deadline else Status.MISSING
            rows.append(DueFiling(obligation, unit, filing, status))
    return rows


def _commitments(ctx: Context) -> QuerySet[Commitment]:
    """Commitments registered in the period by members whose cell was under the root that day."""
    return Commitment.objects.filter(
        ctx.tree.during("member__memberships__unit_id", "registered_on"),
        Q(member__memberships__valid_from__lte=F("registered_on")),
        Q(member__memberships__valid_to__isnull=True)
        | Q(member__memberships__valid_to__gte=F("registered_on")),
        registered_on__range=(ctx.start, ctx.end),
    )


class CommitmentsFamily(Family):
    key = "commitments"
    title = _("Members' commitments")
    statistics = (
        Statistic("commitments.members", _("Members who registered a commitment")),
        Statistic("commitments.registered", _("Commitments registered")),
        Statistic("commitments.done", _("Commitments done")),
    )

    def compute(self, ctx: Context) -> list[Figure]:
        counted = _commitments(ctx).aggregate(
            members=Count("member_id", distinct=True),
            registered=Count("pk", distinct=True),
            done=Count("pk", filter=Q(done=True), distinct=True),
        )
        members, registered, done = self.statistics
        return [
            Figure(members, counted["members"]),
            Figure(registered, counted["registered"]),
            Figure(done, counted["done"]),
        ]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id == "commitments.members":
            return Records(
                PartyMember.objects.filter(pk__in=_commitments(ctx).values("member_id"))
                .select_related("person")
                .order_by("person__search_text", "pk"),
                [Column(_("Party member"), lambda m: m.person.full_name)],
            )
        if statistic_id not in ("commitments.registered", "commitments.done"):
            return None
        found = _commitments(ctx)
        if statistic_id == "commitments.done":
            found = found.filter(done=True)
        return Records(
            found.select_related("member__person").order_by("registered_on", "pk").distinct(),
            [
                Column(_("Year"), lambda c: str(c.year)),
                Column(_("Party member"), lambda c: c.member.person.full_name),
                Column(_("Commitment"), lambda c: c.text),
                Column(_("Registered on"), lambda c: format_date(c.registered_on)),
            ],
        )


class PracticesFamily(Family):
    key = "practices"
    title = _("Good practices")
    statistics = (
        Statistic("practices.started", _("Good practices started")),
        Statistic("practices.replications", _("Replications of good practices")),
    )

    def _lists(self, ctx: Context) -> dict[str, QuerySet[Any]]:
        return {
            "practices.started": GoodPractice.objects.filter(
                ctx.tree.during("unit_id", "started_on"), started_on__range=(ctx.start, ctx.end)
            ),
            "practices.replications": Replication.objects.filter(
                ctx.tree.during("unit_id", "started_on"), started_on__range=(ctx.start, ctx.end)
            ),
        }

    def compute(self, ctx: Context) -> list[Figure]:
        lists = self._lists(ctx)
        return [Figure(s, lists[s.id].count()) for s in self.statistics]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        lists = self._lists(ctx)
        if statistic_id == "practices.started":
            return Records(
                lists[statistic_id].select_related("unit").order_by("started_on", "pk"),
                [
                    Column(_("Started on"), lambda p: format_date(p.started_on)),
                    Column(_("Good practice"), lambda p: p.title),
                    Column(_("Unit"), lambda p: p.unit.name),
                ],
            )
        if statistic_id == "practices.replications":
            return Records(
                lists[statistic_id].select_related("practice", "unit").order_by("started_on", "pk"),
                [
                    Column(_("Started on"), lambda r: format_date(r.started_on)),
                    Column(_("Good practice"), lambda r: r.practice.title),
                    Column(_("Unit"), lambda r: r.unit.name),
                ],
            )
        return None
