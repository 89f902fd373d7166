"""The review report pages: the figures of a unit and period with the period before, the records
behind each figure, and the kept report files (made in the background)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lantoa.lib.vi import DateParseError, parse_date
from lantoa.org.access import fetch_for_user, get_unit_for_user, scope_for
from lantoa.org.models import Unit
from lantoa.web.downloads import PDF_CONTENT_TYPE, export_response

from . import services
from .access import may_make_files, may_report, report_roots, unit_to_report
from .checks import data_warnings
from .compute import changed_since, compute_report, for_page, format_value
from .dashboard import CHART_BOTTOM, CHART_HEIGHT, CHART_WIDTH, dashboard_for_page, year_so_far
from .models import FORMATS, ReportRun
from .periods import Period, PeriodError, check_within_life, checked_period, presets
from .statistics import Context, family_of

PAGE_SIZE = 50
CHART = {"width": CHART_WIDTH, "height": CHART_HEIGHT, "axis": CHART_HEIGHT - CHART_BOTTOM}
NOT_AN_OVERSEER = gettext_lazy("Review reports are made by the unit's officers and the committees above it.")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": PDF_CONTENT_TYPE,
}


def _asked(request: HttpRequest, data: Any) -> tuple[Unit | None, Period | None, str]:
    """The unit and period asked for (GET or POST), checked; or why they cannot be counted."""
    today = scope_for(request.user).today
    roots = report_roots(request.user)
    key = str(data.get("unit", ""))[:80] or (roots[0].key if roots else "")
    if not key:
        return None, None, _("You have no unit to report on.")
    try:
        start, end = parse_date(str(data.get("from", ""))[:20]), parse_date(str(data.get("to", ""))[:20])
    except DateParseError:
        return None, None, _("A date could not be read: write it as dd/mm/yyyy.")
    try:
        if start is None and end is None:
            # The year so far (a closed unit: its last year), as the dashboard shows it.
            period, _before = year_so_far(get_unit_for_user(request.user, key), today)
        else:
            # Only the end typed: from 1 January of its year.
            period = checked_period(start or dt.date((end or today).year, 1, 1), end or today, today)
    except PeriodError as error:
        return None, None, str(error)
    unit = unit_to_report(request.user, key, period)
    try:
        check_within_life(unit, period)
    except PeriodError as error:
        return None, None, str(error)
    return unit, period, ""


@login_required
@require_GET
def report_page(request: HttpRequest) -> HttpResponse:
    today = scope_for(request.user).today
    roots = report_roots(request.user)
    if not roots and not request.GET.get("unit"):
        raise PermissionDenied(
            _("Review reports are made by the unit's officers and the committees above it.")
        )
    unit, period, problem = _asked(request, request.GET)
    report = compute_report(unit, period, today) if unit is not None and period is not None else None
    warnings = data_warnings(report, today) if report is not None else []
    runs = (
        list(ReportRun.objects.filter(unit=unit).select_related("created_by__person")[:20])
        if unit is not None
        else []
    )
    return render(
        request,
        "reports/report.html",
        {
            "unit": unit,
            "period": period,
            "roots": roots,
            "problem": problem,
            "report": report,
            "runs": runs,
            "warnings": warnings,
            "may_make_files": unit is not None and may_make_files(request.user, unit),
            "presets": presets(today),
            # What was typed, shown again beside the problem (the period could not be read).
            "typed_from": request.GET.get("from", "")[:20],
            "typed_to": request.GET.get("to", "")[:20],
        },
        status=400 if problem else 200,
    )


@login_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The key figures of the unit asked for (or the user's first), this year against last."""
    scope = scope_for(request.user)
    roots = report_roots(request.user)
    key = request.GET.get("unit", "")[:80] or (roots[0].key if roots else "")
    if not key:
        raise PermissionDenied(
            _("Review reports are made by the unit's officers and the committees above it.")
        )
    from lantoa.org.access import get_unit_for_user

    unit = get_unit_for_user(request.user, key)
    current, _before = year_so_far(unit, scope.today)
    problem = may_report(request.user, unit, current)
    if problem:
        raise PermissionDenied(problem)
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": dashboard_for_page(unit, scope.today, recount=request.GET.get("recount") == "1"),
            "roots": roots,
            "unit": unit,
            "chart": CHART,
            "remember_minutes": settings.LANTOA_DASHBOARD_REMEMBER_MINUTES,
            "today": scope.today,
        },
    )


@login_required
@require_GET
def records_page(request: HttpRequest) -> HttpResponse:
    unit, period, problem = _asked(request, request.GET)
    statistic_id = request.GET.get("statistic", "")[:80]
    family = family_of(statistic_id)
    if problem or unit is None or period is None:
        return render(request, "reports/records.html", {"problem": problem}, status=400)
    if family is None:
        raise Http404(_("No such figure."))
    ctx = Context(unit, period, scope_for(request.user).today)
    figure = family.figure(statistic_id, ctx)
    records = family.records(statistic_id, ctx) if figure is not None else None
    if figure is None or records is None:
        raise Http404(_("This figure has no list of records."))
    page = Paginator(records.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    listed_total = records.total(records.queryset) if records.total is not None else None
    columns = [str(column.label) for column in records.columns]
    rows = [
        list(zip(columns, (column.text(item) for column in records.columns), strict=True))
        for item in page.object_list
    ]
    return render(
        request,
        "reports/records.html",
        {
            "unit": unit,
            "period": period,
            "figure": figure,
            "value": format_value(figure.value, figure.statistic.measure),
            "columns": columns,
            "family_key": family.key,
            "listed_total": listed_total,
            "listed_total_shown": for_page(listed_total, figure.statistic.measure)
            if listed_total is not None
            else "",
            "total_label": records.total_label,
            "rows": rows,
            "page": page,
            "first_number": page.start_index(),
            "statistic_id": statistic_id,
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    unit, period, problem = _asked(request, request.POST)
    if problem or unit is None or period is None:
        return render(request, "reports/records.html", {"problem": problem}, status=400)
    if not may_make_files(request.user, unit):
        raise PermissionDenied(
            _("The report's files are made by the unit's staff; you can read the ones they made.")
        )
    try:
        run = services.start_run(
            actor=request.user,
            unit=unit,
            period=period,
            numbered=request.POST.get("numbered") == "1",
            today=scope_for(request.user).today,
        )
    except ValidationError as error:
        return render(request, "reports/records.html", {"problem": " ".join(error.messages)}, status=400)
    return redirect("reports:run", public_id=run.public_id)


def _run_for(request: HttpRequest, public_id: Any) -> ReportRun:
    return fetch_for_user(
        ReportRun.objects.select_related("unit", "created_by"),
        public_id=public_id,
        may_read=lambda run: not may_report(request.user, run.unit, Period(run.start, run.end)),
        not_found=_("No such report in your area."),
    )


@login_required
@require_GET
def run_page(request: HttpRequest, public_id: Any) -> HttpResponse:
    run = _run_for(request, public_id)
    changed: list[dict[str, Any]] = []
    if run.status == "done" and run.figures and not request.htmx:  # type: ignore[attr-defined]
        live = compute_report(
            run.unit, Period(run.start, run.end), scope_for(request.user).today, with_previous=False
        )
        changed = [
            {
                "label": issued["label"],
                # A kept figure is a JSON number: 140.43 read back as a Decimal, to be written 140,43.
                "issued": for_page(
                    Decimal(str(issued["value"])) if isinstance(issued["value"], float) else issued["value"],
                    line.figure.statistic.measure,
                ),
                "now": line.shown,
                "records_url": line.records_url,
            }
            for issued, line in changed_since(run.figures, live)
        ]
    context = {"run": run, "changed": changed, "formats": FORMATS}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reports/run.html#status", context)
    return render(request, "reports/run.html", context)


@login_required
@require_GET
def download(request: HttpRequest, public_id: Any, fmt: str) -> HttpResponse:
    run = _run_for(request, public_id)
    stored = run.file_of(fmt)
    if stored is None:
        raise Http404(_("This report has no such file."))
    with stored.open("rb") as handle:
        content = handle.read()
    return export_response(
        request,
        content,
        content_type=CONTENT_TYPES[fmt],
        filename=f"{services.file_stem(run)}.{fmt}",
        obj=run,
        unit=run.unit,
    )
