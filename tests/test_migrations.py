"""Migration hygiene: the models and the migrations say the same thing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)

    assert out.getvalue().strip() == "No changes detected"
