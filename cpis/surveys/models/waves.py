"""Waves: one round of a questionnaire over a place and dates, with a target
number of interviews per sector, the population margins its weights are raked
to, and the start points drawn for face-to-face fieldwork."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cpis.core.models import TimeStampedModel
from cpis.organisation.models import Settlement, Unit

from .questionnaires import QuestionnaireVersion


class WaveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Wave(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="waves", verbose_name=_("questionnaire")
    )
    place = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="survey_waves", verbose_name=_("place surveyed")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=WaveStatus.choices, default=WaveStatus.PLANNED
    )
    min_n = models.PositiveSmallIntegerField(
        _("fewest answers shown"),
        default=10,
        help_text=_(
            "A figure from fewer answers than this is suppressed everywhere: pages, exports and the API."
        ),
    )
    seed = models.PositiveIntegerField(_("sampling seed"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="wave_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WaveTarget(models.Model):
    """How many interviews the wave aims for in one sector."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="targets", verbose_name=_("wave"))
    sector = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    target = models.PositiveIntegerField(_("target interviews"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["wave", "sector"], name="wave_target_unique")]

    def __str__(self) -> str:
        return f"{self.sector_id}: {self.target}"


class Dimension(models.TextChoices):
    COMMUNITY = "community", _("Community")
    GENDER = "gender", _("Gender")
    AGE_BAND = "age_band", _("Age band")


class Margin(models.Model):
    """A population share the wave's weights are raked to, e.g. women 50.2 %."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="margins", verbose_name=_("wave"))
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    category = models.CharField(_("category"), max_length=20)
    share = models.FloatField(_("share of the population"))

    class Meta:
        verbose_name = _("population margin")
        verbose_name_plural = _("population margins")
        constraints = [
            models.UniqueConstraint(fields=["wave", "dimension", "category"], name="wave_margin_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=1), name="wave_margin_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}: {self.share:.3f}"


class StartPoint(models.Model):
    """Where an interviewer starts a walk, drawn reproducibly from the wave's
    seed: a settlement of the sector (chosen with probability proportional to
    its population) and a point in it."""

    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="start_points", verbose_name=_("wave")
    )
    sector = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    settlement = models.ForeignKey(
        Settlement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("settlement"),
    )
    sequence = models.PositiveSmallIntegerField(_("number"))
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    interviews = models.PositiveSmallIntegerField(_("interviews to make"))

    class Meta:
        verbose_name = _("start point")
        verbose_name_plural = _("start points")
        ordering = ["wave", "sector", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "sector", "sequence"], name="start_point_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sector_id}/{self.sequence}"
