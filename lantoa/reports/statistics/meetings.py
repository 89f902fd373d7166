"""Cell life: regular and thematic meetings held against those expected, attendance, study
items and bulletin articles (the definitions are in ``cells.queries.figures``).

What can be expected (a cell's open months and quarters) comes from the figures' roll-up; what
was held is counted as the list of meetings it opens to: the first meeting held of each cell and
month (of each quarter for thematic ones), so a month with two meetings counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext_lazy as _

from lantoa.cells.models import AgendaItem, AgendaKind, Article, ArticleStatus, Meeting
from lantoa.cells.queries import figures
from lantoa.lib.vi import format_date, format_month
from lantoa.org.models import CELL_KINDS
from lantoa.org.tree_in_period import TreeInPeriod

from .base import Column, Context, Family, Figure, Measure, Records, Statistic

MEETING_COLUMNS = [
    Column(_("Month"), lambda m: format_month(m.period)),
    Column(_("Date"), lambda m: format_date(m.date)),
    Column(_("Cell"), lambda m: m.unit.name),
    Column(_("Meeting"), lambda m: m.get_kind_display()),
    Column(_("Status"), lambda m: m.get_status_display()),
]


def _months_tree(ctx: Context, start: dt.date) -> TreeInPeriod:
    key = f"months_tree:{start.isoformat()}"
    if key not in ctx.cache:
        ctx.cache[key] = TreeInPeriod.walk(ctx.root, start, figures.month_end(ctx.end))
    tree: TreeInPeriod = ctx.cache[key]
    return tree


def _last_due_quarter_end(end: dt.date) -> dt.date:
    """The last day of the last quarter whose due month (its last) is within the period."""
    last_month = figures.month_start(end)
    if last_month.month % 3 == 0:
        return figures.month_end(last_month)
    return figures.quarter_start(last_month) - dt.timedelta(days=1)


def _is_cell(tree: TreeInPeriod) -> Any:
    return lambda row: tree.kinds.get(row.unit_id) in CELL_KINDS


def held_regular(ctx: Context) -> QuerySet[Meeting]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    held = Meeting.objects.filter(status__in=figures.HELD_STATUSES, kind__in=figures.REGULAR_KINDS)
    earlier = held.filter(unit_id=OuterRef("unit_id"), period=OuterRef("period"), pk__lt=OuterRef("pk"))
    return held.filter(
        tree.during("unit_id", "period", _is_cell(tree)),
        period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    ).exclude(Exists(earlier))


def held_thematic(ctx: Context) -> QuerySet[Meeting]:
    first = figures.quarter_start(ctx.start)
    tree = _months_tree(ctx, first)
    held = Meeting.objects.filter(status__in=figures.HELD_STATUSES, kind__in=figures.THEMATIC_KINDS).annotate(
        year=ExtractYear("period"), quarter=ExtractQuarter("period")
    )
    earlier = held.filter(
        unit_id=OuterRef("unit_id"), year=OuterRef("year"), quarter=OuterRef("quarter"), pk__lt=OuterRef("pk")
    )
    return held.filter(
        tree.during("unit_id", "period", _is_cell(tree)),
        period__range=(first, _last_due_quarter_end(ctx.end)),
    ).exclude(Exists(earlier))


def study_items(ctx: Context) -> QuerySet[AgendaItem]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return AgendaItem.objects.filter(
        tree.during("meeting__unit_id", "meeting__period", _is_cell(tree)),
        kind=AgendaKind.STUDY,
        presenter__isnull=False,
        meeting__status__in=figures.HELD_STATUSES,
        meeting__period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


def articles_assigned(ctx: Context) -> QuerySet[Article]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Article.objects.filter(
        tree.during("cell_id", "assigned_on"),
        assigned_on__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    ).exclude(status=ArticleStatus.CANCELLED)


def articles_published(ctx: Context) -> QuerySet[Article]:
    tree = _months_tree(ctx, figures.month_start(ctx.start))
    return Article.objects.filter(
        tree.during("cell_id", "issue__period"),
        status=ArticleStatus.PUBLISHED,
        issue__period__range=(figures.month_start(ctx.start), figures.month_end(ctx.end)),
    )


ARTICLE_COLUMNS = [
    Column(_("Assigned on"), lambda a: format_date(a.assigned_on)),
    Column(_("Unit"), lambda a: a.cell.name),
    Column(_("Title"), lambda a: a.title),
    Column(_("Status"), lambda a: a.get_status_display()),
]
LISTS: dict[str, tuple[Any, Any, list[Column]]] = {
    # statistic id: (records, what to select with them, columns)
    "meetings.regular.held": (held_regular, ("unit",), MEETING_COLUMNS),
    "meetings.thematic.held": (held_thematic, ("unit",), MEETING_COLUMNS),
    "meetings.study_items": (
        study_items,
        ("meeting__unit", "presenter"),
        [
            Column(_("Date"), lambda i: format_date(i.meeting.date)),
            Column(_("Cell"), lambda i: i.meeting.unit.name),
            Column(_("Study item"), lambda i: i.title),
            Column(_("Presented by"), lambda i: i.presenter.full_name if i.presenter else ""),
        ],
    ),
    "meetings.articles.assigned": (articles_assigned, ("cell",), ARTICLE_COLUMNS),
    "meetings.articles.published": (articles_published, ("cell",), ARTICLE_COLUMNS),
}
ORDER = {
    "meetings.regular.held": ("period", "unit__search_text", "pk"),
    "meetings.thematic.held": ("period", "unit__search_text", "pk"),
    "meetings.study_items": ("meeting__date", "meeting__unit__search_text", "pk"),
    "meetings.articles.assigned": ("assigned_on", "pk"),
    "meetings.articles.published": ("assigned_on", "pk"),
}


class MeetingsFamily(Family):
    key = "meetings"
    title = _("Cell meetings, study and the bulletin")
    statistics = (
        Statistic("meetings.regular.expected", _("Regular meetings expected")),
        Statistic("meetings.regular.held", _("Regular meetings held")),
        Statistic("meetings.thematic.expected", _("Thematic meetings expected")),
        Statistic("meetings.thematic.held", _("Thematic meetings held")),
        Statistic("meetings.attendance_rate", _("Attendance at meetings held"), Measure.PERCENT),
        Statistic("meetings.study_items", _("Study items presented at meetings")),
        Statistic("meetings.articles.assigned", _("Bulletin articles assigned")),
        Statistic("meetings.articles.published", _("Bulletin articles published")),
    )

    def compute(self, ctx: Context) -> list[Figure]:
        rolled = figures.rollup(ctx.root, ctx.start, ctx.end)
        whole = figures.total(value for (pk, _m), value in rolled.items() if pk == ctx.root.pk)
        computed: dict[str, Any] = {
            "meetings.regular.expected": whole.regular_expected,
            "meetings.thematic.expected": whole.thematic_expected,
            "meetings.attendance_rate": whole.attendance_rate,
        }
        for statistic_id, (records, _related, _columns) in LISTS.items():
            computed[statistic_id] = records(ctx).count()
        return [Figure(s, computed[s.id], drillable=s.id in LISTS) for s in self.statistics]

    def records(self, statistic_id: str, ctx: Context) -> Records | None:
        if statistic_id not in LISTS:
            return None
        records, related, columns = LISTS[statistic_id]
        return Records(records(ctx).select_related(*related).order_by(*ORDER[statistic_id]), columns)
