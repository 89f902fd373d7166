"""The review report as Party documents: the .docx (Hướng dẫn 36 layout, ``lib.party_docx``) with
the figures woven into sentences and marked places for what the staff write, the same tables as
a .xlsx, and the .docx turned into PDF.

Party documents are written in Vietnamese whatever the reader's interface language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lantoa.documents.exporters import letterhead_name, place_name
from lantoa.lib import party_docx as pd
from lantoa.lib.vi import format_date, format_figure, format_int
from lantoa.lib.xlsx import neutralise
from lantoa.org.queries import parent_on

from .compute import Line, Report, format_value, plain_number
from .periods import Period
from .statistics import Context
from .statistics.honours import HonoursFamily

TO_WRITE = "[Phần đánh giá do cơ quan tham mưu viết]"
KL01 = (
    "Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW "
    "của Bộ Chính trị khóa XII về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)


FIGURE_MARK = re.compile(r"\{([a-z_.]+)\}")


def _n(report: Report, statistic_id: str) -> str:
    line = report.line(statistic_id)
    return format_value(line.value, line.figure.statistic.measure)


def _write_here(text: str = TO_WRITE) -> pd.Paragraph:
    return pd.Paragraph([pd.Run(text, italic=True)])


def summary_line(period: Period) -> str:
    return f"kết quả thực hiện {KL01}, từ ngày {format_date(period.start)} đến ngày {format_date(period.end)}"


@dataclass
class YearRow:
    """One year of the honours appendix: collectives and individuals by level and by what was done."""

    label: str
    values: list[int]


HONOURS_COLUMNS = [
    ("honours.cells", "Chi bộ trực thuộc giới thiệu, biểu dương"),
    ("honours.reward", "Đơn vị trực thuộc khen thưởng"),
    ("honours.praise", "Đơn vị trực thuộc biểu dương"),
    ("honours.introduce", "Đơn vị trực thuộc giới thiệu"),
    ("honours.own_reward", "Cấp ủy khen thưởng"),
    ("honours.own_praise", "Cấp ủy biểu dương"),
]


def honours_by_year(report: Report, today: dt.date) -> list[YearRow]:
    """The honours figures of each calendar year of the period (the first and last clipped to it),
    and the whole period last: the rows of the appendix "by year and level"."""
    family = HonoursFamily()
    rows = []
    period = report.period
    for year in range(period.start.year, period.end.year + 1):
        part = Period(max(period.start, dt.date(year, 1, 1)), min(period.end, dt.date(year, 12, 31)))
        values = {
            f.statistic.id: int(f.value or 0) for f in family.compute(Context(report.unit, part, today))
        }
        rows.append(YearRow(f"{part.label()}", _honours_cells(values)))
    whole = {line.id: int(line.value or 0) for line in report.lines() if line.id.startswith("honours.")}
    rows.append(YearRow("Cộng", _honours_cells(whole)))
    return rows


def _honours_cells(values: dict[str, int]) -> list[int]:
    return [
        values.get(f"{key}.{subjects}", 0)
        for key, _l in HONOURS_COLUMNS
        for subjects in ("collectives", "individuals")
    ]


def _figures_table(lines: Sequence[Line]) -> pd.Table:
    rows: list[list[pd.Cell]] = [
        [
            str(n),
            line.label,
            format_value(line.value, line.figure.statistic.measure),
            format_value(line.previous, line.figure.statistic.measure),
        ]
        for n, line in enumerate(lines, start=1)
    ]
    return pd.Table(
        header=["TT", "Chỉ số", "Kỳ báo cáo", "Kỳ trước"], rows=rows, widths_cm=[1.2, 9.3, 3.0, 3.0]
    )


def report_document(
    report: Report, *, printed_on: dt.date, number_symbol: str, today: dt.date
) -> pd.PartyDocument:
    unit = report.unit
    parent = parent_on(unit, min(report.period.end, unit.valid_to or report.period.end))
    report_day = min(report.period.end, unit.valid_to or report.period.end)

    def said(text: str) -> str:
        """The sentence with each "{statistic.id}" replaced by its figure: 1.525, 140,43%."""
        known = {line.id for line in report.lines()}
        return FIGURE_MARK.sub(
            lambda found: _n(report, found.group(1)) if found.group(1) in known else found.group(0), text
        )

    targets = [
        line for line in report.lines() if line.id.startswith("targets.") and line.figure.target is not None
    ]
    body: list[pd.Block] = [
        pd.Heading("I. ĐẶC ĐIỂM TÌNH HÌNH"),
        pd.Paragraph(
            f"Đến ngày {format_date(report_day)}, {unit.name} có "
            + said(
                "{organisation.units.commune} đảng bộ xã, {organisation.units.grassroots} đảng bộ cơ sở, "
                "{organisation.units.grassroots_cell} chi bộ cơ sở, "
                "{organisation.units.cell} chi bộ trực thuộc với {organisation.members} đảng viên "
                "(trong đó {organisation.members.probationary} đảng viên "
                "dự bị)."
            )
        ),
        _write_here("[Thuận lợi, khó khăn: do cơ quan tham mưu viết]"),
        pd.Heading("II. KẾT QUẢ THỰC HIỆN"),
        pd.Heading("1. Công tác lãnh đạo, chỉ đạo, quán triệt, cụ thể hóa", level=2),
        pd.Paragraph(
            said(
                "Trong kỳ, các cấp ủy phải xây dựng và gửi {plans.due} kế hoạch, báo cáo theo "
                "{plans.obligations} yêu cầu; đã gửi đúng hạn {plans.on_time}, gửi trễ hạn {plans.late}, "
                "chưa gửi sau hạn {plans.missing}."
            )
        ),
        _write_here(),
        pd.Heading("2. Học tập chuyên đề toàn khóa và chuyên đề hằng năm", level=2),
        pd.Paragraph(
            said(
                "Các chi bộ đã tổ chức {meetings.regular.held}/{meetings.regular.expected} cuộc sinh hoạt "
                "thường kỳ và {meetings.thematic.held}/{meetings.thematic.expected} cuộc sinh hoạt "
                "chuyên đề; "
                "tỷ lệ đảng viên dự sinh hoạt đạt {meetings.attendance_rate}; "
                "{meetings.study_items} lượt đảng viên trình bày nội dung học tập tại sinh hoạt chi bộ."
            )
        ),
        _write_here(),
        pd.Heading("3. Việc làm theo và đăng ký làm theo", level=2),
        pd.Paragraph(
            said(
                "{commitments.members} đảng viên đăng ký {commitments.registered} việc làm theo; "
                "{commitments.done} việc đã được đánh giá hoàn thành. "
                "Có {practices.started} mô hình, cách làm "
                "hay được xây dựng và {practices.replications} lượt nhân rộng."
            )
        ),
        _write_here(),
        pd.Heading("4. Trách nhiệm nêu gương của người đứng đầu", level=2),
        _write_here(),
        pd.Heading("5. Phát hiện, bồi dưỡng, giới thiệu, biểu dương, khen thưởng điển hình", level=2),
        pd.Paragraph(
            [
                pd.Run("Các chi bộ trực thuộc đảng bộ cơ sở đã giới thiệu, biểu dương "),
                pd.Run(
                    said("{honours.cells.collectives} tập thể, {honours.cells.individuals} cá nhân"),
                    bold=True,
                ),
                pd.Run(" điển hình. Các chi bộ, đảng bộ cơ sở trực thuộc đã khen thưởng "),
                pd.Run(
                    said("{honours.reward.collectives} tập thể, {honours.reward.individuals} cá nhân"),
                    bold=True,
                ),
                pd.Run("; biểu dương "),
                pd.Run(
                    said("{honours.praise.collectives} tập thể, {honours.praise.individuals} cá nhân"),
                    bold=True,
                ),
                pd.Run(
                    said(
                        ". Cấp ủy đã khen thưởng {honours.own_reward.collectives} tập thể, "
                        "{honours.own_reward.individuals} cá nhân; biểu dương "
                        "{honours.own_praise.collectives} tập thể, {honours.own_praise.individuals} cá nhân"
                        "; cấp trên đã giới thiệu, biểu dương, khen thưởng "
                        "{honours.higher.collectives} tập thể, {honours.higher.individuals} cá nhân "
                        "do các đơn vị trực thuộc đề nghị"
                    )
                ),
                pd.Run(
                    said(
                        ". Đã ban hành {honours.decisions} quyết định giới thiệu, biểu dương, "
                        "khen thưởng và cấp "
                        "{honours.certificates} giấy khen (chi tiết tại Phụ lục 2)."
                    )
                ),
            ]
        ),
        pd.Heading("6. Công tác tuyên truyền", level=2),
        pd.Paragraph(
            said(
                "Các chi bộ đã phân công {meetings.articles.assigned} bài viết cho bản tin sinh hoạt nội bộ; "
                "{meetings.articles.published} bài đã được đăng."
            )
        ),
        _write_here(),
        pd.Heading("7. Đánh giá, xếp loại chất lượng và chỉ tiêu nhiệm kỳ", level=2),
        pd.Paragraph(
            said(
                "Về xếp loại tổ chức đảng: {ratings.organisations.excellent} tổ chức đảng "
                "hoàn thành xuất sắc nhiệm vụ, {ratings.organisations.good} hoàn thành tốt nhiệm vụ, "
                "{ratings.organisations.done} hoàn thành nhiệm vụ, {ratings.organisations.not_done} "
                "không hoàn thành nhiệm vụ. Về xếp loại đảng viên: "
                "{ratings.members.excellent} lượt đảng viên hoàn thành xuất sắc nhiệm vụ, "
                "{ratings.members.good} lượt hoàn thành tốt nhiệm vụ, {ratings.members.done} lượt "
                "hoàn thành nhiệm vụ, {ratings.members.not_done} lượt không hoàn thành nhiệm vụ."
            )
        ),
    ]
    for line in targets:
        body.append(pd.Bullet(f"{line.label}: {_target_sentence(line)}."))
    body += [
        pd.Heading("8. Quỹ tiết kiệm của đảng viên và đỡ đầu trẻ em", level=2),
        pd.Paragraph(
            said(
                "{funds.funds} quỹ tiết kiệm; trong kỳ đảng viên tiết kiệm {funds.savings}, nhận ủng hộ "
                "{funds.donations}, chi hỗ trợ {funds.children} trẻ em được đỡ đầu {funds.disbursements}; "
                "số dư cuối kỳ {funds.balance}."
            )
        ),
        pd.Heading("III. ĐÁNH GIÁ CHUNG"),
        pd.Heading("1. Ưu điểm", level=2),
        _write_here(),
        pd.Heading("2. Hạn chế, khuyết điểm và nguyên nhân", level=2),
        _write_here(),
        pd.Heading("3. Bài học kinh nghiệm", level=2),
        _write_here(),
        pd.Heading("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"),
        _write_here(),
        pd.Heading("V. ĐỀ XUẤT, KIẾN NGHỊ"),
        _write_here(),
    ]
    appendices = [
        pd.Appendix(
            "Số liệu kết quả thực hiện",
            [
                block
                for section in report.sections
                if section.lines
                for block in (
                    pd.Heading(section.title, level=2),
                    _figures_table(section.lines),
                )
            ],
            note=f"(Kỳ báo cáo {report.period.label()}; kỳ trước {report.previous_period.label()})",
        ),
        pd.Appendix(
            "Số lượng tập thể, cá nhân được giới thiệu, biểu dương, khen thưởng theo năm và cấp",
            [
                _honours_table(honours_by_year(report, today)),
                pd.Heading("Khen thưởng theo hình thức", level=2),
                _forms_table(rewards_by_form(report, today)),
            ],
            note="",
            landscape=True,
        ),
    ]
    return pd.PartyDocument(
        upper_body=letterhead_name(parent) if parent else None,
        issuing_body=pd.to_upper_vi(unit.letterhead_name or unit.name),
        number_symbol=number_symbol,
        place=place_name(unit, printed_on),
        date=printed_on,
        type_name="BÁO CÁO",
        summary=summary_line(report.period),
        body=body,
        signature=pd.Signature(form="T/M", body_label="BAN THƯỜNG VỤ", title="BÍ THƯ"),
        recipients=["Cấp ủy cấp trên (báo cáo),", "Các cấp ủy trực thuộc,", "Lưu Văn phòng."],
        appendices=appendices,
    )


def _target_sentence(line: Line) -> str:
    """ "đạt 66 chi bộ; chỉ tiêu 47 chi bộ; đạt 140,43% chỉ tiêu", with the target's unit."""
    figure, target = line.figure, line.figure.target
    if line.value is None or target is None:
        return "chưa có số liệu"
    achieved = "–" if figure.achievement is None else f"{format_figure(figure.achievement)}%"
    actual, wanted = figure.with_unit(format_figure(line.value)), figure.with_unit(format_figure(target))
    return f"đạt {actual}; chỉ tiêu {wanted}; đạt {achieved} chỉ tiêu"


def rewards_by_form(report: Report, today: dt.date) -> list[tuple[str, int, int]]:
    return HonoursFamily().by_form(Context(report.unit, report.period, today))


def _forms_table(rows: list[tuple[str, int, int]]) -> pd.Table | pd.Paragraph:
    if not rows:
        return pd.Paragraph("Trong kỳ không có khen thưởng.")
    body: list[list[pd.Cell]] = [
        [form or "(không ghi hình thức)", format_int(c), format_int(i)] for form, c, i in rows
    ]
    body.append(["Cộng", format_int(sum(r[1] for r in rows)), format_int(sum(r[2] for r in rows))])
    return pd.Table(
        header=["Hình thức", "Tập thể", "Cá nhân"], rows=body, total_row=True, widths_cm=[9.0, 3.5, 3.5]
    )


def honours_header() -> list[str]:
    """The columns of the recognitions by year and level (Word and Excel alike)."""
    return ["Năm"] + [f"{label}: {who}" for _key, label in HONOURS_COLUMNS for who in ("tập thể", "cá nhân")]


def _honours_table(rows: list[YearRow]) -> pd.Table:
    return pd.Table(
        header=honours_header(),
        rows=[[row.label, *[format_int(v) for v in row.values]] for row in rows],
        total_row=True,
        font_size=11,
    )


def draft_number(unit_short_code: str) -> str:
    """ "Số      -BC/HU": the number is left for the register (a draft)."""
    return f"Số      -BC/{unit_short_code}" if unit_short_code else "Số      -BC"


def report_docx(report: Report, *, printed_on: dt.date, number_symbol: str, today: dt.date) -> bytes:
    return pd.render_docx(
        report_document(report, printed_on=printed_on, number_symbol=number_symbol, today=today)
    )


def report_xlsx(report: Report, *, printed_on: dt.date, today: dt.date) -> bytes:
    """Sheet "Số liệu": every statistic with its id, value and previous value (numbers as numbers);
    sheet "Điển hình theo năm": the honours appendix."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Số liệu"
    for title in (
        report.unit.name,
        f"Báo cáo {summary_line(report.period)}",
        f"Ngày lập: {format_date(printed_on)}",
    ):
        sheet.append([neutralise(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(
        [
            "Mục",
            "Mã chỉ số",
            "Chỉ số",
            f"Kỳ báo cáo ({report.period.label()})",
            f"Kỳ trước ({report.previous_period.label()})",
            "Chỉ tiêu",
            "Đạt (%)",
        ]
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for section in report.sections:
        for line in section.lines:
            sheet.append(
                [
                    neutralise(section.title),
                    line.id,
                    neutralise(line.label),
                    plain_number(line.value),
                    plain_number(line.previous),
                    plain_number(line.figure.target),
                    plain_number(line.figure.achievement),
                ]
            )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for letter, width in zip("ABCDEFG", (26, 30, 60, 18, 18, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    years = book.create_sheet("Điển hình theo năm")
    years.append(honours_header())
    for cell in years[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in honours_by_year(report, today):
        years.append([row.label, *row.values])
    years.column_dimensions["A"].width = 26
    forms = book.create_sheet("Khen thưởng theo hình thức")
    forms.append(["Hình thức", "Tập thể", "Cá nhân"])
    for cell in forms[1]:
        cell.font = Font(bold=True)
    for form, collectives, individuals in rewards_by_form(report, today):
        forms.append([neutralise(form), collectives, individuals])
    forms.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
