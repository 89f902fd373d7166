"""A report generated for a unit and period: its files and the figures it was issued with.

Attendance and other records are amended after a report goes out; the report keeps the figures
it was made with (``figures``, the JSON of ``compute.as_json``), and its page compares them with
today's count.

The work moves ``queued → running → done`` (or ``failed``), in a background task that reports its
progress; a run whose worker died is seen by its silence (``lantoa.lib.jobs``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.lib.jobs import BackgroundWork
from lantoa.lib.vi import format_date


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Counting and writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


FORMATS = ("docx", "xlsx", "pdf")


class ReportRun(BackgroundWork, models.Model):
    RUNNING = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="report_runs", verbose_name=_("unit")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    number = models.CharField(_("number"), max_length=40, blank=True, help_text=_("Empty for a draft."))
    # The register's entry when the report took its number there ("Số 15-BC/HU").
    document = models.OneToOneField(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_report",
        verbose_name=_("document in the register"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("made at"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress_done = models.PositiveSmallIntegerField(default=0, verbose_name=_("steps done"))
    progress_total = models.PositiveSmallIntegerField(default=0, verbose_name=_("steps in all"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last progress"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    figures = models.JSONField(default=dict, blank=True, verbose_name=_("figures as issued"))
    docx = models.FileField(_("Word file"), upload_to="reports/%Y/", max_length=255, blank=True)
    xlsx = models.FileField(_("Excel file"), upload_to="reports/%Y/", max_length=255, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="reports/%Y/", max_length=255, blank=True)
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="report_run_unit_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="report_run_period")
        ]
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")

    def __str__(self) -> str:
        return f"{self.unit} {format_date(self.start)}–{format_date(self.end)}"

    def file_of(self, fmt: str) -> models.fields.files.FieldFile | None:
        field = getattr(self, fmt) if fmt in FORMATS else None
        return field if field else None
