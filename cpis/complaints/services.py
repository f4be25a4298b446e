"""Writes for complaints against police. Submitting is open to anyone;
everything after is for professional standards, in one transaction each,
with the complainant told the outcome in their language through the
outbox."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import idempotency
from cpis.core.citizens import Receipt, Tracked
from cpis.core.contact import clean_email, clean_phone
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.i18n import check_language
from cpis.core.text import clean_text
from cpis.core.tracking import new_reference
from cpis.notifications import selectors as notifications
from cpis.notifications.models import Kind as NotificationKind
from cpis.notifications.services import notify
from cpis.organisation import selectors as organisation
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from . import selectors
from .models import OPEN, Complaint, ComplaintEvent, ComplaintStatus, Outcome
from .policy import policy

TRACKING_NAMESPACE = "complaint"
_TRACKED = Tracked(TRACKING_NAMESPACE, person="complainant")


class ComplaintClosed(DomainError):
    message = gettext_lazy("This complaint has been decided already.")


class OutcomeRequired(DomainError):
    message = gettext_lazy("Choose the outcome and write the decision the complainant will read.")


class ComplaintSubmission(Receipt[Complaint]):
    @property
    def complaint(self) -> Complaint:
        return self.record


def tracking_code(complaint: Complaint) -> str:
    return _TRACKED.code(complaint)


def submit_complaint(
    *,
    description: str,
    language: str,
    idempotency_key: str,
    incident_date: date | None = None,
    incident_place: str = "",
    officer_description: str = "",
    unit: Unit | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    without_proof: bool = False,
) -> ComplaintSubmission:
    """Record a complaint about police conduct. Anyone may complain, named or
    not; the same key and body always give the same tracking code back. One
    sent without the page's proof of work is recorded all the same, marked
    `without_proof` for professional standards."""
    description = clean_text(description, limit=4000, required=True, missing=_("Describe what happened."))
    incident_place = clean_text(incident_place, limit=200, required=False)
    officer_description = clean_text(officer_description, limit=300, required=False)
    name = clean_text(name, limit=200, required=False)
    check_language(language)
    if incident_date and incident_date > timezone.localdate():
        raise InvalidInput(_("The date of the incident cannot be in the future."))
    email = clean_email(email)
    phone = clean_phone(phone)
    key = idempotency.require_key(idempotency_key)
    fields = {
        "description": description,
        "date": incident_date,
        "place": incident_place,
        "officer": officer_description,
        "unit": unit.pk if unit else None,
        "name": name,
        "email": email,
        "phone": phone,
        "language": language,
    }
    complaint, replayed = idempotency.submit_once(
        key,
        fields,
        load=lambda pk: Complaint.objects.get(pk=pk),
        create=lambda: _create(
            description=description,
            incident_date=incident_date,
            incident_place=incident_place,
            officer_description=officer_description,
            unit=unit,
            name=name,
            email=email,
            phone=phone,
            language=language,
            without_proof=without_proof,
        ),
    )
    return ComplaintSubmission(complaint, tracking_code(complaint), replayed=replayed)


def _create(
    *,
    unit: Unit | None,
    language: str,
    email: str,
    incident_date: date | None,
    without_proof: bool,
    **fields: str,
) -> Complaint:
    now = timezone.now()
    reference = new_reference()
    while Complaint.objects.filter(reference=reference).exists():
        reference = new_reference()
    complaint = Complaint.objects.create(
        reference=reference,
        unit=unit,
        scope_path=unit.path if unit else organisation.get_root_unit().path,
        language=language,
        complainant_email=email,
        complainant_name=fields["name"],
        complainant_phone=fields["phone"],
        is_anonymous=not (fields["name"] or email or fields["phone"]),
        description=str(fields["description"]),
        incident_date=incident_date,
        incident_place=str(fields["incident_place"]),
        officer_description=str(fields["officer_description"]),
        acknowledge_by=now + timedelta(days=settings.COMPLAINT_ACKNOWLEDGE_DAYS),
        decide_by=now + timedelta(days=settings.COMPLAINT_DECISION_DAYS),
        without_proof=without_proof,
    )
    ComplaintEvent.objects.create(complaint=complaint, to_status=ComplaintStatus.RECEIVED)
    _mail(complaint, "received")
    _tell_standards(complaint)
    return complaint


def _tell_standards(complaint: Complaint) -> None:
    """Professional standards over the complaint's place are told it arrived,
    but not one who may not see it (a conflict: see policy)."""
    recipients = [
        user
        for user in notifications.receivers(NotificationKind.COMPLAINT_ARRIVED, complaint.scope_path)
        if selectors.visible_complaints(Actor.for_user(user)).filter(pk=complaint.pk).exists()
    ]
    notify(
        kind=NotificationKind.COMPLAINT_ARRIVED,
        recipients=recipients,
        key=f"complaint:{complaint.pk}:received",
        title=lambda: _("Complaint %(reference)s arrived: acknowledge it by %(date)s")
        % {
            "reference": complaint.reference,
            "date": date_format(timezone.localtime(complaint.acknowledge_by), "SHORT_DATE_FORMAT"),
        },
        link=reverse("complaints:detail", args=[complaint.pk]),
        unit=complaint.unit,
    )


def _mail(complaint: Complaint, kind: str) -> None:
    _TRACKED.mail(
        complaint, kind, lambda: {"outcome": complaint.get_outcome_display() if complaint.outcome else ""}
    )


def _locked(actor: Actor, action: str, complaint: Complaint, *, open_only: bool = False) -> Complaint:
    """The complaint as it is now, locked for the transaction, once the actor
    may do `action` on it (and, with `open_only`, while it is undecided)."""
    policy.require(actor, action, complaint.scope_path)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if open_only and complaint.status not in OPEN:
        raise ComplaintClosed()
    return complaint


def _record(actor: Actor, complaint: Complaint, status: str, text: str, *, mail: str = "") -> Complaint:
    """Save the step with its history row, and tell the complainant with the
    `mail` template if one is named."""
    complaint.save()
    ComplaintEvent.objects.create(complaint=complaint, actor_id=actor.user_id, to_status=status, text=text)
    if mail:
        _mail(complaint, mail)
    return complaint


@transaction.atomic
def acknowledge_complaint(actor: Actor, *, complaint: Complaint, note: str = "") -> Complaint:
    """Confirm receipt to the complainant (first statutory clock)."""
    complaint = _locked(actor, "investigate", complaint)
    if complaint.status != ComplaintStatus.RECEIVED:
        return complaint
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at = timezone.now()
    return _record(actor, complaint, ComplaintStatus.ACKNOWLEDGED, note, mail="acknowledged")


@transaction.atomic
def identify_officer(actor: Actor, *, complaint: Complaint, officer: Officer) -> Complaint:
    """Record which officer the complaint is about: from now on that officer
    and their chain of command cannot see it."""
    complaint = _locked(actor, "investigate", complaint)
    complaint.accused_officer = officer
    complaint.accused_unit_path = officer.unit.path
    if complaint.status in {ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED}:
        complaint.status = ComplaintStatus.INVESTIGATING
        if complaint.acknowledged_at is None:
            complaint.acknowledged_at = timezone.now()
    return _record(actor, complaint, complaint.status, _("Officer identified."))


@transaction.atomic
def decide_complaint(actor: Actor, *, complaint: Complaint, outcome: str, text: str) -> Complaint:
    """Record the decision and tell the complainant, in their language."""
    complaint = _locked(actor, "decide", complaint, open_only=True)
    text = clean_text(text, limit=4000, required=False)
    if outcome not in Outcome.values or not text:
        raise OutcomeRequired()
    complaint.status = ComplaintStatus.DECIDED
    complaint.outcome = outcome
    complaint.outcome_text = text
    complaint.decided_at = timezone.now()
    complaint.acknowledged_at = complaint.acknowledged_at or complaint.decided_at
    return _record(actor, complaint, ComplaintStatus.DECIDED, text, mail="decided")


@transaction.atomic
def refer_complaint(actor: Actor, *, complaint: Complaint, text: str) -> Complaint:
    """Hand the complaint to the Police Inspectorate; the complainant is told."""
    complaint = _locked(actor, "decide", complaint, open_only=True)
    text = clean_text(text, limit=4000, required=True, missing=_("Write what the complainant will read."))
    complaint.status = ComplaintStatus.REFERRED
    complaint.outcome_text = text
    complaint.decided_at = timezone.now()
    return _record(actor, complaint, ComplaintStatus.REFERRED, text, mail="decided")
