"""The basis documents (căn cứ) of a new obligation: searched among what the chosen committee may
cite (its own documents, its committees' above, the outside catalogue), labelled so that ~100
documents called "Kế hoạch …" can be told apart, with or without JavaScript; the server refuses
a document the committee may not cite."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.documents import services
from lantoa.documents.models import Obligation
from tests.conftest import page_text, tr
from tests.documents.conftest import issue

D = dt.date
# The district sets obligations while it stands (from 1/7/2025 its staff read its history only).
pytestmark = pytest.mark.today(D(2024, 4, 1))
SOURCES = reverse("documents:obligation_sources")
CREATE = reverse("documents:obligation_create")


@pytest.fixture
def papers(tree, terms):
    """A document of every level, and the Politburo's directive in the catalogue."""
    return {
        "province": issue(tree.province, D(2024, 1, 10), "HD", summary="học tập chuyên đề năm 2024"),
        "district": issue(tree.district, D(2024, 2, 5), summary="thực hiện chuyên đề năm 2024"),
        "tan_thach": issue(tree.tan_thach, D(2024, 2, 20), summary="thực hiện chuyên đề năm 2024 ở xã"),
        "an_khanh": issue(tree.an_khanh, D(2024, 2, 21), summary="thực hiện chuyên đề năm 2024 ở An Khánh"),
        "other_district": issue(tree.other_district, D(2024, 2, 6), summary="chuyên đề Giồng Trôm"),
        "politburo": services.register_external_document(
            actor=None,
            issuer_name="Bộ Chính trị",
            issuer_code="TW",
            type_code="CT",
            number=5,
            term_label="khóa XII",
            issued_on=D(2016, 5, 15),
            summary="về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        ),
    }


def offered(response) -> list[str]:
    return [label for _document, label in response.context["matches"]]


def test_search_offers_what_a_commune_may_cite_labelled_with_number_title_issuer_and_date(
    district_staff, papers
):
    response = district_staff.client.get(SOURCES, {"unit": "tan-thach", "sources_q": "chuyen de"})

    assert response.status_code == 200
    # Its own and the committees' above; not the sibling commune's, not another district's.
    assert offered(response) == [
        "Số 01-KH/ĐU · Kế hoạch thực hiện chuyên đề năm 2024 ở xã · Đảng ủy xã Tân Thạch · 20/02/2024",
        "Số 01-KH/HU · Kế hoạch thực hiện chuyên đề năm 2024 · Huyện ủy Châu Thành · 05/02/2024",
        "Số 01-HD/TU · Hướng dẫn học tập chuyên đề năm 2024 · Tỉnh ủy Bến Tre · 10/01/2024",
    ]


def test_search_without_words_offers_the_latest_and_the_catalogue(district_staff, papers):
    response = district_staff.client.get(SOURCES, {"unit": "chau-thanh"})

    assert [d for d, _label in response.context["matches"]] == [
        papers["district"],
        papers["province"],
        papers["politburo"],
    ]


def test_search_finds_a_number_typed_without_accents(district_staff, papers):
    response = district_staff.client.get(SOURCES, {"unit": "chau-thanh", "sources_q": "Số 05-CT/TW"})

    assert [d for d, _label in response.context["matches"]] == [papers["politburo"]]


def test_search_reads_a_typed_type_name_as_the_type(district_staff, papers):
    """The labels say "Kế hoạch …", "Hướng dẫn …": what one reads is what one may type."""
    response = district_staff.client.get(SOURCES, {"unit": "tan-thach", "sources_q": "huong dan chuyen de"})

    assert [d for d, _label in response.context["matches"]] == [papers["province"]]


def test_search_keeps_the_ticked_documents_apart_from_the_matches(district_staff, papers):
    response = district_staff.client.get(
        SOURCES,
        {"unit": "chau-thanh", "sources_q": "tinh uy", "sources": [str(papers["district"].public_id)]},
    )

    assert [d for d, _label in response.context["chosen"]] == [papers["district"]]
    assert [d for d, _label in response.context["matches"]] == [papers["province"]]
    assert "checked" in response.content.decode()


def test_search_offers_at_most_twenty(district_staff, tree, terms):
    for day in range(1, 26):
        issue(tree.district, D(2024, 1, day), summary=f"kế hoạch số {day}")

    response = district_staff.client.get(SOURCES, {"unit": "chau-thanh", "sources_q": "ke hoach so"})

    assert len(response.context["matches"]) == 20
    assert response.context["more"] is True
    assert tr("Only the latest 20 are shown: type more of the number or the summary.") in page_text(response)


def test_search_runs_the_same_queries_for_one_match_or_many(district_staff, tree, terms):
    issue(tree.district, D(2024, 1, 1), summary="kế hoạch một")
    with CaptureQueriesContext(connection) as one:
        district_staff.client.get(SOURCES, {"unit": "chau-thanh", "sources_q": "ke hoach"})
    for day in range(2, 6):
        issue(tree.district, D(2024, 1, day), summary=f"kế hoạch {day}")
    with CaptureQueriesContext(connection) as many:
        response = district_staff.client.get(SOURCES, {"unit": "chau-thanh", "sources_q": "ke hoach"})

    assert len(response.context["matches"]) == 5
    assert len(many) == len(one)


def test_search_of_a_unit_the_user_may_not_set_obligations_for_is_404(district_staff, papers):
    response = district_staff.client.get(SOURCES, {"unit": "giong-trom", "sources_q": "chuyen de"})

    assert response.status_code == 404
    assert "Giồng Trôm" not in response.content.decode()


def test_search_is_refused_to_a_cell_secretary_and_to_another_district(cell_secretary, outsider, papers):
    assert cell_secretary.client.get(SOURCES, {"sources_q": "chuyen de"}).status_code == 403
    response = outsider.client.get(SOURCES, {"unit": "chau-thanh", "sources_q": "chuyen de"})
    assert response.status_code == 403
    assert "Châu Thành" not in response.content.decode()


def test_search_sends_anonymous_to_login(anonymous):
    response = anonymous.get(SOURCES)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def obligation_data(**extra):
    data = {
        "unit": "tan-thach",
        "title": "Kế hoạch thực hiện chuyên đề năm 2024",
        "year": "2024",
        "required_type": "KH",
        "target_kinds": ["cell"],
        "deadline": "31/05/2024",
    }
    data.update(extra)
    return data


@pytest.mark.today(D(2024, 4, 1))
def test_obligation_keeps_the_basis_the_commune_may_cite(district_staff, papers):
    chosen = [str(papers["district"].public_id), str(papers["politburo"].public_id)]

    response = district_staff.client.post(CREATE, obligation_data(sources=chosen))

    assert response.status_code == 302
    assert set(Obligation.objects.get().sources.all()) == {papers["district"], papers["politburo"]}


@pytest.mark.today(D(2024, 4, 1))
def test_obligation_refuses_a_sibling_communes_document_as_its_basis(district_staff, papers):
    sibling = str(papers["an_khanh"].public_id)

    response = district_staff.client.post(CREATE, obligation_data(sources=[sibling]))

    assert response.status_code == 200
    assert Obligation.objects.count() == 0
    assert response.context["form"].errors["sources"] == [
        tr(
            "%(documents)s cannot be the basis of a request of %(unit)s: choose among the documents of "
            "%(unit)s and of the committees above it.",
            documents="01-KH/ĐU",
            unit="Đảng ủy xã Tân Thạch",
        )
    ]


@pytest.mark.today(D(2024, 4, 1))
@pytest.mark.parametrize("value", ["other_district", "not-a-uuid"])
def test_obligation_refuses_a_document_the_user_may_not_read(district_staff, papers, value):
    sent = str(papers[value].public_id) if value in papers else value

    response = district_staff.client.post(CREATE, obligation_data(sources=[sent]))

    assert response.status_code == 200
    assert Obligation.objects.count() == 0
    assert response.context["form"].errors["sources"] == [
        tr("A chosen basis document is not one you may cite: search and choose again.")
    ]
    assert "Giồng Trôm" not in response.content.decode()


@pytest.mark.today(D(2024, 4, 1))
def test_search_without_javascript_shows_the_matches_and_keeps_what_was_typed(district_staff, papers):
    ticked = [str(papers["district"].public_id)]

    response = district_staff.client.post(
        CREATE, obligation_data(title="", find="1", sources_q="tinh uy", sources=ticked)
    )

    assert response.status_code == 200
    assert Obligation.objects.count() == 0
    assert response.context["form"].errors == {}  # searching is not saving: no "required" yet
    assert [d for d, _label in response.context["chosen"]] == [papers["district"]]
    assert [d for d, _label in response.context["matches"]] == [papers["province"]]
    html = response.content.decode()
    assert 'value="31/05/2024"' in html
    assert 'name="sources_q" id="id_sources_q" value="tinh uy"' in html


def test_form_page_offers_the_search_not_a_list_of_every_document(district_staff, tree, terms):
    for day in range(1, 26):
        issue(tree.district, D(2024, 1, day), summary=f"kế hoạch số {day}")

    response = district_staff.client.get(CREATE)

    html = response.content.decode()
    assert html.count('name="sources"') == 20
    assert f'hx-get="{SOURCES}"' in html
