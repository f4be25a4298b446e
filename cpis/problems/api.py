"""JSON API for problem solving: the problems of the caller's places, one
problem with its team (officers, partners and forums by name; citizens never),
opening one through the same service as the web form, its response actions,
and its assessment from the records — the counts in the target, buffer and
control areas before and after, the rate ratio with its interval and the WDQ.
The register of vulnerable persons is not in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.api import Day, Page, PageQuery, days_in_order, page_of
from cpis.organisation.access import api_actor

from .models import Outcome, Problem, Stage
from .selectors import problems as selectors
from .services import problems as services

router = Router(tags=["problems"])


class CategoryOut(Schema):
    code: str
    name: str


class TeamMemberOut(Schema):
    kind: str
    name: str
    role: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        # A citizen on the team is named on the problem's page only, never in the API.
        return "" if obj.kind == "citizen" else obj.name


class ProblemOut(Schema):
    id: int
    title: str
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    outcome: str
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    owner_id: int | None
    owner_name: str | None
    opened_at: datetime = Field(alias="created_at")
    closed_at: datetime | None

    @staticmethod
    def resolve_owner_name(obj: Problem) -> str | None:
        return obj.owner.full_name if obj.owner else None


class ProblemDetailOut(ProblemOut):
    description: str
    area: dict[str, Any]
    outcome_reason: str
    incident_categories: list[CategoryOut]
    concern_categories: list[CategoryOut]
    team: list[TeamMemberOut]

    @staticmethod
    def resolve_incident_categories(obj: Problem) -> list[dict[str, str]]:
        return [{"code": c.code, "name": c.name} for c in obj.incident_categories.all()]

    @staticmethod
    def resolve_concern_categories(obj: Problem) -> list[dict[str, str]]:
        return [{"code": c.code, "name": c.name} for c in obj.concern_categories.all()]

    @staticmethod
    def resolve_team(obj: Problem) -> list[Any]:
        return list(obj.team.select_related("officer", "partner", "forum"))


class ProblemPage(Page[ProblemOut]):
    pass


class ProblemFilters(Schema):
    stage: Stage | None = None
    outcome: Outcome | None = None
    unit_id: int | None = Field(None, description="Only problems at or under this unit")
    mine: bool = Field(False, description="Only problems the caller owns or is on the team of")
    since: Day | None = Field(None, alias="from", description="Opened on or after this day")
    until: Day | None = Field(None, alias="to", description="Opened on or before this day")


class ProblemQuery(PageQuery, ProblemFilters):
    _days_in_order = model_validator(mode="after")(days_in_order)


class ProblemIn(Schema):
    unit_id: int = Field(..., description="The sector, station or region of the problem")
    title: str = Field(..., max_length=200)
    description: str = ""
    incident_categories: list[str] = Field(default_factory=list, max_length=30, description="Category codes")
    concern_categories: list[str] = Field(default_factory=list, max_length=30, description="Category codes")
    area: dict[str, Any] | None = Field(
        None, description="The target area: a GeoJSON Polygon or MultiPolygon"
    )


@router.get("", response=ProblemPage, auth=STAFF, url_name="problems")
def list_problems(request: HttpRequest, query: Query[ProblemQuery]) -> Any:
    """The problems of the caller's places, newest first. A unit outside the
    caller's places answers 404."""
    actor = api_actor(request)
    filters = selectors.Filters(
        stage=query.stage or "",
        outcome=query.outcome or "",
        unit=selectors.get_place(actor, query.unit_id) if query.unit_id else None,
        mine=query.mine,
        opened_from=query.since,
        opened_until=query.until,
    )
    return page_of(selectors.list_problems(actor, filters), query)


@router.get("/{problem_id}", response=ProblemDetailOut, auth=STAFF, url_name="problem")
def get_problem(request: HttpRequest, problem_id: int) -> Any:
    """One problem of the caller's places (404 otherwise)."""
    return selectors.get_problem(api_actor(request), problem_id)


@router.post("", response={200: ProblemDetailOut, 201: ProblemDetailOut}, auth=STAFF, url_name="problem_open")
def open_problem(request: HttpRequest, payload: ProblemIn) -> Any:
    """Open a problem at a place where the caller may (the same checks as the
    web form); the caller's officer profile owns it. Bad input answers 400 with
    a translated message and stores nothing. An optional `Idempotency-Key`
    header makes a retry safe, as for the other create endpoints."""
    actor = api_actor(request)
    unit = selectors.get_place(actor, payload.unit_id)
    incident, concern = selectors.categories_by_code(payload.incident_categories, payload.concern_categories)
    problem, replayed = idempotency.submit_if_keyed(
        idempotency.header_key(request),
        payload.dict(),
        scope=f"problems:{actor.user_id}",
        load=lambda pk: selectors.get_problem(actor, pk),
        create=lambda: services.open_problem(
            actor,
            unit=unit,
            title=payload.title,
            description=payload.description,
            incident_categories=incident,
            concern_categories=concern,
            area=payload.area,
        ),
    )
    return (200 if replayed else 201), selectors.get_problem(actor, problem.pk)
