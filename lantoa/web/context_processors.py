from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lantoa.org.access import Capability, scope_for


def nav(request: HttpRequest) -> dict[str, Any]:
    """What the menu offers: only links the user may follow."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}, "login_cooloff_minutes": settings.LANTOA_LOGIN_COOLOFF_MINUTES}
    scope = scope_for(user)
    return {
        "nav": {
            # Only what can be done today: a closed district's staff read its history.
            "can_import": scope.can_anywhere_now(Capability.IMPORT_MEMBERS),
            "can_manage_users": scope.can_anywhere(Capability.MANAGE_USERS),
            "can_manage_tree": scope.can_anywhere_now(Capability.MANAGE_TREE),
            # Review reports are for those who oversee a unit (not a plain member or treasurer).
            "can_report": scope.can_anywhere(Capability.OVERSEE),
            # The user's own record and party membership ("my record", "my commitments").
            "person_public_id": scope.person_public_id,
            "member_id": scope.member_id,
        }
    }
