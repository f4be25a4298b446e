"""Incidents planted in the test tree (conftest.py at the root): sectors n1a
(21.0–21.1 E, 42.5–42.6 N) and n1b (21.1–21.2 E) of station n1, and s1a of
station s1 in the south. Each helper writes rows straight to the table, as
an import would, so a test states its pattern in a few lines."""

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pytest

from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import Unit

TODAY = date(2026, 6, 17)  # a Wednesday


def plant(
    unit: Unit,
    category: str,
    days: Iterable[date],
    *,
    lon: float | Iterable[float],
    lat: float | Iterable[float],
    source: str = "test",
) -> int:
    """Incidents of one category on the given days at the given point(s)."""
    category_id = IncidentCategory.objects.get(code=category).pk
    days = list(days)
    lons = np.broadcast_to(np.asarray(lon, dtype=float), (len(days),))
    lats = np.broadcast_to(np.asarray(lat, dtype=float), (len(days),))
    start = Incident.objects.filter(source=source).count()
    Incident.objects.bulk_create(
        Incident(
            source=source,
            source_id=str(start + i),
            category_id=category_id,
            occurred_on=day,
            lon=float(x),
            lat=float(y),
            sector=unit,
            unit_path=unit.path,
        )
        for i, (day, x, y) in enumerate(zip(days, lons, lats, strict=True))
    )
    return len(days)


def background(unit: Unit, category: str, *, years: int, per_week: float, seed: int, box: tuple) -> int:
    """Poisson background over `years` years before TODAY, uniform over the box (lon0, lat0, lon1, lat1)."""
    rng = np.random.default_rng(seed)
    n_days = 365 * years
    counts = rng.poisson(per_week / 7, n_days)
    days = [TODAY - timedelta(days=int(d)) for d in np.repeat(np.arange(n_days), counts)]
    lon0, lat0, lon1, lat1 = box
    lons = rng.uniform(lon0, lon1, len(days))
    lats = rng.uniform(lat0, lat1, len(days))
    return plant(unit, category, days, lon=lons, lat=lats, source=f"bg-{seed}")


def surge(unit: Unit, category: str, *, lon: float, lat: float, seed: int, source: str) -> int:
    """45 events over the last three weeks within about 150 m of (lon, lat)."""
    rng = np.random.default_rng(seed)
    days = [TODAY - timedelta(days=int(d)) for d in rng.integers(0, 20, 45)]
    return plant(
        unit,
        category,
        days,
        lon=lon + rng.normal(0, 0.0015, len(days)),
        lat=lat + rng.normal(0, 0.001, len(days)),
        source=source,
    )


N1A = (21.0, 42.5, 21.1, 42.6)
N1B = (21.1, 42.5, 21.2, 42.6)
S1A = (21.0, 41.9, 21.1, 42.0)


@pytest.fixture
def city(tree):
    """Two years of burglaries and assaults in n1a and n1b, some in s1a, and in
    n1a a burglary hotspot that has surged over the last three weeks."""
    background(tree.n1a, "burglary", years=2, per_week=6, seed=1, box=N1A)
    background(tree.n1b, "burglary", years=2, per_week=6, seed=2, box=N1B)
    background(tree.n1a, "assault", years=2, per_week=4, seed=3, box=N1A)
    background(tree.s1a, "burglary", years=2, per_week=3, seed=4, box=S1A)
    surge(tree.n1a, "burglary", lon=21.05, lat=42.55, seed=5, source="surge")
    return tree


@pytest.fixture
def english(client_for, settings):
    """client_for, with pages in English (the assertions read English text)."""

    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
