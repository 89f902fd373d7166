"""What every part of the meeting services shares: the fields they audit and the freeze of
approved minutes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ...models import Meeting


class MinutesFrozen(ValidationError):
    """The minutes are approved: attendance and minutes no longer change except by amendment."""

    def __init__(self) -> None:
        super().__init__(
            _("The minutes are approved and frozen. Corrections to attendance are recorded as amendments.")
        )


MEETING_FIELDS = (
    "kind",
    "period",
    "date",
    "starts_at",
    "ends_at",
    "place",
    "topic",
    "chair",
    "clerk",
    "upper_member",
    "guests",
    "resolution",
)
ITEM_FIELDS = ("title", "presenter", "content", "conclusion", "votes_for", "votes_against", "votes_total")
ATTENDANCE_FIELDS = ("status", "reason")


def _check_open(meeting: Meeting) -> None:
    if meeting.is_frozen:
        raise MinutesFrozen()
