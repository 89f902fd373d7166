"""The minutes of a bình xét (rules-vn §5.3) in the Party format: the meeting's header, "BIÊN BẢN
bình xét gương điển hình tháng … năm …"; time, place, chair, clerk; the body's members and those
present; the rules applied (quorum, base, pass mark, method, slips for a secret ballot); the list
put to the vote; each nominee's votes, percentage and result; the proposal of those who passed;
THƯ KÝ on the left, CHỦ TRÌ on the right. Printed in Vietnamese whatever the reader's language."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from lantoa.cells.exporters.minutes import (
    DOCX_CONTENT_TYPE,
    MinutesExporter,
    attendance_lines,
    person_line,
    time_words,
)
from lantoa.cells.queries.meetings import MinutesData
from lantoa.lib.vi import format_dateline, format_dateline_month, format_decimal, format_int
from lantoa.lib.xlsx import XLSX_CONTENT_TYPE

from .models import (
    CouncilEntry,
    CouncilList,
    Decision,
    Proposal,
    VoteBase,
    VoteBody,
    VoteMethod,
    VotingRound,
)
from .queries import round_rows
from .tally import Fraction

if TYPE_CHECKING:
    from lantoa.lib import party_docx as pd

METHOD_WORDS = {VoteMethod.HANDS: "biểu quyết giơ tay", VoteMethod.SECRET: "bỏ phiếu kín"}


@dataclasses.dataclass(frozen=True)
class BodyWords:
    """How the minutes name who votes and what the body resolves."""

    voters: str
    resolves: str


BODY_WORDS = {
    VoteBody.CELL: BodyWords("đảng viên chính thức", "Chi bộ thống nhất giới thiệu, biểu dương"),
    VoteBody.COMMITTEE: BodyWords("cấp ủy viên", "Hội nghị thống nhất giới thiệu, biểu dương"),
    VoteBody.COUNCIL: BodyWords(
        "thành viên Hội đồng", "Hội đồng thống nhất đề nghị cấp có thẩm quyền xem xét, khen thưởng"
    ),
}


def fraction_words(fraction: Fraction) -> str:
    """ "quá một nửa" / "từ 90% trở lên": how the minutes state a rule's mark."""
    if (fraction.numerator, fraction.denominator) == (1, 2):
        return "quá một nửa" if fraction.strict else "từ một nửa trở lên"
    percent = format_decimal(fraction.numerator * 100 / fraction.denominator, 0)
    return f"trên {percent}%" if fraction.strict else f"từ {percent}% trở lên"


class VotingMinutesExporter:
    identifier = "voting_minutes"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def __init__(self, voting_round: VotingRound, data: MinutesData) -> None:
        self.round = voting_round
        self.data = data
        self.meeting_minutes = MinutesExporter(data)

    @property
    def filename(self) -> str:
        return f"bien-ban-binh-xet-{self.data.unit.key}-{self.data.meeting.period:%Y-%m}.{self.extension}"

    def document(self) -> pd.PartyDocument:
        from lantoa.lib import party_docx as pd

        data, voting_round = self.data, self.round
        meeting, unit = data.meeting, data.unit
        rule = voting_round.rules.rule
        words = BODY_WORDS[VoteBody(voting_round.rules.body)]
        base_words = {VoteBase.PRESENT: f"số {words.voters} có mặt", VoteBase.BODY: f"tổng số {words.voters}"}
        rows = round_rows(voting_round)
        voters = voting_round.voters.count()
        body: list[pd.Block] = [
            pd.Heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
            pd.KeyValue(
                [
                    ("Thời gian", f"{time_words(meeting.starts_at)}, {format_dateline(meeting.date)}"),
                    ("Địa điểm", meeting.place or "…"),
                    ("Chủ trì", person_line(data.chair, data.posts, unit)),
                    ("Thư ký", person_line(data.clerk, data.posts, unit)),
                ]
            ),
            pd.KeyValue(attendance_lines(data.totals, unit)),
            pd.Heading("II. NGUYÊN TẮC BÌNH XÉT"),
            pd.KeyValue(
                [
                    (f"Số {words.voters} được tính", format_int(voting_round.body_size or 0)),
                    (f"Số {words.voters} có mặt, có quyền biểu quyết", format_int(voters)),
                    ("Hình thức", METHOD_WORDS[VoteMethod(voting_round.method)]),
                    (
                        "Điều kiện hợp lệ",
                        f"{fraction_words(rule.quorum)} số {words.voters} có mặt",
                    ),
                    (
                        "Điều kiện đạt",
                        f"{fraction_words(rule.threshold)} {base_words[VoteBase(rule.base)]} tán thành",
                    ),
                ]
            ),
        ]
        if voting_round.method == VoteMethod.SECRET:
            body.append(
                pd.KeyValue(
                    [
                        ("Số phiếu phát ra", format_int(voting_round.slips_issued or 0)),
                        ("Số phiếu thu về", format_int(voting_round.slips_returned or 0)),
                        ("Số phiếu hợp lệ", format_int(voting_round.slips_valid or 0)),
                    ]
                )
            )
        body += [
            pd.Heading("III. DANH SÁCH ĐƯA RA BÌNH XÉT"),
            *[
                pd.Bullet(
                    [
                        pd.Run(f"{row.entry.nomination.subject_label}: ", bold=True),
                        pd.Run(row.entry.nomination.achievements.replace("\n", " ")),
                    ]
                )
                for row in rows
            ],
            pd.Heading("IV. KẾT QUẢ"),
            pd.Table(
                header=[
                    "TT",
                    "Họ và tên / tập thể",
                    "Tán thành",
                    "Không tán thành",
                    "Không biểu quyết",
                    "Tỷ lệ",
                    "Kết quả",
                ],
                rows=[
                    [
                        str(number),
                        row.entry.nomination.subject_label
                        + (" (không tự biểu quyết)" if row.entry.recused else ""),
                        row.entry.votes_for or 0,
                        row.entry.votes_against or 0,
                        row.entry.votes_abstain or 0,
                        f"{format_decimal(row.entry.percent)}%" if row.entry.percent is not None else "",
                        "Đạt" if row.entry.passed else "Không đạt",
                    ]
                    for number, row in enumerate(rows, start=1)
                ],
                widths_cm=[1.0, 5.0, 2.0, 2.2, 2.2, 2.0, 2.1],
            ),
        ]
        passed = [row.entry.nomination.subject_label for row in rows if row.entry.passed]
        body.append(pd.Heading("V. ĐỀ NGHỊ"))
        body.append(
            pd.Paragraph(
                f"{words.resolves}: " + "; ".join(passed) + "." if passed else "Không có trường hợp nào đạt."
            )
        )
        body.append(pd.Paragraph(f"Biên bản kết thúc lúc {time_words(meeting.ends_at)} cùng ngày./."))
        return pd.PartyDocument(
            **self.meeting_minutes.header(),  # type: ignore[arg-type]
            type_name="BIÊN BẢN",
            summary=self._summary(),
            body=body,
            signature=self.meeting_minutes.signature(),
        )

    def _summary(self) -> str:
        """ "bình xét gương điển hình tháng 3 năm 2024"; a council's session, what it voted on."""
        if self.round.rules.body == VoteBody.COUNCIL and self.round.item.title:
            title = self.round.item.title
            return title[:1].lower() + title[1:]
        return f"bình xét gương điển hình {format_dateline_month(self.data.meeting.period)}"

    def render(self) -> bytes:
        from lantoa.lib import party_docx as pd

        return pd.render_docx(self.document())


class ProposalExporter:
    """The tờ trình of a proposal: the register's document (number, date, signer) with the list
    of nominees, what each did and how their vote went."""

    identifier = "proposal"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def __init__(self, proposal: Proposal) -> None:
        self.proposal = proposal

    @property
    def filename(self) -> str:
        return f"to-trinh-{self.proposal.document.symbol.replace('/', '-')}.{self.extension}"

    def document(self) -> pd.PartyDocument:
        from lantoa.documents.exporters import party_document
        from lantoa.lib import party_docx as pd

        proposal = self.proposal
        nominations = list(
            proposal.nominations.select_related("subject_person", "subject_unit").prefetch_related(
                "round_entries__round__meeting"
            )
        )
        rows = []
        for number, nomination in enumerate(nominations, start=1):
            votes = [e for e in nomination.round_entries.all() if e.passed is not None]
            last = max(votes, key=lambda e: e.round.meeting.date) if votes else None
            rows.append(
                [
                    str(number),
                    nomination.subject_label,
                    nomination.achievements.replace("\n", " "),
                    f"{last.votes_for} tán thành ({format_decimal(last.percent)}%)"
                    if last is not None and last.percent is not None
                    else "",
                ]
            )
        body: list[pd.Block] = [
            pd.Paragraph(
                f"Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện "
                f"Chỉ thị số 05-CT/TW; qua bình xét, {proposal.from_unit.name} kính đề nghị "
                f"{proposal.to_unit.name} xem xét, biểu dương {format_int(len(nominations))} trường hợp "
                f"tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
                f"(có danh sách kèm theo)."
            ),
            pd.Table(
                header=["TT", "Họ và tên / tập thể", "Thành tích", "Kết quả bình xét"],
                rows=rows,
                widths_cm=[1.0, 4.5, 8.0, 3.0],
            ),
            pd.Paragraph(f"Kính trình {proposal.to_unit.name} xem xét, quyết định./."),
        ]
        base = party_document(proposal.document)
        return dataclasses.replace(
            base,
            summary="về việc đề nghị biểu dương gương điển hình",
            addressees=[proposal.to_unit.name],
            body=body,
        )

    def render(self) -> bytes:
        from lantoa.lib import party_docx as pd

        return pd.render_docx(self.document())


class DecisionExporter:
    """The QĐ of a decision: the grounds, Điều 1 (what is granted to whom, the list attached),
    Điều 2 (the money, from the coefficient and the base salary of the day), Điều 3 (who carries
    it out); the list with each subject's unit and amount."""

    identifier = "decision"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def __init__(self, decision: Decision) -> None:
        self.decision = decision

    @property
    def filename(self) -> str:
        return f"quyet-dinh-{self.decision.document.symbol.replace('/', '-')}.{self.extension}"

    def document(self) -> pd.PartyDocument:
        from lantoa.documents.exporters import party_document
        from lantoa.lib import party_docx as pd

        decision = self.decision
        recognitions = list(decision.recognitions.select_related("nomination__unit"))
        individuals = sum(1 for r in recognitions if not r.is_collective)
        collectives = len(recognitions) - individuals
        counted = " và ".join(
            part
            for part in (
                f"{format_int(collectives)} tập thể" if collectives else "",
                f"{format_int(individuals)} cá nhân" if individuals else "",
            )
            if part
        )
        verb = {"introduce": "Giới thiệu", "praise": "Biểu dương", "reward": "Tặng"}[decision.kind]
        award = f" {decision.award_label}" if decision.kind == "reward" else ""
        proposers = sorted({r.nomination.unit.name for r in recognitions})
        rows = [
            [
                str(number),
                r.subject_label,
                r.nomination.unit.name,
                format_int(r.amount) if r.amount is not None else "",
            ]
            for number, r in enumerate(recognitions, start=1)
        ]
        total = sum(r.amount or 0 for r in recognitions)
        body: list[pd.Block] = [
            pd.Paragraph("Căn cứ Điều lệ Đảng Cộng sản Việt Nam;"),
            pd.Paragraph(
                "Căn cứ Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện "
                "Chỉ thị số 05-CT/TW;"
            ),
            pd.Paragraph(f"Xét đề nghị của {', '.join(proposers)},"),
            pd.Paragraph([pd.Run("QUYẾT ĐỊNH", bold=True)], align="center", indent=False),
            pd.Paragraph(
                f"Điều 1. {verb}{award} cho {counted} đã có thành tích {decision.reason} "
                f"(có danh sách kèm theo)."
            ),
        ]
        if total:
            body.append(
                pd.Paragraph(
                    f"Điều 2. Kèm theo là tiền thưởng theo quy định, tổng cộng {format_int(total)} đồng "
                    f"(mức lương cơ sở {format_int(decision.base_salary)} đồng)."
                )
            )
        body += [
            pd.Paragraph(
                f"Điều {3 if total else 2}. Văn phòng, các cơ quan liên quan và {', '.join(proposers)} "
                f"căn cứ Quyết định thi hành./."
            ),
            pd.Table(
                header=["TT", "Họ và tên / tập thể", "Đơn vị", "Tiền thưởng (đồng)"],
                rows=rows,
                widths_cm=[1.0, 6.0, 6.5, 3.0],
            ),
        ]
        base = party_document(decision.document)
        return dataclasses.replace(base, body=body)

    def render(self) -> bytes:
        from lantoa.lib import party_docx as pd

        return pd.render_docx(self.document())


COUNCIL_HEADER = [
    "TT",
    "Họ và tên / tập thể",
    "Đơn vị",
    "Tháng được bình xét",
    "Số lần giới thiệu",
    "Số lần được bình xét đạt",
    "Cam kết thực hiện / đăng ký",
    "Ghi chú",
]


def council_rows(entries: list[CouncilEntry]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for number, entry in enumerate(entries, start=1):
        months = ", ".join(f"{m:02}" for m in entry.month_list)
        commitments = f"{entry.commitments_kept}/{entry.commitments_count}" if entry.commitments_count else ""
        rows.append(
            [
                number,
                entry.subject_label,
                entry.nomination.unit.name,
                months,
                entry.nominations_count,
                entry.votes_passed,
                commitments,
                f"Bổ sung: {entry.added_reason}" if entry.added_reason else "",
            ]
        )
    return rows


class CouncilListExporter:
    """The year-end list (DANH SÁCH) handed to the council, Word or Excel: individuals first,
    then collectives, each with the months recognised and the counts the records give."""

    content_types = {"docx": DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

    def __init__(self, council_list: CouncilList, entries: list[CouncilEntry]) -> None:
        self.council_list = council_list
        self.entries = entries

    def filename(self, extension: str) -> str:
        return f"danh-sach-hoi-dong-{self.council_list.unit.key}-{self.council_list.year}.{extension}"

    @property
    def title(self) -> str:
        return (
            f"các trường hợp tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách "
            f"Hồ Chí Minh năm {self.council_list.year} trình Hội đồng xét"
        )

    def docx(self) -> bytes:
        from lantoa.documents.exporters import letterhead_name, place_name
        from lantoa.lib import party_docx as pd
        from lantoa.org.queries import parent_on

        council_list, day = self.council_list, self.council_list.assembled_on
        unit = council_list.unit
        parent = parent_on(unit, day)
        individuals = [e for e in self.entries if not e.is_collective]
        collectives = [e for e in self.entries if e.is_collective]
        body: list[pd.Block] = [
            pd.Paragraph(
                f"Tổng hợp từ kết quả bình xét của các chi bộ, đảng bộ trực thuộc năm {council_list.year}: "
                f"{format_int(len(individuals))} cá nhân, {format_int(len(collectives))} tập thể."
            )
        ]
        for heading, group in (("I. CÁ NHÂN", individuals), ("II. TẬP THỂ", collectives)):
            if group:
                body += [
                    pd.Heading(heading, level=2),
                    pd.Table(
                        header=COUNCIL_HEADER,
                        rows=[[str(c) for c in row] for row in council_rows(group)],
                        widths_cm=[0.9, 3.6, 3.4, 2.2, 1.6, 1.8, 1.8, 2.2],
                    ),
                ]
        document = pd.PartyDocument(
            upper_body=letterhead_name(parent) if parent else None,
            issuing_body=pd.to_upper_vi(unit.name),
            number_symbol="",
            place=place_name(unit, day),
            date=day,
            type_name="DANH SÁCH",
            summary=self.title,
            body=body,
            signature=pd.Signature(title="NGƯỜI LẬP DANH SÁCH"),
        )
        return pd.render_docx(document)

    def xlsx(self) -> bytes:
        from lantoa.lib.xlsx import table_xlsx

        council_list = self.council_list
        return table_xlsx(
            sheet_title=f"Hội đồng {council_list.year}",
            header=COUNCIL_HEADER,
            rows=council_rows(self.entries),
            widths=[5, 30, 30, 16, 12, 14, 14, 30],
            title_lines=[f"{council_list.unit.name}: danh sách {self.title}"],
        )
