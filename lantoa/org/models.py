"""The dated organisation tree, the people in it, and who may do what where.

Everything here carries dates because the tree changes under the data: communes merged in
2024–2025, the district level ended on 30/6/2025, party cards are re-issued. Questions about the
tree are always asked "as of" a date (see ``queries.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.lib.privacy import SensitiveData
from lantoa.lib.vi import format_date

# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central Committee")
    PROVINCE = "province", _("Provincial Party Committee")
    DISTRICT = "district", _("District Party Committee")
    COMMUNE = "commune", _("Commune, ward or special-zone Party Committee")
    GRASSROOTS = "grassroots", _("Grassroots Party Committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots Party cell")
    SUB_COMMITTEE = "sub_committee", _("Party sub-committee")
    CELL = "cell", _("Subordinate Party cell")
    GROUP = "group", _("Party group")
    MASS_ORGANISATION = "mass_org", _("Mass organisation")
    AGENCY = "agency", _("Agency or unit")


# Units whose members meet as a cell: party members hold their membership in one of these.
CELL_KINDS = frozenset({UnitKind.GRASSROOTS_CELL, UnitKind.CELL, UnitKind.GROUP})
# Units that are not Party organisations but can be recognised as collectives.
NON_PARTY_KINDS = frozenset({UnitKind.MASS_ORGANISATION, UnitKind.AGENCY})


class Unit(models.Model):
    """A Party organisation (or a mass organisation / agency) with its own dates.

    The parent is not a column here: it is dated, in ``UnitParentage``.
    """

    key = models.SlugField(
        _("key"), max_length=80, unique=True, help_text=_("Used in addresses and commands.")
    )
    name = models.CharField(_("name"), max_length=200)
    short_code = models.CharField(
        _("short code"), max_length=30, blank=True, help_text=_("Used in document symbols, e.g. HU, ĐU, CB.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    place_name = models.CharField(
        _("place name on documents"), max_length=100, blank=True, help_text=_("e.g. Châu Thành, An Khánh")
    )
    letterhead_name = models.CharField(
        _("name as upper body"),
        max_length=200,
        blank=True,
        help_text=_("How units below print it above their own name, e.g. ĐẢNG BỘ HUYỆN CHÂU THÀNH."),
    )
    # A cell of a hamlet or quarter (chi bộ ấp, khu phố): term resolutions set targets for these.
    residential = models.BooleanField(
        _("cell of a hamlet or quarter"),
        default=False,
        help_text=_("Chi bộ ấp, khu phố, thôn, tổ dân phố: the cells term targets often count."),
    )
    note = models.TextField(_("note"), blank=True)
    search_text = models.CharField(
        max_length=250, editable=False, db_index=True, default="", verbose_name=_("search text")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_party(self) -> bool:
        return self.kind not in NON_PARTY_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS


class UnitParentage(models.Model):
    """``unit`` sat under ``parent`` from ``valid_from`` to ``valid_to`` (inclusive)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="parentages", verbose_name=_("unit")
    )
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="child_parentages", verbose_name=_("parent unit")
    )
    valid_from = models.DateField(verbose_name=_("from"))
    valid_to = models.DateField(null=True, blank=True, verbose_name=_("to"))

    class Meta:
        ordering = ["unit_id", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"], name="parentage_parent_idx"),
            models.Index(fields=["unit", "valid_from"], name="parentage_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="parentage_valid_range",
            ),
            models.CheckConstraint(condition=~Q(unit=F("parent")), name="parentage_not_self"),
        ]
        verbose_name = _("place in the tree")
        verbose_name_plural = _("places in the tree")

    def __str__(self) -> str:
        return f"{self.unit} → {self.parent} ({format_date(self.valid_from)})"


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed to")


class UnitSuccession(models.Model):
    """On ``on_date`` the work of ``predecessor`` passed to ``successor`` (merges, splits)."""

    predecessor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions_out", verbose_name=_("earlier unit")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions_in", verbose_name=_("later unit")
    )
    on_date = models.DateField(verbose_name=_("on"))
    kind = models.CharField(max_length=10, choices=SuccessionKind.choices, verbose_name=_("kind"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["on_date"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
        ]
        verbose_name = _("succession of units")
        verbose_name_plural = _("successions of units")

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({format_date(self.on_date)})"


class StaffBodyKind(models.TextChoices):
    PROPAGANDA = "propaganda", _("Propaganda (and Mass Mobilisation) Commission")
    ORGANISATION = "organisation", _("Organisation Commission")
    INSPECTION = "inspection", _("Inspection Commission")
    OFFICE = "office", _("Office")


class StaffBody(models.Model):
    """A commission or office of a committee (Ban Tuyên giáo Huyện ủy, Văn phòng ...)."""

    committee = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="staff_bodies", verbose_name=_("committee")
    )
    kind = models.CharField(max_length=20, choices=StaffBodyKind.choices, verbose_name=_("kind"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "kind"], name="staff_body_one_per_kind")]
        verbose_name = _("staff body")
        verbose_name_plural = _("staff bodies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.committee}"


class StaffBodyName(models.Model):
    """Staff bodies are renamed and re-coded (Ban Tuyên giáo → Ban Tuyên giáo và Dân vận, 2025).

    ``name`` is the short form printed under the committee in a letterhead ("Ban Tuyên giáo");
    in prose it is followed by the committee's name ("Ban Tuyên giáo Huyện ủy Châu Thành").
    """

    staff_body = models.ForeignKey(
        StaffBody, on_delete=models.CASCADE, related_name="names", verbose_name=_("staff body")
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    code = models.CharField(
        max_length=30, help_text=_("Symbol in document numbers, e.g. BTGHU."), verbose_name=_("code")
    )
    valid_from = models.DateField(verbose_name=_("from"))
    valid_to = models.DateField(null=True, blank=True, verbose_name=_("to"))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("name of a staff body")
        verbose_name_plural = _("names of staff bodies")

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(models.Model):
    """Anyone the programme records: party members and also non-members who are exemplary."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    full_name = models.CharField(_("full name"), max_length=120)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Sensitive personal data (Luật 91/2025/QH15, ND 356/2025): shown only to roles that need it.
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    id_number = models.CharField(_("citizen ID number"), max_length=20, blank=True)
    health_note = models.CharField(_("health"), max_length=300, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("account"),
    )
    # The unit that recorded the person: how non-members (exemplary citizens) stay in someone's scope.
    registered_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_people",
        verbose_name=_("recorded by"),
    )
    search_text = models.CharField(
        max_length=150, editable=False, db_index=True, default="", verbose_name=_("search text")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    # Who reads them: org.sensitive (the one rule); how they are masked: lib.privacy.
    SENSITIVE = SensitiveData(
        fields=("ethnicity", "religion", "id_number", "health_note"),
        readers="lantoa.org.sensitive.readable_people_among",
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class PartyMember(models.Model):
    """Party membership data of a person. Status (probationary/full) follows from the dates."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="party_member", verbose_name=_("person")
    )
    card_number = models.CharField(_("party card number"), max_length=20, null=True, blank=True, unique=True)
    admitted_on = models.DateField(_("date admitted to the Party"))
    full_member_on = models.DateField(_("date of full membership"), null=True, blank=True)
    left_on = models.DateField(_("date left the Party"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True) | Q(full_member_on__gte=F("admitted_on")),
                name="member_full_after_admission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.card_number or '—'})"

    def is_full_member_on(self, day: dt.date) -> bool:
        return self.full_member_on is not None and self.full_member_on <= day


class CardNumberChange(models.Model):
    """History of party card numbers: cards were re-issued from 8/2025 (Chỉ thị 51)."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="card_changes", verbose_name=_("party member")
    )
    old_number = models.CharField(max_length=20, blank=True, verbose_name=_("old card number"))
    new_number = models.CharField(max_length=20, verbose_name=_("new card number"))
    changed_on = models.DateField(verbose_name=_("changed on"))
    reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason"))

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["old_number"], name="card_change_old_idx")]
        verbose_name = _("card number change")
        verbose_name_plural = _("card number changes")

    def __str__(self) -> str:
        return f"{self.old_number or '—'} → {self.new_number} ({format_date(self.changed_on)})"


class Membership(models.Model):
    """A member belongs to (sinh hoạt tại) one cell from ``valid_from`` to ``valid_to``."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("party member")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cell")
    )
    valid_from = models.DateField(verbose_name=_("from"))
    valid_to = models.DateField(null=True, blank=True, verbose_name=_("to"))
    note = models.CharField(max_length=200, blank=True, verbose_name=_("note"))

    class Meta:
        ordering = ["valid_from"]
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_to"], name="membership_unit_idx"),
            models.Index(fields=["member", "valid_from"], name="membership_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_valid_range",
            )
        ]
        verbose_name = _("membership of a cell")
        verbose_name_plural = _("memberships of cells")

    def __str__(self) -> str:
        return f"{self.member} – {self.unit} ({format_date(self.valid_from)})"


class ActivityExemption(models.Model):
    """Miễn công tác và sinh hoạt đảng: the member stays in the cell but is excused."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("party member")
    )
    valid_from = models.DateField(verbose_name=_("from"))
    valid_to = models.DateField(null=True, blank=True, verbose_name=_("to"))
    reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason"))

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("exemption from Party activity")
        verbose_name_plural = _("exemptions from Party activity")

    def __str__(self) -> str:
        return f"{self.member} ({format_date(self.valid_from)} – {format_date(self.valid_to) or '…'})"


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    STANDING_MEMBER = "standing_member", _("Standing committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    HEAD_OF_COMMISSION = "head_commission", _("Head of commission")
    CHAIR = "chair", pgettext_lazy("post in a mass organisation", "Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    COUNCIL_CHAIR = "council_chair", _("Chair of the emulation and commendation council")
    COUNCIL_MEMBER = "council_member", _("Member of the emulation and commendation council")


# Posts on a committee's emulation and commendation council: they sit at its sessions, not at the
# committee's own meetings.
COUNCIL_TITLES = frozenset({PositionTitle.COUNCIL_CHAIR, PositionTitle.COUNCIL_MEMBER})


class Position(models.Model):
    """A post held in a unit (bí thư, phó bí thư, chi ủy viên ...) between two dates."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="positions", verbose_name=_("unit"))
    title = models.CharField(_("post"), max_length=20, choices=PositionTitle.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["unit_id", "valid_from"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="position_unit_idx")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.get_title_display()} – {self.unit}"


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    STANDING = "standing", _("Standing office of the committee")
    PROPAGANDA = "propaganda", _("Propaganda commission staff")
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    CLERK = "clerk", pgettext_lazy("role", "Clerk")
    COUNCIL = "council", _("Council member")
    # Keeps a unit's savings fund (funds.access: the fund's managers); reads the unit like a member.
    TREASURER = "treasurer", _("Treasurer of the savings fund")
    MEMBER = "member", _("Party member")


class RoleGrant(models.Model):
    """``user`` holds ``role`` on ``unit`` and everything under it, between two dates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("account"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from"]
        indexes = [models.Index(fields=["user", "valid_from"], name="rolegrant_user_idx")]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.unit}"
