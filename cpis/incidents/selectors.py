"""Reads for incidents: the list of the actor's places with filters, the
taxonomy, the imports, and the columnar points and counts that analytics
and the action plan read."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.translation import gettext as _

from cpis.core.anonymous_places import snap_rows
from cpis.core.points import Points
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .models import ImportRun, Incident, IncidentCategory
from .policy import policy

# Units to narrow the list to.
FILTER_KINDS = (UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR)


@dataclass(frozen=True)
class Filters:
    category: str = ""  # a category code
    start: date | None = None
    end: date | None = None
    unit: Unit | None = None


def visible_incidents(actor: Actor) -> QuerySet[Incident]:
    return Incident.objects.filter(policy.scope(actor, "view", "unit_path"))


def _filtered(
    actor: Actor,
    *,
    path: str = "",
    categories: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    recorded_after: datetime | None = None,
) -> QuerySet[Incident]:
    incidents = visible_incidents(actor)
    if path:
        incidents = incidents.filter(unit_path__startswith=path)
    if categories:
        ids = list(IncidentCategory.objects.filter(code__in=list(categories)).values_list("pk", flat=True))
        incidents = incidents.filter(category_id__in=ids)
    if start is not None:
        incidents = incidents.filter(occurred_on__gte=start)
    if end is not None:
        incidents = incidents.filter(occurred_on__lte=end)
    if recorded_after is not None:
        incidents = incidents.filter(created_at__gt=recorded_after)
    return incidents


def list_incidents(actor: Actor, filters: Filters) -> QuerySet[Incident]:
    """The incidents of the actor's places that match, latest first."""
    return (
        _filtered(
            actor,
            path=filters.unit.path if filters.unit else "",
            categories=[filters.category] if filters.category else None,
            start=filters.start,
            end=filters.end,
        )
        .select_related("category", "sector")
        .order_by("-occurred_on", "-id")
    )


def list_categories() -> list[IncidentCategory]:
    """The national taxonomy, in its order."""
    return list(IncidentCategory.objects.order_by("sort_order", "code"))


# --- a sector's public figures (the neighbourhood page): counts and snapped places -------

# Never published, not even as counts: in a small place the month and the 200 m cell of
# a violence at home or a sexual offence can be enough to recognise the victim.
NOT_PUBLISHED = frozenset({"domestic-violence", "sexual-offence"})


def list_public_categories() -> list[IncidentCategory]:
    """The categories a public page may show, in the taxonomy's order."""
    return [c for c in list_categories() if c.code not in NOT_PUBLISHED]


def _public_in_sector(sector: Unit, start: date, end: date) -> QuerySet[Incident]:
    # A sector is a leaf: its incidents are those whose path is its own (an indexed equality).
    return (
        Incident.objects.filter(unit_path=sector.path, occurred_on__gte=start, occurred_on__lt=end)
        .exclude(category_id__in=IncidentCategory.objects.filter(code__in=NOT_PUBLISHED).values("pk"))
        .order_by()
    )


def count_public_by_month(sector: Unit, *, start: date, end: date) -> list[tuple[int, date, int]]:
    """(category id, first day of the month, incidents) in the sector from `start` to
    `end` (exclusive), public categories only: counted by the database, nothing else read."""
    rows = (
        _public_in_sector(sector, start, end)
        .annotate(month=TruncMonth("occurred_on"))
        .values("category_id", "month")
        .annotate(n=Count("*"))  # not COUNT(id): the index `incident_path_day` alone answers
        .values_list("category_id", "month", "n")
    )
    return [(int(c), m, int(n)) for c, m, n in rows]


def public_places(sector: Unit, *, start: date, end: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(latitudes, longitudes, category ids) of the sector's incidents in public
    categories from `start` to `end` (exclusive), each moved to the centre of its
    anonymous 200 m cell (`core.anonymous_places`): never an exact point."""
    return snap_rows(
        _public_in_sector(sector, start, end)
        .filter(lat__isnull=False, lon__isnull=False)
        .values_list("lat", "lon", "category_id")
    )


def list_filter_units(actor: Actor) -> QuerySet[Unit]:
    """Regions, stations and sectors the actor sees, to narrow the list to."""
    return (
        Unit.objects.filter(kind__in=FILTER_KINDS)
        .filter(policy.scope(actor, "view"))
        .select_related("parent")
        .order_by("path")
    )


def get_visible_path(actor: Actor, path: str) -> str:
    """`path` when the actor may see incidents there; 404 otherwise."""
    if not Unit.objects.filter(path=path).exists() or not policy.can(actor, "view", path):
        raise Http404(_("Not found."))
    return path


def can_view_any(actor: Actor) -> bool:
    return policy.anywhere(actor, "view")


def list_matching(
    actor: Actor,
    *,
    category_ids: Iterable[int],
    since: date,
    sector_ids: Iterable[int] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    exclude_ids: Iterable[int] = (),
) -> QuerySet[Incident]:
    """The incidents the actor may see, of these categories, that occurred
    from `since`, placed in one of `sector_ids` or with a point inside
    `bounds` (west, south, east, north), latest first, but those in
    `exclude_ids`. What a problem's scanning offers its owner to link (C9)."""
    incidents = visible_incidents(actor).filter(category_id__in=list(category_ids), occurred_on__gte=since)
    if sector_ids is not None:
        incidents = incidents.filter(sector_id__in=list(sector_ids))
    if bounds is not None:
        west, south, east, north = bounds
        incidents = incidents.filter(lon__range=(west, east), lat__range=(south, north))
    excluded = list(exclude_ids)
    if excluded:
        incidents = incidents.exclude(pk__in=excluded)
    return incidents.select_related("category", "sector").order_by("-occurred_on", "-id")


# --- imports --------------------------------------------------------------------------


def can_import(actor: Actor) -> bool:
    """Imports are national: the import role held at the root."""
    if actor.is_system:
        return True
    root = Unit.objects.filter(parent__isnull=True).order_by("path").values_list("path", flat=True).first()
    return root is not None and policy.can(actor, "import", root)


def list_runs(actor: Actor, *, limit: int = 20) -> list[ImportRun]:
    if not can_import(actor):
        return []
    return list(ImportRun.objects.select_related("created_by").order_by("-created_at", "-id")[:limit])


def get_run(actor: Actor, run_id: int) -> ImportRun:
    """One import, for those who may import; 404 otherwise."""
    run = ImportRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or not can_import(actor):
        raise Http404(_("Not found."))
    return run


# --- for analytics --------------------------------------------------------------------


# The columns incident_points reads, as PostgreSQL binary strings: (name, SQL, NumPy type).
_BINARY_COLUMNS = {
    "lon": ("float8send(q.lon)", ">f8"),
    "lat": ("float8send(q.lat)", ">f8"),
    "day": ("int4send(q.occurred_on - DATE '0001-01-01' + 1)", ">i4"),
    "hour": ("int2send(COALESCE(date_part('hour', q.occurred_time)::int2, -1::int2))", ">i2"),
    "category": ("int4send(q.category_id::int4)", ">i4"),
    "sector": ("int8send(COALESCE(q.sector_id, -1))", ">i8"),
}
_DTYPES: dict[str, Any] = {
    "lon": np.float64,
    "lat": np.float64,
    "day": np.int32,
    "hour": np.int8,
    "category": np.int32,
    "sector": np.int64,
}
# What counting needs: no place, no hour (those columns come back as NaN and -1).
COUNT_COLUMNS = ("day", "category", "sector")


def _points_postgresql(sql: str, params: Sequence[Any], names: Sequence[str]) -> Points:
    """One row of byte strings: each column's values in PostgreSQL's binary
    form (big-endian), concatenated by string_agg in the same pass, so that
    NumPy reads each column whole — no Python object per value. Only the
    columns in `names` are read."""
    columns = ", ".join(f"string_agg({_BINARY_COLUMNS[name][0]}, '')" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM ({sql}) AS q", params)  # noqa: S608 - Django's SQL
        row = cursor.fetchone()
    if row[0] is None:  # no rows
        return Points.empty()
    read = {
        name: np.frombuffer(data, _BINARY_COLUMNS[name][1]).astype(_DTYPES[name])
        for name, data in zip(names, row, strict=True)
    }
    return _points(read)


def _points(read: dict[str, np.ndarray]) -> Points:
    """Points from the columns read; those not read are NaN places and unknown hours."""
    n = len(read["day"])
    return Points(
        lon=read["lon"] if "lon" in read else np.full(n, np.nan),
        lat=read["lat"] if "lat" in read else np.full(n, np.nan),
        day=read["day"],
        hour=read["hour"] if "hour" in read else np.full(n, -1, dtype=np.int8),
        category=read["category"],
        sector=read["sector"],
    )


def _points_generic(sql: str, params: Sequence[Any]) -> Points:
    """Any database: numbers only (the day as an ordinal, the hour as an
    integer), read in large chunks straight into NumPy."""
    if connection.vendor == "sqlite":
        day = "CAST(julianday(q.occurred_on) - 1721424.5 AS INTEGER)"
        hour = "COALESCE(CAST(substr(q.occurred_time, 1, 2) AS INTEGER), -1)"
    else:
        day = "(q.occurred_on - DATE '0001-01-01' + 1)"
        hour = "COALESCE(date_part('hour', q.occurred_time), -1)"
    query = f"SELECT q.lon, q.lat, {day}, {hour}, q.category_id, COALESCE(q.sector_id, -1) FROM ({sql}) AS q"  # noqa: S608
    parts: list[np.ndarray] = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(100_000):
            parts.append(np.array(rows, dtype=np.float64).reshape(-1, 6))
    table = np.concatenate(parts) if parts else np.zeros((0, 6))
    return Points(
        lon=table[:, 0].copy(),
        lat=table[:, 1].copy(),
        day=table[:, 2].astype(np.int32),
        hour=table[:, 3].astype(np.int8),
        category=table[:, 4].astype(np.int32),
        sector=table[:, 5].astype(np.int64),
    )


def incident_points(
    actor: Actor,
    *,
    path: str = "",
    categories: Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    recorded_after: datetime | None = None,
    counts_only: bool = False,
) -> Points:
    """The incidents with coordinates that the actor may see under `path`
    (everything visible when empty), of the category codes given (all when
    None), from `start` to `end` inclusive, and only those first recorded after
    `recorded_after` when it is given. One query; on PostgreSQL each column
    comes as one byte string read straight into NumPy (a million rows in about
    a second). `counts_only` is for counting, never for a map: it also takes
    the incidents without coordinates (placed by their unit only), which
    count in trends as `core.points.Points` says, and on PostgreSQL reads the
    day, category and sector alone (the places come back NaN and the hours
    -1; about 40 % less to read)."""
    incidents = _filtered(
        actor, path=path, categories=categories, start=start, end=end, recorded_after=recorded_after
    )
    if not counts_only:  # a map needs the point; a count does not
        incidents = incidents.filter(lat__isnull=False, lon__isnull=False)
    incidents = incidents.order_by()
    try:
        sql, params = incidents.values_list(
            "lon", "lat", "occurred_on", "occurred_time", "category_id", "sector_id"
        ).query.sql_with_params()
    except EmptyResultSet:  # an actor who may see nothing
        return Points.empty()
    if connection.vendor == "postgresql":
        return _points_postgresql(sql, params, COUNT_COLUMNS if counts_only else tuple(_BINARY_COLUMNS))
    return _points_generic(sql, params)


def place_names_near(
    actor: Actor, *, lat: float, lon: float, radius_m: float, start: date, end: date, limit: int = 8
) -> list[str]:
    """The place names recorded on the incidents (any category) the actor may see
    within `radius_m` metres of (lat, lon), from `start` to `end`, most frequent
    first: what a near-repeat alert names as the streets and places of its area
    (the records name places; CPIS holds no street gazetteer)."""
    import math

    lat_step = radius_m / 111_320.0
    lon_step = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        _filtered(actor, start=start, end=end)
        .filter(
            lat__range=(lat - lat_step, lat + lat_step),
            lon__range=(lon - lon_step, lon + lon_step),
        )
        .exclude(place="")
        .values_list("place", "lat", "lon")
    )
    counts: dict[str, int] = {}
    for place, y, x in rows:
        if y is None or x is None:
            continue
        dy = (y - lat) * 111_320.0
        dx = (x - lon) * 111_320.0 * math.cos(math.radians(lat))
        if dx * dx + dy * dy <= radius_m * radius_m:
            counts[place] = counts.get(place, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))[:limit]


def count_incidents_by_sector(
    actor: Actor, *, path: str = "", start: date | None = None, end: date | None = None
) -> dict[int, int]:
    """Incidents per sector (those placed in one) that the actor may see, with
    the filters of `incident_points` (incidents without coordinates included)."""
    incidents = _filtered(actor, path=path, start=start, end=end).filter(sector__isnull=False)
    rows = incidents.order_by().values_list("sector_id").annotate(n=Count("id"))
    return dict(rows)
