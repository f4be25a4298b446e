"""Community safety forums [2.4; C5]: LPSCs, CSATs and MCSCs tied to a
sector or station, their members (contact details are personal data),
meetings with attendance, minutes, decisions and action items, sites that
need a new LPSC [2.4.1], trainers drawn from forums [2.4.9], community
tension reports [2.4.10] and press releases [2.4.12].

Names, minutes, decisions and press releases are stored as written, with
their language where it matters; only choices are translated."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cpis.accounts.models import user_field
from cpis.core.models import NamedModel, TimeStampedModel, ends_after
from cpis.organisation.models import Language, municipality_field, unit_field, unit_path_field


class ForumKind(models.TextChoices):
    LPSC = "lpsc", _("Local Public Safety Committee (LPSC)")
    CSAT = "csat", _("Community Safety Action Team (CSAT)")
    MCSC = "mcsc", _("Municipal Community Safety Council (MCSC)")
    OTHER = "other", _("Other community safety forum")


class ForumStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    DISSOLVED = "dissolved", _("Dissolved")


class ForumQuerySet(models.QuerySet["Forum"]):
    def within(self, path: str) -> "ForumQuerySet":
        return self.filter(unit_path__startswith=path) if path else self


class Forum(NamedModel, TimeStampedModel):
    """A forum at its place: `unit` is the sector or station it serves;
    `unit_path` copies the unit's path so a place's forums are one prefix match."""

    kind = models.CharField(_("kind"), max_length=10, choices=ForumKind.choices)
    language = models.CharField(
        _("language of the name"), max_length=10, choices=Language.choices, default=Language.ALBANIAN
    )
    unit = unit_field(_("place"))
    unit_path = unit_path_field()
    municipality = municipality_field()
    established_on = models.DateField(_("established on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ForumStatus.choices, default=ForumStatus.ACTIVE
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(_("meetings expected per year"), default=6)

    objects = ForumQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["unit_path", "kind", "name"]
        constraints = [
            ends_after("established_on", "dissolved_on", name="forum_dissolved_after_established"),
            models.CheckConstraint(
                condition=Q(meetings_per_year__lte=52), name="forum_meetings_per_year_max"
            ),
        ]


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Community(models.TextChoices):
    # A context keeps "Albanian" the community apart from "Albanian" the language.
    ALBANIAN = "albanian", pgettext_lazy("community", "Albanian")
    SERBIAN = "serbian", pgettext_lazy("community", "Serbian")
    BOSNIAK = "bosniak", pgettext_lazy("community", "Bosniak")
    TURKISH = "turkish", pgettext_lazy("community", "Turkish")
    ROMA = "roma", pgettext_lazy("community", "Roma")
    ASHKALI = "ashkali", pgettext_lazy("community", "Ashkali")
    EGYPTIAN = "egyptian", pgettext_lazy("community", "Egyptian")
    GORANI = "gorani", pgettext_lazy("community", "Gorani")
    OTHER = "other", pgettext_lazy("community", "Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    UNSTATED = "unstated", _("Not stated")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("Under 25")
    FROM_25 = "25_39", _("25 to 39")
    FROM_40 = "40_59", _("40 to 59")
    FROM_60 = "60_plus", _("60 or older")


class MemberQuerySet(models.QuerySet["ForumMember"]):
    def current(self, on: date | None = None) -> "MemberQuerySet":
        """Members whose term covers the day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(term_start__lte=on).filter(Q(term_end__isnull=True) | Q(term_end__gte=on))


class ForumMember(NamedModel, TimeStampedModel):
    """A member of a forum [2.4.11]. `phone` and `email` are personal data:
    shown only to roles that need them, every view logged."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(
        _("role in the forum"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    community = models.CharField(_("community"), max_length=20, choices=Community.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    skills = models.TextField(_("specialised skills"), blank=True)
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    term_start = models.DateField(_("member since"))
    term_end = models.DateField(_("member until"), null=True, blank=True)
    is_leader = models.BooleanField(_("forum leader"), default=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")
        ordering = ["forum", "term_end", "name"]
        constraints = [ends_after("term_start", "term_end", name="forum_member_term_valid")]

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)


class SiteStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    IN_PREPARATION = "in_preparation", _("In preparation")
    ESTABLISHED = "established", _("LPSC established")
    NOT_NEEDED = "not_needed", _("Not needed")


class ProposedSite(TimeStampedModel):
    """A place the station commander identified as needing a new LPSC [2.4.1]."""

    unit = unit_field(_("place"))
    unit_path = unit_path_field()
    description = models.TextField(_("why an LPSC is needed here"))
    identified_on = models.DateField(_("identified on"))
    status = models.CharField(
        _("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.IDENTIFIED
    )
    status_note = models.CharField(_("note on the status"), max_length=300, blank=True)
    forum = models.ForeignKey(
        Forum,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_sites",
        verbose_name=_("forum established"),
    )
    identified_by = user_field()

    class Meta:
        verbose_name = _("proposed LPSC site")
        verbose_name_plural = _("proposed LPSC sites")
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="established") | Q(forum__isnull=False),
                name="proposed_site_established_has_forum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.identified_on}"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    EXECUTIVE_COUNCIL = "executive_council", _("Executive council")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TimeStampedModel):
    """A forum meeting: planned, then held (attendance, minutes, decisions,
    action items) or cancelled. Public meetings appear on the citizens'
    side while planned; minutes there once published."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    is_public = models.BooleanField(_("open to the public"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    members_present = models.ManyToManyField(
        ForumMember, blank=True, related_name="meetings_attended", verbose_name=_("members present")
    )
    other_attendees = models.PositiveIntegerField(_("other people present"), default=0)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.BooleanField(_("minutes published"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    recorded_by = user_field()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_published=False) | Q(status="held"),
                name="meeting_published_minutes_held",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.starts_at:%Y-%m-%d}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> "ActionItemQuerySet":
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, on: date | None = None) -> "ActionItemQuerySet":
        """Open items whose due date has passed (due today is not overdue yet)."""
        on = on or timezone.localdate()
        return self.open().filter(due_on__lt=on)


class ActionItem(models.Model):
    """Something a meeting agreed someone would do, followed until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField(_("what is to be done"))
    owner_name = models.CharField(_("who does it"), max_length=200)
    owner_user = user_field(_("officer responsible"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True) | Q(status="done", done_at__isnull=False),
                name="action_item_done_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due_on < on

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class TrainerEngagement(TimeStampedModel):
    """A forum member acting as a community safety trainer [2.4.9]."""

    member = models.ForeignKey(
        ForumMember, on_delete=models.CASCADE, related_name="trainer_engagements", verbose_name=_("trainer")
    )
    on = models.DateField(_("date"))
    initiative = models.CharField(_("initiative and venue"), max_length=300)
    audience = models.CharField(_("audience"), max_length=300)
    recorded_by = user_field()

    class Meta:
        verbose_name = _("trainer engagement")
        verbose_name_plural = _("trainer engagements")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.on}"


class TensionLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class TensionReport(TimeStampedModel):
    """A forum's input to community tension monitoring [2.4.10]."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="tension_reports")
    reported_on = models.DateField(_("reported on"))
    level = models.CharField(_("level"), max_length=10, choices=TensionLevel.choices)
    summary = models.TextField(_("what was reported"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = user_field()

    class Meta:
        verbose_name = _("tension report")
        verbose_name_plural = _("tension reports")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.forum_id} {self.reported_on} {self.level}"


class PressRelease(TimeStampedModel):
    """A press release on forum activity [2.4.12]; once published it appears
    on the citizens' side as forum news, as written."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="press_releases")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ALBANIAN
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    author = user_field()

    class Meta:
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="press_release_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title
