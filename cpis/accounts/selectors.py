"""Reads for accounts: a user's second factors, and where the current session
stands with them (docs/decisions/0013)."""

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from cpis.core import ratelimit
from cpis.core.http import client_ip, one_or_404

from . import policy
from .models import User

# The session remembers when the second factor was last given (seconds since the epoch).
VERIFIED_AT = "cpis_second_factor_at"
# Wrong codes are counted by axes under the username with this suffix (a space, which
# no username holds), apart from wrong passwords: a right password resets axes' count,
# and must not wipe the count of wrong codes with it.
LOCKOUT_SUFFIX = " (second factor)"
RATE_SCOPE = "second-factor"
RATE_WINDOW = 3600
RECOVERY_DEVICE = "recovery codes"


@dataclass(frozen=True)
class SecondFactors:
    """What a user has set up: authenticator apps, passkeys, unused recovery codes."""

    apps: list[TOTPDevice]
    passkeys: list[WebAuthnCredential]
    recovery_codes_left: int

    @property
    def any(self) -> bool:
        return bool(self.apps or self.passkeys)


def list_second_factors(user: User) -> SecondFactors:
    def confirmed(model: type[Device]) -> list[Any]:
        return list(model.objects.devices_for_user(user, confirmed=True).order_by("created_at"))

    codes = StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE)
    return SecondFactors(
        apps=confirmed(TOTPDevice), passkeys=confirmed(WebAuthnCredential), recovery_codes_left=codes.count()
    )


def get_second_factor(user: User, kind: str, device_id: int) -> Device:
    """One of the user's own apps or passkeys (404 for anyone else's)."""
    model = {"app": TOTPDevice, "passkey": WebAuthnCredential}.get(kind)
    if model is None:
        raise Http404(_("Not found."))
    return one_or_404(model.objects.devices_for_user(user, confirmed=True), pk=device_id)


def get_passkey(user: User, device_id: int) -> WebAuthnCredential:
    return WebAuthnCredential.objects.devices_for_user(user).get(pk=device_id)


def get_pending_app(user: User) -> TOTPDevice | None:
    """An authenticator app being set up: its secret is shown until a code confirms it."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-created_at").first()


def owes_second_factor(request: HttpRequest) -> str | None:
    """What a signed-in session must do before staff pages: `policy.VERIFY` (give
    its second factor), `policy.ENROL` (set one up, required by a role), or None.
    No query for a user without a second factor while no role requires one."""
    user: Any = request.user
    if not user.is_authenticated or _is_verified(user):
        return None
    if user.has_second_factor:
        return policy.VERIFY
    if not settings.MFA_REQUIRED_ROLES:
        return None
    # ActorMiddleware (organisation, above this app) sets the actor; staff pages build it anyway.
    roles = getattr(getattr(request, "actor", None), "roles", ())
    return policy.ENROL if policy.second_factor_required(roles) else None


def second_factor_is_fresh(request: HttpRequest) -> bool:
    """A user with a second factor gave it within MFA_FRESH_SECONDS in this
    session; a user without one has nothing to give (the middleware made those
    whose roles require one set it up first)."""
    user: Any = request.user
    if not getattr(user, "has_second_factor", False):
        return True
    return _is_verified(user) and policy.is_fresh(request.session.get(VERIFIED_AT), time.time())


def _is_verified(user: Any) -> bool:
    """OTPMiddleware gives request.user `is_verified`; the user `login()` has just
    put on the request has not been through it yet."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def lockout_credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username() + LOCKOUT_SUFFIX}


def is_locked_out(request: HttpRequest, user: User) -> bool:
    """Too many wrong second factors from this client (axes' limit and cool-off),
    or from anywhere this hour (MFA_FAILURES_PER_HOUR)."""
    from axes.handlers.proxy import AxesProxyHandler

    if AxesProxyHandler.is_locked(request, credentials=lockout_credentials(user)):
        return True
    left = ratelimit.remaining(
        RATE_SCOPE, str(user.pk), limit=settings.MFA_FAILURES_PER_HOUR, window_seconds=RATE_WINDOW
    )
    return left <= 0


def lockout_key(request: HttpRequest, user: User) -> tuple[str, str]:
    """The (username, client address) pair axes counts wrong second factors under."""
    return lockout_credentials(user)["username"], client_ip(request)
