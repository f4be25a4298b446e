"""Submission keys on their own: claim, complete, replay, refuse, take over, release, prune."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cpis.core import idempotency
from cpis.core.models import IdempotencyRecord

BODY = {"category": "traffic-safety", "description": "Semafori nuk punon.", "lat": 42.55}


def test_the_fingerprint_depends_on_the_body_and_the_attachment_not_on_key_order():
    same = idempotency.fingerprint(dict(reversed(list(BODY.items()))))
    assert idempotency.fingerprint(BODY) == same
    assert len(same) == 64
    assert idempotency.fingerprint({**BODY, "lat": 42.56}) != same
    assert idempotency.fingerprint(BODY, b"photo") != same
    assert idempotency.fingerprint(BODY, b"photo") != idempotency.fingerprint(BODY, b"other photo")


def test_a_first_claim_goes_ahead_and_a_completed_key_replays_its_record(db):
    body = idempotency.fingerprint(BODY)
    assert idempotency.claim("k", body) is None
    assert idempotency.lookup("k") is None
    idempotency.complete("k", 42)
    assert idempotency.claim("k", body) == "42"
    assert idempotency.lookup("k") == "42"
    assert IdempotencyRecord.objects.count() == 1


def test_a_claim_in_flight_is_refused_with_409(db):
    body = idempotency.fingerprint(BODY)
    assert idempotency.claim("k", body) is None
    with pytest.raises(idempotency.SubmissionInProgress) as refused:
        idempotency.claim("k", body)
    assert refused.value.status_code == 409
    assert IdempotencyRecord.objects.get().record_id == ""


def test_the_same_key_with_another_body_is_refused_with_422_even_in_flight(db):
    assert idempotency.claim("k", idempotency.fingerprint(BODY)) is None
    with pytest.raises(idempotency.IdempotencyKeyReused) as refused:
        idempotency.claim("k", idempotency.fingerprint({**BODY, "lat": 1.0}))
    assert refused.value.status_code == 422


def test_an_abandoned_claim_is_taken_over(db):
    body = idempotency.fingerprint(BODY)
    idempotency.claim("k", body)
    old = timezone.now() - idempotency.IN_FLIGHT - timedelta(seconds=1)
    IdempotencyRecord.objects.update(created_at=old)
    assert idempotency.claim("k", body) is None
    assert IdempotencyRecord.objects.get().created_at > old


def test_release_forgets_an_unfinished_claim_but_never_a_finished_one(db):
    body = idempotency.fingerprint(BODY)
    idempotency.claim("open", body)
    idempotency.claim("done", body)
    idempotency.complete("done", 7)
    idempotency.release("open")
    idempotency.release("done")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["done"]
    assert idempotency.claim("open", body) is None


def test_prune_drops_only_old_keys(db):
    idempotency.claim("old", "a" * 64)
    idempotency.claim("new", "b" * 64)
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(days=3))
    assert idempotency.prune() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_an_optional_key_replays_within_its_scope_and_without_a_key_creates_each_time(db):
    from itertools import count

    from cpis.core.models import ScheduledRun

    made = count(1)

    def once(key: str, scope: str) -> tuple[int, bool]:
        run, replayed = idempotency.submit_if_keyed(
            key,
            BODY,
            scope=scope,
            create=lambda: ScheduledRun.objects.create(job=f"job-{next(made)}"),
            load=lambda pk: ScheduledRun.objects.get(pk=pk),
        )
        return run.pk, replayed

    first, replayed = once("k", "api:1")
    assert not replayed
    assert once("k", "api:1") == (first, True)
    assert once("k", "api:2")[0] != first  # another caller's scope: its own record
    assert not once("", "api:1")[1] and not once("", "api:1")[1]
    assert ScheduledRun.objects.count() == 4
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"api:1:k", "api:2:k"}


def test_a_refused_claim_says_when_to_try_again(db):
    body = idempotency.fingerprint(BODY)
    idempotency.claim("k", body)
    with pytest.raises(idempotency.SubmissionInProgress) as refused:
        idempotency.claim("k", body)
    assert 1 <= refused.value.retry_after <= idempotency.IN_FLIGHT.total_seconds()
    stamp = timezone.now() - idempotency.IN_FLIGHT + timedelta(seconds=2.5)
    IdempotencyRecord.objects.update(created_at=stamp)
    with pytest.raises(idempotency.SubmissionInProgress) as refused:
        idempotency.claim("k", body)
    assert refused.value.retry_after in (2, 3)


def test_a_dead_claim_blocks_its_key_for_less_than_half_a_minute(db):
    body = idempotency.fingerprint(BODY)
    idempotency.claim("k", body)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(seconds=30))
    assert idempotency.claim("k", body) is None


def test_only_the_lease_held_is_completed_or_released(db):
    body = idempotency.fingerprint(BODY)
    idempotency.claim("k", body)
    first_lease = IdempotencyRecord.objects.get().created_at
    # The first attempt stalled; its lease ran out and a retry took the key over.
    IdempotencyRecord.objects.update(created_at=first_lease - idempotency.IN_FLIGHT - timedelta(seconds=1))
    assert idempotency.claim("k", body) is None
    with pytest.raises(idempotency.SubmissionInProgress):
        idempotency.complete("k", 1, leased_at=first_lease)
    idempotency.release("k", leased_at=first_lease)
    record = IdempotencyRecord.objects.get()
    assert record.record_id == ""
    idempotency.complete("k", 2, leased_at=record.created_at)
    assert idempotency.lookup("k") == "2"


def test_a_slow_attempt_that_was_taken_over_rolls_back_instead_of_writing_twice(db, monkeypatch):
    """submit_once writes its record only under the lease it holds: when
    another attempt has taken the key over meanwhile (here: the lease it holds
    is older than the key's), its record is rolled back and the key is left
    to the attempt holding it."""
    from cpis.core.models import ScheduledRun

    claim = idempotency._claim

    def overtaken(key, body, *, owner=""):
        earlier, leased_at = claim(key, body, owner=owner)
        return earlier, leased_at - timedelta(seconds=1)

    monkeypatch.setattr(idempotency, "_claim", overtaken)
    with pytest.raises(idempotency.SubmissionInProgress) as lost:
        idempotency.submit_once(
            "k", BODY, create=lambda: ScheduledRun.objects.create(job="first"), load=ScheduledRun.objects.get
        )
    assert lost.value.retry_after == 1
    assert not ScheduledRun.objects.exists()
    assert IdempotencyRecord.objects.get(key="k").record_id == ""


def test_keys_are_each_owners_own(db):
    """Two clients that choose the same key each get their own record, with
    any body; neither replays, refuses or blocks the other."""
    from cpis.core.models import ScheduledRun

    first, replayed = idempotency.submit_once(
        "same",
        BODY,
        owner="user:1",
        create=lambda: ScheduledRun.objects.create(job="one"),
        load=lambda pk: ScheduledRun.objects.get(pk=pk),
    )
    assert not replayed
    other, replayed = idempotency.submit_once(
        "same",
        {**BODY, "lat": 1.0},
        owner="user:2",
        create=lambda: ScheduledRun.objects.create(job="two"),
        load=lambda pk: ScheduledRun.objects.get(pk=pk),
    )
    assert not replayed and other.pk != first.pk
    # The first owner's retry still replays its own record.
    again, replayed = idempotency.submit_once(
        "same",
        BODY,
        owner="user:1",
        create=lambda: ScheduledRun.objects.create(job="x"),
        load=lambda pk: ScheduledRun.objects.get(pk=pk),
    )
    assert replayed and again.pk == first.pk
    assert idempotency.lookup("same", owner="user:2") == str(other.pk)
    assert idempotency.lookup("same") is None
    assert idempotency.lookup_any_owner("same") == [str(first.pk), str(other.pk)]
    assert ScheduledRun.objects.count() == 2


def test_the_owner_of_a_signed_in_client_is_its_user():
    assert idempotency.owner_of(7) == "user:7"
    assert idempotency.owner_of(None) == ""
