"""Outreach: what officers do to meet the public outside a complaint or a
concern — school lectures, open days, media appearances, awareness
campaigns, meetings with NGOs and the community, sector leaders' public
contacts — each logged with its place, audience and officers, so that the
action plan's "number of …" indicators count themselves [1.4.1, 2.3, 2.4.7,
2.4.13]. Places and notes are stored as written."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.organisation.models import Officer, Settlement, unit_field, unit_path_field


class Kind(models.TextChoices):
    SCHOOL_LECTURE = "school_lecture", _("School lecture")  # 2.3.3, 2.3.4
    OPEN_DAY = "open_day", _("Open day (Police Day)")  # 2.3.7
    MEDIA = "media", _("Media appearance")  # 2.3.8
    CAMPAIGN = "campaign", _("Awareness campaign")  # 1.4.1
    COMMUNITY_MEETING = "community_meeting", _("Meeting with NGOs or the community")  # 2.3.1
    PUBLIC_CONTACT = "public_contact", _("Sector leader's public contact")  # 2.4.7
    CONTACT_PRESENTATION = (
        "contact_presentation",
        _("Presentation of the ways to contact the police"),
    )  # 2.3.2
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    NARCOTICS = "narcotics", _("Narcotics")
    WEAPONS = "weapons", _("Weapons")
    TRAFFICKING = "trafficking", _("Trafficking in persons")
    TRAFFIC_SAFETY = "traffic_safety", _("Traffic safety")
    POLICE_ROLE = "police_role", _("The role of the police")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    OTHER = "other", _("Other")


# Lectures and campaigns are about something [2.3.3, 2.3.4, 1.4.1]; the other kinds are not.
TOPIC_KINDS = frozenset({Kind.SCHOOL_LECTURE, Kind.CAMPAIGN})
MAX_AUDIENCE = 100_000


class OutreachActivity(models.Model):
    """One outreach activity. `unit` is the sector or station where it took
    place (`unit_path` its path, for place-scoped reads and counts)."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, blank=True)
    happened_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    unit = unit_field(_("sector or station"))
    unit_path = unit_path_field()
    place = models.CharField(_("place (school, village, venue)"), max_length=200, blank=True)
    settlement = models.ForeignKey(
        Settlement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("settlement"),
    )
    audience = models.PositiveIntegerField(_("audience"), default=0)
    officers = models.ManyToManyField(Officer, related_name="+", verbose_name=_("officers"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = user_field(_("logged by"))
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)
    updated_by = user_field()
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["kind", "happened_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(audience__lte=MAX_AUDIENCE), name="outreach_audience_range"),
            models.CheckConstraint(
                condition=Q(topic="") | Q(kind__in=sorted(TOPIC_KINDS)),
                name="outreach_topic_only_when_relevant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"

    @property
    def has_topic(self) -> bool:
        return self.kind in TOPIC_KINDS
