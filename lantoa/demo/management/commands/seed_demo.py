"""Load the demo district, Huyện ủy Châu Thành (Bến Tre), 2021–2025. Safe to run again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lantoa.demo import cells, documents, funds, honours, org, ratings
from lantoa.demo.accounts import format_logins
from lantoa.demo.base import PASSWORD, DemoContext, DemoError, Step
from lantoa.lib.bulk import refresh_planner_statistics
from lantoa.lib.vi import format_decimal, format_int

# The demo's steps, in the order they load: each later step may use what the earlier ones made.
# A new domain adds its step here (e.g. documents.STEP, cells.STEP).
STEPS: tuple[Step, ...] = (org.STEP, documents.STEP, cells.STEP, honours.STEP, ratings.STEP, funds.STEP)


class Command(BaseCommand):
    help = "Load the demo district (Huyện ủy Châu Thành, Bến Tre). Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--logins", action="store_true", help="Only print the table of demo logins.")

    def handle(self, *args: Any, logins: bool = False, **options: Any) -> None:
        if logins:
            self.stdout.write(format_logins())
            return
        started = time.perf_counter()
        ctx = DemoContext()
        loaded: list[str] = []
        for step in STEPS:
            if step.is_loaded():
                continue
            # One transaction per step: a failed step leaves nothing half-loaded behind.
            try:
                with transaction.atomic():
                    lines = step.build(ctx)
                    # The next step queries what this one bulk-loaded (see the helper).
                    refresh_planner_statistics()
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            loaded.append(step.name)
            for label, count in lines:
                self.stdout.write(f"  {label}: {format_int(count)}")
        if not loaded:
            self.stdout.write("The demo is already loaded; nothing changed.")
            return
        seconds = format_decimal(time.perf_counter() - started, 1)
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded ({', '.join(loaded)}) in {seconds} s; password: {PASSWORD}")
        )
