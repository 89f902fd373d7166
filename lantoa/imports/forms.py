from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lantoa.lib.vi import format_decimal

from .parsing import file_kind


def file_size(size: int) -> str:
    """1.572.864 → "1,5 MB"; below a megabyte in whole kilobytes."""
    if size >= 1024 * 1024:
        return f"{format_decimal(size / (1024 * 1024), 1)} MB"
    return f"{max(1, round(size / 1024))} KB"


class UploadForm(forms.Form):
    """The unit is chosen here but resolved by the view through the access funnel."""

    unit = forms.ChoiceField(label=_("Import into"))
    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv", "class": "form-control form-control-lg"}
        ),
    )

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-lg"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.LANTOA_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file that can be imported is %(max)s."),
                params={"size": file_size(upload.size), "max": file_size(limit)},
                code="too_big",
            )
        if file_kind(upload.name) is None:
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."), code="file_type")
        return upload
