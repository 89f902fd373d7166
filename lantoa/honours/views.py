"""Pages of nominations and votes: the list, a new nomination, a nomination's timeline, a vote at
a meeting (prepare, open, count, close, publish) and its minutes in Word."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.cells.access import get_meeting_for_user, may_read_record
from lantoa.cells.models import MeetingStatus
from lantoa.cells.queries.library import people_of_unit, theme_choices
from lantoa.cells.queries.meetings import minutes_data
from lantoa.documents.models import Commitment
from lantoa.lib.forms import apply_validation_error, flash_errors
from lantoa.lib.text import fold, whole_number
from lantoa.org.access import Capability, get_person_for_user, get_unit_for_user, scope_for
from lantoa.org.models import NON_PARTY_KINDS, Unit
from lantoa.org.queries import subtree, unit_choice_labels, valid_on
from lantoa.web.downloads import export_response

from . import queries, services
from .access import (
    get_nomination_for_user,
    get_practice_for_user,
    get_proposal_for_user,
    get_round_for_user,
    practices_visible_filter,
)
from .exporters import ProposalExporter, VotingMinutesExporter
from .forms import (
    EvidenceForm,
    NominationForm,
    PracticeForm,
    ProposalForm,
    ReplicationForm,
    RoundForm,
    SlipsForm,
    WithdrawForm,
)
from .models import GoodPractice, Nomination, NominationStatus, RoundStatus, VoteMethod

PAGE_SIZE = 30
WITHDRAWABLE = (NominationStatus.NOMINATED, NominationStatus.PASSED, NominationStatus.NOT_PASSED)


def acting_units(request: HttpRequest, *, excluded: frozenset[str] = NON_PARTY_KINDS) -> list[Unit]:
    """Units the user acts for today, their roles' own units first (a commune's secretary acts
    for the commune far more often than for one of its cells), each with a ``choice_label`` that
    tells same-named cells apart by their parent."""
    scope = scope_for(request.user)
    units = list(
        Unit.objects.filter(valid_on(scope.today), pk__in=scope.unit_ids_now(Capability.WRITE_PROGRAMME))
        .exclude(kind__in=excluded)
        .order_by("search_text", "name")
    )
    own = {grant.unit_id for grant in scope.grants}
    labels = unit_choice_labels(units, scope.today)
    for unit in units:
        unit.choice_label = labels[unit.pk]  # type: ignore[attr-defined]
    return sorted(units, key=lambda u: u.pk not in own)


def _writable_units(request: HttpRequest) -> list[Unit]:
    """Units the user nominates for today, Party units only (a mass organisation is nominated,
    it does not nominate here)."""
    return acting_units(request)


def unit_to_act_for(
    request: HttpRequest, units: list[Unit] | None = None, *, refused: str, refused_here: str
) -> Unit | None:
    """The unit a form acts for among ``units`` (by default those the user nominates for):
    ``?unit=``, or the user's only one; None: the user must choose among several. 403 with
    ``refused`` for a role that acts nowhere, ``refused_here`` for a unit the user reads but does
    not act for."""
    units = _writable_units(request) if units is None else units
    if not units:
        raise PermissionDenied(refused)
    key = request.POST.get("unit") or request.GET.get("unit") or (units[0].key if len(units) == 1 else "")
    if not key:
        return None
    unit = get_unit_for_user(request.user, key, write=Capability.WRITE_PROGRAMME)
    if unit not in units:
        raise PermissionDenied(refused_here)
    return unit


@login_required
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    status = request.GET.get("status", "")
    status = status if status in NominationStatus.values else ""
    year_text = request.GET.get("year", "")
    year = whole_number(year_text, low=1900, high=2200)
    unit_key = request.GET.get("unit", "")[:80]
    unit = get_unit_for_user(request.user, unit_key) if unit_key else None
    nominations = queries.nominations_for(scope, unit=unit, status=status, year=year)
    return render(
        request,
        "honours/nomination_list.html",
        {
            "page": Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "statuses": NominationStatus.choices,
            "year": year,
            "unit": unit,
            "can_nominate": bool(_writable_units(request)),
        },
    )


@login_required
def nomination_create(request: HttpRequest) -> HttpResponse:
    """A unit's nomination; with several units the user first picks one (``?unit=``)."""
    unit = unit_to_act_for(
        request,
        refused=_("Your role does not nominate."),
        refused_here=_("Your role does not nominate for this unit."),
    )
    if unit is None:
        return render(request, "honours/choose_unit.html", {"units": _writable_units(request)})
    today = timezone.localdate()
    form = NominationForm(
        request.POST or None,
        people=people_of_unit(unit, today),
        units=subtree(unit, today).exclude(pk=unit.pk).order_by("search_text", "name"),
        themes=theme_choices(scope_for(request.user)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nominate(
                actor=request.user,
                unit=unit,
                achievements=data["achievements"],
                period_kind=data["period_kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                theme=data["theme"],
                **form.subjects(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Nomination recorded."))
            return redirect("honours:nomination", public_id=nomination.public_id)
    return render(request, "honours/nomination_form.html", {"form": form, "unit": unit})


@login_required
@require_GET
def nomination_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, public_id)
    scope = scope_for(request.user)
    can_write = scope.can_now(Capability.WRITE_PROGRAMME, nomination.unit_id)
    entries = [
        entry
        for entry in nomination.round_entries.select_related("round__meeting__unit")
        if entry.round.status == RoundStatus.PUBLISHED or queries.may_oversee_round(scope, entry.round)
    ]
    return render(
        request,
        "honours/nomination_detail.html",
        {
            "nomination": nomination,
            "steps": nomination.steps.select_related("unit"),
            "entries": entries,
            "evidence": nomination.evidence.all(),
            "proposals": nomination.proposals.select_related("document", "to_unit"),
            "withdraw_form": WithdrawForm() if can_write and nomination.status in WITHDRAWABLE else None,
            "evidence_form": EvidenceForm() if can_write else None,
            "commitments": nomination.commitments.order_by("year", "position", "pk"),
            "commitment_choices": services.commitment_choices(nomination) if can_write else [],
        },
    )


@login_required
@require_GET
def person_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """Every nomination, vote and recognition of one person across the years: what a council
    reads before deciding. Only what the reader may read of it."""
    person = get_person_for_user(request.user, public_id)
    return _record(
        request, person.full_name, reverse("org:person", args=[person.public_id]), subject_person=person
    )


@login_required
@require_GET
def unit_record(request: HttpRequest, key: str) -> HttpResponse:
    """The same for a Party unit recognised as a collective (a cell praised by its commune)."""
    unit = get_unit_for_user(request.user, key)
    return _record(request, unit.name, reverse("org:unit", args=[unit.key]), subject_unit=unit)


@login_required
@require_GET
def collective_record(request: HttpRequest) -> HttpResponse:
    """The same for a collective named in its nominations ("Chi hội Phụ nữ ấp Phước Thạnh"): the
    nominations naming it exactly, among those the user may read."""
    name = request.GET.get("name", "").strip()[:200]
    # Found only through a nomination the user reads: an unknown name is "not found", as any
    # record outside the user's area is.
    if not name or not queries.nominations_for(scope_for(request.user)).filter(subject_name=name).exists():
        raise Http404(_("No collective of that name in your area."))
    return _record(request, name, reverse("honours:nominations"), subject_name=name)


def _record(request: HttpRequest, title: str, back_url: str, **subject: Any) -> HttpResponse:
    scope = scope_for(request.user)
    nominations = queries.record_of(scope, **subject)
    for nomination in nominations:
        nomination.visible_entries = [  # type: ignore[attr-defined]
            entry
            for entry in nomination.round_entries.all()
            if entry.round.status == RoundStatus.PUBLISHED or queries.may_oversee_round(scope, entry.round)
        ]
    return render(
        request,
        "honours/record.html",
        {"title": title, "back_url": back_url, "nominations": nominations},
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, public_id: str) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, public_id, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user,
                nomination=nomination,
                uploaded=form.cleaned_data["file"],
                dated=form.cleaned_data["dated"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Evidence added."))
    else:
        flash_errors(request, form)
    return redirect("honours:nomination", public_id=nomination.public_id)


@login_required
@require_POST
def nomination_commitments(request: HttpRequest, public_id: str) -> HttpResponse:
    """Cite the commitments the nominee kept (ticked on the nomination's page)."""
    nomination = get_nomination_for_user(request.user, public_id, write=True)
    ids = [whole_number(value, low=1, high=2**62) for value in request.POST.getlist("commitments")[:50]]
    try:
        services.link_commitments(
            actor=request.user,
            nomination=nomination,
            commitments=Commitment.objects.filter(pk__in=[pk for pk in ids if pk is not None]),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The commitments cited were saved."))
    return redirect("honours:nomination", public_id=nomination.public_id)


@login_required
@require_GET
def evidence_download(request: HttpRequest, public_id: str, evidence_id: int) -> FileResponse:
    nomination = get_nomination_for_user(request.user, public_id)
    evidence = nomination.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
@require_POST
def nomination_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, public_id, write=True)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_nomination(
                actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Nomination withdrawn."))
    else:
        for error in form.errors.get("reason", []):
            messages.error(request, str(error))
    return redirect("honours:nomination", public_id=nomination.public_id)


@login_required
def round_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """A bình xét on this meeting's agenda, with the unit's nominations awaiting a vote."""
    meeting = get_meeting_for_user(request.user, public_id, write=True)
    if meeting.status != MeetingStatus.HELD:
        messages.error(
            request, _("A vote is held at a meeting that took place and whose minutes are still open.")
        )
        return redirect("cells:meeting", public_id=meeting.public_id)
    awaiting = services.nominations_awaiting_vote(meeting)
    try:
        rules = services.rules_for(services.body_of(meeting), meeting.date)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cells:meeting", public_id=meeting.public_id)
    in_force = services.rules_in_force(services.body_of(meeting), meeting.date)
    form = RoundForm(request.POST or None, awaiting=awaiting, method=rules.method, rules=in_force)
    if request.method == "POST" and form.is_valid():
        try:
            voting_round = services.prepare_round(
                actor=request.user,
                meeting=meeting,
                nominations=form.cleaned_data["nominations"],
                method=form.cleaned_data["method"],
                rules=form.cleaned_data["rules"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The vote is on the agenda. Open it when the meeting votes."))
            return redirect("honours:round", public_id=voting_round.public_id)
    return render(
        request,
        "honours/round_create.html",
        {"meeting": meeting, "form": form, "awaiting": awaiting, "rules": rules},
    )


def _round_context(request: HttpRequest, voting_round: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    meeting = voting_round.meeting
    can_write = (
        scope.can_on(Capability.WRITE_PROGRAMME, meeting.unit_id, meeting.date) and not meeting.is_frozen
    )
    rule = voting_round.rules.rule
    # Who voted is the meeting's attendance: a plain member reads it with the approved minutes.
    record_open = may_read_record(scope, meeting)
    voters = list(
        voting_round.voters.select_related("member__person").order_by("member__person__search_text")
    )
    body = voting_round.body_size
    return {
        "round": voting_round,
        "meeting": meeting,
        "rows": queries.round_rows(voting_round),
        "voters": voters,
        "record_open": record_open,
        "can_write": can_write,
        "quorate": body is not None and rule.quorum.reached(len(voters), body),
        "quorum_needed": rule.quorum.least(body) if body is not None else None,
        "slips_form": SlipsForm(
            initial={
                "issued": voting_round.slips_issued,
                "returned": voting_round.slips_returned,
                "valid": voting_round.slips_valid,
            }
        )
        if voting_round.method == VoteMethod.SECRET
        else None,
        "minutes_url": reverse("honours:round_minutes", args=[voting_round.public_id]),
    }


@login_required
@require_GET
def round_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    voting_round = get_round_for_user(request.user, public_id)
    return render(request, "honours/round_detail.html", _round_context(request, voting_round))


def _count(request: HttpRequest, name: str, *, row: str, field: str, errors: list[str]) -> int:
    """A count typed in the round's table; a wrong one is reported by row and column."""
    value = whole_number(request.POST.get(name, ""), high=999)
    if value is None:
        errors.append(
            _("%(row)s: “%(field)s” must be a whole number from 0 to 999.") % {"row": row, "field": field}
        )
        return 0
    return value


@login_required
@require_POST
def round_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """One step of the round: open, count (all nominees at once), slips, close, publish."""
    voting_round = get_round_for_user(request.user, public_id, write=True)
    actor = request.user
    try:
        if action == "open":
            services.open_round(actor=actor, voting_round=voting_round)
            messages.success(request, _("Voting is open: the voters are fixed."))
        elif action == "count":
            _save_counts(request, voting_round)
            messages.success(request, _("Counts saved."))
        elif action == "slips":
            form = SlipsForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Slips are whole numbers."))
            services.record_slips(actor=actor, voting_round=voting_round, **form.cleaned_data)
            messages.success(request, _("Slips saved."))
        elif action == "close":
            services.close_round(actor=actor, voting_round=voting_round)
            messages.success(request, _("The vote is closed; its results are final."))
        elif action == "publish":
            services.publish_round(actor=actor, voting_round=voting_round)
            messages.success(request, _("The results are published to the cell."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("honours:round", public_id=voting_round.public_id)


def _save_counts(request: HttpRequest, voting_round: Any) -> None:
    """Every nominee's counts from one form; nothing is saved if any row is wrong."""
    errors: list[str] = []
    counts = []
    for entry in voting_round.nominees.select_related(
        "nomination__subject_person", "nomination__subject_unit"
    ):
        row = entry.nomination.subject_label
        counts.append(
            (
                entry,
                _count(request, f"for-{entry.pk}", row=row, field=_("In favour"), errors=errors),
                _count(request, f"against-{entry.pk}", row=row, field=_("Against"), errors=errors),
                _count(
                    request, f"abstain-{entry.pk}", row=row, field=_("Abstaining or blank"), errors=errors
                ),
                request.POST.get(f"recused-{entry.pk}") == "on",
            )
        )
    if errors:
        raise ValidationError(errors)
    for entry, votes_for, votes_against, votes_abstain, recused in counts:
        services.record_tally(
            actor=request.user,
            entry=entry,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            recused=recused,
        )


@login_required
@require_GET
def round_minutes(request: HttpRequest, public_id: str) -> HttpResponse:
    """The voting minutes (biên bản bình xét) in Word, once the vote is closed."""
    voting_round = get_round_for_user(request.user, public_id)
    if not voting_round.is_frozen:
        messages.error(request, _("The minutes of a vote are printed once it is closed."))
        return redirect("honours:round", public_id=voting_round.public_id)
    if not may_read_record(scope_for(request.user), voting_round.meeting):
        # They list who was present and who was excused: the meeting's record, for members once
        # the meeting's minutes are approved.
        messages.error(
            request, _("The minutes of the vote are open to members once the meeting's minutes are approved.")
        )
        return redirect("honours:round", public_id=voting_round.public_id)
    exporter = VotingMinutesExporter(voting_round, minutes_data(voting_round.meeting))
    return export_response(
        request,
        exporter.render(),
        content_type=exporter.content_type,
        filename=exporter.filename,
        obj=voting_round,
        unit=voting_round.meeting.unit,
    )


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    """A unit proposes the nominations it passed to a committee above it (tờ trình)."""
    unit = unit_to_act_for(
        request,
        refused=_("Your role does not propose nominations."),
        refused_here=_("Your role does not propose for this unit."),
    )
    if unit is None:
        return render(
            request, "honours/choose_unit.html", {"units": _writable_units(request), "proposing": True}
        )
    ready = Nomination.objects.filter(holder=unit, status__in=services.FORWARDABLE).select_related(
        "subject_person", "subject_unit"
    )
    targets = services.proposal_targets(unit, timezone.localdate())
    form = ProposalForm(request.POST or None, ready=ready, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.forward_nominations(
                actor=request.user,
                from_unit=unit,
                to_unit=data["to_unit"],
                nominations=data["nominations"],
                proposed_on=data["proposed_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Proposal recorded as %(number)s.") % {"number": proposal.document.number_line}
            )
            return redirect("honours:proposal", public_id=proposal.public_id)
    return render(request, "honours/proposal_form.html", {"form": form, "unit": unit, "ready": ready})


@login_required
@require_GET
def proposal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, public_id)
    return render(
        request,
        "honours/proposal_detail.html",
        {
            "proposal": proposal,
            "nominations": proposal.nominations.select_related("subject_person", "subject_unit", "holder"),
        },
    )


@login_required
@require_GET
def proposal_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = get_proposal_for_user(request.user, public_id)
    exporter = ProposalExporter(proposal)
    return export_response(
        request,
        exporter.render(),
        content_type=exporter.content_type,
        filename=exporter.filename,
        obj=proposal.document,
        unit=proposal.from_unit,
    )


# --- good practices ---------------------------------------------------------------------------


@login_required
@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    """The good practices of the district, searched without accents ("ngay chu nhat xanh")."""
    scope = scope_for(request.user)
    query = request.GET.get("q", "").strip()[:200]
    practices = GoodPractice.objects.filter(practices_visible_filter(scope)).select_related("unit")
    for word in fold(query).split():
        practices = practices.filter(search_text__contains=word)
    practices = practices.annotate(replicated=Count("replications")).order_by("-started_on", "-id")
    return render(
        request,
        "honours/practice_list.html",
        {
            "page": Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query,
            "can_record": bool(_writable_units(request)),
        },
    )


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    unit = unit_to_act_for(
        request,
        refused=_("Your role does not record good practices."),
        refused_here=_("Your role does not record good practices for this unit."),
    )
    if unit is None:
        return render(
            request, "honours/choose_unit.html", {"units": _writable_units(request), "practice": True}
        )
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.record_practice(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Good practice recorded."))
            return redirect("honours:practice", public_id=practice.public_id)
    return render(request, "honours/practice_form.html", {"form": form, "unit": unit})


@login_required
def practice_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The practice, its results, the units that took it up; a unit's officers record that their
    unit took it up (POST)."""
    practice = get_practice_for_user(request.user, public_id)
    others = [unit for unit in _writable_units(request) if unit.pk != practice.unit_id]
    form = ReplicationForm(
        request.POST or None, units=Unit.objects.filter(pk__in=[u.pk for u in others]).order_by("search_text")
    )
    if request.method == "POST":
        if not others:
            raise PermissionDenied(_("Your role does not record replications."))
        if form.is_valid():
            try:
                services.record_replication(actor=request.user, practice=practice, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Replication recorded."))
                return redirect("honours:practice", public_id=practice.public_id)
    return render(
        request,
        "honours/practice_detail.html",
        {
            "practice": practice,
            "replications": practice.replications.select_related("unit"),
            "form": form if others else None,
        },
    )
