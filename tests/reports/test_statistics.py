"""Every family of report statistics on a small hand-built world (``conftest.py``), each figure
known by construction, and every drillable figure equal to the records it opens to (their number,
or for money the sum of ``amount`` with the figure's sign): ``values`` checks that for each report read here,
for the period and for the one before.

The dated tree: a record counts for a root when its unit hung under the root on the record's own
date. Chi bộ ấp Long Hòa leaves Đảng ủy xã An Khánh for Đảng ủy xã Tân Thạch on 01/07/2024, and
Chi bộ ấp Cũ (under Tân Thạch) is merged into Chi bộ ấp Tân Thạnh on 01/10/2024. Records are
dated on the first and the last day of the periods read, and on the days just outside them.

Votes (``honours.models.RoundVoter``, ``RoundNominee.recused``, ``honours.tally``) decide whether a
nomination passes; no report statistic reads nominations, rounds or tallies (the honours figures
count recognitions of decisions), so no test here is about recusals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
from lantoa.documents import services as documents
from lantoa.documents.models import Term
from lantoa.documents.services import Issuer
from lantoa.funds import services as funds
from lantoa.funds.models import Fund, LedgerEntry
from lantoa.honours import decisions, services
from lantoa.honours.models import (
    AwardForm,
    GoodPractice,
    Nomination,
    NominationStatus,
    Recognition,
    RecognitionKind,
    Replication,
)
from lantoa.org import services as org_services
from lantoa.org.models import Person, Role, Unit, UnitKind
from lantoa.ratings.models import (
    Indicator,
    LabelKind,
    Level,
    Rating,
    RatingStatus,
    SubjectKind,
    TargetActual,
    TermTarget,
    UnitLabel,
)
from lantoa.reports.compute import compute_report
from lantoa.reports.periods import Period
from lantoa.reports.statistics import FAMILIES, Context, family_of
from lantoa.reports.statistics.funds import FundsFamily
from lantoa.reports.statistics.honours import HonoursFamily
from lantoa.reports.statistics.meetings import MeetingsFamily, expected_by_cell
from lantoa.reports.statistics.programme import PlansFamily
from tests.cells import figures_oracle as cell_figures
from tests.conftest import page_text, persona, tr
from tests.factories import PersonFactory, UnitFactory
from tests.reports.conftest import (
    FIRST_HALF,
    TODAY,
    YEAR,
    World,
    listed,
    pick,
    previous_values,
    values,
)

D = dt.date
pytestmark = pytest.mark.today(TODAY)

YEAR_2023 = Period(D(2023, 1, 1), D(2023, 12, 31))
Q2 = Period(D(2024, 4, 1), D(2024, 6, 30))
Q3 = Period(D(2024, 7, 1), D(2024, 9, 30))
JUNE = Period(D(2024, 6, 1), D(2024, 6, 30))
JULY = Period(D(2024, 7, 1), D(2024, 7, 31))


def test_the_previous_period_of_the_periods_used_here():
    assert YEAR.previous() == YEAR_2023
    assert Q3.previous() == Q2
    assert JULY.previous() == JUNE
    # Not whole months: the same number of days just before.
    assert Period(D(2024, 1, 2), D(2024, 12, 30)).previous() == Period(D(2023, 1, 3), D(2024, 1, 1))


# ---------------------------------------------------------------------------------------------
# Organisation: the tree and the roll on the period's last day
# ---------------------------------------------------------------------------------------------


def test_organisation_counts_the_tree_on_the_last_day_a_merged_cell_once(world: World):
    district_year = pick(values(world.district, YEAR), "organisation.")
    district_half = pick(values(world.district, FIRST_HALF), "organisation.")

    # 31/12/2024: Chi bộ ấp Cũ is closed (merged), Cư counted once, in Tân Thạnh.
    assert district_year == {
        "units.district": 0,
        "units.commune": 2,
        "units.grassroots": 1,
        "units.grassroots_cell": 1,
        "units.sub_committee": 1,
        "units.cell": 4,  # Phước Thạnh, Long Hòa, Tân Thạnh, Khoa Nội
        "members": 8,
        "members.probationary": 1,  # Hoa
    }
    # 30/06/2024: Chi bộ ấp Cũ still stands.
    assert district_half["units.cell"] == 5
    assert district_half["members"] == 8
    # Long Hòa counts for An Khánh on 30/06, for Tân Thạch on 31/12; Cư for Tân Thạch on both.
    assert pick(values(world.an_khanh, FIRST_HALF), "organisation.")["units.cell"] == 2
    assert pick(values(world.an_khanh, YEAR), "organisation.")["units.cell"] == 1
    assert pick(values(world.an_khanh, YEAR), "organisation.")["members"] == 2
    tan_thach_half = pick(values(world.tan_thach, FIRST_HALF), "organisation.")
    tan_thach_year = pick(values(world.tan_thach, YEAR), "organisation.")
    assert (tan_thach_half["units.cell"], tan_thach_half["members"]) == (2, 2)  # Tân Thạnh, Cũ
    assert (tan_thach_year["units.cell"], tan_thach_year["members"]) == (2, 3)  # Tân Thạnh, Long Hòa


def test_organisation_lists_the_units_and_members_it_counts(world: World):
    family = family_of("organisation.units.cell")
    ctx = Context(world.tan_thach, YEAR, TODAY)

    cells = family.records("organisation.units.cell", ctx).queryset
    members = family.records("organisation.members", ctx).queryset

    assert {unit.name for unit in cells} == {"Chi bộ ấp Tân Thạnh", "Chi bộ ấp Long Hòa"}
    assert sorted(m.member.person.full_name for m in members) == [
        "Huỳnh Văn Cư",
        "Phạm Văn Tâm",
        "Võ Văn Sơn",
    ]
    # Hoa joined on 01/05/2024: probationary on 30/06 and on 31/12, not a member yet on 30/04.
    before_hoa = pick(values(world.an_khanh, Period(D(2024, 4, 1), D(2024, 4, 30))), "organisation.")
    assert (before_hoa["members"], before_hoa["members.probationary"]) == (2, 0)


# ---------------------------------------------------------------------------------------------
# Plans filed, commitments, good practices
# ---------------------------------------------------------------------------------------------


def issue_plan(unit: Unit, day: dt.date):
    return documents.issue_document(
        actor=None, issuer=Issuer(unit=unit), type_code="KH", issued_on=day, summary="Kế hoạch năm 2024"
    )


def obligation(unit: Unit, deadline: dt.date, kinds=(UnitKind.CELL, UnitKind.GRASSROOTS_CELL)):
    return documents.create_obligation(
        actor=None,
        unit=unit,
        title=f"Kế hoạch hạn {deadline.isoformat()}",
        year=deadline.year,
        deadline=deadline,
        target_kinds=list(kinds),
    )


def file(duty, unit: Unit, day: dt.date) -> None:
    documents.file_document(
        actor=None, obligation=duty, unit=unit, document=issue_plan(unit, day), filed_on=day
    )


@pytest.fixture
def plans(world: World) -> None:
    """The district's plan due 31/03/2024 from its 6 cells (3 filed: 2 on time, the women's cell
    on the deadline itself, Tân Thạnh late); An Khánh's due 31/12/2024 from its one cell then
    (Long Hòa has left), filed on the day; two more due just outside 2024."""
    district_plan = obligation(world.district, D(2024, 3, 31))
    file(district_plan, world.phuoc_thanh, D(2024, 3, 20))
    file(district_plan, world.women, D(2024, 3, 31))
    file(district_plan, world.tan_thanh, D(2024, 4, 5))
    commune_plan = obligation(world.an_khanh, D(2024, 12, 31), kinds=(UnitKind.CELL,))
    file(commune_plan, world.phuoc_thanh, D(2024, 12, 31))
    obligation(world.district, D(2025, 1, 1))
    obligation(world.district, D(2023, 12, 31))


def test_plans_count_obligations_due_in_the_period_and_their_filings(world: World, plans):
    assert pick(values(world.district, YEAR), "plans.") == {
        "obligations": 2,
        "due": 7,  # 6 cells on 31/03 + Phước Thạnh on 31/12
        "on_time": 3,
        "late": 1,
        "missing": 3,  # Long Hòa, Chi bộ ấp Cũ, Chi bộ Khoa Nội
    }
    assert pick(previous_values(world.district, YEAR), "plans.") == {
        "obligations": 1,
        "due": 6,
        "on_time": 0,
        "late": 0,
        "missing": 6,
    }
    assert pick(values(world.an_khanh, YEAR), "plans.") == {
        "obligations": 1,
        "due": 1,
        "on_time": 1,
        "late": 0,
        "missing": 0,
    }
    assert pick(values(world.tan_thach, YEAR), "plans.")["obligations"] == 0


def test_plans_list_who_must_file_and_who_has_not(world: World, plans):
    ctx = Context(world.district, YEAR, TODAY)
    due = PlansFamily().records("plans.due", ctx)
    missing = PlansFamily().records("plans.missing", ctx)
    assert due is not None
    assert missing is not None

    assert [(row.obligation.deadline, row.unit.name, row.status) for row in missing.queryset] == [
        (D(2024, 3, 31), "Chi bộ ấp Cũ", "missing"),
        (D(2024, 3, 31), "Chi bộ ấp Long Hòa", "missing"),
        (D(2024, 3, 31), "Chi bộ Khoa Nội", "missing"),
    ]
    statuses = [row.status for row in due.queryset]
    assert len(statuses) == 7
    assert statuses.count("on_time") == 3
    assert statuses.count("late") == 1
    late = next(row for row in due.queryset if row.status == "late")
    assert (late.unit, late.filing.filed_on) == (world.tan_thanh, D(2024, 4, 5))


@pytest.fixture
def commitments(world: World) -> None:
    """Lan registers two on 01/01/2024 (one done); Sơn one on 01/03/2024 in Long Hòa under An
    Khánh and one on 01/08/2024 under Tân Thạch; Cư one on 30/09/2024 in Chi bộ ấp Cũ and one on
    01/11/2024 in Tân Thạnh; Mai one on 31/12/2023, Thu one on 01/01/2025."""

    def register(member, day: dt.date, position: int = 1):
        return documents.register_commitment(
            actor=None,
            member=member,
            year=day.year,
            position=position,
            text=f"Cam kết {position} năm {day.year}",
            on=day,
            officer=True,
        )

    done = register(world.lan, D(2024, 1, 1), 1)
    register(world.lan, D(2024, 1, 1), 2)
    register(world.son, D(2024, 3, 1), 1)
    register(world.son, D(2024, 8, 1), 2)
    register(world.cu, D(2024, 9, 30), 1)
    register(world.cu, D(2024, 11, 1), 2)
    register(world.mai, D(2023, 12, 31), 1)
    register(world.thu, D(2025, 1, 1), 1)
    documents.assess_commitment(actor=None, commitment=done, done=True, on=D(2024, 12, 20))


def test_commitments_count_under_the_cell_of_the_day_they_were_registered(world: World, commitments):
    assert pick(values(world.district, YEAR), "commitments.") == {
        "members": 3,
        "registered": 6,
        "done": 1,
    }
    assert pick(values(world.an_khanh, YEAR), "commitments.") == {
        "members": 2,  # Lan; Sơn before Long Hòa moved
        "registered": 3,
        "done": 1,
    }
    assert pick(values(world.tan_thach, YEAR), "commitments.") == {
        "members": 2,  # Sơn after the move; Cư in Chi bộ ấp Cũ, then in Tân Thạnh
        "registered": 3,
        "done": 0,
    }
    assert pick(previous_values(world.district, YEAR), "commitments.")["registered"] == 1  # Mai


@pytest.fixture
def practices(world: World) -> None:
    def start(unit: Unit, day: dt.date, title: str) -> GoodPractice:
        return GoodPractice.objects.create(title=title, unit=unit, started_on=day, description=title)

    first = start(world.phuoc_thanh, D(2024, 1, 1), "Tổ tự quản đường làng")
    start(world.long_hoa, D(2024, 6, 30), "Ngày chủ nhật xanh")
    start(world.ap_cu, D(2024, 9, 30), "Quỹ khuyến học ấp")
    older = start(world.women, D(2023, 12, 31), "Heo đất tiết kiệm")
    Replication.objects.create(practice=first, unit=world.tan_thanh, started_on=D(2024, 12, 31))
    Replication.objects.create(practice=first, unit=world.women, started_on=D(2025, 1, 1))
    Replication.objects.create(practice=older, unit=world.long_hoa, started_on=D(2024, 7, 1))


def test_good_practices_count_where_their_unit_hung_when_they_started(world: World, practices):
    assert pick(values(world.district, YEAR), "practices.") == {"started": 3, "replications": 2}
    assert pick(previous_values(world.district, YEAR), "practices.") == {"started": 1, "replications": 0}
    assert pick(values(world.an_khanh, YEAR), "practices.") == {"started": 2, "replications": 0}
    assert pick(values(world.tan_thach, YEAR), "practices.") == {"started": 1, "replications": 2}
    # The first and last days of a period count, the days around them do not.
    assert pick(values(world.district, Period(D(2024, 1, 1), D(2024, 6, 30))), "practices.") == {
        "started": 2,
        "replications": 0,
    }
    assert pick(values(world.district, Period(D(2024, 1, 2), D(2024, 6, 29))), "practices.") == {
        "started": 0,
        "replications": 0,
    }


# ---------------------------------------------------------------------------------------------
# Meetings, study and the bulletin
# ---------------------------------------------------------------------------------------------


def meet(
    unit: Unit,
    day: dt.date,
    kind: str = MeetingKind.REGULAR,
    status: str = MeetingStatus.APPROVED,
) -> Meeting:
    return Meeting.objects.create(unit=unit, period=day.replace(day=1), date=day, kind=kind, status=status)


@pytest.fixture
def meetings(world: World) -> None:
    """Q2 and Q3 2024 (Long Hòa moves between them, Chi bộ ấp Cũ closes at the end of Q3):

    - Phước Thạnh: two held regular meetings in July (one counted), a planned one in August,
      a combined one in September (regular and thematic);
    - Long Hòa: thematic in May and regular in June (under An Khánh), regular in July (under
      Tân Thạch);
    - Tân Thạnh: thematic in July and again in September (the quarter counted once);
    - Chi bộ ấp Cũ: thematic in August, regular in September, its last month;
    - the women's cell: regular in July.
    """
    july = meet(world.phuoc_thanh, D(2024, 7, 5))
    meet(world.phuoc_thanh, D(2024, 7, 20), status=MeetingStatus.HELD)
    planned = meet(world.phuoc_thanh, D(2024, 8, 5), status=MeetingStatus.PLANNED)
    meet(world.phuoc_thanh, D(2024, 9, 5), MeetingKind.COMBINED)
    meet(world.long_hoa, D(2024, 5, 10), MeetingKind.THEMATIC)
    meet(world.long_hoa, D(2024, 6, 10))
    meet(world.long_hoa, D(2024, 7, 10))
    meet(world.tan_thanh, D(2024, 7, 15), MeetingKind.THEMATIC)
    meet(world.tan_thanh, D(2024, 9, 15), MeetingKind.THEMATIC)
    meet(world.ap_cu, D(2024, 8, 3), MeetingKind.THEMATIC, MeetingStatus.HELD)
    meet(world.ap_cu, D(2024, 9, 3))
    meet(world.women, D(2024, 7, 8))
    # Attendance at Phước Thạnh's July meeting: 1 present of 2 expected.
    Attendance.objects.create(meeting=july, member=world.lan, status=AttendanceStatus.PRESENT)
    Attendance.objects.create(meeting=july, member=world.hoa, status=AttendanceStatus.UNEXCUSED)
    presenter = world.lan.person
    AgendaItem.objects.create(
        meeting=july, order=1, kind=AgendaKind.STUDY, title="Tấm gương", presenter=presenter
    )
    AgendaItem.objects.create(meeting=july, order=2, kind=AgendaKind.STUDY, title="Không người trình bày")
    AgendaItem.objects.create(
        meeting=planned, order=1, kind=AgendaKind.STUDY, title="Chưa họp", presenter=presenter
    )
    # The bulletin: July's issue publishes Phước Thạnh's article of 01/07 and the women's cell's
    # of 30/06; Phước Thạnh's second article (31/07) is cancelled.
    issue = BulletinIssue.objects.create(
        unit=world.district,
        number=7,
        period=D(2024, 7, 1),
        deadline=D(2024, 7, 25),
        status=BulletinIssue.Status.PUBLISHED,
        published_on=D(2024, 7, 28),
    )
    for cell, author, day, status in (
        (world.phuoc_thanh, world.lan, D(2024, 7, 1), ArticleStatus.PUBLISHED),
        (world.phuoc_thanh, world.hoa, D(2024, 7, 31), ArticleStatus.CANCELLED),
        (world.women, world.mai, D(2024, 6, 30), ArticleStatus.PUBLISHED),
    ):
        Article.objects.create(
            issue=issue,
            cell=cell,
            author=author,
            topic="Làm theo Bác",
            assigned_on=day,
            due_on=D(2024, 7, 20),
            status=status,
        )


def test_meetings_held_count_a_cell_month_once_and_never_a_planned_meeting(world: World, meetings):
    assert pick(values(world.an_khanh, Q3), "meetings.") == {
        "regular.expected": 3,
        "regular.held": 2,  # July (two meetings) and September (combined); not the planned August
        "thematic.expected": 1,
        "thematic.held": 1,  # the combined meeting
        "attendance_rate": Decimal("50.00"),
        "study_items": 1,  # not the item without a presenter, nor the planned meeting's
        "articles.assigned": 1,  # 01/07; the cancelled one is not counted
        "articles.published": 1,
    }
    held = MeetingsFamily().records("meetings.regular.held", Context(world.an_khanh, Q3, TODAY)).queryset
    assert [(m.date, m.kind) for m in held] == [
        (D(2024, 7, 5), MeetingKind.REGULAR),
        (D(2024, 9, 5), MeetingKind.COMBINED),
    ]


def test_meetings_owed_and_the_attendance_rate_open_to_each_cells_line(world: World, meetings):
    """Not a number of records: the lists behind them are the cells' lines, which add up to the
    figure, the cells that held fewest (the lowest attendance) first."""
    family = MeetingsFamily()
    tan_thach = Context(world.tan_thach, Q3, TODAY)

    owed = family.records("meetings.regular.expected", tan_thach)
    assert [(line.unit.key, line.owed, line.held, line.not_held) for line in owed.queryset] == [
        ("tan-thanh", 3, 0, 3),  # met only for its thematic meetings
        ("ap-cu", 3, 1, 2),
        ("long-hoa", 3, 1, 2),
    ]
    assert owed.listed_value() == values(world.tan_thach, Q3)["meetings.regular.expected"] == 9
    # Each with the unit it sat under (Long Hòa moved to Tân Thạch at the quarter's start).
    assert {line.parent.key for line in owed.queryset if line.parent} == {"tan-thach"}
    assert tr("Under") in [str(column.label) for column in owed.columns]
    thematic = family.records("meetings.thematic.expected", tan_thach)
    assert [(line.unit.key, line.owed, line.held) for line in thematic.queryset] == [
        ("long-hoa", 1, 0),
        ("ap-cu", 1, 1),
        ("tan-thanh", 1, 1),  # twice in the quarter, counted once
    ]
    assert thematic.listed_value() == 3

    rate = family.records("meetings.attendance_rate", Context(world.an_khanh, Q3, TODAY))
    assert [(line.unit.key, line.roll, line.present, line.rate) for line in rate.queryset] == [
        ("phuoc-thanh", 2, 1, Decimal("50.00"))
    ]
    assert rate.listed_value() == values(world.an_khanh, Q3)["meetings.attendance_rate"]
    # No meeting held with a list: no line, and no rate, as the figure.
    empty = family.records("meetings.attendance_rate", tan_thach)
    assert empty.queryset == []
    assert empty.listed_value() is None


def test_the_records_page_of_cells_lines_shows_their_total_in_as_many_queries_for_three_cells(
    world: World, meetings
):
    reader = persona(world.district, Role.PROPAGANDA).client

    def opened(unit: Unit) -> tuple[int, Any]:
        line = compute_report(unit, Q3, TODAY).line("meetings.regular.expected")
        reader.get(line.records_url)
        with CaptureQueriesContext(connection) as captured:
            page = reader.get(line.records_url)
        assert page.status_code == 200
        assert page.context["listed_total"] == line.value
        return len(captured), page

    one, _page = opened(world.an_khanh)
    three, page = opened(world.tan_thach)

    assert three == one
    assert page.context["page"].paginator.count == 3
    assert tr("meetings owed, the cells' lines added up") + ": 9" in page_text(page)


def test_one_figure_counted_alone_is_the_figure_of_the_whole_family(world: World, meetings):
    """The records page counts only its own figure: it must be the report's."""
    ctx = Context(world.district, Q3, TODAY)
    for family in FAMILIES:
        for figure in family.compute(ctx):
            alone = family.figure(figure.statistic.id, Context(world.district, Q3, TODAY))
            assert alone is not None
            assert alone.value == figure.value, figure.statistic.id
    assert MeetingsFamily().figure("meetings.no_such_figure", ctx) is None


def test_a_thematic_meeting_due_before_the_period_is_neither_expected_nor_held_in_it(world: World):
    """A cell that closed on 20/07 owed its quarter's meeting in July: a period from August has
    it in neither figure (the held one walked the tree from the quarter's start)."""
    closing = UnitFactory(
        key="ap-dong", name="Chi bộ ấp Đông", parent=world.an_khanh, valid_to=D(2024, 7, 20)
    )
    Meeting.objects.create(
        unit=closing,
        period=D(2024, 7, 1),
        date=D(2024, 7, 10),
        kind=MeetingKind.THEMATIC,
        status=MeetingStatus.HELD,
    )
    from_august = Period(D(2024, 8, 1), D(2024, 9, 30))

    assert closing.pk not in expected_by_cell(Context(world.an_khanh, from_august, TODAY))
    assert values(world.an_khanh, from_august)["meetings.thematic.held"] == 0
    assert values(world.an_khanh, Q3)["meetings.thematic.held"] == 1  # July is in Q3


def test_meetings_follow_a_cell_that_moved_and_one_that_closed(world: World, meetings):
    # Q3: Long Hòa and Chi bộ ấp Cũ (open until 30/09) are Tân Thạch's.
    tan_thach = pick(values(world.tan_thach, Q3), "meetings.")
    assert (tan_thach["regular.expected"], tan_thach["regular.held"]) == (9, 2)
    # Thematic: Tân Thạnh twice in the quarter counts once, Chi bộ ấp Cũ once.
    assert (tan_thach["thematic.expected"], tan_thach["thematic.held"]) == (3, 2)
    # Q2: Long Hòa was An Khánh's.
    an_khanh_q2 = pick(values(world.an_khanh, Q2), "meetings.")
    assert an_khanh_q2 == pick(previous_values(world.an_khanh, Q3), "meetings.")
    assert (an_khanh_q2["regular.expected"], an_khanh_q2["regular.held"]) == (6, 1)
    assert (an_khanh_q2["thematic.expected"], an_khanh_q2["thematic.held"]) == (2, 1)
    tan_thach_q2 = pick(values(world.tan_thach, Q2), "meetings.")
    assert (tan_thach_q2["regular.held"], tan_thach_q2["thematic.held"]) == (0, 0)
    # The district counts every cell once, whichever commune it hung under.
    district = pick(values(world.district, Q3), "meetings.")
    assert (district["regular.expected"], district["regular.held"]) == (18, 5)
    assert (district["thematic.expected"], district["thematic.held"]) == (6, 3)
    assert district["articles.published"] == 2
    district_q2 = pick(previous_values(world.district, Q3), "meetings.")
    assert (district_q2["regular.held"], district_q2["thematic.held"]) == (1, 1)
    assert district_q2["articles.assigned"] == 1  # the women's cell's, on 30/06


def test_meetings_of_a_month_against_the_month_before(world: World, meetings):
    july = pick(values(world.an_khanh, JULY), "meetings.")
    june = pick(previous_values(world.an_khanh, JULY), "meetings.")

    assert (july["regular.expected"], july["regular.held"]) == (1, 1)
    # July is not a quarter's last month: no thematic meeting is expected or counted in it.
    assert (july["thematic.expected"], july["thematic.held"]) == (0, 0)
    # June: Phước Thạnh and Long Hòa expected; Long Hòa's regular and its May thematic held.
    assert june == pick(values(world.an_khanh, JUNE), "meetings.")
    assert (june["regular.expected"], june["regular.held"]) == (2, 1)
    assert (june["thematic.expected"], june["thematic.held"]) == (2, 1)
    assert june["articles.assigned"] == 0  # the women's cell is not An Khánh's
    tan_thach_july = pick(values(world.tan_thach, JULY), "meetings.")
    assert (tan_thach_july["regular.expected"], tan_thach_july["regular.held"]) == (3, 1)


def rolled_up(root: Unit, period: Period) -> cell_figures.Figures:
    """The root's cell-life figures over the period as ``cells.queries.figures`` defines them."""
    rolled = cell_figures.rollup(root, period.start, period.end)
    return cell_figures.total(value for (pk, _month), value in rolled.items() if pk == root.pk)


def defined_thematic(root: Unit, period: Period) -> tuple[int, int]:
    figures = rolled_up(root, period)
    return figures.thematic_expected, figures.thematic_held


def test_a_cell_created_mid_month_that_met_that_month_is_counted_as_held(world: World):
    """A meeting is dated by its month (``Meeting.period``, the 1st): a cell created on the 15th
    is expected to meet that month, and its meeting of the month counts as held (at commit
    72b1c6a it did not: the 1st fell outside the cell's window under the root)."""
    new_cell = UnitFactory(
        key="phuoc-xuan", name="Chi bộ ấp Phước Xuân", valid_from=D(2024, 3, 15), parent=world.an_khanh
    )
    meet(new_cell, D(2024, 3, 20))
    march = Period(D(2024, 3, 1), D(2024, 3, 31))
    defined = rolled_up(world.an_khanh, march)
    # Phước Thạnh and Long Hòa all month, Phước Xuân from the 15th (its meeting held on the 20th).
    assert (defined.regular_expected, defined.regular_held) == (3, 1)

    found = pick(values(world.an_khanh, march), "meetings.")

    assert (found["regular.expected"], found["regular.held"]) == (3, 1)


def test_a_thematic_meeting_of_a_cell_that_moved_mid_quarter_counts_where_it_was_due(world: World):
    my_an = UnitFactory(
        key="my-an", name="Đảng ủy xã Mỹ An", kind=UnitKind.COMMUNE, short_code="ĐU", parent=world.district
    )
    my_thanh = UnitFactory(key="my-thanh", name="Chi bộ ấp Mỹ Thạnh", parent=my_an)
    org_services.move_unit(actor=None, unit=my_thanh, new_parent=world.tan_thach, on=D(2024, 2, 1))
    meet(my_thanh, D(2024, 1, 10), MeetingKind.THEMATIC)
    q1 = Period(D(2024, 1, 1), D(2024, 3, 31))
    # Due in March, when Mỹ Thạnh is Tân Thạch's: the definition counts it there, expected and
    # held; Mỹ An is left with no cell in March, so nothing is expected of it.
    assert defined_thematic(my_an, q1) == (0, 0)
    assert defined_thematic(world.tan_thach, q1) == (3, 1)  # Tân Thạnh, Chi bộ ấp Cũ, Mỹ Thạnh

    my_an_found = pick(values(my_an, q1), "meetings.")
    tan_thach = pick(values(world.tan_thach, q1), "meetings.")

    assert my_an_found["thematic.held"] <= my_an_found["thematic.expected"]
    assert (tan_thach["thematic.expected"], tan_thach["thematic.held"]) == (3, 1)


# ---------------------------------------------------------------------------------------------
# Exemplary people (honours)
# ---------------------------------------------------------------------------------------------


def decide(unit: Unit, kind: str, day: dt.date, *, people=(), names=(), units=(), form=None):
    """``unit`` decides on new nominations of its own (how they pass is tested elsewhere)."""
    chosen = [
        services.nominate(
            actor=None,
            unit=unit,
            subject_person=person,
            subject_unit=subject_unit,
            subject_name=name,
            achievements="Gương mẫu trong phong trào",
            period_kind="month",
            period_start=day.replace(day=1),
            period_end=day,
            nominated_on=day,
        )
        for person, subject_unit, name in (
            [(p, None, "") for p in people]
            + [(None, u, "") for u in units]
            + [(None, None, n) for n in names]
        )
    ]
    Nomination.objects.filter(pk__in=[n.pk for n in chosen]).update(status=NominationStatus.PASSED)
    return decisions.issue_decision(
        actor=None,
        unit=unit,
        kind=kind,
        nominations=list(Nomination.objects.filter(pk__in=[n.pk for n in chosen]).order_by("pk")),
        decided_on=day,
        year=day.year,
        reason="tiêu biểu",
        form=form,
    )


@pytest.fixture
def honours(world: World) -> Person:
    """Decisions of 2024, the days around it, a revoked recognition; returns Tám, whose praise
    was revoked."""
    lan, hoa, son = world.lan.person, world.hoa.person, world.son.person
    praise, introduce, reward = RecognitionKind.PRAISE, RecognitionKind.INTRODUCE, RecognitionKind.REWARD
    # Phước Thạnh (a cell under An Khánh): the first and the last day of 2024, and the days around.
    decide(world.phuoc_thanh, praise, D(2024, 1, 1), people=[lan], names=["Chi hội Nông dân ấp Phước Thạnh"])
    decide(world.phuoc_thanh, introduce, D(2024, 12, 31), people=[hoa])
    decide(world.phuoc_thanh, praise, D(2023, 12, 31), people=[lan])
    decide(world.phuoc_thanh, praise, D(2025, 1, 1), people=[hoa])
    # Long Hòa on its last day under An Khánh, and on its first under Tân Thạch.
    decide(world.long_hoa, praise, D(2024, 6, 30), people=[son])
    decide(world.long_hoa, praise, D(2024, 7, 1), people=[son])
    # Chi bộ ấp Cũ on its last day.
    decide(world.ap_cu, introduce, D(2024, 9, 30), names=["Chi đoàn ấp Cũ"])
    # A praise revoked: not counted (its decision is).
    tam = PersonFactory(full_name="Nguyễn Văn Tám")
    revoked = decide(world.phuoc_thanh, praise, D(2024, 3, 10), people=[tam])
    decisions.revoke_recognition(
        actor=None, recognition=revoked.recognitions.get(), day=D(2024, 4, 1), reason="Xét lại"
    )
    # Units directly under the district: the women's grassroots cell, the communes, the hospital.
    decide(world.women, praise, D(2024, 5, 5), people=[world.mai.person])
    rewarded = decide(
        world.an_khanh,
        reward,
        D(2024, 3, 20),
        people=[lan],
        form=AwardForm.objects.get(code="party-giay-khen"),
    )
    decisions.issue_certificates(actor=None, decision=rewarded, day=D(2024, 3, 25))
    decide(world.tan_thach, praise, D(2024, 6, 6), units=[world.tan_thanh])
    decide(world.hospital, introduce, D(2024, 2, 2), names=["Công đoàn Trung tâm Y tế"])
    # A cell under a sub-committee of the grassroots committee.
    decide(world.ward_cell, praise, D(2024, 8, 15), people=[world.nhan.person])
    return tam


def test_honours_of_the_district_by_level_kind_and_subject(world: World, honours):
    assert pick(values(world.district, YEAR), "honours.") == {
        # Cells under committees: Phước Thạnh (01/01 and 31/12), Long Hòa twice (under each
        # commune), Chi bộ ấp Cũ, Chi bộ Khoa Nội (under a sub-committee). Not the women's cell.
        "cells.collectives": 2,
        "cells.individuals": 5,
        # Units directly under the district.
        "reward.collectives": 0,
        "reward.individuals": 1,  # An Khánh's giấy khen
        "praise.collectives": 1,  # Tân Thạch praises the Party cell Tân Thạnh
        "praise.individuals": 1,  # the women's cell praises Mai
        "introduce.collectives": 1,  # the hospital's committee
        "introduce.individuals": 0,
        # The district's own decisions: none here.
        "own_reward.collectives": 0,
        "own_reward.individuals": 0,
        "own_praise.collectives": 0,
        "own_praise.individuals": 0,
        "own_introduce.collectives": 0,
        "own_introduce.individuals": 0,
        # Bodies above the district: none here (see the test of higher levels).
        "higher.collectives": 0,
        "higher.individuals": 0,
        "decisions": 11,  # the revoked praise's decision too
        "certificates": 1,
    }
    before = pick(previous_values(world.district, YEAR), "honours.")
    assert (before["cells.individuals"], before["decisions"]) == (1, 1)  # 31/12/2023


def test_recognitions_by_higher_levels_count_for_the_units_that_put_them_forward(world: World):
    # Phước Thạnh nominates Lan and proposes her to the province, which gives her a Bằng khen: a
    # recognition by a higher level for the cell's commune and district, not the province's.
    nomination = services.nominate(
        actor=None,
        unit=world.phuoc_thanh,
        subject_person=world.lan.person,
        subject_unit=None,
        subject_name="",
        achievements="Gương mẫu trong phong trào",
        period_kind="month",
        period_start=D(2024, 4, 1),
        period_end=D(2024, 4, 30),
        nominated_on=D(2024, 4, 30),
    )
    Nomination.objects.filter(pk=nomination.pk).update(status=NominationStatus.PASSED)
    Term.objects.create(unit=world.tree.province, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 10, 1))
    services.forward_nominations(
        actor=None,
        from_unit=world.phuoc_thanh,
        to_unit=world.tree.province,
        nominations=[Nomination.objects.get(pk=nomination.pk)],
        proposed_on=D(2024, 5, 2),
    )
    decisions.issue_decision(
        actor=None,
        unit=world.tree.province,
        kind=RecognitionKind.REWARD,
        nominations=[Nomination.objects.get(pk=nomination.pk)],
        decided_on=D(2024, 5, 20),
        year=2024,
        reason="tiêu biểu",
        form=AwardForm.objects.get(code="party-bang-khen"),  # the province's to give
    )

    district = pick(values(world.district, YEAR), "honours.")
    assert (district["higher.collectives"], district["higher.individuals"]) == (0, 1)
    assert district["reward.individuals"] == 0  # not the district's own levels
    assert pick(values(world.an_khanh, YEAR), "honours.")["higher.individuals"] == 1
    assert pick(values(world.tan_thach, YEAR), "honours.")["higher.individuals"] == 0
    assert pick(values(world.tree.province, YEAR), "honours.")["higher.individuals"] == 0
    assert pick(values(world.district, FIRST_HALF), "honours.")["higher.individuals"] == 1
    assert pick(previous_values(world.district, YEAR), "honours.")["higher.individuals"] == 0
    behind = HonoursFamily().records("honours.higher.individuals", Context(world.district, YEAR, TODAY))
    assert behind is not None
    assert [(r.subject_label, r.decision.unit) for r in behind.queryset] == [
        (world.lan.person.full_name, world.tree.province)
    ]


def test_honours_follow_the_cell_that_moved_on_each_decisions_date(world: World, honours):
    an_khanh = pick(values(world.an_khanh, YEAR), "honours.")
    tan_thach = pick(values(world.tan_thach, YEAR), "honours.")

    # Long Hòa's praise of 30/06 is An Khánh's, its praise of 01/07 Tân Thạch's.
    assert an_khanh == {
        "cells.collectives": 1,
        "cells.individuals": 3,  # Lan, Hoa, Sơn (30/06)
        "reward.collectives": 0,
        "reward.individuals": 0,  # An Khánh's own reward is not by a unit under it
        "praise.collectives": 1,
        "praise.individuals": 2,  # Lan (Phước Thạnh), Sơn (Long Hòa, 30/06)
        "introduce.collectives": 0,
        "introduce.individuals": 1,  # Hoa, 31/12
        "own_reward.collectives": 0,
        "own_reward.individuals": 1,  # An Khánh's own giấy khen to Lan
        "own_praise.collectives": 0,
        "own_praise.individuals": 0,
        "own_introduce.collectives": 0,
        "own_introduce.individuals": 0,
        "higher.collectives": 0,
        "higher.individuals": 0,
        "decisions": 5,  # Phước Thạnh's 3, Long Hòa's of 30/06, An Khánh's own
        "certificates": 1,
    }
    assert tan_thach == {
        "cells.collectives": 1,  # Chi bộ ấp Cũ on its last day
        "cells.individuals": 1,  # Sơn (01/07)
        "reward.collectives": 0,
        "reward.individuals": 0,
        "praise.collectives": 0,  # its own praise of Tân Thạnh is not by a unit under it
        "praise.individuals": 1,
        "introduce.collectives": 1,
        "introduce.individuals": 0,
        "own_reward.collectives": 0,
        "own_reward.individuals": 0,
        "own_praise.collectives": 1,  # its own praise of the Party cell Tân Thạnh
        "own_praise.individuals": 0,
        "own_introduce.collectives": 0,
        "own_introduce.individuals": 0,
        "higher.collectives": 0,
        "higher.individuals": 0,
        "decisions": 3,
        "certificates": 0,
    }
    whose = {
        root.key: {
            (r.decision.unit.key, r.decision.decided_on)
            for r in HonoursFamily().records("honours.cells.individuals", Context(root, YEAR, TODAY)).queryset
        }
        for root in (world.an_khanh, world.tan_thach)
    }
    assert ("long-hoa", D(2024, 6, 30)) in whose["an-khanh"]
    assert ("long-hoa", D(2024, 7, 1)) not in whose["an-khanh"]
    assert ("long-hoa", D(2024, 7, 1)) in whose["tan-thach"]
    assert ("long-hoa", D(2024, 6, 30)) not in whose["tan-thach"]


def test_honours_count_the_first_and_last_day_not_the_days_around_and_never_a_revoked_one(
    world: World, honours
):
    tam = honours
    assert Recognition.objects.filter(subject_label=tam.full_name, revoked_on__isnull=False).count() == 1
    listed_names = [
        r.subject_label
        for r in HonoursFamily()
        .records("honours.cells.individuals", Context(world.district, YEAR, TODAY))
        .queryset
    ]
    assert tam.full_name not in listed_names
    assert listed_names[0] == "Trần Thị Lan"  # 01/01/2024
    assert listed_names[-1] == "Lê Thị Hoa"  # 31/12/2024

    first_day = pick(values(world.district, Period(D(2024, 1, 1), D(2024, 1, 1))), "honours.")
    last_day = pick(values(world.district, Period(D(2024, 12, 31), D(2024, 12, 31))), "honours.")
    around = pick(values(world.district, Period(D(2023, 12, 31), D(2023, 12, 31))), "honours.")
    after = pick(values(world.district, Period(D(2025, 1, 1), D(2025, 1, 31))), "honours.")

    assert (first_day["cells.collectives"], first_day["cells.individuals"]) == (1, 1)
    assert (last_day["cells.collectives"], last_day["cells.individuals"]) == (0, 1)
    assert (around["cells.individuals"], after["cells.individuals"]) == (1, 1)
    inner = pick(values(world.district, Period(D(2024, 1, 2), D(2024, 12, 30))), "honours.")
    assert (inner["cells.collectives"], inner["cells.individuals"]) == (1, 3)


def test_honours_of_the_cells_under_a_grassroots_committees_sub_committee(world: World, honours):
    hospital = pick(values(world.hospital, YEAR), "honours.")

    # Chi bộ Khoa Nội hangs under a sub-committee: a cell under the grassroots committee, not a
    # unit directly under it.
    assert (hospital["cells.collectives"], hospital["cells.individuals"]) == (0, 1)
    assert all(
        hospital[f"{line}.{who}"] == 0
        for line in ("reward", "praise", "introduce")
        for who in ("collectives", "individuals")
    )
    assert hospital["decisions"] == 2


@pytest.mark.today(D(2025, 8, 1))
def test_honours_across_the_reform_count_once_for_the_province(world: World):
    """An Khánh hangs under the district until 30/06/2025 and under the province from 01/07/2025:
    Phước Thạnh's decisions on either side count once each for the province."""
    decide(world.phuoc_thanh, RecognitionKind.PRAISE, D(2025, 6, 30), people=[world.lan.person])
    decide(world.phuoc_thanh, RecognitionKind.PRAISE, D(2025, 7, 1), people=[world.hoa.person])
    summer = Period(D(2025, 6, 1), D(2025, 7, 31))

    province = pick(values(world.tree.province, summer, D(2025, 8, 1)), "honours.")
    district = pick(values(world.district, summer, D(2025, 8, 1)), "honours.")
    an_khanh = pick(values(world.an_khanh, summer, D(2025, 8, 1)), "honours.")

    assert (province["cells.individuals"], province["decisions"]) == (2, 2)
    assert (district["cells.individuals"], district["decisions"]) == (1, 1)  # closed on 30/06/2025
    assert (an_khanh["praise.individuals"], an_khanh["decisions"]) == (2, 2)


def test_a_certificate_issued_after_its_decisions_period_is_counted_when_issued(world: World):
    praised = decide(world.phuoc_thanh, RecognitionKind.PRAISE, D(2024, 12, 31), people=[world.lan.person])
    decisions.issue_certificates(actor=None, decision=praised, day=D(2025, 1, 2))

    year = pick(values(world.district, YEAR), "honours.")
    january = pick(values(world.district, Period(D(2025, 1, 1), D(2025, 1, 31))), "honours.")

    assert (year["decisions"], year["certificates"]) == (1, 0)  # none issued in 2024
    assert january["certificates"] == 1


# ---------------------------------------------------------------------------------------------
# Quality ratings and term targets
# ---------------------------------------------------------------------------------------------


def rate(
    year: int, unit: Unit, level: str, status: str = RatingStatus.DECIDED, *, member=None, kind=None
) -> Rating:
    return Rating.objects.create(
        year=year,
        subject_kind=kind or (SubjectKind.MEMBER if member is not None else SubjectKind.ORGANISATION),
        member=member,
        subject_unit=None if member is not None else unit,
        unit=unit,
        quota_unit=unit,
        status=status,
        level=level if status == RatingStatus.DECIDED else "",
        proposed_level=level,
    )


@pytest.fixture
def ratings(world: World) -> None:
    """2024: Lan excellent, Hoa good (Phước Thạnh), Sơn good (Long Hòa, Tân Thạch's on 31/12),
    Cư done (kept by Tân Thạnh), Mai not done; Phước Thạnh's organisation excellent. Not decided:
    Tâm (proposed), Long Hòa (self-assessed). An Khánh's committee (leadership) is no figure.
    2023: Lan good, Phước Thạnh good."""
    rate(2024, world.phuoc_thanh, Level.EXCELLENT, member=world.lan)
    rate(2024, world.phuoc_thanh, Level.GOOD, member=world.hoa)
    rate(2024, world.long_hoa, Level.GOOD, member=world.son)
    rate(2024, world.tan_thanh, Level.DONE, member=world.cu)
    rate(2024, world.women, Level.NOT_DONE, member=world.mai)
    rate(2024, world.tan_thanh, Level.DONE, RatingStatus.PROPOSED, member=world.tam)
    rate(2024, world.phuoc_thanh, Level.EXCELLENT)
    rate(2024, world.long_hoa, Level.GOOD, RatingStatus.SELF_ASSESSED)
    rate(2024, world.an_khanh, Level.EXCELLENT, kind=SubjectKind.LEADERSHIP)
    rate(2023, world.phuoc_thanh, Level.GOOD, member=world.lan)
    rate(2023, world.phuoc_thanh, Level.GOOD)


def test_ratings_count_decided_ones_of_the_years_whose_31_december_is_in_the_period(world: World, ratings):
    assert pick(values(world.district, YEAR), "ratings.") == {
        "members.excellent": 1,
        "members.good": 2,
        "members.done": 1,
        "members.not_done": 1,
        "organisations.excellent": 1,
        "organisations.good": 0,
        "organisations.done": 0,
        "organisations.not_done": 0,
    }
    # Sơn's cell hung under Tân Thạch on 31/12/2024.
    an_khanh = pick(values(world.an_khanh, YEAR), "ratings.")
    tan_thach = pick(values(world.tan_thach, YEAR), "ratings.")
    assert (an_khanh["members.excellent"], an_khanh["members.good"], an_khanh["organisations.excellent"]) == (
        1,
        1,
        1,
    )
    assert (tan_thach["members.good"], tan_thach["members.done"]) == (1, 1)
    # 2023's ratings, in the period before and in any period holding 31/12/2023.
    before = pick(previous_values(world.district, YEAR), "ratings.")
    assert (before["members.good"], before["organisations.good"], before["members.excellent"]) == (1, 1, 0)
    straddling = pick(values(world.district, Period(D(2023, 7, 1), D(2024, 6, 30))), "ratings.")
    assert (straddling["members.good"], straddling["organisations.good"]) == (1, 1)
    assert sum(pick(values(world.district, Period(D(2023, 12, 31), D(2024, 1, 1))), "ratings.").values()) == 2
    # Without a 31 December, no year is counted.
    assert sum(pick(values(world.district, Period(D(2024, 1, 2), D(2024, 12, 30))), "ratings.").values()) == 0
    assert sum(pick(values(world.district, FIRST_HALF), "ratings.").values()) == 0


@pytest.fixture
def targets(world: World) -> None:
    """Châu Thành's term 2020–2025: 4 hamlet cells "trong sạch, vững mạnh toàn diện" (labels:
    2023 Phước Thạnh; 2024 Phước Thạnh and Tân Thạnh, and the women's cell, not a hamlet cell),
    and a target entered by hand (12 in 2024)."""
    Unit.objects.filter(pk__in=[world.phuoc_thanh.pk, world.tan_thanh.pk, world.long_hoa.pk]).update(
        residential=True
    )
    term = Term.objects.get(unit=world.district)
    label = LabelKind.objects.get(code="tsvm-toan-dien")
    TermTarget.objects.create(
        term=term,
        position=1,
        text="4 chi bộ ấp trong sạch, vững mạnh toàn diện",
        indicator=Indicator.CELLS_LABELLED,
        label=label,
        target=Decimal(4),
        measure="chi bộ",
    )
    entered = TermTarget.objects.create(
        term=term,
        position=2,
        text="10 mô hình dân vận khéo",
        indicator=Indicator.ENTERED,
        target=Decimal(10),
        measure="mô hình",
    )
    TargetActual.objects.create(
        target=entered, year=2024, value=Decimal(12), evidence="Báo cáo 15-BC/HU", entered_on=D(2024, 12, 20)
    )
    for unit, year in (
        (world.phuoc_thanh, 2023),
        (world.phuoc_thanh, 2024),
        (world.tan_thanh, 2024),
        (world.women, 2024),
    ):
        UnitLabel.objects.create(
            unit=unit, kind=label, year=year, granted_on=D(year, 12, 20), granted_by=world.district
        )


def test_term_targets_are_read_on_the_periods_last_day(world: World, targets):
    report = compute_report(world.district, YEAR, TODAY)
    labelled, entered = report.line("targets.cells_labelled"), report.line("targets.entered")

    assert pick(values(world.district, YEAR), "targets.") == {
        "cells_labelled": Decimal(2),
        "entered": Decimal(12),
    }
    assert (labelled.figure.target, labelled.figure.achievement, labelled.figure.drillable) == (
        Decimal(4),
        Decimal("50.00"),
        True,
    )
    assert labelled.previous == Decimal(1)  # 2023: Phước Thạnh
    assert (entered.figure.achievement, entered.figure.drillable) == (Decimal("120.00"), False)
    cells = family_of("targets.cells_labelled").records(
        "targets.cells_labelled", Context(world.district, YEAR, TODAY)
    )
    assert {unit.name for unit in cells.queryset} == {"Chi bộ ấp Phước Thạnh", "Chi bộ ấp Tân Thạnh"}
    # A commune without a term target has none.
    assert pick(values(world.an_khanh, YEAR), "targets.") == {}


# ---------------------------------------------------------------------------------------------
# Savings funds
# ---------------------------------------------------------------------------------------------


def open_fund(unit: Unit, opened_on: dt.date) -> Fund:
    return funds.open_fund(
        actor=None,
        unit=unit,
        name=f"Quỹ tiết kiệm {unit.name}",
        purpose="Đỡ đầu trẻ mồ côi",
        opened_on=opened_on,
        monthly_amount=50_000,
    )


def add_child(fund: Fund, name: str, start: dt.date, end: dt.date | None = None):
    return funds.add_beneficiary(
        actor=None,
        fund=fund,
        full_name=name,
        birth_year=2015,
        commune="xã An Khánh",
        hamlet="ấp Phước Thạnh",
        situation="Mồ côi cha.",
        guardian_name="Lê Thị Mến",
        guardian_relation="mẹ",
        sponsored_from=start,
        sponsored_to=end,
        scheduled_amount=1_200_000,
        every_months=3,
    )


def save(fund: Fund, month: dt.date, members, day: dt.date) -> list[LedgerEntry]:
    return funds.record_contributions(
        actor=None, fund=fund, month=month, member_ids=[m.pk for m in members], day=day
    ).entries


def pay(child, day: dt.date, person: Person):
    return funds.record_disbursement(
        actor=None, child=child, day=day, amount=1_200_000, handed_by=person, received_by="Lê Thị Mến"
    ).entry


@pytest.fixture
def savings(world: World) -> Fund:
    """The women's cell's fund (opened 01/12/2023, 50.000 đ a month):

    - savings: Mai's December on 31/12/2023; Mai's and Thu's January on 01/01/2024; Mai's
      February on 10/02/2024, reversed on 20/02/2024; Thu's December on 31/12/2024; Mai's
      January 2025 on 01/01/2025;
    - a donation of 3.000.000 đ on 01/03/2024;
    - Bé An sponsored from 01/01/2024: 1.200.000 đ paid on 05/04 (reversed on 06/04, paid again on
      08/04) and on 05/07/2024.

    Phước Thạnh's fund (opened 01/06/2024): a donation of 500.000 đ that day; Bé Bình sponsored in
    June 2024 only. Returns the women's fund."""
    women = open_fund(world.women, D(2023, 12, 1))
    hand = world.mai.person
    save(women, D(2023, 12, 1), [world.mai], D(2023, 12, 31))
    save(women, D(2024, 1, 1), [world.mai, world.thu], D(2024, 1, 1))
    (february,) = save(women, D(2024, 2, 1), [world.mai], D(2024, 2, 10))
    funds.reverse(actor=None, entry=february, reason="Ghi nhầm", day=D(2024, 2, 20))
    funds.record_donation(
        actor=None, fund=women, day=D(2024, 3, 1), amount=3_000_000, source="Hội LHPN huyện"
    )
    child = add_child(women, "Trần Ngọc An", D(2024, 1, 1))
    wrong = pay(child, D(2024, 4, 5), hand)
    funds.reverse(actor=None, entry=wrong, reason="Sai người nhận", day=D(2024, 4, 6))
    pay(child, D(2024, 4, 8), hand)
    pay(child, D(2024, 7, 5), hand)
    save(women, D(2024, 12, 1), [world.thu], D(2024, 12, 31))
    save(women, D(2025, 1, 1), [world.mai], D(2025, 1, 1))
    hamlet = open_fund(world.phuoc_thanh, D(2024, 6, 1))
    funds.record_donation(
        actor=None, fund=hamlet, day=D(2024, 6, 1), amount=500_000, source="Mạnh thường quân"
    )
    add_child(hamlet, "Lê Văn Bình", D(2024, 6, 1), D(2024, 6, 30))
    return women


def test_funds_sum_savings_donations_and_payments_a_reversal_under_what_it_undoes(world: World, savings):
    assert pick(values(world.district, YEAR), "funds.") == {
        "funds": 2,
        "savings": 150_000,  # 100.000 + 50.000 − 50.000 (reversed) + 50.000 on 31/12
        "donations": 3_500_000,
        "disbursements": 2_400_000,  # 3 × 1.200.000 − 1.200.000 (reversed)
        "balance": 1_300_000,  # 50.000 (31/12/2023) + 150.000 + 3.500.000 − 2.400.000
        "children": 2,
    }
    assert pick(previous_values(world.district, YEAR), "funds.") == {
        "funds": 1,  # Phước Thạnh's opened in 2024
        "savings": 50_000,  # 31/12/2023
        "donations": 0,
        "disbursements": 0,
        "balance": 50_000,
        "children": 0,
    }
    assert pick(values(world.an_khanh, YEAR), "funds.") == {
        "funds": 1,
        "savings": 0,
        "donations": 500_000,
        "disbursements": 0,
        "balance": 500_000,
        "children": 1,
    }


def test_funds_of_a_month_count_its_first_and_last_days_and_reversals_in_it(world: World, savings):
    january = pick(values(world.district, Period(D(2024, 1, 1), D(2024, 1, 31))), "funds.")
    february = pick(values(world.district, Period(D(2024, 2, 1), D(2024, 2, 29))), "funds.")
    april = pick(values(world.district, Period(D(2024, 4, 1), D(2024, 4, 30))), "funds.")
    december = pick(values(world.district, Period(D(2024, 12, 1), D(2024, 12, 31))), "funds.")

    assert (january["savings"], january["balance"]) == (100_000, 150_000)
    assert (
        pick(previous_values(world.district, Period(D(2024, 1, 1), D(2024, 1, 31))), "funds.")["savings"]
        == 50_000
    )
    assert february["savings"] == 0  # saved and reversed within the month
    assert april["disbursements"] == 1_200_000  # paid, reversed, paid again
    assert december["savings"] == 50_000  # 31/12; not Mai's of 01/01/2025
    # The children sponsored in the period are counted, never listed.
    ctx = Context(world.district, Period(D(2024, 6, 1), D(2024, 6, 30)), TODAY)
    children = next(f for f in FundsFamily().compute(ctx) if f.statistic.id == "funds.children")
    assert (children.value, children.drillable) == (2, False)
    assert FundsFamily().records("funds.children", ctx) is None
    # The balance opens to every entry up to the period's last day, and adds up to it; a payment
    # to a child names the child by initials only.
    assert (
        listed(FundsFamily(), "funds.balance", ctx)
        == pick(values(world.district, ctx.period), "funds.")["balance"]
    )
    balance = FundsFamily().records("funds.balance", ctx)
    assert all(entry.occurred_on <= D(2024, 6, 30) for entry in balance.queryset)
    paid_rows = [row for row in balance.queryset if row.beneficiary is not None]
    assert paid_rows
    assert all(balance.columns[4].text(row) == row.beneficiary.masked_label for row in paid_rows)
    # The list behind the payments adds up to the figure: 3 payments and a reversal in 2024.
    paid = FundsFamily().records("funds.disbursements", Context(world.district, YEAR, TODAY))
    assert sorted(entry.amount for entry in paid.queryset) == [-1_200_000, -1_200_000, -1_200_000, 1_200_000]
    assert listed(FundsFamily(), "funds.disbursements", Context(world.district, YEAR, TODAY)) == 2_400_000
    # The records page shows the same total under the list.
    line = compute_report(world.district, YEAR, TODAY).line("funds.disbursements")
    page = persona(world.district, Role.PROPAGANDA).client.get(line.records_url)
    assert (page.status_code, page.context["listed_total"], line.value) == (200, 2_400_000, 2_400_000)


def test_a_period_whose_savings_are_only_a_reversal_lists_the_same_total(world: World, savings):
    (january,) = LedgerEntry.objects.filter(fund=savings, member=world.thu, month=D(2024, 1, 1))
    funds.reverse(actor=None, entry=january, reason="Ghi nhầm tháng", day=D(2024, 3, 2))
    march = Period(D(2024, 3, 1), D(2024, 3, 31))
    line = compute_report(world.district, march, TODAY).line("funds.savings")
    assert line.value == -50_000

    page = persona(world.district, Role.PROPAGANDA).client.get(line.records_url)

    assert page.status_code == 200
    assert page.context["listed_total"] == line.value


def test_the_money_of_a_cell_merged_during_the_period_is_counted_once(world: World):
    closed = open_fund(world.ap_cu, D(2024, 1, 1))
    funds.record_donation(actor=None, fund=closed, day=D(2024, 2, 1), amount=300_000, source="Bà con ấp Cũ")

    assert pick(values(world.district, FIRST_HALF), "funds.")["donations"] == 300_000
    assert pick(values(world.district, YEAR), "funds.")["donations"] == 300_000


def test_the_money_of_a_cell_that_moved_counts_where_it_hung_on_each_entrys_date(world: World):
    moved = open_fund(world.long_hoa, D(2024, 1, 1))
    funds.record_donation(
        actor=None, fund=moved, day=D(2024, 3, 1), amount=400_000, source="Bà con ấp Long Hòa"
    )
    funds.record_donation(
        actor=None, fund=moved, day=D(2024, 8, 1), amount=100_000, source="Bà con ấp Long Hòa"
    )

    assert pick(values(world.an_khanh, YEAR), "funds.")["donations"] == 400_000
    assert pick(values(world.tan_thach, YEAR), "funds.")["donations"] == 100_000


# ---------------------------------------------------------------------------------------------
# The whole report on the whole world
# ---------------------------------------------------------------------------------------------


def test_every_drillable_figure_of_every_report_is_its_records(
    world: World, plans, commitments, practices, meetings, honours, ratings, targets, savings
):
    """Everything at once: no figure of one family is thrown off by another's records, and the
    roots above, beside and below the moves all agree with their lists."""
    for unit in (world.district, world.an_khanh, world.tan_thach):
        for period in (YEAR, Q3, Period(D(2023, 12, 31), D(2024, 1, 1))):
            found = values(unit, period)
            assert len(found) >= 45
