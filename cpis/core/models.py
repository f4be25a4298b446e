from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    # A default, not auto_now_add, so that imports and demo data can keep
    # the time a record was really made.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class NamedModel(models.Model):
    """A record known by a name people wrote (a forum, a partner, a volunteer),
    stored as written and shown as itself."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class TrackedModel(TimeStampedModel):
    """A citizen's submission (a concern, a complaint), followed by its public
    reference and a PIN that is never stored (core.tracking). It is open while
    its status is one of `open_statuses`."""

    reference = models.CharField(_("reference"), max_length=8, unique=True, editable=False)
    is_anonymous = models.BooleanField(_("anonymous"), default=True)

    status: str
    open_statuses: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.open_statuses


class RunStatus(models.TextChoices):
    """Where a background run (an incident import, an analysis) stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def valid_coordinates(name: str) -> models.CheckConstraint:
    """A point given as `lat` and `lon`: both missing, or both on the globe."""
    return models.CheckConstraint(
        condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
        | (Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180)),
        name=name,
    )


def ends_after(start: str, end: str, *, name: str, open_ended: bool = True) -> models.CheckConstraint:
    """A period's `end` date is not before its `start`; `open_ended`, it may be
    missing (a term, a membership, an assignment still running)."""
    ends = Q(**{f"{end}__gte": F(start)})
    if open_ended:
        ends = Q(**{f"{end}__isnull": True}) | ends
    return models.CheckConstraint(condition=ends, name=name)


class RateBucket(models.Model):
    """One rate-limit window for one hashed key (see core.ratelimit)."""

    key = models.CharField(max_length=40)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_bucket_unique")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key}@{self.window_start:%H:%M}={self.count}"


class UsedChallenge(models.Model):
    """A proof-of-work challenge already spent: a solved payload counts once."""

    signature = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.signature[:12]


class OutboxMessage(models.Model):
    """The outbox: an e-mail to send, written in the same transaction as the
    change it reports. A task sends it after commit; it is sent once, within
    the configured rate (core.outbox). `headers` are extra headers (an
    alert's List-Unsubscribe); a `bulk` message (a fan-out to many citizens)
    gets no task of its own: the sweeper sends it after every one-off
    message that is due, so an alert to thousands never delays a reply."""

    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=40)
    to_email = models.EmailField()
    language = models.CharField(max_length=10)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    headers = models.JSONField(default=dict, blank=True)
    bulk = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["sent_at", "next_attempt_at"]),
            models.Index(fields=["record_type", "record_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.pk} → {self.to_email}"


class IdempotencyRecord(models.Model):
    """One submission key: a retry with the same key and body gets the same
    answer; the same key with another body is refused (core.idempotency)."""

    # Whose key it is ("user:42" for an API client; "" for the anonymous forms,
    # whose keys are random per page): two clients may pick the same key and
    # each gets its own record (core.idempotency).
    owner = models.CharField(max_length=60, blank=True, default="")
    key = models.CharField(max_length=120, db_index=True)
    fingerprint = models.CharField(max_length=64)
    record_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}" if self.owner else self.key


class ScheduledRun(models.Model):
    """The last day a daily job of `cpis run_scheduled` ran (core.scheduling):
    it runs at most once a day however often cron calls the command."""

    job = models.CharField(max_length=200, unique=True)
    last_day = models.DateField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.job} @ {self.last_day}"
