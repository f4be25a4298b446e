"""The outbox on its own: a message is written with the caller's change, sent
after commit, sent once, retried after a failure and stops after MAX_ATTEMPTS."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from cpis.core import outbox
from cpis.core.models import OutboxMessage


def _queue(**overrides) -> OutboxMessage:
    fields = {
        "record_type": "test.record",
        "record_id": 7,
        "to_email": "citizen@example.org",
        "language": "sq",
        "subject": "Raporti juaj",
        "body": "U pranua.",
    }
    fields.update(overrides)
    return outbox.queue(**fields)


@pytest.fixture
def unreachable_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there


def test_a_queued_message_is_sent_after_commit_once_with_a_fixed_message_id(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _queue(subject="x" * 250)
    assert mail.outbox == []  # nothing leaves before the change is committed
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert len(message.subject) == 200
    (sent,) = mail.outbox
    assert sent.to == ["citizen@example.org"]
    assert sent.extra_headers["Message-ID"].startswith(f"<cpis-outbox-{message.pk}@")
    assert sent.extra_headers["Content-Language"] == "sq"
    assert outbox.deliver(message.pk) is False
    assert outbox.deliver_due() == 0
    assert len(mail.outbox) == 1


@transaction.atomic
def _a_change_that_fails() -> None:
    _queue()
    raise RuntimeError("the change failed")


def test_a_rolled_back_change_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _a_change_that_fails()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_message_leased_by_another_worker_is_not_sent(db):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + outbox.LEASE)
    assert outbox.deliver(message.pk) is False
    assert outbox.deliver_due() == 0
    assert mail.outbox == []


def test_a_failed_send_is_counted_and_retried_later_with_a_growing_wait(db, settings, unreachable_mail):
    message = _queue()
    before = timezone.now()
    assert outbox.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.attempts == 1 and message.last_error and message.sent_at is None
    assert message.next_attempt_at >= before + timedelta(minutes=2)
    assert outbox.deliver_due() == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.attempts == 2 and message.last_error == "" and message.sent_at is not None
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_a_message_is_left_alone(db):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS)
    assert outbox.deliver(message.pk) is False
    assert outbox.deliver_due() == 0
    assert mail.outbox == []


def test_the_sweeper_sends_at_most_its_limit(db):
    for record_id in range(3):
        _queue(record_id=record_id)
    assert outbox.deliver_due(limit=2) == 2
    assert outbox.deliver_due(limit=2) == 1
    assert len(mail.outbox) == 3


def test_forgetting_recipients_touches_only_the_named_records(db):
    kept = _queue(record_id=1)
    forgotten = _queue(record_id=2)
    other_type = _queue(record_type="other.record", record_id=2)
    assert outbox.forget_recipients(record_type="test.record", record_ids=["2"]) == 1
    emails = dict(OutboxMessage.objects.values_list("pk", "to_email"))
    assert emails == {
        kept.pk: "citizen@example.org",
        forgotten.pk: "removed@invalid",
        other_type.pk: "citizen@example.org",
    }


def test_a_message_carries_its_extra_headers_and_the_fixed_ones_win(db):
    message = _queue(headers={"List-Unsubscribe": "<https://x.example/u/1/>", "Message-ID": "<forged@x>"})
    assert outbox.deliver(message.pk) is True
    (sent,) = mail.outbox
    assert sent.extra_headers["List-Unsubscribe"] == "<https://x.example/u/1/>"
    assert sent.extra_headers["Message-ID"].startswith(f"<cpis-outbox-{message.pk}@")


def test_bulk_messages_get_no_task_of_their_own_and_one_sweep_sends_them(
    db, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RATE_PER_MINUTE = 0
    messages = [
        outbox.BulkMessage("test.bulk", str(n), f"{n}@example.org", "sq", "s" * 250, "b", {"X-Test": "1"})
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert outbox.queue_bulk(messages) == 3
    assert len(callbacks) == 1  # one sweep, not one task per message
    assert all(len(m.subject) == 200 and m.bulk for m in OutboxMessage.objects.all())
    assert all(m.headers == {"X-Test": "1"} and m.attempts == 0 for m in OutboxMessage.objects.all())
    callbacks[0]()
    assert len(mail.outbox) == 3 and mail.outbox[0].extra_headers["X-Test"] == "1"


def test_sending_keeps_to_the_rate_and_one_off_messages_go_before_bulk_ones(db, settings):
    settings.OUTBOX_RATE_PER_MINUTE = 2
    start = timezone.now().replace(second=1, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        outbox.queue_bulk(
            [
                outbox.BulkMessage("test.bulk", str(n), f"bulk{n}@example.org", "sq", "s", "b", {})
                for n in range(3)
            ]
        )
        reply = _queue(to_email="reply@example.org")
        assert outbox.deliver_due() == 2
        assert [m.to[0] for m in mail.outbox] == ["reply@example.org", "bulk0@example.org"]
        assert outbox.deliver_due() == 0
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        late = _queue(to_email="late@example.org")
        assert outbox.deliver(late.pk) is False  # past the rate: it waits for the next minute
        late.refresh_from_db()
        assert late.sent_at is None and late.next_attempt_at == start.replace(second=0) + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert outbox.deliver_due() == 2
        assert [m.to[0] for m in mail.outbox[2:]] == ["late@example.org", "bulk1@example.org"]
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert outbox.deliver_due() == 1
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    reply.refresh_from_db()
    assert reply.attempts == 1
