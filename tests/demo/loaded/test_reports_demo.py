"""The seed's 3-year review, reproduced from the demo's records (issue 12 §6): the figures come
out of ``manage.py report`` as JSON, each figure opens to a list of exactly that many records,
and the report's Word and Excel files carry the same numbers."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from lantoa.accounts.models import User
from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.demo.cells.common import LHPN
from lantoa.demo.honours_years import REVIEW_COLLECTIVES, REVIEW_INDIVIDUALS
from lantoa.funds.models import Beneficiary, Fund
from lantoa.lib import pdf
from lantoa.reports.models import ReportRun, RunStatus

D = dt.date
SEED = {"unit": "chau-thanh", "from": "18/05/2021", "to": "30/04/2024"}


def _seed_json() -> dict:
    out = io.StringIO()
    call_command("report", unit="chau-thanh", start="2021-05-18", end="2024-04-30", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_seed_figures_come_out_of_the_demo(demo):
    report = _seed_json()
    values = {item["id"]: item for item in report["statistics"]}

    assert (report["unit"], report["from"], report["to"]) == ("chau-thanh", "2021-05-18", "2024-04-30")
    # "giới thiệu biểu dương 113 tập thể, 1.525 cá nhân" by the cells under grassroots committees
    assert values["honours.cells.collectives"]["value"] == 113
    assert values["honours.cells.individuals"]["value"] == 1525
    # "khen thưởng 63 tập thể, 294 cá nhân; biểu dương 129 tập thể, 920 cá nhân"
    assert values["honours.reward.collectives"]["value"] == 63
    assert values["honours.reward.individuals"]["value"] == 294
    assert values["honours.praise.collectives"]["value"] == 129
    assert values["honours.praise.individuals"]["value"] == 920
    # The three-year review conference: the Huyện ủy's own Giấy khen.
    assert (
        values["honours.own_reward.collectives"]["value"],
        values["honours.own_reward.individuals"]["value"],
    ) == (
        REVIEW_COLLECTIVES,
        REVIEW_INDIVIDUALS,
    )
    # "66 chi bộ đạt; chỉ tiêu 47; đạt 140,43% chỉ tiêu"
    labelled = values["targets.cells_labelled"]
    assert (labelled["value"], labelled["target"], Decimal(str(labelled["achievement"]))) == (
        66,
        47,
        Decimal("140.43"),
    )
    # The Chi bộ Hội LHPN huyện's fund and its children, by number only.
    fund = Fund.objects.get(unit__key=LHPN)
    children = Beneficiary.objects.filter(
        Q(sponsored_to__isnull=True) | Q(sponsored_to__gte=D(2021, 5, 18)),
        fund=fund,
        sponsored_from__lte=D(2024, 4, 30),
    )
    assert values["funds.funds"]["value"] == 1
    assert values["funds.children"]["value"] == children.count() > 0
    text = json.dumps(report, ensure_ascii=False)
    assert all(child.full_name not in text for child in Beneficiary.objects.all())
    # Each figure names the list of its records and stands beside the period before.
    assert values["honours.cells.individuals"]["records_url"].startswith(reverse("reports:records"))
    assert values["honours.cells.individuals"]["previous"] == 0  # the seed's years start in 05/2021


@pytest.mark.django_db
def test_every_figure_opens_to_as_many_records(demo, client):
    client.force_login(User.objects.get(username="tuyengiao"))
    page = client.get(reverse("reports:index"), SEED)
    assert page.status_code == 200
    lines = [line for line in page.context["report"].lines() if line.records_url]
    assert len(lines) > 30
    for line in lines:
        listed = client.get(line.records_url)
        assert listed.status_code == 200, line.id
        if listed.context["listed_total"] is not None:  # a sum or a rate the list adds up to
            assert listed.context["listed_total"] == line.value, line.id
        else:
            assert listed.context["page"].paginator.count == line.value, line.id
        shown = re.search(r"data-records-count>([^<]+)<", listed.content.decode())
        assert shown is not None, line.id


@pytest.mark.django_db
def test_a_cell_secretary_reports_on_their_cell_not_on_a_sibling_nor_the_district(demo, client):
    client.force_login(User.objects.get(username="bithu.phuocthanh"))

    own = client.get(reverse("reports:index"))
    district = client.get(reverse("reports:index"), SEED)
    sibling = client.get(reverse("reports:index"), {**SEED, "unit": LHPN})

    assert own.status_code == 200
    assert own.context["unit"].name == "Chi bộ ấp Phước Thạnh"
    assert district.status_code in (403, 404)
    assert sibling.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dangvien", "thuquy"])
def test_a_plain_member_and_a_treasurer_make_no_review_report(demo, client, username):
    client.force_login(User.objects.get(username=username))

    assert client.get(reverse("reports:index")).status_code == 403
    assert client.post(reverse("reports:generate"), SEED).status_code in (403, 404)
    assert not ReportRun.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_the_staff_make_the_report_files_and_each_download_is_logged(
    demo, client, django_capture_on_commit_callbacks
):
    from docx import Document
    from openpyxl import load_workbook

    staff = User.objects.get(username="tuyengiao")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(reverse("reports:generate"), SEED)
    run = ReportRun.objects.get()
    assert made.status_code == 302
    assert run.status == RunStatus.DONE, run.problem
    assert run.progress_done == run.progress_total

    word = client.get(reverse("reports:download", kwargs={"public_id": run.public_id, "fmt": "docx"}))
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "giới thiệu, biểu dương 113 tập thể, 1.525 cá nhân điển hình" in text
    assert "khen thưởng 63 tập thể, 294 cá nhân; biểu dương 129 tập thể, 920 cá nhân" in text
    assert "đạt 140,43% chỉ tiêu" in text
    assert "BÁO CÁO" in text
    assert "T/M BAN THƯỜNG VỤ" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    excel = client.get(reverse("reports:download", kwargs={"public_id": run.public_id, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(excel.content))["Số liệu"]
    by_id = {row[1]: row[3] for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert (by_id["honours.cells.individuals"], by_id["honours.reward.individuals"]) == (1525, 294)
    forms = {
        row[0]: row[1:]
        for row in load_workbook(io.BytesIO(excel.content))["Khen thưởng theo hình thức"].iter_rows(
            values_only=True
        )
    }
    assert forms["Giấy khen"] == (63 + REVIEW_COLLECTIVES, 294 + REVIEW_INDIVIDUALS)
    logged = AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=staff)
    assert logged.count() == 2

    # The run's page: no figure has changed since; another district's staff never see it.
    page = client.get(reverse("reports:run", kwargs={"public_id": run.public_id}))
    assert page.status_code == 200
    assert page.context["changed"] == []
    if pdf.pdf_available() and shutil.which("pdftotext"):
        assert run.pdf, run.problem
        printed = client.get(reverse("reports:download", kwargs={"public_id": run.public_id, "fmt": "pdf"}))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(printed.content)
            file.flush()
            pdf_text = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        assert "1.525 cá nhân" in " ".join(pdf_text.split())
