"""Study material shared by members, and the internal bulletin with its articles: the district's
until it ended (06/2025), then Tỉnh ủy Vĩnh Long's, to which the cells moved.

Articles are assigned at a cell's monthly meeting by a fair rotation: among the members who could
write (on the roll, neither exempt nor temporarily elsewhere), the one who wrote for the cell
least recently, those who never wrote first.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import uuid
from itertools import groupby

from django.utils import timezone

from lantoa.cells.models import (
    Article,
    ArticleStatus,
    BulletinIssue,
    MaterialKind,
    MeetingKind,
    MeetingStatus,
    StudyMaterial,
)
from lantoa.cells.queries.figures import month_end, months_between
from lantoa.cells.services.library import material_search_text
from lantoa.documents.models import Theme
from lantoa.lib.text import fold
from lantoa.org.models import Person, Unit

from ..base import AuditBuffer, DemoContext, day_between, make_key
from ..org import LAST_DISTRICT_DAY
from ..people import NAMED
from . import texts
from .common import (
    END,
    FULL_MINUTES,
    LHPN,
    PHUOC_THANH,
    PLANNED,
    START,
    Cell,
    MeetingDraft,
    current_month,
)

D = dt.date

STORY_VIDEOS = 10  # the first stories also have a video of someone telling them
LHPN_ARTICLES_A_MONTH = 2  # its members write regularly, as the seed article says
DEADLINE_DAY = 20
PUBLISHED_DAY = 28
RETURNED_THEN_PUBLISHED = "returned-then-published"
LATEST_MONTHS = D(2025, 4, 1)  # from here some articles are still overdue


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


# ---------------------------------------------------------------------------------------------
# Study material
# ---------------------------------------------------------------------------------------------


def _material_specs() -> list[tuple[str, str, str, str]]:
    """(kind, title, summary, owner): owner 'district', 'women', 'hamlet' or 'other'."""
    owners = ("district", "women", "hamlet")
    specs: list[tuple[str, str, str, str]] = [
        (MaterialKind.ARTICLE, story, f"Câu chuyện về Bác – bài học về {lesson}.", owners[i % 3])
        for i, (story, lesson) in enumerate(texts.STORIES)
    ]
    specs += [
        (
            MaterialKind.VIDEO,
            f"Video kể chuyện: {story}",
            f"Video kể chuyện về Bác; bài học về {lesson}.",
            "women",
        )
        for story, lesson in texts.STORIES[:STORY_VIDEOS]
    ]
    specs += [
        (MaterialKind.ARTICLE, title, "Tư liệu phục vụ sinh hoạt chi bộ, học tập và làm theo Bác.", owner)
        for title, owner in texts.LOCAL_ARTICLES
    ]
    specs += [
        (MaterialKind.VIDEO, title, "Video tư liệu chia sẻ để đảng viên tự học, tự soi.", owner)
        for title, owner in zip(
            texts.VIDEOS, ("district", "women", "other") * len(texts.VIDEOS), strict=False
        )
    ]
    return specs


def _shared_on(rng: random.Random, title: str) -> dt.date:
    """Stories are shared early, some before the demo's first month (cells tell them at meetings
    and link them); questions and answers on a yearly theme in spring of that year; the rest at
    any time."""
    for year in range(2021, 2026):
        if f"năm {year}" in title:
            return day_between(rng, D(year, 3, 1), D(year, 5, 31))
    stories = {story for story, _lesson in texts.STORIES}
    if title.removeprefix("Video kể chuyện: ") in stories:
        return day_between(rng, D(2021, 3, 1), D(2023, 6, 30))
    return day_between(rng, D(2021, 5, 3), D(2025, 6, 20))


def draft_materials(
    ctx: DemoContext,
    district: Unit,
    cells: list[Cell],
    themes: dict[int, Theme],
    term_theme: Theme | None,
    audit: AuditBuffer,
) -> list[StudyMaterial]:
    """About 80 articles and video links, most in the district's library, tagged to the yearly theme."""
    rng, ids = ctx.rng("cells:materials"), ctx.rng("cells:material-ids")
    by_key = {cell.key: cell for cell in cells}
    owners = {"women": by_key[LHPN], "hamlet": by_key[PHUOC_THANH]}
    others = [cell for cell in cells if cell.key not in FULL_MINUTES]
    phuong = (
        Person.objects.filter(full_name=NAMED["vo-thi-phuong"].full_name).values_list("pk", flat=True).first()
    )
    materials, tags = [], []
    for n, (kind, title, summary, owner) in enumerate(_material_specs(), start=1):
        shared_on = _shared_on(rng, title)
        if owner == "district":
            unit, sharer, in_library = district, phuong, True
        else:
            cell = owners.get(owner) or rng.choice(others)
            roll = cell.roll(shared_on)
            unit, sharer = cell.unit, (rng.choice(roll).person_id if roll else None)
            in_library = rng.random() < 0.85
        if kind == MaterialKind.VIDEO:
            code = "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=11))
            url = f"https://www.youtube.com/watch?v={code}"
        else:
            url = f"http://bantin.chauthanh.local/bai-viet/{make_key(title)[:70]}-{n}"
        material = StudyMaterial(
            public_id=_uuid(ids),
            unit=unit,
            kind=kind,
            title=title,
            summary=summary,
            url=url,
            shared_by_id=sharer,
            shared_on=shared_on,
            in_library=in_library,
        )
        materials.append(material)
        year_theme = themes.get(shared_on.year)
        tags.append([t for t in (year_theme, term_theme if rng.random() < 0.3 else None) if t is not None])
    # Searchable by who shared it too, exactly as a material shared through the page is.
    sharer_names = dict(
        Person.objects.filter(pk__in={m.shared_by_id for m in materials if m.shared_by_id}).values_list(
            "pk", "full_name"
        )
    )
    for m in materials:
        m.search_text = material_search_text(
            title=m.title, summary=m.summary, sharer_name=sharer_names.get(m.shared_by_id or 0, "")
        )
    StudyMaterial.objects.bulk_create(materials)
    if any(m.pk is None for m in materials):
        found = dict(StudyMaterial.objects.values_list("public_id", "pk"))
        for m in materials:
            m.pk = found[m.public_id]
    through = StudyMaterial.themes.through
    through.objects.bulk_create(
        [
            through(studymaterial_id=m.pk, theme_id=theme.pk)
            for m, themes_of in zip(materials, tags, strict=True)
            for theme in themes_of
        ]
    )
    audit.created(((m, m.unit) for m in materials), ("title", "kind", "url", "shared_on", "in_library"))
    return materials


# ---------------------------------------------------------------------------------------------
# The bulletin
# ---------------------------------------------------------------------------------------------


def _issue(
    ids: random.Random, unit: Unit, number: int, month: dt.date, published_on: dt.date | None, today: dt.date
) -> BulletinIssue:
    """An issue, published on ``published_on``, or still collecting articles when that is None
    (its deadline the 20th, or the month's last day once the 20th has passed: never a deadline
    already gone, which would refuse every assignment)."""
    deadline = month.replace(day=DEADLINE_DAY)
    if published_on is None and deadline < today:
        deadline = month_end(month)
    return BulletinIssue(
        public_id=_uuid(ids),
        unit=unit,
        number=number,
        period=month,
        deadline=deadline,
        status=BulletinIssue.Status.OPEN if published_on is None else BulletinIssue.Status.PUBLISHED,
        published_on=published_on,
    )


def draft_issues(
    ctx: DemoContext, district: Unit, province: Unit, audit: AuditBuffer
) -> dict[dt.date, BulletinIssue]:
    """The district's issues 05/2021–06/2025, numbered from 1, all published (the last on the
    district's last day, 30/6/2025); then the bulletin goes on as Tỉnh ủy Vĩnh Long's, numbered
    from 1 again, monthly from 07/2025 to the current month, whose issue collects articles."""
    ids = ctx.rng("cells:issue-ids")
    today = timezone.localdate()
    this_month = current_month()
    issues = [
        _issue(
            ids,
            district,
            number,
            month,
            LAST_DISTRICT_DAY if month == END else month.replace(day=PUBLISHED_DAY),
            today,
        )
        for number, month in enumerate(months_between(START, END), start=1)
    ]
    issues += [
        _issue(
            ids,
            province,
            number,
            month,
            None if month == this_month else month.replace(day=PUBLISHED_DAY),
            today,
        )
        for number, month in enumerate(months_between(PLANNED, this_month), start=1)
    ]
    BulletinIssue.objects.bulk_create(issues)
    if any(i.pk is None for i in issues):
        rows = BulletinIssue.objects.filter(unit__in=[district, province]).values_list(
            "unit_id", "number", "pk"
        )
        found = {(unit_id, number): pk for unit_id, number, pk in rows}
        for i in issues:
            i.pk = found[i.unit_id, i.number]
    audit.created(((i, i.unit) for i in issues), ("number", "period", "deadline", "status"))
    return {issue.period: issue for issue in issues}


def _status(rng: random.Random, issue: BulletinIssue) -> str:
    choices: dict[str, int]
    if issue.status == BulletinIssue.Status.OPEN:
        choices = {
            ArticleStatus.SUBMITTED: 35,
            ArticleStatus.EDITED: 30,
            ArticleStatus.RETURNED: 10,
            ArticleStatus.ASSIGNED: 25,
        }
    elif issue.period >= LATEST_MONTHS:
        choices = {
            ArticleStatus.PUBLISHED: 80,
            ArticleStatus.ASSIGNED: 10,
            ArticleStatus.RETURNED: 5,
            ArticleStatus.EDITED: 5,
        }
    else:
        choices = {ArticleStatus.PUBLISHED: 88, RETURNED_THEN_PUBLISHED: 7, ArticleStatus.EDITED: 5}
    return rng.choices(list(choices), list(choices.values()))[0]


def _month_index(month: dt.date) -> int:
    return (month.year - START.year) * 12 + month.month - START.month


def draft_articles(
    ctx: DemoContext, drafts: list[MeetingDraft], issues: dict[dt.date, BulletinIssue]
) -> list[Article]:
    """Each cell assigns an article every 3 or 4 months (LHPN two a month) at its monthly meeting."""
    rng, ids = ctx.rng("cells:articles"), ctx.rng("cells:article-ids")
    # Articles from 06/2025 on (the district's last issue, published as it closed, and the
    # province's) draw from streams of their own: the years before stay as they always were.
    late_rng, late_ids = ctx.rng("cells:articles-late"), ctx.rng("cells:article-ids-late")
    articles = []
    monthly = [
        d
        for d in drafts
        if d.meeting.kind != MeetingKind.THEMATIC
        and d.meeting.status != MeetingStatus.PLANNED
        and d.meeting.period in issues
    ]
    for _key, group in groupby(monthly, key=lambda d: d.cell.key):
        cell_drafts = list(group)
        cell = cell_drafts[0].cell
        every = 1 if cell.key == LHPN else rng.choice((3, 4))
        offset = rng.randrange(every)
        count = LHPN_ARTICLES_A_MONTH if cell.key == LHPN else 1
        last_wrote: dict[int, dt.date] = {}
        for draft in cell_drafts:
            meeting = draft.meeting
            if _month_index(meeting.period) % every != offset:
                continue
            # As queries.bulletin.rotation orders its suggestions: never written first, then whoever
            # wrote longest ago, then by name.
            chosen = sorted(
                draft.eligible(),
                key=lambda r: (last_wrote.get(r.member_id, D.min), fold(r.name), r.member_id),
            )
            issue = issues[meeting.period]
            draft.authors, draft.issue_number = chosen[:count], issue.number
            draw, draw_id = (late_rng, late_ids) if issue.period >= END else (rng, ids)
            for roll in draft.authors:
                last_wrote[roll.member_id] = meeting.date
                articles.append(_article(draw, _uuid(draw_id), draft, roll.member_id, issue))
    return articles


def _article(
    rng: random.Random, public_id: uuid.UUID, draft: MeetingDraft, author_id: int, issue: BulletinIssue
) -> Article:
    meeting, cell = draft.meeting, draft.cell
    status = _status(rng, issue)
    written = status != ArticleStatus.ASSIGNED
    place = cell.unit.name.removeprefix("Chi bộ ")
    title = rng.choice(texts.ARTICLE_TITLES).format(place=place) if written else ""
    comment = ""
    if status == RETURNED_THEN_PUBLISHED:
        status, comment = ArticleStatus.PUBLISHED, rng.choice(texts.RETURN_COMMENTS)
    elif status == ArticleStatus.RETURNED:
        comment = "Đề nghị bổ sung dẫn chứng cụ thể ở địa phương, đơn vị."
    earliest = min(meeting.date + dt.timedelta(days=3), issue.deadline)
    return Article(
        public_id=public_id,
        issue=issue,
        cell=cell.unit,
        author_id=author_id,
        topic=rng.choice(texts.ARTICLE_TOPICS),
        title=title,
        text=(
            f"{title}. Bài viết kể về việc học tập và làm theo Bác ở {place}: những việc làm cụ thể, "
            "gương người tốt việc tốt và bài học rút ra cho mỗi đảng viên."
            if written and cell.key in FULL_MINUTES
            else ""
        ),
        status=status,
        assigned_on=meeting.date,
        due_on=issue.deadline,
        submitted_on=day_between(rng, earliest, issue.deadline) if written else None,
        comment=comment,
        assigned_at_meeting=meeting,
        by_rotation=True,
    )
