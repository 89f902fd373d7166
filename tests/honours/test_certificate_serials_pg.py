"""Two clerks issuing a decision's certificates at the same moment (PostgreSQL only): the decision
row is locked while the serials are taken, so the second waits, finds every subject served and
issues nothing; the serials run 1..n without a gap or a repeat, one certificate per subject."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import IntegrityError, connection

from lantoa.documents.models import Term
from lantoa.honours import decisions, services
from lantoa.honours.models import Certificate, Decision, RecognitionKind
from tests.honours.conftest import nominate

D = dt.date
WAIT = 20  # seconds: generous, a hung lock fails the test instead of hanging it
SUBJECTS = 6

pytestmark = [
    pytest.mark.today(D(2024, 3, 20)),
    # Skipped before any fixture runs: on SQLite a transactional test would only flush the tables.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks between connections; SQLite runs one write transaction "
        "at a time, so there is no concurrent issuing to test",
    ),
]


@pytest.fixture
def praised(tree, held) -> Decision:
    """Chi bộ ấp Phước Thạnh praises six collectives its meeting voted through."""
    nominations = [nominate(tree, name=f"Tổ tự quản số {number}") for number in range(1, SUBJECTS + 1)]
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=held, nominations=nominations)
    )
    for entry in voting_round.nominees.all():
        services.record_tally(actor=None, entry=entry, votes_for=2, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    Term.objects.create(unit=tree.phuoc_thanh, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    for nomination in nominations:
        nomination.refresh_from_db()
    return decisions.issue_decision(
        actor=None,
        unit=tree.phuoc_thanh,
        kind=RecognitionKind.PRAISE,
        nominations=nominations,
        decided_on=D(2024, 3, 15),
        year=2024,
        reason="tự quản tốt tháng 2",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_issuing_at_once_share_no_serial(praised, monkeypatch):
    # Each certificate takes a moment to write, so the second clerk arrives while the first still
    # holds the lock; a collision the retry loop would hide is counted.
    record_create = decisions.record_create

    def slow_record_create(**kwargs: Any) -> Any:
        time.sleep(0.05)
        return record_create(**kwargs)

    issue_once = decisions._issue_certificates
    collisions: list[IntegrityError] = []

    def counted_issue(*args: Any) -> Any:
        try:
            return issue_once(*args)
        except IntegrityError as exc:
            collisions.append(exc)
            raise

    monkeypatch.setattr(decisions, "record_create", slow_record_create)
    monkeypatch.setattr(decisions, "_issue_certificates", counted_issue)
    start = threading.Barrier(2, timeout=WAIT)
    issued: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def clerk(name: str) -> None:
        try:
            decision = Decision.objects.get(pk=praised.pk)  # each thread its own row and connection
            start.wait()
            issued[name] = [c.serial for c in decisions.issue_certificates(actor=None, decision=decision)]
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=clerk, args=(name,), daemon=True) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)

    assert not any(thread.is_alive() for thread in threads), "a clerk is still waiting"
    assert errors == []
    assert collisions == []  # the second waited on the lock instead of colliding and retrying
    assert sorted(issued) == ["first", "second"]
    assert sorted(issued["first"] + issued["second"]) == list(range(1, SUBJECTS + 1))
    assert sorted(len(serials) for serials in issued.values()) == [0, SUBJECTS]  # one clerk did it all
    serials = list(Certificate.objects.filter(decision=praised).values_list("serial", flat=True))
    assert sorted(serials) == list(range(1, SUBJECTS + 1))
    for recognition in praised.recognitions.all():
        assert Certificate.objects.filter(recognition=recognition).count() == 1
    assert len(set(Certificate.objects.values_list("code", flat=True))) == SUBJECTS
