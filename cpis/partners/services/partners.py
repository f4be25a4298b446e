"""Partners and their contact people."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.contact import clean_email, clean_phone
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit

from ..models import (
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLevel,
)
from ..policy import policy
from .checks import check_level, check_past, clean_name, require_move, save_at


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


def _save_partner(partner: Partner, data: PartnerData) -> Partner:
    check_choice(data.kind, PartnerKind.values, _("Choose the kind of partner."))
    check_level(data.level, data.unit)
    partner.kind = data.kind
    partner.name = clean_name(data.name)
    partner.level = data.level
    partner.municipality = data.municipality or (
        data.unit.municipality if data.level == PartnerLevel.LOCAL else None
    )
    partner.description = clean_text(data.description, limit=4000, required=False)
    partner.identified_on = check_past(data.identified_on) or timezone.localdate()
    partner.is_active = data.is_active
    return save_at(partner, data.unit)


@transaction.atomic
def register_partner(actor: Actor, *, data: PartnerData) -> Partner:
    """Add a partner to the registry of a unit [2.1.1, 2.1.3]: central ones at
    the General Directorate, local ones at a region, station, substation or sector."""
    policy.require(actor, "manage", data.unit.path)
    return _save_partner(Partner(created_by_id=actor.user_id), data)


@transaction.atomic
def update_partner(actor: Actor, *, partner: Partner, data: PartnerData) -> Partner:
    """Edit a partner; moving it to another unit needs the right at both."""
    require_move(actor, partner.unit_path, data.unit)
    return _save_partner(Partner.objects.select_for_update().get(pk=partner.pk), data)


@dataclass(frozen=True)
class ContactData:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False


def _save_contact(contact: PartnerContact, data: ContactData) -> PartnerContact:
    contact.name = clean_name(data.name)
    contact.position = clean_text(data.position, limit=200, required=False)
    contact.phone = clean_phone(data.phone)
    contact.email = clean_email(data.email)
    contact.consent = data.consent
    contact.save()
    return contact


@transaction.atomic
def add_contact(actor: Actor, *, partner: Partner, data: ContactData) -> PartnerContact:
    """A contact person at a partner; phone and e-mail are personal data."""
    policy.require(actor, "manage", partner.unit_path)
    return _save_contact(PartnerContact(partner=partner), data)


@transaction.atomic
def update_contact(actor: Actor, *, contact: PartnerContact, data: ContactData) -> PartnerContact:
    policy.require(actor, "manage", contact.partner.unit_path)
    return _save_contact(contact, data)


@transaction.atomic
def remove_contact(actor: Actor, *, contact: PartnerContact) -> None:
    """Erase a contact person (no longer there, or consent withdrawn)."""
    policy.require(actor, "manage", contact.partner.unit_path)
    contact.delete()
