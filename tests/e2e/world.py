"""A small Châu Thành for the browser journeys, built through the real services.

Named like the demo (``tuyengiao``, ``bithu.phuocthanh``) but open today: the real district closed
on 30/6/2025, and a journey that starts "as of today" needs a tree that still stands.

    Tỉnh ủy Bến Tre
    └── Huyện ủy Châu Thành                       tuyengiao (Ban Tuyên giáo)
        ├── Đảng bộ xã An Khánh
        │   ├── Chi bộ ấp Phước Thạnh               bithu.phuocthanh; 4 full members, 1 probationary
        │   └── Chi bộ ấp Phước Hòa
        └── Đảng bộ xã Tân Thạch
            └── Chi bộ ấp Tân Thạnh
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps as django_apps
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.documents import services as documents
from lantoa.org import services as org
from lantoa.org.models import Gender, PartyMember, Person, PositionTitle, Role, Unit, UnitKind
from lantoa.ratings.models import LabelKind, RatingRuleSet
from tests.seeds import seed_honours_rules

D = dt.date
PASSWORD = "lantoa-e2e-2024"
FOUNDED = D(1976, 1, 1)
DAY = dt.timedelta(days=1)
M, F = Gender.MALE, Gender.FEMALE


@dataclass
class ChauThanh:
    today: dt.date
    province: Unit
    district: Unit
    an_khanh: Unit
    phuoc_thanh: Unit
    phuoc_hoa: Unit
    tan_thach: Unit
    tan_thanh: Unit
    tuyengiao: User
    secretary: User
    members: dict[str, PartyMember] = field(default_factory=dict)

    def person(self, name: str) -> Person:
        return self.members[name].person


def _user(username: str, person: Person) -> User:
    # Family and middle names first, the given name last, as accounts.views stores them.
    first, _sep, last = person.full_name.rpartition(" ")
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _member(
    cell: Unit,
    name: str,
    *,
    born: dt.date,
    gender: str,
    card: str,
    admitted: dt.date,
    full: dt.date | None,
) -> PartyMember:
    person = org.create_person(actor=None, unit=cell, full_name=name, birth_date=born, gender=gender)
    return org.admit_member(
        actor=None, person=person, cell=cell, admitted_on=admitted, card_number=card, full_member_on=full
    )


def seed_ratings_rules() -> None:
    """The rating rule sets and label kinds the ratings migration seeds, if a flush removed them."""
    if not RatingRuleSet.objects.exists() or not LabelKind.objects.exists():
        import_module("lantoa.ratings.migrations.0002_seed_rules").add(django_apps, None)


def commune_secretary(world: ChauThanh) -> User:
    """``bithu.ankhanh``: Lê Minh Trí, secretary of Đảng bộ xã An Khánh (the grassroots committee
    that decides Phước Thạnh's ratings and grants its labels)."""
    person = org.create_person(
        actor=None, unit=world.an_khanh, full_name="Lê Minh Trí", birth_date=D(1970, 1, 5), gender=M
    )
    user = _user("bithu.ankhanh", person)
    org.grant_role(actor=None, user=user, unit=world.an_khanh, role=Role.SECRETARY, valid_from=D(2021, 1, 1))
    return user


def build() -> ChauThanh:
    seed_honours_rules()  # a journey before this one flushed every table, migrated data too
    seed_ratings_rules()
    today = timezone.localdate()
    # The committees' term began at the start of last year: whatever day the journeys run on,
    # the secretary has held the post for a while and the documents have a term to be numbered in.
    term_starts = D(today.year - 1, 1, 1)

    def unit(key: str, name: str, kind: str, code: str, parent: Unit | None, **extra: str) -> Unit:
        return org.create_unit(
            actor=None,
            key=key,
            name=name,
            kind=kind,
            short_code=code,
            valid_from=FOUNDED,
            parent=parent,
            **extra,
        )

    province = unit("ben-tre", "Tỉnh ủy Bến Tre", UnitKind.PROVINCE, "TU", None, place_name="Bến Tre")
    district = unit(
        "chau-thanh", "Huyện ủy Châu Thành", UnitKind.DISTRICT, "HU", province, place_name="Châu Thành"
    )
    an_khanh = unit(
        "xa-an-khanh", "Đảng bộ xã An Khánh", UnitKind.COMMUNE, "ĐU", district, place_name="An Khánh"
    )
    phuoc_thanh = unit(
        "chi-bo-ap-phuoc-thanh-an-khanh", "Chi bộ ấp Phước Thạnh", UnitKind.CELL, "CB", an_khanh
    )
    phuoc_hoa = unit("chi-bo-ap-phuoc-hoa-an-khanh", "Chi bộ ấp Phước Hòa", UnitKind.CELL, "CB", an_khanh)
    tan_thach = unit(
        "xa-tan-thach", "Đảng bộ xã Tân Thạch", UnitKind.COMMUNE, "ĐU", district, place_name="Tân Thạch"
    )
    tan_thanh = unit("chi-bo-ap-tan-thanh-tan-thach", "Chi bộ ấp Tân Thạnh", UnitKind.CELL, "CB", tan_thach)

    # Party documents are numbered per congress term: every unit that may issue one needs a term.
    for issuer in (province, district, an_khanh, tan_thach, phuoc_thanh, phuoc_hoa, tan_thanh):
        documents.create_term(
            actor=None,
            unit=issuer,
            name=f"Nhiệm kỳ {term_starts.year}–{term_starts.year + 5}",
            starts_on=term_starts,
            ends_on=None,
        )

    cells = {"phuoc-thanh": phuoc_thanh, "tan-thanh": tan_thanh}
    members = {
        name: _member(cells[cell], name, born=born, gender=gender, card=card, admitted=admitted, full=full)
        for cell, name, born, gender, card, admitted, full in [
            ("phuoc-thanh", "Nguyễn Văn Tâm", D(1968, 4, 12), M, "83001001", D(1994, 5, 19), D(1995, 5, 19)),
            ("phuoc-thanh", "Trần Thị Hồng", D(1975, 9, 2), F, "83001002", D(2001, 2, 3), D(2002, 2, 3)),
            ("phuoc-thanh", "Lê Văn Hùng", D(1981, 1, 20), M, "83001003", D(2008, 7, 1), D(2009, 7, 1)),
            ("phuoc-thanh", "Phạm Thị Lan", D(1990, 11, 8), F, "83001004", D(2015, 3, 26), D(2016, 3, 26)),
            # Admitted four months ago: still on probation (a year).
            ("phuoc-thanh", "Huỳnh Minh Khoa", D(1999, 6, 15), M, "83001005", today - 120 * DAY, None),
            ("tan-thanh", "Võ Văn Út", D(1972, 8, 30), M, "83002001", D(1999, 12, 22), D(2000, 12, 22)),
            ("tan-thanh", "Đặng Thị Mai", D(1986, 2, 14), F, "83002002", D(2012, 9, 2), D(2013, 9, 2)),
        ]
    }
    org.appoint(
        actor=None,
        person=members["Nguyễn Văn Tâm"].person,
        unit=phuoc_thanh,
        title=PositionTitle.SECRETARY,
        valid_from=term_starts,
    )
    org.appoint(
        actor=None,
        person=members["Trần Thị Hồng"].person,
        unit=phuoc_thanh,
        title=PositionTitle.DEPUTY,
        valid_from=term_starts,
    )

    phuong = org.create_person(
        actor=None, unit=district, full_name="Võ Thị Phương", birth_date=D(1983, 3, 8), gender=Gender.FEMALE
    )
    tuyengiao = _user("tuyengiao", phuong)
    org.grant_role(actor=None, user=tuyengiao, unit=district, role=Role.PROPAGANDA, valid_from=D(2021, 1, 1))
    secretary = _user("bithu.phuocthanh", members["Nguyễn Văn Tâm"].person)
    org.grant_role(actor=None, user=secretary, unit=phuoc_thanh, role=Role.SECRETARY, valid_from=term_starts)

    return ChauThanh(
        today=today,
        province=province,
        district=district,
        an_khanh=an_khanh,
        phuoc_thanh=phuoc_thanh,
        phuoc_hoa=phuoc_hoa,
        tan_thach=tan_thach,
        tan_thanh=tan_thanh,
        tuyengiao=tuyengiao,
        secretary=secretary,
        members=members,
    )
