"""The demo's party members and their posts, drawn in memory and written in bulk.

Several thousand members through the per-row services would take minutes; instead every row is
drafted first (people, admission dates, cells, posts, transfers, exemptions, card re-issues), then
each table is written in one bulk insert, with the audit rows the services would have written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from lantoa.lib.bulk import insert_objects
from lantoa.lib.text import fold, normalize_name
from lantoa.lib.vi import format_date
from lantoa.org.member_dates import ADMISSION_AGE, years_after
from lantoa.org.models import (
    ActivityExemption,
    CardNumberChange,
    Membership,
    PartyMember,
    Person,
    Position,
    Unit,
)
from lantoa.org.services import MEMBER_FIELDS, PERSON_FIELDS

from .base import REFERENCE_DATE, AuditBuffer, DemoContext, day_between
from .names import FEMALE, MALE, NameGenerator, PersonData
from .places import PROFILES
from .posts import Posts, draft_posts

if TYPE_CHECKING:
    from .org import CellPlan, DemoTree

D = dt.date

EARLIEST_ADMISSION = D(1975, 1, 1)
# Members admitted after this day are still probationary on the reference date (12 months).
PROBATION_FROM = D(2023, 5, 1)
LAST_ADMISSION = D(2023, 12, 31)
PROBATIONARY_SHARE = 0.04
EXEMPT_SHARE = 0.02
EXEMPT_AGE = 75
TRANSFERS = 36
CARD_REISSUES = 24


@dataclass(frozen=True)
class Named:
    """A person the seed article names, placed in the cell they would belong to."""

    full_name: str
    gender: str
    birth_date: dt.date
    admitted_on: dt.date
    cell: str
    joined_on: dt.date


NAMED: dict[str, Named] = {
    "phan-song-toan": Named(
        "Phan Song Toàn", MALE, D(1971, 8, 12), D(1996, 5, 19), "chi-bo-van-phong-huyen-uy", D(2015, 10, 1)
    ),
    "huynh-thanh-tuan": Named(
        "Huỳnh Thanh Tuấn", MALE, D(1974, 3, 2), D(1998, 2, 3), "chi-bo-van-phong-huyen-uy", D(2016, 7, 1)
    ),
    "vo-thi-phuong": Named(
        "Võ Thị Phương",
        FEMALE,
        D(1977, 10, 20),
        D(2001, 9, 2),
        "chi-bo-ban-tuyen-giao-huyen-uy",
        D(2017, 3, 1),
    ),
    "nguyen-thanh-hien": Named(
        "Nguyễn Thanh Hiền", FEMALE, D(1979, 6, 15), D(2003, 3, 8), "chi-bo-hoi-lhpn", D(2016, 5, 1)
    ),
}


@dataclass(eq=False)
class Draft:
    """One member before it is written; compared by identity so it can sit in sets."""

    data: PersonData
    plan: CellPlan
    admitted_on: dt.date
    full_member_on: dt.date | None
    joined_on: dt.date
    named: str = ""
    health_note: str = ""
    exempt_from: dt.date | None = None
    previous: tuple[Unit, dt.date] | None = None  # the cell before a transfer, and since when
    card_number: str | None = None
    old_card: tuple[str, dt.date] | None = None
    person: Person | None = None
    member: PartyMember | None = None

    def age_on(self, day: dt.date) -> int:
        born = self.data.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class PeopleResult:
    persons: dict[str, Person] = field(default_factory=dict)
    positions: int = 0
    audit_rows: int = 0


def _years_after(day: dt.date, years: float) -> dt.date:
    return day + dt.timedelta(days=int(years * 365.25))


def _anniversary(day: dt.date) -> dt.date:
    """Full membership: twelve months after admission (29/2 → 1/3)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return D(day.year + 1, 3, 1)


class Drafter:
    def __init__(self, ctx: DemoContext, tree: DemoTree) -> None:
        self.rng = ctx.rng("org.people")
        self.names = NameGenerator(
            ctx.rng("org.names"), reserved=frozenset(named.full_name for named in NAMED.values())
        )
        self.tree = tree
        self.drafts: list[Draft] = []
        self.by_cell: dict[str, list[Draft]] = {}
        self.named: dict[str, Draft] = {}

    # -- members ------------------------------------------------------------------------------

    def _admission(self, birth: dt.date) -> tuple[dt.date, dt.date | None]:
        rng = self.rng
        adult = years_after(birth, ADMISSION_AGE)
        if rng.random() < PROBATIONARY_SHARE and adult < PROBATION_FROM:
            admitted = day_between(rng, max(PROBATION_FROM, adult), LAST_ADMISSION)
            return admitted, None
        earliest = max(adult, EARLIEST_ADMISSION)
        latest = min(_years_after(birth, 50), PROBATION_FROM - dt.timedelta(days=1))
        admitted = max(_years_after(birth, rng.triangular(18, 45, 26)), adult)
        if not earliest <= admitted <= latest:
            # Born too early for their 20s to fall after 1975: admitted within 15 years of it.
            admitted = day_between(rng, earliest, min(latest, _years_after(earliest, 15)))
        return admitted, _anniversary(admitted)

    def _joined(self, plan: CellPlan, birth: dt.date, admitted: dt.date, full: dt.date | None) -> dt.date:
        rng = self.rng
        start = max(admitted, plan.unit.valid_from)
        if full is None:
            return start
        latest = REFERENCE_DATE - dt.timedelta(days=90)
        if PROFILES[plan.profile].settled:
            # Most residents were admitted in their hamlet; some moved in or came home later.
            return start if rng.random() < 0.7 else day_between(rng, start, max(start, latest))
        job = _years_after(birth, rng.triangular(22, 40, 25))
        return min(max(start, job), max(start, latest))

    def _health(self, age: int) -> str:
        roll = self.rng.random()
        if age >= 65 and roll < 0.35:
            return self.rng.choice(["Tăng huyết áp", "Đái tháo đường", "Bệnh xương khớp", "Sức khỏe yếu"])
        return "Tốt" if roll < 0.85 else "Khá"

    def draft_members(self) -> None:
        for plan in self.tree.cells:
            profile = PROFILES[plan.profile]
            low, high, mode = profile.size
            size = round(self.rng.triangular(low, high, mode))
            cell_drafts = self.by_cell.setdefault(plan.unit.key, [])
            for key, named in NAMED.items():
                if named.cell == plan.unit.key:
                    data = self.names.person(
                        gender=named.gender, birth_date=named.birth_date, full_name=named.full_name
                    )
                    draft = Draft(
                        data,
                        plan,
                        named.admitted_on,
                        _anniversary(named.admitted_on),
                        named.joined_on,
                        named=key,
                    )
                    draft.health_note = "Tốt"
                    self.named[key] = draft
                    cell_drafts.append(draft)
            while len(cell_drafts) < size:
                gender = self.names.gender(profile.female_share)
                birth = self.names.birth_date(on=REFERENCE_DATE, age=profile.age)
                admitted, full = self._admission(birth)
                data = self.names.person(gender=gender, birth_date=birth)
                if data.birth_date.year < 1950 and self.rng.random() < 0.4:
                    data = replace(data, phone="")  # many of the very old have no mobile phone
                draft = Draft(data, plan, admitted, full, self._joined(plan, birth, admitted, full))
                draft.health_note = self._health(draft.age_on(REFERENCE_DATE))
                cell_drafts.append(draft)
            self.drafts += cell_drafts

    def draft_exemptions(self) -> None:
        """Miễn công tác và sinh hoạt đảng for about 2 %: the oldest members of hamlet cells."""
        old = [
            d for d in self.drafts if d.plan.hamlet and not d.named and d.age_on(REFERENCE_DATE) >= EXEMPT_AGE
        ]
        for draft in self.rng.sample(old, min(len(old), round(len(self.drafts) * EXEMPT_SHARE))):
            since = max(_years_after(draft.data.birth_date, 70), D(2012, 1, 1), draft.joined_on)
            draft.exempt_from = day_between(self.rng, since, REFERENCE_DATE - dt.timedelta(days=30))
            draft.health_note = "Tuổi cao, sức yếu"

    def draft_cards(self) -> None:
        """Cards go to full members, numbered in the order they became full members; a few were
        re-issued with a new number in 2025 (Chỉ thị 51-CT/TW)."""
        full = [
            d
            for _i, d in sorted(
                ((i, d) for i, d in enumerate(self.drafts) if d.full_member_on),
                key=lambda pair: (pair[1].full_member_on, pair[0]),
            )
        ]
        numbers = self.rng.sample(range(10_000_000, 100_000_000), len(full) + CARD_REISSUES)
        for draft, number in zip(full, sorted(numbers[: len(full)]), strict=True):
            draft.card_number = str(number)
        for draft, number in zip(self.rng.sample(full, CARD_REISSUES), numbers[len(full) :], strict=True):
            assert draft.card_number is not None
            changed = day_between(self.rng, D(2025, 8, 15), D(2025, 12, 15))
            draft.old_card = (draft.card_number, changed)
            draft.card_number = str(number)

    def draft_transfers(self, keep: set[Draft]) -> None:
        """A few members moved between cells during the demo period (chuyển sinh hoạt đảng)."""
        cells = [plan for plan in self.tree.cells if plan.unit.key != "chi-bo-hoi-lhpn"]
        movable = [
            d
            for d in self.drafts
            if d not in keep
            and d.full_member_on
            and d.exempt_from is None
            and d.plan.unit.key != "chi-bo-hoi-lhpn"
        ]
        for draft in self.rng.sample(movable, TRANSFERS):
            moved_on = day_between(self.rng, D(2021, 6, 1), D(2024, 3, 29))
            if draft.joined_on >= moved_on - dt.timedelta(days=60):
                continue
            source = self.rng.choice([plan for plan in cells if plan is not draft.plan])
            draft.previous = (source.unit, draft.joined_on)
            draft.joined_on = moved_on

    # -- posts --------------------------------------------------------------------------------

    def eligible(
        self, pool: list[Draft], on: dt.date, busy: set[Draft], ages: tuple[int, int]
    ) -> list[Draft]:
        return [
            d
            for d in pool
            if d not in busy
            and d.full_member_on is not None
            and d.full_member_on <= on
            and d.joined_on <= on
            and d.exempt_from is None
            and ages[0] <= d.age_on(on) <= ages[1]
        ]

    def pick(
        self,
        pool: list[Draft],
        on: dt.date,
        busy: set[Draft],
        ages: tuple[int, int] = (27, 62),
        *,
        exclude: frozenset[Draft] = frozenset(),
    ) -> Draft:
        """Someone from ``pool`` for a post from ``on``: preferably of working age and holding no
        other post; failing that, anyone able; failing that, whoever qualifies first (the post
        then starts when they qualify, see ``Posts.add``)."""
        for candidates in (
            self.eligible(pool, on, busy, ages),
            self.eligible(pool, on, busy, (22, 75)),
            self.eligible(pool, on, set(exclude), (22, 75)),
        ):
            if candidates:
                draft = self.rng.choice(candidates)
                busy.add(draft)
                return draft
        able = [d for d in pool if d.full_member_on and d.exempt_from is None and d not in exclude]
        if not able:
            raise RuntimeError(f"no one to appoint among {len(pool)} members on {on}")
        return min(able, key=lambda d: max(d.joined_on, d.full_member_on or d.joined_on))


def _pick_plain_member(drafter: Drafter, cell_key: str, busy: set[Draft]) -> Draft:
    """The 'dangvien' login: an ordinary full member of the cell, with no post."""
    choices = drafter.eligible(drafter.by_cell[cell_key], REFERENCE_DATE, busy, (25, 50))
    return drafter.rng.choice(choices)


def write(ctx: DemoContext, drafter: Drafter, posts: Posts) -> int:
    """Bulk-insert every drafted row and its audit entry; returns the number of audit rows."""
    ids = ctx.rng("org.public-ids")
    audit = AuditBuffer()
    drafts = drafter.drafts
    for draft in drafts:
        data = draft.data
        first_cell = draft.previous[0] if draft.previous else draft.plan.unit
        draft.person = Person(
            # Stable public ids: the same demo person keeps the same address on every rebuild.
            public_id=uuid.UUID(int=ids.getrandbits(128), version=4),
            full_name=normalize_name(data.full_name),
            search_text=fold(data.full_name),
            birth_date=data.birth_date,
            gender=data.gender,
            phone=data.phone,
            ethnicity=data.ethnicity,
            religion=data.religion,
            id_number=data.id_number,
            health_note=draft.health_note,
            registered_unit=first_cell,
        )
    insert_objects(Person, [d.person for d in drafts if d.person])
    audit.created([(d.person, d.person.registered_unit) for d in drafts if d.person], PERSON_FIELDS)

    for draft in drafts:
        draft.member = PartyMember(
            person=draft.person,
            card_number=draft.card_number,
            admitted_on=draft.admitted_on,
            full_member_on=draft.full_member_on,
        )
    insert_objects(PartyMember, [d.member for d in drafts if d.member])
    audit.created(
        [(d.member, d.person.registered_unit) for d in drafts if d.member and d.person], MEMBER_FIELDS
    )

    memberships, exemptions, card_changes = [], [], []
    for draft in drafts:
        member, cell = draft.member, draft.plan.unit
        assert member is not None
        if draft.previous:
            source, since = draft.previous
            memberships.append(
                Membership(
                    member=member,
                    unit=source,
                    valid_from=since,
                    valid_to=draft.joined_on - dt.timedelta(days=1),
                )
            )
            memberships.append(
                Membership(member=member, unit=cell, valid_from=draft.joined_on, note="Chuyển sinh hoạt đảng")
            )
            audit.changed(
                member,
                {"cell": [source.name, cell.name], "from": [None, format_date(draft.joined_on)]},
                unit=cell,
            )
        else:
            memberships.append(Membership(member=member, unit=cell, valid_from=draft.joined_on))
        if draft.exempt_from:
            exemptions.append(
                (
                    ActivityExemption(
                        member=member, valid_from=draft.exempt_from, reason="Tuổi cao, sức yếu"
                    ),
                    cell,
                )
            )
        if draft.old_card:
            old_number, changed_on = draft.old_card
            card_changes.append(
                CardNumberChange(
                    member=member,
                    old_number=old_number,
                    new_number=draft.card_number or "",
                    changed_on=changed_on,
                    reason="Đổi thẻ đảng viên (Chỉ thị 51-CT/TW)",
                )
            )
            audit.changed(member, {"card_number": [old_number, draft.card_number]}, unit=cell)
    insert_objects(Membership, memberships)
    ActivityExemption.objects.bulk_create([e for e, _cell in exemptions])
    audit.created(exemptions, ("valid_from", "valid_to", "reason"))
    CardNumberChange.objects.bulk_create(card_changes)

    for draft, position in posts.rows:
        assert draft.person is not None
        position.person = draft.person
    insert_objects(Position, [p for _d, p in posts.rows])
    audit.created(
        [(p, p.unit) for _d, p in posts.rows], ("person", "unit", "title", "valid_from", "valid_to")
    )
    return audit.flush()


def build(ctx: DemoContext, tree: DemoTree) -> PeopleResult:
    drafter = Drafter(ctx, tree)
    drafter.draft_members()
    drafter.draft_exemptions()
    keys: dict[str, Draft] = dict(drafter.named)
    posts = draft_posts(drafter, tree, keys)
    holders = {draft for draft, _position in posts.rows} | set(keys.values())
    keys["plain-member"] = _pick_plain_member(drafter, "chi-bo-ap-phuoc-thanh-an-khanh", holders)
    drafter.draft_transfers(keep=holders | {keys["plain-member"]})
    drafter.draft_cards()
    audit_rows = write(ctx, drafter, posts)
    persons = {key: draft.person for key, draft in keys.items() if draft.person}
    return PeopleResult(persons=persons, positions=len(posts.rows), audit_rows=audit_rows)
