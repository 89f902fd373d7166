"""Writing nominations and votes. Each function checks, writes and audits in one transaction;
who may call it is the view's funnel's business (as for meetings).

A round's life: ``prepare_round`` (an agenda item of a held meeting, with its nominees) →
``open_round`` (the voters are frozen: the full members present by the attendance) →
``record_tally`` for each nominee (and ``record_slips`` for a secret ballot) → ``close_round``
(results computed by ``tally.outcome``, frozen, each nomination marked passed or not) →
``publish_round`` (members read the results).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.audit.models import AuditAction
from lantoa.audit.services import build_entry, record_create, record_update, snapshot
from lantoa.cells.models import AgendaKind, Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.services.meetings import add_agenda_item
from lantoa.documents.models import Campaign, Commitment, Theme
from lantoa.documents.services import Issuer, check_upload, issue_document
from lantoa.lib.text import TextProblem, clean_text, fold
from lantoa.lib.vi import format_date, format_int, format_month_in_text, format_percent
from lantoa.org.models import CELL_KINDS, Person, PositionTitle, Unit
from lantoa.org.queries import path_to_root, positions_on

from . import tally
from .models import (
    GoodPractice,
    Nomination,
    NominationEvidence,
    NominationStatus,
    NominationStep,
    PeriodKind,
    PracticeKind,
    Proposal,
    Replication,
    RoundNominee,
    RoundStatus,
    RoundVoter,
    VoteBody,
    VoteMethod,
    VoteRuleSet,
    VotingRound,
)
from .queries import outcome_of

# Text the services write into the records (titles, timeline notes, summaries) is Vietnamese,
# whatever language the person at the keyboard reads: the records are the Party's.
RECORD_LANGUAGE = "vi"
ACHIEVEMENTS_MAX = 5000

NOMINATION_FIELDS = (
    "unit",
    "holder",
    "subject_person",
    "subject_unit",
    "subject_name",
    "period_kind",
    "period_start",
    "period_end",
    "theme",
    "campaign",
    "achievements",
    "status",
    "nominated_on",
)
ROUND_FIELDS = ("status", "method", "body_size", "slips_issued", "slips_returned", "slips_valid")
TALLY_FIELDS = ("recused", "votes_for", "votes_against", "votes_abstain", "percent", "passed")
# Who stands aside from the body's size: exempt from activity, or attending another cell for now.
NOT_IN_BODY = (AttendanceStatus.EXEMPT, AttendanceStatus.ELSEWHERE)


def clean_field(field: str, value: str, *, multiline: bool = False) -> str:
    try:
        return clean_text(value, multiline=multiline)
    except TextProblem as problem:
        raise ValidationError({field: str(problem)}) from problem


def add_step(nomination: Nomination, *, day: dt.date, unit: Unit, note: str = "") -> None:
    NominationStep.objects.create(
        nomination=nomination, day=day, unit=unit, status=nomination.status, note=note[:300]
    )


# ---------------------------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def nominate(
    *,
    actor: Any,
    unit: Unit,
    achievements: str,
    period_kind: str,
    period_start: dt.date,
    period_end: dt.date,
    subject_person: Person | None = None,
    subject_unit: Unit | None = None,
    subject_name: str = "",
    theme: Theme | None = None,
    campaign: Campaign | None = None,
    commitments: Iterable[Commitment] = (),
    nominated_on: dt.date | None = None,
) -> Nomination:
    """``unit`` puts forward one subject for a period. Side effects: the first step of its
    timeline; one audit entry."""
    subject_name = clean_field("subject_name", subject_name)
    achievements = clean_field("achievements", achievements, multiline=True)
    errors: dict[str, str] = {}
    subjects = sum(1 for given in (subject_person, subject_unit, subject_name) if given)
    if subjects != 1:
        errors["subject_person"] = _("Name one subject: a person, a Party unit, or a collective by name.")
    if not achievements:
        errors["achievements"] = _("Say what the achievements are.")
    elif len(achievements) > ACHIEVEMENTS_MAX:
        errors["achievements"] = _("Keep the achievements to %(max)s characters: a council reads them.") % {
            "max": format_int(ACHIEVEMENTS_MAX)
        }
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose the period.")
    if errors:
        raise ValidationError(errors)
    nomination = Nomination.objects.create(
        unit=unit,
        holder=unit,
        subject_person=subject_person,
        subject_unit=subject_unit,
        subject_name=subject_name,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
        theme=theme,
        campaign=campaign,
        achievements=achievements,
        nominated_on=nominated_on or timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    nomination.commitments.set(commitments)
    add_step(nomination, day=nomination.nominated_on, unit=unit)
    record_create(actor=actor, obj=nomination, fields=NOMINATION_FIELDS, unit=unit)
    return nomination


@transaction.atomic
def add_evidence(
    *, actor: Any, nomination: Nomination, uploaded: UploadedFile, dated: dt.date | None = None
) -> NominationEvidence:
    """A file that backs the achievements (a photo, a certificate, a report): the register's
    upload rules (PDF, Word, Excel or a photo, at most 20 MB). One audit entry."""
    check_upload(uploaded)
    evidence = NominationEvidence(
        nomination=nomination, original_name=PurePath(uploaded.name or "file").name[:255], dated=dated
    )
    evidence.file.save(evidence.original_name, uploaded, save=False)
    evidence.save()
    record_create(actor=actor, obj=evidence, fields=("original_name", "dated"), unit=nomination.unit_id)
    return evidence


def commitment_choices(nomination: Nomination) -> list[Commitment]:
    """The commitments a nomination may cite: its person's own, registered for the years of its
    period (a collective registers none)."""
    if nomination.subject_person_id is None:
        return []
    return list(
        Commitment.objects.filter(
            member__person_id=nomination.subject_person_id,
            year__range=(nomination.period_start.year, nomination.period_end.year),
        ).order_by("year", "position", "pk")
    )


@transaction.atomic
def link_commitments(*, actor: Any, nomination: Nomination, commitments: Iterable[Commitment]) -> Nomination:
    """The commitments the achievements answer to (làm theo Bác: what the member promised and
    kept), which a council reads beside the achievements. Only the person's own, of the period's
    years (``commitment_choices``); refused whole otherwise. One audit entry when it changed."""
    chosen = {c.pk for c in commitments}
    allowed = {c.pk: c for c in commitment_choices(nomination)}
    if chosen - set(allowed):
        raise ValidationError(
            {
                "commitments": _("Only the commitments %(name)s registered for %(years)s can be cited.")
                % {
                    "name": nomination.subject_label,
                    # "2026", or "2025–2026" for a period across a year's end
                    "years": "–".join(
                        dict.fromkeys(str(d.year) for d in (nomination.period_start, nomination.period_end))
                    ),
                }
            }
        )
    before = sorted(str(c) for c in nomination.commitments.all())
    nomination.commitments.set([allowed[pk] for pk in chosen])
    after = sorted(str(allowed[pk]) for pk in chosen)
    if before != after:
        build_entry(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=nomination,
            unit=nomination.unit_id,
            changes={"commitments": [before, after]},
        ).save()
    return nomination


@transaction.atomic
def withdraw_nomination(*, actor: Any, nomination: Nomination, reason: str) -> Nomination:
    """Take a nomination back before it is decided; the reason stays on its timeline."""
    reason = clean_field("reason", reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the nomination is withdrawn.")})
    if nomination.status in (NominationStatus.RECOGNISED, NominationStatus.WITHDRAWN):
        raise ValidationError(
            _("This nomination is already %(status)s.") % {"status": nomination.get_status_display().lower()}
        )
    # A vote's "not passed" is the cell's record: withdrawing would hide it behind "withdrawn".
    if nomination.status == NominationStatus.NOT_PASSED:
        raise ValidationError(_("This nomination was not passed by the vote: it stays as voted."))
    if RoundNominee.objects.filter(
        nomination=nomination, round__status__in=[RoundStatus.PREPARED, RoundStatus.OPEN]
    ).exists():
        raise ValidationError(_("A vote on this nomination is prepared or open: close it first."))
    before = snapshot(nomination, NOMINATION_FIELDS)
    nomination.status = NominationStatus.WITHDRAWN
    nomination.save(update_fields=["status"])
    add_step(nomination, day=timezone.localdate(), unit=nomination.unit, note=reason)
    record_update(
        actor=actor,
        obj=nomination,
        before=before,
        fields=NOMINATION_FIELDS,
        unit=nomination.unit_id,
        note=reason,
    )
    return nomination


# ---------------------------------------------------------------------------------------------
# Voting rounds
# ---------------------------------------------------------------------------------------------


def body_of(meeting: Meeting) -> str:
    if meeting.kind == MeetingKind.COUNCIL:
        return VoteBody.COUNCIL
    return VoteBody.CELL if meeting.unit.is_cell else VoteBody.COMMITTEE


def rules_in_force(body: str, day: dt.date) -> list[VoteRuleSet]:
    """The rule sets in force for ``body`` on ``day``, the newest first: the default, then those
    a vote may be held under instead (a council votes on a provincial title by 90 %)."""
    return list(
        VoteRuleSet.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), body=body, valid_from__lte=day
        ).order_by("-valid_from", "id")
    )


def rules_for(body: str, day: dt.date) -> VoteRuleSet:
    """The rule set in force for ``body`` on ``day`` (the newest that started by then)."""
    found = next(iter(rules_in_force(body, day)), None)
    if found is None:
        raise ValidationError(
            _("No voting rules for a %(body)s on %(day)s: an administrator adds them.")
            % {"body": VoteBody(body).label.lower(), "day": format_date(day)}
        )
    return found


def round_title(meeting: Meeting, nominations: Sequence[Nomination] = ()) -> str:
    """The agenda item's title: "Bình xét gương điển hình tháng 11/2026" (part of the minutes); at
    a council's session, "Bình xét danh sách trình Hội đồng năm 2025" (the year of the list)."""
    with translation.override(RECORD_LANGUAGE):
        if meeting.kind == MeetingKind.COUNCIL:
            year = max((n.period_start.year for n in nominations), default=meeting.date.year)
            return _("Review of the council's list for %(year)s") % {"year": year}
        return _("Review of exemplary examples, month %(month)s") % {
            "month": format_month_in_text(meeting.period)
        }


def nominations_awaiting_vote(meeting: Meeting) -> list[Nomination]:
    """Nominations before the meeting's unit not yet voted on there: its own, and those proposed
    to it from below. At a council session: the subjects standing on the unit's year-end list
    (this year's, or last year's early in the year) that no council session has voted on yet."""
    if meeting.kind == MeetingKind.COUNCIL:
        years = (meeting.date.year, meeting.date.year - 1)
        waiting = Nomination.objects.filter(
            council_entries__council_list__unit=meeting.unit,
            council_entries__council_list__year__in=years,
            council_entries__removed_on__isnull=True,
        ).exclude(
            round_entries__round__meeting__unit=meeting.unit,
            round_entries__round__meeting__kind=MeetingKind.COUNCIL,
        )
    else:
        waiting = Nomination.objects.filter(
            holder=meeting.unit,
            status__in=[NominationStatus.NOMINATED, NominationStatus.FORWARDED],
            nominated_on__lte=meeting.date,
        )
    return list(
        waiting.exclude(round_entries__round__status__in=[RoundStatus.PREPARED, RoundStatus.OPEN])
        .distinct()
        .select_related("subject_person", "subject_unit")
        .order_by("nominated_on", "id")
    )


def _check_round_editable(voting_round: VotingRound, *allowed: str) -> None:
    if voting_round.meeting.is_frozen:
        raise ValidationError(_("The meeting's minutes are approved: the vote can no longer change."))
    if voting_round.status not in allowed:
        raise ValidationError(
            _("The vote is %(status)s: this cannot be done now.")
            % {"status": voting_round.get_status_display().lower()}
        )


@transaction.atomic
def prepare_round(
    *,
    actor: Any,
    meeting: Meeting,
    nominations: Iterable[Nomination],
    method: str | None = None,
    rules: VoteRuleSet | None = None,
) -> VotingRound:
    """A bình xét on the meeting's agenda with its nominees, under the rules in force on the
    meeting's date. The meeting must have been held (its attendance says who may vote)."""
    nominations = list(nominations)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _("A vote is held at a meeting that took place and whose minutes are still open.")
        )
    if not nominations:
        raise ValidationError({"nominations": _("Choose at least one nomination to vote on.")})
    awaiting = {n.pk for n in nominations_awaiting_vote(meeting)}
    strangers = [n.subject_label for n in nominations if n.pk not in awaiting]
    if strangers:
        raise ValidationError(
            {
                "nominations": _("Not awaiting a vote at this unit: %(names)s.")
                % {"names": ", ".join(strangers)}
            }
        )
    in_force = rules_in_force(body_of(meeting), meeting.date)
    if rules is None:
        rules = rules_for(body_of(meeting), meeting.date)  # refuses, with the reason, when none
    elif rules not in in_force:
        raise ValidationError({"rules": _("These voting rules are not in force for this body on that day.")})
    # A rule that asks for a secret ballot is not met by a show of hands (the reverse is allowed:
    # a body may always vote in secret).
    if method and method != rules.method and rules.method == VoteMethod.SECRET:
        raise ValidationError({"method": _("These rules ask for a secret ballot.")})
    item = add_agenda_item(
        actor=actor, meeting=meeting, title=round_title(meeting, nominations), kind=AgendaKind.OTHER
    )
    voting_round = VotingRound.objects.create(
        meeting=meeting, item=item, rules=rules, method=method or rules.method
    )
    RoundNominee.objects.bulk_create(
        RoundNominee(round=voting_round, nomination=nomination, order=index)
        for index, nomination in enumerate(nominations, start=1)
    )
    record_create(actor=actor, obj=voting_round, fields=ROUND_FIELDS, unit=meeting.unit_id)
    return voting_round


@transaction.atomic
def open_round(*, actor: Any, voting_round: VotingRound) -> VotingRound:
    """Freeze who votes: the full members present by the meeting's attendance (probationary
    members have no vote under the Charter); the body's size: its full members that day, less
    those exempt or attending elsewhere. A nominee among the voters stands aside for their own
    name."""
    _check_round_editable(voting_round, RoundStatus.PREPARED)
    rows = list(
        Attendance.objects.filter(meeting=voting_round.meeting, full_member=True).select_related("member")
    )
    present = [row.member for row in rows if row.status == AttendanceStatus.PRESENT]
    body_size = sum(1 for row in rows if row.status not in NOT_IN_BODY)
    if not present:
        raise ValidationError(
            _("No full member is marked present at this meeting: take the attendance first.")
        )
    before = snapshot(voting_round, ROUND_FIELDS)
    RoundVoter.objects.bulk_create(RoundVoter(round=voting_round, member=member) for member in present)
    voters_people = {member.person_id for member in present}
    for entry in voting_round.nominees.select_related("nomination"):
        if entry.nomination.subject_person_id in voters_people:
            entry.recused = True
            entry.save(update_fields=["recused"])
    voting_round.status = RoundStatus.OPEN
    voting_round.body_size = body_size
    voting_round.opened_at = timezone.now()
    voting_round.save(update_fields=["status", "body_size", "opened_at"])
    record_update(
        actor=actor, obj=voting_round, before=before, fields=ROUND_FIELDS, unit=voting_round.meeting.unit_id
    )
    return voting_round


@transaction.atomic
def record_slips(
    *, actor: Any, voting_round: VotingRound, issued: int, returned: int, valid: int
) -> VotingRound:
    _check_round_editable(voting_round, RoundStatus.OPEN)
    if voting_round.method != VoteMethod.SECRET:
        raise ValidationError(_("Slips are counted in a secret ballot only."))
    try:
        tally.check_slips(tally.Slips(issued, returned, valid), voters=voting_round.voters.count())
    except tally.TallyError as error:
        raise ValidationError(_(error.message) % error.params) from error
    before = snapshot(voting_round, ROUND_FIELDS)
    voting_round.slips_issued, voting_round.slips_returned, voting_round.slips_valid = issued, returned, valid
    voting_round.save(update_fields=["slips_issued", "slips_returned", "slips_valid"])
    record_update(
        actor=actor, obj=voting_round, before=before, fields=ROUND_FIELDS, unit=voting_round.meeting.unit_id
    )
    return voting_round


@transaction.atomic
def record_tally(
    *,
    actor: Any,
    entry: RoundNominee,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    recused: bool | None = None,
) -> RoundNominee:
    """One nominee's count, checked against the voters (or the valid slips) when the round closes."""
    voting_round = entry.round
    _check_round_editable(voting_round, RoundStatus.OPEN)
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError(_("Votes cannot be negative."))
    before = snapshot(entry, TALLY_FIELDS)
    entry.votes_for, entry.votes_against, entry.votes_abstain = votes_for, votes_against, votes_abstain
    if recused is not None:
        entry.recused = recused
    entry.save(update_fields=["votes_for", "votes_against", "votes_abstain", "recused"])
    record_update(
        actor=actor, obj=entry, before=before, fields=TALLY_FIELDS, unit=voting_round.meeting.unit_id
    )
    return entry


@transaction.atomic
def close_round(*, actor: Any, voting_round: VotingRound) -> VotingRound:
    """Compute and freeze every nominee's result (the officers read them; the members once they are
    published). Every problem is reported at once, naming the nominee; nothing is written then."""
    _check_round_editable(voting_round, RoundStatus.OPEN)
    voters = voting_round.voters.count()
    entries = list(
        voting_round.nominees.select_related("nomination__subject_person", "nomination__subject_unit")
    )
    if voting_round.method == VoteMethod.SECRET and voting_round.slips_valid is None:
        raise ValidationError(_("Enter the slips issued, returned and valid before closing a secret ballot."))
    problems, results = [], {}
    for entry in entries:
        if entry.votes_for is None:
            problems.append(_("%(name)s: no count entered.") % {"name": entry.nomination.subject_label})
            continue
        try:
            results[entry.pk] = outcome_of(voting_round, entry, voters)
        except tally.TallyError as error:
            problems.append(f"{entry.nomination.subject_label}: {_(error.message) % error.params}")
    if problems:
        raise ValidationError(problems)
    for entry in entries:
        result = results[entry.pk]
        before = snapshot(entry, TALLY_FIELDS)
        entry.percent, entry.passed = result.percent, result.passed
        entry.save(update_fields=["percent", "passed"])
        record_update(
            actor=actor, obj=entry, before=before, fields=TALLY_FIELDS, unit=voting_round.meeting.unit_id
        )
    before = snapshot(voting_round, ROUND_FIELDS)
    voting_round.status = RoundStatus.CLOSED
    voting_round.closed_at = timezone.now()
    voting_round.save(update_fields=["status", "closed_at"])
    record_update(
        actor=actor, obj=voting_round, before=before, fields=ROUND_FIELDS, unit=voting_round.meeting.unit_id
    )
    return voting_round


@transaction.atomic
def publish_round(*, actor: Any, voting_round: VotingRound) -> VotingRound:
    """The results, frozen when the vote closed, are announced: the cell's members read them, and
    each nomination is marked passed or not, on its timeline (a passed one may be proposed upward)."""
    if voting_round.status != RoundStatus.CLOSED:
        raise ValidationError(_("Only a closed vote is published."))
    unit = voting_round.meeting.unit
    voters = voting_round.voters.count()
    for entry in voting_round.nominees.select_related("nomination"):
        nomination = entry.nomination
        before = snapshot(nomination, NOMINATION_FIELDS)
        nomination.status = NominationStatus.PASSED if entry.passed else NominationStatus.NOT_PASSED
        if entry.passed and voting_round.meeting.kind == MeetingKind.COUNCIL:
            nomination.holder = unit  # passed by the council: before its committee, to decide
        nomination.save(update_fields=["status", "holder"])
        base = outcome_of(voting_round, entry, voters).base  # what the percentage was taken of
        with translation.override(RECORD_LANGUAGE):
            note = _("%(for)s of %(base)s in favour (%(percent)s)") % {
                "for": entry.votes_for,
                "base": base,
                "percent": format_percent(entry.votes_for or 0, base),
            }
        add_step(nomination, day=voting_round.meeting.date, unit=unit, note=note)
        record_update(actor=actor, obj=nomination, before=before, fields=NOMINATION_FIELDS, unit=unit.pk)
    before = snapshot(voting_round, ROUND_FIELDS)
    voting_round.status = RoundStatus.PUBLISHED
    voting_round.save(update_fields=["status"])
    record_update(
        actor=actor, obj=voting_round, before=before, fields=ROUND_FIELDS, unit=voting_round.meeting.unit_id
    )
    return voting_round


# ---------------------------------------------------------------------------------------------
# Forwarding upward
# ---------------------------------------------------------------------------------------------


# What a unit may propose upward: what it passed (and perhaps praised itself), or what a unit
# below proposed to it and it sends on without a vote of its own (its standing committee's call).
FORWARDABLE = (NominationStatus.PASSED, NominationStatus.RECOGNISED, NominationStatus.FORWARDED)

# The body a unit's secretary signs for (T/M …), printed on its documents.
SIGNING_BODIES: dict[str, str] = dict.fromkeys(CELL_KINDS, "Chi bộ")


def proposal_targets(unit: Unit, day: dt.date) -> list[Unit]:
    """The committees ``unit`` may propose to on ``day``: those above it then, nearest first."""
    return [above for above in reversed(path_to_root(unit, day)) if above.pk != unit.pk]


@transaction.atomic
def forward_nominations(
    *,
    actor: Any,
    from_unit: Unit,
    to_unit: Unit,
    nominations: Iterable[Nomination],
    proposed_on: dt.date | None = None,
) -> Proposal:
    """``from_unit`` proposes the nominations it passed to a committee above it, with a tờ trình
    numbered in its register. Side effects: each nomination is now before ``to_unit`` (status
    forwarded), with a step on its timeline; the tờ trình and the proposal are audited."""
    proposed_on = proposed_on or timezone.localdate()
    nominations = list(nominations)
    if not nominations:
        raise ValidationError({"nominations": _("Choose at least one nomination to propose.")})
    not_ready = [
        n.subject_label for n in nominations if n.holder_id != from_unit.pk or n.status not in FORWARDABLE
    ]
    if not_ready:
        raise ValidationError(
            {
                "nominations": _("Only nominations %(unit)s has passed are proposed: %(names)s.")
                % {"unit": from_unit.name, "names": ", ".join(not_ready)}
            }
        )
    if to_unit not in proposal_targets(from_unit, proposed_on):
        raise ValidationError(
            {
                "to_unit": _("%(unit)s is not above %(from)s on %(day)s.")
                % {"unit": to_unit.name, "from": from_unit.name, "day": format_date(proposed_on)}
            }
        )
    individuals = sum(1 for n in nominations if n.is_individual)
    # Signed for the unit by its secretary of the day (T/M CHI BỘ, BÍ THƯ), as a tờ trình is.
    secretary = positions_on(from_unit, proposed_on).filter(title=PositionTitle.SECRETARY).first()
    with translation.override(RECORD_LANGUAGE):
        summary = (
            _("proposal to praise %(count)s exemplary examples") % {"count": len(nominations)}
            if individuals != len(nominations)
            else _("proposal to praise %(count)s exemplary people") % {"count": len(nominations)}
        )
    document = issue_document(
        actor=actor,
        issuer=Issuer(unit=from_unit),
        type_code="TTr",
        issued_on=proposed_on,
        summary=summary,
        signing_form="T/M",
        signing_body=SIGNING_BODIES.get(from_unit.kind, "Đảng ủy"),
        signer_title="Bí thư",
        signer_name=secretary.person.full_name if secretary else "",
        recipients=f"{to_unit.name},\nLưu.",
    )
    proposal = Proposal.objects.create(
        from_unit=from_unit, to_unit=to_unit, document=document, proposed_on=proposed_on
    )
    proposal.nominations.set(nominations)
    for nomination in nominations:
        before = snapshot(nomination, NOMINATION_FIELDS)
        nomination.status, nomination.holder = NominationStatus.FORWARDED, to_unit
        nomination.save(update_fields=["status", "holder"])
        with translation.override(RECORD_LANGUAGE):
            note = _("Proposed to %(unit)s (%(number)s)") % {
                "unit": to_unit.name,
                "number": document.number_line,
            }
        add_step(nomination, day=proposed_on, unit=from_unit, note=note)
        record_update(actor=actor, obj=nomination, before=before, fields=NOMINATION_FIELDS, unit=from_unit.pk)
    record_create(
        actor=actor, obj=proposal, fields=("from_unit", "to_unit", "document", "proposed_on"), unit=from_unit
    )
    return proposal


# ---------------------------------------------------------------------------------------------
# Good practices
# ---------------------------------------------------------------------------------------------

PRACTICE_FIELDS = ("title", "kind", "unit", "started_on", "description", "results")


def practice_search_text(practice: GoodPractice) -> str:
    """Folded title, unit and description, cut to the column (searched without accents)."""
    text = fold(f"{practice.title} {practice.unit.name} {practice.description}")
    return text[:800]


@transaction.atomic
def record_practice(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    kind: str,
    started_on: dt.date,
    description: str,
    results: str = "",
) -> GoodPractice:
    title = clean_field("title", title)
    description = clean_field("description", description, multiline=True)
    results = clean_field("results", results, multiline=True)
    errors = {}
    if not title:
        errors["title"] = _("Give the practice a title.")
    if not description:
        errors["description"] = _("Say what the practice is.")
    if kind not in PracticeKind.values:
        errors["kind"] = _("Choose the kind of practice.")
    if errors:
        raise ValidationError(errors)
    practice = GoodPractice(
        unit=unit, title=title, kind=kind, started_on=started_on, description=description, results=results
    )
    practice.search_text = practice_search_text(practice)
    practice.save()
    record_create(actor=actor, obj=practice, fields=PRACTICE_FIELDS, unit=unit)
    return practice


@transaction.atomic
def record_replication(
    *, actor: Any, practice: GoodPractice, unit: Unit, started_on: dt.date, note: str = ""
) -> Replication:
    """``unit`` took the practice up from ``started_on`` (once per unit)."""
    note = clean_field("note", note)
    if unit.pk == practice.unit_id:
        raise ValidationError({"unit": _("The originating unit does not replicate its own practice.")})
    if started_on < practice.started_on:
        raise ValidationError({"started_on": _("A practice is taken up after it started.")})
    if practice.replications.filter(unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s already took this practice up.") % {"unit": unit.name}})
    replication = Replication.objects.create(practice=practice, unit=unit, started_on=started_on, note=note)
    record_create(actor=actor, obj=replication, fields=("unit", "started_on", "note"), unit=unit)
    return replication
