"""Writing ratings: the subject's own assessment, the reviewing body's proposal, the decision of
the body with authority, discipline and what it re-rates, and labels. Each function checks, writes
and audits in one transaction; who may call it is the view's funnel's business.

The checks at the moment of deciding (``check_decision``) are shown before anything is written,
and run again inside ``decide`` under a row lock on the deciding body, so two clerks deciding for
the same grassroots organisation at once cannot both take its last place at the top level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_update, record_updates, snapshot
from lantoa.honours.models import Recognition, RecognitionKind
from lantoa.honours.services import RECORD_LANGUAGE
from lantoa.lib.text import TextProblem, clean_text
from lantoa.lib.vi import format_date, format_int
from lantoa.org.models import CELL_KINDS, PartyMember, Unit
from lantoa.org.queries import memberships_on

from . import rules as rating_rules
from .models import (
    AwardToReview,
    Discipline,
    LabelKind,
    Level,
    Rating,
    RatingRuleSet,
    RatingStatus,
    SubjectKind,
    UnitLabel,
)

RATING_FIELDS = (
    "status",
    "self_level",
    "self_score",
    "self_on",
    "self_note",
    "proposed_level",
    "proposed_score",
    "proposed_on",
    "proposed_by",
    "proposal_votes",
    "level",
    "score",
    "decided_on",
    "decided_by",
    "document",
    "rules",
    "quota_override",
    "rerated_from",
    "rerated_on",
    "rerated_reason",
)
DISCIPLINE_FIELDS = ("member", "form", "year", "decided_on", "decided_by", "document", "reason")
# What a decision writes on each line.
DECIDED_FIELDS = (
    "level",
    "score",
    "decided_on",
    "decided_by",
    "document",
    "rules",
    "status",
    "quota_override",
)
LABEL_FIELDS = ("unit", "kind", "year", "granted_on", "granted_by", "document")


def _clean(field_name: str, value: str, *, multiline: bool = False) -> str:
    try:
        return clean_text(value, multiline=multiline)
    except TextProblem as problem:
        raise ValidationError({field_name: str(problem)}) from problem


def _check_day(day: dt.date, year: int, what: str) -> None:
    """An act on a year's rating happens in that year or the next, and not after today."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(_("%(what)s cannot be dated after today.") % {"what": what})
    if not year <= day.year <= year + 1:
        raise ValidationError(
            _("%(what)s for %(year)d must be dated in %(year)d or %(next)d.")
            % {"what": what, "year": year, "next": year + 1}
        )


# ---------------------------------------------------------------------------------------------
# Opening a rating: where it is kept and who decides it
# ---------------------------------------------------------------------------------------------


OPENING_FIELDS = ("year", "subject_kind", "member", "subject_unit", "unit", "quota_unit")


def _check_year(year: int, today: dt.date) -> None:
    if year > today.year:
        raise ValidationError(_("%(year)d has not come yet.") % {"year": year})


def open_member_rating(
    *, member: PartyMember, year: int, today: dt.date | None = None, actor: Any = None
) -> Rating:
    """The member's rating for ``year`` (made on first use), kept in their cell of the year's
    reference day and decided by that cell's grassroots organisation."""
    found = Rating.objects.filter(member=member, year=year).first()
    if found is not None:
        return found
    today = today or timezone.localdate()
    _check_year(year, today)
    day = rating_rules.reference_day(year, today)
    cell = rating_rules.cell_of(member, day)
    if cell is None:
        raise ValidationError(
            _("%(name)s belonged to no cell on %(date)s.")
            % {"name": member.person.full_name, "date": format_date(day)}
        )
    body = rating_rules.deciding_body(SubjectKind.MEMBER, cell, day)
    if body is None:
        raise ValidationError(_("%(unit)s has no grassroots organisation above it.") % {"unit": cell.name})
    rating = Rating.objects.create(
        year=year,
        subject_kind=SubjectKind.MEMBER,
        member=member,
        unit=cell,
        quota_unit=body,
        status=RatingStatus.SELF_ASSESSED,
    )
    record_create(actor=actor, obj=rating, fields=OPENING_FIELDS, unit=cell)
    return rating


def open_unit_rating(
    *,
    unit: Unit,
    year: int,
    subject_kind: str = SubjectKind.ORGANISATION,
    today: dt.date | None = None,
    actor: Any = None,
) -> Rating:
    """A Party organisation's (or its committee's) rating for ``year``."""
    found = Rating.objects.filter(subject_unit=unit, subject_kind=subject_kind, year=year).first()
    if found is not None:
        return found
    today = today or timezone.localdate()
    _check_year(year, today)
    day = rating_rules.reference_day(year, today)
    on = min(day, unit.valid_to or day)  # a unit closed during the year: as it stood on its last day
    if on.year != year or not unit.is_open_on(on):
        raise ValidationError(_("%(unit)s did not exist in %(year)d.") % {"unit": unit.name, "year": year})
    body = rating_rules.deciding_body(subject_kind, unit, on)
    if body is None:
        raise ValidationError(_("No committee above %(unit)s rates it.") % {"unit": unit.name})
    rating = Rating.objects.create(
        year=year,
        subject_kind=subject_kind,
        subject_unit=unit,
        unit=unit,
        quota_unit=body,
        status=RatingStatus.SELF_ASSESSED,
    )
    record_create(actor=actor, obj=rating, fields=OPENING_FIELDS, unit=unit)
    return rating


# ---------------------------------------------------------------------------------------------
# Self-assessment and proposal
# ---------------------------------------------------------------------------------------------


def _level_problem(rules: RatingRuleSet, level: str, score: int | None) -> str | None:
    if level not in rating_rules.allowed_levels(rules):
        return _("“%(level)s” is not a level under %(rules)s.") % {
            "level": Level(level).label if level in Level.values else level,
            "rules": rules.name,
        }
    return rating_rules.score_problem(rules, level, score)


@transaction.atomic
def record_self_assessment(
    *, actor: Any, rating: Rating, level: str, day: dt.date, score: int | None = None, note: str = ""
) -> Rating:
    # Read afresh under a lock: a decision taken since the caller read the row is not overwritten.
    Rating.objects.select_for_update().filter(pk=rating.pk).first()
    rating.refresh_from_db()
    if rating.status == RatingStatus.DECIDED:
        raise ValidationError(_("This rating is decided; its self-assessment is closed."))
    _check_day(day, rating.year, _("A self-assessment"))
    problem = _level_problem(rating_rules.rules_on(day), level, score)
    if problem:
        raise ValidationError({"self_level": problem})
    before = snapshot(rating, RATING_FIELDS)
    rating.self_level, rating.self_score, rating.self_on = level, score, day
    rating.self_note = _clean("self_note", note, multiline=True)
    rating.save()
    record_update(actor=actor, obj=rating, before=before, fields=RATING_FIELDS, unit=rating.unit_id)
    return rating


@dataclass
class Entry:
    """One line of a proposal or a decision: a rating, the level put on it, and its points."""

    rating: Rating
    level: str
    score: int | None = None


def _read_lines(pks: list[int]) -> dict[int, Rating]:
    """The lines of a proposal or a decision, read afresh with what their audit entries show."""
    return {
        r.pk: r
        for r in Rating.objects.select_related(
            "member__person", "subject_unit", "proposed_by", "decided_by", "rules"
        ).filter(pk__in=pks)
    }


@transaction.atomic
def record_proposals(
    *, actor: Any, unit: Unit, entries: Sequence[Entry], day: dt.date, votes: str = ""
) -> list[Rating]:
    """The reviewing body's proposal (for members: the cell's vote at its review meeting). Every
    line is checked before any is written; an error names the person."""
    rules = rating_rules.rules_on(day)
    votes = _clean("proposal_votes", votes)[:100]
    # Read afresh under a lock: a decision taken since the caller read the rows is not overwritten.
    pks = [entry.rating.pk for entry in entries]
    list(Rating.objects.select_for_update().filter(pk__in=pks).values_list("pk", flat=True))
    fresh = _read_lines(pks)
    entries = [Entry(fresh[e.rating.pk], e.level, e.score) for e in entries]
    errors = []
    for entry in entries:
        if entry.rating.unit_id != unit.pk:
            errors.append(
                _("%(name)s is not kept in %(unit)s.")
                % {"name": entry.rating.subject_name, "unit": unit.name}
            )
            continue
        if entry.rating.status == RatingStatus.DECIDED:
            errors.append(_("%(name)s: the rating is already decided.") % {"name": entry.rating.subject_name})
            continue
        _check_day(day, entry.rating.year, _("A proposal"))
        problem = _level_problem(rules, entry.level, entry.score)
        if problem:
            errors.append(f"{entry.rating.subject_name}: {problem}")
    if errors:
        raise ValidationError(errors)
    for entry in entries:
        rating = entry.rating
        before = snapshot(rating, RATING_FIELDS)
        rating.proposed_level, rating.proposed_score = entry.level, entry.score
        rating.proposed_on, rating.proposed_by, rating.proposal_votes = day, unit, votes
        rating.status = RatingStatus.PROPOSED
        rating.save()
        record_update(actor=actor, obj=rating, before=before, fields=RATING_FIELDS, unit=unit.pk)
    return [entry.rating for entry in entries]


# ---------------------------------------------------------------------------------------------
# Deciding: the checks, then the decision
# ---------------------------------------------------------------------------------------------


@dataclass
class QuotaState:
    """The top level against its quota, in one body, year and group of subjects."""

    subject_kind: str
    excellent: int
    good: int
    limit: int | None
    rules: RatingRuleSet

    @property
    def exceeded(self) -> bool:
        return self.limit is not None and self.excellent > self.limit

    @property
    def text(self) -> str:
        if self.limit is None:
            return _("%(rules)s sets no quota.") % {"rules": self.rules.name}
        return _(
            "%(group)s: %(excellent)s at “Completed tasks excellently”; at most %(limit)s "
            "(%(share)s of the %(good)s at “Completed tasks well”)."
        ) % {
            "group": SubjectKind(self.subject_kind).label,
            "excellent": format_int(self.excellent),
            "limit": format_int(self.limit),
            "share": rating_rules.quota_share(self.rules),
            "good": format_int(self.good),
        }


@dataclass
class DecisionCheck:
    """What the body sees before it decides: the quota per group of subjects, and each line's
    problems. ``blocking`` ones refuse the decision; an exceeded quota needs a justification."""

    rules: RatingRuleSet
    quotas: list[QuotaState] = field(default_factory=list)
    blocking: dict[int, list[str]] = field(default_factory=dict)

    @property
    def quota_exceeded(self) -> bool:
        return any(q.exceeded for q in self.quotas)

    @property
    def problems(self) -> list[str]:
        return [problem for lines in self.blocking.values() for problem in lines]


def _disciplined(member_ids: Iterable[int], year: int) -> set[int]:
    return set(
        Discipline.objects.filter(member_id__in=set(member_ids), year=year).values_list(
            "member_id", flat=True
        )
    )


def check_decision(*, body: Unit, year: int, entries: Sequence[Entry], day: dt.date) -> DecisionCheck:
    """The decision's checks, on what is decided already in the body plus these lines."""
    rules = rating_rules.rules_on(day)
    check = DecisionCheck(rules=rules)
    chosen = {entry.rating.pk: entry.level for entry in entries}

    def add(rating: Rating, problem: str) -> None:
        check.blocking.setdefault(rating.pk, []).append(f"{rating.subject_name}: {problem}")

    member_ids = [e.rating.member_id for e in entries if e.rating.member_id is not None]
    disciplined = _disciplined(member_ids, year)
    for entry in entries:
        rating = entry.rating
        if rating.quota_unit_id != body.pk or rating.year != year:
            add(rating, _("not decided by %(body)s for %(year)d.") % {"body": body.name, "year": year})
            continue
        problem = _level_problem(rules, entry.level, entry.score)
        if problem:
            add(rating, problem)
        if rating.member_id in disciplined and entry.level != Level.NOT_DONE:
            add(
                rating,
                _("disciplined for a violation in %(year)d: rated “Did not complete tasks”.")
                % {"year": year},
            )
    # The levels in the body once these lines are applied: what the quota and the organisations'
    # consistency are checked on.
    in_body = list(
        Rating.objects.filter(quota_unit=body, year=year).values_list(
            "pk", "subject_kind", "level", "unit_id", "member_id"
        )
    )
    level_of = {pk: chosen.get(pk, level) for pk, _kind, level, _unit, _member in in_body}
    for entry in entries:
        level_of.setdefault(entry.rating.pk, entry.level)
    kinds = {pk: kind for pk, kind, *_rest in in_body} | {e.rating.pk: e.rating.subject_kind for e in entries}
    for kind in sorted({kinds[pk] for pk in level_of}):
        levels = [level_of[pk] for pk in level_of if kinds[pk] == kind]
        excellent, good = levels.count(Level.EXCELLENT), levels.count(Level.GOOD)
        check.quotas.append(QuotaState(kind, excellent, good, rating_rules.quota_limit(rules, good), rules))
    for entry in entries:
        if entry.rating.subject_kind == SubjectKind.ORGANISATION and entry.level == Level.EXCELLENT:
            for problem in _organisation_problems(entry.rating, rules, chosen):
                add(entry.rating, problem)
    return check


def _organisation_problems(rating: Rating, rules: RatingRuleSet, chosen: dict[int, str]) -> list[str]:
    """A cell at the top level: every member at "Completed tasks" or above, and at least the rule
    set's share at "Completed tasks well" or above. A member's level is the one decided, else the
    one chosen now, else the one proposed."""
    if rules.good_share_numerator is None or not rules.good_share_denominator:
        return []
    unit = rating.subject_unit
    if unit is None or unit.kind not in CELL_KINDS:
        return []
    # Every member of the cell on the year's reference day counts, rated or not.
    day = rating_rules.reference_day(rating.year, timezone.localdate())
    member_ids = [m.member_id for m in memberships_on([unit.pk], min(day, unit.valid_to or day))]
    if not member_ids:
        return [_("the cell has no members in %(year)d.") % {"year": rating.year}]
    by_member = {
        member_id: chosen.get(pk) or level or proposed
        for pk, member_id, level, proposed in Rating.objects.filter(
            member_id__in=member_ids, year=rating.year
        ).values_list("pk", "member_id", "level", "proposed_level")
    }
    levels = [by_member.get(member_id, "") for member_id in member_ids]
    problems = []
    unrated = sum(1 for level in levels if not level)
    if unrated:
        problems.append(
            _("%(count)s members have no rating or proposal yet.") % {"count": format_int(unrated)}
        )
    below = sum(1 for level in levels if level and rating_rules.rank(level) > rating_rules.rank(Level.DONE))
    if below:
        problems.append(
            _("%(count)s members are rated “Did not complete tasks”; the cell cannot be at the top level.")
            % {"count": format_int(below)}
        )
    good_or_better = sum(
        1 for level in levels if level and rating_rules.rank(level) <= rating_rules.rank(Level.GOOD)
    )
    needed = rules.good_share_numerator * len(levels)
    if good_or_better * rules.good_share_denominator < needed:
        problems.append(
            _(
                "%(good)s of %(total)s members at “Completed tasks well” or above; "
                "the top level needs %(share)s%%."
            )
            % {
                "good": format_int(good_or_better),
                "total": format_int(len(levels)),
                "share": format_int(round(100 * rules.good_share_numerator / rules.good_share_denominator)),
            }
        )
    return problems


@transaction.atomic
def decide(
    *,
    actor: Any,
    body: Unit,
    year: int,
    entries: Sequence[Entry],
    day: dt.date,
    document: str,
    quota_override: str = "",
) -> list[Rating]:
    """The body's decision on these lines. Refused whole when a line breaks a rule; when the
    quota is exceeded, only with a recorded justification."""
    if not entries:
        raise ValidationError(_("Choose at least one rating to decide."))
    _check_day(day, year, _("A decision"))
    document = _clean("document", document)[:200]
    if not document:
        raise ValidationError({"document": _("Give the decision's document (number and date).")})
    quota_override = _clean("quota_override", quota_override, multiline=True)
    # The lock: a second decision for the same body waits here until this one commits, and then
    # counts what this one decided.
    Unit.objects.select_for_update().filter(pk=body.pk).first()
    fresh = _read_lines([e.rating.pk for e in entries])
    entries = [Entry(fresh[e.rating.pk], e.level, e.score) for e in entries]
    check = check_decision(body=body, year=year, entries=entries, day=day)
    if check.problems:
        raise ValidationError(check.problems)
    if check.quota_exceeded and not quota_override:
        raise ValidationError(
            {
                "quota_override": [q.text for q in check.quotas if q.exceeded]
                + [_("Give the reason to exceed the quota, or lower a rating.")]
            }
        )
    exceeded_kinds = {q.subject_kind for q in check.quotas if q.exceeded}
    changed = []
    for entry in entries:
        rating = entry.rating
        before = snapshot(rating, RATING_FIELDS)
        rating.level, rating.score, rating.decided_on, rating.decided_by = entry.level, entry.score, day, body
        rating.document, rating.rules, rating.status = document, check.rules, RatingStatus.DECIDED
        if entry.level == Level.EXCELLENT and rating.subject_kind in exceeded_kinds:
            rating.quota_override = quota_override
        changed.append((rating, before))
    # A commune decides two thousand lines at once: one update and one insert of audit entries.
    Rating.objects.bulk_update([r for r, _b in changed], DECIDED_FIELDS, batch_size=500)
    record_updates(actor=actor, changed=changed, fields=RATING_FIELDS, unit=body.pk)
    return [entry.rating for entry in entries]


# ---------------------------------------------------------------------------------------------
# Discipline and what it re-rates
# ---------------------------------------------------------------------------------------------


@dataclass
class DisciplineOutcome:
    discipline: Discipline
    rerated: Rating | None
    awards_flagged: list[AwardToReview]


@transaction.atomic
def record_discipline(
    *,
    actor: Any,
    member: PartyMember,
    form: str,
    year: int,
    decided_on: dt.date,
    decided_by: Unit,
    document: str,
    reason: str,
) -> DisciplineOutcome:
    """A discipline for a violation in ``year``. The year's rating, if decided above "Did not
    complete tasks", is re-rated to it (its earlier level kept), and the rewards of that year
    that rested on the rating are flagged for their granting body to review."""
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be after today.")})
    if year > decided_on.year:
        raise ValidationError({"year": _("The violation cannot be in a year after the decision.")})
    document, reason = _clean("document", document)[:200], _clean("reason", reason)[:300]
    if not document:
        raise ValidationError({"document": _("Give the decision's document (number and date).")})
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    discipline = Discipline.objects.create(
        member=member,
        form=form,
        year=year,
        decided_on=decided_on,
        decided_by=decided_by,
        document=document,
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_create(actor=actor, obj=discipline, fields=DISCIPLINE_FIELDS, unit=decided_by)
    # The year's rating, opened if it was not (so the rewards resting on it can be flagged), read
    # under the deciding body's lock: a decision in course waits, then sees the discipline.
    try:
        rating = open_member_rating(member=member, year=year, actor=actor)
    except ValidationError:  # no cell that year: nothing to re-rate
        rating = None
    if rating is not None:
        Unit.objects.select_for_update().filter(pk=rating.quota_unit_id).first()
        rating.refresh_from_db()
    rerated = None
    if rating is not None and rating.status == RatingStatus.DECIDED and rating.level != Level.NOT_DONE:
        before = snapshot(rating, RATING_FIELDS)
        rating.rerated_from, rating.level = rating.level, Level.NOT_DONE
        rating.rerated_on = decided_on
        # Written in Vietnamese whoever types: the record is the Party's.
        with translation.override(RECORD_LANGUAGE):
            rating.rerated_reason = (
                _("%(form)s by %(document)s") % {"form": discipline.get_form_display(), "document": document}
            )[:300]
        rating.save()
        record_update(actor=actor, obj=rating, before=before, fields=RATING_FIELDS, unit=decided_by)
        rerated = rating
    flagged = []
    if rating is not None:
        rewards = Recognition.objects.filter(
            nomination__subject_person_id=member.person_id,
            decision__year=year,
            decision__kind=RecognitionKind.REWARD,
            revoked_on__isnull=True,
        )
        for recognition in rewards:
            flag, created = AwardToReview.objects.get_or_create(
                recognition=recognition,
                rating=rating,
                defaults={"flagged_on": decided_on, "reason": rating.rerated_reason or reason},
            )
            if created:
                record_create(
                    actor=actor,
                    obj=flag,
                    fields=("recognition", "rating", "flagged_on", "reason"),
                    unit=decided_by,
                )
                flagged.append(flag)
    return DisciplineOutcome(discipline, rerated, flagged)


# ---------------------------------------------------------------------------------------------
# Labels ("Trong sạch, vững mạnh toàn diện" ...)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def grant_labels(
    *,
    actor: Any,
    body: Unit,
    kind: LabelKind,
    year: int,
    units: Sequence[Unit],
    day: dt.date,
    document: str,
) -> list[UnitLabel]:
    """The body grants ``kind`` to these units for ``year``. The label must be in force on the
    day; where it needs the year's rating, each unit must hold that rating, decided."""
    _check_day(day, year, _("A label"))
    if not (kind.valid_from <= day and (kind.valid_to is None or day <= kind.valid_to)):
        raise ValidationError(
            _("“%(label)s” is not granted on %(date)s.") % {"label": kind.name, "date": format_date(day)}
        )
    document = _clean("document", document)[:200]
    errors = []
    if kind.requires_level:
        rated = set(
            Rating.objects.filter(
                subject_unit__in=units,
                subject_kind=SubjectKind.ORGANISATION,
                year=year,
                status=RatingStatus.DECIDED,
                level=kind.requires_level,
            ).values_list("subject_unit_id", flat=True)
        )
        for unit in units:
            if unit.pk not in rated:
                errors.append(
                    _("%(unit)s is not rated “%(level)s” for %(year)d.")
                    % {"unit": unit.name, "level": Level(kind.requires_level).label, "year": year}
                )
    taken = set(
        UnitLabel.objects.filter(kind=kind, year=year, unit__in=units).values_list("unit_id", flat=True)
    )
    errors += [
        _("%(unit)s already holds “%(label)s” for %(year)d.")
        % {"unit": u.name, "label": kind.name, "year": year}
        for u in units
        if u.pk in taken
    ]
    if errors:
        raise ValidationError(errors)
    labels = []
    for unit in units:
        label = UnitLabel.objects.create(
            unit=unit, kind=kind, year=year, granted_on=day, granted_by=body, document=document
        )
        record_create(actor=actor, obj=label, fields=LABEL_FIELDS, unit=body)
        labels.append(label)
    return labels


def labels_in_force(day: dt.date) -> list[LabelKind]:
    return list(
        LabelKind.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )
