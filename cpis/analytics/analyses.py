"""The analyses of a place, labelled for people: trends, hotspots, density,
near-repeat, the emerging-cluster scan and the priorities of a sector.

Each function loads the scope's events through the selectors (so it sees
only what the actor may see), runs a kernel from `stats/` and returns a
dataclass the pages, the API and the command line all use. Parameters from
outside are checked by `check_params` first, with translated messages."""

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from .selectors import (
    Category,
    Points,
    Scope,
    child_places,
    list_categories,
    load_points,
    place_bounds,
    sector_to_child,
    today,
)

if TYPE_CHECKING:  # the kernels (numba) load with the first analysis, not with the URL map
    from .stats.trends import PeriodComparison

__all__ = ["Scope"]

Progress = Callable[[float], None] | None

# Beyond this many events a near-repeat table is better asked of a smaller place or period.
MAX_NEAR_REPEAT_EVENTS = 300_000
# The Knox test keeps every pair within the largest distance band (about 5 bytes each).
MAX_NEAR_REPEAT_PAIRS = 100_000_000


def _estimated_pairs(x: np.ndarray, y: np.ndarray, reach: float, metric: str) -> float:
    """Pairs within `reach`, estimated from the neighbours of up to 2,000 events
    (exact below that), so that a run too large for memory is refused at once."""
    from scipy.spatial import cKDTree

    points = np.column_stack([x, y])
    tree = cKDTree(points)
    sample = (
        points
        if len(points) <= 2000
        else points[np.random.default_rng(0).choice(len(points), 2000, replace=False)]
    )
    neighbours = tree.query_ball_point(sample, reach, p=1 if metric == "manhattan" else 2, return_length=True)
    return float((np.mean(neighbours) - 1) * len(points) / 2)


def _category_index(points: Points, categories: list[Category]) -> np.ndarray:
    """Each event's position in `categories` (−1 for a category not listed)."""
    lookup = np.full(max([c.id for c in categories] + [int(points.category.max(initial=0))]) + 1, -1)
    for index, category in enumerate(categories):
        lookup[category.id] = index
    return lookup[points.category] if len(points) else np.empty(0, dtype=np.int64)


# --- trends -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    now: int
    before: float
    percent: float | None
    z: float

    @property
    def direction(self) -> str:
        """ "up" or "down" when the Poisson z passes ±2, the usual line for a notable change."""
        if self.z >= 2:
            return "up"
        if self.z <= -2:
            return "down"
        return ""


@dataclass(frozen=True)
class TrendRow:
    category: Category | None  # None: all categories
    week: Change
    days28: Change
    ytd: Change
    years: list[int]  # counts per year of the five-year chart


@dataclass(frozen=True)
class Alert:
    category: Category
    place: Unit
    week_start: date
    week_end: date
    count: int
    baseline: float
    method: str  # "EWMA" or "CUSUM"


@dataclass(frozen=True)
class TrendReport:
    scope: Scope
    today: date
    rows: list[TrendRow]
    total: TrendRow
    years: list[int]
    week_starts: list[date]
    weekly: list[int]
    lower: list[float]
    upper: list[float]
    weekly_alarm: list[bool]
    alerts: list[Alert]
    annual_change: float | None  # average yearly change over the five years (fraction)

    def rows_for_export(self) -> Iterator[list[Any]]:
        for row in [*self.rows, self.total]:
            name = row.category.name if row.category else _("All categories")
            for label, change in (
                (_("Last 7 days"), row.week),
                (_("Last 28 days"), row.days28),
                (_("Year to date"), row.ytd),
            ):
                yield [name, label, change.now, round(change.before, 2), change.percent, round(change.z, 2)]


def _changes(comparison: "PeriodComparison", group: int) -> tuple[Change, Change, Change]:
    def one(column: int) -> Change:
        percent = float(comparison.percent_change[group, column])
        return Change(
            now=int(comparison.now[group, column]),
            before=float(comparison.before[group, column]),
            percent=None if math.isnan(percent) else percent,
            z=float(comparison.z[group, column]),
        )

    return one(0), one(1), one(2)


WEEKS_SHOWN = 52
WEEKS_LOADED = 2 * 52 + 8  # a year's baseline for the alarm charts, and the weeks shown


def trends(actor: Actor, scope: Scope, *, on: date | None = None) -> TrendReport:
    """CompStat comparisons per category, weekly counts against their 8-week
    Poisson band, EWMA and CUSUM alarms per category × place one level down,
    and the five-year trend (the last five full years and this year to date)."""
    from .stats import trends as trend_stats

    on = on or scope.end or today()
    first_year = on.year - 5
    start = min(date(first_year, 1, 1), on - timedelta(days=7 * WEEKS_LOADED))
    points = load_points(actor, scope.with_dates(start, on))
    categories = list_categories(scope.subject)
    if scope.categories:
        categories = [c for c in categories if c.code in scope.categories]
    cat = _category_index(points, categories)
    n_cat = len(categories)
    day = points.day.astype(np.int64)

    comparison = trend_stats.compare_periods(day, np.where(cat >= 0, cat, -1), n_cat, today=on)
    overall = trend_stats.compare_periods(day, None, today=on)
    yearly = trend_stats.yearly_trend(
        day, np.where(cat >= 0, cat, -1), first_year=first_year, last_year=on.year, n_groups=n_cat
    )
    yearly_total = trend_stats.yearly_trend(day, first_year=first_year, last_year=on.year)
    rows = [
        TrendRow(category, *_changes(comparison, index), [int(v) for v in yearly.counts[index]])
        for index, category in enumerate(categories)
    ]
    total = TrendRow(None, *_changes(overall, 0), [int(v) for v in yearly_total.counts[0]])

    end_day = on.toordinal()
    weekly_all = trend_stats.weekly_counts(day, None, end_day=end_day, weeks=WEEKS_LOADED)
    bands = trend_stats.weekly_bands(weekly_all, window=8, z=3.0)
    week_starts = [date.fromordinal(end_day - 7 * (WEEKS_LOADED - j) + 1) for j in range(WEEKS_LOADED)]

    alerts = _alerts(points, cat, categories, scope.unit, day, end_day)
    shown = slice(WEEKS_LOADED - WEEKS_SHOWN, WEEKS_LOADED)
    # The five-year slope over full years only: this year is not over.
    full_years = trend_stats.yearly_trend(day, first_year=first_year, last_year=on.year - 1)
    annual = float(full_years.annual_change[0])
    return TrendReport(
        scope=scope,
        today=on,
        rows=rows,
        total=total,
        years=[int(y) for y in yearly_total.years],
        week_starts=week_starts[shown],
        weekly=[int(v) for v in weekly_all[0, shown]],
        lower=[float(v) for v in bands.lower[0, shown]],
        upper=[float(v) for v in bands.upper[0, shown]],
        weekly_alarm=[bool(v) for v in bands.above[0, shown]],
        alerts=alerts,
        annual_change=None if not math.isfinite(annual) else annual,
    )


ALERT_WEEKS = 8  # alarms of the last eight weeks are listed


def _alerts(
    points: Points, cat: np.ndarray, categories: list[Category], unit: Unit, day: np.ndarray, end_day: int
) -> list[Alert]:
    """EWMA and CUSUM alarms per category × place one level down × week."""
    from .stats import trends as trend_stats

    children = child_places(unit)
    if not children or not categories:
        return []
    to_child = sector_to_child(unit, children)
    lookup = np.full(max([*to_child.keys(), int(points.sector.max(initial=0)), 0]) + 2, -1)
    for sector_id, index in to_child.items():
        lookup[sector_id] = index
    child = np.where(points.sector >= 0, lookup[np.clip(points.sector, 0, None)], -1)
    n_children = len(children)
    groups = np.where((cat >= 0) & (child >= 0), cat * n_children + child, -1)
    counts = trend_stats.weekly_counts(
        day, groups, len(categories) * n_children, end_day=end_day, weeks=WEEKS_LOADED
    )
    found: list[Alert] = []
    for method, chart in (
        ("EWMA", trend_stats.ewma_alerts(counts)),
        ("CUSUM", trend_stats.cusum_alerts(counts)),
    ):
        recent = chart.alarm[:, -ALERT_WEEKS:]
        for group, week in zip(*np.nonzero(recent), strict=True):
            column = WEEKS_LOADED - ALERT_WEEKS + int(week)
            last = end_day - 7 * (WEEKS_LOADED - column - 1)
            found.append(
                Alert(
                    category=categories[int(group) // n_children],
                    place=children[int(group) % n_children],
                    week_start=date.fromordinal(last - 6),
                    week_end=date.fromordinal(last),
                    count=int(counts[group, column]),
                    baseline=float(chart.baseline[group, column]),
                    method=method,
                )
            )
    # One line per category, place and week: the EWMA and CUSUM may both fire.
    unique: dict[tuple[int, int, date], Alert] = {}
    for alert in found:
        key = (alert.category.id, alert.place.pk, alert.week_start)
        if key in unique:
            unique[key] = Alert(**{**alert.__dict__, "method": "EWMA + CUSUM"})
        else:
            unique[key] = alert
    return sorted(unique.values(), key=lambda a: (-a.week_start.toordinal(), -(a.count - a.baseline)))


# --- near-repeat --------------------------------------------------------------------------


@dataclass(frozen=True)
class NearRepeatOutcome:
    scope: Scope
    events: int
    seconds: float
    result: Any  # stats.knox.KnoxResult
    risk: Any  # stats.knox.NearRepeatRisk | None

    def to_json(self) -> dict[str, Any]:
        result, risk = self.result, self.risk
        return {
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "metric": result.metric,
            "mode": result.mode,
            "permutations": result.permutations,
            "seed": result.seed,
            "pairs": result.pairs,
            "pairs_within": result.pairs_within,
            "meaningful_ratio": result.meaningful_ratio,
            "space": _bands_json(result.space),
            "time": _bands_json(result.time),
            "cells": result.to_rows(),
            "risk": None
            if risk is None
            else {
                "distance": risk.distance,
                "days": risk.days,
                "repeat_days": risk.repeat_days,
                "strongest_ratio": risk.strongest.ratio,
            },
        }


def _bands_json(bands: Any) -> dict[str, Any]:
    return {
        "lower": [None if not math.isfinite(v) else float(v) for v in bands.lower],
        "upper": [None if not math.isfinite(v) else float(v) for v in bands.upper],
        "labels": list(bands.labels),
        "closed": bands.closed,
        "same_location": bands.same_location,
        "more_than": bands.more_than,
    }


NEAR_REPEAT_DEFAULTS: dict[str, Any] = {
    "space_bandwidth": 100.0,
    "space_bands": 5,
    "time_bandwidth": 7,
    "time_bands": 4,
    "metric": "manhattan",
    "mode": "exact",
    "permutations": 999,
    "seed": 0,
}


def near_repeat(actor: Actor, scope: Scope, *, progress: Progress = None, **params: Any) -> NearRepeatOutcome:
    """The Knox test of the scope's located events (typically burglaries):
    are events close in space also close in time, more than chance allows?"""
    from .stats.knox import knox_test, near_repeat_alert
    from .stats.projection import LocalProjection

    options = {**NEAR_REPEAT_DEFAULTS, **check_params("near_repeat", params)}
    points = _located(actor, scope)
    if len(points) < 2:
        raise InvalidInput(
            _("There are too few located events in this place and period for a near-repeat analysis.")
        )
    if len(points) > MAX_NEAR_REPEAT_EVENTS:
        raise InvalidInput(
            _(
                "%(count)s events are too many for one near-repeat table: "
                "choose a smaller place, a shorter period or one category."
            )
            % {"count": f"{len(points):,}"}
        )
    projection = LocalProjection.for_points(points.lon, points.lat)
    x, y = projection.forward(points.lon, points.lat)
    reach = float(options["space_bandwidth"]) * int(options["space_bands"])
    if _estimated_pairs(x, y, reach, options["metric"]) > MAX_NEAR_REPEAT_PAIRS:
        raise InvalidInput(
            _(
                "Too many pairs of events lie within %(reach)s m of each other for one table: "
                "choose fewer or narrower distance bands, a smaller place or a shorter period."
            )
            % {"reach": number_format(reach, 0)}
        )
    started = time.perf_counter()
    result = knox_test(
        x,
        y,
        points.day,
        space_bandwidth=float(options["space_bandwidth"]),
        space_bands=int(options["space_bands"]),
        time_bandwidth=float(options["time_bandwidth"]),
        time_bands=int(options["time_bands"]),
        metric=options["metric"],
        mode=options["mode"],
        permutations=int(options["permutations"]),
        seed=int(options["seed"]),
        progress=progress,
    )
    return NearRepeatOutcome(
        scope=scope,
        events=len(points),
        seconds=time.perf_counter() - started,
        result=result,
        risk=near_repeat_alert(result),
    )


@dataclass(frozen=True)
class ActiveAlert:
    """A recent event around which risk is still raised."""

    day: date
    until: date
    lat: float
    lon: float
    sector_id: int
    radius_m: float


def active_alerts(
    actor: Actor, scope: Scope, *, distance: float, days: float, on: date | None = None
) -> list[ActiveAlert]:
    """The near-repeat alert applied to the latest events: every event of the
    scope from the last `days` days, with the area (`distance` metres around
    it) and the last day of raised risk, newest first."""
    on = on or today()
    window = int(days)
    recent = load_points(actor, scope.with_dates(on - timedelta(days=window), on)).located()
    order = np.argsort(-recent.day, kind="stable")
    return [
        ActiveAlert(
            day=date.fromordinal(int(recent.day[i])),
            until=date.fromordinal(int(recent.day[i]) + window),
            lat=float(recent.lat[i]),
            lon=float(recent.lon[i]),
            sector_id=int(recent.sector[i]),
            radius_m=distance,
        )
        for i in order
    ]


# --- results as tables (CSV downloads and the command line) ----------------------------------

NEAR_REPEAT_COLUMNS = [
    "space",
    "time",
    "observed",
    "expected",
    "knox_ratio",
    "p_value",
    "significant_and_meaningful",
]
SCAN_COLUMNS = [
    "from",
    "until",
    "observed",
    "expected",
    "llr",
    "p_value",
    "recurrence_days",
    "lat",
    "lon",
    "radius_m",
]


def result_table(kind: str, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of a near-repeat or scan result (as stored by `to_json`)."""
    if kind == "near_repeat":
        rows = [
            [c["space_label"], c["time_label"], c["observed"], round(c["expected"], 4), c["ratio"],
             c["p_value"], c["significant_and_meaningful"]]
            for c in result["cells"]
        ]  # fmt: skip
        return NEAR_REPEAT_COLUMNS, rows
    rows = [
        [c["start_date"], c["end_date"], c["observed"], round(c["expected"], 3), round(c["llr"], 3),
         c["p_value"], None if c["recurrence_days"] is None else round(c["recurrence_days"], 1),
         c["centre_lat"], c["centre_lon"], c["radius_m"]]
        for c in result["clusters"]
    ]  # fmt: skip
    return SCAN_COLUMNS, rows


# --- parameters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    kind: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)


RULES: dict[str, dict[str, _Rule]] = {
    "near_repeat": {
        "space_bandwidth": _Rule(float, 1, 5000),
        "space_bands": _Rule(int, 1, 20),
        "time_bandwidth": _Rule(float, 1, 365),
        "time_bands": _Rule(int, 1, 20),
        "metric": _Rule(str, choices=("manhattan", "euclidean")),
        "mode": _Rule(str, choices=("exact", "nrc")),
        "permutations": _Rule(int, 0, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
    },
    "hotspots": {
        "cell": _Rule(float, 50, 10_000),
        "permutations": _Rule(int, 0, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
        "alpha": _Rule(float, 0.001, 0.2),
        "bandwidth": _Rule(float, 25, 10_000),
    },
    "scan": {
        "days": _Rule(int, 60, 3 * 366),
        "window": _Rule(int, 1, 90),
        "radius": _Rule(float, 0, 10_000),
        "cell": _Rule(float, 50, 5000),
        "replicates": _Rule(int, 99, 9999),
        "seed": _Rule(int, 0, 2**31 - 1),
    },
}


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of an analysis, converted and range-checked; unknown or
    bad ones raise InvalidInput with a message that names them."""
    rules = RULES.get(kind)
    if rules is None:
        raise InvalidInput(_("Unknown analysis."))
    checked: dict[str, Any] = {}
    for name, value in params.items():
        rule = rules.get(name)
        if rule is None:
            raise InvalidInput(_("Unknown parameter: %(name)s.") % {"name": name})
        if value is None or value == "":
            continue
        try:
            converted = rule.kind(value)
        except (TypeError, ValueError):
            raise InvalidInput(_("%(name)s is not valid.") % {"name": name}) from None
        if rule.kind is float and not math.isfinite(converted):
            raise InvalidInput(_("%(name)s is not valid.") % {"name": name})
        if rule.choices and converted not in rule.choices:
            raise InvalidInput(
                _("%(name)s must be one of: %(choices)s.")
                % {"name": name, "choices": ", ".join(rule.choices)}
            )
        if rule.low is not None and rule.high is not None and not rule.low <= converted <= rule.high:
            raise InvalidInput(
                _("%(name)s must be between %(low)s and %(high)s.")
                % {"name": name, "low": rule.low, "high": rule.high}
            )
        checked[name] = converted
    return checked


# --- hotspots and density -------------------------------------------------------------------


HOTSPOT_DEFAULTS: dict[str, Any] = {
    "cell": 500.0,
    "permutations": 999,
    "seed": 0,
    "alpha": 0.05,
    "bandwidth": 250.0,
}
HOTSPOT_DAYS = 365  # a year by default: long enough to be stable, short enough to be current
MAX_GRID_CELLS = 2_000_000


@dataclass(frozen=True)
class HotCell:
    row: int
    col: int
    lon: float
    lat: float
    count: int
    z: float
    p_value: float
    q_value: float
    level: int  # +3/+2/+1 hot at 99/95/90 %, −1…−3 cold, 0 not significant


@dataclass(frozen=True)
class HotspotOutcome:
    scope: Scope
    events: int
    grid: Any  # stats.grid.Grid
    projection: Any  # stats.projection.LocalProjection
    counts: np.ndarray
    result: Any  # stats.hotspots.GiStarResult
    levels: np.ndarray
    alpha: float
    seconds: float

    @property
    def hot_cells(self) -> int:
        return int((self.levels > 0).sum())

    @property
    def cold_cells(self) -> int:
        return int((self.levels < 0).sum())

    def top(self, limit: int = 20) -> list[HotCell]:
        """The hottest significant cells, strongest first."""
        rows, cols = np.nonzero(self.levels > 0)
        order = np.argsort(-self.result.z[rows, cols])[:limit]
        xc, yc = self.grid.centres()
        cells = []
        for index in order:
            r, c = int(rows[index]), int(cols[index])
            lon, lat = self.projection.inverse(xc[c], yc[r])
            cells.append(
                HotCell(
                    row=r,
                    col=c,
                    lon=float(lon),
                    lat=float(lat),
                    count=int(self.counts[r, c]),
                    z=float(self.result.z[r, c]),
                    p_value=float(self.result.p_sim[r, c]),
                    q_value=float(self.result.q_norm[r, c]),
                    level=int(self.levels[r, c]),
                )
            )
        return cells

    def to_geojson(self) -> dict[str, Any]:
        """The significant cells (hot and cold) with their figures, for maps and GIS."""
        collection = self.grid.cell_polygons_lonlat(
            self.projection,
            self.levels != 0,
            {
                "count": self.counts,
                "z": np.round(self.result.z, 4),
                "p_value": self.result.p_sim,
                "q_value": self.result.q_norm,
                "level": self.levels,
            },
        )
        collection["properties"] = {
            "cell_m": self.grid.cell,
            "events": self.events,
            "permutations": self.result.permutations,
            "alpha": self.alpha,
            "statistic": "Getis-Ord Gi*",
        }
        return collection


def _cells_needed(x: np.ndarray, y: np.ndarray, cell: float, pad: int) -> float:
    return ((np.ptp(x) / cell) + 2 * pad + 2) * ((np.ptp(y) / cell) + 2 * pad + 2) if len(x) else 0.0


def _located(actor: Actor, scope: Scope) -> Points:
    """The scope's events with coordinates inside the place's sectors' bounding
    box (with a margin): a point imported with swapped coordinates or from
    another country does not stretch the grid over half a continent."""
    points = load_points(actor, scope).located()
    box = place_bounds(scope.unit)
    if box is None or not len(points):
        return points
    west, south, east, north = box
    inside = (points.lon >= west) & (points.lon <= east) & (points.lat >= south) & (points.lat <= north)
    return points.where(inside)


def _grid_for(points: Points, cell: float) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    from .stats.grid import Grid
    from .stats.projection import LocalProjection

    projection = LocalProjection.for_points(points.lon, points.lat)
    x, y = projection.forward(points.lon, points.lat)
    if _cells_needed(x, y, cell, 1) > MAX_GRID_CELLS:
        raise InvalidInput(_("The grid would be too large: choose larger cells or a smaller place."))
    return Grid.covering(x, y, cell, pad=1), projection, x, y


def hotspots(actor: Actor, scope: Scope, **params: Any) -> HotspotOutcome:
    """Getis-Ord Gi* over a square grid of the scope's located events, with
    per-cell permutation p-values and the false-discovery-rate correction."""
    from .stats.hotspots import gi_star

    options = {**HOTSPOT_DEFAULTS, **check_params("hotspots", params)}
    if scope.start is None:
        scope = scope.with_dates((scope.end or today()) - timedelta(days=HOTSPOT_DAYS - 1), scope.end)
    points = _located(actor, scope)
    if len(points) < 3:
        raise InvalidInput(_("There are too few located events in this place and period for a hotspot map."))
    started = time.perf_counter()
    grid, projection, x, y = _grid_for(points, float(options["cell"]))
    counts = grid.bin(x, y)
    result = gi_star(counts, permutations=int(options["permutations"]), seed=int(options["seed"]))
    levels = hotspot_levels(result, float(options["alpha"]))
    return HotspotOutcome(
        scope=scope,
        events=len(points),
        grid=grid,
        projection=projection,
        counts=counts,
        result=result,
        levels=levels,
        alpha=float(options["alpha"]),
        seconds=time.perf_counter() - started,
    )


def hotspot_levels(result: Any, alpha: float) -> np.ndarray:
    """Hot (+) and cold (−) cells at 90/95/99 % (levels 1/2/3): the analytic z's
    p-values after the Benjamini–Hochberg correction, as ArcGIS's hot spot
    analysis calls them, and only where the cell's own permutation test agrees
    (pseudo-p ≤ alpha). FDR on permutation p-values alone cannot call any cell
    on a large grid: their floor, 1/(permutations + 1), is far above
    alpha/cells, so the permutation test confirms rather than corrects."""
    levels = result.classes(alpha, fdr=True, p="norm")
    if result.permutations:
        levels = np.where(result.p_sim <= alpha, levels, 0).astype(np.int8)
    return np.asarray(levels)


@dataclass(frozen=True)
class DensityOutcome:
    events: int
    surface: np.ndarray  # events per km², rows south to north
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    peak: float

    def png(self) -> bytes:
        """The surface as a transparent heat image (for a map overlay)."""
        import io

        from matplotlib import colormaps
        from PIL import Image

        scaled = self.surface / self.peak if self.peak > 0 else self.surface
        rgba = colormaps["inferno_r"](np.clip(scaled, 0, 1), bytes=True)
        rgba[..., 3] = (np.clip(scaled, 0, 1) ** 0.5 * 200).astype(np.uint8)
        rgba[scaled < 0.02, 3] = 0
        buffer = io.BytesIO()
        Image.fromarray(rgba[::-1], mode="RGBA").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def density(actor: Actor, scope: Scope, **params: Any) -> DensityOutcome:
    """A Gaussian kernel density surface of the scope's located events."""
    from .stats.kde import kde_grid

    options = {**HOTSPOT_DEFAULTS, **check_params("hotspots", params)}
    if scope.start is None:
        scope = scope.with_dates((scope.end or today()) - timedelta(days=HOTSPOT_DAYS - 1), scope.end)
    points = _located(actor, scope)
    if len(points) < 3:
        raise InvalidInput(_("There are too few located events in this place and period for a density map."))
    bandwidth = float(options["bandwidth"])
    cell = max(25.0, min(float(options["cell"]) / 5, bandwidth / 2.5))
    from .stats.grid import Grid
    from .stats.projection import LocalProjection

    projection = LocalProjection.for_points(points.lon, points.lat)
    x, y = projection.forward(points.lon, points.lat)
    while _cells_needed(x, y, cell, math.ceil(3 * bandwidth / cell)) > MAX_GRID_CELLS:
        cell *= 1.5
    grid = Grid.covering(x, y, cell, pad=math.ceil(3 * bandwidth / cell))
    surface = kde_grid(grid, x, y, bandwidth=bandwidth) * 1e6  # per m² → per km²
    left, right, bottom, top = grid.extent
    lon, lat = projection.inverse([left, right, left, right], [bottom, bottom, top, top])
    return DensityOutcome(
        events=len(points),
        surface=surface,
        bounds=((float(lat.min()), float(lon.min())), (float(lat.max()), float(lon.max()))),
        peak=float(surface.max(initial=0.0)),
    )


# --- the emerging-cluster scan --------------------------------------------------------------


SCAN_DEFAULTS: dict[str, Any] = {
    "days": 365,
    "window": 30,
    "radius": 1000.0,
    "cell": 500.0,
    "replicates": 999,
    "seed": 0,
}
DAILY_SCAN: dict[str, Any] = {**SCAN_DEFAULTS, "min_events": 30}
SIGNAL_RECURRENCE_DAYS = 100.0  # a daily scan signals once in 100 days by chance at most (p ≤ 0.01)


@dataclass(frozen=True)
class Finding:
    category: str
    category_label: str
    sector_id: int
    centre_lat: float
    centre_lon: float
    radius_m: float
    start_date: date
    end_date: date
    observed: int
    expected: float
    llr: float
    p_value: float
    recurrence_days: float
    area: dict[str, Any]


@dataclass(frozen=True)
class ScanOutcome:
    scope: Scope
    category: str
    category_label: str
    events: int
    findings: list[Finding]
    seconds: float
    replicates: int

    def significant(self) -> list[Finding]:
        return [f for f in self.findings if f.recurrence_days >= SIGNAL_RECURRENCE_DAYS]

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "category_label": self.category_label,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "replicates": self.replicates,
            "clusters": [
                {
                    **{
                        k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for k, v in f.__dict__.items()
                        if k not in {"start_date", "end_date", "area"}
                    },
                    "start_date": f.start_date.isoformat(),
                    "end_date": f.end_date.isoformat(),
                    "signal": f.recurrence_days >= SIGNAL_RECURRENCE_DAYS,
                }
                for f in self.findings
            ],
        }


def _circle(projection: Any, x: float, y: float, radius: float, vertices: int = 32) -> dict[str, Any]:
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    lon, lat = projection.inverse(x + radius * np.cos(angles), y + radius * np.sin(angles))
    ring = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def scan(
    actor: Actor,
    scope: Scope,
    *,
    progress: Progress = None,
    category_label: str = "",
    **params: Any,
) -> ScanOutcome:
    """The prospective space-time permutation scan (Kulldorff 2005) of the
    scope's located events over the last `days` days: clusters still going on."""
    from .stats.scan import space_time_permutation_scan

    options = {**SCAN_DEFAULTS, **check_params("scan", params)}
    end = scope.end or today()
    days = int(options["days"])
    scope = scope.with_dates(end - timedelta(days=days - 1), end)
    points = _located(actor, scope)
    label = category_label or (", ".join(scope.categories) if scope.categories else _("All categories"))
    code = ",".join(scope.categories) or "*"
    if len(points) < 3:
        return ScanOutcome(scope, code, label, len(points), [], 0.0, int(options["replicates"]))
    started = time.perf_counter()
    grid, projection, x, y = _grid_for(points, float(options["cell"]))
    rows, cols = grid.cell_of(x, y)
    flat = rows * grid.nx + cols
    cells, event_loc = np.unique(flat, return_inverse=True)
    xc, yc = grid.centres()
    loc_x, loc_y = xc[cells % grid.nx], yc[cells // grid.nx]
    result = space_time_permutation_scan(
        loc_x,
        loc_y,
        event_loc,
        points.day.astype(np.int64),
        end_day=end.toordinal(),
        study_days=days,
        max_window_days=int(options["window"]),
        max_radius=float(options["radius"]),
        replicates=int(options["replicates"]),
        seed=int(options["seed"]),
        progress=progress,
    )
    findings = []
    for cluster in result.clusters:
        members = (
            np.isin(event_loc, cluster.locations)
            & (points.day >= cluster.start_day)
            & (points.day <= cluster.end_day)
        )
        sectors = points.sector[members]
        sectors = sectors[sectors >= 0]
        sector_id = int(np.bincount(sectors).argmax()) if sectors.size else scope.unit.pk
        cx, cy = float(loc_x[cluster.centre]), float(loc_y[cluster.centre])
        lon, lat = projection.inverse(cx, cy)
        radius = float(cluster.radius) + float(options["cell"]) / 2
        findings.append(
            Finding(
                category=code,
                category_label=label,
                sector_id=sector_id,
                centre_lat=round(float(lat), 6),
                centre_lon=round(float(lon), 6),
                radius_m=round(radius, 1),
                start_date=date.fromordinal(cluster.start_day),
                end_date=date.fromordinal(cluster.end_day),
                observed=int(cluster.observed),
                expected=float(cluster.expected),
                llr=float(cluster.llr),
                p_value=float(cluster.p_value),
                recurrence_days=float(cluster.recurrence_days),
                area=_circle(projection, cx, cy, radius),
            )
        )
    return ScanOutcome(
        scope, code, label, len(points), findings, time.perf_counter() - started, int(options["replicates"])
    )


def scan_by_category(
    actor: Actor, scope: Scope, *, min_events: int = 30, **params: Any
) -> Iterator[ScanOutcome]:
    """One scan per category with at least `min_events` located events in the period."""
    options = {**SCAN_DEFAULTS, **params}
    end = scope.end or today()
    window = scope.with_dates(end - timedelta(days=int(options["days"]) - 1), end)
    points = _located(actor, window)
    for category in list_categories(scope.subject):
        if int((points.category == category.id).sum()) < min_events:
            continue
        single = Scope(unit=scope.unit, subject=scope.subject, categories=(category.code,), end=end)
        yield scan(actor, single, category_label=category.name, **options)


# --- priorities of a sector -----------------------------------------------------------------


@dataclass(frozen=True)
class Priority:
    subject: str
    category: Category
    score: float
    reasons: list[str]
    recent: int  # events in the last 28 days (incidents) or 90 days (concerns)


PRIORITY_HOTSPOT_PERMUTATIONS = 499
# A rise, or a hot cell, counts only with at least this many events: one against none is chance.
MIN_PRIORITY_COUNT = 5


def _number(value: float) -> str:
    return number_format(value, 0 if float(value).is_integer() else 1)


def _widest_visible(actor: Actor, sector: Unit) -> Unit:
    """The sector's station when the actor may see it (hotspots need the
    neighbourhood around the sector), else the sector itself."""
    from .policy import policy

    station = sector.parent
    if station is not None and policy.can(actor, "view", station.path):
        return station
    return sector


def priorities(actor: Actor, sector: Unit, *, on: date | None = None, limit: int = 8) -> list[Priority]:
    """What the sector's team should work on first, from the data and from
    what citizens say, each with the reasons that put it on the list. A rise
    or a hot cell counts only with at least MIN_PRIORITY_COUNT events.

    Points, added up per category: a rise on the last 28 days against the
    same days a year earlier (the Poisson z, when ≥ 2) and on the year to
    date (+1); a weekly alarm (EWMA or CUSUM) in the last four weeks (+2);
    hot spot cells of the sector (Gi* at 95 % after the false-discovery-rate
    correction, +1 and +0.5 per cell up to +2); an open emerging cluster (+3);
    a large share of the sector's incidents (≥ 15 %, +1). Concerns: a rise on
    the last 90 days against the 90 before (z ≥ 2) and a large share of the
    sector's concerns (≥ 20 %, +1)."""
    from .models import ClusterStatus, EmergingCluster, Subject
    from .policy import policy
    from .stats import trends as trend_stats

    policy.require(actor, "view", sector.path)
    on = on or today()
    found: list[Priority] = []

    # Incidents.
    categories = list_categories(Subject.INCIDENTS)
    start = on - timedelta(days=2 * 365 + 7 * 12)
    points = load_points(actor, Scope(sector, Subject.INCIDENTS, start=start, end=on))
    day = points.day.astype(np.int64)
    cat = _category_index(points, categories)
    n_cat = len(categories)
    comparison = trend_stats.compare_periods(day, cat, n_cat, today=on)
    weekly = trend_stats.weekly_counts(day, cat, n_cat, end_day=on.toordinal(), weeks=WEEKS_LOADED)
    recent_alarms = np.concatenate(
        [trend_stats.ewma_alerts(weekly).alarm[:, -4:], trend_stats.cusum_alerts(weekly).alarm[:, -4:]],
        axis=1,
    )
    alarm = np.asarray(recent_alarms.any(axis=1), dtype=bool)
    last_year = day >= on.toordinal() - 364
    year_counts = np.bincount(cat[last_year & (cat >= 0)], minlength=n_cat)
    year_total = int(year_counts.sum())
    hot = _hot_cells_by_category(actor, sector, categories, on, year_counts)
    clusters = {
        c.category: c
        for c in EmergingCluster.objects.filter(
            path__startswith=sector.path, status=ClusterStatus.CANDIDATE, subject=Subject.INCIDENTS
        )
    }
    for index, category in enumerate(categories):
        score, reasons = 0.0, []
        _week, days28, ytd = _changes(comparison, index)
        if days28.z >= 2 and days28.now >= MIN_PRIORITY_COUNT:
            score += min(days28.z, 5.0)
            reasons.append(
                _(
                    "%(now)s in the last 28 days against %(before)s on the same days last year "
                    "(Poisson z %(z)s)."
                )
                % {"now": days28.now, "before": _number(days28.before), "z": number_format(days28.z, 1)}
            )
        if ytd.z >= 2 and ytd.now >= MIN_PRIORITY_COUNT:
            score += 1
            reasons.append(
                _("%(now)s this year to date against %(before)s a year earlier.")
                % {"now": ytd.now, "before": _number(ytd.before)}
            )
        if alarm[index]:
            score += 2
            reasons.append(
                _("A weekly count rose above its usual level in the last four weeks (EWMA or CUSUM).")
            )
        if hot.get(index, 0):
            score += 1 + min(0.5 * hot[index], 2.0)
            reasons.append(
                _("%(cells)s hot spot cells in the sector over the last twelve months (Gi*, 95 %%, FDR).")
                % {"cells": hot[index]}
            )
        cluster = clusters.get(category.code)
        if cluster is not None:
            score += 3
            reasons.append(
                _(
                    "An emerging cluster: %(observed)s incidents where %(expected)s were expected, "
                    "%(start)s to %(end)s."
                )
                % {
                    "observed": cluster.observed,
                    "expected": number_format(cluster.expected, 1),
                    "start": cluster.start_date.isoformat(),
                    "end": cluster.end_date.isoformat(),
                }
            )
        share = year_counts[index] / year_total if year_total else 0.0
        if share >= 0.15 and year_counts[index] >= 10:
            score += 1
            reasons.append(
                _("%(share)s %% of the sector's incidents in the last twelve months.")
                % {"share": round(share * 100)}
            )
        if score > 0:
            found.append(Priority(Subject.INCIDENTS, category, round(score, 1), reasons, days28.now))

    # Concerns: what citizens say [2.5, 3.2].
    concern_categories = list_categories(Subject.CONCERNS)
    concerns = load_points(actor, Scope(sector, Subject.CONCERNS, start=on - timedelta(days=179), end=on))
    ccat = _category_index(concerns, concern_categories)
    recent_mask = concerns.day >= on.toordinal() - 89
    recent = np.bincount(ccat[recent_mask & (ccat >= 0)], minlength=len(concern_categories))
    earlier = np.bincount(ccat[~recent_mask & (ccat >= 0)], minlength=len(concern_categories))
    z = trend_stats.poisson_z(recent, earlier)
    total_recent = int(recent.sum())
    concern_clusters = {
        c.category
        for c in EmergingCluster.objects.filter(
            path__startswith=sector.path, status=ClusterStatus.CANDIDATE, subject=Subject.CONCERNS
        )
    }
    for index, category in enumerate(concern_categories):
        score, reasons = 0.0, []
        if recent[index] >= MIN_PRIORITY_COUNT and z[index] >= 2:
            score += min(float(z[index]), 5.0)
            reasons.append(
                _(
                    "Citizens raised %(now)s concerns about this in the last 90 days, "
                    "against %(before)s in the 90 before."
                )
                % {"now": int(recent[index]), "before": int(earlier[index])}
            )
        share = recent[index] / total_recent if total_recent else 0.0
        if share >= 0.2 and recent[index] >= MIN_PRIORITY_COUNT:
            score += 1
            reasons.append(
                _("%(share)s %% of the concerns citizens raised in the sector in the last 90 days.")
                % {"share": round(share * 100)}
            )
        if category.code in concern_clusters:
            score += 3
            reasons.append(_("An emerging cluster of these concerns was found by the daily scan."))
        if score > 0:
            found.append(Priority(Subject.CONCERNS, category, round(score, 1), reasons, int(recent[index])))
    found.sort(key=lambda p: (-p.score, p.category.name))
    return found[:limit]


def _hot_cells_by_category(
    actor: Actor, sector: Unit, categories: list[Category], on: date, year_counts: np.ndarray
) -> dict[int, int]:
    """Per category index: hot cells (95 %, FDR) holding incidents of the sector,
    with Gi* computed over the station so that the neighbourhood counts."""
    from .models import Subject
    from .stats.hotspots import gi_star

    area = _widest_visible(actor, sector)
    scope = Scope(area, Subject.INCIDENTS, start=on - timedelta(days=364), end=on)
    points = _located(actor, scope)
    if len(points) < 3:
        return {}
    try:
        grid, _projection, x, y = _grid_for(points, HOTSPOT_DEFAULTS["cell"])
    except InvalidInput:  # the area is too large for a grid: no hot-spot reasons, the rest stands
        return {}
    rows, cols = grid.cell_of(x, y)
    cat = _category_index(points, categories)
    in_sector = points.sector == sector.pk
    hot: dict[int, int] = {}
    for index in np.nonzero(year_counts >= 10)[0]:
        mine = cat == index
        counts = grid.bin(x[mine], y[mine])
        result = gi_star(counts, permutations=PRIORITY_HOTSPOT_PERMUTATIONS, seed=0)
        levels = hotspot_levels(result, 0.05)
        sector_cells = {
            (int(r), int(c)) for r, c in zip(rows[mine & in_sector], cols[mine & in_sector], strict=True)
        }
        n_hot = sum(1 for r, c in sector_cells if levels[r, c] >= 2 and counts[r, c] >= MIN_PRIORITY_COUNT)
        if n_hot:
            hot[int(index)] = n_hot
    return hot
