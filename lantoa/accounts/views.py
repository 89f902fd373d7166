"""Accounts and role grants, for administrators within their part of the tree."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantoa.audit.services import record_create
from lantoa.lib.forms import apply_validation_error
from lantoa.lib.vi import format_date
from lantoa.org.access import Capability, Scope, fetch_for_user, scope_for
from lantoa.org.models import RoleGrant, Unit
from lantoa.org.services import end_role, grant_role, may_end_role

from .forms import RoleGrantForm, UserCreateForm
from .models import User
from .services import lift_login_lock


def _require_manager(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.can_anywhere(Capability.MANAGE_USERS):
        raise PermissionDenied(_("Only administrators manage accounts."))
    return scope


def _managed_units(scope: Scope) -> list[int]:
    return sorted(scope.unit_ids(Capability.MANAGE_USERS))


def get_user_for_manager(request: HttpRequest, user_id: int) -> User:
    """Access funnel for accounts: an account is visible to an administrator when it holds a
    role on one of the administrator's units (or holds none yet, so it can be given one)."""
    scope = _require_manager(request)

    def manages(user: User) -> bool:
        grant_units = set(user.role_grants.values_list("unit_id", flat=True))
        return not grant_units or scope.is_superuser or bool(grant_units & set(_managed_units(scope)))

    return fetch_for_user(User.objects.all(), pk=user_id, may_read=manages, not_found=_("No such account."))


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    scope = _require_manager(request)
    managed = _managed_units(scope)
    users = (
        User.objects.filter(role_grants__unit_id__in=managed)
        .distinct()
        .prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.select_related("unit")))
        .order_by("username")
    )
    return render(request, "accounts/user_list.html", {"users": users})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    scope = _require_manager(request)
    units = Unit.objects.filter(pk__in=_managed_units(scope))
    form = UserCreateForm(request.POST or None)
    grant_form = RoleGrantForm(
        request.POST or None, units=units, initial={"valid_from": timezone.localdate()}
    )
    # Both forms are checked, so every mistake shows at once.
    valid = request.method == "POST" and all([form.is_valid(), grant_form.is_valid()])
    if valid:
        try:
            with transaction.atomic():
                first, _sep, last = form.cleaned_data["full_name"].rpartition(" ")
                user = User(username=form.cleaned_data["username"], first_name=first, last_name=last)
                user.set_password(form.cleaned_data["password"])
                user.save()
                record_create(actor=request.user, obj=user, fields=("username", "first_name", "last_name"))
                grant_role(actor=request.user, user=user, **grant_form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(grant_form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form, "grant_form": grant_form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = _require_manager(request)
    account = get_user_for_manager(request, user_id)
    units = Unit.objects.filter(pk__in=_managed_units(scope))
    form = RoleGrantForm(request.POST or None, units=units, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            grant_role(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:user_detail", user_id=account.pk)
    grants = [
        (grant, may_end_role(request.user, grant))
        for grant in account.role_grants.select_related("unit").order_by("-valid_from")
    ]
    return render(request, "accounts/user_detail.html", {"account": account, "grants": grants, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grant_end(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    """Ending a role today, after a question that names the person, the role and the unit."""
    scope = _require_manager(request)
    account = get_user_for_manager(request, user_id)
    grant = account.role_grants.select_related("unit").filter(pk=grant_id).first()
    if grant is None or not scope.can_now(Capability.MANAGE_USERS, grant.unit_id):
        raise Http404
    back = reverse("accounts:user_detail", args=[account.pk])
    if grant.valid_to is not None and grant.valid_to < timezone.localdate():
        messages.info(request, _("This role has already ended."))
        return redirect(back)
    refused = (
        None
        if may_end_role(request.user, grant)
        else _("You cannot end your own administrator role: another administrator must end it.")
    )
    if request.method == "POST":
        try:
            end_role(actor=request.user, grant=grant, last_day=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Role ended."))
        return redirect(back)
    today = timezone.localdate()
    question = _("End the role “%(role)s” of %(name)s on %(unit)s today, %(date)s?") % {
        "role": grant.get_role_display(),
        "name": account.get_full_name() or account.username,
        "unit": grant.unit.name,
        "date": format_date(today),
    }
    return render(
        request,
        "includes/confirm.html",
        {
            "title": _("End a role"),
            "question": question,
            "refused": refused,
            "confirm_label": _("End the role"),
            "cancel_url": back,
        },
    )


# ---------------------------------------------------------------------------------------------
# Login locks: after too many wrong passwords from one address, an account is locked there for
# LANTOA_LOGIN_COOLOFF_MINUTES; an administrator may lift the lock before.
# ---------------------------------------------------------------------------------------------


def _locks_for(scope: Scope) -> list[AccessAttempt]:
    """Current locks on the accounts the administrator manages (every lock, for a superuser:
    also those on usernames that do not exist, which is what guessing looks like)."""
    since = timezone.now() - timedelta(minutes=settings.LANTOA_LOGIN_COOLOFF_MINUTES)
    locks = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    if not scope.is_superuser:
        managed = User.objects.filter(role_grants__unit_id__in=_managed_units(scope)).values("username")
        locks = locks.filter(username__in=managed)
    return list(locks)


@login_required
@require_http_methods(["GET", "POST"])
def login_locks(request: HttpRequest) -> HttpResponse:
    scope = _require_manager(request)
    locks = _locks_for(scope)
    if request.method == "POST":
        lock = next((lock for lock in locks if str(lock.pk) == request.POST.get("lock")), None)
        if lock is None:
            raise Http404
        lift_login_lock(actor=request.user, username=lock.username or "", ip_address=lock.ip_address)
        messages.success(request, _("The lock on %(name)s is lifted.") % {"name": lock.username})
        return redirect("accounts:locks")
    return render(
        request,
        "accounts/locks.html",
        {
            "locks": locks,
            "minutes": settings.LANTOA_LOGIN_COOLOFF_MINUTES,
            "limit": settings.AXES_FAILURE_LIMIT,
        },
    )
