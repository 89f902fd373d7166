"""Obligations (who must file what by when) and compliance rolled up the tree."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantoa.lib.forms import apply_validation_error
from lantoa.org.access import Capability, get_unit_for_user, readable_filter, readable_unit_ids, scope_for
from lantoa.org.models import NON_PARTY_KINDS, Unit, UnitKind
from lantoa.org.queries import valid_on
from lantoa.web.downloads import export_response

from .. import exporters, queries, services
from ..access import get_obligation_for_user
from ..forms import FilePlanForm, ObligationForm, citation_label
from ..models import Filing, Obligation, Theme
from ..services import Issuer
from .register import directive_choices, writable_units


@login_required
def obligation_list(request: HttpRequest) -> HttpResponse:
    """Obligations set by the user's units, and those their units must answer, each with how many
    units filed out of how many must. The "how many must" is the tree under the obligation's unit
    on its deadline; ``queries.obligated_counts`` finds it for the whole list in one walk, so the
    page runs the same queries for 1 obligation or 50 (no pagination needed for a term's worth)."""
    scope = scope_for(request.user)
    own_ids = scope.unit_ids()
    obligations = list(
        Obligation.objects.filter(readable_filter(scope, "unit_id", on="deadline"))
        .select_related("unit")
        .annotate(filed=Count("filings"))
        .order_by("-deadline", "title")
    )
    must = queries.obligated_counts(obligations)
    for obligation in obligations:
        obligation.must_file = must[obligation.pk]  # type: ignore[attr-defined]
    # What the user's own units must file (a cell secretary: the cell's own filing, not the
    # district's ratio).
    today = timezone.localdate()
    own = queries.own_filings(obligations, scope.root_units(), today)
    for obligation in obligations:
        obligation.own = own.get(obligation.pk, [])  # type: ignore[attr-defined]
    set_by_mine = [o for o in obligations if o.unit_id in own_ids]
    from_above = [o for o in obligations if o.unit_id not in own_ids]
    return render(
        request,
        "documents/obligation_list.html",
        {
            "set_by_mine": set_by_mine,
            "from_above": from_above,
            "today": today,
            "can_create": can_set_obligations(request),
        },
    )


def obligation_units(request: HttpRequest) -> QuerySet[Unit]:
    """The units the user may set obligations for: Party committees only (a mass organisation
    or an agency asks no Party unit to file, a cell has no unit below it), the user's own units
    first (the Huyện ủy before the communes under it). The one check behind the "New
    obligation" button, the form and its search of basis documents."""
    scope = scope_for(request.user)
    own = [grant.unit_id for grant in scope.grants]
    # An obligation is set today: by a committee the user answers for today, not one that has
    # closed (a district after 30/6/2025) or moved out of the user's units.
    return (
        writable_units(request)
        .filter(valid_on(scope.today))
        .exclude(kind__in=[UnitKind.CELL, UnitKind.GROUP, UnitKind.GRASSROOTS_CELL, *NON_PARTY_KINDS])
        .order_by(Case(When(pk__in=own, then=0), default=1), "search_text", "name")
    )


def can_set_obligations(request: HttpRequest) -> bool:
    return obligation_units(request).exists()


def _obligation_units_or_403(request: HttpRequest) -> QuerySet[Unit]:
    units = obligation_units(request)
    if not units.exists():
        raise PermissionDenied(_("Only committees set obligations for the units below them."))
    return units


def _form_initial(data: QueryDict) -> dict[str, object]:
    """What the user typed so far, to show again (unbound: no "required" errors yet) after a
    search of basis documents sent without JavaScript."""
    initial: dict[str, object] = {name: data.get(name) for name in data if name != "csrfmiddlewaretoken"}
    initial["target_kinds"] = data.getlist("target_kinds")
    initial["sources"] = data.getlist("sources")
    return initial


def _source_options(
    request: HttpRequest,
    units: QuerySet[Unit],
    key: str | None,
    query: str,
    chosen_ids: list[str],
    *,
    strict: bool = False,
) -> dict[str, object]:
    """The basis documents to tick: those already ticked (kept while the user searches on), then
    up to 20 matches of ``query`` among the documents the unit ``key`` may cite. ``strict``: a
    unit the user may not set obligations for is 404 (the form shows its own error instead)."""
    unit = units.filter(key=key).first() if key else units.first()
    if unit is None and key and strict:
        raise Http404(_("No such unit in your area."))
    readable = readable_unit_ids(scope_for(request.user))
    if unit is None:
        return {"chosen": [], "matches": [], "sources_q": query, "more": False}
    citable = queries.citable_documents(unit, readable)
    valid_ids = [value for value in chosen_ids if _is_uuid(value)]
    chosen = list(citable.filter(public_id__in=valid_ids).order_by("-issued_on"))
    matches = [
        d
        for d in queries.search_citable(citable, query, limit=queries.CITABLE_LIMIT + len(chosen) + 1)
        if d not in chosen
    ]
    return {
        "chosen": [(d, citation_label(d)) for d in chosen],
        "matches": [(d, citation_label(d)) for d in matches[: queries.CITABLE_LIMIT]],
        "more": len(matches) > queries.CITABLE_LIMIT,
        "sources_q": query,
        "unit": unit,
    }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def obligation_create(request: HttpRequest) -> HttpResponse:
    units = _obligation_units_or_403(request)
    themes = Theme.objects.filter(unit__in=units).order_by("-year")
    scope = scope_for(request.user)
    searching = request.method == "POST" and "find" in request.POST
    if searching:
        form = ObligationForm(initial=_form_initial(request.POST), units=units, scope=scope, themes=themes)
    else:
        form = ObligationForm(
            request.POST or None,
            units=units,
            scope=scope,
            themes=themes,
            initial={"unit": units.first()},
        )
    if request.method == "POST" and not searching and form.is_valid():
        try:
            obligation = services.create_obligation(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Obligation created."))
            return redirect("documents:obligation", public_id=obligation.public_id)
    data = request.POST if request.method == "POST" else request.GET
    options = _source_options(
        request, units, data.get("unit"), data.get("sources_q", ""), data.getlist("sources")
    )
    form.fields["sources"].widget.picker = options
    return render(request, "documents/form.html", {"form": form, "title": _("New obligation")})


@login_required
@require_GET
def obligation_sources(request: HttpRequest) -> HttpResponse:
    """The basis documents matching what the user typed, as checkboxes for the form (htmx)."""
    units = _obligation_units_or_403(request)
    options = _source_options(
        request,
        units,
        request.GET.get("unit"),
        request.GET.get("sources_q", ""),
        request.GET.getlist("sources"),
        strict=True,
    )
    return render(request, "documents/_source_options.html", options)


def _view_root(request: HttpRequest, obligation: Obligation, result: queries.Compliance) -> int:
    """The unit the page is about: ?unit=key if the user may see it, else the highest unit of the
    obligation's tree the user may see. Never a unit outside the user's scope."""
    scope = scope_for(request.user)
    visible = scope.unit_ids()
    key = request.GET.get("unit")
    if key:
        unit = get_unit_for_user(request.user, key)
        if unit.pk not in result.units:
            raise Http404(_("This unit is not part of this obligation."))
        return unit.pk
    if obligation.unit_id in visible and obligation.unit_id in result.units:
        return obligation.unit_id
    for pk in sorted(result.units, key=lambda pk: len(result.path(pk))):
        if pk in visible:
            return pk
    raise Http404(_("None of your units must file for this."))


# Units with something to chase come first: overdue, then not yet due, then late, then on time.
_STATUS_ORDER = {
    queries.Status.MISSING: 0,
    queries.Status.PENDING: 1,
    queries.Status.LATE: 2,
    queries.Status.ON_TIME: 3,
}


def _own_status(request: HttpRequest, result: queries.Compliance) -> list[dict[str, object]]:
    """Where the user's own units stand (a cell secretary opening an obligation of their cell):
    each unit the user holds a role on that must file, with its filing or the way to file."""
    scope = scope_for(request.user)
    mine = [
        unit
        for unit in sorted(scope.root_units(), key=lambda u: (u.search_text, u.name))
        if unit.pk in result.obligated
    ]
    queries.with_documents(result.filings.get(unit.pk) for unit in mine)
    return [
        {
            "unit": unit,
            "status": result.status[unit.pk],
            "filing": result.filings.get(unit.pk),
            "can_file": scope.can_now(Capability.WRITE_PROGRAMME, unit.pk) and unit.pk not in result.filings,
        }
        for unit in mine
    ]


# Past this many units, the list folds by the units below the one on screen: a district's 212
# cells listed one under another made a 36 000 px page on a phone.
FOLD_AT = 30
# A province's obligation reaches ten thousand cells: the page lists this many (those to chase
# first) and says how many more there are; the units below and the Excel list cover the rest.
ROWS_SHOWN = 300


def _fold_by_child(
    result: queries.Compliance, children: list[int], listed: list[dict[str, Any]], cut: bool
) -> list[dict[str, Any]] | None:
    """The listed units grouped under the unit below the one on screen they belong to (a
    commune's cells under the commune), each group with its counts; None when there is no level
    to fold by. Units directly under the one on screen (a grassroots cell under the district)
    form groups of their own. When the list was ``cut`` short, every unit below that must file
    has its group, those whose units were left out without rows (the page links to them)."""
    group_of: dict[int, int] = {}
    for child in children:
        for pk in result.units_under(child):
            group_of[pk] = child
    rows: dict[int, list[dict[str, Any]]] = {}
    for row in listed:
        unit = row["unit"]
        assert isinstance(unit, queries.UnitBrief)
        rows.setdefault(group_of.get(unit.pk, 0), []).append(row)
    if len(rows) < 2 and not cut:
        return None
    grouped = [c for c in children if c in rows or (cut and result.totals[c].total)]
    # Groups with units still to chase first; the tree's order within each kind.
    chase = sorted(grouped, key=lambda c: result.totals[c].not_filed == 0)
    return [{"unit": result.units[c], "counts": result.totals[c], "rows": rows.get(c, [])} for c in chase]


@login_required
def obligation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Compliance of the unit on screen: totals, the units below, and every unit that must file
    (?missing=1: only those that have not), units to chase first."""
    obligation = get_obligation_for_user(request.user, public_id)
    today = timezone.localdate()
    result = queries.compliance(obligation, today)
    root = _view_root(request, obligation, result)
    scope = scope_for(request.user)
    only_missing = request.GET.get("missing") == "1"
    children = sorted(result.children_of.get(root, []), key=result.name_key)
    child_rows = [(result.units[pk], result.totals[pk]) for pk in children if result.totals[pk].total]
    under = result.units_under(root)
    if only_missing:
        under = [pk for pk in under if result.status[pk] in (queries.Status.MISSING, queries.Status.PENDING)]
    # sorted() keeps the tree order within each status; units to chase come first, so the rows a
    # province's page leaves out are those that filed.
    shown = sorted(under, key=lambda pk: _STATUS_ORDER[result.status[pk]])[:ROWS_SHOWN]
    queries.with_documents(result.filings.get(pk) for pk in shown)
    listed = [
        {
            "unit": result.units[pk],
            "parent": result.units.get(result.parent_of.get(pk) or 0),
            "status": result.status[pk],
            "filing": result.filings.get(pk),
            "can_file": scope.can_now(Capability.WRITE_PROGRAMME, pk) and pk not in result.filings,
        }
        for pk in shown
    ]
    cut = len(shown) < len(under)
    groups = _fold_by_child(result, children, listed, cut) if len(listed) > FOLD_AT else None
    own = _own_status(request, result)
    return render(
        request,
        "documents/obligation_detail.html",
        {
            "obligation": obligation,
            "root": Unit.objects.get(pk=root),
            "path": [u for u in result.path(root) if u.pk in scope.unit_ids() or u.pk == root],
            "totals": result.totals[root],
            "child_rows": child_rows,
            "listed": listed,
            "only_missing": only_missing,
            "groups": groups,
            "not_shown": len(under) - len(shown),
            "shown": len(shown),
            "own": own,
            "overdue": today > obligation.deadline,
            "sources": obligation.sources.all(),
            "today": today,
        },
    )


@login_required
def obligation_missing_xlsx(request: HttpRequest, public_id: str) -> HttpResponse:
    """The "not yet filed" list of the unit on screen, as a spreadsheet."""
    obligation = get_obligation_for_user(request.user, public_id)
    result = queries.compliance(obligation, timezone.localdate())
    root = _view_root(request, obligation, result)
    content = exporters.not_filed_xlsx(obligation, result, root)
    return export_response(
        request,
        content,
        content_type=exporters.XLSX_CONTENT_TYPE,
        filename=f"chua-nop-{obligation.year}-{result.units[root].key}.xlsx",
        obj=obligation,
        unit=Unit.objects.get(pk=root),
        note="not filed",
    )


@login_required
def obligation_file(request: HttpRequest, public_id: str, key: str) -> HttpResponse:
    """A unit files its plan for the obligation: a numbered document of its own with the file."""
    obligation = get_obligation_for_user(request.user, public_id)
    unit = get_unit_for_user(request.user, key, write=Capability.WRITE_PROGRAMME)
    if unit.pk not in queries.obligated_unit_ids(obligation):
        raise Http404(_("This unit does not have to file for this."))
    if Filing.objects.filter(obligation=obligation, unit=unit).exists():
        messages.info(request, _("%(unit)s has already filed.") % {"unit": unit.name})
        return redirect(f"{obligation_url(obligation)}?unit={unit.key}")
    initial = {
        "summary": obligation.title[:1].lower() + obligation.title[1:],
        "implements": obligation.sources.all(),
    }
    form = FilePlanForm(
        request.POST or None, request.FILES or None, directives=directive_choices(request), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                document = services.issue_document(
                    actor=request.user,
                    issuer=Issuer(unit=unit),
                    type_code=obligation.required_type,
                    issued_on=data["issued_on"],
                    number=data["number"],
                    summary=data["summary"],
                    signing_form="T/M",
                    signing_body="CHI BỘ" if unit.is_cell else "BAN THƯỜNG VỤ",
                    signer_title=data["signer_title"],
                    signer_name=data["signer_name"],
                    implements=data["implements"],
                )
                services.attach_file(actor=request.user, document=document, uploaded=data["file"])
                services.file_document(
                    actor=request.user,
                    obligation=obligation,
                    unit=unit,
                    document=document,
                    filed_on=data["filed_on"],
                )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(line)s filed.") % {"line": document.number_line})
            return redirect(f"{obligation_url(obligation)}?unit={unit.key}")
    return render(
        request,
        "documents/file_plan.html",
        {"form": form, "obligation": obligation, "unit": unit},
    )


def obligation_url(obligation: Obligation) -> str:
    return reverse("documents:obligation", kwargs={"public_id": obligation.public_id})
