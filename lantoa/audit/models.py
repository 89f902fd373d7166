from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.lib.vi import format_datetime


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    VIEW_SENSITIVE = "view_sensitive", _("Viewed sensitive data")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")


class AuditEntry(models.Model):
    """One change (or sensitive read, or export) of domain data: who, when, before → after.

    ``changes`` maps a field name to ``[before, after]`` (JSON values as shown to people);
    ``unit`` is the unit the record belongs to, so history is scoped like the record itself.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too: the account may be deleted, the record of what it did may not.
    actor_name = models.CharField(max_length=200, blank=True, verbose_name=_("username at the time"))
    action = models.CharField(max_length=20, choices=AuditAction.choices, verbose_name=_("action"))
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("kind of record")
    )
    target_id = models.CharField(max_length=64, blank=True, verbose_name=_("record number"))
    target_repr = models.CharField(max_length=300, blank=True, verbose_name=_("record"))
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit")
    )
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{format_datetime(self.at)} {self.actor_name} {self.action} {self.target_repr}"
