"""The action plan: plan → goals → objectives → activities, who is
responsible, indicators and their values, progress updates with evidence,
and the six-monthly evaluations that freeze it [Action plan; Evaluation 7].

Plan texts are reference data translated in the data (en as the source has
it, sq, sr in Cyrillic); progress narratives are stored as written."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TimeStampedModel
from cpis.organisation.models import Translated, Unit, UnitKind, translations, unit_field, unit_path_field


class TranslatedText(models.Model):
    text_sq = models.TextField(_("text (Albanian)"), blank=True)
    text_sr = models.TextField(_("text (Serbian, Cyrillic)"), blank=True)
    text_en = models.TextField(_("text (English)"))
    text = Translated()

    class Meta:
        abstract = True

    def texts(self) -> dict[str, str]:
        return translations(self, "text")


class Plan(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_sq = models.CharField(_("title (Albanian)"), max_length=200, blank=True)
    title_sr = models.CharField(_("title (Serbian, Cyrillic)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title = Translated()
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    approved_on = models.DateField(_("approved on"))
    notes = models.JSONField(_("how the source was read"), default=list, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="plan_period_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def titles(self) -> dict[str, str]:
        return translations(self, "title")


class NumberedText(TranslatedText):
    """A goal or an objective: its text, its number as the plan prints it, and
    its place in the plan's order."""

    number = models.CharField(_("number"), max_length=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class Goal(NumberedText):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="goal_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Objective(NumberedText):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["goal", "position"]
        constraints = [models.UniqueConstraint(fields=["goal", "number"], name="objective_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.text}"


class DueRule(models.TextChoices):
    BY_DATE = "by_date", _("By a date")
    AFTER_APPROVAL = "after_approval", _("After the plan's approval")
    ONGOING = "ongoing", _("Ongoing")
    POLICE_DAY = "police_day", _("Every year on Police Day")


class BudgetCategory(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative cost")
    BUDGETED = "budgeted", _("Budgeted")
    BUDGETARY_COSTS = "budgetary_costs", _("There are budgetary costs")
    DONATIONS = "donations", _("Donations")
    UNKNOWN = "unknown", _("Unknown")


class Activity(TranslatedText):
    """One line of the plan. `due_date` is the normalised time limit (null
    for ongoing work); `time_limit_*` keep it as written."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", editable=False)
    code = models.CharField(_("code"), max_length=12)
    code_as_printed = models.CharField(_("code as printed"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    responsible_as_written = models.TextField(_("responsible, as written"), blank=True)
    time_limit_sq = models.CharField(_("time limit (Albanian)"), max_length=200, blank=True)
    time_limit_sr = models.CharField(_("time limit (Serbian, Cyrillic)"), max_length=200, blank=True)
    time_limit_en = models.CharField(_("time limit (English)"), max_length=200)
    time_limit = Translated()
    due_rule = models.CharField(_("due rule"), max_length=20, choices=DueRule.choices)
    due_days = models.PositiveSmallIntegerField(_("days after approval"), null=True, blank=True)
    due_months = models.PositiveSmallIntegerField(_("months after approval"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    budget = models.JSONField(_("budget categories"), default=list)
    budget_as_written = models.CharField(_("budget, as written"), max_length=200, blank=True)
    note = models.TextField(_("how the source was read"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="activity_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def time_limits(self) -> dict[str, str]:
        return translations(self, "time_limit")

    @property
    def budget_labels(self) -> list[str]:
        labels = dict(BudgetCategory.choices)
        return [str(labels.get(code, code)) for code in self.budget]


class ResponsibleKind(models.TextChoices):
    ALL = "all", _("Every level of the Kosovo Police")
    UNIT = "unit", _("A unit of ours")
    LEVEL = "level", _("Every unit at a level")
    INTERNAL = "internal", _("Kosovo Police body outside the unit tree")
    EXTERNAL = "external", _("External body")


class Responsible(models.Model):
    """Who carries an activity out. A `level` covers every unit of that kind
    (all stations); a `unit` names one place; other bodies are named only."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="responsibles")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=ResponsibleKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=UnitKind.choices, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name_sq = models.CharField(_("name (Albanian)"), max_length=200, blank=True)
    name_sr = models.CharField(_("name (Serbian, Cyrillic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name = Translated()

    class Meta:
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")
        ordering = ["activity", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="level") | ~Q(level=""), name="responsible_level_has_level"
            ),
            models.CheckConstraint(
                condition=~Q(kind="unit") | Q(unit__isnull=False), name="responsible_unit_has_unit"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Number")
    PERCENT = "percent", _("Percent")
    YES_NO = "yes_no", _("Done or not (1/0)")


class Indicator(TranslatedText):
    """What shows an activity worked. `source` names a computation in the
    indicator registry (plans.indicators); blank means values are entered
    by hand. `target` is per half-year."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    unit = models.CharField(
        _("unit"), max_length=10, choices=IndicatorUnit.choices, default=IndicatorUnit.COUNT
    )
    target = models.DecimalField(
        _("target per half-year"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("computed from"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return self.text


class IndicatorValue(models.Model):
    """A value entered by hand for a half-year, with who entered it. The
    latest entry for an indicator and period counts; earlier ones stay as history."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = user_field(_("entered by"), blank=False)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_start", "-entered_at"]
        indexes = [models.Index(fields=["indicator", "period_start", "entered_at"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}: {self.value}"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED_STATUSES = frozenset({ProgressStatus.DONE, ProgressStatus.CANCELLED})


class ReviewOutcome(models.TextChoices):
    PENDING = "", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for more information")


class ProgressUpdate(models.Model):
    """A responsible unit's report on an activity at a date. The latest
    update (by `reported_on`, then id) gives the activity's status; all stay
    as its history."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    unit = unit_field(_("reported by unit"))
    unit_path = unit_path_field()
    status = models.CharField(_("status"), max_length=20, choices=ProgressStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    milestone = models.CharField(_("milestone reached"), max_length=200, blank=True)
    narrative = models.TextField(_("what was done"))
    reported_on = models.DateField(_("as of"))
    author = user_field(_("author"), blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    review = models.CharField(
        _("review"), max_length=10, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = user_field()
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["activity", "-reported_on", "-id"]
        indexes = [models.Index(fields=["activity", "reported_on", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="progress_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.status} {self.reported_on}"


class Evidence(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class Acknowledgement(models.Model):
    """An officer confirms having been informed of the strategy [1.4.3; Implementation 11]."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="acknowledgement_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.plan_id}"


class EvaluationState(models.TextChoices):
    FROZEN = "frozen", _("Frozen, narrative open")
    SIGNED = "signed", _("Signed off")


class Evaluation(models.Model):
    """The six-monthly evaluation [Evaluation 7]: a snapshot of the plan at
    the end of a half-year with the strategy's elements 1–6 for its place,
    leadership's narrative per goal, then sign-off, after which nothing in it
    changes. `unit` is the place evaluated: the directorate (the national
    evaluation) or a region."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="evaluations")
    unit = unit_field(_("place evaluated"))
    unit_path = unit_path_field()
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    state = models.CharField(
        _("state"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.FROZEN
    )
    snapshot = models.JSONField(_("snapshot"))
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    frozen_by = user_field(blank=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = user_field()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["plan", "-period_start", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "period_start"], name="evaluation_place_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="frozen") | Q(signed_at__isnull=False), name="evaluation_signed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.unit_path} {self.period_start}–{self.period_end}"

    @property
    def is_signed(self) -> bool:
        return self.state == EvaluationState.SIGNED


class Narrative(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="narratives")
    goal_number = models.CharField(_("goal"), max_length=10)
    text = models.TextField(_("narrative"))
    author = user_field(blank=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal_number"], name="narrative_goal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} goal {self.goal_number}"


class Reminder(models.Model):
    """One deadline digest sent to one person on one day: the scheduled job
    may run many times and still sends at most one a day, and waits a week
    before repeating itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField()
    activity_codes = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on_date"], name="reminder_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.on_date}"
