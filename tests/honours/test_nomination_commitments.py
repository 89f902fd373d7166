"""A nomination cites the commitments its person registered and kept (làm theo Bác: what they
promised), so a council reads them beside the achievements: only the person's own, of the
nomination's years; refused whole otherwise; audited; only the nominating unit's officers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.audit.models import AuditEntry
from lantoa.documents.models import Commitment
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr
from tests.honours.conftest import nominate

D = dt.date

pytestmark = pytest.mark.today(D(2024, 3, 20))


@pytest.fixture
def lans(tree, cell):
    """Lan's nomination for February 2024, her two commitments of 2024 (one kept), one of 2022,
    and Minh's of 2024."""
    nomination = nominate(tree, person=cell.lan.person)

    def commit(member, year, position, text, done=None):
        return Commitment.objects.create(
            member=member, year=year, position=position, text=text, registered_on=D(year, 1, 15), done=done
        )

    return (
        nomination,
        commit(cell.lan, 2024, 1, "Mỗi tháng giúp một hộ nghèo trong ấp", done=True),
        commit(cell.lan, 2024, 2, "Không dùng túi ni lông"),
        commit(cell.lan, 2022, 1, "Tham gia tuần tra an ninh"),
        commit(cell.minh, 2024, 1, "Vận động hiến đất làm đường"),
    )


def cite(client, nomination, *commitments):
    return client.post(
        reverse("honours:nomination_commitments", args=[nomination.public_id]),
        {"commitments": [str(c.pk) for c in commitments]},
    )


def test_the_secretary_cites_lans_kept_commitment_and_the_council_reads_it(tree, lans):
    nomination, kept, other, _old, _minhs = lans
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)

    page = secretary.client.get(reverse("honours:nomination", args=[nomination.public_id]))
    offered = {c.pk for c in page.context["commitment_choices"]}
    assert offered == {kept.pk, other.pk}  # her own, of 2024 only

    response = cite(secretary.client, nomination, kept)

    assert response.status_code == 302
    assert list(nomination.commitments.all()) == [kept]
    entry = AuditEntry.objects.filter(target_id=str(nomination.pk)).latest("at")
    assert entry.changes["commitments"] == [[], [str(kept)]]
    shown = page_text(secretary.client.get(reverse("honours:nomination", args=[nomination.public_id])))
    assert f"2024: {kept.text} — {tr('kept')}" in shown
    # Ticking none unlinks it again.
    cite(secretary.client, nomination)
    assert not nomination.commitments.exists()


@pytest.mark.parametrize("which", ["another-year", "another-person"])
def test_a_commitment_that_is_not_hers_or_not_of_the_period_is_refused_and_nothing_changes(tree, lans, which):
    nomination, kept, _other, old, minhs = lans
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    cite(secretary.client, nomination, kept)

    response = cite(secretary.client, nomination, kept, old if which == "another-year" else minhs)

    assert response.status_code == 302
    assert list(nomination.commitments.all()) == [kept]
    shown = page_text(secretary.client.get(response.url))
    message = tr(
        "Only the commitments %(name)s registered for %(years)s can be cited.",
        name=nomination.subject_label,
        years=str(nomination.period_start.year),  # one year, not "2024–2024"
    )
    assert message in shown


def test_only_the_nominating_units_officers_cite_commitments(client, tree, lans):
    nomination, kept, *_ = lans
    elsewhere = persona(tree.tan_thanh, Role.SECRETARY)
    assert cite(elsewhere.client, nomination, kept).status_code == 404
    member = persona(tree.phuoc_thanh, Role.MEMBER)
    assert cite(member.client, nomination, kept).status_code in (403, 404)
    assert cite(client, nomination, kept).status_code == 302  # to the login page
    assert "login" in cite(client, nomination, kept).url
    secretary = persona(tree.phuoc_thanh, Role.SECRETARY)
    assert (
        secretary.client.get(
            reverse("honours:nomination_commitments", args=[nomination.public_id])
        ).status_code
        == 405
    )
    assert not nomination.commitments.exists()
