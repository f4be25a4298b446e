"""What partners hold about a person (core.subjects): a partner's contact
person (name, position, phone, e-mail), deleted on erasure, since the
partner is reached through another contact; and a volunteer (name, phone or
e-mail), anonymised, because the hours they gave are counted in the
strategy's indicators and name no one once the volunteer is anonymous."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.subjects import Hit, Kind, NoLongerHeld, Terms, erased_name, fields, matching, whole_id

from .models import PartnerContact, Volunteer

CONTACT_SUBJECT = "partners.partnercontact"
VOLUNTEER_SUBJECT = "partners.volunteer"


def _numbers(ids: Sequence[str]) -> list[int]:
    return [int(i) for i in ids if i.isascii() and i.isdecimal()]


# --- contacts -----------------------------------------------------------------


def _contact_hit(contact: PartnerContact, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Contact person at %(partner)s") % {"partner": contact.partner.name}
    return Hit(str(contact.pk), summary, contact.partner.unit.name, matched)


def _contacts(ids: Sequence[object]) -> list[PartnerContact]:
    contacts = PartnerContact.objects.filter(pk__in=list(ids)).select_related("partner", "partner__unit")
    return list(contacts.order_by("partner__name", "pk"))


def find_contacts(terms: Terms) -> list[Hit]:
    found = matching(PartnerContact.objects.all(), terms, name="name", email="email", phone="phone")
    return [_contact_hit(contact, found[contact.pk]) for contact in _contacts(list(found))]


def describe_contacts(ids: Sequence[str]) -> dict[str, Hit]:
    return {hit.id: hit for hit in map(_contact_hit, _contacts(_numbers(ids)))}


def export_contact(subject_id: str) -> dict[str, Any]:
    contact = PartnerContact.objects.select_related("partner").filter(pk=whole_id(subject_id)).first()
    if contact is None:
        raise NoLongerHeld
    return {
        _("Contact person"): fields(
            contact, ["name", "position", "phone", "email", "consent", "partner", "created_at"]
        )
    }


@transaction.atomic
def erase_contact(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Delete the contact person; the partner stays."""
    deleted, _rows = PartnerContact.objects.filter(pk=whole_id(subject_id)).delete()
    if not deleted:
        raise NoLongerHeld
    return _("The contact person was deleted; the partner stays.")


# --- volunteers ---------------------------------------------------------------


def _volunteer_hit(volunteer: Volunteer, matched: tuple[str, ...] = ()) -> Hit:
    summary = _("Volunteer since %(date)s") % {"date": date_format(volunteer.joined_on, "SHORT_DATE_FORMAT")}
    if volunteer.group:
        summary = _("Volunteer since %(date)s · %(group)s") % {
            "date": date_format(volunteer.joined_on, "SHORT_DATE_FORMAT"),
            "group": volunteer.group.name,
        }
    return Hit(str(volunteer.pk), summary, volunteer.unit.name, matched)


def _volunteers(ids: Sequence[object]) -> list[Volunteer]:
    volunteers = Volunteer.objects.filter(pk__in=list(ids)).select_related("unit", "group")
    return list(volunteers.order_by("-joined_on", "-pk"))


def find_volunteers(terms: Terms) -> list[Hit]:
    found = matching(Volunteer.objects.all(), terms, name="name", contact="contact")
    return [_volunteer_hit(volunteer, found[volunteer.pk]) for volunteer in _volunteers(list(found))]


def describe_volunteers(ids: Sequence[str]) -> dict[str, Hit]:
    return {hit.id: hit for hit in map(_volunteer_hit, _volunteers(_numbers(ids)))}


def export_volunteer(subject_id: str) -> dict[str, Any]:
    volunteer = Volunteer.objects.select_related("unit", "group").filter(pk=whole_id(subject_id)).first()
    if volunteer is None:
        raise NoLongerHeld
    return {
        _("Volunteer"): fields(volunteer, ["name", "contact", "group", "unit", "joined_on", "left_on"]),
        _("Hours given"): [
            fields(entry, ["date", "hours", "activity"]) for entry in volunteer.hours.order_by("date", "id")
        ],
    }


@transaction.atomic
def erase_volunteer(subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
    """Anonymise a volunteer: the name becomes the request's reference and the
    contact is removed; the hours stay, for the indicators."""
    updated = Volunteer.objects.filter(pk=whole_id(subject_id)).update(
        name=erased_name(request_reference), contact="", updated_at=timezone.now()
    )
    if not updated:
        raise NoLongerHeld
    return _("The volunteer's name and contact were removed; the hours they gave stay, for the indicators.")


KINDS = [
    Kind(
        subject_type=CONTACT_SUBJECT,
        label=gettext_lazy("Partner's contact person"),
        erasure=gettext_lazy("Deletes the contact person; the partner stays."),
        find=find_contacts,
        describe=describe_contacts,
        export=export_contact,
        erase=erase_contact,
    ),
    Kind(
        subject_type=VOLUNTEER_SUBJECT,
        label=gettext_lazy("Volunteer"),
        erasure=gettext_lazy(
            "Replaces the volunteer's name by the request's reference and removes the contact; "
            "the hours stay for the indicators."
        ),
        find=find_volunteers,
        describe=describe_volunteers,
        export=export_volunteer,
        erase=erase_volunteer,
    ),
]
