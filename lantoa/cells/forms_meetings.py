"""Forms for meetings, the agenda and minutes, and attendance. People are chosen from lists the
view computes once (the unit's members and officers on the meeting's date), never from an id
the browser sends that is not on the list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, VNDateField
from lantoa.lib.vi import format_month
from lantoa.org.models import Person

from .models import AttendanceStatus, Meeting, MeetingKind
from .queries.meetings import parse_month

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control lt-input-time"})


class PersonChoiceField(forms.ChoiceField):
    """A person out of a given list; cleans to the Person (or None)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.people: dict[str, Person] = {}

    def set_people(self, people: Sequence[Person], empty_label: str = "—") -> None:
        self.people = {str(person.pk): person for person in people}
        self.choices = [("", empty_label), *((key, p.full_name) for key, p in self.people.items())]

    def clean(self, value: Any) -> Person | None:
        key = super().clean(value)
        return self.people.get(key) if key else None


def _with_current(people: Sequence[Person], *current: Person | None) -> list[Person]:
    """The list plus the people already chosen (a chair who has since left stays choosable)."""
    result = list(people)
    ids = {p.pk for p in result}
    result += [p for p in current if p is not None and p.pk not in ids]
    return result


class MeetingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    date = VNDateField(label=_("Date"))
    period = forms.CharField(
        label=_("Counts for the month (mm/yyyy)"),
        required=False,
        max_length=7,
        help_text=_(
            "Leave empty for the month of the date. A January meeting held on 2 February counts for 01."
        ),
        widget=forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"}),
    )
    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    topic = forms.CharField(
        label=_("Topic (thematic meeting)"),
        max_length=300,
        required=False,
        help_text=_("Required for a thematic meeting."),
    )
    chair = PersonChoiceField(label=_("Chair"))
    clerk = PersonChoiceField(label=_("Clerk"))
    upper_member = PersonChoiceField(
        label=_("Upper committee member following the cell"),
        help_text=_("Invite them: Hướng dẫn 42-HD/BTCTW asks the cell to tell them of every meeting."),
    )
    guests = forms.CharField(
        label=_("Other guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    extra_items = forms.CharField(
        label=_("More agenda items (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The agenda starts from the template: the study item first, then current affairs, "
            "last month's work, next month's tasks; these lines go before “Other business”."
        ),
    )

    def __init__(
        self,
        *args: Any,
        people: Sequence[Person],
        upper_people: Sequence[Person],
        meeting: Meeting | None = None,
        **kwargs: Any,
    ) -> None:
        if meeting is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": meeting.kind,
                    "date": meeting.date,
                    "period": format_month(meeting.period),
                    "starts_at": meeting.starts_at,
                    "ends_at": meeting.ends_at,
                    "place": meeting.place,
                    "topic": meeting.topic,
                    "chair": meeting.chair_id or "",
                    "clerk": meeting.clerk_id or "",
                    "upper_member": meeting.upper_member_id or "",
                    "guests": meeting.guests,
                },
            )
        super().__init__(*args, **kwargs)
        current = (meeting.chair, meeting.clerk, meeting.upper_member) if meeting else (None, None, None)
        self.fields["chair"].set_people(_with_current(people, current[0]))  # type: ignore[attr-defined]
        self.fields["clerk"].set_people(_with_current(people, current[1]))  # type: ignore[attr-defined]
        self.fields["upper_member"].set_people(  # type: ignore[attr-defined]
            _with_current(upper_people, current[2])
        )
        if meeting is not None:
            del self.fields["extra_items"]

    def clean_period(self) -> dt.date | None:
        text = self.cleaned_data.get("period", "")
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("Write the month as mm/yyyy, e.g. 03/2024."))
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date = data.get("date")
        if date is not None and not data.get("period"):
            data["period"] = date.replace(day=1)
        if "extra_items" in data:
            data["extra_items"] = [line.strip() for line in data["extra_items"].splitlines() if line.strip()]
        return data


class HoldForm(BootstrapFormMixin, forms.Form):
    """The times typed beside "The meeting was held": empty keeps what was recorded."""

    starts_at = forms.TimeField(label=_("Starts at"), required=False, widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends at"), required=False, widget=TIME_WIDGET)


class AddItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("New agenda item"), max_length=300)


class AgendaItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Item"), max_length=300)
    presenter = PersonChoiceField(label=_("Presented by"))
    content = forms.CharField(
        label=_("Content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the study item: which topic or story was presented."),
    )
    conclusion = forms.CharField(
        label=_("Chair's conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    votes_for = forms.IntegerField(label=_("In favour"), required=False, min_value=0, max_value=999)
    votes_against = forms.IntegerField(label=_("Against"), required=False, min_value=0, max_value=999)
    votes_total = forms.IntegerField(
        label=_("Voters"),
        required=False,
        min_value=0,
        max_value=999,
        help_text=_("Leave the three vote boxes empty when nothing was put to the vote."),
    )

    def __init__(self, *args: Any, people: Sequence[Person], presenter: Person | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].set_people(_with_current(people, presenter))  # type: ignore[attr-defined]
        for name in ("votes_for", "votes_against", "votes_total"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class OpinionForm(BootstrapFormMixin, forms.Form):
    person = PersonChoiceField(label=_("Who spoke"), required=True)
    text = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: Sequence[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people(people, empty_label=str(_("Choose a member")))  # type: ignore[attr-defined]


class ResolutionForm(BootstrapFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_("Resolution of the meeting"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class AttendanceForm(BootstrapFormMixin, forms.Form):
    """An explicit mark (not the one-tap cycle), with a reason for an absence."""

    status = forms.ChoiceField(label=_("Status"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class AmendAttendanceForm(AttendanceForm):
    amendment_reason = forms.CharField(
        label=_("Why is this corrected?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history of changes beside the correction."),
    )
