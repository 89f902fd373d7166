"""What a walk through the fund's pages as each role, and as an attacker, found: each a regression
test. A month that is not a month books nothing; a child's and guardian's names are names; the
statement files name a child only for the fund's keepers; an exemption does not overlap another
or a month already saved; a receipt is never replaced; digits are ASCII digits; an empty sheet
says so; a file ending the app does not make is not found."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.funds import services
from lantoa.funds.models import ConsentGiver, ConsentUse, Disbursement, EntryKind, Exemption, LedgerEntry
from lantoa.org.models import Role
from tests.conftest import D, page_text, persona, tr
from tests.funds.conftest import QUARTERLY, add_child

pytestmark = pytest.mark.today(D(2024, 12, 20))


def _url(name, obj, **kwargs):
    return reverse(f"funds:{name}", kwargs={"public_id": obj.public_id, **kwargs})


def _pay(world, **extra):
    services.record_donation(
        actor=None, fund=world.fund, day=D(2024, 1, 2), amount=5_000_000, source="Hội viên"
    )
    return services.record_disbursement(
        actor=None,
        child=world.child,
        day=D(2024, 12, 1),
        amount=QUARTERLY,
        handed_by=world.members[0].person,
        received_by="Lê Thị Mến",
        **extra,
    )


@pytest.mark.parametrize("month", ["13/2024", "00/0000", "tháng mười"])
def test_a_month_that_is_not_a_month_books_nothing(fund_world, month):
    client = fund_world.treasurer.client
    response = client.post(
        _url("savings", fund_world.fund), {"month": month, "members": [fund_world.members[0].pk]}
    )
    assert response.status_code == 302
    assert not LedgerEntry.objects.exists()
    page = client.get(response["Location"])
    assert tr("Enter a month as mm/yyyy, e.g. 03/2024.") in page_text(page)


def test_an_empty_sheet_says_no_one_was_ticked(fund_world):
    client = fund_world.treasurer.client
    response = client.post(
        _url("savings", fund_world.fund), {"month": "12/2024", "members": ["x", "-1"]}, follow=True
    )
    assert tr("No member was ticked: tap the name of each member who saves.") in page_text(response)
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("field", ["full_name", "guardian_name"])
@pytest.mark.parametrize("name", ["<b>Bé</b>", '=HYPERLINK("x")', "123"])
def test_a_childs_and_guardians_names_are_names(fund_world, field, name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        add_child(fund_world.fund, **{field: name})
    assert field in refused.value.message_dict


def test_a_long_name_keeps_its_initials_within_the_field(fund_world):
    # 40 one-syllable words: 119 characters, whose initials alone would take 119.
    child = add_child(fund_world.fund, full_name=" ".join(["Ân"] * 40))
    child.refresh_from_db()
    assert child.initials.startswith("Â. Â. Â.")
    assert len(child.initials) <= 60


def test_a_name_longer_than_the_record_keeps_is_refused_by_name(fund_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        add_child(fund_world.fund, full_name=" ".join(["Nguyễn"] * 30))
    assert tr("At most %(limit)s characters.", limit=120) in refused.value.message_dict["full_name"]


def test_the_statement_files_name_a_child_only_for_the_funds_keepers(fund_world):
    from docx import Document

    _pay(fund_world)
    for giver in (ConsentGiver.GUARDIAN, ConsentGiver.CHILD):
        services.record_consent(
            actor=None,
            child=fund_world.child,
            given_by=giver,
            giver_name="Lê Thị Mến",
            given_on=D(2024, 1, 5),
            uses=[ConsentUse.STATEMENT],
        )

    def text_of(client):
        response = client.get(_url("statement_file", fund_world.fund, fmt="docx") + "?start=01/01/2024")
        assert response.status_code == 200
        document = Document(io.BytesIO(response.content))
        return "\n".join(
            [p.text for p in document.paragraphs]
            + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        )

    assert "Trần Ngọc Bảo Hân" in text_of(fund_world.treasurer.client)
    district = persona(fund_world.tree.district, Role.PROPAGANDA)
    district_file = text_of(district.client)
    assert "Trần Ngọc Bảo Hân" not in district_file
    assert fund_world.child.masked_label in district_file
    logged = AuditEntry.objects.filter(action=AuditAction.VIEW_SENSITIVE, note="statement file")
    assert [entry.actor for entry in logged] == [fund_world.treasurer.user]


def test_an_exemption_does_not_overlap_another_or_a_month_already_saved(fund_world):
    from django.core.exceptions import ValidationError

    member = fund_world.members[0]
    services.record_contributions(
        actor=None, fund=fund_world.fund, month=D(2024, 11, 1), member_ids=[member.pk], day=D(2024, 11, 15)
    )
    with pytest.raises(ValidationError) as refused:
        services.record_exemption(
            actor=None,
            fund=fund_world.fund,
            member=member,
            first_month=D(2024, 10, 1),
            last_month=None,
            reason="Ốm",
        )
    assert "11/2024" in str(refused.value)
    services.record_exemption(
        actor=None,
        fund=fund_world.fund,
        member=member,
        first_month=D(2024, 12, 1),
        last_month=None,
        reason="Ốm",
    )
    with pytest.raises(ValidationError):
        services.record_exemption(
            actor=None,
            fund=fund_world.fund,
            member=member,
            first_month=D(2024, 12, 1),
            last_month=None,
            reason="Ốm",
        )
    assert Exemption.objects.count() == 1


def test_a_receipt_is_never_replaced(fund_world):
    paid = _pay(
        fund_world,
        receipt=SimpleUploadedFile("bien-nhan.pdf", b"%PDF-1.4 first", content_type="application/pdf"),
    )
    response = fund_world.treasurer.client.post(
        reverse("funds:receipt_attach", kwargs={"public_id": paid.public_id}),
        {"receipt": SimpleUploadedFile("khac.pdf", b"%PDF-1.4 second", content_type="application/pdf")},
        follow=True,
    )
    assert tr("This disbursement already has its receipt.") in page_text(response)
    paid = Disbursement.objects.get()
    assert paid.receipt_name == "bien-nhan.pdf"
    assert paid.receipt.read() == b"%PDF-1.4 first"


@pytest.mark.parametrize("amount", ["١٠٠", "１００"])
def test_an_amount_in_other_digits_is_refused(fund_world, amount):
    response = fund_world.treasurer.client.post(
        _url("money_in", fund_world.fund),
        {"kind": "donation", "day": "02/12/2024", "amount": amount, "source": "X"},
    )
    assert response.status_code == 200
    assert not LedgerEntry.objects.filter(kind=EntryKind.DONATION).exists()


@pytest.mark.parametrize("ending", ["pdf", "csv", "html"])
def test_a_file_ending_the_app_does_not_make_is_not_found(fund_world, ending):
    response = fund_world.treasurer.client.get(_url("statement_file", fund_world.fund, fmt=ending))
    assert response.status_code == 404


def test_a_file_asked_for_a_date_that_cannot_be_says_so_instead_of_another_period(fund_world):
    response = fund_world.treasurer.client.get(
        _url("statement_file", fund_world.fund, fmt="docx") + "?start=01/01/0001"
    )
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_ended_sponsorship_offers_no_payment(fund_world):
    child = add_child(fund_world.fund, full_name="Lê Văn Tí", sponsored_to=D(2023, 12, 31))
    page = fund_world.treasurer.client.get(_url("child", child))
    assert _url("pay", child) not in page.content.decode()
    assert (
        _url("pay", fund_world.child)
        in fund_world.treasurer.client.get(_url("child", fund_world.child)).content.decode()
    )
