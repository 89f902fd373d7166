"""The audit log of an administrator's units: who changed, viewed or exported what, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantoa.org.access import Capability, scope_for

from .forms import AuditFilterForm
from .queries import actor_display, actors_in, changed_fields, filter_log, visible_log


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_anywhere(Capability.MANAGE_USERS):
        raise PermissionDenied(_("Only administrators read the audit log."))
    visible = visible_log(
        None if scope.is_superuser else scope.unit_ids(Capability.MANAGE_USERS), request.user
    )
    form = AuditFilterForm(request.GET or None, actors=actors_in(visible))
    entries = visible
    if form.is_bound:
        form.is_valid()
        # Each filter that reads right applies; a mistyped date is shown by its field, not fatal.
        entries = filter_log(visible, **form.cleaned_data)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [{"entry": entry, "who": actor_display(entry), "fields": changed_fields(entry)} for entry in page]
    return render(request, "audit/log.html", {"page": page, "rows": rows, "form": form})
