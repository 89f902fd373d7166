"""Lay out a Party document (kế hoạch, báo cáo, biên bản, quyết định, công văn …) as a .docx file.

One module, used by every Lan Tỏa document, so all of them follow the same presentation rules of
Hướng dẫn 36-HD/VPTW (03/4/2018) "thể thức và kỹ thuật trình bày văn bản của Đảng":

* A4, margins 20/20/30/15 mm (top/bottom/left/right; configurable because older handbooks say
  25/25/35/15), Times New Roman (TCVN 6909:2001 Unicode) everywhere.
* First page: a borderless two-column header. Left: upper body (14 regular), issuing body
  (14 bold), a centred "*", the number "Số 15-KH/HU" (14 regular). Right: "ĐẢNG CỘNG SẢN VIỆT NAM"
  (15 bold) with a rule of the same length beneath, and the italic place-and-date line (14) on
  the same line as the number. There is no "Độc lập - Tự do - Hạnh phúc" line: that is the
  State heading, never a Party one.
* Type name (16 bold, UPPER) and trích yếu (14 bold) centred, then a short "-----" line. A công
  văn has no type name: its trích yếu goes under the number as "V/v …" (12 italic).
* Body 14pt, justified, first line indented 1 cm, 6 pt between paragraphs, lines at least 18 pt
  apart (≈ 1.15 of the font's natural line height).
* Page numbers centred in the top margin from page 2 on (14 regular); page 1 carries none.
* Signature: a borderless two-column table. Left: "Nơi nhận:" (14, underlined) and the
  recipients (12, each "- …"). Right: "T/M BAN THƯỜNG VỤ" / "BÍ THƯ" (14 bold), room for the
  signature and stamp, the name (14 bold). Minutes put THƯ KÝ on the left, CHỦ TRÌ on the right.
* Appendices start on a new page headed "Phụ lục 1", "Phụ lục 2" …

How to build one::

    doc = PartyDocument(
        upper_body="ĐẢNG BỘ TỈNH BẾN TRE", issuing_body="HUYỆN ỦY CHÂU THÀNH",
        number_symbol="Số 15-KH/HU", place="Châu Thành", date=dt.date(2024, 3, 5),
        type_name="KẾ HOẠCH", summary="thực hiện chuyên đề năm 2024",
        body=[Heading("I. MỤC ĐÍCH, YÊU CẦU"), Paragraph("..."), Bullet("...")],
        signature=Signature("T/M", "BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Huỳnh Thanh Tuấn"),
        recipients=["Ban Tuyên giáo Tỉnh ủy,", "Lưu Văn phòng Huyện ủy."],
    )
    data = render_docx(doc)

Text with mixed emphasis is a list of ``Run`` s — ``Paragraph([Run("Tổng số: "), Run("1.525",
bold=True), Run(" cá nhân.")])`` — rather than a markup language, so text that comes from users
(which may contain ``*`` or ``_``) never needs escaping. A plain ``str`` is one regular run.
Numbers in text and tables are expected already in Vietnamese form (``lantoa.lib.vi``: 1.525,
140,43%); table cells may also be ``int`` (formatted with ``format_int``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from docx import Document as _new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from lantoa.lib.text import printable
from lantoa.lib.vi import format_date, format_dateline, format_int

__all__ = [
    "Appendix",
    "Block",
    "Bullet",
    "Heading",
    "KeyValue",
    "Margins",
    "PageBreak",
    "Paragraph",
    "PartyDocument",
    "Run",
    "Signature",
    "Table",
    "format_place_date",
    "render_docx",
    "to_upper_vi",
    "write_docx",
]

PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
DEFAULT_FONT = "Times New Roman"

# Width of "ĐẢNG CỘNG SẢN VIỆT NAM" in Times New Roman bold 15 pt, measured on the PDF that
# LibreOffice renders with Liberation Serif (metric-compatible with Times New Roman, so Word
# gives the same): 7.29 cm. 36-HD wants the rule under the title exactly this long; the 0.06 cm
# extra keeps rounding from wrapping the title (the text must fit between the indents).
_PARTY_TITLE_WIDTH = Cm(7.35)

# Font sizes from 36-HD Phụ lục 3.
_SIZE_PARTY_TITLE = 15
_SIZE_HEADER = 14  # upper body, issuing body, number, place-date
_SIZE_TYPE_NAME = 16  # 15-16
_SIZE_BODY = 14  # 14-15
_SIZE_VV = 12  # trích yếu of a công văn
_SIZE_RECIPIENTS = 12
_SIZE_NOI_NHAN = 14

_BODY_INDENT = Cm(1)  # 36-HD: first line indented 1-1.27 cm
_BODY_SPACE = Pt(6)  # at least 6 pt between paragraphs
_BODY_LINE = Pt(18)  # at least 18 pt between lines
_SIGNATURE_BLANK_LINES = 4  # room for the signature and the red stamp
_ZERO = Pt(0)

# Header table over the 16.5 cm text width. The left column fits the upper body of a cell's or
# commune's documents on one line: "ĐẢNG BỘ HUYỆN CHÂU THÀNH" at 14 pt measures 7.46 cm on the PDF
# (6.6 cm wrapped it as "ĐẢNG BỘ HUYỆN CHÂU / THÀNH"); longer names still wrap, as on paper. The
# right column (8.9 cm) keeps "ĐẢNG CỘNG SẢN VIỆT NAM" (7.29 cm) on one line and a date line up to
# 8.9 cm ("Châu Thành, ngày 28 tháng 12 năm 2024" is 8.0 cm; a longer place wraps under it).
_HEADER_LEFT = Cm(7.6)
_SIGNATURE_LEFT = Cm(7.0)


# ---------------------------------------------------------------------------------------------
# What a document is made of
# ---------------------------------------------------------------------------------------------


CORE_PROPERTY_MAX = 255


@dataclass(frozen=True)
class Run:
    """A piece of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


Content = str | Sequence[Run]


@dataclass(frozen=True)
class Heading:
    """A section title. Level 1 is bold UPPER ("I. ĐẶC ĐIỂM TÌNH HÌNH"; upper-cased here), level 2
    bold ("1. Lãnh đạo, chỉ đạo"), level 3 bold italic ("a) Kết quả"). Numbering is the caller's."""

    text: str
    level: Literal[1, 2, 3] = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first line indented 1 cm. ``align`` "center"/"right"/"left" for the
    occasional closing line ("Nơi nhận" aside, e.g. a centred note)."""

    content: Content
    align: Literal["justify", "left", "center", "right"] = "justify"
    indent: bool = True


@dataclass(frozen=True)
class Bullet:
    """A "- " item. Party documents write items as ordinary paragraphs that start with a dash (no
    Word bullets): the dash sits at the 1 cm indent and wrapped lines go back to the margin.
    ``hanging=True`` aligns wrapped lines under the text instead (a list look); ``marker="+"``
    gives the second-level "+ " items."""

    content: Content
    marker: str = "-"
    hanging: bool = False


@dataclass(frozen=True)
class KeyValue:
    """Labelled lines of a biên bản: "Thời gian: 19 giờ 30, ngày 05/3/2024", "Địa điểm: …"."""

    items: Sequence[tuple[str, str]]


Cell = str | int | None


@dataclass(frozen=True)
class Table:
    """A bordered table. The header row is bold, centred and repeated on every page; columns whose
    cells are all numbers ("1.525", "140,43%", ints) are right-aligned, a "TT"/"STT" column is
    centred. ``widths_cm`` default: shared out by the length of each column's text.
    ``total_row=True`` sets the last row in bold (the "Tổng cộng" line)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths_cm: Sequence[float] | None = None
    total_row: bool = False
    font_size: float = 13


@dataclass(frozen=True)
class PageBreak:
    """The next block starts on a new page."""


Block = Heading | Paragraph | Bullet | KeyValue | Table | PageBreak


@dataclass(frozen=True)
class Appendix:
    """A phụ lục: a new page headed "Phụ lục N", the title (bold, UPPER), a note in italics and the
    blocks. ``note=None`` writes "(Kèm theo Kế hoạch số 15-KH/HU, ngày 05/3/2024)"; ``""`` none.
    ``landscape=True`` turns its pages sideways, for wide statistics tables."""

    title: str
    blocks: Sequence[Block] = ()
    note: str | None = None
    landscape: bool = False


SignatureForm = Literal["T/M", "K/T", "T/L", ""]


@dataclass(frozen=True)
class Signature:
    """Who signs. ``form`` + ``body_label`` make the authority line ("T/M BAN THƯỜNG VỤ", "K/T
    TRƯỞNG BAN"); both empty when the head signs in their own name (just "TRƯỞNG BAN" as
    ``title``). ``second_signer`` goes on the LEFT: minutes put Signature(title="THƯ KÝ") there,
    with CHỦ TRÌ as the main (right) signer, and then there is no Nơi nhận beside it."""

    form: SignatureForm = ""
    body_label: str = ""
    title: str = ""
    name: str = ""
    second_signer: Signature | None = None


@dataclass(frozen=True)
class Margins:
    """Page margins in mm. 36-HD practice 20/20/30/15; some handbooks 25/25/35/15."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


@dataclass(frozen=True)
class PartyDocument:
    """Everything a Party document shows. Names of bodies are printed UPPER whatever the input."""

    issuing_body: str
    number_symbol: str  # formatted by the numbering module: "Số 15-KH/HU"
    place: str
    date: dt.date
    type_name: str | None  # "KẾ HOẠCH", "BÁO CÁO", "BIÊN BẢN"; None for a công văn
    summary: str  # trích yếu: "thực hiện chuyên đề năm 2024" (without "V/v" for a công văn)
    body: Sequence[Block]
    signature: Signature
    upper_body: str | None = None  # "ĐẢNG BỘ TỈNH BẾN TRE"; None for top-level bodies
    recipients: Sequence[str] = ()  # Nơi nhận, each without the leading "- "
    addressees: Sequence[str] = ()  # "Kính gửi:" of a công văn / tờ trình
    appendices: Sequence[Appendix] = ()
    margins: Margins = field(default_factory=Margins)
    font_name: str = DEFAULT_FONT


# ---------------------------------------------------------------------------------------------
# Small pure helpers
# ---------------------------------------------------------------------------------------------


def to_upper_vi(text: str) -> str:
    """UPPER case for Vietnamese ("Huyện ủy" → "HUYỆN ỦY"). ``str.upper`` already handles every
    Vietnamese letter, đ included; NFC first so decomposed input comes out as single letters."""
    return unicodedata.normalize("NFC", text).upper()


def format_place_date(place: str, date: dt.date) -> str:
    """Place and date line: "Châu Thành, ngày 05 tháng 3 năm 2024" (``vi.format_dateline``)."""
    return f"{place}, {format_dateline(date)}"


_NUMBER = re.compile(r"^[-+]?\d{1,3}(\.\d{3})*(,\d+)?\s*%?$|^[-+]?\d+(,\d+)?\s*%?$")


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return format_int(value)
    return value


def _nfc(text: str) -> str:
    # Decomposed input (a base letter + combining marks, as some keyboards and PDFs produce) would
    # be drawn mark by mark and may fall back to another font: always write precomposed letters.
    # Characters a document cannot hold are dropped (stored before the input rules, they must
    # not make the download fail).
    return printable(unicodedata.normalize("NFC", text))


def _runs(content: Content) -> list[Run]:
    return [Run(content)] if isinstance(content, str) else list(content)


def _type_in_sentence(type_name: str | None) -> str:
    # "KẾ HOẠCH" → "Kế hoạch"; a công văn has no type name.
    return type_name.capitalize() if type_name else "Công văn"


# ---------------------------------------------------------------------------------------------
# The writer
# ---------------------------------------------------------------------------------------------


def render_docx(doc: PartyDocument) -> bytes:
    """The document as .docx bytes. Same input → same document XML (only timestamps differ)."""
    out = io.BytesIO()
    _Writer(doc).build().save(out)
    return out.getvalue()


def write_docx(doc: PartyDocument, path: str | Path) -> Path:
    target = Path(path)
    target.write_bytes(render_docx(doc))
    return target


Align = Literal["justify", "left", "center", "right"]
_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


class _Writer:
    def __init__(self, doc: PartyDocument) -> None:
        self.doc = doc
        self.docx: DocxDocument = _new_document()
        self.font = doc.font_name
        self._break_pending = False
        # python-docx's blank template starts with one empty paragraph: remove it.
        body = self.docx.element.body
        for p in body.findall(qn("w:p")):
            body.remove(p)

    # -- document ------------------------------------------------------------------------------

    def build(self) -> DocxDocument:
        self._setup_defaults()
        self._setup_page(self.docx.sections[0], landscape=False)
        self._page_numbers()
        self._header()
        self._title()
        self._addressees()
        self._blocks(self.doc.body)
        self._signature()
        for number, appendix in enumerate(self.doc.appendices, start=1):
            self._appendix(number, appendix)
        if self.docx.element.body[-2].tag == qn("w:tbl"):
            # Word wants a paragraph between the last table and the end of the document.
            self._spacer(Pt(1))
        self._properties()
        return self.docx

    def _setup_defaults(self) -> None:
        """Times New Roman 14, Vietnamese, no spacing: for anything not formatted explicitly."""
        styles = self.docx.styles.element
        rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_run_fonts(rpr_default, self.font)
        rpr_default.find(qn("w:sz")).set(qn("w:val"), str(_SIZE_BODY * 2))
        rpr_default.find(qn("w:szCs")).set(qn("w:val"), str(_SIZE_BODY * 2))
        lang = rpr_default.find(qn("w:lang"))
        lang.set(qn("w:val"), "vi-VN")
        lang.set(qn("w:eastAsia"), "vi-VN")
        ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr_default.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        normal = self.docx.styles["Normal"]
        normal.font.name = self.font
        normal.font.size = Pt(_SIZE_BODY)
        _set_run_fonts(normal.element.get_or_add_rPr(), self.font)

    def _setup_page(self, section: Section, *, landscape: bool) -> None:
        width, height = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        margins = self.doc.margins
        section.top_margin = Mm(margins.top)
        section.bottom_margin = Mm(margins.bottom)
        section.left_margin = Mm(margins.left)
        section.right_margin = Mm(margins.right)
        section.header_distance = Mm(10)  # page number 10 mm from the top edge
        section.footer_distance = Mm(10)

    def _text_width(self) -> Length:
        section = self.docx.sections[-1]
        assert section.page_width is not None
        assert section.left_margin is not None
        assert section.right_margin is not None
        return Emu(section.page_width - section.left_margin - section.right_margin)

    def _page_numbers(self) -> None:
        """36-HD: Arabic page numbers, 14 pt, centred in the top margin; none on page 1."""
        section = self.docx.sections[0]
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        self._format(paragraph, align="center")
        # A PAGE field, in the usual begin / instruction / separate / cached value / end runs.
        self._run(paragraph, "", size=_SIZE_HEADER)._r.append(_field_char("begin"))
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        self._run(paragraph, "", size=_SIZE_HEADER)._r.append(instruction)
        self._run(paragraph, "", size=_SIZE_HEADER)._r.append(_field_char("separate"))
        self._run(paragraph, "2", size=_SIZE_HEADER)
        self._run(paragraph, "", size=_SIZE_HEADER)._r.append(_field_char("end"))

    def _properties(self) -> None:
        props = self.docx.core_properties
        doc = self.doc
        # Word keeps at most 255 characters in a property; a long trích yếu is cut there.
        props.title = " ".join(part for part in (doc.type_name, doc.summary) if part)[:CORE_PROPERTY_MAX]
        props.subject = doc.number_symbol[:CORE_PROPERTY_MAX]
        props.author = "Lan Tỏa"
        props.last_modified_by = "Lan Tỏa"
        props.language = "vi-VN"
        props.keywords = ""
        props.comments = ""
        props.revision = 1
        now = dt.datetime.now(tz=dt.UTC).replace(microsecond=0, tzinfo=None)
        props.created = now
        props.modified = now

    # -- paragraphs and runs -------------------------------------------------------------------

    def _paragraph(self, container: _Cell | None = None) -> DocxParagraph:
        paragraph = (self.docx if container is None else container).add_paragraph()
        if container is None and self._break_pending:
            paragraph.paragraph_format.page_break_before = True
            self._break_pending = False
        return paragraph

    def _format(
        self,
        paragraph: DocxParagraph,
        *,
        align: Align = "left",
        first_line: Length | None = None,
        left: Length | None = None,
        before: Length = _ZERO,
        after: Length = _ZERO,
        line: Length | None = None,
        keep_with_next: bool = False,
    ) -> DocxParagraph:
        fmt = paragraph.paragraph_format
        fmt.alignment = _ALIGN[align]
        fmt.space_before = before
        fmt.space_after = after
        if line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing = line
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if first_line is not None:
            fmt.first_line_indent = first_line
        if left is not None:
            fmt.left_indent = left
        if keep_with_next:
            fmt.keep_with_next = True
        fmt.widow_control = True
        return paragraph

    def _run(
        self,
        paragraph: DocxParagraph,
        text: str,
        *,
        size: float = _SIZE_BODY,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
    ) -> DocxRun:
        run = paragraph.add_run(_nfc(text))
        run.font.size = Pt(size)
        run.font.bold = bold or None
        run.font.italic = italic or None
        run.font.underline = underline or None
        rpr = run._r.get_or_add_rPr()
        _set_run_fonts(rpr, self.font)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(round(size * 2)))
        rpr.find(qn("w:sz")).addnext(size_cs)
        return run

    def _line(
        self,
        container: _Cell,
        text: str,
        *,
        size: float = _SIZE_HEADER,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: Align = "center",
        before: Length = _ZERO,
        after: Length = _ZERO,
    ) -> DocxParagraph:
        """One single-spaced line in a table cell (header, signature)."""
        paragraph = self._format(self._paragraph(container), align=align, before=before, after=after)
        self._run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
        return paragraph

    def _content(self, paragraph: DocxParagraph, content: Content, *, size: float = _SIZE_BODY) -> None:
        for run in _runs(content):
            self._run(
                paragraph, run.text, size=size, bold=run.bold, italic=run.italic, underline=run.underline
            )

    def _body_paragraph(self, *, align: Align = "justify", indent: bool = True) -> DocxParagraph:
        return self._format(
            self._paragraph(),
            align=align,
            first_line=_BODY_INDENT if indent else Cm(0),
            before=_BODY_SPACE,
            line=_BODY_LINE,
        )

    # -- page 1: header, type name, trích yếu --------------------------------------------------

    def _header(self) -> None:
        """The two-column header. Row 1: bodies + "*" | Party title + rule. Row 2: number | date,
        so that the number and the date sit on the same line as in the 36-HD model."""
        doc = self.doc
        table = self._borderless_table(2, [_HEADER_LEFT, Emu(self._text_width() - _HEADER_LEFT)])
        left_top, right_top = table.cell(0, 0), table.cell(0, 1)
        left_bottom, right_bottom = table.cell(1, 0), table.cell(1, 1)
        if doc.upper_body:
            self._line(left_top, to_upper_vi(doc.upper_body))
        self._line(left_top, to_upper_vi(doc.issuing_body), bold=True)
        self._line(left_top, "*")
        self._line(left_bottom, doc.number_symbol)
        if doc.type_name is None and doc.summary:
            self._line(left_bottom, f"V/v {doc.summary}", size=_SIZE_VV, italic=True, before=Pt(2))

        title = self._line(right_top, PARTY_TITLE, size=_SIZE_PARTY_TITLE, bold=True)
        # The rule: a bottom border on the title paragraph, indented on both sides so that it is
        # exactly as long as the title (36-HD: "đường kẻ có độ dài bằng độ dài tiêu đề"). A run
        # underline would cut through the dot under Ộ and Ệ.
        column = self._text_width() - _HEADER_LEFT
        side = Emu(max(0, (column - _PARTY_TITLE_WIDTH) // 2))
        title.paragraph_format.left_indent = side
        title.paragraph_format.right_indent = side
        _set_border(title, "bottom", size_eighths=6, space_pt=1)
        date = self._line(right_bottom, format_place_date(doc.place, doc.date), italic=True)
        date.paragraph_format.keep_with_next = True

    def _title(self) -> None:
        doc = self.doc
        if doc.type_name is None:
            return
        name = self._format(self._paragraph(), align="center", before=Pt(24), keep_with_next=True)
        self._run(name, to_upper_vi(doc.type_name), size=_SIZE_TYPE_NAME, bold=True)
        if doc.summary:
            summary = self._format(self._paragraph(), align="center", keep_with_next=True)
            self._run(summary, doc.summary, size=_SIZE_BODY, bold=True)
        rule = self._format(self._paragraph(), align="center", after=Pt(6), keep_with_next=True)
        self._run(rule, "-----", size=_SIZE_BODY)

    def _addressees(self) -> None:
        """The "Kính gửi:" of a công văn: centred for one addressee, a dash list for several."""
        names = list(self.doc.addressees)
        if not names:
            return
        before = Pt(18) if self.doc.type_name is None else Pt(6)
        first = self._format(self._paragraph(), align="center", before=before, after=Pt(6))
        self._run(first, "Kính gửi: ", italic=True)
        if len(names) == 1:
            self._run(first, names[0])
            return
        for name in names:
            item = self._format(self._paragraph(), left=Cm(5), after=Pt(0))
            self._run(item, f"- {name}")

    # -- body ----------------------------------------------------------------------------------

    def _blocks(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Paragraph):
                paragraph = self._body_paragraph(align=block.align, indent=block.indent)
                self._content(paragraph, block.content)
            elif isinstance(block, Bullet):
                self._bullet(block)
            elif isinstance(block, KeyValue):
                for key, value in block.items:
                    paragraph = self._body_paragraph()
                    self._run(paragraph, f"{key}: ", bold=True)
                    self._run(paragraph, value)
            elif isinstance(block, Table):
                self._table(block)
            elif isinstance(block, PageBreak):
                self._break_pending = True
            else:  # pragma: no cover - the Block union is closed
                raise TypeError(f"not a document block: {block!r}")

    def _heading(self, block: Heading) -> None:
        paragraph = self._body_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        # An outline level lets Word's navigation pane and LibreOffice's navigator list sections.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(block.level - 1))
        paragraph._p.get_or_add_pPr().append(outline)
        text = to_upper_vi(block.text) if block.level == 1 else block.text
        self._run(paragraph, text, bold=True, italic=block.level == 3)

    def _bullet(self, block: Bullet) -> None:
        paragraph = self._body_paragraph()
        if block.hanging:
            dash = Cm(0.5)
            paragraph.paragraph_format.left_indent = Emu(_BODY_INDENT + dash)
            paragraph.paragraph_format.first_line_indent = Emu(-dash)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Emu(_BODY_INDENT + dash))
            self._run(paragraph, f"{block.marker}\t")
        else:
            self._run(paragraph, f"{block.marker} ")
        self._content(paragraph, block.content)

    def _table(self, block: Table) -> None:
        columns = len(block.header)
        rows = [[_cell_text(value) for value in row] for row in block.rows]
        for row in rows:
            if len(row) != columns:
                raise ValueError(f"table row has {len(row)} cells, header has {columns}: {row!r}")
        widths = self._column_widths(block, rows)
        # Air above the table (a table has no "space before"), kept on the table's page; it also
        # carries a pending page break, which a table cannot.
        self._spacer(Pt(6)).paragraph_format.keep_with_next = True
        table = self.docx.add_table(rows=1 + len(rows), cols=columns)
        _set_table_layout(table, widths, borders=True)
        numeric = [
            bool(body) and all(_is_number(text) for text in body)
            for body in ([row[i] for row in rows if row[i].strip()] for i in range(columns))
        ]
        size = block.font_size
        header = table.rows[0]
        _repeat_header(header)
        for i, text in enumerate(block.header):
            cell = header.cells[i]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            self._cell_text(cell, text, size=size, bold=True, align="center")
        for r, row in enumerate(rows, start=1):
            bold = block.total_row and r == len(rows)
            _cant_split(table.rows[r])
            for i, text in enumerate(row):
                cell = table.rows[r].cells[i]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                align: Align = "left"
                if block.header[i].strip().upper() in {"TT", "STT"}:
                    align = "center"
                elif numeric[i]:
                    align = "right"
                self._cell_text(cell, text, size=size, bold=bold, align=align)
        # A paragraph after every table: it keeps two tables in a row from merging into one and
        # gives the next block a little air.
        self._spacer(Pt(6))

    def _cell_text(self, cell: _Cell, text: str, *, size: float, bold: bool, align: Align) -> None:
        paragraph = cell.paragraphs[0]
        lines = text.split("\n")
        for n, line in enumerate(lines):
            target = paragraph if n == 0 else cell.add_paragraph()
            self._format(target, align=align, before=Pt(2), after=Pt(2))
            self._run(target, line, size=size, bold=bold)

    def _column_widths(self, block: Table, rows: list[list[str]]) -> list[Length]:
        total = self._text_width()
        if block.widths_cm:
            if len(block.widths_cm) != len(block.header):
                raise ValueError("widths_cm must give one width per column")
            return [Cm(w) for w in block.widths_cm]
        # Every column first gets room for its longest word (so "TT" or "125-QĐ/HU" never breaks
        # inside a word), then the rest is shared by the length of each column's longest text,
        # within bounds: a "TT" column stays narrow and a "Nội dung" column gets the room.
        char = Cm(0.26) * block.font_size / 13  # a generous average letter width, bold included
        floors, weights = [], []
        for i, title in enumerate(block.header):
            texts = [title] + [row[i] for row in rows]
            word = max((len(w) for text in texts for w in text.split()), default=1)
            floors.append(max(Cm(1), int(char * word) + Cm(0.4)))
            longest = max([len(title) * 0.8] + [len(row[i]) for row in rows])
            weights.append(min(max(longest, 3.0), 40.0))
        spare = total - sum(floors)
        if spare <= 0:  # too many columns for the page: shrink the floors proportionally
            return [Emu(int(f * total / sum(floors))) for f in floors]
        return [Emu(int(f + spare * w / sum(weights))) for f, w in zip(floors, weights, strict=True)]

    def _spacer(self, height: Length) -> DocxParagraph:
        """An empty paragraph exactly ``height`` tall."""
        paragraph = self._format(self._paragraph())
        paragraph.paragraph_format.line_spacing = height
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        return paragraph

    # -- signature -----------------------------------------------------------------------------

    def _signature(self) -> None:
        if self._break_pending:  # a PageBreak as the last block: the signature starts the page
            self._spacer(Pt(1))
        doc = self.doc
        main = doc.signature
        second = main.second_signer
        left_width = Emu(self._text_width() // 2) if second else _SIGNATURE_LEFT
        table = self._borderless_table(1, [left_width, Emu(self._text_width() - left_width)])
        _cant_split(table.rows[0])
        left, right = table.cell(0, 0), table.cell(0, 1)
        air = Pt(12)  # between the last paragraph and the signature block
        if second:
            self._signer(left, second, before=air)
        else:
            self._recipients(left, before=air)
        self._signer(right, main, before=air)
        if second and doc.recipients:
            # Minutes rarely have a Nơi nhận; if one is given it goes below the signatures.
            holder = self._borderless_table(1, [self._text_width()])
            self._recipients(holder.cell(0, 0), before=Pt(12))

    def _recipients(self, cell: _Cell, *, before: Length) -> None:
        if not self.doc.recipients:
            self._line(cell, "", before=before)
            return
        # 36-HD: "Nơi nhận:" 14 pt, upright, underlined (not the State's bold italic); the list
        # 12 pt, one "- " line each, commas and the final full stop as the caller wrote them.
        label = self._format(self._paragraph(cell), before=before)
        self._run(label, "Nơi nhận:", size=_SIZE_NOI_NHAN, underline=True)
        for name in self.doc.recipients:
            text = name if name.lstrip().startswith("-") else f"- {name}"
            self._line(cell, text, size=_SIZE_RECIPIENTS, align="left")

    def _signer(self, cell: _Cell, signer: Signature, *, before: Length) -> None:
        authority = " ".join(part for part in (signer.form, to_upper_vi(signer.body_label)) if part)
        first = True
        for text in (authority, to_upper_vi(signer.title)):
            if text:
                self._line(cell, text, bold=True, before=before if first else Pt(0))
                first = False
        for _ in range(_SIGNATURE_BLANK_LINES):
            self._line(cell, "")
        self._line(cell, signer.name, bold=True)

    # -- appendices ----------------------------------------------------------------------------

    def _appendix(self, number: int, appendix: Appendix) -> None:
        self._break_pending = False
        current = self.docx.sections[-1]
        wants_new_section = appendix.landscape or current.orientation == WD_ORIENT.LANDSCAPE
        if wants_new_section:
            section = self.docx.add_section(WD_SECTION.NEW_PAGE)
            self._setup_page(section, landscape=appendix.landscape)
            # The new section inherits "no number on the first page": its first page is not
            # page 1 of the document, so it shows its number like the others.
            section.different_first_page_header_footer = False
        heading = self._paragraph()
        self._format(heading, align="center", keep_with_next=True)
        if not wants_new_section:
            heading.paragraph_format.page_break_before = True
        self._run(heading, f"Phụ lục {number}", bold=True)
        title = self._format(self._paragraph(), align="center", before=Pt(6), keep_with_next=True)
        self._run(title, to_upper_vi(appendix.title), bold=True)
        note = appendix.note
        if note is None:
            doc = self.doc
            number_text = re.sub(r"^Số\b", "số", doc.number_symbol)
            kind = _type_in_sentence(doc.type_name)
            note = f"(Kèm theo {kind} {number_text}, ngày {format_date(doc.date)})"
        if note:
            line = self._format(self._paragraph(), align="center", keep_with_next=True)
            self._run(line, note, italic=True)
        rule = self._format(self._paragraph(), align="center", after=Pt(6), keep_with_next=True)
        self._run(rule, "-----")
        self._blocks(appendix.blocks)
        self._break_pending = False  # the next appendix starts a new page anyway

    # -- tables --------------------------------------------------------------------------------

    def _borderless_table(self, rows: int, widths: list[Length]) -> DocxTable:
        table = self.docx.add_table(rows=rows, cols=len(widths))
        _set_table_layout(table, widths, borders=False)
        for row in table.rows:
            for cell in row.cells:
                # A new cell holds one empty paragraph: the writer fills it instead of adding one.
                cell._tc.remove(cell.paragraphs[0]._p)
        return table


# ---------------------------------------------------------------------------------------------
# Low-level XML helpers (python-docx has no API for these)
# ---------------------------------------------------------------------------------------------


def _set_run_fonts(rpr: object, font: str) -> None:
    """Name the font for every script slot. Theme references ("minorHAnsi") would win over the
    names, and an unset complex-script slot makes LibreOffice pick another font for some
    Vietnamese letters; with all four set it maps Times New Roman to Liberation Serif."""
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _field_char(kind: str) -> object:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


def _set_border(paragraph: DocxParagraph, edge: str, *, size_eighths: int, space_pt: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    border = OxmlElement(f"w:{edge}")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), str(size_eighths))
    border.set(qn("w:space"), str(space_pt))
    border.set(qn("w:color"), "000000")
    borders.append(border)
    # pBdr must come before spacing/ind/jc in pPr (schema order).
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def _set_table_layout(table: DocxTable, widths: list[Length], *, borders: bool) -> None:
    """Fixed column widths (both in the grid, which LibreOffice reads, and on every cell, which
    Word reads), no table style, explicit borders or none."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER if borders else WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    style = tbl_pr.find(qn("w:tblStyle"))
    if style is not None:
        tbl_pr.remove(style)
    total = sum(int(w) for w in widths)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(_twips(total)))
    width.set(qn("w:type"), "dxa")
    _replace(tbl_pr, width)
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        edges.append(element)
    _replace(tbl_pr, edges)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _replace(tbl_pr, layout)
    margins = OxmlElement("w:tblCellMar")
    pad = 85 if borders else 0  # 0.15 cm inside bordered cells; none in the header/signature
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(pad))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _replace(tbl_pr, margins)
    _order_tbl_pr(tbl_pr)
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(_twips(int(w))))
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w


_TBL_PR_ORDER = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
]


def _order_tbl_pr(tbl_pr: object) -> None:
    children = list(tbl_pr)  # type: ignore[call-overload]
    rank = {qn(tag): n for n, tag in enumerate(_TBL_PR_ORDER)}
    children.sort(key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        tbl_pr.remove(child)  # type: ignore[attr-defined]
        tbl_pr.append(child)  # type: ignore[attr-defined]


def _replace(parent: object, element: object) -> None:
    old = parent.find(element.tag)  # type: ignore[attr-defined]
    if old is not None:
        parent.remove(old)  # type: ignore[attr-defined]
    parent.append(element)  # type: ignore[attr-defined]


def _twips(emu: int) -> int:
    return round(emu / 635)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    _cant_split(row)


def _cant_split(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))
