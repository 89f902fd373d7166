"""Registering documents, searching the register, and a committee's terms through the web."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.documents import services
from lantoa.documents.models import Document, Term
from tests.conftest import BEFORE_THE_REFORM, page_text, tr
from tests.documents.conftest import issue

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date


def _document_data(issuer: str, **fields: str) -> dict[str, str]:
    return {
        "issuer": issuer,
        "system": "party",
        "type_code": "HD",
        "issued_on": "09/12/2024",
        "number": "",
        "place": "",
        "summary": "báo cáo sơ kết 03 năm thực hiện Kết luận số 01-KL/TW",
        "body": "I. Yêu cầu\n- Các đơn vị gửi báo cáo trước ngày 20/12/2024.",
        "signing_form": "K/T",
        "signing_body": "TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_name": "Trần Thị Hồng",
        "recipients": "Như trên,\nLưu Văn phòng.",
        **fields,
    }


def test_document_create_for_a_staff_body(district_staff, tree, terms, propaganda):
    response = district_staff.client.post(
        reverse("documents:create"), _document_data(f"staff:{propaganda.pk}")
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:detail", args=[document.public_id])
    assert (document.number_line, document.issuer_name, document.issuer_staff_body, document.term) == (
        "Số 01-HD/BTGHU",
        "Ban Tuyên giáo Huyện ủy Châu Thành",
        propaganda,
        terms["district_2020"],
    )
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(document.pk)).count() == 1
    detail = page_text(district_staff.client.get(response.url))
    assert "Số 01-HD/BTGHU báo cáo sơ kết 03 năm thực hiện Kết luận số 01-KL/TW" in detail


def test_document_create_offers_the_staff_body_under_its_committee(district_staff, tree, propaganda):
    response = district_staff.client.get(reverse("documents:create"))

    choices = response.context["form"].fields["issuer"].choices
    committee = choices.index(("unit:chau-thanh", "Huyện ủy Châu Thành"))
    assert choices[committee + 1] == (
        f"staff:{propaganda.pk}",
        "— Ban Tuyên giáo và Dân vận (Huyện ủy Châu Thành)",
    )


def test_document_create_shows_the_missing_term_on_the_form(district_staff, tree):
    response = district_staff.client.post(reverse("documents:create"), _document_data("unit:chau-thanh"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        tr(
            "%(unit)s has no term covering %(date)s. Party documents are numbered per term: "
            "add the term first.",
            unit="Huyện ủy Châu Thành",
            date="09/12/2024",
        )
    ]
    assert not Document.objects.exists()


def test_document_create_cannot_issue_for_a_unit_out_of_scope(cell_secretary, tree, terms):
    response = cell_secretary.client.post(reverse("documents:create"), _document_data("unit:chau-thanh"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["issuer"]
    assert not Document.objects.exists()


def test_document_list_searches_without_accents_and_filters_by_type(district_staff, tree, terms):
    issue(tree.district, D(2024, 3, 5), summary="thực hiện chuyên đề năm 2024")
    issue(tree.district, D(2024, 6, 1), "BC", summary="sơ kết 6 tháng chuyên đề năm 2024")
    issue(tree.district, D(2023, 3, 1), summary="thực hiện chuyên đề năm 2023")
    services.register_external_document(
        actor=None,
        issuer_name="Bộ Chính trị",
        issuer_code="TW",
        type_code="KL",
        number=1,
        issued_on=D(2021, 5, 18),
        summary="về tiếp tục đẩy mạnh học tập và làm theo tư tưởng Hồ Chí Minh",
        term_label="khóa XIII",
    )
    url = reverse("documents:list")

    def symbols(**params):
        return [d.symbol for d in district_staff.client.get(url, params).context["page"]]

    assert symbols() == ["01-BC/HU", "01-KH/HU", "02-KH/HU", "01-KL/TW"]
    assert symbols(q="chuyen de nam 2024") == ["01-BC/HU", "01-KH/HU"]
    assert symbols(type="KH", year="2023") == ["02-KH/HU"]
    assert symbols(q="01-kl/tw") == ["01-KL/TW"]


def test_document_list_of_a_cell_holds_the_committees_above_but_not_a_sister_cell(
    cell_secretary, tree, terms
):
    issue(tree.district, D(2024, 3, 5))
    issue(tree.an_khanh, D(2024, 3, 6))
    issue(tree.phuoc_thanh, D(2024, 3, 7))
    issue(tree.tan_thanh, D(2024, 3, 8), summary="kế hoạch riêng của ấp Tân Thạnh")

    response = cell_secretary.client.get(reverse("documents:list"))

    assert [d.issuer_name for d in response.context["page"]] == [
        "Chi bộ ấp Phước Thạnh",
        "Đảng ủy xã An Khánh",
        "Huyện ủy Châu Thành",
    ]
    assert "kế hoạch riêng của ấp Tân Thạnh" not in response.content.decode()


def test_document_detail_does_not_list_implementing_documents_out_of_scope(district_staff, tree, terms):
    directive = issue(tree.province, D(2024, 2, 20), summary="thực hiện chuyên đề năm 2024")
    plan = issue(tree.district, D(2024, 3, 5), implements=[directive])
    issue(tree.other_district, D(2024, 3, 6), implements=[directive], summary="kế hoạch của Giồng Trôm")

    response = district_staff.client.get(reverse("documents:detail", args=[directive.public_id]))
    plan_page = district_staff.client.get(reverse("documents:detail", args=[plan.public_id]))

    assert [d.issuer_name for d in response.context["implemented_by"]] == ["Huyện ủy Châu Thành"]
    assert "Huyện ủy Giồng Trôm" not in response.content.decode()
    assert [d.symbol for d in plan_page.context["implements"]] == ["01-KH/TU"]


def test_terms_page_adds_a_term(district_staff, tree):
    url = reverse("documents:terms", args=["chau-thanh"])

    response = district_staff.client.post(
        url, {"name": "Nhiệm kỳ 2020–2025", "starts_on": "01/08/2020", "ends_on": "30/06/2025"}
    )

    assert response.status_code == 302
    assert list(Term.objects.values_list("unit__key", "name", "starts_on", "ends_on")) == [
        ("chau-thanh", "Nhiệm kỳ 2020–2025", D(2020, 8, 1), D(2025, 6, 30))
    ]
    assert "Nhiệm kỳ 2020–2025: 01/08/2020 – 30/06/2025" in page_text(district_staff.client.get(url))


def test_terms_page_refuses_an_overlapping_term(district_staff, tree, terms):
    response = district_staff.client.post(
        reverse("documents:terms", args=["chau-thanh"]),
        {"name": "Nhiệm kỳ 2024–2029", "starts_on": "01/01/2024", "ends_on": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        tr("This term overlaps %(term)s.", term="Nhiệm kỳ 2020–2025")
    ]
    assert Term.objects.filter(unit=tree.district).count() == 2


def test_terms_page_refuses_a_term_ending_before_it_starts(district_staff, tree):
    response = district_staff.client.post(
        reverse("documents:terms", args=["chau-thanh"]),
        {"name": "Nhiệm kỳ sai", "starts_on": "01/08/2020", "ends_on": "01/08/2019"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors != {}
    assert not Term.objects.exists()
