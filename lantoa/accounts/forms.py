from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from lantoa.lib.forms import BootstrapFormMixin, VNDateField, with_blank
from lantoa.org.forms import UnitChoiceField
from lantoa.org.models import Role, Unit
from lantoa.org.services import check_role_fits_unit

from .models import User


class StyledPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    pass


class UserCreateForm(BootstrapFormMixin, forms.Form):
    # Django's own rule (letters, digits and @ . + - _), so logins like "bithu.ankhanh" work.
    username = forms.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()])
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            try:
                password_validation.validate_password(
                    data["password"], User(username=data.get("username", ""))
                )
            except forms.ValidationError as exc:
                # Shown by the password field, not at the top of the form.
                self.add_error("password", exc)
        return data


class RoleGrantForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(label=_("Unit"))
    # No role is chosen in advance: the first one would be "Administrator".
    role = forms.ChoiceField(label=_("Role"), choices=with_blank(Role.choices))
    valid_from = VNDateField(label=_("From"))
    valid_to = VNDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_to") and data.get("valid_from") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end date is before the start date."))
        if data.get("role") and data.get("unit"):
            try:
                check_role_fits_unit(data["role"], data["unit"])
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data
