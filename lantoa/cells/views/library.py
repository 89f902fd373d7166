"""The study-material library: search and filter, share, correct, read, download."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import Unit

from ..access import get_material_for_user
from ..forms_library import MaterialEditForm, MaterialForm
from ..models import MaterialKind
from ..queries import library as queries
from ..services import library as services

PAGE_SIZE = 30


def _writable_units(request: HttpRequest) -> list[Unit]:
    scope = scope_for(request.user)
    return list(
        Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.WRITE_PROGRAMME)).order_by(
            "search_text", "name"
        )
    )


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in MaterialKind.values else ""
    theme = request.GET.get("theme", "")
    theme_id = whole_number(theme)
    unit_key = request.GET.get("unit", "")[:80]
    materials = queries.library_materials(scope, query=query, kind=kind, theme_id=theme_id, unit_key=unit_key)
    context: dict[str, object] = {
        "page": Paginator(materials, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "kind": kind,
        "theme_id": theme_id,
        "unit_key": unit_key,
        "kinds": MaterialKind.choices,
        "can_share": scope.can_anywhere_now(Capability.WRITE_PROGRAMME),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cells/library/list.html#results", context)
    context["themes"] = queries.theme_choices(scope)
    context["units"] = queries.library_units(scope)
    return render(request, "cells/library/list.html", context)


def _form_kwargs(request: HttpRequest, unit: Unit) -> dict[str, object]:
    return {
        "themes": queries.theme_choices(scope_for(request.user)),
        "people": queries.people_of_unit(unit, timezone.localdate()),
    }


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    """Share material for one of the user's units; with several, the unit is chosen first."""
    units = _writable_units(request)
    if not units:
        raise PermissionDenied(_("Your role can only read the library."))
    key = request.POST.get("unit") or request.GET.get("unit")
    if key:
        unit = get_unit_for_user(request.user, key, write=Capability.WRITE_PROGRAMME)
    elif len(units) == 1:
        unit = units[0]
    else:
        return render(request, "cells/library/choose_unit.html", {"units": units})
    form = MaterialForm(request.POST or None, request.FILES or None, **_form_kwargs(request, unit))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            material = services.share_material(
                actor=request.user, unit=unit, uploaded=data.pop("file"), **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Material shared."))
            return redirect("cells:material", public_id=material.public_id)
    return render(
        request,
        "cells/library/form.html",
        {"form": form, "unit": unit, "title": _("Share study material"), "material": None},
    )


@login_required
def material_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    material = get_material_for_user(request.user, public_id, write=True)
    initial = {
        "kind": material.kind,
        "title": material.title,
        "url": material.url,
        "summary": material.summary,
        "themes": list(material.themes.all()),
        "shared_by": material.shared_by,
        "shared_on": material.shared_on,
        "in_library": material.in_library,
    }
    form = MaterialEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        **_form_kwargs(request, material.unit),  # type: ignore[arg-type]
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_material(actor=request.user, material=material, uploaded=data.pop("file"), **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cells:material", public_id=material.public_id)
    return render(
        request,
        "cells/library/form.html",
        {
            "form": form,
            "unit": material.unit,
            "title": _("Correct study material"),
            "material": material,
            "file_name": PurePath(material.file.name).name if material.file else "",
        },
    )


@login_required
@require_GET
def material_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    material = get_material_for_user(request.user, public_id)
    scope = scope_for(request.user)
    return render(
        request,
        "cells/library/detail.html",
        {
            "material": material,
            "file_name": PurePath(material.file.name).name if material.file else "",
            "uses": queries.material_uses(material, scope),
            "can_write": scope.can_now(Capability.WRITE_PROGRAMME, material.unit_id),
            "audit": history_for(material, show_sensitive=False),
        },
    )


@login_required
@require_GET
def material_file(request: HttpRequest, public_id: str) -> FileResponse:
    material = get_material_for_user(request.user, public_id)
    if not material.file:
        raise Http404
    # Always a download: an uploaded file is never shown inline as if it were our page.
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=PurePath(material.file.name).name
    )
