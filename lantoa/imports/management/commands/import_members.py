"""manage.py import_members FILE --unit KEY [--dry-run]

The same check and write as the web import, run by the system (audited with no user). Every
problem is printed, one per line; any problem means nothing is written and the exit status is 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.imports.services import import_file
from lantoa.lib.vi import format_date, format_int
from lantoa.org.models import Unit


class Command(BaseCommand):
    help = "Import party members from an .xlsx or .csv file into a unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument("--unit", required=True, help="key of the unit the members belong under")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        unit = Unit.objects.filter(key=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with the key %(key)s.") % {"key": options["unit"]})
        today = timezone.localdate()
        if not unit.is_open_on(today):
            raise CommandError(
                _("%(unit)s does not exist on %(date)s.") % {"unit": unit.name, "date": format_date(today)}
            )
        plan = import_file(path=path, unit=unit, actor=None, dry_run=options["dry_run"])
        if not plan.ok:
            for problem in plan.problems:
                self.stdout.write(problem.message)
            raise CommandError(
                _("%(count)s problems: nothing was imported.") % {"count": format_int(len(plan.problems))}
            )
        counts = {name: format_int(value) for name, value in plan.counts.items()}
        summary = (
            _(
                "%(rows)s rows: %(new)s new, %(updated)s updated (%(transferred)s transferred), "
                "%(unchanged)s unchanged."
            )
            % counts
        )
        if options["dry_run"]:
            summary += " " + _("Dry run: nothing was written.")
        self.stdout.write(summary)
