"""The province's dated tree: province → ~10 districts (until 30/6/2025) → communes and grassroots
committees (~100 a district) → cells, and from 1/7/2025 the committees directly under the province.

The 2025 reform is recorded as ``lantoa.demo.org.apply_2025`` leaves it through the services: the
district closes on 30/6/2025 (its ``valid_to`` and its own link end that day), each committee's
link to its district ends that day and a new link to the province starts on 1/7/2025. Cells keep
their committee. Each unit also gets the congress terms its Party documents are numbered in (as
``lantoa.demo.documents`` gives them), and the keys of every unit derive from the province key, so
that one database can hold several seeded provinces.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from lantoa.documents.models import Term
from lantoa.lib.bulk import Row
from lantoa.lib.text import fold
from lantoa.org.models import Unit, UnitKind, UnitParentage

from .plan import FOUNDED, LAST_DISTRICT_DAY, REFORM, Scale, TermSpan, Writer

if TYPE_CHECKING:
    from .people import Member

D = dt.date

CELLS_PER_COMMITTEE = 10  # a commune's cells: its hamlets and a few agency cells
MAX_DISTRICTS = 10
GRASSROOTS_SHARE = 0.08  # of a district's committees: agencies' grassroots committees
# fmt: off
PLACE_WORDS = (
    "An", "Bình", "Phú", "Hưng", "Long", "Thạnh", "Tân", "Phước", "Mỹ", "Hòa", "Thới", "Lợi", "Lộc",
    "Khánh", "Đông", "Tây", "Vĩnh", "Thành", "Hiệp", "Điền", "Sơn", "Hải", "Quới", "Trung", "Nhơn",
    "Thuận", "Định", "Hội", "Giang", "Tường", "Tiên", "Lương", "Châu", "Hậu", "Xuân", "Đức",
    "Nghĩa", "Quang", "Hiếu",
)
# fmt: on
COMMUNE_PREFIXES = (("xã", "ấp", 0.80), ("phường", "khu phố", 0.12), ("thị trấn", "khu phố", 0.08))
# The agencies' grassroots committees of a district, at most one of each.
AGENCIES = (
    "Cơ quan Đảng – Đoàn thể",
    "Cơ quan Chính quyền",
    "Quân sự",
    "Công an",
    "Giáo dục",
    "Y tế",
    "Doanh nghiệp",
)
AGENCY_CELLS = (
    "Văn phòng",
    "Phòng Nội vụ",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Tư pháp",
    "Phòng Văn hóa – Thông tin",
    "Phòng Nông nghiệp",
    "Phòng Tài nguyên – Môi trường",
    "Trường Trung học cơ sở",
    "Trường Tiểu học",
    "Trạm Y tế",
    "Ban Chỉ huy",
    "Đội Nghiệp vụ",
)
# A commune's own agency cells, before its hamlets' (at most a quarter of its cells).
COMMUNE_AGENCY_CELLS = ("Cơ quan", "Quân sự", "Công an")
COLLECTIVES_HAMLET = (
    "Chi hội Phụ nữ",
    "Chi hội Nông dân",
    "Chi đoàn",
    "Chi hội Cựu chiến binh",
    "Tổ hòa giải",
)
COLLECTIVES_AGENCY = ("Công đoàn", "Chi đoàn")

# Congress terms: documents are numbered from 01 in each (lantoa.demo.documents._term_specs).
PROVINCE_TERMS = (
    ("Nhiệm kỳ 2020–2025", D(2020, 10, 1), D(2025, 9, 30)),
    ("Nhiệm kỳ 2025–2030", D(2025, 10, 1), None),
)
DISTRICT_TERMS = (("Nhiệm kỳ 2020–2025", D(2020, 8, 1), LAST_DISTRICT_DAY),)
COMMITTEE_TERMS = (
    ("Nhiệm kỳ 2020–2025", D(2020, 6, 1), D(2025, 9, 30)),
    ("Nhiệm kỳ 2025–2030", D(2025, 10, 1), None),
)
CELL_TERMS = (
    ("Nhiệm kỳ 2020–2022", D(2020, 4, 1), D(2022, 6, 30)),
    ("Nhiệm kỳ 2022–2025", D(2022, 7, 1), D(2025, 6, 30)),
    ("Nhiệm kỳ 2025–2030", D(2025, 7, 1), None),
)


@dataclass(eq=False)
class District:
    index: int
    key: str
    name: str
    id: int = 0
    committees: list[Committee] = field(default_factory=list)


@dataclass(eq=False)
class Committee:
    """A commune (xã, phường, thị trấn) or an agencies' grassroots committee of a district."""

    index: int
    key: str
    name: str
    kind: str
    district: District
    place: str  # "xã An Bình", "huyện Phú Hưng": how its cells and documents name the place
    place_name: str = ""  # "An Bình" (communes only)
    hamlet_word: str = ""  # "ấp" or "khu phố" (communes only)
    id: int = 0
    cells: list[Cell] = field(default_factory=list)
    terms: list[TermSpan] = field(default_factory=list)


@dataclass(eq=False)
class Cell:
    index: int
    key: str
    name: str
    committee: Committee
    residential: bool
    place: str  # where it meets
    starts_at: dt.time
    usual_day: int  # of the month
    collectives: tuple[str, ...]  # the mass organisations it may put forward
    id: int = 0
    terms: list[TermSpan] = field(default_factory=list)
    # Filled by ``people``: its members and officers.
    members: list[Member] = field(default_factory=list)
    secretary: Member | None = None
    deputy: Member | None = None


@dataclass
class Tree:
    province_key: str
    province_name: str
    province_id: int = 0
    province_terms: list[TermSpan] = field(default_factory=list)
    districts: list[District] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    # Unit id → its secretary's name (filled by ``people``): who signs its decisions.
    secretary_names: dict[int, str] = field(default_factory=dict)


def province_units(province_key: str) -> QuerySet[Unit]:
    """Every unit a seed with this key creates (and no unit of another key that shares a prefix)."""
    pattern = rf"^{province_key}-(h[0-9]+|x[0-9]+(-cb[0-9]+)?)$"
    return Unit.objects.filter(Q(key=province_key) | Q(key__regex=pattern))


def split(rng: random.Random, total: int, parts: int, spread: float = 0.4) -> list[int]:
    """``total`` in ``parts`` sizes of at least 1, each about ``total / parts`` (± ``spread``)."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    whole = sum(weights)
    raw = [total * weight / whole for weight in weights]
    sizes = [max(1, int(value)) for value in raw]
    by_fraction = sorted(range(parts), key=lambda i: (int(raw[i]) - raw[i], i))
    turn = 0
    while sum(sizes) < total:
        sizes[by_fraction[turn % parts]] += 1
        turn += 1
    while sum(sizes) > total:
        largest = max(range(parts), key=lambda i: (sizes[i], -i))
        sizes[largest] -= 1
    return sizes


def _names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` place names of two words, none in ``taken`` (numbered once the pairs run out)."""
    pairs = [f"{a} {b}" for a in PLACE_WORDS for b in PLACE_WORDS if a != b]
    rng.shuffle(pairs)
    free = [name for name in pairs if name not in taken]
    names = free[:count]
    names += [f"{free[n % len(free)]} {n // len(free) + 2}" for n in range(len(names), count)]
    taken.update(names)
    return names


class TreeDrafter:
    def __init__(self, scale: Scale) -> None:
        self.scale = scale
        self.rng = scale.rng("tree")

    def draft(self) -> Tree:
        rng, scale = self.rng, self.scale
        taken: set[str] = set()
        tree = Tree(scale.province_key, f"Tỉnh ủy {_names(rng, 1, taken)[0]}")
        committee_count = max(1, -(-scale.cells // CELLS_PER_COMMITTEE))
        district_count = min(MAX_DISTRICTS, committee_count)
        district_names = _names(rng, district_count, taken)
        commune_names = _names(rng, committee_count, taken)
        for d, committees_here in enumerate(split(rng, committee_count, district_count, spread=0.15)):
            district = District(d, f"{scale.province_key}-h{d + 1:02d}", district_names[d])
            tree.districts.append(district)
            agencies = min(len(AGENCIES), round(committees_here * GRASSROOTS_SHARE))
            for n in range(committees_here):
                index = len(tree.committees)
                key = f"{scale.province_key}-x{index + 1:04d}"
                if n >= committees_here - agencies:
                    agency = AGENCIES[committees_here - 1 - n]
                    committee = Committee(
                        index,
                        key,
                        f"Đảng bộ {agency} huyện {district.name}",
                        UnitKind.GRASSROOTS,
                        district,
                        place=f"huyện {district.name}",
                    )
                else:
                    prefix, hamlet_word = self._prefix()
                    name = commune_names[index]
                    committee = Committee(
                        index,
                        key,
                        f"Đảng bộ {prefix} {name}",
                        UnitKind.COMMUNE,
                        district,
                        place=f"{prefix} {name}",
                        place_name=name,
                        hamlet_word=hamlet_word,
                    )
                district.committees.append(committee)
                tree.committees.append(committee)
        sizes = split(rng, scale.cells, committee_count)
        for committee, size in zip(tree.committees, sizes, strict=True):
            self._cells(tree, committee, size)
        return tree

    def _prefix(self) -> tuple[str, str]:
        """xã (hamlets: ấp), phường or thị trấn (quarters: khu phố)."""
        draw = self.rng.random()
        for prefix, hamlet_word, share in COMMUNE_PREFIXES:
            if draw < share:
                return prefix, hamlet_word
            draw -= share
        return COMMUNE_PREFIXES[0][0], COMMUNE_PREFIXES[0][1]

    def _cells(self, tree: Tree, committee: Committee, size: int) -> None:
        rng = self.rng
        if committee.kind == UnitKind.GRASSROOTS:
            words = [*AGENCY_CELLS, *(f"số {n}" for n in range(len(AGENCY_CELLS) + 1, size + 1))]
            specs = [(f"Chi bộ {word}", False, f"Hội trường {word}") for word in rng.sample(words, size)]
        else:
            agencies = COMMUNE_AGENCY_CELLS[: min(len(COMMUNE_AGENCY_CELLS), size // 4)]
            specs = [
                (f"Chi bộ {word} {committee.place}", False, f"Trụ sở {committee.place}") for word in agencies
            ]
            hamlets = size - len(specs)
            if committee.hamlet_word == "ấp":
                places = [f"ấp {name}" for name in _names(rng, hamlets, set())]
            else:
                places = [f"khu phố {n}" for n in range(1, hamlets + 1)]
            specs += [(f"Chi bộ {place}", True, f"Nhà văn hóa {place}") for place in places]
        for number, (name, residential, place) in enumerate(specs, start=1):
            if residential:
                starts = rng.choice((dt.time(19, 0), dt.time(19, 30), dt.time(19, 30), dt.time(8, 0)))
                hamlet = f"{place.removeprefix('Nhà văn hóa ')} {committee.place}"
                collectives = tuple(f"{word} {hamlet}" for word in COLLECTIVES_HAMLET)
            else:
                starts = rng.choice((dt.time(14, 0), dt.time(15, 30)))
                agency = name.removeprefix("Chi bộ ")
                if committee.kind == UnitKind.GRASSROOTS:  # "Văn phòng" is in every agency
                    agency += f" ({committee.name.removeprefix('Đảng bộ ')})"
                collectives = tuple(f"{word} {agency}" for word in COLLECTIVES_AGENCY)
            cell = Cell(
                len(tree.cells),
                f"{committee.key}-cb{number:02d}",
                name,
                committee,
                residential,
                place,
                starts,
                rng.randint(3, 14),
                collectives,
            )
            committee.cells.append(cell)
            tree.cells.append(cell)


def _unit_row(key: str, name: str, kind: str, short_code: str, **extra: Any) -> Row:
    return {
        "key": key,
        "name": name,
        "kind": kind,
        "short_code": short_code,
        "valid_from": FOUNDED,
        "valid_to": None,
        "place_name": "",
        "letterhead_name": "",
        "residential": False,
        "note": "",
        "search_text": fold(name),
        **extra,
    }


def write(writer: Writer, tree: Tree, scale: Scale) -> None:
    """Units, their dated links and their terms."""
    note = f"Dữ liệu thử tải (seed_scale, seed {scale.seed})"
    province_place = tree.province_name.removeprefix("Tỉnh ủy ")
    rows = [
        _unit_row(
            tree.province_key,
            tree.province_name,
            UnitKind.PROVINCE,
            "TU",
            place_name=province_place,
            letterhead_name=f"ĐẢNG BỘ TỈNH {province_place.upper()}",
            note=note,
        )
    ]
    rows += [
        _unit_row(
            d.key,
            f"Huyện ủy {d.name}",
            UnitKind.DISTRICT,
            "HU",
            valid_to=LAST_DISTRICT_DAY,
            place_name=d.name,
            letterhead_name=f"ĐẢNG BỘ HUYỆN {d.name.upper()}",
        )
        for d in tree.districts
    ]
    rows += [
        _unit_row(
            c.key,
            c.name,
            c.kind,
            "ĐU",
            place_name=c.place_name,
            letterhead_name=c.name.upper(),
        )
        for c in tree.committees
    ]
    rows += [
        _unit_row(cell.key, cell.name, UnitKind.CELL, "CB", residential=cell.residential)
        for cell in tree.cells
    ]
    ids = iter(writer.add(Unit, rows))
    tree.province_id = next(ids)
    for district in tree.districts:
        district.id = next(ids)
    for committee in tree.committees:
        committee.id = next(ids)
    for cell in tree.cells:
        cell.id = next(ids)

    links: list[Row] = []
    for district in tree.districts:
        links.append(_link(district.id, tree.province_id, FOUNDED, LAST_DISTRICT_DAY))
        for committee in district.committees:
            links.append(_link(committee.id, district.id, FOUNDED, LAST_DISTRICT_DAY))
            links.append(_link(committee.id, tree.province_id, REFORM, None))
            links += [_link(cell.id, committee.id, FOUNDED, None) for cell in committee.cells]
    writer.add(UnitParentage, links)

    terms: list[tuple[list[TermSpan], int, tuple[tuple[str, dt.date, dt.date | None], ...]]] = [
        (tree.province_terms, tree.province_id, PROVINCE_TERMS)
    ]
    terms += [([], d.id, DISTRICT_TERMS) for d in tree.districts]
    terms += [(c.terms, c.id, COMMITTEE_TERMS) for c in tree.committees]
    terms += [(cell.terms, cell.id, CELL_TERMS) for cell in tree.cells]
    term_rows = [
        {"unit_id": unit_id, "name": name, "starts_on": start, "ends_on": end}
        for _spans, unit_id, specs in terms
        for name, start, end in specs
    ]
    term_ids = iter(writer.add(Term, term_rows))
    for spans, _unit_id, specs in terms:
        for _name, start, end in specs:
            spans.append((next(term_ids), start, end))


def _link(unit_id: int, parent_id: int, start: dt.date, end: dt.date | None) -> Row:
    return {"unit_id": unit_id, "parent_id": parent_id, "valid_from": start, "valid_to": end}
