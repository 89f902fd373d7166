"""Every problem an import can report, as a code with an English msgid (the Vietnamese is in the
project's catalogue).

A problem is stored as a code and its parameters, not as finished text, so the job page says it
in the reader's language whichever language the background worker ran in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantoa.lib.text import TEXT_PROBLEMS
from lantoa.org.member_dates import DATE_MESSAGES
from lantoa.org.reference import NOT_LISTED

PROBLEMS: dict[str, Promise] = {
    # The file as a whole
    "file_unreadable": _("the file cannot be read as an .xlsx or .csv spreadsheet"),
    "file_type": _("only .xlsx and .csv files can be imported"),
    "file_unusual": _(
        "the file unpacks to far more than a member list needs (it may be damaged or made to harm "
        "the system); save the list again in Excel, or split it"
    ),
    "too_many_rows": _("the file has more than %(max)s member rows; split it into several files"),
    "too_slow": _("checking the file took longer than %(minutes)d minutes and was stopped; split it"),
    "csv_not_utf8": _("the .csv file is not in UTF-8; in Excel choose “Save as” → “CSV UTF-8”"),
    "no_header": _(
        "no header row found: one of the first rows must name the columns "
        "(“Họ và tên”, “Số thẻ đảng viên”, “Ngày vào Đảng”, “Chi bộ”)"
    ),
    "no_rows": _("the file has no member rows"),
    "template_example": _("this is the template's example row: delete it before importing"),
    # Headers
    "unknown_header": _("unknown column; the columns that can be imported are listed in the template"),
    "missing_header": _("this required column is missing"),
    "duplicate_header": _("this column appears twice (also column %(other)s)"),
    # Cells
    "empty": _("is empty"),
    "too_long": _("is too long (at most %(max)d characters)"),
    "date_unreadable": _("cannot read the date “%(value)s” (write it as dd/mm/yyyy)"),
    "date_impossible": _("there is no such date: %(value)s"),
    **DATE_MESSAGES,  # the dates against the Party's rules, as the forms say them
    **TEXT_PROBLEMS,  # text that cannot be stored: control characters, names, card numbers
    "unknown_ethnicity": NOT_LISTED["ethnicity"],
    "unknown_religion": NOT_LISTED["religion"],
    "bad_gender": _("write “Nam” or “Nữ”, not “%(value)s”"),
    "bad_id_number": _("a citizen ID number has 12 digits (old ID cards: 9), not “%(value)s”"),
    "unknown_cell": _("there is no cell “%(value)s” in %(unit)s today"),
    "ambiguous_cell": _("“%(value)s” is the name of several cells (%(cells)s); write the cell's key instead"),
    # Rows against each other and against what is stored
    "duplicate_card": _("party card number %(card)s is also on row %(other)d"),
    "duplicate_member": _("party card number %(card)s belongs to the same member as row %(other)d"),
    "duplicate_person": _(
        "the same name and date of birth (without a card number) are also on row %(other)d"
    ),
    "card_out_of_scope": _(
        "party card number %(card)s belongs to a member who is not in %(unit)s; check the number, "
        "or ask the unit that holds the member to transfer them"
    ),
    "same_person_other_card": _(
        "a member with the same name and date of birth already holds card number %(other_card)s; "
        "if the card was re-issued, record the new number on the member's page first"
    ),
    "no_card_no_birth": _("without a party card number, the date of birth is needed to recognise the member"),
    "ambiguous_person": _("several members have this name and date of birth; enter the party card number"),
}

# How a problem reads in a list: with its row and column, its row only, or on its own.
ROW_COLUMN_TEMPLATE = _("Row %(row)d, column “%(column)s”: %(problem)s")
ROW_TEMPLATE = _("Row %(row)d: %(problem)s")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where the spreadsheet shows it (row 1 is the first row)."""

    code: str
    row: int | None = None
    column: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def problem(self) -> str:
        return problem_text(self.code, self.params)

    @property
    def message(self) -> str:
        return full_text(self.row, self.column, self.problem)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "params": self.params,
            "message": self.message,
        }


def problem_text(code: str, params: dict[str, Any]) -> str:
    template = PROBLEMS.get(code)
    if template is None:  # a code from a newer version: show what it was saved with
        return str(params.get("message", code))
    text = str(template)  # evaluates the lazy msgid in the active language
    return text % params if params else text


def full_text(row: int | None, column: str, problem: str) -> str:
    if row is None:
        return problem
    if not column:
        return str(ROW_TEMPLATE) % {"row": row, "problem": problem}
    return str(ROW_COLUMN_TEMPLATE) % {"row": row, "column": column, "problem": problem}


def describe(error: dict[str, Any]) -> dict[str, Any]:
    """A stored error as the page shows it, in the active language."""
    params = error.get("params") or {}
    code = error.get("code", "")
    problem = problem_text(code, params) if code in PROBLEMS else error.get("message", "")
    return {"row": error.get("row"), "column": error.get("column", ""), "problem": problem}
