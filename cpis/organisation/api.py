"""JSON API for units, sectors (GeoJSON), officers and the point → sector
lookup. Public callers get public fields only."""

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cpis.accounts.api_auth import PUBLIC
from cpis.core.api import Id, LimitOffset, PageQuery
from cpis.organisation.access import api_actor

from . import selectors
from .access import Actor
from .models import Assignment, Officer, Unit

router = Router(tags=["organisation"])


class UnitOut(Schema):
    id: int
    code: str
    path: str
    kind: str
    name: str
    parent_id: int | None
    population: int | None
    phone: str
    email: str


class OfficerPublicOut(Schema):
    id: int
    name: str
    rank: str
    rank_label: str
    work_phone: str
    work_email: str
    languages: list[str]


def _public_fields(officer: Officer) -> dict[str, Any]:
    return {
        "id": officer.pk,
        "name": officer.full_name,
        "rank": officer.rank,
        "rank_label": str(officer.get_rank_display()),
        "work_phone": officer.work_phone,
        "work_email": officer.work_email,
        "languages": officer.languages,
    }


class TeamMemberOut(Schema):
    role: str
    role_label: str = Field(alias="get_role_display")
    since: date = Field(alias="start_date")
    officer: OfficerPublicOut

    @staticmethod
    def resolve_officer(obj: Assignment) -> dict[str, Any]:
        return _public_fields(obj.officer)


class SectorTeamOut(Schema):
    sector: UnitOut
    station: UnitOut | None
    team: list[TeamMemberOut]


class OfficerPersonalOut(Schema):
    badge_number: str
    date_of_birth: date | None
    personal_phone: str
    home_address: str


class OfficerOut(OfficerPublicOut):
    unit_id: int
    badge_number: str | None = None
    personal: OfficerPersonalOut | None = None


class Feature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]


class PlaceOut(Schema):
    name: str
    municipality: str
    lat: float
    lon: float
    sector_id: int | None
    sector_name: str | None


class LocateQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, description="Latitude, WGS84 degrees")
    lon: float = Field(..., ge=-180, le=180, description="Longitude, WGS84 degrees")


class PlaceQuery(Schema):
    q: str = Field(..., min_length=2, max_length=100, description="Place name, any language or script")


def _feature(sector: Unit) -> Feature:
    return Feature(
        id=sector.pk,
        geometry=sector.boundary,
        properties={
            "code": sector.code,
            "path": sector.path,
            "name": sector.name,
            "name_sq": sector.name_sq,
            "name_sr": sector.name_sr,
            "name_en": sector.name_en,
            "parent_id": sector.parent_id,
            "population": sector.population,
        },
    )


def _team(sector: Unit) -> dict[str, Any]:
    """The sector, its station and team as ORM objects for SectorTeamOut."""
    return {
        "sector": sector,
        "station": selectors.station_of(sector),
        "team": selectors.get_sector_team(sector, public=True),
    }


@router.get("/units", response=list[UnitOut], auth=PUBLIC, url_name="units")
@paginate(LimitOffset)
def list_units(request: HttpRequest, kind: str | None = None, parent_id: Id | None = None) -> Any:
    """Units of the police organisation (directorate, regions, stations,
    substations, sectors). Public."""
    units = Unit.objects.order_by("path")
    if kind:
        units = units.filter(kind=kind)
    if parent_id:
        units = units.filter(parent_id=parent_id)
    return units


@router.get("/units/{unit_id}", response=UnitOut, auth=PUBLIC, url_name="unit")
def get_unit(request: HttpRequest, unit_id: int) -> Any:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


@router.get("/sectors", response=FeatureCollection, auth=PUBLIC, url_name="sectors")
def list_sectors(request: HttpRequest, within_id: int | None = None) -> Any:
    """Every sector as a GeoJSON FeatureCollection (WGS84 lon/lat)."""
    within = Unit.objects.filter(pk=within_id).first() if within_id else None
    if within_id and within is None:
        raise Http404(_("Not found."))
    return FeatureCollection(features=[_feature(s) for s in selectors.list_public_sectors(within=within)])


@router.get("/sectors/locate", response=SectorTeamOut, auth=PUBLIC, url_name="sectors_locate")
def locate_sector(request: HttpRequest, query: Query[LocateQuery]) -> Any:
    """The sector that covers a point, with its station and team."""
    sector = selectors.locate_sector(lat=query.lat, lon=query.lon)
    if sector is None:
        raise Http404(_("No sector covers this point."))
    return _team(sector)


@router.get("/sectors/{sector_id}", response=Feature, auth=PUBLIC, url_name="sector")
def get_sector(request: HttpRequest, sector_id: int) -> Any:
    """One sector as a GeoJSON Feature; its team is in `properties.team`."""
    sector = selectors.get_public_sector(sector_id)
    feature = _feature(sector)
    feature.properties["team"] = [
        TeamMemberOut.from_orm(member).dict() for member in selectors.get_sector_team(sector, public=True)
    ]
    return feature


@router.get("/places", response=list[PlaceOut], auth=PUBLIC, url_name="places")
def search_places(request: HttpRequest, query: Query[PlaceQuery]) -> Any:
    """Villages, towns and municipalities matching `q` in any language or
    script, each with the sector covering it."""
    return [
        PlaceOut(
            name=p.name,
            municipality=p.municipality,
            lat=p.lat,
            lon=p.lon,
            sector_id=p.sector.pk if p.sector else None,
            sector_name=p.sector.name if p.sector else None,
        )
        for p in selectors.search_places(query.q)
    ]


class OfficerPage(Schema):
    items: list[OfficerOut]
    count: int


class OfficerFilters(Schema):
    unit_id: int | None = None
    q: str = Field("", max_length=100)


class OfficerListQuery(PageQuery, OfficerFilters):
    limit: int = Field(100, ge=1, le=500)


@router.get("/officers", response=OfficerPage, auth=PUBLIC, url_name="officers")
def list_officers(request: HttpRequest, query: Query[OfficerListQuery]) -> Any:
    """Officers, a page at a time. The public sees community officers
    currently serving in a sector, with public fields; staff see the
    officers of their places with badge numbers. A unit outside the caller's
    view answers 404."""
    actor = api_actor(request)
    if actor.is_staff:
        unit = selectors.get_unit(actor, query.unit_id) if query.unit_id else None
        officers = selectors.list_officers(actor, unit=unit, query=query.q).order_by("last_name", "id")
    else:
        unit = selectors.get_public_unit(query.unit_id) if query.unit_id else None
        officers = selectors.list_public_officers(unit=unit)
    page = officers[query.offset : query.offset + query.limit]
    return {
        "items": [_officer_out(actor, o, request, staff=actor.is_staff) for o in page],
        "count": officers.count(),
    }


@router.get("/officers/{officer_id}", response=OfficerOut, auth=PUBLIC, url_name="officer")
def get_officer(request: HttpRequest, officer_id: int) -> Any:
    """One officer. Personal fields appear only for roles that need them,
    and each such response is written to the access log."""
    actor = api_actor(request)
    if actor.is_staff:
        officer = selectors.get_officer(actor, officer_id)
        return _officer_out(actor, officer, request, staff=True, personal=True)
    return _officer_out(actor, selectors.get_public_officer(officer_id), request)


def _officer_out(
    actor: Actor, officer: Officer, request: HttpRequest, *, staff: bool = False, personal: bool = False
) -> dict[str, Any]:
    """Public fields for everyone; the badge number for staff; personal data
    (logged) for roles that need it."""
    out: dict[str, Any] = {
        **_public_fields(officer),
        "unit_id": officer.unit_id,
        "badge_number": officer.badge_number if staff else None,
        "personal": None,
    }
    if personal and selectors.can_view_personal_data(actor, officer):
        out["personal"] = selectors.get_officer_personal_data(actor, officer, request=request)
    return out
