"""``CountedInPagePaginator``: the same pages and totals as Django's paginator, in one query."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.lib.paging import CountedInPagePaginator
from lantoa.org.models import Unit
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units() -> None:
    for n in range(23):
        UnitFactory(key=f"u-{n:02}", name=f"Chi bộ số {n:02}")


def ordered():
    return Unit.objects.order_by("key")


@pytest.mark.parametrize(
    "number", [1, 2, 3, "2", None, "", "abc", "0", "-4", 4, 99, "1e3", "99999999999999999999999"]
)
def test_every_page_number_gives_what_django_gives(units, number):
    ours = CountedInPagePaginator(ordered(), 10).get_page(number)
    django = Paginator(ordered(), 10).get_page(number)

    assert ours.number == django.number
    assert [u.key for u in ours] == [u.key for u in django]
    assert ours.paginator.count == django.paginator.count == 23
    assert ours.paginator.num_pages == 3
    assert ours.has_next() == django.has_next()
    assert ours.start_index() == django.start_index()


def test_a_page_with_rows_is_one_query(units):
    with CaptureQueriesContext(connection) as queries:
        page = CountedInPagePaginator(ordered(), 10).get_page("2")
        assert page.paginator.count == 23
        assert len(page.object_list) == 10
    assert len(queries.captured_queries) == 1


def test_an_empty_list_has_one_empty_page():
    page = CountedInPagePaginator(ordered(), 10).get_page(1)

    assert list(page) == []
    assert page.paginator.count == 0
    assert page.number == 1
