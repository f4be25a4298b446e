"""Reads for the analytics: which places an actor may analyse, the incidents
or concerns of a place as columns (`Points`), the runs and the clusters. The
analyses themselves are in `analyses/`, their numerical kernels in `stats/`."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concerns
from cpis.core.http import one_or_404
from cpis.core.points import Points
from cpis.incidents import selectors as incidents
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .models import AnalysisRun, ClusterStatus, EmergingCluster, NearRepeatPattern, Subject
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
    return one_or_404(visible_places(actor).select_related("parent"), pk=unit_id)


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


def load_points(
    actor: Actor, scope: Scope, *, recorded_after: datetime | None = None, counts_only: bool = False
) -> Points:
    """The scope's events the actor may see, as columns; with `recorded_after`,
    only the incidents first recorded after that moment. `counts_only`: what
    counting needs (day, category, sector), without places and hours where that
    reads less (incidents on PostgreSQL)."""
    policy.require(actor, "view", scope.unit.path)
    path, categories = scope.unit.path, scope.categories or None
    if scope.subject == Subject.CONCERNS:
        if recorded_after is not None:
            raise ValueError("recorded_after is for incidents")
        return concerns.concern_points(
            actor, path=path, categories=categories, start=scope.start, end=scope.end
        )
    return incidents.incident_points(
        actor,
        path=path,
        categories=categories,
        start=scope.start,
        end=scope.end,
        recorded_after=recorded_after,
        counts_only=counts_only,
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


# --- runs and clusters ----------------------------------------------------------------


def list_runs(actor: Actor, *, unit: Unit | None = None, limit: int = 20) -> QuerySet[AnalysisRun]:
    runs = AnalysisRun.objects.filter(policy.scope(actor, "view")).select_related("unit")
    if unit is not None:
        runs = runs.filter(path__startswith=unit.path)
    return runs[:limit]


def list_patterns(actor: Actor) -> QuerySet[NearRepeatPattern]:
    """The near-repeat patterns the daily push keeps that bear on the actor's
    places: a region's pattern reaches its sectors' teams, so a sector officer
    sees the pattern of the region above."""
    if actor.is_system:
        return NearRepeatPattern.objects.select_related("unit", "category")
    query = Q(pk__in=[])
    for path in policy.places(actor, "view"):
        parts = path.strip("/").split("/")
        above = ["/".join(parts[:n]) + "/" for n in range(1, len(parts))]
        query |= Q(path__startswith=path) | Q(path__in=above)
    return NearRepeatPattern.objects.filter(query).select_related("unit", "category")


def get_run(actor: Actor, run_id: int) -> AnalysisRun:
    return one_or_404(AnalysisRun.objects.filter(policy.scope(actor, "view")), pk=run_id)


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
    return one_or_404(list_clusters(actor, statuses=()), pk=cluster_id)


def can_review_cluster(actor: Actor, cluster: EmergingCluster) -> bool:
    """May the actor take the cluster up for problem solving, or dismiss it?"""
    return policy.can(actor, "review", cluster.path)


def cell_area(*, lon: float, lat: float, size_m: float) -> dict[str, Any]:
    """The square of `size_m` metres centred on a point, as a GeoJSON Polygon
    in longitude/latitude: a hotspot grid's cell, given its centre and size
    (the grid is square in the UTM zone of its events, as this square is in
    the zone of its centre)."""
    from .stats.projection import LocalProjection

    projection = LocalProjection.for_points([lon], [lat])
    x_array, y_array = projection.forward(lon, lat)
    x, y, half = float(x_array), float(y_array), size_m / 2
    xs = [x - half, x + half, x + half, x - half, x - half]
    ys = [y - half, y - half, y + half, y + half, y - half]
    lons, lats = projection.inverse(xs, ys)
    ring = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lons, lats, strict=True)]
    return {"type": "Polygon", "coordinates": [ring]}


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


def list_concerns(actor: Actor, ids: Sequence[int]) -> list[Any]:
    """The concerns behind a figure (by id) that the actor may see, oldest first."""
    return list(concerns.list_concerns_by_id(actor, ids))
