"""The organisation as it stood on the period's last day: units by kind, members by status."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.lib.vi import format_date
from lantoa.org.models import CELL_KINDS, Membership, Unit, UnitKind
from lantoa.org.queries import subtree_query, valid_on

from .base import Column, Context, Family, Figure, Records, Statistic

COUNTED_KINDS = (
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.GRASSROOTS,
    UnitKind.GRASSROOTS_CELL,
    UnitKind.SUB_COMMITTEE,
    UnitKind.CELL,
)
KIND_LABELS = {
    UnitKind.DISTRICT: _("District Party committees"),
    UnitKind.COMMUNE: _("Commune Party committees"),
    UnitKind.GRASSROOTS: _("Grassroots Party committees"),
    UnitKind.GRASSROOTS_CELL: _("Grassroots Party cells"),
    UnitKind.SUB_COMMITTEE: _("Party sub-committees"),
    UnitKind.CELL: _("Subordinate Party cells"),
}


class OrganisationFamily(Family):
    key = "organisation"
    title = _("Organisation")
    statistics = (
        *tuple(Statistic(f"organisation.units.{kind}", KIND_LABELS[kind]) for kind in COUNTED_KINDS),
        Statistic("organisation.members", _("Party members")),
        Statistic("organisation.members.probationary", _("Probationary Party members")),
    )

    def _units(self, ctx: Context, kind: str) -> QuerySet[Unit]:
        return Unit.objects.filter(pk__in=subtree_query(ctx.root, ctx.last_day), kind=kind).exclude(
            pk=ctx.root.pk
        )

    def _memberships(self, ctx: Context, probationary: bool = False) -> QuerySet[Membership]:
        day = ctx.last_day
        found = Membership.objects.filter(
            valid_on(day),
            unit_id__in=subtree_query(ctx.root, day),
            unit__kind__in=CELL_KINDS,
            member__admitted_on__lte=day,
        ).filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=day))
        if probationary:
            found = found.filter(Q(member__full_member_on__isnull=True) | Q(member__full_member_on__gt=day))
        return found

    def compute(self, ctx: Context) -> list[Figure]:
        by_kind = dict(
            Unit.objects.filter(pk__in=subtree_query(ctx.root, ctx.last_day), kind__in=COUNTED_KINDS)
            .exclude(pk=ctx.root.pk)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
        figures = [
            Figure(s, by_kind.get(s.id.rsplit(".", 1)[1], 0)) for s in self.statistics[: len(COUNTED_KINDS)]
        ]
        members = self._memberships(ctx).aggregate(
            total=Count("pk"),
            probationary=Count(
                "pk",
                filter=Q(member__full_member_on__isnull=True) | Q(member__full_member_on__gt=ctx.last_day),
            ),
        )
        total, probationary = self.statistics[-2:]
        figures += [Figure(total, members["total"]), Figure(probationary, members["probationary"])]
        return figures

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id.startswith("organisation.units."):
            kind = statistic_id.rsplit(".", 1)[1]
            return Records(
                self._units(ctx, kind).order_by("search_text", "pk"),
                [
                    Column(_("Unit"), lambda u: u.name),
                    Column(_("From"), lambda u: format_date(u.valid_from)),
                ],
            )
        if statistic_id in ("organisation.members", "organisation.members.probationary"):
            memberships = self._memberships(ctx, probationary=statistic_id.endswith("probationary"))
            return Records(
                memberships.select_related("member__person", "unit").order_by(
                    "unit__search_text", "member__person__search_text", "pk"
                ),
                [
                    Column(_("Full name"), lambda m: m.member.person.full_name),
                    Column(_("Cell"), lambda m: m.unit.name),
                    Column(_("Admitted on"), lambda m: format_date(m.member.admitted_on)),
                ],
            )
        return None
