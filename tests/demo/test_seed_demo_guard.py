from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lantoa.org.models import Unit
from tests.factories import UnitFactory


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_holding_its_keys():
    UnitFactory(key="ben-tre", name="Tỉnh ủy Bến Tre")

    with pytest.raises(CommandError, match="ben-tre"):
        call_command("seed_demo", stdout=io.StringIO())

    assert list(Unit.objects.values_list("key", flat=True)) == ["ben-tre"]


@pytest.mark.django_db
def test_seed_demo_logins_without_a_demo_says_so():
    out = io.StringIO()
    call_command("seed_demo", "--logins", stdout=out)

    assert "not loaded" in out.getvalue()
