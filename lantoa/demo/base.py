"""What every demo step shares: dates, the seed, stable keys, and audit rows for bulk inserts.

A step loads one domain (the tree and people, documents, cells ...). Steps run in the order the
``seed_demo`` command lists them; each knows whether it is already loaded, so running the command
again, or after a later step was added, only loads what is missing.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry, diff, snapshot
from lantoa.lib.bulk import insert_objects
from lantoa.lib.text import fold

D = dt.date

# "As of" date of the demo: the end of the three years the seed article reviews (05/2021–04/2024).
REFERENCE_DATE = D(2024, 4, 30)
PASSWORD = "lantoa-demo"  # noqa: S105 - the published password of the demo logins
AUDIT_NOTE = "Dữ liệu mẫu"
SEED = "lan-toa-demo-1"


def make_key(*parts: str) -> str:
    """'Chi bộ ấp Phước Thạnh', 'An Khánh' → 'chi-bo-ap-phuoc-thanh-an-khanh'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(" ".join(parts))).strip("-")


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day from ``start`` to ``end`` inclusive (``start`` when the range is empty)."""
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


class DemoError(Exception):
    """The database holds something the demo would collide with."""


@dataclass
class DemoContext:
    seed: str = SEED

    def rng(self, stream: str) -> random.Random:
        """A generator of its own per step (and per part of a step), so that adding a step or
        drawing more numbers in one part does not change what the others produce."""
        return random.Random(f"{self.seed}:{stream}")  # noqa: S311 - repeatable demo data, not secrets


@dataclass(frozen=True)
class Step:
    name: str
    is_loaded: Callable[[], bool]
    # Loads the step's data and returns summary lines such as ("party members", 3812).
    build: Callable[[DemoContext], list[tuple[str, int]]]


class AuditBuffer:
    """Audit rows for objects written in bulk, written in bulk too.

    Services write their own rows; rows that bypass them for speed get the same entries here, by
    the system (no actor) and marked as demo data.
    """

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self._types: dict[type[models.Model], ContentType] = {}

    def _type(self, obj: models.Model) -> ContentType:
        model = type(obj)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        return self._types[model]

    def created(self, rows: Iterable[tuple[models.Model, Any]], fields: Iterable[str]) -> None:
        """One CREATE entry per (object, unit it belongs to), as ``record_create`` writes."""
        fields = tuple(fields)
        for obj, unit in rows:
            self.entries.append(
                build_entry(
                    actor=None,
                    action=AuditAction.CREATE,
                    obj=obj,
                    unit=unit,
                    changes=diff({}, snapshot(obj, fields)),
                    note=AUDIT_NOTE,
                    content_type=self._type(obj),
                )
            )

    def changed(self, obj: models.Model, changes: dict[str, list[Any]], unit: Any) -> None:
        self.entries.append(
            build_entry(
                actor=None,
                action=AuditAction.UPDATE,
                obj=obj,
                unit=unit,
                changes=changes,
                note=AUDIT_NOTE,
                content_type=self._type(obj),
            )
        )

    def flush(self) -> int:
        written = len(self.entries)
        insert_objects(AuditEntry, self.entries)
        self.entries = []
        return written
