"""The honours pages as the cell's secretary and its members use them: nominate, put to the vote
at a held meeting, count, close, publish, print the minutes; what a plain member reads and when;
the lists' query counts. (Every route against anonymous, out-of-scope and read-only visitors:
tests/test_every_url.py.)"""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.honours import services
from lantoa.honours.models import Nomination, NominationStatus, RoundStatus, VotingRound
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 5))  # the day of the meeting, in the evening


@pytest.fixture
def secretary(tree, cell):
    made = persona(tree.phuoc_thanh, Role.SECRETARY)
    cell.minh.person.user = made.user
    cell.minh.person.save()
    return made


def _post(client, name, *args, data=None):
    return client.post(reverse(name, args=args), data or {})


def test_the_secretary_nominates_votes_closes_publishes_and_prints(tree, cell, held, secretary):
    client = secretary.client
    created = client.post(
        reverse("honours:nomination_create"),
        {
            "unit": "phuoc-thanh",
            "subject_kind": "person",
            "subject_person": str(cell.lan.person.public_id),
            "period_kind": "month",
            "period_start": "01/02/2024",
            "period_end": "29/02/2024",
            "achievements": "Vận động 5 hộ hiến đất làm đường",
        },
    )
    nomination = Nomination.objects.get()
    assert created["Location"] == reverse("honours:nomination", args=[nomination.public_id])

    prepared = client.post(
        reverse("honours:round_create", args=[held.public_id]),
        {"nominations": [str(nomination.public_id)], "method": "hands"},
    )
    voting_round = VotingRound.objects.get()
    assert prepared["Location"] == reverse("honours:round", args=[voting_round.public_id])
    _post(client, "honours:round_action", voting_round.public_id, "open")
    entry = voting_round.nominees.get()
    _post(
        client,
        "honours:round_action",
        voting_round.public_id,
        "count",
        data={
            f"for-{entry.pk}": "1",
            f"against-{entry.pk}": "0",
            f"abstain-{entry.pk}": "0",
            f"recused-{entry.pk}": "on",
        },
    )
    _post(client, "honours:round_action", voting_round.public_id, "close")
    _post(client, "honours:round_action", voting_round.public_id, "publish")

    voting_round.refresh_from_db()
    nomination.refresh_from_db()
    assert (voting_round.status, nomination.status) == (RoundStatus.PUBLISHED, NominationStatus.PASSED)
    page = page_text(client.get(reverse("honours:round", args=[voting_round.public_id])))
    assert "Lê Thị Lan" in page
    assert "100,00%" in page
    meeting_page = page_text(client.get(reverse("cells:meeting", args=[held.public_id])))
    assert tr("Review of exemplary examples, month %(month)s", month="3/2024") in meeting_page

    minutes = client.get(reverse("honours:round_minutes", args=[voting_round.public_id]))
    assert (
        minutes["Content-Disposition"] == 'attachment; filename="bien-ban-binh-xet-phuoc-thanh-2024-03.docx"'
    )
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(minutes.content)).paragraphs)
    cells = [
        c.text for t in docx.Document(io.BytesIO(minutes.content)).tables for row in t.rows for c in row.cells
    ]
    assert "BIÊN BẢN" in text
    assert "bình xét gương điển hình tháng 3 năm 2024" in text
    assert "quá một nửa số đảng viên chính thức có mặt tán thành" in text
    assert "Chi bộ thống nhất giới thiệu, biểu dương: Lê Thị Lan." in text
    assert cells[cells.index("1") + 1 :][:6] == [
        "Lê Thị Lan (không tự biểu quyết)",
        "1",
        "0",
        "0",
        "100,00%",
        "Đạt",
    ]


def test_a_wrong_count_names_the_row_and_saves_nothing(tree, cell, held, secretary):
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(
            actor=None, meeting=held, nominations=[nominate(tree, name="Chi đoàn ấp Phước Thạnh")]
        ),
    )
    entry = voting_round.nominees.get()

    response = secretary.client.post(
        reverse("honours:round_action", args=[voting_round.public_id, "count"]),
        {f"for-{entry.pk}": "hai", f"against-{entry.pk}": "0", f"abstain-{entry.pk}": "0"},
        follow=True,
    )

    expected = tr(
        "%(row)s: “%(field)s” must be a whole number from 0 to 999.",
        row="Chi đoàn ấp Phước Thạnh",
        field=tr("In favour"),
    )
    assert expected in page_text(response)
    entry.refresh_from_db()
    assert entry.votes_for is None


def test_a_plain_member_reads_the_results_once_published(tree, cell, held, secretary):
    member = persona(tree.phuoc_thanh, Role.MEMBER)
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(
            actor=None, meeting=held, nominations=[nominate(tree, name="Chi đoàn ấp Phước Thạnh")]
        ),
    )
    url = reverse("honours:round", args=[voting_round.public_id])
    assert member.client.get(url).status_code == 404
    services.record_tally(
        actor=None, entry=voting_round.nominees.get(), votes_for=2, votes_against=0, votes_abstain=0
    )
    services.close_round(actor=None, voting_round=voting_round)
    assert member.client.get(url).status_code == 404
    services.publish_round(actor=None, voting_round=voting_round)

    assert member.client.get(url).status_code == 200
    assert _post(member.client, "honours:round_action", voting_round.public_id, "count").status_code == 403


def test_a_closed_vote_cannot_be_reopened_by_a_crafted_post(tree, cell, held, secretary):
    voting_round = services.open_round(
        actor=None,
        voting_round=services.prepare_round(
            actor=None, meeting=held, nominations=[nominate(tree, name="Chi đoàn ấp Phước Thạnh")]
        ),
    )
    entry = voting_round.nominees.get()
    services.record_tally(actor=None, entry=entry, votes_for=2, votes_against=0, votes_abstain=0)
    services.close_round(actor=None, voting_round=voting_round)

    for action in ("open", "count", "slips", "close"):
        _post(
            secretary.client,
            "honours:round_action",
            voting_round.public_id,
            action,
            data={f"for-{entry.pk}": "0"},
        )
    assert (
        _post(secretary.client, "honours:round_action", voting_round.public_id, "delete").status_code == 403
    )

    entry.refresh_from_db()
    voting_round.refresh_from_db()
    assert (voting_round.status, entry.votes_for, entry.passed) == (RoundStatus.CLOSED, 2, True)


def test_the_person_record_lists_nominations_across_years(tree, cell, secretary):
    for year in (2022, 2023):
        services.nominate(
            actor=None,
            unit=tree.phuoc_thanh,
            subject_person=cell.lan.person,
            achievements=f"Thành tích năm {year}",
            period_kind="year",
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            nominated_on=D(year, 12, 20),
        )

    text = page_text(secretary.client.get(reverse("honours:person_record", args=[cell.lan.person.public_id])))

    assert text.index("Thành tích năm 2023") < text.index("Thành tích năm 2022")


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_nominations_list_runs_the_same_queries_for_one_row_or_three(tree, cell, secretary):
    nominate(tree, person=cell.lan.person)
    url = reverse("honours:nominations")
    one = _queries(secretary.client, url)
    nominate(tree, person=cell.minh.person)
    nominate(tree, name="Chi đoàn ấp Phước Thạnh")

    assert _queries(secretary.client, url) == one


def test_the_round_page_runs_the_same_queries_for_one_nominee_or_three(tree, cell, held, secretary):
    def round_with(*nominations):
        voting_round = services.prepare_round(actor=None, meeting=held, nominations=nominations)
        return reverse(
            "honours:round", args=[services.open_round(actor=None, voting_round=voting_round).public_id]
        )

    one = _queries(secretary.client, round_with(nominate(tree, person=cell.lan.person)))
    three = _queries(
        secretary.client,
        round_with(
            nominate(tree, person=cell.minh.person), nominate(tree, name="Tổ 1"), nominate(tree, name="Tổ 2")
        ),
    )

    assert three == one


def test_evidence_is_added_by_the_cells_officers_and_refused_when_it_is_not_a_document(tree, cell, secretary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    nomination = nominate(tree, person=cell.lan.person)
    url = reverse("honours:evidence_add", args=[nomination.public_id])

    refused = secretary.client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    added = secretary.client.post(
        url, {"file": SimpleUploadedFile("giay-khen.pdf", b"%PDF-1.4\n"), "dated": "20/02/2024"}, follow=True
    )

    assert tr(
        "Files of type %(suffix)s are not accepted; use PDF, Word, Excel or a photo.", suffix=".exe"
    ) in (page_text(refused))
    assert [(e.original_name, e.dated) for e in nomination.evidence.all()] == [
        ("giay-khen.pdf", D(2024, 2, 20))
    ]
    assert "giay-khen.pdf" in page_text(added)
    download = secretary.client.get(
        reverse("honours:evidence", args=[nomination.public_id, nomination.evidence.get().pk])
    )
    assert download["Content-Disposition"] == 'attachment; filename="giay-khen.pdf"'
