"""What alerts hold about a person (core.subjects): the e-mail address of a
subscription, the area it follows and the alerts sent to it. Erasure deletes
the subscription and drops the address from its e-mails: nothing else needs it."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import outbox
from cpis.core.subjects import Hit, Kind, NoLongerHeld, Terms, fields, matching, sent_messages, whole_id

from . import selectors
from .models import Subscription
from .services import RECORD_TYPE, drop_unsent

SUBJECT = "alerts.subscription"


def _subscriptions(ids: Sequence[object]) -> list[Subscription]:
    return list(
        Subscription.objects.filter(pk__in=list(ids)).select_related("sector").order_by("-created_at", "-pk")
    )


def _hit(subscription: Subscription, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Alerts for %(area)s · since %(date)s · %(status)s") % {
        "area": selectors.describe_area(subscription),
        "date": date_format(timezone.localtime(subscription.created_at), "SHORT_DATE_FORMAT"),
        "status": subscription.get_status_display(),
    }
    return Hit(str(subscription.pk), summary, "", matched)


def find(terms: Terms) -> list[Hit]:
    found = matching(Subscription.objects.all(), terms, email="email")
    return [_hit(subscription, found[subscription.pk]) for subscription in _subscriptions(list(found))]


def describe(ids: Sequence[str]) -> dict[str, Hit]:
    numbers = [int(i) for i in ids if i.isascii() and i.isdecimal()]
    return {hit.id: hit for hit in map(_hit, _subscriptions(numbers))}


def export(subject_id: str) -> dict[str, Any]:
    subscription = Subscription.objects.select_related("sector").filter(pk=whole_id(subject_id)).first()
    if subscription is None:
        raise NoLongerHeld
    return {
        _("Subscription"): {
            **fields(
                subscription,
                [
                    "email",
                    "language",
                    "meetings",
                    "priorities",
                    "solved",
                    "status",
                    "created_at",
                    "confirmed_at",
                ],
            ),
            _("area"): selectors.describe_area(subscription),
        },
        _("E-mails"): sent_messages(RECORD_TYPE, subscription.pk),
    }


@transaction.atomic
def erase(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Delete the subscription and remove its address from its e-mails."""
    subscription = Subscription.objects.select_for_update().filter(pk=whole_id(subject_id)).first()
    if subscription is None:
        raise NoLongerHeld
    drop_unsent([subscription.pk])
    outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(subscription.pk)])
    subscription.delete()
    return _("The subscription was deleted and its address removed from the e-mails sent to it.")


KINDS = [
    Kind(
        subject_type=SUBJECT,
        label=gettext_lazy("Alert subscription"),
        erasure=gettext_lazy("Deletes the subscription and removes the address from the alerts sent to it."),
        find=find,
        describe=describe,
        export=export,
        erase=erase,
    )
]
