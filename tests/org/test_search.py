"""Finding people and units without typing accents, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from lantoa.org import queries
from lantoa.org.models import Person
from tests.factories import PersonFactory, UnitFactory, member_in


@pytest.fixture
def people(tree, hien):
    member_in(tree.phuoc_thanh, name="Nguyễn Văn Đức")
    member_in(tree.tan_thanh, name="Trần Thị Nguyên")
    PersonFactory(full_name="Đặng Văn Điển Hình", registered_unit=tree.an_khanh)
    return hien


def _names(response):
    return [person.full_name for person in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nguyen thanh hien", ["Nguyễn Thanh Hiền"]),
        ("Nguyễn Thanh Hiền", ["Nguyễn Thanh Hiền"]),
        ("  NGUYEN   thanh   HIEN ", ["Nguyễn Thanh Hiền"]),
        ("thanh hien", ["Nguyễn Thanh Hiền"]),
        # Accents are ignored both ways: Nguyễn also finds Nguyên.
        ("NGUYỄN", ["Nguyễn Thanh Hiền", "Nguyễn Văn Đức", "Trần Thị Nguyên"]),
        ("nguyen", ["Nguyễn Thanh Hiền", "Nguyễn Văn Đức", "Trần Thị Nguyên"]),
        ("duc", ["Nguyễn Văn Đức"]),
        ("đặng", ["Đặng Văn Điển Hình"]),
        ("DANG VAN DIEN", ["Đặng Văn Điển Hình"]),
        (unicodedata.normalize("NFD", "Hiền"), ["Nguyễn Thanh Hiền"]),
        ("%", []),
        ("_", []),
        ("xyz", []),
    ],
)
def test_people_search_ignores_accents_case_and_spacing(district_staff, people, query, found):
    response = district_staff.client.get(reverse("org:people"), {"q": query})

    assert _names(response) == found


def test_people_search_shows_the_query_back(district_staff, people):
    response = district_staff.client.get(reverse("org:people"), {"q": "nguyen thanh hien"})

    assert 'value="nguyen thanh hien"' in response.content.decode()


@pytest.mark.parametrize("query", ["an khanh", "AN KHÁNH", "đảng ủy xã an", "xa an kh"])
def test_unit_search_finds_an_khanh_without_accents(district_staff, tree, query):
    response = district_staff.client.get(reverse("org:tree"), {"q": query})

    assert [unit.name for unit in response.context["page"]] == ["Đảng ủy xã An Khánh"]


def test_unit_search_by_kind_word_lists_in_folded_order(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree"), {"q": "dang uy"})

    assert [unit.name for unit in response.context["page"]] == ["Đảng ủy xã An Khánh", "Đảng ủy xã Tân Thạch"]


def test_people_page_also_lists_matching_units(district_staff, tree):
    response = district_staff.client.get(reverse("org:people"), {"q": "an khanh"})

    assert [unit.name for unit in response.context["units"]] == ["Đảng ủy xã An Khánh"]
    assert f'href="{reverse("org:unit", args=["an-khanh"])}"' in response.content.decode()


def test_people_page_without_a_query_lists_no_units(district_staff, tree):
    response = district_staff.client.get(reverse("org:people"))

    assert response.context["units"] == []


# --- each word matches the start of a word ----------------------------------------------------


def test_people_search_matches_words_from_their_start_only(district_staff, tree, hien):
    member_in(tree.women, name="Bùi Phước Thiện")
    member_in(tree.phuoc_thanh, name="Lê Văn Khánh")

    hien_found = district_staff.client.get(reverse("org:people"), {"q": "Hiền"})
    an_khanh = district_staff.client.get(reverse("org:people"), {"q": "an khanh"})

    assert _names(hien_found) == ["Nguyễn Thanh Hiền"]
    assert _names(an_khanh) == []
    assert [unit.name for unit in an_khanh.context["units"]] == ["Đảng ủy xã An Khánh"]


def test_people_search_needs_every_word(district_staff, tree, hien):
    member_in(tree.women, name="Nguyễn Văn Thanh")

    response = district_staff.client.get(reverse("org:people"), {"q": "thanh hi"})

    assert _names(response) == ["Nguyễn Thanh Hiền"]


def test_people_search_lists_the_exact_name_then_names_starting_with_it_then_the_rest(district_staff, tree):
    for name in ["Lê Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn An", "Nguyễn Văn Bình"]:
        member_in(tree.women, name=name)

    response = district_staff.client.get(reverse("org:people"), {"q": "nguyen van an"})

    assert _names(response) == ["Nguyễn Văn An", "Nguyễn Văn Anh", "Lê Nguyễn Văn An"]


def test_unit_search_matches_words_from_their_start_and_ranks_the_exact_name_first(district_staff, tree):
    UnitFactory(name="Chi bộ ấp Tân", parent=tree.tan_thach)
    UnitFactory(name="Chi bộ Khu phố Tân Thạnh Đông", parent=tree.tan_thach)

    tan_thanh = district_staff.client.get(reverse("org:tree"), {"q": "chi bo ap tan thanh"})
    tan = district_staff.client.get(reverse("org:tree"), {"q": "chi bo ap tan"})
    khanh = district_staff.client.get(reverse("org:tree"), {"q": "hanh"})

    assert [unit.name for unit in tan_thanh.context["page"]] == ["Chi bộ ấp Tân Thạnh"]
    assert [unit.name for unit in tan.context["page"]] == ["Chi bộ ấp Tân", "Chi bộ ấp Tân Thạnh"]
    assert list(khanh.context["page"]) == []


def test_search_by_name_works_the_same_on_a_bare_queryset(tree, hien):
    member_in(tree.women, name="Bùi Phước Thiện")

    found = queries.search_by_name(Person.objects.all(), "  HIEN ")

    assert [person.full_name for person in found] == ["Nguyễn Thanh Hiền"]
    assert list(queries.search_by_name(Person.objects.all(), "- %")) == []
