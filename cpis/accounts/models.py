from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.expressions import Combinable
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


class AccessLogEntry(models.Model):
    """One read of a person's personal data: who, which record, when, and
    from which page or endpoint (LED Art. 25 consultation log). Rows are
    only ever added."""

    user = user_field(_("user"), blank=False, on_delete=models.PROTECT)
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record"), max_length=64)
    source = models.CharField(_("page or endpoint"), max_length=300)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.subject_type}:{self.subject_id} {self.at:%Y-%m-%d %H:%M}"
