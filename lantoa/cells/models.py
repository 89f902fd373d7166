"""Cell life: monthly and thematic meetings with their agenda, attendance and minutes; study
material; the internal bulletin and who writes for it.

A meeting moves planned → held → approved. Once the chair approves the minutes, attendance and
minutes are frozen: later corrections are explicit amendments with a reason, kept in the audit
trail (Hướng dẫn 12-HD/BTCTW: minutes are kept as a long-term record).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lantoa.documents.models import Document, Theme
from lantoa.lib.vi import format_month
from lantoa.org.models import PartyMember, Person, Unit

# ---------------------------------------------------------------------------------------------
# Rules with dates
# ---------------------------------------------------------------------------------------------


class MeetingDurationRule(models.Model):
    """How long a cell meeting must last, from a date on (Hướng dẫn 42-HD/BTCTW, 28/10/2025:
    at least 90 minutes, 120 when a regular and a thematic meeting are held together). A shorter
    meeting is recorded with a warning, never refused. Chosen by the meeting's date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    min_regular_minutes = models.PositiveSmallIntegerField(
        _("minimum minutes, regular or thematic"), null=True, blank=True
    )
    min_combined_minutes = models.PositiveSmallIntegerField(
        _("minimum minutes, combined"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("meeting duration rule")
        verbose_name_plural = _("meeting duration rules")

    def __str__(self) -> str:
        return self.source


# ---------------------------------------------------------------------------------------------
# Study material
# ---------------------------------------------------------------------------------------------


class MaterialKind(models.TextChoices):
    ARTICLE = "article", _("Article or story")
    VIDEO = "video", _("Video")
    FILE = "file", _("Document or file")


class StudyMaterial(models.Model):
    """Something shared to study: a story about Bác, a video clip, a document. Owned by the unit
    that shared it; shared upward it joins the district's library for every cell to use."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="materials", verbose_name=_("unit"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.ARTICLE
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("short summary"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="materials", verbose_name=_("themes"))
    source_document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
        verbose_name=_("source document"),
    )
    shared_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_on = models.DateField(_("shared on"))
    in_library = models.BooleanField(_("in the district's library"), default=True)
    search_text = models.CharField(
        max_length=800, editable=False, db_index=True, default="", verbose_name=_("search text")
    )

    class Meta:
        ordering = ["-shared_on", "-id"]
        indexes = [models.Index(fields=["unit", "-shared_on"], name="material_unit_idx")]
        verbose_name = _("study material")
        verbose_name_plural = _("study materials")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    COMBINED = "combined", _("Regular and thematic together")
    COUNCIL = "council", _("Session of the emulation and commendation council")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, minutes in draft")
    APPROVED = "approved", _("Minutes approved")


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("unit"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    # The month the meeting counts for (a January meeting held on 2 February still counts for January).
    period = models.DateField(_("month"), help_text=_("First day of the month the meeting is for."))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic (thematic meeting)"), max_length=300, blank=True)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chair")
    )
    clerk = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("clerk")
    )
    upper_member = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("upper committee member following the cell"),
    )
    guests = models.TextField(_("other guests"), blank=True, help_text=_("One per line."))
    resolution = models.TextField(_("resolution of the meeting"), blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED, verbose_name=_("status")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["unit", "period"], name="meeting_unit_period_idx"),
            models.Index(fields=["period", "kind"], name="meeting_period_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_month(self.period)} – {self.unit}"

    @property
    def is_frozen(self) -> bool:
        return self.status == MeetingStatus.APPROVED

    @property
    def minutes(self) -> int | None:
        if self.starts_at is None or self.ends_at is None:
            return None
        start = dt.datetime.combine(self.date, self.starts_at)
        end = dt.datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)


class AgendaKind(models.TextChoices):
    STUDY = "study", _("Studying and following Hồ Chí Minh's thought, morality and style")
    CURRENT = "current", _("Current affairs and documents from above")
    REVIEW = "review", _("Last month's work")
    TASKS = "tasks", _("Next month's tasks")
    THEMATIC = "thematic", _("Thematic topic")
    OTHER = "other", _("Other business")


class AgendaItem(models.Model):
    """One item of the agenda and, once held, what was said and decided on it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    kind = models.CharField(
        max_length=10, choices=AgendaKind.choices, default=AgendaKind.OTHER, verbose_name=_("kind")
    )
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("presented by"),
    )
    content = models.TextField(_("content"), blank=True)
    conclusion = models.TextField(_("chair's conclusion"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField(_("voters"), null=True, blank=True)
    materials = models.ManyToManyField(
        StudyMaterial, blank=True, related_name="agenda_items", verbose_name=_("study materials")
    )

    class Meta:
        ordering = ["meeting_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique"),
            models.CheckConstraint(
                condition=Q(votes_total__isnull=True)
                | Q(votes_for__isnull=True)
                | Q(votes_against__isnull=True)
                | Q(votes_total__gte=F("votes_for") + F("votes_against")),
                name="agenda_votes_add_up",
            ),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    """A member's contribution on an agenda item, by name (the minutes record who said what)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("agenda item")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    text = models.TextField(verbose_name=_("what was said"))
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["item_id", "order", "id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:80]}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with reason")
    UNEXCUSED = "unexcused", _("Absent without reason")
    EXEMPT = "exempt", _("Exempt from activity")
    ELSEWHERE = "elsewhere", _("Temporarily attending elsewhere")


class Attendance(models.Model):
    """One member at one meeting. The list is the cell's members on the meeting's date."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("party member")
    )
    status = models.CharField(
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
        verbose_name=_("status"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Whether the member was a full member on the meeting date, kept so totals do not change if
    # the membership dates are corrected later.
    full_member = models.BooleanField(default=True, verbose_name=_("full member"))

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member")
        ]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_idx")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.member} – {self.get_status_display()}"


# ---------------------------------------------------------------------------------------------
# Internal bulletin
# ---------------------------------------------------------------------------------------------


class BulletinIssue(models.Model):
    """An issue of the district's internal bulletin (Bản tin sinh hoạt nội bộ), monthly by default."""

    class Status(models.TextChoices):
        OPEN = "open", _("Collecting articles")
        PUBLISHED = "published", _("Published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="bulletin_issues", verbose_name=_("unit")
    )
    number = models.PositiveIntegerField(_("issue number"))
    period = models.DateField(_("month"))
    title = models.CharField(_("title"), max_length=200, default="Bản tin sinh hoạt nội bộ")
    deadline = models.DateField(_("articles due by"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("status")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="bulletin_one_issue_per_month"),
            models.UniqueConstraint(fields=["unit", "number"], name="bulletin_number_unique"),
        ]
        verbose_name = _("bulletin issue")
        verbose_name_plural = _("bulletin issues")

    def __str__(self) -> str:
        return f"{self.title} số {self.number} ({format_month(self.period)})"


class ArticleStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SUBMITTED = "submitted", _("Submitted")
    EDITED = "edited", _("Edited, accepted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    CANCELLED = "cancelled", _("Cancelled")


class Article(models.Model):
    """A member's article for an issue: assigned by the cell, written, edited, published."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    issue = models.ForeignKey(
        BulletinIssue, on_delete=models.PROTECT, related_name="articles", verbose_name=_("bulletin issue")
    )
    cell = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="articles", verbose_name=_("cell"))
    author = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="articles", verbose_name=_("author")
    )
    topic = models.CharField(_("topic"), max_length=300)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="articles/%Y/", blank=True)
    status = models.CharField(
        max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.ASSIGNED, verbose_name=_("status")
    )
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due"))
    submitted_on = models.DateField(null=True, blank=True, verbose_name=_("submitted on"))
    comment = models.TextField(_("editor's comment"), blank=True)
    assigned_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="article_assignments",
        verbose_name=_("assigned at the meeting"),
    )
    by_rotation = models.BooleanField(_("suggested by the rotation"), default=False)
    # Where the editor places an accepted article in the printed issue (1 first).
    order = models.PositiveSmallIntegerField(_("order in the issue"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_on", "id"]
        indexes = [
            models.Index(fields=["cell", "author", "-assigned_on"], name="article_rotation_idx"),
            models.Index(fields=["issue", "status"], name="article_issue_idx"),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title or self.topic
