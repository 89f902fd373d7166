"""Importing members from a spreadsheet (upload → check → confirm → import) and exporting them.

Each view: login → access funnel → form → service or task → redirect or page. The job page is
polled by htmx every second while a task runs and stops being polled when it has finished.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.lib.text import fold
from lantoa.lib.vi import format_date
from lantoa.org.access import Capability, get_unit_for_user
from lantoa.org.sensitive import readable_people
from lantoa.org.views.common import as_of
from lantoa.web.downloads import export_response

from . import services, tasks
from .columns import COLUMN_BY_FIELD, COLUMNS
from .exporters import XLSX_CONTENT_TYPE, MemberSheetExporter, export_filename, member_rows, template_workbook
from .forms import UploadForm, file_size
from .messages import describe
from .models import ImportJob, ImportStatus
from .queries import (
    cell_twins,
    cells_for_import,
    get_import_for_user,
    import_reach,
    importable_units,
    members_for_export,
    own_top_unit,
    recent_jobs,
)

ERRORS_PER_PAGE = 200


def _xlsx_response(request: HttpRequest, data: bytes, filename: str, **audit: Any) -> HttpResponse:
    return export_response(request, data, content_type=XLSX_CONTENT_TYPE, filename=filename, **audit)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Choose a unit and a file; the upload becomes a job that is checked in the background."""
    today = timezone.localdate()
    units = importable_units(request.user, today)
    if not units:
        ended = next((r for r in import_reach(request.user, today) if r.ended_on), None)
        if ended is not None:
            raise PermissionDenied(
                _(
                    "%(unit)s ended on %(day)s. Your role there covers its history (its pages and "
                    "reports), not new imports: the units that were under it import through the "
                    "committee they belong to today."
                )
                % {"unit": ended.unit.name, "day": format_date(ended.ended_on)}
            )
        raise PermissionDenied(_("Your role does not import members."))
    default = own_top_unit(request.user, units)
    choices = [(unit.key, "\u2003" * depth + unit.name) for unit, depth in units]
    if default is None:
        # The user's own unit has closed: make them choose, rather than start on whichever piece
        # of it sorts first.
        choices.insert(0, ("", _("— choose the unit —")))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        unit_choices=choices,
        initial={"unit": default.key if default else ""},
    )
    if request.method == "POST":
        key = request.POST.get("unit", "")
        # An empty choice is the form's to report; any unit named goes through the funnel first.
        unit = get_unit_for_user(request.user, key, write=Capability.IMPORT_MEMBERS) if key else None
        if form.is_valid() and unit is not None:
            try:
                job = services.create_job(actor=request.user, unit=unit, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                tasks.validate_import.enqueue(job.pk)
                return redirect("imports:job", public_id=job.public_id)
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "jobs": recent_jobs(request.user),
            # The unit the form shows: the template link follows it (imports.js keeps it in step).
            "template_unit": next((u for u, _depth in units if u.key == form["unit"].value()), None),
            "reach": import_reach(request.user, today),
            "max_size": file_size(settings.LANTOA_MAX_IMPORT_BYTES),
            # The headers the file must have, then the others, in the template's order.
            "required_columns": [c for c in COLUMNS if c.required],
            "other_columns": [c for c in COLUMNS if not c.required],
        },
    )


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, object]:
    errors_page = None
    if job.errors:
        paginator = Paginator(job.errors, ERRORS_PER_PAGE)
        errors_page = paginator.get_page(request.GET.get("page"))
        errors_page.object_list = [describe(error) for error in errors_page.object_list]
    return {
        "job": job,
        "errors_page": errors_page,
        "error_total": job.counts.get("errors", len(job.errors)),
        "counts": job.counts,
        "preview_new": job.preview.get("new", []),
        "preview_updated": [
            {**row, "changes": _changed_columns(row)} for row in job.preview.get("updated", [])
        ],
    }


def _changed_columns(row: dict[str, Any]) -> list[str]:
    """A preview row's changed columns by their sheet headers (as the file names them); a change
    to a sensitive column is only "other details"."""
    names = [COLUMN_BY_FIELD[name].header for name in row.get("fields", []) if name in COLUMN_BY_FIELD]
    if row.get("private"):
        names.append(_("other details"))
    return names


@login_required
@require_GET
def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    job = get_import_for_user(request.user, public_id)
    context = _job_context(request, job)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/job.html#status", context)
    return render(request, "imports/job.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start writing a checked file. A second click, or a colleague's, starts nothing more."""
    job = get_import_for_user(request.user, public_id)
    if services.confirm_job(actor=request.user, job=job):
        tasks.apply_import.enqueue(job.pk)
    else:
        messages.info(request, _("This import has already been confirmed or cannot be confirmed."))
    return redirect("imports:job", public_id=job.public_id)


@login_required
@require_POST
def cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Do not import a checked file: the job ends as cancelled and its stored file is deleted."""
    job = get_import_for_user(request.user, public_id)
    if services.cancel_job(job=job):
        messages.success(
            request, _("Import cancelled. Nothing was written and the uploaded file was deleted.")
        )
        return redirect("imports:start")
    messages.info(request, _("This import can no longer be cancelled."))
    return redirect("imports:job", public_id=job.public_id)


@login_required
@require_POST
def restart(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start again a job whose background work stopped (see services.restart_job)."""
    job = get_import_for_user(request.user, public_id)
    if services.restart_job(job=job) == ImportStatus.UPLOADED:
        tasks.validate_import.enqueue(job.pk)
    return redirect("imports:job", public_id=job.public_id)


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    """The empty template; for a unit (?unit=key) it also lists that unit's cells."""
    key = request.GET.get("unit", "")
    if not key:
        return _xlsx_response(request, template_workbook(), "mau-nhap-dang-vien.xlsx")
    unit = get_unit_for_user(request.user, key)
    cells, _scope = cells_for_import(unit, timezone.localdate())
    return _xlsx_response(
        request, template_workbook(cells, unit.name), f"mau-nhap-dang-vien-{unit.key}.xlsx", unit=unit
    )


@login_required
@require_GET
def export_members(request: HttpRequest, key: str) -> HttpResponse:
    """Members of the unit and the units under it on a date (?on=dd/mm/yyyy), in the import's
    format. Sensitive columns are masked unless the user's role there may see them."""
    unit = get_unit_for_user(request.user, key)
    on = as_of(request, unit=unit)
    memberships = list(members_for_export(unit, on))
    # Whatever day the list is for, who may read a member's sensitive data follows today's ties.
    readable = readable_people(request.user, {m.member.person_id for m in memberships})
    # Grouped by cell, then by name, as a cell's list is read.
    memberships.sort(key=lambda m: (fold(m.unit.name), m.unit_id, m.member.person.search_text, m.member_id))
    twins = cell_twins({m.unit for m in memberships})
    data = MemberSheetExporter(member_rows(memberships, readable=readable, twins=twins)).render()
    return _xlsx_response(
        request,
        data,
        export_filename(unit.key, on),
        unit=unit,
        note=ngettext(
            "Members on %(date)s: %(count)d row; sensitive data shown for %(shown)d",
            "Members on %(date)s: %(count)d rows; sensitive data shown for %(shown)d",
            len(memberships),
        )
        % {"date": format_date(on), "count": len(memberships), "shown": len(readable)},
    )
