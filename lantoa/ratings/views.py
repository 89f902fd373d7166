"""Pages of the year-end rating: a unit's year (its members' self-assessments and the cell's
proposals; what the unit decides, with the quota and consistency checks shown before deciding),
one rating with its steps, discipline, and labels granted for a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantoa.documents.models import Commitment
from lantoa.lib.forms import BootstrapFormMixin, VNDateField, apply_validation_error
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import CELL_KINDS, Unit

from . import queries, services
from . import rules as rating_rules
from .models import (
    Discipline,
    DisciplineForm,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    SubjectKind,
    UnitLabel,
)

FIRST_YEAR = 2014  # the oldest rule set kept (Hướng dẫn 27-HD/BTCTW, 2014)
DECIDING_KINDS = rating_rules.GRASSROOTS_KINDS | rating_rules.ABOVE_GRASSROOTS_KINDS


def default_year(today: dt.date) -> int:
    """The year being rated: the round runs from November to January."""
    return today.year if today.month >= 11 else today.year - 1


def _year(text: str | None, today: dt.date) -> int:
    year = whole_number(text, low=FIRST_YEAR, high=today.year)
    if year is None:
        raise Http404(_("No ratings for that year."))
    return year


# ---------------------------------------------------------------------------------------------
# The index: the units the user works on
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    year = default_year(scope.today)
    granted = {grant.unit_id for grant in scope.grants}
    units = list(Unit.objects.filter(pk__in=granted).order_by("search_text", "name"))
    own_member = queries.own_member_id(request.user)
    own = (
        list(
            Rating.objects.filter(member_id=own_member).select_related("unit", "decided_by").order_by("-year")
        )
        if own_member is not None
        else []
    )
    return render(
        request,
        "ratings/index.html",
        {"units": units, "year": year, "years": list(range(year, FIRST_YEAR - 1, -1))[:6], "own": own},
    )


# ---------------------------------------------------------------------------------------------
# A unit's year
# ---------------------------------------------------------------------------------------------


class ReviewForm(BootstrapFormMixin, forms.Form):
    """The common fields of the cell's review: the day of the meeting and the votes."""

    day = VNDateField(label=gettext_lazy("Day of the review meeting"))
    votes = forms.CharField(
        label=gettext_lazy("Votes (optional)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("e.g. 18/18 đảng viên có mặt biểu quyết tán thành"),
    )


class DecideForm(BootstrapFormMixin, forms.Form):
    day = VNDateField(label=gettext_lazy("Decided on"))
    document = forms.CharField(
        label=gettext_lazy("Decision or notice"),
        max_length=200,
        help_text=gettext_lazy("e.g. Quyết định số 45-QĐ/ĐU ngày 20/12/2024"),
    )
    quota_override = forms.CharField(
        label=gettext_lazy("Why the quota is exceeded (only if it is)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _level_and_score(
    request: HttpRequest, prefix: str, key: object, row_name: str
) -> tuple[str, int | None] | None:
    """A row's chosen level and points, or None when the row was left empty."""
    level = request.POST.get(f"{prefix}-{key}", "")
    if not level:
        return None
    if level not in Level.values:
        raise ValidationError(_("%(name)s: choose a level from the list.") % {"name": row_name})
    score_text = request.POST.get(f"{prefix}score-{key}", "").strip()
    score = whole_number(score_text, high=100) if score_text else None
    if score_text and score is None:
        raise ValidationError(_("%(name)s: points are a whole number from 0 to 100.") % {"name": row_name})
    return level, score


def _save_review(request: HttpRequest, cell: Unit, year: int, form: ReviewForm) -> None:
    """The cell's review in one go: self-assessments, then the cell's proposals; all or nothing."""
    day = form.cleaned_data["day"]
    lines = queries.member_lines(cell, year, rating_rules.reference_day(year, scope_for(request.user).today))
    with transaction.atomic():
        proposals = []
        for line in lines:
            member = line.membership.member
            name = member.person.full_name
            own = _level_and_score(request, "self", member.pk, name)
            proposed = _level_and_score(request, "proposal", member.pk, name)
            if own is None and proposed is None:
                continue
            rating = line.rating or services.open_member_rating(member=member, year=year, actor=request.user)
            if own is not None and (own[0], own[1]) != (rating.self_level, rating.self_score):
                services.record_self_assessment(
                    actor=request.user, rating=rating, level=own[0], score=own[1], day=day
                )
            if proposed is not None and (proposed[0], proposed[1]) != (
                rating.proposed_level,
                rating.proposed_score,
            ):
                proposals.append(services.Entry(rating, *proposed))
        organisation = _level_and_score(request, "self", "unit", cell.name)
        if organisation is not None:
            rating = services.open_unit_rating(unit=cell, year=year, actor=request.user)
            services.record_self_assessment(
                actor=request.user, rating=rating, level=organisation[0], score=organisation[1], day=day
            )
        if proposals:
            services.record_proposals(
                actor=request.user, unit=cell, entries=proposals, day=day, votes=form.cleaned_data["votes"]
            )


def _collective_key(unit: Unit, kind: str) -> str:
    """A collective's row in the deciding form: "u12" for the organisation, "l12" its committee."""
    return f"{'l' if kind == SubjectKind.LEADERSHIP else 'u'}{unit.pk}"


def _collective_name(unit: Unit, kind: str) -> str:
    return (
        str(_("Committee of %(unit)s") % {"unit": unit.name}) if kind == SubjectKind.LEADERSHIP else unit.name
    )


def _decision_entries(
    request: HttpRequest, body: Unit, year: int, listing: queries.BodyYear
) -> list[services.Entry]:
    """The rows the body chose a level for that differ from what is decided; organisations
    without a rating yet get one."""
    entries = []
    for unit, kind, rating in listing.organisations:
        chosen = _level_and_score(request, "level", _collective_key(unit, kind), _collective_name(unit, kind))
        if chosen is None or (
            rating and rating.status == RatingStatus.DECIDED and (rating.level, rating.score) == chosen
        ):
            continue
        rating = rating or services.open_unit_rating(
            unit=unit, year=year, subject_kind=kind, actor=request.user
        )
        entries.append(services.Entry(rating, *chosen))
    for rating in listing.members:
        chosen = _level_and_score(request, "level", rating.pk, rating.subject_name)
        if chosen is None or (
            rating.status == RatingStatus.DECIDED and (rating.level, rating.score) == chosen
        ):
            continue
        entries.append(services.Entry(rating, *chosen))
    return entries


@dataclass
class Row:
    """One line of a rating table as the form shows it: what was typed (after a refused post) or
    what is stored."""

    key: str
    name: str
    rating: Rating | None
    level: str = ""
    score: str = ""
    proposal: str = ""
    proposal_score: str = ""
    note: str = ""
    line: queries.MemberLine | None = None


def _shown(request: HttpRequest, name: str, stored: object) -> str:
    if request.method == "POST":
        return request.POST.get(name, "")
    return "" if stored is None else str(stored)


def _review_rows(
    request: HttpRequest, cell: Unit, lines: list[queries.MemberLine], own: Rating | None
) -> list[Row]:
    rows = []
    for line in lines:
        rating, key = line.rating, str(line.membership.member_id)
        rows.append(
            Row(
                key,
                line.membership.member.person.full_name,
                rating,
                _shown(request, f"self-{key}", rating.self_level if rating else ""),
                _shown(request, f"selfscore-{key}", rating.self_score if rating else None),
                _shown(request, f"proposal-{key}", rating.proposed_level if rating else ""),
                _shown(request, f"proposalscore-{key}", rating.proposed_score if rating else None),
                line=line,
            )
        )
    rows.append(
        Row(
            "unit",
            cell.name,
            own,
            _shown(request, "self-unit", own.self_level if own else ""),
            _shown(request, "selfscore-unit", own.self_score if own else None),
        )
    )
    return rows


def _decision_rows(request: HttpRequest, listing: queries.BodyYear) -> list[Row]:
    rows = []
    for unit, kind, rating in listing.organisations:
        key = _collective_key(unit, kind)
        stored = (rating.level or rating.proposed_level or rating.self_level) if rating else ""
        score = (
            (rating.score if rating.level else rating.proposed_score or rating.self_score) if rating else None
        )
        rows.append(
            Row(
                key,
                _collective_name(unit, kind),
                rating,
                _shown(request, f"level-{key}", stored),
                _shown(request, f"levelscore-{key}", score),
                note=str(SubjectKind(kind).label),
            )
        )
    for rating in listing.members:
        key = str(rating.pk)
        stored = rating.level or rating.proposed_level
        score = rating.score if rating.level else rating.proposed_score
        rows.append(
            Row(
                key,
                rating.subject_name,
                rating,
                _shown(request, f"level-{key}", stored),
                _shown(request, f"levelscore-{key}", score),
                note=rating.unit.name,
            )
        )
    return rows


@login_required
def unit_year(request: HttpRequest, key: str, year: str) -> HttpResponse:
    scope = scope_for(request.user)
    unit = get_unit_for_user(request.user, key)
    the_year = _year(year, scope.today)
    day = rating_rules.reference_day(the_year, scope.today)
    if unit.valid_to is not None and unit.valid_to < day:
        day = unit.valid_to
    if not scope.can_on(Capability.VIEW, unit, day):
        raise Http404(_("No such unit in your area."))
    officer = scope.can_on(Capability.OVERSEE, unit, day)
    keeps = unit.kind in CELL_KINDS
    decides = unit.kind in DECIDING_KINDS
    can_keep = keeps and queries.may_keep(scope, unit)
    can_decide = decides and queries.may_decide(scope, unit)
    review_form = ReviewForm(request.POST if "review" in request.POST else None, initial={"day": scope.today})
    decide_form = DecideForm(
        request.POST if "decide" in request.POST or "check" in request.POST else None,
        initial={"day": scope.today},
    )
    listing = queries.body_year(unit, the_year, day) if decides and officer else None
    check = None
    if request.method == "POST":
        if "review" in request.POST:
            if not can_keep:
                raise PermissionDenied(_("Your role does not record this cell's review."))
            if review_form.is_valid():
                try:
                    _save_review(request, unit, the_year, review_form)
                except ValidationError as exc:
                    apply_validation_error(review_form, exc)
                else:
                    messages.success(request, _("The cell's review is saved."))
                    return redirect("ratings:unit_year", key=unit.key, year=the_year)
        elif "decide" in request.POST or "check" in request.POST:
            if not can_decide or listing is None:
                raise PermissionDenied(_("Your role does not decide these ratings."))
            if decide_form.is_valid():
                data = decide_form.cleaned_data
                try:
                    with transaction.atomic():
                        entries = _decision_entries(request, unit, the_year, listing)
                        if "check" in request.POST:
                            check = services.check_decision(
                                body=unit, year=the_year, entries=entries, day=data["day"]
                            )
                            transaction.set_rollback(True)  # ratings opened to check are not kept
                        else:
                            services.decide(
                                actor=request.user,
                                body=unit,
                                year=the_year,
                                entries=entries,
                                day=data["day"],
                                document=data["document"],
                                quota_override=data["quota_override"],
                            )
                except ValidationError as exc:
                    apply_validation_error(decide_form, exc)
                else:
                    if check is None:
                        messages.success(request, _("%(count)s ratings decided.") % {"count": len(entries)})
                        return redirect("ratings:unit_year", key=unit.key, year=the_year)
    if listing is not None and check is None:
        # What the body would face if it decided the proposals as they stand.
        proposed = [
            services.Entry(r, r.proposed_level, r.proposed_score)
            for r in listing.members
            if r.status == RatingStatus.PROPOSED and r.proposed_level
        ]
        try:
            check = services.check_decision(
                body=unit,
                year=the_year,
                entries=proposed,
                day=min(scope.today, dt.date(the_year + 1, 12, 31)),
            )
        except ValidationError:
            check = None
    only = None if officer else queries.own_member_id(request.user)
    lines = queries.member_lines(unit, the_year, day, only_member=only) if keeps and (officer or only) else []
    own_rating = (
        Rating.objects.filter(subject_unit=unit, subject_kind=SubjectKind.ORGANISATION, year=the_year)
        .select_related("decided_by")
        .first()
    )
    try:
        rules_today = rating_rules.rules_on(min(scope.today, dt.date(the_year + 1, 12, 31)))
    except ValidationError:
        rules_today = None
    return render(
        request,
        "ratings/unit_year.html",
        {
            "unit": unit,
            "year": the_year,
            "years": [y for y in (the_year - 1, the_year + 1) if FIRST_YEAR <= y <= scope.today.year],
            "officer": officer,
            "lines": lines,
            "review_rows": _review_rows(request, unit, lines, own_rating) if can_keep else [],
            "decision_rows": _decision_rows(request, listing) if listing is not None else [],
            "own_rating": own_rating,
            "listing": listing,
            "check": check,
            "can_keep": can_keep,
            "can_decide": can_decide,
            "review_form": review_form,
            "decide_form": decide_form,
            "rules": rules_today,
            "levels": rating_rules.level_choices(rules_today) if rules_today else [],
        },
        status=400 if request.method == "POST" and (review_form.errors or decide_form.errors) else 200,
    )


# ---------------------------------------------------------------------------------------------
# One rating, and discipline
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def rating_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    rating = queries.get_rating_for_user(request.user, public_id)
    scope = scope_for(request.user)
    commitments = []
    disciplines = []
    if rating.member_id is not None:
        commitments = list(
            Commitment.objects.filter(member_id=rating.member_id, year=rating.year).order_by("position", "id")
        )
        disciplines = list(
            Discipline.objects.filter(member_id=rating.member_id, year=rating.year).select_related(
                "decided_by"
            )
        )
    flags = list(rating.awards_to_review.select_related("recognition__decision__document"))
    return render(
        request,
        "ratings/rating.html",
        {
            "rating": rating,
            "commitments": commitments,
            "disciplines": disciplines,
            "flags": flags,
            "can_discipline": rating.member_id is not None
            and queries.may_decide(scope, rating.quota_unit_id),
        },
    )


class DisciplineEntryForm(BootstrapFormMixin, forms.Form):
    form = forms.ChoiceField(label=gettext_lazy("Form"), choices=DisciplineForm.choices)
    decided_on = VNDateField(label=gettext_lazy("Decided on"))
    document = forms.CharField(label=gettext_lazy("Decision"), max_length=200)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


@login_required
def discipline_create(request: HttpRequest, public_id: str) -> HttpResponse:
    rating = queries.get_rating_for_user(request.user, public_id, write=True)
    if rating.member is None:
        raise Http404(_("Discipline is recorded for a party member."))
    form = DisciplineEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.record_discipline(
                actor=request.user,
                member=rating.member,
                year=rating.year,
                decided_by=rating.quota_unit,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if outcome.rerated is not None:
                messages.warning(
                    request,
                    _("The rating of %(year)d is now “Did not complete tasks”.") % {"year": rating.year},
                )
            if outcome.awards_flagged:
                messages.warning(
                    request,
                    _("%(count)s rewards of that year are flagged for their granting body to review.")
                    % {"count": len(outcome.awards_flagged)},
                )
            messages.success(request, _("Discipline recorded."))
            return redirect("ratings:rating", public_id=rating.public_id)
    return render(
        request,
        "ratings/discipline_form.html",
        {"form": form, "rating": rating},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Labels for a year
# ---------------------------------------------------------------------------------------------


class LabelForm(BootstrapFormMixin, forms.Form):
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Label"), queryset=LabelKind.objects.none(), empty_label=None
    )
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=Unit.objects.none(),
        error_messages={"required": gettext_lazy("Tick at least one unit.")},
    )
    day = VNDateField(label=gettext_lazy("Granted on"))
    document = forms.CharField(label=gettext_lazy("Decision or notice"), max_length=200)

    def __init__(self, *args: object, kinds: list[LabelKind], units: list[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = LabelKind.objects.filter(pk__in=[k.pk for k in kinds])  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])  # type: ignore[attr-defined]


@login_required
def labels(request: HttpRequest, key: str, year: str) -> HttpResponse:
    scope = scope_for(request.user)
    body = get_unit_for_user(request.user, key)
    the_year = _year(year, scope.today)
    day = rating_rules.reference_day(the_year, scope.today)
    if body.kind not in DECIDING_KINDS or not scope.can_on(
        Capability.VIEW, body, min(day, body.valid_to or day)
    ):
        raise Http404(_("No such unit in your area."))
    units = queries.organisations_rated_by(body, min(day, body.valid_to or day))
    granted = list(
        UnitLabel.objects.filter(unit__in=units, year=the_year)
        .select_related("kind", "unit")
        .order_by("unit__search_text")
    )
    kinds = services.labels_in_force(scope.today)
    can_grant = queries.may_decide(scope, body)
    form = LabelForm(request.POST or None, kinds=kinds, units=units, initial={"day": scope.today})
    problems: list[str] = []
    if request.method == "POST":
        if not can_grant:
            raise PermissionDenied(_("Your role does not grant labels here."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.grant_labels(
                    actor=request.user,
                    body=body,
                    kind=data["kind"],
                    year=the_year,
                    units=list(data["units"]),
                    day=data["day"],
                    document=data["document"],
                )
            except ValidationError as exc:
                problems += exc.messages
            else:
                messages.success(request, _("%(count)s labels granted.") % {"count": len(data["units"])})
                return redirect("ratings:labels", key=body.key, year=the_year)
        # Each problem names its field: "Decision or notice: this field is required."
        problems += [
            f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        ]
    return render(
        request,
        "ratings/labels.html",
        {
            "body": body,
            "year": the_year,
            "units": units,
            "granted": granted,
            "kinds": kinds,
            "can_grant": can_grant,
            "problems": problems,
            "form": form,
            "chosen": {str(v) for v in (form["units"].value() or [])},
        },
        status=400 if problems else 200,
    )
