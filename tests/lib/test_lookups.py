"""``field__any_of``: the same rows as ``__in``, on a field and across a foreign key, and none for
an empty list (PostgreSQL runs it as ``= ANY(array)``, SQLite as ``IN``)."""

from __future__ import annotations

import pytest

from lantoa.org.models import Unit, UnitParentage


@pytest.mark.django_db
def test_any_of_finds_what_in_finds(tree):
    wanted = [tree.phuoc_thanh.pk, tree.tan_thanh.pk, tree.women.pk]

    assert set(Unit.objects.filter(pk__any_of=wanted)) == set(Unit.objects.filter(pk__in=wanted))
    assert set(UnitParentage.objects.filter(parent_id__any_of=[tree.an_khanh.pk])) == set(
        UnitParentage.objects.filter(parent_id__in=[tree.an_khanh.pk])
    )
    assert set(UnitParentage.objects.filter(unit__parentages__parent__any_of=[tree.district.pk])) == set(
        UnitParentage.objects.filter(unit__parentages__parent__in=[tree.district.pk])
    )
    assert not Unit.objects.filter(pk__any_of=[]).exists()
