"""Members' savings funds (quỹ tiết kiệm) that sponsor children, apart from Party dues.

A fund belongs to a unit (the Chi bộ Hội LHPN huyện's members save 50.000 đ a month each and
sponsor orphans). Money moves only through the ledger (``LedgerEntry``): an append-only list of
signed amounts in whole đồng, never edited or deleted; a mistake is undone by a reversing entry
with a reason. The balance is the sum of the entries and is never negative on any day
(``services`` checks each outflow against every later day, under a lock on the fund).

A sponsored child (``Beneficiary``) is recorded with the minimum a fund needs, and their data is
sensitive (Luật Trẻ em 2016 Điều 6, Luật 91/2025 Điều 24): only the fund's managers read it in
full (``access.readable_beneficiaries``), everyone else reads the initials and the birth year,
and nothing leaves the system with the child's name unless a recorded consent covers that use
(``Consent``: the guardian's, and the child's own from the age of seven).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantoa.cells.models import Meeting
from lantoa.lib.privacy import SensitiveData
from lantoa.lib.vi import format_date
from lantoa.org.models import PartyMember, Person, Unit


class Fund(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="funds", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["unit_id", "opened_on"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")), name="fund_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)

    def open_in_month(self, month: dt.date, month_end: dt.date) -> bool:
        """Open on some day of the month from ``month`` (its first day) to ``month_end``: its
        members save for it, and may be owing it."""
        return self.opened_on <= month_end and (self.closed_on is None or month <= self.closed_on)


class ContributionRule(models.Model):
    """How much each member saves a month, from a date (the cell's own decision, not a law)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rules", verbose_name=_("fund"))
    valid_from = models.DateField(_("valid from"))
    monthly_amount = models.PositiveIntegerField(_("amount per member per month (đồng)"))
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)

    class Meta:
        ordering = ["fund_id", "valid_from"]
        verbose_name = _("contribution rule")
        verbose_name_plural = _("contribution rules")
        constraints = [models.UniqueConstraint(fields=["fund", "valid_from"], name="fund_rule_once_a_day")]

    def __str__(self) -> str:
        return f"{self.monthly_amount} đ ({format_date(self.valid_from)})"


class Exemption(models.Model):
    """A member excused from saving for some months (illness, hardship), decided by the cell."""

    fund = models.ForeignKey(
        Fund, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("fund")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="fund_exemptions", verbose_name=_("party member")
    )
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("to month"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["fund_id", "first_month"]
        verbose_name = _("exemption from saving")
        verbose_name_plural = _("exemptions from saving")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__isnull=True) | Q(last_month__gte=F("first_month")),
                name="fund_exemption_months",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} ({format_date(self.first_month)})"

    def covers(self, month: dt.date) -> bool:
        return self.first_month <= month and (self.last_month is None or month <= self.last_month)


class Beneficiary(models.Model):
    """A sponsored child: the minimum the fund needs to help and to account for the help."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name=_("fund")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    commune = models.CharField(_("commune"), max_length=120)
    hamlet = models.CharField(_("hamlet"), max_length=120, blank=True)
    situation = models.TextField(_("situation"))
    guardian_name = models.CharField(_("guardian"), max_length=120)
    guardian_relation = models.CharField(_("guardian's relation to the child"), max_length=60)
    guardian_contact = models.CharField(_("guardian's contact"), max_length=120, blank=True)
    sponsored_from = models.DateField(_("sponsored from"))
    sponsored_to = models.DateField(_("sponsored until"), null=True, blank=True)
    # The schedule: ``scheduled_amount`` every ``every_months`` months (1.200.000 đ a quarter).
    scheduled_amount = models.PositiveIntegerField(_("amount each time (đồng)"))
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=3)
    # The initials, kept apart so that lists never need the name to show them.
    initials = models.CharField(_("initials"), max_length=60, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    SENSITIVE = SensitiveData(
        fields=(
            "full_name",
            "commune",
            "hamlet",
            "situation",
            "guardian_name",
            "guardian_relation",
            "guardian_contact",
        ),
        readers="lantoa.funds.access.readable_beneficiaries",
    )

    class Meta:
        ordering = ["fund_id", "sponsored_from", "pk"]
        verbose_name = _("sponsored child")
        verbose_name_plural = _("sponsored children")
        constraints = [
            models.CheckConstraint(
                condition=Q(sponsored_to__isnull=True) | Q(sponsored_to__gte=F("sponsored_from")),
                name="beneficiary_dates",
            ),
            models.CheckConstraint(
                condition=Q(every_months__gte=1, every_months__lte=12), name="beneficiary_every"
            ),
        ]

    def __str__(self) -> str:
        # What the audit log and any generic list print: never the name.
        return self.masked_label

    @property
    def masked_label(self) -> str:
        return f"{self.initials} ({self.birth_year})"

    def age_in(self, year: int) -> int:
        return year - self.birth_year

    def sponsored_on(self, day: dt.date) -> bool:
        return self.sponsored_from <= day and (self.sponsored_to is None or day <= self.sponsored_to)


class ConsentUse(models.TextChoices):
    """What a consent allows beyond keeping the record for the fund's managers."""

    STATEMENT = "statement", _("Name in the fund's statements read out at the meeting")
    REPORT = "report", _("Name in review reports")
    BULLETIN = "bulletin", _("Name and story in the bulletin")


class ConsentGiver(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    CHILD = "child", _("The child (aged 7 or more)")


class Consent(models.Model):
    """A recorded consent (Luật Trẻ em Điều 6, Luật 91/2025 Điều 9, 24): who gave it, when, for
    which uses; withdrawn from a date. Never pre-ticked: each use is chosen."""

    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="consents", verbose_name=_("sponsored child")
    )
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name of the person consenting"), max_length=120)
    given_on = models.DateField(_("given on"))
    uses = models.JSONField(_("uses"), default=list)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    # Who consented is named only to the fund's managers (a child's own consent names the child).
    SENSITIVE = SensitiveData(fields=("giver_name", "note"), readers="lantoa.funds.access.readable_consents")

    class Meta:
        ordering = ["beneficiary_id", "given_on", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_given_by_display()} – {format_date(self.given_on)}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


class EntryKind(models.TextChoices):
    OPENING = "opening", _("Balance carried over from the old books")
    CONTRIBUTION = "contribution", _("Member's monthly saving")
    DONATION = "donation", _("Donation")
    DISBURSEMENT = "disbursement", _("Disbursement to a sponsored child")
    REVERSAL = "reversal", _("Reversal")


INFLOW_KINDS = frozenset({EntryKind.OPENING, EntryKind.CONTRIBUTION, EntryKind.DONATION})


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise TypeError("The fund ledger is append-only: record a reversing entry instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The fund ledger is append-only: record a reversing entry instead.")


class LedgerEntry(models.Model):
    """One movement of money, in whole đồng: positive in, negative out. Never edited or deleted
    (the model refuses, and the database refuses an UPDATE); a reversal is a new entry of the
    opposite amount that names the entry it undoes and why."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries", verbose_name=_("fund"))
    number = models.PositiveIntegerField(_("entry number"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    occurred_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    # A member's saving: whose, for which month, collected at which meeting.
    member = models.ForeignKey(
        PartyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("party member"),
    )
    month = models.DateField(_("month"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("meeting")
    )
    # A donation: who gave (an association's members, a sponsor).
    source = models.CharField(_("from"), max_length=200, blank=True)
    beneficiary = models.ForeignKey(
        Beneficiary,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("sponsored child"),
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["fund_id", "occurred_on", "number"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["fund", "occurred_on"], name="ledger_fund_day_idx"),
            models.Index(fields=["fund", "member", "month"], name="ledger_member_month_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="ledger_number_once"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(k.value for k in INFLOW_KINDS), amount__gt=0)
                | Q(kind=EntryKind.DISBURSEMENT, amount__lt=0)
                | Q(kind=EntryKind.REVERSAL, reverses__isnull=False),
                name="ledger_sign_follows_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_kind_display()} {format_date(self.occurred_on)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The fund ledger is append-only: record a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The fund ledger is append-only: record a reversing entry instead.")

    @property
    def counted_kind(self) -> str:
        """The kind the entry counts under: a reversal counts under the kind it undoes."""
        return self.reverses.kind if self.reverses_id and self.reverses else self.kind

    @property
    def counted_source(self) -> str:
        return self.reverses.source if self.reverses_id and self.reverses else self.source


class Disbursement(models.Model):
    """Money handed to a sponsored child's guardian: the ledger entry plus who handed it over, who
    received it, and the receipt. Cancelled only by reversing its entry."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, related_name="disbursement", verbose_name=_("ledger entry")
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("sponsored child")
    )
    # The first month of the schedule's slot it pays (a quarter: 01/01, 01/04, 01/07, 01/10).
    slot = models.DateField(_("for the period starting"))
    handed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("handed over by")
    )
    received_by = models.CharField(_("received by"), max_length=120)
    receipt = models.FileField(_("receipt"), upload_to="funds/receipts/%Y/", blank=True)
    receipt_name = models.CharField(_("receipt file name"), max_length=255, blank=True)

    SENSITIVE = SensitiveData(
        fields=("received_by",),
        readers="lantoa.funds.access.readable_disbursements",
    )

    class Meta:
        ordering = ["beneficiary_id", "slot"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.beneficiary} – {format_date(self.slot)}"

    @property
    def amount(self) -> int:
        """What was handed over (the ledger keeps it as money out, below zero)."""
        return -self.entry.amount
