"""The minutes of a cell meeting (biên bản sinh hoạt chi bộ) in the Party format.

Fields and order follow the cell-meeting minutes of Hướng dẫn 12-HD/BTCTW practice (rules-vn
§5.2): header (the committee above, the cell), place and date, "BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ
tháng … năm …"; time, place, chair, clerk, guests; attendance (total, present full/probationary,
absent with and without reason by name, exempt, attending elsewhere); each agenda item with its
content, opinions by name, the chair's conclusion and the vote; the resolution; the closing time;
THƯ KÝ signs on the left, CHỦ TRÌ on the right. No number: minutes are not numbered documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lantoa.lib.vi import format_dateline, format_dateline_month, format_int, format_percent
from lantoa.org.models import Person, Position, PositionTitle, Unit

from ..models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingKind
from ..queries.meetings import AttendanceTotals, MinutesData, Tally

if TYPE_CHECKING:
    from lantoa.lib import party_docx as pd

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Printed post titles (Vietnamese whatever the interface language).
POST_TITLES = {
    PositionTitle.SECRETARY: "Bí thư",
    PositionTitle.STANDING_DEPUTY: "Phó Bí thư Thường trực",
    PositionTitle.DEPUTY: "Phó Bí thư",
    PositionTitle.STANDING_MEMBER: "Ủy viên Ban Thường vụ",
    PositionTitle.COMMITTEE_MEMBER: "Ủy viên",
    PositionTitle.HEAD_OF_COMMISSION: "Trưởng ban",
    PositionTitle.CHAIR: "Chủ tịch",
    PositionTitle.DEPUTY_CHAIR: "Phó Chủ tịch",
    PositionTitle.COUNCIL_CHAIR: "Chủ tịch Hội đồng",
    PositionTitle.COUNCIL_MEMBER: "Ủy viên Hội đồng",
}

KIND_WORDS = {
    MeetingKind.REGULAR: "ĐỊNH KỲ",
    MeetingKind.THEMATIC: "CHUYÊN ĐỀ",
    MeetingKind.COMBINED: "ĐỊNH KỲ KẾT HỢP CHUYÊN ĐỀ",
    MeetingKind.COUNCIL: "HỘI ĐỒNG THI ĐUA, KHEN THƯỞNG",
}

# In file names: Vietnamese words, as the documents say, not the stored codes.
KIND_SLUGS = {
    MeetingKind.REGULAR: "dinh-ky",
    MeetingKind.THEMATIC: "chuyen-de",
    MeetingKind.COMBINED: "ket-hop",
    MeetingKind.COUNCIL: "hoi-dong",
}


def time_words(moment: dt.time | None) -> str:
    """ "19 giờ 30"; an unknown time as dots to fill in by hand."""
    return f"{moment.hour} giờ {moment.minute:02d}" if moment is not None else "… giờ …"


def meeting_title(meeting: Meeting, unit: Unit) -> str:
    """ "BIÊN BẢN SINH HOẠT CHI BỘ ĐỊNH KỲ" (a committee's meeting: "BIÊN BẢN HỌP ĐỊNH KỲ")."""
    what = "SINH HOẠT CHI BỘ" if unit.is_cell else "HỌP"
    return f"BIÊN BẢN {what} {KIND_WORDS[MeetingKind(meeting.kind)]}"


def post_text(position: Position) -> str:
    title = POST_TITLES.get(PositionTitle(position.title), position.get_title_display())
    if position.unit.is_cell and position.title == PositionTitle.COMMITTEE_MEMBER:
        title = "Chi ủy viên"
    return f"{title} {position.unit.name}"


def person_line(person: Person | None, posts: dict[int, list[Position]], unit: Unit | None = None) -> str:
    """ "đồng chí Trần Văn Minh, Bí thư Chi bộ ấp Phước Thạnh": the post held in ``unit`` first."""
    if person is None:
        return "…"
    held = sorted(posts.get(person.pk, []), key=lambda p: (unit is None or p.unit_id != unit.pk, p.pk))
    if not held:
        return f"đồng chí {person.full_name}"
    return f"đồng chí {person.full_name}, {post_text(held[0])}"


def _tally(tally: Tally) -> str:
    if not tally.total:
        return "không"
    return (
        f"{format_int(tally.total)} đồng chí (chính thức {format_int(tally.full)}, "
        f"dự bị {format_int(tally.probationary)})"
    )


def _named(rows: Sequence[Attendance], with_reason: bool = True) -> str:
    if not rows:
        return "không"
    names = [
        f"{row.member.person.full_name} ({row.reason})"
        if with_reason and row.reason
        else row.member.person.full_name
        for row in rows
    ]
    return f"{format_int(len(rows))} đồng chí: {', '.join(names)}"


def attendance_lines(totals: AttendanceTotals, unit: Unit) -> list[tuple[str, str]]:
    who = "Tổng số đảng viên của chi bộ" if unit.is_cell else "Tổng số đồng chí được triệu tập"
    return [
        (who, _tally(totals.members)),
        ("Có mặt", _tally(totals.present)),
        ("Vắng có lý do", _named(totals.named[AttendanceStatus.EXCUSED])),
        ("Vắng không lý do", _named(totals.named[AttendanceStatus.UNEXCUSED], with_reason=False)),
        ("Miễn sinh hoạt", _named(totals.named[AttendanceStatus.EXEMPT], with_reason=False)),
        ("Sinh hoạt tạm thời nơi khác", _named(totals.named[AttendanceStatus.ELSEWHERE])),
    ]


def vote_text(item: AgendaItem) -> str | None:
    """ "Biểu quyết: 9/10 đồng chí tán thành (90,00%), 1/10 đồng chí không tán thành." or None."""
    if item.votes_total is None or item.votes_for is None or item.votes_against is None:
        return None
    total = item.votes_total
    text = f"Biểu quyết: {format_int(item.votes_for)}/{format_int(total)} đồng chí tán thành"
    if total:
        text += f" ({format_percent(item.votes_for, total)})"
    text += f", {format_int(item.votes_against)}/{format_int(total)} đồng chí không tán thành"
    abstained = total - item.votes_for - item.votes_against
    if abstained:
        text += f", {format_int(abstained)} đồng chí không biểu quyết"
    return text + "."


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MinutesExporter:
    """The minutes of one meeting as .docx. Build it from ``queries.meetings.minutes_data``."""

    identifier = "minutes"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def __init__(self, data: MinutesData) -> None:
        self.data = data

    @property
    def filename(self) -> str:
        meeting = self.data.meeting
        kind = KIND_SLUGS[MeetingKind(meeting.kind)]
        return f"bien-ban-{self.data.unit.key}-{meeting.period:%Y-%m}-{kind}.{self.extension}"

    def header(self) -> dict[str, object]:
        """Upper body, issuing body, place: shared with the attendance sheet."""
        from lantoa.documents.exporters import letterhead_name, place_name
        from lantoa.lib import party_docx as pd

        data = self.data
        return {
            "upper_body": letterhead_name(data.parent) if data.parent else None,
            "issuing_body": pd.to_upper_vi(data.unit.name),
            "number_symbol": "",
            "place": place_name(data.unit, data.meeting.date),
            "date": data.meeting.date,
        }

    def signature(self) -> pd.Signature:
        from lantoa.lib import party_docx as pd

        data = self.data
        return pd.Signature(
            title="CHỦ TRÌ",
            name=data.chair.full_name if data.chair else "",
            second_signer=pd.Signature(title="THƯ KÝ", name=data.clerk.full_name if data.clerk else ""),
        )

    def document(self) -> pd.PartyDocument:
        from lantoa.lib import party_docx as pd

        data = self.data
        meeting, unit = data.meeting, data.unit
        guests = []
        if data.upper_member is not None:
            guests.append(person_line(data.upper_member, data.posts))
        guests += _lines(meeting.guests)
        opening: list[tuple[str, str]] = [
            ("Thời gian bắt đầu", f"{time_words(meeting.starts_at)}, {format_dateline(meeting.date)}"),
            ("Địa điểm", meeting.place or "…"),
        ]
        if meeting.kind != MeetingKind.REGULAR and meeting.topic:
            opening.append(("Chuyên đề", meeting.topic))
        opening += [
            ("Chủ trì", person_line(data.chair, data.posts, unit)),
            ("Thư ký", person_line(data.clerk, data.posts, unit)),
            ("Đại biểu, khách mời", "; ".join(guests) if guests else "không"),
        ]
        body: list[pd.Block] = [
            pd.Heading("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
            pd.KeyValue(opening),
            pd.KeyValue(attendance_lines(data.totals, unit)),
            pd.Heading("II. NỘI DUNG"),
        ]
        for number, item in enumerate(data.items, start=1):
            body += self.item_blocks(number, item)
        body.append(pd.Heading("III. NGHỊ QUYẾT"))
        body += self.text_blocks(meeting.resolution) or [pd.Paragraph("…")]
        body.append(pd.Paragraph(f"Buổi sinh hoạt kết thúc lúc {time_words(meeting.ends_at)} cùng ngày./."))
        return pd.PartyDocument(
            **self.header(),  # type: ignore[arg-type]
            type_name=meeting_title(meeting, unit),
            summary=format_dateline_month(meeting.period),
            body=body,
            signature=self.signature(),
        )

    def item_blocks(self, number: int, item: AgendaItem) -> list[pd.Block]:
        from lantoa.lib import party_docx as pd

        blocks: list[pd.Block] = [pd.Heading(f"{number}. {item.title}", level=2)]
        if item.presenter is not None:
            blocks.append(
                pd.Paragraph(
                    [pd.Run("Trình bày: ", italic=True), pd.Run(f"đồng chí {item.presenter.full_name}")]
                )
            )
        blocks += self.text_blocks(item.content)
        opinions = list(item.opinions.all())
        if opinions:
            blocks.append(pd.Paragraph([pd.Run("Ý kiến thảo luận:", italic=True)]))
            blocks += [
                pd.Bullet([pd.Run(f"Đồng chí {opinion.person.full_name}: ", bold=True), pd.Run(opinion.text)])
                for opinion in opinions
            ]
        if item.conclusion.strip():
            conclusion = _lines(item.conclusion)
            blocks.append(
                pd.Paragraph([pd.Run("Kết luận của chủ trì: ", italic=True), pd.Run(conclusion[0])])
            )
            blocks += [pd.Paragraph(line) for line in conclusion[1:]]
        votes = vote_text(item)
        if votes:
            blocks.append(pd.Paragraph(votes))
        return blocks

    @staticmethod
    def text_blocks(text: str) -> list[pd.Block]:
        """Typed text as paragraphs, "- " and "+ " lines as dashes. Numbered lines stay paragraphs:
        in a resolution "1. …" is a decision, not a heading."""
        from lantoa.lib import party_docx as pd

        blocks: list[pd.Block] = []
        for line in _lines(text):
            if line.startswith(("- ", "+ ")):
                blocks.append(pd.Bullet(line[2:].strip(), marker=line[0]))
            else:
                blocks.append(pd.Paragraph(line))
        return blocks

    def render(self) -> bytes:
        from lantoa.lib import party_docx as pd

        return pd.render_docx(self.document())
