"""What the analyses share: the scope's located events, projected to metres and
with the grid over them, and each event's category as a position in a list of categories."""

from collections.abc import Callable
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.points import Points
from cpis.organisation.access import Actor

from ..selectors import Category, Scope, load_points, place_bounds

Progress = Callable[[float], None] | None

MAX_GRID_CELLS = 2_000_000


def category_index(points: Points, categories: list[Category]) -> np.ndarray:
    """Each event's position in `categories` (−1 for a category not listed)."""
    lookup = np.full(max([c.id for c in categories] + [int(points.category.max(initial=0))]) + 1, -1)
    for index, category in enumerate(categories):
        lookup[category.id] = index
    return lookup[points.category] if len(points) else np.empty(0, dtype=np.int64)


def cells_needed(x: np.ndarray, y: np.ndarray, cell: float, pad: int) -> float:
    return ((np.ptp(x) / cell) + 2 * pad + 2) * ((np.ptp(y) / cell) + 2 * pad + 2) if len(x) else 0.0


def located(actor: Actor, scope: Scope) -> Points:
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


def projected(points: Points) -> tuple[Any, np.ndarray, np.ndarray]:
    """The points' local projection (the UTM zone of their median) and their x, y in metres."""
    from ..stats.projection import LocalProjection

    projection = LocalProjection.for_points(points.lon, points.lat)
    x, y = projection.forward(points.lon, points.lat)
    return projection, x, y


def grid_for(points: Points, cell: float) -> tuple[Any, Any, np.ndarray, np.ndarray]:
    """A square grid of `cell` metres over the points, its projection and the
    points' projected coordinates; InvalidInput when it would be too large."""
    from ..stats.grid import Grid

    projection, x, y = projected(points)
    if cells_needed(x, y, cell, 1) > MAX_GRID_CELLS:
        raise InvalidInput(_("The grid would be too large: choose larger cells or a smaller place."))
    return Grid.covering(x, y, cell, pad=1), projection, x, y
