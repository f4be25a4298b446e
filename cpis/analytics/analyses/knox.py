"""Near-repeat of a place: the Knox test of its located events (are events
close in space also close in time, more than chance allows?), the alert it
gives, and that alert applied to the latest events (kernel in `stats/knox.py`)."""

import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor

from ..selectors import Scope, load_points, today
from .common import Progress, located, projected
from .parameters import check_params

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
    from ..stats.knox import knox_test, near_repeat_alert

    options = {**NEAR_REPEAT_DEFAULTS, **check_params("near_repeat", params)}
    points = located(actor, scope)
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
    _projection, x, y = projected(points)
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
    actor: Actor,
    scope: Scope,
    *,
    distance: float,
    days: float,
    on: date | None = None,
    recorded_after: datetime | None = None,
) -> list[ActiveAlert]:
    """The near-repeat alert applied to the latest events: every event of the
    scope from the last `days` days (only those first recorded after
    `recorded_after` when it is given), with the area (`distance` metres around
    it) and the last day of raised risk, newest first."""
    on = on or today()
    window = int(days)
    recent = load_points(
        actor, scope.with_dates(on - timedelta(days=window), on), recorded_after=recorded_after
    ).located()
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
