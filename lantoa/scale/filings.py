"""Plans filed on time, late or not at all.

Each year of the window the province asks every cell for its plan to study the year's theme (an
``Obligation`` due on 30/6) and most cells answer with a plan of their own: a KH numbered in the
cell's register (a ``Document`` in the cell's term) and the ``Filing`` that links it. Some file a
few weeks late, a few never do, so a compliance page has all three answers to show.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantoa.documents.models import Document, Filing, NumberSequence, Obligation
from lantoa.org.models import UnitKind

from .plan import Register, Scale, Writer, at, day_between, pick_weighted, public_id
from .tree import Tree

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
            document = register.issue(
                ids,
                unit_id=cell.id,
                name=cell.name,
                code="CB",
                terms=cell.terms,
                day=filed_on,
                summary=SUMMARY.format(year=obligation["year"]),
                signing_body="Chi bộ",
                signer=tree.secretary_names.get(cell.id, ""),
                recipients="Đảng ủy (để báo cáo),\nLưu.",
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
