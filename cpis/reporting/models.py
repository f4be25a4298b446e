"""The standard report of police interaction with community safety forums
and partners [2.4.3], one per sector and month, written by the sector
leader and reviewed up the chain of command [2.4.4]: station
community-policing coordinator → regional coordinator → regional director →
directorate. Every submission is kept as a revision and every decision as a
review, so the whole history stays."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.organisation.models import Role, unit_field, unit_path_field


class Stage(models.TextChoices):
    """Who must act next: the author, then each role of the chain, named as the role is."""

    AUTHOR = "author", _("Sector leader (writing)")
    STATION = "station", Role.STATION_COORDINATOR.label
    REGIONAL_COORDINATOR = "regional_coordinator", Role.REGIONAL_COORDINATOR.label
    REGIONAL_DIRECTOR = "regional_director", Role.REGIONAL_DIRECTOR.label
    DIRECTORATE = "directorate", Role.DIRECTORATE.label
    DONE = "done", _("Approved by the directorate")


# The chain, in order, and the role that acts at each stage.
CHAIN = [Stage.STATION, Stage.REGIONAL_COORDINATOR, Stage.REGIONAL_DIRECTOR, Stage.DIRECTORATE]
STAGE_ROLE = {
    Stage.AUTHOR: Role.SECTOR_LEADER,
    Stage.STATION: Role.STATION_COORDINATOR,
    Stage.REGIONAL_COORDINATOR: Role.REGIONAL_COORDINATOR,
    Stage.REGIONAL_DIRECTOR: Role.REGIONAL_DIRECTOR,
    Stage.DIRECTORATE: Role.DIRECTORATE,
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In review")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class Report(models.Model):
    unit = unit_field(_("sector"))
    unit_path = unit_path_field()
    period_start = models.DateField(_("month"))
    period_end = models.DateField()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField(_("waiting for"), max_length=30, choices=Stage.choices, default=Stage.AUTHOR)
    # Figures counted from the records when the report was last (re)filled.
    figures = models.JSONField(_("figures from the records"), default=dict)
    issues = models.TextField(_("issues raised by the community"), blank=True)
    actions = models.TextField(_("actions taken and outcomes"), blank=True)
    needs = models.TextField(_("needs and requests"), blank=True)
    remarks = models.TextField(_("other remarks"), blank=True)
    author = user_field(_("author"), blank=False)
    version = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forum and partner report")
        verbose_name_plural = _("forum and partner reports")
        ordering = ["-period_start", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_start"], name="report_once_per_unit_and_month"),
            models.CheckConstraint(
                condition=Q(status="approved", stage="done") | (~Q(status="approved") & ~Q(stage="done")),
                name="report_approved_is_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path} {self.period_start:%Y-%m}"

    @property
    def is_editable(self) -> bool:
        return self.status in {Status.DRAFT, Status.RETURNED}


class Revision(models.Model):
    """What was submitted, each time: a returned and revised report keeps every version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    submitted_by = user_field(blank=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="revision_version_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Review(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=30, choices=Stage.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = user_field(blank=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "at", "id"]
        constraints = [
            # One decision per stage and version: a second reviewer at the same
            # stage cannot decide a version already decided.
            models.UniqueConstraint(fields=["report", "version", "stage"], name="review_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version} {self.stage} {self.decision}"
