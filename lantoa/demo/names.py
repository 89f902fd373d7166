"""Deterministic, realistic personal data for the demo district (Châu Thành, Bến Tre).

Everything comes from the ``random.Random`` handed in, so the same seed gives the same people on
every machine and database. Frequencies are rough figures for the Mekong delta: southern
spellings (Huỳnh, Võ) dominate, "Văn"/"Thị" are the usual middle names of older generations and
less so of younger ones, almost everyone is Kinh, and most party members declare no religion.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

MALE = "M"
FEMALE = "F"

# Bến Tre's code in the first three digits of a citizen identity card (CCCD) number.
PROVINCE_CODE = "083"


class _Weighted:
    """A fixed weighted choice; cumulative weights are built once, not on every draw."""

    def __init__(self, pairs: Sequence[tuple[str, float]]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(itertools.accumulate(weight for _value, weight in pairs))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


FAMILY_NAMES = _Weighted(
    [
        ("Nguyễn", 31.0),
        ("Trần", 11.0),
        ("Lê", 9.5),
        ("Phạm", 5.5),
        ("Huỳnh", 5.0),
        ("Võ", 4.5),
        ("Phan", 4.0),
        ("Trương", 2.2),
        ("Bùi", 1.8),
        ("Đặng", 1.8),
        ("Đỗ", 1.4),
        ("Ngô", 1.4),
        ("Hồ", 1.5),
        ("Dương", 1.1),
        ("Đinh", 0.8),
        ("Lâm", 1.0),
        ("Mai", 0.8),
        ("Đoàn", 0.8),
        ("Lương", 0.6),
        ("Cao", 0.6),
        ("Châu", 0.5),
        ("Lý", 0.6),
        ("Thái", 0.4),
        ("Lưu", 0.4),
        ("Hà", 0.4),
        ("Tô", 0.3),
        ("Tạ", 0.3),
        ("La", 0.3),
        ("Kiều", 0.2),
        ("Trịnh", 0.4),
    ]
)
KHMER_FAMILY_NAMES = _Weighted([("Thạch", 4), ("Sơn", 3), ("Kim", 2), ("Danh", 2)])
HOA_FAMILY_NAMES = _Weighted([("Lâm", 3), ("Lý", 3), ("Quách", 2), ("Trịnh", 1), ("Tăng", 1), ("Châu", 1)])

MIDDLE_NAMES = {
    MALE: _Weighted(
        [
            ("Thanh", 10),
            ("Minh", 10),
            ("Hoàng", 6),
            ("Quốc", 6),
            ("Hữu", 6),
            ("Công", 4),
            ("Ngọc", 4),
            ("Tấn", 5),
            ("Trọng", 3),
            ("Chí", 3),
            ("Đức", 3),
            ("Phước", 2),
            ("Thành", 3),
            ("Duy", 2),
        ]
    ),
    FEMALE: _Weighted(
        [
            ("Ngọc", 10),
            ("Thanh", 8),
            ("Kim", 8),
            ("Thu", 5),
            ("Hồng", 5),
            ("Mỹ", 5),
            ("Bích", 4),
            ("Thúy", 4),
            ("Diễm", 2),
            ("Phương", 3),
            ("Minh", 2),
            ("Tuyết", 2),
        ]
    ),
}
# The traditional middle name and how likely it is, by year of birth (older → more likely).
TRADITIONAL_MIDDLE = {MALE: "Văn", FEMALE: "Thị"}
TRADITIONAL_SHARE = ((1960, {MALE: 0.7, FEMALE: 0.85}), (1980, {MALE: 0.45, FEMALE: 0.65}))
TRADITIONAL_SHARE_YOUNG = {MALE: 0.25, FEMALE: 0.45}


def _uniform(words: str) -> _Weighted:
    return _Weighted([(word, 1.0) for word in words.split()])


GIVEN_NAMES = {
    MALE: _uniform(
        "Hùng Dũng Tuấn Minh Phong Hải Thành Tâm Hiếu Lợi Tài Nghĩa Phúc Khánh Long Sơn Bình "
        "Hòa Toàn Trung Hậu Nhân Thắng Vinh Huy Quang Bảo Đạt Khoa Duy Tín Hưng Thiện Tú "
        "Lâm Định Cường Sang Kiệt Lộc Phước Thuận Hoàng Tùng Trí Nam Đông Tân Việt Hiền"
    ),
    FEMALE: _uniform(
        "Lan Hoa Hồng Hương Mai Thảo Trang Linh Ngọc Nhung Phương Thủy Hằng Yến Loan Diệu "
        "Tuyết Vân Hạnh Nga Hiền Thu Trinh Nhi Vy Hà Dung Liên Oanh Lệ Xuân Cúc Huệ Bích "
        "Tâm Thanh Kiều Diễm Ngân My Uyên Nguyệt Phượng Quyên Thúy Giang Châu Tiên Hân Đào"
    ),
}
KHMER_GIVEN_NAMES = {
    MALE: _Weighted([(name, 1.0) for name in ("Sa Rây", "Phol", "Sóc", "Sang", "Chanh", "Ty", "Sên")]),
    FEMALE: _Weighted([(name, 1.0) for name in ("Sa Rết", "Sô Phi", "Chanh Đa", "Sóc Kha", "Ny", "Sa Vy")]),
}

ETHNICITIES = _Weighted([("Kinh", 98.6), ("Khmer", 0.6), ("Hoa", 0.8)])
RELIGIONS = {
    "Kinh": _Weighted([("Không", 86), ("Phật giáo", 8), ("Công giáo", 3), ("Cao Đài", 3)]),
    "Khmer": _Weighted([("Phật giáo", 85), ("Không", 15)]),
    "Hoa": _Weighted([("Phật giáo", 50), ("Không", 50)]),
}
# Mobile prefixes of the three big networks (Viettel 096–098, VinaPhone 091/094, MobiFone 090/093).
PHONE_PREFIXES = _Weighted(
    [("096", 3), ("097", 4), ("098", 4), ("091", 3), ("094", 2), ("090", 2), ("093", 2), ("099", 0.3)]
)


@dataclass(frozen=True)
class PersonData:
    full_name: str
    gender: str
    birth_date: dt.date
    phone: str
    ethnicity: str
    religion: str
    id_number: str


class NameGenerator:
    """Draws people; CCCD numbers are unique within one generator. ``reserved`` names (the real
    people the demo names) are never drawn, so searching for them finds only them."""

    def __init__(self, rng: random.Random, reserved: frozenset[str] = frozenset()) -> None:
        self.rng = rng
        self.reserved = reserved
        self._id_numbers: set[str] = set()

    def gender(self, female_share: float) -> str:
        return FEMALE if self.rng.random() < female_share else MALE

    def birth_date(self, *, on: dt.date, age: tuple[float, float, float]) -> dt.date:
        """A birthday giving an age between ``age[0]`` and ``age[1]`` (most often ``age[2]``) on ``on``."""
        low, high, mode = age
        years = self.rng.triangular(low, high, mode)
        return on - dt.timedelta(days=int(years * 365.25))

    def ethnicity(self) -> str:
        return ETHNICITIES.pick(self.rng)

    def full_name(self, *, gender: str, birth_year: int, ethnicity: str = "Kinh") -> str:
        rng = self.rng
        if ethnicity == "Khmer":
            family, given = KHMER_FAMILY_NAMES.pick(rng), KHMER_GIVEN_NAMES[gender].pick(rng)
            return f"{family} {TRADITIONAL_MIDDLE[gender]} {given}"
        family = (HOA_FAMILY_NAMES if ethnicity == "Hoa" else FAMILY_NAMES).pick(rng)
        share = next(
            (shares[gender] for until, shares in TRADITIONAL_SHARE if birth_year < until),
            TRADITIONAL_SHARE_YOUNG[gender],
        )
        given = GIVEN_NAMES[gender].pick(rng)
        if rng.random() < share:
            middle = TRADITIONAL_MIDDLE[gender]
            # Southern women are often "Thị" plus a second middle name: Nguyễn Thị Mỹ Linh.
            if gender == FEMALE and rng.random() < 0.15:
                middle += " " + MIDDLE_NAMES[FEMALE].pick(rng)
        else:
            middle = MIDDLE_NAMES[gender].pick(rng)
        if middle.split()[-1] == given:  # "Thanh Thanh" reads like a typo
            given = GIVEN_NAMES[gender].pick(rng)
        return f"{family} {middle} {given}"

    def phone(self) -> str:
        return f"{PHONE_PREFIXES.pick(self.rng)}{self.rng.randrange(10**7):07d}"

    def id_number(self, *, gender: str, birth_date: dt.date) -> str:
        """12-digit CCCD: province code, a digit for century and gender, the year's last two digits,
        then six random digits."""
        century = 0 if birth_date.year < 2000 else 2
        head = f"{PROVINCE_CODE}{century + (1 if gender == FEMALE else 0)}{birth_date.year % 100:02d}"
        while True:
            number = f"{head}{self.rng.randrange(10**6):06d}"
            if number not in self._id_numbers:
                self._id_numbers.add(number)
                return number

    def person(self, *, gender: str, birth_date: dt.date, full_name: str = "") -> PersonData:
        ethnicity = "Kinh" if full_name else self.ethnicity()
        name = full_name
        while not name or (name in self.reserved and not full_name):
            name = self.full_name(gender=gender, birth_year=birth_date.year, ethnicity=ethnicity)
        return PersonData(
            full_name=name,
            gender=gender,
            birth_date=birth_date,
            phone=self.phone(),
            ethnicity=ethnicity,
            religion=RELIGIONS[ethnicity].pick(self.rng),
            id_number=self.id_number(gender=gender, birth_date=birth_date),
        )
