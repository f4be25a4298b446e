"""Problem solving with the community (C9): problems worked through SARA —
scanning, analysis, response, assessment [III, 3.1] — with their sources, team,
problem-analysis triangle, hypotheses, actions tagged with the situational
crime-prevention technique they use, and an assessment computed from the
records; the restricted register of vulnerable persons and groups [3.1.3]; the
priorities a sector agrees [2.5.3, 3.2.4]; and the public summaries of solved
problems [3.2.5]. Text people write is stored as written."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cpis.accounts.models import user_field
from cpis.analytics.models import AnalysisRun, EmergingCluster
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.models import Concern
from cpis.core.models import TimeStampedModel
from cpis.forums.models import Decision, Forum, Meeting, TensionReport
from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import Officer, Unit, unit_field, unit_path_field
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


class PriorityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    RETIRED = "retired", _("No longer a priority")


class AgreedBy(models.TextChoices):
    FORUM = "forum", _("At a forum meeting")
    STATION = "station", _("By the station")


class SectorPriority(TimeStampedModel):
    """A sector's priority: proposed from the computed ranking (concerns,
    incidents, clusters) and agreed at a forum meeting or by the station, who
    and when recorded; linked to the problems that work it. What the public
    sees: the issue, what is being done, the date agreed — no personal data."""

    unit = unit_field(_("sector"))
    unit_path = unit_path_field()
    issue = models.CharField(_("issue"), max_length=200)
    what_is_done = models.TextField(_("what is being done"), blank=True)
    # The ranking's proposal: subject, category code and name, score, reasons.
    proposal = models.JSONField(_("proposal"), default=dict, blank=True)
    from_concerns = models.BooleanField(_("raised by citizens' concerns"), default=False)
    rank = models.PositiveSmallIntegerField(pgettext_lazy("order of a priority", "rank"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.PROPOSED
    )
    agreed_by_kind = models.CharField(_("agreed"), max_length=10, choices=AgreedBy.choices, blank=True)
    # Protected: a priority agreed at a meeting keeps it (the constraint below needs it).
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("forum meeting"),
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_by = user_field(_("recorded by"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    problems = models.ManyToManyField(
        Problem, blank=True, related_name="priorities", verbose_name=_("problems")
    )

    class Meta:
        verbose_name = _("sector priority")
        verbose_name_plural = _("sector priorities")
        ordering = ["unit_path", "status", "rank", "id"]
        indexes = [models.Index(fields=["unit_path", "status"], name="priority_path_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="agreed") | (Q(agreed_on__isnull=False) & ~Q(agreed_by_kind="")),
                name="priority_agreed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(agreed_by_kind="forum") | Q(meeting__isnull=False),
                name="priority_forum_has_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.issue


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublicSummary(TimeStampedModel):
    """What citizens read about a solved problem [3.2.5]: a title and text in
    Albanian and Serbian (Latin generated from Cyrillic; English optional),
    with no personal data, published only after a second person reviewed it."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="summary")
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian, Cyrillic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_sq = models.TextField(_("summary (Albanian)"))
    body_sr = models.TextField(_("summary (Serbian, Cyrillic)"))
    body_en = models.TextField(_("summary (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    written_by = user_field(_("written by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = user_field(_("reviewed by"))
    review_note = models.TextField(_("reviewer's note"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public summary")
        verbose_name_plural = _("public summaries")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="summary_status_published")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(published_at__isnull=False) & Q(reviewed_by__isnull=False)),
                name="summary_published_was_reviewed",
            ),
            # A second person reviews: the writer never approves their own summary.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("written_by")),
                name="summary_reviewed_by_another",
            ),
        ]

    def __str__(self) -> str:
        return self.title_sq
