from collections.abc import Callable
from datetime import UTC
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class User(AbstractUser):
    """A person who signs in: staff, partners, administrators. Citizens do
    not need an account."""

    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="sq")
    # Kept by accounts.services beside django-otp's device tables, so that the check
    # on every request reads the user row it has already loaded.
    has_second_factor = models.BooleanField(_("has a second factor"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def user_field(
    verbose_name: "StrOrPromise | None" = None,
    *,
    blank: bool = True,
    on_delete: Callable[..., None] = models.SET_NULL,
) -> "models.ForeignKey[User | Combinable | None, User | None]":
    """The user who made, recorded, reviewed, signed or read a record. The
    record outlives the account (null once it is deleted, unless `on_delete`
    protects it), and User grows no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name="+",
        verbose_name=verbose_name,
    )


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 digest of the secret is
    stored; the secret is shown once, when the token is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Purpose(models.TextChoices):
    """Why a person's data was read (LED Art. 25: the justification of a
    consultation). OTHER needs the reason typed."""

    ROUTINE = "routine", _("Routine work on this record")
    CONTACT = "contact", _("Contacting the person about their report or case")
    INVESTIGATION = "investigation", _("Investigating a complaint or an offence")
    SUPERVISION = "supervision", _("Supervision or quality review")
    SUBJECT_REQUEST = "subject_request", _("Answering the person's data-protection request")
    LEGAL = "legal", _("A court order or another legal obligation")
    OTHER = "other", _("Another reason (say which)")


class Outcome(models.TextChoices):
    READ = "read", _("Read")
    REFUSED = "refused", _("Refused: not allowed in the reader's place")
    OUTSIDE = "outside", _("Refused: outside the reader's places")


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def reads(self) -> "AccessLogQuerySet":
        return self.filter(outcome=Outcome.READ)

    def refusals(self) -> "AccessLogQuerySet":
        return self.exclude(outcome=Outcome.READ)


class AccessLogEntry(models.Model):
    """One read of a person's personal data, or one refused attempt: who, which
    record, why, when, and from which page or endpoint (LED Art. 25
    consultation log). Rows are only ever added, each sealed with the hash of
    the one before it (`seq` order), so that a changed, removed or inserted row
    breaks the chain `cpis verify_access_log` checks; on PostgreSQL the
    database refuses UPDATE and DELETE on the table (docs/decisions/0014)."""

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    user = user_field(_("user"), blank=False, on_delete=models.PROTECT)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.READ)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices, blank=True)
    purpose_note = models.CharField(_("reason given"), max_length=300, blank=True)
    source = models.CharField(_("page or endpoint"), max_length=300)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("hash of the entry before"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["user", "at"]),
        ]
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.subject_type}:{self.subject_id} {self.at:%Y-%m-%d %H:%M}"

    def sealed_fields(self) -> dict[str, str]:
        """What the hash covers, as text: every field but the hash itself."""
        return {
            "seq": str(self.seq),
            "user": str(self.user_id or ""),
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "outcome": self.outcome,
            "purpose": self.purpose,
            "purpose_note": self.purpose_note,
            "source": self.source,
            "client_ip": self.client_ip or "",
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "prev_hash": self.prev_hash,
        }


class Restriction(models.Model):
    """Processing of one record's personal data restricted (Law 06/L-082, LED
    Art. 16): while it stands, the data is kept but not shown to anyone but
    the data-protection officer. Lifted, never deleted, so the history stays."""

    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record"), max_length=64)
    legal_reason = models.TextField(_("legal reason"))
    restricted_by = user_field(_("restricted by"), blank=False, on_delete=models.PROTECT)
    restricted_at = models.DateTimeField(_("restricted at"), default=timezone.now)
    lifted_by = user_field(_("lifted by"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_standing_restriction_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id}"
