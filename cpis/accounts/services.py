"""Writes for accounts: API tokens, language preference, access logging, and
second factors (docs/decisions/0013)."""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from cpis.core import ratelimit
from cpis.core.errors import DomainError

from . import selectors
from .models import ApiToken, User

TOKEN_PREFIX = "cpis"  # noqa: S105 (a label, not a secret)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token for `user`; returns the row and the plaintext, which is
    never stored and cannot be shown again."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, digest=_digest(plaintext))
    return token, plaintext


def authenticate_api_token(plaintext: str) -> User | None:
    """The active user a token belongs to, or None. Constant-time compare."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not secrets.compare_digest(token.digest, _digest(plaintext)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute: a write per request would serialise
    # every request of a busy client on this one row.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def set_language(*, user: User, language: str) -> None:
    """Remember the interface language a signed-in user chose."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- second factors ---------------------------------------------------------

RECOVERY_CODE_COUNT = 10


class WrongCode(DomainError):
    message = _("That code is not right. Type the code your app shows now.")


def start_app(*, user: User) -> TOTPDevice:
    """Begin setting up an authenticator app: a new secret, unconfirmed until a
    code from the app proves it holds it (any earlier unconfirmed one goes)."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


@transaction.atomic
def confirm_app(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm an app with a code it shows. Returns new recovery codes when it is
    the user's first second factor (shown once), else nothing. WrongCode if the
    code is wrong."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        raise WrongCode
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _second_factor_added(user)


def note_passkey_added(*, user: User) -> None:
    """A passkey was registered (django-otp-webauthn saved it): the user has a
    second factor now. Recovery codes are offered on the set-up page."""
    _second_factor_added(user, with_codes=False)


def _second_factor_added(user: User, *, with_codes: bool = True) -> list[str]:
    first = not user.has_second_factor
    if first:
        User.objects.filter(pk=user.pk).update(has_second_factor=True)
        user.has_second_factor = True
    return create_recovery_codes(user=user) if first and with_codes else []


@transaction.atomic
def create_recovery_codes(*, user: User) -> list[str]:
    """Ten new single-use recovery codes in place of any left; the plaintext is
    returned to be shown once (django-otp keeps them to compare)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=selectors.RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: an authenticator app's current code (never
    one already used: django-otp remembers the last time step) or an unused
    recovery code, which is then spent. None if no device accepts it."""
    code = "".join(code.split()).replace("-", "").lower()
    devices: list[Device]
    with transaction.atomic():
        if code.isdigit():
            devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update())
        else:
            devices = list(
                StaticDevice.objects.devices_for_user(user, confirmed=True)
                .filter(name=selectors.RECOVERY_DEVICE)
                .select_for_update()
            )
        return next((device for device in devices if device.verify_token(code)), None)


@transaction.atomic
def remove_second_factor(*, user: User, device: Device) -> None:
    """Remove an app or a passkey. With the last one the recovery codes go too:
    they stand in for a second factor, not for having none."""
    device.delete()
    if not selectors.list_second_factors(user).any:
        reset_second_factor(user=user)


@transaction.atomic
def reset_second_factor(*, user: User) -> None:
    """Forget every second factor of a user (a lost phone): at the next sign-in a
    role that requires one sets it up again."""
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        model.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(has_second_factor=False)
    user.has_second_factor = False


def mark_verified(request: HttpRequest, user: User, device: Device) -> None:
    """The session of `user` has passed its second factor now: remember the
    device and the time (for MFA_FRESH_SECONDS), forget this client's wrong
    codes, and give the session a new key, as at any step up in privilege."""
    from axes.handlers.proxy import AxesProxyHandler

    request.session.cycle_key()
    otp_login(request, device)
    request.session[selectors.VERIFIED_AT] = time.time()
    username, address = selectors.lockout_key(request, user)
    AxesProxyHandler.reset_attempts(username=username, ip_address=address)


def note_wrong_second_factor(request: HttpRequest, user: User) -> None:
    """Count a wrong code or passkey: towards axes' lockout of this user from this
    client, and towards the user's hourly limit from anywhere."""
    user_login_failed.send(sender=__name__, credentials=selectors.lockout_credentials(user), request=request)
    ratelimit.hit(
        selectors.RATE_SCOPE,
        str(user.pk),
        limit=settings.MFA_FAILURES_PER_HOUR,
        window_seconds=selectors.RATE_WINDOW,
    )


def _digits(code: str) -> str:
    return "".join(code.split())
