"""Analyses that take long enough to run in the background (near-repeat, the
space-time scan), and the emerging clusters the daily scan finds: candidate
problems for SARA scanning (C9). Fast analyses (trends, hotspots, density,
priorities, deployment) are computed on request and stored nowhere."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import RunStatus
from cpis.organisation.models import unit_field, unit_path_field


class Subject(models.TextChoices):
    INCIDENTS = "incidents", _("Recorded incidents")
    CONCERNS = "concerns", _("Citizens' concerns")


class RunKind(models.TextChoices):
    NEAR_REPEAT = "near_repeat", _("Near-repeat analysis")
    SCAN = "scan", _("Emerging-cluster scan")


class AnalysisRun(models.Model):
    """One requested analysis: its place, parameters, progress and result."""

    kind = models.CharField(_("analysis"), max_length=20, choices=RunKind.choices)
    subject = models.CharField(_("data"), max_length=20, choices=Subject.choices)
    unit = unit_field(_("place"))
    path = unit_path_field()
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = user_field(_("requested by"))
    # The requester's language: messages of the run are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="analysis_progress_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}


class ClusterStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate problem")
    ACCEPTED = "accepted", _("Taken up for problem solving")
    DISMISSED = "dismissed", _("Dismissed")


class EmergingCluster(models.Model):
    """A space-time cluster found by the prospective scan: more incidents (or
    concerns) in a small area over the last days than the area's and the
    days' own totals lead one to expect. A candidate problem until someone
    takes it up for SARA scanning or dismisses it."""

    subject = models.CharField(_("data"), max_length=20, choices=Subject.choices)
    category = models.CharField(_("category"), max_length=60)
    category_label = models.CharField(_("category name"), max_length=200)
    unit = unit_field(_("sector"))
    path = unit_path_field()
    run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="clusters"
    )
    centre_lat = models.FloatField(_("centre latitude"))
    centre_lon = models.FloatField(_("centre longitude"))
    radius_m = models.FloatField(_("radius (m)"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    observed = models.PositiveIntegerField(_("observed"))
    expected = models.FloatField(_("expected"))
    llr = models.FloatField(_("log-likelihood ratio"))
    p_value = models.FloatField(_("p-value"))
    recurrence_days = models.FloatField(_("recurrence interval (days)"))
    area = models.JSONField(_("area (GeoJSON)"), default=dict)
    first_detected_on = models.DateField(_("first detected on"))
    last_detected_on = models.DateField(_("last detected on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ClusterStatus.choices, default=ClusterStatus.CANDIDATE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = user_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("emerging cluster")
        verbose_name_plural = _("emerging clusters")
        ordering = ["-last_detected_on", "p_value"]
        indexes = [models.Index(fields=["status", "last_detected_on"])]

    def __str__(self) -> str:
        return f"{self.category_label} ({self.start_date}–{self.end_date})"


class NearRepeatPattern(models.Model):
    """A significant near-repeat pattern of one incident category in one region,
    found by the daily push (a Knox test of the last twelve months): after an
    event, more of the same within `distance_m` metres and `days` days than
    chance allows. Kept so that each incident recorded later in the day is
    checked against it when it is imported, not at the next day's test;
    removed when the pattern is no longer significant. `checked_until` is the
    time up to which recorded incidents have been checked."""

    unit = unit_field(_("region"))
    path = unit_path_field()
    category = models.ForeignKey(
        "incidents.IncidentCategory", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    distance_m = models.FloatField(_("radius (m)"))
    days = models.PositiveSmallIntegerField(_("days of raised risk"))
    ratio = models.FloatField(_("Knox ratio"))
    events = models.PositiveIntegerField(_("events tested"))
    window_start = models.DateField(_("tested from"))
    window_end = models.DateField(_("tested until"))
    checked_until = models.DateTimeField(_("incidents checked until"))

    class Meta:
        verbose_name = _("near-repeat pattern")
        verbose_name_plural = _("near-repeat patterns")
        ordering = ["path", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="near_repeat_pattern_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.path} ({self.distance_m:.0f} m, {self.days} d)"
