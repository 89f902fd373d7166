"""The demo's documents reproduce the seed article: every unit under the Huyện ủy filed its plans
for Kết luận 01-KL/TW and each yearly theme in 2021–2024 (a few late); 2025 has gaps to chase."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.documents.models import Campaign, Commitment, Document, Obligation, Theme
from lantoa.documents.queries import compliance
from lantoa.lib.vi import format_percent

D = dt.date
TODAY = D(2026, 11, 26)


def _totals(year: int, title_start: str):
    obligation = Obligation.objects.get(unit__key="chau-thanh", year=year, title__startswith=title_start)
    result = compliance(obligation, TODAY)
    return result.totals[obligation.unit_id]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024])
def test_demo_every_unit_filed_its_theme_plan_2021_to_2024_some_late(demo, year):
    totals = _totals(year, "Kế hoạch thực hiện chuyên đề")

    assert totals.total > 200
    assert totals.not_filed == 0
    assert 0 < totals.late < totals.total // 10
    assert format_percent(totals.filed, totals.total) == "100,00%"


@pytest.mark.django_db
def test_demo_2025_round_has_units_not_filed(demo):
    totals = _totals(2025, "Kế hoạch thực hiện chuyên đề")

    assert totals.missing > 0
    assert totals.filed + totals.missing == totals.total


@pytest.mark.django_db
def test_demo_catalogue_holds_the_documents_the_programme_cites(demo):
    symbols = {d.symbol for d in Document.objects.filter(issuer_unit__isnull=True)}

    assert {"05-CT/TW", "01-KL/TW", "21-KL/TW", "12-NQ/TW", "04-NQ/TW", "124-QĐ/TW", "366-QĐ/TW"} <= symbols
    directive = Document.objects.get(issuer_unit__key="ben-tre", type_code="CT", number=1)
    assert directive.number_line == "Số 01-CT/TU"


@pytest.mark.django_db
def test_demo_campaign_and_yearly_themes(demo):
    campaign = Campaign.objects.get(name="Đồng khởi mới")
    years = sorted(Theme.objects.filter(unit__key="chau-thanh").values_list("year", flat=True))

    assert campaign.motto == "Hai chân – Ba mũi"
    assert campaign.document.symbol == "01-CT/TU"
    assert years == [2021, 2022, 2023, 2024, 2025]


@pytest.mark.django_db
def test_demo_propaganda_commission_documents_change_code_in_2025(demo):
    codes = dict(
        Document.objects.filter(issuer_staff_body__isnull=False, type_code="HD").values_list(
            "year", "issuer_code"
        )
    )

    assert codes[2024] == "BTGHU"
    assert codes[2025] == "BTGDVHU"


@pytest.mark.django_db
def test_demo_women_union_cell_members_registered_commitments(demo):
    members_2024 = (
        Commitment.objects.filter(year=2024, member__memberships__unit__key="chi-bo-hoi-lhpn")
        .values("member")
        .distinct()
        .count()
    )

    assert members_2024 >= 9
