"""Writes for notifications: `notify` (what the other apps call when something
happens that someone must know), reading them, the per-kind choices, and the
daily digest. Each runs in one transaction; e-mail goes through the outbox
after commit, so an event rolled back tells nobody."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from cpis.core import outbox
from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from . import selectors
from .models import Kind, Mode, Notification, Preference
from .policy import kinds_for

# A text written for each recipient in their language: a string, a lazy
# translation, or a function called with the recipient's language active (for a
# sentence with placeholders, or names the data keeps in several languages).
Text = str | Promise | Callable[[], str]
RECORD_TYPE = Notification._meta.label_lower
DIGEST_RECORD_TYPE = "notifications.digest"
TITLE_LIMIT = Notification._meta.get_field("title").max_length or 300
KEY_LIMIT = Notification._meta.get_field("key").max_length or 200


def _written(text: Text) -> str:
    return str(text() if callable(text) else text)


def absolute(link: str) -> str:
    """A link of the site as an e-mail gives it."""
    return f"{settings.SITE_URL}{link}"


def _notification_mail(notification: Notification) -> dict[str, Any]:
    return {
        "notification": notification,
        "url": absolute(notification.link),
        "preferences": absolute(reverse("notifications:preferences")),
    }


def _digest_mail(unread: list[Notification]) -> dict[str, Any]:
    return {
        "notifications": [(n, absolute(n.link)) for n in unread],
        "count": len(unread),
        "inbox": absolute(reverse("notifications:inbox")),
        "preferences": absolute(reverse("notifications:preferences")),
    }


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable[Any],
    key: str,
    title: Text,
    link: str,
    body: Text = "",
    unit: Unit | None = None,
    actor: Actor | None = None,
) -> list[Notification]:
    """Tell each of `recipients` (users) about one event: a row in their inbox
    and, when they chose "immediately" and have an address, an e-mail through
    the outbox; "daily" waits for the digest, "off" writes nothing. `key` names
    the event: a recipient told of it already is not told again. The `actor`
    who caused the event is never told of it. Returns the rows written."""
    kind = Kind(kind)
    if not key or len(key) > KEY_LIMIT:
        raise InvalidInput(_("A notification needs the name of its event."))
    me = actor.user_id if actor is not None else None
    users = {user.pk: user for user in recipients if user is not None and user.is_active and user.pk != me}
    if not users:
        return []
    told = set(
        Notification.objects.filter(key=key, recipient_id__in=list(users)).values_list(
            "recipient_id", flat=True
        )
    )
    modes = selectors.modes_for([pk for pk in users if pk not in told], kind)
    now = timezone.now()
    written = []
    for user_id, mode in modes.items():
        if mode == Mode.OFF:
            continue
        user = users[user_id]
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            title_text, body_text = _written(title)[:TITLE_LIMIT], _written(body)
        mail = mode == Mode.IMMEDIATELY and bool(user.email)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient_id=user_id,
                    kind=kind,
                    key=key,
                    title=title_text,
                    body=body_text,
                    link=link,
                    language=language,
                    unit=unit,
                    unit_path=unit.path if unit is not None else "",
                    mode=mode,
                    created_at=now,
                    emailed_at=now if mail else None,
                )
        except IntegrityError:
            continue  # told of it by a call that ran at the same time
        if mail:
            outbox.queue_rendered(
                template="notifications/email/notification",
                context=partial(_notification_mail, notification),
                record_type=RECORD_TYPE,
                record_id=notification.pk,
                to_email=user.email,
                language=language,
            )
        written.append(notification)
    return written


@transaction.atomic
def mark_read(actor: Actor, *, notification: Notification) -> Notification:
    """The recipient has read it (only theirs; another's is 404)."""
    notification = selectors.get_notification(actor, notification.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(actor: Actor) -> int:
    """Every unread notification of the actor's, read now; how many."""
    return selectors.list_inbox(actor, unread_only=True).update(read_at=timezone.now())


@transaction.atomic
def set_preferences(actor: Actor, *, modes: dict[str, str]) -> dict[str, str]:
    """The actor's choice per kind, for the kinds their roles receive; returns it."""
    if actor.user_id is None:
        raise InvalidInput(_("Sign in to choose your notifications."))
    allowed = set(kinds_for(actor))
    for kind, mode in modes.items():
        if kind not in allowed or mode not in Mode.values:
            raise InvalidInput(_("Choose how you want to be told of each kind of event."))
    for kind, mode in modes.items():
        Preference.objects.update_or_create(user_id=actor.user_id, kind=kind, defaults={"mode": mode})
    return modes


def send_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person with the unread notifications they chose to get
    daily and have not had in a digest yet; each is in one digest at the most.
    Returns how many e-mails were queued."""
    now = now or timezone.now()
    waiting = Notification.objects.awaiting_digest().order_by().values_list("recipient_id", flat=True)
    queued = 0
    for user in get_user_model().objects.filter(pk__in=waiting.distinct()).order_by("pk"):
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .awaiting_digest()
                .filter(recipient_id=user.pk)
                .order_by("created_at", "id")
            )
            unread = [n for n in pending if n.read_at is None]
            if unread and user.email and user.is_active:
                outbox.queue_rendered(
                    template="notifications/email/digest",
                    context=partial(_digest_mail, unread),
                    record_type=DIGEST_RECORD_TYPE,
                    record_id=user.pk,
                    to_email=user.email,
                    language=user.language or settings.LANGUAGE_CODE,
                )
                queued += 1
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=now)
    return queued


# Read notifications are kept this long, then deleted; unread ones stay until read.
KEEP_READ_DAYS = 180


def prune_read(*, now: datetime | None = None) -> int:
    """Delete notifications read more than KEEP_READ_DAYS ago; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_READ_DAYS)
    deleted, _per_model = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted
