"""Two clerks of Đảng ủy xã An Khánh deciding at the same moment (PostgreSQL only), each giving
the commune's last place at the top level to a different member: the deciding body's row is
locked while the quota is counted, so the second waits, counts the first's decision and is
refused. Never both."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lantoa.ratings import services
from lantoa.ratings.models import Level, Rating
from lantoa.ratings.services import Entry
from tests.ratings.conftest import decide, lines, rated

D = dt.date
WAIT = 20  # seconds: generous, a hung lock fails the test instead of hanging it
YEAR = 2024

pytestmark = [
    pytest.mark.today(D(2025, 1, 15)),
    # Skipped before any fixture runs: on SQLite a transactional test would only flush the tables.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks between connections; SQLite runs one write transaction "
        "at a time, so there is no concurrent deciding to test",
    ),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_decisions_at_once_cannot_both_take_the_last_excellent_place(tree, monkeypatch):
    # Five at "good" leave one place at the top level; two members are put forward for it.
    decide(
        tree.an_khanh,
        YEAR,
        lines(rated(tree.phuoc_thanh, 5, YEAR, prefix="Tốt"), Level.GOOD),
        D(2024, 12, 15),
    )
    candidates = rated(tree.phuoc_thanh, 2, YEAR, prefix="Xuất sắc")
    # Each decision takes a moment to write, so the second clerk arrives while the first still
    # holds the lock (or, without it, both would count the place as free).
    record_update = services.record_update

    def slow_record_update(**kwargs: Any) -> Any:
        time.sleep(0.3)
        return record_update(**kwargs)

    monkeypatch.setattr(services, "record_update", slow_record_update)
    start = threading.Barrier(2, timeout=WAIT)
    outcome: dict[str, str] = {}
    errors: list[BaseException] = []

    def clerk(name: str, rating_pk: int) -> None:
        try:
            rating = Rating.objects.get(pk=rating_pk)  # each thread its own row and connection
            start.wait()
            try:
                decide(tree.an_khanh, YEAR, [Entry(rating, Level.EXCELLENT)], D(2024, 12, 20))
                outcome[name] = "decided"
            except ValidationError as refusal:
                outcome[name] = f"refused: {sorted(refusal.message_dict)}"
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=clerk, args=(name, rating.pk), daemon=True)
        for name, rating in zip(("first", "second"), candidates, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)

    assert not any(thread.is_alive() for thread in threads), "a clerk is still waiting"
    assert errors == []
    assert sorted(outcome.values()) == ["decided", "refused: ['quota_override']"]
    assert Rating.objects.filter(quota_unit=tree.an_khanh, year=YEAR, level=Level.EXCELLENT).count() == 1
