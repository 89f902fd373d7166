"""Who reads and keeps a savings fund, and who reads a sponsored child's data.

- The fund's **managers** are those who hold, today, the treasurer's, the secretary's or a deputy
  secretary's role on the fund's own unit (not on a committee above it). They record savings,
  donations, disbursements, children and consents, and they alone read a child's data in full;
  each such reading is logged (``lib.privacy.record_viewing``).
- Everyone who reads the unit (its members, the committees above it) reads the fund: its
  balance, its totals, its ledger and statements, with each child shown by initials and birth
  year. A plain member reads their own savings; the officers who oversee the unit (and the
  managers) read every member's.
- Nothing leaves the system with a child's name unless a consent in force covers that use
  (``consent_covers``), whoever asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.org.access import Capability, fetch_for_user, scope_for
from lantoa.org.models import Role

from .models import Beneficiary, Consent, ConsentGiver, ConsentUse, Disbursement, Fund

MANAGER_ROLES = frozenset({Role.TREASURER, Role.SECRETARY, Role.DEPUTY})
# From this age a child's own consent is needed beside the guardian's (Luật Trẻ em Điều 6).
OWN_CONSENT_AGE = 7


def managed_unit_ids(user: Any) -> set[int]:
    """The units whose funds ``user`` keeps today."""
    if not getattr(user, "is_authenticated", False):
        return set()
    scope = scope_for(user)
    return {grant.unit_id for grant in scope.grants if grant.role in MANAGER_ROLES}


def is_manager(user: Any, fund: Fund) -> bool:
    return fund.unit_id in managed_unit_ids(user)


def may_read_fund(user: Any, fund: Fund) -> bool:
    return is_manager(user, fund) or scope_for(user).can(Capability.VIEW, fund.unit_id)


def may_oversee_fund(user: Any, fund: Fund) -> bool:
    """Reads every member's savings and arrears (a plain member reads only their own)."""
    return is_manager(user, fund) or scope_for(user).can(Capability.OVERSEE, fund.unit_id)


def may_keep_fund(user: Any, fund: Fund) -> bool:
    """Records movements today: a manager, while the fund is open."""
    today = scope_for(user).today
    return is_manager(user, fund) and fund.open_on(today)


def readable_funds_filter(user: Any) -> Q:
    scope = scope_for(user)
    if scope.is_superuser:
        return Q()
    return Q(unit_id__in=scope.unit_ids(Capability.VIEW) | managed_unit_ids(user))


def get_fund_for_user(user: Any, public_id: str, *, write: bool = False) -> Fund:
    return fetch_for_user(
        Fund.objects.select_related("unit"),
        public_id=public_id,
        may_read=lambda fund: may_read_fund(user, fund),
        write=write,
        may_write=lambda fund: may_keep_fund(user, fund),
        not_found=_("No such fund in your area."),
    )


def get_beneficiary_for_user(user: Any, public_id: str, *, write: bool = False) -> Beneficiary:
    return fetch_for_user(
        Beneficiary.objects.select_related("fund__unit"),
        public_id=public_id,
        may_read=lambda child: may_read_fund(user, child.fund),
        write=write,
        may_write=lambda child: may_keep_fund(user, child.fund),
        not_found=_("No such sponsored child in your area."),
    )


def _fund_units(fund_ids: Iterable[int]) -> dict[int, int]:
    return dict(Fund.objects.filter(pk__in=set(fund_ids)).values_list("pk", "unit_id"))


def readable_beneficiaries(user: Any, children: list[Beneficiary]) -> set[int]:
    """The ``lib.privacy`` readers of ``Beneficiary.SENSITIVE``: the managers of each child's fund."""
    managed = managed_unit_ids(user)
    if not managed:
        return set()
    units = _fund_units(child.fund_id for child in children)
    return {child.pk for child in children if units.get(child.fund_id) in managed}


def readable_consents(user: Any, consents: list[Consent]) -> set[int]:
    managed = managed_unit_ids(user)
    if not managed:
        return set()
    fund_of = dict(
        Beneficiary.objects.filter(pk__in={c.beneficiary_id for c in consents}).values_list("pk", "fund_id")
    )
    units = _fund_units(fund_of.values())
    return {c.pk for c in consents if units.get(fund_of.get(c.beneficiary_id, 0)) in managed}


def readable_disbursements(user: Any, disbursements: list[Disbursement]) -> set[int]:
    managed = managed_unit_ids(user)
    if not managed:
        return set()
    fund_of = dict(
        Beneficiary.objects.filter(pk__in={d.beneficiary_id for d in disbursements}).values_list(
            "pk", "fund_id"
        )
    )
    units = _fund_units(fund_of.values())
    return {d.pk for d in disbursements if units.get(fund_of.get(d.beneficiary_id, 0)) in managed}


def consent_covers(child: Beneficiary, use: str, day: dt.date | None = None) -> bool:
    """Whether consents in force on ``day`` let ``use`` name the child: the guardian's always,
    and the child's own once they are seven in that year (ages are known by birth year only,
    so the stricter reading is taken). Reads ``child.consents`` (prefetch it for a list)."""
    day = day or timezone.localdate()
    if use not in ConsentUse.values:
        return False
    givers = {
        consent.given_by
        for consent in child.consents.all()
        if consent.in_force_on(day) and use in (consent.uses or [])
    }
    if ConsentGiver.GUARDIAN not in givers:
        return False
    return child.age_in(day.year) < OWN_CONSENT_AGE or ConsentGiver.CHILD in givers
