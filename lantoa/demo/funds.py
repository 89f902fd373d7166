"""The savings fund of Chi bộ Hội LHPN huyện (quỹ heo đất đỡ đầu trẻ mồ côi), from 01/01/2023.

The seed article: "hàng tháng trong các buổi sinh hoạt chi bộ, từng đảng viên chi bộ tự tiết kiệm
đóng góp 50.000 đồng/đảng viên. Trong năm 2023 đỡ đầu 2 bé mồ côi cha có hoàn cảnh khó khăn ở ấp
Phước Thạnh, xã An Khánh, mỗi quý 1,2 triệu đồng. Năm 2024, chi bộ nhận đỡ đầu 1 trường hợp mồ côi
mẹ đang sống với ông bà ngoại già yếu ở xã Tân Thạch."

- The fund opens on 01/01/2023 at 50.000 đ a member a month, with the 2.000.000 đ the cell's
  notebook held at the end of 2022.
- Every member saves every month at the cell's regular meeting of that month; a member absent
  from it pays at the next month's meeting. Savings are booked up to the month before today:
  the members absent from last month's meeting, one member who has paid nothing for the last
  two months and another who has not paid last month still owe (the arrears to show). One member
  is excused for three months of 2024 (long illness).
- The members' savings alone (9 members in early 2023: 1.350.000 đ a quarter) do not cover two
  children's 2.400.000 đ a quarter, so the association's members give at Tết, on 8/3 and on
  20/10, and a local business on 1/6. From 2024 the fund sponsors one child (the minutes of the
  cell's meetings say the same), which the savings cover: the business gives once more on
  1/6/2024 and the association 500.000 đ each Tết. The balance is never negative; it grows by
  about 2,3 million đồng a year from 2024.
- The two children of ấp Phước Thạnh are sponsored through 2023, the child of xã Tân Thạch from
  2024; each quarter's 1.200.000 đ is handed to the guardian on the 25th of the quarter's last
  month, for every quarter ended before today. Consents: one mother and her daughter agree to
  the name in statements and reports, another mother and son to statements only; the
  grandparents in Tân Thạch agree to nothing beyond keeping the record (the name is withheld).

Everything goes through ``lantoa.funds.services`` (their checks and audit rows), by the system.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lantoa.cells.models import Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.queries.meetings import add_months
from lantoa.funds import services
from lantoa.funds.models import Beneficiary, ConsentGiver, ConsentUse, EntryKind, Fund, LedgerEntry
from lantoa.org.models import Person, Position, PositionTitle, Unit

from .base import DemoContext, Step
from .cells.common import LHPN

D = dt.date

FUND_NAME = "Quỹ heo đất tiết kiệm đỡ đầu trẻ mồ côi"
PURPOSE = (
    "Hằng tháng trong các buổi sinh hoạt chi bộ, từng đảng viên chi bộ tự tiết kiệm đóng góp "
    "50.000 đồng/đảng viên để đỡ đầu trẻ mồ côi có hoàn cảnh khó khăn, mỗi cháu 1.200.000 đồng "
    "mỗi quý."
)
OPENED = D(2023, 1, 1)
MONTHLY = 50_000
QUARTERLY = 1_200_000
OPENING = 2_000_000
OPENING_REASON = "Số dư quỹ chuyển sang từ sổ quỹ ghi tay của chi bộ đến hết ngày 31/12/2022"
ASSOCIATION = "Hội viên Hội LHPN huyện"
SPONSOR = "Cơ sở kẹo dừa Thanh Long (xã An Khánh)"
TREASURER_LOGIN = "thuquy"
EXEMPTION = (D(2024, 4, 1), D(2024, 6, 1), "Điều trị bệnh dài ngày")
# Tết Nguyên đán of the years the demo may be loaded in; the association's gifts come a week or
# so before it, at the women's get-together for the new year.
TET = {
    2023: D(2023, 1, 22),
    2024: D(2024, 2, 10),
    2025: D(2025, 1, 29),
    2026: D(2026, 2, 17),
    2027: D(2027, 2, 6),
    2028: D(2028, 1, 26),
    2029: D(2029, 2, 13),
    2030: D(2030, 2, 3),
}
STEMS = ("Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ")
BRANCHES = ("Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi")


@dataclass(frozen=True)
class ChildData:
    full_name: str
    birth_year: int
    commune: str
    hamlet: str
    situation: str
    guardian_name: str
    guardian_relation: str
    guardian_contact: str
    sponsored_from: dt.date
    sponsored_to: dt.date | None
    # (uses the guardian agrees to, uses the child agrees to), given on ``consent_on``
    guardian_uses: tuple[str, ...]
    child_uses: tuple[str, ...]
    consent_on: dt.date


CHILDREN = (
    ChildData(
        "Trần Ngọc Bảo Hân",
        2014,
        "xã An Khánh",
        "ấp Phước Thạnh",
        "Mồ côi cha (cha mất năm 2021 vì tai nạn giao thông); mẹ làm thuê ở cơ sở chế biến dừa, nuôi "
        "hai con nhỏ. Chi bộ đỡ đầu trong năm 2023.",
        "Lê Thị Mến",
        "mẹ",
        "0918 274 365",
        D(2023, 1, 1),
        D(2023, 12, 31),
        (ConsentUse.STATEMENT, ConsentUse.REPORT),
        (ConsentUse.STATEMENT, ConsentUse.REPORT),
        D(2023, 1, 9),
    ),
    ChildData(
        "Nguyễn Minh Khang",
        2016,
        "xã An Khánh",
        "ấp Phước Thạnh",
        "Mồ côi cha (cha mất năm 2022 vì bệnh); mẹ bán hàng rong, nhà ở nhờ đất của bà con. Chi bộ "
        "đỡ đầu trong năm 2023.",
        "Võ Thị Kim Loan",
        "mẹ",
        "0376 518 920",
        D(2023, 1, 1),
        D(2023, 12, 31),
        (ConsentUse.STATEMENT,),
        (ConsentUse.STATEMENT,),
        D(2023, 1, 9),
    ),
    ChildData(
        "Huỳnh Gia Bảo",
        2015,
        "xã Tân Thạch",
        "ấp Tân Phong",
        "Mồ côi mẹ, cha đi làm ăn xa không liên lạc; cháu sống với ông bà ngoại già yếu, ông ngoại "
        "bệnh tim. Chi bộ nhận đỡ đầu từ năm 2024.",
        "Phạm Thị Sáu",
        "bà ngoại",
        "",
        D(2024, 1, 1),
        None,
        (),
        (),
        D(2024, 1, 8),
    ),
)


def is_loaded() -> bool:
    return Fund.objects.filter(unit__key=LHPN).exists()


def _year_name(year: int) -> str:
    return f"{STEMS[year % 10]} {BRANCHES[year % 12]}"


def _donations(today: dt.date) -> list[tuple[dt.date, int, str, str]]:
    """(day, amount, from, note) of each gift up to ``today``."""
    rows = [
        (D(2023, 1, 12), 1_000_000, ASSOCIATION, "Hội viên quyên góp dịp Tết Quý Mão"),
        (D(2023, 3, 8), 800_000, ASSOCIATION, "Nhân kỷ niệm Ngày Quốc tế Phụ nữ 8/3"),
        (D(2023, 6, 1), 1_000_000, SPONSOR, "Ủng hộ nhân Ngày Quốc tế Thiếu nhi 1/6"),
        (D(2023, 10, 20), 1_000_000, ASSOCIATION, "Nhân kỷ niệm Ngày thành lập Hội LHPN Việt Nam 20/10"),
        (D(2024, 6, 1), 500_000, SPONSOR, "Ủng hộ nhân Ngày Quốc tế Thiếu nhi 1/6"),
    ]
    # From 2024 the savings cover the one child; the association still gives at Tết.
    for year in range(2024, today.year + 1):
        tet = TET.get(year, D(year, 2, 1))
        note = f"Hội viên quyên góp dịp Tết {_year_name(year)}"
        rows.append((tet - dt.timedelta(days=10), 500_000, ASSOCIATION, note))
    return [row for row in rows if row[0] <= today]


def _regular_meetings(cell: Unit, last_month: dt.date, today: dt.date) -> dict[dt.date, Meeting]:
    """The cell's regular meeting of each month up to ``last_month``, held by ``today``."""
    meetings = Meeting.objects.filter(
        unit=cell,
        kind__in=(MeetingKind.REGULAR, MeetingKind.COMBINED),
        period__gte=OPENED,
        period__lte=last_month,
        date__lte=today,
    ).exclude(status=MeetingStatus.PLANNED)
    return {meeting.period: meeting for meeting in meetings.order_by("date", "pk")}


def _handlers(cell: Unit) -> tuple[Person, Person]:
    """Who hands the money over: the cell's secretary, and its treasurer (the secretary again
    when the demo was loaded before the treasurer's login existed)."""
    secretary = (
        Position.objects.filter(unit=cell, title=PositionTitle.SECRETARY, valid_to__isnull=True)
        .select_related("person")
        .order_by("valid_from")
        .first()
    )
    if secretary is None:
        raise RuntimeError(f"{cell.name} has no secretary")
    treasurer = Person.objects.filter(user__username=TREASURER_LOGIN).first()
    return secretary.person, treasurer or secretary.person


class _Plan:
    """Every movement of the fund, dated, to be recorded through the services in date order."""

    def __init__(self) -> None:
        # day → [(order within the day, what to record)]: money in before money out.
        self.events: dict[dt.date, list[tuple[int, Any]]] = defaultdict(list)

    def add(self, day: dt.date, order: int, call: Any) -> None:
        self.events[day].append((order, call))

    def run(self) -> None:
        for day in sorted(self.events):
            for _order, call in sorted(self.events[day], key=lambda pair: pair[0]):
                call()


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    rng = ctx.rng("funds")
    today = timezone.localdate()
    cell = Unit.objects.get(key=LHPN)
    fund = services.open_fund(
        actor=None, unit=cell, name=FUND_NAME, purpose=PURPOSE, opened_on=OPENED, monthly_amount=MONTHLY
    )
    plan = _Plan()
    plan.add(
        OPENED,
        0,
        lambda: services.record_opening(
            actor=None, fund=fund, day=OPENED, amount=OPENING, reason=OPENING_REASON
        ),
    )
    for day, amount, source, note in _donations(today):
        plan.add(
            day,
            1,
            lambda day=day, amount=amount, source=source, note=note: services.record_donation(
                actor=None, fund=fund, day=day, amount=amount, source=source, reason=note
            ),
        )
    secretary, treasurer = _handlers(cell)
    officers = set(Position.objects.filter(unit=cell).values_list("person_id", flat=True)) | {treasurer.pk}
    exempt = _plan_savings(rng, plan, fund, cell, today, officers)
    children = _add_children(fund, today)
    disbursements = _plan_disbursements(plan, children, today, (secretary, treasurer))
    plan.run()
    entries = LedgerEntry.objects.filter(fund=fund)
    lines = [
        ("savings fund ledger entries", entries.count()),
        ("members' savings booked (đ)", _sum(entries, EntryKind.CONTRIBUTION)),
        (
            "opening balance and donations (đ)",
            _sum(entries, EntryKind.OPENING) + _sum(entries, EntryKind.DONATION),
        ),
        ("disbursements to the sponsored children", disbursements),
        ("members excused from saving", exempt),
    ]
    for year in range(OPENED.year, today.year):
        lines.append((f"fund balance 31/12/{year} (đ)", services.balance(fund, D(year, 12, 31))))
    lines.append(("fund balance today (đ)", services.balance(fund, today)))
    return lines


def _sum(entries: Any, kind: str) -> int:
    return int(sum(entries.filter(kind=kind).values_list("amount", flat=True)))


def _plan_savings(rng: Any, plan: _Plan, fund: Fund, cell: Unit, today: dt.date, officers: set[int]) -> int:
    """Each month's savings, from 01/2023 to the month before today: those present at the
    month's regular meeting pay there, the others at the next month's meeting (or on the 15th
    when a month had no meeting). Returns the number of exemptions recorded."""
    last_month = add_months(today.replace(day=1), -1)
    months = []
    month = OPENED
    while month <= last_month:
        months.append(month)
        month = add_months(month, 1)
    meetings = _regular_meetings(cell, last_month, today)
    present = set(
        Attendance.objects.filter(meeting__in=meetings.values(), status=AttendanceStatus.PRESENT).values_list(
            "meeting_id", "member_id"
        )
    )
    members = {month: services.members_in_month(fund, month) for month in months}
    # The members behind and the one excused are ordinary members (no post, not the treasurer),
    # in the cell from 01/2023 to last month.
    ordinary = sorted(
        {m.pk for m in members[months[-1]] if m.person_id not in officers}
        & {m.pk for m in members[OPENED] if m.person_id not in officers}
    )
    # Two behind: one owes the last two months, the other the last month.
    behind = dict(zip(rng.sample(ordinary, 2), (2, 1), strict=True))
    first, last, reason = EXEMPTION
    exempt_id = None
    if last_month >= first:
        candidates = [
            pk
            for pk in ordinary
            if pk not in behind
            and pk in {m.pk for m in members[first]}
            and pk in {m.pk for m in members[last]}
        ]
        if candidates:
            exempt_id = rng.choice(candidates)
            member = next(m for m in members[first] if m.pk == exempt_id)
            services.record_exemption(
                actor=None, fund=fund, member=member, first_month=first, last_month=last, reason=reason
            )

    def booking(month: dt.date) -> tuple[dt.date, Meeting | None]:
        meeting = meetings.get(month)
        return (meeting.date, meeting) if meeting else (month.replace(day=15), None)

    # (day, month of the saving, meeting) → members paying then
    batches: dict[tuple[dt.date, dt.date, Meeting | None], list[int]] = defaultdict(list)
    for index, month in enumerate(months):
        day, meeting = booking(month)
        later = booking(months[index + 1]) if index + 1 < len(months) else None
        for member in members[month]:
            if member.pk == exempt_id and first <= month <= last:
                continue
            if index >= len(months) - behind.get(member.pk, 0):
                continue
            if meeting is None or (meeting.pk, member.pk) in present:
                batches[day, month, meeting].append(member.pk)
            elif later is not None:
                batches[later[0], month, later[1]].append(member.pk)
    for (day, month, meeting), ids in batches.items():
        plan.add(
            day,
            2,
            lambda day=day, month=month, meeting=meeting, ids=ids: services.record_contributions(
                actor=None, fund=fund, month=month, member_ids=ids, day=day, meeting=meeting
            ),
        )
    return 1 if exempt_id else 0


def _add_children(fund: Fund, today: dt.date) -> list[Beneficiary]:
    children = []
    for data in CHILDREN:
        if data.sponsored_from > today:
            continue
        child = services.add_beneficiary(
            actor=None,
            fund=fund,
            full_name=data.full_name,
            birth_year=data.birth_year,
            commune=data.commune,
            hamlet=data.hamlet,
            situation=data.situation,
            guardian_name=data.guardian_name,
            guardian_relation=data.guardian_relation,
            guardian_contact=data.guardian_contact,
            sponsored_from=data.sponsored_from,
            sponsored_to=data.sponsored_to,
            scheduled_amount=QUARTERLY,
            every_months=3,
        )
        if data.guardian_uses:
            services.record_consent(
                actor=None,
                child=child,
                given_by=ConsentGiver.GUARDIAN,
                giver_name=data.guardian_name,
                given_on=data.consent_on,
                uses=data.guardian_uses,
                note="Ký giấy đồng ý khi chi bộ đến thăm gia đình",
            )
        if data.child_uses and child.age_in(data.consent_on.year) >= 7:
            services.record_consent(
                actor=None,
                child=child,
                given_by=ConsentGiver.CHILD,
                giver_name=data.full_name,
                given_on=data.consent_on,
                uses=data.child_uses,
                note="Cháu đồng ý, có mẹ cùng ký",
            )
        children.append(child)
    return children


def _plan_disbursements(
    plan: _Plan, children: list[Beneficiary], today: dt.date, handlers: tuple[Person, Person]
) -> int:
    """Each quarter of sponsorship that ended before today, paid on the 25th of its last month."""
    count = 0
    for child in children:
        quarter = child.sponsored_from.replace(day=1)
        while True:
            quarter_end = add_months(quarter, 3) - dt.timedelta(days=1)
            if quarter_end >= today or (child.sponsored_to and quarter > child.sponsored_to):
                break
            day = add_months(quarter, 2).replace(day=25)
            handed_by = handlers[(quarter.month // 3) % 2]
            plan.add(
                day,
                3,
                lambda child=child, day=day, quarter=quarter, handed_by=handed_by: (
                    services.record_disbursement(
                        actor=None,
                        child=child,
                        day=day,
                        amount=QUARTERLY,
                        handed_by=handed_by,
                        received_by=child.guardian_name,
                        slot=quarter,
                    )
                ),
            )
            count += 1
            quarter = add_months(quarter, 3)
    return count


STEP = Step("funds", is_loaded, build)
