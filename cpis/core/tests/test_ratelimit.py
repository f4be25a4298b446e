"""Rate limits on their own: a fixed window per scope and identity, keys kept hashed."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from cpis.core import ratelimit
from cpis.core.models import RateBucket

NOON = datetime(2026, 3, 2, 12, 0, 5, tzinfo=UTC)


def test_the_limit_counts_per_window_scope_and_identity(db):
    with time_machine.travel(NOON, tick=False):
        assert [ratelimit.hit("submit", "203.0.113.9", limit=2, window_seconds=60) for _ in range(3)] == [
            True,
            True,
            False,
        ]
        assert ratelimit.remaining("submit", "203.0.113.9", limit=2, window_seconds=60) == 0
        assert ratelimit.hit("submit", "198.51.100.7", limit=2, window_seconds=60)
        assert ratelimit.hit("track", "203.0.113.9", limit=2, window_seconds=60)
        assert ratelimit.remaining("track", "203.0.113.9", limit=2, window_seconds=60) == 1
    with time_machine.travel(NOON + timedelta(seconds=60), tick=False):
        assert ratelimit.remaining("submit", "203.0.113.9", limit=2, window_seconds=60) == 2
        assert ratelimit.hit("submit", "203.0.113.9", limit=2, window_seconds=60)


def test_no_client_address_is_stored_in_clear(db):
    ratelimit.hit("submit", "203.0.113.9", limit=5, window_seconds=3600)
    (key,) = RateBucket.objects.values_list("key", flat=True)
    assert "203.0.113.9" not in key and "submit" not in key
    assert len(key) == 40


def test_prune_drops_buckets_older_than_a_day(db):
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        ratelimit.hit("submit", "old", limit=5, window_seconds=60)
    with time_machine.travel(NOON, tick=False):
        ratelimit.hit("submit", "new", limit=5, window_seconds=60)
        assert ratelimit.prune() == 1
        assert RateBucket.objects.count() == 1
        assert RateBucket.objects.get().window_start <= timezone.now()
