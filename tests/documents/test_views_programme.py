"""Yearly themes, campaigns, and members' "làm theo" commitments with the secretary's year-end check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.documents import services
from lantoa.documents.models import Campaign, Commitment, Theme
from lantoa.org.models import Role
from tests.conftest import BEFORE_THE_REFORM, page_text, persona, tr
from tests.factories import member_in

D = dt.date
THEME = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng bộ trong sạch, vững mạnh"
)


# --- themes and campaigns ------------------------------------------------------------------------


@pytest.mark.today(BEFORE_THE_REFORM)  # the district's staff, on a day it stood
def test_themes_page_sets_a_yearly_theme_and_rewords_it(district_staff, tree):
    url = reverse("documents:themes")
    data = {"theme": "1", "theme-unit": "chau-thanh", "theme-year": "2024", "theme-title": "Chuyên đề cũ"}

    first = district_staff.client.post(url, data)
    second = district_staff.client.post(url, {**data, "theme-title": THEME})

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(Theme.objects.values_list("unit__key", "year", "title", "issuer_name")) == [
        ("chau-thanh", 2024, THEME, "Huyện ủy Châu Thành")
    ]
    update = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert update.changes == {"title": ["Chuyên đề cũ", THEME]}
    assert f"2024 — {THEME} (Huyện ủy Châu Thành)" in page_text(district_staff.client.get(url))


@pytest.mark.today(BEFORE_THE_REFORM)  # the district's staff, on a day it stood
def test_themes_page_launches_a_campaign_with_its_motto(district_staff, tree):
    url = reverse("documents:themes")

    response = district_staff.client.post(
        url,
        {
            "campaign": "1",
            "campaign-unit": "chau-thanh",
            "campaign-name": "Phong trào Đồng khởi mới",
            "campaign-motto": "Chung sức xây dựng nông thôn mới",
            "campaign-starts_on": "01/01/2024",
            "campaign-ends_on": "31/12/2025",
        },
    )

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.unit, campaign.issuer_name, campaign.starts_on, campaign.ends_on) == (
        tree.district,
        "Huyện ủy Châu Thành",
        D(2024, 1, 1),
        D(2025, 12, 31),
    )
    text = page_text(district_staff.client.get(url))
    assert f"Phong trào Đồng khởi mới — {tr('motto')} “Chung sức xây dựng nông thôn mới”" in text


def test_themes_of_another_district_are_not_shown(outsider, tree):
    services.set_yearly_theme(actor=None, unit=tree.district, year=2024, title=THEME)

    response = outsider.client.get(reverse("documents:themes"))

    assert list(response.context["yearly_themes"]) == []
    assert THEME not in response.content.decode()


# --- commitments ---------------------------------------------------------------------------------


@pytest.fixture
def lan(tree):
    """A second member of Chi bộ ấp Phước Thạnh, who has not registered anything."""
    return member_in(tree.phuoc_thanh, name="Lê Thị Lan")


THIS_YEAR = timezone.localdate().year


def _commitments_url(member, year=2024, **params):
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    return reverse("documents:member_commitments", args=[member.pk]) + f"?year={year}{extra}"


@pytest.fixture
def minh_this_year(minh):
    return services.register_commitment(
        actor=minh.user, member=minh.member, year=THIS_YEAR, position=1, text="Giữ đường ấp sạch đẹp"
    )


def test_member_registers_two_commitments_for_this_year_and_returns_to_their_page(minh, tree):
    url = _commitments_url(minh.member, THIS_YEAR)

    response = minh.client.post(
        url, {"first": "Vận động bà con hiến đất làm đường ấp", "second": "Tham gia sinh hoạt chi bộ đầy đủ"}
    )

    assert (response.status_code, response.url) == (302, url)
    assert list(Commitment.objects.values_list("year", "position", "text", "done")) == [
        (THIS_YEAR, 1, "Vận động bà con hiến đất làm đường ấp", None),
        (THIS_YEAR, 2, "Tham gia sinh hoạt chi bộ đầy đủ", None),
    ]
    assert tr("Commitments saved.") in page_text(minh.client.get(response.url))


def test_member_cannot_rewrite_a_past_years_commitment(minh, minh_commitment):
    """Found by trying the demo: a plain member rewrote 2024's commitment in 11/2026."""
    url = _commitments_url(minh.member, 2024)

    page = minh.client.get(url)
    refused = minh.client.post(url, {"first": "Viết lại cho đẹp", "second": ""})

    reason = tr(
        "The commitments of %(year)s can no longer be changed by you; if something must be corrected, "
        "ask your cell's secretary.",
        year=2024,
    )
    assert page.context["form"] is None
    assert f"{reason} {tr('Commitments of %(year)s', year=2024)} Vận động bà con hiến đất làm đường ấp" in (
        page_text(page)
    )
    assert "<textarea" not in page.content.decode()
    assert refused.status_code == 403
    assert list(Commitment.objects.values_list("year", "text")) == [
        (2024, "Vận động bà con hiến đất làm đường ấp")
    ]
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_member_cannot_register_for_a_past_year_or_a_year_to_come(minh):
    past = minh.client.post(_commitments_url(minh.member, THIS_YEAR - 1), {"first": "Muộn", "second": ""})
    future = minh.client.post(_commitments_url(minh.member, THIS_YEAR + 1), {"first": "Sớm", "second": ""})

    assert (past.status_code, future.status_code) == (403, 403)
    assert Commitment.objects.count() == 0


def test_member_cannot_reword_or_add_after_the_year_end_assessment(minh, minh_this_year):
    services.assess_commitment(actor=None, commitment=minh_this_year, done=True, note="Tốt")
    url = _commitments_url(minh.member, THIS_YEAR)

    page = minh.client.get(url)
    refused = minh.client.post(url, {"first": "Giữ đường ấp sạch đẹp", "second": "Việc thêm sau đánh giá"})

    assert page.context["closed"] == tr(
        "The year-end assessment of %(year)s has been made: its commitments can no longer be changed.",
        year=THIS_YEAR,
    )
    assert refused.status_code == 403
    assert list(Commitment.objects.values_list("position", "text")) == [(1, "Giữ đường ấp sạch đẹp")]


def test_secretary_corrects_a_past_year_until_it_is_assessed(cell_secretary, minh, minh_commitment):
    url = _commitments_url(minh.member, 2024, **{"from": "cell"})

    corrected = cell_secretary.client.post(
        url, {"first": "Vận động 5 hộ hiến đất làm đường ấp", "second": ""}
    )
    services.assess_commitment(actor=None, commitment=minh_commitment, done=True)
    refused = cell_secretary.client.post(url, {"first": "Sửa sau đánh giá", "second": ""})

    assert corrected.url == reverse("documents:cell_commitments", args=["phuoc-thanh"]) + "?year=2024"
    assert refused.status_code == 403
    minh_commitment.refresh_from_db()
    assert minh_commitment.text == "Vận động 5 hộ hiến đất làm đường ấp"


def test_the_service_keeps_past_years_for_the_cells_officers(minh, minh_commitment):
    with pytest.raises(ValidationError):
        services.register_commitment(actor=minh.user, member=minh.member, year=2024, position=2, text="Thêm")

    added = services.register_commitment(
        actor=None, member=minh.member, year=2024, position=2, text="Thêm", officer=True
    )

    assert (added.year, added.position, added.text) == (2024, 2, "Thêm")


def test_member_page_lists_earlier_years_with_their_assessment(minh, minh_commitment, minh_this_year):
    services.assess_commitment(actor=None, commitment=minh_commitment, done=True, note="Đã vận động 5 hộ")

    page = minh.client.get(_commitments_url(minh.member, THIS_YEAR))

    assert page.context["form"] is not None
    assert [(year, [c.text for c in items]) for year, items in page.context["history"]] == [
        (2024, ["Vận động bà con hiến đất làm đường ấp"])
    ]
    text = page_text(page)
    assert (
        f"{tr('Earlier years')} 2024 Vận động bà con hiến đất làm đường ấp {tr('done')} Đã vận động 5 hộ"
        in text
    )


def test_member_cannot_open_another_members_commitments(minh, lan):
    services.register_commitment(
        actor=None, member=lan, year=THIS_YEAR, position=1, text="Việc riêng của Lan", officer=True
    )

    response = minh.client.get(_commitments_url(lan, THIS_YEAR))

    # 403 once a plain member reads their own cell, 404 while they see nothing of it.
    assert response.status_code in (403, 404)
    assert "Việc riêng của Lan" not in response.content.decode()


def test_secretary_sees_who_has_registered_and_who_has_not(cell_secretary, minh_commitment, lan, tree):
    response = cell_secretary.client.get(
        reverse("documents:cell_commitments", args=["phuoc-thanh"]), {"year": "2024"}
    )

    assert (response.context["registered"], response.context["missing"]) == (1, 1)
    text = page_text(response)
    assert tr("%(r)s registered, %(m)s not yet.", r="1", m="1") in text
    assert [
        (m.member.person.full_name, [c.text for c in items]) for m, items in response.context["rows"]
    ] == [
        ("Lê Thị Lan", []),
        ("Trần Văn Minh", ["Vận động bà con hiến đất làm đường ấp"]),
    ]


def test_a_third_commitment_is_impossible(minh, minh_this_year):
    services.register_commitment(
        actor=minh.user, member=minh.member, year=THIS_YEAR, position=2, text="Việc thứ hai"
    )

    with pytest.raises(ValidationError) as refused:
        services.register_commitment(
            actor=minh.user, member=minh.member, year=THIS_YEAR, position=3, text="Việc ba"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(
            member=minh.member, year=THIS_YEAR, position=3, text="Việc ba", registered_on=D(THIS_YEAR, 1, 1)
        )
    minh.client.post(
        _commitments_url(minh.member, THIS_YEAR), {"first": "Việc một (sửa)", "second": "Việc hai (sửa)"}
    )

    assert refused.value.message_dict == {
        "position": [tr("A member registers one or two commitments a year.")]
    }
    assert list(Commitment.objects.order_by("position").values_list("text", flat=True)) == [
        "Việc một (sửa)",
        "Việc hai (sửa)",
    ]


def test_rewording_a_commitment_records_before_and_after(minh, minh_this_year):
    minh.client.post(
        _commitments_url(minh.member, THIS_YEAR),
        {"first": "Giữ đường ấp sạch đẹp, trồng 50 m hàng rào xanh", "second": ""},
    )

    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert (entry.actor, entry.target_id, entry.unit.key) == (
        minh.user,
        str(minh_this_year.pk),
        "phuoc-thanh",
    )
    assert entry.changes == {
        "text": ["Giữ đường ấp sạch đẹp", "Giữ đường ấp sạch đẹp, trồng 50 m hàng rào xanh"]
    }


def test_secretary_editing_their_own_commitments_from_the_cell_list_goes_back_there(cell_secretary, tree):
    own = member_in(tree.phuoc_thanh, name="Võ Văn Bí Thư")
    own.person.user = cell_secretary.user
    own.person.save(update_fields=["user"])

    from_list = cell_secretary.client.post(
        _commitments_url(own, THIS_YEAR, **{"from": "cell"}), {"first": "Việc của bí thư", "second": ""}
    )
    from_own_page = cell_secretary.client.post(
        _commitments_url(own, THIS_YEAR), {"first": "Việc của bí thư (sửa)", "second": ""}
    )

    assert from_list.url == reverse("documents:cell_commitments", args=["phuoc-thanh"]) + f"?year={THIS_YEAR}"
    assert from_own_page.url == _commitments_url(own, THIS_YEAR)


def test_secretary_assesses_a_commitment_with_a_note(cell_secretary, minh_commitment):
    response = cell_secretary.client.post(
        reverse("documents:commitment_assess", args=[minh_commitment.pk]),
        {"done": "1", "note": "Đã vận động 5 hộ hiến đất"},
    )

    assert response.status_code == 302
    assert response.url == reverse("documents:cell_commitments", args=["phuoc-thanh"]) + "?year=2024"
    minh_commitment.refresh_from_db()
    assert (minh_commitment.done, minh_commitment.outcome_note, minh_commitment.assessed_on) == (
        True,
        "Đã vận động 5 hộ hiến đất",
        timezone.localdate(),
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_id=str(minh_commitment.pk))
    assert entry.changes["done"] == [None, True]
    page = page_text(cell_secretary.client.get(response.url))
    assert f"{tr('done')} Đã vận động 5 hộ hiến đất" in page


def test_member_cannot_assess_their_own_commitment(minh, minh_commitment):
    response = minh.client.post(
        reverse("documents:commitment_assess", args=[minh_commitment.pk]), {"done": "1", "note": "xong"}
    )

    assert response.status_code == 403
    minh_commitment.refresh_from_db()
    assert minh_commitment.done is None


@pytest.mark.parametrize("name", ["commitment_assess", "member_commitments", "cell_commitments"])
def test_another_cells_secretary_gets_404(tree, minh_commitment, name):
    other = persona(tree.tan_thanh, Role.SECRETARY)
    args = {
        "commitment_assess": [minh_commitment.pk],
        "member_commitments": [minh_commitment.member_id],
        "cell_commitments": ["phuoc-thanh"],
    }[name]

    response = other.client.get(reverse(f"documents:{name}", args=args))

    assert response.status_code == 404
    assert "Trần Văn Minh" not in response.content.decode()


def test_secretary_registers_for_a_member_without_an_account(cell_secretary, lan):
    response = cell_secretary.client.post(
        _commitments_url(lan), {"first": "Giữ vệ sinh đường làng", "second": ""}
    )

    assert response.url == reverse("documents:cell_commitments", args=["phuoc-thanh"]) + "?year=2024"
    assert list(Commitment.objects.values_list("member__person__full_name", "text")) == [
        ("Lê Thị Lan", "Giữ vệ sinh đường làng")
    ]


def test_commitments_page_is_only_for_cells(district_staff, tree):
    assert (
        district_staff.client.get(reverse("documents:cell_commitments", args=["an-khanh"])).status_code == 404
    )


@pytest.mark.parametrize("year", ["0", "99999", "abc"])
def test_commitments_pages_read_a_year_out_of_range_as_this_year(cell_secretary, minh, year):
    this_year = timezone.localdate().year

    cell_page = cell_secretary.client.get(
        reverse("documents:cell_commitments", args=["phuoc-thanh"]), {"year": year}
    )
    member_page = minh.client.get(
        reverse("documents:member_commitments", args=[minh.member.pk]), {"year": year}
    )

    assert (cell_page.status_code, cell_page.context["year"]) == (200, this_year)
    assert (member_page.status_code, member_page.context["year"]) == (200, this_year)
