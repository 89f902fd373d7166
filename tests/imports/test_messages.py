"""Problem messages are stored as codes and worded when shown, in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from lantoa.imports.messages import PROBLEMS, ROW_COLUMN_TEMPLATE, ROW_TEMPLATE, Problem, describe
from tests.conftest import BEFORE_THE_REFORM

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _msgids() -> list[str]:
    with translation.override("en"):
        return [str(ROW_COLUMN_TEMPLATE), str(ROW_TEMPLATE), *(str(text) for text in PROBLEMS.values())]


def test_problem_is_worded_when_shown_not_when_stored():
    stored = Problem("bad_gender", row=4, column="Giới tính", params={"value": "Trai"}).as_json()
    stored["message"] = "something older"

    assert describe(stored) == {"row": 4, "column": "Giới tính", "problem": "write “Nam” or “Nữ”, not “Trai”"}


def test_problem_from_a_newer_version_falls_back_to_its_stored_message():
    assert describe({"row": 2, "column": "X", "code": "from_the_future", "message": "saved text"}) == {
        "row": 2,
        "column": "X",
        "problem": "saved text",
    }


# ---------------------------------------------------------------------------------------------
# In Vietnamese, as district staff read them
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("msgid", _msgids())
def test_catalogue_translates_every_problem_keeping_placeholders(msgid):
    with translation.override("vi"):
        vietnamese = translation.gettext(msgid)

    assert vietnamese != msgid
    assert sorted(PLACEHOLDER.findall(vietnamese)) == sorted(PLACEHOLDER.findall(msgid))


@pytest.mark.django_db
def test_row_problems_read_in_vietnamese(tree):
    from .conftest import check, member_row, messages_of, xlsx_bytes

    plan = check(tree.an_khanh, xlsx_bytes([member_row(name="", gender="Trai", admitted="31/02/2010")]))

    with translation.override("vi"):
        assert messages_of(plan) == [
            "Dòng 2, cột “Họ và tên”: bị để trống",
            "Dòng 2, cột “Giới tính”: ghi “Nam” hoặc “Nữ”, không ghi “Trai”",
            "Dòng 2, cột “Ngày vào Đảng”: ngày không có thật: 31/02/2010",
        ]


@pytest.mark.django_db
def test_command_prints_problems_in_vietnamese(tree, tmp_path):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from .conftest import member_row, xlsx_bytes

    path = tmp_path / "sai.xlsx"
    path.write_bytes(xlsx_bytes([member_row(id_number="123")]))
    out = io.StringIO()

    with translation.override("vi"), pytest.raises(CommandError, match=re.escape("Có 1 lỗi: chưa nhập gì.")):
        call_command("import_members", str(path), "--unit", "an-khanh", stdout=out)

    assert out.getvalue() == (
        "Dòng 2, cột “Số CCCD”: số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số), không phải “123”\n"
    )


@pytest.mark.django_db
def test_job_page_shows_problems_in_the_readers_language(tree, district_staff, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from .conftest import member_row, xlsx_bytes

    settings.LANGUAGE_CODE = "vi"
    upload = SimpleUploadedFile("m.xlsx", xlsx_bytes([member_row(name="")]))
    response = district_staff.client.post(reverse("imports:start"), {"unit": "an-khanh", "file": upload})

    page = district_staff.client.get(response.url).content.decode()
    english = district_staff.client.get(response.url, headers={"Accept-Language": "en"}).content.decode()

    assert "bị để trống" in page
    assert "Chưa nhập gì." in page
    assert "is empty" in english


@pytest.mark.django_db
def test_template_example_row_is_refused_in_plain_vietnamese(tree):
    from .conftest import check, member_row, messages_of, xlsx_bytes

    plan = check(tree.an_khanh, xlsx_bytes([member_row(name="Nguyễn Văn An", card="12345678")]))

    with translation.override("vi"):
        assert messages_of(plan) == ["Dòng 2: đây là dòng ví dụ của mẫu: xóa dòng này trước khi nhập"]
