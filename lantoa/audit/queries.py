"""Reading the audit trail: the history shown on each record's page and the administrators' log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.lib.privacy import sensitive_fields
from lantoa.lib.text import fold, whole_number
from lantoa.lib.vi import format_datetime

from .models import AuditEntry
from .services import SYSTEM_ACTOR_NAME

# Names of pseudo-fields some audit entries carry (moves, transfers) that are not model fields,
# and labels for model fields whose verbose name Django made up from the field's name.
_FIELD_LABELS = {
    "parent": _("parent unit"),
    "from": _("from"),
    "cell": _("cell"),
    "staff_body": _("staff body"),
    "status": _("status"),
    "user": _("account"),
    "valid_from": _("from"),
    "valid_to": _("to"),
    "reason": _("reason"),
    "note": _("note"),
}


@cache
def _labels(model: type[models.Model]) -> dict[str, Any]:
    """Field name → the label people read, for one model (lazy, so the language is the reader's)."""
    labels: dict[str, Any] = {}
    for field in model._meta.get_fields():
        verbose = getattr(field, "verbose_name", None)
        # Django names a field without a label after itself ("valid from"), as a plain string.
        made_up = verbose is None or (
            not isinstance(verbose, Promise) and verbose == field.name.replace("_", " ")
        )
        if not made_up:
            labels[field.name] = verbose
        elif field.name in _FIELD_LABELS:
            labels[field.name] = _FIELD_LABELS[field.name]
        elif (
            field.many_to_one
            and isinstance(field.related_model, type)
            and issubclass(field.related_model, models.Model)
        ):
            # A foreign key without its own label (RoleGrant.user) reads as the model it points to.
            labels[field.name] = field.related_model._meta.verbose_name
    return labels


def field_label(model: type[models.Model] | None, name: str) -> str:
    """How a field recorded in ``AuditEntry.changes`` is shown: its verbose name, not ``valid_from``."""
    label = _labels(model).get(name) if model is not None else None
    return str(label if label is not None else _FIELD_LABELS.get(name, name.replace("_", " ")))


# Entries written before moments were recorded as people read them kept ISO timestamps.
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def shown_value(value: Any) -> Any:
    """A value kept in an entry's changes, as the pages show it (``19:56 06/12/2026``, not
    ``2026-12-06T12:56:36.176750+00:00``)."""
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return format_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def history_for(obj: models.Model, *, show_sensitive: bool, limit: int = 30) -> list[dict[str, Any]]:
    """Audit entries of one record, newest first; sensitive values masked unless allowed."""
    entries = (
        AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    hidden = set(sensitive_fields(obj))
    model = type(obj)
    result = []
    for entry in entries:
        changes = []
        for field, (before, after) in sorted(entry.changes.items()):
            before, after = shown_value(before), shown_value(after)
            if field in hidden and not show_sensitive:
                before, after = ("•••" if before else before), ("•••" if after else after)
            changes.append({"field": field_label(model, field), "before": before, "after": after})
        result.append({"entry": entry, "who": actor_display(entry), "changes": changes})
    return result


def changed_fields(entry: AuditEntry) -> list[str]:
    """The labels of the fields an entry changed (no values: the log never shows them). Loads no
    row when ``target_type`` came with the entry (``select_related``)."""
    model = entry.target_type.model_class() if entry.target_type is not None else None
    return [field_label(model, name) for name in sorted(entry.changes)]


# ---------------------------------------------------------------------------------------------
# The administrators' log
# ---------------------------------------------------------------------------------------------

SYSTEM_ACTOR = "system"
_SYSTEM = Q(actor__isnull=True, actor_name__in=[SYSTEM_ACTOR_NAME, ""])


def actor_display(entry: AuditEntry) -> tuple[str, str]:
    """(name, username) of who acted: the account's full name and its username, the username
    alone when there is no full name, "System" for the system, or the username kept when the
    account was deleted."""
    if entry.actor is not None:
        full_name = entry.actor.get_full_name()
        return (full_name, entry.actor.username) if full_name else (entry.actor.username, "")
    if entry.actor_name in (SYSTEM_ACTOR_NAME, ""):
        return str(pgettext_lazy("who acted", "System")), ""
    return entry.actor_name, ""


@dataclass(frozen=True)
class Actor:
    """Someone who appears in the log: ``value`` is what the filter sends back."""

    value: str
    full_name: str
    username: str


def actors_in(entries: QuerySet[AuditEntry]) -> list[Actor]:
    """Everyone who acted in ``entries`` (the entries the reader may see), by name; one query.
    Entries of the system itself (the demo, imports run from the command line) come last."""
    rows = (
        entries.order_by()
        .annotate(
            # Only the system's own name counts: a deleted account's entries keep its username.
            system=Case(
                When(_SYSTEM, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values_list("actor_id", "actor__username", "actor__first_name", "actor__last_name", "system")
        .distinct()
    )
    people, system = [], False
    for actor_id, username, first, last, is_system in rows:
        if actor_id is None:
            system = system or is_system
            continue
        full = f"{first} {last}".strip()
        people.append(Actor(str(actor_id), full or username, username))
    people.sort(key=lambda a: (fold(a.full_name), a.username))
    if system:
        people.append(Actor(SYSTEM_ACTOR, str(pgettext_lazy("who acted", "System")), ""))
    return people


def filter_log(
    entries: QuerySet[AuditEntry],
    *,
    action: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The log narrowed by action, actor (an id or :data:`SYSTEM_ACTOR`) and days (inclusive, in
    the server's time zone)."""
    if action:
        entries = entries.filter(action=action)
    if actor == SYSTEM_ACTOR:
        entries = entries.filter(_SYSTEM)
    elif (actor_id := whole_number(actor)) is not None:
        entries = entries.filter(actor_id=actor_id)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return entries


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def visible_log(unit_ids: Iterable[int] | None, actor: Any) -> QuerySet[AuditEntry]:
    """The entries an administrator reads: those filed under their units and their own acts
    (``unit_ids`` None: everything, for the superuser)."""
    entries = AuditEntry.objects.select_related("unit", "actor", "target_type").order_by("-at", "-id")
    if unit_ids is None:
        return entries
    return entries.filter(Q(unit_id__in=list(unit_ids)) | Q(actor=actor))
