"""Notifications for staff: what an event tells one person (a concern assigned
to them, a report returned to them...), kept in their inbox and, by their
choice per kind, e-mailed at once, gathered in a daily digest or not made at all.
The text is written in the recipient's language when the event happens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.organisation.models import Unit


class Kind(models.TextChoices):
    CONCERN_ASSIGNED = "concern_assigned", _("A concern is assigned to me")
    CITIZEN_WROTE = "citizen_wrote", _("A citizen wrote on my concern")
    CONCERN_OVERDUE = "concern_overdue", _("My concern is overdue")
    COMPLAINT_ARRIVED = "complaint_arrived", _("A complaint arrived")
    REPORT_TO_REVIEW = "report_to_review", _("A report waits for my review")
    REPORT_RETURNED = "report_returned", _("My report was returned")
    ACTION_DUE = "action_due", _("An action item or problem action of mine is due")
    HIGH_TENSION = "high_tension", _("A forum reports high tension in my area")
    EMERGING_CLUSTER = "emerging_cluster", _("An emerging cluster in my area")
    NEAR_REPEAT = "near_repeat", _("Raised near-repeat risk around a new crime in my sector")
    APPRAISAL_SUBMITTED = "appraisal_submitted", _("My performance evaluation waits for me to read it")
    APPRAISAL_APPEALED = (
        "appraisal_appealed",
        _("An appeal against a performance evaluation waits for my decision"),
    )


class Mode(models.TextChoices):
    IMMEDIATELY = "immediately", _("In the inbox and by e-mail at once")
    DAILY = "daily", _("In the inbox and in a daily e-mail digest")
    OFF = "off", _("Not at all")


# What a person gets before they choose: news about their own work at once; what
# is due, and what the daily scan finds over a whole area, once a day.
DEFAULT_MODE = dict.fromkeys(Kind, Mode.IMMEDIATELY) | {
    Kind.ACTION_DUE: Mode.DAILY,
    Kind.EMERGING_CLUSTER: Mode.DAILY,
}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def awaiting_digest(self) -> "NotificationQuerySet":
        return self.filter(mode=Mode.DAILY, digested_at__isnull=True)


class Notification(models.Model):
    """One event told to one person. `key` names the event: the same event
    never makes a second row for the same recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("event"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500)
    language = models.CharField(_("language"), max_length=10)
    # The place the event concerns, when it has one.
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("place")
    )
    unit_path = models.CharField(max_length=255, blank=True, editable=False)
    # How it was delivered: at once (with an e-mail) or in the daily digest.
    mode = models.CharField(_("delivery"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATELY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    digested_at = models.DateTimeField(_("sent in a digest at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["mode", "digested_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event"),
            models.CheckConstraint(condition=~Q(mode=Mode.OFF), name="notification_never_off"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.key}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    """A person's choice for one kind of notification; without a row, DEFAULT_MODE."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.mode}"
