"""Reading the register: terms, who must file what, compliance rolled up the tree."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet

from lantoa.lib.lookups import Many
from lantoa.lib.text import fold
from lantoa.lib.vi import percentage
from lantoa.org.access import Scope, readable_filter
from lantoa.org.models import Membership, PartyMember, Unit, UnitKind
from lantoa.org.queries import TreeRow, valid_on, walk_down, walk_up
from lantoa.org.tree_in_period import TreeInPeriod

from .models import Commitment, Document, Filing, Obligation, Term
from .types import PRINTED_NAMES

# "Ð" (U+00D0, the Icelandic eth) looks exactly like "Đ" and comes out of older Vietnamese fonts
# and converters (VNI, TCVN3 → Unicode); ``fold`` reads only the real Đ as d.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})


def search_key(text: str) -> str:
    """Text as the register searches it: folded, so "01-KH/DU" finds "Số 01-KH/ĐU"."""
    return fold(text.translate(_LOOKALIKES))


def term_on(unit: Unit, day: dt.date) -> Term | None:
    """The term of ``unit`` (a staff body uses its committee's) that covers ``day``."""
    return (
        Term.objects.filter(unit=unit, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


def member_cell(member: PartyMember, on: dt.date) -> Unit | None:
    membership = Membership.objects.filter(valid_on(on), member=member).select_related("unit").first()
    return membership.unit if membership else None


def _obligation_rows(obligation: Obligation) -> list[TreeRow]:
    return walk_down([(obligation.unit_id, obligation.deadline, obligation.deadline)])


def obligated_unit_ids(obligation: Obligation, rows: list[TreeRow] | None = None) -> set[int]:
    """Units that must file: the chosen kinds under the obligation's unit, as the tree stood on the
    deadline (a commune merged before the deadline counts once, as the merged commune)."""
    rows = rows if rows is not None else _obligation_rows(obligation)
    candidate_ids = {row.unit_id for row in rows if row.unit_id != obligation.unit_id}
    return set(
        Unit.objects.filter(pk__in=candidate_ids, kind__in=obligation.target_kinds).values_list(
            "pk", flat=True
        )
    )


def obligated_units(obligations: Iterable[Obligation]) -> dict[int, set[int]]:
    """The units that must file for each obligation (obligation id → unit ids), in two queries
    whatever the number of obligations.

    One walk of the tree serves them all: every root walks with its deadline as a one-day window,
    so each row found carries the day it belongs to, and the rows of one day are the tree as it
    stood that day. Each obligation then takes the units under its own unit in that day's tree,
    as ``obligated_unit_ids`` does for one obligation.
    """
    obligations = list(obligations)
    roots = {(o.unit_id, o.deadline) for o in obligations}
    rows = walk_down([(unit_id, day, day) for unit_id, day in roots])
    children: dict[tuple[dt.date, int], set[int]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault((row.window_from, row.parent_id), set()).add(row.unit_id)
    kinds = dict(
        Unit.objects.filter(pk__any_of=Many(sorted({row.unit_id for row in rows}))).values_list("pk", "kind")
    )
    found: dict[int, set[int]] = {}
    for obligation in obligations:
        day, seen = obligation.deadline, set()
        stack = [obligation.unit_id]
        while stack:
            for child in children.get((day, stack.pop()), ()):
                if child not in seen and child != obligation.unit_id:
                    seen.add(child)
                    stack.append(child)
        found[obligation.pk] = {pk for pk in seen if kinds.get(pk) in obligation.target_kinds}
    return found


def obligated_counts(obligations: Iterable[Obligation]) -> dict[int, int]:
    """How many units must file for each obligation (obligation id → count)."""
    return {pk: len(units) for pk, units in obligated_units(obligations).items()}


class Status:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"


@dataclass
class Counts:
    total: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    def add(self, status: str) -> None:
        self.total += 1
        setattr(self, status, getattr(self, status) + 1)

    def merge(self, other: Counts) -> None:
        for name in ("total", "on_time", "late", "missing", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def filed(self) -> int:
        return self.on_time + self.late

    @property
    def filed_percent(self) -> Decimal | None:
        return percentage(self.filed, self.total)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percentage(self.on_time, self.total)

    @property
    def late_percent(self) -> Decimal | None:
        return percentage(self.late, self.total)

    @property
    def not_filed(self) -> int:
        return self.missing + self.pending


@dataclass
class Compliance:
    """Everything the compliance page needs, computed in a fixed number of queries."""

    obligation: Obligation
    units: dict[int, UnitBrief]
    parent_of: dict[int, int | None]
    children_of: dict[int, list[int]]
    obligated: set[int]
    filings: dict[int, FiledPlan]
    status: dict[int, str] = field(default_factory=dict)
    totals: dict[int, Counts] = field(default_factory=dict)

    def path(self, unit_id: int) -> list[UnitBrief]:
        steps = []
        current: int | None = unit_id
        while current is not None:
            steps.append(self.units[current])
            current = self.parent_of.get(current)
        return list(reversed(steps))

    def units_under(self, unit_id: int) -> list[int]:
        """Obligated units at or under ``unit_id``, depth first by (folded) name."""
        found: list[int] = []
        stack = [unit_id]
        while stack:
            current = stack.pop()
            if current in self.obligated:
                found.append(current)
            stack.extend(sorted(self.children_of.get(current, []), key=self.name_key, reverse=True))
        return found

    def name_key(self, unit_id: int) -> tuple[str, str]:
        """Sort by the folded name, so "Chi bộ ấp …" comes before "Chi bộ Hội …" and "Đảng ủy …"
        sorts with D, not after Z."""
        unit = self.units[unit_id]
        return (unit.search_text, unit.name)

    def not_filed_under(self, unit_id: int) -> list[int]:
        return [pk for pk in self.units_under(unit_id) if self.status[pk] in (Status.MISSING, Status.PENDING)]


class UnitBrief(NamedTuple):
    """What the compliance page and its list show of a unit: a province's obligation reaches ten
    thousand of them, read as plain rows rather than models."""

    pk: int
    key: str
    name: str
    search_text: str
    kind: str

    def get_kind_display(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind in UnitKind.values else self.kind


@dataclass(slots=True)
class FiledPlan:
    """A unit's filing for the obligation; ``document`` is loaded for the rows a page shows
    (``with_documents``)."""

    unit_id: int
    document_id: int
    filed_on: dt.date
    document: Document | None = None


def with_documents(filings: Iterable[FiledPlan | None]) -> None:
    """Load the documents of these filings (the rows a page shows) in one query."""
    wanted = [filing for filing in filings if filing is not None]
    documents = Document.objects.in_bulk({filing.document_id for filing in wanted})
    for filing in wanted:
        filing.document = documents[filing.document_id]


def compliance(obligation: Obligation, today: dt.date) -> Compliance:
    """Who filed on time, late, or not at all, and the counts rolled up at every level of the tree
    as it stood on the deadline. Three queries whatever the size of the tree."""
    tree = TreeInPeriod.walk(obligation.unit, obligation.deadline, obligation.deadline)
    # A province's obligation reaches ten thousand cells: plain rows, the filings without their
    # documents (``with_documents`` loads those of the rows a page shows).
    units = {
        row[0]: UnitBrief(*row)
        for row in Unit.objects.filter(pk__any_of=Many(sorted(tree.unit_ids()))).values_list(
            *UnitBrief._fields
        )
    }
    parent_of, children_of = tree.links()
    obligated = {
        pk for pk, unit in units.items() if pk != obligation.unit_id and unit.kind in obligation.target_kinds
    }
    filings = {
        unit_id: FiledPlan(unit_id, document_id, filed_on)
        for unit_id, document_id, filed_on in Filing.objects.filter(
            obligation=obligation, unit_id__any_of=Many(sorted(obligated))
        ).values_list("unit_id", "document_id", "filed_on")
    }
    result = Compliance(obligation, units, parent_of, children_of, obligated, filings)
    for pk in obligated:
        filing = filings.get(pk)
        if filing is not None:
            result.status[pk] = Status.ON_TIME if filing.filed_on <= obligation.deadline else Status.LATE
        else:
            result.status[pk] = Status.PENDING if today <= obligation.deadline else Status.MISSING

    def roll_up(pk: int) -> Counts:
        counts = Counts()
        if pk in obligated:
            counts.add(result.status[pk])
        for child in children_of.get(pk, []):
            counts.merge(roll_up(child))
        result.totals[pk] = counts
        return counts

    roll_up(obligation.unit_id)
    return result


def obligations_for_unit(unit: Unit) -> list[Obligation]:
    """Obligations that apply to ``unit``: set by a unit it sat under on the deadline, for its kind.
    Two queries."""
    windows = [(row.unit_id, row.window_from, row.window_to) for row in walk_up(unit) if row.depth > 0]
    if not windows:
        return []
    candidates = Obligation.objects.filter(unit_id__in={w[0] for w in windows}).select_related("unit")
    found = []
    for obligation in candidates:
        if unit.kind not in obligation.target_kinds or not unit.is_open_on(obligation.deadline):
            continue
        if any(a == obligation.unit_id and start <= obligation.deadline <= end for a, start, end in windows):
            found.append(obligation)
    return sorted(found, key=lambda o: o.deadline, reverse=True)


def documents_in_scope(scope: Scope) -> QuerySet[Document]:
    """Documents the user reads (``readable_filter``: their units' while in reach, the committees'
    above), plus the catalogue of outside documents (which every logged-in user may read)."""
    return Document.objects.filter(
        readable_filter(scope, "issuer_unit_id", on="issued_on") | Q(issuer_unit__isnull=True)
    )


def commitments_of_cell(cell: Unit, year: int, on: dt.date) -> list[tuple[Membership, list[Commitment]]]:
    """Each member of the cell on ``on`` with their commitments for ``year`` (two queries)."""
    memberships = list(
        Membership.objects.filter(valid_on(on), unit=cell)
        .select_related("member__person")
        .order_by("member__person__search_text")
    )
    by_member: dict[int, list[Commitment]] = {}
    for commitment in Commitment.objects.filter(year=year, member_id__in=[m.member_id for m in memberships]):
        by_member.setdefault(commitment.member_id, []).append(commitment)
    return [(m, sorted(by_member.get(m.member_id, []), key=lambda c: c.position)) for m in memberships]


def commitment_history(member: PartyMember, *, before: int) -> list[tuple[int, list[Commitment]]]:
    """The member's commitments of the years before ``before``, latest year first, with their
    year-end assessment (one query)."""
    years: dict[int, list[Commitment]] = {}
    for commitment in Commitment.objects.filter(member=member, year__lt=before).order_by("-year", "position"):
        years.setdefault(commitment.year, []).append(commitment)
    return list(years.items())


# Documents a plan or an obligation rests on: directives, resolutions, conclusions, guidance.
CITABLE_TYPES = ("NQ", "CT", "KL", "QĐ", "QĐi", "HD", "KH", "CTr", "TT")
CITABLE_LIMIT = 20


def citable_documents(issuer: Unit, readable_ids: Iterable[int]) -> QuerySet[Document]:
    """The documents ``issuer`` may cite as its basis (căn cứ): those of the issuer itself and of
    every committee it ever sat under, as far as the user reads them, plus the catalogue of
    outside documents (the Politburo's, the Province's State bodies'). One query for the walk;
    the queryset then filters on the issuer index."""
    above = {row.unit_id for row in walk_up(issuer)} & set(readable_ids)
    return Document.objects.filter(
        Q(issuer_unit_id__in=sorted(above)) | Q(issuer_unit__isnull=True), type_code__in=CITABLE_TYPES
    )


def search_citable(
    documents: QuerySet[Document], query: str, *, limit: int = CITABLE_LIMIT
) -> list[Document]:
    """The latest ``limit`` of ``documents`` whose number, summary or issuer holds every word of
    ``query`` (folded: "01-KH/DU chuyen de" finds "01-KH/ĐU … chuyên đề …")."""
    folded = " " + re.sub(r"^so:?\s+", "", search_key(query.strip())) + " "
    # The label reads "Kế hoạch …" but the type's name is not in the search text (only its code,
    # "01-KH/HU"): a typed type name finds the type, or the words in a summary.
    for code, printed in PRINTED_NAMES.items():
        name = f" {search_key(printed or '')} "
        if printed and name in folded:
            documents = documents.filter(Q(type_code=code) | Q(search_text__contains=name.strip()))
            folded = folded.replace(name, " ")
    for word in folded.split():
        documents = documents.filter(search_text__contains=word)
    return list(documents.order_by("-issued_on", "-number", "pk")[:limit])


@dataclass(frozen=True)
class OwnFiling:
    """Where one of the user's own units stands on an obligation it must answer."""

    unit: Unit
    status: str  # Status.*
    filing: Filing | None


def own_filings(
    obligations: Iterable[Obligation], units: Iterable[Unit], today: dt.date
) -> dict[int, list[OwnFiling]]:
    """For each obligation (by id), the units among ``units`` that must file it and how each
    stands: filed on time, late, not yet (still due) or missing (past the deadline). Two queries
    per unit (its committees above) and one for the filings, whatever the number of obligations."""
    wanted = {obligation.pk: obligation for obligation in obligations}
    units = list(units)
    must: dict[int, list[Unit]] = {}
    for unit in units:
        for obligation in obligations_for_unit(unit):
            if obligation.pk in wanted:
                must.setdefault(obligation.pk, []).append(unit)
    filings = {
        (filing.obligation_id, filing.unit_id): filing
        for filing in Filing.objects.filter(obligation_id__in=list(must), unit__in=units).select_related(
            "document"
        )
    }
    found: dict[int, list[OwnFiling]] = {}
    for obligation_id, obliged in must.items():
        deadline = wanted[obligation_id].deadline
        for unit in obliged:
            filing = filings.get((obligation_id, unit.pk))
            if filing is not None:
                status = Status.ON_TIME if filing.filed_on <= deadline else Status.LATE
            else:
                status = Status.PENDING if today <= deadline else Status.MISSING
            found.setdefault(obligation_id, []).append(OwnFiling(unit, status, filing))
    return found
