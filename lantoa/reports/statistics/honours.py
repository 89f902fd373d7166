"""Exemplary people: introduced, praised and rewarded, counted as ``honours.counts`` defines
(one subject in one decision; revoked ones left out), and the decisions and certificates."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.honours import counts
from lantoa.honours.models import Certificate, Decision, Recognition, RecognitionKind
from lantoa.lib.vi import format_date

from .base import Column, Context, Family, Figure, Records, Statistic

# (line, level, what the units did): the lines of the seed's sentences.
LINES: tuple[tuple[str, counts.Level, str | None], ...] = (
    ("cells", counts.Level.CELLS, None),
    ("reward", counts.Level.DIRECTLY_UNDER, RecognitionKind.REWARD),
    ("praise", counts.Level.DIRECTLY_UNDER, RecognitionKind.PRAISE),
    ("introduce", counts.Level.DIRECTLY_UNDER, RecognitionKind.INTRODUCE),
    ("own_reward", counts.Level.COMMITTEE, RecognitionKind.REWARD),
    ("own_praise", counts.Level.COMMITTEE, RecognitionKind.PRAISE),
    ("own_introduce", counts.Level.COMMITTEE, RecognitionKind.INTRODUCE),
)
LABELS = {
    ("cells", "collectives"): _(
        "Collectives introduced and praised by the cells under grassroots committees"
    ),
    ("cells", "individuals"): _(
        "Individuals introduced and praised by the cells under grassroots committees"
    ),
    ("reward", "collectives"): _("Collectives rewarded by the units directly under the committee"),
    ("reward", "individuals"): _("Individuals rewarded by the units directly under the committee"),
    ("praise", "collectives"): _("Collectives praised by the units directly under the committee"),
    ("praise", "individuals"): _("Individuals praised by the units directly under the committee"),
    ("introduce", "collectives"): _("Collectives introduced by the units directly under the committee"),
    ("introduce", "individuals"): _("Individuals introduced by the units directly under the committee"),
    ("own_reward", "collectives"): _("Collectives rewarded by the committee itself"),
    ("own_reward", "individuals"): _("Individuals rewarded by the committee itself"),
    ("own_praise", "collectives"): _("Collectives praised by the committee itself"),
    ("own_praise", "individuals"): _("Individuals praised by the committee itself"),
    ("own_introduce", "collectives"): _("Collectives introduced by the committee itself"),
    ("own_introduce", "individuals"): _("Individuals introduced by the committee itself"),
}
SUBJECTS = ("collectives", "individuals")

RECOGNITION_COLUMNS = [
    Column(_("Decided on"), lambda r: format_date(r.decision.decided_on)),
    Column(_("Decision"), lambda r: r.decision.document.symbol if r.decision.document_id else ""),
    Column(_("Granting body"), lambda r: r.decision.unit.name),
    Column(_("Recognised"), lambda r: r.subject_label),
    Column(_("Recognition"), lambda r: r.decision.get_kind_display()),
]


def _line_id(line: str, subjects: str) -> str:
    return f"honours.{line}.{subjects}"


class HonoursFamily(Family):
    key = "honours"
    title = _("Exemplary people")
    statistics = (
        *tuple(
            Statistic(_line_id(line, subjects), LABELS[line, subjects])
            for line, _l, _k in LINES
            for subjects in SUBJECTS
        ),
        Statistic("honours.higher.collectives", _("Collectives recognised by higher levels")),
        Statistic("honours.higher.individuals", _("Individuals recognised by higher levels")),
        Statistic("honours.decisions", _("Decisions to introduce, praise or reward")),
        Statistic("honours.certificates", _("Certificates issued")),
    )

    def _counting(self, ctx: Context) -> counts.Counting:
        if "honours" not in ctx.cache:
            ctx.cache["honours"] = counts.Counting(ctx.root, ctx.start, ctx.end, tree=ctx.tree)
        counting: counts.Counting = ctx.cache["honours"]
        return counting

    def _by_higher_levels(self, ctx: Context) -> QuerySet[Recognition]:
        """Recognitions decided by a body outside the root's tree (a committee above it) of
        nominations put forward by a unit that was under the root on the decision's day: the
        province rewards a cell the district proposed."""
        return (
            Recognition.objects.filter(
                ctx.tree.during("nomination__unit_id", "decision__decided_on"),
                decision__decided_on__range=(ctx.start, ctx.end),
                revoked_on__isnull=True,
            )
            .exclude(ctx.tree.during("decision__unit_id", "decision__decided_on"))
            .order_by("decision__decided_on", "decision_id", "order", "pk")
        )

    def _decisions(self, ctx: Context) -> QuerySet[Decision]:
        return Decision.objects.filter(ctx.tree.during("unit_id", "decided_on"))

    def _certificates(self, ctx: Context) -> QuerySet[Certificate]:
        # A certificate counts when it is issued, by the unit its decision came from: a decision of
        # 31/12 whose certificates are handed over on 2/1 counts them in January's period.
        return Certificate.objects.filter(
            ctx.tree.during("decision__unit_id", "issued_on"), issued_on__range=(ctx.start, ctx.end)
        )

    def compute(self, ctx: Context) -> list[Figure]:
        counting = self._counting(ctx)
        by_cells = counting.by_cells_under_committees()
        by_level = {
            level: counting.by_kind(level) for level in (counts.Level.DIRECTLY_UNDER, counts.Level.COMMITTEE)
        }
        figures = []
        for line, level, kind in LINES:
            figure = by_cells if level == counts.Level.CELLS else by_level[level][str(kind)]
            for subjects in SUBJECTS:
                statistic = self.statistic(_line_id(line, subjects))
                assert statistic is not None
                figures.append(Figure(statistic, getattr(figure, subjects)))
        higher = (
            self._by_higher_levels(ctx)
            .order_by()
            .aggregate(
                collectives=Count("pk", filter=counts.COLLECTIVE),
                individuals=Count("pk", filter=~counts.COLLECTIVE),
            )
        )
        higher_collectives, higher_individuals, decisions, certificates = self.statistics[-4:]
        figures.append(Figure(higher_collectives, higher["collectives"]))
        figures.append(Figure(higher_individuals, higher["individuals"]))
        figures.append(Figure(decisions, self._decisions(ctx).count()))
        figures.append(Figure(certificates, self._certificates(ctx).count()))
        return figures

    def by_form(self, ctx: Context) -> list[tuple[str, int, int]]:
        """The rewards (giấy khen, bằng khen …) decided by the units under the root and the root
        itself in the period, by form: (form, collectives, individuals), most first."""
        rows = (
            Recognition.objects.filter(
                ctx.tree.during("decision__unit_id", "decision__decided_on"),
                decision__decided_on__range=(ctx.start, ctx.end),
                decision__kind=RecognitionKind.REWARD,
                revoked_on__isnull=True,
            )
            .order_by()
            .values("decision__form__name")
            .annotate(
                collectives=Count("pk", filter=counts.COLLECTIVE),
                individuals=Count("pk", filter=~counts.COLLECTIVE),
            )
        )
        found = [(row["decision__form__name"] or "", row["collectives"], row["individuals"]) for row in rows]
        return sorted(found, key=lambda row: (-(row[1] + row[2]), row[0]))

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id in ("honours.higher.collectives", "honours.higher.individuals"):
            collective = (
                counts.COLLECTIVE if statistic_id == "honours.higher.collectives" else ~counts.COLLECTIVE
            )
            return Records(
                self._by_higher_levels(ctx)
                .filter(collective)
                .select_related("decision__unit", "decision__document"),
                RECOGNITION_COLUMNS,
            )
        if statistic_id == "honours.decisions":
            return Records(
                self._decisions(ctx).select_related("unit", "document").order_by("decided_on", "pk"),
                [
                    Column(_("Decided on"), lambda d: format_date(d.decided_on)),
                    Column(_("Decision"), lambda d: d.document.symbol if d.document_id else ""),
                    Column(_("Granting body"), lambda d: d.unit.name),
                    Column(_("Recognition"), lambda d: d.get_kind_display()),
                    Column(_("For"), lambda d: d.reason),
                ],
            )
        if statistic_id == "honours.certificates":
            return Records(
                self._certificates(ctx).order_by("issued_on", "serial", "pk"),
                [
                    Column(_("Issued on"), lambda c: format_date(c.issued_on)),
                    Column(_("Awarded to"), lambda c: c.holder_name),
                    Column(_("Award"), lambda c: c.award),
                    Column(_("Decision"), lambda c: c.decision_number),
                ],
            )
        for line, level, kind in LINES:
            for subjects in SUBJECTS:
                if statistic_id == _line_id(line, subjects):
                    behind = self._counting(ctx).recognitions_behind(
                        level=level, kind=kind, collectives=subjects == "collectives"
                    )
                    return Records(
                        behind.select_related("decision__unit", "decision__document"), RECOGNITION_COLUMNS
                    )
        return None
