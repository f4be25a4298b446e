"""Alerts for citizens (issue #15 item 6): e-mail subscriptions to a sector
or a circle on the map, with no account, confirmed by a link (double opt-in),
and the log that makes every alert go out once.

The subscriber's e-mail address is personal data (personal_data.py): an
unconfirmed subscription is deleted once its link expires, an unsubscribed
one some days after (tasks.daily_job)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpis.organisation.models import Unit


class Topic(models.TextChoices):
    """What a citizen may be told about. A new public report is a concern whose
    public summary an officer approved (never the reporter's own words)."""

    MEETINGS = "meetings", _("Upcoming public forum meetings")
    PRIORITIES = "priorities", _("Priorities the sector agreed")
    SOLVED = "solved", _("Problems solved with the community")
    REPORTS = "reports", _("New public reports of concerns")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscription(models.Model):
    """One e-mail address following one area: a sector, or a circle (centre
    and radius) whose sectors are kept in `SubscriptionSector`. `secret` is
    random; the links in its e-mails carry it signed with the site's key."""

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10)
    sector = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("sector")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius in metres"), null=True, blank=True)
    # "sector:<id>" or "circle:<lat>,<lon>,<radius>": one subscription per address and area.
    area_key = models.CharField(max_length=80)
    meetings = models.BooleanField(_("upcoming public forum meetings"), default=True)
    priorities = models.BooleanField(_("priorities the sector agreed"), default=True)
    solved = models.BooleanField(_("problems solved with the community"), default=True)
    # Off for those who subscribed before reports were a topic: they did not choose it.
    reports = models.BooleanField(_("new public reports of concerns"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    secret = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirm_sent_at = models.DateTimeField(_("confirmation sent at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        indexes = [models.Index(fields=["status", "confirm_sent_at"], name="alerts_status_sent")]
        constraints = [
            models.UniqueConstraint(fields=["email", "area_key"], name="alerts_one_per_address_and_area"),
            models.CheckConstraint(
                condition=(
                    Q(sector__isnull=False, lat__isnull=True, lon__isnull=True, radius_m__isnull=True)
                    | Q(sector__isnull=True, lat__isnull=False, lon__isnull=False, radius_m__isnull=False)
                ),
                name="alerts_sector_or_circle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.area_key}"

    @property
    def is_circle(self) -> bool:
        return self.sector_id is None


class SubscriptionSector(models.Model):
    """A sector a subscription covers: its own sector, or each sector its
    circle touches. Matching an event is then one indexed join."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="areas")
    sector = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "sector"], name="alerts_area_once"),
        ]
        indexes = [models.Index(fields=["sector", "subscription"], name="alerts_area_sector")]

    def __str__(self) -> str:
        return f"{self.subscription_id} → {self.sector_id}"


class Event(models.Model):
    """Something new that was fanned out: a meeting announced, a priority
    agreed, a summary published. Its key is unique, so it fans out once."""

    key = models.CharField(max_length=60, unique=True)
    topic = models.CharField(max_length=12, choices=Topic.choices)
    place_path = models.CharField(max_length=255)
    happened_at = models.DateTimeField()
    fanned_out_at = models.DateTimeField(auto_now_add=True, db_index=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.key


class Delivery(models.Model):
    """The dedupe key: one alert per subscription and event, whatever runs twice."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="alerts_one_alert_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} × {self.event_id}"


class Watermark(models.Model):
    """Up to when the fan-out has looked at one topic's records."""

    topic = models.CharField(max_length=12, choices=Topic.choices, unique=True)
    scanned_to = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.topic} @ {self.scanned_to}"
