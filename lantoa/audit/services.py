"""Writing the audit trail. Every service that changes domain data calls one of these in the
same transaction as the change, so a change and its record land or fail together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lantoa.lib.vi import format_date, format_datetime

from .models import AuditAction, AuditEntry

Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """The named fields of ``obj`` as people read them (dates dd/mm/yyyy, related rows by name)."""
    result: Snapshot = {}
    for name in fields:
        value = getattr(obj, name)
        field = obj._meta.get_field(name)
        if getattr(field, "choices", None) and value not in (None, ""):
            value = getattr(obj, f"get_{name}_display")()
        result[name] = _jsonable(value)
    return result


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


# The name kept for acts of no account (the demo loader, commands): shown translated in the log.
SYSTEM_ACTOR_NAME = "hệ thống"


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM_ACTOR_NAME
    return actor.get_username()


def _unit_id_of(unit: Any) -> int | None:
    return getattr(unit, "pk", unit)


def build_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    unit: Any = None,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    content_type: ContentType | None = None,
) -> AuditEntry:
    """An unsaved entry, for callers that write many at once with bulk_create."""
    if obj is not None and content_type is None:
        content_type = ContentType.objects.get_for_model(obj)
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_actor_name(actor),
        action=action,
        target_type=content_type,
        target_id=str(obj.pk) if obj is not None else "",
        target_repr=str(obj)[:300] if obj is not None else "",
        unit_id=_unit_id_of(unit),
        changes=changes or {},
        note=note,
    )


def record_create(*, actor: Any, obj: models.Model, fields: Iterable[str], unit: Any = None) -> AuditEntry:
    # A new record's empty fields are not news: they are left out of its first entry.
    after = {name: value for name, value in snapshot(obj, fields).items() if value not in (None, "")}
    entry = build_entry(actor=actor, action=AuditAction.CREATE, obj=obj, unit=unit, changes=diff({}, after))
    entry.save()
    return entry


def record_update(
    *,
    actor: Any,
    obj: models.Model,
    before: Snapshot,
    fields: Iterable[str],
    unit: Any = None,
    note: str = "",
) -> AuditEntry | None:
    """Record what changed since ``before``; nothing is written when nothing changed."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return None
    entry = build_entry(
        actor=actor, action=AuditAction.UPDATE, obj=obj, unit=unit, changes=changes, note=note
    )
    entry.save()
    return entry


def record_updates(
    *, actor: Any, changed: Iterable[tuple[models.Model, Snapshot]], fields: Iterable[str], unit: Any = None
) -> list[AuditEntry]:
    """``record_update`` for many objects in one insert (a committee deciding 2 000 ratings at
    once): an entry for each object whose fields changed since its snapshot."""
    fields = list(fields)
    content_type: ContentType | None = None
    entries = []
    for obj, before in changed:
        changes = diff(before, snapshot(obj, fields))
        if changes:
            content_type = content_type or ContentType.objects.get_for_model(obj)
            entries.append(
                build_entry(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=obj,
                    unit=unit,
                    changes=changes,
                    content_type=content_type,
                )
            )
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def record_delete(*, actor: Any, obj: models.Model, before: Snapshot, unit: Any = None) -> AuditEntry:
    entry = build_entry(actor=actor, action=AuditAction.DELETE, obj=obj, unit=unit, changes=diff(before, {}))
    entry.save()
    return entry


def record_event(
    *, actor: Any, action: str, obj: models.Model | None = None, unit: Any = None, note: str = ""
) -> AuditEntry:
    """A read of sensitive data, an export or an import: no before/after, but who and when."""
    entry = build_entry(actor=actor, action=action, obj=obj, unit=unit, note=note)
    entry.save()
    return entry
