"""The minutes (biên bản sinh hoạt chi bộ) and the attendance sheet as Party documents: reopened
with python-docx, and the minutes once through LibreOffice to PDF, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from lantoa.cells.exporters import AttendanceSheetExporter, MinutesExporter
from lantoa.cells.models import Meeting, MeetingKind, MeetingStatus
from lantoa.cells.queries.meetings import minutes_data
from lantoa.cells.services import meetings as services
from lantoa.lib import pdf
from tests.cells.meetings.conftest import plan
from tests.factories import member_in

D = dt.date
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def held(tree, cell, meeting) -> Meeting:
    """The March 2024 meeting, held, with its minutes written."""
    away = member_in(tree.phuoc_thanh, name="Đặng Thị Vắng")
    absent = member_in(tree.phuoc_thanh, name="Huỳnh Văn Trốn")
    services.sync_roster(actor=None, meeting=meeting)
    rows = {row.member_id: row for row in meeting.attendance.select_related("meeting")}
    services.set_attendance(actor=None, attendance=rows[away.pk], status="excused", reason="Đi công tác")
    services.set_attendance(actor=None, attendance=rows[absent.pk], status="unexcused")
    services.set_meeting_status(actor=None, meeting=meeting, status=MeetingStatus.HELD, today=D(2024, 3, 6))
    study, current = meeting.items.get(order=1), meeting.items.get(order=2)
    services.record_item_minutes(
        actor=None,
        item=study,
        presenter=cell.lan.person,
        content="Kể chuyện “Bác Hồ với đức tính giản dị, tiết kiệm”.",
        conclusion="Mỗi đồng chí thực hành tiết kiệm trong sinh hoạt hằng ngày.",
    )
    services.add_opinion(actor=None, item=study, person=cell.tu.person, text="Em học ở Bác đức khiêm tốn.")
    services.add_opinion(
        actor=None, item=study, person=cell.minh.person, text="Đề nghị mỗi tháng kể một câu chuyện."
    )
    services.record_item_minutes(
        actor=None,
        item=current,
        content="Quán triệt Chỉ thị 01-CT/TU.",
        votes_for=1,
        votes_against=1,
        votes_total=2,  # Minh and Lan: Tư is on probation, Già exempt, two absent
    )
    services.update_meeting(actor=None, meeting=meeting, resolution="1. Vận động đóng góp quỹ khuyến học.")
    return meeting


def _paragraphs(document) -> list[str]:
    """Non-empty body paragraphs outside the tables, in order."""
    found = [
        "".join(t.text or "" for t in element.iter(qn("w:t")))
        for element in document.element.body
        if element.tag == qn("w:p")
    ]
    return [text for text in found if text]


def _cell(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def _minutes(meeting) -> docx.document.Document:
    return docx.Document(io.BytesIO(MinutesExporter(minutes_data(meeting)).render()))


def test_minutes_header_names_the_commune_and_the_cell_with_place_and_date(held):
    header = _minutes(held).tables[0]

    assert _cell(header.cell(0, 0)) == ["ĐẢNG BỘ XÃ AN KHÁNH", "CHI BỘ ẤP PHƯỚC THẠNH", "*"]
    assert _cell(header.cell(1, 1)) == ["An Khánh, ngày 05 tháng 3 năm 2024"]
    assert _cell(header.cell(0, 1)) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]


def test_minutes_body_in_the_order_of_the_party_template(held):
    paragraphs = _paragraphs(_minutes(held))

    assert paragraphs[:3] == ["BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ", "tháng 3 năm 2024", "-----"]
    assert paragraphs[3:16] == [
        "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
        "Thời gian bắt đầu: 19 giờ 30, ngày 05 tháng 3 năm 2024",
        "Địa điểm: Nhà văn hóa ấp Phước Thạnh",
        "Chủ trì: đồng chí Trần Văn Minh, Bí thư Chi bộ ấp Phước Thạnh",
        "Thư ký: đồng chí Lê Thị Lan",
        (
            "Đại biểu, khách mời: đồng chí Võ Văn Hai, Ủy viên Ban Thường vụ Đảng ủy xã An Khánh; "
            "Bà Nguyễn Thị Tám, Trưởng ấp"
        ),
        "Tổng số đảng viên của chi bộ: 6 đồng chí (chính thức 5, dự bị 1)",
        "Có mặt: 3 đồng chí (chính thức 2, dự bị 1)",
        "Vắng có lý do: 1 đồng chí: Đặng Thị Vắng (Đi công tác)",
        "Vắng không lý do: 1 đồng chí: Huỳnh Văn Trốn",
        "Miễn sinh hoạt: 1 đồng chí: Nguyễn Văn Già",
        "Sinh hoạt tạm thời nơi khác: không",
        "II. NỘI DUNG",
    ]
    assert paragraphs[16:24] == [
        "1. Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Trình bày: đồng chí Lê Thị Lan",
        "Kể chuyện “Bác Hồ với đức tính giản dị, tiết kiệm”.",
        "Ý kiến thảo luận:",
        "- Đồng chí Phạm Văn Tư: Em học ở Bác đức khiêm tốn.",
        "- Đồng chí Trần Văn Minh: Đề nghị mỗi tháng kể một câu chuyện.",
        "Kết luận của chủ trì: Mỗi đồng chí thực hành tiết kiệm trong sinh hoạt hằng ngày.",
        "2. Thông tin thời sự, chủ trương, văn bản của cấp trên",
    ]
    assert "Biểu quyết: 1/2 đồng chí tán thành (50,00%), 1/2 đồng chí không tán thành." in paragraphs
    assert paragraphs[-3:] == [
        "III. NGHỊ QUYẾT",
        "1. Vận động đóng góp quỹ khuyến học.",
        "Buổi sinh hoạt kết thúc lúc 21 giờ 00 cùng ngày./.",
    ]


def test_minutes_are_signed_by_the_clerk_on_the_left_and_the_chair_on_the_right(held):
    signature = _minutes(held).tables[-1]

    assert _cell(signature.cell(0, 0)) == ["THƯ KÝ", "Lê Thị Lan"]
    assert _cell(signature.cell(0, 1)) == ["CHỦ TRÌ", "Trần Văn Minh"]


def test_thematic_minutes_carry_the_topic(tree, cell):
    thematic = plan(
        tree, cell, kind=MeetingKind.THEMATIC, topic="Nêu gương của đảng viên", date=D(2024, 3, 20)
    )

    paragraphs = _paragraphs(_minutes(thematic))

    assert paragraphs[:2] == ["BIÊN BẢN SINH HOẠT CHI BỘ CHUYÊN ĐỀ", "tháng 3 năm 2024"]
    assert "Chuyên đề: Nêu gương của đảng viên" in paragraphs


def test_minutes_download(cell_secretary, held):
    response = cell_secretary.client.get(reverse("cells:minutes_docx", args=[held.public_id]))

    assert response["Content-Type"] == DOCX
    assert (
        response["Content-Disposition"] == 'attachment; filename="bien-ban-phuoc-thanh-2024-03-dinh-ky.docx"'
    )
    assert _paragraphs(docx.Document(io.BytesIO(response.content)))[0] == "BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ"


def test_attendance_sheet_has_a_row_to_sign_for_every_member(cell_secretary, held):
    response = cell_secretary.client.get(reverse("cells:attendance_sheet", args=[held.public_id]))

    document = docx.Document(io.BytesIO(response.content))
    table = document.tables[1]
    rows = [[c.text.strip() for c in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Họ và tên", "Chính thức/Dự bị", "Ký tên", "Ghi chú"]
    assert rows[1:] == [
        ["1", "Đặng Thị Vắng", "Chính thức", "", ""],
        ["2", "Huỳnh Văn Trốn", "Chính thức", "", ""],
        ["3", "Lê Thị Lan", "Chính thức", "", ""],
        ["4", "Nguyễn Văn Già", "Chính thức", "", "Miễn sinh hoạt"],
        ["5", "Phạm Văn Tư", "Dự bị", "", ""],
        ["6", "Trần Văn Minh", "Chính thức", "", ""],
    ]
    assert _paragraphs(document)[:2] == [
        "DANH SÁCH",
        "đảng viên dự sinh hoạt chi bộ định kỳ tháng 3 năm 2024",
    ]
    assert response["Content-Disposition"] == (
        'attachment; filename="danh-sach-ky-phuoc-thanh-2024-03-dinh-ky.docx"'
    )


def test_attendance_sheet_exporter_names_itself():
    assert (AttendanceSheetExporter.identifier, AttendanceSheetExporter.extension) == (
        "attendance_sheet",
        "docx",
    )
    assert (MinutesExporter.identifier, MinutesExporter.content_type) == ("minutes", DOCX)


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_minutes_pdf_keeps_the_title_figures_and_signers(cell_secretary, held, tmp_path):
    response = cell_secretary.client.get(reverse("cells:minutes_pdf", args=[held.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="bien-ban-phuoc-thanh-2024-03-dinh-ky.pdf"'
    )
    target = tmp_path / "minutes.pdf"
    target.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    joined = " ".join(text.split())
    assert "BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ" in joined
    assert "tháng 3 năm 2024" in joined
    assert "Có mặt: 3 đồng chí (chính thức 2, dự bị 1)" in joined
    assert "Đồng chí Phạm Văn Tư: Em học ở Bác đức khiêm tốn." in joined
    assert "THƯ KÝ" in joined
    assert "CHỦ TRÌ" in joined
    assert "Trần Văn Minh" in joined


def test_minutes_pdf_says_so_when_libreoffice_fails(cell_secretary, held, monkeypatch):
    def fail(data: bytes, timeout: float = 60) -> bytes:
        raise pdf.PdfConversionFailed(
            "LibreOffice could not convert the document to PDF (exit code %(code)s).", code=1
        )

    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf, "docx_to_pdf", fail)

    response = cell_secretary.client.get(reverse("cells:minutes_pdf", args=[held.public_id]))

    assert response.status_code == 503
    assert response.context["failed"] is True
    assert reverse("cells:minutes_docx", args=[held.public_id]) in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "slug"),
    [
        (MeetingKind.REGULAR, "dinh-ky"),
        (MeetingKind.THEMATIC, "chuyen-de"),
        (MeetingKind.COMBINED, "ket-hop"),
    ],
)
def test_file_names_say_the_kind_of_meeting_in_vietnamese(tree, cell, kind, slug):
    meeting = plan(tree, cell, kind=kind, topic="" if kind == MeetingKind.REGULAR else "Nêu gương")
    data = minutes_data(meeting)

    assert MinutesExporter(data).filename == f"bien-ban-phuoc-thanh-2024-03-{slug}.docx"
    assert AttendanceSheetExporter(data).filename == f"danh-sach-ky-phuoc-thanh-2024-03-{slug}.docx"
