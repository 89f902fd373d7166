"""Document numbers as the văn thư gives them: Party "Số 15-KH/HU" per type per term, State
"Số: 15/QĐ-UBND" per year, no number twice, numbers typed by hand respected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lantoa.documents import services
from lantoa.documents.models import Document, DocumentSystem, NumberSequence
from lantoa.documents.numbering import format_number_line, format_symbol
from lantoa.lib.text import fold
from lantoa.org.models import UnitKind
from tests.conftest import tr
from tests.documents.conftest import issue
from tests.factories import UnitFactory

D = dt.date
PARTY, STATE = DocumentSystem.PARTY, DocumentSystem.STATE


@pytest.mark.parametrize(
    ("system", "number", "type_code", "issuer", "expected"),
    [
        (PARTY, 15, "KH", "HU", "Số 15-KH/HU"),
        (PARTY, 1, "KH", "HU", "Số 01-KH/HU"),
        (PARTY, 9, "QĐ", "ĐU", "Số 09-QĐ/ĐU"),
        (PARTY, 125, "QĐ", "HU", "Số 125-QĐ/HU"),
        (PARTY, 24, "BS", "UBKTTU", "Số 24-BS/UBKTTU"),
        (STATE, 15, "QĐ", "UBND", "Số: 15/QĐ-UBND"),
        (STATE, 3, "QĐ", "UBND", "Số: 03/QĐ-UBND"),
    ],
)
def test_number_line_follows_36_hd_for_party_and_nd_30_for_state(system, number, type_code, issuer, expected):
    assert format_number_line(system, number, type_code, issuer) == expected


def test_symbol_is_the_number_line_without_so():
    assert format_symbol(PARTY, 5, "KH", "HU") == "05-KH/HU"
    assert format_symbol(STATE, 5, "QĐ", "UBND") == "05/QĐ-UBND"


def test_issue_document_numbers_from_01_per_type_within_the_term(tree, terms):
    lines = [
        issue(tree.district, D(2024, 3, 5)).number_line,
        issue(tree.district, D(2024, 3, 6), "BC").number_line,
        issue(tree.district, D(2024, 3, 7)).number_line,
        issue(tree.district, D(2024, 3, 8)).number_line,
        issue(tree.district, D(2024, 3, 9), "BC").number_line,
    ]

    assert lines == ["Số 01-KH/HU", "Số 01-BC/HU", "Số 02-KH/HU", "Số 03-KH/HU", "Số 02-BC/HU"]


def test_issue_document_restarts_at_01_in_a_new_term(tree, terms):
    old = [issue(tree.district, D(2020, 5, 4)), issue(tree.district, D(2020, 7, 31))]
    new = issue(tree.district, D(2020, 8, 1))

    assert [d.number_line for d in old] == ["Số 01-KH/HU", "Số 02-KH/HU"]
    assert new.number_line == "Số 01-KH/HU"
    assert [d.term.name for d in (*old, new)] == ["Nhiệm kỳ 2015–2020"] * 2 + ["Nhiệm kỳ 2020–2025"]
    # Same printed symbol, two documents: the term is part of the identity.
    assert Document.objects.filter(number=1, type_code="KH", issuer_unit=tree.district).count() == 2


def test_issue_document_keeps_separate_sequences_per_issuer(tree, terms, propaganda):
    committee = [issue(tree.district, D(2024, 4, 1), "HD"), issue(tree.district, D(2024, 4, 2), "HD")]
    commission = issue(tree.district, D(2024, 4, 3), "HD", staff_body=propaganda)
    commune = issue(tree.an_khanh, D(2024, 4, 3), "HD")

    assert [d.number_line for d in committee] == ["Số 01-HD/HU", "Số 02-HD/HU"]
    assert commission.number_line == "Số 01-HD/BTGHU"
    assert commission.issuer_name == "Ban Tuyên giáo Huyện ủy Châu Thành"
    assert commission.issuer_staff_body == propaganda
    # The commission numbers within its committee's term.
    assert commission.term == terms["district_2020"]
    assert commune.number_line == "Số 01-HD/ĐU"


def test_staff_body_renamed_prints_its_new_code_from_the_day_of_the_change(tree, terms, propaganda):
    before = issue(tree.district, D(2025, 2, 28), "HD", staff_body=propaganda)
    after = issue(tree.district, D(2025, 3, 1), "HD", staff_body=propaganda)

    assert (before.number_line, before.issuer_name) == (
        "Số 01-HD/BTGHU",
        "Ban Tuyên giáo Huyện ủy Châu Thành",
    )
    # Same body, same term: the sequence goes on under the new code.
    assert (after.number_line, after.issuer_name) == (
        "Số 02-HD/BTGDVHU",
        "Ban Tuyên giáo và Dân vận Huyện ủy Châu Thành",
    )


def test_state_documents_restart_at_01_each_year(tree):
    people_committee = UnitFactory(
        name="Ủy ban nhân dân xã An Khánh", kind=UnitKind.AGENCY, short_code="UBND", parent=tree.an_khanh
    )

    numbers = [
        issue(people_committee, day, "QĐ", system=STATE).number_line
        for day in (D(2024, 12, 30), D(2024, 12, 31), D(2025, 1, 2))
    ]

    # No term needed: State numbering is by calendar year (Nghị định 30/2020).
    assert numbers == ["Số: 01/QĐ-UBND", "Số: 02/QĐ-UBND", "Số: 01/QĐ-UBND"]


def test_manual_number_is_accepted_once_and_the_counter_skips_past_it(tree, terms):
    issue(tree.district, D(2024, 1, 10))
    paper = issue(tree.district, D(2024, 1, 15), number=5)

    with pytest.raises(ValidationError) as refused:
        issue(tree.district, D(2024, 2, 1), number=5)
    following = issue(tree.district, D(2024, 2, 2))

    assert paper.number_line == "Số 05-KH/HU"
    assert refused.value.message_dict == {
        "number": [tr("%(line)s is already in the register.", line="Số 05-KH/HU")]
    }
    assert following.number_line == "Số 06-KH/HU"
    assert list(Document.objects.order_by("number").values_list("number", flat=True)) == [1, 5, 6]


def test_manual_number_below_the_counter_does_not_move_it_back(tree, terms):
    for day in (D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 4)):
        issue(tree.district, day, number=None)
    Document.objects.filter(number=2).delete()  # a mistaken entry removed by the văn thư

    refilled = issue(tree.district, D(2024, 1, 5), number=2)
    following = issue(tree.district, D(2024, 1, 6))

    assert (refilled.number, following.number) == (2, 4)


def test_issue_document_without_a_term_names_the_unit_and_date(tree, terms):
    with pytest.raises(ValidationError) as refused:
        issue(tree.district, D(2015, 7, 31))

    assert refused.value.messages == [
        tr(
            "%(unit)s has no term covering %(date)s. Party documents are numbered per term: "
            "add the term first.",
            unit="Huyện ủy Châu Thành",
            date="31/07/2015",
        )
    ]
    assert not Document.objects.exists()
    assert not NumberSequence.objects.exists()


def test_issue_document_refuses_an_empty_summary(tree, terms):
    with pytest.raises(ValidationError) as refused:
        issue(tree.district, D(2024, 1, 2), summary="   ")

    assert refused.value.message_dict == {"summary": [tr("Enter the summary (trích yếu).")]}


def test_external_documents_with_the_same_symbol_in_two_terms_are_two_documents(db):
    def register(term_label, day):
        return services.register_external_document(
            actor=None,
            issuer_name="Bộ Chính trị",
            issuer_code="TW",
            type_code="KL",
            number=1,
            issued_on=day,
            summary="về tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            term_label=term_label,
        )

    xiii = register("khóa XIII", D(2021, 5, 18))
    xiv = register("khóa XIV", D(2026, 3, 2))
    again = register("khóa XIII", D(2021, 5, 18))

    assert (xiii.symbol, xiv.symbol) == ("01-KL/TW", "01-KL/TW")
    assert xiii.pk != xiv.pk
    assert again.pk == xiii.pk
    assert Document.objects.count() == 2
    assert xiii.search_text == fold(f"01-KL/TW {xiii.summary} Bộ Chính trị")
