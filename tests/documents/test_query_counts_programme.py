"""N+1 guards for the programme pages and a document's page: themes, terms, a member's
commitments, and a document's files, links and filings run the same number of queries for one
row as for three."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.documents import services
from lantoa.documents.models import Commitment, Term, Theme
from tests.documents.conftest import cells_obligation, issue
from tests.factories import member_in

D = dt.date


def _count(client, url, params=None):
    client.get(url, params)  # warm the caches every request shares (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


def _themes_of(unit, year, document):
    """A yearly theme, a whole-term theme and a campaign of ``unit``, each pointing to ``document``."""
    services.set_yearly_theme(
        actor=None, unit=unit, year=year, title=f"Chuyên đề năm {year}", document=document
    )
    Theme.objects.create(
        scope=Theme.Scope.TERM,
        unit=unit,
        issuer_name=unit.name,
        title=f"Chuyên đề toàn khóa {unit.name}",
        document=document,
    )
    services.create_campaign(
        actor=None,
        unit=unit,
        issuer_name=unit.name,
        name=f"Phong trào {unit.name}",
        motto="Đồng khởi mới",
        starts_on=D(year, 1, 1),
        ends_on=None,
        document=document,
    )


def test_themes_page_queries_do_not_grow_with_themes_and_campaigns(district_staff, tree, terms):
    url = reverse("documents:themes")
    _themes_of(tree.district, 2024, issue(tree.district, D(2024, 1, 5), "HD"))
    one, _response = _count(district_staff.client, url)

    _themes_of(tree.an_khanh, 2024, issue(tree.an_khanh, D(2024, 1, 6), "KH"))
    _themes_of(tree.tan_thach, 2024, issue(tree.tan_thach, D(2024, 1, 7), "KH"))
    three, response = _count(district_staff.client, url)

    assert [t.document.symbol for t in response.context["yearly_themes"]] == [
        "01-HD/HU",
        "01-KH/ĐU",
        "01-KH/ĐU",
    ]
    assert len(response.context["term_themes"]) == len(response.context["campaigns"]) == 3
    assert three == one


def test_terms_page_queries_do_not_grow_with_terms(district_staff, tree):
    url = reverse("documents:terms", args=[tree.district.key])
    Term.objects.create(unit=tree.district, name="Nhiệm kỳ 2020–2025", starts_on=D(2020, 8, 1))
    one, _response = _count(district_staff.client, url)

    Term.objects.filter(unit=tree.district).update(ends_on=D(2025, 6, 30))
    Term.objects.create(
        unit=tree.district, name="Nhiệm kỳ 2015–2020", starts_on=D(2015, 8, 1), ends_on=D(2020, 7, 31)
    )
    Term.objects.create(
        unit=tree.district, name="Nhiệm kỳ 2010–2015", starts_on=D(2010, 8, 1), ends_on=D(2015, 7, 31)
    )
    three, response = _count(district_staff.client, url)

    assert [t.name for t in response.context["terms"]] == [
        "Nhiệm kỳ 2020–2025",
        "Nhiệm kỳ 2015–2020",
        "Nhiệm kỳ 2010–2015",
    ]
    assert three == one


def test_member_commitments_page_queries_do_not_grow_with_earlier_years(cell_secretary, tree):
    member = member_in(tree.phuoc_thanh, name="Trần Văn Minh")
    url = reverse("documents:member_commitments", args=[member.pk])
    this_year = timezone.localdate().year

    def commit(year):
        for position in (1, 2):
            commitment = Commitment.objects.create(
                member=member,
                year=year,
                position=position,
                text=f"Việc {position} năm {year}",
                registered_on=D(year, 2, 1),
            )
            services.assess_commitment(
                actor=None, commitment=commitment, done=True, note="Tốt", on=D(year, 12, 20)
            )

    commit(this_year)
    commit(this_year - 1)
    one, _response = _count(cell_secretary.client, url)

    commit(this_year - 2)
    commit(this_year - 3)
    three, response = _count(cell_secretary.client, url)

    assert [year for year, _items in response.context["history"]] == [
        this_year - 1,
        this_year - 2,
        this_year - 3,
    ]
    assert len(response.context["existing"]) == 2
    assert three == one


def test_document_page_queries_do_not_grow_with_files_links_and_filings(district_staff, tree, terms):
    """The commune's plan: the directives it implements, its files, the cells' plans that
    implement it, and the obligations it was filed for."""
    plan = issue(tree.an_khanh, D(2024, 2, 1), "KH")
    url = reverse("documents:detail", args=[plan.public_id])

    def link(n):
        plan.implements.add(issue(tree.district, D(2024, 1, 10 + n), "CT"))
        services.attach_file(
            actor=None,
            document=plan,
            uploaded=SimpleUploadedFile(f"ke-hoach-{n}.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        )
        issue(tree.phuoc_thanh, D(2024, 2, 2 + n), "KH", implements=[plan])
        obligation = cells_obligation(tree.district, title=f"Kế hoạch số {n}", target_kinds=["commune"])
        services.file_document(
            actor=None, obligation=obligation, unit=tree.an_khanh, document=plan, filed_on=D(2024, 3, 1)
        )

    link(0)
    one, _response = _count(district_staff.client, url)

    link(1)
    link(2)
    three, response = _count(district_staff.client, url)

    assert [d.symbol for d in response.context["implements"].order_by("issued_on")] == [
        "01-CT/HU",
        "02-CT/HU",
        "03-CT/HU",
    ]
    assert len(response.context["attachments"]) == 3
    assert sorted(d.symbol for d in response.context["implemented_by"]) == [
        "01-KH/CB",
        "02-KH/CB",
        "03-KH/CB",
    ]
    assert [f.obligation.title for f in response.context["filings"].order_by("obligation__title")] == [
        "Kế hoạch số 0",
        "Kế hoạch số 1",
        "Kế hoạch số 2",
    ]
    assert three == one
