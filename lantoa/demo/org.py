"""The demo's organisation: Tỉnh ủy Bến Tre → Huyện ủy Châu Thành → communes → cells, its party
members and officers, the 2025 reorganisation, and the demo logins.

Units, moves, merges and closures go through ``lantoa.org.services`` so they are dated and
audited exactly as an administrator's would be. The dated events are replayed in order: staff
bodies renamed on 1/3/2025, xã Tường Đa merged into xã Tiên Thủy on 1/1/2025, and on 1/7/2025
the district level ended and Bến Tre merged into Vĩnh Long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lantoa.accounts.models import User
from lantoa.org import services
from lantoa.org.models import (
    Membership,
    StaffBodyKind,
    Unit,
    UnitKind,
)
from lantoa.org.queries import children, valid_on

from . import accounts, people
from .base import AUDIT_NOTE, REFERENCE_DATE, DemoContext, DemoError, Step, make_key
from .places import (
    COMMUNE_AGENCY_CELLS,
    COMMUNE_MERGER,
    COMMUNES,
    DISTRICT_CELLS,
    DISTRICT_COMMITTEES,
    MASS_ORGS,
    MERGING_CELL_WORDS,
    Commune,
)

D = dt.date

FOUNDED = D(1976, 1, 1)  # Bến Tre's committees as re-formed after reunification
RENAMED = D(2025, 3, 1)  # Ban Tuyên giáo + Ban Dân vận → Ban Tuyên giáo và Dân vận
REFORM = D(2025, 7, 1)  # no district level; Bến Tre part of Vĩnh Long
LAST_DISTRICT_DAY = REFORM - dt.timedelta(days=1)

PROVINCE_KEY = "ben-tre"
NEW_PROVINCE_KEY = "vinh-long"
DISTRICT_KEY = "chau-thanh"


def commune_key(commune: Commune) -> str:
    return make_key(commune.prefix, commune.name)


def hamlet_cell_key(commune: Commune, hamlet: str) -> str:
    return make_key("Chi bộ", commune.hamlet_word, hamlet, commune.name)


def agency_cell_key(commune: Commune, word: str) -> str:
    return make_key("chi-bo", word, commune.name)


def has_agency_cell(commune: Commune, word: str) -> bool:
    return word != "tram-y-te" or commune.health_cell


def _commune(name: str) -> Commune:
    return next(commune for commune in COMMUNES if commune.name == name)


def merging_cell_words() -> list[str]:
    """Agency cells that both communes of the merger have: these merge, the others move over."""
    absorbed, absorbing = _commune(COMMUNE_MERGER[0]), _commune(COMMUNE_MERGER[1])
    return [w for w in MERGING_CELL_WORDS if has_agency_cell(absorbed, w) and has_agency_cell(absorbing, w)]


@dataclass(eq=False)
class CellPlan:
    """A cell to fill with members, and the committee it belongs to."""

    unit: Unit
    profile: str
    group: Unit
    last_day: dt.date | None = None  # when the cell closes within the demo (merged cells)
    hamlet: bool = False


@dataclass
class DemoTree:
    units: dict[str, Unit] = field(default_factory=dict)
    cells: list[CellPlan] = field(default_factory=list)
    # Committees (communes, agency grassroots committees) with the cells under each.
    committees: list[tuple[Unit, list[CellPlan]]] = field(default_factory=list)
    last_days: dict[str, dt.date] = field(default_factory=dict)

    def add(self, unit: Unit) -> Unit:
        self.units[unit.key] = unit
        return unit


def planned_keys() -> list[str]:
    """Every key the tree will use, to detect a clash before writing anything."""
    keys = [PROVINCE_KEY, NEW_PROVINCE_KEY, DISTRICT_KEY]
    for commune in COMMUNES:
        keys.append(commune_key(commune))
        keys += [hamlet_cell_key(commune, hamlet) for hamlet in commune.hamlets]
        keys += [agency_cell_key(commune, word) for _label, word, _profile in COMMUNE_AGENCY_CELLS]
    for committee in DISTRICT_COMMITTEES:
        keys.append(committee.key)
        keys += [cell.key for cell in committee.cells]
    keys += [cell.key for cell in DISTRICT_CELLS]
    keys += [org.key for org in MASS_ORGS]
    return keys


def _unit(tree: DemoTree, **fields: Any) -> Unit:
    return tree.add(services.create_unit(actor=None, valid_from=FOUNDED, **fields))


def _staff_bodies(committee: Unit, bodies: list[tuple[str, str, str]], on: dt.date) -> None:
    for kind, name, code in bodies:
        services.add_staff_body(
            actor=None, committee=committee, kind=kind, name=name, code=code, valid_from=on
        )


def build_tree() -> DemoTree:
    """Units as they stood in 2021–2024 (the 2025 changes come later, in ``apply_2025``)."""
    tree = DemoTree()
    province = _unit(
        tree,
        key=PROVINCE_KEY,
        name="Tỉnh ủy Bến Tre",
        kind=UnitKind.PROVINCE,
        short_code="TU",
        place_name="Bến Tre",
    )
    _staff_bodies(
        province,
        [
            (StaffBodyKind.PROPAGANDA, "Ban Tuyên giáo", "BTGTU"),
            (StaffBodyKind.ORGANISATION, "Ban Tổ chức", "BTCTU"),
            (StaffBodyKind.OFFICE, "Văn phòng", "VPTU"),
        ],
        FOUNDED,
    )
    district = _unit(
        tree,
        key=DISTRICT_KEY,
        name="Huyện ủy Châu Thành",
        kind=UnitKind.DISTRICT,
        short_code="HU",
        place_name="Châu Thành",
        parent=province,
    )
    _staff_bodies(
        district,
        [
            (StaffBodyKind.PROPAGANDA, "Ban Tuyên giáo", "BTGHU"),
            (StaffBodyKind.ORGANISATION, "Ban Tổ chức", "BTCHU"),
            (StaffBodyKind.INSPECTION, "Ủy ban Kiểm tra", "UBKTHU"),
            (StaffBodyKind.OFFICE, "Văn phòng", "VPHU"),
        ],
        FOUNDED,
    )
    merged_away, into, merged_on = COMMUNE_MERGER
    merging = merging_cell_words()
    for commune in COMMUNES:
        absorbed = commune.name == merged_away
        unit = _unit(
            tree,
            key=commune_key(commune),
            name=f"Đảng bộ {commune.prefix} {commune.name}",
            kind=UnitKind.COMMUNE,
            short_code="ĐU",
            parent=district,
            note=f"{AUDIT_NOTE}: sáp nhập vào xã {into} từ 01/01/2025 (giả định)." if absorbed else "",
        )
        plans = []
        for hamlet in commune.hamlets:
            cell = _unit(
                tree,
                key=hamlet_cell_key(commune, hamlet),
                name=f"Chi bộ {commune.hamlet_word} {hamlet}",
                kind=UnitKind.CELL,
                short_code="CB",
                parent=unit,
                # A hamlet's or quarter's cell: what the term targets on such cells count.
                residential=True,
            )
            plans.append(CellPlan(cell, "hamlet", unit, hamlet=True))
        for label, word, profile in COMMUNE_AGENCY_CELLS:
            if not has_agency_cell(commune, word):
                continue
            cell = _unit(
                tree,
                key=agency_cell_key(commune, word),
                name=f"{label} {commune.prefix} {commune.name}",
                kind=UnitKind.CELL,
                short_code="CB",
                parent=unit,
            )
            closes = merged_on - dt.timedelta(days=1) if absorbed and word in merging else None
            plans.append(CellPlan(cell, profile, unit, last_day=closes))
        tree.cells += plans
        tree.committees.append((unit, plans))
        if absorbed:
            tree.last_days[unit.key] = merged_on - dt.timedelta(days=1)
    for committee in DISTRICT_COMMITTEES:
        unit = _unit(
            tree,
            key=committee.key,
            name=committee.name,
            kind=UnitKind.GRASSROOTS,
            short_code="ĐU",
            parent=district,
        )
        plans = []
        for spec in committee.cells:
            cell = _unit(tree, key=spec.key, name=spec.name, kind=UnitKind.CELL, short_code="CB", parent=unit)
            plans.append(CellPlan(cell, spec.profile, unit))
        tree.cells += plans
        tree.committees.append((unit, plans))
    for spec in DISTRICT_CELLS:
        cell = _unit(
            tree,
            key=spec.key,
            name=spec.name,
            kind=UnitKind.GRASSROOTS_CELL,
            short_code="CB",
            parent=district,
        )
        tree.cells.append(CellPlan(cell, spec.profile, district))
    for org in MASS_ORGS:
        _unit(tree, key=org.key, name=org.name, kind=UnitKind.MASS_ORGANISATION, parent=district)
        tree.last_days[org.key] = LAST_DISTRICT_DAY
    tree.last_days[DISTRICT_KEY] = LAST_DISTRICT_DAY
    for plan in tree.cells:
        if plan.last_day:
            tree.last_days[plan.unit.key] = plan.last_day
    return tree


def apply_2025(tree: DemoTree) -> None:
    """Replay 2025 in date order, through the same services an administrator would use."""
    merged_away, into, merged_on = COMMUNE_MERGER
    absorbed, absorbing = _commune(merged_away), _commune(into)
    note = f"{AUDIT_NOTE}: sáp nhập xã {merged_away} vào xã {into} (giả định)"
    # The two communes' agency cells merge (members move); the commune's other cells (hamlets,
    # school) then move under the absorbing commune as the commune itself merges.
    for word in merging_cell_words():
        services.merge_units(
            actor=None,
            sources=[tree.units[agency_cell_key(absorbed, word)]],
            target=tree.units[agency_cell_key(absorbing, word)],
            on=merged_on,
            note=note,
        )
    services.merge_units(
        actor=None,
        sources=[tree.units[commune_key(absorbed)]],
        target=tree.units[commune_key(absorbing)],
        on=merged_on,
        note=note,
    )

    for key, name, code in (
        (PROVINCE_KEY, "Ban Tuyên giáo và Dân vận", "BTGDVTU"),
        (DISTRICT_KEY, "Ban Tuyên giáo và Dân vận", "BTGDVHU"),
    ):
        body = tree.units[key].staff_bodies.get(kind=StaffBodyKind.PROPAGANDA)
        services.rename_staff_body(actor=None, staff_body=body, name=name, code=code, on=RENAMED)

    province, district = tree.units[PROVINCE_KEY], tree.units[DISTRICT_KEY]
    new_province = tree.add(
        services.create_unit(
            actor=None,
            key=NEW_PROVINCE_KEY,
            name="Tỉnh ủy Vĩnh Long",
            kind=UnitKind.PROVINCE,
            short_code="TU",
            place_name="Vĩnh Long",
            valid_from=REFORM,
        )
    )
    _staff_bodies(
        new_province,
        [
            (StaffBodyKind.PROPAGANDA, "Ban Tuyên giáo và Dân vận", "BTGDVTU"),
            (StaffBodyKind.ORGANISATION, "Ban Tổ chức", "BTCTU"),
            (StaffBodyKind.OFFICE, "Văn phòng", "VPTU"),
        ],
        REFORM,
    )
    # Party organisations under the district go directly under the province. (In reality the
    # district's own agency committees were dissolved into the new communes; the demo keeps them
    # to keep their history readable.) The district's mass organisations end with it.
    for unit in children(district, REFORM).order_by("key"):
        if unit.kind == UnitKind.MASS_ORGANISATION:
            services.close_unit(actor=None, unit=unit, last_day=LAST_DISTRICT_DAY, reason=AUDIT_NOTE)
        else:
            services.move_unit(actor=None, unit=unit, new_parent=new_province, on=REFORM)
    services.close_unit(
        actor=None, unit=district, last_day=LAST_DISTRICT_DAY, reason="Kết thúc hoạt động cấp huyện"
    )
    services.merge_units(
        actor=None,
        sources=[province],
        target=new_province,
        on=REFORM,
        note="Hợp nhất tỉnh Bến Tre vào tỉnh Vĩnh Long",
    )


def is_loaded() -> bool:
    return Unit.objects.filter(key=DISTRICT_KEY).exists()


def _check_free() -> None:
    taken = sorted(Unit.objects.filter(key__in=planned_keys()).values_list("key", flat=True))
    usernames = sorted(
        User.objects.filter(username__in=accounts.usernames()).values_list("username", flat=True)
    )
    if taken or usernames:
        raise DemoError(
            "The database already holds units or accounts the demo would create "
            f"({', '.join(taken + usernames)}); load the demo into an empty database."
        )


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    _check_free()
    tree = build_tree()
    result = people.build(ctx, tree)
    apply_2025(tree)
    logins = accounts.build(result.persons, tree.units)
    open_units = Unit.objects.filter(valid_on(REFERENCE_DATE))
    return [
        ("units", Unit.objects.count()),
        (
            "cells open on 30/04/2024",
            open_units.filter(kind__in=[UnitKind.CELL, UnitKind.GRASSROOTS_CELL]).count(),
        ),
        ("party members on 30/04/2024", Membership.objects.filter(valid_on(REFERENCE_DATE)).count()),
        ("posts", result.positions),
        ("audit rows for bulk data", result.audit_rows),
        ("demo logins", logins),
    ]


STEP = Step(name="org", is_loaded=is_loaded, build=build)
