"""Outgoing e-mail through an outbox: `queue` writes the message inside the
caller's transaction and enqueues delivery after commit; `deliver` sends
one message once; `deliver_due` is the sweeper for lost tasks and retries.

A message is leased in its own transaction before sending, so two workers
never send it at once. Its Message-ID is fixed, so a resend after a crash
between sending and recording is recognisable as the same message."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def queue(
    *, record_type: str, record_id: object, to_email: str, language: str, subject: str, body: str
) -> OutboxMessage:
    message = OutboxMessage.objects.create(
        record_type=record_type,
        record_id=str(record_id),
        to_email=to_email,
        language=language,
        subject=subject[:200],
        body=body,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def queue_rendered(
    *,
    template: str,
    context: Callable[[], dict[str, Any]],
    record_type: str,
    record_id: object,
    to_email: str,
    language: str,
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
    )


def _enqueue(message_id: int) -> None:
    from .tasks import deliver_message

    deliver_message.enqueue(message_id)


def deliver(message_id: int) -> bool:
    """Send one message unless it was sent already or another worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(
            pk=message_id, sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.to_email],
        headers={"Message-ID": f"<cpis-outbox-{message.pk}@{domain}>", "Content-Language": message.language},
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
    """Send what a lost task or a failed attempt left behind."""
    due = OutboxMessage.objects.filter(
        sent_at__isnull=True, next_attempt_at__lte=timezone.now(), attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk) for pk in list(due))


def forget_recipients(*, record_type: str, record_ids: list[str]) -> int:
    """Retention: drop the addresses of messages about these records."""
    return OutboxMessage.objects.filter(record_type=record_type, record_id__in=record_ids).update(
        to_email="removed@invalid"
    )
