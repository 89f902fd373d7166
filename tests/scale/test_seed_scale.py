"""``manage.py seed_scale`` at a tiny size: what it promises, that a seed gives the same rows every
time, and that it refuses a province key already in the database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from lantoa.cells.models import Attendance, Meeting, MeetingKind, MeetingStatus
from lantoa.cells.queries.figures import HELD_STATUSES
from lantoa.documents import queries as documents
from lantoa.documents.models import Document, Filing, NumberSequence, Obligation
from lantoa.honours.counts import Counting
from lantoa.honours.models import Decision, Recognition, RecognitionKind, RoundVoter, VotingRound
from lantoa.org.models import Membership, PartyMember, Unit, UnitKind, UnitParentage
from lantoa.ratings.models import Level, Rating, RatingStatus, SubjectKind, TermTarget, UnitLabel
from lantoa.scale.digest import digest, digests
from lantoa.scale.tree import province_units

D = dt.date
KEY = "tinh-scale"
CELLS, MEMBERS = 30, 5
MONTHS = 36  # 05/2021–04/2024
YEARS = (2021, 2022, 2023)
REFORM = D(2025, 7, 1)

# The command reads no "today"; pinned all the same, so the test never runs on the clock's day.
pytestmark = [pytest.mark.django_db, pytest.mark.today(D(2026, 1, 15))]


def seed(*extra: str) -> str:
    out = io.StringIO()
    sizes = ("--cells", str(CELLS), "--members-per-cell", str(MEMBERS), "--seed", "7")
    call_command("seed_scale", *sizes, *extra, stdout=out)
    return out.getvalue()


class Rollback(Exception):
    pass


def seeded_then_rolled_back(*extra: str) -> dict[str, tuple[int, str]]:
    """The digest of a seed whose rows are then rolled back (the test's database is empty again)."""
    try:
        with transaction.atomic():
            seed(*extra)
            found = digests(KEY)
            raise Rollback
    except Rollback:
        pass
    assert not Unit.objects.filter(key=KEY).exists()
    return found


def test_the_tree_members_meetings_and_attendance_it_promises():
    output = seed("--digest")

    units = province_units(KEY)
    province = units.get(key=KEY)
    cells = units.filter(kind=UnitKind.CELL)
    assert cells.count() == CELLS
    assert "Seeded tinh-scale" in output
    # Districts until 30/6/2025; every committee under one until then, under the province after.
    districts = units.filter(kind=UnitKind.DISTRICT)
    assert districts.exists()
    assert set(districts.values_list("valid_to", flat=True)) == {REFORM - dt.timedelta(days=1)}
    committees = units.filter(kind__in=(UnitKind.COMMUNE, UnitKind.GRASSROOTS))
    for committee in committees:
        links = list(UnitParentage.objects.filter(unit=committee).order_by("valid_from"))
        assert [(link.parent.kind, link.valid_to) for link in links] == [
            (UnitKind.DISTRICT, REFORM - dt.timedelta(days=1)),
            (UnitKind.PROVINCE, None),
        ]
        assert links[1].parent_id == province.pk
        assert links[1].valid_from == REFORM
    assert UnitParentage.objects.filter(unit__in=cells, parent__in=committees, valid_to=None).count() == CELLS

    # Every member in their cell from before the window.
    members = PartyMember.objects.filter(memberships__unit__in=cells)
    assert members.count() == CELLS * MEMBERS
    assert not Membership.objects.filter(unit__in=cells, valid_from__gte=D(2021, 5, 1)).exists()

    # One regular meeting a month at most, held in most months; a thematic one a quarter at most.
    meetings = Meeting.objects.filter(unit__in=cells)
    regular = meetings.filter(kind=MeetingKind.REGULAR)
    assert not regular.values("unit", "period").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert 0.85 * CELLS * MONTHS <= regular.count() <= CELLS * MONTHS
    thematic = meetings.filter(kind=MeetingKind.THEMATIC)
    assert set(thematic.values_list("period__month", flat=True)) <= {3, 6, 9, 12}
    assert not thematic.values("unit", "period").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert 0.85 * CELLS * MONTHS / 3 <= thematic.count() <= CELLS * MONTHS / 3
    assert set(meetings.values_list("status", flat=True)) <= set(HELD_STATUSES)
    assert meetings.filter(status=MeetingStatus.APPROVED).count() > 0.9 * meetings.count()
    assert not meetings.exclude(period__range=(D(2021, 5, 1), D(2024, 4, 1))).exists()

    # Every member of the cell on the list of every held meeting, once.
    held = meetings.filter(status__in=HELD_STATUSES)
    assert Attendance.objects.filter(meeting__unit__in=cells).count() == MEMBERS * held.count()
    assert not held.annotate(n=Count("attendance")).exclude(n=MEMBERS).exists()

    # The figures the printed summary gives are the database's.
    assert f"cells.Attendance: {MEMBERS * held.count():,}" in output
    assert f"cells.Meeting: {meetings.count():,}" in output
    assert f"Digest: {digest(KEY)}" in output


def test_honours_and_ratings_it_promises():
    seed()
    units = province_units(KEY)
    cells = units.filter(kind=UnitKind.CELL)
    committees = units.filter(kind__in=(UnitKind.COMMUNE, UnitKind.GRASSROOTS))
    members = PartyMember.objects.filter(memberships__unit__in=cells)

    # Cells praise or introduce in December, after a bình xét at their December meeting whose
    # voters are the full members present; committees reward (Giấy khen) in January.
    recognitions = Recognition.objects.filter(decision__unit__in=units)
    assert recognitions.filter(decision__unit__in=cells).exists()
    cell_kinds = set(Decision.objects.filter(unit__in=cells).values_list("kind", flat=True))
    assert cell_kinds <= {RecognitionKind.INTRODUCE, RecognitionKind.PRAISE}
    assert set(Decision.objects.filter(unit__in=cells).values_list("decided_on__month", flat=True)) == {12}
    rewards = recognitions.filter(decision__kind=RecognitionKind.REWARD)
    assert rewards.exists()
    rewarding = set(rewards.values_list("decision__unit__kind", flat=True))
    assert rewarding <= {UnitKind.COMMUNE, UnitKind.GRASSROOTS}
    assert set(rewards.values_list("decision__decided_on__month", flat=True)) == {1}
    assert all(r.amount and r.coefficient for r in rewards)
    for round_ in VotingRound.objects.filter(meeting__unit__in=cells):
        present = Attendance.objects.filter(meeting=round_.meeting, status="present", full_member=True)
        voters = RoundVoter.objects.filter(round=round_)
        assert set(voters.values_list("member", flat=True)) == set(present.values_list("member", flat=True))
        assert round_.meeting.period.month == 12
    # A Giấy khen is a Party periodic reward: its subject was rated at the top level that year.
    for recognition in rewards.select_related("decision", "nomination__subject_person__party_member"):
        member = recognition.nomination.subject_person.party_member
        assert Rating.objects.get(member=member, year=recognition.decision.year).level == Level.EXCELLENT
    # Every decision is numbered in its unit's register, the counters left where numbering goes on.
    decisions = Decision.objects.filter(unit__in=units)
    assert Document.objects.filter(honours_decision__in=decisions).count() == decisions.count()
    assert NumberSequence.objects.filter(issuer_key__startswith="unit:").exists()
    # The product's own counting finds them (the review reports' figure).
    figure = Counting(units.get(key=KEY), D(2021, 5, 1), D(2024, 4, 30)).by_cells_under_committees()
    assert figure.individuals > 0

    # A decided rating per member per year, one per cell and per committee.
    for year in YEARS:
        rated = Rating.objects.filter(year=year, status=RatingStatus.DECIDED)
        assert rated.filter(subject_kind=SubjectKind.MEMBER, member__in=members).count() == CELLS * MEMBERS
        assert rated.filter(subject_kind=SubjectKind.ORGANISATION, subject_unit__in=cells).count() == CELLS
        assert rated.filter(subject_kind=SubjectKind.ORGANISATION, subject_unit__in=committees).count() == (
            committees.count()
        )
    assert UnitLabel.objects.filter(unit__in=cells).exists()
    assert TermTarget.objects.filter(term__unit__key=KEY).count() == 3


def test_plans_filed_on_time_late_or_never():
    seed()
    province = province_units(KEY).get(key=KEY)

    # One obligation a year, set by the province for its cells, due within the window.
    obligations = list(Obligation.objects.filter(unit=province).order_by("year"))
    assert [o.year for o in obligations] == list(YEARS)
    assert all(o.target_kinds == [UnitKind.CELL] for o in obligations)
    assert all(D(2021, 5, 1) <= o.deadline <= D(2024, 4, 30) for o in obligations)
    # Each filing is a plan (KH) of the cell itself, in the cell's register.
    filings = Filing.objects.filter(obligation__in=obligations).select_related("document", "unit")
    assert filings.exists()
    for filing in filings:
        assert filing.document.issuer_unit_id == filing.unit_id
        assert filing.document.type_code == "KH"
        assert filing.unit.kind == UnitKind.CELL
    counters = NumberSequence.objects.filter(type_code="KH", issuer_key__startswith="unit:")
    assert sum(c.last_number for c in counters) == filings.count()
    # The compliance page's own counting sees cells on time, late and never filed.
    statuses = [documents.compliance(o, D(2026, 1, 15)).totals[province.pk] for o in obligations]
    assert all(s.total == CELLS for s in statuses)
    assert sum(s.on_time for s in statuses) > sum(s.late for s in statuses) > 0
    assert sum(s.missing for s in statuses) > 0
    assert sum(s.filed for s in statuses) == filings.count()


def test_the_same_seed_gives_the_same_rows():
    first = seeded_then_rolled_back()
    other_seed = seeded_then_rolled_back("--seed", "8")
    seed()

    assert digests(KEY) == first
    assert first["attendance"][0] > 0
    assert first["filings"][0] > 0
    assert other_seed != first


def test_a_second_run_refuses_the_same_province_key():
    seed()
    units = Unit.objects.count()

    with pytest.raises(CommandError, match="already holds a province seeded with the key “tinh-scale”"):
        seed()

    assert Unit.objects.count() == units


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--years", "5", "--years"),
        ("--province-key", "Tỉnh Thử", "--province-key"),
        ("--members-per-cell", "2", "--members-per-cell"),
    ],
)
def test_options_out_of_range_are_refused(option: str, value: str, message: str):
    with pytest.raises(CommandError, match=message):
        seed(option, value)

    assert not Unit.objects.exists()
