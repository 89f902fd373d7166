"""Form pieces shared by every app: dates typed as dd/mm/yyyy, friendly on phones, and one
translated empty choice instead of Django's "---------"."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantoa.lib.vi import DATE_INPUT_FORMAT

DATE_INPUT_FORMATS = [DATE_INPUT_FORMAT, "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]

# What an empty select says, in every form. Django's own is a row of dashes nobody reads.
EMPTY_LABEL = _("— Choose —")
_DJANGO_DASHES = "---------"


def with_blank(choices: Iterable[tuple[Any, Any]], label: Any = EMPTY_LABEL) -> list[tuple[Any, Any]]:
    """``choices`` with the translated empty choice first: for a required select that must not
    arrive with its first real option already chosen (a role, a kind of unit)."""
    return [("", label), *choices]


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (also accepts yyyy-mm-dd), shown back the same way."""

    widget = forms.DateInput(
        format=DATE_INPUT_FORMAT,
        attrs={
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "form-control",
        },
    )
    default_error_messages = {"invalid": _("Enter a real date as dd/mm/yyyy.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


def translate_empty_choices(form: forms.BaseForm) -> None:
    """Replace Django's "---------" empty choice by :data:`EMPTY_LABEL` in every select of the
    form (model choice fields and choice lists alike); labels a form set itself are left alone."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == _DJANGO_DASHES:
                field.empty_label = EMPTY_LABEL
        # Choices computed on demand (a callable, kept by Django as an iterator) are left alone:
        # reading them here would run their query on every form built.
        elif isinstance(field, forms.ChoiceField) and isinstance(field.choices, list):
            choices = list(field.choices)
            if any(value == "" and label == _DJANGO_DASHES for value, label in choices):
                field.choices = [
                    (value, EMPTY_LABEL if value == "" and label == _DJANGO_DASHES else label)
                    for value, label in choices
                ]


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes so templates can render fields plainly, and every
    select the translated empty choice (:func:`translate_empty_choices`)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        translate_empty_choices(self)  # type: ignore[arg-type]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                # Django puts these attrs on the list's wrapper too; a Bootstrap class there turns
                # the whole list into one tiny box. The choices are styled in lantoa.css instead.
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            classes = widget.attrs.get("class", "").split()
            if css not in classes:  # VNDateField's widget already carries form-control
                classes.append(css)
            widget.attrs["class"] = " ".join(classes)


def apply_validation_error(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError onto the form, by the field it names (or at the top).

    ``aliases`` maps a service's field name to the form's where they differ (card_number → new_number).
    """
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (aliases or {}).get(field, field)
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
