"""Text and dates as they may be stored, by every path: the person forms, the services they call
(the import has its own tests in tests/imports), and the exports that must never fail on what an
older record holds."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lantoa.lib.forms import VNDateField
from lantoa.lib.text import TextProblem, check_person_name, clean_text, printable
from lantoa.org import services
from lantoa.org.member_dates import age_on, member_date_problems
from lantoa.org.models import Person, Role
from tests.conftest import persona
from tests.factories import PersonFactory, member_in

D = dt.date


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ngô Văn Điều ", "Ngô Văn Điều"),
        ("Ngo\u0302 Va\u0306n", "Ngô Văn"),  # decomposed, as a Mac types it: stored composed
        ("Lê\u00a0Văn\tTám", "Lê Văn Tám"),  # a no-break space and a tab are spaces
        ("Trần\u200b Thị", "Trần Thị"),  # an invisible zero-width space is dropped
    ],
)
def test_text_is_stored_in_one_form(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Ngô Văn\x1bĐiều", "control"),
        ("Nguyễn\x00", "control"),
        ("Lê Văn \u202eTám", "bidi"),
        ("Lê \u2067Tám\u2069", "bidi"),
        ("tên \ue000", "unassigned"),
    ],
)
def test_text_that_cannot_be_shown_as_typed_is_refused(typed, code):
    with pytest.raises(TextProblem) as caught:
        clean_text(typed)

    assert caught.value.code == code


def test_long_text_keeps_its_line_breaks_and_one_line_text_does_not():
    assert clean_text("Dòng một\r\nDòng hai ", multiline=True) == "Dòng một\nDòng hai"
    assert clean_text("Dòng một\r\nDòng hai") == "Dòng một Dòng hai"


@pytest.mark.parametrize("name", ["H'Hen Niê", "Y-Moan Ê Ban", "Nguyễn Thị Ngọc Ánh", "Trần Văn A."])
def test_names_people_have_are_accepted(name):
    check_person_name(name)


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', "Lê Văn 2", "@Lan", "Lê <b>Lan</b>"])
def test_a_name_is_letters_and_name_signs(name):
    with pytest.raises(TextProblem):
        check_person_name(name)


def test_exports_never_fail_on_what_is_stored():
    assert printable("Ngô Văn\x1bĐiều\u202e") == "Ngô VănĐiều"
    assert printable("Dòng\nhai\tba") == "Dòng\nhai\tba"


# --- dates --------------------------------------------------------------------------------------


def test_age_counts_whole_years_also_from_29_february():
    assert age_on(D(2000, 2, 29), D(2018, 2, 28)) == 17
    assert age_on(D(2000, 2, 29), D(2018, 3, 1)) == 18
    assert age_on(D(2000, 2, 29), D(2028, 2, 29)) == 28


@pytest.mark.parametrize(
    ("birth", "admitted", "full", "codes"),
    [
        (D(1990, 5, 1), D(2015, 5, 1), D(2016, 5, 1), []),
        (D(2010, 1, 1), D(2015, 5, 1), None, ["admission_too_young"]),  # admitted at 5
        (D(1997, 6, 2), D(2015, 6, 1), None, ["admission_too_young"]),  # one day short of 18
        (D(1997, 6, 1), D(2015, 6, 1), None, []),  # on the 18th birthday
        (D(2016, 1, 1), D(2015, 5, 1), None, ["birth_after_admission"]),
        (D(1899, 12, 31), None, None, ["birth_too_early"]),
        (None, D(1929, 1, 1), None, ["admission_too_early"]),
        (None, D(2015, 5, 1), D(2014, 5, 1), ["full_before_admission"]),
    ],
)
def test_a_members_dates_follow_the_party_charter(birth, admitted, full, codes):
    today = D(2026, 11, 26)
    found = member_date_problems(birth=birth, admitted=admitted, full=full, today=today)

    assert [code for _field, code, _params in found] == codes


def test_dates_after_today_are_refused():
    today = timezone.localdate()
    later = today + dt.timedelta(days=1)

    found = member_date_problems(birth=later, admitted=later, full=later, today=today)

    assert [code for _field, code, _params in found][:1] == ["birth_future"]
    assert {"admission_future", "full_future"} <= {code for _field, code, _params in found}


@pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001", "31/12/1899", "01/01/2101"])
def test_a_date_field_refuses_years_no_record_can_have(typed):
    with pytest.raises(ValidationError) as caught:
        VNDateField().clean(typed)

    assert caught.value.code == "out_of_range"


def test_the_audit_log_with_far_dates_says_so_instead_of_failing(tree):
    admin = persona(tree.province, Role.ADMIN)

    for query in ({"date_from": "01/01/0001"}, {"date_to": "31/12/9999"}):
        response = admin.client.get(reverse("audit:log"), query)

        assert response.status_code == 200
        assert response.context["form"].errors


# --- the services every form calls --------------------------------------------------------------


def test_creating_a_person_stores_the_official_spelling_and_refuses_what_cannot_be_a_name(tree):
    person = services.create_person(
        actor=None, unit=tree.phuoc_thanh, full_name="Thạch  Thị Sa", ethnicity="khơ-me", religion="phật giáo"
    )

    assert (person.full_name, person.ethnicity, person.religion) == ("Thạch Thị Sa", "Khmer", "Phật giáo")
    with pytest.raises(ValidationError) as caught:
        services.create_person(actor=None, unit=tree.phuoc_thanh, full_name="=1+1", ethnicity="Người Sao Hỏa")
    assert set(caught.value.message_dict) == {"full_name", "ethnicity"}
    assert Person.objects.count() == 1


def test_admitting_a_five_year_old_is_refused(tree):
    child = PersonFactory(birth_date=D(2019, 3, 1))

    with pytest.raises(ValidationError) as caught:
        services.admit_member(actor=None, person=child, cell=tree.phuoc_thanh, admitted_on=D(2024, 3, 1))

    assert set(caught.value.message_dict) == {"admitted_on"}


def test_a_card_number_is_digits(tree):
    with pytest.raises(ValidationError) as caught:
        services.admit_member(
            actor=None,
            person=PersonFactory(),
            cell=tree.phuoc_thanh,
            admitted_on=D(2010, 3, 2),
            card_number="=9+1",
        )

    assert set(caught.value.message_dict) == {"card_number"}


def test_the_edit_form_refuses_a_control_character_and_writes_nothing(tree):
    member = member_in(tree.phuoc_thanh, name="Ngô Văn Điều")
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)

    response = secretary.client.post(
        reverse("org:person_edit", args=[member.person.public_id]),
        {"full_name": "Ngô Văn\x1bĐiều", "birth_date": "31/12/9999", "gender": "M"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "birth_date"}
    member.person.refresh_from_db()
    assert member.person.full_name == "Ngô Văn Điều"


def test_a_name_stored_with_a_control_character_does_not_break_the_exports(tree):
    member = member_in(tree.phuoc_thanh, name="Ngô Văn Điều")
    Person.objects.filter(pk=member.person.pk).update(full_name="Ngô Văn\x1bĐiều\u202e")
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)

    export = secretary.client.get(reverse("imports:export_members", args=["phuoc-thanh"]))

    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Ngô VănĐiều"]
