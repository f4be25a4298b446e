"""Partners of the police (C7): the registry of partners at central and
local level [2.1.1, 2.1.3] with their contact people, agreements and
memoranda of cooperation [2.1.2], interest groups [2.2.1], volunteers and
their hours [2.2.2], and recognitions of special contributions [2.2.3].

Every record is held by a unit (`unit`, with its path copied to
`unit_path`) and is seen by the roles held at that unit or above it.
Names, descriptions and reasons are stored as written."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import NamedModel, TimeStampedModel, ends_after
from cpis.organisation.models import municipality_field, unit_field, unit_path_field


class PartnerKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or central institution")
    MUNICIPAL = "municipal", _("Municipal body")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")
    DONOR = "donor", _("Donor")
    MEDIA = "media", _("Media")
    POLITICAL_PARTY = "political_party", _("Political party")
    RELIGIOUS = "religious", _("Religious leader or community")
    BUSINESS = "business", _("Business or chamber of commerce")
    INFLUENTIAL_PERSON = "influential_person", _("Influential person")
    COMMUNITY_GROUP = "community_group", _("Community group")
    OTHER = "other", _("Other")


class PartnerLevel(models.TextChoices):
    CENTRAL = "central", _("Central level")
    LOCAL = "local", _("Local level")


class Partner(NamedModel, TimeStampedModel):
    """A body or person the police work with. Central partners are held by
    the General Directorate [2.1.1]; local ones by a region, station,
    substation or sector [2.1.3]."""

    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=PartnerLevel.choices)
    unit = unit_field(_("unit holding the partnership"))
    unit_path = unit_path_field()
    municipality = municipality_field()
    description = models.TextField(_("description"), blank=True)
    identified_on = models.DateField(_("identified on"), default=timezone.localdate)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = user_field()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit_path", "identified_on"])]


class PartnerContact(NamedModel, TimeStampedModel):
    """A person to talk to at a partner. Phone and e-mail are personal data:
    shown only to roles that need them, every view logged."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent = models.BooleanField(_("agreed to be contacted"), default=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner", "name", "id"]


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("Memorandum of cooperation")
    AGREEMENT = "agreement", _("Agreement")
    GUIDELINE = "guideline", _("Administrative guideline")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# Every status but a draft means the agreement was signed once.
SIGNED_STATUSES = frozenset({AgreementStatus.SIGNED, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED})


class Agreement(TimeStampedModel):
    """An agreement, memorandum of cooperation or inter-sector
    administrative guideline [2.1.2], held by the unit that signed it, with
    the signed document as a PDF."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    partners = models.ManyToManyField(Partner, related_name="agreements", verbose_name=_("partners"))
    unit = unit_field(_("unit holding the agreement"))
    unit_path = unit_path_field()
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(_("signed document"), upload_to="partners/agreements/%Y/", blank=True)
    document_name = models.CharField(_("document name"), max_length=200, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = user_field()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False), name="agreement_signed_has_date"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_valid_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InterestGroupKind(models.TextChoices):
    NEIGHBOURHOOD_WATCH = "neighbourhood_watch", _("Neighbourhood watch")
    SCHOOL_SAFETY_PATROL = "school_safety_patrol", _("School safety patrol")
    MEDIATION_COUNCIL = "mediation_council", _("Mediation or conciliation council")
    OTHER = "other", _("Other")


class InterestGroup(NamedModel, TimeStampedModel):
    """A group of citizens engaged with the police [2.2.1]: neighbourhood
    watch, school safety patrol, conciliation council."""

    kind = models.CharField(_("kind"), max_length=30, choices=InterestGroupKind.choices)
    unit = unit_field(_("unit"))
    unit_path = unit_path_field()
    founded_on = models.DateField(_("founded on"))
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("interest group")
        verbose_name_plural = _("interest groups")
        ordering = ["name", "id"]


class Volunteer(NamedModel, TimeStampedModel):
    """A citizen who volunteers with the police [2.2.2]. The contact is
    personal data: shown only to roles that need it, every view logged."""

    contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    group = models.ForeignKey(
        InterestGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
        verbose_name=_("interest group"),
    )
    unit = unit_field(_("unit"))
    unit_path = unit_path_field()
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["name", "id"]
        constraints = [ends_after("joined_on", "left_on", name="volunteer_leaves_after_joining")]

    @property
    def is_active(self) -> bool:
        return self.left_on is None or self.left_on >= timezone.localdate()


MAX_HOURS_PER_DAY = Decimal(24)


class VolunteerHours(models.Model):
    """Hours a volunteer gave on one day, and for what."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("volunteer")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    activity = models.CharField(_("activity"), max_length=300)
    recorded_by = user_field()
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["volunteer", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_DAY), name="volunteer_hours_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.date}: {self.hours}"


class RecipientKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    FORUM = "forum", _("Community safety forum")
    PARTNER = "partner", _("Partner")
    OFFICER = "officer", _("Police officer")
    OTHER = "other", _("Other")


class Recognition(TimeStampedModel):
    """Thanks for a special contribution by a citizen, a forum, a partner
    or a police officer [2.2.3], given by a unit."""

    recipient_kind = models.CharField(_("recipient is a"), max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
        verbose_name=_("partner"),
    )
    reason = models.TextField(_("reason"))
    awarded_on = models.DateField(_("awarded on"))
    unit = unit_field(_("awarded by"))
    unit_path = unit_path_field()
    is_published = models.BooleanField(_("published"), default=False)
    created_by = user_field()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient_name} {self.awarded_on}"
