"""Yearly quality ratings by level, and the term targets against their actuals.

A year's ratings count in a period that holds the year's last day (a review of 18/05/2021–
30/04/2024 counts 2021, 2022 and 2023), for the units under the root on that day. A term target's
actual is read as the targets page reads it (``ratings.targets``), on the period's last day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lantoa.documents.queries import term_on
from lantoa.lib.lookups import Many
from lantoa.lib.vi import format_date
from lantoa.ratings import targets
from lantoa.ratings.models import LEVEL_ORDER, Level, Rating, RatingStatus, SubjectKind, TermTarget

from .base import Column, Context, Family, Figure, Records, Statistic

SUBJECTS = (("members", SubjectKind.MEMBER), ("organisations", SubjectKind.ORGANISATION))
SUBJECT_LABELS = {
    "members": _("Party members rated “%(level)s”"),
    "organisations": _("Party organisations rated “%(level)s”"),
}


class _LevelLabel:
    """ "Party members rated “Completed tasks well”", translated when shown."""

    def __init__(self, subjects: str, level: str) -> None:
        self.subjects, self.level = subjects, level

    def __str__(self) -> str:
        return str(SUBJECT_LABELS[self.subjects]) % {"level": Level(self.level).label}


def years_closing_in(ctx: Context) -> list[int]:
    return [y for y in range(ctx.start.year, ctx.end.year + 1) if ctx.start <= dt.date(y, 12, 31) <= ctx.end]


def _rated(ctx: Context) -> QuerySet[Rating]:
    condition = Q(pk__in=[])
    for year in years_closing_in(ctx):
        condition |= Q(year=year, unit_id__any_of=Many(sorted(ctx.tree.on(dt.date(year, 12, 31)))))
    return Rating.objects.filter(condition, status=RatingStatus.DECIDED)


class RatingsFamily(Family):
    key = "ratings"
    title = _("Quality ratings")
    statistics = tuple(
        Statistic(f"ratings.{subjects}.{level}", _LevelLabel(subjects, level))
        for subjects, _kind in SUBJECTS
        for level in LEVEL_ORDER
    )

    def compute(self, ctx: Context) -> list[Figure]:
        counted = {
            (row["subject_kind"], row["level"]): row["n"]
            for row in _rated(ctx).order_by().values("subject_kind", "level").annotate(n=Count("pk"))
        }
        return [
            Figure(s, counted.get((kind, level), 0))
            for s, (kind, level) in zip(
                self.statistics,
                [(kind, level) for _s, kind in SUBJECTS for level in LEVEL_ORDER],
                strict=True,
            )
        ]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        for subjects, kind in SUBJECTS:
            for level in LEVEL_ORDER:
                if statistic_id == f"ratings.{subjects}.{level}":
                    rated = _rated(ctx).filter(subject_kind=kind, level=level)
                    return Records(
                        rated.select_related("member__person", "subject_unit", "unit").order_by(
                            "year", "unit__search_text", "pk"
                        ),
                        [
                            Column(_("Year"), lambda r: str(r.year)),
                            Column(_("Rated"), _rated_name),
                            Column(_("Cell or unit"), lambda r: r.unit.name),
                        ],
                    )
        return None


def _rated_name(rating: Rating) -> str:
    if rating.member is not None:
        return str(rating.member.person.full_name)
    return rating.subject_unit.name if rating.subject_unit is not None else ""


def _target_id(target: TermTarget, seen: set[str]) -> str:
    base = f"targets.{target.indicator}"
    found, n = base, 1
    while found in seen:
        n += 1
        found = f"{base}.{n}"
    seen.add(found)
    return found


class TargetsFamily(Family):
    """The term resolution's targets of the root's term on the period's last day."""

    key = "targets"
    title = _("Term targets")

    def _targets(self, ctx: Context) -> list[tuple[str, TermTarget]]:
        if "targets" not in ctx.cache:
            term = term_on(ctx.root, ctx.last_day)
            found: list[tuple[str, TermTarget]] = []
            if term is not None:
                seen: set[str] = set()
                for target in TermTarget.objects.filter(term=term).select_related("term__unit", "label"):
                    found.append((_target_id(target, seen), target))
            ctx.cache["targets"] = found
        targets_found: list[tuple[str, TermTarget]] = ctx.cache["targets"]
        return targets_found

    def owns(self, statistic_id: str) -> bool:
        return statistic_id.startswith("targets.")

    def compute(self, ctx: Context) -> list[Figure]:
        figures = []
        for statistic_id, target in self._targets(ctx):
            row = targets.target_rows([target], ctx.last_day)[0]
            figures.append(
                Figure(
                    Statistic(statistic_id, target.text),
                    row.term.value,
                    target=target.target,
                    achievement=row.achievement,
                    drillable=row.term.drillable,
                    possible=row.term.possible,
                    unit_of_measure=target.measure.strip(),
                )
            )
        return figures

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        for found_id, target in self._targets(ctx):
            if found_id != statistic_id:
                continue
            row = targets.target_rows([target], ctx.last_day)[0]
            known = [year for year, actual in row.years if actual.value is not None]
            if not known:
                return None
            return Records(
                targets.units_behind(target, known[-1], ctx.last_day),
                [Column(_("Cell"), lambda u: u.name), Column(_("From"), lambda u: format_date(u.valid_from))],
            )
        return None
