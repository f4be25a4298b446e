"""Shared fixtures: the taxonomy (seeded again, as a transactional test's
flush empties what the data migration filled), uploaded and rejected files
in a fresh folder, and a quick way to add incidents by hand."""

from datetime import date, time

import pytest
from django.utils import translation

from cpis.incidents.models import Incident, IncidentCategory
from cpis.incidents.taxonomy import seed


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in English (requests choose their own language)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def taxonomy(db):
    """code → IncidentCategory."""
    seed(IncidentCategory)
    return {c.code: c for c in IncidentCategory.objects.all()}


@pytest.fixture
def add(taxonomy):
    """add(unit, "burglary", day=…, lat=…, lon=…) → an Incident placed at `unit`."""
    counter = iter(range(1, 1_000_000))

    def make(unit, code="burglary", *, day=date(2024, 3, 10), hour=None, lat=None, lon=None, source="test"):
        sector = unit if unit is not None and unit.kind == "sector" else None
        return Incident.objects.create(
            source=source,
            source_id=f"T-{next(counter)}",
            category=taxonomy[code],
            occurred_on=day,
            occurred_time=None if hour is None else time(hour, 0),
            lat=lat,
            lon=lon,
            sector=sector,
            unit_path=unit.path if unit is not None else "",
        )

    return make


# Points in the test tree's sectors (0.1° squares) and one outside them all, as a file writes them.
N1A = ("42.55", "21.05")
N1B = ("42.55", "21.15")
S1A = ("41.95", "21.05")
AWAY = ("48.1", "11.6")


@pytest.fixture
def good_rows():
    """Four valid rows of a Kosovo Police file (mapped with test_import.MAPPING)."""
    return [
        ["A-1", "Vjedhje e rëndë", "2024-03-02", "21:40", *N1A, "Rr. Agim Ramadani", "Filan Fisteku"],
        ["A-2", "Break and Enter", "02.03.2024", "7", *N1B, "", "Filane Fisteku"],
        ["A-3", "Крађа возила", "2024/03/02 05:00:00+00", "", *S1A, "Fushë Kosovë", ""],
        ["A-4", "assault", "2/3/2024", "00:05", *AWAY, "München", ""],
    ]
