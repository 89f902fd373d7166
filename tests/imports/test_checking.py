"""Reading member files and checking their rows: headers, every kind of bad row, file formats."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from lantoa.imports.checking import PROGRESS_EVERY, check_file
from lantoa.org.models import PartyMember, Person
from tests.factories import UnitFactory, member_in

from .conftest import HEADERS, D, check, csv_bytes, member_row, messages_of, name_for, xlsx_bytes

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        ["Họ tên", "Số thẻ ĐV", "Ngày kết nạp", "Chi bộ"],
        ["HỌ VÀ TÊN ĐẢNG VIÊN", "SỐ THẺ", "NGÀY VÀO ĐẢNG", "CHI BỘ"],
        ["ho va ten", "so the dang vien", "ngay vao dang", "chi bo"],
        [" Họ  và   tên ", "Số thẻ đảng viên (*)", "Ngày vào Đảng", "Chi  bộ"],
    ],
)
def test_headers_match_case_accent_and_space_variants(tree, headers):
    content = xlsx_bytes([["Trần Văn Bình", "90000001", D(2005, 9, 2), "phuoc-thanh"]], headers=headers)

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == []
    assert plan.counts["new"] == 1
    assert plan.creates[0].values == {"full_name": "Trần Văn Bình", "admitted_on": D(2005, 9, 2)}


def test_headers_accept_every_documented_variant(tree):
    headers = [
        "STT",
        "Họ và tên",
        "Số thẻ",
        "Ngày sinh",
        "Giới tính",
        "Dân tộc",
        "Tôn giáo",
        "Số định danh",
        "SĐT",
        "Ngày kết nạp",
        "Ngày công nhận chính thức",
        "Chi bộ",
    ]
    content = xlsx_bytes([member_row()], headers=headers)

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == []
    values = plan.creates[0].values
    assert values["id_number"] == "083080001111"
    assert values["phone"] == "0912000111"
    assert values["full_member_on"] == D(2006, 9, 2)


def test_unknown_header_is_named(tree):
    content = xlsx_bytes([[*member_row(), "Bình Đại"]], headers=[*HEADERS, "Quê quán"])

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == [
        (
            "Row 1, column “Quê quán”: unknown column; the columns that can be imported are listed in the "
            "template"
        )
    ]


def test_missing_required_headers_are_each_reported(tree):
    content = xlsx_bytes([["Trần Văn Bình", D(1980, 1, 1)]], headers=["Họ và tên", "Ngày sinh"])

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == [
        "Row 1, column “Số thẻ đảng viên”: this required column is missing",
        "Row 1, column “Ngày vào Đảng”: this required column is missing",
        "Row 1, column “Chi bộ”: this required column is missing",
    ]


def test_repeated_header_is_reported(tree):
    content = xlsx_bytes([[*member_row(), "x"]], headers=[*HEADERS, "Họ tên"])

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == ["Row 1, column “Họ tên”: this column appears twice (also column B)"]


def test_title_rows_above_the_header_are_skipped_and_rows_keep_excel_numbers(tree):
    content = xlsx_bytes(
        [[], HEADERS, member_row(name="")],
        headers=["DANH SÁCH ĐẢNG VIÊN CHI BỘ ẤP PHƯỚC THẠNH"],
    )

    plan = check(tree.an_khanh, content)

    assert messages_of(plan) == ["Row 4, column “Họ và tên”: is empty"]


def test_file_without_header_row_says_so(tree):
    plan = check(tree.an_khanh, xlsx_bytes([["a", "b"]], headers=["x", "y"]))

    assert messages_of(plan) == [
        (
            "no header row found: one of the first rows must name the columns "
            "(“Họ và tên”, “Số thẻ đảng viên”, “Ngày vào Đảng”, “Chi bộ”)"
        )
    ]


def test_file_without_member_rows_says_so(tree):
    plan = check(tree.an_khanh, xlsx_bytes([[None, None], [3]]))

    assert messages_of(plan) == ["the file has no member rows"]


def test_unreadable_and_wrong_type_files_are_reported(tree):
    assert messages_of(check(tree.an_khanh, b"not a zip", "members.xlsx")) == [
        "the file cannot be read as an .xlsx or .csv spreadsheet"
    ]
    assert messages_of(check(tree.an_khanh, b"x", "members.xls")) == [
        "only .xlsx and .csv files can be imported"
    ]


# ---------------------------------------------------------------------------------------------
# Bad rows: one test per kind, exact messages
# ---------------------------------------------------------------------------------------------


def _only_problem(tree, **row):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(**row)]))
    return messages_of(plan)


def test_unreadable_date_is_reported(tree):
    assert _only_problem(tree, birth="hôm qua") == [
        "Row 2, column “Ngày sinh”: cannot read the date “hôm qua” (write it as dd/mm/yyyy)"
    ]


def test_impossible_date_is_reported(tree):
    assert _only_problem(tree, admitted="31/02/2010") == [
        "Row 2, column “Ngày vào Đảng”: there is no such date: 31/02/2010"
    ]


def test_full_membership_before_admission_is_reported(tree):
    assert _only_problem(tree, full="01/01/2005") == [
        (
            "Row 2, column “Ngày chính thức”: the date of full membership 01/01/2005 is before the date of "
            "admission 02/09/2005"
        )
    ]


def test_birth_after_admission_is_reported(tree):
    assert _only_problem(tree, birth=D(2010, 1, 1)) == [
        (
            "Row 2, column “Ngày sinh”: the date of birth 01/01/2010 is not before the date of admission "
            "02/09/2005"
        )
    ]


def test_admission_in_the_future_is_reported(tree):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    text = tomorrow.strftime("%d/%m/%Y")

    assert _only_problem(tree, admitted=text, full=None) == [
        f"Row 2, column “Ngày vào Đảng”: the date of admission {text} is in the future"
    ]


def test_admission_before_the_party_was_founded_is_reported(tree):
    assert _only_problem(tree, birth="01/01/1900", admitted="01/01/1925", full=None) == [
        (
            "Row 2, column “Ngày vào Đảng”: the date of admission 01/01/1925 is before the Party was founded "
            "(03/02/1930)"
        )
    ]


def test_unknown_cell_is_reported(tree):
    assert _only_problem(tree, cell="Chi bộ ấp Giồng") == [
        "Row 2, column “Chi bộ”: there is no cell “Chi bộ ấp Giồng” in Đảng ủy xã An Khánh today"
    ]


def test_ambiguous_cell_name_is_reported(tree):
    UnitFactory(key="phuoc-thanh-2", name="Chi bộ ấp Phước Thạnh", parent=tree.an_khanh)

    assert _only_problem(tree, cell="chi bo ap phuoc thanh") == [
        (
            "Row 2, column “Chi bộ”: “chi bo ap phuoc thanh” is the name of several cells (Chi bộ ấp Phước "
            "Thạnh (phuoc-thanh), Chi bộ ấp Phước Thạnh (phuoc-thanh-2)); write the cell's key instead"
        )
    ]


def test_cell_is_found_by_key_by_name_without_accents_and_by_name_with_key(tree):
    UnitFactory(key="phuoc-thanh-2", name="Chi bộ ấp Phước Thạnh", parent=tree.an_khanh)
    rows = [
        member_row(card="1", cell="PHUOC-THANH"),
        member_row(card="2", name="Lê Văn Cư", cell="Chi bộ ấp Phước Thạnh (phuoc-thanh-2)"),
    ]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert messages_of(plan) == []
    assert [row.cell_id for row in plan.creates] == [tree.phuoc_thanh.pk, plan.creates[1].cell_id]
    assert plan.cells[plan.creates[1].cell_id].key == "phuoc-thanh-2"


def test_cell_outside_the_chosen_unit_is_unknown_even_if_it_exists(tree):
    plan = check(tree.tan_thach, xlsx_bytes([member_row(cell="phuoc-thanh")]))

    assert messages_of(plan) == [
        "Row 2, column “Chi bộ”: there is no cell “phuoc-thanh” in Đảng ủy xã Tân Thạch today"
    ]


def test_empty_name_is_reported(tree):
    assert _only_problem(tree, name="   ") == ["Row 2, column “Họ và tên”: is empty"]


def test_bad_gender_is_reported(tree):
    assert _only_problem(tree, gender="Trai") == [
        "Row 2, column “Giới tính”: write “Nam” or “Nữ”, not “Trai”"
    ]


def test_gender_is_read_without_accents_or_case(tree):
    plan = check(
        tree.an_khanh, xlsx_bytes([member_row(card="1", gender="NỮ"), member_row(card="2", gender="nu")])
    )

    assert [row.values["gender"] for row in plan.creates] == ["F", "F"]


@pytest.mark.parametrize("value", ["12345", "08308000111a", "0830800011112"])
def test_citizen_id_of_wrong_length_is_reported(tree, value):
    assert _only_problem(tree, id_number=value) == [
        f"Row 2, column “Số CCCD”: a citizen ID number has 12 digits (old ID cards: 9), not “{value}”"
    ]


def test_citizen_id_keeps_its_leading_zero_from_a_number_cell_and_old_cards_have_nine_digits(tree):
    rows = [
        member_row(card="1", id_number=83080001111),
        member_row(card="2", name="Lê Văn Cư", id_number="023 456 789"),
    ]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert [row.values["id_number"] for row in plan.creates] == ["083080001111", "023456789"]


def test_phone_and_card_from_number_cells(tree):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(card=90000001, phone=912000111)]))

    assert plan.creates[0].card == "90000001"
    assert plan.creates[0].values["phone"] == "0912000111"


def test_too_long_text_is_reported(tree):
    assert _only_problem(tree, card="1" * 21) == [
        "Row 2, column “Số thẻ đảng viên”: is too long (at most 20 characters)"
    ]


def test_row_without_card_needs_a_birth_date(tree):
    assert _only_problem(tree, card=None, birth=None) == [
        (
            "Row 2, column “Số thẻ đảng viên”: without a party card number, the date of birth is needed to "
            "recognise the member"
        )
    ]


def test_duplicate_card_in_the_file_names_both_rows(tree):
    rows = [member_row(), member_row(name="Lê Văn Cư"), member_row(name="Phạm Thị Duyên", card="90000002")]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert messages_of(plan) == [
        "Row 3, column “Số thẻ đảng viên”: party card number 90000001 is also on row 2"
    ]


def test_same_person_without_card_twice_is_reported(tree):
    rows = [member_row(card=None), member_row(card=None, number=2)]

    assert messages_of(check(tree.an_khanh, xlsx_bytes(rows))) == [
        "Row 3, column “Họ và tên”: the same name and date of birth (without a card number) are also on row 2"
    ]


def test_card_of_a_member_outside_the_unit_is_reported_without_naming_them(tree, stranger_member):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(card="99000111")]))

    assert messages_of(plan) == [
        (
            "Row 2, column “Số thẻ đảng viên”: party card number 99000111 belongs to a member who is not in "
            "Đảng ủy xã An Khánh; check the number, or ask the unit that holds the member to transfer them"
        )
    ]


def test_member_of_a_sibling_cell_is_outside_a_smaller_unit(tree):
    member_in(tree.phuoc_thanh, card_number="90000001")

    plan = check(tree.tan_thach, xlsx_bytes([member_row(cell="tan-thanh")]))

    assert [problem.code for problem in plan.problems] == ["card_out_of_scope"]


def test_old_card_number_and_current_card_number_of_one_member_clash(tree):
    from lantoa.org.services import change_card_number

    member = member_in(tree.phuoc_thanh, card_number="90000001")
    change_card_number(actor=None, member=member, new_number="91000001", on=D(2025, 9, 1))
    rows = [member_row(card="90000001"), member_row(card="91000001")]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert messages_of(plan) == [
        "Row 3, column “Số thẻ đảng viên”: party card number 91000001 belongs to the same member as row 2"
    ]


def test_new_card_number_for_a_namesake_with_a_card_is_reported(tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number="90000001")
    member.person.birth_date = D(1980, 4, 30)
    member.person.save()

    plan = check(tree.an_khanh, xlsx_bytes([member_row(card="95000001")]))

    assert messages_of(plan) == [
        (
            "Row 2, column “Số thẻ đảng viên”: a member with the same name and date of birth already "
            "holds card number 90000001; if the card was re-issued, record the new number on the "
            "member's page first"
        )
    ]


def test_dates_against_stored_values_are_checked_when_the_row_leaves_one_blank(tree):
    member_in(
        tree.phuoc_thanh, card_number="90000001", admitted_on=D(2010, 1, 1), full_member_on=D(2011, 1, 1)
    )

    plan = check(tree.an_khanh, xlsx_bytes([member_row(admitted=D(2012, 1, 1), full=None)]))

    assert messages_of(plan) == [
        (
            "Row 2, column “Ngày chính thức”: the date of full membership 01/01/2011 is before the date of "
            "admission 01/01/2012"
        )
    ]


def test_every_problem_of_every_row_is_listed_at_once(tree):
    rows = [
        member_row(name="", gender="x"),
        member_row(card="90000002", birth="32/13/1980", cell="nowhere"),
        member_row(card="90000003", name="Đỗ Văn Em"),
    ]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert [(problem.row, problem.column, problem.code) for problem in plan.problems] == [
        (2, "Họ và tên", "empty"),
        (2, "Giới tính", "bad_gender"),
        (3, "Ngày sinh", "date_impossible"),
        (3, "Chi bộ", "unknown_cell"),
    ]


def test_checking_runs_a_fixed_number_of_queries_whatever_the_rows(tree, django_assert_max_num_queries):
    for number in range(5):
        member_in(tree.phuoc_thanh, card_number=f"9000000{number}")
    rows = [member_row(card=f"9000000{n}", name=f"Người {name_for(n)}") for n in range(5)]
    rows += [member_row(card=f"9100000{n}", name=f"Mới {name_for(n)}") for n in range(40)]

    with django_assert_max_num_queries(8):
        plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert plan.counts["updated"] == 5
    assert plan.counts["new"] == 40


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", False), (",", True), (";", True)])
def test_csv_with_either_delimiter_and_optional_bom(tree, delimiter, bom):
    row = member_row(birth="30/04/1980", admitted="02/09/2005", full="2006-09-02")
    content = csv_bytes([row], delimiter=delimiter, bom=bom)

    plan = check(tree.an_khanh, content, "members.csv")

    assert messages_of(plan) == []
    assert plan.creates[0].values["full_name"] == "Trần Văn Bình"
    assert plan.creates[0].values["full_member_on"] == D(2006, 9, 2)


def test_csv_not_in_utf8_is_reported(tree):
    content = csv_bytes([member_row()]).decode().encode("utf-16")

    assert messages_of(check(tree.an_khanh, content, "members.csv")) == [
        "the .csv file is not in UTF-8; in Excel choose “Save as” → “CSV UTF-8”"
    ]


def test_a_phone_number_that_looks_like_a_formula_is_kept_as_typed(tree):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(phone="+84912000111")]))

    assert plan.creates[0].values["phone"] == "+84912000111"


def test_formulas_and_control_characters_are_not_names_or_card_numbers(tree):
    rows = [
        member_row(name='=HYPERLINK("http://x";"Bấm")', card="90000001", number=1),
        member_row(name="Ngô Văn\x1bĐiều", card="90000002", number=2),
        member_row(name="Lê Văn \u202eTám", card="90000003", number=3),
        member_row(name="Trần Văn Chín", card="=90000010+1", number=4),
        member_row(name="Phạm Thị Mười", card="90000005", religion="Đạo Xyz", ethnicity="Xyz", number=5),
    ]

    # A .csv: Excel itself refuses to store a control character in a cell.
    plan = check(tree.an_khanh, csv_bytes(rows), "members.csv")

    assert messages_of(plan) == [
        "Row 2, column “Họ và tên”: a name starts with a letter",
        "Row 3, column “Họ và tên”: contains an invisible control character (U+001B)",
        "Row 4, column “Họ và tên”: contains a character that reverses the direction of the text",
        "Row 5, column “Số thẻ đảng viên”: a card number is digits only",
        (
            "Row 6, column “Dân tộc”: “Xyz” is not one of the 54 ethnic groups; write its name as the "
            "official list does"
        ),
        (
            "Row 6, column “Tôn giáo”: “Đạo Xyz” is not a religion recognised in Việt Nam; write “Không” "
            "for none"
        ),
    ]
    assert plan.creates == []


def test_ethnicity_and_religion_are_written_as_the_official_lists_do(tree):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(ethnicity="Khơ-me", religion="thiên chúa giáo")]))

    assert (plan.creates[0].values["ethnicity"], plan.creates[0].values["religion"]) == ("Khmer", "Công giáo")


def test_blank_and_masked_cells_are_left_out_so_updates_keep_stored_values(tree):
    plan = check(
        tree.an_khanh, xlsx_bytes([member_row(ethnicity="•••", religion=None, phone="", birth=None)])
    )

    assert set(plan.creates[0].values) == {
        "full_name",
        "gender",
        "id_number",
        "admitted_on",
        "full_member_on",
    }


def test_excel_serial_number_in_a_date_column_is_a_date(tree):
    plan = check(tree.an_khanh, xlsx_bytes([member_row(admitted=38597)]))

    assert plan.creates[0].values["admitted_on"] == D(2005, 9, 2)


def test_progress_is_reported_while_reading(tree):
    rows = [
        member_row(card=str(80000000 + n), name=f"Người Số {name_for(n)}") for n in range(PROGRESS_EVERY + 5)
    ]
    reports = []

    check_file(
        io.BytesIO(xlsx_bytes(rows)),
        "m.xlsx",
        tree.an_khanh,
        actor=None,
        progress=lambda d, t: reports.append((d, t)),
    )

    assert reports == [(PROGRESS_EVERY, PROGRESS_EVERY + 5), (PROGRESS_EVERY + 5, PROGRESS_EVERY + 5)]


def test_checking_writes_nothing(tree):
    check(tree.an_khanh, xlsx_bytes([member_row()]))

    assert (Person.objects.count(), PartyMember.objects.count()) == (0, 0)


def test_namesakes_without_a_card_number_are_ambiguous(tree):
    for _ in range(2):
        member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number=None)
        member.person.birth_date = D(1980, 4, 30)
        member.person.save()

    plan = check(tree.an_khanh, xlsx_bytes([member_row(card=None)]))

    assert messages_of(plan) == [
        (
            "Row 2, column “Họ và tên”: several members have this name and date of birth; enter the party "
            "card number"
        )
    ]


def test_csv_the_reader_cannot_parse_is_unreadable(tree):
    # A quoted field longer than the csv module accepts (131 072 characters).
    content = csv_bytes([member_row()]) + b'"' + b"x" * 200_000 + b'"\n'

    assert messages_of(check(tree.an_khanh, content, "members.csv")) == [
        "the file cannot be read as an .xlsx or .csv spreadsheet"
    ]


def test_progress_counts_rows_read_including_blank_ones(tree):
    rows = [
        member_row(card=str(80000000 + n), name=f"Người Số {name_for(n)}") if n % 2 else []
        for n in range(2 * PROGRESS_EVERY)
    ]
    reports = []

    plan = check_file(
        io.BytesIO(xlsx_bytes(rows)),
        "m.xlsx",
        tree.an_khanh,
        actor=None,
        progress=lambda d, t: reports.append((d, t)),
    )

    assert plan.rows == PROGRESS_EVERY
    assert reports == [
        (PROGRESS_EVERY, 2 * PROGRESS_EVERY),
        (2 * PROGRESS_EVERY, 2 * PROGRESS_EVERY),
        (PROGRESS_EVERY, PROGRESS_EVERY),
    ]


def test_cycle_collector_is_paused_while_checking_and_restored_after(tree, monkeypatch):
    import gc

    from lantoa.imports import checking

    seen = []
    real = checking._check_file
    monkeypatch.setattr(checking, "_check_file", lambda *args: seen.append(gc.isenabled()) or real(*args))

    check(tree.an_khanh, xlsx_bytes([member_row()]))

    assert (seen, gc.isenabled()) == ([False], True)


def test_duplicate_card_is_reported_even_when_the_rows_have_other_problems(tree):
    rows = [member_row(gender="x"), member_row(name="Lê Văn Cư", birth="31/02/1990")]

    assert messages_of(check(tree.an_khanh, xlsx_bytes(rows))) == [
        "Row 2, column “Giới tính”: write “Nam” or “Nữ”, not “x”",
        "Row 3, column “Số thẻ đảng viên”: party card number 90000001 is also on row 2",
        "Row 3, column “Ngày sinh”: there is no such date: 31/02/1990",
    ]


def test_row_without_card_for_a_member_already_in_the_file_is_a_repeat(tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Bình", card_number="90000001")
    member.person.birth_date = D(1980, 4, 30)
    member.person.save()

    plan = check(tree.an_khanh, xlsx_bytes([member_row(), member_row(card=None)]))

    assert messages_of(plan) == [
        "Row 3, column “Họ và tên”: the same name and date of birth (without a card number) are also on row 2"
    ]


def test_the_templates_example_row_is_refused_alone_whatever_else_is_wrong_with_it(tree):
    rows = [
        member_row(name="NGUYEN VAN AN", card="12345678", cell="Chi bộ không có", gender="Trai"),
        member_row(name="Nguyễn Văn An", card="90001234", number=2),  # a real namesake
    ]

    plan = check(tree.an_khanh, xlsx_bytes(rows))

    assert [(problem.row, problem.code) for problem in plan.problems] == [(2, "template_example")]
    assert [row.card for row in plan.creates] == ["90001234"]
