"""A button is shown only to whom its page would not answer 403: the "New obligation" button
follows the very check of the obligation form (Party committees only), the register's and the
themes page's follow theirs. Each case asks both: the button, and what its target answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr

# (page, its button's words, the page the button opens)
BUTTONS = {
    "obligations": ("documents:obligations", "New obligation", "documents:obligation_create"),
    "register": ("documents:list", "Register a document", "documents:create"),
}


@pytest.mark.parametrize(
    ("button", "who", "shown"),
    [
        ("obligations", "cell_secretary", False),  # only committees set obligations
        ("obligations", "women_secretary", False),  # a grassroots cell has no unit below it
        ("obligations", "council_member", False),  # reads only
        ("obligations", "commune_secretary", True),
        ("register", "council_member", False),
        ("register", "cell_secretary", True),  # a cell registers its own plans and reports
    ],
)
def test_a_button_is_shown_exactly_when_its_page_opens(request, tree, button, who, shown):
    client = (
        persona(tree.tan_thach, Role.SECRETARY).client
        if who == "commune_secretary"
        else request.getfixturevalue(who).client
    )
    page, words, target = BUTTONS[button]

    response = client.get(reverse(page))
    opens = client.get(reverse(target)).status_code

    assert (tr(words) in page_text(response), f'href="{reverse(target)}"' in response.content.decode()) == (
        shown,
        shown,
    )
    assert opens == (200 if shown else 403)


@pytest.mark.parametrize(("who", "shown"), [("council_member", False), ("cell_secretary", True)])
def test_themes_page_offers_its_forms_only_to_who_may_save_them(request, who, shown):
    client = request.getfixturevalue(who).client

    text = page_text(client.get(reverse("documents:themes")))
    refused = client.post(reverse("documents:themes"), {"theme": "1"}).status_code == 403

    assert (tr("Set a yearly theme") in text, refused) == (shown, not shown)
