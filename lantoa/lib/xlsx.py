"""Spreadsheets people open in Excel: bold frozen header, real dates shown dd/mm/yyyy, sensible
widths, and text that Excel would run as a formula neutralised."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from lantoa.lib.text import printable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run by Excel as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A value for a cell: text that starts like a formula gets a leading apostrophe so Excel
    shows it as text, and characters a sheet cannot hold are dropped (``lib.text.printable``:
    stored before the input rules, they must not make the export fail)."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def table_xlsx(
    *,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    title_lines: Sequence[str] = (),
) -> bytes:
    """One sheet: optional title lines, then a bold header row (frozen) and the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    for line in title_lines:
        sheet.append([neutralise(line)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)
    if title_lines:
        sheet.append([])
    sheet.append(list(header))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, width in enumerate(widths or [18] * len(header), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
