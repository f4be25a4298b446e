"""Who owes a second factor, and when one is fresh enough (docs/decisions/0013).

Accounts sit below the organisation, so the roles come in as plain names
(`Actor.roles`); which roles they are is a setting, MFA_REQUIRED_ROLES."""

from collections.abc import Iterable

from django.conf import settings

# What a signed-in session that has not passed its second factor must do first.
VERIFY = "verify"  # the user has a second factor: give it
ENROL = "enrol"  # the user has none and holds a role that requires one: set one up


def second_factor_required(roles: Iterable[str]) -> bool:
    """A user holding one of MFA_REQUIRED_ROLES anywhere must have a second factor."""
    return not set(settings.MFA_REQUIRED_ROLES).isdisjoint(roles)


def is_fresh(verified_at: float | None, now: float) -> bool:
    """The last second factor was given within MFA_FRESH_SECONDS."""
    return verified_at is not None and 0 <= now - verified_at <= settings.MFA_FRESH_SECONDS
