from datetime import date, timedelta

import numpy as np
import pytest
import time_machine
from django.http import Http404
from django.utils import translation

from cpis.analytics import analyses, services
from cpis.analytics.models import ClusterStatus, EmergingCluster, Subject
from cpis.concerns.tests.factories import submit
from cpis.core.errors import InvalidInput
from cpis.incidents.models import Incident
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment
from cpis.organisation.tests.factories import OfficerFactory

from .conftest import N1A, S1A, TODAY, background, plant, surge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


def scope(unit, **kwargs):
    return analyses.Scope(unit=unit, **kwargs)


def test_trends_count_each_category_against_the_same_days_a_year_earlier(tree):
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=d) for d in range(10)], lon=21.05, lat=42.55)
    last_year = TODAY.replace(year=TODAY.year - 1)
    plant(tree.n1a, "burglary", [last_year - timedelta(days=d) for d in (0, 1, 30)], lon=21.05, lat=42.55)
    report = analyses.trends(Actor.system(), scope(tree.n1))
    burglary = next(r for r in report.rows if r.category and r.category.code == "burglary")
    assert (burglary.week.now, burglary.week.before) == (7, 2)
    assert (burglary.days28.now, burglary.days28.before) == (10, 2)
    assert burglary.days28.z == pytest.approx(2 * (np.sqrt(10) - np.sqrt(2)))
    assert burglary.days28.direction == "up"
    assert burglary.years[-1] == 10 and burglary.years[-2] == 3
    assert report.total.days28.now == 10
    assert len(report.weekly) == analyses.WEEKS_SHOWN and sum(report.weekly[-2:]) == 10


def test_trends_raise_an_alert_for_the_place_whose_weekly_count_jumps(city):
    report = analyses.trends(Actor.system(), scope(city.n1))
    places = {(a.place.code, a.category.code) for a in report.alerts}
    assert ("n1a", "burglary") in places
    assert all(a.place.code in {"n1a", "n1b"} for a in report.alerts)
    assert sum(report.weekly[-3:]) > sum(report.weekly[-6:-3])


def test_trends_see_only_the_actors_places(city, actor_for):
    report = analyses.trends(actor_for("commander_s1"), scope(city.s1))
    assert (
        report.total.ytd.now
        == Incident.objects.filter(unit_path__startswith=city.s1.path)
        .filter(occurred_on__gte=date(TODAY.year, 1, 1))
        .count()
    )
    with pytest.raises(Http404, match="Not found"):
        analyses.trends(actor_for("commander_s1"), scope(city.n1))


def test_hotspots_find_the_surge_and_report_fdr_corrected_cells(city):
    outcome = analyses.hotspots(Actor.system(), scope(city.n1, categories=("burglary",)), cell=250, seed=1)
    assert outcome.hot_cells >= 1
    top = outcome.top(1)[0]
    assert abs(top.lon - 21.05) < 0.01 and abs(top.lat - 42.55) < 0.01
    assert top.level >= 2 and top.q_value <= 0.05
    collection = outcome.to_geojson()
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["level"] for f in collection["features"]} <= {-3, -2, -1, 1, 2, 3}
    assert len(collection["features"]) == outcome.hot_cells + outcome.cold_cells


def test_hotspots_refuse_a_place_with_too_few_events(tree):
    with pytest.raises(InvalidInput):
        analyses.hotspots(Actor.system(), scope(tree.s1))


def test_bad_parameters_are_refused_with_their_name():
    with pytest.raises(InvalidInput, match="cell"):
        analyses.check_params("hotspots", {"cell": "-5"})
    with pytest.raises(InvalidInput, match="colour"):
        analyses.check_params("hotspots", {"colour": "red"})
    with pytest.raises(InvalidInput, match="metric"):
        analyses.check_params("near_repeat", {"metric": "chebyshev"})


def test_density_surface_peaks_at_the_surge(city):
    outcome = analyses.density(Actor.system(), scope(city.n1a, categories=("burglary",)), bandwidth=200)
    (south, west), (north, east) = outcome.bounds
    assert south < 42.55 < north and west < 21.05 < east
    row, col = np.unravel_index(np.argmax(outcome.surface), outcome.surface.shape)
    lat = south + (row + 0.5) / outcome.surface.shape[0] * (north - south)
    lon = west + (col + 0.5) / outcome.surface.shape[1] * (east - west)
    assert abs(lat - 42.55) < 0.005 and abs(lon - 21.05) < 0.005
    assert outcome.png().startswith(b"\x89PNG")


def test_near_repeat_finds_the_chains_and_says_where_and_how_long(tree):
    rng = np.random.default_rng(7)
    background(tree.n1a, "burglary", years=1, per_week=20, seed=8, box=N1A)
    # Chains: a burglary, then two more within 100 m and a week.
    for start in rng.integers(0, 330, 60):
        x, y = rng.uniform(21.01, 21.09), rng.uniform(42.51, 42.59)
        days = [TODAY - timedelta(days=int(start) + d) for d in (0, 2, 5)]
        plant(
            tree.n1a,
            "burglary",
            days,
            lon=x + rng.normal(0, 0.0003, 3),
            lat=y + rng.normal(0, 0.0003, 3),
            source="chain",
        )
    outcome = analyses.near_repeat(
        Actor.system(), scope(tree.n1a, categories=("burglary",)), permutations=99, seed=3
    )
    assert outcome.risk is not None and outcome.risk.distance >= 100 and outcome.risk.days >= 7
    data = outcome.to_json()
    cell = next(c for c in data["cells"] if c["space_index"] == 1 and c["time_index"] == 0)
    assert cell["significant_and_meaningful"] and cell["ratio"] > 2
    assert data["space"]["closed"] == "(a, b]" and data["events"] == outcome.events


def test_near_repeat_needs_events(tree):
    with pytest.raises(InvalidInput):
        analyses.near_repeat(Actor.system(), scope(tree.n1a, categories=("burglary",)), permutations=9)


def test_scan_finds_the_surge_and_stores_one_candidate_however_often_it_runs(city):
    outcome = analyses.scan(
        Actor.system(), scope(city.n1, categories=("burglary",)), replicates=99, days=365, cell=500
    )
    assert outcome.significant(), outcome.findings
    best = outcome.significant()[0]
    assert best.sector_id == city.n1a.pk and best.end_date == TODAY
    assert abs(best.centre_lat - 42.55) < 0.01 and best.observed > 2 * best.expected
    services.save_clusters(outcome)
    services.save_clusters(outcome)
    clusters = EmergingCluster.objects.filter(status=ClusterStatus.CANDIDATE, unit=city.n1a)
    assert clusters.count() == len({f.sector_id for f in outcome.significant()}) == 1


def test_daily_scan_covers_every_region_and_category_with_enough_events(city):
    # A second surge in another region and of another category: assaults in s1a (south),
    # over a year of background, as the city has burglaries surging in n1a (north).
    background(city.s1a, "assault", years=1, per_week=2, seed=9, box=S1A)
    surge(city.s1a, "assault", lon=21.05, lat=41.95, seed=11, source="south-surge")
    stored = services.run_daily_scan(today=TODAY, replicates=99)
    clusters = EmergingCluster.objects.filter(status=ClusterStatus.CANDIDATE, subject=Subject.INCIDENTS)
    assert stored >= clusters.count() >= 2
    found = {(c.category, c.unit) for c in clusters.select_related("unit")}
    assert ("burglary", city.n1a) in found  # region north
    assert ("assault", city.s1a) in found  # region south


def test_priorities_put_the_surging_category_first_and_say_why(city):
    actor = Actor.system()
    for _ in range(6):
        concern = submit(actor=actor, category_code="public-order", lat=42.55, lon=21.05).concern
        assert concern.sector_id == city.n1a.pk
    found = analyses.priorities(actor, city.n1a)
    assert found[0].subject == Subject.INCIDENTS and found[0].category.code == "burglary"
    assert any("28 days" in reason for reason in found[0].reasons)
    concerns = [p for p in found if p.subject == Subject.CONCERNS]
    assert concerns and concerns[0].category.code == "public-order"
    assert any("concerns" in reason for reason in concerns[0].reasons)


def test_deployment_compares_officers_with_the_load(city):
    for sector, count in ((city.n1a, 1), (city.n1b, 3)):
        for _ in range(count):
            officer = OfficerFactory(unit=city.n1)
            Assignment.objects.create(officer=officer, sector=sector, start_date=TODAY - timedelta(days=400))
    result = analyses.deployment(Actor.system(), unit=city.n1)
    rows = {r.sector.code: r for r in result.rows}
    assert rows["n1a"].officers == 1 and rows["n1b"].officers == 3
    assert rows["n1a"].incidents > rows["n1b"].incidents
    assert rows["n1a"].load_index > 1.5 and rows["n1a"].flag == "under"
    assert result.officers == 4 and result.incidents == rows["n1a"].incidents + rows["n1b"].incidents


def test_the_alert_applies_to_the_latest_events(tree):
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=d) for d in (0, 3, 9, 30)], lon=21.05, lat=42.55)
    plant(tree.n1a, "assault", [TODAY], lon=21.05, lat=42.55, source="other")
    found = analyses.active_alerts(
        Actor.system(), scope(tree.n1a, categories=("burglary",)), distance=200.0, days=7.0
    )
    assert [(a.day, a.until) for a in found] == [
        (TODAY, TODAY + timedelta(days=7)),
        (TODAY - timedelta(days=3), TODAY + timedelta(days=4)),
    ]
    assert all(a.radius_m == 200.0 and a.sector_id == tree.n1a.pk for a in found)
