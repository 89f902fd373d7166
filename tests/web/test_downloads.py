"""Downloads: Vietnamese file names survive the header, and every export is in the audit trail."""

from __future__ import annotations

from django.test import RequestFactory

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.web.downloads import export_response


def test_export_response_names_the_file_in_utf8_and_records_the_export(tree, district_staff):
    request = RequestFactory().get("/")
    request.user = district_staff.user

    response = export_response(
        request, b"PK", content_type="application/octet-stream", filename="01-KH-ĐU.docx", unit=tree.an_khanh
    )

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''01-KH-%C4%90U.docx"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.unit, entry.note) == (
        AuditAction.EXPORT,
        district_staff.user,
        tree.an_khanh,
        "01-KH-ĐU.docx",
    )
