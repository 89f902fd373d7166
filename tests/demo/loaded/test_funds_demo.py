"""The demo's savings fund of Chi bộ Hội LHPN huyện: opened 01/01/2023 at 50.000 đ a member a
month; every member saved every month of 2023; the two children of ấp Phước Thạnh (2023) and the
child of xã Tân Thạch (from 2024) are paid every quarter ended before today; the money adds up
and the balance is never negative. The expectations come from the product's own queries and the
cell's memberships, not from totals that depend on the day the demo was loaded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.audit.models import AuditEntry
from lantoa.cells.queries.meetings import add_months
from lantoa.demo.cells.common import LHPN
from lantoa.demo.funds import ASSOCIATION, SPONSOR
from lantoa.funds import access, queries, services
from lantoa.funds.models import (
    Beneficiary,
    ConsentGiver,
    ConsentUse,
    Disbursement,
    EntryKind,
    Exemption,
    Fund,
    LedgerEntry,
)
from lantoa.org.models import Membership, Role

D = dt.date
OPENED = D(2023, 1, 1)
MONTHLY = 50_000
QUARTERLY = 1_200_000


def demo_fund() -> Fund:
    return Fund.objects.select_related("unit").get(unit__key=LHPN)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    found, month = [], first
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return found


def members_by_month(fund: Fund, first: dt.date, last: dt.date) -> dict[int, set[dt.date]]:
    """Each member of the fund's cell → the months (first to last) they belonged to it on some day,
    read from the memberships."""
    span = months(first, last)
    belongs: dict[int, set[dt.date]] = defaultdict(set)
    ties = Membership.objects.filter(unit=fund.unit, valid_from__lt=add_months(last, 1)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    for member_id, starts, ends in ties.values_list("member_id", "valid_from", "valid_to"):
        for month in span:
            if starts < add_months(month, 1) and (ends is None or ends >= month):
                belongs[member_id].add(month)
    return belongs


def last_month() -> dt.date:
    return add_months(timezone.localdate().replace(day=1), -1)


@pytest.mark.django_db
def test_demo_fund_of_the_womens_union_cell_opens_in_2023_at_50000(demo):
    fund = demo_fund()

    assert fund.unit.name == "Chi bộ Hội LHPN huyện"
    assert (fund.opened_on, fund.closed_on) == (OPENED, None)
    assert list(fund.rules.values_list("valid_from", "monthly_amount")) == [(OPENED, MONTHLY)]
    assert services.amount_due(fund, last_month()) == MONTHLY
    assert "savings fund ledger entries" in demo
    assert "fund balance 31/12/2023 (đ)" in demo


@pytest.mark.django_db
def test_demo_every_member_saved_every_month_of_2023(demo):
    fund = demo_fund()
    belongs = members_by_month(fund, OPENED, D(2023, 12, 1))
    rows = queries.savings(fund, OPENED, D(2023, 12, 1))

    # The seed article's cell: 9 members at the start of 2023, 1.350.000 đ a quarter.
    assert sum(OPENED in held for held in belongs.values()) == 9
    assert {row.member_id for row in rows} == set(belongs)
    for row in rows:
        assert row.owed == {}, row.name
        assert set(row.paid) | row.excused == belongs[row.member_id], row.name
        assert not set(row.paid) & row.excused, row.name
        assert set(row.paid.values()) == {MONTHLY}, row.name
    quarter = [
        month for row in rows for month in row.paid if month < D(2023, 4, 1)
    ]  # the first quarter's savings, whenever booked
    assert len(quarter) * MONTHLY == 9 * MONTHLY * 3 == 1_350_000


@pytest.mark.django_db
def test_demo_savings_are_booked_at_the_meetings_and_a_few_members_are_behind(demo):
    fund = demo_fund()
    today = timezone.localdate()
    last = last_month()
    rows = queries.savings(fund, OPENED, last, today=today)
    belongs = members_by_month(fund, OPENED, last)

    for row in rows:
        # Every month up to last month is paid, excused or owed; only the last two are owed.
        assert set(row.paid) | row.excused | set(row.owed) == belongs[row.member_id], row.name
        assert all(month >= add_months(last, -1) for month in row.owed), row.name
    behind = [row for row in rows if row.owed]
    assert 2 <= len(behind) <= len(rows) // 2
    assert any(len(row.owed) == 2 for row in behind)
    # Booked at the cell's meeting of the month (or the next one), never before the month.
    savings = LedgerEntry.objects.filter(fund=fund, kind=EntryKind.CONTRIBUTION)
    assert not savings.filter(month__gt=last).exists()
    for entry in savings.select_related("meeting"):
        assert entry.occurred_on >= entry.month
        assert entry.occurred_on < add_months(entry.month, 2)
        if entry.meeting is not None:
            assert entry.meeting.unit_id == fund.unit_id
            assert entry.occurred_on == entry.meeting.date
    assert savings.filter(meeting__isnull=False).count() > savings.count() * 0.9


@pytest.mark.django_db
def test_demo_one_member_is_excused_for_three_months_of_illness(demo):
    fund = demo_fund()
    exemption = Exemption.objects.get(fund=fund)

    assert exemption.reason == "Điều trị bệnh dài ngày"
    assert len(months(exemption.first_month, exemption.last_month)) == 3
    (row,) = queries.savings(
        fund, exemption.first_month, exemption.last_month, member_ids={exemption.member_id}
    )
    assert row.excused == set(months(exemption.first_month, exemption.last_month))
    assert row.paid == {}
    assert row.owed == {}


@pytest.mark.django_db
def test_demo_sponsors_three_children_in_phuoc_thanh_and_tan_thach(demo):
    children = list(Beneficiary.objects.filter(fund=demo_fund()).order_by("sponsored_from", "pk"))

    assert len(children) == 3
    phuoc_thanh = [c for c in children if (c.hamlet, c.commune) == ("ấp Phước Thạnh", "xã An Khánh")]
    tan_thach = [c for c in children if c.commune == "xã Tân Thạch"]
    assert len(phuoc_thanh) == 2
    assert len(tan_thach) == 1
    assert all(c.sponsored_from == OPENED and c.sponsored_to == D(2023, 12, 31) for c in phuoc_thanh)
    assert all("mồ côi cha" in c.situation.lower() for c in phuoc_thanh)
    (late,) = tan_thach
    assert (late.sponsored_from, late.sponsored_to) == (D(2024, 1, 1), None)
    assert "mồ côi mẹ" in late.situation.lower()
    assert "ông bà ngoại" in late.situation
    for child in children:
        assert (child.scheduled_amount, child.every_months) == (QUARTERLY, 3)
        assert 2013 <= child.birth_year <= 2016
        assert child.initials
        assert child.full_name not in str(child)


@pytest.mark.django_db
def test_demo_pays_each_child_every_quarter_ended_before_today(demo):
    today = timezone.localdate()
    for child in Beneficiary.objects.filter(fund=demo_fund()):
        expected = [
            quarter
            for quarter in months(child.sponsored_from, child.sponsored_to or today)[::3]
            if add_months(quarter, 3) - dt.timedelta(days=1) < today
        ]
        paid = list(
            Disbursement.objects.filter(beneficiary=child, entry__reversed_by__isnull=True)
            .select_related("entry")
            .order_by("slot")
        )

        assert [d.slot for d in paid] == expected, child.masked_label
        for disbursement in paid:
            assert disbursement.entry.amount == -QUARTERLY
            assert disbursement.received_by == child.guardian_name
            assert disbursement.slot <= disbursement.entry.occurred_on < add_months(disbursement.slot, 3)
            assert services.slot_of(child, disbursement.entry.occurred_on) == disbursement.slot
    # 2023: two children, 2.400.000 đ a quarter.
    year = queries.year_totals(demo_fund(), 2023)
    assert year.money_out == 2 * QUARTERLY * 4
    assert [(line.count, line.total) for line in year.children] == [(4, 4 * QUARTERLY)] * 2


@pytest.mark.django_db
def test_demo_balance_is_never_negative_and_adds_up(demo):
    fund = demo_fund()
    by_day: dict[dt.date, int] = defaultdict(int)
    for day, amount in LedgerEntry.objects.filter(fund=fund).values_list("occurred_on", "amount"):
        by_day[day] += amount
    running = 0
    for day in sorted(by_day):
        running += by_day[day]
        assert running >= 0, day
        assert running == services.balance(fund, day)
    today = timezone.localdate()
    assert running == services.balance(fund) == services.balance(fund, today)
    assert max(by_day) <= today
    # A modest fund: a few million đồng, growing by a few million a year, not a hoard.
    assert 0 < running < 3_000_000 * (today.year - 2022)
    whole = queries.statement(fund, OPENED, today, with_entries=False)
    assert whole.opening == 0
    assert whole.closing == running == whole.money_in - whole.money_out
    # Every entry went through the services, each with its audit row.
    ledger_type = ContentType.objects.get_for_model(LedgerEntry)
    audited = AuditEntry.objects.filter(target_type=ledger_type).values_list("target_id", flat=True)
    assert {str(pk) for pk in LedgerEntry.objects.filter(fund=fund).values_list("pk", flat=True)} <= set(
        audited
    )


@pytest.mark.django_db
def test_demo_2023_statement_shows_the_opening_balance_and_the_donations(demo):
    fund = demo_fund()
    year = queries.statement(fund, OPENED, D(2023, 12, 31))

    assert year.opening == 0
    assert year.opening_entries == 2_000_000
    assert year.donations > 0
    sources = {entry.source for entry in year.entries if entry.kind == EntryKind.DONATION}
    assert sources == {ASSOCIATION, SPONSOR}
    assert year.contributions == sum(
        entry.amount for entry in year.entries if entry.kind == EntryKind.CONTRIBUTION
    )
    # 11 members saved in 2023 (9, then two joined in the autumn) and the children took more than
    # the savings: the opening balance and the gifts made up the rest.
    assert year.contributors == len(members_by_month(fund, OPENED, D(2023, 12, 1)))
    assert year.contributions < year.money_out < year.money_in
    assert year.closing == services.balance(fund, D(2023, 12, 31)) == year.money_in - year.money_out
    # The later years: the association still gives at Tết.
    if timezone.localdate() >= D(2024, 12, 31):
        assert queries.year_totals(fund, 2024).donations > 0


@pytest.mark.django_db
def test_demo_consents_name_some_children_and_withhold_the_third(demo):
    today = timezone.localdate()
    children = list(Beneficiary.objects.filter(fund=demo_fund()).prefetch_related("consents"))
    named = {}
    for child in children:
        consents = list(child.consents.all())
        givers = {consent.given_by for consent in consents}
        if consents:
            assert ConsentGiver.GUARDIAN in givers
            guardian = next(c for c in consents if c.given_by == ConsentGiver.GUARDIAN)
            assert guardian.giver_name == child.guardian_name
            if child.age_in(guardian.given_on.year) >= access.OWN_CONSENT_AGE:
                assert ConsentGiver.CHILD in givers, child.masked_label
        named[child.commune, child.birth_year] = {
            use for use in ConsentUse.values if access.consent_covers(child, use, today)
        }
    assert sorted(named.values(), key=len) == [set(), {"statement"}, {"statement", "report"}]
    assert sum(1 for child in children if child.consents.all()) == 2
    assert any(c.given_by == ConsentGiver.CHILD for child in children for c in child.consents.all())


@pytest.mark.django_db
def test_demo_treasurer_login_keeps_the_fund(demo):
    user = User.objects.get(username="thuquy")
    fund = demo_fund()

    grants = list(user.role_grants.select_related("unit"))
    assert [(g.role, g.unit.key, g.valid_to) for g in grants] == [(Role.TREASURER, LHPN, None)]
    person = user.person
    assert Membership.objects.filter(
        unit=fund.unit, member__person=person, valid_from__lte=OPENED, valid_to__isnull=True
    ).exists()
    assert user.get_full_name() == person.full_name
    assert access.is_manager(user, fund)
    assert access.may_keep_fund(user, fund)
    # The treasurer handed over some of the children's money.
    assert Disbursement.objects.filter(beneficiary__fund=fund, handed_by=person).exists()
