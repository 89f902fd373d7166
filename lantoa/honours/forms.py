"""Forms of nominations and votes. They read what was typed; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.cells.labels import theme_short
from lantoa.documents.models import Theme
from lantoa.lib.forms import BootstrapFormMixin, VNDateField
from lantoa.lib.vi import format_date, format_month
from lantoa.org.forms import UnitChoiceField
from lantoa.org.models import Person, Unit

from .models import (
    AwardForm,
    EmulationTitle,
    Nomination,
    PeriodKind,
    PracticeKind,
    RecognitionKind,
    VoteMethod,
    VoteRuleSet,
)
from .services import ACHIEVEMENTS_MAX

SUBJECT_PERSON, SUBJECT_UNIT, SUBJECT_NAME = "person", "unit", "name"


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return theme_short(obj)


class NominationForm(BootstrapFormMixin, forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("Who is nominated"),
        choices=[
            (SUBJECT_PERSON, _("A person (party member or not)")),
            (SUBJECT_UNIT, _("A Party unit")),
            (SUBJECT_NAME, _("Another collective (mass organisation, agency)")),
        ],
        widget=forms.RadioSelect,
        initial=SUBJECT_PERSON,
    )
    subject_person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False, to_field_name="public_id"
    )
    subject_unit = UnitChoiceField(label=_("Party unit"), queryset=Unit.objects.none(), required=False)
    subject_name = forms.CharField(
        label=_("Collective"),
        max_length=200,
        required=False,
        help_text=_("e.g. Chi hội Phụ nữ ấp Phước Thạnh"),
    )
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    period_start = VNDateField(label=_("Period from"))
    period_end = VNDateField(label=_("Period to"))
    theme = ThemeChoiceField(
        label=_("Theme or campaign it answers"), queryset=Theme.objects.none(), required=False
    )
    achievements = forms.CharField(
        label=_("Achievements"),
        max_length=ACHIEVEMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the person or collective did, with figures and dates where there are some."),
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        units: QuerySet[Unit],
        themes: QuerySet[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]
        self.fields["subject_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["subject_unit"].queryset = units  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(day=1)
        self.fields["period_end"].initial = today

    def subjects(self) -> dict[str, Any]:
        """The one subject the chosen kind names, for ``services.nominate``."""
        data = self.cleaned_data
        kind = data["subject_kind"]
        return {
            "subject_person": data["subject_person"] if kind == SUBJECT_PERSON else None,
            "subject_unit": data["subject_unit"] if kind == SUBJECT_UNIT else None,
            "subject_name": data["subject_name"] if kind == SUBJECT_NAME else "",
        }


class EvidenceForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or a photo, at most 20 MB."))
    dated = VNDateField(label=_("Dated"), required=False)


class DecisionFileForm(BootstrapFormMixin, forms.Form):
    """A file of a decision: the signed and stamped scan, the council's minutes, the list."""

    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or a photo, at most 20 MB."))
    title = forms.CharField(
        label=_("What it is"), max_length=200, required=False, help_text=_("e.g. Bản ký, đóng dấu")
    )


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=300)


def period_words(nomination: Nomination) -> str:
    """ "11/2026" for a month, "2026" for a year, else the two dates."""
    start, end = nomination.period_start, nomination.period_end
    if nomination.period_kind == PeriodKind.MONTH and (start.year, start.month) == (end.year, end.month):
        return format_month(start)
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return str(start.year)
    return f"{format_date(start)} – {format_date(end)}"


class NominationChoiceField(forms.ModelMultipleChoiceField):
    """A nomination as a list tells it apart: the same person passed in three months is three
    lines, each with its month and the unit that nominated."""

    def label_from_instance(self, obj: Any) -> str:
        nomination: Nomination = obj
        return f"{nomination.subject_label} · {period_words(nomination)} · {nomination.unit.name}"


class RoundForm(BootstrapFormMixin, forms.Form):
    nominations = NominationChoiceField(
        label=_("Nominations to vote on"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )
    method = forms.ChoiceField(label=_("Method"), choices=VoteMethod.choices)
    rules = forms.ModelChoiceField(
        label=_("Voting rules"),
        queryset=VoteRuleSet.objects.none(),
        required=False,  # none chosen: the usual one
        empty_label=None,
        help_text=_("The rules in force for this body on the meeting's date; the first is the usual one."),
    )

    def __init__(
        self, *args: Any, awaiting: list[Nomination], method: str, rules: list[VoteRuleSet], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = VoteRuleSet.objects.filter(pk__in=[r.pk for r in rules])  # type: ignore[attr-defined]
        self.fields["rules"].initial = rules[0].pk if rules else None
        if len(rules) <= 1:
            self.fields["rules"].widget = forms.HiddenInput()
        field = self.fields["nominations"]
        field.queryset = Nomination.objects.filter(pk__in=[n.pk for n in awaiting]).select_related(  # type: ignore[attr-defined]
            "subject_person", "subject_unit", "unit"
        )
        field.initial = [n.public_id for n in awaiting]
        self.fields["method"].initial = method


class SlipsForm(BootstrapFormMixin, forms.Form):
    issued = forms.IntegerField(label=_("Slips issued"), min_value=0, max_value=999)
    returned = forms.IntegerField(label=_("Slips returned"), min_value=0, max_value=999)
    valid = forms.IntegerField(label=_("Valid slips"), min_value=0, max_value=999)


class ProposalForm(BootstrapFormMixin, forms.Form):
    nominations = NominationChoiceField(
        label=_("Nominations to propose"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )
    to_unit = UnitChoiceField(label=_("Propose to"), queryset=Unit.objects.none())
    proposed_on = VNDateField(label=_("Date of the submission"))

    def __init__(self, *args: Any, ready: QuerySet[Nomination], targets: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nothing ticked: a tờ trình is a numbered document; sending one case must not send them all.
        self.fields["nominations"].queryset = ready.select_related("unit")  # type: ignore[attr-defined]
        self.fields["to_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in targets])  # type: ignore[attr-defined]
        if targets:
            self.fields["to_unit"].initial = targets[0].key  # the field is chosen by key
        self.fields["proposed_on"].initial = timezone.localdate()


class PracticeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=PracticeKind.choices)
    started_on = VNDateField(label=_("Started on"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(
        label=_("Results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One dated line per result, e.g. 15/03/2024: 320 m² of road given by 5 households."),
    )


class ReplicationForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit that took it up"), queryset=Unit.objects.none())
    started_on = VNDateField(label=_("From"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["started_on"].initial = timezone.localdate()


class AwardChoiceField(forms.ModelChoiceField):
    """ "Giấy khen (Đảng)", "Giấy khen (Nhà nước)": the same word in two systems."""

    def label_from_instance(self, obj: Any) -> str:
        system = getattr(obj, "system", "")
        return f"{obj.name} ({_('Party') if system == 'party' else _('State')})" if system else obj.name


class DecisionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("The decision"), choices=RecognitionKind.choices)
    form = AwardChoiceField(
        label=_("Form of reward"), queryset=AwardForm.objects.all(), required=False, empty_label="—"
    )
    title = forms.ModelChoiceField(
        label=_("Emulation title"),
        queryset=EmulationTitle.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("A State title (Lao động tiên tiến …) is a separate axis from the form."),
    )
    periodic = forms.BooleanField(
        label=_("Periodic (for the year's results)"),
        required=False,
        initial=False,
        help_text=_(
            "Tick for the year-end periodic reward: each subject must be rated “Hoàn thành xuất sắc "
            "nhiệm vụ” that year. Leave unticked for a reward for the programme, a campaign or an "
            "exceptional deed."
        ),
    )
    year = forms.IntegerField(label=_("For the year"), min_value=2000, max_value=2200)
    reason = forms.CharField(
        label=_("Recognised for"),
        max_length=300,
        help_text=_(
            "Printed on the decision and the certificates, "
            "e.g. “tiêu biểu trong học tập và làm theo Bác năm 2024”."
        ),
    )
    decided_on = VNDateField(label=_("Date of the decision"))
    nominations = NominationChoiceField(
        label=_("Subjects"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, decidable: QuerySet[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = decidable.select_related("unit")  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["decided_on"].initial = today
        self.fields["year"].initial = today.year - 1 if today.month <= 3 else today.year


class RevokeForm(BootstrapFormMixin, forms.Form):
    revoked_on = VNDateField(label=_("Revoked on"))
    revoked_reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revoked_on"].initial = timezone.localdate()
