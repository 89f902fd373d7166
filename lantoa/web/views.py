from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lantoa.org.access import Capability, scope_for
from lantoa.org.queries import member_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where each user starts: their roles, the units they cover, and the way in."""
    scope = scope_for(request.user)
    today = timezone.localdate()
    unit_ids = scope.unit_ids(Capability.VIEW)
    members_today = sum(member_counts(unit_ids, today).values()) if unit_ids else 0
    return render(
        request,
        "web/home.html",
        {
            "grants": scope.grants,
            "roots": scope.root_units(),
            "unit_count": len(unit_ids),
            "members_today": members_today,
            "today": today,
        },
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})
