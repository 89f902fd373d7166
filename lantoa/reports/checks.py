"""What to look at before a report goes out: figures the records cannot support.

Each check counts in the database and names a few examples, so the staff can open the records
and put them right (or explain them in the report):

- actuals exceeding what can exist: more meetings held than a cell's months, a term target's
  actual above the cells that exist, an attendance rate above 100%;
- nominations never decided: their period ended within the report's, and they were never voted
  on, or were proposed upward and never decided there;
- meetings whose minutes are still a draft (held, never approved);
- records dated outside their unit's life: a meeting or a decision of a unit on a day it did not
  exist is counted nowhere;
- rewards that need a rating: a Party periodic reward needs its member rated "Hoàn thành xuất sắc
  nhiệm vụ" that year (Quy định 366 and the rules before it), and the rating is missing or lower.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from lantoa.cells.models import Meeting, MeetingStatus
from lantoa.honours.models import Decision, Nomination, NominationStatus, Recognition, RecognitionKind
from lantoa.lib.lookups import Many
from lantoa.lib.vi import format_date, format_int
from lantoa.ratings.models import Level, Rating, RatingStatus, SubjectKind

from .compute import Report, format_value
from .statistics import Context

EXAMPLES = 5
# Never voted on, or proposed upward and never decided there (a pass at the vote is an outcome).
UNDECIDED = (NominationStatus.NOMINATED, NominationStatus.FORWARDED)


@dataclass
class Warning:
    code: str
    message: str
    count: int
    examples: list[str] = field(default_factory=list)


def _exceeding(report: Report) -> list[Warning]:
    found = []
    pairs = (
        ("meetings.regular.held", "meetings.regular.expected"),
        ("meetings.thematic.held", "meetings.thematic.expected"),
    )
    values = {line.id: line for line in report.lines()}
    for held, expected in pairs:
        if held in values and expected in values:
            done, due = values[held].value or 0, values[expected].value or 0
            if done > due:
                found.append(
                    Warning(
                        "exceeds",
                        _("%(figure)s: %(done)s, more than the %(due)s there can be.")
                        % {
                            "figure": values[held].label,
                            "done": format_int(int(done)),
                            "due": format_int(int(due)),
                        },
                        int(done) - int(due),
                    )
                )
    rate = values.get("meetings.attendance_rate")
    if rate is not None and rate.value is not None and rate.value > Decimal(100):
        found.append(Warning("exceeds", _("The attendance rate is above 100%."), 1))
    for line in report.lines():
        possible = line.figure.possible
        if possible is not None and line.value is not None and line.value > possible:
            found.append(
                Warning(
                    "exceeds",
                    _("%(figure)s: %(actual)s, more than the %(possible)s there can be.")
                    % {
                        "figure": line.label,
                        "actual": format_value(line.value, line.figure.statistic.measure),
                        "possible": format_value(possible, line.figure.statistic.measure),
                    },
                    1,
                )
            )
    return found


def _undecided(ctx: Context) -> Warning | None:
    open_ones = Nomination.objects.filter(
        ctx.tree.during("unit_id", "period_end"), period_end__range=(ctx.start, ctx.end), status__in=UNDECIDED
    )
    count = open_ones.count()
    if not count:
        return None
    examples = [
        f"{n.subject_label} ({n.unit.name}, {format_date(n.period_end)})"
        for n in open_ones.select_related("unit", "subject_person").order_by("period_end", "pk")[:EXAMPLES]
    ]
    return Warning(
        "undecided",
        _("%(count)s nominations were never voted on, or were proposed upward and never decided.")
        % {"count": format_int(count)},
        count,
        examples,
    )


def _draft_minutes(ctx: Context) -> Warning | None:
    drafts = Meeting.objects.filter(
        ctx.tree.during("unit_id", "date"),
        date__range=(ctx.start, ctx.end),
        status=MeetingStatus.HELD,
    )
    count = drafts.count()
    if not count:
        return None
    examples = [
        f"{m.unit.name}, {format_date(m.date)}"
        for m in drafts.select_related("unit").order_by("date", "pk")[:EXAMPLES]
    ]
    return Warning(
        "draft_minutes",
        _("%(count)s meetings held have minutes still in draft (never approved).")
        % {"count": format_int(count)},
        count,
        examples,
    )


def _outside_life(ctx: Context) -> Warning | None:
    unit_ids = sorted(ctx.tree.unit_ids())
    outside = Q(day__lt=F("unit__valid_from")) | Q(unit__valid_to__isnull=False, day__gt=F("unit__valid_to"))
    meetings = (
        Meeting.objects.filter(unit_id__any_of=Many(unit_ids), date__range=(ctx.start, ctx.end))
        .annotate(day=F("date"))
        .filter(outside)
    )
    decisions = (
        Decision.objects.filter(unit_id__any_of=Many(unit_ids), decided_on__range=(ctx.start, ctx.end))
        .annotate(day=F("decided_on"))
        .filter(outside)
    )
    count = meetings.count() + decisions.count()
    if not count:
        return None
    examples = [f"{m.unit.name}: {format_date(m.date)}" for m in meetings.select_related("unit")[:EXAMPLES]]
    examples += [
        f"{d.unit.name}: {format_date(d.decided_on)}" for d in decisions.select_related("unit")[:EXAMPLES]
    ]
    return Warning(
        "outside_life",
        _(
            "%(count)s meetings or decisions are dated on a day their unit did not exist; "
            "they are counted nowhere."
        )
        % {"count": format_int(count)},
        count,
        examples[:EXAMPLES],
    )


def _rewards_without_rating(ctx: Context) -> Warning | None:
    excellent = Rating.objects.filter(
        member=OuterRef("nomination__subject_person__party_member"),
        year=OuterRef("decision__year"),
        subject_kind=SubjectKind.MEMBER,
        status=RatingStatus.DECIDED,
        level=Level.EXCELLENT,
    )
    rewards = (
        Recognition.objects.filter(
            ctx.tree.during("decision__unit_id", "decision__decided_on"),
            decision__decided_on__range=(ctx.start, ctx.end),
            decision__kind=RecognitionKind.REWARD,
            decision__periodic=True,
            revoked_on__isnull=True,
            nomination__subject_person__party_member__isnull=False,
        )
        .exclude(Exists(excellent))
        .select_related("decision")
    )
    count = rewards.count()
    if not count:
        return None
    examples = [
        f"{r.subject_label} ({r.decision.year})"
        for r in rewards.order_by("decision__decided_on", "pk")[:EXAMPLES]
    ]
    return Warning(
        "reward_needs_rating",
        _(
            "%(count)s periodic rewards of members lack the year's rating “Completed tasks excellently” "
            "that they need."
        )
        % {"count": format_int(count)},
        count,
        examples,
    )


def data_warnings(report: Report, today: dt.date) -> list[Warning]:
    """Every check for the report's unit and period (a fixed number of queries)."""
    ctx = Context(report.unit, report.period, today)
    found = _exceeding(report)
    for check in (_undecided, _draft_minutes, _outside_life, _rewards_without_rating):
        warning = check(ctx)
        if warning is not None:
            found.append(warning)
    return found
