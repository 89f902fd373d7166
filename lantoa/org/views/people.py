"""People and party members: search, records, changes. Sensitive fields are masked unless the
viewer's role needs them, and each reveal is logged."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.lookups import Many
from lantoa.lib.paging import CountedInPagePaginator
from lantoa.lib.privacy import record_viewing
from lantoa.lib.vi import format_date
from lantoa.org import queries, services
from lantoa.org.access import (
    Capability,
    can_on_person,
    get_person_for_user,
    get_unit_for_user,
    scope_for,
    visible_people_filter,
)
from lantoa.org.forms import AdmitMemberForm, CardChangeForm, PersonForm, PositionForm, TransferForm
from lantoa.org.models import Membership, PartyMember, Person, Position, Unit
from lantoa.org.sensitive import may_see_sensitive

from .common import as_of


def _current_cell_subquery(field: str, today: dt.date) -> Subquery:
    return Subquery(
        Membership.objects.filter(queries.valid_on(today), member__person=OuterRef("pk"))
        .order_by("-valid_from")
        .values(field)[:1]
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """Search people in the user's units, accents optional: "nguyen thanh hien" finds Nguyễn Thanh Hiền."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    found = Person.objects.filter(visible_people_filter(scope))
    found = (
        found.select_related("party_member")
        .annotate(
            cell_id=_current_cell_subquery("unit_id", today),
            cell_name=_current_cell_subquery("unit__name", today),
            cell_key=_current_cell_subquery("unit__key", today),
        )
        .order_by("search_text", "pk")
    )
    if query:
        found = queries.search_by_name(found, query)
    # One query for the page and the total: over a province the search itself is the cost.
    page = CountedInPagePaginator(found, 50).get_page(request.GET.get("page"))
    units = []
    if query:
        reached = Unit.objects.filter(pk__any_of=Many(sorted(scope.unit_ids())))
        units = list(queries.search_by_name(reached, query)[:10])
    return render(request, "org/people.html", {"page": page, "query": query, "units": units, "today": today})


@login_required
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for_user(request.user, public_id)
    scope = scope_for(request.user)
    on = as_of(request)
    member = getattr(person, "party_member", None)
    context = {
        "person": person,
        "member": member,
        "on": on,
        "may_see_sensitive": may_see_sensitive(request.user, person),
        "positions": person.positions.select_related("unit").order_by("-valid_from"),
        "audit": history_for(person, show_sensitive=False),
        "can_edit": can_on_person(scope, person, Capability.EDIT_PEOPLE),
        # Why a member is exempt (age, health) is for the officers over them, and for themself.
        "reads_exemption_reasons": scope.person_id == person.pk
        or can_on_person(scope, person, Capability.OVERSEE),
    }
    if member is not None:
        context.update(
            {
                "memberships": member.memberships.select_related("unit").order_by("-valid_from"),
                "card_changes": member.card_changes.order_by("-changed_on"),
                "exemptions": member.exemptions.order_by("-valid_from"),
                "current": queries.current_membership(member, on),
                "is_full": member.is_full_member_on(on),
                "member_audit": history_for(member, show_sensitive=False),
            }
        )
    return render(request, "org/person_detail.html", context)


@login_required
@require_GET
def person_sensitive(request: HttpRequest, public_id: str) -> HttpResponse:
    """The sensitive fields, for roles that need them; the reveal itself is audited."""
    person = get_person_for_user(request.user, public_id)
    if not may_see_sensitive(request.user, person):
        return render(request, "org/_sensitive.html", {"person": person, "denied": True}, status=403)
    _record_sensitive_view(request, person)
    return render(request, "org/_sensitive.html", {"person": person})


def _record_sensitive_view(request: HttpRequest, person: Person) -> None:
    # Filed under the person's unit so the unit's administrators see the reading in the log.
    record_viewing(actor=request.user, obj=person, unit=queries.primary_unit(person))


@login_required
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for_user(request.user, public_id, write=Capability.EDIT_PEOPLE)
    show_sensitive = may_see_sensitive(request.user, person)
    fields = ["full_name", "birth_date", "gender", "phone"] + (
        list(PersonForm.SENSITIVE) if show_sensitive else []
    )
    form = PersonForm(
        request.POST or None, initial={f: getattr(person, f) for f in fields}, show_sensitive=show_sensitive
    )
    if not form.is_bound and show_sensitive and any(getattr(person, f) for f in PersonForm.SENSITIVE):
        # The form shows the stored sensitive values: a viewing, recorded like the reveal.
        _record_sensitive_view(request, person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("org:person", public_id=person.public_id)
    return render(
        request, "org/person_form.html", {"form": form, "person": person, "title": _("Edit personal data")}
    )


@login_required
def member_create(request: HttpRequest, key: str) -> HttpResponse:
    """A new party member in this cell (the import does the same for many at once)."""
    cell = get_unit_for_user(request.user, key, write=Capability.EDIT_PEOPLE)
    if not cell.is_cell:
        messages.error(request, _("Members belong to a cell; open the cell first."))
        return redirect("org:unit", key=cell.key)
    person_form = PersonForm(request.POST or None, prefix="p")
    member_form = AdmitMemberForm(request.POST or None, prefix="m")
    if request.method == "POST" and person_form.is_valid() and member_form.is_valid():
        try:
            with transaction.atomic():
                person = services.create_person(actor=request.user, unit=cell, **person_form.cleaned_data)
                services.admit_member(
                    actor=request.user, person=person, cell=cell, **member_form.cleaned_data
                )
        except ValidationError as exc:
            apply_validation_error(member_form, exc)
        else:
            messages.success(request, _("Member %(name)s added.") % {"name": person.full_name})
            return redirect("org:person", public_id=person.public_id)
    return render(
        request,
        "org/member_form.html",
        {
            "person_form": person_form,
            "member_form": member_form,
            "unit": cell,
            "title": _("New party member"),
        },
    )


def _member_or_404(person: Person) -> PartyMember:
    member = getattr(person, "party_member", None)
    if member is None:
        raise Http404(_("This person is not a party member."))
    return member


@login_required
def member_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for_user(request.user, public_id, write=Capability.EDIT_PEOPLE)
    member = _member_or_404(person)
    scope = scope_for(request.user)
    cells = Unit.objects.filter(
        pk__in=scope.unit_ids_now(Capability.EDIT_PEOPLE), valid_to__isnull=True
    ).order_by("search_text", "name")
    form = TransferForm(request.POST or None, cells=cells, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_member(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc, aliases={"unit": "to_unit"})
        else:
            messages.success(request, _("Transferred."))
            return redirect("org:person", public_id=person.public_id)
    return render(
        request,
        "org/person_form.html",
        {"form": form, "person": person, "title": _("Transfer to another cell")},
    )


@login_required
def member_card(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for_user(request.user, public_id, write=Capability.EDIT_PEOPLE)
    member = _member_or_404(person)
    form = CardChangeForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_card_number(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc, aliases={"card_number": "new_number"})
        else:
            messages.success(request, _("Card number changed."))
            return redirect("org:person", public_id=person.public_id)
    return render(
        request, "org/person_form.html", {"form": form, "person": person, "title": _("New party card")}
    )


@login_required
def position_create(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for_user(request.user, public_id, write=Capability.EDIT_PEOPLE)
    scope = scope_for(request.user)
    units = Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.EDIT_PEOPLE)).order_by(
        "search_text", "name"
    )
    form = PositionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Post recorded."))
            return redirect("org:person", public_id=person.public_id)
    return render(request, "org/person_form.html", {"form": form, "person": person, "title": _("Add a post")})


@login_required
@require_http_methods(["GET", "POST"])
def position_end(request: HttpRequest, public_id: str, position_id: int) -> HttpResponse:
    """Ending a post today, after a question that names the person, the post and the unit."""
    person = get_person_for_user(request.user, public_id, write=Capability.EDIT_PEOPLE)
    position = Position.objects.filter(pk=position_id, person=person).select_related("unit").first()
    scope = scope_for(request.user)
    if position is None or not scope.can_now(Capability.EDIT_PEOPLE, position.unit):
        raise Http404
    today = timezone.localdate()
    if position.valid_to is not None and position.valid_to < today:
        messages.info(request, _("This post has already ended."))
        return redirect("org:person", public_id=person.public_id)
    if request.method == "POST":
        try:
            services.end_position(actor=request.user, position=position, last_day=today)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Post ended."))
        return redirect("org:person", public_id=person.public_id)
    question = _("End the post “%(post)s” of %(name)s in %(unit)s today, %(date)s?") % {
        "post": position.get_title_display(),
        "name": person.full_name,
        "unit": position.unit.name,
        "date": format_date(today),
    }
    return render(
        request,
        "includes/confirm.html",
        {
            "title": _("End a post"),
            "question": question,
            "confirm_label": _("End the post"),
            "cancel_url": reverse("org:person", args=[person.public_id]),
        },
    )
