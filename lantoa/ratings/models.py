"""Year-end quality ratings (đánh giá, xếp loại chất lượng) and term targets (chỉ tiêu nghị quyết).

A rating is one subject's result for one year: a party member, a Party organisation or its
leadership collective. It goes through three recorded steps (rules-vn §2.5): the subject's own
assessment, the reviewing body's proposal (the cell's vote for its members), and the decision of
the body with authority. What the levels are, the quota on the top level and the consistency
thresholds are dated data (``RatingRuleSet``), chosen by the date of each act.

"Trong sạch, vững mạnh" is not a fifth level: it was a level of the old scale (kept for old data),
and since 2018 it is a label a unit is granted for a year (``UnitLabel``), counted by term targets.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantoa.documents.models import Term
from lantoa.org.models import PartyMember, Unit


class Level(models.TextChoices):
    """The four levels since 2018, best first; then the old scale's, for old data only."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    DONE = "done", _("Completed tasks")
    NOT_DONE = "not_done", _("Did not complete tasks")
    # Hướng dẫn 27-HD/BTCTW (2014): organisations until the 2017 round.
    CLEAN_STRONG = "clean_strong", _("Clean and strong (old scale)")
    WEAK = "weak", _("Weak (old scale)")


# Best first: a level "above" another is earlier in this order.
LEVEL_ORDER = (Level.EXCELLENT, Level.GOOD, Level.DONE, Level.NOT_DONE)


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Party member")
    ORGANISATION = "organisation", _("Party organisation")
    LEADERSHIP = "leadership", _("Leadership collective (committee)")


class RatingRuleSet(models.Model):
    """The rating rules in force from a date (Quy định 132, 124, 366 ...): the levels, the quota on
    the top level and the thresholds a Party organisation needs for it, the 100-point score."""

    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), unique=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    levels = models.JSONField(_("levels"), help_text=_("The level codes this rule set rates in, best first."))
    # The top level may go to at most numerator/denominator of those rated at the second level,
    # within one grassroots organisation and one group of subjects.
    quota_numerator = models.PositiveSmallIntegerField(_("quota: numerator"), null=True, blank=True)
    quota_denominator = models.PositiveSmallIntegerField(_("quota: denominator"), null=True, blank=True)
    # A Party organisation at the top level: every member at the third level or above, and at
    # least this share at the second level or above.
    good_share_numerator = models.PositiveSmallIntegerField(
        _("share at the second level or above: numerator"), null=True, blank=True
    )
    good_share_denominator = models.PositiveSmallIntegerField(
        _("share at the second level or above: denominator"), null=True, blank=True
    )
    scored = models.BooleanField(_("rated on a 100-point score"), default=False)
    score_general_max = models.PositiveSmallIntegerField(_("general criteria, points"), null=True, blank=True)
    score_tasks_max = models.PositiveSmallIntegerField(_("task results, points"), null=True, blank=True)
    band_excellent = models.PositiveSmallIntegerField(_("points for the top level"), null=True, blank=True)
    band_good = models.PositiveSmallIntegerField(_("points for the second level"), null=True, blank=True)
    band_done = models.PositiveSmallIntegerField(_("points for the third level"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="rating_rule_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(quota_denominator__isnull=True) | Q(quota_denominator__gt=0),
                name="rating_rule_quota_denominator",
            ),
            models.CheckConstraint(
                condition=Q(good_share_denominator__isnull=True) | Q(good_share_denominator__gt=0),
                name="rating_rule_share_denominator",
            ),
        ]
        verbose_name = _("rating rule set")
        verbose_name_plural = _("rating rule sets")

    def __str__(self) -> str:
        return self.name


class RatingStatus(models.TextChoices):
    SELF_ASSESSED = "self", _("Self-assessed")
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Decided")


class Rating(models.Model):
    """One subject's rating for one year, with its three steps."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    year = models.PositiveSmallIntegerField(_("year"))
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    member = models.ForeignKey(
        PartyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("party member"),
    )
    subject_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("Party organisation"),
    )
    # Where the rating is kept: the member's cell (or the organisation itself) in that year.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="kept_ratings", verbose_name=_("cell or unit")
    )
    # The grassroots organisation whose quota the top level counts against.
    quota_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="quota_ratings", verbose_name=_("quota counted in")
    )
    status = models.CharField(_("status"), max_length=10, choices=RatingStatus.choices)

    self_level = models.CharField(_("self-assessment"), max_length=12, choices=Level.choices, blank=True)
    self_score = models.PositiveSmallIntegerField(_("self-assessed points"), null=True, blank=True)
    self_on = models.DateField(_("self-assessed on"), null=True, blank=True)
    self_note = models.TextField(_("self-assessment note"), blank=True)

    proposed_level = models.CharField(_("proposal"), max_length=12, choices=Level.choices, blank=True)
    proposed_score = models.PositiveSmallIntegerField(_("proposed points"), null=True, blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposal_votes = models.CharField(_("votes"), max_length=100, blank=True)

    level = models.CharField(_("rating"), max_length=12, choices=Level.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    document = models.CharField(
        _("document"), max_length=200, blank=True, help_text=_("e.g. Quyết định số 45-QĐ/ĐU ngày 20/12/2024")
    )
    rules = models.ForeignKey(
        RatingRuleSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rules applied"),
    )
    quota_override = models.TextField(_("why the quota was exceeded"), blank=True)
    # Set when a later discipline re-rated the year: what it had been decided before.
    rerated_from = models.CharField(
        _("rated before re-rating"), max_length=12, choices=Level.choices, blank=True
    )
    rerated_on = models.DateField(_("re-rated on"), null=True, blank=True)
    rerated_reason = models.CharField(_("reason for re-rating"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        indexes = [
            models.Index(fields=["quota_unit", "year", "subject_kind"], name="rating_quota_idx"),
            models.Index(fields=["unit", "year"], name="rating_unit_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(member__isnull=False),
                name="rating_one_per_member_year",
            ),
            models.UniqueConstraint(
                fields=["subject_unit", "subject_kind", "year"],
                condition=Q(subject_unit__isnull=False),
                name="rating_one_per_unit_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(subject_kind=SubjectKind.MEMBER)
                    & Q(member__isnull=False)
                    & Q(subject_unit__isnull=True)
                )
                | (
                    ~Q(subject_kind=SubjectKind.MEMBER)
                    & Q(member__isnull=True)
                    & Q(subject_unit__isnull=False)
                ),
                name="rating_one_subject",
            ),
        ]
        verbose_name = _("quality rating")
        verbose_name_plural = _("quality ratings")

    def __str__(self) -> str:
        return f"{self.subject_name} – {self.year}"

    @property
    def subject_name(self) -> str:
        if self.member is not None:
            return self.member.person.full_name
        unit_name = self.subject_unit.name if self.subject_unit else ""
        if self.subject_kind == SubjectKind.LEADERSHIP:
            return str(_("Committee of %(unit)s")) % {"unit": unit_name}
        return unit_name


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL = "dismissal", _("Dismissal from post")
    EXPULSION = "expulsion", _("Expulsion")


class Discipline(models.Model):
    """A disciplinary measure (kỷ luật) on a member, for a violation in a given year. The member's
    rating of that year cannot be above "Did not complete tasks"; one decided earlier is re-rated."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="disciplines", verbose_name=_("party member")
    )
    form = models.CharField(_("form"), max_length=12, choices=DisciplineForm.choices)
    year = models.PositiveSmallIntegerField(_("year of the violation"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    document = models.CharField(_("document"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["member", "year"], name="discipline_member_year_idx")]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.get_form_display()} – {self.member} ({self.year})"


class AwardToReview(models.Model):
    """A recognition that rested on a rating a discipline later lowered: the granting body reviews
    (and usually revokes) it. Lan Tỏa flags it; revoking stays a decision of that body."""

    recognition = models.ForeignKey(
        "honours.Recognition", on_delete=models.CASCADE, related_name="+", verbose_name=_("recognition")
    )
    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="awards_to_review", verbose_name=_("rating")
    )
    flagged_on = models.DateField(_("flagged on"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-flagged_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recognition", "rating"], name="award_review_once"),
        ]
        verbose_name = _("award to review")
        verbose_name_plural = _("awards to review")

    def __str__(self) -> str:
        return f"{self.recognition_id} ({self.reason})"


class LabelKind(models.Model):
    """A label a Party organisation can be granted for a year, in force between two dates:
    "Trong sạch, vững mạnh" (a label since 2018, before that a level), "Trong sạch, vững mạnh
    toàn diện" (the term resolutions' measure), "Hoàn thành xuất sắc nhiệm vụ tiêu biểu"."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    requires_level = models.CharField(
        _("needs the year's rating"), max_length=12, choices=Level.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["valid_from", "name"]
        verbose_name = _("label kind")
        verbose_name_plural = _("label kinds")

    def __str__(self) -> str:
        return self.name


class UnitLabel(models.Model):
    """A unit holds a label for a year, granted by a committee above it on a date."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="labels", verbose_name=_("unit"))
    kind = models.ForeignKey(
        LabelKind, on_delete=models.PROTECT, related_name="grants", verbose_name=_("label")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    granted_on = models.DateField(_("granted on"))
    granted_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )
    document = models.CharField(_("document"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "unit_id"]
        indexes = [models.Index(fields=["kind", "year"], name="unit_label_kind_year_idx")]
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="unit_label_once")]
        verbose_name = _("unit label")
        verbose_name_plural = _("unit labels")

    def __str__(self) -> str:
        return f"{self.kind} – {self.unit} ({self.year})"


class Indicator(models.TextChoices):
    """How a target's actual is obtained: counted from the records, or entered with evidence."""

    CELLS_LABELLED = "cells_labelled", _("Hamlet and quarter cells holding a label in the year")
    MEMBERS_EXCELLENT = "members_excellent", _("Share of members rated “Completed tasks excellently”")
    ORGANISATIONS_EXCELLENT = (
        "orgs_excellent",
        _("Share of Party organisations rated “Completed tasks excellently”"),
    )
    PRACTICES_REPLICATED = "practices", _("Good practices taken up by units in the year")
    ENTERED = "entered", _("Entered with evidence")


class TermTarget(models.Model):
    """One target of a term resolution (chỉ tiêu nghị quyết đại hội): what is measured, the target
    value and its unit of measure. Its actual comes from the records or is entered by year."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="targets", verbose_name=_("term"))
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("target as the resolution words it"), max_length=300)
    indicator = models.CharField(_("how the actual is obtained"), max_length=20, choices=Indicator.choices)
    label = models.ForeignKey(
        LabelKind,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("label counted"),
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    measure = models.CharField(_("unit of measure"), max_length=40, help_text=_("e.g. chi bộ, %, mô hình"))

    class Meta:
        ordering = ["term_id", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(target__gt=0), name="term_target_positive")]
        verbose_name = _("term target")
        verbose_name_plural = _("term targets")

    def __str__(self) -> str:
        return self.text


class TargetActual(models.Model):
    """The actual of an entered target for one year, with what proves it."""

    target = models.ForeignKey(
        TermTarget, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("target")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("actual"), max_digits=12, decimal_places=2)
    evidence = models.TextField(_("evidence"))
    entered_on = models.DateField(_("entered on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["target_id", "year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="target_actual_once")]
        verbose_name = _("actual of a target")
        verbose_name_plural = _("actuals of targets")

    def __str__(self) -> str:
        return f"{self.target} – {self.year}: {self.value}"
