"""Fixtures of the library suite, and the Vietnamese of this part's messages.

Material as Châu Thành's cells shared it in 2024: Chi bộ ấp Tân Thạnh put a story in the
district's library and kept a note for itself; Chi bộ ấp Giồng (Giồng Trôm, another district)
shared a story that must never reach Châu Thành.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lantoa.cells.models import MaterialKind, StudyMaterial
from lantoa.cells.services import library as services
from lantoa.org.models import Unit
from tests.conftest import Tree

D = dt.date


class _VietnameseCatalogue(dict):  # type: ignore[type-arg]
    """msgid → its Vietnamese in the project's compiled catalogue (missing when untranslated)."""

    def get(self, msgid: str, default: str | None = None) -> str | None:  # type: ignore[override]
        with translation.override("vi"):
            vietnamese = translation.gettext(msgid)
        return vietnamese if vietnamese != msgid else default

    def __getitem__(self, msgid: str) -> str:
        found = self.get(msgid)
        if found is None:
            raise KeyError(msgid)
        return found


def vi_messages() -> _VietnameseCatalogue:
    return _VietnameseCatalogue()


def share(
    unit: Unit, title: str, *, summary: str = "", in_library: bool = True, **extra: object
) -> StudyMaterial:
    extra.setdefault("url", "https://baotanglichsu.vn/bac-ho")
    return services.share_material(
        actor=None,
        unit=unit,
        kind=extra.pop("kind", MaterialKind.ARTICLE),
        title=title,
        summary=summary,
        shared_on=extra.pop("shared_on", D(2024, 3, 5)),
        in_library=in_library,
        **extra,
    )


@pytest.fixture
def shared(tree: Tree) -> dict[str, StudyMaterial]:
    return {
        "story": share(
            tree.tan_thanh, "Bác Hồ với đức tính tiết kiệm", summary="Chuyện Bác giữ đôi dép cao su."
        ),
        "note": share(tree.tan_thanh, "Ghi chép riêng của chi bộ Tân Thạnh", in_library=False),
        "stranger": share(
            tree.other_cell, "Chuyện kể Giồng Trôm về Bác", summary="Bài riêng của huyện khác."
        ),
    }
