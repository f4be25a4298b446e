"""Where face-to-face interviewers start (issue #14, item 2): a reproducible,
spatially balanced sample of start points in a sector, and how a wave's
interviews are shared between its sectors. Plain NumPy and shapely, no Django.

* **Allocation.** Sector h gets n_h = max(m, c·√N_h) interviews, c chosen so that
  the n_h add up to the total asked for, rounded by largest remainders so that they
  still do (`allocate`). The square root is Kish's compromise between a
  proportional allocation (best for the whole place's figure) and an equal one (best
  for each sector's); the floor m (30 by default) keeps every sector's estimate
  usable.
* **Start points.** The sector's settlements are put in the order of a Hilbert
  curve through their coordinates (`hilbert_order`), and a systematic sample with
  probability proportional to population is drawn along that order with one random
  start (`systematic_pps`). Neighbours on the curve are neighbours on the ground,
  so the sample spreads over the sector like a stratified one with one unit per
  stratum: the "generalized random tessellation stratified" idea of Stevens and
  Olsen (2004, JASA 99:262–278) with a Hilbert curve in place of their quadrant
  recursion. A settlement larger than the sampling interval is hit more than once
  (several start points in a town). Each start point is a seeded jitter around its
  settlement, drawn again until it falls inside the sector (`jitter_inside`). A
  sector with no settlement inside gets the points of a randomly shifted Halton
  sequence inside its polygon (`halton_inside`).
* **Balance.** `voronoi_balance` is Stevens and Olsen's measure: each population
  unit goes to its nearest sample point, each sample point sums the inclusion
  probabilities of the units it gets, and the measure is the mean squared distance
  of those sums from 1 (0 is perfect balance). The tests compare it with simple
  random sampling and with the same PPS design without the spatial order.

The same seed gives the same points; every sector draws from its own stream
(`numpy.random.default_rng([seed, key])`), so changing one sector's target leaves
the other sectors' points as they were."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

HILBERT_ORDER = 16  # a 65 536 × 65 536 grid: finer than any two settlements
DEFAULT_MINIMUM = 30
JITTER_TRIES = 50
HALTON_MAX_TRIES = 100_000
METRES_PER_DEGREE = 111_320.0


# --- allocation between sectors --------------------------------------------------------


def allocate(total: int, sizes: npt.ArrayLike, minimum: int = DEFAULT_MINIMUM) -> np.ndarray:
    """Whole numbers of interviews per sector adding up to `total`: max(minimum,
    c·√size) with c solved for, then rounded by largest remainders. A sector of
    unknown or zero size gets the minimum; when no size is known the total is
    shared equally. ValueError when the total cannot give every sector its minimum."""
    weights = np.sqrt(np.clip(np.asarray(sizes, dtype=float), 0, None))
    k = len(weights)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    if total < minimum * k:
        raise ValueError(f"a total of {total} cannot give {k} sectors {minimum} each")
    if not weights.sum():
        shares = np.full(k, total / k)
    else:
        floored = weights == 0
        while True:
            free = ~floored
            c = (total - minimum * floored.sum()) / weights[free].sum()
            newly = free & (c * weights < minimum)
            if not newly.any():
                break
            floored |= newly
            if floored.all():  # every sector at the floor: share what is left equally
                c = 0.0
                break
        shares = np.where(floored, float(minimum), c * weights)
        if floored.all():
            shares = np.full(k, total / k)
    return _round_preserving_sum(shares, total)


def _round_preserving_sum(shares: np.ndarray, total: int) -> np.ndarray:
    whole = np.floor(shares + 1e-9).astype(np.int64)
    left = int(total - whole.sum())
    # Largest remainders first; ties to the earlier sector, so the answer is stable.
    order = np.lexsort((np.arange(len(shares)), -(shares - whole)))
    if left > 0:
        whole[order[:left]] += 1
    elif left < 0:  # rounding pushed a share just over a whole number: take it back from the largest
        whole[np.argsort(-whole, kind="stable")[:-left]] -= 1
    return whole


# --- the spatial order -----------------------------------------------------------------


def hilbert_index(ix: np.ndarray, iy: np.ndarray, order: int = HILBERT_ORDER) -> np.ndarray:
    """The distance along a Hilbert curve of cells (ix, iy) of a 2^order grid."""
    n = 1 << order
    x = np.asarray(ix, dtype=np.int64).copy()
    y = np.asarray(iy, dtype=np.int64).copy()
    d = np.zeros(x.shape, dtype=np.int64)
    s = n >> 1
    while s > 0:
        rx = (x & s) > 0
        ry = (y & s) > 0
        d += s * s * ((3 * rx.astype(np.int64)) ^ ry.astype(np.int64))
        # Rotate the quadrant so that the curve inside it has the right orientation.
        flip = (~ry) & rx
        x = np.where(flip, n - 1 - x, x)
        y = np.where(flip, n - 1 - y, y)
        swap = ~ry
        x, y = np.where(swap, y, x), np.where(swap, x, y)
        s >>= 1
    return d


def hilbert_order(lons: npt.ArrayLike, lats: npt.ArrayLike) -> np.ndarray:
    """The indices of the points in the order a Hilbert curve visits them. The
    coordinates are scaled alike on both axes (longitude shrunk by the cosine of
    the latitude), so the curve's neighbours are neighbours on the ground; ties
    keep the given order."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    if len(lons) == 0:
        return np.zeros(0, dtype=np.int64)
    x = lons * math.cos(math.radians(float(np.mean(lats))))
    y = lats
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-12)
    top = (1 << HILBERT_ORDER) - 1
    ix = np.floor((x - x.min()) / span * top).astype(np.int64)
    iy = np.floor((y - y.min()) / span * top).astype(np.int64)
    return np.argsort(hilbert_index(ix, iy), kind="stable")


# --- probability proportional to size ----------------------------------------------------


def systematic_pps(sizes: npt.ArrayLike, n: int, rng: np.random.Generator) -> np.ndarray:
    """n positions (with repeats for units larger than the interval) of a
    systematic sample with probability proportional to `sizes`, in the given
    order, from one uniform start. Unit i is hit n·sizeᵢ/Σsize times in
    expectation. All sizes zero: every unit counts as size 1."""
    sizes = np.clip(np.asarray(sizes, dtype=float), 0, None)
    if n <= 0 or len(sizes) == 0:
        return np.zeros(0, dtype=np.int64)
    if not sizes.sum():
        sizes = np.ones(len(sizes))
    cumulative = np.cumsum(sizes)
    interval = cumulative[-1] / n
    points = rng.uniform(0, interval) + interval * np.arange(n)
    hits = np.searchsorted(cumulative, points, side="right")
    return np.minimum(hits, len(sizes) - 1).astype(np.int64)


def inclusion_expectations(sizes: npt.ArrayLike, n: int) -> np.ndarray:
    """The expected number of hits of each unit in `systematic_pps`: n·sizeᵢ/Σsize."""
    sizes = np.clip(np.asarray(sizes, dtype=float), 0, None)
    return n * sizes / sizes.sum()


# --- points inside a polygon ------------------------------------------------------------


def jitter_radius(population: float | None) -> float:
    """How far (metres) a start point may lie from its settlement's point: 150 m
    for a village of 1 000, growing with the square root of the population up to
    2 km for a city."""
    people = max(float(population or 0), 0.0)
    return float(min(max(150.0 * math.sqrt(people / 1000.0), 150.0), 2000.0))


def jitter_inside(
    polygon: BaseGeometry,
    lon: float,
    lat: float,
    radius_m: float,
    rng: np.random.Generator,
    tries: int = JITTER_TRIES,
) -> tuple[float, float]:
    """A point uniform in the disc of `radius_m` around (lon, lat), drawn again
    until it lies inside `polygon`; after `tries` misses the point itself when it
    is inside, else a point on the polygon's surface."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    for _ in range(tries):
        r = math.sqrt(rng.uniform())
        angle = rng.uniform(0, 2 * math.pi)
        x, y = lon + dlon * r * math.cos(angle), lat + dlat * r * math.sin(angle)
        if shapely.contains_xy(polygon, x, y):
            return float(x), float(y)
    if shapely.intersects_xy(polygon, lon, lat):
        return float(lon), float(lat)
    inside = polygon.point_on_surface()
    return float(inside.x), float(inside.y)


def radical_inverse(i: np.ndarray, base: int) -> np.ndarray:
    """Van der Corput's radical inverse of the integers `i` in `base`."""
    i = np.asarray(i, dtype=np.int64).copy()
    result = np.zeros(i.shape, dtype=float)
    fraction = 1.0 / base
    while (i > 0).any():
        result += fraction * (i % base)
        i //= base
        fraction /= base
    return result


def halton(count: int, start: int = 1) -> np.ndarray:
    """`count` points of the two-dimensional Halton sequence (bases 2 and 3) in the
    unit square, from index `start`."""
    index = np.arange(start, start + count)
    return np.column_stack([radical_inverse(index, 2), radical_inverse(index, 3)])


def halton_inside(polygon: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points (lon, lat) inside `polygon` from the Halton sequence over its
    bounding box, shifted at random modulo 1 (a Cranley–Patterson rotation drawn
    from `rng`), keeping the points that fall inside, in sequence order."""
    if n <= 0:
        return np.zeros((0, 2))
    west, south, east, north = polygon.bounds
    shift = rng.uniform(size=2)
    found: list[np.ndarray] = []
    got, start, batch = 0, 1, max(4 * n, 64)
    while got < n and start < HALTON_MAX_TRIES:
        unit = (halton(batch, start) + shift) % 1.0
        lons = west + unit[:, 0] * (east - west)
        lats = south + unit[:, 1] * (north - south)
        inside = shapely.contains_xy(polygon, lons, lats)
        kept = np.column_stack([lons[inside], lats[inside]])
        found.append(kept)
        got += len(kept)
        start += batch
    points = np.concatenate(found) if found else np.zeros((0, 2))
    if len(points) < n:  # a sliver the sequence misses: fill with points on its surface
        surface = polygon.point_on_surface()
        filler = np.tile([surface.x, surface.y], (n - len(points), 1))
        points = np.concatenate([points, filler])
    return points[:n]


# --- one sector's start points -------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A start point: the index of its settlement among those given (None for a
    point of the Halton sequence), and where it is."""

    settlement: int | None
    lon: float
    lat: float


def draw_points(
    polygon: BaseGeometry,
    lons: npt.ArrayLike,
    lats: npt.ArrayLike,
    populations: npt.ArrayLike,
    n: int,
    rng: np.random.Generator,
) -> list[Drawn]:
    """n start points in the sector `polygon` from its settlements (their points
    and populations, all inside the polygon): systematic PPS along the Hilbert
    order, each point jittered inside; with no settlement, a shifted Halton
    sequence inside the polygon. The points come in the curve's order."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    sizes = np.asarray(populations, dtype=float)
    if n <= 0:
        return []
    if len(lons) == 0:
        return [Drawn(None, float(x), float(y)) for x, y in halton_inside(polygon, n, rng)]
    order = hilbert_order(lons, lats)
    hits = order[systematic_pps(sizes[order], n, rng)]
    drawn = []
    for index in hits:
        lon, lat = jitter_inside(polygon, lons[index], lats[index], jitter_radius(sizes[index]), rng)
        drawn.append(Drawn(int(index), lon, lat))
    return drawn


def sector_rng(seed: int, key: int) -> np.random.Generator:
    """The random stream of one sector of a wave: the wave's seed and the sector's key."""
    return np.random.default_rng([int(seed), int(key)])


def points_needed(target: int, per_point: int) -> int:
    """How many start points a sector's target needs at `per_point` interviews each."""
    return math.ceil(target / per_point) if target > 0 else 0


def interviews_at_each(target: int, points: int) -> int:
    """Interviews to make at each of `points` start points to reach `target`."""
    return math.ceil(target / points) if points else 0


# --- how balanced a sample is ---------------------------------------------------------------


def voronoi_balance(xs: np.ndarray, ys: np.ndarray, inclusion: np.ndarray, sample: np.ndarray) -> float:
    """Stevens and Olsen's (2004) spatial balance of a sample: every population
    unit (xs, ys) goes to its nearest sampled unit; each sampled unit sums the
    inclusion probabilities of those it gets; the answer is the mean of
    (sum − 1)². 0 is perfect balance; lower is better. Brute force, for tests and
    small populations."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    sample = np.unique(np.asarray(sample, dtype=np.int64))
    dx = xs[:, None] - xs[sample][None, :]
    dy = ys[:, None] - ys[sample][None, :]
    nearest = np.argmin(dx * dx + dy * dy, axis=1)
    sums = np.bincount(nearest, weights=np.asarray(inclusion, dtype=float), minlength=len(sample))
    return float(np.mean((sums - 1.0) ** 2))
