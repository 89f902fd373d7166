"""Form pieces shared by every app: dates typed as dd/mm/yyyy, friendly on phones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (also accepts yyyy-mm-dd), shown back the same way."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
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


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes so templates can render fields plainly."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
