"""Reads for the analytics: which places an actor may analyse, the incidents
or concerns of a place as columns, and the analyses computed on request
(trends, hotspots, density, priorities, deployment). The numerical work is
in `stats/`; this module chooses the data, scopes it and labels the results."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concerns
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.selectors import count_officers_by_sector

from .models import AnalysisRun, ClusterStatus, EmergingCluster, Subject
from .policy import policy

# --- places ---------------------------------------------------------------------------


def visible_places(actor: Actor) -> QuerySet[Unit]:
    return Unit.objects.filter(policy.scope(actor, "view"))


def home_place(actor: Actor) -> Unit:
    """The actor's widest place: the first page of the analytics opens there."""
    top = visible_places(actor).order_by("path").first()
    if top is None:
        raise Http404(_("Not found."))
    return top


def get_place(actor: Actor, unit_id: int | None) -> Unit:
    """A place the actor may analyse (404 otherwise, as for a missing one)."""
    if unit_id is None:
        return home_place(actor)
    unit = visible_places(actor).select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("Not found."))
    return unit


def get_sector(actor: Actor, unit_id: int) -> Unit:
    """A sector the actor may analyse; 404 for any other unit."""
    unit = get_place(actor, unit_id)
    if unit.kind != UnitKind.SECTOR:
        raise Http404(_("Not found."))
    return unit


def list_places(actor: Actor) -> list[Unit]:
    """Places to choose from: every unit above sector level the actor may see,
    and the sectors too (they are where priorities are set)."""
    return list(visible_places(actor).order_by("path"))


def child_places(unit: Unit) -> list[Unit]:
    """The units one level down (regions of the country, stations of a region,
    sectors of a station); a sector is its own only child."""
    if unit.kind == UnitKind.SECTOR:
        return [unit]
    return list(unit.children.order_by("path"))


def sector_to_child(unit: Unit, children: Sequence[Unit]) -> dict[int, int]:
    """Sector id → index of the child place that contains it."""
    mapping: dict[int, int] = {}
    sectors = Unit.objects.sectors().within(unit.path).values_list("id", "path")
    for sector_id, path in sectors:
        for index, child in enumerate(children):
            if path.startswith(child.path):
                mapping[sector_id] = index
                break
    return mapping


# --- the data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Points:
    """Events as columns: incidents or concerns, whichever was asked for."""

    lon: np.ndarray
    lat: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    category: np.ndarray
    sector: np.ndarray

    def __len__(self) -> int:
        return len(self.day)

    def where(self, mask: np.ndarray) -> "Points":
        return Points(*(column[mask] for column in self.columns()))

    def columns(self) -> tuple[np.ndarray, ...]:
        return self.lon, self.lat, self.day, self.hour, self.category, self.sector

    def located(self) -> "Points":
        return self.where(np.isfinite(self.lon) & np.isfinite(self.lat))


@dataclass(frozen=True)
class Category:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Scope:
    """What to analyse: a place, incidents or concerns, optional categories and dates."""

    unit: Unit
    subject: str = Subject.INCIDENTS
    categories: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def with_dates(self, start: date | None, end: date | None) -> "Scope":
        return replace(self, start=start, end=end)


def list_categories(subject: str) -> list[Category]:
    if subject == Subject.CONCERNS:
        return [Category(c.pk, c.code, c.name) for c in concerns.list_categories()]
    return [Category(c.pk, c.code, c.name) for c in incidents.list_categories()]


def load_points(actor: Actor, scope: Scope) -> Points:
    """The scope's events the actor may see, as columns."""
    policy.require(actor, "view", scope.unit.path)
    loader = concerns.concern_points if scope.subject == Subject.CONCERNS else incidents.incident_points
    data = loader(
        actor, path=scope.unit.path, categories=scope.categories or None, start=scope.start, end=scope.end
    )
    return Points(
        lon=np.asarray(data.lon, dtype=np.float64),
        lat=np.asarray(data.lat, dtype=np.float64),
        day=np.asarray(data.day, dtype=np.int32),
        hour=np.asarray(data.hour, dtype=np.int8),
        category=np.asarray(data.category, dtype=np.int32),
        sector=np.asarray(data.sector, dtype=np.int64),
    )


PLACE_MARGIN_DEGREES = 0.05  # about 5 km: events just outside the sectors still count


def place_bounds(unit: Unit) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the sector boundaries under a place, with a
    margin; None when the place has no mapped sector (e.g. imported open data)."""
    import shapely
    from shapely.geometry import shape

    boundaries = (
        Unit.objects.sectors().within(unit.path).exclude(boundary=None).values_list("boundary", flat=True)
    )
    geometries = [shape(b) for b in boundaries if b]
    if not geometries:
        return None
    west, south, east, north = shapely.total_bounds(geometries)
    margin = PLACE_MARGIN_DEGREES
    return float(west - margin), float(south - margin), float(east + margin), float(north + margin)


def today() -> date:
    return timezone.localdate()


# --- deployment against load [Evaluation 3] ---------------------------------------------


@dataclass(frozen=True)
class DeploymentRow:
    sector: Unit
    officers: int
    incidents: int
    concerns: int
    incidents_per_officer: float | None
    concerns_per_officer: float | None
    load_index: float | None  # share of the place's incidents ÷ share of its officers

    @property
    def flag(self) -> str:
        if self.officers == 0 and self.incidents:
            return "unstaffed"
        if self.load_index is not None and self.load_index >= 1.5:
            return "under"
        if self.load_index is not None and self.load_index <= 0.5:
            return "over"
        return ""


@dataclass(frozen=True)
class Deployment:
    unit: Unit
    start: date
    end: date
    rows: list[DeploymentRow]
    officers: int
    incidents: int
    concerns: int
    rank_correlation: float | None  # Spearman's ρ between officers and incidents per sector


def deployment(actor: Actor, *, unit: Unit, start: date | None = None, end: date | None = None) -> Deployment:
    """Officers serving in each sector of a place today against the incidents
    and concerns of the last twelve months: where is the load carried by few?"""
    from scipy.stats import spearmanr

    policy.require(actor, "view", unit.path)
    end = end or today()
    start = start or end - timedelta(days=364)
    sectors = list(Unit.objects.sectors().within(unit.path).order_by("path"))
    officers = count_officers_by_sector(path=unit.path)
    incident_counts = incidents.count_incidents_by_sector(actor, path=unit.path, start=start, end=end)
    concern_counts = concerns.count_concerns_by_sector(actor, path=unit.path, start=start, end=end)
    total_officers = sum(officers.get(s.pk, 0) for s in sectors)
    total_incidents = sum(incident_counts.get(s.pk, 0) for s in sectors)
    total_concerns = sum(concern_counts.get(s.pk, 0) for s in sectors)
    rows = []
    for sector in sectors:
        n_off, n_inc, n_con = (
            officers.get(sector.pk, 0),
            incident_counts.get(sector.pk, 0),
            concern_counts.get(sector.pk, 0),
        )
        load = None
        if n_off and total_incidents and total_officers:
            load = (n_inc / total_incidents) / (n_off / total_officers)
        rows.append(
            DeploymentRow(
                sector=sector,
                officers=n_off,
                incidents=n_inc,
                concerns=n_con,
                incidents_per_officer=n_inc / n_off if n_off else None,
                concerns_per_officer=n_con / n_off if n_off else None,
                load_index=load,
            )
        )
    rho = None
    if len(rows) >= 3:
        x = [r.officers for r in rows]
        y = [r.incidents for r in rows]
        if len(set(x)) > 1 and len(set(y)) > 1:
            rho = float(spearmanr(x, y).statistic)
    rows.sort(key=lambda r: (-(r.load_index or 0), -r.incidents))
    return Deployment(unit, start, end, rows, total_officers, total_incidents, total_concerns, rho)


# --- runs and clusters ----------------------------------------------------------------


def list_runs(actor: Actor, *, unit: Unit | None = None, limit: int = 20) -> QuerySet[AnalysisRun]:
    runs = AnalysisRun.objects.filter(policy.scope(actor, "view")).select_related("unit")
    if unit is not None:
        runs = runs.filter(path__startswith=unit.path)
    return runs[:limit]


def get_run(actor: Actor, run_id: int) -> AnalysisRun:
    run = AnalysisRun.objects.filter(policy.scope(actor, "view")).filter(pk=run_id).first()
    if run is None:
        raise Http404(_("Not found."))
    return run


def list_clusters(
    actor: Actor, *, unit: Unit | None = None, statuses: Sequence[str] = (ClusterStatus.CANDIDATE,)
) -> QuerySet[EmergingCluster]:
    clusters = EmergingCluster.objects.filter(policy.scope(actor, "view")).select_related("unit")
    if unit is not None:
        clusters = clusters.filter(path__startswith=unit.path)
    if statuses:
        clusters = clusters.filter(status__in=list(statuses))
    return clusters


def get_cluster(actor: Actor, cluster_id: int) -> EmergingCluster:
    cluster = list_clusters(actor, statuses=()).filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404(_("Not found."))
    return cluster


def cluster_features(clusters: Sequence[EmergingCluster]) -> dict[str, Any]:
    """Clusters as a GeoJSON FeatureCollection for the map (their circles' centres and areas)."""
    features = []
    for cluster in clusters:
        features.append(
            {
                "type": "Feature",
                "id": cluster.pk,
                "geometry": cluster.area
                or {"type": "Point", "coordinates": [cluster.centre_lon, cluster.centre_lat]},
                "properties": {
                    "category": cluster.category,
                    "label": cluster.category_label,
                    "sector": cluster.unit.name,
                    "from": cluster.start_date.isoformat(),
                    "until": cluster.end_date.isoformat(),
                    "observed": cluster.observed,
                    "expected": round(cluster.expected, 2),
                    "p_value": cluster.p_value,
                    "recurrence_days": cluster.recurrence_days,
                    "radius_m": cluster.radius_m,
                    "centre": [cluster.centre_lon, cluster.centre_lat],
                    "status": cluster.status,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
