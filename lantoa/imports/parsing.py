"""Reading a member sheet (.xlsx or .csv): finding its header row and naming its columns.

``open_sheet`` finds the header row (title rows may sit above it) and yields the data rows with
the row numbers Excel shows; ``match_headers`` maps the file's headers to ``columns.COLUMNS``.
Checking each row is ``cleaning.py``'s job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl.utils import get_column_letter

from lantoa.lib.zip_limits import ArchiveTooLarge, ArchiveUnreadable, ZipLimits, check_archive

from .columns import COLUMN_BY_FIELD, COLUMNS, HEADER_INDEX, header_key
from .messages import Problem

# How far down the header row may sit (title rows such as "DANH SÁCH ĐẢNG VIÊN" come first).
HEADER_SEARCH_ROWS = 20
# Columns read from each row: the template has 12; anything past this is not member data, and a
# row 16 000 cells wide would otherwise be held in memory whole.
MAX_COLUMNS = 64

# An .xlsx is a zip archive of XML parts, read before anything is parsed so that a small file
# cannot unfold into gigabytes (a "zip bomb"). Real member files: 100 000 rows are an 8 MB file
# whose sheet unfolds to about 70 MB, ten to fifteen times its packed size.
MAX_PARTS = 500
MAX_PART_BYTES = 300 * 1024 * 1024  # one sheet of 200 000 rows is about 140 MB
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024  # read into memory whole by openpyxl
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_PACKING_RATIO = 150  # for parts over a megabyte; whitespace packs a thousand to one


class FileProblem(Exception):
    """The file cannot be read at all (wrong type, not UTF-8, no header row)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Sheet:
    """The header row and an iterator over the data rows below it."""

    header_row: int
    headers: list[str]
    rows: Iterator[tuple[int, Sequence[Any]]]
    # Data rows the file says it has (for the progress bar); 0 when it does not say.
    expected_rows: int = 0


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


def file_kind(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return "xlsx"
    if lowered.endswith(".csv"):
        return "csv"
    return None


def open_sheet(stream: IO[bytes], name: str) -> Sheet:
    kind = file_kind(name)
    if kind is None:
        raise FileProblem(Problem("file_type"))
    raw_rows, expected = _read_csv(stream) if kind == "csv" else _read_xlsx(stream)
    return _find_header(raw_rows, expected)


def _check_zip(stream: IO[bytes]) -> None:
    """Refuse an .xlsx whose parts would unfold far beyond what member data needs."""
    limits = ZipLimits(
        max_parts=MAX_PARTS,
        max_total_bytes=MAX_UNPACKED_BYTES,
        max_part_bytes=lambda name: (
            MAX_SHARED_STRINGS_BYTES if name.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES
        ),
        max_packing_ratio=MAX_PACKING_RATIO,
    )
    try:
        check_archive(stream, limits)
    except ArchiveUnreadable as exc:
        raise FileProblem(Problem("file_unreadable")) from exc
    except ArchiveTooLarge as exc:
        raise FileProblem(Problem("file_unusual")) from exc


def _read_xlsx(stream: IO[bytes]) -> tuple[Iterator[Sequence[Any]], int]:
    from openpyxl import load_workbook  # lazy: openpyxl is only needed here and in exports

    _check_zip(stream)
    try:
        book = load_workbook(stream, read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except Exception as exc:  # zip, XML and openpyxl errors all mean "not a readable .xlsx"
        raise FileProblem(Problem("file_unreadable")) from exc
    expected = sheet.max_row or 0
    # Some programs write a wrong <dimension> and read-only mode would stop there: read to the end.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    return _closing_rows(rows, book.close), expected


def _closing_rows(rows: Iterator[Sequence[Any]], close: Callable[[], None]) -> Iterator[Sequence[Any]]:
    try:
        yield from rows
    except Exception as exc:  # a damaged sheet: openpyxl raises zip, XML or value errors
        raise FileProblem(Problem("file_unreadable")) from exc
    finally:
        close()


def _read_csv(stream: IO[bytes]) -> tuple[Iterator[Sequence[Any]], int]:
    """Read as a stream: the lines counted first (for the progress bar), then decoded one by one."""
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # -sig: Excel's BOM
    try:
        head = [text.readline() for _ in range(HEADER_SEARCH_ROWS)]
        text.seek(0)
    except UnicodeDecodeError as exc:
        raise FileProblem(Problem("csv_not_utf8")) from exc
    delimiter = _sniff_delimiter(head)
    return _csv_rows(csv.reader(text, delimiter=delimiter)), lines


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[Sequence[Any]]:
    try:
        for row in reader:
            yield row[:MAX_COLUMNS]
    except csv.Error as exc:  # e.g. a NUL byte: not a text file
        raise FileProblem(Problem("file_unreadable")) from exc
    except UnicodeDecodeError as exc:
        raise FileProblem(Problem("csv_not_utf8")) from exc


def _sniff_delimiter(lines: Iterable[str]) -> str:
    """Excel writes ';' where the decimal mark is a comma (Vietnamese Windows), ',' elsewhere."""
    for line in lines:
        semicolons, commas = line.count(";"), line.count(",")
        if semicolons or commas:
            return ";" if semicolons > commas else ","
    return ","


def _find_header(raw_rows: Iterator[Sequence[Any]], expected: int) -> Sheet:
    for number, values in enumerate(raw_rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        known = sum(1 for value in values if header_key(value) in HEADER_INDEX)
        if known >= 2:
            headers = ["" if value is None else str(value).strip() for value in values]
            return Sheet(
                header_row=number,
                headers=headers,
                rows=enumerate(raw_rows, start=number + 1),
                expected_rows=max(expected - number, 0),
            )
    raise FileProblem(Problem("no_header", row=None))


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


@dataclass
class HeaderMap:
    """Which position in a row holds which column, and the header text the file used for it."""

    positions: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or COLUMN_BY_FIELD[field_name].header


def match_headers(sheet: Sheet) -> tuple[HeaderMap, list[Problem]]:
    mapping = HeaderMap()
    problems: list[Problem] = []
    for index, text in enumerate(sheet.headers):
        if not text:
            continue  # an unnamed column (often just formatting) is not data
        column = HEADER_INDEX.get(header_key(text))
        if column is None:
            problems.append(Problem("unknown_header", row=sheet.header_row, column=text))
        elif column.field in mapping.positions:
            first = mapping.positions[column.field]
            problems.append(
                Problem(
                    "duplicate_header",
                    row=sheet.header_row,
                    column=text,
                    params={"other": get_column_letter(first + 1)},
                )
            )
        else:
            mapping.positions[column.field] = index
            mapping.labels[column.field] = text
    problems.extend(
        Problem("missing_header", row=sheet.header_row, column=column.header)
        for column in COLUMNS
        if column.required and column.field not in mapping.positions
    )
    return mapping, problems
