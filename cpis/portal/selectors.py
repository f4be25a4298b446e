"""Reads for the public pages: the places a citizen browses (regions, municipalities
and their stations, sectors) at readable addresses taken from the unit tree, and a
sector's crime and concern figures — monthly counts by public category and places
snapped to anonymous 200 m cells — as the neighbourhood page, its JSON and its CSV
show them. Counted by the database; no record, text, contact or exact point."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.concerns import selectors as concern_selectors
from cpis.core.anonymous_places import SNAP_METRES
from cpis.incidents import selectors as incident_selectors
from cpis.organisation import selectors as organisation
from cpis.organisation.models import Unit, UnitKind

# --- places ---------------------------------------------------------------------------

# The kinds of unit a citizen browses to; the directorate is the whole country (/places/).
PLACE_KINDS = (UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR)


def place_slug(unit: Unit | str) -> str:
    """The address below /places/ of a unit (or of the unit at a path): its materialised
    path without the root ("kp/pr/prishtine/prishtine-q1/" → "pr/prishtine/prishtine-q1");
    "" for the root."""
    path = unit if isinstance(unit, str) else unit.path
    return "/".join(path.strip("/").split("/")[1:])


def place_url(unit: Unit | str) -> str:
    """The address of a place's public page (/places/ for the root)."""
    slug = place_slug(unit)
    return reverse("portal:place", args=[slug]) if slug else reverse("portal:places")


# Read with a place, for its way back: a sector under a substation is five levels down.
_ANCESTORS = (
    "municipality",
    "parent__municipality",
    "parent__parent__municipality",
    "parent__parent__parent__municipality",
)


# The boundaries (the map reads them from the API) of the place and those above it.
_SHAPES = ("boundary", *(f"{'parent__' * n}boundary" for n in range(1, 4)))


def get_place(slug: str) -> Unit:
    """The region, station, substation or sector at `slug` (see `place_slug`), with
    the places above it; 404 otherwise. One query."""
    root_path = Unit.objects.filter(parent__isnull=True).order_by("path").values("path")[:1]
    unit = (
        Unit.objects.filter(
            path=Concat(Subquery(root_path), Value(f"{slug.strip('/')}/"), output_field=CharField()),
            kind__in=PLACE_KINDS,
        )
        .select_related(*_ANCESTORS)
        .defer(*_SHAPES)
        .first()
    )
    if unit is None:
        raise Http404(_("Not found."))
    return unit


def list_ancestors(unit: Unit) -> list[Unit]:
    """The places above a unit, the widest first, without the root: for the way back.
    Read with the unit when it came from `get_place`."""
    found = []
    node = unit.parent if unit.depth > 2 else None
    while node is not None:
        found.append(node)
        node = node.parent if node.depth > 2 else None  # a region's parent is the root
    return found[::-1]


def list_regions() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.REGION).order_by("path"))


@dataclass
class PlaceNode:
    """A place and the places under it, for a page that lists them by links."""

    unit: Unit
    children: list["PlaceNode"] = field(default_factory=list)

    @property
    def own_sectors(self) -> list[Unit]:
        """The sectors right under this place."""
        return [n.unit for n in self.children if n.unit.kind == UnitKind.SECTOR]

    @property
    def groups(self) -> list["PlaceNode"]:
        """The places right under this place that hold sectors (stations, substations)."""
        return [n for n in self.children if n.unit.kind != UnitKind.SECTOR]

    @property
    def sectors(self) -> list[Unit]:
        """Every sector at and under this place, in the tree's order."""
        found = [self.unit] if self.unit.kind == UnitKind.SECTOR else []
        for child in self.children:
            found += child.sectors
        return found


# What a list of places shows: names, the municipality's name, the population.
_LISTED = (
    "path",
    "kind",
    "code",
    "name_sq",
    "name_sr",
    "name_en",
    "population",
    "municipality__name_sq",
    "municipality__name_sr",
    "municipality__name_en",
)


def place_tree(unit: Unit, *, depth: int, kinds: Iterable[str] = PLACE_KINDS) -> PlaceNode:
    """The place and its descendants of `kinds` down to `depth` levels below it (one
    query), as nodes."""
    units = (
        Unit.objects.within(unit.path)
        .filter(kind__in=list(kinds))
        .exclude(pk=unit.pk)
        .select_related("municipality")
        .only(*_LISTED)
        .order_by("path")
    )
    top = PlaceNode(unit)
    nodes = {unit.path: top}
    for child in units:
        if child.depth > unit.depth + depth:
            continue
        parent = nodes.get(child.path[: child.path.rstrip("/").rfind("/") + 1])
        if parent is None:  # under a kind of unit citizens do not browse
            continue
        node = PlaceNode(child)
        parent.children.append(node)
        nodes[child.path] = node
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.unit.kind != UnitKind.SECTOR, place_name(n.unit)))
    return top


def regions_and_municipalities() -> PlaceNode:
    """The whole country: its regions, each with its stations (municipalities)."""
    root = organisation.get_root_unit()
    return place_tree(root, depth=2, kinds=(UnitKind.REGION, UnitKind.STATION))


def place_name(unit: Unit) -> str:
    """What a citizen calls the place: a station by its municipality's name (Kosovo
    Police has a station for each municipality), any other unit by its own."""
    if unit.kind == UnitKind.STATION and unit.municipality_id is not None:
        return unit.municipality.name  # type: ignore[union-attr]
    return unit.name


def list_public_places() -> Iterable[Unit]:
    """Every place a citizen may browse to, in the tree's order (the sitemap)."""
    return Unit.objects.filter(kind__in=PLACE_KINDS).only("path", "kind", "updated_at").order_by("path")


# --- a sector's figures ---------------------------------------------------------------

FIGURE_MONTHS = 12


@dataclass(frozen=True)
class Series:
    """One category's monthly counts over the figures' months."""

    code: str
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Table:
    """A kind of record's monthly counts by category, the busiest category first."""

    kind: str  # "incidents" or "concerns"
    series: list[Series]
    totals: list[int]

    @property
    def total(self) -> int:
        return sum(self.totals)


@dataclass(frozen=True)
class Cell:
    """A 200 m cell's centre with how many records of one kind and category lie in it."""

    lat: float
    lon: float
    kind: str
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Figures:
    start: date  # the first day of the first month
    end: date  # the first day after the last month
    months: list[date]
    incidents: Table
    concerns: Table
    cells: list[Cell] | None  # read only when asked for (the JSON and the map's CSV)


def figure_months(today: date | None = None, months: int = FIGURE_MONTHS) -> list[date]:
    """The first days of the last `months` whole months before this one."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1
    return [date((i // 12), (i % 12) + 1, 1) for i in range(index - months, index)]


def _table(
    kind: str, rows: list[tuple[int, date, int]], categories: Iterable[Any], months: list[date]
) -> Table:
    position = {month: i for i, month in enumerate(months)}
    counts: dict[int, list[int]] = {}
    for category_id, month, n in rows:
        if month in position:
            counts.setdefault(category_id, [0] * len(months))[position[month]] += n
    series = [Series(c.code, c.name, counts[c.pk]) for c in categories if c.pk in counts]
    series.sort(key=lambda s: -s.total)
    totals = [sum(column) for column in zip(*(s.counts for s in series), strict=True)] if series else []
    return Table(kind, series, totals or [0] * len(months))


def _cells(
    kind: str, places: tuple[np.ndarray, np.ndarray, np.ndarray], categories: dict[int, Any]
) -> list[Cell]:
    """The snapped places of one kind, one row per cell and category with its count."""
    lat, lon, category = places
    if not len(lat):
        return []
    keys = np.stack([lat, lon, category.astype(np.float64)], axis=1)
    unique, counts = np.unique(keys, axis=0, return_counts=True)
    labels = {pk: (c.code, c.name) for pk, c in categories.items()}  # each name translated once
    return [
        Cell(float(a), float(o), kind, *labels[int(c)], int(n))
        for (a, o, c), n in zip(unique.tolist(), counts.tolist(), strict=True)
        if int(c) in labels
    ]


def sector_figures(sector: Unit, *, today: date | None = None, with_cells: bool = False) -> Figures:
    """A sector's public figures over the last twelve whole months: incidents and
    concerns by month and public category (never a sensitive one) and, when asked,
    where they were, snapped to anonymous 200 m cells. Four to six queries."""
    months = figure_months(today)
    start = months[0]
    end = date(start.year + 1, start.month, 1)
    incident_categories = {c.pk: c for c in incident_selectors.list_public_categories()}
    concern_categories = {c.pk: c for c in concern_selectors.list_public_categories()}
    incidents = _table(
        "incidents",
        incident_selectors.count_public_by_month(sector, start=start, end=end),
        incident_categories.values(),
        months,
    )
    concerns = _table(
        "concerns",
        concern_selectors.count_public_by_month(sector, start=start, end=end),
        concern_categories.values(),
        months,
    )
    cells = None
    if with_cells:
        cells = _cells(
            "incidents", incident_selectors.public_places(sector, start=start, end=end), incident_categories
        ) + _cells(
            "concerns", concern_selectors.public_places(sector, start=start, end=end), concern_categories
        )
    return Figures(start, end, months, incidents, concerns, cells)


def cell_features(cells: list[Cell]) -> dict[str, Any]:
    """The cells as a GeoJSON FeatureCollection, one feature per cell centre with
    its counts by kind and category (what the map draws)."""
    by_point: dict[tuple[float, float], list[Cell]] = {}
    for cell in cells:
        by_point.setdefault((cell.lat, cell.lon), []).append(cell)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "incidents": sum(c.count for c in group if c.kind == "incidents"),
                    "concerns": sum(c.count for c in group if c.kind == "concerns"),
                    "counts": [
                        {"kind": c.kind, "category": c.code, "name": c.name, "count": c.count} for c in group
                    ],
                },
            }
            for (lat, lon), group in sorted(by_point.items())
        ],
    }


CELL_METRES = SNAP_METRES
