"""Recorded incidents (crimes and other police-recorded events) for
analysis: what, when, where — never who. An incident has a category of the
national taxonomy, a day (and a time when known), coordinates, the place as
the source wrote it, and the sector and unit it falls in. Names of victims,
suspects or witnesses never enter this app: an import keeps only the mapped
columns below and drops every other one."""

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import RunStatus, valid_coordinates
from cpis.organisation.models import TranslatedName, Unit

# Sources and source ids as long as the police's and open-data systems use.
SOURCE_LENGTH = 40
SOURCE_ID_LENGTH = 100
PLACE_LENGTH = 200


class IncidentCategory(TranslatedName):
    """A category of the national taxonomy. `aliases` are the labels other
    systems use for it (Toronto's "Break and Enter", the Kosovo Police's
    "Vjedhje e rëndë"): an import maps a label through them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    aliases = models.JSONField(_("other labels"), default=list, blank=True)
    is_property = models.BooleanField(_("property crime"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        ordering = ["sort_order", "code"]


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    GEOJSON = "geojson", "GeoJSON"


class ImportRun(models.Model):
    """One import of one file: who, what, how it was read, and how it went.
    The counts always agree with the data: they are saved in the same
    transaction as each batch of incidents."""

    created_by = user_field(_("started by"))
    created_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source = models.SlugField(_("source"), max_length=SOURCE_LENGTH)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    preset = models.CharField(_("preset"), max_length=40, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    date_format = models.CharField(_("date format"), max_length=40, blank=True)
    # The language of the person who started it: the rejects' reasons are written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The uploaded file while a background run waits or works; removed when it ends.
    upload = models.FileField(_("uploaded file"), upload_to="incidents/uploads/", blank=True, max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    used_copy = models.BooleanField(_("PostgreSQL COPY"), default=False)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    unplaced = models.PositiveIntegerField(_("outside every sector"), default=0)
    progress = models.FloatField(_("progress"), default=0.0)
    rejects_file = models.FileField(
        _("rejected rows"), upload_to="incidents/rejects/", blank=True, max_length=255
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("incident import")
        verbose_name_plural = _("incident imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def imported(self) -> int:
        """Valid rows: new, changed or unchanged."""
        return self.created + self.updated + self.unchanged


class Incident(models.Model):
    """One recorded incident. (`source`, `source_id`) identify it in the
    system it came from, so importing the same record again updates it
    instead of adding a second one. `unit_path` is the path of its sector,
    of its station when only that is known, or of the directorate when it
    lies outside every sector: reads are scoped by it."""

    # Indexed by the unique constraint below, of which it is the first column.
    source = models.SlugField(_("source"), max_length=SOURCE_LENGTH, db_index=False)
    source_id = models.CharField(_("id in the source"), max_length=SOURCE_ID_LENGTH)
    # The references below have no database constraint and no index of their
    # own: a row-level referential check costs an import more than all else
    # (see README); the import checks them, Django's on_delete guards them.
    category = models.ForeignKey(
        IncidentCategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
        db_index=False,
        db_constraint=False,
    )
    occurred_on = models.DateField(_("date"))
    occurred_time = models.TimeField(_("time"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=PLACE_LENGTH, blank=True)
    sector = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector"),
        db_index=False,
        db_constraint=False,
    )
    unit_path = models.CharField(max_length=255, editable=False)
    import_run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("import"),
        db_index=False,
        db_constraint=False,
    )
    # Database defaults as well, so that COPY leaves them to the server (parsing
    # two timestamps per row cost a fifth of a million-row import).
    created_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, db_default=Now(), editable=False
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now, db_default=Now())

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="incident_source_id_unique"),
            valid_coordinates("incident_coordinates_range"),
        ]
        indexes = [
            # Latest first (the list), date ranges (counts, analyses), and the
            # category checked inside the index.
            models.Index(fields=["occurred_on", "category"], name="incident_day_category"),
            # The scoping's prefix match (LIKE 'kp/pr/%'), and one sector's months by
            # category (the public neighbourhood page) read from the index alone: the
            # path, then the day, then the category. One index for both, with the path
            # compared byte by byte (varchar_pattern_ops, PostgreSQL only; ignored
            # elsewhere), so that LIKE can use it: two indexes on the path cost an
            # import a third of its database time (docs/performance.md).
            models.Index(
                fields=["unit_path", "occurred_on", "category"],
                name="incident_path_day",
                opclasses=["varchar_pattern_ops", "date_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
