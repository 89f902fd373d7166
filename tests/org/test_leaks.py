"""Data that must not reach the wrong screen: people of another district, and sensitive fields
(ethnicity, religion, ID number, health) for roles that do not need them. Each test seeds the
data that could leak and looks for it in the HTML."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.org import services
from lantoa.org.models import Person, Role
from tests.conftest import BEFORE_THE_REFORM, D, heading, page_text, persona, tr

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

HIEN_SECRETS = ["083123456789", "Phật giáo"]
STRANGER_SECRETS = ["Lê Thị Bí Mật", "99000111", "083999888777", "Cao Đài", "Bệnh tim bẩm sinh"]


def _html(response) -> str:
    return response.content.decode()


def _masked_values(response) -> list[str]:
    return re.findall(r'<dd class="col-sm-8 lt-sensitive">(.*?)</dd>', _html(response))


def _sensitive_entries():
    return list(
        AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).values_list(
            "actor_id", "target_id", "unit__key"
        )
    )


# --- another district ------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "le thi", "bi mat", "99000111", "083999888777"])
def test_people_search_never_shows_another_districts_people(district_staff, hien, stranger, query):
    response = district_staff.client.get(reverse("org:people"), {"q": query} if query else None)

    html = _html(response)
    # The results, between the search box and the footer (both echo the query back).
    results = html[html.index("</form>", html.index('role="search"')) : html.index("<footer")]
    for secret in STRANGER_SECRETS:
        assert secret not in results
    assert [p.full_name for p in response.context["page"]] == (["Nguyễn Thanh Hiền"] if query == "" else [])


def test_people_of_the_outsider_are_only_their_own(outsider, hien, stranger):
    response = outsider.client.get(reverse("org:people"))

    assert [p.full_name for p in response.context["page"]] == ["Lê Thị Bí Mật"]
    assert "Nguyễn Thanh Hiền" not in _html(response)


def test_person_page_of_another_district_is_404_without_the_name(district_staff, stranger):
    response = district_staff.client.get(reverse("org:person", args=[stranger.person.public_id]))

    assert response.status_code == 404
    for secret in STRANGER_SECRETS:
        assert secret not in _html(response)


def test_unit_page_of_another_district_is_404_without_its_members(district_staff, stranger):
    response = district_staff.client.get(reverse("org:unit", args=["ap-giong"]))

    assert response.status_code == 404
    assert "Lê Thị Bí Mật" not in _html(response)
    assert "Chi bộ ấp Giồng" not in _html(response)


def test_tree_of_the_outsider_holds_only_their_cell(outsider, tree):
    response = outsider.client.get(reverse("org:tree"), {"on": "01/01/2024"})

    assert [node["unit"].name for node in response.context["nodes"]] == ["Chi bộ ấp Giồng"]
    html = _html(response)
    for name in ["Châu Thành", "An Khánh", "Tân Thạch", "Phước Thạnh", "Hội LHPN", "Giồng Trôm"]:
        assert name not in html


def test_tree_of_the_district_does_not_show_the_other_district(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree"), {"on": "01/01/2024"})
    html = _html(response)

    assert heading(response) == tr("Units")
    assert "Chi bộ ấp Phước Thạnh" in page_text(response)  # the tree is there, only the neighbour is not
    assert "Giồng Trôm" not in html
    assert "Chi bộ ấp Giồng" not in html


def test_unit_search_does_not_find_units_out_of_scope(district_staff, tree):
    response = district_staff.client.get(reverse("org:tree"), {"q": "giong"})

    assert list(response.context["page"]) == []
    assert "Chi bộ ấp Giồng" not in _html(response)


def test_people_unit_list_does_not_offer_units_out_of_scope(outsider, tree):
    response = outsider.client.get(reverse("org:people"), {"q": "an khanh"})

    assert response.context["units"] == []
    assert "Đảng ủy xã An Khánh" not in _html(response)


def test_home_of_the_outsider_names_nothing_of_chau_thanh(outsider, hien):
    response = outsider.client.get(reverse("web:home"))
    html = _html(response)

    assert heading(response) == tr("Hello, %(name)s", name=outsider.user.username)
    assert "Chi bộ ấp Giồng" in page_text(response)  # their own cell
    for name in ["Châu Thành", "An Khánh", "Nguyễn Thanh Hiền"]:
        assert name not in html


# --- sensitive fields ------------------------------------------------------------------------


def test_person_page_masks_sensitive_fields_for_propaganda_staff(district_staff, hien):
    response = district_staff.client.get(reverse("org:person", args=[hien.person.public_id]))

    html = _html(response)
    for secret in [*HIEN_SECRETS, ">Kinh<"]:
        assert secret not in html
    # One fixed mask whatever the value's length, and whether there is a value (health is empty).
    assert _masked_values(response) == ["••••••", "••••••", "••••••", "••••••"]
    assert tr("Hidden: your role does not need these fields.") in page_text(response)


def test_person_page_masks_sensitive_fields_for_the_council(council_member, hien):
    response = council_member.client.get(reverse("org:person", args=[hien.person.public_id]))

    for secret in HIEN_SECRETS:
        assert secret not in _html(response)
    assert _masked_values(response) == ["••••••", "••••••", "••••••", "••••••"]


def test_person_page_hides_sensitive_fields_until_the_secretary_asks(women_secretary, hien):
    response = women_secretary.client.get(reverse("org:person", args=[hien.person.public_id]))

    html = _html(response)
    for secret in HIEN_SECRETS:
        assert secret not in html
    assert f'hx-get="{reverse("org:person_sensitive", args=[hien.person.public_id])}"' in html
    assert _sensitive_entries() == []


# Before Huyện ủy Châu Thành closed (30/6/2025): after, its staff only read, and a 403 page would
# carry no value either.
@pytest.mark.today(D(2025, 3, 1))
def test_person_edit_for_propaganda_staff_does_not_carry_sensitive_values(district_staff, hien):
    response = district_staff.client.get(reverse("org:person_edit", args=[hien.person.public_id]))
    html = _html(response)

    assert heading(response) == f"{tr('Edit personal data')}: Nguyễn Thanh Hiền"
    assert response.context["form"]["full_name"].value() == "Nguyễn Thanh Hiền"
    for secret in HIEN_SECRETS:
        assert secret not in html


def test_unit_page_lists_members_without_sensitive_fields(district_staff, hien):
    response = district_staff.client.get(reverse("org:unit", args=["hoi-lhpn"]))

    html = _html(response)
    assert "Nguyễn Thanh Hiền" in html
    for secret in HIEN_SECRETS:
        assert secret not in html


@pytest.mark.parametrize("who", ["district_staff", "women_secretary", "council_member"])
def test_history_on_the_person_page_masks_sensitive_before_and_after(request, admin_persona, hien, who):
    services.update_person(
        actor=admin_persona.user, person=hien.person, religion="Công giáo", phone="0909000111"
    )
    client = request.getfixturevalue(who).client

    response = client.get(reverse("org:person", args=[hien.person.public_id]))

    html = _html(response)
    for secret in ["Phật giáo", "Công giáo"]:
        assert secret not in html
    changes = [(c["before"], c["after"]) for item in response.context["audit"] for c in item["changes"]]
    assert sorted(changes) == [("", "0909000111"), ("•••", "•••")]


def test_history_of_a_new_member_masks_the_sensitive_values_typed_in(district_staff, tree):
    district_staff.client.post(
        reverse("org:member_create", args=["hoi-lhpn"]),
        {
            "p-full_name": "Trần Thị Mới",
            "p-ethnicity": "Khmer",
            "p-id_number": "083195000111",
            "m-admitted_on": "03/02/2024",
        },
    )
    person = Person.objects.get(full_name="Trần Thị Mới")

    response = district_staff.client.get(reverse("org:person", args=[person.public_id]))
    html = _html(response)

    assert heading(response) == "Trần Thị Mới"
    afters = {c["field"]: c["after"] for item in response.context["audit"] for c in item["changes"]}
    typed = (afters[tr("full name")], afters[tr("ethnicity")], afters[tr("citizen ID number")])
    assert typed == ("Trần Thị Mới", "•••", "•••")
    assert "083195000111" not in html
    assert "Khmer" not in html


# --- the reveal ------------------------------------------------------------------------------


def test_sensitive_reveal_shows_the_values_to_the_cells_secretary_and_records_it(women_secretary, hien):
    response = women_secretary.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert response.status_code == 200
    values = re.findall(r'<dd class="col-sm-8">(.*?)</dd>', _html(response))
    assert values == ["Kinh", "Phật giáo", "083123456789", "—"]
    assert tr("This viewing has been recorded.") in page_text(response)
    assert _sensitive_entries() == [(women_secretary.user.pk, str(hien.person.pk), "hoi-lhpn")]


def test_sensitive_reveal_is_refused_to_propaganda_staff_and_records_nothing(district_staff, hien):
    response = district_staff.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert response.status_code == 403
    for secret in HIEN_SECRETS:
        assert secret not in _html(response)
    assert tr("Your role does not show these fields.") in page_text(response)
    assert _sensitive_entries() == []


def test_sensitive_reveal_is_refused_to_the_council(council_member, hien):
    response = council_member.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert response.status_code == 403
    assert _sensitive_entries() == []


def test_sensitive_reveal_out_of_scope_is_404(outsider, hien):
    response = outsider.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert response.status_code == 404
    assert _sensitive_entries() == []


def test_members_may_reveal_their_own_sensitive_data(tree, hien):
    own = persona(tree.women, Role.MEMBER)
    hien.person.user = own.user
    hien.person.save()

    response = own.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert "083123456789" in _html(response)
    assert list(
        AuditEntry.objects.filter(
            action=AuditAction.VIEW_SENSITIVE, target_type=ContentType.objects.get_for_model(Person)
        ).values_list("actor_id", flat=True)
    ) == [own.user.pk]


def test_opening_the_edit_form_with_sensitive_values_is_recorded_as_a_viewing(women_secretary, hien):
    response = women_secretary.client.get(reverse("org:person_edit", args=[hien.person.public_id]))

    assert 'value="083123456789"' in _html(response)
    assert _sensitive_entries() == [(women_secretary.user.pk, str(hien.person.pk), "hoi-lhpn")]


def test_opening_the_edit_form_without_sensitive_fields_records_no_viewing(district_staff, hien):
    district_staff.client.get(reverse("org:person_edit", args=[hien.person.public_id]))

    assert _sensitive_entries() == []
