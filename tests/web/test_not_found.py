"""The "not found" page says why in the reader's language, not an exception's name."""

import pytest
from django.utils import translation

from lantoa.org.models import Role
from tests.conftest import page_text, persona


@pytest.mark.parametrize(
    "path",
    [
        "/honours/00000000-0000-0000-0000-000000000000/",  # a funnel's lazy message
        "/honours/nonexistent/",  # no such page at all
        "/ratings/r/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_not_found_never_shows_an_exception_name(tree, path):
    reader = persona(tree.phuoc_thanh, Role.SECRETARY)

    response = reader.client.get(path)

    assert response.status_code == 404
    text = page_text(response)
    assert "Http404" not in text
    assert "Resolver404" not in text
    assert "tried" not in text


def test_a_funnel_says_why_in_vietnamese(tree):
    reader = persona(tree.phuoc_thanh, Role.SECRETARY)

    response = reader.client.get("/honours/00000000-0000-0000-0000-000000000000/")

    with translation.override("vi"):
        expected = translation.gettext("No such nomination in your area.")
    assert expected in page_text(response)
