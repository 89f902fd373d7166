"""The official lists a person's ethnicity and religion are chosen from, and tolerant matching of
the spellings people type or paste from older lists.

Ethnic groups: the 54 of "Danh mục các dân tộc Việt Nam" (Quyết định 121-TCTK/PPCĐ, 1979, as
the General Statistics Office still publishes it), by their official names. Religions: those
recognised in Việt Nam (Ban Tôn giáo Chính phủ lists 16, and "Không" for none). A value is
stored as the list writes it; "Khơ-me", "khmer" and "Kho me" all become "Khmer".
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from lantoa.lib.text import fold

# What a form or an import says of a value that is on neither list.
NOT_LISTED = {
    "ethnicity": _(
        "“%(value)s” is not one of the 54 ethnic groups; write its name as the official list does"
    ),
    "religion": _("“%(value)s” is not a religion recognised in Việt Nam; write “Không” for none"),
}

ETHNIC_GROUPS: tuple[str, ...] = (
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái",
    "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Raglai",
    "Xtiêng", "Bru Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi",
    "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ",
    "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu",
    "Ơ Đu", "Rơ Măm",
)  # fmt: skip

RELIGIONS: tuple[str, ...] = (
    "Không",
    "Phật giáo",
    "Công giáo",
    "Tin lành",
    "Cao Đài",
    "Phật giáo Hòa Hảo",
    "Hồi giáo",
    "Baha'i",
    "Tịnh độ Cư sĩ Phật hội Việt Nam",
    "Tứ Ân Hiếu Nghĩa",
    "Bửu Sơn Kỳ Hương",
    "Minh Sư đạo",
    "Minh Lý đạo – Tam Tông Miếu",
    "Bà-la-môn",
    "Mặc Môn",
    "Phật giáo Hiếu Nghĩa Tà Lơn",
    "Cơ Đốc Phục lâm",
)

# Other names of the same group or religion, as older lists and people write them.
_ETHNIC_ALIASES = {
    "viet": "Kinh", "kinh viet": "Kinh", "khome": "Khmer", "kho me": "Khmer", "khmer krom": "Khmer",
    "hmong": "Mông", "h mong": "Mông", "meo": "Mông", "man": "Dao", "ede": "Ê Đê", "rade": "Ê Đê",
    "jarai": "Gia Rai", "bahnar": "Ba Na", "sedang": "Xơ Đăng", "koho": "Cơ Ho", "cham": "Chăm",
    "hre": "Hrê", "m nong": "Mnông", "ra glai": "Raglai", "stieng": "Xtiêng", "xtieng": "Xtiêng",
    "bru van kieu": "Bru Vân Kiều", "van kieu": "Bru Vân Kiều", "katu": "Cơ Tu", "kho mu": "Khơ Mú",
    "kh mu": "Khơ Mú", "ta oi": "Tà Ôi", "pa co": "Tà Ôi", "chu ru": "Chu Ru", "muong": "Mường",
    "han": "Hoa", "ngai": "Ngái", "bo y": "Bố Y", "o du": "Ơ Đu", "ro mam": "Rơ Măm",
}  # fmt: skip
_RELIGION_ALIASES = {
    "khong co": "Không", "khong ton giao": "Không", "khong theo ton giao nao": "Không",
    "phat": "Phật giáo", "dao phat": "Phật giáo", "thien chua": "Công giáo",
    "thien chua giao": "Công giáo", "cong giao la ma": "Công giáo", "dao thien chua": "Công giáo",
    "tin lanh giao": "Tin lành", "dao tin lanh": "Tin lành", "dao cao dai": "Cao Đài",
    "hoa hao": "Phật giáo Hòa Hảo", "dao hoa hao": "Phật giáo Hòa Hảo", "islam": "Hồi giáo",
    "ton giao bahai": "Baha'i", "ba la mon": "Bà-la-môn", "cham ba la mon": "Bà-la-môn",
    "mormon": "Mặc Môn", "cac thanh huu ngay sau": "Mặc Môn", "dao tu an hieu nghia": "Tứ Ân Hiếu Nghĩa",
    "minh ly dao": "Minh Lý đạo – Tam Tông Miếu", "phuc lam": "Cơ Đốc Phục lâm",
    "hieu nghia ta lon": "Phật giáo Hiếu Nghĩa Tà Lơn",
}  # fmt: skip

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(text: str) -> str:
    """'Khơ-me', 'khome', 'Kho me ' → 'kho me'; "Baha'i" → 'bahai'."""
    return _NOT_ALNUM.sub(" ", fold(text).replace("'", "").replace("’", "")).strip()


def _index(names: tuple[str, ...], aliases: dict[str, str]) -> dict[str, str]:
    index = {_key(name): name for name in names}
    index.update({_key(alias): name for alias, name in aliases.items()})
    # Without spaces too: "Gia-rai", "Giarai" and "Gia Rai" are one group.
    index.update({key.replace(" ", ""): name for key, name in list(index.items())})
    return index


_ETHNIC_INDEX = _index(ETHNIC_GROUPS, _ETHNIC_ALIASES)
_RELIGION_INDEX = _index(RELIGIONS, _RELIGION_ALIASES)


def _match(text: str, index: dict[str, str]) -> str | None:
    key = _key(text)
    return index.get(key) or index.get(key.replace(" ", ""))


def match_ethnicity(text: str) -> str | None:
    """The official name of the ethnic group ``text`` names, or None."""
    return _match(text, _ETHNIC_INDEX) if text.strip() else None


def match_religion(text: str) -> str | None:
    """The official name of the religion ``text`` names ("Không" for none), or None."""
    return _match(text, _RELIGION_INDEX) if text.strip() else None
