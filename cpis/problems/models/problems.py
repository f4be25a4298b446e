"""A problem, where it came from, who works it, and its history (every change of a
problem, a priority or an entry of the register)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.analytics.models import AnalysisRun, EmergingCluster
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.models import Concern
from cpis.core.models import TimeStampedModel
from cpis.forums.models import Decision, Forum, TensionReport
from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import Officer, unit_field, unit_path_field
from cpis.partners.models import Partner


class Stage(models.TextChoices):
    """SARA, and closed. A problem moves forward through the stages and may
    step back (an assessment that shows no effect sends it back to response)."""

    SCANNING = "scanning", _("Scanning")
    ANALYSIS = "analysis", _("Analysis")
    RESPONSE = "response", _("Response")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = (Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT)


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    REDUCED = "reduced", _("Reduced")
    DISPLACED = "displaced", _("Displaced")
    NOT_SOLVED = "not_solved", _("Not solved")
    NOT_A_PROBLEM = "not_a_problem", _("Closed as not a problem")


# Outcomes that claim an effect: closing with one needs an assessment on record or a
# written reason (item 5 of issue #13).
EFFECT_OUTCOMES = frozenset({Outcome.SOLVED, Outcome.REDUCED})


class ProblemQuerySet(models.QuerySet["Problem"]):
    def open(self) -> "ProblemQuerySet":
        return self.exclude(stage=Stage.CLOSED)

    def within(self, path: str) -> "ProblemQuerySet":
        return self.filter(unit_path__startswith=path) if path else self


class Problem(TimeStampedModel):
    """A recurring problem at a place (sector, station or region), worked
    through SARA by its owner and team. `area` is the target area as a GeoJSON
    geometry (a cluster's circle, a hotspot cell, a drawn polygon); empty means
    the place's own boundary. Categories say which incidents and concerns are
    the problem's; its counts and its assessment read them."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = unit_field(_("place"))
    unit_path = unit_path_field()
    area = models.JSONField(_("target area (GeoJSON)"), default=dict, blank=True)
    incident_categories = models.ManyToManyField(
        IncidentCategory, blank=True, related_name="+", verbose_name=_("incident categories")
    )
    concern_categories = models.ManyToManyField(
        ConcernCategory, blank=True, related_name="+", verbose_name=_("concern categories")
    )
    owner = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("owner")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.SCANNING)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    # Analysis: routine activity theory (who, what and where converge, when, with no
    # capable guardian) and what else was learned; the triangle and hypotheses are rows.
    routine_activity = models.TextField(_("routine activity notes"), blank=True)
    opened_by = user_field(_("opened by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_field(_("closed by"))

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "stage"], name="problem_path_stage"),
            models.Index(fields=["stage", "-created_at"], name="problem_stage_created"),
            # The list's order: a page is read from the index, not sorted from all of them.
            models.Index(fields=["-created_at", "-id"], name="problem_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage=Stage.CLOSED) & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(stage=Stage.CLOSED) & Q(outcome="") & Q(closed_at__isnull=True)),
                name="problem_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class SourceKind(models.TextChoices):
    """Where a problem was found (scanning)."""

    CLUSTER = "cluster", _("Emerging cluster")
    CONCERN = "concern", _("Citizen's concern")
    INCIDENT = "incident", _("Recorded incident")
    HOTSPOT = "hotspot", _("Hotspot cell")
    NEAR_REPEAT = "near_repeat", _("Near-repeat analysis")
    DECISION = "decision", _("Forum meeting decision")
    TENSION = "tension", _("Tension report")


class Source(models.Model):
    """A record that led to the problem or was linked to it later; one of the
    references is set, matching `kind` (a hotspot cell has only `details`)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    cluster = models.ForeignKey(
        EmergingCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern = models.ForeignKey(Concern, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    run = models.ForeignKey(AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tension_report = models.ForeignKey(
        TensionReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the source said when it was linked (a label, a cell's geometry and figures),
    # so the link still reads after the source is gone.
    label = models.CharField(_("label"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    linked_by = user_field(_("linked by"))
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("problem source")
        verbose_name_plural = _("problem sources")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "concern"], name="problem_source_concern_once"),
            models.UniqueConstraint(fields=["problem", "incident"], name="problem_source_incident_once"),
            models.UniqueConstraint(fields=["problem", "cluster"], name="problem_source_cluster_once"),
        ]

    def __str__(self) -> str:
        return self.label


class MemberKind(models.TextChoices):
    OFFICER = "officer", _("Officer")
    PARTNER = "partner", _("Partner")
    FORUM = "forum", _("Forum")
    CITIZEN = "citizen", _("Citizen")


class TeamMember(TimeStampedModel):
    """Who works the problem beside its owner. A named citizen is on the team
    only with their consent, recorded with its date [3.1.2]."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="team")
    kind = models.CharField(_("kind"), max_length=10, choices=MemberKind.choices)
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    citizen_name = models.CharField(_("citizen's name"), max_length=200, blank=True)
    citizen_contact = models.CharField(_("citizen's phone or e-mail"), max_length=200, blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    role = models.CharField(_("role in the team"), max_length=200, blank=True)
    added_by = user_field(_("added by"))

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="officer") & Q(officer__isnull=False))
                | (Q(kind="partner") & Q(partner__isnull=False))
                | (Q(kind="forum") & Q(forum__isnull=False))
                | (Q(kind="citizen") & ~Q(citizen_name="") & Q(consent_on__isnull=False)),
                name="problem_member_matches_kind",
            ),
            models.UniqueConstraint(fields=["problem", "officer"], name="problem_member_officer_once"),
            models.UniqueConstraint(fields=["problem", "partner"], name="problem_member_partner_once"),
            models.UniqueConstraint(fields=["problem", "forum"], name="problem_member_forum_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.officer_id:
            return str(self.officer)
        if self.partner_id:
            return str(self.partner)
        if self.forum_id:
            return str(self.forum)
        return self.citizen_name


class Change(models.Model):
    """The history of a problem, a priority or an entry of the vulnerable register:
    who changed what, when (never what an entry says about its person)."""

    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    priority = models.ForeignKey(
        "SectorPriority", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    # An entry's history goes with it when it is erased (what it held about a person).
    entry = models.ForeignKey(
        "VulnerableEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = user_field(_("by"))
    what = models.CharField(_("what"), max_length=40)
    # Values as plain strings (labels are looked up when shown): {"from": …, "to": …, "note": …}.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False) | Q(priority__isnull=False) | Q(entry__isnull=False),
                name="problem_change_has_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.at:%Y-%m-%d}"
