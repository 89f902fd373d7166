"""Plans filed on time, late or not at all.

Each year of the window the province asks every cell for its plan to study the year's theme (an
``Obligation`` due on 30/6) and most cells answer with a plan of their own: a KH numbered in the
cell's register (a ``Document`` in the cell's term) and the ``Filing`` that links it. Some file a
few weeks late, a few never do, so a compliance page has all three answers to show.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lantoa.documents.models import Document, DocumentSystem, Filing, NumberSequence, Obligation
from lantoa.documents.numbering import format_symbol
from lantoa.documents.queries import search_key
from lantoa.org.models import UnitKind

from .plan import Register, Scale, Writer, at, day_between, pick_weighted, public_id
from .tree import Cell, Tree, term_on

D = dt.date
ON_TIME, LATE, NEVER = "on_time", "late", "never"
ANSWERS = ((ON_TIME, 0.82), (LATE, 0.12), (NEVER, 0.06))
TITLE = "Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}"
SUMMARY = "Kế hoạch học tập và làm theo Bác năm {year} của chi bộ"


def deadline(year: int) -> dt.date:
    return D(year, 6, 30)


def write(writer: Writer, tree: Tree, scale: Scale) -> None:
    rng, ids = scale.rng("filings"), scale.id_rng("filings")
    register = Register("KH")
    obligations: list[dict[str, Any]] = [
        {
            "public_id": public_id(ids),
            "unit_id": tree.province_id,
            "title": TITLE.format(year=year),
            "year": year,
            "required_type": "KH",
            "target_kinds": [UnitKind.CELL],
            "deadline": deadline(year),
            "theme_id": None,
            "note": "",
            "created_by_id": None,
            "created_at": at(D(year, 1, 15), 8),
        }
        for year in scale.rating_years
    ]
    writer.add(Obligation, obligations)
    documents: list[dict[str, Any]] = []
    filings: list[dict[str, Any]] = []
    for obligation in obligations:
        due = obligation["deadline"]
        for cell in tree.cells:
            answer = pick_weighted(rng, ANSWERS)
            if answer == NEVER:
                continue
            if answer == ON_TIME:
                filed_on = day_between(rng, due - dt.timedelta(days=75), due)
            else:
                filed_on = day_between(rng, due + dt.timedelta(days=1), due + dt.timedelta(days=45))
            document = _plan(
                cell, tree.secretary_names.get(cell.id, ""), register, filed_on, obligation["year"], ids
            )
            documents.append(document)
            filings.append(
                {
                    "obligation_id": obligation["id"],
                    "unit_id": cell.id,
                    "document": document,
                    "filed_on": filed_on,
                    "filed_by_id": None,
                }
            )
    writer.add(Document, documents)
    for filing in filings:
        filing["document_id"] = filing.pop("document")["id"]
    writer.add(Filing, filings)
    writer.add(NumberSequence, register.sequences())


def _plan(
    cell: Cell, signer: str, register: Register, day: dt.date, year: int, ids: random.Random
) -> dict[str, Any]:
    term_id = term_on(cell.terms, day)
    number = register.next(cell.id, term_id)
    summary = SUMMARY.format(year=year)
    symbol = format_symbol(DocumentSystem.PARTY, number, "KH", "CB")
    return {
        "public_id": public_id(ids),
        "system": DocumentSystem.PARTY,
        "issuer_unit_id": cell.id,
        "issuer_staff_body_id": None,
        "issuer_name": cell.name,
        "issuer_code": "CB",
        "type_code": "KH",
        "number": number,
        "term_id": term_id,
        "term_label": "",
        "year": day.year,
        "issued_on": day,
        "place": "",
        "summary": summary,
        "body": "",
        "signing_form": "T/M",
        "signing_body": "Chi bộ",
        "signer_title": "Bí thư",
        "signer_name": signer,
        "recipients": "Đảng ủy (để báo cáo),\nLưu.",
        "identity": register.identity(cell.id, number, term_id),
        "search_text": search_key(f"{symbol} {summary} {cell.name}")[:800],
        "created_by_id": None,
    }
