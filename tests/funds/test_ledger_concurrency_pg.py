"""Two treasurers of Chi bộ Hội LHPN huyện recording at the same moment (PostgreSQL only), each
on their own connection: the fund's row is locked while an entry is checked, numbered and
written, so the second waits, counts the first's entry and is refused when the money is gone.
Never both; never a negative balance; never two entries with one number.

Each write is slowed down while it holds the lock (the audit line takes a moment), so that the
second treasurer arrives while the first is still writing: without the lock both would see the
money as free, or both would take the same next number.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lantoa.funds import services
from lantoa.funds.models import Beneficiary, Disbursement, Fund, LedgerEntry
from lantoa.lib.vi import format_money
from lantoa.org.models import PartyMember, Person
from tests.funds.conftest import MONTHLY, QUARTERLY, FundWorld, add_child

D = dt.date
WAIT = 20  # seconds: generous, a hung lock fails the test instead of hanging it
TODAY = D(2024, 12, 20)

pytestmark = [
    pytest.mark.today(TODAY),
    # Skipped before any fixture runs: on SQLite a transactional test would only flush the tables.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks between connections; SQLite runs one write transaction "
        "at a time, so there is no concurrent recording to test",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.timeout(120),
]


@pytest.fixture
def slow_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each entry's audit line, written while the fund is locked, takes a moment."""
    record_create = services.record_create

    def slow_record_create(**kwargs: Any) -> Any:
        time.sleep(0.2)
        return record_create(**kwargs)

    monkeypatch.setattr(services, "record_create", slow_record_create)


def at_once(jobs: dict[str, Callable[[], str]]) -> dict[str, str]:
    """Run each job in a thread of its own (its own connection), all released together; what
    each job returned, by name. A job still waiting after ``WAIT`` seconds fails the test."""
    start = threading.Barrier(len(jobs), timeout=WAIT)
    outcome: dict[str, str] = {}
    errors: list[BaseException] = []

    def run(name: str, job: Callable[[], str]) -> None:
        try:
            with connection.cursor() as cursor:  # this thread's own connection
                cursor.execute("SET lock_timeout = %s", [f"{WAIT}s"])
                cursor.execute("SET statement_timeout = %s", [f"{WAIT}s"])
            start.wait()
            outcome[name] = job()
        except BaseException as exc:  # handed back to the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert not any(thread.is_alive() for thread in threads), "a treasurer is still waiting"
    assert errors == []
    return outcome


def refused_or(done: str, call: Callable[[], object]) -> str:
    try:
        call()
    except ValidationError as refusal:
        return f"refused: {sorted(refusal.message_dict)} {refusal.messages}"
    return done


def disburse(child_pk: int, person_pk: int, day: dt.date, amount: int) -> Callable[[], str]:
    def job() -> str:
        child = Beneficiary.objects.select_related("fund").get(pk=child_pk)  # read on this connection
        return refused_or(
            "paid",
            lambda: services.record_disbursement(
                actor=None,
                child=child,
                day=day,
                amount=amount,
                handed_by=Person.objects.get(pk=person_pk),
                received_by="Lê Thị Mến",
            ),
        )

    return job


def assert_never_negative(fund: Fund) -> None:
    for day in LedgerEntry.objects.filter(fund=fund).values_list("occurred_on", flat=True).distinct():
        assert services.balance(fund, day) >= 0, day


def numbers(fund: Fund) -> list[int]:
    return list(LedgerEntry.objects.filter(fund=fund).order_by("number").values_list("number", flat=True))


def test_two_disbursements_that_together_would_overdraw_cannot_both_be_paid(
    fund_world: FundWorld, slow_writes: None
) -> None:
    fund = fund_world.fund
    services.record_donation(actor=None, fund=fund, day=D(2024, 10, 1), amount=2_000_000, source="Hội viên")
    other = add_child(fund, full_name="Nguyễn Văn Phúc", sponsored_from=D(2024, 1, 1))
    person = fund_world.members[0].person.pk

    # Each alone fits (2.000.000 đ held); both together would leave -400.000 đ.
    outcome = at_once(
        {
            "first": disburse(fund_world.child.pk, person, D(2024, 12, 2), QUARTERLY),
            "second": disburse(other.pk, person, D(2024, 12, 2), QUARTERLY),
        }
    )

    results = sorted(outcome.values())
    assert results[0] == "paid"
    assert results[1].startswith("refused: ['amount']")
    # The one who waited counted the other's payment: 800.000 đ was all that could leave.
    assert format_money(2_000_000 - QUARTERLY) in results[1]
    assert services.balance(fund) == 2_000_000 - QUARTERLY
    assert Disbursement.objects.filter(entry__fund=fund).count() == 1
    assert numbers(fund) == [1, 2]
    assert_never_negative(fund)


def test_a_disbursement_and_the_reversal_of_the_money_behind_it_cannot_both_happen(
    fund_world: FundWorld, slow_writes: None
) -> None:
    fund = fund_world.fund
    donation = services.record_donation(
        actor=None, fund=fund, day=D(2024, 10, 1), amount=1_500_000, source="Nhà hảo tâm"
    )

    def take_back() -> str:
        return refused_or(
            "reversed",
            lambda: services.reverse(
                actor=None, entry=LedgerEntry.objects.get(pk=donation.pk), reason="Nhà hảo tâm rút lại"
            ),
        )

    outcome = at_once(
        {
            "payment": disburse(
                fund_world.child.pk, fund_world.members[0].person.pk, D(2024, 12, 2), QUARTERLY
            ),
            "reversal": take_back,
        }
    )

    assert sorted(outcome) == ["payment", "reversal"]
    assert [value.split(":")[0] for value in outcome.values()].count("refused") == 1
    assert services.balance(fund) in (1_500_000 - QUARTERLY, 0)
    assert numbers(fund) == [1, 2]
    assert_never_negative(fund)


def test_entries_recorded_at_once_never_share_a_number(fund_world: FundWorld, slow_writes: None) -> None:
    fund = fund_world.fund
    members = [member.pk for member in fund_world.members[:3]]

    def donations() -> str:
        for n in range(4):
            services.record_donation(
                actor=None,
                fund=Fund.objects.get(pk=fund.pk),
                day=D(2024, 11, 1 + n),
                amount=100_000,
                source="Nhà hảo tâm",
            )
        return "4 donations"

    def savings() -> str:
        for month in (D(2024, 9, 1), D(2024, 10, 1)):
            services.record_contributions(
                actor=None,
                fund=Fund.objects.get(pk=fund.pk),
                month=month,
                member_ids=members,
                day=D(2024, 11, 5),
            )
        return "6 savings"

    outcome = at_once({"donations": donations, "savings": savings})

    assert outcome == {"donations": "4 donations", "savings": "6 savings"}
    assert numbers(fund) == list(range(1, 11))
    assert services.balance(fund) == 4 * 100_000 + 6 * MONTHLY
    assert PartyMember.objects.filter(pk__in=members).count() == 3
