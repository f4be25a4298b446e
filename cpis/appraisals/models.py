"""Performance evaluation with community-policing criteria [1.2.6].

The personnel department defines evaluation forms (one per rank group) in
versions: a draft version's criteria and weights are edited, publishing freezes
it, and an evaluation keeps the version it started on. A supervisor in the
officer's chain of command rates each criterion 1–5 beside the evidence of the
officer's record for the period; the officer reads, comments and acknowledges,
or appeals to the next level of command; the signed evaluation is frozen."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.i18n import pick
from cpis.organisation.models import Officer, Rank, Translated, unit_field, unit_path_field

SCALE = (1, 2, 3, 4, 5)
TOTAL_WEIGHT = 100


def weighted_score(pairs: "Iterable[tuple[int, int]]") -> Decimal:
    """Σ weight × rating / Σ weight, on the 1–5 scale, to three places."""
    pairs = list(pairs)
    total = sum(weight for weight, _rating in pairs)
    if not total:
        return Decimal(0)
    return (Decimal(sum(weight * rating for weight, rating in pairs)) / total).quantize(Decimal("0.001"))


class EvaluationForm(models.Model):
    """A form for a group of ranks; its criteria live in its versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian, Cyrillic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Translated()
    ranks = models.JSONField(_("ranks evaluated on it"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def rank_labels(self) -> list[str]:
        labels = dict(Rank.choices)
        return [str(labels.get(rank, rank)) for rank in self.ranks]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FormVersion(models.Model):
    form = models.ForeignKey(
        EvaluationForm, on_delete=models.CASCADE, related_name="versions", verbose_name=_("form")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_field(_("published by"))

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="appraisal_version_number_unique"),
            # One draft at a time: the next version is edited in one place.
            models.UniqueConstraint(
                fields=["form"], condition=Q(status="draft"), name="appraisal_one_draft_per_form"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Criterion(models.Model):
    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("form version")
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label_sq = models.CharField(_("label (Albanian)"), max_length=200)
    label_sr = models.CharField(_("label (Serbian, Cyrillic)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label = Translated()
    description_sq = models.TextField(_("description (Albanian)"), blank=True)
    description_sr = models.TextField(_("description (Serbian, Cyrillic)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description = Translated()
    weight = models.PositiveSmallIntegerField(_("weight (of 100)"))
    # What each point of the 1–5 scale means: {"sq": [five texts], "sr": [...], "en": [...]}.
    anchors = models.JSONField(_("scale anchors"), default=dict)
    is_community_policing = models.BooleanField(_("community-policing criterion"), default=False)
    # Keys of the officer's record (people.record.KEYS) shown beside the criterion.
    evidence_keys = models.JSONField(_("evidence from the officer's record"), default=list)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="appraisal_criterion_code_unique"),
            models.CheckConstraint(
                condition=Q(weight__lte=TOTAL_WEIGHT), name="appraisal_weight_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def anchor_texts(self) -> list[str]:
        """What each point of the scale means, in the reader's language."""
        return [
            pick({language: (texts[i] if i < len(texts) else "") for language, texts in self.anchors.items()})
            for i in range(len(SCALE))
        ]


class Status(models.TextChoices):
    DRAFT = "draft", _("Being rated")
    SUBMITTED = "submitted", _("Waiting for the officer")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    APPEALED = "appealed", _("Appealed")
    DECIDED = "decided", _("Appeal decided")
    SIGNED = "signed", _("Signed")


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def signed(self) -> "EvaluationQuerySet":
        return self.filter(status=Status.SIGNED)


class Evaluation(models.Model):
    """One officer's evaluation for one period. `unit` is the officer's place
    when it started (their sector, else their home unit); `supervisor_unit` is
    where the supervisor holds the command role they rate with, so that an
    appeal goes to the level above it."""

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    rank = models.CharField(_("rank when evaluated"), max_length=30, choices=Rank.choices)
    unit = unit_field(_("place"))
    unit_path = unit_path_field()
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("form version")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    supervisor = user_field(_("supervisor"), blank=False)
    supervisor_unit = unit_field(_("supervisor's unit"))
    supervisor_path = unit_path_field()
    supervisor_comment = models.TextField(_("supervisor's overall comment"), blank=True)
    # The officer's record for the period as it stood when the ratings were submitted.
    evidence = models.JSONField(_("evidence from the officer's record"), default=dict)
    # Weighted score on the 1–5 scale, computed from the ratings and weights, never typed.
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=3, null=True, blank=True)
    officer_comment = models.TextField(_("officer's comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = user_field(_("signed by"))

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        ordering = ["-period_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "period_start", "period_end"], name="appraisal_once_per_officer_and_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="appraisal_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.period_start}–{self.period_end}"

    @property
    def is_frozen(self) -> bool:
        return self.status == Status.SIGNED

    @property
    def region_path(self) -> str:
        return "/".join(self.unit_path.strip("/").split("/")[:2]) + "/"


class Rating(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["evaluation", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="appraisal_rating_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="appraisal_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.criterion_id} {self.score}"


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Ratings upheld")
    CHANGED = "changed", _("Ratings changed")


class Appeal(models.Model):
    """The officer's appeal, decided at the level of command above the supervisor's."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="appeal")
    reasons = models.TextField(_("reasons for the appeal"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    reviewer_unit = unit_field(_("decided at"))
    reviewer_path = unit_path_field()
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # {criterion code: [rating before, rating after]} for each rating the reviewer changed.
    changes = models.JSONField(_("ratings changed"), default=dict)
    score_before = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    decided_by = user_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.outcome or 'pending'}"
