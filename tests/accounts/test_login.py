"""Logging in and out, lockout after repeated failures, changing the password."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

import lantoa.settings as real_settings
from lantoa.accounts.models import User
from tests.conftest import page_text, persona, tr
from tests.factories import UserFactory

PASSWORD = "test-password-123"
LOGIN = "/accounts/login/"


@pytest.fixture
def hien_user(db):
    return UserFactory(username="hien", first_name="Thanh Hiền", last_name="Nguyễn")


def _invalid_login_message() -> str:
    form = AuthenticationForm()
    with translation.override("vi"):
        return str(form.error_messages["invalid_login"]) % {
            "username": str(User._meta.get_field("username").verbose_name)
        }


def test_real_settings_hash_passwords_with_argon2_first():
    # The tests use MD5 for speed; production must not.
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_is_installed_and_works():
    hasher = Argon2PasswordHasher()

    encoded = hasher.encode("mật khẩu dài", hasher.salt())

    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("mật khẩu dài", encoded)
    assert not hasher.verify("mat khau dai", encoded)


def test_login_url_is_the_named_login_page():
    assert reverse("accounts:login") == LOGIN


def test_login_with_the_right_password_goes_home(hien_user):
    client = Client()

    response = client.post(LOGIN, {"username": "hien", "password": PASSWORD})

    assert (response.status_code, response["Location"]) == (302, reverse("web:home"))
    assert client.session[SESSION_KEY] == str(hien_user.pk)


def test_login_follows_next_inside_the_site(hien_user):
    client = Client()

    response = client.post(
        LOGIN + "?next=/people/", {"username": "hien", "password": PASSWORD, "next": "/people/"}
    )

    assert response["Location"] == "/people/"


def test_login_refuses_a_next_pointing_elsewhere(hien_user):
    client = Client()

    response = client.post(LOGIN, {"username": "hien", "password": PASSWORD, "next": "https://evil.example/"})

    assert response["Location"] == reverse("web:home")


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(hien_user):
    client = Client()

    response = client.post(LOGIN, {"username": "hien", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [_invalid_login_message()]}
    assert _invalid_login_message() in page_text(response)
    assert 'value="hien"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sixth_login_with_the_right_password_is_refused_after_five_failures(hien_user):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "hien", "password": "sai-mat-khau"})

    response = client.post(LOGIN, {"username": "hien", "password": PASSWORD})

    assert response.status_code == 429
    assert tr("Account locked for a while") in page_text(response)
    assert SESSION_KEY not in client.session


def test_four_failures_do_not_lock_the_account(hien_user):
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"username": "hien", "password": "sai-mat-khau"})

    response = client.post(LOGIN, {"username": "hien", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(hien_user.pk)


def test_lockout_is_per_username_not_per_office(hien_user):
    UserFactory(username="lan")
    attacker = Client()
    for _ in range(5):
        attacker.post(LOGIN, {"username": "hien", "password": "sai-mat-khau"})
    colleague = Client()  # same address (the office NAT), other account

    response = colleague.post(LOGIN, {"username": "lan", "password": PASSWORD})

    assert response.status_code == 302
    assert SESSION_KEY in colleague.session


def test_logged_in_user_visiting_login_goes_home(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.get(LOGIN)

    assert (response.status_code, response["Location"]) == (302, reverse("web:home"))


def test_logout_by_post_ends_the_session(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.post(reverse("accounts:logout"))

    assert (response.status_code, response["Location"]) == (302, LOGIN)
    assert SESSION_KEY not in client.session
    assert client.get(reverse("web:home"))["Location"] == f"{LOGIN}?next=/"


def test_logout_by_get_is_refused(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(hien_user.pk)


def test_every_page_offers_logout_as_a_form(hien_user):
    client = Client()
    client.force_login(hien_user)

    html = client.get(reverse("web:home")).content.decode()

    assert f'<form method="post" action="{reverse("accounts:logout")}">' in html


# --- password change -------------------------------------------------------------------------


def test_password_change_needs_login():
    response = Client().get(reverse("accounts:password_change"))

    assert response["Location"] == f"{LOGIN}?next={reverse('accounts:password_change')}"


def test_password_change_happy_path_keeps_the_user_logged_in(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Lan-toa-2025-moi", "new_password2": "Lan-toa-2025-moi"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("accounts:password_change_done"), 302)]
    assert tr("Password changed") in page_text(response)
    hien_user.refresh_from_db()
    assert hien_user.check_password("Lan-toa-2025-moi")
    assert client.session[SESSION_KEY] == str(hien_user.pk)


def test_password_change_with_a_wrong_old_password_names_the_field(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "sai", "new_password1": "Lan-toa-2025-moi", "new_password2": "Lan-toa-2025-moi"},
    )

    form = response.context["form"]
    assert list(form.errors) == ["old_password"]
    assert form.errors["old_password"][0] in page_text(response)
    hien_user.refresh_from_db()
    assert hien_user.check_password(PASSWORD)


def test_password_change_refuses_a_short_new_password(hien_user):
    client = Client()
    client.force_login(hien_user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Ng4n#", "new_password2": "Ng4n#"},
    )

    errors = response.context["form"].errors
    assert list(errors) == ["new_password2"]
    with translation.override("vi"), pytest.raises(ValidationError) as expected:
        validate_password("Ng4n#", hien_user)
    assert errors["new_password2"] == expected.value.messages
    assert expected.value.messages[0] in page_text(response)


# --- locks: username and address together, lifted by an administrator ------------------------


def _fail_five_times(address: str, username: str = "hien") -> None:
    attacker = Client(REMOTE_ADDR=address)
    for _ in range(5):
        attacker.post(LOGIN, {"username": username, "password": "sai-mat-khau"})


def test_guessing_from_elsewhere_does_not_lock_the_owner_out_at_their_desk(hien_user):
    _fail_five_times("203.0.113.7")

    owner = Client(REMOTE_ADDR="10.0.0.12")
    guesser = Client(REMOTE_ADDR="203.0.113.7")

    assert owner.post(LOGIN, {"username": "hien", "password": PASSWORD}).status_code == 302
    assert guesser.post(LOGIN, {"username": "hien", "password": PASSWORD}).status_code == 429


@override_settings(LANTOA_LOGIN_COOLOFF_MINUTES=45)
def test_the_locked_page_tells_the_wait_the_settings_give(hien_user):
    _fail_five_times("10.0.0.12")

    response = Client(REMOTE_ADDR="10.0.0.12").post(LOGIN, {"username": "hien", "password": PASSWORD})

    assert "45" in page_text(response)
    assert "30" not in page_text(response)


def test_an_administrator_sees_the_lock_and_lifts_it(tree, hien_user):
    from lantoa.audit.models import AuditEntry
    from lantoa.org.models import Role
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(user=hien_user, unit=tree.women, role=Role.SECRETARY)
    admin = persona(tree.province, Role.ADMIN)
    _fail_five_times("10.0.0.12")

    page = admin.client.get(reverse("accounts:locks"))
    lock = page.context["locks"][0]
    lifted = admin.client.post(reverse("accounts:locks"), {"lock": lock.pk})
    again = Client(REMOTE_ADDR="10.0.0.12").post(LOGIN, {"username": "hien", "password": PASSWORD})

    assert [(lock.username, lock.ip_address) for lock in page.context["locks"]] == [("hien", "10.0.0.12")]
    assert lifted.status_code == 302
    assert again.status_code == 302
    assert AuditEntry.objects.filter(target_id=str(hien_user.pk), note__contains="10.0.0.12").exists()


def test_locks_are_for_administrators_of_the_accounts_units(tree, hien_user):
    from lantoa.org.models import Role
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(user=hien_user, unit=tree.women, role=Role.SECRETARY)
    _fail_five_times("10.0.0.12")
    staff = persona(tree.district, Role.PROPAGANDA)
    elsewhere = persona(tree.other_district, Role.ADMIN)

    assert staff.client.get(reverse("accounts:locks")).status_code == 403
    assert elsewhere.client.get(reverse("accounts:locks")).context["locks"] == []
    assert Client().get(reverse("accounts:locks")).status_code == 302
