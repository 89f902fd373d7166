"""The demo's monthly bình xét: every approved regular meeting of the two cells with full minutes
votes on last month's examples, the voters are the full members present at that meeting, the
results are what the vote arithmetic gives, and this month's nominations wait for the meeting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lantoa.accounts.models import User
from lantoa.cells.models import AttendanceStatus, Meeting, MeetingKind, MeetingStatus
from lantoa.demo import honours_years
from lantoa.demo.cells.common import FULL_MINUTES, PHUOC_THANH, current_month
from lantoa.demo.honours import QUARTER_REWARD_REASON, YEAR_REWARD_REASON
from lantoa.honours import counts, decisions
from lantoa.honours.models import (
    Certificate,
    CouncilList,
    Decision,
    GoodPractice,
    Nomination,
    NominationStatus,
    Proposal,
    Recognition,
    RecognitionKind,
    RoundStatus,
    VotingRound,
)
from lantoa.honours.queries import outcome_of
from lantoa.honours.services import nominations_awaiting_vote
from lantoa.org.models import Unit

# The seed's three years, by the decisions' dates: the quarterly flows of the demo come after.
REVIEW_START, REVIEW_END = honours_years.WINDOW


@pytest.mark.django_db
def test_demo_every_approved_regular_meeting_of_the_two_cells_holds_a_published_vote(demo):
    approved = Meeting.objects.filter(
        unit__key__in=FULL_MINUTES, kind=MeetingKind.REGULAR, status=MeetingStatus.APPROVED
    )
    rounds = VotingRound.objects.filter(meeting__in=approved)

    # Two cells, every month since 05/2021: about 90 when the demo is loaded in 2025, more later.
    assert rounds.count() == approved.count() > 80
    assert set(rounds.values_list("status", flat=True)) == {RoundStatus.PUBLISHED}
    # Every other cell votes at its approved regular meetings too; the only other vote is a
    # council's session (below).
    others = VotingRound.objects.exclude(meeting__in=approved)
    assert (
        others.filter(meeting__status=MeetingStatus.APPROVED, meeting__kind=MeetingKind.REGULAR).count()
        > 1000
    )
    assert not others.exclude(meeting__kind__in=(MeetingKind.REGULAR, MeetingKind.COUNCIL)).exists()


@pytest.mark.django_db
def test_demo_voters_are_the_full_members_present_and_results_follow_the_arithmetic(demo):
    for voting_round in VotingRound.objects.select_related("rules", "meeting").order_by("?")[:25]:
        present = set(
            voting_round.meeting.attendance.filter(
                status=AttendanceStatus.PRESENT, full_member=True
            ).values_list("member_id", flat=True)
        )
        assert set(voting_round.voters.values_list("member_id", flat=True)) == present
        for entry in voting_round.nominees.select_related("nomination"):
            result = outcome_of(voting_round, entry, len(present))
            assert (entry.percent, entry.passed) == (result.percent, result.passed)
            # Passed ones may have gone on to the commune since (tests below).
            expected = (
                {NominationStatus.PASSED, NominationStatus.FORWARDED, NominationStatus.RECOGNISED}
                if result.passed
                else {NominationStatus.NOT_PASSED}
            )
            assert entry.nomination.status in expected


@pytest.mark.django_db
def test_demo_this_months_nominations_wait_for_phuoc_thanhs_meeting(demo, client):
    meeting = Meeting.objects.get(unit__key=PHUOC_THANH, status=MeetingStatus.PLANNED, period=current_month())
    waiting = Nomination.objects.filter(unit=meeting.unit, status=NominationStatus.NOMINATED)

    assert waiting.count() == 2
    assert set(nominations_awaiting_vote(meeting)) == set(waiting)
    client.force_login(User.objects.get(username="bithu.phuocthanh"))
    page = client.get(reverse("honours:nominations"))
    assert page.status_code == 200
    names = {n.subject_label for n in page.context["page"].object_list}
    assert {n.subject_label for n in waiting} <= names


@pytest.mark.django_db
def test_demo_phuoc_thanh_proposes_each_quarters_examples_to_its_commune(demo, client):
    proposals = list(
        Proposal.objects.filter(from_unit__key=PHUOC_THANH, proposed_on__gt=REVIEW_END).select_related(
            "to_unit", "document"
        )
    )

    assert 1 <= len(proposals) <= 4
    for proposal in proposals:
        assert proposal.to_unit.key == "xa-an-khanh"
        assert proposal.document.type_code == "TTr"
        # Before the commune: waiting, decided on there, or passed by its council since.
        assert set(proposal.nominations.values_list("holder__key", flat=True)) == {"xa-an-khanh"}
        statuses = set(proposal.nominations.values_list("status", flat=True))
        assert statuses <= {NominationStatus.FORWARDED, NominationStatus.RECOGNISED, NominationStatus.PASSED}
    client.force_login(User.objects.get(username="bithu.phuocthanh"))
    page = client.get(reverse("honours:proposal", args=[proposals[0].public_id]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_demo_good_practices_are_found_without_accents_and_taken_up_by_other_cells(demo, client):
    practices = GoodPractice.objects.all()

    assert practices.count() == 4
    assert all(p.replications.count() >= 2 for p in practices)
    client.force_login(User.objects.get(username="bithu.phuocthanh"))
    found = client.get(reverse("honours:practices"), {"q": "ngay chu nhat xanh"})
    assert [p.title for p in found.context["page"].object_list] == ["Mô hình “Ngày Chủ nhật xanh”"]


@pytest.mark.django_db
def test_demo_the_commune_praises_and_rewards_with_certificates_one_revoked(demo, client):
    proposals = list(
        Proposal.objects.filter(from_unit__key=PHUOC_THANH, proposed_on__gt=REVIEW_END).order_by(
            "proposed_on"
        )
    )
    decided = Decision.objects.filter(unit__key="xa-an-khanh", decided_on__gt=REVIEW_END)

    # Every submission but the latest is decided on: praised; the oldest's first two also rewarded.
    assert decided.filter(kind=RecognitionKind.PRAISE).count() == len(proposals) - 1
    (reward,) = decided.filter(kind=RecognitionKind.REWARD, reason=QUARTER_REWARD_REASON)
    amounts = list(reward.recognitions.values_list("amount", flat=True))
    assert len(amounts) == 2
    assert set(amounts) == {decisions.amount_for(Decimal("0.3"), reward.base_salary)}
    assert reward.base_salary == decisions.base_salary_on(reward.decided_on).amount
    assert not proposals[-1].nominations.filter(status=NominationStatus.RECOGNISED).exists()
    certificates = Certificate.objects.filter(decision__in=decided)
    assert certificates.count() == Recognition.objects.filter(decision__in=decided).count()
    revoked = certificates.filter(recognition__revoked_on__isnull=False)
    assert revoked.count() <= 1  # revoked when the decision is older than today

    client.force_login(User.objects.get(username="bithu.ankhanh"))
    page = client.get(reverse("honours:decision", args=[reward.public_id]))
    assert page.status_code == 200
    assert not reward.periodic  # a reward for the programme needs no year's rating
    client.logout()
    certificate = (revoked or certificates).first()
    assert client.get(reverse("honours:verify_code", args=[certificate.code])).status_code == 200


@pytest.mark.django_db
def test_demo_an_khanhs_council_lists_last_year_and_votes_on_it_in_january(demo, client):
    today = timezone.localdate()
    council_list = CouncilList.objects.get(unit__key="xa-an-khanh", year=today.year - 1)
    listed = council_list.entries.filter(removed_on__isnull=True)
    assert listed.exists()
    # Every subject on it was passed by a vote under the commune last year.
    for entry in listed.select_related("nomination"):
        assert entry.nomination.period_start.year == today.year - 1
        assert entry.votes_passed >= 1
    sessions = VotingRound.objects.filter(meeting__unit__key="xa-an-khanh", meeting__kind=MeetingKind.COUNCIL)
    if today < dt.date(today.year, 1, 12):
        assert not sessions.exists()
        return
    (session,) = sessions
    assert session.status == RoundStatus.PUBLISHED
    assert session.method == "secret"
    assert session.nominees.count() == listed.count()
    reward = Decision.objects.get(
        unit__key="xa-an-khanh", kind=RecognitionKind.REWARD, reason__startswith=YEAR_REWARD_REASON
    )
    assert reward.recognitions.count() <= 3
    client.force_login(User.objects.get(username="bithu.ankhanh"))
    page = client.get(reverse("honours:council", args=[council_list.public_id]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_demo_records_count_to_the_seeds_three_year_figures(demo):
    """ "Qua 3 năm, các chi bộ trực thuộc đảng bộ cơ sở đã giới thiệu biểu dương 113 tập thể, 1.525
    cá nhân điển hình. Các chi bộ, đảng bộ cơ sở trực thuộc Huyện ủy khen thưởng 63 tập thể, 294 cá
    nhân; biểu dương 129 tập thể, 920 cá nhân." Counted from the recognitions, as reports count."""
    district = Unit.objects.get(key="chau-thanh")

    by_cells = counts.by_cells_under_committees(district, REVIEW_START, REVIEW_END)
    by_units = counts.by_units_directly_under(district, REVIEW_START, REVIEW_END)

    assert (by_cells.collectives, by_cells.individuals) == (113, 1525)
    rewarded, praised = by_units[RecognitionKind.REWARD], by_units[RecognitionKind.PRAISE]
    assert (rewarded.collectives, rewarded.individuals) == (63, 294)
    assert (praised.collectives, praised.individuals) == (129, 920)
    # The same member praised in several months is one subject: fewer people than recognitions.
    assert 0 < by_cells.distinct_individuals < by_cells.individuals
    cells_behind = [
        counts.recognitions_behind(
            district, REVIEW_START, REVIEW_END, level=counts.Level.CELLS, collectives=collectives
        )
        for collectives in (True, False)
    ]
    assert [behind.count() for behind in cells_behind] == [113, 1525]
    # Each recognition by a cell is of an example its members passed at a monthly bình xét.
    recognised = [r for behind in cells_behind for r in behind.select_related("nomination")][::97]
    for recognition in recognised:
        assert recognition.nomination.status in (NominationStatus.RECOGNISED, NominationStatus.FORWARDED)
        assert recognition.nomination.round_entries.filter(passed=True).exists()
    # Every reward of a unit under the Huyện ủy has its certificate.
    rewards = [
        counts.recognitions_behind(
            district,
            REVIEW_START,
            REVIEW_END,
            level=counts.Level.DIRECTLY_UNDER,
            kind=RecognitionKind.REWARD,
            collectives=collectives,
        )
        for collectives in (True, False)
    ]
    assert [behind.count() for behind in rewards] == [63, 294]
    assert not any(behind.filter(certificate__isnull=True).exists() for behind in rewards)


@pytest.mark.django_db
def test_demo_the_three_year_review_gives_five_members_and_eight_cells_a_giay_khen(demo, client):
    (review,) = Decision.objects.filter(unit__key="chau-thanh", decided_on=honours_years.REVIEW_DAY)

    assert review.kind == RecognitionKind.REWARD
    assert review.form is not None
    assert review.form.code == "party-giay-khen"
    people = review.recognitions.filter(nomination__subject_person__isnull=False)
    cells = review.recognitions.filter(nomination__subject_unit__isnull=False)
    assert (people.count(), cells.count()) == (5, 8)
    assert review.certificates.count() == 13
    assert review.document.number_line.endswith("-QĐ/HU")
    # Each came up from its commune with a tờ trình.
    for recognition in review.recognitions.select_related("nomination"):
        assert recognition.nomination.proposals.filter(to_unit__key="chau-thanh").exists()
    client.force_login(User.objects.get(username="tuyengiao"))
    page = client.get(reverse("honours:decision", args=[review.public_id]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_demo_nominations_cite_the_commitments_their_people_registered(demo, client):
    cited = Nomination.objects.filter(commitments__isnull=False, unit__key=PHUOC_THANH).distinct()

    assert cited.count() > 10
    nomination = cited.order_by("-nominated_on").first()
    for commitment in nomination.commitments.select_related("member"):
        assert commitment.member.person_id == nomination.subject_person_id
        assert commitment.year == nomination.period_start.year
    client.force_login(User.objects.get(username="bithu.phuocthanh"))
    page = client.get(reverse("honours:nomination", args=[nomination.public_id]))
    assert nomination.commitments.first().text in page.content.decode()
