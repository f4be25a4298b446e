"""The police organisation as a tree of units, the sectors (areas of
responsibility) at its leaves, the officers and where they serve, and the
roles people hold at a place."""

from datetime import date
from typing import TYPE_CHECKING, Self, overload

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.i18n import pick
from cpis.core.models import NamedModel, TimeStampedModel, ends_after

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UnitKind(models.TextChoices):
    DIRECTORATE = "directorate", _("General Police Directorate")
    REGION = "region", _("Regional directorate")
    STATION = "station", _("Police station")
    SUBSTATION = "substation", _("Police substation")
    SECTOR = "sector", _("Sector")


class Role(models.TextChoices):
    SECTOR_OFFICER = "sector_officer", _("Sector officer")
    SECTOR_LEADER = "sector_leader", _("Sector leader")
    STATION_COORDINATOR = "station_coordinator", _("Station community-policing coordinator")
    STATION_COMMANDER = "station_commander", _("Station commander")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional community-policing coordinator")
    REGIONAL_DIRECTOR = "regional_director", _("Regional director")
    DIRECTORATE = "directorate", _("Directorate of Community Policing and Crime Prevention")
    STRATEGY_COORDINATOR = "strategy_coordinator", _("Strategy coordinator")
    PROFESSIONAL_STANDARDS = "professional_standards", _("Professional standards")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data-protection officer")
    # Named at a place to keep the register of vulnerable persons and groups [3.1.3].
    SAFEGUARDING = "safeguarding", _("Safeguarding officer")
    # Personnel (human resources): officers' records and performance evaluations, the
    # evaluation forms' criteria and weights, promotion lists [1.2.6].
    PERSONNEL = "personnel", _("Personnel department")


class Rank(models.TextChoices):
    OFFICER = "officer", _("Police officer")
    SERGEANT = "sergeant", _("Sergeant")
    LIEUTENANT = "lieutenant", _("Lieutenant")
    CAPTAIN = "captain", _("Captain")
    MAJOR = "major", _("Major")
    LIEUTENANT_COLONEL = "lieutenant_colonel", _("Lieutenant colonel")
    COLONEL = "colonel", _("Colonel")


class Language(models.TextChoices):
    ALBANIAN = "sq", _("Albanian")
    SERBIAN = "sr", _("Serbian")
    BOSNIAN = "bs", _("Bosnian")
    TURKISH = "tr", _("Turkish")
    ROMANI = "rom", _("Romani")
    ENGLISH = "en", _("English")


def translations(record: object, field: str) -> dict[str, str]:
    """A text kept in the data in each language (`title_sq`, `title_sr`,
    `title_en`), by language."""
    return {language: getattr(record, f"{field}_{language}") for language in ("sq", "sr", "en")}


class Translated:
    """`title = Translated()` beside `title_sq`, `title_sr` and `title_en`:
    the text in the active language (Serbian Latin from Cyrillic)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    @overload
    def __get__(self, record: None, owner: type) -> Self: ...
    @overload
    def __get__(self, record: object, owner: type | None = None) -> str: ...
    def __get__(self, record: object | None, owner: type | None = None) -> "str | Self":
        return self if record is None else pick(translations(record, self.field))


class TranslatedName(models.Model):
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian, Cyrillic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name = Translated()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


def municipality_field() -> "models.ForeignKey[Municipality | Combinable | None, Municipality | None]":
    """The municipality a unit or a record lies in, when it is known."""
    return models.ForeignKey(
        "organisation.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )


class UnitQuerySet(models.QuerySet["Unit"]):
    def within(self, path: str) -> "UnitQuerySet":
        """Units at `path` and below it."""
        return self.filter(path__startswith=path)

    def sectors(self) -> "UnitQuerySet":
        return self.filter(kind=UnitKind.SECTOR)


class Unit(TranslatedName, TimeStampedModel):
    """A node of the organisation: directorate, region, station, substation
    or sector. `path` is a materialised path of codes ("kp/pr/prishtine/")
    so a subtree is one indexed prefix match on SQLite and PostgreSQL alike."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    municipality = municipality_field()
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="unit_code_unique_in_parent"),
            # An empty path would be a prefix of every path: a role there would cover all.
            models.CheckConstraint(condition=~Q(path=""), name="unit_path_not_empty"),
        ]

    @property
    def depth(self) -> int:
        return self.path.count("/")

    def ancestor_paths(self) -> list[str]:
        parts = self.path.rstrip("/").split("/")
        return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def unit_field(verbose_name: "StrOrPromise") -> "models.ForeignKey[Unit | Combinable, Unit]":
    """The unit that holds a record of a higher app: who may see and change the
    record follows from it. Its path goes beside it, in `unit_path_field()`."""
    return models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name)


def station_path(path: str) -> str:
    """The path of the station a sector, substation or station belongs to (the tree
    is directorate/region/station/…); a region's own path for a region."""
    return "/".join(path.strip("/").split("/")[:3]) + "/"


def unit_path_field() -> "models.CharField[str, str]":
    """A copy of the holding unit's path, so that a place's records are one
    indexed prefix match (`unit_path__startswith`)."""
    return models.CharField(max_length=255, db_index=True, editable=False)


class Municipality(TranslatedName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    seat_lon = models.FloatField(_("seat longitude"))
    seat_lat = models.FloatField(_("seat latitude"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_sq"]


class Settlement(TranslatedName):
    """A town, village or neighbourhood a citizen may type to find their sector."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="settlements",
        verbose_name=_("municipality"),
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    search_key = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["name_sq"]


class KeyLocationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    RELIGIOUS = "religious", _("Religious site")
    HEALTH = "health", _("Health centre")
    MUNICIPAL = "municipal", _("Municipal building")
    MARKET = "market", _("Market or shopping area")
    TRANSPORT = "transport", _("Bus or railway station")
    BORDER = "border", _("Border crossing")
    CULTURAL = "cultural", _("Cultural heritage site")
    OTHER = "other", _("Other")


class KeyLocation(NamedModel):
    """A place in a sector the sector team keeps an eye on (2.4.6)."""

    sector = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="key_locations", verbose_name=_("sector")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KeyLocationKind.choices)
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("key location")
        verbose_name_plural = _("key locations")
        ordering = ["kind", "name"]


class Officer(TimeStampedModel):
    """A police officer. Name, rank, work contacts and languages are public
    for community officers (2.4.7); the rest is personal data whose every
    view is logged."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user account"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("home unit")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    rank = models.CharField(_("rank"), max_length=30, choices=Rank.choices, default=Rank.OFFICER)
    badge_number = models.CharField(_("badge number"), max_length=20, unique=True)
    work_phone = models.CharField(_("work phone"), max_length=40, blank=True)
    work_email = models.EmailField(_("work e-mail"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list)
    is_community_officer = models.BooleanField(_("community police officer"), default=True)
    is_active = models.BooleanField(_("in service"), default=True)
    # Personal data: shown only to roles that need it, every view logged.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    personal_phone = models.CharField(_("personal phone"), max_length=40, blank=True)
    home_address = models.CharField(_("home address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class SectorRole(models.TextChoices):
    OFFICER = "officer", _("Sector officer")
    LEADER = "leader", _("Sector leader")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self, on: date | None = None) -> "AssignmentQuerySet":
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))

    def leader_first(self) -> "AssignmentQuerySet":
        leader = models.Case(models.When(role=SectorRole.LEADER, then=0), default=1)
        return self.order_by(leader, "officer__last_name", "officer__first_name")


class Assignment(TimeStampedModel):
    """An officer serving in a sector from `start_date` until `end_date`.
    The strategy keeps a community officer in one sector for at least two
    years [Implementation 2]; an earlier end needs `end_reason`."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("officer")
    )
    sector = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("sector")
    )
    role = models.CharField(
        _("role in sector"), max_length=20, choices=SectorRole.choices, default=SectorRole.OFFICER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(end_date__isnull=True),
                name="one_open_assignment_per_officer",
            ),
            ends_after("start_date", "end_date", name="assignment_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.sector}"


class RoleGrant(models.Model):
    """A role held by a user at a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class SectorIndexVersion(models.Model):
    """Renewed whenever a sector changes, in the same transaction, so every
    process knows when to rebuild its point → sector index."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
