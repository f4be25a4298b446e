"""The partner registry of a place, one partner, and its contact people (the
contacts read only through the logged readers)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cpis.accounts.audit import log_personal_data_access, log_personal_data_reads
from cpis.core.filters import Filters, flag, search
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import Agreement, Partner, PartnerContact
from ..policy import policy
from .common import get_one, visible


@dataclass(frozen=True)
class PartnerFilters(Filters):
    kind: str = ""
    level: str = ""
    active: str = flag(Q(is_active=True))  # "", "yes", "no"
    query: str = search("name", "description")


def list_partners(actor: Actor, filters: PartnerFilters | None = None) -> QuerySet[Partner]:
    """The registry of the actor's places, by name."""
    partners = (filters or PartnerFilters()).apply(visible(actor, Partner))
    return partners.select_related("unit", "municipality").order_by("name", "id")


def get_partner(actor: Actor, partner_id: int) -> Partner:
    return get_one(visible(actor, Partner).select_related("unit", "municipality"), partner_id)


def list_partner_choices(actor: Actor) -> QuerySet[Partner]:
    """Partners the actor may name in an agreement or a recognition."""
    return (
        Partner.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .select_related("unit")
        .order_by("name", "id")
    )


def list_partners_for_place(actor: Actor, place: Unit) -> QuerySet[Partner]:
    """Active partners the actor may see that serve `place`: held there, under
    it, or above it (its station, region, the directorate) — to join work done
    at that place (a problem's team, an action)."""
    return (
        visible(actor, Partner)
        .filter(is_active=True)
        .filter(Q(unit_path__in=place.ancestor_paths()) | Q(unit_path__startswith=place.path))
        .select_related("unit")
        .order_by("name", "id")
    )


def can_view_contacts(actor: Actor, path: str) -> bool:
    return policy.can(actor, "view_contact", path)


def count_contacts(partner: Partner) -> int:
    return partner.contacts.count()


def list_contacts(actor: Actor, partner: Partner, *, request: HttpRequest | None) -> list[PartnerContact]:
    """A partner's contact people with their phone and e-mail, for roles that
    need them; each contact shown is written to the access log (a contact
    whose processing is restricted is left out)."""
    policy.require(actor, "view_contact", partner.unit_path)
    contacts = list(partner.contacts.order_by("name", "id"))
    shown = log_personal_data_reads(
        user_id=actor.user_id,
        subject_type="partners.partnercontact",
        subject_ids=[contact.pk for contact in contacts],
        request=request,
    )
    return [contact for contact in contacts if str(contact.pk) in shown]


def get_contact(actor: Actor, contact_id: int, *, request: HttpRequest | None) -> PartnerContact:
    """One contact with its personal data (to edit it); the view is logged."""
    contact = get_contact_record(actor, contact_id)
    policy.require(actor, "view_contact", contact.partner.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="partners.partnercontact", subject_id=contact.pk, request=request
    )
    return contact


def get_contact_record(actor: Actor, contact_id: int) -> PartnerContact:
    """A contact without showing its personal data (to remove it): not logged."""
    contacts = PartnerContact.objects.filter(policy.scope(actor, "view", "partner__unit_path"))
    return get_one(contacts.select_related("partner"), contact_id)


def list_partner_agreements(actor: Actor, partner: Partner) -> QuerySet[Agreement]:
    """The partner's agreements that the actor may open."""
    agreements = partner.agreements.filter(policy.scope(actor, "view", "unit_path"))
    return agreements.select_related("unit").order_by("-signed_on", "-id")
