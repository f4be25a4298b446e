"""The second factor (ASVS 5.0 L2, V6; docs/decisions/0013): enrolment for the
roles that read personal data, codes from an app, recovery codes, lockout,
and a fresh second factor before a contact or a complaint is shown."""

import json
import re
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from cpis.accounts import selectors, services
from cpis.accounts.demo import current_demo_code, give_demo_second_factor
from cpis.accounts.tests.factories import (
    UserFactory,
    code_of,
    english,
    give_app,
    give_code,
    next_of,
    sign_in,
    signed_in_with_app,
)

READERS = ["station_commander", "professional_standards", "system_admin"]


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_ROLES = READERS


@pytest.fixture
def commander(persona):
    return english(persona("commander_n1"))


@pytest.fixture
def standards(persona):
    return english(persona("standards"))


# --- enrolment ----------------------------------------------------------------


def test_a_role_that_reads_personal_data_sets_up_a_second_factor_before_any_staff_page(required, commander):
    client = Client()
    response = sign_in(client, "commander_n1")
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    for url in (reverse("organisation:home"), reverse("concerns:queue"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:second_factor_setup")), url
        assert next_of(response) == url
    assert client.get(reverse("portal:home")).status_code == 200  # public pages stay open
    page = client.get(reverse("accounts:second_factor_setup"))
    assert "set up a second factor before you go on" in page.content.decode()


def test_a_role_that_reads_no_personal_data_is_not_made_to_enrol(required, persona):
    persona("officer_n1a")
    client = Client()
    assert sign_in(client, "officer_n1a")["Location"] == reverse("organisation:home")
    assert client.get(reverse("organisation:home")).status_code == 200


def test_an_app_is_set_up_with_a_code_and_the_recovery_codes_are_shown_once(required, commander):
    client = Client()
    sign_in(client, "commander_n1")
    home = reverse("organisation:home")
    client.post(reverse("accounts:second_factor_app"), {"next": home})
    page = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn here: no outside service
    device = selectors.get_pending_app(commander)
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page

    wrong = client.post(reverse("accounts:second_factor_app_confirm"), {"code": "000000", "next": home})
    assert wrong.status_code == 400
    assert client.get(home).status_code == 302

    response = client.post(
        reverse("accounts:second_factor_app_confirm"), {"code": code_of(device), "next": home}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    commander.refresh_from_db()
    assert commander.has_second_factor
    assert client.get(home).status_code == 200  # this session has given its second factor
    setup = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert not any(code in setup for code in codes)


# --- giving it ------------------------------------------------------------------


def test_after_the_password_the_app_code_is_asked_before_any_staff_page(commander):
    device = give_app(commander)
    client = Client()
    home = reverse("organisation:home")
    response = sign_in(client, "commander_n1")
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert client.get(home)["Location"].startswith(reverse("accounts:second_factor"))
    session_before = client.session.session_key

    response = give_code(client, code_of(device), next_of(response))
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200
    assert client.session.session_key != session_before  # a new session key at the step up


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_used_again(commander):
    device = give_app(commander)
    client = Client()
    sign_in(client, "commander_n1")
    response = give_code(client, "123456" if code_of(device) != "123456" else "654321")
    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()

    code = code_of(device)
    assert give_code(client, code).status_code == 302
    second = Client()
    sign_in(second, "commander_n1")
    assert give_code(second, code).status_code == 400  # replayed within its window


def test_a_recovery_code_works_once(commander):
    give_app(commander)
    codes = services.create_recovery_codes(user=commander)
    first, second = Client(), Client()
    sign_in(first, "commander_n1")
    assert give_code(first, codes[0].upper()).status_code == 302
    sign_in(second, "commander_n1")
    assert give_code(second, codes[0]).status_code == 400
    assert selectors.list_second_factors(commander).recovery_codes_left == 9


def test_the_demo_logins_take_the_published_code(commander):
    give_demo_second_factor(commander)
    client = Client()
    sign_in(client, "commander_n1")
    assert give_code(client, current_demo_code()).status_code == 302


# --- lockout and limits ---------------------------------------------------------------


def test_wrong_codes_lock_the_user_out_from_that_client_even_with_the_right_code(commander):
    device = give_app(commander)
    client = Client(REMOTE_ADDR="198.51.100.7")
    sign_in(client, "commander_n1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        give_code(client, "000000")
    assert give_code(client, code_of(device)).status_code == 429
    # A right password resets the count of wrong passwords, never that of wrong codes.
    sign_in(client, "commander_n1")
    assert give_code(client, code_of(device)).status_code == 429
    # The same user from elsewhere is not locked out by this client's guesses.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    sign_in(elsewhere, "commander_n1")
    assert give_code(elsewhere, code_of(device)).status_code == 302


def test_wrong_codes_from_many_addresses_meet_the_hourly_limit(commander, settings):
    settings.MFA_FAILURES_PER_HOUR = 3
    device = give_app(commander)
    for attempt in range(3):
        client = Client(REMOTE_ADDR=f"192.0.2.{attempt + 1}")
        sign_in(client, "commander_n1")
        assert give_code(client, "000000").status_code == 400
    client = Client(REMOTE_ADDR="192.0.2.99")
    sign_in(client, "commander_n1")
    assert give_code(client, code_of(device)).status_code == 429


# --- a fresh second factor for the most sensitive reads --------------------------------


# --- next, the API, every staff page ----------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        # Relative or bare: no page of this site, and never a view name to reverse.
        "9999-12-31",
        "organisation:home",
    ],
)
def test_the_second_factor_never_sends_anyone_off_site(commander, target):
    device = give_app(commander)
    client = Client()
    sign_in(client, "commander_n1")
    response = give_code(client, code_of(device), target)
    assert response["Location"] == reverse("organisation:home")


def test_api_tokens_need_no_second_factor_but_a_half_signed_in_session_is_refused(required, commander, api):
    give_app(commander)
    assert api("commander_n1").get("/api/v1/concerns").status_code == 200
    client = Client()
    sign_in(client, "commander_n1")
    assert client.get("/api/v1/concerns").status_code == 401
    assert client.get("/api/v1/units").status_code == 200  # public data stays public


# --- changing one's second factors ---------------------------------------------------


def test_removing_the_last_second_factor_takes_the_recovery_codes_with_it(required, commander):
    client, device = signed_in_with_app(commander)  # with recovery codes, as a first app
    assert selectors.list_second_factors(commander).recovery_codes_left == 10
    response = client.post(reverse("accounts:second_factor_remove", args=["app", device.pk]))
    assert response.status_code == 302
    commander.refresh_from_db()
    assert not commander.has_second_factor
    assert selectors.list_second_factors(commander).recovery_codes_left == 0
    # The role requires one: back to setting it up.
    assert client.get(reverse("organisation:home"))["Location"].startswith(
        reverse("accounts:second_factor_setup")
    )


def test_changing_second_factors_needs_a_fresh_one(commander):
    client, _app = signed_in_with_app(commander)
    codes = set(StaticToken.objects.filter(device__user=commander).values_list("token", flat=True))
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.MFA_FRESH_SECONDS + 1), tick=False):
        response = client.post(reverse("accounts:recovery_codes"))
        assert response["Location"].startswith(reverse("accounts:second_factor"))
        assert (
            set(StaticToken.objects.filter(device__user=commander).values_list("token", flat=True)) == codes
        )


def test_someone_elses_second_factor_cannot_be_removed(commander, standards):
    theirs = give_app(standards)
    client, _app = signed_in_with_app(commander)
    response = client.post(reverse("accounts:second_factor_remove", args=["app", theirs.pk]))
    assert response.status_code == 404
    standards.refresh_from_db()
    assert standards.has_second_factor


def test_an_administrator_resets_a_lost_second_factor(commander):
    give_app(commander)
    services.create_recovery_codes(user=commander)
    call_command("reset_second_factor", "commander_n1")
    commander.refresh_from_db()
    assert not commander.has_second_factor
    assert not selectors.list_second_factors(commander).any
    assert selectors.list_second_factors(commander).recovery_codes_left == 0
    assert sign_in(Client(), "commander_n1")["Location"] == reverse("organisation:home")


def test_passkeys_wait_for_the_lockout_too(commander):
    device = give_app(commander)
    client = Client(REMOTE_ADDR="198.51.100.8", HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, "commander_n1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        give_code(client, "000000")
    response = client.post(reverse("accounts:passkey_verify_begin"))
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert code_of(device)


def test_a_verified_user_gets_passkey_options(commander):
    client, _app = signed_in_with_app(commander)
    options = client.post(reverse("accounts:passkey_add_begin")).json()
    assert options["rp"]["id"] == settings.OTP_WEBAUTHN_RP_ID
    assert options["user"]["name"] == "commander_n1"


def test_the_passkey_scripts_speak_the_users_language(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    script = client.get(reverse("accounts:passkey_catalogue")).content.decode()
    assert "Verification aborted." in script
    assert json.dumps("Провера је прекинута.") in script


def test_a_user_without_a_role_is_never_asked_to_enrol(required, db):
    UserFactory(username="nobody")
    assert sign_in(Client(), "nobody")["Location"] == reverse("organisation:home")
