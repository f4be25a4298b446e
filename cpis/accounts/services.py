"""Writes for accounts: API tokens, language preference, access logging."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cpis.core.http import client_ip

from .models import AccessLogEntry, ApiToken, User

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


def log_personal_data_access(
    *, user_id: int | None, subject_type: str, subject_id: object, request: HttpRequest | None
) -> AccessLogEntry:
    """Record that `user_id` was shown the personal data of one record. The
    source is the page or endpoint with the names of its query parameters but
    not their values: a search term is often a person's name."""
    source = ""
    address = None
    if request is not None:
        names = sorted(set(request.GET))
        source = (request.path + ("?" + "&".join(names) if names else ""))[:300]
        address = client_ip(request) or None
    return AccessLogEntry.objects.create(
        user_id=user_id,
        subject_type=subject_type,
        subject_id=str(subject_id),
        source=source,
        client_ip=address,
    )
