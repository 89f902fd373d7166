"""The fund's statement (sao kê quỹ) as .docx and .xlsx, built from a ledger booked through the
services: reopened with python-docx and openpyxl, the figures compared with ``queries.statement``
and every piece of text searched for what must never be printed about a child."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from lantoa.funds import queries, services
from lantoa.funds.access import consent_covers
from lantoa.funds.exporters import statement_docx, statement_filename, statement_xlsx
from lantoa.funds.models import Beneficiary, ConsentGiver, ConsentUse, EntryKind
from lantoa.lib import pdf
from lantoa.lib.vi import format_date, format_int
from tests.funds.conftest import add_child

D = dt.date
pytestmark = pytest.mark.today(D(2024, 12, 20))

PRINTED_ON = D(2024, 12, 20)
SOURCE = '=HYPERLINK("http://example.invalid/x","Hội LHPN huyện")'
RECEIVERS = ("Võ Thị Nhận Tiền", "Phan Văn Lãnh Hộ")


@dataclass
class Booked:
    fund: object
    hidden: Beneficiary  # no consent: initials and birth year only
    shown: Beneficiary  # the guardian's consent covers the statement
    statement: queries.Statement
    named: set[int]


@pytest.fixture
def booked(fund_world) -> Booked:
    fund, members = fund_world.fund, fund_world.members
    hidden = fund_world.child
    shown = add_child(
        fund,
        full_name="Lý Minh Khôi",
        birth_year=2019,
        hamlet="ấp Thạnh Hòa",
        situation="Mồ côi mẹ, cha đi làm xa.",
        guardian_name="Lý Thị Tám",
        guardian_relation="bà nội",
        guardian_contact="0987 000 111",
    )
    services.record_consent(
        actor=None,
        child=shown,
        given_by=ConsentGiver.GUARDIAN,
        giver_name="Lý Thị Tám",
        given_on=D(2023, 1, 5),
        uses=[ConsentUse.STATEMENT],
    )
    services.record_opening(
        actor=None, fund=fund, day=D(2023, 1, 2), amount=3_000_000, reason="Chuyển từ sổ tay thủ quỹ"
    )
    services.record_donation(actor=None, fund=fund, day=D(2023, 2, 10), amount=2_000_000, source=SOURCE)
    saved = services.record_contributions(
        actor=None, fund=fund, month=D(2023, 3, 1), member_ids=[m.pk for m in members], day=D(2023, 3, 15)
    )
    services.record_disbursement(
        actor=None,
        child=hidden,
        day=D(2023, 3, 20),
        amount=1_200_000,
        handed_by=members[0].person,
        received_by=RECEIVERS[0],
    )
    services.record_disbursement(
        actor=None,
        child=shown,
        day=D(2023, 4, 5),
        amount=1_200_000,
        handed_by=members[0].person,
        received_by=RECEIVERS[1],
    )
    services.reverse(
        actor=None, entry=saved.entries[0], reason="Ghi nhầm, đồng chí nộp tháng sau", day=D(2023, 3, 16)
    )
    st = queries.statement(fund, D(2023, 1, 1), D(2023, 12, 31))
    named = {
        line.child.pk for line in st.children if consent_covers(line.child, ConsentUse.STATEMENT, PRINTED_ON)
    }
    return Booked(fund, hidden, shown, st, named)


def _docx_texts(data: bytes) -> list[str]:
    """Every paragraph's text, in the body (table cells included) and in the page headers."""
    document = docx.Document(io.BytesIO(data))
    texts = [Paragraph(p, document).text for p in document.element.body.iter(qn("w:p"))]
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            texts += [p.text for p in part.paragraphs]
    props = document.core_properties
    texts += [props.title or "", props.subject or "", props.comments or ""]
    return [text for text in texts if text]


def _docx_tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def _table(tables: list[list[list[str]]], first_header: list[str]) -> list[list[str]]:
    return next(t for t in tables if t[0][: len(first_header)] == first_header)


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def _xlsx_values(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _private(child: Beneficiary) -> list[str]:
    return [child.full_name, child.hamlet, child.guardian_name, child.situation, child.guardian_contact]


def test_statement_figures_match_the_query(booked):
    st = booked.statement
    # The ledger itself: 3.000.000 + 2.000.000 + 8 × 50.000 − 2 × 1.200.000.
    assert (st.opening, st.money_in, st.money_out, st.closing) == (0, 5_400_000, 2_400_000, 3_000_000)
    assert st.contributors == 8

    tables = _docx_tables(statement_docx(st, named=booked.named, printed_on=PRINTED_ON))
    summary = {row[1]: row[2] for row in _table(tables, ["TT", "Nội dung"])[1:]}
    assert summary["Số dư đầu kỳ"] == format_int(st.opening)
    assert summary["Thu trong kỳ"] == format_int(st.money_in)
    assert summary[f"- Đảng viên tiết kiệm ({format_int(st.contributors)} đồng chí)"] == format_int(
        st.contributions
    )
    assert summary["- Ủng hộ"] == format_int(st.donations)
    assert summary["- Số dư chuyển sang"] == format_int(st.opening_entries)
    assert summary["Chi trong kỳ"] == format_int(st.money_out)
    assert summary["- Đỡ đầu trẻ em"] == format_int(st.money_out)
    assert summary["Số dư cuối kỳ"] == format_int(st.closing)
    printed = {label: _number(amount) for label, amount in summary.items()}
    assert (
        printed["Số dư đầu kỳ"] + printed["Thu trong kỳ"] - printed["Chi trong kỳ"]
        == printed["Số dư cuối kỳ"]
    )
    parts = [v for k, v in printed.items() if k.startswith("- ") and k != "- Đỡ đầu trẻ em"]
    assert sum(parts) == printed["Thu trong kỳ"]

    children = _table(tables, ["TT", "Trẻ được đỡ đầu"])
    assert children[1:] == [
        ["1", booked.hidden.masked_label, "1", format_int(1_200_000)],
        ["2", "Lý Minh Khôi (2019)", "1", format_int(1_200_000)],
        ["", "Cộng", "2", format_int(st.money_out)],
    ]

    entries = _table(tables, ["Số", "Ngày", "Loại"])
    # The nine members' March savings, booked on one day, are read out as one line.
    saved = [e for e in st.entries if e.kind == EntryKind.CONTRIBUTION]
    assert len({(e.occurred_on, e.month) for e in saved}) == 1
    assert len(entries) == 1 + len(st.entries) - len(saved) + 1 + 1
    total = entries[-1]
    assert (total[3], total[4], total[5]) == ("Cộng", format_int(st.money_in), format_int(st.money_out))
    by_number = {row[0]: row for row in entries[1:-1]}
    assert by_number["1"][1:5] == [
        format_date(D(2023, 1, 2)),
        "Số dư chuyển sang",
        "Chuyển từ sổ tay thủ quỹ",
        "3.000.000",
    ]
    assert by_number["2"][3] == SOURCE  # a document runs nothing: the text is printed as given
    reversal = next(e for e in st.entries if e.kind == EntryKind.REVERSAL)
    row = by_number[str(reversal.number)]
    assert row[2:5] == [
        "Điều chỉnh",
        f"Điều chỉnh bút toán số {reversal.reverses.number}: Ghi nhầm, đồng chí nộp tháng sau",
        "-50.000",
    ]
    summed = next(r for r in entries[1:-1] if r[3].startswith("Tiết kiệm tháng 03/2023"))
    saved_numbers = sorted(e.number for e in saved)
    assert summed[0] == f"{saved_numbers[0]}–{saved_numbers[-1]}"
    assert summed[3] == f"Tiết kiệm tháng 03/2023 của {len(saved)} đảng viên"
    assert summed[4] == format_int(sum(e.amount for e in saved))


def test_statement_document_heading_title_and_signers(booked):
    texts = _docx_texts(statement_docx(booked.statement, named=booked.named, printed_on=PRINTED_ON))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert "CHI BỘ HỘI LHPN HUYỆN" in texts
    assert any(text.endswith("ngày 20 tháng 12 năm 2024") for text in texts)
    assert "BÁO CÁO THU CHI QUỸ" in texts
    assert "Quỹ tiết kiệm đỡ đầu trẻ mồ côi\nTừ ngày 01/01/2023 đến ngày 31/12/2023" in texts
    assert "T/M CHI BỘ" in texts
    assert "BÍ THƯ" in texts
    assert "THỦ QUỸ" in texts
    assert "Số dư quỹ đến hết ngày 31/12/2023: 3.000.000 đồng./." in texts


def test_only_consented_children_are_named_and_nothing_else_about_them_is_printed(booked):
    st = booked.statement
    data = statement_docx(st, named=booked.named, printed_on=PRINTED_ON)
    joined = "\n".join(_docx_texts(data))
    assert booked.named == {booked.shown.pk}
    assert booked.hidden.masked_label in joined
    assert "Lý Minh Khôi (2019)" in joined
    for secret in [*_private(booked.hidden), booked.hidden.commune, *_private(booked.shown)[1:], *RECEIVERS]:
        assert secret not in joined, secret
    # Nobody named: both children by initials only.
    joined = "\n".join(_docx_texts(statement_docx(st, named=set(), printed_on=PRINTED_ON)))
    assert booked.shown.masked_label in joined
    assert booked.shown.full_name not in joined

    values = [str(v) for v in _xlsx_values(statement_xlsx(st, named=booked.named, printed_on=PRINTED_ON))]
    cells = "\n".join(values)
    assert booked.hidden.masked_label in values
    assert "Lý Minh Khôi (2019)" in values
    for secret in [*_private(booked.hidden), booked.hidden.commune, *_private(booked.shown)[1:], *RECEIVERS]:
        assert secret not in cells, secret


def test_statement_sheets_hold_numbers_dates_and_no_formula(booked):
    st = booked.statement
    book = load_workbook(io.BytesIO(statement_xlsx(st, named=booked.named, printed_on=PRINTED_ON)))
    assert book.sheetnames == ["Tổng hợp", "Sổ quỹ"]

    summary = book["Tổng hợp"]
    rows = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value is not None}
    expected = {
        "Số dư đầu kỳ": st.opening,
        "Thu trong kỳ": st.money_in,
        f"Đảng viên tiết kiệm ({format_int(st.contributors)} đồng chí)": st.contributions,
        "Ủng hộ": st.donations,
        "Số dư chuyển sang": st.opening_entries,
        "Chi trong kỳ": st.money_out,
        "Số dư cuối kỳ": st.closing,
    }
    for label, amount in expected.items():
        assert rows[label].value == amount, label
        assert rows[label].number_format == "#,##0"
    assert rows["Số dư đầu kỳ"].value + rows["Thu trong kỳ"].value - rows["Chi trong kỳ"].value == (
        rows["Số dư cuối kỳ"].value
    )
    assert "Từ ngày 01/01/2023 đến ngày 31/12/2023" in rows
    children = {row[0].value: (row[1].value, row[2].value) for row in summary.iter_rows() if row[0].value}
    assert children[booked.hidden.masked_label] == (1, 1_200_000)
    assert children["Lý Minh Khôi (2019)"] == (1, 1_200_000)

    ledger = book["Sổ quỹ"]
    header = [cell.value for cell in ledger[1]]
    assert header == ["Số", "Ngày", "Loại", "Nội dung", "Thu (đồng)", "Chi (đồng)"]
    lines = list(ledger.iter_rows(min_row=2))
    assert len(lines) == len(st.entries) + 1
    for line, entry in zip(lines, st.entries, strict=False):
        assert line[0].value == entry.number
        assert line[1].value.date() == entry.occurred_on
        assert line[1].number_format.lower() == "dd/mm/yyyy"
    donation = next(line for line in lines if line[2].value == "Ủng hộ")
    assert donation[3].value == "'" + SOURCE
    assert donation[3].data_type == "s"
    assert (donation[4].value, donation[4].number_format) == (2_000_000, "#,##0")
    total = lines[-1]
    assert (total[3].value, total[4].value, total[5].value) == ("Cộng", st.money_in, st.money_out)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.coordinate


def test_a_later_period_starts_from_the_balance_and_hides_an_empty_carry_over(booked):
    st = queries.statement(booked.fund, D(2023, 4, 1), D(2024, 12, 20))
    assert (st.opening, st.opening_entries, st.closing) == (4_200_000, 0, 3_000_000)
    data = statement_docx(st, named=booked.named, printed_on=PRINTED_ON)
    summary = {row[1]: row[2] for row in _table(_docx_tables(data), ["TT", "Nội dung"])[1:]}
    assert summary["Số dư đầu kỳ"] == format_int(st.opening)
    assert summary["Số dư cuối kỳ"] == format_int(st.closing)
    assert "- Số dư chuyển sang" not in summary
    assert booked.hidden.masked_label in "\n".join(_docx_texts(data))  # sponsored, nothing paid
    rows = [
        c.value
        for c in load_workbook(io.BytesIO(statement_xlsx(st, named=set(), printed_on=PRINTED_ON)))[
            "Tổng hợp"
        ]["A"]
    ]
    assert "Số dư chuyển sang" not in rows


def test_an_empty_period_still_prints(fund_world):
    st = queries.statement(fund_world.fund, D(2024, 1, 1), D(2024, 1, 31))
    texts = _docx_texts(statement_docx(st, named=set(), printed_on=PRINTED_ON))
    assert "Trong kỳ không phát sinh khoản thu, chi nào." in texts
    assert statement_xlsx(st, named=set(), printed_on=PRINTED_ON).startswith(b"PK")


def test_file_names_are_ascii(booked):
    st = booked.statement
    assert statement_filename(st, "docx") == "sao-ke-quy-hoi-lhpn-01-01-2023-31-12-2023.docx"
    assert statement_filename(st, ".xlsx") == "sao-ke-quy-hoi-lhpn-01-01-2023-31-12-2023.xlsx"
    assert statement_filename(st, "pdf").isascii()


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_statement_pdf_keeps_the_title_and_hides_the_name(booked, tmp_path):
    target = tmp_path / "sao-ke.pdf"
    target.write_bytes(
        pdf.docx_to_pdf(statement_docx(booked.statement, named=booked.named, printed_on=PRINTED_ON))
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    joined = " ".join(text.split())
    assert "BÁO CÁO THU CHI QUỸ" in joined
    assert "Từ ngày 01/01/2023 đến ngày 31/12/2023" in joined
    assert format_int(booked.statement.closing) in joined
    assert booked.hidden.full_name not in joined
