"""The demo's cell life: every cell meets every month with the study item first, a thematic
meeting each quarter, full minutes for the two cells of the seed article (LHPN's with its orphan
fund), the district's bulletin numbered month by month, articles assigned by a fair rotation."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Article,
    ArticleStatus,
    Attendance,
    AttendanceStatus,
    BulletinIssue,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from lantoa.cells.queries.figures import HELD_STATUSES, month_end, months_between, year_and_quarter
from lantoa.cells.rules import duration_warning
from lantoa.cells.services.meetings import initial_roster
from lantoa.demo.cells.common import current_month
from lantoa.demo.cells.minutes import FUND_ITEM
from lantoa.org.models import CELL_KINDS, ActivityExemption, Position, PositionTitle, Unit
from tests.cells.figures_oracle import monthly_figures, rollup, total

D = dt.date
START, REVIEW_END, END = D(2021, 5, 1), D(2024, 4, 30), D(2025, 6, 30)
LHPN, PHUOC_THANH = "chi-bo-hoi-lhpn", "chi-bo-ap-phuoc-thanh-an-khanh"
REVIEW_MONTHS = months_between(START, REVIEW_END)


def _district() -> Unit:
    return Unit.objects.get(key="chau-thanh")


def _review_totals():
    """The district's figures over the three years the seed article reviews (05/2021–04/2024)."""
    district = _district()
    rolled = rollup(district, START, REVIEW_END)
    return total(rolled[district.pk, month] for month in REVIEW_MONTHS)


# --- meetings ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_every_open_cell_has_one_regular_meeting_each_month_of_the_review(demo):
    figures = monthly_figures(_district(), START, REVIEW_END)
    cells = set(Unit.objects.filter(kind__in=CELL_KINDS).values_list("pk", flat=True))
    expected = {key for key, f in figures.items() if f.regular_expected}
    raw = Counter(
        Meeting.objects.filter(
            kind__in=(MeetingKind.REGULAR, MeetingKind.COMBINED),
            status__in=HELD_STATUSES,
            period__range=(START, REVIEW_END),
        ).values_list("unit_id", "period")
    )

    assert {pk for pk, _month in expected} == cells
    assert len(expected) == len(cells) * len(REVIEW_MONTHS)
    assert all(f.regular_held == f.regular_expected for f in figures.values())
    assert set(raw) == expected
    assert set(raw.values()) == {1}


@pytest.mark.django_db
def test_demo_merged_cells_stop_meeting_when_they_close(demo):
    closed = Unit.objects.filter(kind__in=CELL_KINDS, valid_to=D(2024, 12, 31))

    assert closed.count() == 3
    assert not Meeting.objects.filter(unit__in=closed, date__gt=D(2024, 12, 31)).exists()
    assert Meeting.objects.filter(unit__in=closed, period=D(2024, 12, 1)).count() >= 3


@pytest.mark.django_db
def test_demo_every_cell_holds_a_thematic_meeting_each_quarter(demo):
    held = {
        (unit_id, year_and_quarter(period))
        for unit_id, period in Meeting.objects.filter(
            kind__in=(MeetingKind.THEMATIC, MeetingKind.COMBINED), status__in=HELD_STATUSES
        ).values_list("unit_id", "period")
    }
    quarters = sorted({year_and_quarter(m) for m in months_between(START, END)})
    open_cells = {
        pk: (start, end or D(9999, 1, 1))
        for pk, start, end in Unit.objects.filter(kind__in=CELL_KINDS).values_list(
            "pk", "valid_from", "valid_to"
        )
    }
    figures = _review_totals()

    missing = [
        (pk, quarter)
        for pk, (_start, end) in open_cells.items()
        for quarter in quarters
        if D(quarter[0], quarter[1] * 3, 1) <= end and (pk, quarter) not in held
    ]
    assert missing == []
    assert figures.thematic_held == figures.thematic_expected == len(open_cells) * 12
    combined = Meeting.objects.filter(kind=MeetingKind.COMBINED).count()
    assert (
        0.15
        < combined / Meeting.objects.filter(kind__in=(MeetingKind.THEMATIC, MeetingKind.COMBINED)).count()
        < 0.45
    )


@pytest.mark.django_db
def test_demo_meetings_put_the_study_item_first_with_a_presenter(demo):
    monthly = Meeting.objects.filter(kind__in=(MeetingKind.REGULAR, MeetingKind.COMBINED))
    firsts = AgendaItem.objects.filter(meeting__in=monthly, order=1)

    assert firsts.count() == monthly.count()
    assert set(firsts.values_list("kind", flat=True)) == {AgendaKind.STUDY}
    assert not firsts.filter(presenter=None).exists()
    assert len(set(firsts.values_list("title", flat=True))) >= 30
    kinds = list(
        AgendaItem.objects.filter(meeting=monthly.filter(kind=MeetingKind.REGULAR).first()).values_list(
            "kind", flat=True
        )
    )
    assert kinds[:4] == [AgendaKind.STUDY, AgendaKind.CURRENT, AgendaKind.REVIEW, AgendaKind.TASKS]


@pytest.mark.django_db
def test_demo_meetings_are_chaired_by_the_secretary_of_the_day(demo):
    secretaries = defaultdict(list)
    for unit_id, person_id, start, end in Position.objects.filter(title=PositionTitle.SECRETARY).values_list(
        "unit_id", "person_id", "valid_from", "valid_to"
    ):
        secretaries[unit_id].append((person_id, start, end or D(9999, 1, 1)))
    meetings = Meeting.objects.filter(unit__kind__in=CELL_KINDS).values_list(
        "unit_id", "date", "chair_id", "clerk_id"
    )

    wrong = [
        (unit_id, day)
        for unit_id, day, chair, _clerk in meetings
        if chair not in {p for p, start, end in secretaries[unit_id] if start <= day <= end}
    ]
    assert wrong == []
    assert all(clerk is not None and clerk != chair for _u, _d, chair, clerk in meetings)


@pytest.mark.django_db
def test_demo_statuses_approved_in_the_past_planned_next(demo):
    statuses = Counter(
        (period >= D(2025, 7, 1), status)
        for period, status in Meeting.objects.filter(
            unit__key__in=[LHPN, "chi-bo-van-phong-huyen-uy"]
        ).values_list("period", "status")
    )
    assert statuses[False, MeetingStatus.PLANNED] == 0
    assert statuses[True, MeetingStatus.PLANNED] == 2
    assert (
        not Meeting.objects.filter(period__lt=D(2025, 6, 1)).exclude(status=MeetingStatus.APPROVED).exists()
    )
    planned = Meeting.objects.filter(status=MeetingStatus.PLANNED)
    # Cells stop at the district's end (07/2025 planned); the two with full minutes go on to the
    # month the demo was loaded, whose meeting waits to be held.
    this_month = current_month()
    assert set(planned.values_list("period", flat=True)) == {D(2025, 7, 1), this_month}
    assert {LHPN, PHUOC_THANH} <= set(planned.filter(period=this_month).values_list("unit__key", flat=True))
    assert not Meeting.objects.filter(period__gt=this_month).exists()
    assert (
        not Meeting.objects.filter(date__gt=timezone.localdate())
        .exclude(status=MeetingStatus.PLANNED)
        .exists()
    )


@pytest.mark.django_db
def test_demo_planned_meetings_list_the_members_as_scheduling_one_does(demo):
    """A planned meeting's list is the one ``schedule_meeting`` writes: the roster on its date,
    exempt members pre-marked exempt with their reason, everyone else present."""
    planned = list(Meeting.objects.filter(status=MeetingStatus.PLANNED).select_related("unit"))

    def marks(rows):
        return sorted((row.member_id, row.status, row.reason, row.full_member) for row in rows)

    listed = defaultdict(list)
    for row in Attendance.objects.filter(meeting__in=planned):
        listed[row.meeting_id].append(row)
    assert len(planned) > 50
    assert all(listed[m.pk] for m in planned)
    for meeting in planned:
        assert marks(listed[meeting.pk]) == marks(initial_roster(meeting)), meeting
    statuses = Counter(row.status for rows in listed.values() for row in rows)
    assert set(statuses) == {AttendanceStatus.PRESENT, AttendanceStatus.EXEMPT}


@pytest.mark.django_db
def test_demo_this_months_meeting_opens_with_the_cells_members(demo, client):
    meeting = Meeting.objects.get(
        unit__key=PHUOC_THANH,
        status=MeetingStatus.PLANNED,
        period=current_month(),
    )
    client.force_login(User.objects.get(username="bithu.phuocthanh"))

    attendance = client.get(reverse("cells:attendance", args=[meeting.public_id]))
    detail = client.get(reverse("cells:meeting", args=[meeting.public_id]))

    on_roll = set(
        meeting.unit.memberships.filter(valid_from__lte=meeting.date)
        .filter(Q(valid_to=None) | Q(valid_to__gte=meeting.date))
        .values_list("member_id", flat=True)
    )
    assert {row.member_id for row in attendance.context["rows"]} == on_roll
    assert len(on_roll) > 10
    assert attendance.context["editable"]
    assert len(detail.context["speakers"]) >= len(on_roll)


# --- attendance --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_exempt_members_are_marked_exempt(demo):
    exemptions = defaultdict(list)
    for member_id, start, end in ActivityExemption.objects.values_list("member_id", "valid_from", "valid_to"):
        exemptions[member_id].append((start, end or D(9999, 1, 1)))
    rows = Attendance.objects.filter(member_id__in=exemptions).values_list(
        "member_id", "meeting__date", "status"
    )

    assert rows
    for member_id, day, status in rows:
        exempt = any(start <= day <= end for start, end in exemptions[member_id])
        assert (status == AttendanceStatus.EXEMPT) == exempt, (member_id, day, status)


@pytest.mark.django_db
def test_demo_attendance_lists_the_members_on_the_roll(demo):
    meeting = Meeting.objects.get(
        unit__key=PHUOC_THANH, period=D(2023, 6, 1), kind__in=["regular", "combined"]
    )
    listed = set(meeting.attendance.values_list("member_id", flat=True))
    on_roll = set(
        Unit.objects.get(key=PHUOC_THANH)
        .memberships.filter(valid_from__lte=meeting.date)
        .filter(Q(valid_to=None) | Q(valid_to__gte=meeting.date))
        .values_list("member_id", flat=True)
    )
    assert listed == on_roll


# --- the two cells with full minutes -----------------------------------------------------------


@pytest.mark.django_db
def test_demo_lhpn_has_full_minutes_with_the_fund_every_month(demo):
    monthly = Meeting.objects.filter(
        unit__key=LHPN, kind__in=(MeetingKind.REGULAR, MeetingKind.COMBINED), status__in=HELD_STATUSES
    )
    fund = AgendaItem.objects.filter(meeting__in=monthly, title=FUND_ITEM, kind=AgendaKind.OTHER)

    last_month = (current_month() - dt.timedelta(days=1)).replace(day=1)
    assert sorted(monthly.values_list("period", flat=True)) == months_between(START, last_month)
    assert fund.count() == monthly.count()
    assert not fund.filter(content="").exists()
    assert "50.000 đ" in fund.first().content
    assert not monthly.filter(resolution="").exists()
    items = AgendaItem.objects.filter(meeting__in=monthly)
    assert not items.filter(Q(content="") | Q(conclusion="")).exists()
    tasks = items.filter(kind=AgendaKind.TASKS)
    assert not tasks.filter(Q(votes_total=None) | Q(votes_for=None) | Q(votes_against=None)).exists()
    assert tasks.filter(opinions__isnull=False).distinct().count() == tasks.count()
    assert items.filter(kind=AgendaKind.STUDY, materials__isnull=False).distinct().count() == monthly.count()


@pytest.mark.django_db
def test_demo_votes_are_the_full_members_present(demo):
    tasks = AgendaItem.objects.filter(
        meeting__unit__key__in=[LHPN, PHUOC_THANH], kind=AgendaKind.TASKS
    ).exclude(votes_total=None)
    voters = dict(
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT, full_member=True, meeting__unit__key__in=[LHPN, PHUOC_THANH]
        )
        .values("meeting_id")
        .annotate(n=Count("id"))
        .values_list("meeting_id", "n")
    )
    assert tasks.count() > 50
    for item in tasks:
        assert item.votes_total == voters[item.meeting_id] == item.votes_for + item.votes_against


@pytest.mark.django_db
def test_demo_other_cells_keep_agenda_titles_and_attendance_only(demo):
    """Beyond the two cells with full minutes, only the monthly bình xét is written out (what was
    put forward and what the cell concluded: the record the seed's figures are counted from)."""
    others = AgendaItem.objects.exclude(meeting__unit__key__in=[LHPN, PHUOC_THANH])

    assert others.exists()
    assert not others.filter(voting_round__isnull=True).exclude(content="").exists()
    votes = others.filter(voting_round__isnull=False, meeting__kind=MeetingKind.REGULAR)
    assert votes.exists()
    assert not votes.filter(conclusion="").exists()
    assert not Meeting.objects.exclude(unit__key__in=[LHPN, PHUOC_THANH]).exclude(resolution="").exists()


@pytest.mark.django_db
def test_demo_phuoc_thanhs_short_november_2025_meeting_warns(demo):
    november = {m.kind: m for m in Meeting.objects.filter(unit__key=PHUOC_THANH, period=D(2025, 11, 1))}
    if current_month() <= D(2025, 11, 1):  # loaded before 11/2025 was over: not held yet
        assert all(m.status == MeetingStatus.PLANNED for m in november.values())
        return

    assert november[MeetingKind.REGULAR].minutes == 75
    assert "75" in duration_warning(november[MeetingKind.REGULAR])
    assert duration_warning(november[MeetingKind.THEMATIC]) is None
    # Four items written in full, besides the monthly bình xét (tests/demo/loaded/test_demo_honours.py).
    assert november[MeetingKind.REGULAR].items.exclude(content="").filter(voting_round=None).count() == 4
    # No meeting before the rule (28/10/2025) is warned about, however short.
    assert all(duration_warning(m) is None for m in Meeting.objects.filter(date__lt=D(2025, 10, 28))[:2000])


# --- study material ----------------------------------------------------------------------------


# --- the bulletin ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_bulletin_is_the_districts_then_the_provinces(demo):
    """Châu Thành's issues 05/2021–06/2025, numbered from 1 and all published (the last on the
    district's last day); then Tỉnh ủy Vĩnh Long's from 07/2025, numbered from 1 again, up to
    the current month's, the only one still collecting articles."""
    today = timezone.localdate()
    this_month = current_month()

    def issues(key):
        return list(
            BulletinIssue.objects.filter(unit__key=key)
            .order_by("period")
            .values_list("number", "period", "status", "published_on", "deadline", "title")
        )

    district, province = issues("chau-thanh"), issues("vinh-long")

    assert [number for number, *_rest in district] == list(range(1, len(district) + 1))
    assert [period for _n, period, *_rest in district] == months_between(START, END)
    assert {status for _n, _p, status, *_rest in district} == {BulletinIssue.Status.PUBLISHED}
    assert district[-1][3] == D(2025, 6, 30)
    assert [number for number, *_rest in province] == list(range(1, len(province) + 1))
    assert [period for _n, period, *_rest in province] == months_between(D(2025, 7, 1), this_month)
    assert {title for *_rest, title in province} == {"Bản tin sinh hoạt nội bộ"}
    open_issues = BulletinIssue.objects.filter(status=BulletinIssue.Status.OPEN)
    assert list(open_issues.values_list("unit__key", "period")) == [("vinh-long", this_month)]
    deadline = open_issues.get().deadline
    assert deadline >= today
    twentieth = this_month.replace(day=20)
    assert deadline == (twentieth if twentieth >= today else month_end(this_month))


@pytest.mark.django_db
def test_demo_the_two_cells_write_for_the_provinces_bulletin_by_the_same_rotation(demo):
    recent = Article.objects.filter(issue__unit__key="vinh-long")

    if current_month() == D(2025, 7, 1):  # articles are assigned at meetings held since 07/2025
        assert not recent.exists()
        return
    assert set(recent.values_list("cell__key", flat=True)) == {LHPN, PHUOC_THANH}
    published = recent.filter(issue__status=BulletinIssue.Status.PUBLISHED, status=ArticleStatus.PUBLISHED)
    assert published.exists()
    assert not recent.filter(assigned_on__lt=D(2025, 7, 1)).exists()


@pytest.mark.django_db
def test_demo_secretary_can_assign_for_the_issue_collecting_articles(demo, client):
    """The assignment form offers the province's current issue (not the district's closed one),
    and an empty due date takes the issue's deadline."""
    client.force_login(User.objects.get(username="bithu.phuocthanh"))
    url = reverse("cells:bulletin_cell", args=[PHUOC_THANH])
    current = BulletinIssue.objects.get(status=BulletinIssue.Status.OPEN)

    page = client.get(url)
    form = page.context["form"]
    posted = client.post(
        url,
        {
            "issue": str(current.public_id),
            "member": form.initial["member"],
            "topic": "Học tập và làm theo Bác ở ấp Phước Thạnh",
        },
    )

    assert list(form.fields["issue"].queryset) == [current]
    assert form.initial["issue"] == current.public_id
    assert posted.status_code == 302
    article = Article.objects.get(topic="Học tập và làm theo Bác ở ấp Phước Thạnh")
    assert (article.issue, article.due_on, article.by_rotation) == (current, current.deadline, True)


@pytest.mark.django_db
def test_demo_district_staff_are_told_the_district_ended(demo, client):
    client.force_login(User.objects.get(username="tuyengiao"))

    # They start on the committee still open (the province after 1/7/2025), the district a choice.
    starting = client.get(reverse("cells:missing_meetings")).context["report"].committee
    response = client.get(reverse("cells:missing_meetings") + "?unit=chau-thanh")

    report = response.context["report"]
    assert report.committee.key == "chau-thanh"
    assert starting.key == ("vinh-long" if timezone.localdate() > report.committee.valid_to else "chau-thanh")
    if timezone.localdate() > report.committee.valid_to:
        assert (report.existed, report.nearest_month) == (False, D(2025, 6, 1))
    else:
        assert report.existed
    assert "chau-thanh" in [unit.key for unit in response.context["committees"]]
    june = client.get(reverse("cells:missing_meetings") + "?unit=chau-thanh&month=2025-06")
    assert len(june.context["report"].cells) > 50


@pytest.mark.django_db
def test_demo_articles_rotate_fairly_within_each_cell(demo):
    """Nobody writes a second time for a cell before everyone who could write then has written since
    their previous turn. "Could write" is what the assigning meeting's attendance says: on the roll,
    neither exempt nor temporarily elsewhere (absent members are still given their turn). The demo
    assigns by least-recently-written, so the check is exact."""
    articles = list(
        Article.objects.order_by("cell_id", "assigned_on", "id").values_list(
            "cell_id", "author_id", "assigned_on", "assigned_at_meeting_id"
        )
    )
    eligible = defaultdict(set)
    for meeting_id, member_id in (
        Attendance.objects.filter(meeting__article_assignments__isnull=False)
        .exclude(status__in=[AttendanceStatus.EXEMPT, AttendanceStatus.ELSEWHERE])
        .values_list("meeting_id", "member_id")
    ):
        eligible[meeting_id].add(member_id)
    written = defaultdict(list)  # (cell, member) → days assigned
    for cell_id, author_id, day, _meeting in articles:
        written[cell_id, author_id].append(day)

    unfair = []
    for cell_id, author_id, day, meeting_id in articles:
        assert author_id in eligible[meeting_id]
        earlier = [d for d in written[cell_id, author_id] if d < day]
        if not earlier:
            continue
        previous = max(earlier)
        for other in eligible[meeting_id] - {author_id}:
            if not any(previous <= d <= day for d in written[cell_id, other]):
                unfair.append((cell_id, author_id, day, other))
    assert unfair == []
    assert all(by_rotation for by_rotation in Article.objects.values_list("by_rotation", flat=True))
