"""Decisions that introduce, praise or reward (rules-vn §3), their amounts, their revocation, and
the certificates issued from them.

Who may grant what to whom is dated data (``AwardAuthority``); so are the coefficients
(``AwardRate``) and the base salary (``BaseSalary``). A decision is a numbered QĐ of the register;
each subject is one ``Recognition`` (what the reports count). Certificates get a serial within
their decision, under a row lock so two clerks printing at once never share one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantoa.audit.services import record_create, record_update, snapshot
from lantoa.documents.exporters import place_name
from lantoa.documents.services import Issuer, issue_document
from lantoa.lib.vi import format_date
from lantoa.org.models import NON_PARTY_KINDS, PositionTitle, Unit, UnitKind
from lantoa.org.queries import current_membership, positions_on
from lantoa.ratings.models import Level
from lantoa.ratings.queries import ratings_of_subjects

from .models import (
    COLLECTIVE_SUBJECTS,
    AwardAuthority,
    AwardForm,
    AwardRate,
    BaseSalary,
    Certificate,
    Decision,
    EmulationTitle,
    Nomination,
    NominationStatus,
    Recognition,
    RecognitionKind,
    SubjectKind,
    subject_key,
)
from .services import RECORD_LANGUAGE, SIGNING_BODIES, add_step, clean_field

# What a unit may decide on: what it holds, passed by its vote, proposed to it, or already praised.
DECIDABLE = (NominationStatus.PASSED, NominationStatus.FORWARDED, NominationStatus.RECOGNISED)
# The standing committee signs a district's or a province's decisions.
STANDING_COMMITTEE_KINDS = frozenset({UnitKind.DISTRICT, UnitKind.PROVINCE})
# The words of a decision's summary, by what it does.
SUMMARY_VERBS = {
    RecognitionKind.INTRODUCE: "giới thiệu gương điển hình",
    RecognitionKind.PRAISE: "biểu dương",
    RecognitionKind.REWARD: "khen thưởng",
}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_LENGTH = 10  # 32**10 ≈ 10**15: not guessable, short enough to type
DECISION_FIELDS = ("unit", "kind", "form", "title", "periodic", "year", "reason", "document", "decided_on")
RECOGNITION_FIELDS = ("revoked_on", "revoked_reason")


def subject_kind(nomination: Nomination, day: dt.date) -> str:
    """Which authority rule covers the subject: a party member (on ``day``), another person, a
    Party organisation, or another collective."""
    if nomination.subject_person_id is not None:
        member = getattr(nomination.subject_person, "party_member", None)
        if (
            member is not None
            and member.admitted_on <= day
            and (member.left_on is None or member.left_on > day)
        ):
            return SubjectKind.MEMBER
        return SubjectKind.PERSON
    subject_unit = nomination.subject_unit
    if subject_unit is not None and UnitKind(subject_unit.kind) not in NON_PARTY_KINDS:
        return SubjectKind.PARTY_UNIT
    return SubjectKind.COLLECTIVE


def _rules_on(unit: Unit, kind: str, day: dt.date) -> list[AwardAuthority]:
    return list(
        AwardAuthority.objects.filter(granting_kind=unit.kind, kind=kind, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("form", "title")
    )


def allowed_on(unit: Unit, day: dt.date) -> list[str]:
    """What the unit may grant on ``day``, in words: "biểu dương", "khen thưởng: Giấy khen"."""
    rows = (
        AwardAuthority.objects.filter(granting_kind=unit.kind, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("form", "title")
    )
    kinds_first = (RecognitionKind.INTRODUCE, RecognitionKind.PRAISE)
    labels = [str(RecognitionKind(kind).label) for kind in kinds_first]
    words: list[str] = []
    for row in rows:
        award = row.form or row.title
        label = str(RecognitionKind(row.kind).label)
        word = f"{label}: {award}" if award else label
        if word not in words:
            words.append(word)
    return sorted(words, key=lambda w: (w not in labels, w))


def authority_problem(
    unit: Unit,
    kind: str,
    form: AwardForm | None,
    title: EmulationTitle | None,
    subjects: Sequence[tuple[str, str]],
    day: dt.date,
) -> str | None:
    """Why ``unit`` may not grant this to these ``(name, subject kind)`` on ``day``, or None."""
    rules = _rules_on(unit, kind, day)
    axes: list[tuple[str, list[AwardAuthority]]] = []
    if kind == RecognitionKind.REWARD:
        if form is not None:
            axes.append((form.name, [r for r in rules if r.form_id == form.pk]))
        if title is not None:
            axes.append((title.name, [r for r in rules if r.title_id == title.pk]))
    else:
        axes.append(
            (str(RecognitionKind(kind).label), [r for r in rules if r.form_id is None and r.title_id is None])
        )
    for award, covering in axes:
        covered = {r.subject for r in covering}
        refused = [(name, sk) for name, sk in subjects if sk not in covered]
        if refused:
            allowed = allowed_on(unit, day)
            return _(
                "%(unit)s may not grant %(award)s to %(subject)s (%(names)s) on %(date)s. "
                "It may grant: %(allowed)s."
            ) % {
                "unit": unit.name,
                "award": award,
                "subject": SubjectKind(refused[0][1]).label.lower(),
                "names": ", ".join(name for name, _kind in refused),
                "date": format_date(day),
                "allowed": "; ".join(allowed) if allowed else _("nothing"),
            }
    return None


def base_salary_on(day: dt.date) -> BaseSalary | None:
    return BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()


def coefficient_on(
    form: AwardForm | None, title: EmulationTitle | None, *, collective: bool, day: dt.date
) -> Decimal | None:
    """The multiple of the base salary that goes with the form and the title (each has its own
    money), or None when a rate is missing for one of them."""
    total = Decimal(0)
    for field, award in (("form", form), ("title", title)):
        if award is None:
            continue
        rate = (
            AwardRate.objects.filter(**{field: award}, collective=collective, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )
        if rate is None:
            return None
        total += rate.coefficient
    return total


def amount_for(coefficient: Decimal, base_salary: int) -> int:
    """Integer đồng, half a đồng rounded up."""
    return int((coefficient * base_salary).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def decidable(unit: Unit) -> Any:
    """The nominations ``unit`` may put in a decision now."""
    return Nomination.objects.filter(holder=unit, status__in=DECIDABLE).select_related(
        "subject_person__party_member", "subject_unit", "unit"
    )


def _signing(unit: Unit, day: dt.date) -> dict[str, Any]:
    secretary = positions_on(unit, day).filter(title=PositionTitle.SECRETARY).select_related("person").first()
    body = (
        "Ban Thường vụ" if unit.kind in STANDING_COMMITTEE_KINDS else SIGNING_BODIES.get(unit.kind, "Đảng ủy")
    )
    return {
        "signing_form": "T/M",
        "signing_body": body,
        "signer_title": "Bí thư",
        "signer_name": secretary.person.full_name if secretary else "",
    }


@transaction.atomic
def issue_decision(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    nominations: Iterable[Nomination],
    decided_on: dt.date,
    year: int,
    reason: str,
    form: AwardForm | None = None,
    title: EmulationTitle | None = None,
    periodic: bool = False,
) -> Decision:
    """``unit`` decides to introduce, praise or reward the subjects of ``nominations``: a QĐ
    numbered in its register, one recognition per subject with its amount (integer đồng) for a
    reward. Refused, with the reason, outside the unit's authority on ``decided_on``."""
    nominations = list(nominations)
    reason = clean_field("reason", reason)
    errors: dict[str, str] = {}
    if kind not in RecognitionKind.values:
        errors["kind"] = _("Choose what the decision does.")
    elif kind == RecognitionKind.REWARD and form is None and title is None:
        errors["form"] = _("A reward needs a form (giấy khen, bằng khen …), a title, or both.")
    elif kind != RecognitionKind.REWARD and (form is not None or title is not None):
        errors["form"] = _("Only a reward has a form or a title.")
    if not reason:
        errors["reason"] = _("Say what the subjects are recognised for.")
    if not nominations:
        errors["nominations"] = _("Choose at least one nomination.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("A decision cannot be dated after today.")
    if not 2000 <= year <= decided_on.year:
        errors["year"] = _("The year must be between 2000 and the decision's year.")
    if errors:
        raise ValidationError(errors)
    not_held = [n.subject_label for n in nominations if n.holder_id != unit.pk or n.status not in DECIDABLE]
    if not_held:
        raise ValidationError(
            {
                "nominations": _("%(unit)s decides only on the nominations before it: %(names)s.")
                % {"unit": unit.name, "names": ", ".join(not_held)}
            }
        )
    subjects = [(n.subject_label, subject_kind(n, decided_on)) for n in nominations]
    if title is not None:
        wrong = [name for name, sk in subjects if (sk in COLLECTIVE_SUBJECTS) != title.for_collectives]
        if wrong:
            raise ValidationError(
                {
                    "title": _("%(title)s is for %(whom)s: %(names)s.")
                    % {
                        "title": title.name,
                        "whom": _("collectives") if title.for_collectives else _("individuals"),
                        "names": ", ".join(wrong),
                    }
                }
            )
    problem = authority_problem(unit, kind, form, title, subjects, decided_on)
    if problem:
        raise ValidationError({"kind": problem})
    if _needs_excellent_rating(kind, form, periodic):
        unrated = not_rated_excellent(nominations, year)
        if unrated:
            raise ValidationError(
                {
                    "periodic": _(
                        "A Party periodic reward needs each subject rated “Hoàn thành xuất sắc nhiệm vụ” "
                        "in %(year)s, by decision: %(names)s. A reward for the programme or a campaign "
                        "is not periodic: untick “periodic”."
                    )
                    % {"year": year, "names": ", ".join(unrated)}
                }
            )
    already = set(
        Recognition.objects.filter(
            nomination__in=nominations, decision__unit=unit, decision__kind=kind, revoked_on__isnull=True
        ).values_list("nomination_id", flat=True)
    )
    if already:
        raise ValidationError(
            {
                "nominations": _("%(unit)s has already decided this for: %(names)s.")
                % {
                    "unit": unit.name,
                    "names": ", ".join(n.subject_label for n in nominations if n.pk in already),
                }
            }
        )
    salary = base_salary_on(decided_on) if kind == RecognitionKind.REWARD else None
    with translation.override(RECORD_LANGUAGE):
        award = " ".join(str(p) for p in (form, title) if p is not None)
        summary = f"về việc {SUMMARY_VERBS[RecognitionKind(kind)]}" + (f" ({award})" if award else "")
    document = issue_document(
        actor=actor,
        issuer=Issuer(unit=unit),
        type_code="QĐ",
        issued_on=decided_on,
        summary=summary,
        system="state" if unit.kind == UnitKind.AGENCY else "party",
        recipients="Như Điều 3,\nLưu.",
        **_signing(unit, decided_on),
    )
    decision = Decision.objects.create(
        unit=unit,
        kind=kind,
        form=form,
        title=title,
        periodic=periodic,
        year=year,
        reason=reason,
        document=document,
        decided_on=decided_on,
        base_salary=salary.amount if salary else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    recognitions: list[Recognition] = []
    # One subject, one recognition: a person passed in March and in June is praised once by the
    # December decision (both nominations are marked recognised below).
    keys: set[str] = set()
    for nomination, (name, sk) in zip(nominations, subjects, strict=True):
        key = subject_key(nomination)
        if key in keys:
            continue
        keys.add(key)
        coefficient = None
        if kind == RecognitionKind.REWARD:
            coefficient = coefficient_on(form, title, collective=sk in COLLECTIVE_SUBJECTS, day=decided_on)
        recognitions.append(
            Recognition(
                decision=decision,
                nomination=nomination,
                subject_kind=sk,
                subject_label=name,
                subject_key=key,
                achievement=nomination.achievements,
                order=len(recognitions) + 1,
                coefficient=coefficient,
                amount=amount_for(coefficient, salary.amount) if coefficient is not None and salary else None,
            )
        )
    Recognition.objects.bulk_create(recognitions)
    with translation.override(RECORD_LANGUAGE):
        note = _("%(what)s by decision %(number)s") % {
            "what": SUMMARY_VERBS[RecognitionKind(kind)].capitalize() + (f" ({award})" if award else ""),
            "number": document.number_line,
        }
    for nomination in nominations:
        before = snapshot(nomination, ("status",))
        nomination.status = NominationStatus.RECOGNISED
        nomination.save(update_fields=["status"])
        add_step(nomination, day=decided_on, unit=unit, note=note)
        record_update(actor=actor, obj=nomination, before=before, fields=("status",), unit=unit.pk)
    record_create(actor=actor, obj=decision, fields=DECISION_FIELDS, unit=unit)
    return decision


def _needs_excellent_rating(kind: str, form: AwardForm | None, periodic: bool) -> bool:
    """Only Party organisations and members rated "Hoàn thành xuất sắc nhiệm vụ" are put up for a
    Party periodic reward (Hướng dẫn 21-HD/BTCTW; rules-vn §3)."""
    return kind == RecognitionKind.REWARD and periodic and form is not None and form.system == "party"


def not_rated_excellent(nominations: Sequence[Nomination], year: int) -> list[str]:
    """The subjects without a decided "Hoàn thành xuất sắc nhiệm vụ" for ``year``. A person
    outside the Party or a collective by name has no Party rating, so cannot hold a Party
    periodic reward."""
    rated = ratings_of_subjects(list(nominations), year)
    return [n.subject_label for n in nominations if n.pk not in rated or rated[n.pk].level != Level.EXCELLENT]


@transaction.atomic
def revoke_recognition(*, actor: Any, recognition: Recognition, day: dt.date, reason: str) -> Recognition:
    """Withdraw one subject's recognition (for example after discipline re-rates the year): the
    decision and its history stay, the certificate reads "revoked"."""
    reason = clean_field("revoked_reason", reason)
    if recognition.revoked_on is not None:
        raise ValidationError(
            _("This recognition was already revoked on %(date)s.")
            % {"date": format_date(recognition.revoked_on)}
        )
    if not reason:
        raise ValidationError({"revoked_reason": _("Give the reason for revoking.")})
    if day < recognition.decision.decided_on or day > timezone.localdate():
        raise ValidationError({"revoked_on": _("The date must be between the decision's date and today.")})
    before = snapshot(recognition, RECOGNITION_FIELDS)
    recognition.revoked_on, recognition.revoked_reason = day, reason
    recognition.save(update_fields=["revoked_on", "revoked_reason"])
    with translation.override(RECORD_LANGUAGE):
        note = _("Recognition by %(number)s revoked: %(reason)s") % {
            "number": recognition.decision.document.number_line,
            "reason": reason,
        }
    add_step(recognition.nomination, day=day, unit=recognition.decision.unit, note=note)
    record_update(
        actor=actor,
        obj=recognition,
        before=before,
        fields=RECOGNITION_FIELDS,
        unit=recognition.decision.unit_id,
    )
    return recognition


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def holder_unit(recognition: Recognition, day: dt.date) -> str:
    """Printed under the name: a person's cell on the decision date (else the nominating unit)."""
    nomination = recognition.nomination
    member = (
        getattr(nomination.subject_person, "party_member", None) if nomination.subject_person_id else None
    )
    if member is not None:
        membership = current_membership(member, day)
        if membership is not None:
            return membership.unit.name
    if recognition.is_collective:
        return ""
    return nomination.unit.name


def issue_certificates(*, actor: Any, decision: Decision, day: dt.date | None = None) -> list[Certificate]:
    """A certificate for each recognition of the decision that has none and stands, numbered on
    from the decision's last serial. The decision row is locked while the serials are taken, and
    the unique (decision, serial) constraint is the last word."""
    day = day or timezone.localdate()
    if decision.kind == RecognitionKind.INTRODUCE:
        raise ValidationError(_("A decision to introduce examples has no certificates."))
    for _attempt in range(3):
        try:
            return _issue_certificates(actor, decision, day)
        except IntegrityError:  # a verification code drawn twice (or a serial raced): draw again
            continue
    raise ValidationError(_("The certificates could not be numbered; try again."))


@transaction.atomic
def _issue_certificates(actor: Any, decision: Decision, day: dt.date) -> list[Certificate]:
    Decision.objects.select_for_update().filter(pk=decision.pk).first()
    pending = list(
        decision.recognitions.filter(certificate__isnull=True, revoked_on__isnull=True).select_related(
            "nomination__subject_person__party_member", "nomination__unit"
        )
    )
    serial = decision.certificates.aggregate(last=Max("serial"))["last"] or 0
    document = decision.document
    with translation.override(RECORD_LANGUAGE):
        award = decision.award_label
    created = []
    for recognition in pending:
        serial += 1
        certificate = Certificate.objects.create(
            recognition=recognition,
            decision=decision,
            serial=serial,
            code=new_code(),
            issued_on=day,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            holder_name=recognition.subject_label,
            holder_unit=holder_unit(recognition, decision.decided_on),
            achievement=decision.reason,
            award=award,
            granting_body=document.issuer_name,
            decision_number=document.number_line,
            decision_date=decision.decided_on,
            place=document.place or place_name(decision.unit, decision.decided_on),
            signing_form=document.signing_form,
            signing_body=document.signing_body,
            signer_title=document.signer_title,
            signer_name=document.signer_name,
        )
        record_create(
            actor=actor,
            obj=certificate,
            fields=("decision", "serial", "holder_name", "issued_on"),
            unit=decision.unit_id,
        )
        created.append(certificate)
    return created
