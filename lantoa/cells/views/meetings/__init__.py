"""Cell meetings: the month's list for a unit, scheduling, the meeting page with its agenda and
minutes (edited inline with htmx on a phone), one-tap attendance, approval, amendments, the
minutes and the attendance sheet as documents, and the cells under a committee that have not met.

Every meeting is reached through ``access.get_meeting_for_user``; every unit through
``org.access.get_unit_for_user``. Agenda items, opinions and attendance rows are looked up
within the meeting so reached, never by a bare id.
"""

from .agenda import (
    agenda_add,
    agenda_item,
    agenda_move,
    agenda_remove,
    opinion_add,
    opinion_remove,
    resolution,
)
from .attendance import attendance, attendance_all_present, attendance_amend, attendance_mark
from .exports import (
    attendance_print,
    attendance_sheet,
    minutes_docx,
    minutes_pdf,
    missing_meetings,
    missing_meetings_xlsx,
)
from .pages import meeting_approve, meeting_create, meeting_detail, meeting_edit, meeting_hold, meeting_list

__all__ = [
    "agenda_add",
    "agenda_item",
    "agenda_move",
    "agenda_remove",
    "attendance",
    "attendance_all_present",
    "attendance_amend",
    "attendance_mark",
    "attendance_print",
    "attendance_sheet",
    "meeting_approve",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_hold",
    "meeting_list",
    "minutes_docx",
    "minutes_pdf",
    "missing_meetings",
    "missing_meetings_xlsx",
    "opinion_add",
    "opinion_remove",
    "resolution",
]
