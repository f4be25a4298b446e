"""Self-hosted proof of work for anonymous forms (the ALTCHA scheme, its
maintained Python library): the browser must find n with
sha256(salt + n) = challenge before a form counts. The server signs each
challenge, so it keeps no state until a solution is spent; spent solutions
are recorded so that none can be replayed."""

import base64
import json
from datetime import UTC, datetime, timedelta

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import UsedChallenge

LIFETIME = timedelta(minutes=30)


def _key() -> str:
    return f"cpis-pow:{settings.SECRET_KEY}"


def new_challenge() -> dict[str, object]:
    """A signed challenge for the browser (algorithm, challenge, maxNumber, salt, signature)."""
    challenge = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=_key(),
            max_number=settings.POW_MAX_NUMBER,
            expires=datetime.now(tz=UTC) + LIFETIME,
        )
    )
    data: dict[str, object] = challenge.to_dict()
    return data


def verify(payload: str) -> bool:
    """True once for a valid, unexpired, unspent solution; False otherwise."""
    if not payload or len(payload) > 2000:
        return False
    try:
        ok, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
        signature = str(json.loads(base64.b64decode(payload))["signature"])
    except (ValueError, TypeError, KeyError):
        return False
    if not ok:
        return False
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(signature=signature, expires_at=timezone.now() + LIFETIME)
    except IntegrityError:
        return False  # replayed
    return True


def solve(challenge: dict[str, object]) -> str:
    """The payload a browser would send (used by tests and benchmarks)."""
    solution = altcha.solve_challenge_v1(
        str(challenge["challenge"]),
        str(challenge["salt"]),
        "SHA-256",
        int(str(challenge["maxNumber"])),
    )
    if solution is None:
        raise ValueError("unsolvable challenge")
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def prune() -> int:
    deleted, _ = UsedChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
