"""Analysis and response: the problem-analysis triangle, hypotheses, actions tagged
with the situational crime-prevention technique they use, and the assessment."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TimeStampedModel
from cpis.forums.models import Forum
from cpis.organisation.models import Officer, Unit
from cpis.partners.models import Partner

from .problems import Problem


class Side(models.TextChoices):
    """The problem-analysis triangle (Clarke and Eck, step 8): the inner side,
    and below, the controller of each."""

    VICTIM = "victim", _("Victim or target")
    OFFENDER = "offender", _("Offender")
    PLACE = "place", _("Place")


CONTROLLER = {
    Side.VICTIM: _("Guardian"),
    Side.OFFENDER: _("Handler"),
    Side.PLACE: _("Manager"),
}


class TriangleEntry(TimeStampedModel):
    """One entry on a side of the triangle: who or what, and who controls it
    (the guardian of a victim, the handler of an offender, the manager of a place)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="triangle")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    description = models.TextField(_("who or what"))
    controller = models.TextField(_("controller"), blank=True)
    recorded_by = user_field(_("recorded by"))

    class Meta:
        verbose_name = _("triangle entry")
        verbose_name_plural = _("triangle entries")
        ordering = ["side", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class HypothesisStatus(models.TextChoices):
    OPEN = "open", _("To be tested")
    SUPPORTED = "supported", _("Supported by the data")
    REJECTED = "rejected", _("Rejected")


class Hypothesis(TimeStampedModel):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="hypotheses")
    text = models.TextField(_("hypothesis"))
    status = models.CharField(
        _("status"), max_length=10, choices=HypothesisStatus.choices, default=HypothesisStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = user_field(_("recorded by"))

    class Meta:
        verbose_name = _("hypothesis")
        verbose_name_plural = _("hypotheses")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Technique(models.TextChoices):
    """Situational crime prevention's 25 techniques (Cornish and Clarke 2003),
    in their five groups of five, in the published order."""

    # Increase the effort
    TARGET_HARDEN = "target_harden", _("Harden targets")
    CONTROL_ACCESS = "control_access", _("Control access to facilities")
    SCREEN_EXITS = "screen_exits", _("Screen exits")
    DEFLECT_OFFENDERS = "deflect_offenders", _("Deflect offenders")
    CONTROL_TOOLS = "control_tools", _("Control tools and weapons")
    # Increase the risks
    EXTEND_GUARDIANSHIP = "extend_guardianship", _("Extend guardianship")
    NATURAL_SURVEILLANCE = "natural_surveillance", _("Assist natural surveillance")
    REDUCE_ANONYMITY = "reduce_anonymity", _("Reduce anonymity")
    PLACE_MANAGERS = "place_managers", _("Utilise place managers")
    FORMAL_SURVEILLANCE = "formal_surveillance", _("Strengthen formal surveillance")
    # Reduce the rewards
    CONCEAL_TARGETS = "conceal_targets", _("Conceal targets")
    REMOVE_TARGETS = "remove_targets", _("Remove targets")
    IDENTIFY_PROPERTY = "identify_property", _("Identify property")
    DISRUPT_MARKETS = "disrupt_markets", _("Disrupt markets")
    DENY_BENEFITS = "deny_benefits", _("Deny benefits")
    # Reduce provocations
    REDUCE_FRUSTRATION = "reduce_frustration", _("Reduce frustrations and stress")
    AVOID_DISPUTES = "avoid_disputes", _("Avoid disputes")
    REDUCE_AROUSAL = "reduce_arousal", _("Reduce emotional arousal")
    NEUTRALISE_PEER_PRESSURE = "neutralise_peer_pressure", _("Neutralise peer pressure")
    DISCOURAGE_IMITATION = "discourage_imitation", _("Discourage imitation")
    # Remove excuses
    SET_RULES = "set_rules", _("Set rules")
    POST_INSTRUCTIONS = "post_instructions", _("Post instructions")
    ALERT_CONSCIENCE = "alert_conscience", _("Alert conscience")
    ASSIST_COMPLIANCE = "assist_compliance", _("Assist compliance")
    CONTROL_DRUGS_ALCOHOL = "control_drugs_alcohol", _("Control drugs and alcohol")


TECHNIQUE_GROUPS = (
    (_("Increase the effort"), list(Technique)[0:5]),
    (_("Increase the risks"), list(Technique)[5:10]),
    (_("Reduce the rewards"), list(Technique)[10:15]),
    (_("Reduce provocations"), list(Technique)[15:20]),
    (_("Remove excuses"), list(Technique)[20:25]),
)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet["Action"]):
    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, on: date | None = None) -> "ActionQuerySet":
        """Open actions whose due date has passed (due today is not overdue yet)."""
        return self.open().filter(due_on__lt=on or timezone.localdate())


class Action(TimeStampedModel):
    """One response action: what, who (an officer or a partner), by when, with
    which situational technique, and the evidence that it was done."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("what is to be done"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    technique = models.CharField(_("technique"), max_length=30, choices=Technique.choices)
    owner_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("officer")
    )
    owner_partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("partner")
    )
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("forum")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    evidence = models.TextField(_("evidence"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = user_field(_("added by"))

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem action")
        verbose_name_plural = _("problem actions")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="problem_action_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_officer__isnull=False) | Q(owner_partner__isnull=False),
                name="problem_action_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="problem_action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:60]


class ControlKind(models.TextChoices):
    STATION = "station", _("The rest of the station")
    UNIT = "unit", _("A chosen place")


class Reading(models.TextChoices):
    """What the Weighted Displacement Quotient says (Bowers and Johnson 2003)."""

    DIFFUSION = "diffusion", _("Diffusion of benefits into the buffer")
    DISPLACEMENT = "displacement", _("Displacement into the buffer")
    NEITHER = "neither", _("Neither displacement nor diffusion")
    NO_EFFECT = "no_effect", _("No success in the target area to weigh displacement against")


class Assessment(models.Model):
    """The problem's assessment from the records: counts in equal windows
    before and after the response date in the target area, a buffer around it
    and a control area, with the rate ratio and its interval, the relative
    effect against the control (log-scale difference-in-differences) and the
    WDQ. Recomputed when data arrives; one per problem, its changes in the
    problem's history."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="assessment")
    response_date = models.DateField(_("response date"))
    window_days = models.PositiveSmallIntegerField(_("window (days)"), default=182)
    buffer_m = models.PositiveIntegerField(_("buffer width (m)"), default=400)
    control_kind = models.CharField(
        _("control area"), max_length=10, choices=ControlKind.choices, default=ControlKind.STATION
    )
    control_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("control place"),
    )
    categories = models.JSONField(_("incident categories counted"), default=list)
    target_before = models.PositiveIntegerField(default=0)
    target_after = models.PositiveIntegerField(default=0)
    buffer_before = models.PositiveIntegerField(default=0)
    buffer_after = models.PositiveIntegerField(default=0)
    control_before = models.PositiveIntegerField(default=0)
    control_after = models.PositiveIntegerField(default=0)
    rate_ratio = models.FloatField(null=True, blank=True)
    rate_ratio_low = models.FloatField(null=True, blank=True)
    rate_ratio_high = models.FloatField(null=True, blank=True)
    relative_effect = models.FloatField(null=True, blank=True)
    relative_effect_low = models.FloatField(null=True, blank=True)
    relative_effect_high = models.FloatField(null=True, blank=True)
    wdq = models.FloatField(null=True, blank=True)
    reading = models.CharField(_("reading"), max_length=20, choices=Reading.choices, blank=True)
    # Events per week in each area, for the chart: {"weeks": [...], "target": [...], ...}.
    series = models.JSONField(default=dict, blank=True)
    # How many days after the response date the data ran to when computed: an assessment
    # whose after-window has not ended is provisional.
    data_until = models.DateField(_("data until"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    recorded_by = user_field(_("recorded by"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.response_date}"
