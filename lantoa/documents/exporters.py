"""Documents and spreadsheets produced from the register.

Printed texts (headers, column titles) are Vietnamese whatever the interface language: they are
Party documents handed to committees and councils.
"""

from __future__ import annotations

import datetime as dt
import re

from lantoa.lib import party_docx as pd
from lantoa.lib.vi import format_date
from lantoa.lib.xlsx import XLSX_CONTENT_TYPE, neutralise, table_xlsx
from lantoa.org.models import Unit
from lantoa.org.queries import parent_on, staff_body_name_on

from .models import Document, Obligation
from .queries import Compliance, Status
from .types import printed_name

__all__ = ["DOCX_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "document_docx", "letterhead_name", "not_filed_xlsx"]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The same words as the compliance page ("chưa nộp (quá hạn)" / "chưa nộp (chưa đến hạn)").
STATUS_LABELS = {Status.MISSING: "Chưa nộp (quá hạn)", Status.PENDING: "Chưa nộp (chưa đến hạn)"}

# How a committee's name reads when it stands above a unit's own name in the header:
# "Huyện ủy Châu Thành" → "ĐẢNG BỘ HUYỆN CHÂU THÀNH".
_LETTERHEAD_PREFIXES = (
    ("tỉnh ủy ", "Đảng bộ tỉnh "),
    ("thành ủy ", "Đảng bộ thành phố "),
    ("huyện ủy ", "Đảng bộ huyện "),
    ("quận ủy ", "Đảng bộ quận "),
    ("thị ủy ", "Đảng bộ thị xã "),
    ("đảng ủy ", "Đảng bộ "),
)


def _lowered(name: str) -> str:
    """The name in lower case with the older tone placement "uỷ" read as "ủy" (both are written;
    same length, so the prefix found can be cut from the original name)."""
    return name.lower().replace("uỷ", "ủy")


def letterhead_name(unit: Unit) -> str:
    if unit.letterhead_name:
        return pd.to_upper_vi(unit.letterhead_name)
    lowered = _lowered(unit.name)
    for prefix, replacement in _LETTERHEAD_PREFIXES:
        if lowered.startswith(prefix):
            return pd.to_upper_vi(replacement + unit.name[len(prefix) :])
    return pd.to_upper_vi(unit.name)


_PLACE_PREFIXES = (
    "tỉnh ủy ",
    "thành ủy ",
    "huyện ủy ",
    "quận ủy ",
    "thị ủy ",
    "đảng ủy xã ",
    "đảng ủy phường ",
    "đảng ủy thị trấn ",
    "đảng ủy ",
    "đảng bộ xã ",
    "đảng bộ phường ",
    "đảng bộ thị trấn ",
    "đảng bộ ",
)


def place_name(unit: Unit, on: dt.date) -> str:
    """The place on the date line: the unit's own setting, else its committee's locality
    ("Huyện ủy Châu Thành" → "Châu Thành"); a cell prints its committee's place."""
    if unit.place_name:
        return unit.place_name
    if unit.is_cell:
        parent = parent_on(unit, on)
        if parent is not None:
            return place_name(parent, on)
    lowered = _lowered(unit.name)
    for prefix in _PLACE_PREFIXES:
        if lowered.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


_ROMAN_HEADING = re.compile(r"^(?:[IVXLC]+)\.\s")
_NUMBER_HEADING = re.compile(r"^\d+\.\s")
_LETTER_HEADING = re.compile(r"^[a-zđ]\)\s")


def body_blocks(text: str) -> list[pd.Block]:
    """Plain text typed in the form → document blocks: "I. …" and "1. …" lines are headings,
    "a) …" sub-headings, "- …" and "+ …" dashes, other lines paragraphs."""
    blocks: list[pd.Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _ROMAN_HEADING.match(line):
            blocks.append(pd.Heading(line, level=1))
        elif _NUMBER_HEADING.match(line) and len(line) < 120:
            blocks.append(pd.Heading(line, level=2))
        elif _LETTER_HEADING.match(line) and len(line) < 120:
            blocks.append(pd.Heading(line, level=3))
        elif line.startswith(("- ", "+ ")):
            blocks.append(pd.Bullet(line[2:].strip(), marker=line[0]))
        else:
            blocks.append(pd.Paragraph(line))
    return blocks


def party_document(document: Document) -> pd.PartyDocument:
    """The register entry as a printable Party document (36-HD/VPTW layout)."""
    unit = document.issuer_unit
    if unit is None:
        raise ValueError("only documents of units in the tree are printed")
    if document.issuer_staff_body_id:
        name = staff_body_name_on(document.issuer_staff_body_id, document.issued_on)
        upper: str | None = pd.to_upper_vi(unit.name)
        issuing = pd.to_upper_vi(name.name if name else document.issuer_name)
    else:
        parent = parent_on(unit, document.issued_on)
        upper = letterhead_name(parent) if parent else None
        issuing = pd.to_upper_vi(unit.name)
    form = document.signing_form if document.signing_form in ("T/M", "K/T", "T/L") else ""
    return pd.PartyDocument(
        upper_body=upper,
        issuing_body=issuing,
        number_symbol=document.number_line,
        place=document.place or place_name(unit, document.issued_on),
        date=document.issued_on,
        type_name=printed_name(document.type_code),
        summary=document.summary,
        body=body_blocks(document.body),
        signature=pd.Signature(
            form=form,  # type: ignore[arg-type]
            # "BAN THƯỜNG VỤ" only ever follows T/M, K/T or T/L: signing in one's own name has none.
            body_label=pd.to_upper_vi(document.signing_body) if form else "",
            title=pd.to_upper_vi(document.signer_title),
            name=document.signer_name,
        ),
        recipients=[
            line.strip().lstrip("-").strip() for line in document.recipients.splitlines() if line.strip()
        ],
    )


def document_docx(document: Document) -> bytes:
    return pd.render_docx(party_document(document))


def document_filename(document: Document, extension: str) -> str:
    safe = document.symbol.replace("/", "-")
    return f"{safe}.{extension}"


def not_filed_xlsx(obligation: Obligation, result: Compliance, root_id: int) -> bytes:
    """The units under ``root_id`` that have not filed, with the committee each sits under."""
    rows = []
    for index, pk in enumerate(result.not_filed_under(root_id), start=1):
        unit = result.units[pk]
        parent_id = result.parent_of.get(pk)
        parent = result.units[parent_id].name if parent_id else ""
        rows.append([index, unit.name, unit.get_kind_display(), parent, STATUS_LABELS[result.status[pk]]])
    root = result.units[root_id]
    return table_xlsx(
        sheet_title="Chưa nộp",
        # table_xlsx neutralises the rows only; the second line starts with a unit's name.
        title_lines=[
            neutralise(f"Danh sách đơn vị chưa nộp: {obligation.title}"),
            neutralise(f"{root.name} — hạn nộp {format_date(obligation.deadline)}"),
        ],
        header=["STT", "Đơn vị", "Loại", "Trực thuộc", "Tình trạng"],
        rows=rows,
        widths=[6, 42, 26, 36, 26],
    )
