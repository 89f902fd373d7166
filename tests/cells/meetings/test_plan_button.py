""" "Plan a meeting" is shown exactly to whom the planning form opens for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import page_text, tr

MONTH = {"unit": "phuoc-thanh", "month": "2024-03"}


@pytest.mark.parametrize(("who", "shown"), [("cell_secretary", True), ("council_member", False)])
def test_plan_a_meeting_is_shown_exactly_when_the_form_opens(request, who, shown):
    client = request.getfixturevalue(who).client
    create = f"{reverse('cells:meeting_create')}?unit=phuoc-thanh"

    listed = client.get(reverse("cells:meetings"), MONTH)
    opens = client.get(create).status_code

    assert (tr("Plan a meeting") in page_text(listed), opens) == (shown, 200 if shown else 403)
