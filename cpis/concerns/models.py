"""Citizen concerns: what people report, from every channel, routed to a
sector or station and followed from receipt to closure."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.core.models import TrackedModel, valid_coordinates
from cpis.organisation.models import Officer, Translated, Unit, unit_field, unit_path_field


class Category(models.Model):
    """A kind of concern, drawn from the strategy; admin-editable and
    translated in the data. Its code is the Open311 service_code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian, Cyrillic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_sq = models.CharField(_("description (Albanian)"), max_length=300, blank=True)
    description_sr = models.CharField(_("description (Serbian, Cyrillic)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    due_days = models.PositiveSmallIntegerField(_("days to resolve"), default=14)
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Locations are never published (domestic violence, trafficking)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    name = Translated()
    description = Translated()

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    FORUM = "forum", _("Forum meeting")
    EMAIL = "email", _("E-mail")
    OPEN311 = "open311", _("Open311 application")
    API = "api", _("Partner application")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred to another institution")
    DUPLICATE = "duplicate", _("Duplicate")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.REFERRED, Status.DUPLICATE, Status.REJECTED})


class ConcernQuerySet(models.QuerySet["Concern"]):
    def open(self) -> "ConcernQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self) -> "ConcernQuerySet":
        return self.open().filter(due_at__lt=timezone.now())

    def in_queue(self) -> "ConcernQuerySet":
        """Not held for moderation."""
        return self.filter(is_held=False)

    def public(self) -> "ConcernQuerySet":
        """What the public reports map, "me too" and Open311 may describe: a
        public category, not held, not a duplicate or rejected, with a
        summary an officer approved. Checked on every read, so a concern
        moved to a sensitive category or held again drops out at once."""
        return (
            self.filter(is_held=False, category__is_sensitive=False, public_summary_approved_at__isnull=False)
            .exclude(public_summary="")
            .exclude(status__in=[Status.DUPLICATE, Status.REJECTED])
        )


class Concern(TrackedModel):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=4000)
    text_language = models.CharField(_("language of the text"), max_length=10, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Where: a point, a typed place, or both.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    sector = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    unit = unit_field(_("responsible unit"))
    unit_path = unit_path_field()
    # Workflow.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assigned_officer = models.ForeignKey(
        Officer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned officer"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.TextField(_("outcome for the citizen"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # Set when the citizen writes and nobody has answered or seen it yet: the
    # concern is flagged in the queue until the assignee replies or marks it seen.
    citizen_wrote_at = models.DateTimeField(
        _("unanswered message from the citizen since"), null=True, blank=True
    )
    is_held = models.BooleanField(_("held for moderation"), default=False)
    held_reason = models.CharField(_("why it was held"), max_length=200, blank=True)
    # Who reported it: personal data, shown only to roles that need it.
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_anonymised_at = models.DateTimeField(_("contact details removed at"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="concerns/%Y/%m/", blank=True)
    entered_by = user_field(_("entered by"), on_delete=models.PROTECT)
    # What the public may read: never the reporter's words as typed, but a
    # summary an officer wrote or approved (services/public.py); the photo only
    # when the officer published it too.
    public_summary = models.TextField(_("public summary"), max_length=500, blank=True)
    public_summary_approved_at = models.DateTimeField(_("public summary approved at"), null=True, blank=True)
    public_summary_approved_by = user_field(_("public summary approved by"))
    photo_is_public = models.BooleanField(_("photo published"), default=False)
    # Citizens who said "me too" instead of reporting it again (ConcernSupport).
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    # Raised at a community safety forum meeting [2.4.10, 3.2.1].
    forum_meeting = models.ForeignKey(
        "forums.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("forum meeting"),
    )

    open_statuses = OPEN_STATUSES
    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "unit_path"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["category", "created_at"]),
        ]
        constraints = [valid_coordinates("concern_coordinates_valid")]

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def is_public(self) -> bool:
        """Row-local twin of ConcernQuerySet.public()."""
        return bool(
            not self.is_held
            and not self.category.is_sensitive
            and self.public_summary
            and self.public_summary_approved_at is not None
            and self.status not in {Status.DUPLICATE, Status.REJECTED}
        )

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_email or self.reporter_phone)

    def default_due(self) -> timedelta:
        return timedelta(days=self.category.due_days)


class ConcernSupport(models.Model):
    """One person's "me too" on a public concern. No account and no contact
    kept: the person is a keyed hash of their browser session and, if they
    gave one, another of their e-mail address; either seen before on this
    concern means they already support it (services/public.py)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="supports")
    session_hash = models.CharField(max_length=64)
    email_hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("support of a concern")
        verbose_name_plural = _("supports of concerns")
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "session_hash"], name="concern_support_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["concern", "email_hash"],
                condition=~models.Q(email_hash=""),
                name="concern_support_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    REPLY = "reply", _("Reply to the citizen")
    NOTE = "note", _("Internal note")
    CITIZEN = "citizen", _("Message from the citizen")
    RELEASED = "released", _("Released from moderation")
    ROUTED = "routed", _("Routed")
    ANONYMISED = "anonymised", _("Contact details removed")
    PUBLISHED = "published", _("Public summary approved")
    UNPUBLISHED = "unpublished", _("Public summary withdrawn")


class ConcernEvent(models.Model):
    """One row of a concern's history: who, when, what, public or internal."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = user_field(_("by"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)

    class Meta:
        verbose_name = _("concern event")
        verbose_name_plural = _("concern events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ClosureAnswer(models.Model):
    """The reporter's answer, after their concern was closed as resolved, to "is it
    resolved?": one per closure (a concern reopened and resolved again is asked
    again). "Not resolved" within REOPEN_WITHIN reopens the concern."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="closure_answers")
    closed_at = models.DateTimeField(_("closed at"))
    resolved = models.BooleanField(_("resolved, says the reporter"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now, db_index=True)
    reopened = models.BooleanField(_("reopened by the answer"), default=False)

    class Meta:
        verbose_name = _("reporter's answer")
        verbose_name_plural = _("reporters' answers")
        constraints = [
            models.UniqueConstraint(fields=["concern", "closed_at"], name="concern_one_answer_per_closure")
        ]

    def __str__(self) -> str:
        return (
            f"{self.concern_id} {self.closed_at:%Y-%m-%d} {'resolved' if self.resolved else 'not resolved'}"
        )
