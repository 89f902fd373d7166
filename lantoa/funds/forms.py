from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.cells.queries.meetings import parse_month
from lantoa.lib.forms import BootstrapFormMixin, MoneyField, VNDateField, with_blank
from lantoa.lib.vi import format_month

from .models import ConsentGiver, ConsentUse


class MonthField(forms.Field):
    """A month typed as mm/yyyy, kept as its first day."""

    default_error_messages = {"invalid": _("Enter a month as mm/yyyy, e.g. 03/2024.")}
    widget = forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> dt.date | None:
        text = str(value or "").strip()
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def prepare_value(self, value: Any) -> Any:
        return format_month(value) if isinstance(value, dt.date) else value


class MoneyInForm(BootstrapFormMixin, forms.Form):
    KINDS = (("donation", _("Donation")), ("opening", _("Balance carried over from the old books")))
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    day = VNDateField(label=_("Date"))
    amount = MoneyField(label=_("Amount (đồng)"))
    source = forms.CharField(
        label=_("From"),
        max_length=200,
        required=False,
        help_text=_("Who gave: the association's members, a sponsor…"),
    )
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExemptionForm(BootstrapFormMixin, forms.Form):
    member = forms.TypedChoiceField(label=_("Party member"), coerce=int)
    first_month = MonthField(label=_("From month"))
    last_month = MonthField(label=_("To month"), required=False, help_text=_("Empty: until further notice."))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, members: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = with_blank((m.pk, m.person.full_name) for m in members)  # type: ignore[attr-defined]


class BeneficiaryForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1990, max_value=2100)
    commune = forms.CharField(label=_("Commune"), max_length=120)
    hamlet = forms.CharField(label=_("Hamlet"), max_length=120, required=False)
    situation = forms.CharField(
        label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    guardian_name = forms.CharField(label=_("Guardian"), max_length=120)
    guardian_relation = forms.CharField(
        label=_("Guardian's relation to the child"), max_length=60, help_text=_("e.g. mother, grandmother")
    )
    guardian_contact = forms.CharField(label=_("Guardian's contact"), max_length=120, required=False)
    sponsored_from = VNDateField(label=_("Sponsored from"))
    sponsored_to = VNDateField(label=_("Sponsored until"), required=False)
    scheduled_amount = MoneyField(label=_("Amount each time (đồng)"))
    every_months = forms.TypedChoiceField(
        label=_("Every"),
        coerce=int,
        choices=((1, _("month")), (3, _("quarter")), (6, _("six months")), (12, _("year"))),
        initial=3,
    )


class ConsentForm(BootstrapFormMixin, forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=with_blank(ConsentGiver.choices))
    giver_name = forms.CharField(label=_("Name of the person consenting"), max_length=120)
    given_on = VNDateField(label=_("Given on"))
    # Never pre-ticked (Nghị định 356/2025): each use is chosen.
    uses = forms.MultipleChoiceField(
        label=_("Uses consented to"), choices=ConsentUse.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DisbursementForm(BootstrapFormMixin, forms.Form):
    day = VNDateField(label=_("Date handed over"))
    amount = MoneyField(label=_("Amount (đồng)"))
    handed_by = forms.TypedChoiceField(label=_("Handed over by"), coerce=int)
    received_by = forms.CharField(label=_("Received by"), max_length=120)
    receipt = forms.FileField(
        label=_("Receipt"), required=False, help_text=_("A photo or scan of the signed receipt.")
    )

    def __init__(self, *args: Any, people: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handed_by"].choices = with_blank((p.pk, p.full_name) for p in people)  # type: ignore[attr-defined]


class ReceiptForm(BootstrapFormMixin, forms.Form):
    receipt = forms.FileField(label=_("Receipt"))


class ReverseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class PeriodForm(forms.Form):
    start = VNDateField(label=_("From"), required=False)
    end = VNDateField(label=_("To"), required=False)


class FundForm(BootstrapFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200, initial=_("Savings fund to sponsor orphans"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    opened_on = VNDateField(label=_("Opened on"))
    monthly_amount = MoneyField(label=_("Each member saves a month (đồng)"), initial=50_000)

    def __init__(self, *args: Any, units: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = with_blank((u.pk, u.name) for u in units)  # type: ignore[attr-defined]


class RuleForm(BootstrapFormMixin, forms.Form):
    valid_from = MonthField(label=_("From month"))
    monthly_amount = MoneyField(label=_("Each member saves a month (đồng)"))
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        required=False,
        help_text=_("e.g. the cell's meeting of 05/01/2025"),
    )
