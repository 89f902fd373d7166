"""Writes about accounts that are not form saves."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantoa.audit.models import AuditAction
from lantoa.audit.services import record_event

from .models import User


def lift_login_lock(*, actor: Any, username: str, ip_address: str | None) -> int:
    """Forget the failed logins that lock ``username`` out from ``ip_address``, so its owner may
    try again at once. Side effects: django-axes' attempts for that pair deleted; an audit entry
    on the account (on nothing, for a username no account has). Returns the attempts removed."""
    from axes.utils import reset  # lazy: axes reads its settings on import

    removed = reset(ip=ip_address, username=username)
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=User.objects.filter(username=username).first(),
        note=_("Login lock lifted for %(name)s from %(address)s")
        % {"name": username, "address": ip_address or "—"},
    )
    return removed
