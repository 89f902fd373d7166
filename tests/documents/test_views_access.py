"""Every view of the documents app against the personas: anonymous → login, another district →
404 (without the data), the read-only council member → 403 on anything that writes, the
district's staff → the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from lantoa.documents import urls as documents_urls
from lantoa.documents.models import Commitment, Document, Obligation
from lantoa.lib import pdf
from lantoa.org.models import UnitKind
from tests.conftest import BEFORE_THE_REFORM, page_text
from tests.factories import UnitFactory

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date


@dataclass
class World:
    document: Document
    obligation: Obligation
    commitment: Commitment


@pytest.fixture
def world(district_plan, plan_2024, minh_commitment) -> World:
    return World(district_plan, plan_2024, minh_commitment)


ROUTES: dict[str, Callable[[World], str]] = {
    "list": lambda w: reverse("documents:list"),
    "create": lambda w: reverse("documents:create"),
    "detail": lambda w: reverse("documents:detail", args=[w.document.public_id]),
    "docx": lambda w: reverse("documents:docx", args=[w.document.public_id]),
    "pdf": lambda w: reverse("documents:pdf", args=[w.document.public_id]),
    "attachment": lambda w: reverse(
        "documents:attachment", args=[w.document.public_id, w.document.attachments.get().pk]
    ),
    "terms": lambda w: reverse("documents:terms", args=["chau-thanh"]),
    "themes": lambda w: reverse("documents:themes"),
    "obligations": lambda w: reverse("documents:obligations"),
    "obligation_create": lambda w: reverse("documents:obligation_create"),
    "obligation_sources": lambda w: reverse("documents:obligation_sources"),
    "obligation": lambda w: reverse("documents:obligation", args=[w.obligation.public_id]),
    "obligation_missing": lambda w: reverse("documents:obligation_missing", args=[w.obligation.public_id]),
    "obligation_file": lambda w: reverse(
        "documents:obligation_file", args=[w.obligation.public_id, "phuoc-thanh"]
    ),
    "cell_commitments": lambda w: reverse("documents:cell_commitments", args=["phuoc-thanh"]),
    "member_commitments": lambda w: reverse("documents:member_commitments", args=[w.commitment.member_id]),
    "commitment_assess": lambda w: reverse("documents:commitment_assess", args=[w.commitment.pk]),
}

# What a district's document, obligation or commitment could give away on a 404 page.
CHAU_THANH_SECRETS = [
    "01-KH/HU",
    "Huỳnh Thanh Tuấn",
    "Kế hoạch thực hiện chuyên đề năm 2024",
    "Trần Văn Minh",
]


def test_every_documents_url_is_in_the_matrix():
    assert {pattern.name for pattern in documents_urls.urlpatterns} == set(ROUTES)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_is_sent_to_login(anonymous, world, name):
    url = ROUTES[name](world)

    response = anonymous.get(url)

    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("accounts:login")
    assert parse_qs(target.query) == {"next": [url]}


OUT_OF_SCOPE = [
    "detail",
    "docx",
    "pdf",
    "attachment",
    "terms",
    "obligation",
    "obligation_missing",
    "obligation_file",
    "cell_commitments",
    "member_commitments",
    "commitment_assess",
]


@pytest.mark.parametrize("name", OUT_OF_SCOPE)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_district_gets_404_without_the_data(outsider, world, name, method):
    response = getattr(outsider.client, method)(ROUTES[name](world))

    assert response.status_code == 404
    html = response.content.decode()
    assert [secret for secret in CHAU_THANH_SECRETS if secret in html] == []


@pytest.mark.parametrize("name", ["list", "obligations", "themes"])
def test_another_districts_lists_hold_nothing_of_chau_thanh(outsider, world, name):
    response = outsider.client.get(ROUTES[name](world))

    assert response.status_code == 200
    html = response.content.decode()
    assert [secret for secret in CHAU_THANH_SECRETS if secret in html] == []


WRITES = [
    ("create", "get"),
    ("create", "post"),
    ("obligation_create", "get"),
    ("obligation_create", "post"),
    ("obligation_sources", "get"),
    ("terms", "post"),
    ("themes", "post"),
    ("obligation_file", "get"),
    ("obligation_file", "post"),
    ("member_commitments", "get"),
    ("member_commitments", "post"),
    ("commitment_assess", "get"),
    ("commitment_assess", "post"),
]


@pytest.mark.parametrize(("name", "method"), WRITES)
def test_read_only_role_is_refused_every_write(council_member, world, name, method):
    data = (
        {"theme": "1", "campaign": "1", "name": "x", "first": "x", "done": "1"} if method == "post" else None
    )

    response = getattr(council_member.client, method)(ROUTES[name](world), data)

    assert response.status_code == 403
    assert Commitment.objects.get().done is None
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [
        "list",
        "detail",
        "docx",
        "attachment",
        "terms",
        "themes",
        "obligations",
        "obligation",
        "cell_commitments",
    ],
)
def test_read_only_role_reads(council_member, world, name):
    response = council_member.client.get(ROUTES[name](world))

    assert response.status_code == 200


def test_in_scope_list_shows_the_districts_document(district_staff, world):
    response = district_staff.client.get(ROUTES["list"](world))

    assert [d.symbol for d in response.context["page"]] == ["01-KH/HU"]
    assert response.context["can_issue"] is True


def test_in_scope_create_offers_the_district_and_its_cells(district_staff, world):
    response = district_staff.client.get(ROUTES["create"](world))

    choices = [label for _value, label in response.context["form"].fields["issuer"].choices]
    assert choices == [
        "Chi bộ ấp Phước Thạnh",
        "Chi bộ ấp Tân Thạnh",
        "Chi bộ Hội LHPN huyện",
        "Đảng ủy xã An Khánh",
        "Đảng ủy xã Tân Thạch",
        "Huyện ủy Châu Thành",
    ]


def test_in_scope_detail_shows_number_summary_signer_and_file(district_staff, world):
    text = page_text(district_staff.client.get(ROUTES["detail"](world)))

    assert "Số 01-KH/HU thực hiện chuyên đề năm 2024" in text
    assert "T/M BAN THƯỜNG VỤ – PHÓ BÍ THƯ THƯỜNG TRỰC Huỳnh Thanh Tuấn" in text
    assert "ke-hoach-01.pdf" in text


def test_in_scope_docx_is_a_word_file(district_staff, world):
    response = district_staff.client.get(ROUTES["docx"](world))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_in_scope_pdf_without_libreoffice_is_503(district_staff, world, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)

    assert district_staff.client.get(ROUTES["pdf"](world)).status_code == 503


def test_in_scope_attachment_downloads_the_uploaded_bytes(district_staff, world):
    response = district_staff.client.get(ROUTES["attachment"](world))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% ke hoach da ky\n"
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-01.pdf"'


def test_in_scope_terms_lists_the_committees_terms(district_staff, world):
    response = district_staff.client.get(ROUTES["terms"](world))

    assert [t.name for t in response.context["terms"]] == ["Nhiệm kỳ 2020–2025", "Nhiệm kỳ 2015–2020"]
    assert response.context["can_write"] is True


def test_in_scope_themes_offers_the_forms(district_staff, world):
    response = district_staff.client.get(ROUTES["themes"](world))

    assert response.status_code == 200
    assert response.context["can_write"] is True


def test_in_scope_obligations_lists_the_districts_obligation(district_staff, world):
    response = district_staff.client.get(ROUTES["obligations"](world))

    assert response.context["set_by_mine"] == [world.obligation]
    assert response.context["from_above"] == []


def test_cell_secretary_sees_the_districts_obligation_as_from_above(cell_secretary, world):
    response = cell_secretary.client.get(ROUTES["obligations"](world))

    assert response.context["set_by_mine"] == []
    assert response.context["from_above"] == [world.obligation]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_in_scope_obligation_create_offers_only_party_committees_own_first(district_staff, tree, world):
    UnitFactory(key="mttq", name="Ủy ban MTTQ huyện", kind=UnitKind.MASS_ORGANISATION, parent=tree.district)

    response = district_staff.client.get(ROUTES["obligation_create"](world))

    units = [u.name for u in response.context["form"].fields["unit"].queryset]
    # The staff's own committee first; no cell, no mass organisation.
    assert units == ["Huyện ủy Châu Thành", "Đảng ủy xã An Khánh", "Đảng ủy xã Tân Thạch"]


def test_cell_secretary_cannot_set_obligations(cell_secretary, world):
    assert cell_secretary.client.get(ROUTES["obligation_create"](world)).status_code == 403


def test_in_scope_obligation_page_shows_the_district(district_staff, world):
    response = district_staff.client.get(ROUTES["obligation"](world))

    assert response.context["root"] == world.obligation.unit
    assert response.context["totals"].total == 3


def test_in_scope_missing_list_is_a_spreadsheet(district_staff, world):
    response = district_staff.client.get(ROUTES["obligation_missing"](world))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="chua-nop-2024-chau-thanh.xlsx"'


def test_in_scope_file_form_names_the_cell(cell_secretary, world):
    response = cell_secretary.client.get(ROUTES["obligation_file"](world))

    assert response.context["unit"].key == "phuoc-thanh"
    assert response.context["form"]["summary"].value() == "kế hoạch thực hiện chuyên đề năm 2024"


def test_in_scope_cell_commitments_lists_the_member(cell_secretary, world):
    response = cell_secretary.client.get(ROUTES["cell_commitments"](world), {"year": "2024"})

    assert [
        (m.member.person.full_name, [c.text for c in items]) for m, items in response.context["rows"]
    ] == [("Trần Văn Minh", ["Vận động bà con hiến đất làm đường ấp"])]


def test_in_scope_member_commitments_prefills_the_text(cell_secretary, world):
    response = cell_secretary.client.get(ROUTES["member_commitments"](world), {"year": "2024"})

    assert response.context["form"]["first"].value() == "Vận động bà con hiến đất làm đường ấp"


def test_in_scope_assess_shows_the_commitment(cell_secretary, world):
    text = page_text(cell_secretary.client.get(ROUTES["commitment_assess"](world)))

    assert "Trần Văn Minh (2024): Vận động bà con hiến đất làm đường ấp" in text
