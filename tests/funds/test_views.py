"""The fund's pages as their users work them: the treasurer collects the month's savings at the
meeting with one tap per member, records a donation and a quarterly disbursement, and reads the
statement; a plain member reads their own savings and the fund's totals, never a child's name;
the district reads the totals with the children masked and changes nothing; nobody outside the
unit reads anything. Every list reads in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.funds import services
from lantoa.funds.models import Beneficiary, ConsentGiver, Disbursement, EntryKind, LedgerEntry
from lantoa.org.models import Role
from tests.conftest import D, page_text, persona, tr
from tests.factories import member_in
from tests.funds.conftest import QUARTERLY, add_child

pytestmark = pytest.mark.today(D(2024, 12, 20))

CHILD_SECRETS = ("Trần Ngọc Bảo Hân", "Phước Thạnh", "Lê Thị Mến", "0912 345 678", "Mồ côi cha")


def _url(name, obj, **kwargs):
    return reverse(f"funds:{name}", kwargs={"public_id": obj.public_id, **kwargs})


def _funded(world, amount=5_000_000):
    services.record_donation(
        actor=None, fund=world.fund, day=D(2023, 1, 2), amount=amount, source="Cơ sở kẹo dừa Thanh Long"
    )


@pytest.fixture
def member_client(fund_world):
    """A plain member of the cell, logged in, with their own person."""
    member = fund_world.members[0]
    who = persona(fund_world.tree.women, Role.MEMBER)
    member.person.user = who.user
    member.person.save()
    return who


def test_the_treasurer_taps_the_members_who_save_at_the_meeting(fund_world):
    treasurer = fund_world.treasurer
    url = _url("savings", fund_world.fund) + "?month=12/2024"
    page = treasurer.client.get(url)
    assert page.status_code == 200
    for member in fund_world.members:
        assert member.person.full_name in page_text(page)
    tapped = [m.pk for m in fund_world.members[:7]]
    response = treasurer.client.post(url, {"month": "12/2024", "members": tapped})
    assert response.status_code == 302
    booked = LedgerEntry.objects.filter(kind=EntryKind.CONTRIBUTION, month=D(2024, 12, 1))
    assert sorted(booked.values_list("member_id", flat=True)) == sorted(tapped)
    assert {entry.amount for entry in booked} == {50_000}
    # A second tap on the same members books nothing more.
    treasurer.client.post(url, {"month": "12/2024", "members": tapped})
    assert booked.count() == 7
    assert AuditEntry.objects.filter(actor=treasurer.user, action=AuditAction.CREATE).count() >= 7


def test_a_member_of_another_cell_cannot_be_booked_and_nothing_is(fund_world):
    stranger = member_in(fund_world.tree.phuoc_thanh)
    url = _url("savings", fund_world.fund)
    fund_world.treasurer.client.post(
        url, {"month": "12/2024", "members": [fund_world.members[0].pk, stranger.pk]}
    )
    assert not LedgerEntry.objects.filter(kind=EntryKind.CONTRIBUTION).exists()


def test_the_treasurer_records_a_quarterly_disbursement_with_its_receipt(fund_world):
    _funded(fund_world)
    client = fund_world.treasurer.client
    handing = fund_world.members[0].person
    response = client.post(
        _url("pay", fund_world.child),
        {
            "day": "20/12/2024",
            "amount": "1.200.000",
            "handed_by": handing.pk,
            "received_by": "Lê Thị Mến",
            "receipt": SimpleUploadedFile(
                "bien-nhan.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    paid = Disbursement.objects.get()
    assert paid.slot == D(2024, 10, 1)
    assert paid.entry.amount == -QUARTERLY
    assert services.balance(fund_world.fund) == 5_000_000 - QUARTERLY
    receipt = client.get(reverse("funds:receipt", kwargs={"public_id": paid.public_id}))
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content) == b"%PDF-1.4 receipt"


def test_a_disbursement_that_would_overdraw_is_refused_with_the_reason(fund_world):
    response = fund_world.treasurer.client.post(
        _url("pay", fund_world.child),
        {
            "day": "20/12/2024",
            "amount": "1.200.000",
            "handed_by": fund_world.members[0].person.pk,
            "received_by": "Lê Thị Mến",
        },
    )
    assert response.status_code == 200
    assert "1.200.000 đ" in page_text(response)
    assert not Disbursement.objects.exists()


def test_an_amount_typed_with_a_decimal_comma_is_refused_by_name(fund_world):
    response = fund_world.treasurer.client.post(
        _url("money_in", fund_world.fund),
        {"kind": "donation", "day": "02/12/2024", "amount": "1,5", "source": "Hội viên"},
    )
    assert response.status_code == 200
    assert tr("Enter the amount in whole đồng, e.g. 1.200.000.") in page_text(response)
    assert not LedgerEntry.objects.exists()


def test_a_reversal_needs_a_reason_and_restores_the_balance(fund_world):
    _funded(fund_world, 2_000_000)
    entry = LedgerEntry.objects.get()
    url = reverse("funds:reverse", kwargs={"public_id": fund_world.fund.public_id, "number": entry.number})
    fund_world.treasurer.client.post(url, {"reason": ""})
    assert LedgerEntry.objects.count() == 1
    fund_world.treasurer.client.post(url, {"reason": "Ghi nhầm số tiền"})
    assert services.balance(fund_world.fund) == 0
    assert LedgerEntry.objects.get(kind=EntryKind.REVERSAL).reverses == entry


def test_a_plain_member_reads_their_savings_and_the_totals_but_no_childs_name(fund_world, member_client):
    _funded(fund_world)
    mine, mate = fund_world.members[0], fund_world.members[1]
    services.record_contributions(
        actor=None,
        fund=fund_world.fund,
        month=D(2024, 11, 1),
        member_ids=[mine.pk, mate.pk],
        day=D(2024, 11, 15),
    )
    services.record_disbursement(
        actor=None,
        child=fund_world.child,
        day=D(2024, 12, 1),
        amount=QUARTERLY,
        handed_by=mine.person,
        received_by="Lê Thị Mến",
    )
    client = member_client.client
    pages = [
        client.get(_url("fund", fund_world.fund)),
        client.get(_url("savings", fund_world.fund) + "?month=11/2024"),
        client.get(_url("ledger", fund_world.fund)),
        client.get(_url("statement", fund_world.fund)),
        client.get(_url("child", fund_world.child)),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page_text(page)
        for secret in CHILD_SECRETS:
            assert secret not in text
        # A cell mate's savings are theirs and the officers' to read.
        assert mate.person.full_name not in text
    assert fund_world.child.masked_label in page_text(pages[0])
    assert "50.000 đ" in page_text(pages[0])  # my savings this year
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE).exists()
    # No form to book, no file of everyone's savings.
    assert (
        client.post(_url("savings", fund_world.fund), {"month": "12/2024", "members": [mine.pk]}).status_code
        == 403
    )
    assert client.get(_url("statement_file", fund_world.fund, fmt="docx")).status_code == 403
    assert client.get(_url("pay", fund_world.child)).status_code == 403
    paid = Disbursement.objects.get()
    assert client.get(reverse("funds:receipt", kwargs={"public_id": paid.public_id})).status_code == 403


def test_the_fund_keeper_reads_the_child_in_full_and_the_reading_is_logged(fund_world):
    page = fund_world.treasurer.client.get(_url("child", fund_world.child))
    text = page_text(page)
    for secret in CHILD_SECRETS:
        assert secret in text
    logged = AuditEntry.objects.get(action=AuditAction.VIEW_SENSITIVE)
    assert logged.actor == fund_world.treasurer.user
    assert "Trần Ngọc Bảo Hân" not in logged.target_repr


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STANDING, Role.PROPAGANDA])
def test_the_district_reads_the_fund_with_the_children_masked_and_changes_nothing(fund_world, role):
    district = persona(fund_world.tree.district, role)
    for page in (
        district.client.get(_url("fund", fund_world.fund)),
        district.client.get(_url("child", fund_world.child)),
        district.client.get(_url("statement", fund_world.fund)),
    ):
        assert page.status_code == 200
        for secret in CHILD_SECRETS:
            assert secret not in page_text(page)
    assert district.client.get(_url("pay", fund_world.child)).status_code == 403
    assert district.client.get(_url("money_in", fund_world.fund)).status_code == 403
    assert district.client.get(_url("child_edit", fund_world.child)).status_code == 403


def test_a_secretary_of_the_cell_keeps_the_fund_but_not_the_commune_above_another_cell(fund_world):
    secretary = persona(fund_world.tree.women, Role.SECRETARY)
    assert secretary.client.get(_url("money_in", fund_world.fund)).status_code == 200
    commune = persona(fund_world.tree.an_khanh, Role.SECRETARY)
    assert commune.client.get(_url("fund", fund_world.fund)).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "anonymous", "other_secretary"])
def test_outside_the_unit_nothing_is_read(fund_world, who, outsider, anonymous):
    _funded(fund_world)
    clients = {
        "outsider": outsider.client,
        "anonymous": anonymous,
        "other_secretary": persona(fund_world.tree.phuoc_thanh, Role.SECRETARY).client,
    }
    client = clients[who]
    entry = LedgerEntry.objects.get()
    urls = [
        _url("fund", fund_world.fund),
        _url("savings", fund_world.fund),
        _url("ledger", fund_world.fund),
        _url("statement", fund_world.fund),
        _url("statement_file", fund_world.fund, fmt="xlsx"),
        _url("child", fund_world.child),
        _url("pay", fund_world.child),
        reverse("funds:reverse", kwargs={"public_id": fund_world.fund.public_id, "number": entry.number}),
    ]
    for url in urls:
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert "/login" in response["Location"]
        else:
            assert response.status_code in (404, 405)
            for secret in CHILD_SECRETS:
                assert secret not in response.content.decode()
    index = client.get(reverse("funds:index"))
    if who != "anonymous":
        assert fund_world.fund.name not in page_text(index)


def test_consents_are_chosen_one_by_one_and_unlock_the_name_in_the_statement_file(fund_world):
    import io

    from docx import Document

    client = fund_world.treasurer.client
    form = client.get(_url("consent_create", fund_world.child))
    assert "checked" not in form.content.decode().split('name="uses"', 1)[1].split(">", 1)[0]
    _funded(fund_world)
    services.record_disbursement(
        actor=None,
        child=fund_world.child,
        day=D(2024, 12, 1),
        amount=QUARTERLY,
        handed_by=fund_world.members[0].person,
        received_by="Lê Thị Mến",
    )

    def docx_text():
        response = client.get(
            _url("statement_file", fund_world.fund, fmt="docx") + "?start=01/01/2024&end=20/12/2024"
        )
        assert response.status_code == 200
        document = Document(io.BytesIO(response.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    assert "Trần Ngọc Bảo Hân" not in docx_text()
    # The child was born in 2014: the guardian's consent alone is not enough.
    client.post(
        _url("consent_create", fund_world.child),
        {
            "given_by": ConsentGiver.GUARDIAN,
            "giver_name": "Lê Thị Mến",
            "given_on": "01/12/2024",
            "uses": ["statement"],
        },
    )
    assert "Trần Ngọc Bảo Hân" not in docx_text()
    client.post(
        _url("consent_create", fund_world.child),
        {
            "given_by": ConsentGiver.CHILD,
            "giver_name": "Trần Ngọc Bảo Hân",
            "given_on": "01/12/2024",
            "uses": ["statement"],
        },
    )
    assert "Trần Ngọc Bảo Hân" in docx_text()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=fund_world.treasurer.user).count() == 3


def _query_count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_lists_read_in_a_fixed_number_of_queries(fund_world):
    _funded(fund_world, 50_000_000)
    client = fund_world.treasurer.client
    fund = fund_world.fund
    # One of each kind of line first, so that what is measured after is only "more of them".
    services.record_disbursement(
        actor=None,
        child=fund_world.child,
        day=D(2024, 3, 20),
        amount=QUARTERLY,
        handed_by=fund_world.members[0].person,
        received_by="Lê Thị Mến",
    )
    services.record_contributions(
        actor=None, fund=fund, month=D(2024, 3, 1), member_ids=[fund_world.members[0].pk], day=D(2024, 3, 15)
    )
    urls = [
        reverse("funds:index"),
        _url("fund", fund),
        _url("savings", fund) + "?month=06/2024",
        _url("ledger", fund) + "?start=01/01/2023&end=20/12/2024",
        _url("statement", fund) + "?start=01/01/2023&end=20/12/2024",
    ]
    before = [_query_count(client, url) for url in urls]
    # More members, more months booked, more children paid.
    extra = [member_in(fund_world.tree.women, since=D(2020, 1, 1)) for _ in range(6)]
    for month in (D(2024, 4, 1), D(2024, 5, 1), D(2024, 6, 1)):
        services.record_contributions(
            actor=None,
            fund=fund,
            month=month,
            member_ids=[m.pk for m in fund_world.members + extra],
            day=month.replace(day=15),
        )
    for n in range(3):
        child = add_child(fund, full_name=f"Nguyễn Văn Bé {'ABC'[n]}", birth_year=2015)
        services.record_disbursement(
            actor=None,
            child=child,
            day=D(2024, 6, 20),
            amount=QUARTERLY,
            handed_by=extra[0].person,
            received_by="Bà",
        )
    after = [_query_count(client, url) for url in urls]
    assert after == before
    assert Beneficiary.objects.count() == 4


def test_every_page_showing_a_child_in_full_logs_the_viewing(fund_world, member_client):
    _funded(fund_world)
    services.record_disbursement(
        actor=None,
        child=fund_world.child,
        day=D(2024, 12, 1),
        amount=QUARTERLY,
        handed_by=fund_world.members[0].person,
        received_by="Lê Thị Mến",
    )
    viewings = AuditEntry.objects.filter(
        action=AuditAction.VIEW_SENSITIVE, target_id=str(fund_world.child.pk)
    )
    for name in ("fund", "ledger", "statement"):
        before = viewings.count()
        page = fund_world.treasurer.client.get(_url(name, fund_world.fund))
        assert "Trần Ngọc Bảo Hân" in page_text(page)
        assert viewings.count() == before + 1
        assert viewings.order_by("-pk").first().actor == fund_world.treasurer.user
    before = viewings.count()
    for name in ("fund", "ledger", "statement"):
        member_client.client.get(_url(name, fund_world.fund))
    assert viewings.count() == before


def test_the_meeting_page_takes_the_treasurer_to_the_months_savings_booked_at_that_meeting(fund_world):
    from lantoa.cells.models import MeetingKind
    from lantoa.cells.services.meetings.workflow import schedule_meeting

    meeting = schedule_meeting(
        actor=None, unit=fund_world.tree.women, kind=MeetingKind.REGULAR, date=D(2024, 12, 5)
    )
    page = fund_world.treasurer.client.get(reverse("cells:meeting", kwargs={"public_id": meeting.public_id}))
    sheet = _url("savings", fund_world.fund) + f"?month=12/2024&amp;meeting={meeting.public_id}"
    assert sheet in page.content.decode()
    fund_world.treasurer.client.post(
        _url("savings", fund_world.fund),
        {"month": "12/2024", "meeting": str(meeting.public_id), "members": [fund_world.members[0].pk]},
    )
    booked = LedgerEntry.objects.get(kind=EntryKind.CONTRIBUTION)
    assert (booked.meeting, booked.occurred_on, booked.month) == (meeting, D(2024, 12, 5), D(2024, 12, 1))
    # A plain officer of the cell who does not keep the fund is not offered it.
    clerk = persona(fund_world.tree.women, Role.CLERK)
    page = clerk.client.get(reverse("cells:meeting", kwargs={"public_id": meeting.public_id}))
    assert _url("savings", fund_world.fund) not in page.content.decode()


def test_a_keeper_opens_a_fund_and_changes_its_monthly_amount_from_a_month_on(fund_world):
    from lantoa.funds.models import ContributionRule, Fund

    client = fund_world.treasurer.client
    response = client.post(
        reverse("funds:fund_create"),
        {
            "unit": fund_world.tree.women.pk,
            "name": "Quỹ khuyến học",
            "purpose": "Tặng vở cho học sinh nghèo.",
            "opened_on": "01/12/2024",
            "monthly_amount": "20.000",
        },
    )
    fund = Fund.objects.get(name="Quỹ khuyến học")
    assert response["Location"] == _url("fund", fund)
    assert services.amount_due(fund, D(2024, 12, 1)) == 20_000
    services.record_contributions(
        actor=None, fund=fund, month=D(2024, 12, 1), member_ids=[fund_world.members[0].pk], day=D(2024, 12, 5)
    )
    # December is collected at 20.000 đ: a new amount may start in January, not before.
    refused = client.post(_url("rule_create", fund), {"valid_from": "12/2024", "monthly_amount": "30.000"})
    assert refused.status_code == 200
    client.post(_url("rule_create", fund), {"valid_from": "01/2025", "monthly_amount": "30.000"})
    assert services.amount_due(fund, D(2025, 1, 1)) == 30_000
    assert ContributionRule.objects.filter(fund=fund).count() == 2
    # Another unit's officers open no fund for it; a plain member opens none at all.
    member = persona(fund_world.tree.women, Role.MEMBER).client
    assert (
        "<form"
        not in member.get(reverse("funds:fund_create"))
        .content.decode()
        .split("<main", 1)[1]
        .split("</main>")[0]
    )
    assert member.post(reverse("funds:fund_create"), {"unit": fund_world.tree.women.pk}).status_code == 403
    outsider_unit = persona(fund_world.tree.phuoc_thanh, Role.TREASURER).client.post(
        reverse("funds:fund_create"),
        {
            "unit": fund_world.tree.women.pk,
            "name": "X",
            "purpose": "X",
            "opened_on": "01/12/2024",
            "monthly_amount": "1",
        },
    )
    assert outsider_unit.status_code == 200
    assert not Fund.objects.filter(name="X").exists()
