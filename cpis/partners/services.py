"""Writes for partners. Every service checks the actor's permission at the
record's unit first, validates everything before it writes, and runs in
one transaction: a refused change leaves nothing behind."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit

from .models import (
    MAX_HOURS_PER_DAY,
    SIGNED_STATUSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    InterestGroup,
    InterestGroupKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
    Recognition,
    Volunteer,
    VolunteerHours,
)
from .policy import policy
from .selectors import CENTRAL_KINDS, LOCAL_KINDS

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PHONE = re.compile(r"^\+?[0-9 ()/.-]{6,40}$")


class LevelDoesNotMatchUnit(DomainError):
    message = gettext_lazy(
        "A central partner is held by the General Directorate; a local partner by a region, "
        "station, substation or sector."
    )


class PartnerOutsideUnit(DomainError):
    message = gettext_lazy("Every partner of an agreement must be held by its unit or by a unit below it.")


class SignedAgreementNeedsDate(DomainError):
    message = gettext_lazy("A signed, expired or terminated agreement needs the date it was signed.")


class DraftHasNoSigningDate(DomainError):
    message = gettext_lazy("A draft is not signed yet: leave the signing date empty.")


class ValidBeforeSigned(DomainError):
    message = gettext_lazy("An agreement cannot stop being valid before it was signed.")


class DateInFuture(DomainError):
    message = gettext_lazy("The date cannot be in the future.")


class GroupNotOnVolunteersBranch(DomainError):
    message = gettext_lazy(
        "The interest group must be held by the volunteer's unit, a unit above it or a unit below it."
    )


class LeftBeforeJoining(DomainError):
    message = gettext_lazy("A volunteer cannot leave before joining.")


class HoursOutOfRange(DomainError):
    message = gettext_lazy("Enter more than 0 and at most 24 hours, with at most two decimals.")


class HoursOutsideService(DomainError):
    message = gettext_lazy("The date must fall between the day the volunteer joined and the day they left.")


class DayOverfull(DomainError):
    message = gettext_lazy("With these hours the volunteer would have more than 24 hours on that day.")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# --- checks ---------------------------------------------------------------------------


def _choice(value: str, choices: Sequence[str], message: str) -> str:
    if value not in choices:
        raise InvalidInput(message)
    return value


# Before the Kosovo Police existed there is nothing to record.
EARLIEST = date(1999, 6, 1)


def _past(day: date | None) -> date | None:
    if day is not None and day > timezone.localdate():
        raise DateInFuture()
    if day is not None and day < EARLIEST:
        raise InvalidInput(_("The date must be after June 1999."))
    return day


def _name(text: str) -> str:
    return clean_text(text, limit=200, required=True, missing=_("Enter a name."))


def _phone(text: str) -> str:
    text = clean_text(text, limit=40, required=False)
    if text and not PHONE.match(text):
        raise InvalidInput(_("Enter the phone number with digits only (spaces, +, - and brackets allowed)."))
    return text


def _email(text: str) -> str:
    text = clean_text(text, limit=254, required=False)
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address.")) from None
    return text


def _check_level(level: str, unit: Unit) -> None:
    _choice(level, PartnerLevel.values, _("Choose central or local level."))
    kinds = CENTRAL_KINDS if level == PartnerLevel.CENTRAL else LOCAL_KINDS
    if unit.kind not in kinds:
        raise LevelDoesNotMatchUnit()


def _require_move(actor: Actor, old_path: str, unit: Unit) -> None:
    """Moving a record to another unit needs the right at both."""
    policy.require(actor, "manage", old_path)
    if unit.path != old_path:
        policy.require(actor, "manage", unit.path)


def check_document(upload: Upload) -> tuple[str, bytes]:
    """A signed agreement is kept as a PDF of at most 10 MB whose content
    really is a PDF (the first bytes, not the name, decide)."""
    name = PurePath(upload.name.replace("\\", "/")).name[-200:] or "document.pdf"
    if PurePath(name).suffix.lower() != ".pdf":
        raise InvalidInput(_("%(name)s: the signed document must be a PDF file.") % {"name": name})
    if len(upload.data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": name})
    if not upload.data.startswith(PDF_MAGIC):
        raise InvalidInput(_("%(name)s is not a PDF file.") % {"name": name})
    return name, upload.data


# --- partners and their contacts ------------------------------------------------------


@dataclass(frozen=True)
class PartnerData:
    kind: str
    name: str
    level: str
    unit: Unit
    municipality: Municipality | None = None
    description: str = ""
    identified_on: date | None = None
    is_active: bool = True


def _apply_partner(partner: Partner, data: PartnerData) -> None:
    _choice(data.kind, PartnerKind.values, _("Choose the kind of partner."))
    _check_level(data.level, data.unit)
    partner.kind = data.kind
    partner.name = _name(data.name)
    partner.level = data.level
    partner.unit = data.unit
    partner.unit_path = data.unit.path
    partner.municipality = data.municipality or (
        data.unit.municipality if data.level == PartnerLevel.LOCAL else None
    )
    partner.description = clean_text(data.description, limit=4000, required=False)
    partner.identified_on = _past(data.identified_on) or timezone.localdate()
    partner.is_active = data.is_active


@transaction.atomic
def register_partner(actor: Actor, *, data: PartnerData) -> Partner:
    """Add a partner to the registry of a unit [2.1.1, 2.1.3]: central ones at
    the General Directorate, local ones at a region, station, substation or sector."""
    policy.require(actor, "manage", data.unit.path)
    partner = Partner(created_by_id=actor.user_id)
    _apply_partner(partner, data)
    partner.save()
    return partner


@transaction.atomic
def update_partner(actor: Actor, *, partner: Partner, data: PartnerData) -> Partner:
    """Edit a partner; moving it to another unit needs the right at both."""
    _require_move(actor, partner.unit_path, data.unit)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    _apply_partner(partner, data)
    partner.save()
    return partner


@dataclass(frozen=True)
class ContactData:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False


def _apply_contact(contact: PartnerContact, data: ContactData) -> None:
    contact.name = _name(data.name)
    contact.position = clean_text(data.position, limit=200, required=False)
    contact.phone = _phone(data.phone)
    contact.email = _email(data.email)
    contact.consent = data.consent


@transaction.atomic
def add_contact(actor: Actor, *, partner: Partner, data: ContactData) -> PartnerContact:
    """A contact person at a partner; phone and e-mail are personal data."""
    policy.require(actor, "manage", partner.unit_path)
    contact = PartnerContact(partner=partner)
    _apply_contact(contact, data)
    contact.save()
    return contact


@transaction.atomic
def update_contact(actor: Actor, *, contact: PartnerContact, data: ContactData) -> PartnerContact:
    policy.require(actor, "manage", contact.partner.unit_path)
    _apply_contact(contact, data)
    contact.save()
    return contact


@transaction.atomic
def remove_contact(actor: Actor, *, contact: PartnerContact) -> None:
    """Erase a contact person (no longer there, or consent withdrawn)."""
    policy.require(actor, "manage", contact.partner.unit_path)
    contact.delete()


# --- agreements -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    kind: str
    title: str
    unit: Unit
    partners: Sequence[Partner]
    status: str = AgreementStatus.DRAFT
    signed_on: date | None = None
    valid_until: date | None = None
    notes: str = ""


def _check_agreement(data: AgreementData) -> None:
    _choice(data.kind, AgreementKind.values, _("Choose the kind of agreement."))
    _choice(data.status, AgreementStatus.values, _("Choose a status."))
    if not data.partners:
        raise InvalidInput(_("Choose at least one partner."))
    if any(not p.unit_path.startswith(data.unit.path) for p in data.partners):
        raise PartnerOutsideUnit()
    if data.status in SIGNED_STATUSES and data.signed_on is None:
        raise SignedAgreementNeedsDate()
    if data.status == AgreementStatus.DRAFT and data.signed_on is not None:
        raise DraftHasNoSigningDate()
    _past(data.signed_on)
    if data.signed_on and data.valid_until and data.valid_until < data.signed_on:
        raise ValidBeforeSigned()


def _store_document(agreement: Agreement, name: str, data: bytes) -> None:
    old = agreement.document.name if agreement.document else ""
    agreement.document.save(name, ContentFile(data), save=False)
    agreement.document_name = name
    agreement.document_size = len(data)
    if old:
        storage = agreement.document.storage
        # The old file goes only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(old))


def _save_agreement(agreement: Agreement, data: AgreementData, document: Upload | None) -> Agreement:
    _check_agreement(data)
    checked = check_document(document) if document is not None else None
    agreement.kind = data.kind
    agreement.title = clean_text(data.title, limit=300, required=True, missing=_("Enter a title."))
    agreement.unit = data.unit
    agreement.unit_path = data.unit.path
    agreement.status = data.status
    agreement.signed_on = data.signed_on
    agreement.valid_until = data.valid_until
    agreement.notes = clean_text(data.notes, limit=4000, required=False)
    if checked is not None:
        _store_document(agreement, *checked)
    agreement.save()
    agreement.partners.set(data.partners)
    return agreement


@transaction.atomic
def record_agreement(actor: Actor, *, data: AgreementData, document: Upload | None = None) -> Agreement:
    """Record an agreement, memorandum or administrative guideline [2.1.2] of
    a unit with partners held by it or below it, with its signed PDF."""
    policy.require(actor, "manage", data.unit.path)
    return _save_agreement(Agreement(created_by_id=actor.user_id), data, document)


@transaction.atomic
def update_agreement(
    actor: Actor, *, agreement: Agreement, data: AgreementData, document: Upload | None = None
) -> Agreement:
    _require_move(actor, agreement.unit_path, data.unit)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    return _save_agreement(agreement, data, document)


@transaction.atomic
def attach_agreement_document(actor: Actor, *, agreement: Agreement, upload: Upload) -> Agreement:
    """Attach (or replace) the signed document: a PDF of at most 10 MB. A
    refused file changes nothing."""
    policy.require(actor, "manage", agreement.unit_path)
    name, data = check_document(upload)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _store_document(agreement, name, data)
    agreement.save(update_fields=["document", "document_name", "document_size", "updated_at"])
    return agreement


# --- interest groups, volunteers and hours -------------------------------------------


@dataclass(frozen=True)
class GroupData:
    kind: str
    name: str
    unit: Unit
    founded_on: date
    is_active: bool = True
    description: str = ""


def _apply_group(group: InterestGroup, data: GroupData) -> None:
    _choice(data.kind, InterestGroupKind.values, _("Choose the kind of group."))
    group.kind = data.kind
    group.name = _name(data.name)
    group.unit = data.unit
    group.unit_path = data.unit.path
    group.founded_on = _past(data.founded_on) or timezone.localdate()
    group.is_active = data.is_active
    group.description = clean_text(data.description, limit=4000, required=False)


@transaction.atomic
def register_group(actor: Actor, *, data: GroupData) -> InterestGroup:
    """An interest group engaged with the police [2.2.1]."""
    policy.require(actor, "manage", data.unit.path)
    group = InterestGroup()
    _apply_group(group, data)
    group.save()
    return group


@transaction.atomic
def update_group(actor: Actor, *, group: InterestGroup, data: GroupData) -> InterestGroup:
    _require_move(actor, group.unit_path, data.unit)
    _apply_group(group, data)
    group.save()
    return group


@dataclass(frozen=True)
class VolunteerData:
    name: str
    unit: Unit
    joined_on: date
    contact: str = ""
    group: InterestGroup | None = None
    left_on: date | None = None


def _apply_volunteer(volunteer: Volunteer, data: VolunteerData) -> None:
    if data.group is not None and not (
        data.unit.path.startswith(data.group.unit_path) or data.group.unit_path.startswith(data.unit.path)
    ):
        raise GroupNotOnVolunteersBranch()
    _past(data.joined_on)
    if data.left_on is not None and data.left_on < data.joined_on:
        raise LeftBeforeJoining()
    volunteer.name = _name(data.name)
    volunteer.contact = clean_text(data.contact, limit=200, required=False)
    volunteer.group = data.group
    volunteer.unit = data.unit
    volunteer.unit_path = data.unit.path
    volunteer.joined_on = data.joined_on
    volunteer.left_on = data.left_on


@transaction.atomic
def enrol_volunteer(actor: Actor, *, data: VolunteerData) -> Volunteer:
    """A citizen who volunteers with a unit [2.2.2]; the contact is personal data."""
    policy.require(actor, "manage", data.unit.path)
    if data.group is not None:
        policy.require(actor, "view", data.group.unit_path)
    volunteer = Volunteer()
    _apply_volunteer(volunteer, data)
    volunteer.save()
    return volunteer


@transaction.atomic
def update_volunteer(actor: Actor, *, volunteer: Volunteer, data: VolunteerData) -> Volunteer:
    _require_move(actor, volunteer.unit_path, data.unit)
    if data.group is not None and data.group.pk != volunteer.group_id:
        policy.require(actor, "view", data.group.unit_path)
    if volunteer.hours.exclude(date__gte=data.joined_on).exists() or (
        data.left_on is not None and volunteer.hours.filter(date__gt=data.left_on).exists()
    ):
        raise InvalidInput(_("Hours are recorded outside these dates; correct them first."))
    _apply_volunteer(volunteer, data)
    volunteer.save()
    return volunteer


def _hours(value: Decimal | str) -> Decimal:
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise HoursOutOfRange() from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_DAY or hours != round(hours, 2):
        raise HoursOutOfRange()
    return hours


@transaction.atomic
def record_hours(
    actor: Actor, *, volunteer: Volunteer, day: date, hours: Decimal | str, activity: str
) -> VolunteerHours:
    """Hours a volunteer gave on a day: more than 0, at most 24 on any one
    day in all, between joining and leaving, never in the future."""
    policy.require(actor, "manage", volunteer.unit_path)
    amount = _hours(hours)
    _past(day)
    if day < volunteer.joined_on or (volunteer.left_on is not None and day > volunteer.left_on):
        raise HoursOutsideService()
    activity = clean_text(activity, limit=300, required=True, missing=_("Say what the volunteer did."))
    # Lock the volunteer so that two entries for one day cannot both pass the check.
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    already = volunteer.hours.filter(date=day).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if already + amount > MAX_HOURS_PER_DAY:
        raise DayOverfull()
    return VolunteerHours.objects.create(
        volunteer=volunteer, date=day, hours=amount, activity=activity, recorded_by_id=actor.user_id
    )


@transaction.atomic
def remove_hours(actor: Actor, *, entry: VolunteerHours) -> None:
    """Correct a mistaken entry."""
    policy.require(actor, "manage", entry.volunteer.unit_path)
    entry.delete()


# --- recognitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecognitionData:
    recipient_kind: str
    recipient_name: str
    reason: str
    awarded_on: date
    unit: Unit
    partner: Partner | None = None
    is_published: bool = False


def _apply_recognition(actor: Actor, recognition: Recognition, data: RecognitionData) -> None:
    _choice(data.recipient_kind, RecipientKind.values, _("Choose who is recognised."))
    if data.partner is not None:
        policy.require(actor, "view", data.partner.unit_path)
    name = data.recipient_name or (data.partner.name if data.partner else "")
    recognition.recipient_kind = data.recipient_kind
    recognition.recipient_name = _name(name)
    recognition.partner = data.partner
    recognition.reason = clean_text(
        data.reason, limit=2000, required=True, missing=_("Say what the recognition is for.")
    )
    recognition.awarded_on = _past(data.awarded_on) or timezone.localdate()
    recognition.unit = data.unit
    recognition.unit_path = data.unit.path
    recognition.is_published = data.is_published


@transaction.atomic
def award_recognition(actor: Actor, *, data: RecognitionData) -> Recognition:
    """Thank a citizen, forum, partner or officer for a special contribution [2.2.3]."""
    policy.require(actor, "manage", data.unit.path)
    recognition = Recognition(created_by_id=actor.user_id)
    _apply_recognition(actor, recognition, data)
    recognition.save()
    return recognition


@transaction.atomic
def update_recognition(actor: Actor, *, recognition: Recognition, data: RecognitionData) -> Recognition:
    _require_move(actor, recognition.unit_path, data.unit)
    _apply_recognition(actor, recognition, data)
    recognition.save()
    return recognition
