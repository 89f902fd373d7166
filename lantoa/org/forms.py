from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, SuggestionsInput, VNDateField, with_blank
from lantoa.lib.text import fold
from lantoa.org.reference import ETHNIC_GROUPS, RELIGIONS

from .models import CELL_KINDS, Gender, Person, PositionTitle, SuccessionKind, Unit, UnitKind
from .queries import unit_choice_labels

# ---------------------------------------------------------------------------------------------
# Choosing a unit
# ---------------------------------------------------------------------------------------------


class UnitChoiceIterator(ModelChoiceIterator):
    """Options labelled "Name — parent name" (the parent as of the field's day), sorted by folded
    name so Tân comes before Tiên. One query for the units, one for all their parents."""

    field: UnitChoiceField | UnitMultipleChoiceField

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        units = list(self.queryset)
        labels = unit_choice_labels(units, self.field.labels_on or timezone.localdate())
        units.sort(key=lambda unit: (unit.search_text or fold(unit.name), fold(labels[unit.pk]), unit.pk))
        for unit in units:
            yield (ModelChoiceIteratorValue(self.field.prepare_value(unit), unit), labels[unit.pk])


class UnitChoiceField(forms.ModelChoiceField):
    """A drop-down of units that tells same-named units apart by their parent (see
    :func:`lantoa.org.queries.unit_choice_labels`). Units are chosen by key. ``labels_on`` is the
    day whose parents are shown (today when not given)."""

    iterator = UnitChoiceIterator

    def __init__(self, *, labels_on: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("to_field_name", "key")
        self.labels_on = labels_on
        super().__init__(**kwargs)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The multiple-choice form of :class:`UnitChoiceField`."""

    iterator = UnitChoiceIterator

    def __init__(self, *, labels_on: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("to_field_name", "key")
        self.labels_on = labels_on
        super().__init__(**kwargs)


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class UnitForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    key = forms.SlugField(
        label=_("Key"),
        max_length=80,
        required=False,
        help_text=_(
            "Leave empty to make one from the name. Short, no spaces or accents, e.g. chi-bo-ap-phuoc-thanh."
        ),
    )
    short_code = forms.CharField(
        label=_("Short code"), max_length=30, required=False, help_text=_("e.g. HU, ĐU, CB")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=with_blank(UnitKind.choices))
    parent = UnitChoiceField(label=_("Under"), required=False)
    valid_from = VNDateField(label=_("Valid from"), initial=timezone.localdate)
    place_name = forms.CharField(
        label=_("Place name on documents"),
        max_length=100,
        required=False,
        help_text=_("e.g. Châu Thành, An Khánh"),
    )
    letterhead_name = forms.CharField(
        label=_("Name as upper body"),
        max_length=200,
        required=False,
        help_text=_("How units below print it above their own name, e.g. ĐẢNG BỘ HUYỆN CHÂU THÀNH."),
    )
    residential = forms.BooleanField(
        label=_("Cell of a hamlet or quarter"),
        required=False,
        help_text=_("Chi bộ ấp, khu phố, thôn, tổ dân phố: the cells term targets often count."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, parents: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else Unit.objects.none()  # type: ignore[attr-defined]
        if editing:
            for name in ("key", "parent", "valid_from"):
                del self.fields[name]


class MoveUnitForm(BootstrapFormMixin, forms.Form):
    new_parent = UnitChoiceField(label=_("New parent unit"))
    on = VNDateField(label=_("From"))

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents if parents is not None else Unit.objects.none()  # type: ignore[attr-defined]


class CloseUnitForm(BootstrapFormMixin, forms.Form):
    last_day = VNDateField(label=_("Last day"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class MergeUnitsForm(BootstrapFormMixin, forms.Form):
    sources = UnitMultipleChoiceField(label=_("Units that merge into this one"))
    on = VNDateField(label=_("From (first day of the merged unit)"))
    kind = forms.ChoiceField(label=_("Kind of change"), choices=SuccessionKind.choices)
    note = forms.CharField(label=_("Basis (decision, date)"), max_length=300, required=False)

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = candidates if candidates is not None else Unit.objects.none()  # type: ignore[attr-defined]
        self.fields["sources"].widget.attrs["size"] = 8


class PersonForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    birth_date = VNDateField(label=_("Date of birth"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    ethnicity = forms.CharField(
        label=_("Ethnicity"), max_length=50, required=False, widget=SuggestionsInput(ETHNIC_GROUPS)
    )
    religion = forms.CharField(
        label=_("Religion"), max_length=50, required=False, widget=SuggestionsInput(RELIGIONS)
    )
    id_number = forms.RegexField(
        label=_("Citizen ID number"),
        regex=r"^\d{9}(\d{3})?$",
        required=False,
        error_messages={"invalid": _("A citizen ID number has 12 digits (old ID cards: 9).")},
    )
    health_note = forms.CharField(label=_("Health"), max_length=300, required=False)

    SENSITIVE = Person.SENSITIVE.fields

    def __init__(self, *args: Any, show_sensitive: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            for name in self.SENSITIVE:
                del self.fields[name]


class AdmitMemberForm(BootstrapFormMixin, forms.Form):
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)
    admitted_on = VNDateField(label=_("Date admitted to the Party"))
    full_member_on = VNDateField(label=_("Date of full membership"), required=False)
    joined_cell_on = VNDateField(label=_("Belongs to this cell from"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admitted, full = data.get("admitted_on"), data.get("full_member_on")
        if admitted and full and full < admitted:
            self.add_error(
                "full_member_on", _("The date of full membership is before the date of admission.")
            )
        return data


class TransferForm(BootstrapFormMixin, forms.Form):
    to_unit = UnitChoiceField(label=_("New cell"))
    on = VNDateField(label=_("From"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, cells: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = cells if cells is not None else Unit.objects.none()
        self.fields["to_unit"].queryset = queryset.filter(kind__in=CELL_KINDS)  # type: ignore[attr-defined]


class CardChangeForm(BootstrapFormMixin, forms.Form):
    new_number = forms.CharField(label=_("New party card number"), max_length=20)
    on = VNDateField(label=_("Issued on"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class PositionForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"))
    title = forms.ChoiceField(label=_("Post"), choices=with_blank(PositionTitle.choices))
    valid_from = VNDateField(label=_("From"))
    valid_to = VNDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]


class AsOfForm(forms.Form):
    """The "as of" date every tree page is asked with (?on=dd/mm/yyyy)."""

    on = VNDateField(label=_("As of"), required=False)
