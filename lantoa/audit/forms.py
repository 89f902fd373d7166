from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, VNDateField

from .models import AuditAction
from .queries import Actor


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    """The log's filters, all optional; the actors offered are those seen in the reader's log."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    date_from = VNDateField(label=_("From"), required=False)
    date_to = VNDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, actors: list[Actor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        self.fields["action"].choices = [everything, *AuditAction.choices]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [  # type: ignore[attr-defined]
            everything,
            *[(a.value, f"{a.full_name} ({a.username})" if a.username else a.full_name) for a in actors],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
