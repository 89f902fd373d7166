"""``manage.py report --unit KEY --from YYYY-MM-DD --to YYYY-MM-DD --format json|docx|xlsx|pdf``:
the review report of any unit and period, from the command line (JSON to standard output when
no ``--output`` is given)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lantoa.lib import pdf
from lantoa.org.models import Unit

from ...checks import data_warnings
from ...compute import as_json, compute_report
from ...document import draft_number, report_docx, report_xlsx
from ...periods import PeriodError, check_within_life, checked_period


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "The review report of a unit over a period, as JSON, Word, Excel or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="the unit's key, e.g. chau-thanh")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=("json", "docx", "xlsx", "pdf"), default="json")
        parser.add_argument("--output", help="file to write (JSON goes to standard output without it)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(key=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit has the key {options['unit']!r}.")
        today = timezone.localdate()
        try:
            period = checked_period(_day(options["start"], "--from"), _day(options["end"], "--to"), today)
            check_within_life(unit, period)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        fmt, output = options["format"], options.get("output")
        if fmt != "json" and not output:
            raise CommandError(f"--format {fmt} needs --output PATH.")
        report = compute_report(unit, period, today)
        if fmt == "json":
            found = as_json(report)
            found["warnings"] = [asdict(warning) for warning in data_warnings(report, today)]
            text = json.dumps(found, ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        number = draft_number(unit.short_code)
        if fmt == "xlsx":
            content = report_xlsx(report, printed_on=today, today=today)
        else:
            content = report_docx(report, printed_on=today, number_symbol=number, today=today)
            if fmt == "pdf":
                if not pdf.pdf_available():
                    raise CommandError("PDF needs LibreOffice (soffice), which is not installed here.")
                try:
                    content = pdf.docx_to_pdf(content)
                except pdf.PdfError as error:
                    raise CommandError(f"The PDF could not be made: {error}") from error
        assert output is not None
        Path(output).write_bytes(content)
        self.stderr.write(f"Written {output} ({len(content):,} bytes).")
