"""Passkeys (WebAuthn) through django-otp-webauthn: its views, with our lockout,
our freshness rule and our messages, and its scripts, in our four languages.

The scripts come with the package (PyPI) and need no inline code: they read
their configuration from a JSON data block and load their strings from the
catalogue view below, so the Content Security Policy stays script-src 'self'."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as library

from cpis.core.views import public

from .. import policy, selectors, services
from .access import second_factor_step

# The strings the package's scripts show (gettext in otp_webauthn_auth.js and
# otp_webauthn_register.js), translated in our catalogue and served by
# `script_catalogue`: the package itself has no Albanian or Serbian. (Two more,
# the buttons' labels, are used only when a button has no text; ours have.)
SCRIPT_STRINGS = (
    gettext_noop("Registering..."),
    gettext_noop("Registration failed. Unable to fetch registration options from server."),
    gettext_noop("Registration aborted."),
    gettext_noop("Registration failed. You most likely already have a Passkey registered for this site."),
    gettext_noop("Registration aborted or not allowed."),
    gettext_noop(
        "Registration failed. A technical problem occurred that prevents you from registering a Passkey "
        "for this site."
    ),
    gettext_noop("Registration failed. An unknown error occurred."),
    gettext_noop("Finishing registration..."),
    gettext_noop("Registration failed. The server was unable to verify this passkey."),
    gettext_noop("Registration failed. A server error occurred."),
    gettext_noop("Registration successful!"),
    gettext_noop("An error occurred during registration."),
    gettext_noop("Verifying..."),
    gettext_noop("Verification failed. Could not retrieve parameters from the server."),
    gettext_noop("Verification aborted."),
    gettext_noop("Verification canceled or not allowed."),
    gettext_noop("Verification failed. An unknown error occurred."),
    gettext_noop("Finishing verification..."),
    gettext_noop("Verification failed. An unknown server error occurred."),
    gettext_noop("Verification failed. A server error occurred."),
    gettext_noop("Verification successful!"),
    gettext_noop("An error occurred during verification."),
)


class ScriptCatalogue(JavaScriptCatalog):
    domain = "djangojs"
    packages = ["django_otp_webauthn"]

    def get_catalog(self) -> dict[str, Any]:
        return {text: _(text) for text in SCRIPT_STRINGS}


script_catalogue = public(ScriptCatalogue.as_view())


def script_configuration(request: HttpRequest) -> dict[str, Any]:
    """What the package's scripts read from the `otp_webauthn_config` data block."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "main input[name='next']",  # not the language switcher's
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("accounts:passkey_verify_begin"),
        "completeAuthenticationUrl": reverse("accounts:passkey_verify_complete"),
        "beginRegistrationUrl": reverse("accounts:passkey_add_begin"),
        "completeRegistrationUrl": reverse("accounts:passkey_add_complete"),
    }


class Refused(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "refused"


class LockedOut(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "locked_out"


LOCKED_OUT = gettext_lazy(
    "Too many failed sign-in attempts. Wait a while and try again, or ask your system administrator."
)


class Ceremony:
    """The package's JSON errors, with our message in the user's language."""

    failure: str | Promise = ""

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if not isinstance(exc, exceptions.OTPWebAuthnApiError):
            raise exc
        message = LOCKED_OUT if isinstance(exc, LockedOut) else self.failure
        return JsonResponse({"detail": str(message), "code": exc.code}, status=exc.status_code)


class Adding(Ceremony, library.RegistrationCeremonyMixin):
    failure = gettext_lazy("The passkey could not be added. Try again, or use an authenticator app.")

    def check_can_register(self) -> None:
        # Adding a passkey beside another second factor needs that one given lately.
        if not selectors.second_factor_is_fresh(self.request):
            raise Refused


class AddBegin(Adding, library.BeginCredentialRegistrationView):
    pass


class AddComplete(Adding, library.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        user = self.request.user
        first = not user.has_second_factor
        response = super().post(*args, **kwargs)
        services.note_passkey_added(user=user)
        if first:  # the first second factor: this session has given it
            device = selectors.get_passkey(user, json.loads(response.content)["id"])
            services.mark_verified(self.request, user, device)
        return response


class Verifying(Ceremony, library.AuthenticationCeremonyMixin):
    failure = gettext_lazy("The passkey was not accepted. Try again, or type a code.")

    def check_can_authenticate(self) -> None:
        super().check_can_authenticate()
        if selectors.is_locked_out(self.request, self.request.user):
            raise LockedOut


class VerifyBegin(Verifying, library.BeginCredentialAuthenticationView):
    pass


class VerifyComplete(Verifying, library.CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        services.mark_verified(self.request, self.request.user, device)

    def handle_exception(self, exc: Exception) -> HttpResponse:
        # A passkey the server refused counts like a wrong code.
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(exc, LockedOut):
            services.note_wrong_second_factor(self.request, self.request.user)
        return super().handle_exception(exc)


def _ceremony(view: type[library.BaseWebAuthnView], step: str) -> Any:
    return second_factor_step(step)(require_POST(view.as_view()))


passkey_add_begin = _ceremony(AddBegin, policy.ENROL)
passkey_add_complete = _ceremony(AddComplete, policy.ENROL)
passkey_verify_begin = _ceremony(VerifyBegin, policy.VERIFY)
passkey_verify_complete = _ceremony(VerifyComplete, policy.VERIFY)
