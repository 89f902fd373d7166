"""Making a report's files: counted, written as Word, Excel and PDF, and kept with the figures
they were made with. Runs in a background task (``tasks.generate_report``)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lantoa.audit.services import record_create
from lantoa.documents.exporters import place_name
from lantoa.lib import pdf
from lantoa.lib.text import fold
from lantoa.org.models import Unit

from .compute import as_json, compute_report
from .document import draft_number, report_docx, report_xlsx, summary_line
from .models import ReportRun, RunStatus
from .periods import Period

log = logging.getLogger(__name__)
RUN_FIELDS = ("unit", "start", "end", "number")
REPORT_TYPE = "BC"  # báo cáo
# Counting is one step per section; then the Word, Excel and PDF files.
FILE_STEPS = 3


def start_run(*, actor: Any, unit: Unit, period: Period, numbered: bool = False, today: dt.date) -> ReportRun:
    """Queue a report for ``unit`` over ``period`` (the caller checked that the actor may).
    ``numbered``: register it now as the unit's next báo cáo (BC) of the term and print that
    number; otherwise it is a draft, its number left blank for the register. A register that
    refuses (no term, no short code, the unit closed) raises its ValidationError."""
    from lantoa.documents.services import Issuer, issue_document

    from .statistics import FAMILIES
    from .tasks import generate_report

    with transaction.atomic():
        document = None
        if numbered:
            document = issue_document(
                actor=actor,
                issuer=Issuer(unit),
                type_code=REPORT_TYPE,
                issued_on=today,
                summary=summary_line(period),
                place=place_name(unit, today),
            )
        run = ReportRun.objects.create(
            unit=unit,
            start=period.start,
            end=period.end,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            progress_total=len(FAMILIES) + FILE_STEPS,
            document=document,
            number=document.number_line if document is not None else "",
        )
        record_create(actor=actor, obj=run, fields=RUN_FIELDS, unit=unit)
    transaction.on_commit(lambda: generate_report.enqueue(run.pk))
    return run


def _progress(run: ReportRun, done: int) -> None:
    run.progress_done = done
    run.heartbeat_at = timezone.now()
    ReportRun.objects.filter(pk=run.pk).update(progress_done=done, heartbeat_at=run.heartbeat_at)


def file_stem(run: ReportRun) -> str:
    """ "bao-cao-huyen-uy-chau-thanh-2021-05-18-2024-04-30": ASCII, as every office's file server takes."""
    name = "-".join(fold(run.unit.name).split())
    return f"bao-cao-{name}-{run.start.isoformat()}-{run.end.isoformat()}"


def generate(run_id: int, today: dt.date | None = None) -> None:
    """Count, write the files, keep them. A fault marks the run failed with what went wrong."""
    run = ReportRun.objects.select_related("unit").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return
    today = today or timezone.localdate()
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    try:
        report = compute_report(
            run.unit, Period(run.start, run.end), today, progress=lambda done, _total: _progress(run, done)
        )
        steps = run.progress_total - FILE_STEPS
        number = run.number or draft_number(run.unit.short_code)
        docx = report_docx(report, printed_on=today, number_symbol=number, today=today)
        _progress(run, steps + 1)
        xlsx = report_xlsx(report, printed_on=today, today=today)
        _progress(run, steps + 2)
        stem = file_stem(run)
        run.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        problem = ""
        if pdf.pdf_available():
            try:
                run.pdf.save(f"{stem}.pdf", ContentFile(pdf.docx_to_pdf(docx)), save=False)
            except pdf.PdfError as error:
                problem = f"PDF: {error}"
        run.figures = as_json(report)
        run.status = RunStatus.DONE
        run.progress_done = run.progress_total
        run.problem = problem
        run.finished_at = timezone.now()
        run.save(
            update_fields=[
                "docx",
                "xlsx",
                "pdf",
                "figures",
                "status",
                "progress_done",
                "problem",
                "finished_at",
            ]
        )
    except Exception as error:  # the page must say it stopped, whatever stopped it
        log.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            problem=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
