"""People pages and forms as users in scope see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.org import services
from lantoa.org.models import Gender, Person, PositionTitle
from tests.conftest import BEFORE_THE_REFORM, page_text, tr
from tests.factories import PersonFactory, PositionFactory, member_in

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date


def _cells(member):
    return list(member.memberships.order_by("valid_from").values_list("unit__key", "valid_from", "valid_to"))


# --- people list -----------------------------------------------------------------------------


def test_people_lists_members_with_card_and_cell_today(district_staff, tree, hien):
    PersonFactory(full_name="Võ Văn Điển Hình", registered_unit=tree.an_khanh)

    response = district_staff.client.get(reverse("org:people"))

    rows = [(p.full_name, p.cell_name) for p in response.context["page"]]
    assert rows == [("Nguyễn Thanh Hiền", "Chi bộ Hội LHPN huyện"), ("Võ Văn Điển Hình", None)]
    text = page_text(response)
    assert f"Nguyễn Thanh Hiền 01/05/1980 {hien.card_number} Chi bộ Hội LHPN huyện" in text
    assert f"Võ Văn Điển Hình 01/05/1980 {tr('not a member')} —" in text


def test_people_shows_the_cell_of_today_after_a_transfer(district_staff, tree, hien):
    services.transfer_member(
        actor=district_staff.user, member=hien, to_unit=tree.phuoc_thanh, on=D(2024, 1, 1)
    )

    response = district_staff.client.get(reverse("org:people"))

    assert [(p.full_name, p.cell_key) for p in response.context["page"]] == [
        ("Nguyễn Thanh Hiền", "phuoc-thanh")
    ]


# --- person page -----------------------------------------------------------------------------


@pytest.mark.today(BEFORE_THE_REFORM)
def test_person_detail_shows_membership_cells_card_history_and_posts(district_staff, tree, hien):
    old_card = hien.card_number
    services.change_card_number(
        actor=district_staff.user, member=hien, new_number="0100123456", on=D(2025, 4, 15)
    )
    services.transfer_member(
        actor=district_staff.user, member=hien, to_unit=tree.phuoc_thanh, on=D(2024, 1, 1)
    )
    services.set_exemption(
        actor=district_staff.user, member=hien, valid_from=D(2025, 1, 1), valid_to=None, reason="Ốm dài ngày"
    )
    PositionFactory(
        person=hien.person, unit=tree.phuoc_thanh, title=PositionTitle.DEPUTY, valid_from=D(2024, 2, 1)
    )

    response = district_staff.client.get(reverse("org:person", args=[hien.person.public_id]))

    text = page_text(response)
    assert f"Nguyễn Thanh Hiền {tr('Full party member')} · Chi bộ ấp Phước Thạnh" in text
    assert f"15/04/2025: {old_card} → 0100123456" in text
    assert "Chi bộ ấp Phước Thạnh: 01/01/2024 – …" in text
    assert "Chi bộ Hội LHPN huyện: 01/01/2015 – 31/12/2023" in text
    assert "01/01/2025 – … Ốm dài ngày" in text
    assert f"{PositionTitle.DEPUTY.label} — Chi bộ ấp Phước Thạnh (01/02/2024 – …)" in text
    assert response.context["can_edit"] is True


def test_person_detail_as_of_a_date_before_full_membership_says_probationary(district_staff, hien):
    response = district_staff.client.get(
        reverse("org:person", args=[hien.person.public_id]), {"on": "01/06/2010"}
    )

    assert (response.context["is_full"], response.context["current"]) == (False, None)
    assert tr("Probationary party member") in page_text(response)


def test_person_detail_for_a_read_only_role_offers_no_changes(council_member, hien):
    response = council_member.client.get(reverse("org:person", args=[hien.person.public_id]))

    assert response.context["can_edit"] is False
    assert reverse("org:person_edit", args=[hien.person.public_id]) not in response.content.decode()


def test_person_detail_of_a_non_member_says_so(district_staff, tree):
    citizen = PersonFactory(full_name="Võ Văn Điển Hình", registered_unit=tree.an_khanh)

    response = district_staff.client.get(reverse("org:person", args=[citizen.public_id]))

    assert tr("Not a party member") in page_text(response)
    assert response.context["member"] is None


# --- edit ------------------------------------------------------------------------------------


@pytest.mark.today(BEFORE_THE_REFORM)
def test_person_edit_changes_the_name_and_records_it(district_staff, hien):
    url = reverse("org:person_edit", args=[hien.person.public_id])

    response = district_staff.client.post(
        url,
        {"full_name": "Nguyễn Thanh Hiển", "birth_date": "01/05/1980", "gender": Gender.FEMALE, "phone": ""},
    )

    assert response["Location"] == reverse("org:person", args=[hien.person.public_id])
    hien.person.refresh_from_db()
    assert (hien.person.full_name, hien.person.gender) == ("Nguyễn Thanh Hiển", Gender.FEMALE)
    detail = page_text(district_staff.client.get(response["Location"]))
    assert "Nguyễn Thanh Hiền → Nguyễn Thanh Hiển" in detail


@pytest.mark.today(BEFORE_THE_REFORM)
def test_person_edit_without_sensitive_rights_has_no_sensitive_fields_and_ignores_them(district_staff, hien):
    url = reverse("org:person_edit", args=[hien.person.public_id])

    form = district_staff.client.get(url).context["form"]
    district_staff.client.post(
        url,
        {
            "full_name": "Nguyễn Thanh Hiền",
            "birth_date": "01/05/1980",
            "religion": "Không",
            "id_number": "000000000",
        },
    )

    assert list(form.fields) == ["full_name", "birth_date", "gender", "phone"]
    hien.person.refresh_from_db()
    assert (hien.person.religion, hien.person.id_number) == ("Phật giáo", "083123456789")


def test_person_edit_for_the_cells_secretary_includes_sensitive_fields(women_secretary, hien):
    form = women_secretary.client.get(reverse("org:person_edit", args=[hien.person.public_id])).context[
        "form"
    ]

    assert list(form.fields) == [
        "full_name",
        "birth_date",
        "gender",
        "phone",
        "ethnicity",
        "religion",
        "id_number",
        "health_note",
    ]
    assert form["religion"].value() == "Phật giáo"


def test_person_edit_refuses_a_malformed_citizen_id_by_the_field(women_secretary, hien):
    response = women_secretary.client.post(
        reverse("org:person_edit", args=[hien.person.public_id]),
        {"full_name": "Nguyễn Thanh Hiền", "id_number": "08312345"},
    )

    message = tr("A citizen ID number has 12 digits (old ID cards: 9).")
    assert response.context["form"].errors == {"id_number": [message]}
    assert message in page_text(response)
    hien.person.refresh_from_db()
    assert hien.person.id_number == "083123456789"


@pytest.mark.today(BEFORE_THE_REFORM)
def test_person_edit_refuses_a_blank_name(district_staff, hien):
    response = district_staff.client.post(
        reverse("org:person_edit", args=[hien.person.public_id]), {"full_name": " "}
    )

    assert response.context["form"].errors == {"full_name": [tr("This field is required.")]}


# --- new member ------------------------------------------------------------------------------


def _member_data(**overrides):
    data = {
        "p-full_name": "Trần Thị Mới",
        "p-birth_date": "02/09/1995",
        "p-gender": Gender.FEMALE,
        "p-phone": "",
        "p-ethnicity": "Kinh",
        "p-religion": "",
        "p-id_number": "083195000111",
        "p-health_note": "",
        "m-card_number": "81000001",
        "m-admitted_on": "03/02/2024",
        "m-full_member_on": "",
        "m-joined_cell_on": "",
    }
    return {**data, **overrides}


def test_member_create_admits_a_new_member_into_the_cell(district_staff, tree):
    response = district_staff.client.post(reverse("org:member_create", args=["hoi-lhpn"]), _member_data())

    person = Person.objects.get(full_name="Trần Thị Mới")
    assert response["Location"] == reverse("org:person", args=[person.public_id])
    assert (person.registered_unit, person.id_number, person.search_text) == (
        tree.women,
        "083195000111",
        "tran thi moi",
    )
    assert (person.party_member.card_number, _cells(person.party_member)) == (
        "81000001",
        [("hoi-lhpn", D(2024, 2, 3), None)],
    )
    followed = district_staff.client.get(response["Location"])
    assert tr("Member %(name)s added.", name="Trần Thị Mới") in page_text(followed)


def test_member_create_refuses_a_card_number_in_use_by_the_field(district_staff, hien):
    response = district_staff.client.post(
        reverse("org:member_create", args=["hoi-lhpn"]), _member_data(**{"m-card_number": hien.card_number})
    )

    message = tr("Party card number %(number)s belongs to another member.", number=hien.card_number)
    assert response.context["member_form"].errors == {"card_number": [message]}
    assert message in page_text(response)
    assert not Person.objects.filter(full_name="Trần Thị Mới").exists()


def test_member_create_refuses_full_membership_before_admission_by_the_field(district_staff, tree):
    response = district_staff.client.post(
        reverse("org:member_create", args=["hoi-lhpn"]), _member_data(**{"m-full_member_on": "01/01/2024"})
    )

    assert response.context["member_form"].errors == {
        "full_member_on": [tr("The date of full membership is before the date of admission.")]
    }
    assert not Person.objects.filter(full_name="Trần Thị Mới").exists()


def test_member_create_needs_a_name_and_an_admission_date(district_staff, tree):
    response = district_staff.client.post(
        reverse("org:member_create", args=["hoi-lhpn"]),
        _member_data(**{"p-full_name": "", "m-admitted_on": ""}),
    )

    required = tr("This field is required.")
    assert response.context["person_form"].errors == {"full_name": [required]}
    assert response.context["member_form"].errors == {"admitted_on": [required]}


def test_member_create_in_a_committee_sends_back_to_the_unit(district_staff, tree):
    response = district_staff.client.get(reverse("org:member_create", args=["an-khanh"]), follow=True)

    assert response.redirect_chain == [(reverse("org:unit", args=["an-khanh"]), 302)]
    assert tr("Members belong to a cell; open the cell first.") in page_text(response)


# --- transfer, card, posts -------------------------------------------------------------------


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_transfer_offers_open_cells_in_scope_only(district_staff, tree, hien):
    services.close_unit(actor=district_staff.user, unit=tree.tan_thanh, last_day=D(2024, 12, 31))

    form = district_staff.client.get(reverse("org:member_transfer", args=[hien.person.public_id])).context[
        "form"
    ]

    assert sorted(unit.key for unit in form.fields["to_unit"].queryset) == ["hoi-lhpn", "phuoc-thanh"]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_transfer_moves_the_member(district_staff, tree, hien):
    response = district_staff.client.post(
        reverse("org:member_transfer", args=[hien.person.public_id]),
        {"to_unit": "phuoc-thanh", "on": "01/09/2024"},
    )

    assert response["Location"] == reverse("org:person", args=[hien.person.public_id])
    assert _cells(hien) == [("hoi-lhpn", D(2015, 1, 1), D(2024, 8, 31)), ("phuoc-thanh", D(2024, 9, 1), None)]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_transfer_to_a_committee_is_refused_by_the_field(district_staff, tree, hien):
    response = district_staff.client.post(
        reverse("org:member_transfer", args=[hien.person.public_id]),
        {"to_unit": "an-khanh", "on": "01/09/2024"},
    )

    assert list(response.context["form"].errors) == ["to_unit"]
    assert _cells(hien) == [("hoi-lhpn", D(2015, 1, 1), None)]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_transfer_into_the_same_cell_says_why(district_staff, tree, hien):
    response = district_staff.client.post(
        reverse("org:member_transfer", args=[hien.person.public_id]),
        {"to_unit": "hoi-lhpn", "on": "01/09/2024"},
    )

    message = tr("The member already belongs to %(unit)s.", unit="Chi bộ Hội LHPN huyện")
    assert response.context["form"].errors == {"__all__": [message]}
    assert message in page_text(response)


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_card_changes_the_number_and_keeps_the_old_one(district_staff, hien):
    old = hien.card_number

    response = district_staff.client.post(
        reverse("org:member_card", args=[hien.person.public_id]),
        {"new_number": "0100123456", "on": "15/08/2025", "reason": "Chỉ thị 51"},
    )

    assert response["Location"] == reverse("org:person", args=[hien.person.public_id])
    hien.refresh_from_db()
    assert hien.card_number == "0100123456"
    assert f"15/08/2025: {old} → 0100123456 (Chỉ thị 51)" in page_text(
        district_staff.client.get(response["Location"])
    )


@pytest.mark.today(BEFORE_THE_REFORM)
def test_member_card_of_another_members_number_is_refused_by_the_field(district_staff, tree, hien):
    member_in(tree.women, card_number="82000002")

    response = district_staff.client.post(
        reverse("org:member_card", args=[hien.person.public_id]),
        {"new_number": "82000002", "on": "15/08/2025"},
    )

    message = tr("Party card number %(number)s belongs to another member.", number="82000002")
    assert response.context["form"].errors == {"new_number": [message]}
    assert message in page_text(response)


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_create_records_the_post(district_staff, tree, hien):
    response = district_staff.client.post(
        reverse("org:position_create", args=[hien.person.public_id]),
        {"unit": "hoi-lhpn", "title": PositionTitle.SECRETARY, "valid_from": "01/10/2020", "valid_to": ""},
    )

    assert response["Location"] == reverse("org:person", args=[hien.person.public_id])
    assert list(hien.person.positions.values_list("unit__key", "title", "valid_from", "valid_to")) == [
        ("hoi-lhpn", PositionTitle.SECRETARY, D(2020, 10, 1), None)
    ]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_create_refuses_an_end_before_the_start_by_the_field(district_staff, hien):
    response = district_staff.client.post(
        reverse("org:position_create", args=[hien.person.public_id]),
        {
            "unit": "hoi-lhpn",
            "title": PositionTitle.SECRETARY,
            "valid_from": "01/10/2020",
            "valid_to": "30/09/2020",
        },
    )

    message = tr("The end date is before the start date.")
    assert response.context["form"].errors == {"valid_to": [message]}
    assert message in page_text(response)
    assert hien.person.positions.count() == 0


def test_position_create_offers_only_units_where_people_may_be_changed(cell_secretary, tree):
    leader = PositionFactory(unit=tree.phuoc_thanh).person

    form = cell_secretary.client.get(reverse("org:position_create", args=[leader.public_id])).context["form"]

    assert [unit.key for unit in form.fields["unit"].queryset] == ["phuoc-thanh"]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_end_asks_first_naming_the_person_the_post_and_the_unit(district_staff, tree, hien):
    post = PositionFactory(person=hien.person, unit=tree.women, valid_from=D(2020, 1, 1))
    person_url = reverse("org:person", args=[hien.person.public_id])
    end_url = reverse("org:position_end", args=[hien.person.public_id, post.pk])

    page = district_staff.client.get(person_url)
    question = district_staff.client.get(end_url)

    assert f'href="{end_url}"' in page.content.decode()
    text = page_text(question)
    assert (
        tr(
            "End the post “%(post)s” of %(name)s in %(unit)s today, %(date)s?",
            post=str(PositionTitle.SECRETARY.label),
            name="Nguyễn Thanh Hiền",
            unit="Chi bộ Hội LHPN huyện",
            date=timezone.localdate().strftime("%d/%m/%Y"),
        )
        in text
    )
    assert f"{tr('End the post')} {tr('Cancel')}" in text
    assert f'href="{person_url}"' in question.content.decode()
    post.refresh_from_db()
    assert post.valid_to is None


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_end_of_a_post_already_ended_says_so(district_staff, tree, hien):
    post = PositionFactory(
        person=hien.person, unit=tree.women, valid_from=D(2020, 1, 1), valid_to=D(2021, 1, 1)
    )

    response = district_staff.client.post(
        reverse("org:position_end", args=[hien.person.public_id, post.pk]), follow=True
    )

    assert tr("This post has already ended.") in page_text(response)
    post.refresh_from_db()
    assert post.valid_to == D(2021, 1, 1)


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_end_ends_the_post_today(district_staff, tree, hien):
    post = PositionFactory(person=hien.person, unit=tree.women, valid_from=D(2020, 1, 1))

    response = district_staff.client.post(
        reverse("org:position_end", args=[hien.person.public_id, post.pk]), follow=True
    )

    post.refresh_from_db()
    assert post.valid_to == timezone.localdate()
    assert response.redirect_chain == [(reverse("org:person", args=[hien.person.public_id]), 302)]
    assert tr("Post ended.") in page_text(response)


@pytest.mark.today(BEFORE_THE_REFORM)
def test_position_end_of_a_post_starting_tomorrow_explains(district_staff, tree, hien):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    post = PositionFactory(person=hien.person, unit=tree.women, valid_from=tomorrow)

    response = district_staff.client.post(
        reverse("org:position_end", args=[hien.person.public_id, post.pk]), follow=True
    )

    assert tr("A post cannot end before it began.") in page_text(response)
    post.refresh_from_db()
    assert post.valid_to is None


@pytest.mark.parametrize(
    "name", ["org:person_edit", "org:member_transfer", "org:member_card", "org:position_create"]
)
@pytest.mark.today(BEFORE_THE_REFORM)
def test_person_forms_name_the_person(district_staff, hien, name):
    response = district_staff.client.get(reverse(name, args=[hien.person.public_id]))

    assert response.context["person"] == hien.person
    assert "Nguyễn Thanh Hiền" in page_text(response)


# --- links and history panels ----------------------------------------------------------------


def _unit_hrefs(response):
    html = response.content.decode()
    prefix = reverse("org:unit", args=["KEY"]).replace("KEY/", "")
    keys = {part.split('"')[0].split("?")[0].strip("/") for part in html.split(f'href="{prefix}')[1:]}
    return {key for key in keys if key and "/" not in key}


def test_person_page_names_cells_and_posts_outside_scope_without_a_link(cell_secretary, tree):
    mover = member_in(tree.other_cell, name="Lê Văn Chuyển Về", since=D(2015, 1, 1))
    mover.memberships.update(valid_to=D(2023, 12, 31))
    mover.memberships.create(unit=tree.phuoc_thanh, valid_from=D(2024, 1, 1))
    PositionFactory(person=mover.person, unit=tree.an_khanh, title=PositionTitle.COMMITTEE_MEMBER)

    response = cell_secretary.client.get(reverse("org:person", args=[mover.person.public_id]))

    text = page_text(response)
    assert "Chi bộ ấp Giồng: 01/01/2015 – 31/12/2023" in text
    assert f"{PositionTitle.COMMITTEE_MEMBER.label} — Đảng ủy xã An Khánh" in text
    assert _unit_hrefs(response) == {"phuoc-thanh"}


def test_people_list_links_the_cell_only_when_the_reader_may_open_it(cell_secretary, tree):
    leader = member_in(tree.other_cell, name="Lê Văn Ở Xa")
    PositionFactory(person=leader.person, unit=tree.phuoc_thanh, title=PositionTitle.COMMITTEE_MEMBER)
    member_in(tree.phuoc_thanh, name="Lê Văn Ở Gần")

    response = cell_secretary.client.get(reverse("org:people"))

    assert [(p.full_name, p.cell_name) for p in response.context["page"]] == [
        ("Lê Văn Ở Gần", "Chi bộ ấp Phước Thạnh"),
        ("Lê Văn Ở Xa", "Chi bộ ấp Giồng"),
    ]
    assert _unit_hrefs(response) == {"phuoc-thanh"}


def test_person_page_titles_its_two_history_panels(district_staff, hien):
    services.update_person(actor=district_staff.user, person=hien.person, phone="0909")
    services.change_card_number(
        actor=district_staff.user, member=hien, new_number="0100123456", on=D(2025, 8, 1)
    )

    text = page_text(district_staff.client.get(reverse("org:person", args=[hien.person.public_id])))

    assert f"{tr('History of changes – personal data')} (1)" in text
    assert f"{tr('History of changes – party membership')} (1)" in text
    assert f"{tr('History of changes')} (1)" not in text
