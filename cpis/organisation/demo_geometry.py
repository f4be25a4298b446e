"""Illustrative sector boundaries for the demo: Voronoi cells around real
settlements, clipped to an outline of Kosovo. Every cell belongs to exactly
one sector, so the sectors tile the territory with no gaps or overlaps.
Municipal areas are the union of their settlements' cells, not the legal
boundaries."""

import math
import random
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry

# Urban sectors: a town of this many people or more gets one more sector.
PEOPLE_PER_URBAN_SECTOR = 30_000
MAX_URBAN_SECTORS = 8


@dataclass
class SectorShape:
    municipality: str
    code: str
    name: dict[str, str]
    geometry: BaseGeometry
    population: int
    anchor: tuple[float, float]  # lon, lat of the settlement it is named after
    is_urban: bool
    settlements: list[dict[str, Any]] = field(default_factory=list)

    def geojson(self) -> dict[str, Any]:
        return mapping(shapely.set_precision(self.geometry, 1e-6))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Drop slivers of lower dimension that an intersection can leave."""
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def _cells(points: list[tuple[float, float]], clip: BaseGeometry) -> list[BaseGeometry]:
    """Voronoi cells of `points`, in the same order, clipped to `clip`."""
    if len(points) == 1:
        return [clip]
    regions = shapely.voronoi_polygons(MultiPoint(points), extend_to=clip.envelope.buffer(1.0), ordered=True)
    return [_polygonal(cell.intersection(clip)) for cell in shapely.get_parts(regions)]


def _urban_seeds(lon: float, lat: float, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """`count` seed points around a town centre: one at the centre and the
    rest on a ring about 1.5 km out, so urban sectors look like wedges."""
    seeds = [(lon, lat)]
    start = rng.uniform(0, 2 * math.pi)
    for i in range(count - 1):
        angle = start + 2 * math.pi * i / (count - 1)
        radius = 0.018 * rng.uniform(0.8, 1.2)
        seeds.append((lon + radius * math.cos(angle) * 1.35, lat + radius * math.sin(angle)))
    return seeds


URBAN_PART_NAMES = [
    {"sq": "Qendër", "sr": "Центар", "en": "Centre"},
    {"sq": "Veri", "sr": "Север", "en": "North"},
    {"sq": "Lindje", "sr": "Исток", "en": "East"},
    {"sq": "Jug", "sr": "Југ", "en": "South"},
    {"sq": "Perëndim", "sr": "Запад", "en": "West"},
    {"sq": "Verilindje", "sr": "Североисток", "en": "North-east"},
    {"sq": "Juglindje", "sr": "Југоисток", "en": "South-east"},
    {"sq": "Jugperëndim", "sr": "Југозапад", "en": "South-west"},
    {"sq": "Veriperëndim", "sr": "Северозапад", "en": "North-west"},
]


def _urban_part(seed_lon: float, seed_lat: float, lon: float, lat: float, index: int) -> dict[str, str]:
    if index == 0:
        return URBAN_PART_NAMES[0]
    angle = math.degrees(math.atan2(seed_lat - lat, (seed_lon - lon) / 1.35)) % 360
    # 0° east, 90° north: map to the compass names above.
    compass = [
        (22.5, 2),
        (67.5, 5),
        (112.5, 1),
        (157.5, 8),
        (202.5, 4),
        (247.5, 7),
        (292.5, 3),
        (337.5, 6),
    ]
    for limit, name_index in compass:
        if angle < limit:
            return URBAN_PART_NAMES[name_index]
    return URBAN_PART_NAMES[2]


def build_sectors(geography: dict[str, Any], *, seed: int) -> list[SectorShape]:
    """Sectors for every municipality in `geography` (see demo_data/kosovo.json)."""
    rng = random.Random(seed)
    outline = shapely.make_valid(Polygon(geography["outline"]))
    places: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for municipality in geography["municipalities"]:
        places.append((municipality, None))
        places.extend((municipality, settlement) for settlement in municipality["settlements"])
    points = [(m["seat"]["lon"], m["seat"]["lat"]) if s is None else (s["lon"], s["lat"]) for m, s in places]
    cells = _cells(points, outline)
    sectors: list[SectorShape] = []
    counters: dict[str, int] = {}
    for (municipality, settlement), cell, point in zip(places, cells, points, strict=True):
        code = municipality["code"]
        if cell.is_empty:
            continue
        if settlement is not None:
            counters[code] = counters.get(code, 0) + 1
            sectors.append(
                SectorShape(
                    municipality=code,
                    code=f"{code}-{counters[code]:02d}",
                    name=dict(settlement["name"]),
                    geometry=cell,
                    population=int(settlement.get("population") or 0),
                    anchor=point,
                    is_urban=False,
                    settlements=[settlement],
                )
            )
            continue
        village_people = sum(int(s.get("population") or 0) for s in municipality["settlements"])
        town_people = max(int(municipality.get("population") or 0) - village_people, 1000)
        count = max(1, min(MAX_URBAN_SECTORS, round(town_people / PEOPLE_PER_URBAN_SECTOR)))
        seeds = _urban_seeds(point[0], point[1], count, rng)
        seeds = [s for s in seeds if cell.contains(Point(s))] or [point]
        for index, (part, seed_point) in enumerate(zip(_cells(seeds, cell), seeds, strict=True)):
            if part.is_empty:
                continue
            part_name = _urban_part(seed_point[0], seed_point[1], point[0], point[1], index)
            town = municipality["name"]
            name = {
                language: f"{town[language]} – {part_name[language]}" if len(seeds) > 1 else town[language]
                for language in ("sq", "sr", "en")
            }
            sectors.append(
                SectorShape(
                    municipality=code,
                    code=f"{code}-q{index + 1}",
                    name=name,
                    geometry=part,
                    population=town_people // len(seeds),
                    anchor=seed_point,
                    is_urban=True,
                )
            )
    return sectors
