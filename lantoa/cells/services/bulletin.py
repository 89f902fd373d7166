"""Writing the internal bulletin (Bản tin sinh hoạt nội bộ): open an issue, assign an article,
move it through the editorial cycle, order and publish an issue. Each function checks who acts
and the move, writes, and records the audit entry in the same transaction.

An article's states (``ArticleStatus``); ``move_article`` is the one function that moves it::

    assigned ─author submits─▶ submitted ─editor accepts─▶ edited ─issue published─▶ published
                                  ▲    │                      │
                    author resubmits   └──editor returns──▶ returned ◀──editor returns──┘
    assigned, returned ─cell's officers cancel─▶ cancelled

The editor is whoever records programme work for the unit that publishes the issue (Ban Tuyên
giáo of the district: Capability.WRITE_PROGRAMME on the issue's unit); the cell's officers are
those with that capability on the cell; the author is the member, through their own account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_update, snapshot
from lantoa.lib.vi import format_month_in_text
from lantoa.org.access import Capability, scope_for
from lantoa.org.models import Membership, PartyMember, Unit
from lantoa.org.queries import valid_on

from ..models import Article, ArticleStatus, BulletinIssue, Meeting
from ..queries.bulletin import issues_above, rotation

ARTICLE_FIELDS = ("status", "title", "text", "file", "submitted_on", "comment", "order")
ASSIGNMENT_FIELDS = ("issue", "cell", "author", "topic", "assigned_on", "due_on", "by_rotation")
ISSUE_FIELDS = ("number", "period", "title", "deadline", "status", "published_on")
ARTICLE_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".odt", ".jpg", ".jpeg", ".png"})
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
DEFAULT_TITLE = "Bản tin sinh hoạt nội bộ"


class Mover:
    """Who makes a move."""

    AUTHOR = "author"
    EDITOR = "editor"
    CELL = "cell"


S = ArticleStatus
# (from, to) → who may make the move. Anything not listed is not a move.
MOVES: dict[tuple[str, str], str] = {
    (S.ASSIGNED, S.SUBMITTED): Mover.AUTHOR,
    (S.RETURNED, S.SUBMITTED): Mover.AUTHOR,
    (S.SUBMITTED, S.EDITED): Mover.EDITOR,
    (S.EDITED, S.EDITED): Mover.EDITOR,  # the editor corrects an accepted text again
    (S.SUBMITTED, S.RETURNED): Mover.EDITOR,
    (S.EDITED, S.RETURNED): Mover.EDITOR,
    (S.EDITED, S.PUBLISHED): Mover.EDITOR,
    (S.ASSIGNED, S.CANCELLED): Mover.CELL,
    (S.RETURNED, S.CANCELLED): Mover.CELL,
}


def acts_as(actor: Any, article: Article, mover: str) -> bool:
    scope = scope_for(actor)
    if mover == Mover.AUTHOR:
        return scope.person_id is not None and scope.person_id == article.author.person_id
    if mover == Mover.EDITOR:
        return scope.can_now(Capability.WRITE_PROGRAMME, article.issue.unit_id)
    return scope.can_now(Capability.WRITE_PROGRAMME, article.cell_id)


def next_open_issue(article: Article) -> BulletinIssue | None:
    """The issue of the same bulletin now collecting articles, for an article whose own issue
    came out without it; None when the bulletin has none open."""
    return (
        BulletinIssue.objects.filter(unit_id=article.issue.unit_id, status=BulletinIssue.Status.OPEN)
        .order_by("-period")
        .first()
    )


def moves_for(actor: Any, article: Article) -> set[str]:
    """The states the user may move the article to now (what the article page offers)."""
    return {
        to
        for (start, to), mover in MOVES.items()
        if start == article.status and to != S.PUBLISHED and acts_as(actor, article, mover)
    }


def check_article_file(uploaded: UploadedFile) -> None:
    suffix = PurePath(uploaded.name or "").suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ValidationError(
            {
                "file": _("Files of type %(suffix)s are not accepted; use Word, PDF or a photo.")
                % {"suffix": suffix or "?"}
            }
        )
    if (uploaded.size or 0) > MAX_ARTICLE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})


@transaction.atomic
def move_article(
    *,
    actor: Any,
    article: Article,
    to: str,
    title: str | None = None,
    text: str | None = None,
    uploaded: UploadedFile | None = None,
    comment: str = "",
    today: dt.date | None = None,
) -> Article:
    """Move ``article`` to ``to`` if ``actor`` may make that move from its current state.

    Raises PermissionDenied when the actor may not make the move, ValidationError when it is not
    a move or its content is missing. Side effects, by target:

    * submitted: title, text and/or file stored, ``submitted_on`` = today; an article whose issue
      came out before it was handed in (returned, or late) goes to the bulletin's issue now
      collecting articles (``next_open_issue``);
    * edited: the editor's title/text replace the author's when given (the audit keeps both);
      the text is required (the issue is printed from it); the article goes last in the issue's
      print order unless already placed;
    * returned: the editor's comment (required) stored; print place cleared;
    * published: only while its issue is being published (see ``publish_issue``);
    * cancelled: print place cleared.

    Every move saves only the fields it changes and writes one audit entry (note: the comment).
    """
    today = today or timezone.localdate()
    current = (
        Article.objects.select_for_update().filter(pk=article.pk).values_list("status", flat=True).first()
    )
    if current != article.status:
        raise ValidationError(_("Someone changed this article meanwhile; open it again."))
    mover = MOVES.get((article.status, to))
    if mover is None:
        raise ValidationError(
            _("An article that is “%(state)s” cannot become “%(target)s”.")
            % {"state": article.get_status_display(), "target": ArticleStatus(to).label}
        )
    if not acts_as(actor, article, mover):
        raise PermissionDenied(
            {
                Mover.AUTHOR: _("Only the author hands in the article."),
                Mover.EDITOR: _("Only the bulletin's editors accept, return or publish articles."),
                Mover.CELL: _("Only the cell's officers cancel an assignment."),
            }[mover]
        )
    issue_open = article.issue.status == BulletinIssue.Status.OPEN
    if to == S.PUBLISHED and issue_open:
        raise ValidationError(_("Articles are published with their issue."))
    later_issue = next_open_issue(article) if to == S.SUBMITTED and not issue_open else None
    if to in (S.SUBMITTED, S.EDITED, S.RETURNED) and not issue_open and later_issue is None:
        raise ValidationError(_("This issue has already been published, and the next one is not open yet."))

    before = snapshot(article, ARTICLE_FIELDS)
    changed = ["status"]
    if later_issue is not None:
        article.issue = later_issue
        changed.append("issue")
    if to == S.SUBMITTED:
        new_title = (title or "").strip()
        new_text = (text or "").strip()
        if not new_title:
            raise ValidationError({"title": _("Give the article a title.")})
        if not new_text and uploaded is None and not article.file:
            raise ValidationError({"text": _("Write the article here or attach a file.")})
        if uploaded is not None:
            check_article_file(uploaded)
            article.file.save(PurePath(uploaded.name or "bai-viet").name, uploaded, save=False)
            changed.append("file")
        article.title, article.text, article.submitted_on = new_title, new_text, today
        changed += ["title", "text", "submitted_on"]
    elif to == S.EDITED:
        if title is not None and title.strip():
            article.title = title.strip()
        if text is not None:
            article.text = text.strip()
        if not article.text:
            # The printed issue is made from the text: an article sent as a file needs it pasted in.
            raise ValidationError({"text": _("Put the article's text in before accepting it.")})
        changed += ["title", "text"]
        if article.order is None:
            last = article.issue.articles.filter(status=S.EDITED).aggregate(n=Max("order"))["n"]
            article.order = (last or 0) + 1
            changed.append("order")
    elif to == S.RETURNED:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what the author should change.")})
        article.comment, article.order = comment.strip(), None
        changed += ["comment", "order"]
    elif to == S.CANCELLED:
        article.order = None
        changed.append("order")
    article.status = to
    article.save(update_fields=changed)
    record_update(
        actor=actor,
        obj=article,
        before=before,
        fields=ARTICLE_FIELDS,
        unit=article.cell_id,
        note=comment.strip() if to == S.RETURNED else "",
    )
    return article


# ---------------------------------------------------------------------------------------------
# Assignments
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def assign_article(
    *,
    actor: Any,
    cell: Unit,
    issue: BulletinIssue,
    author: PartyMember,
    topic: str,
    due_on: dt.date | None = None,
    assigned_on: dt.date | None = None,
    meeting: Meeting | None = None,
) -> Article:
    """The cell gives ``author`` an article to write for ``issue``. Side effects: notes whether
    the author was the rotation's suggestion; one audit entry."""
    if not scope_for(actor).can_now(Capability.WRITE_PROGRAMME, cell):
        raise PermissionDenied(_("Only the cell's officers assign articles."))
    assigned_on = assigned_on or timezone.localdate()
    due_on = due_on or issue.deadline
    errors: dict[str, str] = {}
    if not cell.is_cell:
        raise ValidationError(_("Articles are assigned by cells."))
    if issue.status != BulletinIssue.Status.OPEN:
        errors["issue"] = _("This issue has already been published.")
    elif issue.unit_id not in issues_above(cell):
        errors["issue"] = _("%(cell)s does not write for this bulletin.") % {"cell": cell.name}
    if not topic.strip():
        errors["topic"] = _("Give the topic of the article.")
    if due_on < assigned_on:
        errors["due_on"] = _("The due date cannot be before the day of the assignment.")
    if not Membership.objects.filter(valid_on(assigned_on), member=author, unit=cell).exists():
        errors["member"] = _("%(name)s is not a member of %(cell)s.") % {
            "name": author.person.full_name,
            "cell": cell.name,
        }
    elif (
        "issue" not in errors
        and Article.objects.filter(issue=issue, author=author).exclude(status=S.CANCELLED).exists()
    ):
        errors["member"] = _("%(name)s already writes for this issue.") % {"name": author.person.full_name}
    if meeting is not None and meeting.unit_id != cell.pk:
        errors["meeting"] = _("That meeting is another unit's.")
    if errors:
        raise ValidationError(errors)
    suggestion = rotation(cell, assigned_on).first
    article = Article.objects.create(
        issue=issue,
        cell=cell,
        author=author,
        topic=topic.strip(),
        assigned_on=assigned_on,
        due_on=due_on,
        assigned_at_meeting=meeting,
        by_rotation=suggestion is not None and suggestion.member_id == author.pk,
    )
    record_create(actor=actor, obj=article, fields=ASSIGNMENT_FIELDS, unit=cell)
    return article


# ---------------------------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------------------------


def _require_editor(actor: Any, unit_id: int) -> None:
    if not scope_for(actor).can_now(Capability.WRITE_PROGRAMME, unit_id):
        raise PermissionDenied(_("Only the bulletin's editors do this."))


@transaction.atomic
def open_issue(
    *, actor: Any, unit: Unit, period: dt.date, deadline: dt.date, title: str = ""
) -> BulletinIssue:
    """Open the issue of ``period``'s month; its number follows the unit's last one. Side effects:
    one audit entry."""
    _require_editor(actor, unit.pk)
    period = period.replace(day=1)
    if unit.is_cell or not unit.is_party:
        raise ValidationError({"unit": _("A bulletin is published by a Party committee.")})
    if not unit.is_open_on(period):
        raise ValidationError({"period": _("%(unit)s did not exist in that month.") % {"unit": unit.name}})
    if BulletinIssue.objects.filter(unit=unit, period=period).exists():
        raise ValidationError(
            {
                "period": _("There is already an issue for %(month)s.")
                % {"month": format_month_in_text(period)}
            }
        )
    if deadline < period - dt.timedelta(days=62):
        raise ValidationError({"deadline": _("The deadline is too long before the issue's month.")})
    # Lock the unit's row: two editors opening issues at once must not take the same number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = BulletinIssue.objects.filter(unit=unit).aggregate(n=Max("number"))["n"]
    try:
        with transaction.atomic():
            issue = BulletinIssue.objects.create(
                unit=unit,
                number=(last or 0) + 1,
                period=period,
                deadline=deadline,
                title=title.strip() or DEFAULT_TITLE,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Another issue was opened at the same time; try again.")) from exc
    record_create(actor=actor, obj=issue, fields=ISSUE_FIELDS, unit=unit)
    return issue


@transaction.atomic
def set_print_order(*, actor: Any, issue: BulletinIssue, articles: Sequence[Article]) -> None:
    """Place the accepted articles in the printed issue in the given order (1 first). Side
    effects: one audit entry per article that moved."""
    _require_editor(actor, issue.unit_id)
    if issue.status != BulletinIssue.Status.OPEN:
        raise ValidationError(_("This issue has already been published."))
    for position, article in enumerate(articles, start=1):
        if article.issue_id != issue.pk or article.status != S.EDITED:
            raise ValidationError(_("Only accepted articles of this issue are placed."))
        if article.order == position:
            continue
        before = snapshot(article, ("order",))
        article.order = position
        article.save(update_fields=["order"])
        record_update(actor=actor, obj=article, before=before, fields=("order",), unit=article.cell_id)


@transaction.atomic
def publish_issue(*, actor: Any, issue: BulletinIssue, today: dt.date | None = None) -> BulletinIssue:
    """Publish ``issue``: every accepted article becomes published, in the editor's order.
    Articles not accepted stay where they are. Side effects: ``published_on`` = today; one audit
    entry for the issue and one per article."""
    _require_editor(actor, issue.unit_id)
    today = today or timezone.localdate()
    locked = BulletinIssue.objects.select_for_update().get(pk=issue.pk)
    if locked.status != BulletinIssue.Status.OPEN:
        raise ValidationError(_("This issue has already been published."))
    accepted = list(
        issue.articles.filter(status=S.EDITED)
        .select_related("author__person", "issue__unit")
        .order_by("order", "id")
    )
    if not accepted:
        raise ValidationError(_("Accept at least one article before publishing."))
    before = snapshot(issue, ISSUE_FIELDS)
    issue.status, issue.published_on = BulletinIssue.Status.PUBLISHED, today
    issue.save(update_fields=["status", "published_on"])
    record_update(actor=actor, obj=issue, before=before, fields=ISSUE_FIELDS, unit=issue.unit_id)
    for article in accepted:
        article.issue = issue
        move_article(actor=actor, article=article, to=S.PUBLISHED, today=today)
    return issue
