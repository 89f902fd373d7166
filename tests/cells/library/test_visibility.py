"""Who sees which material: the district's library travels between Châu Thành's cells, never
into another district; material kept out of the library stays with its unit (and the
committees above it)."""

from __future__ import annotations

from django.urls import reverse

from lantoa.cells.queries.library import library_materials
from lantoa.org.access import scope_for
from tests.conftest import page_text


def _visible(persona):
    return sorted(m.title for m in library_materials(scope_for(persona.user)))


def test_a_cell_finds_another_cells_story_in_the_districts_library(cell_secretary, shared):
    assert _visible(cell_secretary) == ["Bác Hồ với đức tính tiết kiệm"]


def test_material_kept_out_of_the_library_stays_with_its_unit(tree, cell_secretary, district_staff, shared):
    from lantoa.org.models import Role
    from tests.conftest import persona

    tan_thanh = persona(tree.tan_thanh, Role.SECRETARY)

    assert "Ghi chép riêng của chi bộ Tân Thạnh" not in _visible(cell_secretary)
    assert _visible(tan_thanh) == ["Bác Hồ với đức tính tiết kiệm", "Ghi chép riêng của chi bộ Tân Thạnh"]
    # The district's staff follow the cell, so they read its own notes too.
    assert _visible(district_staff) == [
        "Bác Hồ với đức tính tiết kiệm",
        "Ghi chép riêng của chi bộ Tân Thạnh",
    ]


def test_another_districts_library_does_not_leak_into_chau_thanh(
    cell_secretary, district_staff, outsider, shared
):
    stranger = shared["stranger"]

    for who in (cell_secretary, district_staff):
        assert "Chuyện kể Giồng Trôm về Bác" not in _visible(who)
        assert who.client.get(reverse("cells:material", args=[stranger.public_id])).status_code == 404
        page = page_text(who.client.get(reverse("cells:library"), {"q": "giong trom"}))
        assert "Giồng Trôm" not in page
    # …and Châu Thành's library does not reach Giồng Trôm.
    assert _visible(outsider) == ["Chuyện kể Giồng Trôm về Bác"]


def test_the_private_note_is_404_for_a_neighbouring_cell(cell_secretary, shared):
    note = shared["note"]

    for name in ("cells:material", "cells:material_file", "cells:material_edit"):
        response = cell_secretary.client.get(reverse(name, args=[note.public_id]))
        assert response.status_code == 404
        assert "Ghi chép riêng" not in response.content.decode()
