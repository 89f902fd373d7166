"""Minutes, attendance sheets and the "cells without a meeting" list, to print or download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.lib.lookups import Many
from lantoa.lib.vi import format_month, format_month_in_text
from lantoa.lib.xlsx import XLSX_CONTENT_TYPE, neutralise, table_xlsx
from lantoa.org.access import Capability, scope_for
from lantoa.org.models import CELL_KINDS, NON_PARTY_KINDS, Unit
from lantoa.web.downloads import export_response, pdf_export_response

from ...access import get_meeting_for_user
from ...exporters import AttendanceSheetExporter, MinutesExporter
from ...models import Meeting
from ...queries import meetings as queries
from .common import (
    STATE_WORDS,
    _default_unit,
    _missing_report,
)

MAX_COMMITTEES = 300


def _meeting_file(
    request: HttpRequest, meeting: Meeting, exporter: MinutesExporter | AttendanceSheetExporter
) -> HttpResponse:
    return export_response(
        request,
        exporter.render(),
        content_type=exporter.content_type,
        filename=exporter.filename,
        obj=meeting,
        unit=meeting.unit,
    )


@login_required
def minutes_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, public_id)
    return _meeting_file(request, meeting, MinutesExporter(queries.minutes_data(meeting)))


@login_required
def minutes_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """PDF through LibreOffice; where it is not installed the page says so instead of failing."""
    meeting = get_meeting_for_user(request.user, public_id)
    exporter = MinutesExporter(queries.minutes_data(meeting))
    return pdf_export_response(
        request,
        exporter.render,
        filename=exporter.filename.removesuffix(".docx") + ".pdf",
        docx_url=reverse("cells:minutes_docx", kwargs={"public_id": meeting.public_id}),
        obj=meeting,
        unit=meeting.unit,
    )


@login_required
def attendance_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """The sheet members sign on paper, as a Word file."""
    meeting = get_meeting_for_user(request.user, public_id)
    return _meeting_file(request, meeting, AttendanceSheetExporter(queries.minutes_data(meeting)))


@login_required
def attendance_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The same sheet as a page to print from the browser."""
    meeting = get_meeting_for_user(request.user, public_id)
    texts = AttendanceSheetExporter(queries.minutes_data(meeting)).texts()
    return render(request, "cells/meetings/attendance_print.html", {"meeting": meeting, "sheet": texts})


@login_required
def missing_meetings(request: HttpRequest) -> HttpResponse:
    """For a committee: the cells under it (as the tree stood that month) without a regular
    meeting held in the month, and without a thematic meeting held in the quarter."""
    if not request.GET.get("unit") and _default_unit(request, committee=True) is None:
        # A cell's secretary has a unit, but no cells under it: their own meetings are elsewhere.
        own_cell = _default_unit(request)
        return render(
            request,
            "cells/meetings/no_unit.html",
            {"title": _("Cells without a meeting"), "own_cell": own_cell, "committees_only": True},
        )
    report = _missing_report(request)
    scope = scope_for(request.user)
    # Every committee the user covers and those under it, closed ones included (a closed
    # district's staff still review its past months), by folded name; the one shown is always
    # among them.
    committees = list(
        Unit.objects.filter(pk__any_of=Many(sorted(scope.unit_ids(Capability.VIEW))))
        .exclude(kind__in=CELL_KINDS | NON_PARTY_KINDS)
        .order_by("search_text", "name")[:MAX_COMMITTEES]
    )
    if report.committee not in committees:
        committees.append(report.committee)
        committees.sort(key=lambda unit: (unit.search_text, unit.name))
    return render(
        request,
        "cells/meetings/missing.html",
        {
            "report": report,
            "month": report.month,
            "previous_month": queries.add_months(report.month, -1),
            "next_month": queries.add_months(report.month, 1),
            "committees": committees,
            "quarter_over": report.quarter[1] < timezone.localdate().replace(day=1),
            "month_over": report.month < timezone.localdate().replace(day=1),
            "held_records_url": _held_records_url(request, report),
            # A province's list runs to thousands of cells: the page shows the first ones, the
            # Excel list has them all.
            "row_limit": MISSING_ROWS_SHOWN,
            "not_shown": {
                "regular": max(len(report.without_regular) - MISSING_ROWS_SHOWN, 0),
                "thematic": max(len(report.without_thematic) - MISSING_ROWS_SHOWN, 0),
            },
        },
    )


MISSING_ROWS_SHOWN = 300


def _held_records_url(request: HttpRequest, report: queries.MissingReport) -> str | None:
    """The month's meetings held, as the review reports count them, for those who may open them."""
    from lantoa.reports.access import records_link
    from lantoa.reports.periods import Period

    if not report.existed:
        return None
    period = Period(report.month, queries.month_end(report.month))
    return records_link(request.user, report.committee, period, "meetings.regular.held")


@login_required
def missing_meetings_xlsx(request: HttpRequest) -> HttpResponse:
    report = _missing_report(request)
    rows = [
        [
            number,
            cell.unit.name,
            cell.parent.name if cell.parent else "",
            STATE_WORDS[cell.regular],
            STATE_WORDS[cell.thematic],
        ]
        for number, cell in enumerate(report.cells, start=1)
        if cell.regular != queries.Held.HELD or cell.thematic != queries.Held.HELD
    ]
    content = table_xlsx(
        sheet_title="Chưa sinh hoạt",
        title_lines=[
            neutralise(f"Chi bộ chưa sinh hoạt: {report.committee.name}"),
            (
                f"Định kỳ tháng {format_month_in_text(report.month)}; "
                f"chuyên đề quý {report.quarter_number}/{report.month.year}"
            ),
        ],
        header=[
            "STT",
            "Chi bộ",
            "Trực thuộc",
            f"Định kỳ tháng {format_month_in_text(report.month)}",
            "Chuyên đề trong quý",
        ],
        rows=rows,
        widths=[6, 40, 34, 24, 24],
    )
    return export_response(
        request,
        content,
        content_type=XLSX_CONTENT_TYPE,
        filename=f"chua-sinh-hoat-{report.committee.key}-{report.month:%Y-%m}.xlsx",
        obj=report.committee,
        unit=report.committee,
        note=f"cells without a meeting {format_month(report.month)}",
    )
