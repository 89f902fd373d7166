"""Finding people and units without typing accents, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, member_in


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
