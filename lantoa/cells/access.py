"""Access funnel for cell life.

Meetings, attendance and minutes belong to the cell (or committee) that meets: officers of that
unit and of the committees above read them; writing needs Capability.WRITE_PROGRAMME on the unit.
A plain member of the cell reads when and where it meets, and its record (agenda, attendance,
minutes) once the minutes are approved: they are read out and adopted at the meeting. Drafts are
the officers' work; reasons for an exemption from Party activity (often health) are theirs alone.
Approving minutes is the chair's act (or a secretary's of that unit, who chairs by rule).
Bulletin issues come from above and are readable below, like documents. Study material is read by
the units that shared it and, once in the library, by every unit under the same district.
An article is its author's own: the author reads and submits it even with a plain member role.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.org.access import Capability, Scope, fetch_for_user, may_read_unit_record, scope_for
from lantoa.org.models import Role, Unit, UnitKind
from lantoa.org.queries import ever_under_ids, walk_up

from .models import Article, ArticleStatus, BulletinIssue, Meeting, MeetingStatus, StudyMaterial

LIBRARY_KINDS = (UnitKind.DISTRICT, UnitKind.PROVINCE)


def may_read_record(scope: Scope, meeting: Meeting) -> bool:
    """The meeting's agenda, attendance and minutes: officers as they are written; a plain member
    once the minutes are approved."""
    officer = scope.can_on(Capability.OVERSEE, meeting.unit_id, meeting.date)
    return officer or meeting.status == MeetingStatus.APPROVED


def get_meeting_for_user(
    user: Any, public_id: str | uuid.UUID, *, write: bool = False, record: bool = True
) -> Meeting:
    """``record``: the caller shows the meeting's record (agenda, attendance, minutes), which a
    plain member reads only once approved (404 before, as for anything else not theirs to read);
    without it, only when and where the meeting is."""
    scope = scope_for(user)
    # Dated: a committee reads a cell's meetings held while the cell was under it, not after.
    return fetch_for_user(
        Meeting.objects.select_related("unit"),
        public_id=public_id,
        may_read=lambda meeting: (
            scope.can_on(Capability.VIEW, meeting.unit_id, meeting.date)
            and (not record or may_read_record(scope, meeting))
        ),
        write=write,
        may_write=lambda meeting: scope.can_on(Capability.WRITE_PROGRAMME, meeting.unit_id, meeting.date),
        not_found=_("No such meeting in your area."),
    )


def may_approve_minutes(user: Any, meeting: Meeting) -> bool:
    """The chair approves; a secretary or deputy of the unit may act for a chair without an account."""
    scope = scope_for(user)
    if not scope.can_on(Capability.WRITE_PROGRAMME, meeting.unit_id, meeting.date):
        return False
    if meeting.chair_id is not None and scope.person_id == meeting.chair_id:
        return True
    return scope.is_superuser or any(
        grant.role in (Role.SECRETARY, Role.DEPUTY) and grant.unit_id == meeting.unit_id
        for grant in scope.grants
    )


def get_issue_for_user(user: Any, public_id: str | uuid.UUID, *, edit: bool = False) -> BulletinIssue:
    """``edit``: the editor's rights (Capability.WRITE_PROGRAMME on the unit that publishes)."""
    scope = scope_for(user)
    return fetch_for_user(
        BulletinIssue.objects.select_related("unit"),
        public_id=public_id,
        may_read=lambda issue: may_read_unit_record(scope, issue.unit_id, issue.period),
        write=edit,
        may_write=lambda issue: scope.can_now(Capability.WRITE_PROGRAMME, issue.unit_id),
        not_found=_("No such bulletin issue."),
    )


def get_article_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> Article:
    """Readable by its author, the officers of its cell and the bulletin's readers above it; once
    published, by anyone who reads the cell or the bulletin. A cell mate with a plain member role
    does not read a draft that is not theirs. ``write`` means the cell's officers or the author
    (what each may change is the service's business)."""
    scope = scope_for(user)

    def own(article: Article) -> bool:
        return scope.person_id is not None and article.author.person_id == scope.person_id

    def may_read(article: Article) -> bool:
        day = article.assigned_on
        officer = scope.can_on(Capability.WRITE_PROGRAMME, article.cell_id, day) or scope.can_on(
            Capability.VIEW, article.issue.unit_id, article.issue.period
        )
        published = article.status == ArticleStatus.PUBLISHED and (
            scope.can_on(Capability.VIEW, article.cell_id, day)
            or may_read_unit_record(scope, article.issue.unit_id, article.issue.period)
        )
        return own(article) or officer or published

    return fetch_for_user(
        Article.objects.select_related("issue__unit", "cell", "author__person"),
        public_id=public_id,
        may_read=may_read,
        write=write,
        may_write=lambda article: (
            own(article)
            or scope.can_now(Capability.WRITE_PROGRAMME, article.cell_id)
            or scope.can_now(Capability.WRITE_PROGRAMME, article.issue.unit_id)
        ),
        not_found=_("No such article."),
    )


def library_unit_ids(scope: Scope) -> set[int]:
    """Units whose shared material the user may read: every unit that was ever under the district
    (or, without one, the province) above any of the user's units. Cached per request."""
    cached = getattr(scope, "_library_unit_ids", None)
    if cached is not None:
        return cached
    found: set[int] = set(scope.unit_ids())
    ancestors: dict[int, str] = {}
    for root in scope.root_units():
        kinds = dict(
            Unit.objects.filter(pk__in={row.unit_id for row in walk_up(root)}).values_list("pk", "kind")
        )
        ancestors.update(kinds)
    districts = [pk for pk, kind in ancestors.items() if kind == UnitKind.DISTRICT]
    tops = districts or [pk for pk, kind in ancestors.items() if kind == UnitKind.PROVINCE]
    for unit in Unit.objects.filter(pk__in=tops):
        found |= ever_under_ids(unit)
    scope._library_unit_ids = found  # type: ignore[attr-defined]
    return found


def materials_visible_filter(scope: Scope) -> Q:
    if scope.is_superuser:
        return Q()
    return scope.reach_filter("unit_id", on="shared_on") | Q(
        in_library=True, unit_id__in=library_unit_ids(scope)
    )


def get_material_for_user(user: Any, public_id: str | uuid.UUID, *, write: bool = False) -> StudyMaterial:
    scope = scope_for(user)
    return fetch_for_user(
        StudyMaterial.objects.filter(materials_visible_filter(scope)),
        public_id=public_id,
        may_read=lambda material: True,  # the queryset holds only what the user reads
        write=write,
        may_write=lambda material: scope.can_now(Capability.WRITE_PROGRAMME, material.unit_id),
        not_found=_("No such material."),
    )
