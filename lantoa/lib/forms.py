"""Form pieces shared by every app: dates typed as dd/mm/yyyy, friendly on phones, and one
translated empty choice instead of Django's "---------"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lantoa.lib.text import TextProblem, clean_text
from lantoa.lib.vi import DATE_INPUT_FORMAT

EARLIEST_DAY, LATEST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
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
    default_error_messages = {
        "invalid": _("Enter a real date as dd/mm/yyyy."),
        "out_of_range": _("Enter a date between 01/01/1900 and 31/12/2100."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        # No record of the programme lies outside these years; 31/12/9999 is a typing slip that
        # also overflows a day's arithmetic (the audit log's "until" used to answer 500).
        if day is not None and not (EARLIEST_DAY <= day <= LATEST_DAY):
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return day


class SuggestionsInput(forms.TextInput):
    """A text box that offers a list while typing (an HTML datalist), for values that come from
    an official list but are often typed in other spellings (the service stores the list's)."""

    def __init__(self, suggestions: Iterable[str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        list_id = f"{(attrs or {}).get('id') or name}-list"
        html = super().render(
            name, value, {**(attrs or {}), "list": list_id, "autocomplete": "off"}, renderer
        )
        options = "".join(format_html('<option value="{}">', item) for item in self.suggestions)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, mark_safe(options))


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


def _cleaning(to_python: Any, *, multiline: bool) -> Any:
    """A CharField's to_python that also applies the storage rules of ``lib.text.clean_text``."""

    def clean(value: Any) -> Any:
        text = to_python(value)
        if not text:
            return text
        try:
            return clean_text(text, multiline=multiline)
        except TextProblem as exc:
            raise ValidationError(capfirst(exc.message), code=exc.code) from exc

    return clean


def clean_text_fields(form: forms.BaseForm) -> None:
    """Every text field of the form stores text by one set of rules (``lib.text.clean_text``:
    NFC, no control or direction characters; line breaks only in long text). Passwords are left
    exactly as typed."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            field.to_python = _cleaning(  # type: ignore[method-assign]
                field.to_python, multiline=isinstance(field.widget, forms.Textarea)
            )


class BootstrapFormMixin:
    """The base of every form in Lan Tỏa: its text fields keep the storage rules
    (:func:`clean_text_fields`), its widgets carry Bootstrap's classes so templates can render
    fields plainly, and its selects the translated empty choice (:func:`translate_empty_choices`)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        translate_empty_choices(self)  # type: ignore[arg-type]
        clean_text_fields(self)  # type: ignore[arg-type]
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


def flash_errors(request: Any, problems: forms.BaseForm | ValidationError) -> None:
    """Say on the next page what a button's form refused (its fields' errors, or a service's
    ValidationError): buttons on a record's page answer with a redirect back to it."""
    from django.contrib import messages

    found = (
        [str(error) for errors in problems.errors.values() for error in errors]
        if isinstance(problems, forms.BaseForm)
        else problems.messages
    )
    for message in found:
        messages.error(request, message)


class MoneyField(forms.Field):
    """An amount of money in whole đồng, typed as on paper: "1.200.000", "1 200 000" or "1200000"
    (dots, spaces and commas between groups of three digits are read as thousands separators)."""

    default_error_messages = {
        "invalid": _("Enter the amount in whole đồng, e.g. 1.200.000."),
    }
    # ASCII digits only: "١٠٠" is a number to Python, not to a treasurer.
    _GROUPED = re.compile(r"^[0-9]{1,3}([., \u00a0][0-9]{3})*$|^[0-9]+$")

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1.200.000"}
    )

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip().removesuffix("đồng").removesuffix("đ").strip()
        if not text:
            return None
        if len(text) > 20 or not self._GROUPED.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(re.sub(r"[^0-9]", "", text))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value
