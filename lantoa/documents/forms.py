from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, VNDateField
from lantoa.lib.vi import format_date
from lantoa.org.access import Scope, readable_unit_ids
from lantoa.org.forms import UnitChoiceField
from lantoa.org.models import StaffBody, Unit, UnitKind

from .models import Document, DocumentSystem, SigningForm, Theme
from .queries import CITABLE_TYPES, citable_documents, documents_in_scope
from .services import Issuer
from .types import PRINTED_NAMES, TYPE_CHOICES

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


def citation_label(document: Document) -> str:
    """How a basis document is told apart in a list of hundreds: number, title, issuer, date
    ("Số 01-KH/HU · Kế hoạch thực hiện chuyên đề năm 2024 · Huyện ủy Châu Thành · 05/03/2024")."""
    printed = PRINTED_NAMES.get(document.type_code)
    title = f"{printed.capitalize()} {document.summary}" if printed else document.summary
    return " · ".join([document.number_line, title, document.issuer_name, format_date(document.issued_on)])


class SourcePicker(forms.CheckboxSelectMultiple):
    """The basis documents as a search box and the matches to tick, not a list of every
    document: the view hands over what to show (``picker``, see views.obligations). Without
    JavaScript the box's "Search" button sends the form back with the matches."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.picker: dict[str, Any] = {}

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return render_to_string("documents/_source_picker.html", {**self.picker, "name": name})


class CitedDocumentsField(forms.ModelMultipleChoiceField):
    """Documents ticked by public id. Whatever else was sent (an id the user may not read, a
    mangled one) gets one plain answer, not Django's "not one of the available choices"."""

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) == "required":
                raise
            raise forms.ValidationError(NOT_CITABLE, code="invalid_choice") from exc


NOT_CITABLE = _("A chosen basis document is not one you may cite: search and choose again.")


class ObligationForm(BootstrapFormMixin, forms.Form):
    """An obligation set by one of ``units``. Its basis documents (căn cứ) are searched, not
    scrolled (a district reads ~1 300): ``sources`` accepts only documents the chosen unit may
    cite among those the user reads (``queries.citable_documents``)."""

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
    sources = CitedDocumentsField(
        label=_("Based on"),
        queryset=Document.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=SourcePicker,
        help_text=_("Type part of the number, the summary or the issuer, then tick the documents."),
    )
    theme = forms.ModelChoiceField(label=_("Yearly theme"), queryset=Theme.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        scope: Scope,
        themes: QuerySet[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.readable_ids = readable_unit_ids(scope)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        # What the user reads; which of these the chosen unit may cite is checked in clean().
        self.fields["sources"].queryset = documents_in_scope(scope).filter(  # type: ignore[attr-defined]
            type_code__in=CITABLE_TYPES
        )
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        unit, sources = data.get("unit"), data.get("sources")
        if unit is not None and sources:
            citable = set(
                citable_documents(unit, self.readable_ids)
                .filter(pk__in=[d.pk for d in sources])
                .values_list("pk", flat=True)
            )
            outside = [d for d in sources if d.pk not in citable]
            if outside:
                self.add_error(
                    "sources",
                    _(
                        "%(documents)s cannot be the basis of a request of %(unit)s: choose among the "
                        "documents of %(unit)s and of the committees above it."
                    )
                    % {"documents": ", ".join(d.symbol for d in outside), "unit": unit.name},
                )
        return data


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
