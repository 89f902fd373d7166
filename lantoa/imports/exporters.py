"""The member sheet as Excel: the import template and the export of a unit's members.

Both use ``columns.COLUMNS``, so an exported file imports again unchanged. Text is neutralised
(Excel must show "=1+1", not compute it), dates are real Excel dates shown dd/mm/yyyy, and the
columns people type numbers into are formatted as text so Excel keeps leading zeros.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from lantoa.lib.vi import format_date
from lantoa.lib.xlsx import neutralise
from lantoa.org.models import Gender, Membership

from .cleaning import CellChoice
from .columns import COLUMNS, DATE, MASK

SHEET_TITLE = "Đảng viên"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
# Columns whose digits Excel would otherwise turn into numbers (and drop the leading zero).
TEXT_COLUMNS = frozenset({"card_number", "id_number", "phone"})
GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class MemberSheetExporter:
    """An .xlsx of member rows (each a list in ``COLUMNS`` order)."""

    identifier = "members"
    extension = "xlsx"
    content_type = XLSX_CONTENT_TYPE

    def __init__(self, rows: Iterable[list[Any]]) -> None:
        self.rows = rows

    def render(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        # Write-only: 100 000 rows in constant memory.
        book = Workbook(write_only=True)
        sheet = book.create_sheet(SHEET_TITLE)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(COLUMNS):
            sheet.column_dimensions[_letter(index)].width = column.width
        bold = Font(bold=True)
        header = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        kinds = [(column.kind == DATE, column.field in TEXT_COLUMNS) for column in COLUMNS]
        for values in self.rows:
            out: list[Any] = []
            for (is_date, is_text), value in zip(kinds, values, strict=True):
                if is_date and value is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = DATE_FORMAT
                    out.append(cell)
                elif is_text and value:
                    cell = WriteOnlyCell(sheet, value=neutralise(value))
                    cell.number_format = TEXT_FORMAT
                    out.append(cell)
                else:
                    out.append(neutralise(value) if isinstance(value, str) else value)
            sheet.append(out)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def member_rows(
    memberships: Iterable[Membership], *, readable: set[int], twins: set[int]
) -> Iterator[list[Any]]:
    """One row per membership, in ``COLUMNS`` order. ``readable`` are the people whose sensitive
    columns the reader may see (``org.sensitive``); the others' read ``MASK``, whether a value
    is stored or not. ``twins`` are cells written "name (key)"."""
    for number, membership in enumerate(memberships, start=1):
        member = membership.member
        person = member.person
        unit = membership.unit
        values: dict[str, Any] = {
            "row_number": number,
            "full_name": person.full_name,
            "card_number": member.card_number or "",
            "birth_date": person.birth_date,
            "gender": GENDER_LABELS.get(person.gender, ""),  # type: ignore[call-overload]
            "ethnicity": person.ethnicity,
            "religion": person.religion,
            "id_number": person.id_number,
            "phone": person.phone,
            "admitted_on": member.admitted_on,
            "full_member_on": member.full_member_on,
            "cell": f"{unit.name} ({unit.key})" if unit.pk in twins else unit.name,
        }
        if person.pk not in readable:
            for column in COLUMNS:
                if column.sensitive:
                    values[column.field] = MASK
        yield [values[column.field] for column in COLUMNS]


# ---------------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------------

# The instructions are a Vietnamese document, like the headers: they describe the file format.
INSTRUCTIONS = (
    (
        "Mỗi dòng của trang “Đảng viên” là một đảng viên, bắt đầu từ dòng 2, ngay dưới dòng tiêu đề. "
        "Giữ nguyên dòng tiêu đề. Cột “Ví dụ” ở bảng dưới đây cho thấy cách ghi từng cột; người "
        "trong ví dụ (Nguyễn Văn An) không có thật, đừng chép vào trang “Đảng viên”."
    ),
    (
        "Cột bắt buộc: Họ và tên, Số thẻ đảng viên, Ngày vào Đảng, Chi bộ. Cột không dùng có thể "
        "để trống hoặc xóa; không thêm cột khác (cột STT được bỏ qua)."
    ),
    "Ngày ghi theo dạng dd/mm/yyyy (ví dụ 19/05/1990) hoặc dùng ô kiểu Ngày của Excel.",
    "Giới tính ghi “Nam” hoặc “Nữ”.",
    (
        "Chi bộ: ghi tên chi bộ (không phân biệt hoa thường, có dấu hay không dấu) hoặc mã chi bộ. "
        "Khi hai chi bộ trùng tên, ghi mã chi bộ. Mẫu tải cho một đơn vị có trang “Chi bộ” liệt kê "
        "tên và mã."
    ),
    "Số thẻ đảng viên: đảng viên dự bị chưa có thẻ thì để trống, khi đó phải ghi ngày sinh.",
    (
        "Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số). Các cột số thẻ, CCCD, điện thoại đã để kiểu "
        "Văn bản để Excel không làm mất số 0 ở đầu."
    ),
    (
        "Đảng viên được nhận ra theo số thẻ: nhập lại cùng một tệp không thay đổi gì. Ô để trống, "
        "hoặc ô “•••” (dữ liệu được che khi xuất), giữ nguyên dữ liệu đã có."
    ),
    "Ghi chi bộ khác với chi bộ hiện tại là chuyển sinh hoạt: từ hôm nay đảng viên sinh hoạt ở chi bộ mới.",
    "Không dùng công thức. Ô bắt đầu bằng =, +, -, @ được lưu nguyên văn như chữ.",
    (
        "Có thể nhập tệp .xlsx hoặc .csv (mã UTF-8, dấu phân cách “;” hoặc “,”). Nếu có lỗi, "
        "Lan Tỏa liệt kê mọi lỗi (dòng, cột, lỗi) và không ghi gì cho đến khi sửa hết."
    ),
)
COLUMN_NOTES = {
    "row_number": "Số thứ tự, không bắt buộc, được bỏ qua khi nhập.",
    "full_name": "Họ và tên đầy đủ, có dấu.",
    "card_number": "Số thẻ hiện tại; số thẻ cũ (trước khi đổi thẻ) vẫn nhận ra được đảng viên.",
    "birth_date": "dd/mm/yyyy.",
    "gender": "Nam hoặc Nữ.",
    "ethnicity": "Ví dụ: Kinh, Khmer, Hoa.",
    "religion": "Ví dụ: Không, Phật giáo, Công giáo.",
    "id_number": "12 chữ số (CMND cũ: 9 chữ số).",
    "phone": "Ví dụ: 0912345678.",
    "admitted_on": "dd/mm/yyyy; không sau hôm nay.",
    "full_member_on": "dd/mm/yyyy; không trước ngày vào Đảng. Để trống nếu còn dự bị.",
    "cell": "Tên hoặc mã chi bộ nơi đảng viên sinh hoạt.",
}


def _example(cell_name: str) -> dict[str, Any]:
    """The made-up member the instructions show, column by column. Its name and card number are
    also refused by the import (``cleaning.TEMPLATE_EXAMPLE_*``): templates handed out before
    11/2026 carried it as the first data row."""
    return {
        "row_number": 1,
        "full_name": "Nguyễn Văn An",
        "card_number": "12345678",
        "birth_date": dt.date(1985, 5, 15),
        "gender": "Nam",
        "ethnicity": "Kinh",
        "religion": "Không",
        "id_number": "083085001234",
        "phone": "0912345678",
        "admitted_on": dt.date(2010, 2, 3),
        "full_member_on": dt.date(2011, 2, 3),
        "cell": cell_name,
    }


def template_workbook(cells: list[CellChoice] | None = None, unit_name: str = "") -> bytes:
    """The import template: the member sheet with only its header row (an example left on it
    would be imported as a member), instructions with an example of each column; with ``cells``,
    a sheet listing them and a drop-down in the "Chi bộ" column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    sheet.append([column.header for column in COLUMNS])
    example = _example(cells[0].name if cells else "Chi bộ ấp Phước Thạnh")
    for index, column in enumerate(COLUMNS):
        letter = _letter(index)
        sheet.column_dimensions[letter].width = column.width
        sheet[f"{letter}1"].font = bold
        # Styles for the rows people will type into (a whole-column style is not kept by every
        # spreadsheet program, so the first thousand rows get it explicitly).
        if column.kind == DATE or column.field in TEXT_COLUMNS:
            number_format = DATE_FORMAT if column.kind == DATE else TEXT_FORMAT
            for row in range(2, 1002):
                sheet[f"{letter}{row}"].number_format = number_format
    sheet.freeze_panes = "A2"
    gender_letter = _letter(next(i for i, c in enumerate(COLUMNS) if c.field == "gender"))
    genders = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    genders.add(f"{gender_letter}2:{gender_letter}1001")
    sheet.add_data_validation(genders)

    guide = book.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 45
    guide.column_dimensions["E"].width = 24
    guide.append(
        ["HƯỚNG DẪN NHẬP DANH SÁCH ĐẢNG VIÊN VÀO LAN TỎA" + (f" — {unit_name}" if unit_name else "")]
    )
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([])
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, text in enumerate(INSTRUCTIONS, start=1):
        guide.append([f"{number}.", None, text])
        guide.merge_cells(start_row=guide.max_row, start_column=3, end_row=guide.max_row, end_column=4)
        guide.cell(guide.max_row, 3).alignment = wrap
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Tên cột khác được chấp nhận", "Ví dụ"])
    for cell in guide[guide.max_row]:
        cell.font = bold
    for column in COLUMNS:
        value = example[column.field]
        guide.append(
            [
                column.header,
                "có" if column.required else "",
                COLUMN_NOTES[column.field],
                ", ".join(column.aliases),
                # As typed: a date as dd/mm/yyyy text, a card number with its digits.
                neutralise(format_date(value) if isinstance(value, dt.date) else str(value)),
            ]
        )
        for cell in guide[guide.max_row]:
            cell.alignment = wrap

    if cells:
        listing = book.create_sheet("Chi bộ")
        listing.append(["Tên chi bộ", "Mã chi bộ"])
        for cell in listing[1]:
            cell.font = bold
        listing.column_dimensions["A"].width = 40
        listing.column_dimensions["B"].width = 30
        for cell_choice in cells:
            listing.append([neutralise(cell_choice.name), cell_choice.key])
        cell_letter = _letter(next(i for i, c in enumerate(COLUMNS) if c.field == "cell"))
        # A drop-down that still accepts typed names and keys.
        choices = DataValidation(
            type="list",
            formula1=f"='Chi bộ'!$A$2:$A${len(cells) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        choices.add(f"{cell_letter}2:{cell_letter}1001")
        sheet.add_data_validation(choices)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_filename(unit_key: str, on: dt.date) -> str:
    return f"dang-vien-{unit_key}-{format_date(on).replace('/', '-')}.xlsx"
