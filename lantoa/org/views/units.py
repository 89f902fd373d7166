"""Browsing and changing the tree of units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error
from lantoa.org import queries, services
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.forms import CloseUnitForm, MergeUnitsForm, MoveUnitForm, UnitForm
from lantoa.org.models import Unit, UnitKind

from .common import as_of


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree as it stood on a date, or the units whose names match a search."""
    scope = scope_for(request.user)
    roots = scope.root_units()
    on = as_of(request, last_day=_last_open_day(roots))
    query = request.GET.get("q", "").strip()
    if query:
        # Folded order: Đ sorts with D and Ấ with A, as people read them.
        matches = queries.search_by_name(Unit.objects.filter(pk__in=scope.unit_ids()), query)
        page = Paginator(matches, 50).get_page(request.GET.get("page"))
        return render(request, "org/unit_search.html", {"page": page, "query": query, "on": on})
    rows = queries.tree(roots, on)
    return render(
        request,
        "org/tree.html",
        {
            "nodes": _nest(rows, on),
            "on": on,
            "can_manage_tree": scope.can_anywhere_now(Capability.MANAGE_TREE),
        },
    )


@login_required
def tree_children(request: HttpRequest, key: str) -> HttpResponse:
    """The units under one unit on a day, for a folded branch of the tree opened on the page
    (a province's ten thousand cells are not sent until someone opens their committee)."""
    unit = get_unit_for_user(request.user, key)
    on = as_of(request, last_day=unit.valid_to, unit=unit)
    rows = [row for row in queries.tree([unit], on) if row.unit.pk != unit.pk]
    return render(request, "org/_tree_nodes.html", {"nodes": _nest(rows, on), "on": on})


def _last_open_day(roots: list[Unit]) -> dt.date | None:
    """When every unit the user covers has closed (a district after 30/6/2025), the tree opens
    on the last day any of them existed instead of showing nothing."""
    if not roots or any(root.valid_to is None for root in roots):
        return None
    return max(root.valid_to for root in roots if root.valid_to)


def _nest(rows: list[queries.TreeNode], on: dt.date) -> list[dict[str, object]]:
    """Depth-first rows → nested nodes for the recursive tree template, with each unit's own
    members counted in one query."""
    counts = queries.member_counts([row.unit.pk for row in rows], on)
    nodes: dict[int, dict[str, object]] = {}
    top: list[dict[str, object]] = []
    for row in rows:
        node: dict[str, object] = {
            "unit": row.unit,
            "count": counts.get(row.unit.pk, 0),
            "children": [],
            "child_count": row.child_count,
            "folded": row.child_count > 0 and not row.children_shown,
        }
        nodes[row.unit.pk] = node
        parent = nodes.get(row.parent_id) if row.parent_id is not None else None
        if parent is None:
            top.append(node)
        else:
            parent["children"].append(node)  # type: ignore[attr-defined]
    return top


@login_required
def unit_detail(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key)
    scope = scope_for(request.user)
    on = as_of(request, last_day=unit.valid_to, unit=unit)
    child_units = list(queries.children(unit, on).order_by("search_text", "name"))
    counts = queries.member_counts([unit.pk, *[c.pk for c in child_units]], on)
    memberships = list(queries.memberships_on([unit.pk], on)) if unit.is_cell else []
    full = sum(1 for m in memberships if m.member.is_full_member_on(on))
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "on": on,
            "path": queries.path_to_root(unit, on),
            "children": child_units,
            "counts": counts,
            "memberships": memberships,
            "full_count": full,
            "probationary_count": len(memberships) - full,
            "positions": queries.positions_on(unit, on),
            "staff_bodies": _staff_body_names(unit, on),
            "history": queries.unit_history(unit),
            "audit": history_for(unit, show_sensitive=False),
            "reach": scope.reach_of(unit),
            "open_now": unit.valid_to is None or unit.valid_to >= timezone.localdate(),
            "can_manage": scope.can_now(Capability.MANAGE_TREE, unit),
            "can_edit_people": scope.can_now(Capability.EDIT_PEOPLE, unit),
            "can_export": scope.can(Capability.VIEW, unit),
        },
    )


def _staff_body_names(unit: Unit, on: dt.date) -> list[dict[str, Any]]:
    """Each staff body of the unit with the name it had on ``on`` and its naming history."""
    result = []
    for body in unit.staff_bodies.prefetch_related("names"):
        names = list(body.names.all())
        current = next(
            (n for n in names if n.valid_from <= on and (n.valid_to is None or on <= n.valid_to)), None
        )
        result.append({"body": body, "current": current, "all": names})
    return result


def _manageable_parents(request: HttpRequest) -> QuerySet[Unit]:
    scope = scope_for(request.user)
    return (
        Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.MANAGE_TREE))
        .exclude(kind__in=[UnitKind.GROUP])
        .order_by("search_text", "name")
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_anywhere_now(Capability.MANAGE_TREE):
        raise PermissionDenied(_("Only administrators change the tree."))
    parents = _manageable_parents(request)
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is None and not scope.is_superuser:
            form.add_error("parent", _("Choose the unit it sits under."))
        else:
            try:
                unit = services.create_unit(actor=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
                return redirect("org:unit", key=unit.key)
    return render(request, "org/unit_form.html", {"form": form, "title": _("New unit")})


@login_required
def unit_edit(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key, write=Capability.MANAGE_TREE)
    initial = {
        field: getattr(unit, field)
        for field in ("name", "short_code", "kind", "note", "place_name", "letterhead_name", "residential")
    }
    form = UnitForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("org:unit", key=unit.key)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "title": _("Edit unit")})


@login_required
def unit_move(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key, write=Capability.MANAGE_TREE)
    form = MoveUnitForm(request.POST or None, parents=_manageable_parents(request).exclude(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Moved."))
            return redirect("org:unit", key=unit.key)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "title": _("Move unit")})


@login_required
def unit_close(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key, write=Capability.MANAGE_TREE)
    form = CloseUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Unit closed."))
            return redirect("org:unit", key=unit.key)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "title": _("Close unit")})


@login_required
def unit_merge(request: HttpRequest, key: str) -> HttpResponse:
    """Merge other units into this one (the target)."""
    target = get_unit_for_user(request.user, key, write=Capability.MANAGE_TREE)
    scope = scope_for(request.user)
    candidates = (
        Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.MANAGE_TREE), valid_to__isnull=True)
        .exclude(pk=target.pk)
        .order_by("search_text", "name")
    )
    form = MergeUnitsForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.merge_units(
                actor=request.user,
                sources=list(data["sources"]),
                target=target,
                on=data["on"],
                kind=data["kind"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Merged."))
            return redirect("org:unit", key=target.key)
    return render(
        request, "org/unit_form.html", {"form": form, "unit": target, "title": _("Merge units into this one")}
    )
