"""Reading the study-material library: search, filters, who may be named as the sharer, and the
picker the meetings' study item uses.

Search is diacritic-insensitive and word-wise: "bac ho tiet kiem" finds "Bác Hồ … tiết kiệm" in
any order, because every folded word must occur in the stored ``search_text`` (title, summary
and the sharer's name, folded when the material is saved).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from lantoa.documents.models import Theme
from lantoa.lib.text import fold
from lantoa.org.access import Capability, Scope, readable_unit_ids
from lantoa.org.models import Person, Unit
from lantoa.org.queries import valid_on

from ..access import materials_visible_filter
from ..models import AgendaItem, StudyMaterial

PICKER_LIMIT = 20


def search_filter(query: str) -> Q:
    """Every folded word of ``query`` must occur in the material's search text (AND, any order)."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(search_text__contains=word)
    return condition


def visible_materials(scope: Scope) -> QuerySet[StudyMaterial]:
    """Material of the user's own units, and what any unit of their district put in the library."""
    return StudyMaterial.objects.filter(materials_visible_filter(scope))


def library_materials(
    scope: Scope,
    *,
    query: str = "",
    kind: str = "",
    theme_id: int | None = None,
    unit_key: str = "",
) -> QuerySet[StudyMaterial]:
    """The library page: newest first, with what each row shows loaded in two extra queries."""
    materials = visible_materials(scope).filter(search_filter(query))
    if kind:
        materials = materials.filter(kind=kind)
    if theme_id is not None:
        materials = materials.filter(themes__id=theme_id)
    if unit_key:
        materials = materials.filter(unit__key=unit_key)
    return (
        materials.select_related("unit", "shared_by")
        .prefetch_related("themes")
        .order_by("-shared_on", "-id")
        .distinct()
    )


def materials_for_picker(scope: Scope, query: str, *, limit: int = PICKER_LIMIT) -> list[StudyMaterial]:
    """For the meetings' study item (AgendaItem.materials): the material the user may attach that
    matches ``query``, newest first, at most ``limit``. One query."""
    return list(
        visible_materials(scope)
        .filter(search_filter(query))
        .select_related("unit", "shared_by")
        .order_by("-shared_on", "-id")[:limit]
    )


def library_units(scope: Scope) -> QuerySet[Unit]:
    """Units that have material the user sees (the "shared by unit" filter)."""
    return Unit.objects.filter(pk__in=visible_materials(scope).values("unit_id")).order_by(
        "search_text", "name"
    )


def theme_choices(scope: Scope) -> QuerySet[Theme]:
    """Themes a material may be tagged with: those set by the user's units or above, and the
    whole-term themes that belong to no unit."""
    return Theme.objects.filter(Q(unit_id__in=readable_unit_ids(scope)) | Q(unit__isnull=True)).order_by(
        "-year", "id"
    )


def people_of_unit(unit: Unit, on: dt.date) -> QuerySet[Person]:
    """Who may be named as having shared material for ``unit`` on ``on``: its members that day
    and the people holding a post in it."""
    open_membership = valid_on(on, "party_member__memberships__")
    open_position = valid_on(on, "positions__")
    return (
        Person.objects.filter(
            (open_membership & Q(party_member__memberships__unit=unit))
            | (open_position & Q(positions__unit=unit))
        )
        .distinct()
        .order_by("search_text", "full_name")
    )


def material_uses(material: StudyMaterial, scope: Scope) -> QuerySet[AgendaItem]:
    """The meetings where the material was presented, as far as the user may see those meetings."""
    items = material.agenda_items.select_related("meeting__unit", "presenter")
    if not scope.is_superuser:
        items = items.filter(meeting__unit_id__in=scope.unit_ids(Capability.VIEW))
    return items.order_by("-meeting__date", "order")
