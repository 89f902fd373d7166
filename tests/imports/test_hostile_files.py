"""Files made to harm the import: they are refused with a plain message before they can take the
worker's memory or time, and nothing is written. (bench/import_memory.py measures the memory.)"""

from __future__ import annotations

import io
import random
import zipfile

from django.test import override_settings

from lantoa.imports import parsing
from lantoa.org.models import Person

from .conftest import check, member_row, messages_of, name_for, xlsx_bytes

UNUSUAL = (
    "the file unpacks to far more than a member list needs (it may be damaged or made to harm the "
    "system); save the list again in Excel, or split it"
)


def _rewrite(content: bytes, change) -> bytes:
    """The same .xlsx with ``change(name, data) -> data`` applied to each of its parts."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def test_a_sheet_padded_with_whitespace_is_refused_before_it_is_parsed(tree):
    """The review's bomb: a few hundred kilobytes that unfold into tens of megabytes of blanks."""
    padding = b" " * (40 * 1024 * 1024)

    def pad(name, data):
        return data.replace(b"<sheetData>", b"<sheetData>" + padding) if name.endswith("sheet1.xml") else data

    bomb = _rewrite(xlsx_bytes([member_row()]), pad)

    assert len(bomb) < 1024 * 1024
    assert messages_of(check(tree.an_khanh, bomb)) == [UNUSUAL]
    assert not Person.objects.exists()


def test_a_shared_string_table_larger_than_a_member_list_needs_is_refused(tree, monkeypatch):
    """openpyxl reads the shared strings into memory whole: their size is capped (here lowered
    to 1 MB so the test stays quick), whatever they pack to."""
    monkeypatch.setattr(parsing, "MAX_SHARED_STRINGS_BYTES", 1024 * 1024)
    rng = random.Random(7)
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(2 * 1024 * 1024)).encode()
    buffer = io.BytesIO(xlsx_bytes([member_row()]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + text + b"</t></si></sst>")

    assert messages_of(check(tree.an_khanh, buffer.getvalue())) == [UNUSUAL]


def test_a_file_of_too_many_parts_is_refused(tree):
    content = xlsx_bytes([member_row()])
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        for n in range(parsing.MAX_PARTS):
            archive.writestr(f"xl/media/empty{n}.bin", b"")

    assert messages_of(check(tree.an_khanh, buffer.getvalue())) == [UNUSUAL]


def test_a_row_thousands_of_cells_wide_reads_only_the_columns_that_can_hold_data(tree):
    wide = member_row() + ["x"] * 16_000

    plan = check(tree.an_khanh, xlsx_bytes([wide]))

    # The cells past the first 64 are never read, so they name no unknown column.
    assert messages_of(plan) == []
    assert plan.counts["new"] == 1


@override_settings(LANTOA_MAX_IMPORT_ROWS=3)
def test_a_file_over_the_row_limit_is_refused_and_says_how_to_go_on(tree):
    rows = [member_row(card=str(90000001 + n), name=f"Người Thứ {name_for(n)}", number=n) for n in range(4)]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert messages_of(plan)[-1] == "the file has more than 3 member rows; split it into several files"
    assert not Person.objects.exists()


def test_damaged_bytes_are_unreadable_not_an_error(tree):
    damaged = b"PK\x03\x04" + b"\x00" * 100

    assert messages_of(check(tree.an_khanh, damaged, "members.xlsx")) == [
        "the file cannot be read as an .xlsx or .csv spreadsheet"
    ]
