"""The attendance sheet members sign at the meeting: one row per member on the roster, with
STT / Họ và tên / Chính thức-Dự bị / Ký tên, and a note for those exempt or attending elsewhere.
The same words serve the Word file and the page printed from the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lantoa.lib.vi import format_dateline, format_dateline_month

from ..models import AttendanceStatus, MeetingKind
from .minutes import (
    DOCX_CONTENT_TYPE,
    KIND_SLUGS,
    MinutesExporter,
    meeting_title,
    time_words,
)

if TYPE_CHECKING:
    from lantoa.lib import party_docx as pd

HEADER = ["STT", "Họ và tên", "Chính thức/Dự bị", "Ký tên", "Ghi chú"]
# Two empty lines: room enough to sign in (a table row is as tall as its text).
SIGN_HERE = "\n"
NOTES = {
    AttendanceStatus.EXEMPT: "Miễn sinh hoạt",
    AttendanceStatus.ELSEWHERE: "Sinh hoạt nơi khác",
}


@dataclass(frozen=True)
class SheetTexts:
    upper_body: str | None
    issuing_body: str
    place_date: str
    type_name: str
    summary: str
    details: list[tuple[str, str]]
    header: list[str]
    rows: list[list[str | int]]
    chair: str
    clerk: str


class AttendanceSheetExporter(MinutesExporter):
    """Same header and signatures as the minutes; the body is the table to sign."""

    identifier = "attendance_sheet"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    @property
    def filename(self) -> str:
        meeting = self.data.meeting
        kind = KIND_SLUGS[MeetingKind(meeting.kind)]
        return f"danh-sach-ky-{self.data.unit.key}-{meeting.period:%Y-%m}-{kind}.{self.extension}"

    def texts(self) -> SheetTexts:
        from lantoa.lib import party_docx as pd

        data = self.data
        meeting = data.meeting
        header = self.header()
        what = meeting_title(meeting, data.unit).removeprefix("BIÊN BẢN ").lower()
        return SheetTexts(
            upper_body=header["upper_body"],  # type: ignore[arg-type]
            issuing_body=header["issuing_body"],  # type: ignore[arg-type]
            place_date=pd.format_place_date(header["place"], meeting.date),  # type: ignore[arg-type]
            type_name="DANH SÁCH",
            summary=f"đảng viên dự {what} {format_dateline_month(meeting.period)}",
            details=[
                ("Thời gian", f"{time_words(meeting.starts_at)}, {format_dateline(meeting.date)}"),
                ("Địa điểm", meeting.place or "…"),
            ],
            header=HEADER,
            rows=[
                [
                    number,
                    row.member.person.full_name,
                    "Chính thức" if row.full_member else "Dự bị",
                    SIGN_HERE,
                    NOTES.get(AttendanceStatus(row.status), ""),
                ]
                for number, row in enumerate(data.rows, start=1)
            ],
            chair=data.chair.full_name if data.chair else "",
            clerk=data.clerk.full_name if data.clerk else "",
        )

    def document(self) -> pd.PartyDocument:
        from lantoa.lib import party_docx as pd

        texts = self.texts()
        return pd.PartyDocument(
            **self.header(),  # type: ignore[arg-type]
            type_name=texts.type_name,
            summary=texts.summary,
            body=[
                pd.KeyValue(texts.details),
                pd.Table(header=texts.header, rows=texts.rows, widths_cm=[1.3, 5.6, 2.8, 3.6, 3.2]),
            ],
            signature=self.signature(),
        )
