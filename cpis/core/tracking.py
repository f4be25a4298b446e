"""Tracking codes a citizen can read over the phone: a public reference of
8 Crockford base-32 characters (40 random bits) and a 6-digit PIN derived
from it with a keyed HMAC. The PIN is never stored, so a retried submission
can answer with the same code, and a database dump reveals no PINs. Guessing
is bounded by attempt limits (see docs/decisions/0006-tracking-codes.md)."""

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
REFERENCE_LENGTH = 8
PIN_DIGITS = 6
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_LENGTH))


def _pin(namespace: str, reference: str, secret: str) -> str:
    digest = salted_hmac(f"cpis.tracking.{namespace}", reference, secret=secret).hexdigest()
    return str(int(digest, 16) % 10**PIN_DIGITS).zfill(PIN_DIGITS)


def pin_for(namespace: str, reference: str) -> str:
    return _pin(namespace, reference, settings.SECRET_KEY)


def format_code(namespace: str, reference: str) -> str:
    """What the citizen is given: "7F3Q-9M2X-482913"."""
    return f"{reference[:4]}-{reference[4:]}-{pin_for(namespace, reference)}"


def parse_code(code: str) -> tuple[str, str] | None:
    """(reference, pin) from what a citizen typed, forgiving spaces, dashes,
    case and the letters Crockford reads as digits; None if malformed."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)
    if len(cleaned) != REFERENCE_LENGTH + PIN_DIGITS:
        return None
    reference, pin = cleaned[:REFERENCE_LENGTH], cleaned[REFERENCE_LENGTH:]
    if not pin.isdigit() or any(ch not in ALPHABET for ch in reference):
        return None
    return reference, pin


def pin_matches(namespace: str, reference: str, pin: str) -> bool:
    """Constant-time check against the current key and any fallback keys."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(_pin(namespace, reference, key), pin) for key in keys)


class TrackingLimited(Exception):
    """Too many attempts from this client or on this reference: answer 429."""


TRACK_LIMIT_PER_CLIENT = 30  # lookups per hour per client address
TRACK_LIMIT_PER_REFERENCE = 5  # wrong PINs per hour per reference from one client


def open_code(code: str, *, client: str, loaders: dict[str, Callable[[str], Any]]) -> tuple[str, Any] | None:
    """(namespace, record) for a tracking code, trying each namespace's
    loader, or None. Unknown references and wrong PINs look the same;
    attempts are limited per client, and wrong PINs per reference and
    client, so neither guessing PINs nor sweeping references pays. The
    reference half of a code is public (Open311 shows it), so wrong PINs
    are never counted per reference alone: a stranger's guesses must not
    lock the owner out of their own code."""
    from . import ratelimit

    if not ratelimit.hit("track-client", client, limit=TRACK_LIMIT_PER_CLIENT, window_seconds=3600):
        raise TrackingLimited()
    parsed = parse_code(code)
    if parsed is None:
        return None
    reference, pin = parsed
    guesser = f"{reference}:{client}"
    if ratelimit.remaining("track-ref", guesser, limit=TRACK_LIMIT_PER_REFERENCE, window_seconds=3600) == 0:
        raise TrackingLimited()
    for namespace, loader in loaders.items():
        if pin_matches(namespace, reference, pin):
            record = loader(reference)
            if record is not None:
                return namespace, record
    ratelimit.hit("track-ref", guesser, limit=TRACK_LIMIT_PER_REFERENCE, window_seconds=3600)
    return None
