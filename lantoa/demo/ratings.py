"""The demo's yearly quality ratings (2021–2024) and the Huyện ủy's term targets (2020–2025).

- Every December each cell reviews its members: a member assesses themself a few days before the
  cell's December meeting, the cell proposes a level for each at that meeting, and the grassroots
  organisation decides a week later, keeping the top level within its quota (a fifth of those at
  "Hoàn thành tốt nhiệm vụ", counted per grassroots organisation): a member proposed beyond it is
  decided one level lower. Members who joined their cell after its review meeting are rated from
  the next year; members the honours demo rewards (Giấy khen) for a year are at the top level that
  year wherever the quota allows, as a Party periodic reward requires.
- The same day the committee rates its cells, the top level only for a cell whose members all
  completed their tasks and four in five did well, within the same quota; the Huyện ủy's standing
  committee then rates the communes, grassroots committees and grassroots cells (Chi bộ Hội LHPN
  huyện "Hoàn thành xuất sắc nhiệm vụ" for 2023).
- Each commune grants its hamlet cells "Trong sạch, vững mạnh toàn diện" for the year: 41, 52, 60
  and 66 cells, against the term resolution's 47 (140,43% of the target).
- A member rewarded for 2023 is reprimanded in March 2024 for a violation of 2023: the year is
  re-rated "Không hoàn thành nhiệm vụ" and the Giấy khen flagged for the commune to review.

The members of Chi bộ ấp Phước Thạnh and Chi bộ Hội LHPN huyện, xã An Khánh's cells, the
grassroots organisations, the labels and the discipline go through the product's services, as a
user's would; the other ratings (about 14 000) are written in bulk as the services leave them, with
the audit rows of their three steps, and the services' own checks then count them (the quota,
a cell's members). 2025 has none: the district ended mid-year, and the year's review falls under
Quy định 366 (points), for the visitor to enter.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from lantoa.accounts.models import User
from lantoa.audit.models import AuditAction
from lantoa.audit.services import build_entry, diff
from lantoa.documents.models import Term
from lantoa.honours.models import Recognition, RecognitionKind
from lantoa.lib.bulk import insert_objects
from lantoa.lib.vi import format_date
from lantoa.org.models import Unit, UnitKind
from lantoa.ratings import rules as rating_rules
from lantoa.ratings import services
from lantoa.ratings.models import (
    LEVEL_ORDER,
    DisciplineForm,
    Indicator,
    LabelKind,
    Level,
    Rating,
    RatingRuleSet,
    RatingStatus,
    SubjectKind,
    TargetActual,
    TermTarget,
)
from lantoa.ratings.services import Entry

from . import ratings_plan
from .base import AUDIT_NOTE, AuditBuffer, DemoContext, Step
from .cells.common import LHPN, PHUOC_THANH
from .org import DISTRICT_KEY
from .ratings_plan import Body, Review

D = dt.date

YEARS = (2021, 2022, 2023, 2024)
TERM_NAME = "Nhiệm kỳ 2020–2025"
LABEL_CODE = "tsvm-toan-dien"
CELLS_TARGET = 47
# Through the services one by one: the members of these two cells (the others are written in bulk
# beside them, in the same decisions) and the cells of this commune.
SERVICE_CELLS = frozenset({PHUOC_THANH, LHPN})
SERVICE_COMMUNE = "xa-an-khanh"

# The Huyện ủy's standing committee rates the grassroots organisations (a Monday or so each year),
# with its decision's number in the term's register.
DISTRICT_DECIDES = {
    2021: (D(2021, 12, 27), 412),
    2022: (D(2022, 12, 26), 873),
    2023: (D(2023, 12, 25), 1326),
    2024: (D(2024, 12, 25), 1784),
}

DISCIPLINE_DAY = D(2024, 3, 15)
DISCIPLINE_REASON = (
    "Vi phạm Quy định số 37-QĐ/TW về những điều đảng viên không được làm: vay mượn, nợ nần kéo dài, "
    "không trả theo cam kết (năm 2023)"
)

TARGETS = (
    (
        "Đến cuối nhiệm kỳ có 47 chi bộ ấp, khu phố đạt trong sạch, vững mạnh toàn diện",
        Indicator.CELLS_LABELLED,
        Decimal(CELLS_TARGET),
        "chi bộ",
    ),
    (
        "Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ hằng năm đạt từ 15% trở lên",
        Indicator.MEMBERS_EXCELLENT,
        Decimal(15),
        "%",
    ),
    (
        (
            "Hằng năm 100% chi bộ đưa nội dung học tập và làm theo tư tưởng, đạo đức, phong cách "
            "Hồ Chí Minh vào sinh hoạt thường kỳ"
        ),
        Indicator.ENTERED,
        Decimal(100),
        "%",
    ),
)
# The entered target's yearly figures, from the Huyện ủy's year-end reports.
ENTERED = {
    2021: (Decimal("96.8"), "Báo cáo số 318-BC/HU ngày 10/12/2021 tổng kết công tác xây dựng Đảng năm 2021"),
    2022: (Decimal("98.4"), "Báo cáo số 402-BC/HU ngày 09/12/2022 tổng kết công tác xây dựng Đảng năm 2022"),
    2023: (Decimal("99.5"), "Báo cáo số 487-BC/HU ngày 08/12/2023 tổng kết công tác xây dựng Đảng năm 2023"),
    2024: (Decimal(100), "Báo cáo số 565-BC/HU ngày 10/12/2024 tổng kết công tác xây dựng Đảng năm 2024"),
}
# The district's propaganda officer enters the figures (a demo login).
TARGETS_CLERK = "tuyengiao"
TARGET_FIELDS = ("term", "position", "text", "indicator", "label", "target", "measure")
ACTUAL_FIELDS = ("target", "year", "value", "evidence", "entered_on", "entered_by")


def is_loaded() -> bool:
    return TermTarget.objects.filter(term__unit__key=DISTRICT_KEY).exists()


@dataclass
class Totals:
    members: Counter[tuple[int, str]] = field(default_factory=Counter)
    organisations: Counter[tuple[int, str]] = field(default_factory=Counter)
    labels: Counter[int] = field(default_factory=Counter)
    bulk: int = 0
    audit_rows: int = 0


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    rng = ctx.rng("ratings")
    district = Unit.objects.get(key=DISTRICT_KEY)
    label = LabelKind.objects.get(code=LABEL_CODE)
    targets = _term_targets(district, label)
    totals = Totals()
    strength: dict[int, float] = {}
    for year in YEARS:
        bodies = ratings_plan.bodies(rng, district, year)
        labelled = ratings_plan.choose_labelled(rng, bodies, year, strength)
        rewarded = _rewarded_members(year)
        for body in bodies:
            ratings_plan.plan_members(rng, body, year, rewarded)
            ratings_plan.plan_cells(rng, body, labelled)
        # The members first: a cell's top level is checked on its members' decided levels.
        bulk = BulkRatings()
        for body in bodies:
            _write_members(bulk, body, year)
        bulk.write(totals)
        for body in bodies:
            _decide_members(body, year)
        for body in bodies:
            if body.unit.key == SERVICE_COMMUNE:
                _decide_cells(body, year)
            elif body.cells:
                _write_cells(bulk, body, year)
        bulk.write(totals)
        _district_decides(rng, district, bodies, year)
        for body in bodies:
            chosen = [r.cell for r in body.reviews if r.cell.pk in labelled]
            if chosen:
                services.grant_labels(
                    actor=None,
                    body=body.unit,
                    kind=label,
                    year=year,
                    units=chosen,
                    day=body.day,
                    document=body.document(2),
                )
        totals.labels[year] = len(labelled)
    flagged = _discipline()
    for year, level in Rating.objects.filter(subject_kind=SubjectKind.MEMBER).values_list("year", "level"):
        totals.members[year, level] += 1
    for year, level in Rating.objects.exclude(subject_kind=SubjectKind.MEMBER).values_list("year", "level"):
        totals.organisations[year, level] += 1
    lines = [("term targets", len(targets))]
    for name, counted in (("members", totals.members), ("organisations", totals.organisations)):
        for year in YEARS:
            by_level = "/".join(str(counted[year, level]) for level in LEVEL_ORDER)
            lines.append((f"{name} rated {year} (HTXSNV/HTTNV/HTNV/KHTNV {by_level})", _sum(counted, year)))
    lines += [(f"hamlet cells “toàn diện” {year}", totals.labels[year]) for year in YEARS]
    lines += [
        ("ratings written in bulk", totals.bulk),
        ("audit rows for bulk ratings", totals.audit_rows),
        ("awards flagged after a discipline", flagged),
    ]
    return lines


def _rewarded_members(year: int) -> set[int]:
    """The members a Party reward (Giấy khen) recognises for ``year`` in the honours demo."""
    return set(
        Recognition.objects.filter(
            decision__year=year,
            decision__kind=RecognitionKind.REWARD,
            decision__form__system="party",
            revoked_on__isnull=True,
            nomination__subject_person__party_member__isnull=False,
        ).values_list("nomination__subject_person__party_member", flat=True)
    )


def _sum(counter: Counter[tuple[int, str]], year: int) -> int:
    return sum(n for (y, _level), n in counter.items() if y == year)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def _term_targets(district: Unit, label: LabelKind) -> list[TermTarget]:
    """The term resolution's targets, and the entered one's yearly figures."""
    term = Term.objects.get(unit=district, name=TERM_NAME)
    made = [
        TermTarget(
            term=term,
            position=position,
            text=text,
            indicator=indicator,
            label=label if indicator == Indicator.CELLS_LABELLED else None,
            target=target,
            measure=measure,
        )
        for position, (text, indicator, target, measure) in enumerate(TARGETS, start=1)
    ]
    insert_objects(TermTarget, made)
    entered = next(t for t in made if t.indicator == Indicator.ENTERED)
    clerk = User.objects.filter(username=TARGETS_CLERK).first()
    actuals = [
        TargetActual(
            target=entered,
            year=year,
            value=value,
            evidence=evidence,
            entered_on=D(year + 1, 1, 6),
            entered_by=clerk,
        )
        for year, (value, evidence) in ENTERED.items()
    ]
    insert_objects(TargetActual, actuals)
    audit = AuditBuffer()
    audit.created(((t, district) for t in made), TARGET_FIELDS)
    audit.created(((a, district) for a in actuals), ACTUAL_FIELDS)
    audit.flush()
    return made


# ---------------------------------------------------------------------------------------------
# Writing: through the services, or in bulk as they write
# ---------------------------------------------------------------------------------------------


def _votes(review: Review) -> str:
    return f"{review.present}/{review.present} đảng viên có mặt tán thành"


def _decide_members(body: Body, year: int) -> None:
    """The members' three steps through the services, as the cells' and committee's clerks do
    (for the cells in ``SERVICE_CELLS``; the body's other members are decided already)."""
    entries = []
    for review in body.reviews:
        if review.cell.key not in SERVICE_CELLS:
            continue
        proposals = []
        for member in review.members:
            self_level, proposed, level = body.members[member.pk]
            rating = services.open_member_rating(member=member, year=year)
            services.record_self_assessment(actor=None, rating=rating, level=self_level, day=review.assessed)
            proposals.append(Entry(rating, proposed))
            entries.append(Entry(rating, level))
        services.record_proposals(
            actor=None, unit=review.cell, entries=proposals, day=review.meeting, votes=_votes(review)
        )
    if entries:
        services.decide(
            actor=None, body=body.unit, year=year, entries=entries, day=body.day, document=body.document()
        )


class BulkRatings:
    """Ratings written as the services leave them after the three steps, in one insert, with the
    audit rows they write: the opening, the self-assessment and the proposal filed where the
    rating is kept, the decision in the body, each change as ``snapshot`` would show it."""

    def __init__(self) -> None:
        self.ratings: list[Rating] = []
        self.steps: list[list[tuple[dict[str, list[Any]], int]]] = []
        self.levels = {code: str(Level(code).label) for code in Level.values}
        self.statuses = {code: str(RatingStatus(code).label) for code in RatingStatus.values}
        self.kinds = {code: str(SubjectKind(code).label) for code in SubjectKind.values}
        self.content_type = ContentType.objects.get_for_model(Rating)

    def add(
        self,
        rating: Rating,
        *,
        self_level: str,
        self_on: dt.date,
        proposed: str,
        review: Review,
        level: str,
        body: Body,
        document: str,
        rules: RatingRuleSet,
    ) -> None:
        rating.self_level, rating.self_on = self_level, self_on
        rating.proposed_level, rating.proposed_on = proposed, review.meeting
        rating.proposed_by, rating.proposal_votes = review.cell, _votes(review)
        rating.level, rating.decided_on, rating.decided_by = level, body.day, body.unit
        rating.document, rating.rules, rating.status = document, rules, RatingStatus.DECIDED
        shown, status = self.levels, self.statuses
        opened = {
            "year": rating.year,
            "subject_kind": self.kinds[rating.subject_kind],
            "member": rating.member.person.full_name if rating.member else None,
            "subject_unit": rating.subject_unit.name if rating.subject_unit else None,
            "unit": rating.unit.name,
            "quota_unit": rating.quota_unit.name,
        }
        self.ratings.append(rating)
        self.steps.append(
            [
                # As ``open_*_rating`` records it: filed in the cell, its empty fields left out.
                (diff({}, {k: v for k, v in opened.items() if v is not None}), rating.unit_id),
                (
                    diff(
                        {"self_level": "", "self_on": None},
                        {"self_level": shown[self_level], "self_on": format_date(self_on)},
                    ),
                    review.cell.pk,
                ),
                (
                    diff(
                        {
                            "proposed_level": "",
                            "proposed_on": None,
                            "proposed_by": None,
                            "proposal_votes": "",
                            "status": status[RatingStatus.SELF_ASSESSED],
                        },
                        {
                            "proposed_level": shown[proposed],
                            "proposed_on": format_date(review.meeting),
                            "proposed_by": review.cell.name,
                            "proposal_votes": rating.proposal_votes,
                            "status": status[RatingStatus.PROPOSED],
                        },
                    ),
                    review.cell.pk,
                ),
                (
                    diff(
                        {
                            "level": "",
                            "decided_on": None,
                            "decided_by": None,
                            "document": "",
                            "rules": None,
                            "status": status[RatingStatus.PROPOSED],
                        },
                        {
                            "level": shown[level],
                            "decided_on": format_date(body.day),
                            "decided_by": body.unit.name,
                            "document": document,
                            "rules": rules.name,
                            "status": status[RatingStatus.DECIDED],
                        },
                    ),
                    body.unit.pk,
                ),
            ]
        )

    def write(self, totals: Totals) -> None:
        insert_objects(Rating, self.ratings)
        audit = AuditBuffer()
        for rating, changes in zip(self.ratings, self.steps, strict=True):
            (created, unit_id), *updates = changes
            audit.entries.append(
                build_entry(
                    actor=None,
                    action=AuditAction.CREATE,
                    obj=rating,
                    unit=unit_id,
                    changes=created,
                    note=AUDIT_NOTE,
                    content_type=self.content_type,
                )
            )
            for change, unit_id in updates:
                audit.changed(rating, change, unit_id)
        totals.bulk += len(self.ratings)
        totals.audit_rows += audit.flush()
        self.ratings, self.steps = [], []


def _write_members(bulk: BulkRatings, body: Body, year: int) -> None:
    rules, document = rating_rules.rules_on(body.day), body.document()
    for review in body.reviews:
        if review.cell.key in SERVICE_CELLS:
            continue
        for member in review.members:
            self_level, proposed, level = body.members[member.pk]
            rating = Rating(
                year=year,
                subject_kind=SubjectKind.MEMBER,
                member=member,
                unit=review.cell,
                quota_unit=body.unit,
            )
            bulk.add(
                rating,
                self_level=self_level,
                self_on=review.assessed,
                proposed=proposed,
                review=review,
                level=level,
                body=body,
                document=document,
                rules=rules,
            )


def _write_cells(bulk: BulkRatings, body: Body, year: int) -> None:
    rules, document = rating_rules.rules_on(body.day), body.document(1)
    for review in body.reviews:
        level = body.cells[review.cell.pk]
        rating = Rating(
            year=year,
            subject_kind=SubjectKind.ORGANISATION,
            subject_unit=review.cell,
            unit=review.cell,
            quota_unit=body.unit,
        )
        bulk.add(
            rating,
            self_level=level,
            self_on=review.assessed,
            proposed=level,
            review=review,
            level=level,
            body=body,
            document=document,
            rules=rules,
        )


def _decide_cells(body: Body, year: int) -> None:
    """The body's cells, through the services: each cell's own assessment and proposal at its
    review meeting, then the body's decision (after its members')."""
    if not body.cells:
        return
    entries = []
    for review in body.reviews:
        level = body.cells[review.cell.pk]
        rating = services.open_unit_rating(unit=review.cell, year=year)
        services.record_self_assessment(actor=None, rating=rating, level=level, day=review.assessed)
        services.record_proposals(
            actor=None,
            unit=review.cell,
            entries=[Entry(rating, level)],
            day=review.meeting,
            votes=_votes(review),
        )
        entries.append(Entry(rating, level))
    services.decide(
        actor=None, body=body.unit, year=year, entries=entries, day=body.day, document=body.document(1)
    )


def _district_decides(rng: random.Random, district: Unit, bodies: list[Body], year: int) -> None:
    """The Huyện ủy's standing committee rates the grassroots organisations, each having assessed
    its year at its own year-end conference."""
    levels = ratings_plan.plan_grassroots(rng, bodies, year)
    day, number = DISTRICT_DECIDES[year]
    entries = []
    for body in bodies:
        level = levels[body.unit.pk]
        rating = services.open_unit_rating(unit=body.unit, year=year)
        services.record_self_assessment(actor=None, rating=rating, level=level, day=body.day)
        services.record_proposals(actor=None, unit=body.unit, entries=[Entry(rating, level)], day=body.day)
        entries.append(Entry(rating, level))
    services.decide(
        actor=None,
        body=district,
        year=year,
        entries=entries,
        day=day,
        document=f"Quyết định số {number}-QĐ/{district.short_code} ngày {format_date(day)}",
    )


# ---------------------------------------------------------------------------------------------
# A discipline after the decision
# ---------------------------------------------------------------------------------------------


def _discipline() -> int:
    """A member rewarded (Giấy khen) for 2023 is reprimanded in March 2024 for a violation of
    2023, by their commune's committee: the product re-rates the year and flags the reward. The
    member is chosen where the re-rating breaks no cell's top level."""
    rewarded = set(
        Recognition.objects.filter(
            decision__year=2023,
            decision__kind=RecognitionKind.REWARD,
            revoked_on__isnull=True,
            nomination__subject_person__isnull=False,
        ).values_list("nomination__subject_person_id", flat=True)
    )
    top_cells = set(
        Rating.objects.filter(
            year=2023, subject_kind=SubjectKind.ORGANISATION, level=Level.EXCELLENT
        ).values_list("subject_unit_id", flat=True)
    )
    rating = (
        Rating.objects.filter(
            year=2023,
            subject_kind=SubjectKind.MEMBER,
            status=RatingStatus.DECIDED,
            member__person_id__in=rewarded,
            quota_unit__kind=UnitKind.COMMUNE,
        )
        .exclude(level=Level.NOT_DONE)
        .exclude(unit_id__in=top_cells)
        .exclude(unit__key__in=SERVICE_CELLS)
        .select_related("member__person", "quota_unit")
        .order_by("member__person__search_text", "pk")
        .first()
    )
    if rating is None or rating.member is None:
        return 0
    body = rating.quota_unit
    outcome = services.record_discipline(
        actor=None,
        member=rating.member,
        form=DisciplineForm.REPRIMAND,
        year=2023,
        decided_on=DISCIPLINE_DAY,
        decided_by=body,
        document=f"Quyết định số 07-QĐ/{body.short_code} ngày {format_date(DISCIPLINE_DAY)}",
        reason=DISCIPLINE_REASON,
    )
    return len(outcome.awards_flagged)


STEP = Step("ratings", is_loaded, build)
