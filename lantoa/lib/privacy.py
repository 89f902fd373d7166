"""Sensitive personal data: one declared policy that any model can use.

A model with sensitive fields declares them, once, as a class attribute::

    SENSITIVE = SensitiveData(
        fields=("ethnicity", "religion", "id_number", "health_note"),
        readers="lantoa.org.sensitive.readable_people_among",
    )

``readers`` names a function ``(user, objects) -> set of primary keys``: which of the objects the
user may read in full (and change: a form that may not show a value may not change it either,
it would confirm a guess). Everything else asks this module:

- ``readable(user, objects)``: the keys the user reads in full (one call for a whole list);
- ``read_in_full(user, objects)``: the same, for a page about to show them, logging each viewing;
- ``record_viewing(actor, obj)``: a viewing of full data goes into the audit log.

What stands in for a masked value is ``MASK``, the same six dots whether a value is stored or not
and whatever its length (an empty field, or "Kinh" against "Khmer", would give something away),
unless the model has a kinder label of its own (a sponsored child's ``masked_label``,
"N. T. H. (2015)": the initials and the birth year the fund's members may know). The audit log
masks the same fields
(``audit.queries.history_for``), so an old value never leaks through a record's history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.module_loading import import_string

MASK = "•" * 6

Readers = Callable[[Any, list[Any]], set[Any]]


@dataclass(frozen=True)
class SensitiveData:
    fields: tuple[str, ...]
    # Dotted path of ``(user, objects) -> keys read in full``, imported when first asked (the
    # rule usually lives beside the model's views and imports the model).
    readers: str

    def readers_function(self) -> Readers:
        return import_string(self.readers)


def policy_of(model: type[models.Model] | models.Model) -> SensitiveData | None:
    return getattr(model, "SENSITIVE", None)


def sensitive_fields(model: type[models.Model] | models.Model) -> tuple[str, ...]:
    policy = policy_of(model)
    return policy.fields if policy else ()


def readable(user: Any, objects: Iterable[models.Model]) -> set[Any]:
    """The primary keys of ``objects`` whose sensitive data ``user`` reads in full. ``None`` is
    the system itself (a command run on the server), which reads everything."""
    objects = list(objects)
    if not objects:
        return set()
    if user is None:
        return {obj.pk for obj in objects}
    if not getattr(user, "is_authenticated", False):
        return set()
    policy = policy_of(objects[0])
    if policy is None:
        return {obj.pk for obj in objects}
    return policy.readers_function()(user, objects)


def read_in_full(user: Any, objects: Iterable[models.Model], *, unit: Any = None, what: str = "") -> set[Any]:
    """``readable`` for a page or file about to show the objects: each one shown in full is
    logged as a viewing (the law asks who read a child's data, not only who changed it)."""
    from lantoa.audit.models import AuditAction, AuditEntry
    from lantoa.audit.services import build_entry

    objects = list(objects)
    full = readable(user, objects)
    shown = [obj for obj in objects if obj.pk in full]
    if shown and user is not None:
        note = what or ", ".join(sensitive_fields(shown[0]))
        # One insert for the whole page, whatever the number of records shown.
        AuditEntry.objects.bulk_create(
            build_entry(actor=user, action=AuditAction.VIEW_SENSITIVE, obj=obj, unit=unit, note=note)
            for obj in shown
        )
    return full


def record_viewing(*, actor: Any, obj: models.Model, unit: Any = None, what: str = "") -> None:
    """Each viewing of full sensitive data is logged: who, when, which record (the log shows no
    values)."""
    from lantoa.audit.models import AuditAction
    from lantoa.audit.services import record_event

    policy = policy_of(obj)
    note = what or ", ".join(policy.fields if policy else ())
    record_event(actor=actor, action=AuditAction.VIEW_SENSITIVE, obj=obj, unit=unit, note=note)
