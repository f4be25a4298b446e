"""Fixed-window rate limits shared by every process, kept in the database.

Keys are hashed with the secret key before they are stored, so no client
address is kept in clear, and buckets older than a day are pruned."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateBucket


def _bucket_key(scope: str, identity: str) -> str:
    return salted_hmac("cpis.ratelimit", f"{scope}:{identity}").hexdigest()[:40]


def hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for `identity` in `scope`; False once `limit` events
    have been counted in the current window."""
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % window_seconds)
    key = _bucket_key(scope, identity)
    with transaction.atomic():
        updated = RateBucket.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                RateBucket.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateBucket.objects.filter(key=key, window_start=start).values_list("count", flat=True).first()
    return (count or 0) <= limit


def remaining(scope: str, identity: str, *, limit: int, window_seconds: int) -> int:
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % window_seconds)
    count = (
        RateBucket.objects.filter(key=_bucket_key(scope, identity), window_start=start)
        .values_list("count", flat=True)
        .first()
    )
    return max(limit - (count or 0), 0)


def prune(older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _ = RateBucket.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
