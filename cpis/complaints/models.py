"""Complaints against police action [2.3.5]: a record of its own, seen
only by professional standards, never by the officer complained about or
that officer's chain of command."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TrackedModel
from cpis.organisation.models import Officer, Unit


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDED = "decided", _("Decided")
    REFERRED = "referred", _("Referred to the Police Inspectorate")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")


OPEN = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.INVESTIGATING})


class Complaint(TrackedModel):
    description = models.TextField(_("what happened"), max_length=4000)
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    incident_place = models.CharField(_("place of the incident"), max_length=200, blank=True)
    officer_description = models.CharField(
        _("officer as described by the complainant"),
        max_length=300,
        blank=True,
        help_text=_("Name, badge number, vehicle or anything that identifies the officers."),
    )
    # Set by professional standards once identified; drives who must never see it.
    accused_officer = models.ForeignKey(
        Officer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer complained about"),
    )
    accused_unit_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    # Which professional-standards office handles it: the unit's path, or the root.
    scope_path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit concerned"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("decision, as the complainant will read it"), blank=True)
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    decide_by = models.DateTimeField(_("decide by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    language = models.CharField(_("language for the answer"), max_length=10, choices=settings.LANGUAGES)
    # Sent without the browser's proof of work (no JavaScript, or an automated sender):
    # recorded like any complaint — none is refused for it — and marked for professional
    # standards to weigh (decision record 0008).
    without_proof = models.BooleanField(_("sent without the anti-abuse check"), default=False)
    complainant_name = models.CharField(_("name"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=40, blank=True)

    open_statuses = OPEN

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]

    @property
    def acknowledgement_overdue(self) -> bool:
        return self.acknowledged_at is None and timezone.now() > self.acknowledge_by

    @property
    def decision_overdue(self) -> bool:
        return self.is_open and timezone.now() > self.decide_by


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = user_field(blank=False, on_delete=models.PROTECT)
    to_status = models.CharField(max_length=20, choices=ComplaintStatus.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.to_status} {self.at:%Y-%m-%d}"
