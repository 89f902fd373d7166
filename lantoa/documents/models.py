"""The register of Party (and State) documents, their numbering, and what they ask of units.

A document's identity is issuer + type + number + term (or year for State documents): the Politburo
issued a new "Chỉ thị 01" after the XIV Congress, so "01-CT/TW" alone is not a key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantoa.org.models import PartyMember, StaffBody, Unit, UnitKind


class DocumentSystem(models.TextChoices):
    PARTY = "party", _("Party")
    STATE = "state", _("State")


class SigningForm(models.TextChoices):
    NONE = "", _("Signs in own name")
    ON_BEHALF = "T/M", _("On behalf of (T/M)")
    DEPUTY = "K/T", _("Deputy for (K/T)")
    BY_ORDER = "T/L", _("By order of (T/L)")


class Term(models.Model):
    """A committee's term (nhiệm kỳ): Party document numbers restart at 01 in each term."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="terms", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="term_valid_range"
            )
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.unit} – {self.name}"


class Document(models.Model):
    """One document in the register: issued by a unit in our tree, by one of its staff bodies, or
    by a body outside the tree (the Politburo, a provincial committee) recorded by name and code."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    system = models.CharField(
        _("system"), max_length=10, choices=DocumentSystem.choices, default=DocumentSystem.PARTY
    )
    issuer_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issuing unit"),
    )
    issuer_staff_body = models.ForeignKey(
        StaffBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("issuing staff body"),
    )
    # As printed on the document, kept even when the issuer is in the tree (names change).
    issuer_name = models.CharField(_("issuing body"), max_length=200)
    issuer_code = models.CharField(_("issuer code"), max_length=30, help_text=_("e.g. TW, TU, HU, BTGHU"))
    type_code = models.CharField(
        _("type"), max_length=10, help_text=_("As issued: KL, CT, NQ, QĐ, QĐi, KH, BC …")
    )
    number = models.PositiveIntegerField(_("number"))
    term = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("term"),
    )
    term_label = models.CharField(
        _("term"), max_length=60, blank=True, help_text=_("For bodies outside the tree, e.g. khóa XIII.")
    )
    year = models.PositiveIntegerField(_("year"))
    issued_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    summary = models.CharField(_("summary"), max_length=500, help_text=_("Trích yếu."))
    body = models.TextField(_("body"), blank=True)
    signing_form = models.CharField(
        _("signing form"), max_length=3, choices=SigningForm.choices, blank=True, default=SigningForm.NONE
    )
    signing_body = models.CharField(
        _("on behalf of"), max_length=100, blank=True, help_text=_("e.g. BAN THƯỜNG VỤ")
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("Nơi nhận, one per line."))
    implements = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="implemented_by", verbose_name=_("implements")
    )
    # Unique identity: issuer + type + number + term (or year for State documents / outside bodies).
    identity = models.CharField(max_length=200, unique=True, editable=False, verbose_name=_("identity"))
    search_text = models.CharField(
        max_length=800, editable=False, db_index=True, default="", verbose_name=_("search text")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["-issued_on", "-number"]
        indexes = [
            models.Index(fields=["issuer_unit", "type_code", "-issued_on"], name="document_issuer_idx"),
            models.Index(fields=["type_code", "-issued_on"], name="document_type_idx"),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.symbol} – {self.summary[:80]}"

    @property
    def symbol(self) -> str:
        """'15-KH/HU' (Party) or '15/QĐ-UBND' (State), numbers below 10 written 01…09."""
        from .numbering import format_symbol

        return format_symbol(self.system, self.number, self.type_code, self.issuer_code)

    @property
    def number_line(self) -> str:
        from .numbering import format_number_line

        return format_number_line(self.system, self.number, self.type_code, self.issuer_code)


class Attachment(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Signed file")
        APPENDIX = "appendix", _("Appendix")
        ATTACHMENT = "attachment", _("Attachment")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("document")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FILE, verbose_name=_("kind"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    original_name = models.CharField(max_length=255, verbose_name=_("file name"))
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.original_name


class NumberSequence(models.Model):
    """The last number given for one issuer, type and period (term id or year). Allocation locks
    this row, so two people numbering at once get consecutive numbers, never the same one."""

    issuer_key = models.CharField(max_length=60, verbose_name=_("issuer"))
    type_code = models.CharField(max_length=10, verbose_name=_("type code"))
    period_key = models.CharField(max_length=30, verbose_name=_("term"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "type_code", "period_key"], name="number_sequence_unique"
            )
        ]
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.type_code} {self.issuer_key} {self.period_key}: {self.last_number}"


class Theme(models.Model):
    """A study theme: the whole-term theme of a Congress or a unit's yearly theme (chuyên đề năm)."""

    class Scope(models.TextChoices):
        TERM = "term", _("Whole-term theme")
        YEAR = "year", _("Yearly theme")

    scope = models.CharField(
        max_length=10, choices=Scope.choices, default=Scope.YEAR, verbose_name=_("scope")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="themes", verbose_name=_("unit")
    )
    issuer_name = models.CharField(_("set by"), max_length=200)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    title = models.TextField(_("title"))
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(scope="year"), name="theme_one_yearly_per_unit"
            )
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return f"{self.year or ''} {self.title[:80]}".strip()


class Campaign(models.Model):
    """A campaign (phong trào) with its period and motto, e.g. "Đồng khởi mới" 2024–2025."""

    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="campaigns",
        verbose_name=_("unit"),
    )
    issuer_name = models.CharField(_("launched by"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class Obligation(models.Model):
    """Units of the chosen kinds under ``unit`` must file a document of ``required_type`` by the
    deadline. Who is obligated is the tree as of the deadline, so merged units count once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="obligations_set", verbose_name=_("requesting unit")
    )
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveIntegerField(_("year"))
    required_type = models.CharField(_("document to file"), max_length=10, default="KH")
    target_kinds = models.JSONField(_("units that must file"), default=list)
    deadline = models.DateField(_("deadline"))
    sources = models.ManyToManyField(
        Document, blank=True, related_name="obligations", verbose_name=_("based on")
    )
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obligations",
        verbose_name=_("theme"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["-deadline", "title"]
        indexes = [models.Index(fields=["unit", "-deadline"], name="obligation_unit_idx")]
        verbose_name = _("obligation to file")
        verbose_name_plural = _("obligations to file")

    def __str__(self) -> str:
        return self.title

    @property
    def target_kind_labels(self) -> list[str]:
        labels = dict(UnitKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.target_kinds]


class Filing(models.Model):
    """A unit answered an obligation with one of its documents."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="filings", verbose_name=_("obligation to file")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="filings", verbose_name=_("unit"))
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="filings", verbose_name=_("document")
    )
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("filed by")
    )

    class Meta:
        ordering = ["filed_on"]
        constraints = [models.UniqueConstraint(fields=["obligation", "unit"], name="filing_one_per_unit")]
        indexes = [models.Index(fields=["obligation", "unit"], name="filing_lookup_idx")]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    def __str__(self) -> str:
        return f"{self.unit} – {self.obligation}"


class Commitment(models.Model):
    """A member's concrete "làm theo" commitment for a year (one or two per member)."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("party member")
    )
    year = models.PositiveIntegerField(_("year"))
    position = models.PositiveSmallIntegerField(default=1, verbose_name=_("post"))
    text = models.TextField(_("commitment"))
    registered_on = models.DateField(_("registered on"))
    done = models.BooleanField(_("done"), null=True, blank=True)
    outcome_note = models.TextField(_("year-end note"), blank=True)
    assessed_on = models.DateField(null=True, blank=True, verbose_name=_("assessed on"))

    class Meta:
        ordering = ["year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "position"], name="commitment_slot_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=2), name="commitment_one_or_two"
            ),
        ]
        indexes = [models.Index(fields=["year", "member"], name="commitment_year_idx")]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:80]
