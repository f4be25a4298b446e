"""JSON API for problem solving: the problems of the caller's places, one
problem with its team (officers, partners and forums by name; citizens never),
opening one through the same service as the web form, its response actions,
and its assessment from the records — the counts in the target, buffer and
control areas before and after, the rate ratio with its interval and the WDQ.
The register of vulnerable persons is not in the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.api import Day, Page, PageQuery, days_in_order, page_of
from cpis.organisation.access import api_actor

from .models import Action, ActionStatus, Assessment, Outcome, Problem, Stage, Technique
from .selectors import actions as action_selectors
from .selectors import assessment as assessment_selectors
from .selectors import problems as selectors
from .services import actions as action_services
from .services import assessment as assessment_services
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


# --- the response: actions ------------------------------------------------------------


class ActionOut(Schema):
    id: int
    title: str
    description: str
    technique: str
    technique_label: str = Field(alias="get_technique_display")
    owner_officer_id: int | None
    owner_partner_id: int | None
    owner_name: str
    forum_id: int | None
    due_on: date
    status: str
    status_label: str = Field(alias="get_status_display")
    done_on: date | None
    evidence: str

    @staticmethod
    def resolve_owner_name(obj: Action) -> str:
        return str(obj.owner_officer or obj.owner_partner or "")


class ActionIn(Schema):
    title: str = Field(..., max_length=300)
    technique: Technique = Field(..., description="One of the 25 situational crime-prevention techniques")
    due_on: Day
    description: str = ""
    owner_officer_id: int | None = Field(None, description="An officer of the problem's station")
    owner_partner_id: int | None = Field(None, description="A partner of the problem's place")
    forum_id: int | None = None
    status: ActionStatus = ActionStatus.PLANNED
    done_on: Day | None = None
    evidence: str = ""


@router.get("/{problem_id}/actions", response=list[ActionOut], auth=STAFF, url_name="problem_actions")
def list_actions(request: HttpRequest, problem_id: int) -> Any:
    """The problem's response actions, by due date."""
    problem = selectors.get_problem(api_actor(request), problem_id)
    return list(action_selectors.list_problem_actions(problem))


@router.post(
    "/{problem_id}/actions",
    response={200: ActionOut, 201: ActionOut},
    auth=STAFF,
    url_name="problem_action_add",
)
def add_action(request: HttpRequest, problem_id: int, payload: ActionIn) -> Any:
    """Add a response action (its owner, team officers and the leads of its place);
    the owner is an officer of the station or a partner of the place. Bad input
    answers 400 and stores nothing; an `Idempotency-Key` makes a retry safe."""
    actor = api_actor(request)
    problem = selectors.get_problem(actor, problem_id)
    owners = action_selectors.owners_by_id(
        actor,
        problem,
        officer_id=payload.owner_officer_id,
        partner_id=payload.owner_partner_id,
        forum_id=payload.forum_id,
    )
    data = action_services.ActionInput(
        title=payload.title,
        technique=payload.technique,
        due_on=payload.due_on,
        description=payload.description,
        status=payload.status,
        done_on=payload.done_on,
        evidence=payload.evidence,
        **owners,
    )
    action, replayed = idempotency.submit_if_keyed(
        idempotency.header_key(request),
        payload.dict(),
        scope=f"problems.actions:{actor.user_id}:{problem.pk}",
        load=lambda pk: action_selectors.get_action(problem, pk),
        create=lambda: action_services.add_action(actor, problem=problem, data=data),
    )
    return (200 if replayed else 201), action_selectors.get_action(problem, action.pk)


# --- the assessment -------------------------------------------------------------------


class Counts(Schema):
    before: int
    after: int


class Window(Schema):
    start: date
    end: date


class AssessmentOut(Schema):
    """Counts in equal windows before and after the response date (which is in
    neither) in the target area, the buffer around it and the control area;
    the rate ratio in the target with its exact 95 % interval; the relative
    effect against the control; the Weighted Displacement Quotient and its reading."""

    response_date: date
    window_days: int
    before_window: Window
    after_window: Window
    provisional: bool
    buffer_m: int
    control_kind: str
    control_unit_id: int | None
    categories: list[str]
    target: Counts
    buffer: Counts
    control: Counts
    rate_ratio: float | None
    rate_ratio_ci: tuple[float, float] | None
    relative_effect: float | None
    relative_effect_ci: tuple[float, float] | None
    wdq: float | None
    reading: str
    reading_label: str = Field(alias="get_reading_display")
    data_until: date | None
    computed_at: datetime

    @staticmethod
    def resolve_before_window(obj: Assessment) -> dict[str, date]:
        return {
            "start": obj.response_date - timedelta(days=obj.window_days),
            "end": obj.response_date - timedelta(days=1),
        }

    @staticmethod
    def resolve_after_window(obj: Assessment) -> dict[str, date]:
        return {
            "start": obj.response_date + timedelta(days=1),
            "end": obj.response_date + timedelta(days=obj.window_days),
        }

    @staticmethod
    def resolve_provisional(obj: Assessment) -> bool:
        return assessment_services.is_provisional(obj)

    @staticmethod
    def resolve_target(obj: Assessment) -> dict[str, int]:
        return {"before": obj.target_before, "after": obj.target_after}

    @staticmethod
    def resolve_buffer(obj: Assessment) -> dict[str, int]:
        return {"before": obj.buffer_before, "after": obj.buffer_after}

    @staticmethod
    def resolve_control(obj: Assessment) -> dict[str, int]:
        return {"before": obj.control_before, "after": obj.control_after}

    @staticmethod
    def resolve_rate_ratio_ci(obj: Assessment) -> tuple[float, float] | None:
        if obj.rate_ratio_low is None or obj.rate_ratio_high is None:
            return None
        return (obj.rate_ratio_low, obj.rate_ratio_high)

    @staticmethod
    def resolve_relative_effect_ci(obj: Assessment) -> tuple[float, float] | None:
        if obj.relative_effect_low is None or obj.relative_effect_high is None:
            return None
        return (obj.relative_effect_low, obj.relative_effect_high)


class AssessmentIn(Schema):
    response_date: Day
    window_days: int = Field(182, description="Days in each window, 28–730")
    buffer_m: int = Field(400, description="Width of the buffer ring around the target, 50–5000 m")
    control_unit_id: int | None = Field(
        None, description="The control place; the rest of the station when left out"
    )


@router.get("/{problem_id}/assessment", response=AssessmentOut, auth=STAFF, url_name="problem_assessment")
def get_assessment(request: HttpRequest, problem_id: int) -> Any:
    """The problem's assessment (404 when none has been computed)."""
    problem = selectors.get_problem(api_actor(request), problem_id)
    assessment = assessment_selectors.get_assessment(problem)
    if assessment is None:
        raise Http404(_("The problem has not been assessed yet."))
    return assessment


@router.post("/{problem_id}/assessment", response=AssessmentOut, auth=STAFF, url_name="problem_assess")
def assess(request: HttpRequest, problem_id: int, payload: AssessmentIn) -> Any:
    """Compute (or compute again) the assessment from the incident records, as the
    Assessment tab does. Bad input answers 400 and changes nothing."""
    actor = api_actor(request)
    problem = selectors.get_problem(actor, problem_id)
    control = (
        assessment_selectors.get_control_place(actor, problem, payload.control_unit_id)
        if payload.control_unit_id
        else None
    )
    return assessment_services.assess_problem(
        actor,
        problem=problem,
        response_date=payload.response_date,
        window_days=payload.window_days,
        buffer_m=payload.buffer_m,
        control_unit=control,
    )
