"""The demo's exemplary people: the monthly bình xét of every cell, in full for the two cells with
full minutes (the three years of the seed's figures are in ``honours_years``).

- At every regular meeting of Chi bộ Hội LHPN huyện and Chi bộ ấp Phước Thạnh whose minutes are
  approved, the cell reviews last month's examples: one or two of its members put forward with
  what they did, voted on by show of hands by the full members present (those frozen as voters),
  a nominee who is present standing aside for their own name; nearly everyone in favour, now and
  then one against or abstaining. Every round is closed and published, its results computed by
  the same arithmetic as a live vote (``honours.tally``), each nomination marked passed or not.
- This month, Phước Thạnh has two nominations waiting for its meeting, which is still to be held:
  hold it, then "Đưa ra bình xét" on the meeting's page.

- Phước Thạnh proposes each quarter's examples to Đảng ủy xã An Khánh (tờ trình); the commune
  praises them by decision a few weeks later (the latest submission is left for the visitor), gives
  a Giấy khen to two of the oldest, with certificates; one of those is later revoked.

- Đảng ủy xã An Khánh's council lists last year's examples and, from 12 January, votes on them by
  secret ballot; the commune rewards three who passed.

Rounds of approved meetings are written in bulk (the services refuse to change an approved
meeting, rightly): the round's agenda item is part of the meeting's record from the start.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone

from lantoa.cells.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from lantoa.cells.services import meetings as meeting_services
from lantoa.documents.models import Commitment
from lantoa.honours import council, decisions, services, tally
from lantoa.honours.models import (
    AwardForm,
    Certificate,
    Decision,
    Nomination,
    NominationStatus,
    NominationStep,
    PeriodKind,
    Proposal,
    Recognition,
    RecognitionKind,
    RoundNominee,
    RoundStatus,
    RoundVoter,
    VoteBody,
    VoteMethod,
    VoteRuleSet,
    VotingRound,
)
from lantoa.honours.services import NOT_IN_BODY
from lantoa.lib.bulk import insert_objects
from lantoa.lib.vi import format_month_in_text, format_percent
from lantoa.org import services as org_services
from lantoa.org.models import CELL_KINDS, Person, PositionTitle, Unit
from lantoa.org.queries import memberships_on, subtree_ids

from . import honours_years
from .accounts import COMMUNE_SECRETARY
from .base import AuditBuffer, DemoContext, Step
from .cells.common import FULL_MINUTES, LHPN, PHUOC_THANH, current_month

# What a member did last month, as a cell writes it in a nomination (one line each).
ACHIEVEMENTS = (
    "Vận động 5 hộ hiến đất mở rộng đường nông thôn, tổng cộng 320 m².",
    "Đi đầu trong phong trào “Ngày Chủ nhật xanh”, cùng bà con phát quang 1,2 km đường ấp.",
    "Giúp 3 hộ nghèo vay vốn, hướng dẫn trồng bưởi da xanh, nay đã có thu nhập ổn định.",
    "Nhận đỡ đầu một cháu mồ côi, đóng góp 500.000 đ mỗi tháng vào quỹ tiết kiệm của chi bộ.",
    "Hòa giải thành 2 vụ tranh chấp đất đai trong ấp, không để khiếu kiện vượt cấp.",
    "Kể chuyện về Bác tại buổi sinh hoạt chi bộ, được đảng viên và quần chúng học tập.",
    "Vận động đoàn viên, hội viên đóng góp 12 triệu đồng xây cầu bê tông qua kênh Xẻo Sơn.",
    "Thực hiện tốt cam kết tiết kiệm, không sử dụng túi ni lông trong sinh hoạt gia đình.",
    "Tích cực tham gia tuần tra an ninh trật tự, phát hiện và báo tin 1 vụ trộm cắp.",
    "Hướng dẫn chị em phụ nữ làm sản phẩm từ dừa, giúp 6 chị có thêm việc làm.",
)

User = get_user_model()


def is_loaded() -> bool:
    return Nomination.objects.exists()


def _previous_month(month: dt.date) -> tuple[dt.date, dt.date]:
    last_day = month - dt.timedelta(days=1)
    return last_day.replace(day=1), last_day


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    rng = ctx.rng("honours")
    rules = VoteRuleSet.objects.filter(body=VoteBody.CELL).order_by("valid_from").first()
    assert rules is not None  # seeded by the honours migration
    cells = {unit.key: unit for unit in Unit.objects.filter(key__in=FULL_MINUTES)}
    nominations, rounds = _monthly_votes(rng, rules.rule, rules)
    waiting = _this_months_nominations(rng, cells[PHUOC_THANH])
    insert_objects(Nomination, waiting)
    insert_objects(
        NominationStep,
        [
            NominationStep(nomination=n, day=n.nominated_on, unit=n.unit, status=NominationStatus.NOMINATED)
            for n in waiting
        ],
    )
    audit = AuditBuffer()
    audit.created(
        ((n, n.unit) for n in waiting), ("subject_person", "period_start", "achievements", "status")
    )
    audit.flush()
    cited = _cite_commitments()
    three_years = honours_years.build(rng)
    proposals = _propose_last_quarters(cells[PHUOC_THANH])
    _commune_decides(proposals)
    council_listed, council_passed = _year_end_council(cells[PHUOC_THANH])
    practices, replications = _good_practices(rng, cells)
    return [
        ("nominations", nominations + len(waiting)),
        ("bình xét rounds", rounds),
        ("nominations citing a commitment", cited),
        *three_years,
        ("proposals upward", Proposal.objects.count()),
        ("decisions", Decision.objects.count()),
        ("certificates", Certificate.objects.count()),
        ("on last year's council list", council_listed),
        ("passed by the council", council_passed),
        ("good practices", practices),
        ("replications", replications),
    ]


# How many of a cell's members are put forward at a monthly meeting outside the seed's plan (the
# two cells with full minutes review one or two every month), and how often a collective is.
USUAL_NOMINEES = ((0, 0.72), (1, 0.24), (2, 0.04))
COLLECTIVE_SHARE = 0.02
# A nominee now and then does not pass (most of the hands against).
FAILING_SHARE = 0.04


def _usual_nominees(rng: random.Random, unit_key: str) -> tuple[int, int]:
    if unit_key in FULL_MINUTES:
        return (2 if rng.random() < 0.35 else 1), 0
    draw, individuals = rng.random(), 0
    for count, share in USUAL_NOMINEES:
        if draw < share:
            individuals = count
            break
        draw -= share
    return individuals, int(rng.random() < COLLECTIVE_SHARE)


def _monthly_votes(rng: random.Random, rule: Any, rules: VoteRuleSet) -> tuple[int, int]:
    """The bình xét at every cell's approved regular meetings: the members put forward (and now and
    then a collective of the hamlet or agency), voted on by show of hands by the full members
    present, a nominee standing aside for their own name. From 05/2021 to 12/2023 the cells under
    grassroots committees pass exactly the seed's examples (``honours_years.plan_nominees``);
    elsewhere and after, as it comes. Written in bulk: the services refuse to change an approved
    meeting, rightly, and a round is part of its meeting's record from the start."""
    meetings = list(
        Meeting.objects.filter(
            unit__kind__in=CELL_KINDS, kind=MeetingKind.REGULAR, status=MeetingStatus.APPROVED
        )
        .select_related("unit")
        .order_by("date", "pk")
    )
    attendance: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for meeting_id, member_id, person_id, status in (
        Attendance.objects.filter(meeting__in=meetings, full_member=True)
        .order_by("pk")
        .values_list("meeting_id", "member_id", "member__person_id", "status")
        .iterator(chunk_size=20_000)
    ):
        attendance[meeting_id].append((member_id, person_id, status))
    units = {m.unit_id: m.unit for m in meetings}
    last_order = dict(
        AgendaItem.objects.filter(meeting__in=meetings)
        .values("meeting")
        .annotate(last=Max("order"))
        .values_list("meeting", "last")
    )

    def body_and_present(meeting: Meeting) -> tuple[int, list[tuple[int, int, str]]]:
        rows = attendance[meeting.pk]
        present = [row for row in rows if row[2] == AttendanceStatus.PRESENT]
        return sum(1 for row in rows if row[2] not in NOT_IN_BODY), present

    def passes(body_size: int, voters: int, counted: int) -> bool:
        marks = tally.Marks(counted, 0, 0)
        return tally.outcome(
            rule, body_size=body_size, voters=voters, marks=marks, recused=counted < voters
        ).passed

    slots = []
    for meeting in meetings:
        body_size, present = body_and_present(meeting)
        passable = len(present) >= 2 and passes(body_size, len(present), len(present) - 1)
        slots.append(honours_years.Slot(meeting, units[meeting.unit_id], len(present), passable))
    plan = honours_years.plan_nominees(rng, slots)
    nominations, steps, items, rounds, voters, entries = [], [], [], [], [], []
    chosen: list[tuple[AgendaItem, list[Nomination], list[RoundNominee]]] = []
    examples = honours_years.assign_examples(
        rng, slots, plan, {m.pk: [row[1] for row in body_and_present(m)[1]] for m in meetings if m.pk in plan}
    )
    for meeting in meetings:
        unit = units[meeting.unit_id]
        body_size, present = body_and_present(meeting)
        if len(present) < 2:
            continue
        planned = plan.get(meeting.pk)
        if planned is not None:  # the review's window: who passes is settled beforehand
            chosen_ids, collective_names = examples[meeting.pk]
            individuals, collectives = len(chosen_ids), len(collective_names)
        else:
            individuals, collectives = _usual_nominees(rng, unit.key)
        # Now and then one more is put forward and does not pass (never in place of a planned one).
        failing = int(rng.random() < FAILING_SHARE and individuals + 1 <= len(present) - 1)
        individuals += failing
        if not individuals and not collectives:
            continue
        start, end = _previous_month(meeting.period)
        moment = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(20, 30)))
        item = AgendaItem(
            meeting=meeting,
            order=last_order.get(meeting.pk, 0) + 1,
            kind=AgendaKind.OTHER,
            title=f"Bình xét gương điển hình tháng {format_month_in_text(meeting.period)}",
        )
        voting_round = VotingRound(
            meeting=meeting,
            item=item,
            rules=rules,
            method=VoteMethod.HANDS,
            status=RoundStatus.PUBLISHED,
            body_size=body_size,
            opened_at=moment,
            closed_at=moment,
        )
        rounds.append(voting_round)
        voters += [RoundVoter(round=voting_round, member_id=member_id) for member_id, _p, _s in present]
        if planned is not None:
            planned_people = [row for row in present if row[1] in chosen_ids]
        else:
            collective_names = honours_years.collective_names(rng, unit, collectives)
            planned_people = rng.sample(present, individuals - failing)
        rest = [row for row in present if row not in planned_people]
        extra = rng.sample(rest, failing) if failing and rest else []
        failing, individuals = len(extra), len(planned_people) + len(extra)
        subjects: list[tuple[int | None, str]] = [
            (person_id, "") for _m, person_id, _s in planned_people + extra
        ] + [(None, name) for name in collective_names]
        made, made_entries = [], []
        for order, (subject_id, name) in enumerate(subjects, start=1):
            recused = subject_id is not None
            counted = len(present) - 1 if recused else len(present)
            fails = failing and order == individuals
            if fails:
                against = counted // 2 + 1
                marks = tally.Marks(counted - against, against, 0)
            elif planned is not None:
                marks = tally.Marks(counted, 0, 0)
            else:
                against = 1 if rng.random() < 0.08 and counted > 2 else 0
                abstain = 1 if rng.random() < 0.05 and counted - against > 2 else 0
                marks = tally.Marks(counted - against - abstain, against, abstain)
            result = tally.outcome(
                rule, body_size=body_size, voters=len(present), marks=marks, recused=recused
            )
            nomination = Nomination(
                unit=unit,
                holder=unit,
                subject_person_id=subject_id,
                subject_name=name,
                period_kind=PeriodKind.MONTH,
                period_start=start,
                period_end=end,
                achievements=rng.choice(ACHIEVEMENTS if recused else honours_years.COLLECTIVE_ACHIEVEMENTS),
                nominated_on=meeting.period,
                status=NominationStatus.PASSED if result.passed else NominationStatus.NOT_PASSED,
            )
            entry = RoundNominee(
                round=voting_round,
                nomination=nomination,
                order=order,
                recused=recused,
                votes_for=marks.votes_for,
                votes_against=marks.votes_against,
                votes_abstain=marks.abstain,
                percent=result.percent,
                passed=result.passed,
            )
            made.append(nomination)
            made_entries.append(entry)
            steps.append(
                NominationStep(
                    nomination=nomination, day=meeting.period, unit=unit, status=NominationStatus.NOMINATED
                )
            )
            steps.append(
                NominationStep(
                    nomination=nomination,
                    day=meeting.date,
                    unit=unit,
                    status=nomination.status,
                    note=_step_note(marks.votes_for, result.base),
                )
            )
        nominations += made
        entries += made_entries
        items.append(item)
        chosen.append((item, made, made_entries))
    # The people as objects, once: the audit reads each nomination's person by name.
    people = Person.objects.in_bulk({n.subject_person_id for n in nominations if n.subject_person_id})
    for nomination in nominations:
        if nomination.subject_person_id is not None:
            nomination.subject_person = people[nomination.subject_person_id]
    names = {pk: person.full_name for pk, person in people.items()}
    for item, made, made_entries in chosen:
        _write_minutes(item, made, made_entries, names)
    for model, objects in (
        (Nomination, nominations),
        (NominationStep, steps),
        (AgendaItem, items),
        (VotingRound, rounds),
        (RoundVoter, voters),
        (RoundNominee, entries),
    ):
        insert_objects(model, objects)
    audit = AuditBuffer()
    audit.created(
        ((n, n.unit) for n in nominations),
        ("subject_person", "subject_name", "period_start", "achievements", "status"),
    )
    audit.created(((r, units[r.meeting.unit_id]) for r in rounds), ("status", "method", "body_size"))
    audit.flush()
    return len(nominations), len(rounds)


def _cite_commitments() -> int:
    """A nominee of the two cells with full minutes who registered commitments that year has the
    first of them cited on the nomination (what the council reads beside the achievements)."""
    first = {
        (person_id, year): pk
        for pk, person_id, year in Commitment.objects.filter(position=1).values_list(
            "pk", "member__person_id", "year"
        )
    }
    through = Nomination.commitments.through
    rows = [
        through(nomination_id=pk, commitment_id=first[person_id, start.year])
        for pk, person_id, start in Nomination.objects.filter(
            unit__key__in=FULL_MINUTES, subject_person__isnull=False
        ).values_list("pk", "subject_person_id", "period_start")
        if (person_id, start.year) in first
    ]
    through.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _write_minutes(
    item: AgendaItem, nominations: list[Nomination], entries: list[RoundNominee], names: dict[int, str]
) -> None:
    """The item's record in the meeting's minutes, as a clerk writes it."""

    def called(nomination: Nomination) -> str:
        if nomination.subject_person_id is None:
            return f"tập thể {nomination.subject_name}"
        return f"đồng chí {names.get(nomination.subject_person_id, '')}"

    item.content = "\n".join(f"Chi ủy giới thiệu {called(n)}: {n.achievements}" for n in nominations)
    passed = [called(n) for n, e in zip(nominations, entries, strict=True) if e.passed]
    item.conclusion = (
        "Chi bộ thống nhất biểu dương " + ", ".join(passed) + "." if passed else "Chưa có trường hợp đạt."
    )


def _propose_last_quarters(cell: Unit, quarters: int = 4) -> list[Proposal]:
    """Phước Thạnh proposes what it passed in each of the last quarters before this one to its
    commune's committee (tờ trình numbered in its register), where they wait to be considered."""
    month = current_month()
    this_quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    by_quarter: dict[dt.date, list[Nomination]] = defaultdict(list)
    for nomination in Nomination.objects.filter(
        holder=cell, status=NominationStatus.PASSED, nominated_on__lt=this_quarter
    ).select_related("subject_person"):
        day = nomination.nominated_on
        by_quarter[day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)].append(nomination)
    made = []
    for start in sorted(by_quarter)[-quarters:]:
        end = (start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
        to_unit = services.proposal_targets(cell, end)[0]
        made.append(
            services.forward_nominations(
                actor=None, from_unit=cell, to_unit=to_unit, nominations=by_quarter[start], proposed_on=end
            )
        )
    return made


QUARTER_REWARD_REASON = (
    "có thành tích tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
YEAR_REWARD_REASON = "tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def _commune_decides(proposals: list[Proposal]) -> tuple[int, int]:
    """The commune's committee decides on what the cell proposed, a few weeks after each
    submission except the latest (left for the visitor to decide): it praises everyone proposed,
    and gives a Giấy khen to the first two of the oldest submission, with certificates. One of
    those is later revoked (discipline re-rated the member's year), as happens."""
    proposals = proposals[:-1]
    today = timezone.localdate()
    made = printed = 0
    for number, proposal in enumerate(proposals):
        unit, nominations = proposal.to_unit, list(proposal.nominations.all())
        day = min(proposal.proposed_on + dt.timedelta(days=20), today)
        praise = decisions.issue_decision(
            actor=None,
            unit=unit,
            kind=RecognitionKind.PRAISE,
            nominations=nominations,
            decided_on=day,
            year=proposal.proposed_on.year,
            reason=f"tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
            f"quý {(proposal.proposed_on.month - 1) // 3 + 1}/{proposal.proposed_on.year}",
        )
        printed += len(decisions.issue_certificates(actor=None, decision=praise, day=day))
        made += 1
        if number:
            continue
        reward = decisions.issue_decision(
            actor=None,
            unit=unit,
            kind=RecognitionKind.REWARD,
            form=AwardForm.objects.get(code="party-giay-khen"),
            nominations=[n for n in nominations if n.subject_person_id is not None][:2],
            decided_on=day,
            year=proposal.proposed_on.year,
            reason=QUARTER_REWARD_REASON,
        )
        printed += len(decisions.issue_certificates(actor=None, decision=reward, day=day))
        made += 1
        revoked = reward.recognitions.order_by("order").last()
        if revoked is not None and day < today:
            decisions.revoke_recognition(
                actor=None,
                recognition=revoked,
                day=min(day + dt.timedelta(days=30), today),
                reason="Bị kỷ luật khiển trách; xếp loại lại chất lượng năm",
            )
    return made, printed


def _year_end_council(cell: Unit) -> tuple[int, int]:
    """Đảng ủy xã An Khánh's council (three members of its other cells) and its list of last year,
    assembled from the votes; when this year's 12 January has come, the council's session that
    day votes by secret ballot on the list (everyone present, all in favour but one abstention for
    the last name) and the commune gives a Giấy khen to the first three who passed."""
    commune = services.proposal_targets(cell, timezone.localdate())[0]
    today = timezone.localdate()
    others = [
        m.member
        for m in memberships_on(subtree_ids(commune, today) - {cell.pk, commune.pk}, today)
        if m.member.is_full_member_on(today)
    ][:3]
    for number, member in enumerate(others):
        org_services.appoint(
            actor=None,
            person=member.person,
            unit=commune,
            title=PositionTitle.COUNCIL_CHAIR if number == 0 else PositionTitle.COUNCIL_MEMBER,
            valid_from=today.replace(year=today.year - 2, month=1, day=1),
        )
    council_list = council.assemble(actor=None, unit=commune, year=today.year - 1)
    listed = council_list.entries.count()
    session_day = dt.date(today.year, 1, 12)
    if len(others) < 3 or not listed or session_day > today:
        return listed, 0
    session = meeting_services.schedule_meeting(
        actor=None,
        unit=commune,
        kind=MeetingKind.COUNCIL,
        date=session_day,
        starts_at=dt.time(8, 0),
        ends_at=dt.time(9, 30),
        place="Hội trường Đảng ủy xã",
        chair=others[0].person,
        clerk=others[1].person,
    )
    meeting_services.set_meeting_status(
        actor=None, meeting=session, status=MeetingStatus.HELD, today=session_day
    )
    nominations = services.nominations_awaiting_vote(session)
    voting_round = services.open_round(
        actor=None, voting_round=services.prepare_round(actor=None, meeting=session, nominations=nominations)
    )
    voters = voting_round.voters.count()
    services.record_slips(actor=None, voting_round=voting_round, issued=voters, returned=voters, valid=voters)
    entries = list(voting_round.nominees.order_by("order"))
    for number, entry in enumerate(entries):
        abstain = 1 if number == len(entries) - 1 else 0
        counted = voters - 1 if entry.recused else voters  # a council member on the list stands aside
        services.record_tally(
            actor=None, entry=entry, votes_for=counted - abstain, votes_against=0, votes_abstain=abstain
        )
    services.close_round(actor=None, voting_round=voting_round)
    services.publish_round(actor=None, voting_round=voting_round)
    passed = [e.nomination for e in voting_round.nominees.filter(passed=True).order_by("order")]
    # The commune's secretary approves the session's minutes two days later, as the cells do.
    secretary = User.objects.filter(username=COMMUNE_SECRETARY).first()
    if secretary is not None and session_day + dt.timedelta(days=2) <= today:
        meeting_services.set_meeting_status(actor=secretary, meeting=session, status=MeetingStatus.APPROVED)
    decided_on = min(session_day + dt.timedelta(days=3), today)
    # Not twice the same reward for the same nomination (some were rewarded for their quarter).
    already = set(
        Recognition.objects.filter(
            decision__unit=commune, decision__kind=RecognitionKind.REWARD, revoked_on__isnull=True
        ).values_list("nomination_id", flat=True)
    )
    rewarded = [n for n in passed if n.subject_person_id is not None and n.pk not in already][:3]
    if rewarded:
        decision = decisions.issue_decision(
            actor=None,
            unit=commune,
            kind=RecognitionKind.REWARD,
            form=AwardForm.objects.get(code="party-giay-khen"),
            nominations=rewarded,
            decided_on=decided_on,
            year=today.year - 1,
            reason=f"{YEAR_REWARD_REASON} năm {today.year - 1}",
        )
        decisions.issue_certificates(actor=None, decision=decision, day=decided_on)
    return listed, len(passed)


# Good practices of the district (title, kind, what it is, a dated result), started by the two
# cells with full minutes and taken up by others.
PRACTICES = (
    (
        PHUOC_THANH,
        "Mô hình “Ngày Chủ nhật xanh”",
        "model",
        dt.date(2021, 8, 1),
        "Mỗi Chủ nhật cuối tháng, đảng viên cùng bà con phát quang, làm sạch đường ấp và kênh mương.",
        "30/12/2021: 12 km đường ấp được phát quang; 320 hộ tham gia.",
    ),
    (
        PHUOC_THANH,
        "Cách làm hay “Mỗi đảng viên nhận giúp một hộ khó khăn”",
        "method",
        dt.date(2022, 3, 1),
        "Mỗi đảng viên nhận theo dõi, giúp đỡ một hộ nghèo hoặc cận nghèo về cách làm ăn.",
        "31/12/2023: 14 hộ thoát nghèo.",
    ),
    (
        LHPN,
        "Mô hình “Tiết kiệm nuôi con đỡ đầu”",
        "model",
        dt.date(2021, 6, 1),
        "Đảng viên góp tiết kiệm hằng tháng để đỡ đầu trẻ mồ côi đến tuổi trưởng thành.",
        "31/12/2023: 9 cháu được đỡ đầu, tổng chi 126.000.000 đ.",
    ),
    (
        LHPN,
        "Sáng tạo “Kể chuyện Bác bằng tranh” ở chi hội phụ nữ",
        "initiative",
        dt.date(2022, 9, 2),
        "Mỗi buổi sinh hoạt chi hội kể một câu chuyện về Bác kèm tranh vẽ của thiếu nhi.",
        "30/06/2024: 40 buổi kể chuyện, 1.200 lượt người nghe.",
    ),
)


def _good_practices(rng: random.Random, cells: dict[str, Unit]) -> tuple[int, int]:
    """The practices above, each taken up by two to five other cells open in mid-2024."""
    others = list(
        Unit.objects.filter(kind__in=CELL_KINDS, valid_from__lte=dt.date(2022, 1, 1))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(2024, 6, 30)))
        .exclude(key__in=FULL_MINUTES)
        .order_by("key")
    )
    replications = 0
    for key, title, kind, started_on, description, results in PRACTICES:
        practice = services.record_practice(
            actor=None,
            unit=cells[key],
            title=title,
            kind=kind,
            started_on=started_on,
            description=description,
            results=results,
        )
        for unit in rng.sample(others, rng.randint(2, 5)):
            services.record_replication(
                actor=None,
                practice=practice,
                unit=unit,
                started_on=started_on + dt.timedelta(days=rng.randint(60, 700)),
            )
            replications += 1
    return len(PRACTICES), replications


def _step_note(votes_for: int, base: int) -> str:
    """As ``services.close_round`` writes it, in Vietnamese: "9/10 tán thành (90,00%)"."""
    return f"{votes_for}/{base} tán thành ({format_percent(votes_for, base)})"


def _this_months_nominations(rng: random.Random, cell: Unit) -> list[Nomination]:
    """Two members of Phước Thạnh put forward for last month, for the meeting still to be held."""
    month = current_month()
    start, end = _previous_month(month)
    people = list(
        Person.objects.filter(
            party_member__memberships__unit=cell,
            party_member__memberships__valid_from__lte=month,
            party_member__memberships__valid_to__isnull=True,
        ).order_by("search_text")[:12]
    )
    return [
        Nomination(
            unit=cell,
            holder=cell,
            subject_person=person,
            period_kind=PeriodKind.MONTH,
            period_start=start,
            period_end=end,
            achievements=rng.choice(ACHIEVEMENTS),
            nominated_on=month,
            status=NominationStatus.NOMINATED,
        )
        for person in rng.sample(people, min(2, len(people)))
    ]


STEP = Step("honours", is_loaded, build)
