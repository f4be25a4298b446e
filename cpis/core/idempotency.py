"""Idempotent submissions (IETF draft Idempotency-Key semantics).

`claim` records a key in its own committed transaction before any work, so
a concurrent duplicate sees it in flight (409); `complete` links it to the
record created; `release` forgets a claim whose work failed, so the
client's retry can succeed. A retry after completion gets the same record;
the same key with a different body is refused (422)."""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError, InvalidInput
from .models import IdempotencyRecord

IN_FLIGHT = timedelta(seconds=120)
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


def claim(key: str, body_fingerprint: str) -> str | None:
    """The record id of a finished earlier submission with this key, or None
    when the caller should go ahead (the key is now claimed)."""
    with transaction.atomic():
        record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
            key=key, defaults={"fingerprint": body_fingerprint}
        )
        if created:
            return None
        if record.fingerprint != body_fingerprint:
            raise IdempotencyKeyReused()
        if record.record_id:
            return record.record_id
        if record.created_at > timezone.now() - IN_FLIGHT:
            raise SubmissionInProgress()
        # An abandoned claim (the process died mid-way): take it over.
        IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now())
        return None


def complete(key: str, record_id: object) -> None:
    """Called inside the transaction that created the record."""
    IdempotencyRecord.objects.filter(key=key).update(record_id=str(record_id))


def release(key: str) -> None:
    IdempotencyRecord.objects.filter(key=key, record_id="").delete()


def lookup(key: str) -> str | None:
    return (
        IdempotencyRecord.objects.filter(key=key)
        .exclude(record_id="")
        .values_list("record_id", flat=True)
        .first()
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
) -> tuple[R, bool]:
    """(record, replayed): the record `create` writes, once per key. A retry
    with the same key and fields gets the record of the first submission back
    (`load` by its id, replayed=True); the same key with other fields is
    refused (IdempotencyKeyReused, 422) and a retry while the first is still
    running too (SubmissionInProgress, 409). `create` runs in one transaction
    with the key's completion; when it fails the key is released, so the
    client's retry can succeed."""
    earlier_id = claim(key, fingerprint(fields, attachment))
    if earlier_id is not None:
        return load(int(earlier_id)), True
    try:
        with transaction.atomic():
            record = create()
            complete(key, record.pk)
    except BaseException:
        release(key)
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
