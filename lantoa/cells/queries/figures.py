"""What the cell-life figures count, and the months and quarters they are counted in.

The counting itself is the statistics registry's (``lantoa.reports.statistics.meetings``): the
dashboard, the reports, their files and the pages that show these figures all read it there.
The definitions:

- **Regular meetings**: 1 expected per cell per month in which the cell is open (a cell created
  on 15/3 is expected from March; a cell closed on 31/12 is not expected in January). Held: the
  months for which the cell held (status held or approved) a regular or a combined meeting. A
  month counts once however many meetings it had, so held never exceeds expected.
- **Thematic meetings**: 1 expected per cell per quarter. The quarter's meeting is due by the
  quarter's end, so it is counted in the quarter's last month in which the cell is open (March,
  June, September, December, or the cell's last month if it closes earlier). Held: the quarters
  in which the cell held a thematic or a combined meeting, in that same month. A range that ends
  mid-quarter therefore leaves that quarter out, and one that starts mid-quarter includes it.
  A combined meeting counts as both a regular and a thematic meeting.
- **Attendance rate**: present ÷ (members on the roll − exempt − temporarily elsewhere), over
  held meetings. The roll is the attendance list, which holds the cell's members on the
  meeting's date.
- **Study items**: agenda items of kind study with a presenter, in held meetings.
- **Articles assigned**: a cell's articles whose ``assigned_on`` falls in the month (cancelled
  assignments left out). **Articles published**: a cell's published articles in the issue of the
  month.

Meetings are a cell's (kinds in ``CELL_KINDS``): a committee has no expected meetings and its
own meeting records, if any, are not counted. Articles count for whatever unit assigned them.

"As of the month": a unit belongs to a root's subtree in a month if its dated link under the
root overlaps the month; in a rollup a unit that moved within the month counts under the parent
it had last in that month.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..models import MeetingKind, MeetingStatus

HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.APPROVED)
REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)


# ---------------------------------------------------------------------------------------------
# Months and quarters
# ---------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month (31/12/9999 too: an open end is that far)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from ``start``'s to ``end``'s, inclusive."""
    found, month = [], month_start(start)
    while month <= end:
        found.append(month)
        month = month_end(month) + dt.timedelta(days=1)
    return found


def year_and_quarter(month: dt.date) -> tuple[int, int]:
    """(year, quarter 1–4) of ``month``: the key of a quarter across years. The quarter's first
    and last months are ``queries.meetings.quarter_of``."""
    return month.year, (month.month - 1) // 3 + 1


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
