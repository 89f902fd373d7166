"""Cell meetings: the month's list for a unit, scheduling, the meeting page with its agenda and
minutes (edited inline with htmx on a phone), one-tap attendance, approval, amendments, the
minutes and the attendance sheet as documents, and the cells under a committee that have not met.

Every meeting is reached through ``access.get_meeting_for_user``; every unit through
``org.access.get_unit_for_user``. Agenda items, opinions and attendance rows are looked up
within the meeting so reached, never by a bare id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from lantoa.audit.models import AuditAction
from lantoa.audit.queries import history_for
from lantoa.audit.services import record_event
from lantoa.lib import pdf
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.xlsx import XLSX_CONTENT_TYPE, neutralise, table_xlsx
from lantoa.org.access import Capability, get_unit_for_user, scope_for
from lantoa.org.models import CELL_KINDS, NON_PARTY_KINDS, Membership, Person, PositionTitle, Unit
from lantoa.org.queries import positions_on, valid_on

from ..access import get_meeting_for_user, may_approve_minutes
from ..exporters import AttendanceSheetExporter, MinutesExporter
from ..forms_meetings import (
    AddItemForm,
    AgendaItemForm,
    AmendAttendanceForm,
    AttendanceForm,
    MeetingForm,
    OpinionForm,
    ResolutionForm,
)
from ..models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingStatus, Opinion
from ..queries import meetings as queries
from ..rules import duration_warning
from ..services import meetings as services

STATUS_BADGES = {
    AttendanceStatus.PRESENT: "text-bg-success",
    AttendanceStatus.EXCUSED: "text-bg-warning",
    AttendanceStatus.UNEXCUSED: "text-bg-danger",
    AttendanceStatus.EXEMPT: "text-bg-secondary",
    AttendanceStatus.ELSEWHERE: "text-bg-info",
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _default_unit(request: HttpRequest, *, committee: bool = False) -> Unit | None:
    """The unit a page shows when none is asked for: the cell the user's role is on (or the
    user's own cell); for ``committee`` pages the highest committee the user's roles reach."""
    scope = scope_for(request.user)
    roots = sorted(scope.root_units(), key=lambda u: (u.search_text, u.name))
    if committee:
        return next((u for u in roots if not u.is_cell), None)
    cells = [u for u in roots if u.is_cell]
    if cells:
        return cells[0]
    if scope.person_id is not None:
        membership = (
            Membership.objects.filter(valid_on(timezone.localdate()), member__person_id=scope.person_id)
            .select_related("unit")
            .first()
        )
        if membership is not None and scope.can(Capability.VIEW, membership.unit_id):
            return membership.unit
    return roots[0] if roots else None


def _unit(request: HttpRequest, *, write: bool = False, committee: bool = False) -> Unit:
    key = request.GET.get("unit", "").strip()
    capability = Capability.WRITE_PROGRAMME if write else None
    if key:
        return get_unit_for_user(request.user, key, write=capability)
    unit = _default_unit(request, committee=committee)
    if unit is None:
        raise Http404(_("You have no unit to show."))
    if write and not scope_for(request.user).can(Capability.WRITE_PROGRAMME, unit):
        raise PermissionDenied(_("Your role here can only read."))
    return unit


def _month(request: HttpRequest) -> dt.date:
    return queries.parse_month(request.GET.get("month")) or timezone.localdate().replace(day=1)


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("cells:meeting", kwargs={"public_id": meeting.public_id})
    return f"{url}#{anchor}" if anchor else url


def _can_write(request: HttpRequest, meeting: Meeting) -> bool:
    return scope_for(request.user).can(Capability.WRITE_PROGRAMME, meeting.unit_id)


def _speakers(meeting: Meeting, rows: list[Attendance]) -> list[Person]:
    """Who may present an item or give an opinion: the members listed, the chair, the clerk and
    the upper committee member (already loaded with the meeting)."""
    people = {row.member.person_id: row.member.person for row in rows}
    for person in (meeting.chair, meeting.clerk, meeting.upper_member):
        if person is not None:
            people.setdefault(person.pk, person)
    return sorted(people.values(), key=lambda p: (p.search_text, p.full_name, p.pk))


def _load(request: HttpRequest, public_id: str, *, write: bool = False) -> Meeting:
    """The meeting through the access funnel, with the people the page names."""
    meeting = get_meeting_for_user(request.user, public_id, write=write)
    return Meeting.objects.select_related("unit", "chair", "clerk", "upper_member").get(pk=meeting.pk)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    opinions = Opinion.objects.select_related("person").order_by("order", "pk")
    item = (
        meeting.items.select_related("presenter")
        .prefetch_related(Prefetch("opinions", queryset=opinions))
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404(_("No such agenda item."))
    item.meeting = meeting
    return item


def _attendance(meeting: Meeting, attendance_id: int) -> Attendance:
    row = (
        Attendance.objects.select_related("member__person").filter(meeting=meeting, pk=attendance_id).first()
    )
    if row is None:
        raise Http404(_("No such member at this meeting."))
    row.meeting = meeting
    return row


def _error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------------------------------------
# The list and scheduling
# ---------------------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """A unit's meetings for a month, with the month's and the quarter's state and warnings."""
    if not request.GET.get("unit") and _default_unit(request) is None:
        return render(request, "cells/meetings/no_unit.html", {"title": _("Cell meetings")})
    unit = _unit(request)
    month = _month(request)
    scope = scope_for(request.user)
    today = timezone.localdate()
    rules = queries.duration_rules()
    first, last = queries.quarter_of(month)
    choices = list(
        Unit.objects.filter(pk__in=scope.unit_ids(Capability.VIEW))
        .exclude(valid_to__lt=today)
        .exclude(kind__in=NON_PARTY_KINDS)
        .order_by("search_text", "name")[:500]
    )
    if unit not in choices:  # a closed unit asked for by key still shows as chosen
        choices.insert(0, unit)
    return render(
        request,
        "cells/meetings/list.html",
        {
            "unit": unit,
            "month": month,
            "previous_month": queries.add_months(month, -1),
            "next_month": queries.add_months(month, 1),
            "rows": queries.meetings_in_month(unit, month, rules),
            "planned": queries.planned_meetings(unit, today),
            "state": queries.month_state(unit, month),
            "quarter": queries.quarter_number(month),
            "quarter_first": first,
            "quarter_last": last,
            "can_write": scope.can(Capability.WRITE_PROGRAMME, unit) and unit.is_party,
            "unit_choices": choices,
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    """The secretary plans a meeting: date, time, place, who chairs and takes the minutes, the
    guests; the agenda comes from the template and can be changed on the meeting page."""
    unit = _unit(request, write=True)
    if not unit.is_party:
        raise Http404(_("Only Party organisations hold cell meetings."))
    today = timezone.localdate()
    people = queries.people_of_unit(unit, today)
    upper = queries.upper_committee_people(unit, today)
    last = Meeting.objects.filter(unit=unit).order_by("-date", "-pk").first()
    secretary = next(
        (p.person for p in positions_on(unit, today) if p.title == PositionTitle.SECRETARY), None
    )
    initial: dict[str, Any] = {
        "date": today,
        "chair": secretary.pk if secretary else "",
        "place": last.place if last else "",
        "starts_at": last.starts_at if last else None,
        "ends_at": last.ends_at if last else None,
    }
    form = MeetingForm(request.POST or None, people=people, upper_people=upper, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            meeting = services.schedule_meeting(actor=request.user, unit=unit, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Meeting planned. Check the agenda and the members listed."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cells/meetings/form.html",
        {"form": form, "unit": unit, "title": _("Plan a meeting"), "meeting": None},
    )


@login_required
def meeting_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    if meeting.is_frozen:
        messages.error(request, str(services.MinutesFrozen().messages[0]))
        return redirect(_meeting_url(meeting))
    people = queries.people_of_unit(meeting.unit, meeting.date)
    upper = queries.upper_committee_people(meeting.unit, meeting.date)
    form = MeetingForm(request.POST or None, people=people, upper_people=upper, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "cells/meetings/form.html",
        {"form": form, "unit": meeting.unit, "title": _("Meeting details"), "meeting": meeting},
    )


# ---------------------------------------------------------------------------------------------
# The meeting page: agenda and minutes
# ---------------------------------------------------------------------------------------------


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    can_write = _can_write(request, meeting)
    rows = queries.attendance_rows(meeting)
    totals = queries.attendance_totals(rows)
    return {
        "meeting": meeting,
        "unit": meeting.unit,
        "items": queries.agenda_items(meeting),
        "totals": totals,
        "speakers": _speakers(meeting, rows),
        "warning": queries.warning_for(meeting, queries.duration_rules()),
        "can_write": can_write,
        "editable": can_write and not meeting.is_frozen,
        "can_approve": meeting.status == MeetingStatus.HELD and may_approve_minutes(request.user, meeting),
        "add_form": AddItemForm(),
        "audit": history_for(meeting, show_sensitive=False),
        "guests": [line for line in meeting.guests.splitlines() if line.strip()],
    }


@login_required
def meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id)
    return render(request, "cells/meetings/detail.html", _meeting_context(request, meeting))


def _item_context(request: HttpRequest, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    rows = queries.attendance_rows(meeting)
    can_write = _can_write(request, meeting)
    return {
        "meeting": meeting,
        "item": item,
        "speakers": _speakers(meeting, rows),
        "editable": can_write and not meeting.is_frozen,
    }


def _item_response(request: HttpRequest, meeting: Meeting, item_id: int) -> HttpResponse:
    """After a change to an item: its card alone for htmx, else back to the meeting page."""
    if not _htmx(request):
        return redirect(_meeting_url(meeting, f"item-{item_id}"))
    item = _item(meeting, item_id)
    return render(request, "cells/meetings/detail.html#item", _item_context(request, meeting, item))


@login_required
def agenda_item(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    """Edit one item's minutes: title, presenter, content, conclusion, vote. Inline on the
    meeting page with htmx; a page of its own without."""
    meeting = _load(request, public_id, write=True)
    if meeting.is_frozen:
        raise PermissionDenied(_("The minutes are approved and frozen."))
    if request.method == "GET" and "show" in request.GET:  # "Cancel" on the inline form
        return _item_response(request, meeting, item_id)
    item = _item(meeting, item_id)
    rows = queries.attendance_rows(meeting)
    people = _speakers(meeting, rows)
    initial = {
        "title": item.title,
        "presenter": item.presenter_id or "",
        "content": item.content,
        "conclusion": item.conclusion,
        "votes_for": item.votes_for,
        "votes_against": item.votes_against,
        "votes_total": item.votes_total,
    }
    form = AgendaItemForm(
        request.POST or None,
        people=people,
        presenter=item.presenter,
        initial=initial,
        auto_id=f"item{item.pk}_%s",  # several items may be open for editing on one page
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_item_minutes(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not _htmx(request):
                messages.success(request, _("Saved."))
            return _item_response(request, meeting, item.pk)
    context = {
        "meeting": meeting,
        "item": item,
        "form": form,
        "present": queries.attendance_totals(rows).present.total,
    }
    template = "cells/meetings/item_form.html"
    return render(request, f"{template}#form" if _htmx(request) else template, context)


@login_required
@require_POST
def agenda_add(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    form = AddItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_agenda_item(
                actor=request.user, meeting=meeting, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            return redirect(_meeting_url(meeting, f"item-{item.pk}"))
    else:
        messages.error(request, _("Give the item a title."))
    return redirect(_meeting_url(meeting, "agenda"))


@login_required
@require_POST
def agenda_move(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    try:
        services.move_agenda_item(actor=request.user, item=item, up=request.POST.get("direction") != "down")
    except ValidationError as exc:
        _error(request, exc)
    return redirect(_meeting_url(meeting, f"item-{item.pk}"))


@login_required
@require_POST
def agenda_remove(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    try:
        services.remove_agenda_item(actor=request.user, item=item)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Item removed from the agenda."))
    return redirect(_meeting_url(meeting, "agenda"))


@login_required
@require_POST
def opinion_add(request: HttpRequest, public_id: str, item_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    form = OpinionForm(request.POST, people=_speakers(meeting, queries.attendance_rows(meeting)))
    if form.is_valid():
        try:
            services.add_opinion(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Choose who spoke and write what they said."))
    return _item_response(request, meeting, item.pk)


@login_required
@require_POST
def opinion_remove(request: HttpRequest, public_id: str, item_id: int, opinion_id: int) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    item = _item(meeting, item_id)
    opinion = next((o for o in item.opinions.all() if o.pk == opinion_id), None)
    if opinion is None:
        raise Http404(_("No such opinion."))
    opinion.item = item
    try:
        services.remove_opinion(actor=request.user, opinion=opinion)
    except ValidationError as exc:
        _error(request, exc)
    return _item_response(request, meeting, item.pk)


@login_required
def resolution(request: HttpRequest, public_id: str) -> HttpResponse:
    """The resolution of the meeting, edited inline (htmx) or on a page of its own."""
    editing = request.method == "POST" or "edit" in request.GET
    meeting = _load(request, public_id, write=editing)
    if editing and meeting.is_frozen:
        raise PermissionDenied(_("The minutes are approved and frozen."))
    form = ResolutionForm(request.POST or None, initial={"resolution": meeting.resolution})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if not _htmx(request):
                messages.success(request, _("Saved."))
                return redirect(_meeting_url(meeting, "resolution"))
            editing = False
    if not editing and not _htmx(request):
        return redirect(_meeting_url(meeting, "resolution"))
    context = {
        "meeting": meeting,
        "editable": _can_write(request, meeting) and not meeting.is_frozen,
        "resolution_form": form,
        "editing": editing,
    }
    if _htmx(request):
        return render(request, "cells/meetings/detail.html#resolution", context)
    return render(request, "cells/meetings/resolution.html", context)


# ---------------------------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_hold(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = _load(request, public_id, write=True)
    try:
        services.set_meeting_status(actor=request.user, meeting=meeting, status=MeetingStatus.HELD)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("Meeting recorded as held. Write the minutes, then the chair approves them.")
        )
        warning = duration_warning(meeting)
        if warning:
            messages.warning(request, warning)
    return redirect(_meeting_url(meeting))


@login_required
def meeting_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    """The chair approves the minutes: a confirmation page, then the transition."""
    meeting = _load(request, public_id, write=True)
    if not may_approve_minutes(request.user, meeting):
        raise PermissionDenied(_("Only the chair, or the cell's secretary, approves the minutes."))
    if request.method == "POST":
        try:
            services.set_meeting_status(actor=request.user, meeting=meeting, status=MeetingStatus.APPROVED)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Minutes approved. Attendance and minutes are now frozen."))
            return redirect(_meeting_url(meeting))
    rows = queries.attendance_rows(meeting)
    return render(
        request,
        "cells/meetings/approve.html",
        {
            "meeting": meeting,
            "totals": queries.attendance_totals(rows),
            "warning": queries.warning_for(meeting, queries.duration_rules()),
        },
    )


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


def _attendance_context(request: HttpRequest, meeting: Meeting, rows: list[Attendance]) -> dict[str, Any]:
    can_write = _can_write(request, meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "totals": queries.attendance_totals(rows),
        "can_write": can_write,
        "editable": can_write and not meeting.is_frozen,
        "badges": STATUS_BADGES,
        "reason_statuses": [AttendanceStatus.EXCUSED, AttendanceStatus.ELSEWHERE, AttendanceStatus.EXEMPT],
    }


@login_required
def attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    """One-tap marking on a phone: each tap moves a member to the next status."""
    meeting = _load(request, public_id)
    rows = queries.attendance_rows(meeting)
    return render(request, "cells/meetings/attendance.html", _attendance_context(request, meeting, rows))


@login_required
@require_POST
def attendance_mark(request: HttpRequest, public_id: str, attendance_id: int) -> HttpResponse:
    """A tap (``action=tap``) or an explicit status with a reason. For htmx: the member's row and
    the totals; otherwise back to the attendance page."""
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
    context = _attendance_context(request, meeting, rows)
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
        messages.success(request, _("Everyone marked present (%(count)d changed).") % {"count": changed})
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


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def minutes_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, public_id)
    exporter = MinutesExporter(queries.minutes_data(meeting))
    return _download(exporter.render(), exporter.content_type, exporter.filename)


@login_required
def minutes_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """PDF through LibreOffice; where it is not installed the page says so instead of failing."""
    meeting = get_meeting_for_user(request.user, public_id)
    if not pdf.pdf_available():
        return render(request, "cells/meetings/pdf_unavailable.html", {"meeting": meeting}, status=503)
    exporter = MinutesExporter(queries.minutes_data(meeting))
    try:
        content = pdf.docx_to_pdf(exporter.render())
    except pdf.PdfError:
        return render(
            request, "cells/meetings/pdf_unavailable.html", {"meeting": meeting, "failed": True}, status=503
        )
    return _download(content, "application/pdf", exporter.filename.removesuffix(".docx") + ".pdf")


@login_required
def attendance_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """The sheet members sign on paper, as a Word file."""
    meeting = get_meeting_for_user(request.user, public_id)
    exporter = AttendanceSheetExporter(queries.minutes_data(meeting))
    return _download(exporter.render(), exporter.content_type, exporter.filename)


@login_required
def attendance_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The same sheet as a page to print from the browser."""
    meeting = get_meeting_for_user(request.user, public_id)
    texts = AttendanceSheetExporter(queries.minutes_data(meeting)).texts()
    return render(request, "cells/meetings/attendance_print.html", {"meeting": meeting, "sheet": texts})


# ---------------------------------------------------------------------------------------------
# Cells without a meeting
# ---------------------------------------------------------------------------------------------


def _missing_report(request: HttpRequest) -> queries.MissingReport:
    committee = _unit(request, committee=True)
    if committee.is_cell:
        raise Http404(_("Choose a committee: a cell has no cells under it."))
    return queries.cells_without_meetings(committee, _month(request))


@login_required
def missing_meetings(request: HttpRequest) -> HttpResponse:
    """For a committee: the cells under it (as the tree stood that month) without a regular
    meeting held in the month, and without a thematic meeting held in the quarter."""
    if not request.GET.get("unit") and _default_unit(request, committee=True) is None:
        return render(request, "cells/meetings/no_unit.html", {"title": _("Cells without a meeting")})
    report = _missing_report(request)
    scope = scope_for(request.user)
    committees = (
        Unit.objects.filter(pk__in=scope.unit_ids(Capability.VIEW))
        .exclude(kind__in=CELL_KINDS | NON_PARTY_KINDS)
        .exclude(valid_to__lt=report.month)
        .order_by("search_text", "name")[:300]
    )
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
        },
    )


STATE_WORDS = {
    queries.Held.HELD: "Đã sinh hoạt",
    queries.Held.PLANNED: "Đã lên lịch, chưa họp",
    queries.Held.NONE: "Chưa có",
}


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
            f"Định kỳ tháng {report.month:%m/%Y}; chuyên đề quý {report.quarter_number}/{report.month.year}",
        ],
        header=["STT", "Chi bộ", "Trực thuộc", f"Định kỳ tháng {report.month:%m/%Y}", "Chuyên đề trong quý"],
        rows=rows,
        widths=[6, 40, 34, 24, 24],
    )
    record_event(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=report.committee,
        unit=report.committee,
        note=f"cells without a meeting {report.month:%m/%Y}",
    )
    return _download(
        content, XLSX_CONTENT_TYPE, f"chua-sinh-hoat-{report.committee.key}-{report.month:%Y-%m}.xlsx"
    )
