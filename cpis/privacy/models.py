from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field


class ChainCheck(models.Model):
    """One check of the access log's hash chain (`cpis verify_access_log`, the
    daily job or the data-protection officer's button): what it found, and the
    head it saw, which the next check takes as its anchor."""

    at = models.DateTimeField(_("checked at"), default=timezone.now)
    checked_by = user_field(_("checked by"))
    entries = models.PositiveBigIntegerField(_("entries"))
    head_seq = models.PositiveBigIntegerField(_("head entry"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    intact = models.BooleanField(_("intact"))
    broken_at = models.PositiveBigIntegerField(_("broken at entry"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("check of the access log")
        verbose_name_plural = _("checks of the access log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.head_seq}"
