from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, VNDateField
from lantoa.org.forms import UnitChoiceField
from lantoa.org.models import StaffBody, Unit, UnitKind

from .models import Document, DocumentSystem, SigningForm, Theme
from .services import Issuer
from .types import TYPE_CHOICES

MULTI_SELECT_SIZE = 8


def issuer_choices(units: QuerySet[Unit]) -> list[tuple[str, str]]:
    """Units the user may write for, each followed by its staff bodies ("Ban Tuyên giáo …")."""
    choices: list[tuple[str, str]] = []
    bodies: dict[int, list[StaffBody]] = {}
    for body in StaffBody.objects.filter(committee__in=units).prefetch_related("names"):
        bodies.setdefault(body.committee_id, []).append(body)
    for unit in units:
        choices.append((f"unit:{unit.key}", unit.name))
        for body in bodies.get(unit.pk, []):
            names = list(body.names.all())
            label = names[-1].name if names else body.get_kind_display()
            choices.append((f"staff:{body.pk}", f"— {label} ({unit.name})"))
    return choices


def resolve_issuer(value: str, units: QuerySet[Unit]) -> Issuer:
    kind, _sep, ref = value.partition(":")
    if kind == "staff":
        body = StaffBody.objects.select_related("committee").filter(pk=ref, committee__in=units).first()
        if body is not None:
            return Issuer(unit=body.committee, staff_body=body)
    else:
        unit = units.filter(key=ref).first()
        if unit is not None:
            return Issuer(unit=unit)
    raise forms.ValidationError(_("Choose an issuing body from the list."))


class DocumentForm(BootstrapFormMixin, forms.Form):
    issuer = forms.ChoiceField(label=_("Issuing body"))
    system = forms.ChoiceField(
        label=_("System"), choices=DocumentSystem.choices, initial=DocumentSystem.PARTY
    )
    type_code = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, initial="KH")
    issued_on = VNDateField(label=_("Date"))
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to take the next free number; fill it only for an older paper document."),
    )
    place = forms.CharField(
        label=_("Place name"), max_length=100, required=False, help_text=_("e.g. Châu Thành")
    )
    summary = forms.CharField(
        label=_("Summary (trích yếu)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Headings start with I., II. or 1., 2.; lines starting with - become dashes."),
    )
    signing_form = forms.ChoiceField(label=_("Signing form"), choices=SigningForm.choices, required=False)
    signing_body = forms.CharField(
        label=_("On behalf of"), max_length=100, required=False, initial="BAN THƯỜNG VỤ"
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=100, required=False, initial="BÍ THƯ"
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    implements = forms.ModelMultipleChoiceField(
        label=_("Implements"), queryset=Document.objects.none(), required=False, to_field_name="public_id"
    )
    file = forms.FileField(label=_("Signed file"), required=False)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], directives: QuerySet[Document], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["issuer"].choices = issuer_choices(units)  # type: ignore[attr-defined]
        self.fields["implements"].queryset = directives  # type: ignore[attr-defined]
        self.fields["implements"].widget.attrs["size"] = MULTI_SELECT_SIZE
        self.fields["issued_on"].initial = timezone.localdate()

    def clean_issuer(self) -> Issuer:
        return resolve_issuer(self.cleaned_data["issuer"], self.units)


class TermForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("e.g. Nhiệm kỳ 2020–2025"))
    starts_on = VNDateField(label=_("Starts on"))
    ends_on = VNDateField(label=_("Ends on"), required=False)


class ThemeForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Theme"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class CampaignForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"))
    name = forms.CharField(label=_("Name"), max_length=200)
    motto = forms.CharField(label=_("Motto"), max_length=200, required=False)
    starts_on = VNDateField(label=_("Starts on"))
    ends_on = VNDateField(label=_("Ends on"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


FILING_KINDS = [
    (UnitKind.COMMUNE, UnitKind.COMMUNE.label),
    (UnitKind.GRASSROOTS, UnitKind.GRASSROOTS.label),
    (UnitKind.GRASSROOTS_CELL, UnitKind.GRASSROOTS_CELL.label),
    (UnitKind.SUB_COMMITTEE, UnitKind.SUB_COMMITTEE.label),
    (UnitKind.CELL, UnitKind.CELL.label),
    (UnitKind.DISTRICT, UnitKind.DISTRICT.label),
]


class ObligationForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Set by"))
    title = forms.CharField(
        label=_("What must be filed"),
        max_length=300,
        help_text=_("e.g. Kế hoạch thực hiện chuyên đề năm 2024"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    required_type = forms.ChoiceField(label=_("Document to file"), choices=TYPE_CHOICES, initial="KH")
    target_kinds = forms.MultipleChoiceField(
        label=_("Units that must file"), choices=FILING_KINDS, widget=forms.CheckboxSelectMultiple
    )
    deadline = VNDateField(label=_("Deadline"))
    sources = forms.ModelMultipleChoiceField(
        label=_("Based on"), queryset=Document.objects.none(), required=False, to_field_name="public_id"
    )
    theme = forms.ModelChoiceField(label=_("Yearly theme"), queryset=Theme.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        directives: QuerySet[Document],
        themes: QuerySet[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["sources"].queryset = directives  # type: ignore[attr-defined]
        self.fields["sources"].widget.attrs["size"] = MULTI_SELECT_SIZE
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class FilePlanForm(BootstrapFormMixin, forms.Form):
    """A unit answers an obligation: its own numbered document, with the signed file."""

    summary = forms.CharField(
        label=_("Summary (trích yếu)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    issued_on = VNDateField(label=_("Date of the plan"))
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to take the next free number."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=100, initial="BÍ THƯ")
    signer_name = forms.CharField(label=_("Signer"), max_length=120)
    implements = forms.ModelMultipleChoiceField(
        label=_("Implements"), queryset=Document.objects.none(), required=False, to_field_name="public_id"
    )
    file = forms.FileField(label=_("Signed file (PDF, Word or photo)"))
    filed_on = VNDateField(label=_("Filed on"))

    def __init__(self, *args: Any, directives: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implements"].queryset = directives  # type: ignore[attr-defined]
        self.fields["implements"].widget.attrs["size"] = MULTI_SELECT_SIZE
        today = timezone.localdate()
        self.fields["issued_on"].initial = today
        self.fields["filed_on"].initial = today


class CommitmentForm(BootstrapFormMixin, forms.Form):
    first = forms.CharField(
        label=_("Commitment 1"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Concrete and checkable."),
    )
    second = forms.CharField(
        label=_("Commitment 2 (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessForm(BootstrapFormMixin, forms.Form):
    done = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Done")), ("0", _("Not done"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
