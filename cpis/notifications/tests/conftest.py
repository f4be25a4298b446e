"""Personas with a work e-mail and a language, and what the outbox holds for them."""

import pytest

from cpis.core.models import OutboxMessage


@pytest.fixture
def staff(persona):
    """staff("officer_n1a", language="sr") → the persona with an address to be e-mailed at."""

    def make(name: str, *, language: str = "sq", email: bool = True):
        user = persona(name)
        user.email = f"{name}@kosovopolice.example" if email else ""
        user.language = language
        user.save(update_fields=["email", "language"])
        return user

    return make


@pytest.fixture
def mails():
    """mails(user) → the outbox's notification e-mails to the user (digests with digests=True)."""

    def read(user, *, digests: bool = False):
        record_type = "notifications.digest" if digests else "notifications.notification"
        return list(OutboxMessage.objects.filter(record_type=record_type, to_email=user.email).order_by("pk"))

    return read
