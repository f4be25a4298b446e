"""JSON API of the people app: an officer's community-policing record for a period
(for the officer, their chain of command and personnel; every read logged), and the
officers' representation at a place beside the population's (counted, small counts
suppressed; never an officer's own community or gender)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cpis.accounts.api_auth import STAFF
from cpis.core.api import Day
from cpis.organisation.access import api_actor

from . import record, selectors

router = Router(tags=["people"])


class RecordItemOut(Schema):
    key: str
    label: str
    value: float | int | None
    display: str
    detail: str
    url: str


class OfficerRecordOut(Schema):
    officer: int
    officer_name: str
    start: date
    end: date
    items: list[RecordItemOut]


class RecordQuery(Schema):
    start: Day | None = Field(None, description="First day, included (default: 1 January of this year)")
    end: Day | None = Field(None, description="Last day, included (default: today)")


@router.get("/officers/{officer_id}/record", response=OfficerRecordOut, auth=STAFF)
def officer_record(request: HttpRequest, officer_id: int, query: Query[RecordQuery]) -> dict[str, object]:
    """An officer's record for the period; 404 outside the officer's chain of command."""
    today = timezone.localdate()
    found = record.officer_record(
        api_actor(request),
        officer_id,
        start=query.start or date(today.year, 1, 1),
        end=query.end or today,
        request=request,
    )
    return {
        "officer": found.officer.pk,
        "officer_name": found.officer.full_name,
        "start": found.start,
        "end": found.end,
        "items": [item.__dict__ for item in found.items],
    }


class CellOut(Schema):
    category: str
    label: str
    officers: int | None = Field(description="Officers in the category; null when suppressed (fewer than 3)")
    officer_share: float | None
    population_share: float | None


class ComparisonOut(Schema):
    unit_id: int
    unit_name: str
    on: date
    officers: int
    recorded: int
    suppressed: bool
    community: list[CellOut]
    gender: list[CellOut]
    population_known: bool
    sources: list[str]


class ComparisonQuery(Schema):
    on: Day | None = Field(None, description="The day the officers are counted on (default: today)")


@router.get("/representation/{unit_id}", response=ComparisonOut, auth=STAFF)
def representation(request: HttpRequest, unit_id: int, query: Query[ComparisonQuery]) -> dict[str, object]:
    """The community-police officers at a place by community and by gender, beside the
    population's composition; counts below 3 are null."""
    actor = api_actor(request)
    unit = selectors.get_place(actor, unit_id)
    found = selectors.compare_representation(actor, unit, on=query.on or timezone.localdate())
    return {
        "unit_id": unit.pk,
        "unit_name": unit.name,
        "on": found.on,
        "officers": found.officers,
        "recorded": found.recorded,
        "suppressed": found.suppressed,
        "community": [cell.__dict__ for cell in found.community],
        "gender": [cell.__dict__ for cell in found.gender],
        "population_known": found.population_known,
        "sources": found.sources,
    }
