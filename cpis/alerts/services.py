"""Writes for alerts: subscribe (double opt-in), confirm, change topics,
unsubscribe, the fan-out of news to subscribers through the outbox, and
retention. Citizens have no account: a subscription is reached only through
the signed links in its e-mails, so these services take a token, not an
actor; the views that call them are public and the gate in front of the
subscribe form (rate limit, proof of work) is theirs."""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cpis.core import outbox, ratelimit
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.models import OutboxMessage
from cpis.organisation.models import Unit

from . import geo, selectors
from .models import Delivery, Event, Status, Subscription, SubscriptionSector, Topic, Watermark

RECORD_TYPE = "alerts.subscription"
# Records saved just before a scan may commit just after it: each scan looks this far
# back again, and the events table makes what it finds twice go out once.
OVERLAP = timedelta(minutes=10)
EVENT_KEEP = timedelta(days=90)
COORDINATE_PLACES = 5  # about a metre: the same circle typed twice is one area


class InvalidEmail(InvalidInput):
    message = _("Enter a valid e-mail address.")


class NoTopicChosen(InvalidInput):
    message = _("Choose at least one kind of alert.")


class RadiusOutOfBounds(InvalidInput):
    pass


class OutsideTheCountry(InvalidInput):
    message = _(
        "The centre of the circle is outside Kosovo's sectors. Choose a point inside Kosovo on the map."
    )


class NoSuchSector(InvalidInput):
    message = _("There is no such sector.")


class BadLink(DomainError):
    status_code = 404
    message = _("This link is not valid or has expired. Subscribe again to get a new one.")


class TooManyConfirmations(DomainError):
    status_code = 429
    retry_after = 3600
    message = _("Too many confirmation e-mails were sent to this address. Try again in an hour.")


# --- areas ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A sector, or a circle with the sectors it touches."""

    key: str
    sector_ids: list[int] = field(default_factory=list)
    sector: Unit | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: int | None = None


def sector_area(sector_id: int) -> Area:
    sector = selectors.get_sector(sector_id)
    if sector is None:
        raise NoSuchSector()
    return Area(key=f"sector:{sector.pk}", sector_ids=[sector.pk], sector=sector)


def circle_area(*, lat: float, lon: float, radius_m: int) -> Area:
    """A circle of `radius_m` metres within the bounds, centred inside a sector."""
    low, high = settings.ALERTS_RADIUS_METRES
    if not low <= radius_m <= high:
        raise RadiusOutOfBounds(
            _("The radius must be between %(low)s and %(high)s metres.") % {"low": low, "high": high}
        )
    lat, lon = round(lat, COORDINATE_PLACES), round(lon, COORDINATE_PLACES)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or geo.centre_sector(lat=lat, lon=lon) is None:
        raise OutsideTheCountry()
    return Area(
        key=f"circle:{lat:.{COORDINATE_PLACES}f},{lon:.{COORDINATE_PLACES}f},{radius_m}",
        sector_ids=geo.sectors_touched(lat=lat, lon=lon, radius_m=radius_m),
        lat=lat,
        lon=lon,
        radius_m=radius_m,
    )


# --- links and mail -------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def manage_url(secret: str) -> str:
    return _absolute(reverse("alerts:manage", args=[selectors.manage_token(secret)]))


def unsubscribe_url(secret: str) -> str:
    return _absolute(reverse("alerts:unsubscribe", args=[selectors.manage_token(secret)]))


def confirm_url(secret: str) -> str:
    return _absolute(reverse("alerts:confirm", args=[selectors.confirm_token(secret)]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the one-click unsubscribe a mail client offers
    (an https URL in production, where SITE_URL is https)."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _topics_of(subscription: Subscription) -> list[str]:
    return [str(label) for value, label in Topic.choices if getattr(subscription, value)]


def _send_confirmation(subscription: Subscription, *, already: bool = False) -> None:
    """The confirmation e-mail (or, to an address already confirmed, its
    manage link): the only mail sent before the address is confirmed."""
    template = "alerts/email/already" if already else "alerts/email/confirm"
    outbox.queue_rendered(
        template=template,
        context=lambda: {
            "link": manage_url(subscription.secret) if already else confirm_url(subscription.secret),
            "area": selectors.describe_area(subscription),
            "topics": _topics_of(subscription),
            "days": settings.ALERTS_CONFIRM_DAYS,
        },
        record_type=RECORD_TYPE,
        record_id=subscription.pk,
        to_email=subscription.email,
        language=subscription.language,
    )


# --- subscribing ----------------------------------------------------------------------


def clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidEmail() from exc
    if len(email) > 254:
        raise InvalidEmail()
    return email


def _chosen(topics: Iterable[str]) -> dict[str, bool]:
    chosen = {topic: topic in set(topics) for topic in Topic.values}
    if not any(chosen.values()):
        raise NoTopicChosen()
    return chosen


def subscribe(*, email: str, area: Area, topics: Iterable[str], language: str) -> Subscription:
    """Subscribe an address to an area's alerts, pending until the link in
    the confirmation e-mail is followed. The same address and area is one
    subscription: subscribing again re-sends the confirmation (a confirmed one
    gets its manage link instead, and nothing changes), at most
    ALERTS_CONFIRMATIONS_PER_HOUR times an hour per address."""
    email = clean_email(email)
    chosen = _chosen(topics)
    if not ratelimit.hit(
        "alerts-confirm", email, limit=settings.ALERTS_CONFIRMATIONS_PER_HOUR, window_seconds=3600
    ):
        raise TooManyConfirmations()
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email, area_key=area.key).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = _create(email=email, area=area, chosen=chosen, language=language, now=now)
            except IntegrityError:  # the same address and area, subscribed at this very moment
                subscription = Subscription.objects.select_for_update().get(email=email, area_key=area.key)
            else:
                _send_confirmation(subscription)
                return subscription
        if subscription.status == Status.CONFIRMED:
            _send_confirmation(subscription, already=True)
            return subscription
        if subscription.status == Status.UNSUBSCRIBED:
            subscription.secret = secrets.token_urlsafe(24)
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
        for topic, wanted in chosen.items():
            setattr(subscription, topic, wanted)
        subscription.status, subscription.language, subscription.confirm_sent_at = (
            Status.PENDING,
            language,
            now,
        )
        subscription.save()
        _send_confirmation(subscription)
    return subscription


def _create(*, email: str, area: Area, chosen: dict[str, bool], language: str, now: datetime) -> Subscription:
    subscription = Subscription.objects.create(
        email=email,
        language=language,
        sector=area.sector,
        lat=area.lat,
        lon=area.lon,
        radius_m=area.radius_m,
        area_key=area.key,
        secret=secrets.token_urlsafe(24),
        confirm_sent_at=now,
        **chosen,
    )
    SubscriptionSector.objects.bulk_create(
        [SubscriptionSector(subscription=subscription, sector_id=sector_id) for sector_id in area.sector_ids]
    )
    return subscription


@transaction.atomic
def confirm(*, token: str) -> Subscription:
    """Confirm the address (the second opt-in); alerts start with the next
    news. A link followed twice confirms once."""
    subscription = selectors.get_by_confirm_token(token, max_age=timedelta(days=settings.ALERTS_CONFIRM_DAYS))
    if subscription is None:
        raise BadLink()
    if subscription.status == Status.PENDING:
        Subscription.objects.filter(pk=subscription.pk, status=Status.PENDING).update(
            status=Status.CONFIRMED, confirmed_at=timezone.now()
        )
        subscription.refresh_from_db()
    return subscription


@transaction.atomic
def change_topics(*, token: str, topics: Iterable[str]) -> Subscription:
    """Change what a confirmed subscription is told about."""
    subscription = selectors.get_by_manage_token(token)
    if subscription is None:
        raise BadLink()
    chosen = _chosen(topics)
    Subscription.objects.filter(pk=subscription.pk).update(**chosen)
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def unsubscribe(*, token: str) -> int:
    """End a subscription (RFC 8058 one-click too): no alert is sent from now
    on, those queued and unsent are dropped. Unsubscribing twice is not an
    error. Returns how many subscriptions ended (0 or 1)."""
    secret = selectors.manage_secret(token)
    if secret is None:
        raise BadLink()
    ids = list(
        Subscription.objects.filter(secret=secret)
        .exclude(status=Status.UNSUBSCRIBED)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Subscription.objects.filter(pk__in=ids).update(status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    drop_unsent(ids)
    return len(ids)


def drop_unsent(subscription_ids: Iterable[int]) -> int:
    """Delete the e-mails to these subscriptions that are not sent yet."""
    deleted, _kinds = OutboxMessage.objects.filter(
        record_type=RECORD_TYPE, record_id__in=[str(pk) for pk in subscription_ids], sent_at__isnull=True
    ).delete()
    return deleted


# --- fan-out --------------------------------------------------------------------------

MANAGE_MARK, UNSUBSCRIBE_MARK, TOKEN_MARK = "\x00manage\x00", "\x00unsubscribe\x00", "TOKEN-MARK"


def _matching(news: selectors.News, event: Event) -> list[tuple[int, str, str, str]]:
    """(id, e-mail, language, secret) of the confirmed subscriptions that
    follow the news's topic in a sector it concerns and have no alert of it."""
    sector_ids = selectors.sectors_concerned(news.place_path)
    if not sector_ids:
        return []
    return list(
        Subscription.objects.filter(
            status=Status.CONFIRMED,
            pk__in=SubscriptionSector.objects.filter(sector_id__in=sector_ids).values("subscription_id"),
            **{news.topic: True},
        )
        .exclude(pk__in=Delivery.objects.filter(event=event).values("subscription_id"))
        .order_by("pk")
        .values_list("pk", "email", "language", "secret")
    )


def _rendered(news: selectors.News, language: str) -> tuple[str, str]:
    """Subject and body in one language, with marks where each subscriber's
    own links go: rendered once per language, not once per subscriber."""
    with translation.override(language):
        context = {
            "title": news.title(),
            "text": news.text(),
            "link": _absolute(news.link()),
            "manage_url": MANAGE_MARK,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
        }
        subject = render_to_string("alerts/email/alert_subject.txt", context).strip()
        body = render_to_string("alerts/email/alert.txt", context)
    return subject, body


def _insert_deliveries(rows: list[tuple[int, int]]) -> None:
    """The dedupe keys, (subscription, event), as the outbox writes its rows."""
    outbox.insert_many(Delivery, ("subscription_id", "event_id"), rows)


def fan_out_news(news: selectors.News) -> int:
    """Queue one alert of `news` to every confirmed subscription it concerns,
    once: the event's key is unique, and so is each (subscription, event)
    delivery, in the same transaction as the outbox rows. Returns how many
    were queued (0 when the event went out before)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    key=news.key, topic=news.topic, place_path=news.place_path, happened_at=news.happened_at
                )
        except IntegrityError:
            return 0
        rows = _matching(news, event)
        templates: dict[str, tuple[str, str]] = {}
        messages, deliveries = [], []
        # Each subscriber's links differ only by the token: URLs resolved once, one signature each.
        manage_at = _absolute(reverse("alerts:manage", args=[TOKEN_MARK]))
        leave_at = _absolute(reverse("alerts:unsubscribe", args=[TOKEN_MARK]))
        signer = selectors.manage_signer()
        for pk, email, language, secret in rows:
            if language not in templates:
                templates[language] = _rendered(news, language)
            subject, body = templates[language]
            token = signer.sign(secret)
            manage, leave = manage_at.replace(TOKEN_MARK, token), leave_at.replace(TOKEN_MARK, token)
            messages.append(
                outbox.BulkMessage(
                    RECORD_TYPE,
                    str(pk),
                    email,
                    language,
                    subject,
                    body.replace(MANAGE_MARK, manage).replace(UNSUBSCRIBE_MARK, leave),
                    unsubscribe_headers(leave),
                )
            )
            deliveries.append((pk, event.pk))
        _insert_deliveries(deliveries)
        outbox.queue_bulk(messages)
        Event.objects.filter(pk=event.pk).update(recipients=len(messages))
    return len(messages)


def fan_out(*, now: datetime | None = None) -> dict[str, int]:
    """The frequent job: for each topic, the news since its watermark (less
    OVERLAP) not fanned out yet goes to its subscribers. Two runners at once
    send nothing twice (fan_out_news). Returns alerts queued per topic."""
    now = now or timezone.now()
    queued: dict[str, int] = defaultdict(int)
    for topic in Topic.values:
        mark, _created = Watermark.objects.get_or_create(topic=topic, defaults={"scanned_to": now})
        news = selectors.list_news_since(topic, mark.scanned_to - OVERLAP, now=now)
        seen = set(Event.objects.filter(key__in=[item.key for item in news]).values_list("key", flat=True))
        for item in news:
            if item.key not in seen:
                queued[topic] += fan_out_news(item)
        Watermark.objects.filter(topic=topic, scanned_to__lt=now).update(scanned_to=now)
    return {topic: count for topic, count in queued.items() if count}


# --- retention ------------------------------------------------------------------------


def purge(*, now: datetime | None = None) -> int:
    """Retention: unconfirmed subscriptions whose link expired, and those
    unsubscribed ALERTS_UNSUBSCRIBED_KEEP_DAYS ago, are deleted, the address
    dropped from their e-mails; the per-subscriber dedupe keys of events
    older than EVENT_KEEP (the event's own row stays, so it never goes out
    again). Returns how many subscriptions were deleted."""
    now = now or timezone.now()
    expired = Subscription.objects.filter(
        status=Status.PENDING, confirm_sent_at__lt=now - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
    )
    ended = Subscription.objects.filter(
        status=Status.UNSUBSCRIBED,
        unsubscribed_at__lt=now - timedelta(days=settings.ALERTS_UNSUBSCRIBED_KEEP_DAYS),
    )
    with transaction.atomic():
        ids = [*expired.values_list("pk", flat=True), *ended.values_list("pk", flat=True)]
        drop_unsent(ids)
        outbox.forget_recipients(record_type=RECORD_TYPE, record_ids=[str(pk) for pk in ids])
        Subscription.objects.filter(pk__in=ids).delete()
        Delivery.objects.filter(event__fanned_out_at__lt=now - EVENT_KEEP).delete()
    return len(ids)
