"""The register of vulnerable persons and groups [3.1.3]."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TimeStampedModel
from cpis.organisation.models import Officer, unit_field, unit_path_field


class VulnerableKind(models.TextChoices):
    PERSON = "person", _("Person")
    GROUP = "group", _("Group or category")


class Vulnerability(models.TextChoices):
    ELDERLY = "elderly", _("Elderly, living alone")
    DISABILITY = "disability", _("Disability or illness")
    CHILD = "child", _("Child or young person at risk")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Risk of domestic violence")
    TRAFFICKING = "trafficking", _("Risk of trafficking")
    MINORITY = "minority", _("Minority community at risk of hate crime")
    REPEAT_VICTIM = "repeat_victim", _("Repeat victim")
    OTHER = "other", _("Other")


class LegalBasis(models.TextChoices):
    """Why the record may be kept (Law Enforcement Directive art. 8 and 10)."""

    PREVENTION = "prevention", _("Prevention of crime (police law)")
    VITAL_INTERESTS = "vital_interests", _("Protection of the person's vital interests")
    CONSENT = "consent", _("The person's explicit consent")
    COURT_ORDER = "court_order", _("A court or prosecutor's order")


class VulnerableEntry(TimeStampedModel):
    """A person or group identified as vulnerable — an easier target of attack
    and victimisation — and the officer appointed to them [3.1.3]. Special
    category data: seen only by the appointed officer, the chain of command
    above them and the safeguarding role; every read logged with a purpose and
    a fresh second factor; kept until its review date and then erased by the
    retention job unless reviewed."""

    kind = models.CharField(_("person or group"), max_length=10, choices=VulnerableKind.choices)
    name = models.CharField(_("name"), max_length=200)
    vulnerability = models.CharField(_("kind of vulnerability"), max_length=30, choices=Vulnerability.choices)
    details = models.TextField(_("details"), blank=True)
    unit = unit_field(_("sector or station"))
    unit_path = unit_path_field()
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("appointed officer")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    review_on = models.DateField(_("review by"))
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    created_by = user_field(_("recorded by"))

    class Meta:
        verbose_name = _("vulnerable person or group")
        verbose_name_plural = _("vulnerable persons and groups")
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["unit_path", "review_on"], name="vulnerable_path_review")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
