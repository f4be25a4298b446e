"""The demo's second factor: one authenticator-app secret, published in the
README and printed by `cpis load_demo`, shared by the demo logins whose role
requires a second factor, so that anyone trying the demo can sign in as them.
Never use it outside the demo: anyone may read it."""

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# Base32 MNYG S4ZN MRSW 23ZN GIYD ENRN ORXX I4BB, the form authenticator apps take.
DEMO_TOTP_KEY = b"cpis-demo-2026-totp!"
DEMO_TOTP_SECRET = "MNYGS4ZNMRSW23ZNGIYDENRNORXXI4BB"  # noqa: S105 (published: demo only)


@transaction.atomic
def give_demo_second_factor(user: User) -> None:
    """An authenticator app holding the demo secret, already confirmed."""
    TOTPDevice.objects.create(user=user, name="demo app", key=DEMO_TOTP_KEY.hex(), confirmed=True)
    User.objects.filter(pk=user.pk).update(has_second_factor=True)
    user.has_second_factor = True


def current_demo_code() -> str:
    """The code an authenticator app holding the demo secret shows now."""
    return f"{totp(DEMO_TOTP_KEY):06d}"


def instructions() -> list[str]:
    return [
        f"Second factor of the logins marked *: the authenticator-app secret {DEMO_TOTP_SECRET}",
        "(add it to any TOTP app) or the current code from `cpis demo_code`.",
    ]
