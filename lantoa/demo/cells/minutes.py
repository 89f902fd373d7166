"""Full minutes for the two cells the seed article is about: what was said on each item, by whom,
the chair's conclusions, the votes and the resolution; LHPN's orphan fund every month."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from lantoa.cells.models import AgendaKind, MeetingKind, StudyMaterial
from lantoa.cells.queries.figures import year_and_quarter
from lantoa.lib.vi import format_money, format_month_in_text, format_percent

from ..base import DemoContext
from . import texts
from .common import LHPN, PHUOC_THANH, ItemDraft, MeetingDraft

FUND_ITEM = "Đóng góp quỹ đỡ đầu trẻ mồ côi 50.000 đồng/đảng viên"
FUND_RATE = 50_000  # đồng per member per month (the seed article)
FUND_PER_CHILD_QUARTER = 1_200_000
DEFAULT_TOPIC = "Nâng cao chất lượng sinh hoạt chi bộ"


def thematic_topic(period: dt.date) -> str:
    return texts.THEMATIC_TOPICS.get(year_and_quarter(period), DEFAULT_TOPIC)


def _fund_text(draft: MeetingDraft) -> str:
    period = draft.meeting.period
    payers = draft.present()
    _year, quarter = year_and_quarter(period)
    text = (
        f"{len(payers)} đảng viên có mặt đóng góp quỹ đỡ đầu trẻ mồ côi, mỗi đảng viên "
        f"{format_money(FUND_RATE)}; tổng số tiền thu trong tháng: {format_money(FUND_RATE * len(payers))}."
    )
    if period.month % 3 == 0 and period.year == 2023:
        text += (
            f" Chi hỗ trợ quý {quarter}/{period.year} cho 2 cháu mồ côi cha ở ấp Phước Thạnh, "
            f"xã An Khánh, mỗi cháu {format_money(FUND_PER_CHILD_QUARTER)}."
        )
    elif period.month % 3 == 0 and period.year >= 2024:
        text += (
            f" Chi hỗ trợ quý {quarter}/{period.year} cho cháu mồ côi mẹ đang sống với ông bà "
            f"ngoại ở xã Tân Thạch: {format_money(FUND_PER_CHILD_QUARTER)}."
        )
    return text


def _review_text(draft: MeetingDraft, work: str) -> str:
    previous = (draft.meeting.period - dt.timedelta(days=1)).replace(day=1)
    event = texts.MONTH_EVENTS.get(previous.month)
    text = f"Trong tháng {format_month_in_text(previous)}, chi bộ lãnh đạo thực hiện tốt nhiệm vụ: {work}"
    text += f"; {event}." if event else "."
    return text + " Đảng viên tham gia sinh hoạt đầy đủ, thực hiện việc đăng ký làm theo Bác."


def _tasks_text(draft: MeetingDraft, work: str) -> str:
    period = draft.meeting.period
    lines = [
        f"1. Tiếp tục học tập và làm theo Bác theo chuyên đề năm {period.year}.",
        f"2. Tập trung {work}.",
    ]
    if draft.authors:
        names = ", ".join(roll.name for roll in draft.authors)
        lines.append(
            f"3. Phân công đồng chí {names} viết bài cho Bản tin sinh hoạt nội bộ số {draft.issue_number}."
        )
    return "\n".join(lines)


def _pick_materials(
    draft: MeetingDraft, item: ItemDraft, materials: list[StudyMaterial], rng_pick: list[StudyMaterial]
) -> list[StudyMaterial]:
    day = draft.meeting.date
    if item.story is None:
        return []
    story = texts.STORIES[item.story][0]
    found = [m for m in materials if m.shared_on <= day and m.title in (story, f"Video kể chuyện: {story}")]
    return found or rng_pick


class _Minutes:
    """Writes one held meeting's minutes."""

    def __init__(self, rng: random.Random, draft: MeetingDraft, materials: list[StudyMaterial]) -> None:
        self.rng, self.draft, self.materials = rng, draft, materials
        meeting = draft.meeting
        present = draft.present()
        self.speakers = [roll for roll in present if roll.person_id != meeting.chair_id] or present
        self.names = {roll.person_id: roll.name for roll, _s, _r in draft.attendance}
        # Probationary members take part but do not vote.
        self.voters = sum(1 for roll in present if roll.is_full_on(meeting.date))
        work_bank = texts.REVIEW_WORK[LHPN if draft.cell.key == LHPN else PHUOC_THANH]
        self.work = " và ".join(rng.sample(work_bank, 2))

    def speak(self, made: ItemDraft, bank: tuple[str, ...], count: int) -> None:
        for roll in self.rng.sample(self.speakers, min(count, len(self.speakers))):
            made.opinions.append((roll.person_id, self.rng.choice(bank)))

    def vote(self, made: ItemDraft) -> None:
        made.item.votes_total = made.item.votes_for = self.voters
        made.item.votes_against = 0

    def write(self) -> None:
        for made in self.draft.items:
            self.item(made)
        meeting = self.draft.meeting
        if meeting.kind == MeetingKind.THEMATIC:
            meeting.resolution = (
                f"Chi bộ thống nhất các giải pháp thực hiện chuyên đề “{meeting.topic}”; giao chi ủy "
                "theo dõi, đôn đốc, đánh giá kết quả trong kỳ sinh hoạt cuối quý."
            )
        else:
            meeting.resolution = (
                f"Chi bộ thống nhất thông qua nghị quyết tháng {format_month_in_text(meeting.period)}: "
                "tiếp tục học tập "
                f"và làm theo Bác theo chuyên đề năm {meeting.period.year}; tập trung {self.work}. "
                f"{self.voters} đồng chí có quyền biểu quyết tán thành, đạt "
                f"{format_percent(self.voters, self.voters)}."
            )

    def item(self, made: ItemDraft) -> None:
        rng, meeting, item = self.rng, self.draft.meeting, made.item
        presenter = self.names.get(item.presenter_id or 0, "")
        if item.kind == AgendaKind.STUDY and made.story is not None:
            story, lesson = texts.STORIES[made.story]
            item.content = (
                f"Đồng chí {presenter} kể câu chuyện “{story}”. Qua câu chuyện, chi bộ rút ra bài học "
                f"về {lesson}; mỗi đảng viên liên hệ bản thân, đăng ký việc làm cụ thể trong tháng."
            )
            library = [m for m in self.materials if m.in_library and m.shared_on <= meeting.date]
            fallback = [rng.choice(library)] if library else []
            made.materials = _pick_materials(self.draft, made, self.materials, fallback)
            if rng.random() < 0.5:
                self.speak(made, texts.OPINIONS_STUDY, 1)
            item.conclusion = texts.CONCLUSIONS["study"]
        elif item.kind == AgendaKind.CURRENT:
            note = texts.CURRENT_NOTES.get((meeting.period.year, meeting.period.month), "")
            item.content = f"Thông tin tình hình thời sự trong nước, trong tỉnh, trong huyện. {note}".strip()
            item.conclusion = texts.CONCLUSIONS["current"]
        elif item.kind == AgendaKind.REVIEW:
            item.content = _review_text(self.draft, self.work)
            self.speak(made, texts.OPINIONS_REVIEW, rng.randint(1, 2))
            item.conclusion = texts.CONCLUSIONS["review"]
        elif item.kind == AgendaKind.THEMATIC:
            item.content = (
                f"Đồng chí {presenter} trình bày chuyên đề “{meeting.topic}”; chi bộ thảo luận, liên hệ "
                "thực tiễn của đơn vị và trách nhiệm của từng đảng viên."
            )
            self.speak(made, texts.OPINIONS_TASKS, 2)
            item.conclusion = texts.CONCLUSIONS["thematic"]
        elif item.kind == AgendaKind.TASKS:
            item.content = _tasks_text(self.draft, self.work)
            self.speak(made, texts.OPINIONS_TASKS, rng.randint(1, 2))
            item.conclusion = texts.CONCLUSIONS["tasks"]
            self.vote(made)
        elif item.title == FUND_ITEM:
            item.content = _fund_text(self.draft)
            item.conclusion = texts.CONCLUSIONS["fund"]
            self.vote(made)


def write_minutes(ctx: DemoContext, drafts: Iterable[MeetingDraft], materials: list[StudyMaterial]) -> None:
    """Fill in the minutes of held meetings (in memory; ``meetings.write_meetings`` writes them)."""
    rng = ctx.rng("cells:minutes")
    for draft in drafts:
        if draft.held:
            _Minutes(rng, draft, materials).write()
