"""Two clerks numbering at the same moment (PostgreSQL only): the counter row is locked by the
first transaction, so the second waits and takes the next number; a rolled-back number is free
again, so the register has no gaps."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from lantoa.documents.models import Document, NumberSequence
from tests.documents.conftest import issue

D = dt.date
WAIT = 10  # seconds: generous, a hung lock fails the test instead of hanging it


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks between connections; SQLite runs one write transaction at "
            "a time, so there is no concurrent allocation to test"
        )


def _in_thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("counter_exists", [True, False], ids=["counter-row-exists", "first-of-the-term"])
def test_two_allocations_at_once_get_consecutive_numbers(postgresql_only, tree, terms, counter_exists):
    if counter_exists:
        # The usual case: the second waits on the counter row's lock. Without the row, it waits on
        # the unique index while creating it instead (the other parametrisation).
        NumberSequence.objects.create(
            issuer_key=f"unit:{tree.district.pk}",
            type_code="KH",
            period_key=f"term:{terms['district_2020'].pk}",
        )
    allocated, release, second_done = threading.Event(), threading.Event(), threading.Event()
    numbers: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        with transaction.atomic():
            numbers["first"] = issue(tree.district, D(2024, 3, 5), summary="kế hoạch thứ nhất").number
            allocated.set()
            assert release.wait(WAIT), "the test never released the first transaction"

    def second() -> None:
        assert allocated.wait(WAIT), "the first allocation never happened"
        with transaction.atomic():
            numbers["second"] = issue(tree.district, D(2024, 3, 5), summary="kế hoạch thứ hai").number
        second_done.set()

    one = _in_thread(first, errors)
    two = _in_thread(second, errors)
    assert allocated.wait(WAIT)
    # While the first transaction is open the second cannot take a number.
    waited = not second_done.wait(0.5)
    release.set()
    one.join(WAIT)
    two.join(WAIT)

    assert errors == []
    assert waited
    assert numbers == {"first": 1, "second": 2}
    assert sorted(Document.objects.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_number_is_given_again(postgresql_only, tree, terms):
    issue(tree.district, D(2024, 3, 5))
    taken: list[int] = []
    errors: list[BaseException] = []

    class Abandoned(Exception):
        pass

    def abandon() -> None:
        try:
            with transaction.atomic():
                taken.append(issue(tree.district, D(2024, 3, 6)).number)
                raise Abandoned  # e.g. the upload attached to it was refused
        except Abandoned:
            pass

    thread = _in_thread(abandon, errors)
    thread.join(WAIT)
    following = issue(tree.district, D(2024, 3, 7))

    assert errors == []
    assert taken == [2]
    assert following.number_line == "Số 02-KH/HU"
    assert sorted(Document.objects.values_list("number", flat=True)) == [1, 2]
