"""Fairness of the rotation as a property: a cell of N members that always takes the
rotation's suggestion, month after month, with random absences, exemptions and late articles,
never leaves a member who could write waiting more than one full round of the cell.

Precisely: whenever a member was eligible (not passed over) at N consecutive monthly
assignments, one of those N assignments was theirs.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.cells.models import Article, ArticleStatus, AttendanceStatus, BulletinIssue
from lantoa.cells.queries.bulletin import rotation
from lantoa.org.models import ActivityExemption, UnitKind
from tests.cells.bulletin.conftest import held_meeting
from tests.factories import UnitFactory, member_in

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Đặng Thị Dung",
    "Võ Văn Em",
    "Ân Thị Gấm",
    "Bùi Văn Hai",
]


@st.composite
def histories(draw):
    size = draw(st.integers(min_value=2, max_value=len(NAMES)))
    rounds = draw(st.integers(min_value=size, max_value=3 * size))
    members = st.sets(st.integers(min_value=0, max_value=size - 1), max_size=size)
    return {
        "names": draw(st.permutations(NAMES))[:size],
        "absent": draw(st.lists(members, min_size=rounds, max_size=rounds)),
        "exempt": draw(
            st.lists(st.sets(st.integers(0, size - 1), max_size=2), min_size=rounds, max_size=rounds)
        ),
        # The author hands the article in only after the next month's assignment.
        "late": draw(st.lists(st.booleans(), min_size=rounds, max_size=rounds)),
    }


def _simulate(history):
    committee = UnitFactory(kind=UnitKind.DISTRICT)
    cell = UnitFactory(parent=committee)
    members = [member_in(cell, name=name) for name in history["names"]]
    issue = BulletinIssue.objects.create(
        unit=committee, number=1, period=dt.date(2020, 1, 1), deadline=dt.date(2020, 1, 20)
    )
    eligible, picks, waiting = [], [], None
    for month, (absent, exempt, late) in enumerate(
        zip(history["absent"], history["exempt"], history["late"], strict=True)
    ):
        first_day = dt.date(2020 + month // 12, month % 12 + 1, 1)
        statuses = {
            member: (AttendanceStatus.UNEXCUSED if i % 2 else AttendanceStatus.EXCUSED)
            if i in absent
            else AttendanceStatus.PRESENT
            for i, member in enumerate(members)
        }
        held_meeting(cell, first_day.replace(day=5), statuses)
        day = first_day.replace(day=10)
        ActivityExemption.objects.bulk_create(
            ActivityExemption(member=members[i], valid_from=day, valid_to=day) for i in exempt
        )

        turn = rotation(cell, day)

        eligible.append({entry.member_id for entry in turn.suggested})
        picks.append(turn.first.member_id if turn.first else None)
        if waiting is not None:  # last month's late article is handed in and published now
            Article.objects.filter(pk=waiting).update(status=ArticleStatus.PUBLISHED)
            waiting = None
        if turn.first:
            article = Article.objects.create(
                issue=issue,
                cell=cell,
                author_id=turn.first.member_id,
                topic="Học tập và làm theo Bác",
                assigned_on=day,
                due_on=day + dt.timedelta(days=10),
                status=ArticleStatus.SUBMITTED if late else ArticleStatus.PUBLISHED,
                by_rotation=True,
            )
            waiting = article.pk if late else None
    return [member.pk for member in members], eligible, picks


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_no_eligible_member_waits_more_than_one_full_round(db, history):
    member_ids, eligible, picks = _simulate(history)
    cycle = len(member_ids)

    for can_write, pick in zip(eligible, picks, strict=True):
        # Someone is always chosen when someone can write, and only among those who can.
        assert (pick is None) == (not can_write)
        assert pick is None or pick in can_write
    for member in member_ids:
        for start in range(len(picks) - cycle + 1):
            window = range(start, start + cycle)
            if all(member in eligible[month] for month in window):
                assert member in picks[start : start + cycle], (member, start, eligible, picks)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.permutations(NAMES))
def test_without_absences_everyone_writes_once_per_round(db, names):
    """With nobody passed over, N months give N different authors, then the same order again."""
    history = {"names": names, "absent": [set()] * 14, "exempt": [set()] * 14, "late": [False] * 14}
    member_ids, _eligible, picks = _simulate(history)

    assert sorted(picks[:7]) == sorted(member_ids)
    assert picks[7:] == picks[:7]
