"""Pages of the year-end council's list: the lists a user reads, assembling a unit's list for a
year from the records, curating it (remove or add with a reason), Word and Excel."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, scope_for
from lantoa.ratings.queries import ratings_of_subjects
from lantoa.web.downloads import export_response

from . import council
from .access import get_council_list_for_user
from .exporters import CouncilListExporter
from .models import CouncilList
from .views import _writable_units, unit_to_act_for


def _default_year() -> int:
    """The year a council sits on: last year until the end of March, this year from December."""
    today = timezone.localdate()
    return today.year - 1 if today.month <= 3 else today.year


@login_required
@require_GET
def council_index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    lists = (
        CouncilList.objects.filter(scope.reach_filter("unit_id", on="assembled_on"))
        .select_related("unit")
        .order_by("-year", "unit__name")
        if not scope.is_superuser
        else CouncilList.objects.select_related("unit").order_by("-year", "unit__name")
    )
    return render(
        request,
        "honours/council_index.html",
        {"lists": lists[:100], "units": _writable_units(request), "year": _default_year()},
    )


@login_required
@require_POST
def council_assemble(request: HttpRequest) -> HttpResponse:
    unit = unit_to_act_for(
        request,
        refused=_("Your role does not prepare the council's list."),
        refused_here=_("Your role does not prepare the council's list for this unit."),
    )
    if unit is None:
        return redirect("honours:council_index")
    year = whole_number(request.POST.get("year", ""), low=2000, high=timezone.localdate().year)
    if year is None:
        messages.error(request, _("Year: enter a year between 2000 and this year."))
        return redirect("honours:council_index")
    council_list = council.assemble(actor=request.user, unit=unit, year=year)
    messages.success(
        request,
        _("The list of %(unit)s for %(year)s was assembled from the records.")
        % {"unit": unit.name, "year": year},
    )
    return redirect("honours:council", public_id=council_list.public_id)


@login_required
@require_GET
def council_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    council_list = get_council_list_for_user(request.user, public_id)
    can_write = scope_for(request.user).can_now(Capability.WRITE_PROGRAMME, council_list.unit_id)
    entries = council.in_list_order(
        council_list.entries.select_related(
            "nomination__unit", "nomination__subject_person__party_member", "nomination__subject_unit"
        )
    )
    return render(
        request,
        "honours/council_detail.html",
        {
            "council_list": council_list,
            "standing": [e for e in entries if e.removed_on is None],
            "removed": [e for e in entries if e.removed_on is not None],
            "can_write": can_write,
            "addable": council.addable(council_list) if can_write else [],
            # Each subject's rating of the year: a Party periodic reward needs the top level.
            "ratings": ratings_of_subjects([e.nomination for e in entries], council_list.year),
        },
    )


def _entry(council_list: CouncilList, entry_id: int) -> council.CouncilEntry:
    entry = council_list.entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404(_("No such subject on this list."))
    return entry


@login_required
@require_POST
def council_entry(request: HttpRequest, public_id: str, entry_id: int, action: str) -> HttpResponse:
    """Remove a subject with the reason, or put it back."""
    council_list = get_council_list_for_user(request.user, public_id, write=True)
    entry = _entry(council_list, entry_id)
    try:
        if action == "remove":
            council.remove_entry(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
            messages.success(request, _("%(name)s removed from the list.") % {"name": entry.subject_label})
        elif action == "restore":
            council.restore_entry(actor=request.user, entry=entry)
            messages.success(request, _("%(name)s is back on the list.") % {"name": entry.subject_label})
        else:
            raise Http404(_("No such action."))
    except ValidationError as exc:
        messages.error(request, f"{entry.subject_label}: {' '.join(exc.messages)}")
    return redirect("honours:council", public_id=council_list.public_id)


@login_required
@require_POST
def council_add(request: HttpRequest, public_id: str) -> HttpResponse:
    council_list = get_council_list_for_user(request.user, public_id, write=True)
    # Looked up among the year's nominations under the unit only: one from elsewhere is not named.
    key = request.POST.get("nomination", "").strip()
    nomination = (
        next((n for n in council.year_nominations(council_list).filter(public_id=key)), None)
        if _is_uuid(key)
        else None
    )
    if nomination is None:
        messages.error(request, _("Choose the nomination to add."))
        return redirect("honours:council", public_id=council_list.public_id)
    try:
        council.add_entry(
            actor=request.user,
            council_list=council_list,
            nomination=nomination,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, f"{nomination.subject_label}: {' '.join(exc.messages)}")
    else:
        messages.success(request, _("%(name)s added to the list.") % {"name": nomination.subject_label})
    return redirect("honours:council", public_id=council_list.public_id)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@require_GET
def council_export(request: HttpRequest, public_id: str, file_format: str) -> HttpResponse:
    council_list = get_council_list_for_user(request.user, public_id)
    exporter = CouncilListExporter(council_list, council.standing_entries(council_list))
    if file_format == "docx":
        content = exporter.docx()
    elif file_format == "xlsx":
        content = exporter.xlsx()
    else:
        raise Http404(_("No such format."))
    return export_response(
        request,
        content,
        content_type=exporter.content_types[file_format],
        filename=exporter.filename(file_format),
        obj=council_list,
        unit=council_list.unit_id,
    )
