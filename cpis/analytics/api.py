"""JSON and GeoJSON API of the analytics: trends, hotspots, emerging
clusters, priorities, deployment, service statistics, and background runs (near-repeat, scan)
with their progress. Scoped to the caller's places like the pages; the same
analyses and services serve both. No personal data: events are counted."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cpis.accounts.api_auth import STAFF
from cpis.core import idempotency
from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor, api_actor

from . import analyses, selectors, tasks
from .forms import EARLIEST
from .models import AnalysisRun, RunKind

router = Router(tags=["analytics"])


class ScopeQuery(Schema):
    place: int | None = Field(None, description="Unit id; the caller's widest place when omitted.")
    subject: Literal["incidents", "concerns"] = "incidents"
    category: str | None = Field(None, description="Category code; all categories when omitted.")
    since: date | None = None
    until: date | None = None


def _scope(actor: Actor, query: ScopeQuery) -> analyses.Scope:
    unit = selectors.get_place(actor, query.place)
    if query.since and query.until and query.since > query.until:
        raise InvalidInput(_("The start date is after the end date."))
    for value in (query.since, query.until):
        if value is not None and not EARLIEST <= value <= selectors.today():
            raise InvalidInput(_("Dates must lie between 1900 and today."))
    return analyses.Scope(
        unit=unit,
        subject=query.subject,
        categories=(query.category,) if query.category else (),
        start=query.since,
        end=query.until,
    )


class ChangeOut(Schema):
    now: int
    before: float
    percent: float | None
    z: float


class TrendRowOut(Schema):
    category: str | None
    name: str
    week: ChangeOut
    days28: ChangeOut
    year_to_date: ChangeOut
    years: list[int]


class AlertOut(Schema):
    category: str
    place_id: int
    place: str
    week_start: date
    week_end: date
    count: int
    baseline: float
    method: str


class TrendsOut(Schema):
    place_id: int
    today: date
    years: list[int]
    rows: list[TrendRowOut]
    total: TrendRowOut
    week_starts: list[date]
    weekly: list[int]
    lower: list[float]
    upper: list[float]
    alerts: list[AlertOut]


def _row(row: analyses.TrendRow) -> dict[str, Any]:
    def change(c: analyses.Change) -> dict[str, Any]:
        return {"now": c.now, "before": c.before, "percent": c.percent, "z": c.z}

    return {
        "category": row.category.code if row.category else None,
        "name": row.category.name if row.category else "",
        "week": change(row.week),
        "days28": change(row.days28),
        "year_to_date": change(row.ytd),
        "years": row.years,
    }


@router.get("/trends", response=TrendsOut, auth=STAFF, url_name="analytics_trends")
def trends(request: HttpRequest, query: Query[ScopeQuery]) -> Any:
    """Last 7 days, 28 days and year to date against a year earlier per category (Poisson z),
    weekly counts with the 8-week Poisson band, EWMA/CUSUM alerts and the five-year trend."""
    actor = api_actor(request)
    report = analyses.trends(actor, _scope(actor, query))
    return {
        "place_id": report.scope.unit.pk,
        "today": report.today,
        "years": report.years,
        "rows": [_row(r) for r in report.rows],
        "total": _row(report.total),
        "week_starts": report.week_starts,
        "weekly": report.weekly,
        "lower": report.lower,
        "upper": report.upper,
        "alerts": [
            {
                "category": a.category.code,
                "place_id": a.place.pk,
                "place": a.place.name,
                "week_start": a.week_start,
                "week_end": a.week_end,
                "count": a.count,
                "baseline": a.baseline,
                "method": a.method,
            }
            for a in report.alerts
        ],
    }


class HotspotQuery(ScopeQuery):
    cell: float = Field(500, ge=50, le=10_000, description="Grid cell size in metres.")
    permutations: int = Field(999, ge=0, le=9999)
    alpha: float = Field(0.05, ge=0.001, le=0.2)
    seed: int = Field(0, ge=0)


@router.get("/hotspots", auth=STAFF, url_name="analytics_hotspots")
def hotspots(request: HttpRequest, query: Query[HotspotQuery]) -> Any:
    """Getis-Ord Gi* hot and cold cells (FDR-corrected) as a GeoJSON FeatureCollection."""
    actor = api_actor(request)
    outcome = analyses.hotspots(
        actor,
        _scope(actor, query),
        cell=query.cell,
        permutations=query.permutations,
        alpha=query.alpha,
        seed=query.seed,
    )
    return outcome.to_geojson()


@router.get("/clusters", auth=STAFF, url_name="analytics_clusters")
def clusters(request: HttpRequest, place: int | None = None, status: str = "candidate") -> Any:
    """Emerging clusters (candidate problems) of a place as GeoJSON."""
    actor = api_actor(request)
    unit = selectors.get_place(actor, place)
    found = list(selectors.list_clusters(actor, unit=unit, statuses=[status])[:500])
    return selectors.cluster_features(found)


class PriorityOut(Schema):
    subject: str
    category: str
    name: str
    score: float
    reasons: list[str]
    recent: int


@router.get(
    "/sectors/{sector_id}/priorities", response=list[PriorityOut], auth=STAFF, url_name="analytics_priorities"
)
def priorities(request: HttpRequest, sector_id: int) -> Any:
    """A sector's ranked priorities, each with the reasons behind it."""
    actor = api_actor(request)
    sector = selectors.get_sector(actor, sector_id)
    return [
        {
            "subject": p.subject,
            "category": p.category.code,
            "name": p.category.name,
            "score": p.score,
            "reasons": p.reasons,
            "recent": p.recent,
        }
        for p in analyses.priorities(actor, sector)
    ]


class DeploymentRowOut(Schema):
    sector_id: int
    sector: str
    officers: int
    incidents: int
    concerns: int
    load_index: float | None


class DeploymentOut(Schema):
    place_id: int
    start: date
    end: date
    officers: int
    incidents: int
    concerns: int
    rank_correlation: float | None
    rows: list[DeploymentRowOut]


@router.get("/deployment", response=DeploymentOut, auth=STAFF, url_name="analytics_deployment")
def deployment(request: HttpRequest, query: Query[ScopeQuery]) -> Any:
    """Officers per sector against incidents and concerns per sector."""
    actor = api_actor(request)
    scope = _scope(actor, query)
    result = analyses.deployment(actor, unit=scope.unit, start=scope.start, end=scope.end)
    return {
        "place_id": result.unit.pk,
        "start": result.start,
        "end": result.end,
        "officers": result.officers,
        "incidents": result.incidents,
        "concerns": result.concerns,
        "rank_correlation": result.rank_correlation,
        "rows": [
            {
                "sector_id": r.sector.pk,
                "sector": r.sector.name,
                "officers": r.officers,
                "incidents": r.incidents,
                "concerns": r.concerns,
                "load_index": r.load_index,
            }
            for r in result.rows
        ],
    }


class PeriodQuery(Schema):
    place: int | None = Field(None, description="Unit id; the caller's widest place when omitted.")
    since: date | None = Field(None, description="First day of receipt; a year before `until` when omitted.")
    until: date | None = Field(None, description="Last day of receipt; today when omitted.")


class DurationsOut(Schema):
    n: int
    observed: int = Field(description="Concerns whose time is known (answered, or closed).")
    censored: int = Field(description="Concerns still waiting: counted by Kaplan–Meier as at least so long.")
    q25: float | None
    median: float | None
    q75: float | None
    p90: float | None
    edges: list[float] = Field(description="Lower edges of the histogram's bins; the last bin is open-ended.")
    histogram: list[int] = Field(description="Observed durations per bin.")
    cdf: list[float | None] = Field(description="Kaplan–Meier share done by each edge.")


class ShareOut(Schema):
    k: int
    n: int
    share: float | None
    low: float | None = Field(description="Wilson 95 % interval.")
    high: float | None


class PlaceServiceOut(Schema):
    place_id: int | None = Field(description="None: concerns held at the place itself, in no place below.")
    place: str
    received: int
    first_contact_hours: DurationsOut
    closure_days: DurationsOut
    within_due: ShareOut
    not_yet_due: int
    reporters_resolved: ShareOut
    survey_satisfied: ShareOut
    officers_today: int
    incidents: int
    concerns_per_officer: float | None
    incidents_per_officer: float | None


class MonthServiceOut(Schema):
    month: date
    received: int
    first_contact_median_hours: float | None
    closure_median_days: float | None
    within_due: ShareOut
    reporters_resolved: ShareOut


class ComparisonOut(Schema):
    start: date
    end: date
    previous: PlaceServiceOut
    within_due_difference: float | None
    within_due_difference_low: float | None
    within_due_difference_high: float | None
    first_contact_logrank_p: float | None
    closure_logrank_p: float | None


class ServiceOut(Schema):
    place_id: int
    start: date
    end: date
    as_of: str
    total: PlaceServiceOut
    places: list[PlaceServiceOut]
    months: list[MonthServiceOut]
    comparison: ComparisonOut


def _durations(d: Any) -> dict[str, Any]:
    return {
        "n": d.n, "observed": d.events, "censored": d.censored, "q25": d.q25, "median": d.median,
        "q75": d.q75, "p90": d.p90, "edges": list(d.edges), "histogram": list(d.histogram),
        "cdf": list(d.cdf),
    }  # fmt: skip


def _share(share: Any) -> dict[str, Any]:
    interval = share.interval
    return {
        "k": share.k,
        "n": share.n,
        "share": share.share,
        "low": interval[0] if interval else None,
        "high": interval[1] if interval else None,
    }


def _place_service(place: Any) -> dict[str, Any]:
    return {
        "place_id": place.unit.pk if place.unit is not None else None,
        "place": place.unit.name if place.unit is not None else "",
        "received": place.received,
        "first_contact_hours": _durations(place.first_contact),
        "closure_days": _durations(place.closure),
        "within_due": _share(place.within_due),
        "not_yet_due": place.not_yet_due,
        "reporters_resolved": _share(place.reporters_resolved),
        "survey_satisfied": _share(place.survey_satisfied),
        "officers_today": place.officers,
        "incidents": place.incidents,
        "concerns_per_officer": place.concerns_per_officer,
        "incidents_per_officer": place.incidents_per_officer,
    }


@router.get("/service", response=ServiceOut, auth=STAFF, url_name="analytics_service")
def service(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    """Service statistics of a place [Evaluation 1]: first contact and closure times
    (Kaplan–Meier quartiles with the concerns still waiting censored), the share closed
    within the category's due time, reporters' satisfaction, workload per officer, per
    place one level down, by month, and against the same period a year earlier."""
    actor = api_actor(request)
    scope = _scope(actor, ScopeQuery(place=query.place, category=None, since=query.since, until=query.until))
    report = analyses.service_statistics(actor, unit=scope.unit, start=scope.start, end=scope.end)
    comparison = report.comparison
    difference = comparison.within_due_difference or (None, None, None)
    return {
        "place_id": report.unit.pk,
        "start": report.start,
        "end": report.end,
        "as_of": report.as_of.isoformat(),
        "total": _place_service(report.total),
        "places": [_place_service(p) for p in report.places],
        "months": [
            {
                "month": m.month,
                "received": m.received,
                "first_contact_median_hours": m.first_contact.median,
                "closure_median_days": m.closure.median,
                "within_due": _share(m.within_due),
                "reporters_resolved": _share(m.reporters_resolved),
            }
            for m in report.months
        ],
        "comparison": {
            "start": comparison.start,
            "end": comparison.end,
            "previous": _place_service(comparison.previous),
            "within_due_difference": difference[0],
            "within_due_difference_low": difference[1],
            "within_due_difference_high": difference[2],
            "first_contact_logrank_p": comparison.first_contact_p,
            "closure_logrank_p": comparison.closure_p,
        },
    }


class RunIn(Schema):
    kind: Literal["near_repeat", "scan"]
    place: int | None = None
    subject: Literal["incidents", "concerns"] = "incidents"
    category: str | None = None
    since: date | None = None
    until: date | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="See the analysis' parameters.")


class RunOut(Schema):
    id: int
    kind: str
    subject: str
    place_id: int
    status: str
    progress: float
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str

    @staticmethod
    def resolve_place_id(obj: AnalysisRun) -> int:
        return obj.unit_id


@router.post("/runs", response={200: RunOut, 202: RunOut}, auth=STAFF, url_name="analytics_run_new")
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    """Queue a near-repeat analysis or a space-time scan (202); poll the run
    for its progress. An optional `Idempotency-Key` header makes a retry
    safe: the same key and body return the first run (200) and queue
    nothing, the same key with another body is refused (422), and a retry
    while the first is still being processed gets 409. Keys are the caller's own."""
    actor = api_actor(request)
    query = ScopeQuery(
        place=payload.place,
        subject=payload.subject,
        category=payload.category,
        since=payload.since,
        until=payload.until,
    )
    kind = RunKind.NEAR_REPEAT if payload.kind == "near_repeat" else RunKind.SCAN
    scope = _scope(actor, query)
    run, replayed = idempotency.submit_if_keyed(
        idempotency.header_key(request),
        payload.dict(),
        scope=f"analytics-run:{actor.user_id}",
        load=lambda pk: selectors.get_run(actor, pk),
        create=lambda: tasks.queue_run(actor, kind=kind, scope=scope, params=payload.params),
    )
    run.refresh_from_db()
    return (200 if replayed else 202), run


@router.get("/runs/{run_id}", response=RunOut, auth=STAFF, url_name="analytics_run")
def get_run(request: HttpRequest, run_id: int) -> Any:
    return selectors.get_run(api_actor(request), run_id)
