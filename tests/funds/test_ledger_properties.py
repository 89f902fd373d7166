"""The ledger's invariants as properties (hypothesis): whatever a treasurer records, in whatever
order and on whatever dates, through ``lantoa.funds.services``,

- the balance is the sum of the entries, on every day;
- no day closes below zero (the closings are computed here from the entries, not by the service);
- a statement's opening plus its movements is its closing, and each line adds up;
- reversing an entry restores the balance to what it was before the entry was counted;
- a refused operation changes nothing (no entry, no audit line);
- an operation is refused exactly when the rules say so: a small model of the rules written
  here (dates, the month's members, excused months, sponsorship, paid quarters, headroom) is
  the oracle, and the ledger must hold what the model holds, entry by entry.

Each example builds a fresh fund in a savepoint that is rolled back afterwards, on a tree built
once per test (pytest-django's transaction), so the examples do not see each other. Today is
pinned; the dates drawn run from just before the fund opened to just after today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from lantoa.audit.models import AuditEntry
from lantoa.funds import queries, services
from lantoa.funds.models import Beneficiary, Disbursement, EntryKind, Fund, LedgerEntry
from lantoa.org.models import PartyMember, Role
from tests.conftest import Tree, persona
from tests.factories import member_in
from tests.funds.conftest import MONTHLY, OPENED, add_child, open_fund

D = dt.date
TODAY = D(2024, 12, 20)
LATE_JOINER_SINCE = D(2024, 3, 10)
EXCUSED = (D(2023, 6, 1), D(2023, 8, 1))  # the first member is excused these months
SECOND_CHILD = (D(2024, 4, 1), D(2024, 9, 30))  # sponsored two quarters only

pytestmark = pytest.mark.today(TODAY)
PROPERTIES = hypothesis_settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# ---------------------------------------------------------------------------------------------
# The model: entries as plain rows, and the arithmetic done here, not by the service
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    number: int
    kind: str
    day: dt.date
    amount: int
    member: int | None = None
    month: dt.date | None = None
    child: int | None = None
    reverses: int | None = None  # the number of the entry undone
    slot: dt.date | None = None  # a disbursement's quarter


def db_rows(fund: Fund) -> list[Row]:
    """The ledger as stored, read straight from the table."""
    slots = dict(Disbursement.objects.filter(entry__fund=fund).values_list("entry__number", "slot"))
    return [
        Row(number, kind, day, amount, member, month, child, reverses, slots.get(number))
        for number, kind, day, amount, member, month, child, reverses in LedgerEntry.objects.filter(fund=fund)
        .order_by("number")
        .values_list(
            "number",
            "kind",
            "occurred_on",
            "amount",
            "member_id",
            "month",
            "beneficiary_id",
            "reverses__number",
        )
    ]


def closings(rows: list[Row]) -> dict[dt.date, int]:
    """The closing balance of each day that has entries."""
    per_day: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        per_day[row.day] += row.amount
    running, result = 0, {}
    for day in sorted(per_day):
        running += per_day[day]
        result[day] = running
    return result


def balance_on(rows: list[Row], day: dt.date) -> int:
    return sum(row.amount for row in rows if row.day <= day)


def room(rows: list[Row], day: dt.date) -> int:
    """The most that may leave on ``day``: the lowest closing of that day and every later one."""
    return min([balance_on(rows, day)] + [closing for d, closing in closings(rows).items() if d > day])


def reversed_numbers(rows: list[Row]) -> set[int]:
    return {row.reverses for row in rows if row.reverses is not None}


def counted_as(rows: list[Row], row: Row) -> str:
    """A reversal counts under the kind it undoes."""
    return rows[row.reverses - 1].kind if row.reverses is not None else row.kind


def in_life(day: dt.date) -> bool:
    return OPENED <= day <= TODAY


def quarter_of(day: dt.date) -> dt.date:
    return D(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def valid_amount(amount: int) -> bool:
    return 1 <= amount <= services.MAX_AMOUNT


# ---------------------------------------------------------------------------------------------
# The world: one tree per test; a fresh fund per example
# ---------------------------------------------------------------------------------------------


@dataclass
class World:
    tree: Tree
    regulars: list[PartyMember]
    late_joiner: PartyMember
    stranger: PartyMember  # a member of another cell
    actor: Any

    @property
    def pool(self) -> list[PartyMember]:
        return [*self.regulars, self.late_joiner, self.stranger]


@pytest.fixture
def world(tree: Tree) -> World:
    regulars = [member_in(tree.women, name=f"Hội viên {n}", since=D(2020, 1, 1)) for n in range(1, 6)]
    late = member_in(tree.women, name="Hội viên mới", since=LATE_JOINER_SINCE)
    stranger = member_in(tree.other_cell, name="Đảng viên ấp Giồng", since=D(2020, 1, 1))
    return World(tree, regulars, late, stranger, persona(tree.women, Role.TREASURER).user)


@dataclass
class Book:
    fund: Fund
    children: list[Beneficiary]


def new_fund(world: World) -> Book:
    fund = open_fund(world.tree.women)
    children = [
        add_child(fund),
        add_child(
            fund,
            full_name="Nguyễn Văn Phúc",
            birth_year=2016,
            sponsored_from=SECOND_CHILD[0],
            sponsored_to=SECOND_CHILD[1],
            scheduled_amount=600_000,
        ),
    ]
    services.record_exemption(
        actor=world.actor,
        fund=fund,
        member=world.regulars[0],
        first_month=EXCUSED[0],
        last_month=EXCUSED[1],
        reason="Ốm dài ngày",
    )
    return Book(fund, children)


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone at the end: each example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

LIFE = (TODAY - OPENED).days
KEY_DAYS = [
    OPENED - dt.timedelta(days=1),
    OPENED,
    D(2023, 3, 31),
    D(2023, 6, 15),
    D(2024, 3, 31),
    SECOND_CHILD[0],
    SECOND_CHILD[1],
    D(2024, 10, 1),
    TODAY,
    TODAY + dt.timedelta(days=1),
]


def mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` nine times in ten, ``rare`` otherwise (the refusals worth trying now and then)."""
    return st.tuples(st.integers(0, 9), usual, rare).map(lambda t: t[2] if t[0] == 9 else t[1])


days = mostly(
    st.one_of(
        st.sampled_from(KEY_DAYS[1:-1]),
        st.integers(0, LIFE).map(lambda n: OPENED + dt.timedelta(days=n)),
    ),
    st.sampled_from(
        [OPENED - dt.timedelta(days=1), TODAY + dt.timedelta(days=1), D(2022, 6, 1), D(2025, 1, 1)]
    ),
)
MONTHS = [D(2022, 11, 1), D(2022, 12, 1)] + [D(2023 + n // 12, n % 12 + 1, 1) for n in range(24)]
QUARTERS = [D(2023 + n // 4, n % 4 * 3 + 1, 1) for n in range(8)]
money_in = mostly(
    st.one_of(st.integers(1, 5_000_000), st.sampled_from([50_000, 1_200_000, 3_000_000])),
    st.sampled_from([0, -50_000, services.MAX_AMOUNT + 1]),  # refused, whatever else holds
)
money_out = mostly(
    st.one_of(st.integers(1, 1_500_000), st.sampled_from([600_000, 1_200_000])),
    st.sampled_from([0, -1, services.MAX_AMOUNT + 1]),
)


# ---------------------------------------------------------------------------------------------
# The state machine: every operation a treasurer has, in any order
# ---------------------------------------------------------------------------------------------


class Ledger(RuleBasedStateMachine):
    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        book = new_fund(world)
        self.fund, self.children = book.fund, book.children
        self.rows: list[Row] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # -- helpers -------------------------------------------------------------------------------

    def _attempt(self, expected: bool, what: str, call: Callable[[], Any]) -> Any:
        """Run ``call``; it must be accepted exactly when the model expects it, and a refusal
        must leave the ledger and the audit log as they were."""
        note(f"{what}: expected {'accepted' if expected else 'refused'}")
        event(f"{what.split()[0]} {'accepted' if expected else 'refused'}")
        audit_lines = AuditEntry.objects.count()
        before = db_rows(self.fund)
        refusal: list[str] = []
        try:
            result = call()
        except ValidationError as exc:
            refusal, result = exc.messages, None
        if refusal:
            assert not expected, f"{what} was refused: {refusal}"
            assert db_rows(self.fund) == before
            assert AuditEntry.objects.count() == audit_lines
            return None
        assert expected, f"{what} was accepted"
        return result

    def _book(self, **fields: Any) -> Row:
        row = Row(number=len(self.rows) + 1, **fields)
        self.rows.append(row)
        return row

    def _unreversed(self, kind: str) -> list[Row]:
        undone = reversed_numbers(self.rows)
        return [row for row in self.rows if row.kind == kind and row.number not in undone]

    def _may_save(self, member: PartyMember, month: dt.date) -> bool:
        if member == self.world.stranger:
            return False
        if member == self.world.late_joiner and month < LATE_JOINER_SINCE.replace(day=1):
            return False
        return not (member == self.world.regulars[0] and EXCUSED[0] <= month <= EXCUSED[1])

    # -- operations ----------------------------------------------------------------------------

    @initialize(amount=st.one_of(st.none(), st.integers(1, 4_000_000)))
    def money_from_the_old_notebook(self, amount: int | None) -> None:
        """Most funds start with what the old notebook held (some start empty)."""
        if amount is not None:
            self.opening(OPENED, amount)

    @rule(day=days, amount=money_in)
    def opening(self, day: dt.date, amount: int) -> None:
        expected = valid_amount(amount) and in_life(day) and not self._unreversed(EntryKind.OPENING)
        entry = self._attempt(
            expected,
            f"opening of {amount} on {day}",
            lambda: services.record_opening(
                actor=self.world.actor, fund=self.fund, day=day, amount=amount, reason="Sổ cũ"
            ),
        )
        if entry is not None:
            assert entry.number == self._book(kind=EntryKind.OPENING, day=day, amount=amount).number

    @rule(day=days, amount=money_in)
    def donation(self, day: dt.date, amount: int) -> None:
        expected = valid_amount(amount) and in_life(day)
        entry = self._attempt(
            expected,
            f"donation of {amount} on {day}",
            lambda: services.record_donation(
                actor=self.world.actor, fund=self.fund, day=day, amount=amount, source="Hội viên Hội LHPN"
            ),
        )
        if entry is not None:
            assert entry.number == self._book(kind=EntryKind.DONATION, day=day, amount=amount).number

    @rule(
        month=st.sampled_from(MONTHS),
        day=st.one_of(st.none(), days),
        ticked=st.sets(st.integers(0, 6), max_size=4),
    )
    def contributions(self, month: dt.date, day: dt.date | None, ticked: set[int]) -> None:
        members = [self.world.pool[i] for i in sorted(ticked)]
        on = day or TODAY
        expected = (
            in_life(on)
            and OPENED.replace(day=1) <= month <= on.replace(day=1)
            and all(self._may_save(member, month) for member in members)
        )
        paid = {row.member for row in self._unreversed(EntryKind.CONTRIBUTION) if row.month == month}
        result = self._attempt(
            expected,
            f"savings of {month:%m/%Y} on {on} for {[m.person.full_name for m in members]}",
            lambda: services.record_contributions(
                actor=self.world.actor,
                fund=self.fund,
                month=month,
                member_ids=[m.pk for m in members],
                day=day,
            ),
        )
        if result is None:
            return
        new = sorted((m for m in members if m.pk not in paid), key=lambda m: (m.person.full_name, m.pk))
        # A second tap books nothing: those who had paid are reported, not booked again.
        assert sorted(m.pk for m in result.already_paid) == sorted(m.pk for m in members if m.pk in paid)
        assert [entry.member_id for entry in result.entries] == [m.pk for m in new]
        for member in new:
            self._book(kind=EntryKind.CONTRIBUTION, day=on, amount=MONTHLY, member=member.pk, month=month)

    @rule(
        which=st.sampled_from([0, 0, 1]),
        day=st.one_of(days, st.sampled_from([D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 1), TODAY])),
        how=st.sampled_from(["drawn", "half of what there is", "all there is", "one more"]),
        amount=money_out,
        slot=st.one_of(st.none(), st.sampled_from(QUARTERS)),
    )
    def disbursement(self, which: int, day: dt.date, how: str, amount: int, slot: dt.date | None) -> None:
        child = self.children[which]
        headroom = room(self.rows, day)
        amount = {
            "drawn": amount,
            "half of what there is": headroom // 2,
            "all there is": headroom,
            "one more": headroom + 1,
        }[how]
        period = slot or quarter_of(day)
        period_paid = any(
            row.child == child.pk and row.slot == period for row in self._unreversed(EntryKind.DISBURSEMENT)
        )
        sponsored = child.sponsored_from <= day and (child.sponsored_to is None or day <= child.sponsored_to)
        expected = (
            valid_amount(amount) and sponsored and in_life(day) and not period_paid and amount <= headroom
        )
        paid = self._attempt(
            expected,
            f"disbursement of {amount} to child {which} on {day} for {period} (headroom {headroom})",
            lambda: services.record_disbursement(
                actor=self.world.actor,
                child=child,
                day=day,
                amount=amount,
                handed_by=self.world.regulars[1].person,
                received_by="Lê Thị Mến",
                slot=slot,
            ),
        )
        if paid is not None:
            row = self._book(
                kind=EntryKind.DISBURSEMENT, day=day, amount=-amount, child=child.pk, slot=period
            )
            assert (paid.entry.number, paid.slot) == (row.number, period)

    @precondition(lambda self: self.rows)
    @rule(
        pick=st.integers(0, 10_000),
        when=st.sampled_from(["today", "its own day", "drawn"]),
        day=days,
    )
    def reversal(self, pick: int, when: str, day: dt.date) -> None:
        target = self.rows[pick % len(self.rows)]
        on = {"today": TODAY, "its own day": target.day, "drawn": day}[when]
        expected = (
            target.kind != EntryKind.REVERSAL
            and target.number not in reversed_numbers(self.rows)
            and in_life(on)
            and on >= target.day
            # Taking money back out is an outflow, checked like a disbursement.
            and (target.amount < 0 or target.amount <= room(self.rows, on))
        )
        before = services.balance(self.fund)
        entry = self._attempt(
            expected,
            f"reversal of #{target.number} ({target.kind} {target.amount} on {target.day}) on {on}",
            lambda: services.reverse(
                actor=self.world.actor,
                entry=LedgerEntry.objects.get(fund=self.fund, number=target.number),
                reason="Ghi nhầm",
                day=None if when == "today" else on,
            ),
        )
        if entry is None:
            return
        row = self._book(
            kind=EntryKind.REVERSAL,
            day=on,
            amount=-target.amount,
            member=target.member,
            month=target.month,
            child=target.child,
            reverses=target.number,
        )
        assert entry.number == row.number
        # The balance is back to what it was before the entry was counted: from the reversal's
        # day on, every day closes as if neither the entry nor its reversal had been recorded.
        assert services.balance(self.fund) == before - target.amount
        without = [r for r in self.rows if r.number not in (target.number, row.number)]
        for d in sorted({r.day for r in self.rows} | {TODAY}):
            if d >= on:
                assert services.balance(self.fund, d) == balance_on(without, d), d

    @rule(start=days, length=st.integers(0, LIFE + 10))
    def statement_of_any_period(self, start: dt.date, length: int) -> None:
        check_statement(self.fund, self.children, self.rows, start, start + dt.timedelta(days=length))

    # -- after every step ----------------------------------------------------------------------

    @invariant()
    def the_ledger_holds_what_was_accepted(self) -> None:
        stored = db_rows(self.fund)
        assert stored == self.rows
        assert [row.number for row in stored] == list(range(1, len(stored) + 1))
        assert Disbursement.objects.filter(entry__fund=self.fund).count() == sum(
            row.kind == EntryKind.DISBURSEMENT for row in stored
        )
        # Each entry has its line in the audit log.
        audited = AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(LedgerEntry),
            target_id__in=[
                str(pk) for pk in LedgerEntry.objects.filter(fund=self.fund).values_list("pk", flat=True)
            ],
        )
        assert audited.count() == len(stored)

    @invariant()
    def the_balance_is_the_sum_of_the_entries_and_never_negative(self) -> None:
        stored = db_rows(self.fund)
        assert services.balance(self.fund) == sum(row.amount for row in stored)
        for day, closing in closings(stored).items():
            assert closing >= 0, (day, closing)
            assert services.balance(self.fund, day) == closing

    @invariant()
    def a_year_statement_adds_up(self) -> None:
        check_statement(self.fund, self.children, self.rows, D(2023, 7, 1), D(2024, 6, 30))


def check_statement(
    fund: Fund, children: list[Beneficiary], rows: list[Row], start: dt.date, end: dt.date
) -> None:
    statement = queries.statement(fund, start, end)
    period = [row for row in rows if start <= row.day <= end]
    assert statement.opening == balance_on(rows, start - dt.timedelta(days=1))
    assert statement.closing == balance_on(rows, end)
    assert statement.opening + sum(statement.by_kind.values()) == statement.closing
    assert statement.closing == services.balance(fund, end)
    by_kind: dict[str, int] = defaultdict(int)
    for row in period:
        by_kind[counted_as(rows, row)] += row.amount
    assert statement.by_kind == dict(by_kind)
    assert statement.money_in - statement.money_out == statement.closing - statement.opening
    # Each child's line: disbursements in the period, net of the reversals in it.
    lines: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in period:
        if row.child is not None and counted_as(rows, row) == EntryKind.DISBURSEMENT:
            lines[row.child][0] += -1 if row.kind == EntryKind.REVERSAL else 1
            lines[row.child][1] -= row.amount
    shown = {line.child.pk: [line.count, line.total] for line in statement.children}
    assert set(lines) <= set(shown)
    for child in children:
        sponsored = child.sponsored_from <= end and (
            child.sponsored_to is None or child.sponsored_to >= start
        )
        assert (child.pk in shown) == (sponsored or child.pk in lines)
        if child.pk in shown:
            assert shown[child.pk] == lines.get(child.pk, [0, 0])
    undone = reversed_numbers(rows)
    savers = {row.member for row in period if row.kind == EntryKind.CONTRIBUTION and row.number not in undone}
    assert statement.contributors == len(savers)
    assert [entry.number for entry in statement.entries] == [
        row.number for row in sorted(period, key=lambda r: (r.day, r.number))
    ]


@pytest.mark.timeout(600)
def test_any_sequence_of_operations_keeps_the_ledger_whole(world: World) -> None:
    run_state_machine_as_test(lambda: Ledger(world), settings=PROPERTIES)


# ---------------------------------------------------------------------------------------------
# A reversal on the entry's own day puts every day back as it was
# ---------------------------------------------------------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("opening"), days, money_in),
        st.tuples(st.just("donation"), days, money_in),
        st.tuples(st.just("disbursement"), days, money_out),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.timeout(600)
@PROPERTIES
@given(history=operations, pick=st.integers(0, 1_000))
def test_reversing_an_entry_on_its_own_day_puts_every_day_back(
    world: World, history: list[tuple[str, dt.date, int]], pick: int
) -> None:
    with rolled_back():
        book = new_fund(world)
        fund, child = book.fund, book.children[0]
        for what, day, amount in history:
            try:
                if what == "opening":
                    services.record_opening(actor=None, fund=fund, day=day, amount=amount, reason="Sổ cũ")
                elif what == "donation":
                    services.record_donation(
                        actor=None, fund=fund, day=day, amount=amount, source="Nhà hảo tâm"
                    )
                else:
                    # A slot of its own for each payment, so that only the money can refuse it.
                    slot = QUARTERS[LedgerEntry.objects.filter(fund=fund).count() % len(QUARTERS)]
                    services.record_disbursement(
                        actor=None,
                        child=child,
                        day=day,
                        amount=amount,
                        handed_by=world.regulars[1].person,
                        received_by="Lê Thị Mến",
                        slot=slot,
                    )
            except ValidationError:
                pass
        rows = db_rows(fund)
        if not rows:
            return
        target = rows[pick % len(rows)]
        without = [row for row in rows if row.number != target.number]
        # Allowed exactly when the ledger without the entry never goes below zero.
        fits = all(closing >= 0 for closing in closings(without).values())
        note(f"reversing #{target.number} ({target.kind} {target.amount} on {target.day}); fits: {fits}")
        event(f"{len(rows)} entries; reversing a {target.kind}; {'fits' if fits else 'refused'}")
        refusal: list[str] = []
        try:
            services.reverse(
                actor=None,
                entry=LedgerEntry.objects.get(fund=fund, number=target.number),
                reason="Ghi nhầm",
                day=target.day,
            )
        except ValidationError as exc:
            refusal = exc.messages
        if refusal:
            assert not fits, refusal
            assert db_rows(fund) == rows  # refused: nothing written
            return
        assert fits
        for day in sorted({row.day for row in rows} | {OPENED, TODAY}):
            assert services.balance(fund, day) == balance_on(without, day), day
        assert services.balance(fund) == sum(row.amount for row in without)
