"""Document numbers: allocation without gaps or duplicates, and the two printed formats.

Party documents (Hướng dẫn 36-HD/VPTW): "Số 15-KH/HU" — numbered from 01 per document type within
each term of the issuing committee. State documents (Nghị định 30/2020): "Số: 15/QĐ-UBND" —
numbered from 01 each calendar year. Numbers below 10 are written 01…09.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentSystem, NumberSequence


def format_symbol(system: str, number: int, type_code: str, issuer_code: str) -> str:
    if system == DocumentSystem.STATE:
        return f"{number:02d}/{type_code}-{issuer_code}"
    return f"{number:02d}-{type_code}/{issuer_code}"


def format_number_line(system: str, number: int, type_code: str, issuer_code: str) -> str:
    """The line printed under the issuing body: no colon for Party documents, a colon for State."""
    symbol = format_symbol(system, number, type_code, issuer_code)
    return f"Số: {symbol}" if system == DocumentSystem.STATE else f"Số {symbol}"


def allocate_number(*, issuer_key: str, type_code: str, period_key: str) -> int:
    """The next number for this issuer, type and period, reserved inside the caller's transaction.

    The counter row is incremented with a single UPDATE, which locks it until the caller commits:
    a second allocation waits and then sees the new value (PostgreSQL), or cannot start its write
    transaction until the first ends (SQLite, IMMEDIATE transactions). If the caller's transaction
    rolls back, the number is released with it, so the register has no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the transaction that saves the document")
    lookup = {"issuer_key": issuer_key, "type_code": type_code, "period_key": period_key}
    if not NumberSequence.objects.filter(**lookup).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(**lookup, last_number=0)
        except IntegrityError:
            pass  # someone else created the counter at the same moment: use theirs
    NumberSequence.objects.filter(**lookup).update(last_number=F("last_number") + 1)
    return NumberSequence.objects.values_list("last_number", flat=True).get(**lookup)


def note_used_number(*, issuer_key: str, type_code: str, period_key: str, number: int) -> None:
    """A document registered with a number given by hand (an older paper document): make sure the
    counter never hands that number out again."""
    sequence, _created = NumberSequence.objects.get_or_create(
        issuer_key=issuer_key, type_code=type_code, period_key=period_key
    )
    if sequence.last_number < number:
        NumberSequence.objects.filter(pk=sequence.pk, last_number__lt=number).update(last_number=number)
