"""What a sector agrees and what citizens read: sector priorities [2.5.3, 3.2.4] and
the public summaries of solved problems [3.2.5]."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cpis.accounts.models import user_field
from cpis.core.models import TimeStampedModel
from cpis.forums.models import Meeting
from cpis.organisation.models import unit_field, unit_path_field

from .problems import Problem


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
