"""Reading the internal bulletin: issues, articles, overdue assignments, the figures, and the
rotation that suggests who writes next.

The rotation is fair by construction: among the members who may write now, the one who wrote
least recently comes first (never-written first), ties by name. A member skipped for a while
keeps their place, so nobody who stays eligible waits more than one full round of the cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.lib.text import fold
from lantoa.lib.vi import format_month_in_text
from lantoa.org.access import Capability, Scope, readable_filter
from lantoa.org.models import ActivityExemption, Membership, Unit
from lantoa.org.queries import memberships_on, valid_on, walk_up

from ..models import (
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    BulletinIssue,
    Meeting,
    MeetingStatus,
)

# An assignment the member still has to finish: the rotation passes over its holder.
OPEN_STATUSES = (ArticleStatus.ASSIGNED, ArticleStatus.SUBMITTED, ArticleStatus.RETURNED)
# Not yet handed in: what is overdue once the due date has passed.
NOT_SUBMITTED = (ArticleStatus.ASSIGNED, ArticleStatus.RETURNED)
# Absent, with or without a reason. Exempt members are handled by their exemption, and a member
# attending another cell for a while is not absent.
ABSENT_STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)
# A member absent from each of the cell's last RECENT_MEETINGS held meetings is passed over.
RECENT_MEETINGS = 2

FAIRNESS_RULE = gettext_lazy(
    "Articles go round the cell in turn: members who have never written come first, then "
    "whoever wrote longest ago; at equal turns, by name. For now the rotation passes over members "
    "absent from both of the last two meetings, members exempt from Party activity, and members "
    "who still have an article to finish; they keep their place for when they are back."
)


class Skip:
    """Why the rotation passes over a member this time."""

    EXEMPT = "exempt"
    ABSENT = "absent"
    OPEN = "open"


@dataclass(frozen=True)
class RotationEntry:
    membership: Membership
    last_assigned: dt.date | None
    skip: str = ""

    @property
    def member_id(self) -> int:
        return self.membership.member_id

    @property
    def name(self) -> str:
        return self.membership.member.person.full_name

    @property
    def why(self) -> str:
        """The reason shown beside the member, in plain words."""
        if self.skip == Skip.EXEMPT:
            return _("exempt from Party activity")
        if self.skip == Skip.ABSENT:
            return _("absent from the last two meetings")
        if self.skip == Skip.OPEN:
            return _("still has an article to finish")
        if self.last_assigned is None:
            return _("has never written an article")
        return _("last time: %(month)s") % {"month": format_month_in_text(self.last_assigned)}


@dataclass(frozen=True)
class Rotation:
    """``suggested``: the members who may write now, in turn order (the first is the suggestion);
    ``skipped``: the others, each with the reason."""

    suggested: list[RotationEntry]
    skipped: list[RotationEntry]

    @property
    def first(self) -> RotationEntry | None:
        return self.suggested[0] if self.suggested else None


def _turn_key(entry: RotationEntry) -> tuple[bool, dt.date, str, int]:
    person = entry.membership.member.person
    return (
        entry.last_assigned is not None,
        entry.last_assigned or dt.date.min,
        person.search_text or fold(person.full_name),
        entry.member_id,
    )


def rotation(cell: Unit, on: dt.date) -> Rotation:
    """Who should write next in ``cell`` on ``on``. Four queries whatever the cell's size: the
    members that day, each member's last assignment and open ones (one aggregate), absences at
    the last two held meetings, exemptions valid that day."""
    memberships = list(
        {
            m.member_id: m
            for m in memberships_on([cell.pk], on)
            if m.member.left_on is None or m.member.left_on > on
        }.values()
    )
    if not memberships:
        return Rotation([], [])
    ids = [m.member_id for m in memberships]
    articles = {
        row["author_id"]: row
        for row in Article.objects.filter(author_id__in=ids, assigned_on__lte=on)
        .exclude(status=ArticleStatus.CANCELLED)
        .values("author_id")
        .annotate(last=Max("assigned_on"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
    }
    recent = (
        Meeting.objects.filter(
            unit=cell, status__in=(MeetingStatus.HELD, MeetingStatus.APPROVED), date__lte=on
        )
        .order_by("-date", "-id")
        .values("pk")[:RECENT_MEETINGS]
    )
    absent = {
        row["member_id"]
        for row in Attendance.objects.filter(
            meeting_id__in=Subquery(recent), member_id__in=ids, status__in=ABSENT_STATUSES
        )
        .values("member_id")
        .annotate(n=Count("meeting_id", distinct=True))
        if row["n"] >= RECENT_MEETINGS
    }
    exempt = set(
        ActivityExemption.objects.filter(valid_on(on), member_id__in=ids).values_list("member_id", flat=True)
    )
    suggested: list[RotationEntry] = []
    skipped: list[RotationEntry] = []
    for membership in memberships:
        row = articles.get(membership.member_id)
        last = row["last"] if row else None
        if membership.member_id in exempt:
            skip = Skip.EXEMPT
        elif membership.member_id in absent:
            skip = Skip.ABSENT
        elif row and row["open"]:
            skip = Skip.OPEN
        else:
            skip = ""
        entry = RotationEntry(membership, last, skip)
        (skipped if skip else suggested).append(entry)
    suggested.sort(key=_turn_key)
    skipped.sort(key=_turn_key)
    return Rotation(suggested, skipped)


# ---------------------------------------------------------------------------------------------
# Issues and articles
# ---------------------------------------------------------------------------------------------


def issues_for(scope: Scope) -> QuerySet[BulletinIssue]:
    """Issues of the units the user reads (their own while in reach, and every committee above),
    newest first, with the number of articles accepted and published."""
    return (
        BulletinIssue.objects.filter(readable_filter(scope, "unit_id", on="period"))
        .select_related("unit")
        .annotate(
            accepted=Count("articles", filter=Q(articles__status=ArticleStatus.EDITED)),
            published=Count("articles", filter=Q(articles__status=ArticleStatus.PUBLISHED)),
        )
        .order_by("-period", "unit__name")
    )


def issues_above(cell: Unit) -> set[int]:
    """Units whose bulletin a cell writes for: the committees it ever sat under."""
    return {row.unit_id for row in walk_up(cell)} - {cell.pk}


def issues_accepting_articles(cell: Unit, today: dt.date) -> QuerySet[BulletinIssue]:
    """Issues a cell can still assign articles for: published by a committee the cell sits or sat
    under, still collecting articles and with the deadline not passed. (An issue left open after
    its deadline, such as a closed district's last one, would only lead to a refused assignment.)
    Soonest deadline first."""
    return (
        BulletinIssue.objects.filter(
            unit_id__in=issues_above(cell), status=BulletinIssue.Status.OPEN, deadline__gte=today
        )
        .select_related("unit")
        .order_by("deadline", "period", "unit__name")
    )


def _with_people(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.select_related("cell", "author__person", "issue__unit")


def print_order(articles: QuerySet[Article]) -> QuerySet[Article]:
    """The editor's order, then the ones not yet placed by cell and author."""
    return articles.order_by(
        F("order").asc(nulls_last=True), "cell__search_text", "author__person__search_text"
    )


def issue_articles(issue: BulletinIssue, scope: Scope) -> QuerySet[Article]:
    """The articles of an issue the user may see: all of them for those who follow the issuing
    unit; otherwise the published ones, those of the cells the user oversees and the user's own
    (a plain member does not read a cell mate's work in progress)."""
    articles = issue.articles.exclude(status=ArticleStatus.CANCELLED)
    if not scope.can_on(Capability.VIEW, issue.unit_id, issue.period):
        visible = Q(status=ArticleStatus.PUBLISHED) | scope.reach_filter(
            "cell_id", on="assigned_on", capability=Capability.OVERSEE
        )
        if scope.person_id is not None:
            visible |= Q(author__person_id=scope.person_id)
        articles = articles.filter(visible)
    return print_order(_with_people(articles))


def printed_articles(issue: BulletinIssue) -> QuerySet[Article]:
    """What goes into the printed issue: the published articles, or before publication the
    accepted ones (the editor's preview), in the editor's order."""
    status = (
        ArticleStatus.PUBLISHED if issue.status == BulletinIssue.Status.PUBLISHED else ArticleStatus.EDITED
    )
    return print_order(_with_people(issue.articles.filter(status=status)))


def cell_articles(cell: Unit, *, limit: int = 30) -> QuerySet[Article]:
    """A cell's assignments, newest first (cancelled ones included: they are part of its record)."""
    return _with_people(Article.objects.filter(cell=cell)).order_by("-assigned_on", "-id")[:limit]


def overdue_articles(cell_ids: Iterable[int], today: dt.date) -> QuerySet[Article]:
    """Assignments past their due date and not handed in (assigned, or returned and not resent)."""
    return _with_people(
        Article.objects.filter(cell_id__in=list(cell_ids), status__in=NOT_SUBMITTED, due_on__lt=today)
    ).order_by("due_on", "cell__search_text", "author__person__search_text")


def overdue_counts(cell_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    rows = (
        Article.objects.filter(cell_id__in=list(cell_ids), status__in=NOT_SUBMITTED, due_on__lt=today)
        .values("cell_id")
        .annotate(n=Count("id"))
    )
    return {row["cell_id"]: row["n"] for row in rows}


def my_articles(person_id: int | None) -> QuerySet[Article]:
    """A member's own assignments, the open ones first."""
    if person_id is None:
        return Article.objects.none()
    return (
        _with_people(Article.objects.filter(author__person_id=person_id))
        .exclude(status=ArticleStatus.CANCELLED)
        .order_by("-issue__period", "-assigned_on", "-id")
    )
