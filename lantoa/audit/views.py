"""The audit log of an administrator's units: who changed, viewed or exported what, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantoa.org.access import Capability, scope_for

from .models import AuditAction, AuditEntry


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_anywhere(Capability.MANAGE_USERS):
        raise PermissionDenied(_("Only administrators read the audit log."))
    entries = AuditEntry.objects.select_related("unit").order_by("-at", "-id")
    if not scope.is_superuser:
        entries = entries.filter(
            Q(unit_id__in=scope.unit_ids(Capability.MANAGE_USERS)) | Q(actor=request.user)
        )
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action, "actions": AuditAction.choices})
