"""The compliance page, the "not yet filed" spreadsheet and filing a plan through the web."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.documents.models import Attachment, Document, Filing, Obligation, Term
from lantoa.org.models import Role, UnitKind
from tests.conftest import BEFORE_THE_REFORM, page_text, persona, tr
from tests.documents.conftest import DEADLINE, cells_obligation, file_plan
from tests.factories import UnitFactory

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
OTHER_CELLS = ["Chi bộ ấp Tân Thạnh", "Chi bộ Hội LHPN huyện", "Chi bộ ấp Giồng"]


def obligation_url(obligation: Obligation, **params: str) -> str:
    url = reverse("documents:obligation", args=[obligation.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_compliance_page_shows_counts_and_the_filed_percentage(district_staff, tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(plan_2024, tree.tan_thanh, D(2024, 4, 2))

    response = district_staff.client.get(obligation_url(plan_2024))

    text = page_text(response)
    assert tr("Filed: %(pct)s", pct="66,67%") in text
    assert [(u.name, c.total, c.on_time, c.late, c.not_filed) for u, c in response.context["child_rows"]] == [
        ("Chi bộ Hội LHPN huyện", 1, 0, 0, 1),
        ("Đảng ủy xã An Khánh", 1, 1, 0, 0),
        ("Đảng ủy xã Tân Thạch", 1, 0, 1, 0),
    ]
    # Units to chase first (not filed, then late, then on time); within each, the tree's order.
    assert [(row["unit"].name, row["status"]) for row in response.context["listed"]] == [
        ("Chi bộ Hội LHPN huyện", "missing"),
        ("Chi bộ ấp Tân Thạnh", "late"),
        ("Chi bộ ấp Phước Thạnh", "on_time"),
    ]


def test_compliance_page_for_a_cell_secretary_shows_only_their_cell(cell_secretary, tree, plan_2024):
    file_plan(plan_2024, tree.tan_thanh, D(2024, 3, 2))  # a filed plan could leak its number too

    response = cell_secretary.client.get(obligation_url(plan_2024))

    assert response.status_code == 200
    assert response.context["root"] == tree.phuoc_thanh
    assert [row["unit"].name for row in response.context["listed"]] == ["Chi bộ ấp Phước Thạnh"]
    html = response.content.decode()
    assert [name for name in [*OTHER_CELLS, "Đảng ủy xã Tân Thạch", "01-KH/CB"] if name in html] == []


def test_compliance_page_starts_at_the_highest_unit_a_commune_secretary_sees(tree, plan_2024):
    commune_secretary = persona(tree.an_khanh, Role.SECRETARY)

    response = commune_secretary.client.get(obligation_url(plan_2024))

    assert response.context["root"] == tree.an_khanh
    assert [u.name for u in response.context["path"]] == ["Đảng ủy xã An Khánh"]
    assert [row["unit"].name for row in response.context["listed"]] == ["Chi bộ ấp Phước Thạnh"]
    html = response.content.decode()
    assert [name for name in OTHER_CELLS if name in html] == []


@pytest.mark.parametrize("name", ["documents:obligation", "documents:obligation_missing"])
def test_compliance_page_refuses_another_cell_to_a_cell_secretary(cell_secretary, tree, plan_2024, name):
    response = cell_secretary.client.get(reverse(name, args=[plan_2024.public_id]), {"unit": "tan-thanh"})

    assert response.status_code == 404
    assert "Chi bộ ấp Tân Thạnh" not in response.content.decode()


def test_obligation_of_a_committee_gone_by_its_deadline_is_404_not_an_error(district_staff, tree):
    # A row saved before create_obligation checked the deadline (or imported): nobody must file.
    legacy = Obligation.objects.create(
        unit=tree.district,
        title="Kế hoạch năm 2025",
        year=2025,
        deadline=D(2025, 12, 31),
        target_kinds=["cell"],
    )

    for name in ("documents:obligation", "documents:obligation_missing"):
        assert district_staff.client.get(reverse(name, args=[legacy.public_id])).status_code == 404


def test_compliance_page_drills_down_to_a_commune_listing_cells_in_vietnamese_order(
    district_staff, tree, plan_2024
):
    UnitFactory(name="Chi bộ Hòa Lộc", parent=tree.an_khanh)
    UnitFactory(name="Chi bộ Đình Trung", parent=tree.an_khanh)

    response = district_staff.client.get(obligation_url(plan_2024, unit="an-khanh"))

    assert [u.name for u in response.context["path"]] == ["Huyện ủy Châu Thành", "Đảng ủy xã An Khánh"]
    # Ấ sorts with A and Đ with D (code points would give Hòa Lộc, Đình Trung, ấp Phước Thạnh).
    assert [row["unit"].name for row in response.context["listed"]] == [
        "Chi bộ ấp Phước Thạnh",
        "Chi bộ Đình Trung",
        "Chi bộ Hòa Lộc",
    ]


@pytest.mark.today(BEFORE_THE_REFORM)
def test_obligation_set_by_a_unit_closed_before_its_deadline_is_refused(district_staff, tree):
    # Huyện ủy Châu Thành ends on 30/6/2025: nobody is under it on 31/12/2025 to file anything.
    response = district_staff.client.post(
        reverse("documents:obligation_create"),
        {
            "unit": "chau-thanh",
            "title": "Kế hoạch năm 2025",
            "year": "2025",
            "required_type": "KH",
            "target_kinds": [UnitKind.CELL],
            "deadline": "31/12/2025",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "deadline": [
            tr("%(unit)s does not exist on %(date)s.", unit="Huyện ủy Châu Thành", date="31/12/2025")
        ]
    }
    assert not Obligation.objects.exists()


@pytest.mark.today(BEFORE_THE_REFORM)
def test_obligation_create_through_the_web(district_staff, tree):
    response = district_staff.client.post(
        reverse("documents:obligation_create"),
        {
            "unit": "chau-thanh",
            "title": "Kế hoạch thực hiện chuyên đề năm 2024",
            "year": "2024",
            "required_type": "KH",
            "target_kinds": [UnitKind.CELL, UnitKind.GRASSROOTS_CELL],
            "deadline": "31/03/2024",
        },
    )

    obligation = Obligation.objects.get()
    assert response.status_code == 302
    assert response.url == obligation_url(obligation)
    assert (obligation.unit, obligation.deadline, obligation.target_kinds) == (
        tree.district,
        DEADLINE,
        [UnitKind.CELL, UnitKind.GRASSROOTS_CELL],
    )


def test_not_filed_spreadsheet_lists_exactly_the_units_not_filed(district_staff, tree, plan_2024):
    UnitFactory(key="ap-x", name='=HYPERLINK("http://x.test","bấm")', parent=tree.tan_thach)
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(plan_2024, tree.women, D(2024, 4, 20))  # late, but filed

    response = district_staff.client.get(
        reverse("documents:obligation_missing", args=[plan_2024.public_id]), {"unit": "chau-thanh"}
    )

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    cell_kind = tr("Subordinate Party cell")
    assert rows == [
        ["Danh sách đơn vị chưa nộp: Kế hoạch thực hiện chuyên đề năm 2024", None, None, None, None],
        ["Huyện ủy Châu Thành — hạn nộp 31/03/2024", None, None, None, None],
        [None, None, None, None, None],
        ["STT", "Đơn vị", "Loại", "Trực thuộc", "Tình trạng"],
        [1, '\'=HYPERLINK("http://x.test","bấm")', cell_kind, "Đảng ủy xã Tân Thạch", "Chưa nộp (quá hạn)"],
        [2, "Chi bộ ấp Tân Thạnh", cell_kind, "Đảng ủy xã Tân Thạch", "Chưa nộp (quá hạn)"],
    ]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor, entry.target_id, entry.unit, entry.note) == (
        district_staff.user,
        str(plan_2024.pk),
        tree.district,
        "not filed",
    )


def test_not_filed_spreadsheet_of_a_cell_secretary_holds_only_their_cell(cell_secretary, tree, plan_2024):
    response = cell_secretary.client.get(reverse("documents:obligation_missing", args=[plan_2024.public_id]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["Chi bộ ấp Phước Thạnh"]
    assert response["Content-Disposition"] == 'attachment; filename="chua-nop-2024-phuoc-thanh.xlsx"'


def test_not_filed_spreadsheet_title_line_is_not_a_formula(tree, plan_2024):
    cell = UnitFactory(key="ap-f", name='=HYPERLINK("http://x.test","bấm")', parent=tree.an_khanh)
    secretary = persona(cell, Role.SECRETARY)

    response = secretary.client.get(reverse("documents:obligation_missing", args=[plan_2024.public_id]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x.test","bấm") — hạn nộp 31/03/2024'
    assert sheet["A2"].data_type == "s"


def _file(client, obligation, upload, **fields):
    data = {
        "summary": "thực hiện chuyên đề năm 2024",
        "issued_on": "15/03/2024",
        "number": "",
        "signer_title": "BÍ THƯ",
        "signer_name": "Nguyễn Văn Hòa",
        "filed_on": "20/03/2024",
        "file": upload,
        **fields,
    }
    return client.post(reverse("documents:obligation_file", args=[obligation.public_id, "phuoc-thanh"]), data)


def test_filing_a_plan_through_the_web(cell_secretary, tree, plan_2024):
    upload = SimpleUploadedFile("ke-hoach-chi-bo.pdf", b"%PDF-1.4 plan", content_type="application/pdf")

    response = _file(cell_secretary.client, plan_2024, upload)

    assert response.status_code == 302
    assert response.url == obligation_url(plan_2024, unit="phuoc-thanh")
    document = Document.objects.get()
    assert (document.issuer_unit, document.number_line, document.signing_body) == (
        tree.phuoc_thanh,
        "Số 01-KH/CB",
        "CHI BỘ",
    )
    filing = Filing.objects.get()
    assert (filing.unit, filing.document, filing.filed_on) == (tree.phuoc_thanh, document, D(2024, 3, 20))
    attachment = Attachment.objects.get()
    download = cell_secretary.client.get(
        reverse("documents:attachment", args=[document.public_id, attachment.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"

    page = cell_secretary.client.get(response.url)
    assert [(row["unit"].name, row["status"]) for row in page.context["listed"]] == [
        ("Chi bộ ấp Phước Thạnh", "on_time")
    ]
    assert "01-KH/CB · 20/03/2024" in page_text(page)


def test_filing_refuses_an_exe_and_keeps_nothing(cell_secretary, tree, plan_2024):
    upload = SimpleUploadedFile("ke-hoach.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    response = _file(cell_secretary.client, plan_2024, upload)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": [
            tr("Files of type %(suffix)s are not accepted; use PDF, Word, Excel or a photo.", suffix=".exe")
        ]
    }
    assert (Document.objects.count(), Attachment.objects.count(), Filing.objects.count()) == (0, 0, 0)


def test_filing_twice_goes_back_to_the_page(cell_secretary, tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))

    response = cell_secretary.client.get(
        reverse("documents:obligation_file", args=[plan_2024.public_id, "phuoc-thanh"])
    )

    assert response.status_code == 302
    assert Filing.objects.count() == 1


def test_filing_for_a_unit_that_need_not_file_is_404(district_staff, tree, plan_2024):
    response = district_staff.client.get(
        reverse("documents:obligation_file", args=[plan_2024.public_id, "an-khanh"])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("number", ["", "7"])
def test_filed_plan_number_follows_the_cells_register(cell_secretary, tree, plan_2024, number):
    upload = SimpleUploadedFile("kh.pdf", b"%PDF-1.4", content_type="application/pdf")

    _file(cell_secretary.client, plan_2024, upload, number=number)

    assert Document.objects.get().number_line == ("Số 07-KH/CB" if number else "Số 01-KH/CB")


def test_filing_for_a_cell_without_a_term_says_what_to_do(cell_secretary, tree, plan_2024):
    Term.objects.filter(unit=tree.phuoc_thanh).delete()
    upload = SimpleUploadedFile("kh.pdf", b"%PDF-1.4", content_type="application/pdf")

    response = _file(cell_secretary.client, plan_2024, upload)

    assert response.context["form"].non_field_errors() == [
        tr(
            "%(unit)s has no term covering %(date)s. Party documents are numbered per term: "
            "add the term first.",
            unit="Chi bộ ấp Phước Thạnh",
            date="15/03/2024",
        )
    ]
    assert (Document.objects.count(), Filing.objects.count()) == (0, 0)


# --- the list: filed out of how many, and which years are done ----------------------------------


def test_obligation_list_says_filed_out_of_how_many_with_the_percentage(district_staff, tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(plan_2024, tree.tan_thanh, D(2024, 4, 2))

    response = district_staff.client.get(reverse("documents:obligations"))

    assert [(o.title, o.filed, o.must_file) for o in response.context["set_by_mine"]] == [
        ("Kế hoạch thực hiện chuyên đề năm 2024", 2, 3)
    ]
    text = page_text(response)
    expected = tr("%(filed)s of %(total)s (%(percent)s)", filed="2", total="3", percent="66,67%")
    assert f"31/03/2024 {tr('past')} {expected}" in text


def test_obligation_list_marks_a_year_where_every_unit_filed_as_done(district_staff, tree, plan_2024):
    for cell in (tree.phuoc_thanh, tree.tan_thanh, tree.women):
        file_plan(plan_2024, cell, D(2024, 3, 20))

    response = district_staff.client.get(reverse("documents:obligations"))

    text = page_text(response)
    done = tr("%(filed)s of %(total)s (%(percent)s)", filed="3", total="3", percent="100,00%")
    assert f"31/03/2024 {tr('all filed')} {done}" in text
    assert tr("past") not in text
    assert 'badge text-bg-success">' + tr("all filed") in response.content.decode()


def test_obligated_counts_agree_with_each_obligation_across_the_2025_changes(tree, terms):
    """One walk for many obligations must count what the one-obligation walk counts, for each
    deadline's own tree (An Khánh moved from the district to the province on 1/7/2025)."""
    from lantoa.documents import queries

    obligations = [
        cells_obligation(tree.district),
        cells_obligation(tree.province, D(2024, 6, 30), title="Cấp tỉnh 2024"),
        cells_obligation(tree.province, D(2025, 12, 31), title="Cấp tỉnh 2025"),
        cells_obligation(tree.an_khanh, D(2025, 12, 31), title="Cấp xã 2025"),
        cells_obligation(tree.district, D(2024, 6, 30), title="Chỉ đảng ủy xã", target_kinds=["commune"]),
    ]

    counts = queries.obligated_counts(obligations)

    assert counts == {o.pk: len(queries.obligated_unit_ids(o)) for o in obligations}
    assert [counts[o.pk] for o in obligations] == [3, 4, 2, 1, 2]


# --- the page: one vocabulary, the units not filed, and the secretary's own status ---------------


def test_compliance_page_says_not_filed_overdue_or_not_yet_due_in_summary_and_rows(
    district_staff, tree, plan_2024
):
    # Due on the district's last day (the module's today is before it): An Khánh was still its own.
    upcoming = cells_obligation(tree.an_khanh, D(2025, 6, 30), title="Kế hoạch 6 tháng 2025")

    overdue = page_text(district_staff.client.get(obligation_url(plan_2024)))
    pending = page_text(district_staff.client.get(obligation_url(upcoming)))

    assert f"3 {tr('not filed (overdue)')}" in overdue
    assert f"Chi bộ Hội LHPN huyện {tr('not filed (overdue)')}" in overdue
    assert f"1 {tr('not filed (not yet due)')}" in pending
    assert f"Chi bộ ấp Phước Thạnh {tr('not filed (not yet due)')}" in pending
    assert tr("not filed (not yet due)") not in overdue
    assert tr("not filed (overdue)") not in pending


def test_compliance_page_can_show_only_the_units_not_filed(district_staff, tree, plan_2024):
    file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))
    file_plan(plan_2024, tree.women, D(2024, 4, 20))

    everything = district_staff.client.get(obligation_url(plan_2024))
    missing = district_staff.client.get(obligation_url(plan_2024, missing="1"))

    assert [row["unit"].name for row in everything.context["listed"]] == [
        "Chi bộ ấp Tân Thạnh",
        "Chi bộ Hội LHPN huyện",
        "Chi bộ ấp Phước Thạnh",
    ]
    assert [(row["unit"].name, row["status"]) for row in missing.context["listed"]] == [
        ("Chi bộ ấp Tân Thạnh", "missing")
    ]
    assert f'href="?unit=chau-thanh&amp;missing=1#units">{tr("Only units not filed")}' in (
        everything.content.decode()
    )


def test_cell_secretary_sees_their_cells_own_status_with_the_button_to_file(cell_secretary, tree, plan_2024):
    response = cell_secretary.client.get(obligation_url(plan_2024))

    assert [(row["unit"], row["status"], row["can_file"]) for row in response.context["own"]] == [
        (tree.phuoc_thanh, "missing", True)
    ]
    text = page_text(response)
    sentence = tr(
        "%(unit)s has not filed – the deadline was %(day)s.", unit="Chi bộ ấp Phước Thạnh", day="31/03/2024"
    )
    assert f"{sentence} {tr('File the plan')}" in text
    file_url = reverse("documents:obligation_file", args=[plan_2024.public_id, "phuoc-thanh"])
    assert f'<a class="btn btn-danger btn-lg" href="{file_url}">' in response.content.decode()


def test_cell_secretary_sees_the_plan_their_cell_filed_and_whether_on_time(cell_secretary, tree, plan_2024):
    document = file_plan(plan_2024, tree.phuoc_thanh, D(2024, 3, 20))

    text = page_text(cell_secretary.client.get(obligation_url(plan_2024)))

    assert (
        tr(
            "%(unit)s filed %(document)s dated %(issued)s – %(verdict)s.",
            unit="Chi bộ ấp Phước Thạnh",
            document=document.number_line,
            issued="20/03/2024",
            verdict=tr("on time"),
        )
        in text
    )


def test_district_staff_get_no_own_status_sentence(district_staff, plan_2024):
    response = district_staff.client.get(obligation_url(plan_2024))

    assert response.context["own"] == []
