"""The member sheet's columns: one definition shared by the template, the import and the export,
so a file exported from Lan Tỏa imports again unchanged.

Headers are Vietnamese on purpose and never translated: they are the data format people type in
Excel, not interface text. ``meaning`` says in the reader's language what a column holds (the
English page lists "Họ và tên (full name)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantoa.lib.text import fold
from lantoa.lib.xlsx import FORMULA_STARTS
from lantoa.org.models import PartyMember, Person

# Kinds of cell, for reading and writing.
TEXT = "text"
DATE = "date"
GENDER = "gender"


@dataclass(frozen=True)
class Column:
    field: str  # Person / PartyMember field name, or "cell" / "row_number"
    header: str  # as the template writes it
    aliases: tuple[str, ...] = ()
    kind: str = TEXT
    required: bool = False  # the column must be present
    max_length: int = 0
    width: int = 14  # in the exported sheet, in characters

    @property
    def sensitive(self) -> bool:
        """Masked and guarded as ``Person`` declares (lib.privacy): one list, not a second one here."""
        return self.field in Person.SENSITIVE.fields

    @property
    def meaning(self) -> str | Promise:
        """What the column holds, in the reader's language: the model field's own name."""
        if self.field == "cell":
            return _("cell")
        if self.field == "row_number":
            return _("row number")
        for model in (Person, PartyMember):
            try:
                field = model._meta.get_field(self.field)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.Field):
                return field.verbose_name
        return self.header


COLUMNS: tuple[Column, ...] = (
    Column("row_number", "STT", ("Số TT", "TT", "Số thứ tự"), width=6),
    Column(
        "full_name",
        "Họ và tên",
        ("Họ tên", "Họ và tên đảng viên", "Họ tên đảng viên"),
        required=True,
        max_length=120,
        width=28,
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        ("Số thẻ ĐV", "Số thẻ", "Số thẻ Đảng", "Số thẻ đảng"),
        required=True,
        max_length=20,
        width=16,
    ),
    Column("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh"), kind=DATE, width=12),
    Column("gender", "Giới tính", ("Nam/Nữ",), kind=GENDER, width=9),
    Column("ethnicity", "Dân tộc", (), max_length=50, width=10),
    Column("religion", "Tôn giáo", (), max_length=50, width=11),
    Column(
        "id_number",
        "Số CCCD",
        ("CCCD", "Số định danh", "Số định danh cá nhân", "Căn cước công dân", "Số căn cước công dân"),
        width=16,
    ),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT", "Di động"), max_length=30, width=14),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày kết nạp vào Đảng"),
        kind=DATE,
        required=True,
        width=14,
    ),
    Column(
        "full_member_on",
        "Ngày chính thức",
        ("Ngày công nhận chính thức", "Ngày chuyển chính thức", "Ngày được công nhận chính thức"),
        kind=DATE,
        width=15,
    ),
    Column(
        "cell", "Chi bộ", ("Chi bộ sinh hoạt", "Sinh hoạt tại chi bộ", "Tên chi bộ"), required=True, width=32
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
SENSITIVE_FIELDS = tuple(column.field for column in COLUMNS if column.sensitive)
# Person fields the sheet carries (and so the import may change).
PERSON_SHEET_FIELDS = ("full_name", "birth_date", "gender", "phone", "ethnicity", "religion", "id_number")
MEMBER_SHEET_FIELDS = ("admitted_on", "full_member_on")

# Exports show this instead of a sensitive value the reader may not see; an import that finds it
# keeps whatever is stored, so a masked export can be corrected and imported back safely.
MASK = "•••"


_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def header_key(text: object) -> str:
    """'Họ và tên (*)', 'HỌ VÀ TÊN' and 'Ho va ten' are the same header: fold case, accents,
    spaces and punctuation, and drop parenthesised remarks."""
    if text is None:
        return ""
    return _NOT_ALNUM.sub("", fold(_PARENTHESES.sub("", str(text))))


HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_INDEX[header_key(_name)] = _column


def unneutralise(text: str) -> str:
    """Undo ``lib.xlsx.neutralise`` when the file comes back: '=SUM(A1) was typed as =SUM(A1)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def is_masked(text: str) -> bool:
    return bool(text) and set(text) == {"•"}
