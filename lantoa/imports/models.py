"""An import of party members from a spreadsheet, as a job that is checked, confirmed and applied.

The workflow (``ImportStatus``) is moved only by ``services.py``:

    uploaded → validating → validated ─(confirm, no errors)→ importing → done
                                 ├─ errors: stays validated, nothing is written
                                 └─(cancel)→ cancelled (nothing is written, the file is deleted)
    any step that crashes → failed (nothing is written: the write is one transaction)
    a check whose worker died (stale) may also be cancelled
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.lib.jobs import STALE_AFTER as STALE_AFTER  # named here by the import tests
from lantoa.lib.jobs import BackgroundWork


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting to be checked")
    VALIDATING = "validating", _("Checking")
    VALIDATED = "validated", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING_STATUSES = frozenset({ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.IMPORTING})


class ImportJob(BackgroundWork, models.Model):
    """One uploaded file of party members for one unit and everything that happened to it.

    ``errors`` is a list of ``{"row", "column", "code", "params", "message"}``: the code and
    params let the page say the problem in the reader's language; ``message`` is the text as it
    was first written. ``counts`` has ``rows``, ``new``, ``updated``, ``unchanged``, ``transferred``.
    ``preview`` shows the people a checked file is about to add and change (see
    ``checking.preview_of``) until the job is confirmed, cancelled or refused; it is emptied with
    the file, as it repeats personal data from it.
    """

    RUNNING = RUNNING_STATUSES

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("unit")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress_done = models.PositiveIntegerField(default=0, verbose_name=_("rows done"))
    progress_total = models.PositiveIntegerField(default=0, verbose_name=_("rows in all"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    counts = models.JSONField(default=dict, blank=True, verbose_name=_("counts"))
    preview = models.JSONField(default=dict, blank=True, verbose_name=_("preview"))
    # Why a job failed, for the page: an unexpected crash, never a row problem (those are errors).
    failure = models.TextField(blank=True, verbose_name=_("failure"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))
    # The last sign of life from the task working on the job (each progress report, each move).
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last sign of work"))
    validated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("checked at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_creator_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_job_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.VALIDATED and not self.errors
