"""What a treasurer relies on when keeping the fund through ``lantoa.funds.services``: each
refusal says why, in the interface's language, and books nothing; the ledger cannot be edited,
whether through the model, a queryset or raw SQL; each write is audited under its author, and
the audit log never names a child; the savings sheet and the statement add up.

The fund of ``fund_world`` (Chi bộ Hội LHPN huyện) opened on 01/01/2023 at 50.000 đ a month,
with nine members since 2020 and a child sponsored 1.200.000 đ a quarter from 01/01/2023.
Refusal texts are compared with ``tr(msgid)``: what the interface shows, whatever the Vietnamese
catalogue holds today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.funds import queries, services
from lantoa.funds.models import Beneficiary, ConsentGiver, ConsentUse, EntryKind, LedgerEntry
from lantoa.lib.vi import format_money
from tests.conftest import tr
from tests.factories import member_in
from tests.funds.conftest import MONTHLY, QUARTERLY, FundWorld, add_child

D = dt.date
TODAY = D(2024, 12, 20)
CHILD_NAME = "Trần Ngọc Bảo Hân"

pytestmark = pytest.mark.today(TODAY)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def actor(world: FundWorld) -> Any:
    return world.treasurer.user


def donate(world: FundWorld, day: dt.date, amount: int = 3_000_000) -> LedgerEntry:
    return services.record_donation(
        actor=actor(world), fund=world.fund, day=day, amount=amount, source="Hội viên Hội LHPN huyện"
    )


def save(
    world: FundWorld, month: dt.date, members: list[Any], day: dt.date
) -> services.ContributionsRecorded:
    return services.record_contributions(
        actor=actor(world), fund=world.fund, month=month, member_ids=[m.pk for m in members], day=day
    )


def pay(
    world: FundWorld,
    day: dt.date,
    amount: int = QUARTERLY,
    child: Beneficiary | None = None,
    slot: dt.date | None = None,
) -> Any:
    return services.record_disbursement(
        actor=actor(world),
        child=child or world.child,
        day=day,
        amount=amount,
        handed_by=world.members[0].person,
        received_by="Lê Thị Mến",
        slot=slot,
    )


def undo(
    world: FundWorld, entry: LedgerEntry, day: dt.date | None = None, reason: str = "Ghi nhầm"
) -> LedgerEntry:
    return services.reverse(actor=actor(world), entry=entry, reason=reason, day=day)


def refused(excinfo: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return excinfo.value.message_dict[field]


def ledger(world: FundWorld) -> list[tuple[int, str, dt.date, int]]:
    return list(
        LedgerEntry.objects.filter(fund=world.fund)
        .order_by("number")
        .values_list("number", "kind", "occurred_on", "amount")
    )


def audited(obj: models.Model) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    )


# ---------------------------------------------------------------------------------------------
# Dates and amounts
# ---------------------------------------------------------------------------------------------

FUTURE_MSG = "The date %(day)s is in the future."
NOT_OPEN_MSG = "The fund was not open on %(day)s (opened %(opened)s)."
AMOUNT_MSG = "The amount must be a whole number of đồng above zero."


def test_a_date_in_the_future_is_refused_and_today_is_not(fund_world: FundWorld) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    expected = [tr(FUTURE_MSG, day="21/12/2024")]

    with pytest.raises(ValidationError) as donation:
        donate(fund_world, tomorrow)
    assert refused(donation, "occurred_on") == expected
    with pytest.raises(ValidationError) as opening:
        services.record_opening(actor=None, fund=fund_world.fund, day=tomorrow, amount=1, reason="Sổ cũ")
    assert refused(opening, "occurred_on") == expected
    with pytest.raises(ValidationError) as savings:
        save(fund_world, D(2024, 12, 1), fund_world.members[:1], tomorrow)
    assert refused(savings, "day") == expected
    with pytest.raises(ValidationError) as payment:
        pay(fund_world, tomorrow)
    assert refused(payment, "day") == expected
    assert ledger(fund_world) == []

    entry = donate(fund_world, TODAY)
    with pytest.raises(ValidationError) as reversal:
        undo(fund_world, entry, day=tomorrow)
    assert refused(reversal, "occurred_on") == expected
    assert ledger(fund_world) == [(1, EntryKind.DONATION, TODAY, 3_000_000)]


def test_a_date_before_the_fund_opened_is_refused(fund_world: FundWorld) -> None:
    with pytest.raises(ValidationError) as donation:
        donate(fund_world, D(2022, 12, 31))
    assert refused(donation, "occurred_on") == [tr(NOT_OPEN_MSG, day="31/12/2022", opened="01/01/2023")]
    assert ledger(fund_world) == []

    donate(fund_world, D(2023, 1, 1))  # the opening day itself is a day of the fund
    assert services.balance(fund_world.fund) == 3_000_000


def test_savings_for_a_month_before_the_fund_or_after_the_day_are_refused(fund_world: FundWorld) -> None:
    month_msg = "Savings for %(month)s cannot be recorded on %(day)s."
    with pytest.raises(ValidationError) as before:
        save(fund_world, D(2022, 12, 1), fund_world.members[:1], D(2023, 1, 10))
    assert refused(before, "month") == [tr(month_msg, month="12/2022", day="10/01/2023")]
    with pytest.raises(ValidationError) as ahead:
        save(fund_world, D(2024, 12, 1), fund_world.members[:1], D(2024, 11, 30))
    assert refused(ahead, "month") == [tr(month_msg, month="12/2024", day="30/11/2024")]
    assert ledger(fund_world) == []


@pytest.mark.parametrize("amount", [0, -1, -50_000, 50_000.0])
def test_an_amount_that_is_not_a_whole_number_of_dong_above_zero_is_refused(
    fund_world: FundWorld, amount: Any
) -> None:
    donate(fund_world, D(2023, 1, 2), 5_000_000)
    calls = {
        "donation": lambda: donate(fund_world, D(2023, 2, 1), amount),
        "opening": lambda: services.record_opening(
            actor=None, fund=fund_world.fund, day=D(2023, 1, 1), amount=amount, reason="Sổ cũ"
        ),
        "disbursement": lambda: pay(fund_world, D(2023, 3, 1), amount),
    }
    for call in calls.values():
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert refused(excinfo, "amount") == [tr(AMOUNT_MSG)]
    assert len(ledger(fund_world)) == 1


def test_an_amount_with_three_zeros_too_many_is_refused(fund_world: FundWorld) -> None:
    with pytest.raises(ValidationError) as excinfo:
        donate(fund_world, D(2023, 2, 1), services.MAX_AMOUNT + 1)
    assert refused(excinfo, "amount") == [
        tr("The amount is larger than any the fund can hold; check the zeros.")
    ]
    donate(fund_world, D(2023, 2, 1), services.MAX_AMOUNT)
    assert services.balance(fund_world.fund) == services.MAX_AMOUNT


def test_a_donation_says_who_gave(fund_world: FundWorld) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.record_donation(actor=None, fund=fund_world.fund, day=D(2023, 2, 1), amount=1, source="  ")
    assert refused(excinfo, "source") == [tr("Write who gave the money.")]


def test_a_second_opening_balance_is_refused_until_the_first_is_reversed(fund_world: FundWorld) -> None:
    first = services.record_opening(
        actor=None, fund=fund_world.fund, day=D(2023, 1, 1), amount=2_000_000, reason="Sổ cũ"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.record_opening(
            actor=None, fund=fund_world.fund, day=D(2023, 1, 1), amount=2_500_000, reason="x"
        )
    assert refused(excinfo, "kind") == [
        tr("The fund already has an opening balance; reverse it to correct it.")
    ]

    undo(fund_world, first, day=D(2023, 1, 1))
    services.record_opening(
        actor=None, fund=fund_world.fund, day=D(2023, 1, 1), amount=2_500_000, reason="Đếm lại"
    )
    assert services.balance(fund_world.fund) == 2_500_000


# ---------------------------------------------------------------------------------------------
# Members' savings
# ---------------------------------------------------------------------------------------------


def test_a_second_tap_on_a_member_books_nothing_and_reports_them_as_paid(fund_world: FundWorld) -> None:
    first, second, third = fund_world.members[:3]
    november = D(2024, 11, 1)

    done = save(fund_world, november, [first, second], D(2024, 11, 20))
    assert [entry.member_id for entry in done.entries] == [first.pk, second.pk]
    assert done.already_paid == []
    again = save(fund_world, november, [first, second, third], D(2024, 11, 21))
    assert [entry.member_id for entry in again.entries] == [third.pk]
    assert sorted(m.pk for m in again.already_paid) == [first.pk, second.pk]
    audit_lines = AuditEntry.objects.count()
    once_more = save(fund_world, november, [first, second, third], D(2024, 11, 22))
    assert once_more.entries == []
    assert sorted(m.pk for m in once_more.already_paid) == [first.pk, second.pk, third.pk]

    assert services.balance(fund_world.fund) == 3 * MONTHLY
    assert AuditEntry.objects.count() == audit_lines
    assert services.paid_member_ids(fund_world.fund, november) == {first.pk, second.pk, third.pk}


def test_a_reversed_saving_may_be_booked_again(fund_world: FundWorld) -> None:
    member = fund_world.members[0]
    (entry,) = save(fund_world, D(2024, 10, 1), [member], D(2024, 10, 15)).entries
    undo(fund_world, entry, reason="Tích nhầm người")
    assert services.paid_member_ids(fund_world.fund, D(2024, 10, 1)) == set()
    (again,) = save(fund_world, D(2024, 10, 1), [member], D(2024, 10, 16)).entries
    assert again.number == 3
    assert services.balance(fund_world.fund) == MONTHLY


def test_a_member_of_another_cell_is_refused_and_nothing_is_booked(fund_world: FundWorld) -> None:
    stranger = member_in(fund_world.tree.other_cell, name="Đảng viên ấp Giồng", since=D(2020, 1, 1))
    audit_lines = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        save(fund_world, D(2024, 11, 1), [*fund_world.members[:3], stranger], D(2024, 11, 20))

    assert refused(excinfo, "members") == [
        tr("Only members of the unit in %(month)s can be ticked.", month="11/2024")
    ]
    assert ledger(fund_world) == []  # the whole tick sheet is refused, not just the stranger
    assert AuditEntry.objects.count() == audit_lines


def test_a_member_who_joined_after_the_month_is_refused_for_it(fund_world: FundWorld) -> None:
    newcomer = member_in(fund_world.tree.women, name="Hội viên mới", since=D(2024, 6, 15))
    with pytest.raises(ValidationError) as excinfo:
        save(fund_world, D(2024, 5, 1), [newcomer], D(2024, 6, 20))
    assert refused(excinfo, "members") == [
        tr("Only members of the unit in %(month)s can be ticked.", month="05/2024")
    ]
    # From the month she joined in, she saves.
    assert len(save(fund_world, D(2024, 6, 1), [newcomer], D(2024, 6, 20)).entries) == 1


def test_an_excused_member_is_refused_and_nothing_is_booked(fund_world: FundWorld) -> None:
    excused = fund_world.members[2]
    services.record_exemption(
        actor=actor(fund_world),
        fund=fund_world.fund,
        member=excused,
        first_month=D(2024, 10, 1),
        last_month=D(2024, 11, 1),
        reason="Ốm dài ngày",
    )

    with pytest.raises(ValidationError) as excinfo:
        save(fund_world, D(2024, 11, 1), fund_world.members[:3], D(2024, 11, 20))

    assert refused(excinfo, "members") == [
        tr("Excused from saving in %(month)s: %(names)s.", month="11/2024", names=excused.person.full_name)
    ]
    assert ledger(fund_world) == []
    # After the excused months she saves again.
    assert len(save(fund_world, D(2024, 12, 1), [excused], D(2024, 12, 5)).entries) == 1


# ---------------------------------------------------------------------------------------------
# Disbursements
# ---------------------------------------------------------------------------------------------


def test_a_disbursement_for_a_child_not_sponsored_that_day_is_refused(fund_world: FundWorld) -> None:
    donate(fund_world, D(2023, 1, 2), 5_000_000)
    child = add_child(
        fund_world.fund,
        full_name="Nguyễn Văn Phúc",
        sponsored_from=D(2024, 1, 1),
        sponsored_to=D(2024, 6, 30),
        scheduled_amount=600_000,
    )
    message = "The child was not sponsored on %(day)s."

    with pytest.raises(ValidationError) as before:
        pay(fund_world, D(2023, 12, 31), 600_000, child=child)
    assert refused(before, "day") == [tr(message, day="31/12/2023")]
    with pytest.raises(ValidationError) as after:
        pay(fund_world, D(2024, 7, 1), 600_000, child=child)
    assert refused(after, "day") == [tr(message, day="01/07/2024")]
    assert len(ledger(fund_world)) == 1

    pay(fund_world, D(2024, 6, 30), 600_000, child=child)  # the last day of sponsorship
    assert services.balance(fund_world.fund) == 4_400_000


def test_the_same_quarter_is_not_paid_twice_to_a_child(fund_world: FundWorld) -> None:
    donate(fund_world, D(2023, 1, 2), 10_000_000)
    first = pay(fund_world, D(2023, 2, 10))
    assert first.slot == D(2023, 1, 1)
    message = "The period from %(slot)s was already paid to this child."

    with pytest.raises(ValidationError) as again:
        pay(fund_world, D(2023, 3, 25))
    assert refused(again, "slot") == [tr(message, slot="01/01/2023")]
    with pytest.raises(ValidationError) as named:
        pay(fund_world, D(2023, 5, 2), slot=D(2023, 1, 15))  # late, naming the same quarter
    assert refused(named, "slot") == [tr(message, slot="01/01/2023")]
    assert len(ledger(fund_world)) == 2

    # Another child's quarter is their own; the next quarter is free; a reversed payment frees it.
    other = add_child(fund_world.fund, full_name="Nguyễn Văn Phúc", scheduled_amount=600_000)
    pay(fund_world, D(2023, 3, 25), 600_000, child=other)
    assert pay(fund_world, D(2023, 4, 5)).slot == D(2023, 4, 1)
    undo(fund_world, first.entry, day=D(2023, 4, 6), reason="Trả nhầm số tiền")
    assert pay(fund_world, D(2023, 4, 7), slot=D(2023, 1, 1)).slot == D(2023, 1, 1)


def test_a_disbursement_that_would_overdraw_is_refused_with_what_can_leave(fund_world: FundWorld) -> None:
    donate(fund_world, D(2024, 1, 10), 1_000_000)

    with pytest.raises(ValidationError) as excinfo:
        pay(fund_world, D(2024, 2, 1))

    assert refused(excinfo, "amount") == [
        tr(
            "The fund cannot pay %(amount)s on %(day)s: it would be overdrawn "
            "(at most %(room)s can leave it that day without a later day going below zero).",
            amount=format_money(QUARTERLY),
            day="01/02/2024",
            room=format_money(1_000_000),
        )
    ]
    assert ledger(fund_world) == [(1, EntryKind.DONATION, D(2024, 1, 10), 1_000_000)]
    pay(fund_world, D(2024, 2, 1), 1_000_000)  # all there is
    assert services.balance(fund_world.fund) == 0


def test_a_backdated_outflow_is_refused_when_a_later_day_would_go_below_zero(fund_world: FundWorld) -> None:
    donation = donate(fund_world, D(2024, 1, 5), 1_500_000)
    pay(fund_world, D(2024, 3, 10))  # 300.000 đ left
    donate(fund_world, D(2024, 4, 1), 1_000_000)  # 1.300.000 đ today
    other = add_child(fund_world.fund, full_name="Nguyễn Văn Phúc", sponsored_from=D(2024, 1, 1))

    # On 01/02 the fund held 1.500.000 đ, but paying then would leave 10/03 at -900.000 đ.
    with pytest.raises(ValidationError) as backdated:
        pay(fund_world, D(2024, 2, 1), child=other)
    assert format_money(300_000) in refused(backdated, "amount")[0]
    # Taking the first donation back out is an outflow too, checked the same way.
    with pytest.raises(ValidationError) as reversal:
        undo(fund_world, donation, reason="Nhà hảo tâm rút lại")
    assert format_money(1_300_000) in refused(reversal, "amount")[0]
    assert services.balance(fund_world.fund) == 1_300_000

    pay(fund_world, D(2024, 4, 2), child=other)  # after the second donation it fits
    assert services.balance(fund_world.fund) == 100_000
    assert min(services.balance(fund_world.fund, day) for day, *_ in _days(fund_world)) >= 0


def _days(world: FundWorld) -> list[tuple[dt.date]]:
    return list(LedgerEntry.objects.filter(fund=world.fund).values_list("occurred_on").distinct())


def test_a_disbursement_says_who_received_it(fund_world: FundWorld) -> None:
    donate(fund_world, D(2023, 1, 2))
    with pytest.raises(ValidationError) as excinfo:
        services.record_disbursement(
            actor=None,
            child=fund_world.child,
            day=D(2023, 2, 1),
            amount=QUARTERLY,
            handed_by=fund_world.members[0].person,
            received_by=" ",
        )
    assert refused(excinfo, "received_by") == [tr("Write who received the money.")]


# ---------------------------------------------------------------------------------------------
# Reversals
# ---------------------------------------------------------------------------------------------


def test_a_reversal_restores_the_balance(fund_world: FundWorld) -> None:
    donate(fund_world, D(2023, 1, 2), 5_000_000)
    payment = pay(fund_world, D(2023, 2, 1))
    reversal = undo(fund_world, payment.entry, day=D(2023, 2, 3), reason="Trả nhầm số tiền")

    assert (reversal.kind, reversal.amount, reversal.reverses_id) == (
        EntryKind.REVERSAL,
        QUARTERLY,
        payment.entry.pk,
    )
    assert (reversal.beneficiary_id, reversal.reason) == (fund_world.child.pk, "Trả nhầm số tiền")
    assert services.balance(fund_world.fund, D(2023, 2, 2)) == 3_800_000  # counted until the reversal
    assert services.balance(fund_world.fund, D(2023, 2, 3)) == 5_000_000
    assert services.balance(fund_world.fund) == 5_000_000


def test_an_entry_is_reversed_once(fund_world: FundWorld) -> None:
    entry = donate(fund_world, D(2023, 1, 2))
    undo(fund_world, entry)
    with pytest.raises(ValidationError) as excinfo:
        undo(fund_world, entry)
    assert refused(excinfo, "reverses") == [tr("Entry %(number)s was already reversed.", number=1)]
    assert len(ledger(fund_world)) == 2
    assert services.balance(fund_world.fund) == 0


def test_a_reversal_is_not_reversed(fund_world: FundWorld) -> None:
    reversal = undo(fund_world, donate(fund_world, D(2023, 1, 2)))
    with pytest.raises(ValidationError) as excinfo:
        undo(fund_world, reversal)
    assert refused(excinfo, "reverses") == [
        tr("A reversal is not reversed; record the movement again instead.")
    ]
    assert len(ledger(fund_world)) == 2


def test_a_reversal_needs_a_reason_and_a_date_not_before_the_entry(fund_world: FundWorld) -> None:
    entry = donate(fund_world, D(2023, 5, 2))
    with pytest.raises(ValidationError) as no_reason:
        undo(fund_world, entry, reason="   ")
    assert refused(no_reason, "reason") == [tr("Write why the entry is reversed.")]
    with pytest.raises(ValidationError) as too_early:
        undo(fund_world, entry, day=D(2023, 5, 1))
    assert refused(too_early, "occurred_on") == [tr("A reversal cannot be dated before the entry it undoes.")]
    assert len(ledger(fund_world)) == 1


# ---------------------------------------------------------------------------------------------
# The ledger is append-only
# ---------------------------------------------------------------------------------------------


def test_the_ledger_refuses_edits_and_deletions_through_the_model(fund_world: FundWorld) -> None:
    entry = donate(fund_world, D(2023, 1, 2), 1_000_000)
    entries = LedgerEntry.objects.filter(fund=fund_world.fund)

    entry.amount = 9_000_000
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        entries.update(amount=9_000_000)
    with pytest.raises(TypeError):
        entries.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.update(reason="x")

    assert ledger(fund_world) == [(1, EntryKind.DONATION, D(2023, 1, 2), 1_000_000)]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE funds_ledgerentry SET amount = 9000000 WHERE id = %s",
        "UPDATE funds_ledgerentry SET reason = 'sửa' WHERE id = %s",
        "UPDATE funds_ledgerentry SET occurred_on = occurred_on WHERE id = %s",
    ],
)
def test_the_database_refuses_a_raw_update_of_the_ledger(fund_world: FundWorld, sql: str) -> None:
    assert LedgerEntry._meta.db_table == "funds_ledgerentry"
    entry = donate(fund_world, D(2023, 1, 2), 1_000_000)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])

    assert ledger(fund_world) == [(1, EntryKind.DONATION, D(2023, 1, 2), 1_000_000)]
    assert LedgerEntry.objects.get(pk=entry.pk).reason == ""


# ---------------------------------------------------------------------------------------------
# The audit log
# ---------------------------------------------------------------------------------------------


def test_each_write_leaves_an_audit_entry_naming_the_treasurer(fund_world: FundWorld) -> None:
    treasurer = actor(fund_world)
    fund = fund_world.fund
    written: list[models.Model] = [
        services.set_rule(actor=treasurer, fund=fund, valid_from=D(2024, 1, 1), monthly_amount=60_000),
        services.record_opening(
            actor=treasurer, fund=fund, day=D(2023, 1, 1), amount=2_000_000, reason="Sổ cũ"
        ),
        donate(fund_world, D(2023, 1, 2)),
        *save(fund_world, D(2023, 1, 1), fund_world.members[:2], D(2023, 1, 20)).entries,
        services.record_exemption(
            actor=treasurer,
            fund=fund,
            member=fund_world.members[3],
            first_month=D(2023, 2, 1),
            last_month=None,
            reason="Hoàn cảnh khó khăn",
        ),
    ]
    child = services.add_beneficiary(
        actor=treasurer,
        fund=fund,
        full_name="Nguyễn Văn Phúc",
        birth_year=2015,
        commune="xã An Khánh",
        situation="Mồ côi cả cha lẫn mẹ.",
        guardian_name="Nguyễn Thị Hai",
        guardian_relation="bà ngoại",
        sponsored_from=D(2023, 1, 1),
        scheduled_amount=QUARTERLY,
    )
    payment = pay(fund_world, D(2023, 2, 1), child=child)
    written += [
        child,
        services.record_consent(
            actor=treasurer,
            child=child,
            given_by=ConsentGiver.GUARDIAN,
            giver_name="Nguyễn Thị Hai",
            given_on=D(2023, 1, 5),
            uses=[ConsentUse.STATEMENT],
        ),
        payment,
        payment.entry,
        undo(fund_world, written[2]),
    ]

    for obj in written:
        (line,) = audited(obj)
        assert (line.action, line.actor, line.actor_name) == (
            AuditAction.CREATE,
            treasurer,
            treasurer.get_username(),
        ), obj
        assert line.unit_id == fund.unit_id
    # The ledger entries record their author too.
    assert set(LedgerEntry.objects.filter(fund=fund).values_list("recorded_by", flat=True)) == {treasurer.pk}


def test_the_audit_log_never_names_the_child(fund_world: FundWorld) -> None:
    treasurer = actor(fund_world)
    child = services.add_beneficiary(
        actor=treasurer,
        fund=fund_world.fund,
        full_name=CHILD_NAME,
        birth_year=2014,
        commune="xã An Khánh",
        situation="Mồ côi cha, mẹ làm thuê.",
        guardian_name="Lê Thị Mến",
        guardian_relation="mẹ",
        sponsored_from=D(2023, 1, 1),
        scheduled_amount=QUARTERLY,
    )
    services.update_beneficiary(actor=treasurer, child=child, full_name="Trần Ngọc Bảo Hân Nhi")
    donate(fund_world, D(2023, 1, 2))
    payment = pay(fund_world, D(2023, 2, 1), child=child)
    undo(fund_world, payment.entry, reason="Trả nhầm")

    lines = AuditEntry.objects.filter(unit_id=fund_world.fund.unit_id)
    reprs = [line.target_repr for line in lines]
    child_lines = [
        line for line in lines if line.target_type == ContentType.objects.get_for_model(Beneficiary)
    ]
    assert {line.target_id for line in child_lines} >= {str(child.pk)}
    # Created under the initials, and changed under the initials of the new name.
    assert sorted(line.target_repr for line in child_lines if line.target_id == str(child.pk)) == [
        "T. N. B. H. (2014)",
        "T. N. B. H. N. (2014)",
    ]
    for text in reprs:
        for word in CHILD_NAME.split():
            assert word not in text, text
    # Ledger entries show the child by initials in their changes as well.
    for line in lines.filter(target_type=ContentType.objects.get_for_model(LedgerEntry)):
        assert CHILD_NAME not in str(line.changes)


# ---------------------------------------------------------------------------------------------
# The savings sheet
# ---------------------------------------------------------------------------------------------


def _row(rows: list[queries.MemberSavings], member_id: int) -> queries.MemberSavings:
    return next(row for row in rows if row.member_id == member_id)


def test_savings_owed_from_the_month_a_member_joined_and_not_the_current_month(fund_world: FundWorld) -> None:
    newcomer = member_in(fund_world.tree.women, name="Hội viên mới", since=D(2024, 6, 15))
    save(fund_world, D(2024, 6, 1), [newcomer], D(2024, 6, 20))

    row = _row(queries.savings(fund_world.fund, D(2024, 1, 1), D(2024, 12, 31)), newcomer.pk)

    assert row.paid == {D(2024, 6, 1): MONTHLY}
    # July to November are owed; December is still being collected; before June she was not here.
    assert row.owed == {D(2024, m, 1): MONTHLY for m in range(7, 12)}
    assert row.owed_total == 5 * MONTHLY


def test_an_excused_month_is_not_owed(fund_world: FundWorld) -> None:
    member = fund_world.members[0]
    services.record_exemption(
        actor=None,
        fund=fund_world.fund,
        member=member,
        first_month=D(2024, 8, 1),
        last_month=D(2024, 8, 1),
        reason="Ốm",
    )
    save(fund_world, D(2024, 9, 1), [member], D(2024, 9, 20))

    row = _row(queries.savings(fund_world.fund, D(2024, 7, 1), D(2024, 12, 31)), member.pk)

    assert row.excused == {D(2024, 8, 1)}
    assert set(row.owed) == {D(2024, 7, 1), D(2024, 10, 1), D(2024, 11, 1)}


def test_savings_follow_the_amount_in_force_and_the_fund_opening(fund_world: FundWorld) -> None:
    services.set_rule(actor=None, fund=fund_world.fund, valid_from=D(2024, 10, 15), monthly_amount=70_000)
    member = fund_world.members[1]
    (reversed_saving,) = save(fund_world, D(2024, 10, 1), [member], D(2024, 10, 20)).entries
    undo(fund_world, reversed_saving)

    rows = queries.savings(fund_world.fund, D(2022, 11, 1), D(2024, 12, 31))
    row = _row(rows, member.pk)

    assert len(rows) == len(fund_world.members)
    assert min(row.owed) == D(2023, 1, 1)  # nothing is owed before the fund opened
    assert row.owed[D(2024, 9, 1)] == MONTHLY
    assert row.owed[D(2024, 10, 1)] == 70_000  # a reversed saving is owed again, at the new amount
    assert max(row.owed) == D(2024, 11, 1)
    assert row.owed_total == 21 * MONTHLY + 2 * 70_000
    only = queries.savings(fund_world.fund, D(2024, 1, 1), D(2024, 12, 31), member_ids={member.pk})
    assert [r.member_id for r in only] == [member.pk]


# ---------------------------------------------------------------------------------------------
# The statement
# ---------------------------------------------------------------------------------------------


def test_the_statement_has_a_line_per_child_and_totals_by_kind_net_of_reversals(
    fund_world: FundWorld,
) -> None:
    fund, first = fund_world.fund, fund_world.child
    second = add_child(
        fund, full_name="Nguyễn Văn Phúc", sponsored_from=D(2024, 1, 1), scheduled_amount=600_000
    )
    services.record_opening(actor=None, fund=fund, day=D(2023, 1, 1), amount=2_000_000, reason="Sổ cũ")
    donate(fund_world, D(2024, 1, 2), 10_000_000)
    savings = save(fund_world, D(2024, 1, 1), fund_world.members[:3], D(2024, 1, 20)).entries
    undo(fund_world, savings[0], day=D(2024, 1, 21))
    pay(fund_world, D(2024, 2, 1))
    pay(fund_world, D(2024, 5, 1))
    wrong = pay(fund_world, D(2024, 5, 2), 600_000, child=second)
    undo(fund_world, wrong.entry, day=D(2024, 5, 10))
    pay(fund_world, D(2024, 5, 11), 600_000, child=second)
    pay(fund_world, D(2024, 7, 1), 600_000, child=second)  # after the period

    statement = queries.statement(fund, D(2024, 1, 1), D(2024, 6, 30))

    assert statement.opening == 2_000_000
    assert statement.by_kind == {
        EntryKind.DONATION: 10_000_000,
        EntryKind.CONTRIBUTION: 2 * MONTHLY,  # three saved, one was reversed
        EntryKind.DISBURSEMENT: -(2 * QUARTERLY + 600_000),
    }
    assert (statement.money_in, statement.money_out) == (10_100_000, 3_000_000)
    assert (statement.contributions, statement.donations, statement.opening_entries) == (
        100_000,
        10_000_000,
        0,
    )
    assert statement.closing == 2_000_000 + 10_100_000 - 3_000_000
    assert statement.closing == services.balance(fund, D(2024, 6, 30))
    assert [(line.child, line.count, line.total) for line in statement.children] == [
        (first, 2, 2 * QUARTERLY),
        (second, 1, 600_000),
    ]
    assert statement.contributors == 2
    assert len(statement.entries) == 10

    year = queries.year_totals(fund, 2023)
    assert (year.opening, year.by_kind, year.closing) == (0, {EntryKind.OPENING: 2_000_000}, 2_000_000)
    assert [(line.child, line.count, line.total) for line in year.children] == [(first, 0, 0)]
    assert year.entries == []
