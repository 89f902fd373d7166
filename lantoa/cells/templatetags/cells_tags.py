"""Filters for the cell-life pages: themes in a few words, users by name, a form's field errors."""

from __future__ import annotations

from typing import Any

from django import forms, template

from lantoa.documents.models import Theme

from .. import labels

register = template.Library()


@register.filter
def theme_short(theme: Theme) -> str:
    return labels.theme_short(theme)


@register.filter
def theme_heading(theme: Theme) -> str:
    return labels.theme_heading(theme)


@register.filter
def user_name(user: Any) -> str:
    return labels.user_name(user)


@register.filter
def field_errors(form: forms.BaseForm) -> list[tuple[forms.BoundField, str]]:
    """(field, message) for every error tied to a visible field, in the form's order."""
    return [(field, str(error)) for field in form.visible_fields() for error in field.errors]
