"""Questionnaires and their versions. A version is drafted, previewed and
published; once published it is frozen (the services refuse to change it), so
every response is read against the exact wording it answered. A new wording is
a new version, and a question keeps its `code` across versions so results can
be compared between waves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpis.core.models import TimeStampedModel
from cpis.organisation.models import Translated, TranslatedName


class Purpose(models.TextChoices):
    PERCEPTION = "perception", _("Perception of safety and trust")
    SATISFACTION = "satisfaction", _("Satisfaction after a concern")


class Questionnaire(TranslatedName, TimeStampedModel):
    """A questionnaire across its versions (the safety-and-trust survey, the
    questionnaire sent after a concern is closed)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.PERCEPTION
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code"]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class QuestionnaireVersion(TimeStampedModel):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions", verbose_name=_("questionnaire")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian, Cyrillic)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_sq = models.TextField(_("introduction (Albanian)"), blank=True)
    intro_sr = models.TextField(_("introduction (Serbian, Cyrillic)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    title = Translated()
    intro = Translated()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="survey_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="survey_version_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT


class QuestionKind(models.TextChoices):
    AGREE5 = "agree5", _("Agreement, 1–5")
    SCORE10 = "score10", _("Score, 0–10")
    YESNO = "yesno", _("Yes or no")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class Question(models.Model):
    """One item. Its answer is kept in `Response.answers[code]`: 1–5 for
    agreement, 0–10 for a score, 1 or 0 for yes or no, an option's code for one
    choice, a list of option codes for several, the words for free text."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("version")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text_sq = models.CharField(_("question (Albanian)"), max_length=300)
    text_sr = models.CharField(_("question (Serbian, Cyrillic)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    required = models.BooleanField(_("an answer is required"), default=False)
    text = Translated()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_unique"),
            models.UniqueConstraint(fields=["version", "position"], name="survey_question_position_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=40)
    label_sq = models.CharField(_("label (Albanian)"), max_length=200)
    label_sr = models.CharField(_("label (Serbian, Cyrillic)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label = Translated()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="survey_option_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code
