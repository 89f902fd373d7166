"""A register entry printed as a Party document (36-HD/VPTW): reopened with python-docx, and once
through LibreOffice to PDF with the text read back by pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from lantoa.documents import exporters, services
from lantoa.documents.models import Document, DocumentSystem
from lantoa.lib import party_docx as pd
from lantoa.lib import pdf
from lantoa.org.models import UnitKind
from tests.documents.conftest import issue
from tests.factories import UnitFactory

D = dt.date

OPENING = (
    "Thực hiện Kế hoạch số 120-KH/TU ngày 20/02/2024 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ "
    "Huyện ủy xây dựng kế hoạch như sau:"
)
BODY = f"""{OPENING}

I. Mục đích, yêu cầu
- Tổ chức học tập chuyên đề đến cán bộ, đảng viên.
+ Mỗi đảng viên đăng ký một việc làm cụ thể.
II. Nội dung thực hiện
1. Tổ chức học tập chuyên đề
a) Người đứng đầu
Giao Ban Tuyên giáo Huyện ủy chủ trì, theo dõi, hướng dẫn."""

RECIPIENTS = "- Ban Tuyên giáo Tỉnh ủy,\n- Các chi, đảng bộ cơ sở,\n- Lưu Văn phòng Huyện ủy."


@pytest.fixture
def district_plan(tree, terms) -> Document:
    return issue(
        tree.district,
        D(2024, 3, 5),
        summary="thực hiện chuyên đề năm 2024",
        body=BODY,
        signing_form="T/M",
        signing_body="Ban Thường vụ",
        signer_title="Phó Bí thư Thường trực",
        signer_name="Huỳnh Thanh Tuấn",
        recipients=RECIPIENTS,
    )


def opened(document: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(exporters.document_docx(document)))


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def body_texts(document: docx.document.Document) -> list[str]:
    """Non-empty paragraphs outside the header and signature tables, in order."""
    found = [
        "".join(t.text or "" for t in element.iter(qn("w:t")))
        for element in document.element.body
        if element.tag == qn("w:p")
    ]
    return [text for text in found if text]


def test_body_blocks_reads_headings_dashes_and_paragraphs():
    assert exporters.body_blocks(BODY) == [
        pd.Paragraph(OPENING),
        pd.Heading("I. Mục đích, yêu cầu", level=1),
        pd.Bullet("Tổ chức học tập chuyên đề đến cán bộ, đảng viên.", marker="-"),
        pd.Bullet("Mỗi đảng viên đăng ký một việc làm cụ thể.", marker="+"),
        pd.Heading("II. Nội dung thực hiện", level=1),
        pd.Heading("1. Tổ chức học tập chuyên đề", level=2),
        pd.Heading("a) Người đứng đầu", level=3),
        pd.Paragraph("Giao Ban Tuyên giáo Huyện ủy chủ trì, theo dõi, hướng dẫn."),
    ]


def test_body_blocks_keeps_a_long_numbered_line_as_a_paragraph():
    long_line = "1. " + "Các chi bộ tổ chức học tập chuyên đề và đăng ký việc làm theo. " * 3

    assert exporters.body_blocks(long_line) == [pd.Paragraph(long_line.strip())]


def test_district_plan_header_left_column(district_plan):
    header = opened(district_plan).tables[0]

    assert texts(header.cell(0, 0)) + texts(header.cell(1, 0)) == [
        "ĐẢNG BỘ TỈNH BẾN TRE",
        "HUYỆN ỦY CHÂU THÀNH",
        "*",
        "Số 01-KH/HU",
    ]


def test_district_plan_header_right_column_title_and_italic_date(district_plan):
    header = opened(district_plan).tables[0]

    assert texts(header.cell(0, 1)) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    (date_line,) = header.cell(1, 1).paragraphs
    # Nghị định 30/2020: the day is padded, months from March on are not.
    assert date_line.text == "Châu Thành, ngày 05 tháng 3 năm 2024"
    assert [run.italic for run in date_line.runs] == [True]


def test_district_plan_type_name_summary_and_body(district_plan):
    paragraphs = body_texts(opened(district_plan))

    assert paragraphs == [
        "KẾ HOẠCH",
        "thực hiện chuyên đề năm 2024",
        "-----",
        OPENING,
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Tổ chức học tập chuyên đề đến cán bộ, đảng viên.",
        "+ Mỗi đảng viên đăng ký một việc làm cụ thể.",
        "II. NỘI DUNG THỰC HIỆN",
        "1. Tổ chức học tập chuyên đề",
        "a) Người đứng đầu",
        "Giao Ban Tuyên giáo Huyện ủy chủ trì, theo dõi, hướng dẫn.",
    ]


def test_district_plan_signature_and_recipients(district_plan):
    signature = opened(district_plan).tables[-1]

    assert texts(signature.cell(0, 0)) == [
        "Nơi nhận:",
        "- Ban Tuyên giáo Tỉnh ủy,",
        "- Các chi, đảng bộ cơ sở,",
        "- Lưu Văn phòng Huyện ủy.",
    ]
    assert [t for t in texts(signature.cell(0, 1)) if t] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Huỳnh Thanh Tuấn",
    ]


def test_signing_in_own_name_prints_no_body_line(tree, terms):
    # The form pre-fills "BAN THƯỜNG VỤ"; without T/M, K/T or T/L it must not print on its own.
    document = issue(
        tree.district,
        D(2024, 3, 5),
        signing_form="",
        signing_body="BAN THƯỜNG VỤ",
        signer_title="BÍ THƯ",
        signer_name="Trần Văn Bốn",
    )

    signature = opened(document).tables[-1]

    assert [t for t in texts(signature.cell(0, 1)) if t] == ["BÍ THƯ", "Trần Văn Bốn"]


def test_cell_plan_prints_its_commune_as_upper_body_and_place(tree, terms):
    document = issue(
        tree.phuoc_thanh,
        D(2024, 1, 9),
        summary="thực hiện chuyên đề năm 2024",
        signing_form="T/M",
        signing_body="CHI BỘ",
        signer_title="BÍ THƯ",
        signer_name="Nguyễn Văn Hòa",
    )

    header = opened(document).tables[0]

    assert texts(header.cell(0, 0)) + texts(header.cell(1, 0)) == [
        "ĐẢNG BỘ XÃ AN KHÁNH",
        "CHI BỘ ẤP PHƯỚC THẠNH",
        "*",
        "Số 01-KH/CB",
    ]
    assert texts(header.cell(1, 1)) == ["An Khánh, ngày 09 tháng 01 năm 2024"]


def test_commune_upper_body_follows_the_tree_on_the_document_date(tree, terms):
    # An Khánh sat under Huyện ủy Châu Thành until 30/6/2025, under the province from 1/7/2025.
    before = issue(tree.an_khanh, D(2025, 6, 30), "BC")
    after = issue(tree.an_khanh, D(2025, 7, 1), "BC")

    assert texts(opened(before).tables[0].cell(0, 0))[0] == "ĐẢNG BỘ HUYỆN CHÂU THÀNH"
    assert texts(opened(after).tables[0].cell(0, 0))[0] == "ĐẢNG BỘ TỈNH BẾN TRE"


def test_staff_body_document_prints_its_committee_above_it(tree, terms, propaganda):
    document = issue(tree.district, D(2024, 12, 9), "HD", staff_body=propaganda)

    header = opened(document).tables[0]

    assert texts(header.cell(0, 0)) + texts(header.cell(1, 0)) == [
        "HUYỆN ỦY CHÂU THÀNH",
        "BAN TUYÊN GIÁO",
        "*",
        "Số 01-HD/BTGHU",
    ]
    assert texts(header.cell(1, 1)) == ["Châu Thành, ngày 09 tháng 12 năm 2024"]


def test_docx_view_downloads_the_document(district_staff, district_plan):
    response = district_staff.client.get(reverse("documents:docx", args=[district_plan.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == exporters.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="01-KH-HU.docx"'
    header = docx.Document(io.BytesIO(response.content)).tables[0]
    assert texts(header.cell(1, 0)) == ["Số 01-KH/HU"]


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_view_keeps_the_number_date_and_signer_with_their_diacritics(
    district_staff, district_plan, tmp_path
):
    response = district_staff.client.get(reverse("documents:pdf", args=[district_plan.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="01-KH-HU.pdf"'
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any(line.startswith("Số 01-KH/HU") for line in lines)
    assert any(line.endswith("Châu Thành, ngày 05 tháng 3 năm 2024") for line in lines)
    assert "Huỳnh Thanh Tuấn" in lines
    assert "T/M BAN THƯỜNG VỤ" in " ".join(lines)


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_cell_plan_pdf_keeps_the_district_upper_body_on_one_line(tree, terms, tmp_path):
    """Found by trying the demo: the header of Chi bộ Hội LHPN huyện's plan wrapped its upper body
    as "ĐẢNG BỘ HUYỆN CHÂU / THÀNH". It now sits on the line of the Party title."""
    document = issue(
        tree.women,
        D(2024, 12, 28),
        summary="thực hiện chuyên đề năm 2025",
        signing_form="T/M",
        signing_body="CHI BỘ",
        signer_title="BÍ THƯ",
        signer_name="Nguyễn Thanh Hiền",
    )
    target = tmp_path / "plan.pdf"
    target.write_bytes(pdf.docx_to_pdf(exporters.document_docx(document)))

    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout

    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[:4] == [
        "ĐẢNG BỘ HUYỆN CHÂU THÀNH ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ HỘI LHPN HUYỆN",
        "*",
        "Số 01-KH/CB Châu Thành, ngày 28 tháng 12 năm 2024",
    ]


def test_pdf_view_says_pdf_is_unavailable_without_libreoffice(district_staff, district_plan, monkeypatch):
    monkeypatch.setattr(pdf, "pdf_available", lambda: False)

    response = district_staff.client.get(reverse("documents:pdf", args=[district_plan.public_id]))

    assert response.status_code == 503
    assert response.templates[0].name == "includes/pdf_unavailable.html"
    assert reverse("documents:docx", args=[district_plan.public_id]) in response.content.decode()


@pytest.mark.parametrize(
    ("name", "letterhead", "place"),
    [
        ("Tỉnh ủy Bến Tre", "ĐẢNG BỘ TỈNH BẾN TRE", "Bến Tre"),
        ("Huyện ủy Châu Thành", "ĐẢNG BỘ HUYỆN CHÂU THÀNH", "Châu Thành"),
        ("Thành ủy Bến Tre", "ĐẢNG BỘ THÀNH PHỐ BẾN TRE", "Bến Tre"),
        ("Đảng ủy xã An Khánh", "ĐẢNG BỘ XÃ AN KHÁNH", "An Khánh"),
        # The older tone placement, as many names are still typed.
        ("Đảng uỷ xã Mỹ Thạnh", "ĐẢNG BỘ XÃ MỸ THẠNH", "Mỹ Thạnh"),
        ("Huyện uỷ Giồng Trôm", "ĐẢNG BỘ HUYỆN GIỒNG TRÔM", "Giồng Trôm"),
    ],
)
def test_letterhead_and_place_are_derived_from_the_committee_name(db, name, letterhead, place):
    unit = UnitFactory.build(name=name, kind=UnitKind.COMMUNE)

    assert (exporters.letterhead_name(unit), exporters.place_name(unit, D(2024, 1, 1))) == (letterhead, place)


def test_letterhead_and_place_set_on_the_unit_win(db):
    unit = UnitFactory.build(
        name="Đảng ủy Khối cơ quan", letterhead_name="Đảng bộ Khối các cơ quan tỉnh", place_name="Bến Tre"
    )

    assert (exporters.letterhead_name(unit), exporters.place_name(unit, D(2024, 1, 1))) == (
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "Bến Tre",
    )


def test_state_documents_are_not_printed_in_the_party_format(district_staff, tree):
    people_committee = UnitFactory(
        name="Ủy ban nhân dân xã An Khánh", kind=UnitKind.AGENCY, short_code="UBND", parent=tree.an_khanh
    )
    decision = issue(people_committee, D(2024, 5, 2), "QĐ", system=DocumentSystem.STATE)

    detail = district_staff.client.get(reverse("documents:detail", args=[decision.public_id]))
    docx_response = district_staff.client.get(reverse("documents:docx", args=[decision.public_id]))
    pdf_response = district_staff.client.get(reverse("documents:pdf", args=[decision.public_id]))

    assert detail.context["printable"] is False
    assert reverse("documents:docx", args=[decision.public_id]) not in detail.content.decode()
    assert (docx_response.status_code, pdf_response.status_code) == (404, 404)


def test_external_documents_are_not_printed(district_staff, db):
    directive = services.register_external_document(
        actor=None,
        issuer_name="Bộ Chính trị",
        issuer_code="TW",
        type_code="CT",
        number=5,
        issued_on=D(2016, 5, 15),
        summary="về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        term_label="khóa XII",
    )

    assert district_staff.client.get(reverse("documents:docx", args=[directive.public_id])).status_code == 404


def test_pdf_view_says_so_when_libreoffice_fails(district_staff, district_plan, monkeypatch):
    def fail(_data: bytes) -> bytes:
        raise pdf.PdfConversionFailed(
            "LibreOffice could not convert the document to PDF (exit code %(code)s).", code=1
        )

    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", fail)

    response = district_staff.client.get(reverse("documents:pdf", args=[district_plan.public_id]))

    assert response.status_code == 503
    assert response.context["failed"] is True
