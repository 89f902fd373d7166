"""The audit log page: administrators read the entries of their own units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.services import build_entry
from lantoa.org import services
from lantoa.org.models import Role
from tests.conftest import page_text, persona
from tests.factories import UserFactory

URL = reverse("audit:log")


@pytest.fixture
def chau_admin(tree):
    """Administrator of Huyện ủy Châu Thành only."""
    return persona(tree.district, Role.ADMIN)


@pytest.fixture
def somebody(db):
    return UserFactory(username="canbo-khac")


def _targets(response):
    return [entry.target_repr for entry in response.context["page"]]


def test_audit_log_sends_anonymous_to_login(anonymous, db):
    response = anonymous.get(URL)

    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


@pytest.mark.parametrize("who", ["district_staff", "council_member", "cell_secretary", "outsider"])
def test_audit_log_is_for_administrators_only(request, tree, who):
    response = request.getfixturevalue(who).client.get(URL)

    assert response.status_code == 403


def test_audit_log_shows_entries_of_the_admins_units_only(chau_admin, tree, somebody):
    services.update_unit(actor=somebody, unit=tree.an_khanh, note="Xã nông thôn mới")
    services.update_unit(actor=somebody, unit=tree.other_district, note="Bí mật Giồng Trôm")
    services.update_unit(actor=somebody, unit=tree.province, note="Tỉnh")

    response = chau_admin.client.get(URL)

    assert _targets(response) == ["Đảng ủy xã An Khánh"]
    text = page_text(response)
    assert "Huyện ủy Giồng Trôm" not in text
    assert "Tỉnh ủy Bến Tre" not in text


def test_audit_log_row_says_who_did_what_to_which_record_where(chau_admin, tree, somebody):
    services.update_unit(actor=somebody, unit=tree.an_khanh, name="Đảng ủy xã An Khánh mới", note="QĐ 1")

    response = chau_admin.client.get(URL)

    entry = AuditEntry.objects.get()
    when = timezone.localtime(entry.at).strftime("%H:%M %d/%m/%Y")
    name = "Đảng ủy xã An Khánh mới"  # the record as changed, then its unit
    row = f"{when} canbo-khac {AuditAction.UPDATE.label} {name} {name} name, note"
    assert row in page_text(response)


def test_audit_log_shows_field_names_but_never_values(chau_admin, tree, hien, somebody):
    services.update_person(actor=somebody, person=hien.person, religion="Công giáo")

    response = chau_admin.client.get(URL)

    html = response.content.decode()
    assert _targets(response) == ["Nguyễn Thanh Hiền"]
    assert "religion" in page_text(response)
    for secret in ["Phật giáo", "Công giáo"]:
        assert secret not in html


def test_audit_log_shows_who_revealed_sensitive_data(chau_admin, women_secretary, hien):
    women_secretary.client.get(reverse("org:person_sensitive", args=[hien.person.public_id]))

    response = chau_admin.client.get(URL, {"action": AuditAction.VIEW_SENSITIVE})

    assert [(e.actor_id, e.target_repr, e.unit.key) for e in response.context["page"]] == [
        (women_secretary.user.pk, "Nguyễn Thanh Hiền", "hoi-lhpn")
    ]


def test_audit_log_filters_by_action(chau_admin, tree, hien, somebody):
    services.update_unit(actor=somebody, unit=tree.an_khanh, note="Ghi chú")
    build_entry(actor=somebody, action=AuditAction.EXPORT, obj=tree.women, unit=tree.women).save()

    exports = chau_admin.client.get(URL, {"action": AuditAction.EXPORT})
    updates = chau_admin.client.get(URL, {"action": AuditAction.UPDATE})
    unknown = chau_admin.client.get(URL, {"action": "drop-table"})

    assert _targets(exports) == ["Chi bộ Hội LHPN huyện"]
    assert _targets(updates) == ["Đảng ủy xã An Khánh"]
    assert _targets(unknown) == ["Chi bộ Hội LHPN huyện", "Đảng ủy xã An Khánh"]
    assert f'<option value="{AuditAction.EXPORT}" selected>' in exports.content.decode()


def test_audit_log_pages_keep_the_action_filter(chau_admin, tree, somebody):
    AuditEntry.objects.bulk_create(
        [
            build_entry(actor=somebody, action=AuditAction.EXPORT, obj=tree.women, unit=tree.women)
            for _ in range(51)
        ]
    )

    response = chau_admin.client.get(URL, {"action": AuditAction.EXPORT})

    assert len(response.context["page"]) == 50
    assert f'href="?action={AuditAction.EXPORT}&amp;page=2"' in response.content.decode()


def test_audit_log_queries_do_not_grow_with_entries(chau_admin, tree, somebody):
    services.update_unit(actor=somebody, unit=tree.an_khanh, note="1")
    chau_admin.client.get(URL)
    with CaptureQueriesContext(connection) as one:
        chau_admin.client.get(URL)

    services.update_unit(actor=somebody, unit=tree.tan_thach, note="2")
    services.update_unit(actor=somebody, unit=tree.women, note="3")
    with CaptureQueriesContext(connection) as three:
        response = chau_admin.client.get(URL)

    assert len(response.context["page"]) == 3
    assert len(three) == len(one)
