"""What every step of the scale seed shares: the options, the dates, the random streams and the
writer that allocates ids and counts rows.

Why random streams per purpose (and per cell where a step loops over cells): a stream consumed in
one order by one step cannot shift what another step draws, and the meetings of a cell do not
depend on how the cells are cut into chunks. The data therefore depends only on the seed and the
sizes; the public ids (UUIDs shown in addresses) also depend on the province key, so that two
provinces seeded into one database with the same seed never share one.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models

from lantoa.cells.queries.figures import months_between
from lantoa.documents.models import DocumentSystem
from lantoa.documents.numbering import format_symbol
from lantoa.documents.queries import search_key
from lantoa.lib.bulk import Row, allocate_ids, insert_rows

from .load import copy_values

D = dt.date
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# The review's window starts in May 2021 (Kết luận 01-KL/TW, 18/5/2021) and runs whole years.
FIRST_MONTH = D(2021, 5, 1)
# Units that stood before anyone's memory (re-formed after 1975), as in the demo.
FOUNDED = D(1976, 1, 1)
# 1/7/2025: the district level ended, communes hang directly under the province.
REFORM = D(2025, 7, 1)
LAST_DISTRICT_DAY = REFORM - dt.timedelta(days=1)
# Everyone is a member of their cell before the window opens.
LAST_ADMISSION = D(2020, 12, 31)
# At most four years: a fifth would rate 2025 under Quy định 366 (points) and reach past the
# reform, which this generator does not model.
MAX_YEARS = 4
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_MAX = 60  # cells' keys add "-x0000-cb00" within Unit.key's 80 characters


Values = tuple[Any, ...]
TermSpan = tuple[int, dt.date, dt.date | None]  # a unit's term: (id, first day, last day or open)


class ScaleError(Exception):
    """The options or the database do not allow the seed: the message says why."""


@dataclass(frozen=True)
class Scale:
    cells: int = 10_000
    members_per_cell: int = 20
    years: int = 3
    seed: int = 20210518
    province_key: str = "tinh-scale"

    def __post_init__(self) -> None:
        if self.cells < 1:
            raise ScaleError("--cells must be at least 1")
        if self.members_per_cell < 3:
            raise ScaleError("--members-per-cell must be at least 3 (a secretary, a deputy, a member)")
        if not 1 <= self.years <= MAX_YEARS:
            raise ScaleError(f"--years must be between 1 and {MAX_YEARS}")
        if not KEY_PATTERN.match(self.province_key) or len(self.province_key) > KEY_MAX:
            raise ScaleError(
                f"--province-key must be a slug of lower-case letters, digits and hyphens, "
                f"at most {KEY_MAX} characters"
            )

    @property
    def months(self) -> list[dt.date]:
        """05/2021 through 04/(2021 + years): the review's window, one regular meeting each."""
        return months_between(FIRST_MONTH, D(FIRST_MONTH.year + self.years, 4, 1))

    @property
    def rating_years(self) -> list[int]:
        """The years whose year-end (ratings, praise) falls in the window: 2021, 2022, 2023."""
        return list(range(FIRST_MONTH.year, FIRST_MONTH.year + self.years))

    def rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{stream}")  # noqa: S311 - repeatable test data, not secrets

    def id_rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.province_key}:{stream}")  # noqa: S311


def public_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from ``start`` to ``end`` inclusive (``start`` when the range is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def anniversary(day: dt.date) -> dt.date:
    """Twelve months later (29/2 → 1/3): the end of probation."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return D(day.year + 1, 3, 1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@dataclass
class Writer:
    """Writes rows through ``lantoa.lib.bulk`` (or ``load.copy_values`` for plain tuples) and
    counts them per table for the report."""

    counts: Counter[str] = field(default_factory=Counter)

    def number(self, model: type[models.Model], rows: Sequence[Row]) -> list[int]:
        """Give each row a new primary key (so other rows can point at it before it is written)."""
        ids = allocate_ids(model, len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        return ids

    def insert(self, model: type[models.Model], rows: Sequence[Row], constants: Row | None = None) -> None:
        """Write rows that already have their ids."""
        insert_rows(model, rows, constants)
        self.counts[model._meta.label] += len(rows)

    def copy(self, model: type[models.Model], columns: Sequence[str], rows: Sequence[Values]) -> None:
        """Write plain tuples, the database numbering them (``load.copy_values``)."""
        copy_values(model, columns, rows)
        self.counts[model._meta.label] += len(rows)

    def add(self, model: type[models.Model], rows: Sequence[Row], constants: Row | None = None) -> list[int]:
        """Number and write ``rows``; their ids, in order."""
        ids = self.number(model, rows)
        self.insert(model, rows, constants)
        return ids


@dataclass
class Register:
    """The numbers of one document type each issuer has used in each term, to number on and to
    leave the counters (``NumberSequence``) where the next number follows."""

    type_code: str
    last: dict[tuple[int, int], int] = field(default_factory=dict)

    def next(self, unit_id: int, term_id: int) -> int:
        number = self.last.get((unit_id, term_id), 0) + 1
        self.last[unit_id, term_id] = number
        return number

    def identity(self, unit_id: int, number: int, term_id: int) -> str:
        """The register's key of the document (``documents.services``' identity)."""
        return f"unit:{unit_id}|{self.type_code}|{number}|term:{term_id}"

    def issue(
        self,
        ids: random.Random,
        *,
        unit_id: int,
        name: str,
        code: str,
        terms: list[TermSpan],
        day: dt.date,
        summary: str,
        signing_body: str,
        signer: str,
        recipients: str,
    ) -> Row:
        """The next document of the unit's register in the term of ``day``, as a row to write
        (a Party document signed T/M by the secretary)."""
        term_id = term_on(terms, day)
        number = self.next(unit_id, term_id)
        symbol = format_symbol(DocumentSystem.PARTY, number, self.type_code, code)
        return {
            "public_id": public_id(ids),
            "system": DocumentSystem.PARTY,
            "issuer_unit_id": unit_id,
            "issuer_staff_body_id": None,
            "issuer_name": name,
            "issuer_code": code,
            "type_code": self.type_code,
            "number": number,
            "term_id": term_id,
            "term_label": "",
            "year": day.year,
            "issued_on": day,
            "place": "",
            "summary": summary,
            "body": "",
            "signing_form": "T/M",
            "signing_body": signing_body,
            "signer_title": "Bí thư",
            "signer_name": signer,
            "recipients": recipients,
            "identity": self.identity(unit_id, number, term_id),
            "search_text": search_key(f"{symbol} {summary} {name}")[:800],
            "created_by_id": None,
        }

    def sequences(self) -> list[Row]:
        return [
            {
                "issuer_key": f"unit:{unit_id}",
                "type_code": self.type_code,
                "period_key": f"term:{term_id}",
                "last_number": n,
            }
            for (unit_id, term_id), n in self.last.items()
        ]


def term_on(terms: list[TermSpan], day: dt.date) -> int:
    for term_id, start, end in terms:
        if start <= day and (end is None or day <= end):
            return term_id
    raise ValueError(f"no term on {day}")


def pick_weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([value for value, _w in pairs], [weight for _v, weight in pairs])[0]
