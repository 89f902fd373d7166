"""Rules that keep the register honest: filing dates, closed issuers, commitments after the year-end
check, and searching numbers the way they are printed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lantoa.documents import services
from lantoa.documents.models import Commitment, Filing

from .conftest import cells_obligation, issue

D = dt.date


def test_filing_date_before_the_plan_is_signed_is_refused(tree, terms):
    obligation = cells_obligation(tree.district)
    plan = issue(tree.phuoc_thanh, D(2024, 3, 20), summary="kế hoạch")

    with pytest.raises(ValidationError) as caught:
        services.file_document(
            actor=None, obligation=obligation, unit=tree.phuoc_thanh, document=plan, filed_on=D(2024, 3, 10)
        )

    assert "20/03/2024" in caught.value.message_dict["filed_on"][0]
    assert Filing.objects.count() == 0


def test_filing_date_in_the_future_is_refused(tree, terms):
    obligation = cells_obligation(tree.district)
    plan = issue(tree.phuoc_thanh, D(2024, 3, 20), summary="kế hoạch")

    with pytest.raises(ValidationError):
        services.file_document(
            actor=None,
            obligation=obligation,
            unit=tree.phuoc_thanh,
            document=plan,
            filed_on=dt.date.today() + dt.timedelta(days=3),
        )


def test_a_closed_unit_cannot_issue_a_document(tree, terms):
    # Huyện ủy Châu Thành ended on 30/6/2025.
    with pytest.raises(ValidationError) as caught:
        issue(tree.district, D(2025, 8, 1))

    assert "01/08/2025" in caught.value.message_dict["issued_on"][0]


def test_an_assessed_commitment_can_no_longer_be_reworded_or_withdrawn(minh, minh_commitment):
    services.assess_commitment(actor=None, commitment=minh_commitment, done=True, note="Đã làm")

    with pytest.raises(ValidationError):
        services.register_commitment(actor=minh.user, member=minh.member, year=2024, position=1, text="Khác")
    with pytest.raises(ValidationError):
        services.withdraw_commitment(actor=minh.user, commitment=minh_commitment)
    # Saving the same words again (the form sends both) is not a change.
    same = services.register_commitment(
        actor=minh.user, member=minh.member, year=2024, position=1, text=minh_commitment.text
    )
    assert same.pk == minh_commitment.pk


def test_clearing_the_second_commitment_withdraws_it(minh):
    year = timezone.localdate().year
    url = reverse("documents:member_commitments", args=[minh.member.pk]) + f"?year={year}"
    minh.client.post(url, {"first": "Giữ gìn vệ sinh đường ấp", "second": "Đọc sách về Bác mỗi tháng"})

    minh.client.post(url, {"first": "Giữ gìn vệ sinh đường ấp", "second": ""})

    assert list(Commitment.objects.filter(member=minh.member).values_list("position", "text")) == [
        (1, "Giữ gìn vệ sinh đường ấp")
    ]


def test_register_search_accepts_the_number_as_printed(district_staff, district_plan):
    response = district_staff.client.get(reverse("documents:list"), {"q": "Số 01-KH/HU"})

    assert district_plan.summary in response.content.decode()


@pytest.mark.parametrize("query", ["01-KH/DU", "01-kh/du", "Số 01-KH/ĐU", "so 01-kh/du", "01-KH/\u00d0U"])
def test_register_search_finds_a_đu_symbol_typed_without_diacritics(district_staff, tree, terms, query):
    """A commune committee's "ĐU" folds to "du"; so does the look-alike "Ð" (U+00D0) that
    older Vietnamese converters produce."""
    plan = issue(tree.an_khanh, D(2024, 3, 10), summary="thực hiện chuyên đề năm 2024 của xã")
    issue(tree.tan_thach, D(2024, 3, 11), summary="kế hoạch khác")  # 01-KH/ĐU of another commune

    response = district_staff.client.get(reverse("documents:list"), {"q": query})

    assert plan.symbol == "01-KH/ĐU"
    assert [d.symbol for d in response.context["page"]] == ["01-KH/ĐU", "01-KH/ĐU"]
    assert plan.summary in response.content.decode()


def test_register_search_tells_the_two_communes_apart_by_summary(district_staff, tree, terms):
    issue(tree.an_khanh, D(2024, 3, 10), summary="thực hiện chuyên đề năm 2024 của xã")
    issue(tree.tan_thach, D(2024, 3, 11), summary="kế hoạch khác")

    response = district_staff.client.get(reverse("documents:list"), {"q": "01-KH/DU chuyen de"})

    assert [d.issuer_name for d in response.context["page"]] == ["Đảng ủy xã An Khánh"]
