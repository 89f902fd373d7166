"""Every write to a savings fund: each is audited, checked whole before anything is written, and
money moves only by appending ledger entries (``_append``) under a lock on the fund's row, so
that two treasurers recording at once are counted one after the other.

The balance is never negative on any day: an outflow dated ``day`` (a disbursement, or the
reversal of an inflow) is refused when it would take the closing balance of ``day`` or of any
later day below zero (``headroom``). Entries are dated no later than today and no earlier than
the fund's opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_update, snapshot
from lantoa.cells.models import Meeting
from lantoa.cells.queries.meetings import add_months
from lantoa.documents.services import check_upload
from lantoa.lib.text import TextProblem, check_person_name, initials_of
from lantoa.lib.vi import format_date, format_money, format_month
from lantoa.org.models import Membership, PartyMember, Person, Unit

from .models import (
    Beneficiary,
    Consent,
    ConsentGiver,
    ConsentUse,
    ContributionRule,
    Disbursement,
    EntryKind,
    Exemption,
    Fund,
    LedgerEntry,
)

ENTRY_FIELDS = (
    "number",
    "kind",
    "occurred_on",
    "amount",
    "member",
    "month",
    "source",
    "beneficiary",
    "reverses",
    "reason",
)
BENEFICIARY_FIELDS = (
    "full_name",
    "birth_year",
    "commune",
    "hamlet",
    "situation",
    "guardian_name",
    "guardian_relation",
    "guardian_contact",
    "sponsored_from",
    "sponsored_to",
    "scheduled_amount",
    "every_months",
)
# The largest single movement accepted: a typo of three extra zeros is refused, not booked.
MAX_AMOUNT = 10_000_000_000


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Balance and headroom
# ---------------------------------------------------------------------------------------------


def balance(fund: Fund, on: dt.date | None = None) -> int:
    """The balance at the end of ``on`` (today by default): the sum of the entries up to it."""
    entries = LedgerEntry.objects.filter(fund=fund)
    if on is not None:
        entries = entries.filter(occurred_on__lte=on)
    return int(entries.aggregate(total=Sum("amount"))["total"] or 0)


def headroom(fund: Fund, day: dt.date) -> int:
    """The most that may leave the fund on ``day``: the lowest closing balance of ``day`` and of
    every later day that has entries (a later disbursement must stay covered)."""
    lowest = running = balance(fund, day)
    later = (
        LedgerEntry.objects.filter(fund=fund, occurred_on__gt=day)
        .values("occurred_on")
        .annotate(total=Sum("amount"))
        .order_by("occurred_on")
    )
    for row in later:
        running += int(row["total"])
        lowest = min(lowest, running)
    return lowest


def _check_day(fund: Fund, day: dt.date, field: str = "occurred_on") -> None:
    if day > _today():
        raise ValidationError({field: _("The date %(day)s is in the future.") % {"day": format_date(day)}})
    if not fund.open_on(day):
        raise ValidationError(
            {
                field: _("The fund was not open on %(day)s (opened %(opened)s).")
                % {"day": format_date(day), "opened": format_date(fund.opened_on)}
            }
        )


def _check_amount(amount: int, field: str = "amount") -> None:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({field: _("The amount must be a whole number of đồng above zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is larger than any the fund can hold; check the zeros.")})


def _lock(fund: Fund) -> Fund:
    """The fund's row, locked until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _append(fund: Fund, *, actor: Any, kind: str, day: dt.date, amount: int, **fields: Any) -> LedgerEntry:
    """One entry, numbered after the last; the caller holds the lock and has checked the rest."""
    if amount < 0 and -amount > headroom(fund, day):
        raise ValidationError(
            {
                "amount": _(
                    "The fund cannot pay %(amount)s on %(day)s: it would be overdrawn "
                    "(at most %(room)s can leave it that day without a later day going below zero)."
                )
                % {
                    "amount": format_money(-amount),
                    "day": format_date(day),
                    "room": format_money(max(headroom(fund, day), 0)),
                }
            }
        )
    last = LedgerEntry.objects.filter(fund=fund).aggregate(last=Max("number"))["last"] or 0
    entry = LedgerEntry.objects.create(
        fund=fund,
        number=last + 1,
        kind=kind,
        occurred_on=day,
        amount=amount,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    record_create(actor=actor, obj=entry, fields=ENTRY_FIELDS, unit=fund.unit_id)
    return entry


# ---------------------------------------------------------------------------------------------
# Funds and their rules
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def open_fund(
    *, actor: Any, unit: Unit, name: str, purpose: str, opened_on: dt.date, monthly_amount: int
) -> Fund:
    _check_amount(monthly_amount, "monthly_amount")
    fund = Fund.objects.create(unit=unit, name=name.strip(), purpose=purpose.strip(), opened_on=opened_on)
    record_create(actor=actor, obj=fund, fields=("name", "purpose", "opened_on"), unit=unit)
    set_rule(actor=actor, fund=fund, valid_from=opened_on, monthly_amount=monthly_amount)
    return fund


@transaction.atomic
def set_rule(
    *, actor: Any, fund: Fund, valid_from: dt.date, monthly_amount: int, decided_by: str = ""
) -> ContributionRule:
    """A new monthly amount from the first of a month on (earlier months keep theirs)."""
    _check_amount(monthly_amount, "monthly_amount")
    valid_from = valid_from.replace(day=1)
    if ContributionRule.objects.filter(fund=fund, valid_from=valid_from).exists():
        raise ValidationError(
            {
                "valid_from": _("The fund already has an amount from %(day)s.")
                % {"day": format_date(valid_from)}
            }
        )
    if LedgerEntry.objects.filter(fund=fund, kind=EntryKind.CONTRIBUTION, month__gte=valid_from).exists():
        # The months already collected keep the amount they were collected at.
        raise ValidationError(
            {
                "valid_from": _("Savings from %(month)s on are already recorded; choose a later month.")
                % {"month": format_month(valid_from)}
            }
        )
    rule = ContributionRule.objects.create(
        fund=fund, valid_from=valid_from, monthly_amount=monthly_amount, decided_by=decided_by.strip()
    )
    record_create(
        actor=actor, obj=rule, fields=("valid_from", "monthly_amount", "decided_by"), unit=fund.unit_id
    )
    return rule


def amount_due(fund: Fund, month: dt.date) -> int:
    """What each member saves for ``month``: the rule in force on its first day (0 before any)."""
    rule = fund.rules.filter(valid_from__lte=month).order_by("-valid_from").first()
    return rule.monthly_amount if rule else 0


# ---------------------------------------------------------------------------------------------
# Money in
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_opening(*, actor: Any, fund: Fund, day: dt.date, amount: int, reason: str) -> LedgerEntry:
    """Money the fund held before it was kept here (counted from the old notebook)."""
    _check_amount(amount)
    fund = _lock(fund)
    _check_day(fund, day)
    if LedgerEntry.objects.filter(fund=fund, kind=EntryKind.OPENING, reversed_by__isnull=True).exists():
        raise ValidationError(
            {"kind": _("The fund already has an opening balance; reverse it to correct it.")}
        )
    return _append(fund, actor=actor, kind=EntryKind.OPENING, day=day, amount=amount, reason=reason.strip())


@transaction.atomic
def record_donation(
    *, actor: Any, fund: Fund, day: dt.date, amount: int, source: str, reason: str = ""
) -> LedgerEntry:
    """A gift to the fund (the association's members, a sponsor): who gave is written down."""
    _check_amount(amount)
    if not source.strip():
        raise ValidationError({"source": _("Write who gave the money.")})
    fund = _lock(fund)
    _check_day(fund, day)
    return _append(
        fund,
        actor=actor,
        kind=EntryKind.DONATION,
        day=day,
        amount=amount,
        source=source.strip(),
        reason=reason.strip(),
    )


def members_in_month(fund: Fund, month: dt.date) -> list[PartyMember]:
    """The members who belonged to the fund's unit on some day of ``month``, by name."""
    last = add_months(month, 1) - dt.timedelta(days=1)
    ids = (
        Membership.objects.filter(unit_id=fund.unit_id, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
        .values("member_id")
    )
    return list(
        PartyMember.objects.filter(pk__in=ids).select_related("person").order_by("person__full_name", "pk")
    )


def paid_member_ids(fund: Fund, month: dt.date) -> set[int]:
    """Members whose saving for ``month`` is booked and not reversed."""
    return set(
        LedgerEntry.objects.filter(
            fund=fund, kind=EntryKind.CONTRIBUTION, month=month, reversed_by__isnull=True
        ).values_list("member_id", flat=True)
    )


def exempt_member_ids(fund: Fund, month: dt.date) -> set[int]:
    return set(
        Exemption.objects.filter(fund=fund, first_month__lte=month)
        .filter(Q(last_month__isnull=True) | Q(last_month__gte=month))
        .values_list("member_id", flat=True)
    )


@dataclass(frozen=True)
class ContributionsRecorded:
    entries: list[LedgerEntry]
    already_paid: list[PartyMember]


@transaction.atomic
def record_contributions(
    *,
    actor: Any,
    fund: Fund,
    month: dt.date,
    member_ids: Iterable[int],
    day: dt.date | None = None,
    meeting: Meeting | None = None,
) -> ContributionsRecorded:
    """The savings of the members ticked at a meeting, for ``month``, each at the month's amount.
    A member who already paid that month is left as they are (a second tap books nothing); a
    member who was not in the unit that month, or is excused, is refused and nothing is booked."""
    month = month.replace(day=1)
    day = day or (meeting.date if meeting is not None else _today())
    wanted = set(member_ids)
    if meeting is not None and meeting.unit_id != fund.unit_id:
        raise ValidationError({"meeting": _("That meeting is not this fund's unit's.")})
    fund = _lock(fund)
    _check_day(fund, day, "day")
    if month > day.replace(day=1) or not fund.open_in_month(
        month, add_months(month, 1) - dt.timedelta(days=1)
    ):
        raise ValidationError(
            {
                "month": _("Savings for %(month)s cannot be recorded on %(day)s.")
                % {"month": format_month(month), "day": format_date(day)}
            }
        )
    amount = amount_due(fund, month)
    if amount <= 0:
        raise ValidationError(
            {"month": _("The fund had no monthly amount in %(month)s.") % {"month": format_month(month)}}
        )
    members = {member.pk: member for member in members_in_month(fund, month)}
    strangers = wanted - set(members)
    if strangers:
        raise ValidationError(
            {
                "members": _("Only members of the unit in %(month)s can be ticked.")
                % {"month": format_month(month)}
            }
        )
    exempt = wanted & exempt_member_ids(fund, month)
    if exempt:
        names = ", ".join(sorted(members[pk].person.full_name for pk in exempt))
        raise ValidationError(
            {
                "members": _("Excused from saving in %(month)s: %(names)s.")
                % {"month": format_month(month), "names": names}
            }
        )
    paid = paid_member_ids(fund, month)
    entries = [
        _append(
            fund,
            actor=actor,
            kind=EntryKind.CONTRIBUTION,
            day=day,
            amount=amount,
            member_id=pk,
            month=month,
            meeting=meeting,
        )
        for pk in sorted(wanted - paid, key=lambda pk: (members[pk].person.full_name, pk))
    ]
    return ContributionsRecorded(entries, [members[pk] for pk in sorted(wanted & paid)])


@transaction.atomic
def record_exemption(
    *,
    actor: Any,
    fund: Fund,
    member: PartyMember,
    first_month: dt.date,
    last_month: dt.date | None,
    reason: str,
) -> Exemption:
    first_month, last_month = first_month.replace(day=1), last_month.replace(day=1) if last_month else None
    if last_month is not None and last_month < first_month:
        raise ValidationError({"last_month": _("The last month is before the first.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the member is excused.")})
    overlapping = Exemption.objects.filter(fund=fund, member=member).filter(
        Q(last_month__isnull=True) | Q(last_month__gte=first_month)
    )
    if last_month is not None:
        overlapping = overlapping.filter(first_month__lte=last_month)
    if overlapping.exists():
        raise ValidationError(
            {
                "first_month": _("%(name)s is already excused for some of those months.")
                % {"name": member.person.full_name}
            }
        )
    paid = LedgerEntry.objects.filter(
        fund=fund,
        kind=EntryKind.CONTRIBUTION,
        member=member,
        month__gte=first_month,
        reversed_by__isnull=True,
    )
    if last_month is not None:
        paid = paid.filter(month__lte=last_month)
    paid_months = sorted(paid.values_list("month", flat=True))
    if paid_months:
        raise ValidationError(
            {
                "first_month": _("%(name)s already saved for %(months)s; reverse those savings first.")
                % {"name": member.person.full_name, "months": ", ".join(format_month(m) for m in paid_months)}
            }
        )
    if member.pk not in {m.pk for m in members_in_month(fund, first_month)}:
        raise ValidationError(
            {
                "member": _("%(name)s was not a member of the unit in %(month)s.")
                % {"name": member.person.full_name, "month": format_month(first_month)}
            }
        )
    exemption = Exemption.objects.create(
        fund=fund,
        member=member,
        first_month=first_month,
        last_month=last_month,
        reason=reason.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_create(
        actor=actor,
        obj=exemption,
        fields=("member", "first_month", "last_month", "reason"),
        unit=fund.unit_id,
    )
    return exemption


# ---------------------------------------------------------------------------------------------
# Children, consents, disbursements
# ---------------------------------------------------------------------------------------------


def _clean_child(child: Beneficiary) -> None:
    errors: dict[str, str] = {}
    for field in ("full_name", "commune", "situation", "guardian_name", "guardian_relation"):
        setattr(
            child,
            field,
            " ".join(str(getattr(child, field) or "").split())
            if field != "situation"
            else str(getattr(child, field) or "").strip(),
        )
        if not getattr(child, field):
            errors[field] = _("This field is required.")
    for field in BENEFICIARY_FIELDS:
        limit = getattr(Beneficiary._meta.get_field(field), "max_length", None)
        value = getattr(child, field)
        if limit and isinstance(value, str) and len(value) > limit:
            errors.setdefault(field, _("At most %(limit)s characters.") % {"limit": limit})
    # Names are people's names (the same rule as a member's): the initials shown to everyone
    # else are made from them, and a name of signs would show as nothing.
    for field in ("full_name", "guardian_name"):
        try:
            check_person_name(getattr(child, field))
        except TextProblem as exc:
            errors.setdefault(field, capfirst(exc.message))
    # A child (under 18) when the sponsorship starts: judged on its start, so an old record stays
    # editable after the child has grown up.
    year = (child.sponsored_from or _today()).year
    if not (year - 18 <= (child.birth_year or 0) <= year):
        errors["birth_year"] = _("A sponsored child is born between %(first)s and %(last)s.") % {
            "first": year - 18,
            "last": year,
        }
    if child.sponsored_to and child.sponsored_to < child.sponsored_from:
        errors["sponsored_to"] = _("The end is before the start.")
    if child.sponsored_from < child.fund.opened_on:
        errors["sponsored_from"] = _("The fund opened on %(day)s.") % {
            "day": format_date(child.fund.opened_on)
        }
    if not (1 <= (child.every_months or 0) <= 12):
        errors["every_months"] = _("Between 1 and 12 months.")
    try:
        _check_amount(child.scheduled_amount, "scheduled_amount")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    child.initials = initials_of(child.full_name)


@transaction.atomic
def add_beneficiary(*, actor: Any, fund: Fund, **data: Any) -> Beneficiary:
    child = Beneficiary(fund=fund, **{k: v for k, v in data.items() if k in BENEFICIARY_FIELDS})
    _clean_child(child)
    child.save()
    record_create(actor=actor, obj=child, fields=BENEFICIARY_FIELDS, unit=fund.unit_id)
    return child


@transaction.atomic
def update_beneficiary(*, actor: Any, child: Beneficiary, **data: Any) -> Beneficiary:
    child = Beneficiary.objects.select_for_update().select_related("fund").get(pk=child.pk)
    before = snapshot(child, BENEFICIARY_FIELDS)
    for name, value in data.items():
        if name in BENEFICIARY_FIELDS:
            setattr(child, name, value)
    _clean_child(child)
    child.save()
    record_update(actor=actor, obj=child, before=before, fields=BENEFICIARY_FIELDS, unit=child.fund.unit_id)
    return child


@transaction.atomic
def record_consent(
    *,
    actor: Any,
    child: Beneficiary,
    given_by: str,
    giver_name: str,
    given_on: dt.date,
    uses: Iterable[str],
    note: str = "",
) -> Consent:
    uses = sorted(set(uses))
    errors: dict[str, str] = {}
    if given_by not in ConsentGiver.values:
        errors["given_by"] = _("Choose who consents.")
    if not giver_name.strip():
        errors["giver_name"] = _("Write the name of the person consenting.")
    if not uses or set(uses) - set(ConsentUse.values):
        errors["uses"] = _("Tick each use the consent covers.")
    if given_on > _today():
        errors["given_on"] = _("The date %(day)s is in the future.") % {"day": format_date(given_on)}
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        beneficiary=child,
        given_by=given_by,
        giver_name=giver_name.strip(),
        given_on=given_on,
        uses=uses,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_create(
        actor=actor,
        obj=consent,
        fields=("given_by", "giver_name", "given_on", "uses", "note"),
        unit=child.fund.unit_id,
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Any, consent: Consent, day: dt.date) -> Consent:
    consent = Consent.objects.select_for_update().select_related("beneficiary__fund").get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    if day < consent.given_on or day > _today():
        raise ValidationError({"withdrawn_on": _("The date must lie between the consent and today.")})
    before = snapshot(consent, ("withdrawn_on",))
    consent.withdrawn_on = day
    consent.save(update_fields=["withdrawn_on"])
    record_update(
        actor=actor,
        obj=consent,
        before=before,
        fields=("withdrawn_on",),
        unit=consent.beneficiary.fund.unit_id,
    )
    return consent


def slot_of(child: Beneficiary, day: dt.date) -> dt.date:
    """The first month of the schedule's period holding ``day``: quarters start in January,
    April, July and October; other schedules count from the start of sponsorship."""
    month = day.replace(day=1)
    if 12 % child.every_months == 0:
        return dt.date(month.year, (month.month - 1) // child.every_months * child.every_months + 1, 1)
    start = child.sponsored_from.replace(day=1)
    elapsed = (month.year - start.year) * 12 + month.month - start.month
    return add_months(start, elapsed // child.every_months * child.every_months)


@transaction.atomic
def record_disbursement(
    *,
    actor: Any,
    child: Beneficiary,
    day: dt.date,
    amount: int,
    handed_by: Person,
    received_by: str,
    slot: dt.date | None = None,
    receipt: UploadedFile | None = None,
) -> Disbursement:
    """Money handed to the child's guardian: refused when the fund cannot cover it on that day
    and every later day, when the child was not sponsored then, or when that period was paid."""
    _check_amount(amount)
    if not received_by.strip():
        raise ValidationError({"received_by": _("Write who received the money.")})
    if receipt is not None:
        check_upload(receipt)
    if not child.sponsored_on(day):
        raise ValidationError(
            {"day": _("The child was not sponsored on %(day)s.") % {"day": format_date(day)}}
        )
    slot = (slot or slot_of(child, day)).replace(day=1)
    fund = _lock(child.fund)
    _check_day(fund, day, "day")
    if Disbursement.objects.filter(beneficiary=child, slot=slot, entry__reversed_by__isnull=True).exists():
        raise ValidationError(
            {
                "slot": _("The period from %(slot)s was already paid to this child.")
                % {"slot": format_date(slot)}
            }
        )
    entry = _append(
        fund, actor=actor, kind=EntryKind.DISBURSEMENT, day=day, amount=-amount, beneficiary=child
    )
    disbursement = Disbursement(
        entry=entry, beneficiary=child, slot=slot, handed_by=handed_by, received_by=received_by.strip()
    )
    if receipt is not None:
        disbursement.receipt_name = PurePath(receipt.name or "receipt").name[:255]
        disbursement.receipt.save(disbursement.receipt_name, receipt, save=False)
    disbursement.save()
    record_create(
        actor=actor,
        obj=disbursement,
        fields=("slot", "handed_by", "received_by", "receipt_name"),
        unit=fund.unit_id,
    )
    return disbursement


@transaction.atomic
def attach_receipt(*, actor: Any, disbursement: Disbursement, receipt: UploadedFile) -> Disbursement:
    """A receipt brought back after the handing over (the only change a disbursement takes):
    once. A signed receipt is evidence; it is never replaced."""
    check_upload(receipt)
    if disbursement.receipt:
        raise ValidationError({"receipt": _("This disbursement already has its receipt.")})
    before = snapshot(disbursement, ("receipt_name",))
    disbursement.receipt_name = PurePath(receipt.name or "receipt").name[:255]
    disbursement.receipt.save(disbursement.receipt_name, receipt, save=False)
    disbursement.save(update_fields=["receipt", "receipt_name"])
    record_update(
        actor=actor,
        obj=disbursement,
        before=before,
        fields=("receipt_name",),
        unit=disbursement.beneficiary.fund.unit_id,
    )
    return disbursement


# ---------------------------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def reverse(*, actor: Any, entry: LedgerEntry, reason: str, day: dt.date | None = None) -> LedgerEntry:
    """Undo an entry by a new one of the opposite amount, dated ``day`` (today by default), with
    the reason. A reversal is not reversed again (record the movement afresh); an entry is
    reversed once. Reversing money that came in is an outflow, checked like a disbursement."""
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the entry is reversed.")})
    fund = _lock(entry.fund)
    entry = LedgerEntry.objects.get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(
            {"reverses": _("A reversal is not reversed; record the movement again instead.")}
        )
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(
            {"reverses": _("Entry %(number)s was already reversed.") % {"number": entry.number}}
        )
    day = day or _today()
    _check_day(fund, day)
    if day < entry.occurred_on:
        raise ValidationError({"occurred_on": _("A reversal cannot be dated before the entry it undoes.")})
    return _append(
        fund,
        actor=actor,
        kind=EntryKind.REVERSAL,
        day=day,
        amount=-entry.amount,
        reverses=entry,
        reason=reason.strip(),
        member_id=entry.member_id,
        month=entry.month,
        beneficiary_id=entry.beneficiary_id,
    )
