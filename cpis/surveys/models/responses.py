"""Responses. One row per questionnaire answered, on whichever channel it came
in; the answers are a JSON object keyed by the question's code (see
`Question`). The respondent's background (community, gender, age band,
municipality) is optional and coarse so that it never identifies anyone; blank
means not said."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cpis.accounts.models import user_field
from cpis.organisation.models import Municipality, Unit

from .questionnaires import QuestionnaireVersion
from .waves import Wave


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    DOOR = "door", _("Officer at the door")
    MEETING = "meeting", _("Forum meeting")
    OUTREACH = "outreach", _("Outreach event")
    AFTER_CONCERN = "after_concern", _("After a concern")
    PAPER = "paper", _("Paper")


class ResponseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Counted")
    HELD = "held", _("Held for review")
    REJECTED = "rejected", _("Not counted")


class TextReview(models.TextChoices):
    NONE = "", _("No free text")
    PENDING = "pending", _("Free text not yet reviewed")
    CLEARED = "cleared", _("Free text cleared for release")
    WITHHELD = "withheld", _("Free text withheld")


class Community(models.TextChoices):
    ALBANIAN = "albanian", _("Albanian")
    SERB = "serb", _("Serb")
    TURKISH = "turkish", _("Turkish")
    BOSNIAK = "bosniak", _("Bosniak")
    ROMA = "roma", _("Roma")
    ASHKALI = "ashkali", _("Ashkali")
    EGYPTIAN = "egyptian", _("Egyptian")
    GORANI = "gorani", _("Gorani")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Another answer")


class AgeBand(models.TextChoices):
    A18_24 = "18-24", "18–24"
    A25_34 = "25-34", "25–34"
    A35_44 = "35-44", "35–44"
    A45_54 = "45-54", "45–54"
    A55_64 = "55-64", "55–64"
    A65 = "65+", "65+"


class ResponseQuerySet(models.QuerySet["Response"]):
    def counted(self) -> "ResponseQuerySet":
        """The responses the results are computed from."""
        return self.filter(status=ResponseStatus.ACCEPTED)


class Response(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    wave = models.ForeignKey(
        Wave,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("wave"),
    )
    sector = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The event the response was taken at, when it was taken at one.
    meeting = models.ForeignKey(
        "forums.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting"),
    )
    outreach = models.ForeignKey(
        "outreach.OutreachActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("outreach activity"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    community = models.CharField(_("community"), max_length=12, choices=Community.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    text_review = models.CharField(
        _("free text"), max_length=10, choices=TextReview.choices, default=TextReview.NONE, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.ACCEPTED
    )
    held_reason = models.CharField(_("why it was held"), max_length=200, blank=True)
    # A hash of the signed device cookie (portal) or of the invitation, never the cookie itself.
    device = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("answered at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["wave", "status"], name="survey_response_wave_status"),
            models.Index(fields=["sector", "submitted_at"], name="survey_response_sector"),
        ]
        constraints = [
            # One counted response per device and wave; a second one is held for review.
            models.UniqueConstraint(
                fields=["wave", "device"],
                condition=Q(status="accepted") & ~Q(device=""),
                name="survey_response_one_per_device",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} #{self.pk}"


class Invitation(models.Model):
    """The short satisfaction questionnaire offered to the reporter of a closed
    concern who left a way to reach them (FixMyStreet's questionnaire). The
    token in the link is stored only as its hash."""

    concern = models.OneToOneField(
        "concerns.Concern",
        on_delete=models.CASCADE,
        related_name="survey_invitation",
        verbose_name=_("concern"),
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("questionnaire"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    response = models.OneToOneField(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
        verbose_name=_("response"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.concern_id}"


class DecisionKind(models.TextChoices):
    ACCEPTED = "accepted", _("Counted")
    REJECTED = "rejected", _("Not counted")
    TEXT_CLEARED = "text_cleared", _("Free text cleared for release")
    TEXT_WITHHELD = "text_withheld", _("Free text withheld")


class Decision(models.Model):
    """A reviewer's decision on a response, with who and when: a held response
    counted or not (with the reason), its free text cleared or withheld. Kept
    for as long as the response, which is never deleted."""

    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("response")
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Counting a held response whose device already has a counted one in the wave
    # (one per device and wave) unlinks it from the device first.
    device_cleared = models.BooleanField(_("device link cleared"), default=False)
    decided_by = user_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["response", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.kind}"
