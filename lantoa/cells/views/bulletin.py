"""The internal bulletin: issues and their editing, a cell's assignments with the rotation, a
member's own articles (written from a phone), and the printed issue."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.audit.queries import history_for
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.text import whole_number
from lantoa.org.access import Capability, Scope, get_unit_for_user, scope_for
from lantoa.org.models import CELL_KINDS, NON_PARTY_KINDS, Membership, PartyMember, Unit
from lantoa.org.queries import valid_on
from lantoa.web.downloads import export_response

from ..access import get_article_for_user, get_issue_for_user
from ..exporters_bulletin import BulletinIssueDocx, issue_line
from ..forms_library import AcceptForm, AssignForm, IssueForm, ReturnForm, SubmitForm
from ..models import Article, ArticleStatus, BulletinIssue, Meeting
from ..queries import bulletin as queries
from ..services import bulletin as services

S = ArticleStatus
RECENT_MEETING_DAYS = 120  # meetings offered as "assigned at": about the last four months
SHOWN_SUGGESTIONS = 5
ISSUES_PER_PAGE = 24


def may_assign_articles(scope: Scope, cell: Unit) -> bool:
    """Who assigns bulletin articles in a cell: the cell's officers and those of the committees
    above it. The one check behind the cell's assignment form and the links that lead to it."""
    return cell.is_cell and scope.can_now(Capability.WRITE_PROGRAMME, cell)


def _editor_units(request: HttpRequest) -> QuerySet[Unit]:
    """Committees whose bulletin the user edits."""
    scope = scope_for(request.user)
    return (
        Unit.objects.filter(pk__in=scope.unit_ids_now(Capability.WRITE_PROGRAMME))
        .exclude(kind__in=CELL_KINDS | NON_PARTY_KINDS)
        .order_by("search_text", "name")
    )


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    """Issues the user reads; for editors the form that opens an issue; for cell officers their
    cells with overdue articles; for members a way to their own articles."""
    scope = scope_for(request.user)
    editor_units = _editor_units(request)
    form = IssueForm(request.POST or None, units=editor_units)
    if request.method == "POST":
        if not editor_units.exists():
            raise PermissionDenied(_("Only the bulletin's editors open issues."))
        if form.is_valid():
            try:
                issue = services.open_issue(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Issue %(line)s opened.") % {"line": issue_line(issue)})
                return redirect("cells:bulletin_issue", public_id=issue.public_id)
    today = timezone.localdate()
    cells = [
        cell
        for cell in Unit.objects.filter(
            valid_on(today), pk__in=scope.unit_ids_now(Capability.WRITE_PROGRAMME), kind__in=CELL_KINDS
        ).order_by("search_text", "name")
        if may_assign_articles(scope, cell)
    ]
    overdue = queries.overdue_counts([cell.pk for cell in cells], today)
    # "Your cells" are those the user holds a role on (a secretary's, a deputy's); the cells a
    # committee's officer reaches from above are shown only when they have articles overdue.
    granted = {grant.unit_id for grant in scope.grants}
    own_cells = [cell for cell in cells if cell.pk in granted]
    followed = sorted(
        (cell for cell in cells if cell.pk not in granted and overdue.get(cell.pk)),
        key=lambda cell: -overdue[cell.pk],
    )
    return render(
        request,
        "cells/bulletin/index.html",
        {
            "page": Paginator(queries.issues_for(scope), ISSUES_PER_PAGE).get_page(request.GET.get("page")),
            "form": form if editor_units.exists() else None,
            "own_cells": [(cell, overdue.get(cell.pk, 0)) for cell in own_cells],
            "followed_cells": [(cell, overdue[cell.pk]) for cell in followed],
            "mine": queries.my_articles(scope.person_id).filter(status__in=queries.NOT_SUBMITTED).count(),
            "has_person": scope.person_id is not None,
        },
    )


@login_required
@require_GET
def issue_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    issue = get_issue_for_user(request.user, public_id)
    scope = scope_for(request.user)
    groups: dict[str, list[Article]] = {status: [] for status in S.values}
    for article in queries.issue_articles(issue, scope):
        groups[article.status].append(article)
    today = timezone.localdate()
    is_open = issue.status == BulletinIssue.Status.OPEN
    can_edit = scope.can_now(Capability.WRITE_PROGRAMME, issue.unit_id)
    return render(
        request,
        "cells/bulletin/issue.html",
        {
            "issue": issue,
            "line": issue_line(issue),
            "to_review": groups[S.SUBMITTED],
            "accepted": groups[S.EDITED],
            "published": groups[S.PUBLISHED],
            "writing": groups[S.ASSIGNED] + groups[S.RETURNED],
            "today": today,
            "can_edit": can_edit and is_open,
            "can_print": can_edit or not is_open,
        },
    )


@login_required
@require_POST
def issue_order(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save the print order the editor typed (1, 2, 3 …) for the accepted articles."""
    issue = get_issue_for_user(request.user, public_id, edit=True)
    accepted = list(issue.articles.filter(status=S.EDITED))

    def wanted(article: Article) -> tuple[int, int, int]:
        value = request.POST.get(f"order-{article.public_id}", "")
        typed = whole_number(value)
        typed = 10_000 if typed is None else typed
        return (typed, article.order or 10_000, article.pk)

    try:
        services.set_print_order(actor=request.user, issue=issue, articles=sorted(accepted, key=wanted))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Order saved."))
    return redirect("cells:bulletin_issue", public_id=issue.public_id)


@login_required
@require_POST
def issue_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    issue = get_issue_for_user(request.user, public_id, edit=True)
    try:
        services.publish_issue(actor=request.user, issue=issue)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Issue %(line)s published.") % {"line": issue_line(issue)})
    return redirect("cells:bulletin_issue", public_id=issue.public_id)


@login_required
@require_GET
def issue_docx(request: HttpRequest, public_id: str) -> HttpResponse:
    """The printed issue; before publication only its editors may print (a preview)."""
    issue = get_issue_for_user(request.user, public_id)
    if issue.status != BulletinIssue.Status.PUBLISHED:
        issue = get_issue_for_user(request.user, public_id, edit=True)
    exporter = BulletinIssueDocx(issue, list(queries.printed_articles(issue)))
    return export_response(
        request,
        exporter.render(),
        content_type=exporter.content_type,
        filename=exporter.filename,
        obj=issue,
        unit=issue.unit,
    )


# ---------------------------------------------------------------------------------------------
# A cell's assignments and the rotation
# ---------------------------------------------------------------------------------------------


def _assign_form(request: HttpRequest, cell: Unit, today: dt.date, first_member: int | None) -> AssignForm:
    issues = queries.issues_accepting_articles(cell, today)
    members = (
        PartyMember.objects.filter(
            pk__in=Membership.objects.filter(valid_on(today), unit=cell).values("member_id")
        )
        .select_related("person")
        .order_by("person__search_text", "pk")
    )
    meetings = Meeting.objects.filter(
        unit=cell, date__gte=today - dt.timedelta(days=RECENT_MEETING_DAYS)
    ).order_by("-date")
    wanted = request.GET.get("member", "")
    initial: dict[str, object] = {"member": whole_number(wanted) or first_member}
    first_issue = issues.first()
    if first_issue is not None:
        initial["issue"] = first_issue.public_id
    return AssignForm(
        request.POST or None, issues=issues, members=members, meetings=meetings, initial=initial
    )


@login_required
def cell_bulletin(request: HttpRequest, key: str) -> HttpResponse:
    """The secretary's page: who writes next and why, the assignment form, what is overdue."""
    # Reading needs more than a plain member's view: the rotation explains itself with members'
    # absences. Assigning needs the cell's officers.
    cell = get_unit_for_user(
        request.user,
        key,
        write=Capability.WRITE_PROGRAMME if request.method == "POST" else Capability.OVERSEE,
    )
    if not cell.is_cell:
        raise Http404(_("Articles are assigned by cells."))
    scope = scope_for(request.user)
    today = timezone.localdate()
    turn = queries.rotation(cell, today)
    form = _assign_form(request, cell, today, turn.first.member_id if turn.first else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.assign_article(
                actor=request.user,
                cell=cell,
                issue=data["issue"],
                author=data["member"],
                topic=data["topic"],
                due_on=data["due_on"],
                meeting=data["meeting"],
                assigned_on=today,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s will write “%(topic)s”.")
                % {"name": article.author.person.full_name, "topic": article.topic},
            )
            return redirect("cells:bulletin_cell", key=cell.key)
    return render(
        request,
        "cells/bulletin/cell.html",
        {
            "cell": cell,
            "rule": queries.FAIRNESS_RULE,
            "suggested": turn.suggested[:SHOWN_SUGGESTIONS],
            "more": max(0, len(turn.suggested) - SHOWN_SUGGESTIONS),
            "skipped": turn.skipped,
            "form": form,
            "can_assign": may_assign_articles(scope, cell),
            # With no issue collecting articles the form could never succeed: the page says so.
            "issues_open": form.fields["issue"].queryset.exists(),  # type: ignore[attr-defined]
            "overdue": queries.overdue_articles([cell.pk], today),
            "articles": queries.cell_articles(cell),
            "today": today,
        },
    )


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_articles(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "cells/bulletin/mine.html",
        {
            "articles": queries.my_articles(scope.person_id),
            "has_person": scope.person_id is not None,
            "today": timezone.localdate(),
        },
    )


ACTIONS = {"submit": S.SUBMITTED, "accept": S.EDITED, "return": S.RETURNED, "cancel": S.CANCELLED}


def _forms(request: HttpRequest, article: Article, action: str | None) -> dict[str, Form]:
    """The article page's forms; the one that was posted is bound."""
    initial = {"title": article.title or article.topic, "text": article.text}
    posted = request.POST if request.method == "POST" else None
    return {
        "submit": SubmitForm(
            posted if action == "submit" else None,
            request.FILES if action == "submit" else None,
            initial=initial,
            prefix="submit",
        ),
        "accept": AcceptForm(posted if action == "accept" else None, initial=initial, prefix="accept"),
        "return": ReturnForm(posted if action == "return" else None, prefix="return"),
    }


@login_required
def article_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """Read an article and make the moves the user may make: the author writes and hands it in,
    the editor accepts or returns it, the cell's officers cancel it."""
    posting = request.method == "POST"
    article = get_article_for_user(request.user, public_id, write=posting)
    action = request.POST.get("action", "") if posting else None
    if posting and action not in ACTIONS:
        raise Http404(_("No such action."))
    forms = _forms(request, article, action)
    if posting:
        assert action is not None
        form = forms.get(action)
        if form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                services.move_article(
                    actor=request.user,
                    article=article,
                    to=ACTIONS[action],
                    title=data.get("title"),
                    text=data.get("text"),
                    uploaded=data.get("file"),
                    comment=data.get("comment", ""),
                )
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("cells:article", public_id=article.public_id)
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("The article is now “%(state)s”.") % {"state": article.get_status_display()}
                )
                return redirect("cells:article", public_id=article.public_id)
    moves = services.moves_for(request.user, article)
    issue_open = article.issue.status == BulletinIssue.Status.OPEN
    # An article returned (or late) after its issue came out is handed in for the one now open.
    later_issue = None if issue_open else services.next_open_issue(article)
    return render(
        request,
        "cells/bulletin/article.html",
        {
            "article": article,
            "line": issue_line(article.issue),
            "forms": forms,
            "may_submit": S.SUBMITTED in moves and (issue_open or later_issue is not None),
            "later_issue": later_issue if S.SUBMITTED in moves else None,
            "later_line": issue_line(later_issue) if later_issue is not None else "",
            "may_accept": S.EDITED in moves and issue_open,
            "may_return": S.RETURNED in moves and issue_open,
            "may_cancel": S.CANCELLED in moves,
            "file_name": PurePath(article.file.name).name if article.file else "",
            "overdue": article.status in queries.NOT_SUBMITTED and article.due_on < timezone.localdate(),
            "audit": history_for(article, show_sensitive=False),
        },
    )


@login_required
@require_GET
def article_file(request: HttpRequest, public_id: str) -> FileResponse:
    article = get_article_for_user(request.user, public_id)
    if not article.file:
        raise Http404
    return FileResponse(
        article.file.open("rb"), as_attachment=True, filename=PurePath(article.file.name).name
    )
