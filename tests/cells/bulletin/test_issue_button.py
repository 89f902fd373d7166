"""The "Open an issue" form is shown exactly to whom may post it: a committee's editors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

WHO = [("commune_secretary", True), ("cell_secretary", False), ("council_member", False)]


@pytest.mark.parametrize(("who", "shown"), WHO)
def test_open_an_issue_is_offered_exactly_to_the_editors(request, tree, who, shown):
    if who == "commune_secretary":
        client = persona(tree.an_khanh, Role.SECRETARY).client
    else:
        client = request.getfixturevalue(who).client

    text = page_text(client.get(reverse("cells:bulletin")))
    refused = client.post(reverse("cells:bulletin"), {"unit": "an-khanh"}).status_code == 403

    assert (tr("Open an issue") in text, refused) == (shown, not shown)
