"""Fixed-window rate limits shared by every process, kept in the database.

Keys are hashed with the secret key before they are stored, so no client
address is kept in clear, and buckets older than a day are pruned."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import RateBucket


def _bucket_key(scope: str, identity: str) -> str:
    return salted_hmac("cpis.ratelimit", f"{scope}:{identity}").hexdigest()[:40]


def hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for `identity` in `scope`; False once `limit` events
    have been counted in the current window. One atomic statement (an
    upsert returning the new count) on SQLite and PostgreSQL alike."""
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % window_seconds)
    q = connection.ops.quote_name
    table, key, window, count = q(RateBucket._meta.db_table), q("key"), q("window_start"), q("count")
    sql = (
        f"INSERT INTO {table} ({key}, {window}, {count}) VALUES (%s, %s, 1) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({key}, {window}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_bucket_key(scope, identity), connection.ops.adapt_datetimefield_value(start)])
        (count,) = cursor.fetchone()
    return int(count) <= limit


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
