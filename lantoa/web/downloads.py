"""Files handed to the user: Word, PDF and Excel downloads, each logged as an export.

One place for what every download needs: a file name that survives Vietnamese letters
(RFC 6266 ``filename*``), the audit entry (exports are logged like changes), and PDF through
LibreOffice with a plain page instead of an error where it is missing or fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from lantoa.audit.models import AuditAction
from lantoa.audit.services import record_event
from lantoa.lib import pdf

PDF_CONTENT_TYPE = "application/pdf"


def export_response(
    request: HttpRequest,
    content: bytes,
    *,
    content_type: str,
    filename: str,
    obj: models.Model | None = None,
    unit: Any = None,
    note: str = "",
) -> HttpResponse:
    """The file as an attachment, after recording who exported what."""
    record_event(actor=request.user, action=AuditAction.EXPORT, obj=obj, unit=unit, note=note or filename)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return response


def pdf_export_response(
    request: HttpRequest,
    make_docx: Callable[[], bytes],
    *,
    filename: str,
    docx_url: str,
    obj: models.Model | None = None,
    unit: Any = None,
) -> HttpResponse:
    """The Word document converted to PDF, or a page offering the Word file when LibreOffice is
    not installed or the conversion fails (status 503)."""
    context = {"docx_url": docx_url}
    if not pdf.pdf_available():
        return render(request, "includes/pdf_unavailable.html", context, status=503)
    try:
        content = pdf.docx_to_pdf(make_docx())
    except pdf.PdfError:
        return render(request, "includes/pdf_unavailable.html", {**context, "failed": True}, status=503)
    return export_response(
        request, content, content_type=PDF_CONTENT_TYPE, filename=filename, obj=obj, unit=unit
    )
