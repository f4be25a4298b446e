"""Media analysis [Evaluation 6]: what television, radio, online and print outlets
report about the police, logged with its tone toward the police, its topic, the
places and municipalities it concerns and the records it bears on (problems,
outreach, forum meetings and press releases), so that coverage can be counted per
place, topic and tone over time. Headlines and summaries are stored as written."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TimeStampedModel
from cpis.forums.models import Meeting, PressRelease
from cpis.organisation.models import Language, Municipality, TranslatedName, Unit
from cpis.outreach.models import OutreachActivity
from cpis.problems.models import Problem


class OutletKind(models.TextChoices):
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    ONLINE = "online", _("Online")
    PRINT = "print", _("Print")


class Tone(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Outlet(models.Model):
    """A media outlet of the managed list: its kind, its language and, when known,
    its reach (viewers, listeners, readers or visits a day)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OutletKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices)
    reach = models.PositiveIntegerField(_("reach (people a day), if known"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(TranslatedName):
    """A topic of the managed list (community policing, traffic safety, …),
    named in each language."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("media topic")
        verbose_name_plural = _("media topics")
        ordering = ["name_sq"]


class MediaItem(TimeStampedModel):
    """One report in the media. `url_key` and `headline_key` are the normalised URL
    and headline that keep an outlet's report from being logged twice."""

    published_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, related_name="items", verbose_name=_("outlet")
    )
    headline = models.CharField(_("headline"), max_length=300)
    headline_key = models.CharField(max_length=300, editable=False)
    url = models.URLField(_("link"), max_length=500, blank=True)
    url_key = models.CharField(max_length=500, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="items", verbose_name=_("topic"))
    tone = models.CharField(_("tone toward the police"), max_length=10, choices=Tone.choices)
    units: "models.ManyToManyField[Unit, MediaPlace]" = models.ManyToManyField(
        Unit, through="MediaPlace", related_name="+", verbose_name=_("places")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities")
    )
    problems = models.ManyToManyField(Problem, blank=True, related_name="+", verbose_name=_("problems"))
    activities = models.ManyToManyField(
        OutreachActivity, blank=True, related_name="+", verbose_name=_("outreach activities")
    )
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="+", verbose_name=_("forum meetings"))
    press_releases = models.ManyToManyField(
        PressRelease, blank=True, related_name="+", verbose_name=_("forum press releases")
    )
    created_by = user_field(_("logged by"))
    updated_by = user_field()

    class Meta:
        verbose_name = _("media item")
        verbose_name_plural = _("media items")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["tone", "published_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet", "url_key"], condition=~Q(url_key=""), name="media_item_unique_url"
            ),
            models.UniqueConstraint(
                fields=["outlet", "published_on", "headline_key"], name="media_item_unique_headline"
            ),
        ]

    def __str__(self) -> str:
        return self.headline


class MediaPlace(models.Model):
    """A place a report concerns; `unit_path` copies the unit's path so that a
    place's reports are one prefix match."""

    item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="places")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        verbose_name = _("place of a media item")
        verbose_name_plural = _("places of media items")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="media_place_unique")]

    def __str__(self) -> str:
        return self.unit_path


class StagedImport(models.Model):
    """A spreadsheet uploaded for import, kept between its dry run and the import
    by the person who uploaded it (deleted once imported, or after a day)."""

    name = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    created_by = user_field(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("staged media import")
        verbose_name_plural = _("staged media imports")

    def __str__(self) -> str:
        return self.name
