"""Demo incidents for Kosovo: about 200,000 over the last five years (5,000
for the small demo, 1,000,000 at national scale), with the patterns real
recorded crime has, so that every analysis finds something:

* where: density follows population — each town and village draws
  incidents in proportion to its people, spread over an area that grows
  with its size — and a few persistent hot spots (town centres, markets);
* when: seasons per category (burglary in winter, assault and public
  order in summer), weekly and daily cycles (burglary in winter evenings,
  assault and disorder on weekend nights), and a slow trend up in some
  stations and down in others;
* near repeats: after a burglary, further burglaries within about 200 m
  and 14 days, with some probability (chains), which the Knox test finds;
* one or two recent bursts (the last three weeks, a few hundred metres
  across) for the emerging-cluster scan;
* a dozen chronic problems (`planted_problems`): a steady stream of one
  category in a small area for a year, then, from a response day on, a
  genuine fall (some with part of it moved into the surrounding buffer,
  some with no effect at all), which the problems demo opens as problems
  and whose assessments must find what was planted.

Deterministic for a seed and day; vectorised with NumPy and written in large
batches (COPY on PostgreSQL, executemany elsewhere)."""

import math
from dataclasses import dataclass
from datetime import date
from itertools import islice

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from cpis.organisation.models import Municipality, Settlement, Unit
from cpis.organisation.selectors import locate_sectors

from .models import Incident, IncidentCategory
from .parsing import UNKNOWN_TIME, Batch
from .writing import CopyWriter

SOURCE = "kp-demo"
COUNTS = {"small": 5_000, "standard": 200_000, "national": 1_000_000}
YEARS = 5
METRES_PER_DEGREE_LAT = 111_320.0

# Share of incidents, months of the year (Jan…Dec) and days of the week (Mon…Sun).
CATEGORY_MIX = {
    "theft": (0.22, [8, 8, 8, 8, 9, 9, 10, 10, 9, 9, 10, 11], [10, 10, 10, 10, 11, 11, 8]),
    "burglary": (0.12, [13, 12, 10, 8, 7, 7, 7, 7, 8, 10, 12, 14], [10, 10, 10, 10, 11, 10, 9]),
    "assault": (0.13, [7, 7, 8, 9, 10, 12, 13, 13, 10, 8, 7, 8], [8, 7, 7, 8, 11, 15, 13]),
    "public-order": (0.11, [6, 6, 7, 9, 11, 13, 14, 14, 10, 8, 6, 8], [7, 6, 6, 7, 11, 16, 14]),
    "traffic-offence": (0.10, [9, 8, 8, 8, 9, 10, 12, 12, 9, 9, 9, 11], [9, 9, 9, 9, 10, 11, 10]),
    "criminal-damage": (0.07, [8, 8, 8, 9, 9, 10, 10, 10, 9, 9, 9, 10], [9, 9, 9, 9, 10, 12, 11]),
    "domestic-violence": (0.06, [10, 9, 8, 8, 8, 8, 9, 9, 8, 8, 9, 12], [9, 8, 8, 8, 9, 12, 13]),
    "vehicle-theft": (0.05, [10, 9, 9, 8, 8, 8, 9, 9, 9, 10, 10, 11], [10, 10, 10, 10, 10, 10, 9]),
    "drugs": (0.04, [8, 8, 8, 8, 9, 10, 11, 11, 9, 9, 8, 8], [9, 9, 9, 9, 10, 12, 10]),
    "fraud": (0.03, [9, 9, 9, 9, 9, 9, 8, 8, 9, 9, 10, 12], [11, 11, 11, 11, 11, 5, 3]),
    "robbery": (0.02, [10, 9, 8, 8, 8, 8, 8, 8, 8, 9, 10, 12], [9, 9, 9, 9, 10, 12, 11]),
    "weapons": (0.015, [12, 8, 8, 8, 8, 9, 10, 10, 8, 8, 8, 14], [8, 8, 8, 8, 9, 14, 12]),
    "sexual-offence": (0.008, [8, 8, 8, 9, 9, 10, 11, 11, 9, 9, 8, 8], [9, 9, 9, 9, 10, 12, 12]),
    "homicide": (0.002, [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], [9, 9, 9, 9, 9, 11, 11]),
    "other": (0.023, [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], [10, 10, 10, 10, 10, 9, 8]),
}
# Hour of day (0…23) per category; burglary and disorder shift further below.
DAYTIME = [2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9, 8, 7, 6, 5, 4, 3]
EVENING = [5, 4, 3, 2, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 7, 8, 9, 10, 11, 11, 10, 8, 6]
NIGHT = [10, 9, 7, 5, 3, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 7, 8, 10, 12, 13, 13, 12]
HOURS = {
    "theft": DAYTIME,
    "burglary": EVENING,
    "assault": NIGHT,
    "public-order": NIGHT,
    "traffic-offence": DAYTIME,
    "criminal-damage": NIGHT,
    "domestic-violence": EVENING,
    "vehicle-theft": NIGHT,
    "drugs": EVENING,
    "fraud": DAYTIME,
    "robbery": EVENING,
    "weapons": NIGHT,
    "sexual-offence": NIGHT,
    "homicide": NIGHT,
    "other": DAYTIME,
}
WINTER_EVENING = [3, 2, 2, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 7, 11, 15, 17, 16, 13, 9, 6, 4]
WEEKEND_NIGHT = [16, 14, 10, 7, 4, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 4, 5, 6, 8, 10, 13, 15, 17, 17]
# Share of records with no time (discovered afterwards: burglary, vehicle theft).
NO_TIME = {"burglary": 0.22, "vehicle-theft": 0.18, "theft": 0.10, "criminal-damage": 0.15}
# Near repeats: the chance a burglary is followed by another nearby, soon after.
NEAR_REPEAT_CHANCE = 0.25
NEAR_REPEAT_METRES = 200.0
NEAR_REPEAT_DAYS = 14
# Trend per station, per year (log-linear): some up, some down.
TREND_RANGE = (-0.12, 0.12)
# Persistent hot spots: share of a town's incidents at its centre and market.
HOTSPOT_SHARE = 0.18
HOTSPOT_TOWNS = 15


# Chronic problems (cpis/problems/demo.py works them): each a stream of one category
# inside TARGET_METRES of a point, from a year before its response day; after it the
# stream falls by `drop`, and `moved` of what fell happens in the buffer ring instead.
TARGET_METRES = 300.0
BUFFER_METRES = 400.0
PLANTED_CODES = ("burglary", "theft", "public-order", "assault")
PLANTED_EFFECTS = {"fall": (0.65, 0.0), "displaced": (0.65, 0.9), "none": (0.0, 0.0)}
# Sites per effect: fewer in the small demo, where each needs a denser stream to be seen.
PLANTED_PER_EFFECT = {"small": 2, "larger": 4}
SMALL_DEMO = 50_000  # counts below this are the small demo's
PLANTED_APART_METRES = 5_000.0


@dataclass(frozen=True)
class Planted:
    """A planted chronic problem: where, what, when the response began, and what it did."""

    lon: float
    lat: float
    code: str
    response_day: int  # ordinal
    effect: str  # a key of PLANTED_EFFECTS
    monthly: float  # incidents a month inside the target before the response
    place: int  # index into Places


@dataclass
class Places:
    """Towns and villages with people: where incidents happen."""

    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray
    name: list[str]
    station: np.ndarray  # index into `stations`
    stations: list[str]  # station paths


def clear_demo() -> None:
    Incident.objects.filter(source=SOURCE).delete()


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Create the demo incidents; returns lines for the command to print."""
    created = add_demo_incidents(count=COUNTS[scale], seed=seed, today=today)
    if not created:
        return []
    return [f"{created:,} demo incidents over {YEARS} years ({SOURCE})."]


def _places() -> Places | None:
    """Municipality seats and settlements that lie in a demo sector, with
    their station (the sector's station)."""
    lon: list[float] = []
    lat: list[float] = []
    people: list[float] = []
    names: list[str] = []
    settled: dict[int, int] = {}
    for municipality_id, population in Settlement.objects.order_by("pk").values_list(
        "municipality_id", "population"
    ):
        settled[municipality_id] = settled.get(municipality_id, 0) + (population or 0)
    for municipality in Municipality.objects.order_by("code"):
        town = max((municipality.population or 0) - settled.get(municipality.pk, 0), 3000)
        lon.append(municipality.seat_lon)
        lat.append(municipality.seat_lat)
        people.append(float(town))
        names.append(municipality.name_sq)
    for settlement in Settlement.objects.order_by("pk"):
        lon.append(settlement.lon)
        lat.append(settlement.lat)
        people.append(float(settlement.population or 300))
        names.append(settlement.name_sq)
    if not lon:
        return None
    lons, lats = np.array(lon), np.array(lat)
    sector = locate_sectors(lats=lats, lons=lons)
    inside = sector >= 0
    if not inside.any():
        return None
    paths = dict(Unit.objects.filter(pk__in=np.unique(sector[inside]).tolist()).values_list("pk", "path"))
    station_of = ["/".join(paths[s].split("/")[:3]) + "/" for s in sector[inside].tolist()]
    stations = sorted(set(station_of))
    index = {path: i for i, path in enumerate(stations)}
    return Places(
        lon=lons[inside],
        lat=lats[inside],
        population=np.array(people)[inside],
        name=[n for n, keep in zip(names, inside.tolist(), strict=True) if keep],
        station=np.array([index[p] for p in station_of]),
        stations=stations,
    )


def _offsets(
    rng: np.random.Generator, n: int, metres: np.ndarray, lat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian offsets in degrees with standard deviation `metres`."""
    dy = rng.normal(0.0, 1.0, n) * metres / METRES_PER_DEGREE_LAT
    dx = rng.normal(0.0, 1.0, n) * metres / (METRES_PER_DEGREE_LAT * np.cos(np.radians(lat)))
    return dx, dy


def _days(
    rng: np.random.Generator,
    categories: np.ndarray,
    trend: np.ndarray,
    first: int,
    days: int,
    codes: list[str],
) -> np.ndarray:
    """A day (ordinal) for each incident: seasons and weekdays per category,
    then thinned by the station's trend (rejection sampling)."""
    calendar = [date.fromordinal(first + d) for d in range(days)]
    month = np.array([d.month - 1 for d in calendar])
    weekday = np.array([d.weekday() for d in calendar])
    out = np.empty(len(categories), dtype=np.int64)
    todo = np.arange(len(categories))
    years = days / 365.25
    while len(todo):
        for c, code in enumerate(codes):
            which = todo[categories[todo] == c]
            if not len(which):
                continue
            _share, months, weekdays = CATEGORY_MIX[code]
            weights = np.array(months, dtype=float)[month] * np.array(weekdays, dtype=float)[weekday]
            cumulative = np.cumsum(weights)
            out[which] = np.searchsorted(cumulative, rng.random(len(which)) * cumulative[-1])
        # Keep each with probability relative to the trend's highest point.
        t = out[todo] / 365.25
        slope = trend[todo]
        keep = rng.random(len(todo)) < np.exp(slope * t - np.maximum(slope, 0) * years)
        todo = todo[~keep]
    return out + first


def _hours(
    rng: np.random.Generator, categories: np.ndarray, days: np.ndarray, codes: list[str]
) -> np.ndarray:
    """Minutes after midnight (UNKNOWN_TIME for records without a time)."""
    n = len(categories)
    hours = np.zeros(n, dtype=np.int64)
    months = np.array([date.fromordinal(int(d)).month for d in np.unique(days)])
    month_of = dict(zip(np.unique(days).tolist(), months.tolist(), strict=True))
    month = np.array([month_of[d] for d in days.tolist()])
    weekday = (days - 1) % 7  # date.fromordinal(1) is a Monday
    winter = np.isin(month, [11, 12, 1, 2])
    weekend = weekday >= 4  # Friday to Sunday nights
    for c, code in enumerate(codes):
        mine = categories == c
        groups = [(mine, HOURS[code])]
        if code == "burglary":
            groups = [(mine & ~winter, HOURS[code]), (mine & winter, WINTER_EVENING)]
        elif code in {"assault", "public-order"}:
            groups = [(mine & ~weekend, HOURS[code]), (mine & weekend, WEEKEND_NIGHT)]
        for where, profile in groups:
            k = int(where.sum())
            if k:
                p = np.array(profile, dtype=float)
                hours[where] = rng.choice(24, size=k, p=p / p.sum())
    minutes = hours * 60 + rng.integers(0, 60, n)
    unknown = np.zeros(n, dtype=bool)
    for c, code in enumerate(codes):
        if code in NO_TIME:
            mine = categories == c
            unknown[mine] = rng.random(int(mine.sum())) < NO_TIME[code]
    return np.where(unknown, UNKNOWN_TIME, minutes)


def _near_repeats(
    rng: np.random.Generator, lon: np.ndarray, lat: np.ndarray, day: np.ndarray, at: np.ndarray, last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Followers of burglaries, generation by generation: each incident is
    followed, with NEAR_REPEAT_CHANCE, by one within NEAR_REPEAT_METRES and
    NEAR_REPEAT_DAYS (at the same place's name)."""
    found: list[tuple[np.ndarray, ...]] = []
    p_lon, p_lat, p_day, p_at = lon, lat, day, at
    while len(p_lon):
        followed = rng.random(len(p_lon)) < NEAR_REPEAT_CHANCE
        k = int(followed.sum())
        distance = NEAR_REPEAT_METRES * np.sqrt(rng.random(k))  # uniform over the disc
        angle = rng.random(k) * 2 * math.pi
        c_lat = p_lat[followed] + distance * np.sin(angle) / METRES_PER_DEGREE_LAT
        c_lon = p_lon[followed] + distance * np.cos(angle) / (
            METRES_PER_DEGREE_LAT * np.cos(np.radians(p_lat[followed]))
        )
        c_day = p_day[followed] + rng.integers(1, NEAR_REPEAT_DAYS + 1, k)
        ok = c_day <= last
        p_lon, p_lat, p_day, p_at = c_lon[ok], c_lat[ok], c_day[ok], p_at[followed][ok]
        found.append((p_lon, p_lat, p_day, p_at))
    if not found:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    f_lon, f_lat, f_day, f_at = (np.concatenate(part) for part in zip(*found, strict=True))
    return f_lon, f_lat, f_day, f_at


@dataclass
class Generated:
    lon: np.ndarray
    lat: np.ndarray
    day: np.ndarray
    minute: np.ndarray
    category: np.ndarray  # index into codes
    place: np.ndarray  # index into Places.name


def generate(count: int, *, seed: int, today: date, places: Places, codes: list[str]) -> Generated:
    """`count` incidents (about) with the patterns of the module's docstring."""
    rng = np.random.default_rng(seed)
    last = today.toordinal()
    days = int(YEARS * 365.25)
    first = last - days + 1
    shares = np.array([CATEGORY_MIX[c][0] for c in codes])
    shares /= shares.sum()
    burglary = codes.index("burglary")
    # Fewer first burglaries, so that with their followers the share holds.
    boost = 1.0 / (1.0 - NEAR_REPEAT_CHANCE)
    base_shares = shares.copy()
    base_shares[burglary] /= boost
    # The planted problems' streams are part of the count (their own generator, so that
    # the rest of the demo draws the same numbers whether or not they are planted).
    planted_rng = np.random.default_rng(seed + 11)
    planted = [
        (site, _planted_stream(planted_rng, site, last))
        for site in planted_problems(count=count, seed=seed, today=today, places=places, codes=codes)
    ]
    base_count = round(max(count - sum(len(stream[2]) for _site, stream in planted), 0) * base_shares.sum())
    base_shares /= base_shares.sum()
    category = rng.choice(len(codes), size=base_count, p=base_shares)

    # Where: a place by population, then around it, wider for bigger places;
    # a share of each big town's incidents at its centre and market.
    weights = places.population**1.1
    at = rng.choice(len(weights), size=base_count, p=weights / weights.sum())
    spread = np.minimum(250.0 + 5.0 * np.sqrt(places.population), 2500.0)[at]
    dx, dy = _offsets(rng, base_count, spread, places.lat[at])
    lon, lat = places.lon[at] + dx, places.lat[at] + dy
    towns = np.argsort(-places.population, kind="stable")[:HOTSPOT_TOWNS]
    market = rng.normal(0.0, 600.0, (len(places.lon), 2)) / METRES_PER_DEGREE_LAT
    in_town = np.isin(at, towns)
    hot = in_town & (rng.random(base_count) < HOTSPOT_SHARE)
    spot = rng.random(base_count) < 0.5  # centre or market
    hx, hy = _offsets(rng, base_count, np.full(base_count, 70.0), places.lat[at])
    lon = np.where(hot, places.lon[at] + np.where(spot, 0.0, market[at, 0]) + hx, lon)
    lat = np.where(hot, places.lat[at] + np.where(spot, 0.0, market[at, 1]) + hy, lat)

    # When: seasons, weekdays and the station's trend.
    trend = rng.uniform(*TREND_RANGE, len(places.stations))[places.station[at]]
    day = _days(rng, category, trend, first, days, codes)

    # Near repeats after burglaries.
    is_burglary = category == burglary
    f_lon, f_lat, f_day, f_at = _near_repeats(
        rng, lon[is_burglary], lat[is_burglary], day[is_burglary], at[is_burglary], last
    )
    lon = np.concatenate((lon, f_lon))
    lat = np.concatenate((lat, f_lat))
    day = np.concatenate((day, f_day))
    category = np.concatenate((category, np.full(len(f_lon), burglary)))
    at = np.concatenate((at, f_at))

    # Bursts: the last three weeks, a few hundred metres across, in two towns.
    burst_size = max(25, count // 5000)
    bursts = [(codes.index("vehicle-theft"), 14, 1), (codes.index("robbery"), 21, 7)]
    for number, (code, start_ago, end_ago) in enumerate(bursts):
        town = towns[min(number * 2 + 1, len(towns) - 1)]
        size = burst_size if number == 0 else burst_size * 2 // 3
        bx, by = _offsets(rng, size, np.full(size, 120.0), np.full(size, places.lat[town]))
        lon = np.concatenate((lon, places.lon[town] + market[town, 0] + bx))
        lat = np.concatenate((lat, places.lat[town] + market[town, 1] + by))
        day = np.concatenate((day, rng.integers(last - start_ago, last - end_ago + 1, size)))
        category = np.concatenate((category, np.full(size, code)))
        at = np.concatenate((at, np.full(size, town)))

    for site, (p_lon, p_lat, p_day) in planted:
        lon, lat, day = (
            np.concatenate((lon, p_lon)),
            np.concatenate((lat, p_lat)),
            np.concatenate((day, p_day)),
        )
        category = np.concatenate((category, np.full(len(p_day), codes.index(site.code))))
        at = np.concatenate((at, np.full(len(p_day), site.place)))

    minute = _hours(rng, category, day, codes)
    return Generated(lon=lon, lat=lat, day=day, minute=minute, category=category, place=at)


def planted_problems(
    *, count: int, seed: int, today: date, places: Places, codes: list[str]
) -> list[Planted]:
    """The chronic problems planted in the demo incidents (deterministic for the
    seed and day): PLANTED_PER_EFFECT of each effect, at the larger towns, in
    the categories of PLANTED_CODES, responded to 7–14 months ago (one of each
    effect 3–5 months ago, so its after-window has not ended yet)."""
    rng = np.random.default_rng(seed + 7)
    usable = [code for code in PLANTED_CODES if code in codes]
    if not usable:
        return []
    per_effect = PLANTED_PER_EFFECT["small" if count < SMALL_DEMO else "larger"]
    monthly = max(8.0, count / 20_000)
    effects = [e for e in PLANTED_EFFECTS for _ in range(per_effect)]
    sites: list[Planted] = []
    # The larger towns first, each site far enough from the others that no site's
    # buffer or control takes in another's stream.
    for town in np.argsort(-places.population, kind="stable").tolist():
        if len(sites) == len(effects):
            break
        i = len(sites)
        # Away from the centre and market hot spots, a kilometre or two out.
        distance, angle = rng.uniform(900.0, 1800.0), rng.uniform(0.0, 2 * math.pi)
        lat = places.lat[town] + distance * math.sin(angle) / METRES_PER_DEGREE_LAT
        lon = places.lon[town] + distance * math.cos(angle) / (
            METRES_PER_DEGREE_LAT * math.cos(math.radians(places.lat[town]))
        )
        if any(_metres_apart(lon, lat, site.lon, site.lat) < PLANTED_APART_METRES for site in sites):
            continue
        if locate_sectors(lats=np.array([lat]), lons=np.array([lon]))[0] < 0:
            continue  # over a border or outside the demo's sectors
        ago = int(rng.integers(90, 150)) if i % per_effect == 0 else int(rng.integers(210, 420))
        sites.append(
            Planted(
                lon=float(lon),
                lat=float(lat),
                code=usable[i % len(usable)],
                response_day=today.toordinal() - ago,
                effect=effects[i],
                monthly=monthly,
                place=int(town),
            )
        )
    return sites


def _metres_apart(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dy = (lat1 - lat2) * METRES_PER_DEGREE_LAT
    dx = (lon1 - lon2) * METRES_PER_DEGREE_LAT * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def _planted_stream(rng: np.random.Generator, site: Planted, last: int) -> tuple[np.ndarray, ...]:
    """The site's incidents: uniform over the target disc (within 250 m of its
    point) for a year before the response day at `monthly`, after it at the
    rate left by the effect, and what moved uniform over the buffer ring."""
    drop, moved = PLANTED_EFFECTS[site.effect]
    rate = site.monthly / 30.4375
    before = rng.poisson(rate * 365)
    after_days = max(last - site.response_day, 0)
    after = rng.poisson(rate * after_days * (1 - drop))
    ring = rng.poisson(rate * after_days * drop * moved)
    day = np.concatenate(
        (
            _weighted_days(rng, site.code, site.response_day - 365, site.response_day - 1, before),
            _weighted_days(rng, site.code, site.response_day + 1, last, after + ring),
        )
    )
    inner = 250.0 * np.sqrt(rng.random(before + after))
    outer = np.sqrt(rng.uniform((TARGET_METRES + 40) ** 2, (TARGET_METRES + BUFFER_METRES - 40) ** 2, ring))
    distance = np.concatenate((inner, outer))
    angle = rng.random(len(distance)) * 2 * math.pi
    lat = site.lat + distance * np.sin(angle) / METRES_PER_DEGREE_LAT
    lon = site.lon + distance * np.cos(angle) / (METRES_PER_DEGREE_LAT * math.cos(math.radians(site.lat)))
    return lon, lat, day.astype(np.int64)


def _weighted_days(rng: np.random.Generator, code: str, first: int, last: int, n: int) -> np.ndarray:
    """`n` days (ordinals) from `first` to `last` with the category's months and
    weekdays (CATEGORY_MIX), so a planted stream keeps the category's patterns."""
    if n <= 0 or last < first:
        return np.zeros(0, np.int64)
    _share, months, weekdays = CATEGORY_MIX[code]
    days = np.arange(first, last + 1)
    month = np.array([date.fromordinal(int(d)).month - 1 for d in days])
    weights = np.array(months, dtype=float)[month] * np.array(weekdays, dtype=float)[(days - 1) % 7]
    return rng.choice(days, size=n, p=weights / weights.sum()).astype(np.int64)


def demo_planted_problems(*, scale: str, seed: int, today: date) -> list[Planted]:
    """The chronic problems `load_demo` planted for this scale, seed and day."""
    places = _places()
    categories = set(IncidentCategory.objects.values_list("code", flat=True))
    codes = [code for code in CATEGORY_MIX if code in categories]
    if places is None or "burglary" not in codes:
        return []
    return planted_problems(count=COUNTS[scale], seed=seed, today=today, places=places, codes=codes)


def _inside(rng: np.random.Generator, generated: Generated, places: Places) -> np.ndarray:
    """Sector per incident; points that fell outside every sector (over the
    border, or in a region the small demo leaves out) are drawn again near
    their place, and finally put at the place itself."""
    sector = locate_sectors(lats=generated.lat, lons=generated.lon)
    for attempt in range(6):
        out = np.flatnonzero(sector < 0)
        if not len(out):
            break
        at = generated.place[out]
        spread = np.full(len(out), 300.0 if attempt < 5 else 0.0)
        dx, dy = _offsets(rng, len(out), spread, places.lat[at])
        generated.lon[out] = places.lon[at] + dx
        generated.lat[out] = places.lat[at] + dy
        sector[out] = locate_sectors(lats=generated.lat[out], lons=generated.lon[out])
    return sector


@transaction.atomic
def add_demo_incidents(*, count: int, seed: int, today: date) -> int:
    """Generate and store about `count` demo incidents; returns how many."""
    places = _places()
    categories = dict(IncidentCategory.objects.values_list("code", "pk"))
    codes = [code for code in CATEGORY_MIX if code in categories]
    if places is None or count <= 0 or "burglary" not in codes:
        return 0
    generated = generate(count, seed=seed, today=today, places=places, codes=codes)
    sector = _inside(np.random.default_rng(seed + 1), generated, places)
    keep = sector >= 0
    order = np.lexsort((generated.minute[keep], generated.day[keep]))
    ids = np.array([categories[c] for c in codes])[generated.category[keep][order]]
    lon = np.round(generated.lon[keep][order], 6)
    lat = np.round(generated.lat[keep][order], 6)
    day = generated.day[keep][order]
    minute = generated.minute[keep][order]
    sectors = sector[keep][order]
    where = generated.place[keep][order]
    years = np.array([date.fromordinal(int(d)).year for d in np.unique(day)])
    year_of = dict(zip(np.unique(day).tolist(), years.tolist(), strict=True))
    source_ids = [f"{year_of[d]}-{i:07d}" for i, d in enumerate(day.tolist(), start=1)]
    names = np.array(places.name, dtype=object)[where].tolist()
    batch = Batch(
        lines=np.arange(len(day)),
        source_id=source_ids,
        category=ids,
        day=day,
        minute=minute,
        lat=lat,
        lon=lon,
        place=names,
        unit=sectors,
        sector=sectors,
    )
    _store(batch)
    return len(day)


def _store(batch: Batch) -> None:
    """Insert in large batches: COPY on PostgreSQL, executemany elsewhere."""
    paths = dict(Unit.objects.values_list("pk", "path"))
    now = timezone.now()
    if connection.vendor == "postgresql":
        writer = CopyWriter(source=SOURCE, run_id=None, paths=paths)
        writer.write(writer.prepare(batch, batch.unit, now=now), now=now)
        writer.close()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Incident._meta.db_table}")
        return
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    day_text = {d: ops.adapt_datefield_value(date.fromordinal(d)) for d in np.unique(batch.day).tolist()}
    time_text = {
        m: None if m == UNKNOWN_TIME else f"{m // 60:02d}:{m % 60:02d}:00"
        for m in np.unique(batch.minute).tolist()
    }
    table = Incident._meta.db_table
    columns = (
        "source, source_id, category_id, occurred_on, occurred_time, lat, lon, place, sector_id, unit_path, "
        "created_at, updated_at"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    rows = zip(
        [SOURCE] * len(batch),
        batch.source_id,
        batch.category.tolist(),
        [day_text[d] for d in batch.day.tolist()],
        [time_text[m] for m in batch.minute.tolist()],
        batch.lat.tolist(),
        batch.lon.tolist(),
        batch.place,
        batch.sector.tolist(),
        [paths[s] for s in batch.sector.tolist()],
        [stamp] * len(batch),
        [stamp] * len(batch),
        strict=True,
    )
    step = 50_000
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, step)):
            cursor.executemany(sql, chunk)
