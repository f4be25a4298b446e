from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cpis.accounts.models import user_field


class ChainCheck(models.Model):
    """One check of the access log's hash chain (`cpis verify_access_log`, the
    daily job or the data-protection officer's button): what it found, and the
    head it saw, which the next check takes as its anchor."""

    at = models.DateTimeField(_("checked at"), default=timezone.now)
    checked_by = user_field(_("checked by"))
    entries = models.PositiveBigIntegerField(_("entries"))
    head_seq = models.PositiveBigIntegerField(_("head entry"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    intact = models.BooleanField(_("intact"))
    broken_at = models.PositiveBigIntegerField(_("broken at entry"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("check of the access log")
        verbose_name_plural = _("checks of the access log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.head_seq}"


# --- data-subject requests ----------------------------------------------------


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access: a copy of the data held")
    ERASURE = "erasure", _("Erasure")
    RESTRICTION = "restriction", _("Restriction of processing")


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("request", "Open")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")


class SubjectRequestQuerySet(models.QuerySet["SubjectRequest"]):
    def open(self) -> "SubjectRequestQuerySet":
        return self.filter(status=RequestStatus.OPEN)


class SubjectRequest(models.Model):
    """A person's request about their own data (Law No. 06/L-082; LED Arts
    14–16): who asked, how to reach them, what they are known by, and by when
    the law wants the answer. Its steps are its log."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_contact = models.CharField(_("how to reach the requester"), max_length=300)
    # What the person is known by, one per line: the search's terms.
    names = models.TextField(_("names"), blank=True)
    emails = models.TextField(_("e-mail addresses"), blank=True)
    phones = models.TextField(_("phone numbers"), blank=True)
    note = models.TextField(_("what the person asks"), blank=True)
    received_on = models.DateField(_("received on"))
    due_by = models.DateField(_("answer due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    outcome = models.TextField(_("answer given"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    handled_by = user_field(_("handled by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", closed_at__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_at__isnull=False)),
                name="subject_request_closed_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_by < timezone.localdate()

    @property
    def answered_late(self) -> bool:
        return self.closed_at is not None and timezone.localdate(self.closed_at) > self.due_by


class StepKind(models.TextChoices):
    RECEIVED = "received", _("Request recorded")
    SEARCH = "search", _("Search run")
    SHOWN = "shown", _("Data of the records found shown")
    EXPORT = "export", _("Export made")
    ERASED = "erased", _("Record erased")
    ERASURE_REFUSED = "erasure_refused", _("Erasure refused by law")
    RESTRICTED = "restricted", _("Processing restricted")
    LIFTED = "lifted", _("Restriction lifted")
    CLOSED = "closed", _("Answer sent")


class SubjectRequestStep(models.Model):
    """One step of answering a request, as it happened: who, when, on which
    record, under which legal reason, and what it did. Steps are only ever
    added; a search step keeps the records it found (`hits`: {"records":
    [{"type", "id", "matched"}], "more": [record types with more than were
    kept]}), without personal data."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.PROTECT, related_name="steps", verbose_name=_("request")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = user_field(_("by"), blank=False, on_delete=models.PROTECT)
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    subject_type = models.CharField(_("record type"), max_length=100, blank=True)
    subject_id = models.CharField(_("record"), max_length=64, blank=True)
    legal_reason = models.TextField(_("legal reason"), blank=True)
    what = models.TextField(_("what was done"), blank=True)
    hits = models.JSONField(_("records found"), default=dict, blank=True)

    class Meta:
        verbose_name = _("step of a data-subject request")
        verbose_name_plural = _("steps of data-subject requests")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
