"""The printed issue, opened again with python-docx: the bulletin's title and number, then the
articles in the editor's order, each with its author and cell."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from lantoa.cells.exporters_bulletin import BulletinIssueDocx, issue_line
from lantoa.cells.models import ArticleStatus
from lantoa.cells.queries.bulletin import printed_articles
from lantoa.cells.services import bulletin as services
from tests.cells.bulletin.conftest import written
from tests.conftest import BEFORE_THE_REFORM

# The district's staff act here: on a day Huyện ủy Châu Thành stood (it closed on 30/6/2025).
pytestmark = pytest.mark.today(BEFORE_THE_REFORM)

D = dt.date
S = ArticleStatus


def _paragraphs(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:  # the Party header sits in a borderless table
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [text for text in texts if text.strip()]


def _published_issue(district_staff, tree, cell, issue):
    women = written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    savings = written(cell.cuong, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    for article, title, text in (
        (women, "Bác Hồ với phụ nữ", "Bác luôn quan tâm đến phụ nữ.\nPhụ nữ là nửa thế giới."),
        (savings, "Tiết kiệm để đỡ đầu trẻ mồ côi", "Mỗi đảng viên góp 50.000 đồng mỗi tháng."),
    ):
        services.move_article(actor=district_staff.user, article=article, to=S.EDITED, title=title, text=text)
    services.set_print_order(actor=district_staff.user, issue=issue, articles=[savings, women])
    services.publish_issue(actor=district_staff.user, issue=issue, today=D(2024, 3, 28))
    return issue


def test_bulletin_docx_has_title_number_and_articles_in_order(district_staff, tree, cell, issue):
    _published_issue(district_staff, tree, cell, issue)

    response = district_staff.client.get(reverse("cells:bulletin_docx", args=[issue.public_id]))

    assert response["Content-Disposition"] == 'attachment; filename="ban-tin-so-1-03-2024.docx"'
    texts = _paragraphs(response.content)
    assert "BẢN TIN SINH HOẠT NỘI BỘ" in texts
    assert "Số 1 – tháng 3/2024" in texts
    assert "HUYỆN ỦY CHÂU THÀNH" in texts
    assert "Châu Thành, ngày 28 tháng 3 năm 2024" in texts
    body = texts[texts.index("Số 1 – tháng 3/2024") :]
    order = [t for t in body if t.startswith(("Bác Hồ với", "Tiết kiệm để", "Lê Văn", "Nguyễn Văn"))]
    assert order == [
        "Tiết kiệm để đỡ đầu trẻ mồ côi",
        "Lê Văn Cường – Chi bộ ấp Phước Thạnh",
        "Bác Hồ với phụ nữ",
        "Nguyễn Văn An – Chi bộ ấp Phước Thạnh",
    ]
    assert "Phụ nữ là nửa thế giới." in body


def test_titles_are_bold_and_bylines_italic(district_staff, tree, cell, issue):
    _published_issue(district_staff, tree, cell, issue)
    content = BulletinIssueDocx(issue, list(printed_articles(issue))).render()

    document = Document(io.BytesIO(content))
    runs = {p.text: p.runs[0] for p in document.paragraphs if p.runs}

    assert runs["Tiết kiệm để đỡ đầu trẻ mồ côi"].bold is True
    assert runs["Lê Văn Cường – Chi bộ ấp Phước Thạnh"].italic is True


def test_editor_previews_accepted_articles_before_publication(district_staff, tree, cell, issue):
    article = written(cell.binh, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)
    written(cell.an, tree.phuoc_thanh, issue, D(2024, 3, 2), S.SUBMITTED)  # not accepted: not printed
    services.move_article(
        actor=district_staff.user, article=article, to=S.EDITED, title="Bài được chọn", text="Nội dung."
    )

    texts = _paragraphs(
        district_staff.client.get(reverse("cells:bulletin_docx", args=[issue.public_id])).content
    )

    assert [t for t in texts if t.startswith(("Bài", "Trần", "Nguyễn"))] == [
        "Bài được chọn",
        "Trần Thị Bình – Chi bộ ấp Phước Thạnh",
    ]


def test_issue_line_reads_like_the_paper_bulletin(issue):
    assert issue_line(issue) == "Số 1 – tháng 3/2024"
