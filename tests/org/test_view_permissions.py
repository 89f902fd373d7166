"""Every view in lantoa/org/urls.py against every kind of visitor: anonymous, out of scope,
read-only, lacking the capability. What in-scope users see is tested beside each view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.org.models import Membership, PositionTitle, Unit
from lantoa.org.urls import urlpatterns
from tests.factories import PersonFactory, PositionFactory

D = dt.date
LOGIN = reverse("accounts:login")


@pytest.fixture
def post(hien):
    """Hiền is secretary of her cell: the post the position views act on."""
    return PositionFactory(
        person=hien.person, unit=hien.memberships.get().unit, title=PositionTitle.SECRETARY
    )


def _kwargs(name: str, hien, post) -> dict[str, object]:
    person = {"public_id": hien.person.public_id}
    return {
        "org:tree": {},
        "org:people": {},
        "org:unit_create": {},
        "org:unit": {"key": "hoi-lhpn"},
        "org:tree_children": {"key": "hoi-lhpn"},
        "org:unit_edit": {"key": "hoi-lhpn"},
        "org:unit_move": {"key": "hoi-lhpn"},
        "org:unit_close": {"key": "hoi-lhpn"},
        "org:unit_merge": {"key": "hoi-lhpn"},
        "org:member_create": {"key": "hoi-lhpn"},
        "org:person": person,
        "org:person_sensitive": person,
        "org:person_edit": person,
        "org:member_transfer": person,
        "org:member_card": person,
        "org:position_create": person,
        "org:position_end": {**person, "position_id": post.pk},
    }[name]


ALL_VIEWS = [
    ("org:tree", "get"),
    ("org:people", "get"),
    ("org:unit_create", "get"),
    ("org:unit", "get"),
    ("org:tree_children", "get"),
    ("org:unit_edit", "get"),
    ("org:unit_move", "get"),
    ("org:unit_close", "get"),
    ("org:unit_merge", "get"),
    ("org:member_create", "get"),
    ("org:person", "get"),
    ("org:person_sensitive", "get"),
    ("org:person_edit", "get"),
    ("org:member_transfer", "get"),
    ("org:member_card", "get"),
    ("org:position_create", "get"),
    ("org:position_end", "post"),
]
# Views about one unit or person: outside the user's units they do not exist (404).
OBJECT_VIEWS = [
    (name, method) for name, method in ALL_VIEWS if name not in {"org:tree", "org:people", "org:unit_create"}
]
# Views that change something: a read-only role is refused (403), whether it asks or posts.
WRITE_VIEWS = [
    "org:unit_create",
    "org:unit_edit",
    "org:unit_move",
    "org:unit_close",
    "org:unit_merge",
    "org:member_create",
    "org:person_edit",
    "org:member_transfer",
    "org:member_card",
    "org:position_create",
    "org:position_end",
]
WRITE_REQUESTS = [(name, method) for name in WRITE_VIEWS for method in ("get", "post")]
TREE_VIEWS = ["org:unit_create", "org:unit_edit", "org:unit_move", "org:unit_close", "org:unit_merge"]


def _state():
    """Everything a refused write must leave alone."""
    return (
        sorted(Unit.objects.values_list("key", "name", "valid_to")),
        sorted(Membership.objects.values_list("member_id", "unit_id", "valid_from", "valid_to")),
    )


def test_every_org_url_is_covered():
    assert sorted(f"org:{pattern.name}" for pattern in urlpatterns) == sorted(name for name, _m in ALL_VIEWS)


@pytest.mark.parametrize(("name", "method"), ALL_VIEWS)
def test_org_view_sends_anonymous_to_login_with_next(anonymous, hien, post, name, method):
    url = reverse(name, kwargs=_kwargs(name, hien, post))

    response = getattr(anonymous, method)(url)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={url}")


@pytest.mark.parametrize(("name", "method"), OBJECT_VIEWS)
def test_org_view_is_404_outside_the_users_units(outsider, hien, post, name, method):
    url = reverse(name, kwargs=_kwargs(name, hien, post))
    before = _state()

    response = getattr(outsider.client, method)(url)

    assert response.status_code == 404
    assert "Nguyễn Thanh Hiền" not in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(("name", "method"), WRITE_REQUESTS)
def test_org_write_view_is_403_for_a_read_only_role(council_member, hien, post, name, method):
    url = reverse(name, kwargs=_kwargs(name, hien, post))
    before = _state()

    response = getattr(council_member.client, method)(
        url, {"on": "01/01/2025", "last_day": "01/01/2025"} if method == "post" else None
    )

    assert response.status_code == 403
    assert _state() == before
    post.refresh_from_db()
    assert post.valid_to is None


@pytest.mark.parametrize("name", TREE_VIEWS)
def test_tree_changes_are_403_for_staff_who_only_change_people(district_staff, hien, post, name):
    response = district_staff.client.get(reverse(name, kwargs=_kwargs(name, hien, post)))

    assert response.status_code == 403


def test_position_end_answers_only_get_and_post(women_secretary, hien, post):
    response = women_secretary.client.put(
        reverse("org:position_end", kwargs=_kwargs("org:position_end", hien, post))
    )

    assert response.status_code == 405
    post.refresh_from_db()
    assert post.valid_to is None


def test_person_sensitive_only_answers_get(women_secretary, hien):
    response = women_secretary.client.post(reverse("org:person_sensitive", args=[hien.person.public_id]))

    assert response.status_code == 405


def test_position_end_of_someone_elses_post_is_404(women_secretary, hien, tree):
    foreign = PositionFactory(unit=tree.women)

    response = women_secretary.client.post(
        reverse("org:position_end", kwargs={"public_id": hien.person.public_id, "position_id": foreign.pk})
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.valid_to is None


def test_member_pages_of_a_non_member_are_404(women_secretary, tree):
    citizen = PersonFactory(registered_unit=tree.women)

    for name in ["org:member_transfer", "org:member_card"]:
        assert women_secretary.client.get(reverse(name, args=[citizen.public_id])).status_code == 404
