"""The shape of the demo district: communes, hamlets, agencies and the profile of each cell.

The communes and the township are Châu Thành's (Bến Tre) as they were in 2021–2024. Except for
ấp Phước Thạnh (xã An Khánh), named in the seed article, the hamlet names are plausible inventions
in the local naming pattern; so is the 1/1/2025 merger of xã Tường Đa into xã Tiên Thủy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date


@dataclass(frozen=True)
class Profile:
    """Who sits in a kind of cell: its size and the sex and age of its members."""

    size: tuple[int, int, int]  # fewest, most, most often
    female_share: float
    age: tuple[int, int, int]  # on the reference date: youngest, oldest, most often
    # Residents' cells: most members were admitted there. Agency staff joined when they took the job.
    settled: bool = True


# Hamlet cells hold the retired and the farmers, so they are older and larger; agency cells hold
# working-age staff (retirement at 60–62).
PROFILES: dict[str, Profile] = {
    "hamlet": Profile((18, 45, 42), 0.38, (21, 93, 56)),
    "commune_office": Profile((10, 18, 14), 0.45, (26, 59, 42), settled=False),
    "police": Profile((5, 12, 8), 0.1, (23, 55, 34), settled=False),
    "military": Profile((5, 9, 6), 0.05, (22, 55, 35), settled=False),
    "school": Profile((8, 22, 14), 0.7, (24, 58, 40), settled=False),
    "health": Profile((5, 8, 6), 0.65, (25, 58, 40), settled=False),
    "district_office": Profile((7, 16, 10), 0.45, (26, 59, 43), settled=False),
    "district_force": Profile((10, 20, 15), 0.1, (23, 56, 36), settled=False),
    "women_union": Profile((11, 11, 11), 0.92, (26, 56, 40), settled=False),
    "mass_org_cell": Profile((6, 12, 8), 0.5, (25, 58, 40), settled=False),
}


@dataclass(frozen=True)
class Commune:
    name: str  # "An Khánh"
    hamlets: tuple[str, ...]
    township: bool = False
    health_cell: bool = True

    @property
    def prefix(self) -> str:
        return "thị trấn" if self.township else "xã"

    @property
    def hamlet_word(self) -> str:
        return "khu phố" if self.township else "ấp"


def _c(name: str, hamlets: str, *, township: bool = False, health_cell: bool = True) -> Commune:
    return Commune(name, tuple(hamlets.split(", ")), township=township, health_cell=health_cell)


COMMUNES: tuple[Commune, ...] = (
    _c("Châu Thành", "1, 2, 3, 4", township=True),
    _c("An Khánh", "Phước Thạnh, Phước Xuân, Phước Hậu, Phú Hào, Phú Thạnh"),
    _c("An Hiệp", "An Thạnh, An Thuận, An Bình, An Hòa"),
    _c("An Hóa", "An Lợi, An Thới, Hóa Thạnh", health_cell=False),
    _c("An Phước", "Phước Hòa, Phước Lợi, Phước Hưng, An Thuận"),
    _c("Giao Long", "Giao Thạnh, Giao Hòa, Long Hòa, Long Thạnh"),
    _c("Hữu Định", "Hữu Thành, Hữu Lộc, Hữu Hòa, Định Thới"),
    _c("Phú An Hòa", "Phú Khương, An Hòa, Phú Lợi, Phú Thạnh"),
    _c("Phú Đức", "Phú Thạnh, Phú Thới, Phú Hòa", health_cell=False),
    _c("Phú Túc", "Phú Hưng, Phú Lộc, Phú Khương, Phú Thuận"),
    _c("Phước Thạnh", "Phước Hưng, Phước Lợi, Phước Thới, Phước Hòa"),
    _c("Quới Sơn", "Quới Hòa, Quới An, Quới Lợi, Quới Thạnh"),
    _c("Sơn Hòa", "Sơn Thạnh, Sơn Lợi, Hòa Thuận", health_cell=False),
    _c("Tam Phước", "Phước Hòa, Phước Thới, Tam Hòa", health_cell=False),
    _c("Tân Phú", "Tân Lợi, Tân Hòa, Tân Thành, Phú Hưng"),
    _c("Tân Thạch", "Tân Phong, Tân Bình, Tân Thới, Tân Thạnh"),
    _c("Thành Triệu", "Thành Long, Thành Thới, Triệu Hòa, An Thạnh"),
    _c("Tiên Long", "Long Hòa, Long Thới, Tiên Hòa, Tiên Lợi"),
    _c("Tiên Thủy", "Tiên Tây, Tiên Đông, Thủy Hòa"),
    _c("Tường Đa", "Tường Thạnh, Tường Lộc, Đa Hòa", health_cell=False),
)

# Agency cells in every commune: (label, key word, profile). The health station's cell exists
# only where the station has enough members (``Commune.health_cell``).
COMMUNE_AGENCY_CELLS: tuple[tuple[str, str, str], ...] = (
    ("Chi bộ Cơ quan", "co-quan", "commune_office"),
    ("Chi bộ Công an", "cong-an", "police"),
    ("Chi bộ Quân sự", "quan-su", "military"),
    ("Chi bộ Trường học", "truong-hoc", "school"),
    ("Chi bộ Trạm Y tế", "tram-y-te", "health"),
)

# The demo's commune merger: (absorbed, absorbing, first day together). The agency cells of the
# two communes merge too; hamlet and school cells move over as they are.
COMMUNE_MERGER = ("Tường Đa", "Tiên Thủy", D(2025, 1, 1))
MERGING_CELL_WORDS = ("co-quan", "cong-an", "quan-su", "tram-y-te")


@dataclass(frozen=True)
class CellSpec:
    key: str
    name: str
    profile: str


@dataclass(frozen=True)
class CommitteeSpec:
    """A grassroots committee of district agencies and its cells."""

    key: str
    name: str
    cells: tuple[CellSpec, ...] = field(default_factory=tuple)


DISTRICT_COMMITTEES: tuple[CommitteeSpec, ...] = (
    CommitteeSpec(
        "dang-bo-co-quan-dang-huyen",
        "Đảng bộ Cơ quan Đảng huyện",
        (
            CellSpec("chi-bo-van-phong-huyen-uy", "Chi bộ Văn phòng Huyện ủy", "district_office"),
            CellSpec("chi-bo-ban-to-chuc-huyen-uy", "Chi bộ Ban Tổ chức Huyện ủy", "district_office"),
            CellSpec("chi-bo-ban-tuyen-giao-huyen-uy", "Chi bộ Ban Tuyên giáo Huyện ủy", "district_office"),
            CellSpec("chi-bo-ban-dan-van-huyen-uy", "Chi bộ Ban Dân vận Huyện ủy", "district_office"),
            CellSpec("chi-bo-uy-ban-kiem-tra-huyen-uy", "Chi bộ Ủy ban Kiểm tra Huyện ủy", "district_office"),
        ),
    ),
    CommitteeSpec(
        "dang-bo-co-quan-chinh-quyen-huyen",
        "Đảng bộ Cơ quan Chính quyền huyện",
        (
            CellSpec(
                "chi-bo-van-phong-hdnd-ubnd-huyen", "Chi bộ Văn phòng HĐND và UBND huyện", "district_office"
            ),
            CellSpec("chi-bo-phong-noi-vu-huyen", "Chi bộ Phòng Nội vụ huyện", "district_office"),
            CellSpec(
                "chi-bo-phong-tai-chinh-ke-hoach-huyen",
                "Chi bộ Phòng Tài chính – Kế hoạch huyện",
                "district_office",
            ),
            CellSpec(
                "chi-bo-phong-nong-nghiep-huyen", "Chi bộ Phòng Nông nghiệp và PTNT huyện", "district_office"
            ),
            CellSpec(
                "chi-bo-phong-giao-duc-huyen", "Chi bộ Phòng Giáo dục và Đào tạo huyện", "district_office"
            ),
        ),
    ),
    CommitteeSpec(
        "dang-bo-cong-an-huyen",
        "Đảng bộ Công an huyện",
        (
            CellSpec("chi-bo-an-ninh-cong-an-huyen", "Chi bộ An ninh – Công an huyện", "district_force"),
            CellSpec("chi-bo-canh-sat-cong-an-huyen", "Chi bộ Cảnh sát – Công an huyện", "district_force"),
            CellSpec("chi-bo-tham-muu-cong-an-huyen", "Chi bộ Tham mưu – Công an huyện", "district_force"),
        ),
    ),
    CommitteeSpec(
        "dang-bo-quan-su-huyen",
        "Đảng bộ Quân sự huyện",
        (
            CellSpec("chi-bo-chi-huy-quan-su-huyen", "Chi bộ Chỉ huy – Quân sự huyện", "district_force"),
            CellSpec("chi-bo-tham-muu-quan-su-huyen", "Chi bộ Tham mưu – Quân sự huyện", "district_force"),
        ),
    ),
)

# Grassroots cells directly under the Huyện ủy (chi bộ cơ sở), as the seed's Chi bộ Hội LHPN huyện.
DISTRICT_CELLS: tuple[CellSpec, ...] = (
    CellSpec("chi-bo-hoi-lhpn", "Chi bộ Hội LHPN huyện", "women_union"),
    CellSpec("chi-bo-huyen-doan", "Chi bộ Huyện đoàn", "mass_org_cell"),
    CellSpec("chi-bo-mttq-huyen", "Chi bộ Ủy ban MTTQ Việt Nam huyện", "mass_org_cell"),
    CellSpec("chi-bo-hoi-nong-dan-huyen", "Chi bộ Hội Nông dân huyện", "mass_org_cell"),
    CellSpec("chi-bo-trung-tam-chinh-tri-huyen", "Chi bộ Trung tâm Chính trị huyện", "mass_org_cell"),
    CellSpec("chi-bo-trung-tam-y-te-huyen", "Chi bộ Trung tâm Y tế huyện", "district_office"),
    CellSpec(
        "chi-bo-ngan-hang-chinh-sach-huyen", "Chi bộ Ngân hàng Chính sách xã hội huyện", "mass_org_cell"
    ),
)


@dataclass(frozen=True)
class MassOrgSpec:
    key: str
    name: str
    chair_cell: str  # the cell whose secretary chairs the organisation


# Mass organisations of the district: not Party units, but collectives that can be recognised.
MASS_ORGS: tuple[MassOrgSpec, ...] = (
    MassOrgSpec("hoi-lhpn-huyen", "Hội Liên hiệp Phụ nữ huyện Châu Thành", "chi-bo-hoi-lhpn"),
    MassOrgSpec("huyen-doan-chau-thanh", "Huyện đoàn Châu Thành", "chi-bo-huyen-doan"),
    MassOrgSpec("mttq-huyen-chau-thanh", "Ủy ban MTTQ Việt Nam huyện Châu Thành", "chi-bo-mttq-huyen"),
    MassOrgSpec("hoi-nong-dan-huyen", "Hội Nông dân huyện Châu Thành", "chi-bo-hoi-nong-dan-huyen"),
)
