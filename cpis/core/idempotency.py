"""Idempotent submissions (IETF draft Idempotency-Key semantics).

`claim` records a key in its own committed transaction before any work, so
a concurrent duplicate sees it in flight (409, with Retry-After); `complete`
links it to the record created; `release` forgets a claim whose work failed,
so the client's retry can succeed. A retry after completion gets the same
record; the same key with a different body is refused (422).

A claim is a lease of IN_FLIGHT seconds: a process that dies after claiming
blocks its key for at most that long, then a retry takes the claim over.
The lease is stamped with the time it was taken, and `submit_once` completes
or releases only the lease it holds, so a slow first attempt that was taken
over rolls its work back instead of writing the record a second time.

Keys belong to an `owner` (the API client, "user:<id>", see `owner_of`):
two clients that happen to choose the same key each get their own record,
and neither can replay or block the other's. The anonymous forms, whose keys
are random per page, share the owner ""."""

import hashlib
import json
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError, InvalidInput
from .models import IdempotencyRecord

IN_FLIGHT = timedelta(seconds=20)
KEY_LIMIT = 120  # IdempotencyRecord.key


class SubmissionInProgress(DomainError):
    message = gettext_lazy("The same submission is still being processed. Try again in a moment.")
    status_code = 409


class IdempotencyKeyReused(DomainError):
    message = gettext_lazy("This submission key was already used for a different submission.")
    status_code = 422


def fingerprint(fields: dict[str, Any], attachment: bytes | None = None) -> str:
    canonical = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode())
    if attachment:
        digest.update(hashlib.sha256(attachment).digest())
    return digest.hexdigest()


def owner_of(user_id: int | None) -> str:
    """The owner of the keys a signed-in client (an API key's user) sends;
    "" for anonymous callers."""
    return f"user:{user_id}" if user_id else ""


def claim(key: str, body_fingerprint: str, *, owner: str = "") -> str | None:
    """The record id of a finished earlier submission with this key, or None
    when the caller should go ahead (the key is now claimed)."""
    earlier_id, _leased_at = _claim(key, body_fingerprint, owner=owner)
    return earlier_id


def _claim(key: str, body_fingerprint: str, *, owner: str = "") -> tuple[str | None, datetime]:
    """(earlier record id or None, when the lease was taken)."""
    now = timezone.now()
    with transaction.atomic():
        record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
            owner=owner, key=key, defaults={"fingerprint": body_fingerprint}
        )
        if created:
            return None, record.created_at
        if record.fingerprint != body_fingerprint:
            raise IdempotencyKeyReused()
        if record.record_id:
            return record.record_id, record.created_at
        expires = record.created_at + IN_FLIGHT
        if expires > now:
            refused = SubmissionInProgress()
            refused.retry_after = max(1, math.ceil((expires - now).total_seconds()))
            raise refused
        # An abandoned claim (the process died mid-way): take the lease over.
        IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=now)
        return None, now


def complete(key: str, record_id: object, *, owner: str = "", leased_at: datetime | None = None) -> None:
    """Called inside the transaction that created the record. With
    `leased_at`, only that lease is completed: if another attempt has taken
    the key over meanwhile, SubmissionInProgress rolls this one back."""
    rows = IdempotencyRecord.objects.filter(owner=owner, key=key, record_id="")
    if leased_at is not None:
        rows = rows.filter(created_at=leased_at)
    if not rows.update(record_id=str(record_id)) and leased_at is not None:
        lost = SubmissionInProgress()
        lost.retry_after = 1
        raise lost


def release(key: str, *, owner: str = "", leased_at: datetime | None = None) -> None:
    """Forget an unfinished claim (only the lease taken at `leased_at`, if given)."""
    rows = IdempotencyRecord.objects.filter(owner=owner, key=key, record_id="")
    if leased_at is not None:
        rows = rows.filter(created_at=leased_at)
    rows.delete()


def lookup(key: str, *, owner: str = "") -> str | None:
    """The record id a finished submission under this owner's key created."""
    return (
        IdempotencyRecord.objects.filter(owner=owner, key=key)
        .exclude(record_id="")
        .values_list("record_id", flat=True)
        .first()
    )


def lookup_any_owner(key: str) -> list[str]:
    """The record ids finished submissions under this key created, whoever
    sent them (an Open311 token, which a GET reads without an api_key)."""
    return list(
        IdempotencyRecord.objects.filter(key=key)
        .exclude(record_id="")
        .order_by("created_at", "pk")
        .values_list("record_id", flat=True)
    )


def prune(older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- one submission, once ---------------------------------------------------------------


class _Record(Protocol):
    pk: Any


R = TypeVar("R", bound=_Record)


def require_key(key: str | None, *, limit: int = KEY_LIMIT) -> str:
    """The submission key, trimmed, or InvalidInput when missing or too long."""
    key = (key or "").strip()
    if not key or len(key) > limit:
        raise InvalidInput(_("The submission key is missing or too long."))
    return key


def header_key(request: HttpRequest) -> str:
    """The client's `Idempotency-Key` header, trimmed ("" when absent)."""
    return str(request.headers.get("Idempotency-Key", "")).strip()


def submit_once(
    key: str,
    fields: dict[str, Any],
    *,
    create: Callable[[], R],
    load: Callable[[int], R],
    attachment: bytes | None = None,
    owner: str = "",
) -> tuple[R, bool]:
    """(record, replayed): the record `create` writes, once per key. A retry
    with the same key and fields gets the record of the first submission back
    (`load` by its id, replayed=True); the same key with other fields is
    refused (IdempotencyKeyReused, 422) and a retry while the first is still
    running too (SubmissionInProgress, 409). Keys are the `owner`'s: another
    owner's same key is another submission. `create` runs in one transaction
    with the key's completion; when it fails the key is released, so the
    client's retry can succeed."""
    earlier_id, leased_at = _claim(key, fingerprint(fields, attachment), owner=owner)
    if earlier_id is not None:
        return load(int(earlier_id)), True
    try:
        with transaction.atomic():
            record = create()
            complete(key, record.pk, owner=owner, leased_at=leased_at)
    except BaseException:
        release(key, owner=owner, leased_at=leased_at)
        raise
    return record, False


def submit_if_keyed(
    key: str,
    fields: dict[str, Any],
    *,
    scope: str,
    create: Callable[[], R],
    load: Callable[[int], R],
) -> tuple[R, bool]:
    """For a create-by-API endpoint whose `Idempotency-Key` is optional: with
    the client's key, `submit_once` under `scope:key` (the scope names the
    endpoint and the caller, so one caller's key never replays another's
    record); without it, `create` once, as if there were no keys (replayed=False)."""
    if not key:
        return create(), False
    return submit_once(require_key(f"{scope}:{key}"), fields, create=create, load=load)
