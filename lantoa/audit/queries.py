"""Reading the audit trail: the history shown on each record's page."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.org.models import Person

from .models import AuditEntry

# Names of pseudo-fields some audit entries carry (moves, transfers) that are not model fields.
_FIELD_LABELS = {
    "parent": _("parent unit"),
    "from": _("from"),
    "cell": _("cell"),
    "staff_body": _("staff body"),
}


def history_for(obj: models.Model, *, show_sensitive: bool, limit: int = 30) -> list[dict[str, Any]]:
    """Audit entries of one record, newest first; sensitive values masked unless allowed."""
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).order_by("-at", "-id")[:limit]
    hidden = set(Person.SENSITIVE_FIELDS)
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in obj._meta.get_fields()}
    result = []
    for entry in entries:
        changes = []
        for field, (before, after) in sorted(entry.changes.items()):
            if field in hidden and not show_sensitive:
                before, after = ("•••" if before else before), ("•••" if after else after)
            changes.append(
                {
                    "field": labels.get(field, _FIELD_LABELS.get(field, field)),
                    "before": before,
                    "after": after,
                }
            )
        result.append({"entry": entry, "changes": changes})
    return result
