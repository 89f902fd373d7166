"""Yearly themes, campaigns, and members' "làm theo" commitments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.lib.forms import apply_validation_error
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, get_unit_for_user, readable_unit_ids, scope_for
from lantoa.org.models import PartyMember

from .. import queries, services
from ..forms import AssessForm, CampaignForm, CommitmentForm, ThemeForm
from ..models import Campaign, Commitment, Theme
from .register import writable_units


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    """The whole-term theme, yearly themes and campaigns that concern the user's units."""
    scope = scope_for(request.user)
    readable = readable_unit_ids(scope)
    units = writable_units(request)
    can_write = units.exists()
    theme_form = ThemeForm(request.POST if "theme" in request.POST else None, units=units, prefix="theme")
    campaign_form = CampaignForm(
        request.POST if "campaign" in request.POST else None, units=units, prefix="campaign"
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("Your role can only read."))
        if "theme" in request.POST and theme_form.is_valid():
            services.set_yearly_theme(actor=request.user, **theme_form.cleaned_data)
            messages.success(request, _("Theme saved."))
            return redirect("documents:themes")
        if "campaign" in request.POST and campaign_form.is_valid():
            data = campaign_form.cleaned_data
            services.create_campaign(actor=request.user, issuer_name=data["unit"].name, **data)
            messages.success(request, _("Campaign saved."))
            return redirect("documents:themes")
    visible = Q(unit_id__in=readable) | Q(unit__isnull=True)
    return render(
        request,
        "documents/themes.html",
        {
            "term_themes": Theme.objects.filter(visible, scope=Theme.Scope.TERM).select_related("document"),
            "yearly_themes": Theme.objects.filter(visible, scope=Theme.Scope.YEAR).select_related(
                "unit", "document"
            ),
            "campaigns": Campaign.objects.filter(visible).select_related("document"),
            "theme_form": theme_form,
            "campaign_form": campaign_form,
            "can_write": can_write,
        },
    )


def _year(request: HttpRequest) -> int:
    """?year=, within the years the forms accept (a date cannot even be built for year 0 or
    99999); anything else means this year."""
    value = request.GET.get("year", "")
    return whole_number(value, low=2000, high=2100) or timezone.localdate().year


@login_required
def cell_commitments(request: HttpRequest, key: str) -> HttpResponse:
    """The secretary's view: who in the cell has registered commitments for the year, who has not."""
    cell = get_unit_for_user(request.user, key)
    if not cell.is_cell:
        raise Http404(_("Commitments are kept by cells."))
    year = _year(request)
    on = min(timezone.localdate(), dt.date(year, 12, 31))
    rows = queries.commitments_of_cell(cell, year, on)
    registered = sum(1 for _m, items in rows if items)
    return render(
        request,
        "documents/cell_commitments.html",
        {
            "cell": cell,
            "year": year,
            "rows": rows,
            "registered": registered,
            "missing": len(rows) - registered,
            "can_write": scope_for(request.user).can_now(Capability.WRITE_PROGRAMME, cell),
        },
    )


def _member_for_commitments(request: HttpRequest, member_id: int) -> tuple[PartyMember, bool, bool]:
    """The member whose commitments are edited: oneself, or a member of a cell one writes for.
    Returns the member, whether the user is that member, and whether they act as the cell's
    officer."""
    member = PartyMember.objects.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise Http404
    scope = scope_for(request.user)
    own = scope.person_id == member.person_id
    cell = queries.member_cell(member, timezone.localdate())
    officer = cell is not None and scope.can_now(Capability.WRITE_PROGRAMME, cell)
    if not own and not officer:
        if cell is not None and scope.can(Capability.VIEW, cell):
            raise PermissionDenied(_("Your role here can only read."))
        raise Http404
    return member, own, officer


@login_required
def member_commitments(request: HttpRequest, member_id: int) -> HttpResponse:
    """A member's commitments for a year: the form while the year is open to the user (see
    ``services.commitments_closed_reason``), the words as they stand otherwise; below, the
    member's earlier years with their year-end assessments."""
    member, own, officer = _member_for_commitments(request, member_id)
    today = timezone.localdate()
    year = _year(request)
    existing = {c.position: c for c in Commitment.objects.filter(member=member, year=year)}
    closed = services.commitments_closed_reason(
        year=year,
        today=today,
        officer=officer,
        assessed=any(c.done is not None for c in existing.values()),
    )
    # The secretary who opened the page from the cell's list goes back there, even for their own.
    back_to_cell = officer and (not own or request.GET.get("from") == "cell")
    cell = queries.member_cell(member, today) if officer else None
    form = None
    if closed is None:
        initial = {
            "first": getattr(existing.get(1), "text", ""),
            "second": getattr(existing.get(2), "text", ""),
        }
        form = CommitmentForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        raise PermissionDenied(closed)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.register_commitment(
                    actor=request.user,
                    member=member,
                    year=year,
                    position=1,
                    text=form.cleaned_data["first"],
                    officer=officer,
                )
                if form.cleaned_data["second"].strip():
                    services.register_commitment(
                        actor=request.user,
                        member=member,
                        year=year,
                        position=2,
                        text=form.cleaned_data["second"],
                        officer=officer,
                    )
                elif 2 in existing:
                    services.withdraw_commitment(actor=request.user, commitment=existing[2], officer=officer)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Commitments saved."))
            if back_to_cell and cell is not None:
                return redirect(f"{_cell_url(cell.key)}?year={year}")
            return redirect(f"{_member_url(member.pk)}?year={year}")
    return render(
        request,
        "documents/member_commitments.html",
        {
            "member": member,
            "year": year,
            "form": form,
            "closed": closed,
            "existing": [existing[position] for position in sorted(existing)],
            "history": [
                (y, items) for y, items in queries.commitment_history(member, before=today.year) if y != year
            ],
            "own": own,
            "cell": cell,
            "back_to_cell": back_to_cell,
        },
    )


@login_required
def commitment_assess(request: HttpRequest, commitment_id: int) -> HttpResponse:
    """Year end: the secretary marks a commitment done or not, with a note (used by ratings)."""
    commitment = Commitment.objects.select_related("member__person").filter(pk=commitment_id).first()
    if commitment is None:
        raise Http404
    member, _own, officer = _member_for_commitments(request, commitment.member_id)
    if not officer:
        raise PermissionDenied(_("The cell's secretary assesses commitments."))
    form = AssessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.assess_commitment(actor=request.user, commitment=commitment, **form.cleaned_data)
        messages.success(request, _("Saved."))
        cell = queries.member_cell(member, timezone.localdate())
        return redirect(f"{_cell_url(cell.key)}?year={commitment.year}" if cell else "web:home")
    return render(request, "documents/assess.html", {"form": form, "commitment": commitment})


def _cell_url(key: str) -> str:
    return reverse("documents:cell_commitments", kwargs={"key": key})


def _member_url(member_id: int) -> str:
    return reverse("documents:member_commitments", kwargs={"member_id": member_id})
