"""The printed bulletin issue (.docx), laid out by the one Party document module.

The page reads like the district's paper bulletin: the committee's header, "BẢN TIN SINH HOẠT
NỘI BỘ" and "Số 5 – tháng 3/2024" as the title, then each article — its title in bold, the text,
and the author with their cell in italics. A bulletin is not signed, so the signature block is
left empty. Printed text is Vietnamese whatever the interface language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from lantoa.lib.vi import format_month_in_text

from .models import Article, BulletinIssue

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issue_line(issue: BulletinIssue) -> str:
    """ "Số 5 – tháng 3/2024" """
    return f"Số {issue.number} – tháng {format_month_in_text(issue.period)}"


class BulletinIssueDocx:
    identifier = "bulletin-issue-docx"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def __init__(self, issue: BulletinIssue, articles: Sequence[Article], *, on: dt.date | None = None):
        self.issue = issue
        self.articles = list(articles)
        self.on = on or issue.published_on or timezone.localdate()

    @property
    def filename(self) -> str:
        period = self.issue.period
        return f"ban-tin-so-{self.issue.number}-{period.month:02d}-{period.year}.{self.extension}"

    def render(self) -> bytes:
        # python-docx is loaded only when a document is printed.
        from lantoa.documents.exporters import letterhead_name, place_name
        from lantoa.lib import party_docx as pd
        from lantoa.org.queries import parent_on

        issue, unit = self.issue, self.issue.unit
        parent = parent_on(unit, self.on)
        body: list[pd.Block] = []
        for index, article in enumerate(self.articles):
            if index:
                body.append(pd.Paragraph("*  *  *", align="center", indent=False))
            body.append(
                pd.Paragraph(
                    [pd.Run(article.title or article.topic, bold=True)], align="center", indent=False
                )
            )
            body += [pd.Paragraph(line.strip()) for line in article.text.splitlines() if line.strip()]
            byline = f"{article.author.person.full_name} – {article.cell.name}"
            body.append(pd.Paragraph([pd.Run(byline, italic=True)], align="right", indent=False))
        document = pd.PartyDocument(
            upper_body=letterhead_name(parent) if parent else None,
            issuing_body=unit.name,
            number_symbol="",
            place=place_name(unit, self.on),
            date=self.on,
            type_name=pd.to_upper_vi(issue.title),
            summary=issue_line(issue),
            body=body,
            signature=pd.Signature(),
        )
        return pd.render_docx(document)
