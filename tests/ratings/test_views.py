"""The rating pages as their users work them: the cell's secretary records the review, the
commune's secretary decides with the quota in view, a member reads only their own rating, and
nobody outside reads anything; the target page counts the labels."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.audit.models import AuditEntry
from lantoa.documents.models import Term
from lantoa.org.models import Role, Unit
from lantoa.ratings import services
from lantoa.ratings.models import (
    AwardToReview,
    Discipline,
    Indicator,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    TermTarget,
    UnitLabel,
)
from tests.conftest import BEFORE_THE_REFORM, D, page_text, persona, tr
from tests.factories import UnitFactory, member_in

# The 2024 round, decided in December 2024, while Huyện ủy Châu Thành stood.
pytestmark = pytest.mark.today(D(2024, 12, 20))


@pytest.fixture
def cell_members(tree):
    """Ten members of Chi bộ ấp Phước Thạnh."""
    return [member_in(tree.phuoc_thanh, name=f"Đảng viên {i:02d}") for i in range(10)]


@pytest.fixture
def commune_secretary(tree):
    return persona(tree.an_khanh, Role.SECRETARY)


def _review(members, levels, *, day="15/12/2024"):
    data = {"review": "1", "day": day, "votes": "10/10 đảng viên có mặt tán thành"}
    for member, level in zip(members, levels, strict=True):
        data[f"self-{member.pk}"] = level
        data[f"proposal-{member.pk}"] = level
    return data


def _url(unit, year=2024):
    return reverse("ratings:unit_year", kwargs={"key": unit.key, "year": str(year)})


def test_the_secretary_records_the_cells_review_in_one_go(tree, cell_secretary, cell_members):
    levels = [Level.EXCELLENT] + [Level.GOOD] * 8 + [Level.DONE]

    response = cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members, levels))

    assert response.status_code == 302
    ratings = Rating.objects.filter(unit=tree.phuoc_thanh, year=2024)
    assert ratings.count() == 10
    assert {r.status for r in ratings} == {RatingStatus.PROPOSED}
    assert sorted(r.proposed_level for r in ratings) == sorted(levels)
    assert {r.quota_unit_id for r in ratings} == {tree.an_khanh.pk}  # the commune decides
    assert AuditEntry.objects.filter(target_type__model="rating").count() >= 10


def test_a_wrong_row_refuses_the_whole_review_naming_the_member(tree, cell_secretary, cell_members):
    data = _review(cell_members[:2], [Level.GOOD, Level.GOOD])
    data[f"proposal-{cell_members[1].pk}"] = "best"  # not a level

    response = cell_secretary.client.post(_url(tree.phuoc_thanh), data)

    assert response.status_code == 400
    assert "Đảng viên 01" in page_text(response)
    assert not Rating.objects.filter(proposed_level=Level.GOOD).exists()  # nothing half-written


def test_the_commune_sees_the_quota_before_deciding_and_must_justify_going_over(
    tree, cell_secretary, commune_secretary, cell_members
):
    # 2 proposed at the top level, 7 at the second: 20% of 7 allows 1.
    levels = [Level.EXCELLENT] * 2 + [Level.GOOD] * 7 + [Level.DONE]
    cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members, levels))

    shown = commune_secretary.client.get(_url(tree.an_khanh))

    assert shown.status_code == 200
    text = page_text(shown)
    assert "Đảng viên 00" in text
    assert "at most 1" in text or "tối đa 1" in text

    ratings = Rating.objects.filter(unit=tree.phuoc_thanh, year=2024)
    decision = {"decide": "1", "day": "20/12/2024", "document": "Quyết định số 45-QĐ/ĐU ngày 20/12/2024"}
    decision |= {f"level-{r.pk}": r.proposed_level for r in ratings}

    refused = commune_secretary.client.post(_url(tree.an_khanh), decision)

    assert refused.status_code == 400
    assert not Rating.objects.filter(status=RatingStatus.DECIDED).exists()

    decision["quota_override"] = "Hai đồng chí có thành tích đột xuất trong phòng chống thiên tai."
    decided = commune_secretary.client.post(_url(tree.an_khanh), decision)

    assert decided.status_code == 302
    assert Rating.objects.filter(status=RatingStatus.DECIDED).count() == 10
    top = Rating.objects.filter(level=Level.EXCELLENT)
    assert top.count() == 2
    assert all("thiên tai" in r.quota_override for r in top)
    assert not Rating.objects.filter(level=Level.GOOD).exclude(quota_override="").exists()


def test_checking_writes_nothing(tree, cell_secretary, commune_secretary, cell_members):
    cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members, [Level.GOOD] * 10))
    before = AuditEntry.objects.count()
    data = {
        "check": "1",
        "day": "20/12/2024",
        "document": "x",
        f"level-u{tree.phuoc_thanh.pk}": Level.EXCELLENT,
    }
    data |= {f"level-{r.pk}": Level.GOOD for r in Rating.objects.filter(unit=tree.phuoc_thanh)}

    response = commune_secretary.client.post(_url(tree.an_khanh), data)

    assert response.status_code == 200
    assert AuditEntry.objects.count() == before
    assert not Rating.objects.filter(subject_unit=tree.phuoc_thanh).exists()  # opened to check, not kept


def test_the_cell_secretary_cannot_decide_and_does_not_see_the_commune(tree, cell_secretary, cell_members):
    response = cell_secretary.client.get(_url(tree.an_khanh))

    assert response.status_code == 404

    page = cell_secretary.client.get(_url(tree.phuoc_thanh))
    assert 'name="decide"' not in page.content.decode()  # no deciding form on the cell's own page


def test_a_member_reads_only_their_own_rating(tree, cell_members, cell_secretary):
    cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members, [Level.GOOD] * 10))
    me = cell_members[3]
    member = persona(tree.phuoc_thanh, Role.MEMBER)
    me.person.user = member.user
    me.person.save()

    own = member.client.get(_url(tree.phuoc_thanh))
    mate_rating = Rating.objects.get(member=cell_members[4])
    mate = member.client.get(reverse("ratings:rating", kwargs={"public_id": mate_rating.public_id}))
    mine = member.client.get(
        reverse("ratings:rating", kwargs={"public_id": Rating.objects.get(member=me).public_id})
    )

    assert own.status_code == 200
    assert "Đảng viên 03" in page_text(own)
    assert "Đảng viên 04" not in page_text(own)
    assert mate.status_code == 404
    assert mine.status_code == 200


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outside_the_area_nothing_is_read(tree, cell_members, cell_secretary, outsider, anonymous, who):
    cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members, [Level.GOOD] * 10))
    rating = Rating.objects.first()
    client = outsider.client if who == "outsider" else anonymous
    urls = [
        _url(tree.phuoc_thanh),
        _url(tree.an_khanh),
        reverse("ratings:rating", kwargs={"public_id": rating.public_id}),
        reverse("ratings:targets", kwargs={"key": "chau-thanh"}),
    ]
    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert "/login" in response["Location"]
        else:
            assert response.status_code == 404
            assert "Đảng viên" not in response.content.decode()


def test_the_committee_page_reads_in_a_fixed_number_of_queries(tree, cell_secretary, commune_secretary):
    def queries_for(count):
        members = [member_in(tree.phuoc_thanh) for _ in range(count)]
        cell_secretary.client.post(_url(tree.phuoc_thanh), _review(members, [Level.GOOD] * count))
        with CaptureQueriesContext(connection) as captured:
            response = commune_secretary.client.get(_url(tree.an_khanh))
        assert response.status_code == 200
        return len(captured)

    assert queries_for(3) == queries_for(30)


def test_a_discipline_re_rates_the_year_and_says_so(tree, cell_secretary, commune_secretary, cell_members):
    cell_secretary.client.post(_url(tree.phuoc_thanh), _review(cell_members[:5], [Level.GOOD] * 5))
    data = {"decide": "1", "day": "20/12/2024", "document": "Quyết định số 45-QĐ/ĐU"}
    data |= {f"level-{r.pk}": Level.GOOD for r in Rating.objects.all()}
    commune_secretary.client.post(_url(tree.an_khanh), data)
    rating = Rating.objects.get(member=cell_members[0])
    url = reverse("ratings:discipline_create", kwargs={"public_id": rating.public_id})

    response = commune_secretary.client.post(
        url,
        {
            "form": "reprimand",
            "decided_on": "20/12/2024",
            "document": "QĐ 50-QĐ/ĐU",
            "reason": "Vi phạm quy định",
        },
        follow=True,
    )

    assert response.status_code == 200
    rating.refresh_from_db()
    assert (rating.level, rating.rerated_from) == (Level.NOT_DONE, Level.GOOD)
    assert Discipline.objects.filter(member=cell_members[0], year=2024).exists()
    assert cell_secretary.client.get(url).status_code == 403  # the cell does not discipline


def test_the_target_page_counts_the_labels_and_opens_the_cells(tree, district_staff):
    term = Term.objects.create(unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    label = LabelKind.objects.get(code="tsvm-toan-dien")
    TermTarget.objects.create(
        term=term,
        text="3 chi bộ ấp đạt trong sạch, vững mạnh toàn diện",
        indicator=Indicator.CELLS_LABELLED,
        label=label,
        target=3,
        measure="chi bộ",
    )
    Unit.objects.filter(pk__in=[tree.phuoc_thanh.pk, tree.tan_thanh.pk]).update(residential=True)
    for cell, body in ((tree.phuoc_thanh, tree.an_khanh), (tree.tan_thanh, tree.tan_thach)):
        UnitLabel.objects.create(
            unit=cell, kind=label, year=2024, granted_on=D(2024, 12, 18), granted_by=body
        )

    response = district_staff.client.get(reverse("ratings:targets", kwargs={"key": "chau-thanh"}))

    text = page_text(response)
    assert "66,67%" in text  # 2 of 3
    drill = district_staff.client.get(
        reverse("ratings:targets", kwargs={"key": "chau-thanh"}),
        {"term": term.pk, "target": TermTarget.objects.get().pk, "year": 2024},
    )
    assert "Chi bộ ấp Phước Thạnh" in page_text(drill)
    assert "Chi bộ ấp Tân Thạnh" in page_text(drill)


@pytest.mark.today(BEFORE_THE_REFORM)
def test_an_entered_actual_takes_a_decimal_comma_and_its_evidence(tree, district_staff):
    term = Term.objects.create(unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    target = TermTarget.objects.create(
        term=term, text="Chi bộ sinh hoạt chuyên đề", indicator=Indicator.ENTERED, target=100, measure="%"
    )
    url = reverse("ratings:actual_enter", kwargs={"target_id": target.pk})

    response = district_staff.client.post(
        url, {"year": "2024", "value": "98,5", "evidence": "Báo cáo 210-BC/HU"}
    )

    assert response.status_code == 302
    page = page_text(district_staff.client.get(reverse("ratings:targets", kwargs={"key": "chau-thanh"})))
    assert "98,5" in page
    assert "Báo cáo 210-BC/HU" in page


def test_flagged_rewards_show_on_the_rating(tree, commune_secretary):
    # No reward in this small world: the rating page still lists nothing to review.
    member = member_in(tree.phuoc_thanh, name="Đảng viên Kỷ Luật")
    rating = services.open_member_rating(member=member, year=2024)
    response = commune_secretary.client.get(reverse("ratings:rating", kwargs={"public_id": rating.public_id}))
    assert response.status_code == 200
    assert not AwardToReview.objects.exists()


def test_a_refused_label_names_the_field_and_keeps_what_was_chosen(tree, commune_secretary):
    url = reverse("ratings:labels", kwargs={"key": "an-khanh", "year": "2024"})
    kind = LabelKind.objects.get(code="tsvm-toan-dien")

    response = commune_secretary.client.post(
        url, {"kind": kind.pk, "units": [tree.phuoc_thanh.pk], "day": "20/12/2024", "document": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert tr("Decision or notice") + ":" in page_text(response)
    assert f'value="{tree.phuoc_thanh.pk}" id="label-u{tree.phuoc_thanh.pk}" checked' in html
    assert not UnitLabel.objects.exists()


def test_the_district_rates_a_commune_and_its_committee_apart(tree, district_staff):
    page = district_staff.client.get(_url(tree.district))
    text = page_text(page)
    assert tree.an_khanh.name in text
    assert tr("Committee of %(unit)s", unit=tree.an_khanh.name) in text

    response = district_staff.client.post(
        _url(tree.district),
        {
            "decide": "1",
            "day": "20/12/2024",
            "document": "Quyết định số 120-QĐ/HU",
            f"level-u{tree.an_khanh.pk}": Level.GOOD,
            f"level-l{tree.an_khanh.pk}": Level.DONE,
        },
    )

    assert response.status_code == 302
    decided = dict(Rating.objects.filter(subject_unit=tree.an_khanh).values_list("subject_kind", "level"))
    assert decided == {"organisation": Level.GOOD, "leadership": Level.DONE}


def test_the_cells_page_reads_in_a_fixed_number_of_queries(tree, cell_secretary):
    def queries_for(count):
        members = [member_in(tree.phuoc_thanh) for _ in range(count)]
        cell_secretary.client.post(_url(tree.phuoc_thanh), _review(members, [Level.GOOD] * count))
        with CaptureQueriesContext(connection) as captured:
            assert cell_secretary.client.get(_url(tree.phuoc_thanh)).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(20)


def test_the_target_page_reads_in_a_fixed_number_of_queries(tree, district_staff):
    term = Term.objects.create(unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    label = LabelKind.objects.get(code="tsvm-toan-dien")
    TermTarget.objects.create(
        term=term,
        text="Chi bộ ấp",
        indicator=Indicator.CELLS_LABELLED,
        label=label,
        target=3,
        measure="chi bộ",
    )
    url = reverse("ratings:targets", kwargs={"key": "chau-thanh"})

    def queries_for(count):
        for number in range(count):
            cell = UnitFactory(name=f"Chi bộ ấp Mới {count}-{number}", parent=tree.an_khanh, residential=True)
            UnitLabel.objects.create(
                unit=cell, kind=label, year=2024, granted_on=D(2024, 12, 18), granted_by=tree.an_khanh
            )
        with CaptureQueriesContext(connection) as captured:
            assert district_staff.client.get(url).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(12)
