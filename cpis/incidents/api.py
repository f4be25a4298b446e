"""JSON API for incidents: the incidents of the caller's places as GeoJSON,
the taxonomy, and an import's progress. Incidents carry no personal data:
what, when, where and the record's id in its source."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import STAFF
from cpis.core.api import MAX_OFFSET, Day, days_in_order
from cpis.organisation.access import api_actor

from . import selectors
from .models import ImportRun

router = Router(tags=["incidents"])

MAX_LIMIT = 5000


class IncidentGeometry(Schema):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(..., description="[longitude, latitude]")


class IncidentProperties(Schema):
    source: str
    source_id: str
    category: str = Field(..., description="The category's code")
    category_name: str
    occurred_on: date
    occurred_time: str | None = Field(None, description="HH:MM, when known")
    place: str
    sector_id: int | None
    unit_path: str


class IncidentFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: IncidentGeometry | None
    properties: IncidentProperties


class IncidentCollection(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[IncidentFeature]
    count: int = Field(..., description="Incidents matching, over all pages")
    limit: int
    offset: int


class IncidentQuery(Schema):
    category: list[str] = Field(default_factory=list, description="Category codes (repeatable)")
    since: Day | None = Field(None, description="First day, included")
    until: Day | None = Field(None, description="Last day, included")
    path: str = Field("", max_length=255, description="Only incidents at or under this unit path")
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

    _days_in_order = model_validator(mode="after")(days_in_order)


class IncidentCategoryOut(Schema):
    code: str
    name: str
    name_sq: str
    name_sr: str
    name_en: str
    is_property: bool
    aliases: list[str]


class IncidentImportOut(Schema):
    id: int
    status: str
    source: str
    file_name: str
    format: str
    progress: float
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    unplaced: int
    error: str
    has_rejects: bool

    @staticmethod
    def resolve_has_rejects(obj: ImportRun) -> bool:
        return bool(obj.rejects_file)


@router.get("", response=IncidentCollection, auth=STAFF, url_name="incidents")
def list_incidents(request: HttpRequest, query: Query[IncidentQuery]) -> Any:
    """The incidents of the caller's places as a GeoJSON FeatureCollection,
    latest first, a page at a time. A path outside the caller's places
    answers 404."""
    actor = api_actor(request)
    path = selectors.get_visible_path(actor, query.path) if query.path else ""
    incidents = selectors.list_incidents(
        actor,
        selectors.Filters(start=query.since, end=query.until),
    )
    if path:
        incidents = incidents.filter(unit_path__startswith=path)
    if query.category:
        incidents = incidents.filter(category__code__in=query.category)
    rows = incidents.values_list(
        "pk",
        "source",
        "source_id",
        "category__code",
        "occurred_on",
        "occurred_time",
        "lat",
        "lon",
        "place",
        "sector_id",
        "unit_path",
    )[query.offset : query.offset + query.limit]
    names = {c.code: c.name for c in selectors.list_categories()}
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": None if lat is None else {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "source": source,
                "source_id": source_id,
                "category": code,
                "category_name": names.get(code, code),
                "occurred_on": day,
                "occurred_time": moment.strftime("%H:%M") if moment else None,
                "place": place,
                "sector_id": sector,
                "unit_path": unit_path,
            },
        }
        for pk, source, source_id, code, day, moment, lat, lon, place, sector, unit_path in rows
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "count": incidents.count(),
        "limit": query.limit,
        "offset": query.offset,
    }


@router.get("/categories", response=list[IncidentCategoryOut], auth=STAFF, url_name="incident_categories")
def list_categories(request: HttpRequest) -> Any:
    """The national taxonomy: code, names and the labels each answers to."""
    return selectors.list_categories()


@router.get("/imports/{run_id}", response=IncidentImportOut, auth=STAFF, url_name="incident_import")
def get_import(request: HttpRequest, run_id: int) -> Any:
    """An import's status, progress and counts (for those who may import)."""
    return selectors.get_run(api_actor(request), run_id)
