"""Writing meetings: scheduling with the agenda template, the roster, one-tap attendance, the
minutes item by item, and the one transition function planned → held → approved.

Every write is audited in its own transaction. Once the minutes are approved the meeting is
frozen: every function here refuses to change it (``MinutesFrozen``), except
``amend_attendance``, which records a correction with its reason in the audit trail.

Three parts, one module each: ``attendance`` (the roster and the marks), ``agenda`` (the agenda,
the minutes item by item, votes and opinions) and ``workflow`` (scheduling, details and the
status moves); ``common`` holds what they share. Callers import from here.
"""

from .agenda import (
    CURRENT_TITLE,
    OTHER_TITLE,
    REVIEW_TITLE,
    STUDY_TITLE,
    TASKS_TITLE,
    add_agenda_item,
    add_opinion,
    agenda_template,
    check_votes,
    move_agenda_item,
    move_target,
    possible_moves,
    record_item_minutes,
    remove_agenda_item,
    remove_opinion,
)
from .attendance import (
    TAP_CYCLE,
    amend_attendance,
    initial_roster,
    mark_all_present,
    next_status,
    roster_row,
    set_attendance,
    sync_roster,
    tap_attendance,
)
from .common import ATTENDANCE_FIELDS, ITEM_FIELDS, MEETING_FIELDS, MinutesFrozen
from .workflow import TRANSITIONS, hold_meeting, schedule_meeting, set_meeting_status, update_meeting

__all__ = [
    "ATTENDANCE_FIELDS",
    "CURRENT_TITLE",
    "ITEM_FIELDS",
    "MEETING_FIELDS",
    "OTHER_TITLE",
    "REVIEW_TITLE",
    "STUDY_TITLE",
    "TAP_CYCLE",
    "TASKS_TITLE",
    "TRANSITIONS",
    "MinutesFrozen",
    "add_agenda_item",
    "add_opinion",
    "agenda_template",
    "amend_attendance",
    "check_votes",
    "hold_meeting",
    "initial_roster",
    "mark_all_present",
    "move_agenda_item",
    "move_target",
    "next_status",
    "possible_moves",
    "record_item_minutes",
    "remove_agenda_item",
    "remove_opinion",
    "roster_row",
    "schedule_meeting",
    "set_attendance",
    "set_meeting_status",
    "sync_roster",
    "tap_attendance",
    "update_meeting",
]
