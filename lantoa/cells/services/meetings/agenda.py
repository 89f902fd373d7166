"""The agenda, the minutes item by item with their votes, and members' opinions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from lantoa.audit.services import record_create, record_delete, record_update, snapshot
from lantoa.org.models import Person

from ...models import AgendaItem, AgendaKind, Meeting, MeetingKind, Opinion
from ...queries.meetings import voters_present
from .common import ITEM_FIELDS, _check_open

# ---------------------------------------------------------------------------------------------
# The agenda template
# ---------------------------------------------------------------------------------------------

# Printed in the minutes, so Vietnamese whatever the interface language. The study item comes
# first at every meeting (Kết luận 01-KL/TW; Hướng dẫn 12-HD/BTCTW).
STUDY_TITLE = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
CURRENT_TITLE = "Thông tin thời sự, chủ trương, văn bản của cấp trên"
REVIEW_TITLE = "Đánh giá kết quả thực hiện nhiệm vụ tháng trước"
TASKS_TITLE = "Phương hướng, nhiệm vụ tháng tới"
OTHER_TITLE = "Các vấn đề khác"
COUNCIL_TITLE = "Thông qua danh sách tổng hợp các trường hợp đề nghị xét khen thưởng"


def agenda_template(kind: str, topic: str = "") -> list[tuple[str, str]]:
    """(agenda kind, title) of a new meeting's agenda; the study item always first."""
    thematic = (AgendaKind.THEMATIC.value, f"Chuyên đề: {topic}" if topic else "Chuyên đề")
    regular = [
        (AgendaKind.CURRENT.value, CURRENT_TITLE),
        (AgendaKind.REVIEW.value, REVIEW_TITLE),
        (AgendaKind.TASKS.value, TASKS_TITLE),
    ]
    if kind == MeetingKind.COUNCIL:
        return [(AgendaKind.OTHER.value, COUNCIL_TITLE), (AgendaKind.OTHER.value, OTHER_TITLE)]
    middle = {
        MeetingKind.REGULAR: regular,
        MeetingKind.THEMATIC: [thematic],
        MeetingKind.COMBINED: [*regular, thematic],
    }[MeetingKind(kind)]
    return [(AgendaKind.STUDY.value, STUDY_TITLE), *middle, (AgendaKind.OTHER.value, OTHER_TITLE)]


# ---------------------------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *, actor: Any, meeting: Meeting, title: str, kind: str = AgendaKind.OTHER, presenter: Person | None = None
) -> AgendaItem:
    """A new item at the end of the agenda."""
    _check_open(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    last = meeting.items.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, order=last + 1, kind=kind, title=title.strip()[:300], presenter=presenter
    )
    record_create(actor=actor, obj=item, fields=("title", "presenter"), unit=meeting.unit_id)
    return item


def move_target(kinds: Sequence[str], index: int, *, up: bool) -> int | None:
    """Where the item at ``index`` of an agenda (its items' kinds, in order) would move, or None
    when it cannot: past either end, or across the study item, which stays first."""
    target = index - 1 if up else index + 1
    if not 0 <= target < len(kinds):
        return None
    if kinds[0] == AgendaKind.STUDY and 0 in (index, target):
        return None
    return target


def possible_moves(kinds: Sequence[str]) -> list[tuple[bool, bool]]:
    """(up, down) for each item of an agenda given by its kinds in order: the arrows a page offers."""
    return [
        (move_target(kinds, index, up=True) is not None, move_target(kinds, index, up=False) is not None)
        for index in range(len(kinds))
    ]


def _swap(first: AgendaItem, second: AgendaItem) -> None:
    # (meeting, order) is unique: park one item on 0 (orders start at 1) while the other moves.
    a, b = first.order, second.order
    first.order = 0
    first.save(update_fields=["order"])
    second.order = a
    second.save(update_fields=["order"])
    first.order = b
    first.save(update_fields=["order"])


@transaction.atomic
def move_agenda_item(*, actor: Any, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap the item with its neighbour above (``up``) or below. The study item stays first."""
    meeting = item.meeting
    _check_open(meeting)
    items = list(meeting.items.order_by("order"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    if not 0 <= (index - 1 if up else index + 1) < len(items):
        return item
    target = move_target([other.kind for other in items], index, up=up)
    if target is None:
        raise ValidationError(_("The study item stays first on the agenda."))
    other = items[target]
    before = snapshot(item, ("order",))
    _swap(item, other)
    record_update(actor=actor, obj=item, before=before, fields=("order",), unit=meeting.unit_id)
    return item


@transaction.atomic
def remove_agenda_item(*, actor: Any, item: AgendaItem) -> None:
    """Take an item off the agenda (with its opinions); the items below move up. The study
    item cannot be removed."""
    meeting = item.meeting
    _check_open(meeting)
    if item.kind == AgendaKind.STUDY:
        raise ValidationError(_("The study item stays first on the agenda."))
    if AgendaItem.objects.filter(pk=item.pk, voting_round__isnull=False).exists():
        raise ValidationError(_("This item holds a vote on nominations: it stays on the agenda."))
    before = snapshot(item, ITEM_FIELDS)
    removed_order = item.order
    record_delete(actor=actor, obj=item, before=before, unit=meeting.unit_id)
    item.delete()
    for below in meeting.items.filter(order__gt=removed_order).order_by("order"):
        below.order -= 1
        below.save(update_fields=["order"])


def check_votes(
    *, votes_for: int | None, votes_against: int | None, votes_total: int | None, present: int
) -> None:
    """Votes add up: in favour + against ≤ voters ≤ full members present (probationary members
    do not vote). All three or none."""
    if votes_for is None and votes_against is None and votes_total is None:
        return
    if votes_for is None or votes_against is None or votes_total is None:
        raise ValidationError(_("Record in favour, against and the number of voters together."))
    if votes_for + votes_against > votes_total:
        raise ValidationError(
            {"votes_total": _("In favour and against together are more than the number of voters.")}
        )
    if votes_total > present:
        raise ValidationError(
            {
                "votes_total": _("%(voters)d voters, but only %(present)d full members are present.")
                % {"voters": votes_total, "present": present}
            }
        )


@transaction.atomic
def record_item_minutes(*, actor: Any, item: AgendaItem, **changes: Any) -> AgendaItem:
    """What was said and decided on one item: title, presenter, content, the chair's conclusion
    and the vote. Votes are checked against the members marked present."""
    meeting = item.meeting
    _check_open(meeting)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not agenda item fields: {sorted(unknown)}")
    before = snapshot(item, ITEM_FIELDS)
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    if not item.title:
        raise ValidationError({"title": _("Give the item a title.")})
    check_votes(
        votes_for=item.votes_for,
        votes_against=item.votes_against,
        votes_total=item.votes_total,
        present=voters_present(meeting),
    )
    item.save(update_fields=list(changes))
    record_update(actor=actor, obj=item, before=before, fields=ITEM_FIELDS, unit=meeting.unit_id)
    return item


@transaction.atomic
def add_opinion(*, actor: Any, item: AgendaItem, person: Person, text: str) -> Opinion:
    """A member's opinion on an item, by name, after the ones already recorded."""
    _check_open(item.meeting)
    if not text.strip():
        raise ValidationError({"text": _("Write what was said.")})
    last = item.opinions.aggregate(last=Max("order"))["last"] or 0
    opinion = Opinion.objects.create(item=item, person=person, text=text.strip(), order=last + 1)
    record_create(actor=actor, obj=opinion, fields=("person", "text"), unit=item.meeting.unit_id)
    return opinion


@transaction.atomic
def remove_opinion(*, actor: Any, opinion: Opinion) -> None:
    meeting = opinion.item.meeting
    _check_open(meeting)
    record_delete(
        actor=actor, obj=opinion, before=snapshot(opinion, ("person", "text")), unit=meeting.unit_id
    )
    opinion.delete()
