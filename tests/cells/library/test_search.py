"""Searching the library: accents optional, every word must match, in any order."""

from __future__ import annotations

import datetime as dt

from lantoa.cells.queries.library import library_materials, materials_for_picker
from lantoa.cells.services.library import material_search_text
from lantoa.org.access import scope_for
from tests.cells.library.conftest import share
from tests.factories import member_in

D = dt.date


def _titles(scope, **filters):
    return [m.title for m in library_materials(scope, **filters)]


def test_search_without_accents_needs_every_word_in_any_order(district_staff, tree):
    share(tree.phuoc_thanh, "Bác Hồ với đức tính tiết kiệm", shared_on=D(2024, 3, 1))
    share(tree.tan_thanh, "Tiết kiệm điện, nước theo lời Bác Hồ", shared_on=D(2024, 3, 2))
    share(tree.tan_thanh, "Bác Hồ với thanh niên", shared_on=D(2024, 3, 3))
    share(tree.women, "Tiết kiệm để đỡ đầu trẻ mồ côi", shared_on=D(2024, 3, 4))

    titles = _titles(scope_for(district_staff.user), query="bac ho tiet kiem")

    assert titles == ["Tiết kiệm điện, nước theo lời Bác Hồ", "Bác Hồ với đức tính tiết kiệm"]


def test_search_reads_the_summary_and_the_sharers_name(district_staff, tree):
    hien = member_in(tree.women, name="Nguyễn Thanh Hiền")
    share(tree.women, "Câu chuyện đôi dép", summary="Đôi dép cao su Bác đi suốt những năm kháng chiến.")
    share(tree.women, "Chiếc áo bạc màu", shared_by=hien.person, shared_on=D(2024, 3, 6))
    scope = scope_for(district_staff.user)

    assert _titles(scope, query="DEP CAO SU") == ["Câu chuyện đôi dép"]
    assert _titles(scope, query="hiền thanh") == ["Chiếc áo bạc màu"]
    assert _titles(scope, query="  ") == ["Chiếc áo bạc màu", "Câu chuyện đôi dép"]


def test_search_text_is_folded_and_fits_its_column():
    text = material_search_text(title="Đức tính TIẾT KIỆM", summary="Bác " * 400)

    assert text.startswith("duc tinh tiet kiem bac bac")
    assert len(text) <= 800
    assert text.endswith("bac")


def test_filters_by_kind_theme_and_unit(district_staff, tree):
    from lantoa.documents.services import set_yearly_theme

    theme = set_yearly_theme(actor=None, unit=tree.district, year=2024, title="Chuyên đề năm 2024")
    share(tree.phuoc_thanh, "Video: Bác Hồ ở Pác Bó", kind="video", themes=[theme])
    share(tree.tan_thanh, "Bài: Bác Hồ với nông dân", themes=[theme])
    share(tree.tan_thanh, "Video: Bác Hồ thăm miền Nam", kind="video")
    scope = scope_for(district_staff.user)

    assert _titles(scope, kind="video", theme_id=theme.pk) == ["Video: Bác Hồ ở Pác Bó"]
    assert _titles(scope, unit_key="tan-thanh", query="bac ho") == [
        "Video: Bác Hồ thăm miền Nam",
        "Bài: Bác Hồ với nông dân",
    ]


def test_picker_offers_what_the_meeting_may_use_newest_first(cell_secretary, tree, shared):
    share(tree.phuoc_thanh, "Bác Hồ với đức tính giản dị", shared_on=D(2024, 4, 1), in_library=False)

    picked = materials_for_picker(scope_for(cell_secretary.user), "bac ho duc tinh")

    # Its own unit's note and Tân Thạnh's library story; not Tân Thạnh's private note, not Giồng Trôm.
    assert [m.title for m in picked] == ["Bác Hồ với đức tính giản dị", "Bác Hồ với đức tính tiết kiệm"]
    assert materials_for_picker(scope_for(cell_secretary.user), "", limit=1)[0].title == (
        "Bác Hồ với đức tính giản dị"
    )
