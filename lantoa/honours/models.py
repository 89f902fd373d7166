"""Exemplary people and collectives: nominations (giới thiệu), and the votes (bình xét) that pass
them at a meeting, under rules kept as dated data.

A nomination names one subject: a person (party member or not), a Party unit of the tree, or a
collective outside it (a mass organisation, an agency) by name. A voting round is one agenda item
of a meeting; its voters are the full members present by that meeting's attendance, frozen when the
round opens; each nominee gets one tally. Once closed, results do not change.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.cells.models import AgendaItem, Meeting
from lantoa.documents.models import Campaign, Commitment, Theme
from lantoa.org.models import PartyMember, Person, Unit

from . import tally


class PeriodKind(models.TextChoices):
    MONTH = "month", _("A month")
    YEAR = "year", _("A year")
    YEARS = "years", _("Several years")
    CAMPAIGN = "campaign", _("A theme or campaign")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    PASSED = "passed", _("Passed by vote")
    NOT_PASSED = "not_passed", _("Not passed")
    FORWARDED = "forwarded", _("Proposed to the level above")
    RECOGNISED = "recognised", _("Recognised by decision")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Nomination(models.Model):
    """A unit puts forward someone (or a collective) as an example for a period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("nominating unit")
    )
    subject_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("person nominated"),
    )
    subject_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations_received",
        verbose_name=_("Party unit nominated"),
    )
    subject_name = models.CharField(
        _("collective nominated"),
        max_length=200,
        blank=True,
        help_text=_("A mass organisation or agency outside the Party tree, by its name."),
    )
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("theme")
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campaign"),
    )
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="nominations", verbose_name=_("commitments kept")
    )
    achievements = models.TextField(_("achievements"))
    status = models.CharField(
        _("status"), max_length=12, choices=NominationStatus.choices, default=NominationStatus.NOMINATED
    )
    # The unit considering it now: the nominating unit, then each committee it is proposed to.
    holder = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="nominations_held", verbose_name=_("considered by")
    )
    nominated_on = models.DateField(_("nominated on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["-nominated_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-nominated_on"], name="nomination_unit_idx"),
            models.Index(fields=["holder", "status"], name="nomination_holder_idx"),
            models.Index(fields=["subject_person", "period_start"], name="nomination_person_idx"),
            models.Index(fields=["subject_unit", "period_start"], name="nomination_subject_unit_idx"),
        ]
        constraints = [
            # Exactly one subject: a person, a unit of the tree, or a collective by name.
            models.CheckConstraint(
                condition=(
                    Q(subject_person__isnull=False, subject_unit__isnull=True, subject_name="")
                    | Q(subject_person__isnull=True, subject_unit__isnull=False, subject_name="")
                    | (Q(subject_person__isnull=True, subject_unit__isnull=True) & ~Q(subject_name=""))
                ),
                name="nomination_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="nomination_period_ordered"
            ),
        ]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return self.subject_label

    @property
    def subject_label(self) -> str:
        if self.subject_person is not None:
            return self.subject_person.full_name
        if self.subject_unit is not None:
            return self.subject_unit.name
        return self.subject_name

    @property
    def is_individual(self) -> bool:
        return self.subject_person_id is not None


class NominationEvidence(models.Model):
    """A file that backs the achievements (a photo, a certificate, a report)."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("nomination")
    )
    file = models.FileField(_("file"), upload_to="honours/evidence/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    dated = models.DateField(_("dated"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["nomination_id", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class NominationStep(models.Model):
    """One line of a nomination's timeline: nominated, voted, proposed upward, decided."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="steps", verbose_name=_("nomination")
    )
    day = models.DateField(_("date"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=12, choices=NominationStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["nomination_id", "day", "id"]
        verbose_name = _("nomination step")
        verbose_name_plural = _("nomination steps")

    def __str__(self) -> str:
        return f"{self.day} {self.get_status_display()}"


class VoteBody(models.TextChoices):
    CELL = "cell", _("Party cell")
    COMMITTEE = "committee", _("Party committee")
    COUNCIL = "council", _("Emulation and commendation council")


class VoteMethod(models.TextChoices):
    HANDS = "hands", _("Show of hands")
    SECRET = "secret", _("Secret ballot")


class VoteBase(models.TextChoices):
    PRESENT = tally.BASE_PRESENT, _("Members present")
    BODY = tally.BASE_BODY, _("All members of the body")


class VoteRuleSet(models.Model):
    """How a body votes, from a date: quorum, what the percentage is of, the pass mark, the method.
    Chosen by the body and the meeting's date, never by an ``if year`` in code."""

    name = models.CharField(_("name"), max_length=200)
    body = models.CharField(_("body"), max_length=10, choices=VoteBody.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"))
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"))
    quorum_strict = models.BooleanField(_("quorum: more than (not at least)"), default=True)
    base = models.CharField(_("percentage of"), max_length=10, choices=VoteBase.choices)
    pass_numerator = models.PositiveSmallIntegerField(_("pass mark: numerator"))
    pass_denominator = models.PositiveSmallIntegerField(_("pass mark: denominator"))
    pass_strict = models.BooleanField(_("pass mark: more than (not at least)"), default=True)
    method = models.CharField(_("method"), max_length=10, choices=VoteMethod.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["body", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0) & Q(pass_denominator__gt=0),
                name="vote_rule_denominators_positive",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="vote_rule_valid_range",
            ),
        ]
        verbose_name = _("voting rule set")
        verbose_name_plural = _("voting rule sets")

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> tally.VoteRule:
        return tally.VoteRule(
            quorum=tally.Fraction(self.quorum_numerator, self.quorum_denominator, self.quorum_strict),
            base=self.base,
            threshold=tally.Fraction(self.pass_numerator, self.pass_denominator, self.pass_strict),
        )


class RoundStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", pgettext_lazy("vote", "Published")


class VotingRound(models.Model):
    """A bình xét at a meeting: one agenda item, its voters frozen when it opens, one tally per
    nominee, results frozen once closed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="voting_rounds", verbose_name=_("meeting")
    )
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="voting_round", verbose_name=_("agenda item")
    )
    rules = models.ForeignKey(
        VoteRuleSet, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("voting rules")
    )
    method = models.CharField(_("method"), max_length=10, choices=VoteMethod.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.PREPARED
    )
    # Frozen when the round opens.
    body_size = models.PositiveSmallIntegerField(_("members of the body"), null=True, blank=True)
    slips_issued = models.PositiveSmallIntegerField(_("slips issued"), null=True, blank=True)
    slips_returned = models.PositiveSmallIntegerField(_("slips returned"), null=True, blank=True)
    slips_valid = models.PositiveSmallIntegerField(_("valid slips"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slips_returned__isnull=True)
                | Q(slips_issued__isnull=True)
                | Q(slips_returned__lte=F("slips_issued")),
                name="round_slips_returned_le_issued",
            ),
            models.CheckConstraint(
                condition=Q(slips_valid__isnull=True)
                | Q(slips_returned__isnull=True)
                | Q(slips_valid__lte=F("slips_returned")),
                name="round_slips_valid_le_returned",
            ),
        ]
        verbose_name = _("voting round")
        verbose_name_plural = _("voting rounds")

    def __str__(self) -> str:
        return f"{self.item.title} – {self.meeting}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


class RoundVoter(models.Model):
    """A full member present when the round opened: entitled to vote in it."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="voters", verbose_name=_("voting round")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("party member")
    )

    class Meta:
        ordering = ["round_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="round_voter_once")]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self) -> str:
        return str(self.member)


class RoundNominee(models.Model):
    """One nominee's tally in a round, and its result once the round closes."""

    round = models.ForeignKey(
        VotingRound, on_delete=models.CASCADE, related_name="nominees", verbose_name=_("voting round")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="round_entries", verbose_name=_("nomination")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    recused = models.BooleanField(_("stands aside for own name"), default=False)
    votes_for = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstaining or blank"), null=True, blank=True)
    # The result, written when the round closes.
    percent = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "nomination"], name="round_nominee_once"),
        ]
        verbose_name = _("nominee in a round")
        verbose_name_plural = _("nominees in a round")

    def __str__(self) -> str:
        return str(self.nomination)


class Proposal(models.Model):
    """A unit proposes passed nominations to a committee above it (tờ trình, with the list): the
    committee votes or decides on them in turn. The tờ trình is a numbered document of the
    register; the dossier adds each nominee's achievements and the voting minutes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="proposals_sent", verbose_name=_("proposed by")
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="proposals_received", verbose_name=_("proposed to")
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="honours_proposal",
        verbose_name=_("submission (tờ trình)"),
    )
    proposed_on = models.DateField(_("proposed on"))
    nominations = models.ManyToManyField(Nomination, related_name="proposals", verbose_name=_("nominations"))

    class Meta:
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["to_unit", "-proposed_on"], name="proposal_to_unit_idx")]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.document} – {self.to_unit}"


class PracticeKind(models.TextChoices):
    MODEL = "model", _("Model (mô hình)")
    METHOD = "method", _("Good way of working (cách làm hay)")
    INITIATIVE = "initiative", _("Initiative (sáng tạo)")


class GoodPractice(models.Model):
    """A good practice a unit started, what it achieved, and the units that took it up: what
    reports cite and other cells copy."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PracticeKind.choices, default=PracticeKind.MODEL
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="good_practices", verbose_name=_("originating unit")
    )
    started_on = models.DateField(_("started on"))
    description = models.TextField(_("description"))
    results = models.TextField(_("results"), blank=True, help_text=_("One dated line per result."))
    search_text = models.CharField(
        max_length=800, editable=False, db_index=True, default="", verbose_name=_("search text")
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["unit", "-started_on"], name="practice_unit_idx")]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title


class Replication(models.Model):
    """Another unit took the practice up, from a date."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="replications", verbose_name=_("good practice")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    started_on = models.DateField(_("started on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["practice_id", "started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "unit"], name="replication_once_per_unit")]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")

    def __str__(self) -> str:
        return f"{self.practice} – {self.unit}"


# ---------------------------------------------------------------------------------------------
# Decisions: who may grant what (dated rule sets), the amounts (dated coefficients and base
# salary), the decisions themselves, their recognitions and certificates.
# ---------------------------------------------------------------------------------------------


class RecognitionKind(models.TextChoices):
    INTRODUCE = "introduce", _("Introduce as an example (giới thiệu)")
    PRAISE = "praise", _("Praise (biểu dương)")
    REWARD = "reward", _("Reward (khen thưởng)")


class SubjectKind(models.TextChoices):
    """Whom an authority rule covers."""

    MEMBER = "member", _("Party member")
    PERSON = "person", _("Person outside the Party")
    PARTY_UNIT = "party_unit", _("Party organisation")
    COLLECTIVE = "collective", _("Other collective")


COLLECTIVE_SUBJECTS = frozenset({SubjectKind.PARTY_UNIT, SubjectKind.COLLECTIVE})
SUBJECT_KEY_MAX = 250


def subject_key(nomination: Nomination) -> str:
    """Who a nomination names, as one string: "p:<person id>", "u:<Party unit id>", or "n:" and the
    collective's name stripped and casefolded. The figures count distinct subjects on it in SQL,
    where SQLite's lower() leaves Vietnamese letters as they are, so the folding is done here."""
    if nomination.subject_person_id is not None:
        return f"p:{nomination.subject_person_id}"
    if nomination.subject_unit_id is not None:
        return f"u:{nomination.subject_unit_id}"
    return f"n:{nomination.subject_name.strip().casefold()}"[:SUBJECT_KEY_MAX]


class AwardForm(models.Model):
    """A form of reward (hình thức): giấy khen, bằng khen, cờ, huy hiệu … of the Party or the State."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    system = models.CharField(
        _("system"), max_length=10, choices=[("party", _("Party")), ("state", _("State"))]
    )

    class Meta:
        ordering = ["system", "name"]
        verbose_name = _("form of reward")
        verbose_name_plural = _("forms of reward")

    def __str__(self) -> str:
        return self.name


class EmulationTitle(models.Model):
    """A State emulation title (danh hiệu thi đua): a separate axis from the form of reward."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    for_collectives = models.BooleanField(_("for collectives"), default=False)

    class Meta:
        ordering = ["for_collectives", "name"]
        verbose_name = _("emulation title")
        verbose_name_plural = _("emulation titles")

    def __str__(self) -> str:
        return self.name


class AwardRate(models.Model):
    """The money that goes with a form or a title, as a multiple of the base salary, from a date."""

    form = models.ForeignKey(
        AwardForm,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rates",
        verbose_name=_("form"),
    )
    title = models.ForeignKey(
        EmulationTitle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rates",
        verbose_name=_("title"),
    )
    collective = models.BooleanField(_("for a collective"), default=False)
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(form__isnull=False, title__isnull=True)
                | Q(form__isnull=True, title__isnull=False),
                name="award_rate_form_or_title",
            ),
        ]
        verbose_name = _("award rate")
        verbose_name_plural = _("award rates")

    def __str__(self) -> str:
        return f"{self.form or self.title} × {self.coefficient}"


class BaseSalary(models.Model):
    """Mức lương cơ sở in đồng a month, from a date until the next row."""

    amount = models.PositiveIntegerField(_("amount (đồng a month)"))
    valid_from = models.DateField(_("valid from"), unique=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self) -> str:
        return f"{self.amount} ({self.valid_from})"


class AwardAuthority(models.Model):
    """One thing a kind of body may grant, to one kind of subject, in a period (rules-vn §3).
    A decision is allowed only when a row covers each of its subjects on its date."""

    granting_kind = models.CharField(
        _("granting body"), max_length=20, choices=Unit._meta.get_field("kind").choices
    )
    kind = models.CharField(_("recognition"), max_length=10, choices=RecognitionKind.choices)
    form = models.ForeignKey(
        AwardForm, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("form")
    )
    title = models.ForeignKey(
        EmulationTitle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("title"),
    )
    subject = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["granting_kind", "kind", "valid_from", "id"]
        indexes = [models.Index(fields=["granting_kind", "kind"], name="award_authority_kind_idx")]
        verbose_name = _("award authority")
        verbose_name_plural = _("award authorities")

    def __str__(self) -> str:
        return f"{self.granting_kind}: {self.kind} {self.form or self.title or ''} → {self.subject}"


class Decision(models.Model):
    """A numbered decision (QĐ) of a body introducing, praising or rewarding a list of subjects."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="honours_decisions", verbose_name=_("granting body")
    )
    kind = models.CharField(_("recognition"), max_length=10, choices=RecognitionKind.choices)
    form = models.ForeignKey(
        AwardForm, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("form")
    )
    title = models.ForeignKey(
        EmulationTitle,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("title"),
    )
    periodic = models.BooleanField(
        _("periodic (for the year's results)"),
        default=True,
        help_text=_(
            "A Party periodic reward needs the subject rated “Hoàn thành xuất sắc nhiệm vụ” that year."
        ),
    )
    year = models.PositiveSmallIntegerField(_("for the year"))
    reason = models.CharField(_("for"), max_length=300)
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="honours_decision",
        verbose_name=_("decision"),
    )
    decided_on = models.DateField(_("decided on"))
    base_salary = models.PositiveIntegerField(_("base salary applied"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["unit", "-decided_on"], name="decision_unit_idx")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.document.number_line

    @property
    def award_label(self) -> str:
        """ "Giấy khen", "Lao động tiên tiến", "Giấy khen · Lao động tiên tiến" or the kind."""
        parts = [str(p) for p in (self.form, self.title) if p is not None]
        return " · ".join(parts) or self.get_kind_display()


class Recognition(models.Model):
    """One subject in one decision: what a count of recognitions counts."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("decision")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("nomination")
    )
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    subject_label = models.CharField(_("name"), max_length=200)
    # ``subject_key(nomination)``, written with the row: the same subject across decisions. Set by
    # whoever builds the row (bulk_create calls no save()); the constraint below refuses it empty.
    subject_key = models.CharField(_("subject"), max_length=SUBJECT_KEY_MAX, editable=False)
    achievement = models.TextField(_("achievement"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["decision_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "nomination"], name="recognition_once_per_decision"),
            # Keyless rows would all count as one subject.
            models.CheckConstraint(condition=~Q(subject_key=""), name="recognition_subject_key_set"),
        ]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return self.subject_label

    @property
    def is_collective(self) -> bool:
        return self.subject_kind in COLLECTIVE_SUBJECTS


class Certificate(models.Model):
    """The paper an awardee receives: a serial within its decision, a verification code, and the
    words printed on it, frozen when it is issued (a reprint prints the same)."""

    recognition = models.OneToOneField(
        Recognition, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("recognition")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("decision")
    )
    serial = models.PositiveIntegerField(_("serial"))
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # What is printed, frozen.
    holder_name = models.CharField(_("awarded to"), max_length=200)
    holder_unit = models.CharField(_("of"), max_length=200, blank=True)
    achievement = models.TextField(_("achievement"))
    award = models.CharField(_("award"), max_length=200)
    granting_body = models.CharField(_("granted by"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    signing_form = models.CharField(_("signing form"), max_length=3, blank=True)
    signing_body = models.CharField(_("on behalf of"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)

    class Meta:
        ordering = ["decision_id", "serial"]
        constraints = [models.UniqueConstraint(fields=["decision", "serial"], name="certificate_serial_once")]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.serial_label} {self.holder_name}"

    @property
    def serial_label(self) -> str:
        """ "125-QĐ/HU · 007": the decision's symbol and the certificate's place in it."""
        return f"{self.decision_number.removeprefix('Số ')} · {self.serial:03}"


class CertificatePrint(models.Model):
    """Every time a certificate is downloaded to print: the first print and each reprint."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="prints", verbose_name=_("certificate")
    )
    printed_at = models.DateTimeField(_("printed at"), auto_now_add=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("printed by"),
    )
    file_format = models.CharField(_("format"), max_length=4)
    bulk = models.BooleanField(_("with the whole decision"), default=False)

    class Meta:
        ordering = ["certificate_id", "printed_at", "id"]
        verbose_name = _("certificate print")
        verbose_name_plural = _("certificate prints")

    def __str__(self) -> str:
        return f"{self.certificate} ({self.file_format})"


# ---------------------------------------------------------------------------------------------
# The year-end council's list
# ---------------------------------------------------------------------------------------------


class CouncilList(models.Model):
    """What a unit's year-end council considers: assembled from the votes of its subtree over the
    year, then curated by the propaganda staff (additions and removals, each with its reason)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="council_lists", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    assembled_on = models.DateField(_("assembled on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("made by"),
    )

    class Meta:
        ordering = ["-year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="council_list_once_a_year")]
        verbose_name = _("council list")
        verbose_name_plural = _("council lists")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class CouncilEntry(models.Model):
    """One subject on the council's list: the months it was recognised, its nominations, passed
    votes and kept commitments that year; the nomination the council votes and decides on."""

    council_list = models.ForeignKey(
        CouncilList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("council list")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="council_entries", verbose_name=_("nomination")
    )
    subject_label = models.CharField(_("name"), max_length=200)
    is_collective = models.BooleanField(_("collective"), default=False)
    months = models.CharField(_("months recognised"), max_length=40, blank=True, help_text=_("e.g. 2,5,11"))
    nominations_count = models.PositiveSmallIntegerField(_("nominations"), default=0)
    votes_passed = models.PositiveSmallIntegerField(_("votes passed"), default=0)
    commitments_kept = models.PositiveSmallIntegerField(_("commitments kept"), default=0)
    commitments_count = models.PositiveSmallIntegerField(_("commitments"), default=0)
    added_reason = models.CharField(_("reason for adding"), max_length=300, blank=True)
    removed_reason = models.CharField(_("reason for removing"), max_length=300, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        ordering = ["council_list_id", "is_collective", "subject_label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council_list", "nomination"], name="council_entry_once")
        ]
        verbose_name = _("council list entry")
        verbose_name_plural = _("council list entries")

    def __str__(self) -> str:
        return self.subject_label

    @property
    def month_list(self) -> list[int]:
        return [int(m) for m in self.months.split(",") if m]


class CertificateTemplate(models.Model):
    """An office's own Word template for its certificates (restyled in Word, the {{ fields }}
    kept): used for the decisions of its unit and of the units under it that have none."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="certificate_templates", verbose_name=_("unit")
    )
    content = models.BinaryField(_("Word file"))
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["unit_id", "-uploaded_at", "-id"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.original_name
