"""The rating rules of a day, and what follows from them: which levels exist, the points' bands,
the quota on the top level, and who decides (rules-vn §2).

Rule sets are rows (``RatingRuleSet``), chosen by the date of the act they govern: a
self-assessment by its date, a decision by the decision's date. Nothing here asks the year.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.lib.vi import format_date, format_decimal
from lantoa.org.models import PartyMember, Unit, UnitKind
from lantoa.org.queries import current_membership, path_to_root

from .models import LEVEL_ORDER, Level, RatingRuleSet, SubjectKind

# Whose ratings a committee decides (Hướng dẫn 25-HD/BTCTW, 2023): a grassroots committee rates
# its members and the organisations under it; a grassroots organisation is rated by the standing
# committee of the level above (the district until 30/6/2025, the province after).
GRASSROOTS_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL})
ABOVE_GRASSROOTS_KINDS = frozenset({UnitKind.DISTRICT, UnitKind.PROVINCE, UnitKind.CENTRAL})


def rules_on(day: dt.date) -> RatingRuleSet:
    """The rule set in force on ``day``; a Vietnamese error when none is recorded for it."""
    found = (
        RatingRuleSet.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if found is None:
        raise ValidationError(_("No rating rules are recorded for %(date)s.") % {"date": format_date(day)})
    return found


def allowed_levels(rules: RatingRuleSet) -> list[str]:
    return [str(code) for code in rules.levels]


def level_choices(rules: RatingRuleSet) -> list[tuple[str, str]]:
    return [(code, str(Level(code).label)) for code in allowed_levels(rules)]


def rank(level: str) -> int:
    """0 for the top level, 3 for the lowest; the old scale's levels rank beside theirs."""
    if level == Level.CLEAN_STRONG:
        return 0
    if level == Level.WEAK:
        return 3
    return LEVEL_ORDER.index(Level(level))


def level_for_score(rules: RatingRuleSet, score: int) -> str:
    """The highest level the points allow (Quy định 366: 90, 70, 50)."""
    if rules.band_excellent is not None and score >= rules.band_excellent:
        return Level.EXCELLENT
    if rules.band_good is not None and score >= rules.band_good:
        return Level.GOOD
    if rules.band_done is not None and score >= rules.band_done:
        return Level.DONE
    return Level.NOT_DONE


def score_problem(rules: RatingRuleSet, level: str, score: int | None) -> str | None:
    """Under a scored rule set a level needs its points: 85 points cannot be the top level."""
    if not rules.scored:
        return None
    if score is None:
        return _("Under %(rules)s a rating needs its points (0–100).") % {"rules": rules.name}
    maximum = (rules.score_general_max or 0) + (rules.score_tasks_max or 0)
    if not 0 <= score <= maximum:
        return _("Points must be between 0 and %(max)d.") % {"max": maximum}
    allowed = level_for_score(rules, score)
    if rank(level) < rank(allowed):
        return _("%(score)d points allow at most “%(level)s”.") % {
            "score": score,
            "level": Level(allowed).label,
        }
    return None


def quota_limit(rules: RatingRuleSet, good_count: int) -> int | None:
    """How many may be rated at the top level when ``good_count`` are rated at the second:
    30 at the second level allow 6 at 20 %. None when the rule set has no quota."""
    if rules.quota_numerator is None or not rules.quota_denominator:
        return None
    return math.floor(good_count * rules.quota_numerator / rules.quota_denominator)


def quota_share(rules: RatingRuleSet) -> str:
    """The quota as people write it: "20%"."""
    if rules.quota_numerator is None or not rules.quota_denominator:
        return ""
    return f"{format_decimal(Decimal(100 * rules.quota_numerator) / rules.quota_denominator, 0)}%"


def reference_day(year: int, today: dt.date) -> dt.date:
    """The day a year's rating looks at the tree and the cells: its last day, or today while the
    year runs."""
    return min(dt.date(year, 12, 31), today)


def grassroots_of(unit: Unit, day: dt.date) -> Unit | None:
    """The grassroots organisation a unit belongs to on ``day`` (itself when it is one)."""
    for ancestor in reversed(path_to_root(unit, day)):
        if ancestor.kind in GRASSROOTS_KINDS:
            return ancestor
    return None


def deciding_body(subject_kind: str, unit: Unit, day: dt.date) -> Unit | None:
    """Who decides the rating: for a member (``unit`` = the cell) and for an organisation under a
    grassroots committee, that grassroots organisation; for a grassroots organisation, the
    committee above it. The same body's quota counts the top level."""
    path = path_to_root(unit, day)
    if subject_kind != SubjectKind.MEMBER and unit.kind in GRASSROOTS_KINDS:
        above = [u for u in path[:-1] if u.kind in ABOVE_GRASSROOTS_KINDS]
        return above[-1] if above else None
    if subject_kind == SubjectKind.MEMBER:
        return grassroots_of(unit, day)
    ancestors = [u for u in path[:-1] if u.kind in GRASSROOTS_KINDS]
    return ancestors[-1] if ancestors else None


def cell_of(member: PartyMember, day: dt.date) -> Unit | None:
    membership = current_membership(member, day)
    return membership.unit if membership is not None else None
