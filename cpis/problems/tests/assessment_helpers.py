"""Incidents planted around a response date in the test tree's sectors, for
the assessment's tests: N1A (21.0–21.1 E, 42.5–42.6 N) is the target, a strip
of N1B within 300 m of their shared border lies in a 400 m buffer, and the
rest of N1B, more than 1.5 km away, is the control."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import Unit

RESPONSE = date(2024, 7, 1)
WINDOW = 182
AFTER_END = RESPONSE + timedelta(days=WINDOW)

# (west, east, south, north) of where each area's incidents fall.
TARGET_BOX = (21.02, 21.08, 42.52, 42.58)
BUFFER_BOX = (21.1010, 21.1035, 42.52, 42.58)  # 80–290 m east of N1A's edge
CONTROL_BOX = (21.12, 21.19, 42.51, 42.59)


@dataclass(frozen=True)
class Plan:
    """How many incidents before and after the response date in each area."""

    target: tuple[int, int]
    buffer: tuple[int, int] = (0, 0)
    control: tuple[int, int] = (0, 0)


def place(
    unit: Unit,
    box: tuple[float, float, float, float],
    days: list[date],
    *,
    code: str = "burglary",
    seed: int = 1,
) -> list[Incident]:
    """One incident of `code` on each day, at random in `box`, recorded in `unit`."""
    rng = np.random.default_rng(seed)
    west, east, south, north = box
    category = IncidentCategory.objects.get(code=code)
    lons = rng.uniform(west, east, len(days)).round(6)
    lats = rng.uniform(south, north, len(days)).round(6)
    sector = unit if unit.kind == "sector" else None
    return Incident.objects.bulk_create(
        Incident(
            source="test",
            source_id=f"{unit.code}-{code}-{seed}-{k}",
            category=category,
            occurred_on=day,
            lat=float(lat),
            lon=float(lon),
            sector=sector,
            unit_path=unit.path,
        )
        for k, (day, lon, lat) in enumerate(zip(days, lons.tolist(), lats.tolist(), strict=True))
    )


def window_days(n_before: int, n_after: int, *, seed: int, response: date = RESPONSE) -> list[date]:
    """`n_before` days in the before-window and `n_after` in the after-window, at random."""
    rng = np.random.default_rng(seed)
    before = rng.integers(1, WINDOW + 1, n_before)
    after = rng.integers(1, WINDOW + 1, n_after)
    return [response - timedelta(days=int(d)) for d in before] + [
        response + timedelta(days=int(d)) for d in after
    ]


def plant(tree, plan: Plan, *, code: str = "burglary", seed: int = 1) -> None:
    for number, (unit, box, (before, after)) in enumerate(
        [
            (tree.n1a, TARGET_BOX, plan.target),
            (tree.n1b, BUFFER_BOX, plan.buffer),
            (tree.n1b, CONTROL_BOX, plan.control),
        ]
    ):
        days = window_days(before, after, seed=seed * 10 + number)
        place(unit, box, days, code=code, seed=seed * 10 + number)
