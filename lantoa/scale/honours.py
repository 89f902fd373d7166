"""Exemplary people, as the cells and committees record them year after year.

- At its (approved) December meeting each cell holds its year's bình xét: an agenda item, a
  voting round by show of hands whose voters are the full members present, two to four of its
  members (and now and then one of its hamlet's collectives) put forward, a member standing aside
  for their own name; nearly everyone passes. The results are computed by the product's own
  arithmetic (``lantoa.honours.tally``) under the cell rule set of the day.
- A few days later the cell praises (or, one cell in five, introduces as examples) those who
  passed, by a decision numbered in its register: a ``Document`` of type QĐ in the cell's term,
  the counter (``NumberSequence``) left where the next number follows.
- In January each commune or grassroots committee rewards (Giấy khen, a Party periodic reward)
  some of its members rated "Hoàn thành xuất sắc nhiệm vụ" that year, with the amount of the
  dated rate and base salary, and praises one or two of its best cells. Now and then a reward is
  revoked a few months later.

Nominations carry their timeline (``NominationStep``) as the services write it. Audit entries,
proposals upward and certificates are left out: the reports do not read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lantoa.cells.models import AgendaItem, AgendaKind
from lantoa.documents.models import Document, DocumentSystem, NumberSequence
from lantoa.documents.numbering import format_number_line
from lantoa.honours import decisions, tally
from lantoa.honours.models import (
    AwardForm,
    Decision,
    Nomination,
    NominationStatus,
    NominationStep,
    PeriodKind,
    Recognition,
    RecognitionKind,
    RoundNominee,
    RoundStatus,
    RoundVoter,
    SubjectKind,
    VoteBody,
    VoteMethod,
    VoteRuleSet,
    VotingRound,
)
from lantoa.lib.vi import format_percent
from lantoa.ratings.models import Level

from .meetings import Review, Reviews
from .people import Member
from .plan import Register, Scale, TermSpan, Writer, at, pick_weighted, public_id
from .ratings import Year
from .tree import Cell, Committee, Tree

D = dt.date
Row = dict[str, Any]

NOMINEES = ((1, 0.2), (2, 0.35), (3, 0.3), (4, 0.15))
COLLECTIVE_SHARE = 0.3
FAILING_SHARE = 0.04
INTRODUCE_SHARE = 0.2
REVOKED_SHARE = 0.01
SUMMARY = {
    RecognitionKind.INTRODUCE: "về việc giới thiệu gương điển hình",
    RecognitionKind.PRAISE: "về việc biểu dương",
    RecognitionKind.REWARD: "về việc khen thưởng (Giấy khen)",
}
ACHIEVEMENTS = (
    "Gương mẫu thực hiện cam kết học tập và làm theo Bác; vận động bà con hiến đất làm đường.",
    "Giúp hộ nghèo trong ấp vay vốn, hướng dẫn cách làm ăn, nay đã có thu nhập ổn định.",
    "Hòa giải thành các vụ tranh chấp trong khu dân cư, không để khiếu kiện vượt cấp.",
    "Tích cực tham gia tuần tra an ninh trật tự, giữ gìn bình yên xóm ấp.",
    "Đi đầu trong phong trào “Ngày Chủ nhật xanh”, giữ đường làng sạch đẹp.",
    "Hoàn thành xuất sắc nhiệm vụ được giao, tận tụy phục vụ nhân dân.",
)
COLLECTIVE_ACHIEVEMENT = (
    "Vận động hội viên góp ngày công, kinh phí xây dựng nông thôn mới; giúp hộ khó khăn vươn lên."
)
CELL_ACHIEVEMENT = (
    "Lãnh đạo hoàn thành xuất sắc chỉ tiêu năm; duy trì nền nếp sinh hoạt, nhân rộng mô hình làm theo Bác."
)
CELL_REASON = "gương điển hình tiêu biểu của chi bộ trong học tập và làm theo Bác năm {year}"
COMMITTEE_REASON = (
    "có thành tích tiêu biểu năm {year} trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
)
REVOKED_REASON = "Đảng viên bị kỷ luật khiển trách về vi phạm trong năm {year}: thu hồi Giấy khen"


# Rows point at rows of the same batch by the row itself (``"round": round_row``) until the batch is
# numbered table by table, parents first: then each reference becomes the parent's id.
REFERENCES = ("item", "round", "nomination", "document", "decision")


@dataclass
class Batch:
    """The rows of one year, numbered and written together in the order their foreign keys need
    (one id query per table, not per row)."""

    items: list[Row] = field(default_factory=list)
    rounds: list[Row] = field(default_factory=list)
    voters: list[Row] = field(default_factory=list)
    nominations: list[Row] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    documents: list[Row] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)
    recognitions: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)

    def write(self, writer: Writer) -> None:
        for model, rows in (
            (AgendaItem, self.items),
            (VotingRound, self.rounds),
            (RoundVoter, self.voters),
            (Nomination, self.nominations),
            (RoundNominee, self.entries),
            (Document, self.documents),
            (Decision, self.decisions),
            (Recognition, self.recognitions),
            (NominationStep, self.steps),
        ):
            for row in rows:
                for name in REFERENCES:
                    if name in row:
                        row[f"{name}_id"] = row.pop(name)["id"]
            writer.add(model, rows)


class Honours:
    def __init__(self, writer: Writer, tree: Tree, scale: Scale) -> None:
        self.writer = writer
        self.tree = tree
        self.rng = scale.rng("honours")
        self.ids = scale.id_rng("honours")
        self.register = Register("QĐ")
        self.rules = list(VoteRuleSet.objects.filter(body=VoteBody.CELL).order_by("valid_from"))
        self.giay_khen = AwardForm.objects.get(code="party-giay-khen")
        self.money: dict[dt.date, tuple[int, Decimal]] = {}

    # -- shared ------------------------------------------------------------------------------

    def _money(self, day: dt.date) -> tuple[int, Decimal]:
        """The base salary and the Giấy khen's coefficient on ``day`` (dated data), read once a day."""
        if day not in self.money:
            salary = decisions.base_salary_on(day)
            coefficient = decisions.coefficient_on(self.giay_khen, None, collective=False, day=day)
            if salary is None or coefficient is None:
                raise ValueError(f"no base salary or Giấy khen rate recorded for {day}")
            self.money[day] = (salary.amount, coefficient)
        return self.money[day]

    def _rule_set(self, day: dt.date) -> VoteRuleSet:
        found = [r for r in self.rules if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
        if not found:
            raise ValueError(f"no cell voting rules on {day}")
        return found[-1]

    def _decision(
        self,
        batch: Batch,
        *,
        unit_id: int,
        name: str,
        code: str,
        signing_body: str,
        terms: list[TermSpan],
        kind: str,
        day: dt.date,
        year: int,
        reason: str,
        reward: tuple[AwardForm, int] | None = None,
    ) -> tuple[Row, str]:
        """The decision and its register entry; returns the decision row and its number line."""
        summary = SUMMARY[RecognitionKind(kind)]
        document = self.register.issue(
            self.ids,
            unit_id=unit_id,
            name=name,
            code=code,
            terms=terms,
            day=day,
            summary=summary,
            signing_body=signing_body,
            signer=self.tree.secretary_names.get(unit_id, ""),
            recipients="Như Điều 3,\nLưu.",
        )
        batch.documents.append(document)
        decision = {
            "public_id": public_id(self.ids),
            "unit_id": unit_id,
            "kind": kind,
            "form_id": reward[0].pk if reward else None,
            "title_id": None,
            "periodic": reward is not None,
            "year": year,
            "reason": reason,
            "document": document,
            "decided_on": day,
            "base_salary": reward[1] if reward else None,
            "created_by_id": None,
        }
        batch.decisions.append(decision)
        return decision, format_number_line(DocumentSystem.PARTY, document["number"], "QĐ", code)

    def _nomination(
        self, batch: Batch, unit_id: int, year: int, on: dt.date, achievements: str, **subject: Any
    ) -> Row:
        row = {
            "public_id": public_id(self.ids),
            "unit_id": unit_id,
            "subject_person_id": None,
            "subject_unit_id": None,
            "subject_name": "",
            "period_kind": PeriodKind.YEAR,
            "period_start": D(year, 1, 1),
            "period_end": D(year, 12, 31),
            "theme_id": None,
            "campaign_id": None,
            "achievements": achievements,
            "status": NominationStatus.NOMINATED,
            "holder_id": unit_id,
            "nominated_on": on,
            "created_by_id": None,
            **subject,
        }
        batch.nominations.append(row)
        batch.steps.append(_step(row, on, unit_id, NominationStatus.NOMINATED))
        return row

    # -- the cells' bình xét and praise ------------------------------------------------------

    def cell_year(self, batch: Batch, cell: Cell, review: Review, year: int) -> None:
        rng = self.rng
        voters = review.voters
        if len(voters) < 2:
            return
        rules = self._rule_set(review.date)
        wanted = min(pick_weighted(rng, NOMINEES), len(voters) - 1)
        people = rng.sample(voters, wanted)
        collective = rng.choice(cell.collectives) if rng.random() < COLLECTIVE_SHARE else ""
        item = {
            "meeting_id": review.meeting_id,
            "order": 2,
            "kind": AgendaKind.OTHER,
            "title": f"Bình xét gương điển hình năm {year}",
            "presenter_id": cell.secretary.person_id if cell.secretary else None,
            "content": "",
            "conclusion": "",
            "votes_for": None,
            "votes_against": None,
            "votes_total": None,
        }
        batch.items.append(item)
        moment = at(review.date, cell.starts_at.hour + 1, cell.starts_at.minute)
        voting = {
            "public_id": public_id(self.ids),
            "meeting_id": review.meeting_id,
            "item": item,
            "rules_id": rules.pk,
            "method": VoteMethod.HANDS,
            "status": RoundStatus.PUBLISHED,
            "body_size": review.body_size,
            "slips_issued": None,
            "slips_returned": None,
            "slips_valid": None,
            "opened_at": moment,
            "closed_at": moment + dt.timedelta(minutes=15),
        }
        batch.rounds.append(voting)
        batch.voters += [{"round": voting, "member_id": m.id} for m in voters]
        nominated_on = D(year, 12, 1)
        subjects: list[tuple[Row, str, str]] = []
        nominees: list[Member | str] = [*people, collective] if collective else list(people)
        for order, subject in enumerate(nominees, start=1):
            individual = isinstance(subject, Member)
            if isinstance(subject, Member):
                nomination = self._nomination(
                    batch,
                    cell.id,
                    year,
                    nominated_on,
                    rng.choice(ACHIEVEMENTS),
                    subject_person_id=subject.person_id,
                )
                label, key = subject.name, f"p:{subject.person_id}"
            else:
                nomination = self._nomination(
                    batch, cell.id, year, nominated_on, COLLECTIVE_ACHIEVEMENT, subject_name=subject
                )
                label, key = subject, f"n:{subject.strip().casefold()}"
            counted = len(voters) - 1 if individual else len(voters)
            if rng.random() < FAILING_SHARE:
                against = counted // 2 + 1
                marks = tally.Marks(counted - against, against, 0)
            else:
                against = 1 if counted > 2 and rng.random() < 0.08 else 0
                abstain = 1 if counted - against > 2 and rng.random() < 0.05 else 0
                marks = tally.Marks(counted - against - abstain, against, abstain)
            result = tally.outcome(
                rules.rule, body_size=review.body_size, voters=len(voters), marks=marks, recused=individual
            )
            nomination["status"] = NominationStatus.PASSED if result.passed else NominationStatus.NOT_PASSED
            batch.entries.append(
                {
                    "round": voting,
                    "nomination": nomination,
                    "order": order,
                    "recused": individual,
                    "votes_for": marks.votes_for,
                    "votes_against": marks.votes_against,
                    "votes_abstain": marks.abstain,
                    "percent": result.percent,
                    "passed": result.passed,
                }
            )
            note = (
                f"{marks.votes_for}/{result.base} tán thành ({format_percent(marks.votes_for, result.base)})"
            )
            batch.steps.append(_step(nomination, review.date, cell.id, nomination["status"], note))
            if result.passed:
                subjects.append((nomination, label, key))
        if not subjects:
            return
        kind = RecognitionKind.INTRODUCE if rng.random() < INTRODUCE_SHARE else RecognitionKind.PRAISE
        day = min(review.date + dt.timedelta(days=3), D(year, 12, 31))
        decision, line = self._decision(
            batch,
            unit_id=cell.id,
            name=cell.name,
            code="CB",
            signing_body="Chi bộ",
            terms=cell.terms,
            kind=kind,
            day=day,
            year=year,
            reason=CELL_REASON.format(year=year),
        )
        self._recognise(batch, decision, line, subjects, day, cell.id)

    def _recognise(
        self,
        batch: Batch,
        decision: Row,
        line: str,
        subjects: list[tuple[Row, str, str]],
        day: dt.date,
        unit_id: int,
        amount: tuple[Decimal, int] | None = None,
    ) -> list[Row]:
        made = []
        verb = SUMMARY[RecognitionKind(decision["kind"])].removeprefix("về việc ")
        verb = verb[:1].upper() + verb[1:]
        for order, (nomination, label, key) in enumerate(subjects, start=1):
            if nomination["subject_person_id"] is not None:
                subject_kind = SubjectKind.MEMBER
            elif nomination["subject_unit_id"] is not None:
                subject_kind = SubjectKind.PARTY_UNIT
            else:
                subject_kind = SubjectKind.COLLECTIVE
            row = {
                "decision": decision,
                "nomination": nomination,
                "subject_kind": subject_kind,
                "subject_label": label,
                "subject_key": key,
                "achievement": nomination["achievements"],
                "order": order,
                "coefficient": amount[0] if amount else None,
                "amount": decisions.amount_for(*amount) if amount else None,
                "revoked_on": None,
                "revoked_reason": "",
            }
            made.append(row)
            nomination["status"] = NominationStatus.RECOGNISED
            batch.steps.append(
                _step(nomination, day, unit_id, NominationStatus.RECOGNISED, f"{verb} theo quyết định {line}")
            )
        batch.recognitions += made
        return made

    # -- the committees' January decisions ---------------------------------------------------

    def committee_year(self, batch: Batch, committee: Committee, year: int, levels: Year) -> None:
        rng = self.rng
        day = D(year + 1, 1, 10) + dt.timedelta(days=rng.randint(0, 10))
        nominated_on = day - dt.timedelta(days=5)
        reason = COMMITTEE_REASON.format(year=year)
        decision_args: dict[str, Any] = {
            "unit_id": committee.id,
            "name": committee.name,
            "code": "ĐU",
            "signing_body": "Đảng ủy",
            "terms": committee.terms,
            "day": day,
            "year": year,
            "reason": reason,
        }
        best = [c for c in committee.cells if levels.units[c.id] == Level.EXCELLENT] or [
            c for c in committee.cells if levels.units[c.id] == Level.GOOD
        ]
        praised = rng.sample(best, min(len(best), rng.randint(1, 2)))
        if praised:
            subjects = [
                (
                    self._nomination(
                        batch, committee.id, year, nominated_on, CELL_ACHIEVEMENT, subject_unit_id=c.id
                    ),
                    c.name,
                    f"u:{c.id}",
                )
                for c in praised
            ]
            decision, line = self._decision(batch, kind=RecognitionKind.PRAISE, **decision_args)
            self._recognise(batch, decision, line, subjects, day, committee.id)
        excellent = levels.excellent_members(committee)
        rewarded = set(rng.sample(excellent, min(len(excellent), rng.randint(2, 5))))
        if not rewarded:
            return
        salary, coefficient = self._money(day)
        members = [m for cell in committee.cells for m in cell.members if m.id in rewarded]
        subjects = [
            (
                self._nomination(
                    batch,
                    committee.id,
                    year,
                    nominated_on,
                    rng.choice(ACHIEVEMENTS),
                    subject_person_id=m.person_id,
                ),
                m.name,
                f"p:{m.person_id}",
            )
            for m in members
        ]
        decision, line = self._decision(
            batch, kind=RecognitionKind.REWARD, reward=(self.giay_khen, salary), **decision_args
        )
        for row in self._recognise(batch, decision, line, subjects, day, committee.id, (coefficient, salary)):
            if rng.random() < REVOKED_SHARE:
                revoked_on = day + dt.timedelta(days=rng.randint(60, 150))
                row["revoked_on"], row["revoked_reason"] = revoked_on, REVOKED_REASON.format(year=year)
                note = f"Thu hồi khen thưởng theo quyết định {line}: {row['revoked_reason']}"
                status = NominationStatus.RECOGNISED
                batch.steps.append(_step(row["nomination"], revoked_on, committee.id, status, note))


def _step(nomination: Row, day: dt.date, unit_id: int, status: str, note: str = "") -> Row:
    return {"nomination": nomination, "day": day, "unit_id": unit_id, "status": status, "note": note[:300]}


def write(writer: Writer, tree: Tree, scale: Scale, years: dict[int, Year], reviews: Reviews) -> None:
    honours = Honours(writer, tree, scale)
    for year in scale.rating_years:
        batch = Batch()
        for cell in tree.cells:
            review = reviews.of(cell, year)
            if review is not None:
                honours.cell_year(batch, cell, review, year)
        for committee in tree.committees:
            honours.committee_year(batch, committee, year, years[year])
        batch.write(writer)
    writer.add(NumberSequence, honours.register.sequences())
