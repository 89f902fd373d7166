"""The demo's cell life, 05/2021–06/2025: monthly and thematic meetings of every cell with their
agenda and attendance, full minutes for the two cells the seed article is about, study material,
and the district's internal bulletin with the articles members wrote for it.

- Every cell open in a month holds its regular meeting early in the month (19:30 in most hamlets,
  14:00 in agencies; mostly 90–150 minutes), the study item first: a story about Bác told by a
  member.
  Once a quarter it holds the thematic meeting the district set for the quarter, some quarters
  together with the regular one. Cells merged away on 1/1/2025 stop in 12/2024.
- Attendance lists every member on the roll on the day: exempt members (ActivityExemption)
  marked exempt, a few members temporarily elsewhere, about 92 % of the others present.
- Chi bộ Hội LHPN huyện and Chi bộ ấp Phước Thạnh have full minutes (content, opinions by name,
  conclusions, votes, resolution); LHPN's include the orphan fund every month. The other cells
  keep agenda titles and attendance only, to keep the volume sane.
- 06/2025 is the last month with data (the district ends on 30/6/2025): a few of its minutes still
  wait for approval, and the July meeting of every cell still open is planned. The two cells with
  full minutes go on meeting to the current month, whose meeting is planned. Phước Thạnh has two
  meetings in 11/2025, one of 75 minutes, which the duration rule in force since 28/10/2025 warns
  about. A planned meeting lists the members exactly as scheduling one does (the service's roster:
  exempt members pre-marked, the others present).
- Bản tin sinh hoạt nội bộ of Huyện ủy Châu Thành appears monthly, numbered from 1, its last issue
  (06/2025) published on the district's last day; from 07/2025 it goes on as Tỉnh ủy Vĩnh Long's,
  numbered from 1 again, up to the current month's issue, which collects articles. Each cell
  assigns an article every 3 or 4 months (LHPN two a month) by a fair rotation.

Everything is drafted in memory, then written in bulk (attendance as plain rows, see
``meetings._write_attendance``), deterministically (ctx.rng). The audit trail gets one entry per
meeting, material, issue and article; agenda, attendance and minutes are part of the meeting's
record and get none of their own.

05/2024–06/2025 is as dense as the review period, not lighter: the 2024 year-end and the first
half of 2025 are reported from the same figures, and the whole step takes about 10 s.
"""

from __future__ import annotations

from lantoa.cells.models import Article, Meeting
from lantoa.documents.models import Theme
from lantoa.lib.bulk import insert_objects
from lantoa.org.models import Person, Unit

from ..base import AuditBuffer, DemoContext, Step
from ..org import DISTRICT_KEY, NEW_PROVINCE_KEY
from . import minutes
from .bulletin import draft_articles, draft_issues, draft_materials
from .common import FULL_MINUTES, LHPN, load_cells
from .meetings import Drafter, write_meetings


def is_loaded() -> bool:
    return Meeting.objects.filter(unit__key=LHPN).exists()


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    district = Unit.objects.get(key=DISTRICT_KEY)
    cells = load_cells(ctx)
    users = dict(Person.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    themes = {
        theme.year: theme
        for theme in Theme.objects.filter(unit=district, scope=Theme.Scope.YEAR)
        if theme.year is not None
    }
    term_theme = Theme.objects.filter(scope=Theme.Scope.TERM).first()
    audit = AuditBuffer()
    materials = draft_materials(ctx, district, cells, themes, term_theme, audit)
    drafter = Drafter(ctx, cells, users)
    drafter.draft_all()
    issues = draft_issues(ctx, district, Unit.objects.get(key=NEW_PROVINCE_KEY), audit)
    articles = draft_articles(ctx, drafter.drafts, issues)
    minutes.write_minutes(ctx, [d for d in drafter.drafts if d.cell.key in FULL_MINUTES], materials)
    meetings, items, attendance = write_meetings(drafter.drafts, audit)
    insert_objects(Article, articles)
    audit.created(((a, a.cell) for a in articles), ("topic", "status", "assigned_on", "due_on"))
    audit_rows = audit.flush()
    return [
        ("meetings", meetings),
        ("agenda items", items),
        ("attendance rows", attendance),
        ("study materials", len(materials)),
        ("bulletin issues", len(issues)),
        ("articles", len(articles)),
        ("audit rows for cell life", audit_rows),
    ]


STEP = Step(name="cells", is_loaded=is_loaded, build=build)
