import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from cpis.accounts.models import User
from cpis.accounts.services import authenticate_api_token, create_api_token, revoke_api_token
from cpis.accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", language="sr")


def _login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_a_user_signs_in_and_gets_their_language(alice):
    client = Client()
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sr"


def test_a_wrong_password_shows_a_translated_error(alice):
    response = _login(Client(), "alice", "nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(alice):
    client = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_header_does_not_dodge_the_lockout(alice):
    client = Client(REMOTE_ADDR="198.51.100.1")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{attempt}")
    response = _login(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert response.status_code == 429


def test_one_locked_user_does_not_lock_out_others_from_the_same_address(alice):
    UserFactory(username="bob")
    client = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "alice", "wrong")
    assert _login(Client(REMOTE_ADDR="198.51.100.1"), "bob", PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_behind_a_trusted_proxy_clients_are_told_apart_by_the_proxys_header(alice):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(proxy, "alice", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.66")
    # The attacker's address is locked; alice at home is not.
    assert _login(proxy, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="forged, 203.0.113.66").status_code == 429
    assert (
        _login(
            Client(REMOTE_ADDR="127.0.0.1"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.10"
        ).status_code
        == 302
    )


def test_choosing_a_language_is_remembered_in_a_cookie_and_on_the_account(alice):
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("accounts:set_language"), {"language": "sr-latn", "next": "/sector/"})
    assert response.status_code == 302
    assert response["Location"] == "/sector/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sr-latn"
    alice.refresh_from_db()
    assert alice.language == "sr-latn"
    page = client.get("/").content.decode()
    assert '<html lang="sr-latn">' in page


def test_the_language_switch_refuses_to_redirect_off_site(db):
    response = Client().post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_api_tokens_are_stored_hashed_and_can_be_revoked(alice):
    token, secret = create_api_token(user=alice, name="dashboard")
    assert secret not in token.digest and token.prefix in secret
    assert authenticate_api_token(secret) == alice
    assert authenticate_api_token(secret + "x") is None
    revoke_api_token(token=token)
    assert authenticate_api_token(secret) is None


def test_a_token_of_a_deactivated_user_is_refused(alice):
    _token, secret = create_api_token(user=alice, name="x")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert authenticate_api_token(secret) is None
