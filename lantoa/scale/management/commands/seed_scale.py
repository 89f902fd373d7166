"""Seed a province-sized dataset (10 000 cells, 200 000 members, three years) for benchmarks.

    manage.py seed_scale [--cells 10000] [--members-per-cell 20] [--years 3] [--seed N]
                         [--province-key tinh-scale] [--digest]

Everything is drawn from the seed (``lantoa.scale``), written in bulk in one transaction: a
failure leaves nothing behind. A province key already in the database is refused. On PostgreSQL
the written tables' foreign keys are dropped for the load and added back (checked once) in that
transaction (``lantoa.scale.load.ForeignKeys``), so the tables stay locked until the commit: seed a
database nobody else is using at the time. Full size takes a few minutes and about 2.5 GB.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from lantoa.cells.models import AgendaItem, Attendance, Meeting
from lantoa.documents.models import Document, Filing, NumberSequence, Obligation, Term
from lantoa.honours.models import (
    Decision,
    Nomination,
    NominationStep,
    Recognition,
    RoundNominee,
    RoundVoter,
    VotingRound,
)
from lantoa.lib.bulk import cyclic_gc_paused, refresh_planner_statistics
from lantoa.lib.vi import format_month
from lantoa.org.models import ActivityExemption, Membership, PartyMember, Person, Position, UnitParentage
from lantoa.ratings.models import Rating, TermTarget, UnitLabel
from lantoa.scale import digest, filings, honours, meetings, people, ratings, tree
from lantoa.scale.load import ForeignKeys
from lantoa.scale.plan import MAX_YEARS, Scale, ScaleError, Writer

T = TypeVar("T")
DEFAULTS = Scale()
# The tables the seed writes that have foreign keys (checked once, at the end: ``ForeignKeys``).
WRITTEN = (
    UnitParentage,
    Term,
    Person,
    PartyMember,
    Membership,
    ActivityExemption,
    Position,
    Meeting,
    Attendance,
    AgendaItem,
    VotingRound,
    RoundVoter,
    Nomination,
    RoundNominee,
    NominationStep,
    Document,
    Obligation,
    Filing,
    Decision,
    Recognition,
    Rating,
    UnitLabel,
    TermTarget,
    NumberSequence,
)


class Command(BaseCommand):
    help = (
        "Seed a province-sized dataset (units, members, three years of meetings and attendance, "
        "honours, ratings, plans filed) from a fixed seed, for benchmarking the review reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cells", type=int, default=DEFAULTS.cells, help="Cells in the province.")
        parser.add_argument(
            "--members-per-cell", type=int, default=DEFAULTS.members_per_cell, help="Members of every cell."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=DEFAULTS.years,
            help=f"Years from 05/2021 (1–{MAX_YEARS}); 3 = 05/2021–04/2024.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed, help="The random seed.")
        parser.add_argument(
            "--province-key",
            default=DEFAULTS.province_key,
            help="Key of the province unit (and prefix of its units').",
        )
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Print a fingerprint of the rows written (slow at full size).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scale = Scale(
                cells=options["cells"],
                members_per_cell=options["members_per_cell"],
                years=options["years"],
                seed=options["seed"],
                province_key=options["province_key"],
            )
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        if tree.province_units(scale.province_key).exists():
            raise CommandError(
                f"The database already holds a province seeded with the key “{scale.province_key}”: "
                "choose another --province-key or seed an empty database."
            )
        first, last = scale.months[0], scale.months[-1]
        self.stdout.write(
            f"Seeding {scale.province_key}: {scale.cells:,} cells × {scale.members_per_cell} members, "
            f"{format_month(first)}–{format_month(last)}, seed {scale.seed}, on {connection.vendor}"
        )
        started = time.perf_counter()
        writer = Writer()
        with transaction.atomic(), cyclic_gc_paused():
            keys = ForeignKeys(*WRITTEN)
            keys.drop()
            drafted = self.step("tree (draft)", writer, lambda: tree.TreeDrafter(scale).draft())
            self.step("tree (write)", writer, lambda: tree.write(writer, drafted, scale))
            self.step("people", writer, lambda: people.write(writer, drafted, scale))
            reviews = self.step(
                "meetings and attendance",
                writer,
                lambda: meetings.write(writer, drafted, scale, self.progress),
            )
            levels = self.step("ratings (plan)", writer, lambda: ratings.plan(scale, drafted))
            self.step("ratings", writer, lambda: ratings.write(writer, drafted, scale, levels, reviews))
            self.step("honours", writer, lambda: honours.write(writer, drafted, scale, levels, reviews))
            self.step("plans filed", writer, lambda: filings.write(writer, drafted, scale))
            self.step("foreign keys checked", writer, keys.restore)
            self.step(
                "planner statistics",
                writer,
                lambda: refresh_planner_statistics(
                    *(apps.get_model(label) for label in sorted(writer.counts))
                ),
            )
            commit_started = time.perf_counter()
        self.stdout.write(f"  commit: {time.perf_counter() - commit_started:.1f} s")
        self.stdout.write("Rows written:")
        for label, count in sorted(writer.counts.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(f"  total: {sum(writer.counts.values()):,}")
        size = database_size()
        if size is not None:
            self.stdout.write(f"Database size: {size / 2**20:,.0f} MB")
        if options["digest"]:
            self.stdout.write(f"Digest: {digest.digest(scale.province_key)}")
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {scale.province_key} in {time.perf_counter() - started:.1f} s.")
        )

    def step(self, name: str, writer: Writer, work: Callable[[], T]) -> T:
        began, rows = time.perf_counter(), sum(writer.counts.values())
        result = work()
        written = sum(writer.counts.values()) - rows
        rows_text = f", {written:,} rows" if written else ""
        self.stdout.write(f"  {name}: {time.perf_counter() - began:.1f} s{rows_text}")
        self.stdout.flush()
        return result

    def progress(self, done: int, total: int) -> None:
        """A line every tenth of the cells: the meetings take most of the time."""
        tenth = done * 10 // total
        if tenth > getattr(self, "_tenth", 0) or done == total:
            self._tenth = tenth
            self.stdout.write(f"    {done:,}/{total:,} cells")
            self.stdout.flush()


def database_size() -> int | None:
    """Bytes the database takes (PostgreSQL: the whole database; SQLite: the file)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return int(pages * cursor.fetchone()[0])
    return None
