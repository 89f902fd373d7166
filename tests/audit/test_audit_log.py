"""The audit log page: administrators read the entries of their own units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lantoa.audit.models import AuditAction, AuditEntry
from lantoa.audit.queries import history_for
from lantoa.audit.services import build_entry
from lantoa.org import services
from lantoa.org import services as org_services
from lantoa.org.models import Role
from tests.conftest import page_text, persona, tr
from tests.factories import UserFactory

D = dt.date

URL = reverse("audit:log")


@pytest.fixture
def chau_admin(tree):
    """Administrator of Huyện ủy Châu Thành only."""
    return persona(tree.district, Role.ADMIN)


@pytest.fixture
def somebody(db):
    return UserFactory(username="canbo-khac", first_name="Trần Văn", last_name="Khác")


def _system():
    """How the log names the system itself, in the interface's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.pgettext("who acted", "System")


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
    fields = f"{tr('name')}, {tr('note')}"
    row = f"{when} Trần Văn Khác canbo-khac {AuditAction.UPDATE.label} {name} {name} {fields}"
    assert row in page_text(response)


def test_audit_log_shows_field_labels_but_never_values(chau_admin, tree, hien, somebody):
    services.update_person(actor=somebody, person=hien.person, religion="Công giáo")

    response = chau_admin.client.get(URL)

    html = response.content.decode()
    assert _targets(response) == ["Nguyễn Thanh Hiền"]
    assert [row["fields"] for row in response.context["rows"]] == [[tr("religion")]]
    for secret in ["Phật giáo", "Công giáo"]:
        assert secret not in html


def test_audit_log_labels_the_fields_of_a_role_grant(chau_admin, tree, somebody):
    org_services.grant_role(
        actor=somebody,
        user=UserFactory(username="moi"),
        unit=tree.an_khanh,
        role=Role.CLERK,
        valid_from=D(2025, 1, 1),
    )

    response = chau_admin.client.get(URL)

    # role, unit, user, valid_from, as an administrator reads them
    assert [row["fields"] for row in response.context["rows"]] == [
        [tr("role"), tr("unit"), tr("account"), tr("from")]
    ]
    assert "valid_from" not in page_text(response)


def test_audit_log_names_the_system_and_deleted_accounts(chau_admin, tree, somebody):
    org_services.update_unit(actor=None, unit=tree.an_khanh, note="Nạp dữ liệu mẫu")
    org_services.update_unit(actor=somebody, unit=tree.tan_thach, note="Trước khi xóa")
    somebody.delete()

    response = chau_admin.client.get(URL)

    assert [row["who"] for row in response.context["rows"]] == [("canbo-khac", ""), (_system(), "")]


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


# --- filters by person and by dates ----------------------------------------------------------


def _at(entry_id, day, hour=12):
    AuditEntry.objects.filter(pk=entry_id).update(
        at=timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    )


@pytest.fixture
def three_people_acting(chau_admin, tree, somebody):
    """Two officers of Châu Thành and one of Giồng Trôm, each with dated entries."""
    lan = UserFactory(username="lan", first_name="Trần Thị", last_name="Lan")
    giong = UserFactory(username="giong-bimat", first_name="Bí", last_name="Mật")
    for actor, unit, day, hour in [
        (somebody, tree.an_khanh, dt.date(2026, 1, 15), 12),
        (lan, tree.tan_thach, dt.date(2026, 2, 1), 0),
        (lan, tree.women, dt.date(2026, 3, 31), 23),
        (giong, tree.other_cell, dt.date(2026, 2, 10), 12),
    ]:
        services.update_unit(actor=actor, unit=unit, note=f"Ghi chú {day}")
        _at(AuditEntry.objects.latest("id").pk, day, hour)
    return lan


def test_audit_log_offers_only_the_people_seen_in_the_readers_entries(
    chau_admin, somebody, three_people_acting
):
    response = chau_admin.client.get(URL)

    choices = [(str(value), str(label)) for value, label in response.context["form"].fields["actor"].choices]
    assert choices == [
        ("", tr("All")),
        (str(three_people_acting.pk), "Trần Thị Lan (lan)"),
        (str(somebody.pk), "Trần Văn Khác (canbo-khac)"),
    ]
    assert "giong-bimat" not in response.content.decode()


def test_audit_log_filters_by_person(chau_admin, three_people_acting):
    response = chau_admin.client.get(URL, {"actor": three_people_acting.pk})

    assert _targets(response) == ["Chi bộ Hội LHPN huyện", "Đảng ủy xã Tân Thạch"]
    assert f'<option value="{three_people_acting.pk}" selected>' in response.content.decode()


def test_audit_log_filters_by_days_inclusive(chau_admin, three_people_acting):
    february = chau_admin.client.get(URL, {"date_from": "01/02/2026", "date_to": "28/02/2026"})
    from_march = chau_admin.client.get(URL, {"date_from": "31/03/2026"})
    until_january = chau_admin.client.get(URL, {"date_to": "15/01/2026"})

    assert _targets(february) == ["Đảng ủy xã Tân Thạch"]
    assert _targets(from_march) == ["Chi bộ Hội LHPN huyện"]
    assert _targets(until_january) == ["Đảng ủy xã An Khánh"]
    assert 'value="01/02/2026"' in february.content.decode()


def test_audit_log_shows_a_mistyped_date_by_its_field_and_keeps_the_other_filters(
    chau_admin, three_people_acting
):
    response = chau_admin.client.get(URL, {"date_from": "31/02/2026", "actor": three_people_acting.pk})

    assert response.context["form"].errors == {"date_from": [tr("Enter a real date as dd/mm/yyyy.")]}
    assert tr("Enter a real date as dd/mm/yyyy.") in page_text(response)
    assert _targets(response) == ["Chi bộ Hội LHPN huyện", "Đảng ủy xã Tân Thạch"]


def test_audit_log_refuses_an_end_before_the_start(chau_admin, three_people_acting):
    response = chau_admin.client.get(URL, {"date_from": "01/03/2026", "date_to": "01/02/2026"})

    assert response.context["form"].errors == {"date_to": [tr("The end date is before the start date.")]}


def test_audit_log_pages_keep_every_filter(chau_admin, tree, somebody):
    AuditEntry.objects.bulk_create(
        [
            build_entry(actor=somebody, action=AuditAction.EXPORT, obj=tree.women, unit=tree.women)
            for _ in range(51)
        ]
    )
    today = timezone.localdate().strftime("%d/%m/%Y")
    params = {"action": AuditAction.EXPORT, "actor": somebody.pk, "date_from": today, "date_to": today}

    response = chau_admin.client.get(URL, params)

    assert (len(response.context["page"]), response.context["page"].paginator.count) == (50, 51)
    today_q = today.replace("/", "%2F")
    assert (
        f'href="?action={AuditAction.EXPORT}&amp;actor={somebody.pk}&amp;date_from={today_q}'
        f'&amp;date_to={today_q}&amp;page=2"'
    ) in response.content.decode()


def test_audit_log_with_filters_queries_do_not_grow_with_entries_or_people(chau_admin, tree, somebody):
    params = {"date_from": "01/01/2000"}
    services.update_unit(actor=somebody, unit=tree.an_khanh, note="1")
    chau_admin.client.get(URL, params)
    with CaptureQueriesContext(connection) as one:
        chau_admin.client.get(URL, params)

    services.update_unit(actor=UserFactory(first_name="Hai"), unit=tree.tan_thach, note="2")
    services.update_unit(actor=UserFactory(first_name="Ba"), unit=tree.women, note="3")
    with CaptureQueriesContext(connection) as three:
        response = chau_admin.client.get(URL, params)

    assert len(response.context["page"]) == 3
    assert len(response.context["form"].fields["actor"].choices) == 1 + 3
    assert len(three) == len(one)


def test_audit_log_filters_the_systems_own_entries(chau_admin, tree, somebody):
    services.update_unit(actor=None, unit=tree.an_khanh, note="Nạp dữ liệu mẫu")
    services.update_unit(actor=somebody, unit=tree.tan_thach, note="Sửa tay")

    everything = chau_admin.client.get(URL)
    system = chau_admin.client.get(URL, {"actor": "system"})

    assert [str(label) for _v, label in everything.context["form"].fields["actor"].choices][-1] == _system()
    assert _targets(system) == ["Đảng ủy xã An Khánh"]


def test_record_history_names_who_acted_and_labels_the_fields(tree, somebody, db):
    plain = UserFactory(username="khong-ten")
    services.update_unit(actor=None, unit=tree.an_khanh, note="1")
    services.update_unit(actor=plain, unit=tree.an_khanh, short_code="ĐU1")
    services.update_unit(actor=somebody, unit=tree.an_khanh, place_name="An Khánh")

    history = history_for(tree.an_khanh, show_sensitive=False)

    assert [(item["who"], [c["field"] for c in item["changes"]]) for item in history] == [
        (("Trần Văn Khác", "canbo-khac"), [tr("place name on documents")]),
        (("khong-ten", ""), [tr("short code")]),
        ((_system(), ""), [tr("note")]),
    ]
