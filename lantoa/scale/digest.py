"""A fingerprint of what a seed wrote, independent of the database's ids and engine.

Why: the seed promises the same data for the same seed and sizes, on SQLite as on PostgreSQL,
whatever ids the sequences hand out. Each table of the province is read back with its references
replaced by natural keys (unit keys, public ids) and its rows in an order of those keys only
(ASCII keys, UUIDs, dates, numbers: the same order under any collation), and hashed as it
streams. Two seeds with the same figures give the same digest; a test compares them, and
``seed_scale --digest`` prints it (slow at full size: it reads every attendance row).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from lantoa.cells.models import AgendaItem, Attendance, Meeting
from lantoa.documents.models import Document, Filing, Obligation, Term
from lantoa.honours.models import (
    Decision,
    Nomination,
    NominationStep,
    Recognition,
    RoundNominee,
    RoundVoter,
    VotingRound,
)
from lantoa.org.models import ActivityExemption, Membership, PartyMember, Person, Position, UnitParentage
from lantoa.ratings.models import Rating, TermTarget, UnitLabel

from .tree import province_units

Section = tuple[str, QuerySet[Any], tuple[str, ...], tuple[str, ...]]
PERSON = "member__person__public_id"


def _sections(key: str) -> list[Section]:
    """(name, rows, fields, order) for each table the seed writes."""
    units = province_units(key)
    people = Person.objects.filter(registered_unit__in=units)
    members = PartyMember.objects.filter(person__in=people)
    meetings = Meeting.objects.filter(unit__in=units)
    rounds = VotingRound.objects.filter(meeting__in=meetings)
    nominations = Nomination.objects.filter(unit__in=units)
    decisions = Decision.objects.filter(unit__in=units)
    return [
        (
            "units",
            units,
            ("key", "name", "kind", "short_code", "valid_from", "valid_to", "residential", "place_name"),
            ("key",),
        ),
        (
            "links",
            UnitParentage.objects.filter(unit__in=units),
            ("unit__key", "parent__key", "valid_from", "valid_to"),
            ("unit__key", "valid_from"),
        ),
        (
            "terms",
            Term.objects.filter(unit__in=units),
            ("unit__key", "name", "starts_on", "ends_on"),
            ("unit__key", "starts_on"),
        ),
        (
            "people",
            people,
            (
                "public_id",
                "full_name",
                "birth_date",
                "gender",
                "phone",
                "ethnicity",
                "religion",
                "id_number",
                "registered_unit__key",
            ),
            ("public_id",),
        ),
        (
            "members",
            members,
            ("person__public_id", "card_number", "admitted_on", "full_member_on"),
            ("person__public_id",),
        ),
        (
            "memberships",
            Membership.objects.filter(unit__in=units),
            (PERSON, "unit__key", "valid_from", "valid_to"),
            (PERSON, "valid_from"),
        ),
        (
            "exemptions",
            ActivityExemption.objects.filter(member__in=members),
            (PERSON, "valid_from", "reason"),
            (PERSON, "valid_from"),
        ),
        (
            "posts",
            Position.objects.filter(unit__in=units),
            ("person__public_id", "unit__key", "title", "valid_from", "valid_to"),
            ("unit__key", "title", "person__public_id"),
        ),
        (
            "meetings",
            meetings,
            (
                "public_id",
                "unit__key",
                "kind",
                "period",
                "date",
                "starts_at",
                "ends_at",
                "status",
                "topic",
                "chair__public_id",
                "clerk__public_id",
                "approved_at",
            ),
            ("public_id",),
        ),
        (
            "attendance",
            Attendance.objects.filter(meeting__in=meetings),
            ("meeting__public_id", PERSON, "status", "reason", "full_member"),
            ("meeting__public_id", PERSON),
        ),
        (
            "agenda",
            AgendaItem.objects.filter(meeting__in=meetings),
            ("meeting__public_id", "order", "kind", "title", "presenter__public_id"),
            ("meeting__public_id", "order"),
        ),
        (
            "rounds",
            rounds,
            ("public_id", "meeting__public_id", "status", "body_size", "opened_at"),
            ("public_id",),
        ),
        (
            "voters",
            RoundVoter.objects.filter(round__in=rounds),
            ("round__public_id", PERSON),
            ("round__public_id", PERSON),
        ),
        (
            "nominations",
            nominations,
            (
                "public_id",
                "unit__key",
                "holder__key",
                "subject_person__public_id",
                "subject_unit__key",
                "subject_name",
                "status",
                "nominated_on",
                "achievements",
            ),
            ("public_id",),
        ),
        (
            "nominees",
            RoundNominee.objects.filter(round__in=rounds),
            (
                "round__public_id",
                "nomination__public_id",
                "order",
                "recused",
                "votes_for",
                "votes_against",
                "votes_abstain",
                "percent",
                "passed",
            ),
            ("round__public_id", "order"),
        ),
        (
            "steps",
            NominationStep.objects.filter(nomination__in=nominations),
            ("nomination__public_id", "day", "unit__key", "status", "note"),
            ("nomination__public_id", "day", "status"),
        ),
        (
            "documents",
            Document.objects.filter(issuer_unit__in=units),
            (
                "public_id",
                "issuer_unit__key",
                "type_code",
                "number",
                "term__name",
                "issued_on",
                "summary",
                "signer_name",
            ),
            ("public_id",),
        ),
        (
            "obligations",
            Obligation.objects.filter(unit__in=units),
            ("public_id", "unit__key", "title", "year", "required_type", "target_kinds", "deadline"),
            ("public_id",),
        ),
        (
            "filings",
            Filing.objects.filter(unit__in=units),
            ("obligation__public_id", "unit__key", "document__public_id", "filed_on"),
            ("obligation__public_id", "unit__key"),
        ),
        (
            "decisions",
            decisions,
            (
                "public_id",
                "unit__key",
                "kind",
                "form__code",
                "periodic",
                "year",
                "reason",
                "document__public_id",
                "decided_on",
                "base_salary",
            ),
            ("public_id",),
        ),
        (
            "recognitions",
            Recognition.objects.filter(decision__in=decisions),
            (
                "decision__public_id",
                "nomination__public_id",
                "subject_kind",
                "subject_label",
                "order",
                "coefficient",
                "amount",
                "revoked_on",
            ),
            ("decision__public_id", "order"),
        ),
        (
            "ratings",
            Rating.objects.filter(unit__in=units),
            (
                "public_id",
                "year",
                "subject_kind",
                PERSON,
                "subject_unit__key",
                "unit__key",
                "quota_unit__key",
                "self_level",
                "self_on",
                "proposed_level",
                "proposed_on",
                "level",
                "decided_on",
                "decided_by__key",
                "document",
                "rules__name",
            ),
            ("public_id",),
        ),
        (
            "labels",
            UnitLabel.objects.filter(unit__in=units),
            ("unit__key", "kind__code", "year", "granted_on", "granted_by__key", "document"),
            ("unit__key", "year", "kind__code"),
        ),
        (
            "targets",
            TermTarget.objects.filter(term__unit__in=units),
            ("term__unit__key", "position", "indicator", "text", "target"),
            ("term__unit__key", "position"),
        ),
    ]


def digests(key: str) -> dict[str, tuple[int, str]]:
    """Per table of the province seeded with ``key``: (rows, sha256 of the rows)."""
    found = {}
    for name, rows, fields, order in _sections(key):
        hashed, count = hashlib.sha256(), 0
        for row in rows.order_by(*order).values_list(*fields).iterator(chunk_size=20_000):
            hashed.update(("\x1f".join("" if value is None else str(value) for value in row) + "\n").encode())
            count += 1
        found[name] = (count, hashed.hexdigest())
    return found


def digest(key: str) -> str:
    """One fingerprint for the whole province."""
    whole = hashlib.sha256()
    for name, (count, hashed) in digests(key).items():
        whole.update(f"{name}:{count}:{hashed}\n".encode())
    return whole.hexdigest()
