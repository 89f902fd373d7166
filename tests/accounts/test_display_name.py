"""Pages that say who made something (a report's run) name the person, not the login."""

from __future__ import annotations

import pytest

from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_is_named_by_its_person_else_its_own_name_else_its_login():
    linked = UserFactory(username="tuyengiao", first_name="", last_name="")
    PersonFactory(full_name="Võ Thị Phương", user=linked)
    named = UserFactory(username="admin2", first_name="Minh", last_name="Trần")
    bare = UserFactory(username="thuquy", first_name="", last_name="")

    assert linked.display_name == "Võ Thị Phương"
    assert named.display_name == named.get_full_name()
    assert bare.display_name == "thuquy"
