"""The demo's documents: the catalogue the programme cites, terms, yearly themes 2021–2025, the
"Đồng khởi mới" campaign, the district's obligations and every unit's plans.

As the seed article says, every cell and committee under the Huyện ủy filed its plans for
Kết luận 01-KL/TW and for each yearly theme in 2021–2024 (a few of them late). The 2025 round,
outside the article's period, is left with some units not filed, so the "not yet filed" list has
something to show.

Catalogue entries, the province's and the district's own documents go through the services. The
≈1 200 unit plans are written in bulk (numbers given per unit and term exactly as the numbering
module would), with their audit rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from lantoa.documents import exporters
from lantoa.documents import services as doc_services
from lantoa.documents.models import (
    Attachment,
    Commitment,
    Document,
    DocumentSystem,
    Filing,
    NumberSequence,
    Obligation,
    Term,
    Theme,
)
from lantoa.documents.numbering import format_symbol
from lantoa.documents.queries import obligated_unit_ids
from lantoa.documents.services import Issuer
from lantoa.lib.bulk import insert_objects
from lantoa.lib.text import fold
from lantoa.org.models import Membership, Position, PositionTitle, StaffBodyKind, Unit, UnitKind
from lantoa.org.queries import valid_on

from .base import REFERENCE_DATE, AuditBuffer, DemoContext, Step, day_between
from .org import DISTRICT_KEY, PROVINCE_KEY

D = dt.date

FILING_KINDS: list[str] = [UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL, UnitKind.CELL]
LATE_SHARE = 0.04  # 2021–2024: all filed, a few late (the district chased them)
MISSING_SHARE_2025 = 0.06

# (issuer, code, type, number, date, term, summary): the documents the programme cites.
CATALOGUE = [
    (
        "Bộ Chính trị",
        "TW",
        "CT",
        5,
        D(2016, 5, 15),
        "khóa XII",
        "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "Bộ Chính trị",
        "TW",
        "KL",
        1,
        D(2021, 5, 18),
        "khóa XIII",
        (
            "về tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị khóa XII về đẩy mạnh "
            "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
        ),
    ),
    (
        "Ban Chấp hành Trung ương",
        "TW",
        "KL",
        21,
        D(2021, 10, 25),
        "khóa XIII",
        (
            "về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, "
            "đẩy lùi, xử lý "
            "nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, biểu hiện "
            '"tự diễn biến", "tự chuyển hóa"'
        ),
    ),
    (
        "Ban Chấp hành Trung ương",
        "TW",
        "NQ",
        12,
        D(2012, 1, 16),
        "khóa XI",
        "Hội nghị Trung ương 4 khóa XI về một số vấn đề cấp bách về xây dựng Đảng hiện nay",
    ),
    (
        "Ban Chấp hành Trung ương",
        "TW",
        "NQ",
        4,
        D(2016, 10, 30),
        "khóa XII",
        (
            "Hội nghị Trung ương 4 khóa XII về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, "
            "đẩy lùi sự suy "
            'thoái về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện "tự diễn biến", "tự chuyển hóa" '
            "trong nội bộ"
        ),
    ),
    (
        "Bộ Chính trị",
        "TW",
        "QĐ",
        124,
        D(2023, 10, 4),
        "khóa XIII",
        (
            "về kiểm điểm, đánh giá, xếp loại chất lượng hằng năm đối với tập thể, cá nhân "
            "trong hệ thống chính trị"
        ),
    ),
    (
        "Bộ Chính trị",
        "TW",
        "QĐ",
        366,
        D(2025, 8, 30),
        "khóa XIII",
        "về kiểm điểm, đánh giá, xếp loại chất lượng đối với tập thể, cá nhân trong hệ thống chính trị",
    ),
    (
        "Ban Tuyên giáo Trung ương",
        "BTGTW",
        "HD",
        16,
        D(2021, 7, 27),
        "khóa XIII",
        (
            "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, "
            "tự cường và khát vọng "
            "phát triển đất nước phồn vinh, hạnh phúc (chuyên đề toàn khóa)"
        ),
    ),
    (
        "Ban Tuyên giáo Trung ương",
        "BTGTW",
        "KH",
        58,
        D(2021, 8, 27),
        "khóa XIII",
        "triển khai thực hiện Kết luận số 01-KL/TW của Bộ Chính trị",
    ),
    (
        "Ban Tuyên giáo Trung ương",
        "BTGTW",
        "HD",
        140,
        D(2024, 2, 5),
        "khóa XIII",
        (
            "đánh giá tình hình thực hiện Kết luận số 01-KL/TW năm 2023 – 2024 và triển khai "
            "các nhiệm vụ khen "
            'thưởng, tuyên truyền về "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" năm 2024'
        ),
    ),
]

WHOLE_TERM_THEME = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường và khát vọng "
    "phát triển đất nước phồn vinh, hạnh phúc"
)
YEARLY_THEMES = {
    2021: WHOLE_TERM_THEME,
    2022: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng, chỉnh đốn Đảng và hệ "
    "thống chính trị trong sạch, vững mạnh; nâng cao tinh thần trách nhiệm, năng động, sáng tạo của cán bộ, "
    "đảng viên",
    2023: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy sức mạnh đại đoàn kết "
    "toàn dân tộc, xây dựng quê hương Châu Thành giàu đẹp, văn minh",
    2024: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần tự lực, tự cường, khát "
    'vọng vươn lên gắn với phong trào thi đua "Đồng khởi mới"',
    2025: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về đoàn kết, đổi mới, sáng tạo, "
    "sẵn sàng cho việc sắp xếp tổ chức bộ máy",
}

COMMITMENT_BANK = [
    "Tiết kiệm 50.000 đồng mỗi tháng góp quỹ đỡ đầu trẻ mồ côi của chi bộ",
    "Đi làm đúng giờ, giải quyết hồ sơ của người dân trong ngày, không để trễ hẹn",
    "Mỗi tháng đọc và chia sẻ với chi bộ một câu chuyện về tấm gương đạo đức của Bác",
    "Vận động 5 hộ dân trong ấp tham gia phân loại rác thải tại nguồn",
    "Không sử dụng điện thoại vào việc riêng trong giờ làm việc",
    "Giúp đỡ 01 hộ nghèo trong ấp xây dựng mô hình chăn nuôi, phấn đấu thoát nghèo",
    "Tham gia đầy đủ sinh hoạt chi bộ và viết ít nhất 01 bài cho Bản tin sinh hoạt nội bộ",
    "Gương mẫu chấp hành quy ước của ấp, vận động gia đình giữ gìn vệ sinh đường làng",
    "Tự học để sử dụng thành thạo Sổ tay đảng viên điện tử và hướng dẫn 02 đảng viên cao tuổi",
    "Trồng và chăm sóc 20 cây xanh trên tuyến đường ấp",
]
COMMITMENT_CELL_KEYS = ("chi-bo-hoi-lhpn", "chi-bo-ap-phuoc-thanh-an-khanh")


@dataclass
class PlanDraft:
    unit: Unit
    obligation: Obligation
    issued_on: dt.date
    filed_on: dt.date
    signer: str
    term: Term
    number: int = 0


def is_loaded() -> bool:
    return Obligation.objects.filter(unit__key=DISTRICT_KEY).exists()


def _term_specs(unit: Unit) -> list[tuple[str, dt.date, dt.date | None]]:
    """Congress terms: committees 2020–2025, cells 2020–2022 and 2022–2025 (then 2025–2030)."""
    if unit.kind in (UnitKind.PROVINCE, UnitKind.DISTRICT):
        return [
            (
                "Nhiệm kỳ 2020–2025",
                D(2020, 10, 1) if unit.kind == UnitKind.PROVINCE else D(2020, 8, 1),
                unit.valid_to,
            )
        ]
    if unit.kind in (UnitKind.COMMUNE, UnitKind.GRASSROOTS):
        return [
            ("Nhiệm kỳ 2020–2025", D(2020, 6, 1), D(2025, 9, 30)),
            ("Nhiệm kỳ 2025–2030", D(2025, 10, 1), None),
        ]
    return [
        ("Nhiệm kỳ 2020–2022", D(2020, 4, 1), D(2022, 6, 30)),
        ("Nhiệm kỳ 2022–2025", D(2022, 7, 1), D(2025, 6, 30)),
        ("Nhiệm kỳ 2025–2030", D(2025, 7, 1), None),
    ]


def _create_terms(units: list[Unit]) -> dict[int, list[Term]]:
    rows = []
    for unit in units:
        for name, start, end in _term_specs(unit):
            if unit.valid_to and start > unit.valid_to:
                continue
            ends = min(end, unit.valid_to) if end and unit.valid_to else (end or unit.valid_to)
            rows.append(Term(unit=unit, name=name, starts_on=max(start, unit.valid_from), ends_on=ends))
    Term.objects.bulk_create(rows, batch_size=1000)
    by_unit: dict[int, list[Term]] = {}
    for term in Term.objects.filter(unit__in=units).order_by("starts_on"):
        by_unit.setdefault(term.unit_id, []).append(term)
    return by_unit


def _term_on(terms: list[Term], day: dt.date) -> Term:
    for term in terms:
        if term.starts_on <= day and (term.ends_on is None or day <= term.ends_on):
            return term
    raise ValueError(f"no term on {day}")


def _secretaries() -> dict[int, list[Position]]:
    by_unit: dict[int, list[Position]] = {}
    for post in Position.objects.filter(title=PositionTitle.SECRETARY).select_related("person"):
        by_unit.setdefault(post.unit_id, []).append(post)
    return by_unit


def _secretary_on(posts: list[Position], day: dt.date) -> str:
    for post in posts:
        if post.valid_from <= day and (post.valid_to is None or day <= post.valid_to):
            return post.person.full_name
    return posts[-1].person.full_name if posts else ""


def _catalogue() -> dict[str, Document]:
    found = {}
    for issuer, code, type_code, number, day, term, summary in CATALOGUE:
        document = doc_services.register_external_document(
            actor=None,
            issuer_name=issuer,
            issuer_code=code,
            type_code=type_code,
            number=number,
            issued_on=day,
            summary=summary,
            term_label=term,
        )
        found[format_symbol(DocumentSystem.PARTY, number, type_code, code)] = document
    return found


def _district_documents(district: Unit, catalogue: dict[str, Document]) -> dict[int, Document]:
    """The district's own plan for each yearly theme, its KL 01 plan, and its commission's guidance."""
    common: dict[str, Any] = {
        "actor": None,
        "issuer": Issuer(unit=district),
        "type_code": "KH",
        "signing_form": "T/M",
        "signing_body": "BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "signer_name": "Huỳnh Thanh Tuấn",
        "place": "Châu Thành",
        "recipients": "Ban Tuyên giáo Tỉnh ủy (b/c)\nCác chi bộ, đảng bộ trực thuộc\nLưu Văn phòng Huyện ủy",
    }
    kl01, kl21 = catalogue["01-KL/TW"], catalogue["21-KL/TW"]
    doc_services.issue_document(
        **common,
        issued_on=D(2021, 7, 20),
        summary="thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục "
        "thực hiện Chỉ thị "
        "số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        body=_plan_body("Kết luận số 01-KL/TW"),
        implements=[kl01, catalogue["05-CT/TW"]],
    )
    plans = {}
    for year in sorted(YEARLY_THEMES):
        plans[year] = doc_services.issue_document(
            **common,
            issued_on=D(year, 2, 20) if year > 2021 else D(2021, 8, 5),
            summary=f'thực hiện chuyên đề năm {year} "{YEARLY_THEMES[year]}"',
            body=_plan_body(f"chuyên đề năm {year}"),
            implements=[kl01, kl21] if year > 2021 else [kl01],
        )
    propaganda = district.staff_bodies.get(kind=StaffBodyKind.PROPAGANDA)
    for year in sorted(YEARLY_THEMES):
        doc_services.issue_document(
            actor=None,
            issuer=Issuer(unit=district, staff_body=propaganda),
            type_code="HD",
            issued_on=D(year, 3, 2) if year > 2021 else D(2021, 8, 12),
            place="Châu Thành",
            summary=f"học tập, quán triệt chuyên đề năm {year} trong sinh hoạt chi bộ",
            signer_title="TRƯỞNG BAN",
            signer_name="Võ Thị Phương",
            recipients="Các chi bộ, đảng bộ trực thuộc\nLưu Ban",
            implements=[plans[year]],
        )
    return plans


def _plan_body(subject: str) -> str:
    return (
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        f"- Quán triệt sâu sắc nội dung {subject} đến toàn thể cán bộ, đảng viên.\n"
        "- Gắn việc học tập và làm theo Bác với thực hiện nhiệm vụ chính trị của cơ quan, "
        "đơn vị, địa phương.\n"
        "II. NỘI DUNG THỰC HIỆN\n"
        "1. Tổ chức học tập, quán triệt\n"
        "Các chi bộ đưa nội dung học tập và làm theo Bác vào sinh hoạt chi bộ định kỳ hằng tháng.\n"
        "2. Xây dựng kế hoạch làm theo\n"
        "Mỗi cán bộ, đảng viên đăng ký 01 – 02 nội dung làm theo cụ thể, có thể kiểm tra được.\n"
        "III. TỔ CHỨC THỰC HIỆN\n"
        "Ban Tuyên giáo Huyện ủy theo dõi, đôn đốc, tổng hợp kết quả báo cáo Ban Thường vụ Huyện ủy."
    )


def _province_documents(province: Unit) -> Document:
    return doc_services.issue_document(
        actor=None,
        issuer=Issuer(unit=province),
        type_code="CT",
        issued_on=D(2021, 1, 26),
        place="Bến Tre",
        summary='về phát động phong trào thi đua "Đồng khởi mới" trên các lĩnh vực kinh tế – xã hội, quốc '
        "phòng – an ninh, xây dựng Đảng và hệ thống chính trị",
        signing_form="T/M",
        signing_body="BAN THƯỜNG VỤ",
        signer_title="BÍ THƯ",
        signer_name="Nguyễn Văn Hòa",
        recipients="Các huyện ủy, thành ủy, đảng ủy trực thuộc\nLưu Văn phòng Tỉnh ủy",
    )


def _obligations(
    district: Unit, plans: dict[int, Document], catalogue: dict[str, Document]
) -> list[Obligation]:
    kl01, kl21 = catalogue["01-KL/TW"], catalogue["21-KL/TW"]
    tw4 = [catalogue["12-NQ/TW"], catalogue["04-NQ/TW"]]
    made = [
        doc_services.create_obligation(
            actor=None,
            unit=district,
            year=2021,
            deadline=D(2021, 8, 31),
            target_kinds=FILING_KINDS,
            title="Kế hoạch thực hiện Kết luận số 01-KL/TW của Bộ Chính trị",
            sources=[kl01, *tw4],
        )
    ]
    for year, plan in sorted(plans.items()):
        theme = Theme.objects.get(unit=district, year=year)
        made.append(
            doc_services.create_obligation(
                actor=None,
                unit=district,
                year=year,
                deadline=D(year, 3, 31) if year > 2021 else D(2021, 9, 15),
                target_kinds=FILING_KINDS,
                title=f"Kế hoạch thực hiện chuyên đề năm {year}",
                theme=theme,
                sources=[plan, kl01, *([kl21] if year > 2021 else []), *tw4],
            )
        )
    return made


def _draft_plans(
    ctx: DemoContext, obligations: list[Obligation], terms: dict[int, list[Term]]
) -> list[PlanDraft]:
    rng = ctx.rng("documents:plans")
    secretaries = _secretaries()
    drafts = []
    for obligation in obligations:
        unit_ids = sorted(obligated_unit_ids(obligation))
        units = Unit.objects.in_bulk(unit_ids)
        opened = max(
            obligation.sources.filter(issuer_unit__isnull=False).values_list("issued_on", flat=True),
            default=obligation.deadline - dt.timedelta(days=40),
        )
        for pk in unit_ids:
            unit = units[pk]
            roll = rng.random()
            if obligation.year == 2025 and roll < MISSING_SHARE_2025:
                continue
            if (obligation.year < 2025 and roll < LATE_SHARE) or (
                obligation.year == 2025 and roll < MISSING_SHARE_2025 + 0.03
            ):
                issued = day_between(
                    rng,
                    obligation.deadline - dt.timedelta(days=3),
                    obligation.deadline + dt.timedelta(days=20),
                )
                filed = max(issued, obligation.deadline) + dt.timedelta(days=rng.randint(1, 12))
            else:
                issued = day_between(
                    rng, opened + dt.timedelta(days=3), obligation.deadline - dt.timedelta(days=4)
                )
                filed = min(issued + dt.timedelta(days=rng.randint(0, 4)), obligation.deadline)
            day = max(issued, unit.valid_from)
            drafts.append(
                PlanDraft(
                    unit,
                    obligation,
                    day,
                    max(filed, day),
                    _secretary_on(secretaries.get(pk, []), day),
                    _term_on(terms[pk], day),
                )
            )
    return drafts


def _write_plans(ctx: DemoContext, drafts: list[PlanDraft], audit: AuditBuffer) -> int:
    rng = ctx.rng("documents:numbers")
    last: dict[tuple[int, int], int] = {}
    for draft in sorted(drafts, key=lambda d: (d.unit.pk, d.issued_on)):
        key = (draft.unit.pk, draft.term.pk)
        # Plans are not a unit's only KH documents: leave room for others between them.
        draft.number = last.get(key, 0) + rng.randint(1, 3)
        last[key] = draft.number
    documents = []
    for draft in drafts:
        unit = draft.unit
        signing_body = (
            "CHI BỘ" if unit.is_cell else "BAN THƯỜNG VỤ" if unit.kind == UnitKind.COMMUNE else "ĐẢNG ỦY"
        )
        document = Document(
            system=DocumentSystem.PARTY,
            issuer_unit=unit,
            issuer_name=unit.name,
            issuer_code=unit.short_code,
            type_code="KH",
            number=draft.number,
            term=draft.term,
            year=draft.issued_on.year,
            issued_on=draft.issued_on,
            summary=draft.obligation.title[:1].lower() + draft.obligation.title[1:],
            signing_form="T/M",
            signing_body=signing_body,
            signer_title="BÍ THƯ",
            signer_name=draft.signer,
            recipients="Ban Tuyên giáo Huyện ủy (b/c)\nLưu",
            body=_plan_body(draft.obligation.title.lower()),
            identity=f"unit:{unit.pk}|KH|{draft.number}|term:{draft.term.pk}",
        )
        document.search_text = fold(f"{document.symbol} {document.summary} {document.issuer_name}")
        documents.append(document)
    insert_objects(Document, documents)
    through = Document.implements.through
    links, filings = [], []
    for draft, document in zip(drafts, documents, strict=True):
        links += [
            through(from_document_id=document.pk, to_document_id=src.pk)
            for src in draft.obligation.sources.all()
        ]
        filings.append(
            Filing(obligation=draft.obligation, unit=draft.unit, document=document, filed_on=draft.filed_on)
        )
    insert_objects(through, links)
    insert_objects(Filing, filings)
    NumberSequence.objects.bulk_create(
        [
            NumberSequence(
                issuer_key=f"unit:{unit_pk}", type_code="KH", period_key=f"term:{term_pk}", last_number=n
            )
            for (unit_pk, term_pk), n in last.items()
        ],
        batch_size=1000,
    )
    audit.created(
        ((d, d.issuer_unit) for d in documents),
        ("issuer_name", "type_code", "number", "issued_on", "summary"),
    )
    audit.created(
        (
            (f, f.unit)
            # The obligation too: an audit entry is labelled with the filing's name, which names it.
            for f in Filing.objects.filter(obligation__in={d.obligation for d in drafts}).select_related(
                "unit", "obligation"
            )
        ),
        ("unit", "filed_on"),
    )
    return len(documents)


def _attach_samples(district: Unit) -> int:
    """Signed files for the district's own plans and the women's union cell's plans, so the demo
    has real files to open (rendered through the same layout as every printed document)."""
    documents = Document.objects.filter(
        issuer_unit__key__in=[DISTRICT_KEY, "chi-bo-hoi-lhpn"], type_code="KH"
    )
    count = 0
    for document in documents.select_related("issuer_unit"):
        content = exporters.document_docx(document)
        attachment = Attachment(
            document=document,
            kind=Attachment.Kind.FILE,
            original_name=exporters.document_filename(document, "docx"),
            size=len(content),
        )
        attachment.file.save(attachment.original_name, ContentFile(content), save=False)
        attachment.save()
        count += 1
    return count


def _commitments(ctx: DemoContext, audit: AuditBuffer) -> int:
    rng = ctx.rng("documents:commitments")
    rows = []
    for year in (2023, 2024):
        memberships = Membership.objects.filter(
            valid_on(D(year, 3, 1)), unit__key__in=COMMITMENT_CELL_KEYS
        ).select_related("member")
        for membership in memberships.order_by("member_id"):
            picks = rng.sample(COMMITMENT_BANK, 2 if rng.random() < 0.6 else 1)
            for position, text in enumerate(picks, start=1):
                assessed = year < REFERENCE_DATE.year
                rows.append(
                    Commitment(
                        member=membership.member,
                        year=year,
                        position=position,
                        text=text,
                        registered_on=day_between(rng, D(year, 1, 10), D(year, 2, 28)),
                        done=(rng.random() < 0.92) if assessed else None,
                        outcome_note="Đã thực hiện, chi bộ ghi nhận" if assessed else "",
                        assessed_on=D(year, 12, 10) if assessed else None,
                    )
                )
    Commitment.objects.bulk_create(rows, batch_size=1000)
    created = Commitment.objects.filter(member__memberships__unit__key__in=COMMITMENT_CELL_KEYS).distinct()
    audit.created(((c, None) for c in created), ("year", "position", "text"))
    return len(rows)


def build(ctx: DemoContext) -> list[tuple[str, int]]:
    province = Unit.objects.get(key=PROVINCE_KEY)
    district = Unit.objects.get(key=DISTRICT_KEY)
    units = list(Unit.objects.exclude(kind__in=[UnitKind.MASS_ORGANISATION, UnitKind.AGENCY]))
    terms = _create_terms(units)
    catalogue = _catalogue()
    directive = _province_documents(province)
    doc_services.create_campaign(
        actor=None,
        unit=province,
        issuer_name=province.name,
        name="Đồng khởi mới",
        motto="Hai chân – Ba mũi",
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 12, 31),
        document=directive,
    )
    Theme.objects.create(
        scope=Theme.Scope.TERM,
        issuer_name="Ban Tuyên giáo Trung ương",
        title=WHOLE_TERM_THEME,
        document=catalogue["16-HD/BTGTW"],
    )
    plans = _district_documents(district, catalogue)
    for year, plan in plans.items():
        doc_services.set_yearly_theme(
            actor=None, unit=district, year=year, title=YEARLY_THEMES[year], document=plan
        )
    obligations = _obligations(district, plans, catalogue)
    audit = AuditBuffer()
    filed = _write_plans(ctx, _draft_plans(ctx, obligations, terms), audit)
    commitments = _commitments(ctx, audit)
    audit.flush()
    attached = _attach_samples(district)
    return [
        ("documents in the catalogue", len(catalogue)),
        ("obligations", len(obligations)),
        ("plans filed by units", filed),
        ("files attached", attached),
        ("commitments", commitments),
    ]


STEP = Step(name="documents", is_loaded=is_loaded, build=build)
