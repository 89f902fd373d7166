"""Attendance: a mark chosen for each member, everyone present, amendments after approval."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error

from ...forms_meetings import (
    AmendAttendanceForm,
    AttendanceForm,
)
from ...models import Attendance, AttendanceStatus, Meeting
from ...queries import meetings as queries
from ...services import meetings as services
from .common import (
    _attendance,
    _attendance_context,
    _error,
    _htmx,
    _load,
)

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _context(request: HttpRequest, meeting: Meeting, rows: list[Attendance]) -> dict[str, Any]:
    return {**_attendance_context(request, meeting, rows), "statuses": AttendanceStatus.choices}


@login_required
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    """Marking on a phone: each member's mark is chosen from a list (a tap that stepped through
    five marks made a slip cost four more taps)."""
    meeting = _load(request, public_id)
    rows = queries.attendance_rows(meeting)
    return render(request, "cells/meetings/attendance.html", _context(request, meeting, rows))


@login_required
@require_POST
def attendance_mark(request: HttpRequest, public_id: str, attendance_id: int) -> HttpResponse:
    """An explicit status with a reason (``action=set``, what the page sends) or a tap to the next
    status (``action=tap``). For htmx: the member's row and the totals; otherwise back to the
    attendance page."""
    meeting = _load(request, public_id, write=True)
    row = _attendance(meeting, attendance_id)
    try:
        if request.POST.get("action", "tap") == "tap":
            services.tap_attendance(actor=request.user, attendance=row)
        else:
            form = AttendanceForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a status from the list."))
            services.set_attendance(actor=request.user, attendance=row, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
        url = reverse("cells:attendance", kwargs={"public_id": meeting.public_id})
        # htmx would swap nothing on an error status: reload the page, which shows the message.
        return HttpResponseClientRedirect(url) if _htmx(request) else redirect(url)
    if not _htmx(request):
        return redirect(
            f"{reverse('cells:attendance', kwargs={'public_id': meeting.public_id})}#att-{row.pk}"
        )
    rows = queries.attendance_rows(meeting)
    context = _context(request, meeting, rows)
    context["row"] = next(r for r in rows if r.pk == row.pk)
    return render(request, "cells/meetings/_attendance_mark.html", context)


@login_required
@require_POST
def attendance_all_present(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    try:
        changed = services.mark_all_present(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if changed:
            messages.success(request, _("Everyone marked present (%(count)d changed).") % {"count": changed})
        else:
            messages.info(request, _("Everyone listed was already marked present."))
    return redirect("cells:attendance", public_id=meeting.public_id)


@login_required
def attendance_amend(request: HttpRequest, public_id: str, attendance_id: int) -> HttpResponse:
    """A correction after approval, with its reason (kept in the history)."""
    meeting = _load(request, public_id, write=True)
    row = _attendance(meeting, attendance_id)
    form = AmendAttendanceForm(request.POST or None, initial={"status": row.status, "reason": row.reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_attendance(actor=request.user, attendance=row, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Correction recorded with its reason."))
            return redirect("cells:attendance", public_id=meeting.public_id)
    return render(
        request,
        "cells/meetings/amend.html",
        {"meeting": meeting, "row": row, "form": form, "audit": history_for(row, show_sensitive=False)},
    )
