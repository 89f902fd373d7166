"""Forms of the study-material library and the bulletin. They only read what was typed; every
rule about the data lives in the services."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.documents.models import Theme
from lantoa.lib.forms import BootstrapFormMixin, VNDateField
from lantoa.lib.vi import format_month, format_month_in_text
from lantoa.org.forms import UnitChoiceField
from lantoa.org.models import PartyMember, Person, Unit

from .labels import theme_short
from .models import BulletinIssue, MaterialKind, Meeting

TEXTAREA_ROWS = 4


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Every theme opens with the same words: the year and what sets it apart tell them apart.
        return theme_short(obj)


class MaterialForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of material"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For a video, give its link: it is shown as a link, never played from the internet."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word, JPG or PNG (a short video as .mp4), at most 20 MB."),
    )
    summary = forms.CharField(
        label=_("Summary or the story itself"),
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
    )
    themes = ThemeChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared_by = forms.ModelChoiceField(
        label=_("Shared by"), queryset=Person.objects.none(), required=False, to_field_name="public_id"
    )
    shared_on = VNDateField(label=_("Shared on"))
    in_library = forms.BooleanField(
        label=_("Put it in the district's library for every cell"), required=False, initial=True
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["shared_by"].queryset = people  # type: ignore[attr-defined]
        self.fields["shared_on"].initial = timezone.localdate()
        # The class would go on the list's container as well as on each box: plain boxes instead.
        self.fields["themes"].widget.attrs.pop("class", None)


class MaterialEditForm(MaterialForm):
    remove_file = forms.BooleanField(label=_("Remove the stored file"), required=False)


class MonthField(forms.Field):
    """A month typed as mm/yyyy ("3/2024" too), kept as the first day of that month."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter the month as mm/yyyy, e.g. 03/2024.")}
    _PATTERN = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "maxlength": "7"}
        )

    def prepare_value(self, value: Any) -> Any:
        return format_month(value) if isinstance(value, dt.date) else value

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value.replace(day=1)
        text = str(value or "").strip()
        if not text:
            return None
        match = self._PATTERN.match(text)
        if not match or not 1 <= int(match[1]) <= 12 or not 2000 <= int(match[2]) <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(int(match[2]), int(match[1]), 1)


class IssueForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Published by"))
    period = MonthField(label=_("Month"))
    deadline = VNDateField(label=_("Articles due by"))
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Empty: Bản tin sinh hoạt nội bộ.")
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["period"].initial = today.replace(day=1)
        self.fields["deadline"].initial = today.replace(day=20)


class IssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} – Số {obj.number} – tháng {format_month_in_text(obj.period)}"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.full_name


class AssignForm(BootstrapFormMixin, forms.Form):
    issue = IssueChoiceField(
        label=_("Bulletin issue"), queryset=BulletinIssue.objects.none(), to_field_name="public_id"
    )
    member = MemberChoiceField(label=_("Member"), queryset=PartyMember.objects.none())
    topic = forms.CharField(
        label=_("Topic"), max_length=300, help_text=_("e.g. Bác Hồ với đức tính tiết kiệm")
    )
    due_on = VNDateField(label=_("Due"), required=False, help_text=_("Empty: the issue's deadline."))
    meeting = forms.ModelChoiceField(
        label=_("Assigned at the meeting of"),
        queryset=Meeting.objects.none(),
        required=False,
        to_field_name="public_id",
    )

    def __init__(
        self,
        *args: Any,
        issues: QuerySet[BulletinIssue],
        members: QuerySet[PartyMember],
        meetings: QuerySet[Meeting],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = issues  # type: ignore[attr-defined]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class SubmitForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 12}), strip=False
    )
    file = forms.FileField(label=_("Or attach a file (Word, PDF, photo)"), required=False)


class AcceptForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text as it will be printed"), widget=forms.Textarea(attrs={"rows": 12}))


class ReturnForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What should the author change?"), widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
    )
