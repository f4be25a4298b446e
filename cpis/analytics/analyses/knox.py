"""Near-repeat of a place: the Knox test of its located events (are events
close in space also close in time, more than chance allows?), the alert it
gives, and that alert applied to the latest events (kernel in `stats/knox.py`)."""

import math
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cpis.core.errors import InvalidInput
from cpis.organisation.access import Actor

from ..selectors import Scope, load_points, today
from .common import Progress, located, projected
from .files import FileEvents
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
    """A near-repeat table: of a scope's events, or of a file's (`file`, with no scope)."""

    scope: Scope | None
    events: int
    seconds: float
    result: Any  # stats.knox.KnoxResult
    risk: Any  # stats.knox.NearRepeatRisk | None
    file: FileEvents | None = None

    def to_json(self) -> dict[str, Any]:
        result, risk = self.result, self.risk
        data = {
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
        if self.file is not None:
            data["file"] = {
                "name": self.file.name,
                "rows": self.file.rows,
                "rejected": self.file.rejected,
                "left_out": self.file.left_out,
                "crs": self.file.crs,
                "projection": self.file.projection.crs,
                "projection_name": self.file.projection.name,
                "projection_reason": self.file.projection.reason,
            }
        return data


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
# The NRC's significance levels and the iterations each runs (its best p is the level).
NRC_PERMUTATIONS = {"0.05": 19, "0.01": 99, "0.001": 999}


def band_options(params: dict[str, Any]) -> dict[str, Any]:
    """The near-repeat parameters checked, with the defaults, and the band
    options as the Knox kernel takes them; InvalidInput (translated) for a
    combination that cannot be asked: edges with a bandwidth, the NRC mode with
    anything its dialog does not offer, a tolerance without a same-location band,
    edges not increasing."""
    checked = check_params("near_repeat", params)
    mode = checked.get("mode", NEAR_REPEAT_DEFAULTS["mode"])
    options: dict[str, Any] = {
        name: value
        for name, value in NEAR_REPEAT_DEFAULTS.items()
        if name not in ("space_bandwidth", "space_bands", "time_bandwidth", "time_bands")
    }
    options.update({k: v for k, v in checked.items() if k not in ("significance",)})
    if "significance" in checked:
        permutations = NRC_PERMUTATIONS[checked["significance"]]
        if "permutations" in checked and checked["permutations"] != permutations:
            raise InvalidInput(
                _(
                    "The significance level %(level)s means %(permutations)s permutations: "
                    "give one or the other."
                )
                % {"level": checked["significance"], "permutations": permutations}
            )
        options["permutations"] = permutations
    for dimension in ("space", "time"):
        edges = checked.get(f"{dimension}_edges")
        given = [name for name in (f"{dimension}_bandwidth", f"{dimension}_bands") if name in checked]
        if edges is not None:
            if given:
                raise InvalidInput(
                    _(
                        "Give either the distance edges or a distance bandwidth and a number of bands, "
                        "not both."
                    )
                    if dimension == "space"
                    else _("Give either the time edges or a time bandwidth and a number of bands, not both.")
                )
            if mode == "nrc":
                raise InvalidInput(
                    _(
                        "The NRC mode asks what the Near Repeat Calculator's dialog asks: a bandwidth "
                        "and a number of bands, not edges."
                    )
                )
            if edges[0] <= 0 or any(b <= a for a, b in pairwise(edges)):
                raise InvalidInput(
                    _("The distance edges must be positive and increasing.")
                    if dimension == "space"
                    else _("The time edges must be positive and increasing.")
                )
            options[f"{dimension}_edges"] = tuple(edges)
        else:
            for name in (f"{dimension}_bandwidth", f"{dimension}_bands"):
                options[name] = checked.get(name, NEAR_REPEAT_DEFAULTS[name])
    same_location = options.get("same_location", True)
    tolerance = float(options.get("same_location_tolerance", 0.0))
    more_than = options.get("more_than", True)
    if mode == "nrc":
        if options.get("closed", "left") != "left":
            raise InvalidInput(
                _(
                    "The Near Repeat Calculator counts bands closed on the left, [a, b): "
                    "the NRC mode cannot close them on the right."
                )
            )
        if not same_location or tolerance != 0 or not more_than:
            raise InvalidInput(
                _(
                    "The Near Repeat Calculator always has a same-location band (distance 0) and "
                    "“more than” bands: the NRC mode cannot change them."
                )
            )
    elif not same_location and "same_location_tolerance" in checked and tolerance > 0:
        raise InvalidInput(_("A same-location tolerance needs the same-location band."))
    first_edge = options["space_edges"][0] if "space_edges" in options else float(options["space_bandwidth"])
    if same_location and first_edge <= tolerance:
        raise InvalidInput(
            _(
                "The first distance band (%(edge)s m) must reach beyond the same-location "
                "tolerance (%(tolerance)s m)."
            )
            % {"edge": f"{first_edge:g}", "tolerance": f"{tolerance:g}"}
        )
    options["same_location"] = same_location
    options["same_location_tolerance"] = tolerance
    options["more_than"] = more_than
    options["mode"] = mode
    return options


def _reach(options: dict[str, Any]) -> float:
    if "space_edges" in options:
        return float(options["space_edges"][-1])
    return float(options["space_bandwidth"]) * int(options["space_bands"])


def _knox(
    x: np.ndarray, y: np.ndarray, days: np.ndarray, options: dict[str, Any], progress: Progress
) -> tuple[Any, Any, float]:
    """The Knox test of the events with the checked options: result, alert, seconds."""
    from ..stats.knox import knox_test, near_repeat_alert

    if len(x) > MAX_NEAR_REPEAT_EVENTS:
        raise InvalidInput(
            _(
                "%(count)s events are too many for one near-repeat table: "
                "choose a smaller place, a shorter period or one category."
            )
            % {"count": f"{len(x):,}"}
        )
    reach = _reach(options)
    if _estimated_pairs(x, y, reach, options["metric"]) > MAX_NEAR_REPEAT_PAIRS:
        raise InvalidInput(
            _(
                "Too many pairs of events lie within %(reach)s m of each other for one table: "
                "choose fewer or narrower distance bands, a smaller place or a shorter period."
            )
            % {"reach": number_format(reach, 0)}
        )
    bands: dict[str, Any] = {}
    for dimension in ("space", "time"):
        if f"{dimension}_edges" in options:
            bands[f"{dimension}_edges"] = list(options[f"{dimension}_edges"])
        else:
            bands[f"{dimension}_bandwidth"] = float(options[f"{dimension}_bandwidth"])
            bands[f"{dimension}_bands"] = int(options[f"{dimension}_bands"])
    started = time.perf_counter()
    try:
        result = knox_test(
            x,
            y,
            days,
            **bands,
            metric=options["metric"],
            mode=options["mode"],
            same_location=bool(options["same_location"]),
            same_location_tolerance=float(options["same_location_tolerance"]),
            more_than=bool(options["more_than"]),
            closed=None if options["mode"] == "nrc" else options.get("closed"),
            permutations=int(options["permutations"]),
            seed=int(options["seed"]),
            progress=progress,
        )
    except ValueError as exc:  # a combination band_options does not foresee: the kernel's reason
        raise InvalidInput(str(exc)) from None
    return result, near_repeat_alert(result), time.perf_counter() - started


def near_repeat(actor: Actor, scope: Scope, *, progress: Progress = None, **params: Any) -> NearRepeatOutcome:
    """The Knox test of the scope's located events (typically burglaries):
    are events close in space also close in time, more than chance allows?"""
    options = band_options(params)
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
    result, risk, seconds = _knox(x, y, points.day, options, progress)
    return NearRepeatOutcome(scope=scope, events=len(points), seconds=seconds, result=result, risk=risk)


def near_repeat_of_file(events: FileEvents, *, progress: Progress = None, **params: Any) -> NearRepeatOutcome:
    """The Knox test of the events read from a file (`files.read_events`), in
    their projection; no database is read and nothing is stored."""
    options = band_options(params)
    if len(events) < 2:
        raise InvalidInput(_("The file has fewer than two usable events: there are no pairs to count."))
    result, risk, seconds = _knox(events.x, events.y, events.day, options, progress)
    return NearRepeatOutcome(
        scope=None, events=len(events), seconds=seconds, result=result, risk=risk, file=events
    )


def risk_sentence(risk: dict[str, Any] | None, space: dict[str, Any] | None = None) -> str:
    """The alert in the bands' terms, from a result's "risk" (and "space" bands):
    "… raised within 600 m on the same day.", "… on the same day or up to 13 days
    later.", or at the same location (within its tolerance); "" without raised
    risk. Whole sentences, each translated as one."""
    if not risk:
        return ""
    distance, days = float(risk["distance"]), int(risk["days"])
    repeat_days = risk.get("repeat_days")
    tolerance = 0.0
    if space and space.get("same_location") and space.get("upper"):
        tolerance = float(space["upper"][0] or 0.0)
    values = {"distance": number_format(distance, 0), "tolerance": f"{tolerance:g}", "days": days}
    if distance > 0:
        if days <= 0:
            sentence = _(
                "After an event, the risk of another is raised within %(distance)s m on the same day."
            )
        else:
            sentence = ngettext(
                "After an event, the risk of another is raised within %(distance)s m on the same day or "
                "the next day.",
                "After an event, the risk of another is raised within %(distance)s m on the same day or "
                "up to %(days)s days later.",
                days,
            )
        sentence %= values
        if repeat_days is not None and int(repeat_days) != days:
            again = int(repeat_days)
            if again <= 0:
                repeat = _("At the same location it is raised on the same day.")
            else:
                repeat = ngettext(
                    "At the same location it is raised on the same day or the next day.",
                    "At the same location it is raised on the same day or up to %(days)s days later.",
                    again,
                ) % {"days": again}
            sentence = f"{sentence} {repeat}"
        return sentence
    days = int(repeat_days) if repeat_days is not None else days
    values["days"] = days
    if tolerance > 0:
        if days <= 0:
            return (
                _(
                    "After an event, the risk of another is raised at the same location (within "
                    "%(tolerance)s m) on the same day."
                )
                % values
            )
        return (
            ngettext(
                "After an event, the risk of another is raised at the same location (within %(tolerance)s m) "
                "on the same day or the next day.",
                "After an event, the risk of another is raised at the same location (within %(tolerance)s m) "
                "on the same day or up to %(days)s days later.",
                days,
            )
            % values
        )
    if days <= 0:
        return _("After an event, the risk of another is raised at the same location on the same day.")
    return (
        ngettext(
            "After an event, the risk of another is raised at the same location on the same day or "
            "the next day.",
            "After an event, the risk of another is raised at the same location on the same day or up to "
            "%(days)s days later.",
            days,
        )
        % values
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
