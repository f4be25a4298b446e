"""Outgoing e-mail through an outbox: `queue` writes the message inside the
caller's transaction and enqueues delivery after commit; `deliver` sends
one message once; `deliver_due` is the sweeper for lost tasks, retries and
bulk messages.

A message is leased in its own transaction before sending, so two workers
never send it at once. Its Message-ID is fixed, so a resend after a crash
between sending and recording is recognisable as the same message.

Sending keeps to OUTBOX_RATE_PER_MINUTE (0: no limit), counted in the
database per calendar minute (core.ratelimit), so every worker and sweeper
shares one budget. How the task queue and the sweeper share it:

- `queue` (one message: a reply, a confirmation) enqueues a `deliver_message`
  task on commit. Within the rate it is sent at once; past it, `deliver`
  gives the lease back with the next minute as its time, and the sweeper
  sends it then.
- `queue_bulk` (many messages: a fan-out of alerts) writes them in one
  statement and enqueues a single `sweep_outbox` task on commit, not one
  task per message. Each sweep (that task, and every `cpis run_scheduled`)
  sends what the minute's budget allows, one-off messages before bulk ones,
  oldest first; the rest wait for the next sweep."""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import ratelimit
from .models import OutboxMessage

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
RATE_SCOPE, RATE_WINDOW = "outbox", 60
# Rows per INSERT: 500 × 12 values stays under SQLite's and PostgreSQL's parameter limits.
BULK_BATCH = 500


def queue(
    *,
    record_type: str,
    record_id: object,
    to_email: str,
    language: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    message = OutboxMessage.objects.create(
        record_type=record_type,
        record_id=str(record_id),
        to_email=to_email,
        language=language,
        subject=subject[:200],
        body=body,
        headers=headers or {},
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


class BulkMessage(NamedTuple):
    """One message of a bulk queue: what `queue` takes, headers included."""

    record_type: str
    record_id: str
    to_email: str
    language: str
    subject: str
    body: str
    headers: dict[str, str]


BULK_COLUMNS = (
    "record_type",
    "record_id",
    "to_email",
    "language",
    "subject",
    "body",
    "headers",
    "created_at",
    "next_attempt_at",
    "attempts",
    "last_error",
    "bulk",
)


def queue_bulk(messages: Sequence[BulkMessage]) -> int:
    """Write many messages in the caller's transaction as bulk messages; after
    commit one sweep is enqueued, and the sweepers send them at the configured
    rate. Written with `insert_many`: the ORM's bulk_create would spend most
    of its time building 10,000 rows of SQL. Returns how many were queued."""
    if not messages:
        return 0
    headers_field = OutboxMessage._meta.get_field("headers")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (
            m.record_type,
            str(m.record_id),
            m.to_email,
            m.language,
            m.subject[:200],
            m.body,
            headers_field.get_db_prep_save(m.headers, connection),
            now,
            now,
            0,
            "",
            True,
        )
        for m in messages
    ]
    insert_many(OutboxMessage, BULK_COLUMNS, rows)
    transaction.on_commit(_enqueue_sweep)
    return len(rows)


def insert_many(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write rows of values already prepared for the database: on PostgreSQL
    with COPY (the client-side parameter binding Django uses would parse and
    escape every value of a long INSERT in Python), elsewhere with INSERTs of
    BULK_BATCH rows whose SQL is built once, where the ORM's bulk_create
    builds it value by value. For the outbox and a caller writing rows beside
    its messages in the same transaction."""
    if not rows:
        return
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for values in rows:
                copy.write_row(values)
        return
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "  # noqa: S608 - names from the model
    row = f"({', '.join(['%s'] * len(columns))})"
    full = head + ", ".join([row] * BULK_BATCH)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK_BATCH):
            batch = rows[start : start + BULK_BATCH]
            sql = full if len(batch) == BULK_BATCH else head + ", ".join([row] * len(batch))
            cursor.execute(sql, [value for values in batch for value in values])


def queue_rendered(
    *,
    template: str,
    context: Callable[[], dict[str, Any]],
    record_type: str,
    record_id: object,
    to_email: str,
    language: str,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue `template`_subject.txt and `template`.txt, rendered now in the
    recipient's `language` (the context too is built in that language)."""
    with translation.override(language):
        values = context()
        subject = render_to_string(f"{template}_subject.txt", values).strip()
        body = render_to_string(f"{template}.txt", values)
    return queue(
        record_type=record_type,
        record_id=record_id,
        to_email=to_email,
        language=language,
        subject=subject,
        body=body,
        headers=headers,
    )


def _enqueue(message_id: int) -> None:
    from .tasks import deliver_message

    deliver_message.enqueue(message_id)


def _enqueue_sweep() -> None:
    from .tasks import sweep_outbox

    sweep_outbox.enqueue()


def rate_per_minute() -> int:
    """Messages the outbox may send per calendar minute; 0 for no limit."""
    return max(int(getattr(settings, "OUTBOX_RATE_PER_MINUTE", 0) or 0), 0)


def _next_window(now: datetime) -> datetime:
    return now - timedelta(seconds=now.timestamp() % RATE_WINDOW) + timedelta(seconds=RATE_WINDOW)


def deliver(message_id: int) -> bool:
    """Send one message unless it was sent already, another worker holds it
    or this minute's rate is spent (then it waits for the next minute's sweep)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(
            pk=message_id, sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    rate = rate_per_minute()
    if rate and not ratelimit.hit(RATE_SCOPE, "sent", limit=rate, window_seconds=RATE_WINDOW):
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
            next_attempt_at=_next_window(now)
        )
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to_email],
        headers={
            **(message.headers or {}),
            "Message-ID": f"<cpis-outbox-{message.pk}@{domain}>",
            "Content-Language": message.language,
        },
    )
    try:
        email.send(fail_silently=False)
    except Exception as exc:
        attempts = message.attempts + 1
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=str(exc)[:300],
            next_attempt_at=timezone.now() + timedelta(minutes=2**attempts),
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


def deliver_due(*, limit: int = 500) -> int:
    """Send what is due — what a lost task or a failed attempt left behind,
    and bulk messages — up to `limit` and what is left of this minute's
    rate: one-off messages first, then the oldest."""
    rate = rate_per_minute()
    if rate:
        limit = min(limit, ratelimit.remaining(RATE_SCOPE, "sent", limit=rate, window_seconds=RATE_WINDOW))
    if limit <= 0:
        return 0
    due = (
        OutboxMessage.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS
        )
        .order_by("bulk", "next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk) for pk in list(due))


def forget_recipients(*, record_type: str, record_ids: list[str]) -> int:
    """Retention: drop the addresses of messages about these records."""
    return OutboxMessage.objects.filter(record_type=record_type, record_id__in=record_ids).update(
        to_email="removed@invalid"
    )
