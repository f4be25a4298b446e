"""The demo's inboxes. The notifications themselves come from the other apps'
demos through their real services (concerns assigned and written on today,
overdue concerns, reports waiting for review or returned, the daily scan's
clusters); this module, loaded after them, leaves the older ones read, as a
person who works the inbox every day would, and gives the station commander
the choice of a daily digest for overdue concerns."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from .models import Kind, Mode, Notification, Preference


def clear_demo() -> None:
    Notification.objects.all().delete()
    Preference.objects.all().delete()


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    commander = get_user_model().objects.filter(username="station.commander").first()
    if commander is not None:
        Preference.objects.create(user=commander, kind=Kind.CONCERN_OVERDUE, mode=Mode.DAILY)
    # What came before the last two days has been read.
    Notification.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).update(
        read_at=timezone.now()
    )
    totals = Notification.objects.aggregate(
        total=Count("pk"),
        unread=Count("pk", filter=Q(read_at=None)),
        people=Count("recipient", distinct=True),
    )
    return [
        f"Notifications: {totals['total']} in the inboxes of {totals['people']} demo logins, "
        f"{totals['unread']} unread, before the scan's clusters add theirs (sign in as sector.officer, "
        "open Inbox; their e-mails are in the outbox)."
    ]
