"""The seed's three years of exemplary people (05/2021–04/2024), recorded so that counting the
records (``lantoa.honours.counts``) gives exactly the figures of the district's review:

- "các chi bộ trực thuộc đảng bộ cơ sở đã giới thiệu biểu dương 113 tập thể, 1.525 cá nhân":
  the cells under the communes and grassroots committees pass exactly that many at their monthly
  bình xét from 05/2021 to 12/2023 (``plan_nominees``), and each praises its year's examples by
  decision at its December meeting;
- "các chi bộ, đảng bộ cơ sở trực thuộc Huyện ủy khen thưởng 63 tập thể, 294 cá nhân; biểu dương
  129 tập thể, 920 cá nhân": each January the cells propose some of their examples upward (tờ
  trình), the communes and grassroots committees add some of their cells, and each unit directly
  under the Huyện ủy praises and rewards (Giấy khen, with certificates) by decision; a grassroots
  cell does so for its own members;
- the three-year review conference (25/04/2024): the communes propose their five most recognised
  members and eight cells to the Huyện ủy, whose standing committee gives them a Giấy khen.

Every act goes through the product's services (decisions numbered in the registers, proposals
with their tờ trình, certificates), as a user's would.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from lantoa.cells.models import Meeting
from lantoa.honours import decisions, services
from lantoa.honours.counts import UNDER_COMMITTEE_KINDS
from lantoa.honours.models import (
    AwardForm,
    Nomination,
    NominationStatus,
    NominationStep,
    PeriodKind,
    Recognition,
    RecognitionKind,
    SubjectKind,
)
from lantoa.lib.bulk import insert_objects
from lantoa.org.models import PartyMember, Unit, UnitKind, UnitParentage
from lantoa.org.queries import children

from .base import AuditBuffer, DemoError
from .cells.common import PHUOC_THANH
from .org import DISTRICT_KEY

D = dt.date

# The review's three years, by the decisions' dates, and what it counted.
WINDOW = (D(2021, 5, 1), D(2024, 4, 30))
BY_CELLS = (113, 1525)  # (collectives, individuals) introduced and praised
REWARDED_BY_UNITS = (63, 294)
PRAISED_BY_UNITS = (129, 920)
REVIEW_DAY = D(2024, 4, 25)
REVIEW_INDIVIDUALS = 5
REVIEW_COLLECTIVES = 8
# The monthly bình xét whose passes the cells praise at year end (the last is December 2023's).
PLANNED_MONTHS = (D(2021, 5, 1), D(2023, 12, 1))
MOST_PER_MEETING = 2
# The units directly under the Huyện ủy decide on the year in January, after the cells propose.
PROPOSED = (1, 8)
DECIDED = (1, 18)
NOMINATED = (1, 10)

CELL_REASON = "gương điển hình tiêu biểu của chi bộ trong học tập và làm theo Bác năm {year}"
UNIT_REASON = (
    "có thành tích tiêu biểu năm {year} trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
REVIEW_REASON = (
    "có thành tích tiêu biểu trong 3 năm thực hiện Kết luận số 01-KL/TW của Bộ Chính trị (2021–2024)"
)

HAMLET_COLLECTIVES = (
    "Chi hội Phụ nữ",
    "Chi hội Nông dân",
    "Chi đoàn",
    "Chi hội Cựu chiến binh",
    "Tổ hòa giải",
)
AGENCY_COLLECTIVES = ("Công đoàn", "Chi đoàn")
COLLECTIVE_ACHIEVEMENTS = (
    "Vận động hội viên góp 45 ngày công và 18 triệu đồng làm đường bê tông liên tổ.",
    "Duy trì mô hình “Ngày Chủ nhật xanh”, 100% hộ hội viên giữ đường ấp sạch đẹp.",
    "Giúp 4 hộ hội viên thoát nghèo bằng vốn xoay vòng và hướng dẫn trồng bưởi da xanh.",
    "Tổ chức kể chuyện về Bác hằng tháng, thu hút đông đảo đoàn viên, hội viên tham dự.",
    "Hòa giải thành 100% vụ việc phát sinh, không để khiếu kiện vượt cấp.",
)
CELL_ACHIEVEMENTS = (
    "Lãnh đạo hoàn thành xuất sắc chỉ tiêu năm; 100% đảng viên thực hiện tốt cam kết làm theo Bác.",
    "Duy trì nền nếp sinh hoạt, bình xét gương điển hình hằng tháng; nhân rộng một mô hình làm theo Bác.",
    "Lãnh đạo xây dựng ấp văn hóa, nông thôn mới nâng cao; không có đảng viên vi phạm.",
)


@dataclass(frozen=True)
class Slot:
    """One approved regular meeting, and whether a nominee put forward there can pass."""

    meeting: Meeting
    unit: Unit
    present: int
    passable: bool


def _year_window(year: int) -> tuple[dt.date, dt.date]:
    """The part of ``year`` within the review's three years (2021 from May)."""
    return max(WINDOW[0], D(year, 1, 1)), D(year, 12, 31)


def _parent_kinds(unit_ids: set[int]) -> dict[int, list[tuple[dt.date, dt.date, str]]]:
    found: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for unit_id, start, end, kind in UnitParentage.objects.filter(unit_id__in=unit_ids).values_list(
        "unit_id", "valid_from", "valid_to", "parent__kind"
    ):
        found[unit_id].append((start, end or D(9999, 12, 31), kind))
    return found


def _under_a_committee(parents: dict, unit: Unit, day: dt.date) -> bool:
    return unit.kind == UnitKind.CELL and any(
        start <= day <= end and kind in UNDER_COMMITTEE_KINDS for start, end, kind in parents[unit.pk]
    )


def plan_nominees(rng: random.Random, slots: list[Slot]) -> dict[int, tuple[int, int]]:
    """How many individuals and collectives pass at each monthly meeting of the cells under
    grassroots committees from 05/2021 to 12/2023: ``BY_CELLS`` in all, at most two people a
    meeting; Phước Thạnh (full minutes) reviews someone every month. Every such meeting is in the
    plan, most with nobody: nothing else passes there."""
    parents = _parent_kinds({slot.unit.pk for slot in slots})
    planned = [
        slot
        for slot in slots
        if PLANNED_MONTHS[0] <= slot.meeting.period <= PLANNED_MONTHS[1]
        and _under_a_committee(parents, slot.unit, slot.meeting.date)
    ]
    individuals: Counter[int] = Counter()
    seats: list[int] = []
    passing = 0
    for slot in planned:
        room = min(MOST_PER_MEETING, slot.present - 1)
        if slot.unit.key == PHUOC_THANH and room > 0:
            individuals[slot.meeting.pk] += 1  # voted on; passes only where the meeting can pass anyone
            passing += slot.passable
            room -= 1
        if slot.passable:
            seats += [slot.meeting.pk] * room
    collectives_wanted, individuals_wanted = BY_CELLS
    individuals.update(rng.sample(seats, individuals_wanted - passing))
    passable = [slot.meeting.pk for slot in planned if slot.passable]
    collectives = Counter(rng.sample(passable, collectives_wanted))
    return {slot.meeting.pk: (individuals[slot.meeting.pk], collectives[slot.meeting.pk]) for slot in planned}


def assign_examples(
    rng: random.Random, slots: list[Slot], plan: dict[int, tuple[int, int]], present: dict[int, list[int]]
) -> dict[int, tuple[list[int], list[str]]]:
    """Who passes at each planned meeting: the people (among ``present``, person ids) and the
    collectives by name. A cell's December decision praises each example of its year once, so
    nobody passes twice in one cell and year; where a meeting has nobody new left, its examples
    go to another planned meeting that can pass them, so the review's figures stay exact."""
    by_slot = {slot.meeting.pk: slot for slot in slots if slot.meeting.pk in plan}
    taken: defaultdict[tuple[int, int], set[object]] = defaultdict(set)
    chosen: dict[int, tuple[list[int], list[str]]] = {}
    owed_people = owed_names = 0
    for pk, slot in by_slot.items():
        individuals, collectives = plan[pk]
        year = taken[slot.unit.pk, slot.meeting.period.year]
        fresh = [person for person in present[pk] if person not in year]
        people = rng.sample(fresh, min(individuals, len(fresh)))
        names = collective_names(rng, slot.unit, collectives, taken={str(n) for n in year})
        if slot.passable:
            owed_people += individuals - len(people)
            owed_names += collectives - len(names)
        year.update(people)
        year.update(names)
        chosen[pk] = (people, names)
    passable = [pk for pk, slot in by_slot.items() if slot.passable]
    rng.shuffle(passable)
    for pk in passable:
        if not owed_people and not owed_names:
            break
        slot = by_slot[pk]
        people, names = chosen[pk]
        year = taken[slot.unit.pk, slot.meeting.period.year]
        room = min(MOST_PER_MEETING, slot.present - 1) - len(people)
        fresh = [person for person in present[pk] if person not in year]
        more = rng.sample(fresh, max(0, min(room, owed_people, len(fresh))))
        extra_names = collective_names(rng, slot.unit, min(owed_names, 1), taken={str(n) for n in year})
        owed_people -= len(more)
        owed_names -= len(extra_names)
        year.update(more)
        year.update(extra_names)
        chosen[pk] = (people + more, names + extra_names)
    if owed_people or owed_names:
        raise DemoError(
            f"the review's examples do not fit the meetings: {owed_people} people, {owed_names} collectives"
        )
    return chosen


def collective_names(
    rng: random.Random, unit: Unit, count: int, taken: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """Collectives of the hamlet or agency a cell leads: "Chi hội Phụ nữ ấp Phước Thạnh"; none of
    ``taken`` (those the cell already passed that year)."""
    place = unit.name.removeprefix("Chi bộ").strip()
    hamlet = place.split(" ", 1)[0] in ("ấp", "khu")
    kinds = HAMLET_COLLECTIVES if hamlet else AGENCY_COLLECTIVES
    names = [f"{kind} {place}" for kind in kinds if f"{kind} {place}" not in taken]
    return rng.sample(names, min(count, len(names)))


def build(rng: random.Random) -> list[tuple[str, int]]:
    district = Unit.objects.get(key=DISTRICT_KEY)
    praised_by_cells = _cells_praise_their_years()
    by_units = _units_under_the_district_decide(rng, district)
    review = _three_year_review(district)
    return [
        ("cells' year-end praise decisions (2021–2023)", praised_by_cells),
        ("decisions of the units under the Huyện ủy (2022–2024)", by_units),
        ("three-year review: recognised by the Huyện ủy", review),
    ]


def _cells_praise_their_years() -> int:
    """Each cell under a grassroots committee praises, at its December meeting, the examples it
    passed in the year's monthly bình xét."""
    made = 0
    for year in range(WINDOW[0].year, WINDOW[1].year):
        start, end = _year_window(year)
        passed = Nomination.objects.filter(
            unit__kind=UnitKind.CELL,
            status=NominationStatus.PASSED,
            period_kind=PeriodKind.MONTH,
            nominated_on__range=(start, end),
        ).select_related("unit", "subject_person__party_member", "subject_unit")
        by_cell: dict[int, list[Nomination]] = defaultdict(list)
        for nomination in passed.order_by("nominated_on", "pk"):
            by_cell[nomination.unit_id].append(nomination)
        december = dict(
            Meeting.objects.filter(unit_id__in=by_cell, period=D(year, 12, 1), kind="regular").values_list(
                "unit_id", "date"
            )
        )
        parents = _parent_kinds(set(by_cell))
        for unit_id, nominations in by_cell.items():
            cell = nominations[0].unit
            day = december.get(unit_id, D(year, 12, 28))
            if not _under_a_committee(parents, cell, day):
                continue
            decisions.issue_decision(
                actor=None,
                unit=cell,
                kind=RecognitionKind.PRAISE,
                nominations=nominations,
                decided_on=day,
                year=year,
                reason=CELL_REASON.format(year=year),
            )
            made += 1
    return made


def _units_under_the_district_decide(rng: random.Random, district: Unit) -> int:
    """Every January, for the year before: the cells propose some of their examples, the units
    directly under the Huyện ủy praise most and reward some (Giấy khen, with certificates)."""
    giay_khen = AwardForm.objects.get(code="party-giay-khen")
    individual_pool: list[tuple[int, Unit, Nomination]] = []
    collective_pool: list[tuple[int, Unit, Unit]] = []
    for year in range(WINDOW[0].year, WINDOW[1].year):
        decided_on = D(year + 1, *DECIDED)
        start, end = _year_window(year)
        for unit in children(district, decided_on):
            if unit.kind == UnitKind.GRASSROOTS_CELL:
                own = Nomination.objects.filter(holder=unit, status=NominationStatus.PASSED)
            elif unit.kind in (UnitKind.COMMUNE, UnitKind.GRASSROOTS):
                cells = list(children(unit, decided_on).filter(kind=UnitKind.CELL))
                collective_pool += [(year, unit, cell) for cell in cells]
                own = Nomination.objects.filter(holder__in=cells, status=NominationStatus.RECOGNISED)
            else:
                continue
            # Each person once a unit and year, by the first of their nominations: a decision
            # recognises a subject once.
            seen: set[int | None] = set()
            for nomination in (
                own.filter(
                    subject_person__isnull=False,
                    period_kind=PeriodKind.MONTH,
                    nominated_on__range=(start, end),
                )
                .select_related("unit", "holder", "subject_person__party_member")
                .order_by("pk")
            ):
                if nomination.subject_person_id not in seen:
                    seen.add(nomination.subject_person_id)
                    individual_pool.append((year, unit, nomination))
    collectives = rng.sample(collective_pool, sum((REWARDED_BY_UNITS[0], PRAISED_BY_UNITS[0])))
    individuals = rng.sample(individual_pool, sum((REWARDED_BY_UNITS[1], PRAISED_BY_UNITS[1])))
    # A Giấy khen goes to party members only: the first of those drawn who are members that day.
    rewarded = set(
        [
            number
            for number, (year, _unit, nomination) in enumerate(individuals)
            if decisions.subject_kind(nomination, D(year + 1, *DECIDED)) == SubjectKind.MEMBER
        ][: REWARDED_BY_UNITS[1]]
    )
    plans: dict[tuple[int, int], dict[str, list[Nomination]]] = defaultdict(lambda: defaultdict(list))
    units: dict[int, Unit] = {}
    for number, (year, unit, nomination) in enumerate(individuals):
        units[unit.pk] = unit
        kind = str(RecognitionKind.REWARD if number in rewarded else RecognitionKind.PRAISE)
        plans[year, unit.pk][kind].append(nomination)
    new_nominations = _nominate_cells(collectives)
    for number, (year, unit, _cell) in enumerate(collectives):
        units[unit.pk] = unit
        kind = RecognitionKind.REWARD if number < REWARDED_BY_UNITS[0] else RecognitionKind.PRAISE
        plans[year, unit.pk][kind].append(new_nominations[number])
    made = 0
    for (year, unit_id), by_kind in sorted(plans.items()):
        unit = units[unit_id]
        _propose_upward(unit, [n for chosen in by_kind.values() for n in chosen], D(year + 1, *PROPOSED))
        for kind, nominations in sorted(by_kind.items()):
            decision = decisions.issue_decision(
                actor=None,
                unit=unit,
                kind=kind,
                form=giay_khen if kind == RecognitionKind.REWARD else None,
                nominations=nominations,
                decided_on=D(year + 1, *DECIDED),
                year=year,
                reason=UNIT_REASON.format(year=year),
            )
            if kind == RecognitionKind.REWARD:
                decisions.issue_certificates(actor=None, decision=decision, day=decision.decided_on)
            made += 1
    return made


def _nominate_cells(chosen: list[tuple[int, Unit, Unit]]) -> list[Nomination]:
    """A committee puts forward some of its cells for the year (its standing committee's choice,
    no vote of a cell), in the order given."""
    nominations = [
        Nomination(
            unit=unit,
            holder=unit,
            subject_unit=cell,
            period_kind=PeriodKind.YEAR,
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            achievements=CELL_ACHIEVEMENTS[number % len(CELL_ACHIEVEMENTS)],
            nominated_on=D(year + 1, *NOMINATED),
            status=NominationStatus.PASSED,
        )
        for number, (year, unit, cell) in enumerate(chosen)
    ]
    insert_objects(Nomination, nominations)
    steps = []
    for nomination in nominations:
        steps.append(
            NominationStep(
                nomination=nomination,
                day=nomination.nominated_on,
                unit=nomination.unit,
                status=NominationStatus.NOMINATED,
            )
        )
        steps.append(
            NominationStep(
                nomination=nomination,
                day=nomination.nominated_on,
                unit=nomination.unit,
                status=NominationStatus.PASSED,
                note="Ban Thường vụ thống nhất đề nghị",
            )
        )
    insert_objects(NominationStep, steps)
    audit = AuditBuffer()
    audit.created(
        ((n, n.unit) for n in nominations), ("subject_unit", "period_start", "achievements", "status")
    )
    audit.flush()
    return nominations


def _propose_upward(unit: Unit, nominations: list[Nomination], day: dt.date) -> None:
    """The cells whose examples ``unit`` decides on propose them first, one tờ trình each."""
    by_cell: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in nominations:
        if nomination.holder_id != unit.pk:
            by_cell[nomination.holder_id].append(nomination)
    for chosen in by_cell.values():
        services.forward_nominations(
            actor=None, from_unit=chosen[0].holder, to_unit=unit, nominations=chosen, proposed_on=day
        )


def _three_year_review(district: Unit) -> int:
    """The review conference: each commune proposes its most recognised members and cells of the
    three years; the Huyện ủy's standing committee gives the first five and eight a Giấy khen."""
    start, end = WINDOW
    recognised = Recognition.objects.filter(
        decision__decided_on__range=(start, end),
        decision__unit__kind__in=(UnitKind.COMMUNE, UnitKind.GRASSROOTS),
        revoked_on__isnull=True,
    )
    people = Counter(
        recognised.filter(subject_kind=SubjectKind.MEMBER).values_list(
            "nomination__subject_person_id", "decision__unit_id"
        )
    )
    cells = Counter(
        recognised.filter(subject_kind=SubjectKind.PARTY_UNIT).values_list(
            "nomination__subject_unit_id", "decision__unit_id"
        )
    )
    still_members = set(
        PartyMember.objects.filter(person_id__in={p for p, _u in people}, admitted_on__lte=REVIEW_DAY)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=REVIEW_DAY))
        .values_list("person_id", flat=True)
    )
    chosen_people: list[tuple[int, int]] = []
    seen: set[int] = set()
    for (person_id, unit_id), _n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0])):
        if person_id in still_members and person_id not in seen and len(chosen_people) < REVIEW_INDIVIDUALS:
            chosen_people.append((person_id, unit_id))
            seen.add(person_id)
    chosen_cells = [key for key, _n in sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))][
        :REVIEW_COLLECTIVES
    ]
    units = Unit.objects.in_bulk(
        {u for _s, u in chosen_people + chosen_cells} | {s for s, _u in chosen_cells}
    )
    proposed_on = REVIEW_DAY - dt.timedelta(days=10)
    nominations = [
        Nomination(
            unit=units[unit_id],
            holder=units[unit_id],
            subject_person_id=person_id,
            period_kind=PeriodKind.YEARS,
            period_start=start,
            period_end=end,
            achievements="Ba năm liền được biểu dương, khen thưởng là gương điển hình làm theo Bác.",
            nominated_on=proposed_on,
            status=NominationStatus.PASSED,
        )
        for person_id, unit_id in chosen_people
    ] + [
        Nomination(
            unit=units[unit_id],
            holder=units[unit_id],
            subject_unit=units[cell_id],
            period_kind=PeriodKind.YEARS,
            period_start=start,
            period_end=end,
            achievements=CELL_ACHIEVEMENTS[0],
            nominated_on=proposed_on,
            status=NominationStatus.PASSED,
        )
        for cell_id, unit_id in chosen_cells
    ]
    insert_objects(Nomination, nominations)
    insert_objects(
        NominationStep,
        [
            NominationStep(nomination=n, day=proposed_on, unit=n.unit, status=NominationStatus.NOMINATED)
            for n in nominations
        ],
    )
    audit = AuditBuffer()
    audit.created(
        ((n, n.unit) for n in nominations), ("subject_person", "subject_unit", "period_start", "status")
    )
    audit.flush()
    by_unit: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in nominations:
        by_unit[nomination.unit_id].append(nomination)
    for unit_id, chosen in by_unit.items():
        services.forward_nominations(
            actor=None,
            from_unit=units[unit_id],
            to_unit=district,
            nominations=chosen,
            proposed_on=proposed_on,
        )
    decision = decisions.issue_decision(
        actor=None,
        unit=district,
        kind=RecognitionKind.REWARD,
        form=AwardForm.objects.get(code="party-giay-khen"),
        nominations=Nomination.objects.filter(pk__in=[n.pk for n in nominations]).order_by("pk"),
        decided_on=REVIEW_DAY,
        year=REVIEW_DAY.year,
        reason=REVIEW_REASON,
        periodic=False,
    )
    decisions.issue_certificates(actor=None, decision=decision, day=REVIEW_DAY)
    return len(nominations)
