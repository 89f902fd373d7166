"""Dated rules for cell meetings, chosen by the meeting's date (not by `if year >= 2025`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lantoa.lib.vi import format_date

from .models import Meeting, MeetingDurationRule, MeetingKind


def duration_rule_on(day: dt.date) -> MeetingDurationRule | None:
    return MeetingDurationRule.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def minimum_minutes(meeting: Meeting, rule: MeetingDurationRule | None = None) -> int | None:
    rule = rule if rule is not None else duration_rule_on(meeting.date)
    if rule is None:
        return None
    if meeting.kind == MeetingKind.COUNCIL:  # the rule is for cell meetings
        return None
    if meeting.kind == MeetingKind.COMBINED:
        return rule.min_combined_minutes
    return rule.min_regular_minutes


def duration_warning(meeting: Meeting, rule: MeetingDurationRule | None = None) -> str | None:
    """A visible warning when a held meeting was shorter than the rule in force on its date."""
    minimum = minimum_minutes(meeting, rule)
    length = meeting.minutes
    if minimum is None or length is None or length >= minimum:
        return None
    rule = rule if rule is not None else duration_rule_on(meeting.date)
    return _(
        "The meeting lasted %(length)d minutes; since %(date)s it should last at least "
        "%(minimum)d (%(source)s)."
    ) % {
        "length": length,
        "minimum": minimum,
        "date": format_date(rule.valid_from) if rule else "",
        "source": rule.source if rule else "",
    }
