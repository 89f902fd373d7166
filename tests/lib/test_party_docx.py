"""The Party document layout (Hướng dẫn 36-HD/VPTW): render, open again with python-docx, check parts."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from lantoa.lib.party_docx import (
    Appendix,
    Bullet,
    Heading,
    KeyValue,
    Margins,
    PageBreak,
    Paragraph,
    PartyDocument,
    Run,
    Signature,
    Table,
    format_place_date,
    render_docx,
    to_upper_vi,
    write_docx,
)

D = dt.date
FONT = "Times New Roman"
SUMMARY = "thực hiện chuyên đề năm 2024 về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
DATE_LINE = "Châu Thành, ngày 05 tháng 3 năm 2024"
RECIPIENTS = [
    "Ban Tuyên giáo Tỉnh ủy,",
    "Các đồng chí Huyện ủy viên,",
    "Các tổ chức cơ sở đảng,",
    "Lưu Văn phòng Huyện ủy.",
]


def plan_document(**changes: object) -> PartyDocument:
    """Kế hoạch 15-KH/HU of Huyện ủy Châu Thành: two pages of text and one appendix page."""
    values: dict[str, object] = {
        "upper_body": "Đảng bộ tỉnh Bến Tre",  # printed UPPER whatever the input
        "issuing_body": "HUYỆN ỦY CHÂU THÀNH",
        "number_symbol": "Số 15-KH/HU",
        "place": "Châu Thành",
        "date": D(2024, 3, 5),
        "type_name": "KẾ HOẠCH",
        "summary": SUMMARY,
        "body": [
            Paragraph(
                "Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị và Kế hoạch số "
                "120-KH/TU ngày 20/02/2024 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Huyện ủy xây dựng "
                "kế hoạch thực hiện chuyên đề năm 2024 như sau:"
            ),
            Heading("I. Mục đích, yêu cầu"),
            Bullet(
                "Tổ chức học tập, quán triệt sâu rộng nội dung chuyên đề đến cán bộ, đảng viên và "
                "Nhân dân; gắn với thực hiện nhiệm vụ chính trị của từng địa phương, đơn vị."
            ),
            Bullet("Mỗi đảng viên đăng ký ít nhất một việc làm cụ thể và tự kiểm điểm hằng tháng."),
            Heading("II. Nội dung thực hiện"),
            Heading("1. Tổ chức học tập chuyên đề", level=2),
            Paragraph(
                [
                    Run("Các tổ chức cơ sở đảng hoàn thành việc học tập "),
                    Run("trước ngày 30/4/2024", bold=True),
                    Run("; kết quả năm 2023 "),
                    Run("như sau", italic=True),
                    Run(":"),
                ]
            ),
            Table(
                header=["TT", "Nội dung", "Chỉ tiêu", "Thực hiện", "Tỷ lệ"],
                rows=[
                    ["1", "Đảng viên tham gia học tập chuyên đề", "1.600", 1525, "95,31%"],
                    ["2", "Chi bộ ấp, khu phố trong sạch, vững mạnh toàn diện", "47", 66, "140,43%"],
                ],
                widths_cm=[1.2, 7.8, 2.5, 2.5, 2.5],
            ),
            Heading("2. Làm theo và nêu gương", level=2),
            Heading("a) Người đứng đầu", level=3),
            Bullet(
                "Người đứng đầu cấp ủy, cơ quan, đơn vị gương mẫu thực hiện trước; công khai việc "
                "đăng ký làm theo tại chi bộ và nơi cư trú."
            ),
            Heading("III. Tổ chức thực hiện"),
            Paragraph(
                "Giao Ban Tuyên giáo Huyện ủy chủ trì, phối hợp các cơ quan liên quan theo dõi, hướng "
                "dẫn, kiểm tra việc thực hiện kế hoạch; định kỳ 6 tháng tổng hợp, báo cáo Ban Thường "
                "vụ Huyện ủy."
            ),
            PageBreak(),
            Paragraph("Trang này chỉ để thử ngắt trang: nội dung bắt đầu ở trang mới."),
        ],
        "signature": Signature("T/M", "BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Huỳnh Thanh Tuấn"),
        "recipients": RECIPIENTS,
        "appendices": [
            Appendix(
                "Biểu thống kê điển hình được biểu dương năm 2023",
                [
                    Table(
                        header=["TT", "Cấp biểu dương", "Tập thể", "Cá nhân", "Tổng số"],
                        rows=[["1", "Huyện", "6", "18", "24"], ["", "Tổng cộng", "6", "18", "24"]],
                        total_row=True,
                    )
                ],
            )
        ],
    }
    values.update(changes)
    return PartyDocument(**values)  # type: ignore[arg-type]


def minutes_document() -> PartyDocument:
    return PartyDocument(
        upper_body="ĐẢNG BỘ XÃ AN KHÁNH",
        issuing_body="CHI BỘ ẤP PHƯỚC THẠNH",
        number_symbol="Số 03-BB/CB",
        place="An Khánh",
        date=D(2024, 1, 4),
        type_name="BIÊN BẢN",
        summary="sinh hoạt chi bộ định kỳ tháng 01 năm 2024",
        body=[
            KeyValue([("Thời gian", "19 giờ 30, ngày 04/01/2024"), ("Địa điểm", "Văn phòng ấp")]),
            Paragraph("Tổng số đảng viên: 23; có mặt 21; vắng 2 có lý do."),
        ],
        signature=Signature(
            title="CHỦ TRÌ",
            name="Nguyễn Văn Hòa",
            second_signer=Signature(title="THƯ KÝ", name="Lê Thị Mai"),
        ),
    )


def letter_document() -> PartyDocument:
    return PartyDocument(
        upper_body="HUYỆN ỦY CHÂU THÀNH",
        issuing_body="BAN TUYÊN GIÁO",
        number_symbol="Số 62-CV/BTGHU",
        place="Châu Thành",
        date=D(2024, 12, 9),
        type_name=None,
        summary="báo cáo sơ kết 03 năm thực hiện Kết luận số 01-KL/TW",
        addressees=["Các chi, đảng bộ cơ sở"],
        body=[Paragraph("Đề nghị các đơn vị gửi báo cáo trước ngày 20/12/2024./.")],
        signature=Signature("K/T", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Trần Thị Hồng"),
        recipients=["Như trên,", "Lưu Văn phòng."],
    )


def near(a, b) -> bool:
    """Lengths are stored in twips (1/20 pt = 635 EMU): equal up to that rounding."""
    if a is None or b is None:
        return a is b
    if isinstance(a, tuple):
        return len(a) == len(b) and all(near(x, y) for x, y in zip(a, b, strict=True))
    return abs(int(a) - int(b)) < 635


def opened(doc: PartyDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(doc)))


@pytest.fixture(scope="module")
def plan() -> docx.document.Document:
    return opened(plan_document())


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def only(paragraphs, text: str):
    found = [p for p in paragraphs if p.text == text]
    assert len(found) == 1, f"{text!r} found {len(found)} times"
    return found[0]


def body_order(document) -> list[str]:
    """Top-level body elements in order: paragraph texts, and "<table>" for tables."""
    out = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            out.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
        elif element.tag == qn("w:tbl"):
            out.append("<table>")
    return out


# --- pure helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (D(2024, 3, 5), "Châu Thành, ngày 05 tháng 3 năm 2024"),
        (D(2024, 1, 9), "Châu Thành, ngày 09 tháng 01 năm 2024"),
        (D(2018, 2, 20), "Châu Thành, ngày 20 tháng 02 năm 2018"),
        (D(2025, 10, 1), "Châu Thành, ngày 01 tháng 10 năm 2025"),
        (D(2024, 11, 10), "Châu Thành, ngày 10 tháng 11 năm 2024"),
        (D(2024, 12, 31), "Châu Thành, ngày 31 tháng 12 năm 2024"),
    ],
)
def test_format_place_date_pads_days_below_10_and_months_1_and_2(date, expected):
    assert format_place_date("Châu Thành", date) == expected


def test_to_upper_vi_handles_vietnamese_letters_and_decomposed_input():
    assert to_upper_vi("Huyện ủy Châu Thành") == "HUYỆN ỦY CHÂU THÀNH"
    assert to_upper_vi("ủ ơ ư đ ặ ễ ỳ") == "Ủ Ơ Ư Đ Ặ Ễ Ỳ"
    decomposed = unicodedata.normalize("NFD", "đảng ủy")
    assert to_upper_vi(decomposed) == "ĐẢNG ỦY"


# --- page, fonts, properties ------------------------------------------------------------------


def test_page_is_a4_with_the_36_hd_margins(plan):
    section = plan.sections[0]
    assert near((section.page_width, section.page_height), (Mm(210), Mm(297)))
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert near((section.top_margin, section.bottom_margin), (Mm(20), Mm(20)))
    assert near((section.left_margin, section.right_margin), (Mm(30), Mm(15)))


def test_margins_are_configurable():
    section = opened(plan_document(margins=Margins(25, 25, 35, 15))).sections[0]
    assert near((section.top_margin, section.bottom_margin), (Mm(25), Mm(25)))
    assert near((section.left_margin, section.right_margin), (Mm(35), Mm(15)))


def test_every_run_names_times_new_roman_for_every_script(plan):
    parts = [plan.element, *(s.header._element for s in plan.sections)]
    runs = [r for part in parts for r in part.iter(qn("w:r"))]
    assert len(runs) > 50
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            assert fonts.get(qn(attr)) == FONT, (attr, "".join(t.text or "" for t in run.iter(qn("w:t"))))
        assert not any("Theme" in key or "theme" in key for key in fonts.attrib)
    # Defaults too, so that an empty paragraph or a later edit in Word stays in Times New Roman.
    defaults = plan.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:ascii")) == FONT
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"


def test_core_properties(plan):
    props = plan.core_properties
    assert props.title == f"KẾ HOẠCH {SUMMARY}"
    assert props.author == "Lan Tỏa"
    assert props.language == "vi-VN"


def test_rendering_is_deterministic_apart_from_timestamps():
    def document_xml(data: bytes) -> bytes:
        return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")

    assert document_xml(render_docx(plan_document())) == document_xml(render_docx(plan_document()))


def test_write_docx(tmp_path):
    path = write_docx(plan_document(), tmp_path / "ke-hoach.docx")
    assert docx.Document(str(path)).tables[0].cell(1, 0).text == "Số 15-KH/HU"


def test_page_numbers_from_page_2_centred_in_the_top_margin(plan):
    section = plan.sections[0]
    assert section.different_first_page_header_footer
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in header._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    assert header.runs[0].font.size == Pt(14)


# --- header -------------------------------------------------------------------------------------


def test_header_left_column_upper_body_issuing_body_asterisk_number(plan):
    header = plan.tables[0]
    left = texts(header.cell(0, 0)) + texts(header.cell(1, 0))
    assert left == ["ĐẢNG BỘ TỈNH BẾN TRE", "HUYỆN ỦY CHÂU THÀNH", "*", "Số 15-KH/HU"]
    upper, issuing, star = header.cell(0, 0).paragraphs
    number = header.cell(1, 0).paragraphs[0]
    assert not upper.runs[0].bold
    assert issuing.runs[0].bold
    for paragraph in (upper, issuing, star, number):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert paragraph.runs[0].font.size == Pt(14)
    assert not number.runs[0].bold


def test_header_right_column_party_title_with_rule_and_date(plan):
    header = plan.tables[0]
    title = only(header.cell(0, 1).paragraphs, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.runs[0].bold
    assert title.runs[0].font.size == Pt(15)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rule = title._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:val")) == "single"
    # The rule is as long as the title: equal indents leaving ~7.3 cm in the 8.9 cm column.
    fmt = title.paragraph_format
    assert fmt.left_indent == fmt.right_indent
    assert Cm(7.2) < Cm(8.9) - 2 * fmt.left_indent < Cm(7.5)
    (date,) = header.cell(1, 1).paragraphs
    assert date.text == DATE_LINE
    assert all(run.italic for run in date.runs)
    assert date.runs[0].font.size == Pt(14)


def test_header_table_has_no_borders(plan):
    borders = plan.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}


def test_no_state_motto(plan):
    everything = "\n".join(p.text for t in plan.tables for c in t._cells for p in c.paragraphs)
    assert "Độc lập" not in everything
    assert "Hạnh phúc" not in everything


# --- title and body ----------------------------------------------------------------------------


def test_type_name_summary_and_short_rule(plan):
    order = body_order(plan)
    start = order.index("KẾ HOẠCH")
    assert order[start : start + 3] == ["KẾ HOẠCH", SUMMARY, "-----"]
    name = only(plan.paragraphs, "KẾ HOẠCH")
    assert name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert name.runs[0].bold
    assert name.runs[0].font.size == Pt(16)
    summary = only(plan.paragraphs, SUMMARY)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert summary.runs[0].bold
    assert summary.runs[0].font.size == Pt(14)


def test_body_paragraphs_justified_indented_14pt(plan):
    paragraph = next(p for p in plan.paragraphs if p.text.startswith("Thực hiện Kết luận số 01-KL/TW"))
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert near(fmt.first_line_indent, Cm(1))
    assert fmt.space_before == Pt(6)
    assert fmt.line_spacing == Pt(18)
    assert {run.font.size for run in paragraph.runs} == {Pt(14)}


def test_runs_carry_bold_and_italic(plan):
    paragraph = next(p for p in plan.paragraphs if p.text.startswith("Các tổ chức cơ sở đảng"))
    assert paragraph.text == (
        "Các tổ chức cơ sở đảng hoàn thành việc học tập trước ngày 30/4/2024; kết quả năm 2023 như sau:"
    )
    styled = [(run.text, bool(run.bold), bool(run.italic)) for run in paragraph.runs]
    assert ("trước ngày 30/4/2024", True, False) in styled
    assert ("như sau", False, True) in styled
    assert styled[0][1:] == (False, False)


def test_headings_by_level(plan):
    level1 = only(plan.paragraphs, "I. MỤC ĐÍCH, YÊU CẦU")  # upper-cased from "I. Mục đích, yêu cầu"
    level2 = only(plan.paragraphs, "1. Tổ chức học tập chuyên đề")
    level3 = only(plan.paragraphs, "a) Người đứng đầu")
    assert level1.runs[0].bold
    assert not level1.runs[0].italic
    assert level2.runs[0].bold
    assert not level2.runs[0].italic
    assert level3.runs[0].bold
    assert level3.runs[0].italic
    for heading in (level1, level2, level3):
        assert heading.paragraph_format.keep_with_next
        assert near(heading.paragraph_format.first_line_indent, Cm(1))


def test_bullets_are_dashes_not_word_lists(plan):
    bullets = [p for p in plan.paragraphs if p.text.startswith("- ")]
    assert [b.text[:30] for b in bullets] == [
        "- Tổ chức học tập, quán triệt ",
        "- Mỗi đảng viên đăng ký ít nhấ",
        "- Người đứng đầu cấp ủy, cơ qu",
    ]
    for bullet in bullets:
        assert bullet._p.pPr.find(qn("w:numPr")) is None
        assert near(bullet.paragraph_format.first_line_indent, Cm(1))


def test_hanging_bullet_and_second_level_marker():
    document = opened(plan_document(body=[Bullet("Một ý dài", hanging=True), Bullet("Ý phụ", marker="+")]))
    hanging, plus = (p for p in document.paragraphs if p.text.startswith(("-\t", "+ ")))
    assert hanging.text == "-\tMột ý dài"
    assert near(hanging.paragraph_format.left_indent, Cm(1.5))
    assert near(hanging.paragraph_format.first_line_indent, -Cm(0.5))
    assert plus.text == "+ Ý phụ"


def test_table_contents_alignment_header_and_borders(plan):
    table = plan.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["TT", "Nội dung", "Chỉ tiêu", "Thực hiện", "Tỷ lệ"],
        ["1", "Đảng viên tham gia học tập chuyên đề", "1.600", "1.525", "95,31%"],  # int 1525 formatted
        ["2", "Chi bộ ấp, khu phố trong sạch, vững mạnh toàn diện", "47", "66", "140,43%"],
    ]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(cell.paragraphs[0].runs[0].bold for cell in header.cells)
    assert {cell.paragraphs[0].alignment for cell in header.cells} == {WD_ALIGN_PARAGRAPH.CENTER}
    first = table.rows[1].cells
    assert first[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # TT
    assert first[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT  # text
    for cell in first[2:]:  # 1.600, 1.525, 95,31%
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert not first[2].paragraphs[0].runs[0].bold
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"single"}
    assert [col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))] == [
        str(round(Cm(w) / 635)) for w in (1.2, 7.8, 2.5, 2.5, 2.5)
    ]


def test_total_row_is_bold(plan):
    appendix_table = plan.tables[-1]
    last = appendix_table.rows[-1].cells
    assert last[1].text == "Tổng cộng"
    assert all(cell.paragraphs[0].runs[0].bold for cell in last)
    assert not appendix_table.rows[1].cells[1].paragraphs[0].runs[0].bold


def test_table_rows_must_match_the_header():
    with pytest.raises(ValueError, match="row has 1 cells"):
        render_docx(plan_document(body=[Table(["A", "B"], [["x"]])]))


def test_page_break_starts_the_next_block_on_a_new_page(plan):
    after = next(p for p in plan.paragraphs if p.text.startswith("Trang này chỉ để thử ngắt trang"))
    assert after.paragraph_format.page_break_before


def test_page_break_before_a_table_or_the_signature():
    # A table cannot carry "page break before": the spacer paragraph above it does; a PageBreak
    # as the last block puts the signature on the new page through a 1 pt paragraph.
    blocks = [Paragraph("Trước."), PageBreak(), Table(["A"], [["x"]]), PageBreak()]
    document = opened(plan_document(body=blocks, appendices=[]))
    order = []
    for element in document.element.body:
        if element.tag == qn("w:tbl"):
            order.append("<table>")
        elif element.tag == qn("w:p"):
            order.append(element.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None)
    _header, body_table, signature = (i for i, item in enumerate(order) if item == "<table>")
    assert order[body_table - 1] is True
    assert order[signature - 1] is True
    assert order.count(True) == 2
    assert not any(br.get(qn("w:type")) == "page" for br in document.element.body.iter(qn("w:br")))


# --- signature, recipients, appendix -----------------------------------------------------------


def signature_table(document):
    return next(
        t for t in document.tables if any(p.text == "Huỳnh Thanh Tuấn" for p in t._cells[-1].paragraphs)
    )


def test_signature_block(plan):
    table = signature_table(plan)
    right = table.cell(0, 1).paragraphs
    assert [p.text for p in right] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "",
        "",
        "",
        "",
        "Huỳnh Thanh Tuấn",
    ]
    for paragraph in (right[0], right[1], right[-1]):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert paragraph.runs[0].bold
        assert paragraph.runs[0].font.size == Pt(14)
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"
    # The signature block is never split over two pages.
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_recipients(plan):
    left = signature_table(plan).cell(0, 0).paragraphs
    assert [p.text for p in left] == ["Nơi nhận:"] + [f"- {name}" for name in RECIPIENTS]
    label = left[0].runs[0]
    assert label.underline
    assert not label.bold
    assert label.font.size == Pt(14)
    assert {p.runs[0].font.size for p in left[1:]} == {Pt(12)}


def test_signature_comes_after_the_body_and_before_the_appendix(plan):
    order = body_order(plan)
    last_body = next(i for i, t in enumerate(order) if t.startswith("Trang này chỉ để thử"))
    appendix = order.index("Phụ lục 1")
    signature = [i for i, t in enumerate(order) if t == "<table>"][2]  # header, body table, signature
    assert last_body < signature < appendix


def test_appendix_on_a_new_page_with_number_title_and_note(plan):
    order = body_order(plan)
    start = order.index("Phụ lục 1")
    assert order[start : start + 5] == [
        "Phụ lục 1",
        "BIỂU THỐNG KÊ ĐIỂN HÌNH ĐƯỢC BIỂU DƯƠNG NĂM 2023",
        "(Kèm theo Kế hoạch số 15-KH/HU, ngày 05/03/2024)",
        "-----",
        "",  # air above the table
    ]
    assert order[start + 5] == "<table>"
    heading = only(plan.paragraphs, "Phụ lục 1")
    assert heading.paragraph_format.page_break_before
    assert heading.runs[0].bold
    note = only(plan.paragraphs, "(Kèm theo Kế hoạch số 15-KH/HU, ngày 05/03/2024)")
    assert note.runs[0].italic


def test_landscape_appendix_gets_its_own_section():
    wide = Appendix("Danh sách điển hình", [Paragraph("...")], note="", landscape=True)
    document = opened(plan_document(appendices=[wide]))
    first, second = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert second.orientation == WD_ORIENT.LANDSCAPE
    assert not second.different_first_page_header_footer  # its first page shows its number
    assert near((second.page_width, second.page_height), (Mm(297), Mm(210)))
    assert "(Kèm theo" not in "\n".join(p.text for p in document.paragraphs)


def test_decomposed_input_is_written_precomposed():
    document = opened(plan_document(summary=unicodedata.normalize("NFD", "thực hiện chuyên đề")))
    assert any(p.text == "thực hiện chuyên đề" for p in document.paragraphs)


# --- minutes and công văn ----------------------------------------------------------------------


def test_minutes_have_thu_ky_left_chu_tri_right_and_no_recipients():
    document = opened(minutes_document())
    table = document.tables[-1]
    left = [p.text for p in table.cell(0, 0).paragraphs if p.text]
    right = [p.text for p in table.cell(0, 1).paragraphs if p.text]
    assert left == ["THƯ KÝ", "Lê Thị Mai"]
    assert right == ["CHỦ TRÌ", "Nguyễn Văn Hòa"]
    everything = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    assert "Nơi nhận:" not in everything + [p.text for p in document.paragraphs]
    header = document.tables[0]
    assert header.cell(1, 1).text == "An Khánh, ngày 04 tháng 01 năm 2024"


def test_minutes_key_value_lines():
    document = opened(minutes_document())
    line = only(document.paragraphs, "Thời gian: 19 giờ 30, ngày 04/01/2024")
    key, value = line.runs
    assert (key.text, bool(key.bold)) == ("Thời gian: ", True)
    assert (value.text, bool(value.bold)) == ("19 giờ 30, ngày 04/01/2024", False)


def test_cong_van_puts_the_summary_under_the_number_as_vv():
    document = opened(letter_document())
    header = document.tables[0]
    assert texts(header.cell(0, 0)) == ["HUYỆN ỦY CHÂU THÀNH", "BAN TUYÊN GIÁO", "*"]
    number, vv = header.cell(1, 0).paragraphs
    assert number.text == "Số 62-CV/BTGHU"
    assert vv.text == "V/v báo cáo sơ kết 03 năm thực hiện Kết luận số 01-KL/TW"
    assert vv.runs[0].italic
    assert vv.runs[0].font.size == Pt(12)
    top_level = [p.text for p in document.paragraphs]
    assert "-----" not in top_level  # no type name, no trích yếu block in the middle
    kinh_gui = next(p for p in document.paragraphs if p.text.startswith("Kính gửi:"))
    assert kinh_gui.text == "Kính gửi: Các chi, đảng bộ cơ sở"
    assert kinh_gui.runs[0].italic
    assert document.core_properties.title == "báo cáo sơ kết 03 năm thực hiện Kết luận số 01-KL/TW"
    signer = [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text]
    assert signer == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Trần Thị Hồng"]


def test_top_level_body_without_upper_body():
    document = opened(plan_document(upper_body=None, issuing_body="TỈNH ỦY BẾN TRE"))
    header = document.tables[0]
    assert texts(header.cell(0, 0)) + texts(header.cell(1, 0)) == ["TỈNH ỦY BẾN TRE", "*", "Số 15-KH/HU"]
