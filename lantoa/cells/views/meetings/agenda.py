"""The agenda and minutes of a meeting, item by item (htmx partials on a phone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.lib.forms import apply_validation_error

from ...forms_meetings import (
    AddItemForm,
    AgendaItemForm,
    OpinionForm,
    ResolutionForm,
)
from ...queries import meetings as queries
from ...services import meetings as services
from .common import (
    _can_write,
    _error,
    _htmx,
    _item,
    _item_response,
    _load,
    _meeting_url,
    _speakers,
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@login_required
def agenda_item(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Edit one item's minutes: title, presenter, content, conclusion, vote. Inline on the
    meeting page with htmx; a page of its own without."""
    meeting = _load(request, public_id, write=True)
    if meeting.is_frozen:
        raise PermissionDenied(_("The minutes are approved and frozen."))
    if request.method == "GET" and "show" in request.GET:  # "Cancel" on the inline form
        return _item_response(request, meeting, item_id)
    item = _item(meeting, item_id)
    rows = queries.attendance_rows(meeting)
    people = _speakers(meeting, rows)
    initial = {
        "title": item.title,
        "presenter": item.presenter_id or "",
        "content": item.content,
        "conclusion": item.conclusion,
        "votes_for": item.votes_for,
        "votes_against": item.votes_against,
        "votes_total": item.votes_total,
    }
    form = AgendaItemForm(
        request.POST or None,
        people=people,
        presenter=item.presenter,
        initial=initial,
        auto_id=f"item{item.pk}_%s",  # several items may be open for editing on one page
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_item_minutes(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not _htmx(request):
                messages.success(request, _("Saved."))
            return _item_response(request, meeting, item.pk)
    context = {
        "meeting": meeting,
        "item": item,
        "form": form,
        "present": queries.attendance_totals(rows).present.total,
    }
    template = "cells/meetings/item_form.html"
    return render(request, f"{template}#form" if _htmx(request) else template, context)


@login_required
@require_POST
def agenda_add(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    form = AddItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_agenda_item(
                actor=request.user, meeting=meeting, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    else:
        messages.error(request, _("Give the item a title."))
    return redirect(_meeting_url(meeting, "agenda"))


@login_required
@require_POST
def agenda_move(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    try:
        services.move_agenda_item(actor=request.user, item=item, up=request.POST.get("direction") != "down")
    except ValidationError as exc:
        _error(request, exc)
    return redirect(_meeting_url(meeting, f"item-{item.pk}"))


@login_required
@require_POST
def agenda_remove(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    try:
        services.remove_agenda_item(actor=request.user, item=item)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Item removed from the agenda."))
    return redirect(_meeting_url(meeting, "agenda"))


@login_required
@require_POST
def opinion_add(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    form = OpinionForm(request.POST, people=_speakers(meeting, queries.attendance_rows(meeting)))
    if form.is_valid():
        try:
            services.add_opinion(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choose who spoke and write what they said."))
    return _item_response(request, meeting, item.pk)


@login_required
@require_POST
def opinion_remove(request: HttpRequest, public_id: str, item_id: int, opinion_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    opinion = next((o for o in item.opinions.all() if o.pk == opinion_id), None)
    if opinion is None:
        raise Http404(_("No such opinion."))
    opinion.item = item
    try:
        services.remove_opinion(actor=request.user, opinion=opinion)
    except ValidationError as exc:
        _error(request, exc)
    return _item_response(request, meeting, item.pk)


@login_required
def resolution(request: HttpRequest, public_id: str) -> HttpResponse:
    """The resolution of the meeting, edited inline (htmx) or on a page of its own."""
    editing = request.method == "POST" or "edit" in request.GET
    meeting = _load(request, public_id, write=editing)
    if editing and meeting.is_frozen:
        raise PermissionDenied(_("The minutes are approved and frozen."))
    form = ResolutionForm(request.POST or None, initial={"resolution": meeting.resolution})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not _htmx(request):
                messages.success(request, _("Saved."))
                return redirect(_meeting_url(meeting, "resolution"))
            editing = False
    if not editing and not _htmx(request):
        return redirect(_meeting_url(meeting, "resolution"))
    context = {
        "meeting": meeting,
        "editable": _can_write(request, meeting) and not meeting.is_frozen,
        "resolution_form": form,
        "editing": editing,
    }
    if _htmx(request):
        return render(request, "cells/meetings/detail.html#resolution", context)
    return render(request, "cells/meetings/resolution.html", context)
