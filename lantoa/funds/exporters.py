"""The fund's statement (sao kê quỹ) as a Party document (.docx) and as a spreadsheet (.xlsx),
ready to read out at the cell meeting.

The document: the unit's Party heading, "BÁO CÁO THU CHI QUỸ", the fund's name and the period;
I. the summary (opening balance; money in: members' savings with the number of members who
saved, donations, a balance carried over when one was booked in the period; money out: the
sponsored children; closing balance); II. each child with the number of disbursements and the
total; III. every entry of the period (number, date, kind, what it was, in, out); THỦ QUỸ on the
left, T/M CHI BỘ – BÍ THƯ on the right. The spreadsheet: "Tổng hợp" (the summary and the
children) and "Sổ quỹ" (the entries, with real numbers and dates).

A child is printed by name only when their pk is in ``named`` (the caller's reading of the
consents: ``access.consent_covers(child, ConsentUse.STATEMENT, day)``), and then by name and birth
year only; every other child by initials and birth year (``Beneficiary.masked_label``). Nothing
else about a child (commune, hamlet, situation, guardian, contact) and never who received the
money (``Disbursement.received_by``) is printed. A reversal is written in the column of the
entry it undoes with a minus sign (bút toán ghi số âm), so that each column adds up to the
summary's figures. Printed text is Vietnamese whatever the reader's language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lantoa.lib.vi import format_date, format_int, format_month
from lantoa.lib.xlsx import XLSX_CONTENT_TYPE, neutralise

from .models import INFLOW_KINDS, Beneficiary, Disbursement, EntryKind, LedgerEntry
from .queries import Statement

if TYPE_CHECKING:
    from lantoa.lib import party_docx as pd

__all__ = [
    "DOCX_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "child_label",
    "statement_docx",
    "statement_filename",
    "statement_xlsx",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE = "BÁO CÁO THU CHI QUỸ"

KIND_WORDS = {
    EntryKind.OPENING: "Số dư chuyển sang",
    EntryKind.CONTRIBUTION: "Tiết kiệm",
    EntryKind.DONATION: "Ủng hộ",
    EntryKind.DISBURSEMENT: "Chi đỡ đầu",
    EntryKind.REVERSAL: "Điều chỉnh",
}

MASKED_NOTE = (
    "Trẻ em chưa có ý kiến đồng ý công khai họ tên được ghi bằng chữ cái đầu của họ tên và năm sinh."
)


# ---------------------------------------------------------------------------------------------
# What both files print
# ---------------------------------------------------------------------------------------------


def child_label(child: Beneficiary, named: set[int]) -> str:
    """ "Trần Ngọc Bảo Hân (2014)" when a consent covers the statement, else "T. N. B. H. (2014)"."""
    if child.pk in named:
        return f"{child.full_name} ({child.birth_year})"
    return child.masked_label


def period_line(st: Statement) -> str:
    return f"Từ ngày {format_date(st.start)} đến ngày {format_date(st.end)}"


@dataclass(frozen=True)
class SummaryLine:
    label: str
    amount: int
    level: int  # 0: a heading line (opening, in, out, closing); 1: a part of the line above
    number: str = ""  # "1", "2" … on heading lines


def summary_lines(st: Statement) -> list[SummaryLine]:
    """Opening, money in and its parts, money out, closing: opening + in − out = closing."""
    lines = [
        SummaryLine("Số dư đầu kỳ", st.opening, 0, "1"),
        SummaryLine("Thu trong kỳ", st.money_in, 0, "2"),
        SummaryLine(f"Đảng viên tiết kiệm ({format_int(st.contributors)} đồng chí)", st.contributions, 1),
        SummaryLine("Ủng hộ", st.donations, 1),
    ]
    if st.opening_entries:
        lines.append(SummaryLine("Số dư chuyển sang", st.opening_entries, 1))
    lines += [
        SummaryLine("Chi trong kỳ", st.money_out, 0, "3"),
        SummaryLine("Đỡ đầu trẻ em", st.money_out, 1),
        SummaryLine("Số dư cuối kỳ", st.closing, 0, "4"),
    ]
    return lines


@dataclass(frozen=True)
class EntryLine:
    number: int | str  # "12–311" for the members' savings of one day summed on one line
    day: dt.date
    kind: str
    content: str
    money_in: int | None
    money_out: int | None


def _slots(entries: Sequence[LedgerEntry]) -> dict[int, dt.date]:
    """The period each disbursement pays, in one query (the slot only: never who received it)."""
    ids = [entry.pk for entry in entries if entry.kind == EntryKind.DISBURSEMENT]
    if not ids:
        return {}
    return dict(Disbursement.objects.filter(entry_id__in=ids).values_list("entry_id", "slot"))


def entry_lines(st: Statement, named: set[int]) -> list[EntryLine]:
    """The period's entries as printed. A reversal goes, negated, in the column of the entry it
    undoes, so the "Thu" column adds up to ``st.money_in`` and "Chi" to ``st.money_out``."""
    slots = _slots(st.entries)
    lines = []
    for entry in st.entries:
        kind = EntryKind(entry.kind)
        if kind == EntryKind.REVERSAL and entry.reverses is not None:
            counted_as = EntryKind(entry.reverses.kind)
            content = f"Điều chỉnh bút toán số {entry.reverses.number}: {entry.reason}"
        else:
            counted_as = kind
            content = _content(entry, kind, named, slots)
        if counted_as in INFLOW_KINDS:
            money_in, money_out = entry.amount, None
        else:
            money_in, money_out = None, -entry.amount
        lines.append(
            EntryLine(entry.number, entry.occurred_on, KIND_WORDS[kind], content, money_in, money_out)
        )
    return lines


def savings_summed(lines: list[EntryLine], entries: Sequence[LedgerEntry]) -> list[EntryLine]:
    """The lines read out at the meeting: the members' savings booked on one day for one month
    summed on one line ("Tiết kiệm tháng 03/2026 của 9 đảng viên"), the rest as they are. A
    fund of 300 members would otherwise print 3 600 lines a year (and Word builds a long table
    slowly); who saved is on the month's collection sheet and, entry by entry, in the Excel file."""
    summed: list[EntryLine] = []
    # (day, month) → [its place in ``summed``, entry numbers, total, month]
    groups: dict[tuple[dt.date, dt.date | None], list] = {}
    for line, entry in zip(lines, entries, strict=True):
        if entry.kind != EntryKind.CONTRIBUTION:
            summed.append(line)
            continue
        group = groups.get((entry.occurred_on, entry.month))
        if group is None:
            groups[(entry.occurred_on, entry.month)] = [
                len(summed),
                [entry.number],
                line.money_in or 0,
                entry.month,
            ]
            summed.append(line)
        else:
            group[1].append(entry.number)
            group[2] += line.money_in or 0
    for place, numbers, total, month in groups.values():
        if len(numbers) > 1:
            first = summed[place]
            what = f"Tiết kiệm tháng {format_month(month)}" if month else "Tiết kiệm"
            summed[place] = EntryLine(
                f"{min(numbers)}–{max(numbers)}",
                first.day,
                first.kind,
                f"{what} của {len(numbers)} đảng viên",
                total,
                None,
            )
    return summed


def _content(entry: LedgerEntry, kind: EntryKind, named: set[int], slots: dict[int, dt.date]) -> str:
    if kind == EntryKind.CONTRIBUTION:
        month = f"Tiết kiệm tháng {format_month(entry.month)}" if entry.month else "Tiết kiệm"
        member = entry.member.person.full_name if entry.member is not None else ""
        return f"{member} – {month}" if member else month
    if kind == EntryKind.DONATION:
        return entry.source
    if kind == EntryKind.DISBURSEMENT:
        label = child_label(entry.beneficiary, named) if entry.beneficiary is not None else ""
        slot = slots.get(entry.pk)
        return f"Đỡ đầu {label}" + (f", kỳ từ tháng {format_month(slot)}" if slot else "")
    if kind == EntryKind.OPENING:
        return entry.reason or "Số dư của quỹ trước khi ghi sổ"
    return entry.reason


def statement_filename(st: Statement, suffix: str) -> str:
    """ "sao-ke-quy-hoi-lhpn-01-01-2023-31-12-2023.docx": ASCII only."""
    unit_key = _ascii_slug(st.fund.unit.key) or "don-vi"
    extension = _ascii_slug(suffix.lstrip(".")) or "bin"
    start = format_date(st.start).replace("/", "-")
    end = format_date(st.end).replace("/", "-")
    return f"sao-ke-quy-{unit_key}-{start}-{end}.{extension}"


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


# ---------------------------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------------------------


def _signing_body(st: Statement) -> str:
    from lantoa.org.models import UnitKind

    unit = st.fund.unit
    if unit.is_cell:
        return "CHI BỘ"
    if unit.kind in (UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.PROVINCE, UnitKind.CENTRAL):
        return "BAN THƯỜNG VỤ"
    return "ĐẢNG ỦY"


def _secretary_name(st: Statement, on: dt.date) -> str:
    from lantoa.org.models import PositionTitle
    from lantoa.org.queries import positions_on

    post = positions_on(st.fund.unit, on).filter(title=PositionTitle.SECRETARY).first()
    return post.person.full_name if post is not None else ""


def statement_document(st: Statement, *, named: set[int], printed_on: dt.date) -> pd.PartyDocument:
    from lantoa.documents.exporters import letterhead_name, place_name
    from lantoa.lib import party_docx as pd
    from lantoa.org.queries import parent_on

    unit = st.fund.unit
    parent = parent_on(unit, printed_on)
    summary_rows: list[list[pd.Cell]] = [
        [line.number, line.label if line.level == 0 else f"- {line.label}", format_int(line.amount)]
        for line in summary_lines(st)
    ]
    body: list[pd.Block] = [
        pd.Heading("I. TỔNG HỢP THU CHI"),
        pd.Table(
            header=["TT", "Nội dung", "Số tiền (đồng)"],
            rows=summary_rows,
            widths_cm=[1.2, 10.8, 4.5],
            total_row=True,
        ),
        pd.Heading("II. ĐỠ ĐẦU TRẺ EM"),
    ]
    if st.children:
        child_rows: list[list[pd.Cell]] = [
            [str(n), child_label(line.child, named), format_int(line.count), format_int(line.total)]
            for n, line in enumerate(st.children, start=1)
        ]
        child_rows.append(
            [
                "",
                "Cộng",
                format_int(sum(line.count for line in st.children)),
                format_int(sum(line.total for line in st.children)),
            ]
        )
        body.append(
            pd.Table(
                header=["TT", "Trẻ được đỡ đầu", "Số lần nhận", "Số tiền (đồng)"],
                rows=child_rows,
                widths_cm=[1.2, 8.8, 2.5, 4.0],
                total_row=True,
            )
        )
        if any(line.child.pk not in named for line in st.children):
            body.append(pd.Paragraph([pd.Run(MASKED_NOTE, italic=True)]))
    else:
        body.append(pd.Paragraph("Trong kỳ không có trẻ em được đỡ đầu."))
    body.append(pd.Heading("III. CHI TIẾT CÁC KHOẢN THU, CHI"))
    lines = savings_summed(entry_lines(st, named), st.entries)
    if lines:
        entry_rows: list[list[pd.Cell]] = [
            [
                str(line.number),
                format_date(line.day),
                line.kind,
                line.content,
                format_int(line.money_in) if line.money_in is not None else "",
                format_int(line.money_out) if line.money_out is not None else "",
            ]
            for line in lines
        ]
        entry_rows.append(
            [
                "",
                "",
                "",
                "Cộng",
                format_int(sum(line.money_in or 0 for line in lines)),
                format_int(sum(line.money_out or 0 for line in lines)),
            ]
        )
        body.append(
            pd.Table(
                header=["Số", "Ngày", "Loại", "Nội dung", "Thu (đồng)", "Chi (đồng)"],
                rows=entry_rows,
                widths_cm=[1.1, 2.4, 2.5, 5.5, 2.5, 2.5],
                total_row=True,
                font_size=12,
            )
        )
    else:
        body.append(pd.Paragraph("Trong kỳ không phát sinh khoản thu, chi nào."))
    body.append(
        pd.Paragraph(
            [
                pd.Run(f"Số dư quỹ đến hết ngày {format_date(st.end)}: "),
                pd.Run(f"{format_int(st.closing)} đồng", bold=True),
                pd.Run("./."),
            ]
        )
    )
    return pd.PartyDocument(
        upper_body=letterhead_name(parent) if parent else None,
        issuing_body=pd.to_upper_vi(unit.name),
        number_symbol="",
        place=place_name(unit, printed_on),
        date=printed_on,
        type_name=TITLE,
        summary=f"{st.fund.name}\n{period_line(st)}",
        body=body,
        signature=pd.Signature(
            form="T/M",
            body_label=_signing_body(st),
            title="BÍ THƯ",
            name=_secretary_name(st, printed_on),
            second_signer=pd.Signature(title="THỦ QUỸ"),
        ),
    )


def statement_docx(st: Statement, *, named: set[int], printed_on: dt.date) -> bytes:
    """The statement as a Party-format .docx (see the module's notes)."""
    from lantoa.lib import party_docx as pd

    return pd.render_docx(statement_document(st, named=named, printed_on=printed_on))


# ---------------------------------------------------------------------------------------------
# The spreadsheet
# ---------------------------------------------------------------------------------------------

_MONEY = "#,##0"
_DATE = "DD/MM/YYYY"


def statement_xlsx(st: Statement, *, named: set[int], printed_on: dt.date) -> bytes:
    """Two sheets: "Tổng hợp" (summary, children) and "Sổ quỹ" (the entries)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    bold = Font(bold=True)

    # Rows are counted here: openpyxl's ``max_row`` and ``sheet[row]`` look at every cell written
    # so far, and a fund's year of 3 600 entries took five seconds through them.
    rows: dict[str, int] = {}

    def put(sheet: Worksheet, values: Sequence[Any], *, strong: bool = False, indent: int = 0) -> int:
        sheet.append([neutralise(value) for value in values])
        row = rows[sheet.title] = rows.get(sheet.title, 0) + 1
        for column in range(1, len(values) + 1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell.value, dt.date):
                cell.number_format = _DATE
            elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = _MONEY
            if strong:
                cell.font = bold
        if indent:
            sheet.cell(row=row, column=1).alignment = Alignment(indent=indent)
        return row

    def header(sheet: Worksheet, titles: Sequence[str]) -> int:
        row = put(sheet, titles, strong=True)
        for column in range(1, len(titles) + 1):
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="center")
        return row

    def skip(sheet: Worksheet) -> None:
        sheet.append([])
        rows[sheet.title] = rows.get(sheet.title, 0) + 1

    def widths(sheet: Worksheet, values: Sequence[int]) -> None:
        for index, width in enumerate(values, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    for title in (
        st.fund.unit.name,
        TITLE,
        st.fund.name,
        period_line(st),
        f"Ngày lập: {format_date(printed_on)}",
    ):
        row = put(summary, [title])
        summary.cell(row=row, column=1).font = Font(bold=True, size=13)
    skip(summary)
    header(summary, ["Nội dung", "Số tiền (đồng)"])
    for line in summary_lines(st):
        put(summary, [line.label, line.amount], strong=line.level == 0, indent=2 * line.level)
    skip(summary)
    header(summary, ["Trẻ được đỡ đầu", "Số lần nhận", "Số tiền (đồng)"])
    for child in st.children:
        put(summary, [child_label(child.child, named), child.count, child.total])
    put(
        summary,
        ["Cộng", sum(line.count for line in st.children), sum(line.total for line in st.children)],
        strong=True,
    )
    if any(line.child.pk not in named for line in st.children):
        skip(summary)
        put(summary, [MASKED_NOTE])
    widths(summary, [60, 18, 18])

    ledger = book.create_sheet("Sổ quỹ")
    first = header(ledger, ["Số", "Ngày", "Loại", "Nội dung", "Thu (đồng)", "Chi (đồng)"])
    lines = entry_lines(st, named)
    for entry in lines:
        row = put(
            ledger, [entry.number, entry.day, entry.kind, entry.content, entry.money_in, entry.money_out]
        )
        ledger.cell(row=row, column=1).number_format = "0"
    put(
        ledger,
        [
            None,
            None,
            None,
            "Cộng",
            sum(line.money_in or 0 for line in lines),
            sum(line.money_out or 0 for line in lines),
        ],
        strong=True,
    )
    ledger.freeze_panes = ledger.cell(row=first + 1, column=1)
    widths(ledger, [8, 13, 18, 60, 16, 16])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
