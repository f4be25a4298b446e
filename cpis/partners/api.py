"""JSON API for partners: the registry of the caller's places and the
agreements held there. No response carries a contact person or a
volunteer: their phone and e-mail stay on the logged staff pages."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cpis.accounts.api_auth import STAFF
from cpis.core.api import Page, PageQuery, page_of
from cpis.organisation.access import api_actor

from . import selectors
from .models import Agreement, AgreementKind, AgreementStatus, Partner, PartnerKind, PartnerLevel

router = Router(tags=["partners"])


class PartnerFields(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    level: str
    unit_id: int
    unit_name: str
    municipality_id: int | None
    municipality_name: str | None
    description: str
    identified_on: date
    is_active: bool


class PartnerOut(PartnerFields):
    kind_label: str = Field(alias="get_kind_display")
    unit_name: str = Field(alias="unit.name")

    @staticmethod
    def resolve_municipality_name(obj: Partner) -> str | None:
        return obj.municipality.name if obj.municipality else None


class PartnerPage(Page[PartnerOut]):
    pass


class PartnerFilters(Schema):
    kind: PartnerKind | None = None
    level: PartnerLevel | None = None
    active: Literal["yes", "no"] | None = None
    q: str = Field("", max_length=100, description="Part of the name or description")


class PartnerQuery(PageQuery, PartnerFilters):
    pass


class AgreementPartnerOut(Schema):
    id: int
    name: str


class AgreementOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    status: str
    signed_on: date | None
    valid_until: date | None
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    has_document: bool
    notes: str
    partners: list[AgreementPartnerOut]

    @staticmethod
    def resolve_has_document(obj: Agreement) -> bool:
        return bool(obj.document)


class AgreementPage(Page[AgreementOut]):
    pass


class AgreementFilters(Schema):
    kind: AgreementKind | None = None
    status: AgreementStatus | None = None
    q: str = Field("", max_length=100, description="Part of the title or of a partner's name")


class AgreementQuery(PageQuery, AgreementFilters):
    pass


class PartnerAgreementOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    signed_on: date | None
    valid_until: date | None


class PartnerDetailOut(PartnerFields):
    contact_count: int = Field(description="Contact people on record (their details are not served here)")
    agreements: list[PartnerAgreementOut]


@router.get("", response=PartnerPage, auth=STAFF, url_name="partners")
def list_partners(request: HttpRequest, query: Query[PartnerQuery]) -> Any:
    """The registry of partners held at or under the caller's places, by
    name. No contact people."""
    partners = selectors.list_partners(
        api_actor(request),
        selectors.PartnerFilters(
            kind=query.kind or "", level=query.level or "", active=query.active or "", query=query.q.strip()
        ),
    )
    return page_of(partners, query)


@router.get("/agreements", response=AgreementPage, auth=STAFF, url_name="partners_agreements")
def list_agreements(request: HttpRequest, query: Query[AgreementQuery]) -> Any:
    """Agreements, memoranda and guidelines held at or under the caller's
    places, the most recently signed first, each with its partners."""
    agreements = selectors.list_agreements(
        api_actor(request),
        selectors.AgreementFilters(kind=query.kind or "", status=query.status or "", query=query.q.strip()),
    )
    return page_of(agreements, query)


@router.get("/{partner_id}", response=PartnerDetailOut, auth=STAFF, url_name="partner")
def get_partner(request: HttpRequest, partner_id: int) -> Any:
    """One partner with the agreements the caller may open and how many
    contact people are on record (never who they are)."""
    actor = api_actor(request)
    partner = selectors.get_partner(actor, partner_id)
    return {
        **PartnerOut.from_orm(partner).dict(),
        "contact_count": selectors.count_contacts(partner),
        "agreements": list(selectors.list_partner_agreements(actor, partner)),
    }
