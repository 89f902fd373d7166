"""The year-end council's list: assembled from the votes under the unit that year (months,
nominations, passed votes, commitments), curated with reasons, exported to Word and Excel; read by
those who read the unit, curated by its staff."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantoa.documents.models import Commitment
from lantoa.honours import council, services
from lantoa.honours.models import CouncilList, NominationStatus
from lantoa.org.models import Role
from tests.conftest import persona, tr
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


@pytest.fixture
def year_of_votes(tree, cell, at_the_commune):
    """Lan passed for February (voted) and January (passed earlier); the women's association
    passed for February; Tư nominated for January but not passed; a member of another district
    passed there."""
    member, collective = at_the_commune
    january = services.nominate(
        actor=None,
        unit=tree.phuoc_thanh,
        subject_person=cell.lan.person,
        achievements="Vận động hội viên trồng cây",
        period_kind="month",
        period_start=D(2024, 1, 1),
        period_end=D(2024, 1, 31),
        nominated_on=D(2024, 2, 1),
    )
    january.status = NominationStatus.PASSED
    january.save()
    not_passed = nominate(tree, person=cell.tu.person)
    not_passed.status = NominationStatus.NOT_PASSED
    not_passed.save()
    Commitment.objects.create(
        member=cell.lan, year=2024, position=1, text="Giữ gìn vệ sinh", registered_on=D(2024, 1, 5), done=True
    )
    Commitment.objects.create(
        member=cell.lan, year=2024, position=2, text="Tiết kiệm", registered_on=D(2024, 1, 5)
    )
    return member, collective, january, not_passed


def test_the_list_gathers_each_subject_passed_under_the_unit_that_year(tree, cell, year_of_votes):
    member, _collective, _january, _not_passed = year_of_votes
    council_list = council.assemble(actor=None, unit=tree.an_khanh, year=2024)

    entries = {e.subject_label: e for e in council_list.entries.all()}
    assert set(entries) == {cell.lan.person.full_name, "Chi hội Phụ nữ ấp Phước Thạnh"}
    lan = entries[cell.lan.person.full_name]
    assert lan.month_list == [1, 2]
    assert (lan.nominations_count, lan.votes_passed) == (2, 1)
    assert (lan.commitments_kept, lan.commitments_count) == (1, 2)
    assert lan.nomination == member  # the latest: what the council decides on
    assert entries["Chi hội Phụ nữ ấp Phước Thạnh"].is_collective
    # Another year, another list; the district's list of 2024 holds the same subjects.
    assert not council.assemble(actor=None, unit=tree.an_khanh, year=2023).entries.exists()
    assert council.assemble(actor=None, unit=tree.district, year=2024).entries.count() == 2
    assert not council.assemble(actor=None, unit=tree.other_district, year=2024).entries.exists()


def test_removed_subjects_stay_off_when_the_list_is_assembled_again(tree, cell, year_of_votes):
    _member, _collective, _january, not_passed = year_of_votes
    council_list = council.assemble(actor=None, unit=tree.an_khanh, year=2024)
    lan = council_list.entries.get(is_collective=False)

    with pytest.raises(ValidationError):
        council.remove_entry(actor=None, entry=lan, reason="  ")
    council.remove_entry(actor=None, entry=lan, reason="Bị kỷ luật trong năm")
    again = council.assemble(actor=None, unit=tree.an_khanh, year=2024)
    assert again.pk == council_list.pk
    assert [e.subject_label for e in council.standing_entries(again)] == ["Chi hội Phụ nữ ấp Phước Thạnh"]
    assert again.entries.get(pk=lan.pk).removed_reason == "Bị kỷ luật trong năm"

    # Adding: a subject not passed, with the reason; once only.
    assert [n.pk for n in council.addable(again)] == [not_passed.pk]
    with pytest.raises(ValidationError):
        council.add_entry(actor=None, council_list=again, nomination=not_passed, reason="")
    added = council.add_entry(
        actor=None, council_list=again, nomination=not_passed, reason="Cứu người đuối nước"
    )
    assert added.added_reason == "Cứu người đuối nước"
    assert council.addable(again) == []
    with pytest.raises(ValidationError):
        council.add_entry(actor=None, council_list=again, nomination=not_passed, reason="lần nữa")


def test_the_list_opens_in_word_and_excel(tree, cell, year_of_votes):
    from lantoa.honours.exporters import CouncilListExporter

    council_list = council.assemble(actor=None, unit=tree.an_khanh, year=2024)
    exporter = CouncilListExporter(council_list, council.standing_entries(council_list))

    document = docx.Document(io.BytesIO(exporter.docx()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "DANH SÁCH" in text
    assert "1 cá nhân, 1 tập thể" in text
    assert cell.lan.person.full_name in cells
    assert "01, 02" in cells
    sheet = openpyxl.load_workbook(io.BytesIO(exporter.xlsx())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    names = [row[1] for row in values if row and isinstance(row[0], int)]
    assert sorted(names) == sorted([cell.lan.person.full_name, "Chi hội Phụ nữ ấp Phước Thạnh"])


def test_staff_assemble_and_curate_the_cell_reads_nothing_of_it(client, tree, cell, year_of_votes):
    staff = persona(tree.an_khanh, Role.SECRETARY)
    client.force_login(staff.user)
    response = client.post(reverse("honours:council_assemble"), {"unit": tree.an_khanh.key, "year": "2024"})
    council_list = CouncilList.objects.get(unit=tree.an_khanh, year=2024)
    assert response.status_code == 302
    page = client.get(reverse("honours:council", args=[council_list.public_id]))
    assert cell.lan.person.full_name in page.content.decode()
    entry = council_list.entries.get(is_collective=True)
    client.post(
        reverse("honours:council_entry", args=[council_list.public_id, entry.pk, "remove"]),
        {"reason": "Trùng"},
    )
    entry.refresh_from_db()
    assert entry.removed_reason == "Trùng"
    # An unknown or foreign nomination is refused without naming anyone.
    response = client.post(
        reverse("honours:council_add", args=[council_list.public_id]),
        {"nomination": "x", "reason": "y"},
        follow=True,
    )
    assert tr("Choose the nomination to add.") in response.content.decode()
    for name, args in (
        ("council_export", [council_list.public_id, "xlsx"]),
        ("council_export", [council_list.public_id, "docx"]),
    ):
        assert client.get(reverse(f"honours:{name}", args=args)).status_code == 200
    assert (
        client.get(reverse("honours:council_export", args=[council_list.public_id, "pdf"])).status_code == 404
    )

    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    client.force_login(secretary.user)
    assert client.get(reverse("honours:council", args=[council_list.public_id])).status_code == 404
    # The commune is out of the cell's reach: the same 404 as a unit that does not exist.
    assemble = reverse("honours:council_assemble")
    assert client.post(assemble, {"unit": tree.an_khanh.key, "year": "2024"}).status_code == 404
    client.logout()
    assert client.get(reverse("honours:council", args=[council_list.public_id])).status_code == 302
