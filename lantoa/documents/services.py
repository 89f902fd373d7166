"""Writing the document register, themes, obligations, filings and commitments. Each function
checks the move, writes, and records the audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_delete, record_update, snapshot
from lantoa.lib.text import fold
from lantoa.lib.vi import format_date
from lantoa.org.models import PartyMember, StaffBody, Unit
from lantoa.org.queries import staff_body_name_on

from . import queries
from .models import (
    Attachment,
    Campaign,
    Commitment,
    Document,
    DocumentSystem,
    Filing,
    Obligation,
    Term,
    Theme,
)
from .numbering import allocate_number, format_number_line, note_used_number

DOCUMENT_FIELDS = (
    "issuer_name",
    "issuer_code",
    "type_code",
    "number",
    "issued_on",
    "place",
    "summary",
    "signing_form",
    "signing_body",
    "signer_title",
    "signer_name",
    "recipients",
)
ALLOWED_UPLOADS = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Issuer:
    """Who signs a document: a unit of the tree, or a staff body of one (Ban Tuyên giáo …)."""

    unit: Unit
    staff_body: StaffBody | None = None

    @property
    def key(self) -> str:
        return f"staff:{self.staff_body.pk}" if self.staff_body else f"unit:{self.unit.pk}"

    def name_on(self, day: dt.date) -> str:
        if self.staff_body is not None:
            name = staff_body_name_on(self.staff_body.pk, day)
            return f"{name.name if name else self.staff_body.get_kind_display()} {self.unit.name}"
        return self.unit.name

    def code_on(self, day: dt.date) -> str:
        if self.staff_body is not None:
            name = staff_body_name_on(self.staff_body.pk, day)
            if name is None:
                raise ValidationError(
                    _("%(body)s has no name and code on %(date)s.")
                    % {"body": self.staff_body, "date": format_date(day)}
                )
            return name.code
        if not self.unit.short_code:
            raise ValidationError(
                _("%(unit)s has no short code for document symbols; add one first.")
                % {"unit": self.unit.name}
            )
        return self.unit.short_code


def _period_key(system: str, term: Term | None, year: int) -> str:
    return f"term:{term.pk}" if system == DocumentSystem.PARTY and term else f"year:{year}"


def _identity(issuer_key: str, type_code: str, number: int, period_key: str) -> str:
    return f"{issuer_key}|{type_code}|{number}|{period_key}"


def _search_text(document: Document) -> str:
    return queries.search_key(f"{document.symbol} {document.summary} {document.issuer_name}")[:800]


@transaction.atomic
def issue_document(
    *,
    actor: Any,
    issuer: Issuer,
    type_code: str,
    issued_on: dt.date,
    summary: str,
    system: str = DocumentSystem.PARTY,
    number: int | None = None,
    place: str = "",
    body: str = "",
    signing_form: str = "",
    signing_body: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: str = "",
    implements: Iterable[Document] = (),
) -> Document:
    """Register a document of a unit (or staff body) in our tree.

    Without ``number`` the next free number of the term (Party) or year (State) is taken; with
    one (an older paper document being registered), it must not be taken already.
    """
    type_code = type_code.strip()
    if not summary.strip():
        raise ValidationError({"summary": _("Enter the summary (trích yếu).")})
    term = None
    if system == DocumentSystem.PARTY:
        if not issuer.unit.is_open_on(issued_on):
            raise ValidationError(
                {
                    "issued_on": _("%(unit)s does not exist on %(date)s.")
                    % {"unit": issuer.unit.name, "date": format_date(issued_on)}
                }
            )
        term = queries.term_on(issuer.unit, issued_on)
        if term is None:
            raise ValidationError(
                _(
                    "%(unit)s has no term covering %(date)s. Party documents are numbered per term: "
                    "add the term first."
                )
                % {"unit": issuer.unit.name, "date": format_date(issued_on)}
            )
    period_key = _period_key(system, term, issued_on.year)
    code = issuer.code_on(issued_on)
    if number is None:
        number = allocate_number(issuer_key=issuer.key, type_code=type_code, period_key=period_key)
    else:
        identity = _identity(issuer.key, type_code, number, period_key)
        if Document.objects.filter(identity=identity).exists():
            raise ValidationError(
                {
                    "number": _("%(line)s is already in the register.")
                    % {"line": format_number_line(system, number, type_code, code)}
                }
            )
        note_used_number(issuer_key=issuer.key, type_code=type_code, period_key=period_key, number=number)
    document = Document(
        system=system,
        issuer_unit=issuer.unit,
        issuer_staff_body=issuer.staff_body,
        issuer_name=issuer.name_on(issued_on),
        issuer_code=code,
        type_code=type_code,
        number=number,
        term=term,
        year=issued_on.year,
        issued_on=issued_on,
        place=place,
        summary=summary.strip(),
        body=body,
        signing_form=signing_form,
        signing_body=signing_body,
        signer_title=signer_title,
        signer_name=signer_name,
        recipients=recipients,
        identity=_identity(issuer.key, type_code, number, period_key),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.search_text = _search_text(document)
    document.save()
    if implements:
        document.implements.set(list(implements))
    record_create(actor=actor, obj=document, fields=DOCUMENT_FIELDS, unit=issuer.unit)
    return document


@transaction.atomic
def register_external_document(
    *,
    actor: Any,
    issuer_name: str,
    issuer_code: str,
    type_code: str,
    number: int,
    issued_on: dt.date,
    summary: str,
    term_label: str = "",
    system: str = DocumentSystem.PARTY,
    signer_name: str = "",
) -> Document:
    """A document from a body outside our tree (Bộ Chính trị, another province) for the catalogue.
    Its identity uses the printed term (khóa XIII) or the year."""
    period = term_label or str(issued_on.year)
    identity = f"ext:{fold(issuer_code)}|{type_code}|{number}|{fold(period)}"
    existing = Document.objects.filter(identity=identity).first()
    if existing is not None:
        return existing
    document = Document(
        system=system,
        issuer_name=issuer_name,
        issuer_code=issuer_code,
        type_code=type_code,
        number=number,
        term_label=term_label,
        year=issued_on.year,
        issued_on=issued_on,
        summary=summary,
        signer_name=signer_name,
        identity=identity,
    )
    document.search_text = _search_text(document)
    document.save()
    record_create(actor=actor, obj=document, fields=DOCUMENT_FIELDS)
    return document


def check_upload(uploaded: UploadedFile) -> None:
    suffix = PurePath(uploaded.name or "").suffix.lower()
    if suffix not in ALLOWED_UPLOADS:
        raise ValidationError(
            {
                "file": _("Files of type %(suffix)s are not accepted; use PDF, Word, Excel or a photo.")
                % {"suffix": suffix or "?"}
            }
        )
    if (uploaded.size or 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})


@transaction.atomic
def attach_file(
    *,
    actor: Any,
    document: Document,
    uploaded: UploadedFile,
    kind: str = Attachment.Kind.FILE,
    title: str = "",
) -> Attachment:
    check_upload(uploaded)
    attachment = Attachment(
        document=document,
        kind=kind,
        title=title,
        original_name=PurePath(uploaded.name or "file").name[:255],
        size=uploaded.size or 0,
    )
    attachment.file.save(attachment.original_name, uploaded, save=False)
    attachment.save()
    record_create(
        actor=actor,
        obj=attachment,
        fields=("kind", "title", "original_name", "size"),
        unit=document.issuer_unit,
    )
    return attachment


@transaction.atomic
def create_term(*, actor: Any, unit: Unit, name: str, starts_on: dt.date, ends_on: dt.date | None) -> Term:
    overlapping = Term.objects.filter(unit=unit, starts_on__lte=ends_on or dt.date.max).exclude(
        ends_on__lt=starts_on
    )
    if overlapping.exists():
        raise ValidationError(_("This term overlaps %(term)s.") % {"term": overlapping.first().name})  # type: ignore[union-attr]
    term = Term(unit=unit, name=name, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    record_create(actor=actor, obj=term, fields=("name", "starts_on", "ends_on"), unit=unit)
    return term


@transaction.atomic
def set_yearly_theme(
    *, actor: Any, unit: Unit, year: int, title: str, document: Document | None = None
) -> Theme:
    theme = Theme.objects.filter(unit=unit, year=year, scope=Theme.Scope.YEAR).first()
    if theme is None:
        theme = Theme.objects.create(
            scope=Theme.Scope.YEAR,
            unit=unit,
            issuer_name=unit.name,
            year=year,
            title=title,
            document=document,
        )
        record_create(actor=actor, obj=theme, fields=("year", "title", "document"), unit=unit)
        return theme
    before = snapshot(theme, ("year", "title", "document"))
    theme.title, theme.document = title, document
    theme.save(update_fields=["title", "document"])
    record_update(actor=actor, obj=theme, before=before, fields=("year", "title", "document"), unit=unit)
    return theme


@transaction.atomic
def create_campaign(
    *,
    actor: Any,
    unit: Unit | None,
    issuer_name: str,
    name: str,
    motto: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    document: Document | None = None,
) -> Campaign:
    campaign = Campaign.objects.create(
        unit=unit,
        issuer_name=issuer_name,
        name=name,
        motto=motto,
        starts_on=starts_on,
        ends_on=ends_on,
        document=document,
    )
    record_create(actor=actor, obj=campaign, fields=("name", "motto", "starts_on", "ends_on"), unit=unit)
    return campaign


@transaction.atomic
def create_obligation(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    year: int,
    deadline: dt.date,
    target_kinds: list[str],
    required_type: str = "KH",
    sources: Iterable[Document] = (),
    theme: Theme | None = None,
    note: str = "",
) -> Obligation:
    if not target_kinds:
        raise ValidationError({"target_kinds": _("Choose which kinds of units must file.")})
    if not unit.is_open_on(deadline):
        # Who must file is the tree under ``unit`` on the deadline: a closed unit has none.
        raise ValidationError(
            {
                "deadline": _("%(unit)s does not exist on %(date)s.")
                % {"unit": unit.name, "date": format_date(deadline)}
            }
        )
    obligation = Obligation.objects.create(
        unit=unit,
        title=title.strip(),
        year=year,
        deadline=deadline,
        target_kinds=sorted(set(target_kinds)),
        required_type=required_type,
        theme=theme,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    obligation.sources.set(list(sources))
    record_create(
        actor=actor,
        obj=obligation,
        fields=("title", "year", "deadline", "required_type", "target_kinds"),
        unit=unit,
    )
    return obligation


@transaction.atomic
def file_document(
    *, actor: Any, obligation: Obligation, unit: Unit, document: Document, filed_on: dt.date | None = None
) -> Filing:
    """``unit`` answers ``obligation`` with ``document`` (its plan or report)."""
    if unit.pk not in queries.obligated_unit_ids(obligation):
        raise ValidationError(
            _("%(unit)s is not among the units that must file for this.") % {"unit": unit.name}
        )
    if document.issuer_unit_id != unit.pk:
        raise ValidationError(_("The document must be issued by %(unit)s itself.") % {"unit": unit.name})
    if document.type_code != obligation.required_type:
        raise ValidationError(
            _("This obligation asks for a document of type %(type)s.") % {"type": obligation.required_type}
        )
    if Filing.objects.filter(obligation=obligation, unit=unit).exists():
        raise ValidationError(_("%(unit)s has already filed for this.") % {"unit": unit.name})
    today = timezone.localdate()
    filed_on = filed_on or today
    # A plan cannot reach the committee before it is signed, nor on a day still to come: the two
    # bounds keep "on time" honest without asking anyone to prove the day it arrived.
    if filed_on < document.issued_on or filed_on > today:
        raise ValidationError(
            {
                "filed_on": _("The filing date must lie between the plan's date (%(issued)s) and today.")
                % {"issued": format_date(document.issued_on)}
            }
        )
    filing = Filing.objects.create(
        obligation=obligation,
        unit=unit,
        document=document,
        filed_on=filed_on,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_create(actor=actor, obj=filing, fields=("obligation", "unit", "document", "filed_on"), unit=unit)
    return filing


def commitments_closed_reason(*, year: int, today: dt.date, officer: bool, assessed: bool) -> str | None:
    """Why the commitments of ``year`` cannot be changed now, or None when they can.

    A member registers and rewords their own commitments during the year itself; the cell's
    officers may still correct a past year (a late registration, a wording taken down on paper).
    Nobody changes a year once its year-end assessment has begun: the assessment judged the words
    as they stood. Nobody registers for a year still to come: the year's theme is not set yet.
    """
    if assessed:
        return _(
            "The year-end assessment of %(year)s has been made: its commitments can no longer be changed."
        ) % {"year": year}
    if year > today.year:
        return _("Commitments for %(year)s can be registered from 01/01/%(year)s.") % {"year": year}
    if year < today.year and not officer:
        return _(
            "The commitments of %(year)s can no longer be changed by you; if something must be corrected, "
            "ask your cell's secretary."
        ) % {"year": year}
    return None


def _check_commitments_open(*, member: PartyMember, year: int, today: dt.date, officer: bool) -> None:
    assessed = Commitment.objects.filter(member=member, year=year, done__isnull=False).exists()
    reason = commitments_closed_reason(year=year, today=today, officer=officer, assessed=assessed)
    if reason is not None:
        raise ValidationError(reason)


@transaction.atomic
def register_commitment(
    *,
    actor: Any,
    member: PartyMember,
    year: int,
    position: int,
    text: str,
    on: dt.date | None = None,
    officer: bool = False,
) -> Commitment:
    """Register or reword one of the member's (at most two) commitments for the year.

    ``on`` is the day of the change (today unless a record is being entered late); ``officer``
    says the actor writes for the member's cell, which may correct a past year (see
    ``commitments_closed_reason``)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what you commit to do.")})
    if position not in (1, 2):
        raise ValidationError({"position": _("A member registers one or two commitments a year.")})
    day = on or timezone.localdate()
    commitment = Commitment.objects.filter(member=member, year=year, position=position).first()
    if commitment is not None and commitment.text == text:
        return commitment
    _check_commitments_open(member=member, year=year, today=day, officer=officer)
    unit = queries.member_cell(member, day)
    if commitment is None:
        commitment = Commitment.objects.create(
            member=member, year=year, position=position, text=text, registered_on=day
        )
        record_create(actor=actor, obj=commitment, fields=("year", "position", "text"), unit=unit)
        return commitment
    before = snapshot(commitment, ("text",))
    commitment.text = text
    commitment.save(update_fields=["text"])
    record_update(actor=actor, obj=commitment, before=before, fields=("text",), unit=unit)
    return commitment


@transaction.atomic
def withdraw_commitment(*, actor: Any, commitment: Commitment, officer: bool = False) -> None:
    """The member keeps one commitment instead of two (under the same rule as rewording)."""
    today = timezone.localdate()
    _check_commitments_open(member=commitment.member, year=commitment.year, today=today, officer=officer)
    unit = queries.member_cell(commitment.member, today)
    record_delete(
        actor=actor, obj=commitment, before=snapshot(commitment, ("year", "position", "text")), unit=unit
    )
    commitment.delete()


@transaction.atomic
def assess_commitment(
    *, actor: Any, commitment: Commitment, done: bool, note: str = "", on: dt.date | None = None
) -> Commitment:
    fields = ("done", "outcome_note", "assessed_on")
    before = snapshot(commitment, fields)
    commitment.done, commitment.outcome_note, commitment.assessed_on = (
        done,
        note.strip(),
        on or timezone.localdate(),
    )
    commitment.save(update_fields=list(fields))
    record_update(
        actor=actor,
        obj=commitment,
        before=before,
        fields=fields,
        unit=queries.member_cell(commitment.member, commitment.assessed_on),
    )
    return commitment
