from __future__ import annotations

import datetime as dt
import random

from lantoa.demo.names import FEMALE, MALE, NameGenerator


def draw(seed: int, n: int = 200) -> list:
    names = NameGenerator(random.Random(seed))
    people = []
    for i in range(n):
        gender = MALE if i % 2 else FEMALE
        born = names.birth_date(on=dt.date(2024, 4, 30), age=(20, 90, 50))
        people.append(names.person(gender=gender, birth_date=born))
    return people


def test_names_same_seed_same_people():
    assert draw(7) == draw(7)
    assert draw(7) != draw(8)


def test_names_id_numbers_follow_the_cccd_layout():
    for person in draw(3):
        century_gender = int(person.id_number[3])
        assert len(person.id_number) == 12
        assert person.id_number.isdigit()
        assert person.id_number.startswith("083")
        assert century_gender % 2 == (1 if person.gender == FEMALE else 0)
        assert person.id_number[4:6] == f"{person.birth_date.year % 100:02d}"


def test_names_phones_and_names_look_vietnamese():
    people = draw(5, 1000)
    women = [p for p in people if p.gender == FEMALE]

    assert all(len(p.phone) == 10 and p.phone.startswith("09") for p in people)
    assert all(len(p.full_name.split()) >= 3 for p in people)
    assert sum(p.full_name.startswith("Nguyễn ") for p in people) > 200
    assert sum(" Thị " in p.full_name for p in women) > len(women) / 3
    assert not any(" Thị " in p.full_name for p in people if p.gender == MALE)
    assert len({p.id_number for p in people}) == len(people)


def test_names_reserved_names_are_never_drawn():
    names = NameGenerator(random.Random(1), reserved=frozenset({"Nguyễn Thị Lan", "Nguyễn Văn Hùng"}))
    drawn = {names.person(gender=g, birth_date=dt.date(1960, 1, 1)).full_name for g in (MALE, FEMALE) * 3000}
    given = names.person(gender=FEMALE, birth_date=dt.date(1960, 1, 1), full_name="Nguyễn Thị Lan")

    assert not drawn & {"Nguyễn Thị Lan", "Nguyễn Văn Hùng"}
    assert given.full_name == "Nguyễn Thị Lan"
