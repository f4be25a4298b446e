"""The data panel of a problem, checked against incidents and concerns planted
with known places, days and hours in the test tree: sector n1a is the square
21.0–21.1 E × 42.5–42.6 N, n1b the square east of it, both of station N1;
s1a lies in another station."""

import math
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from cpis.analytics import services as analytics_services
from cpis.analytics.analyses import Scope
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.incidents.models import Incident, IncidentCategory
from cpis.problems.models import SourceKind
from cpis.problems.selectors import analysis as selectors
from cpis.problems.services import problems as services

TODAY = date(2026, 6, 17)  # the window is June 2024 – May 2026
A = (21.05, 42.55)  # a spot in n1a where burglaries repeat
B = (21.02, 42.52)  # elsewhere in n1a
C = (21.08, 42.58)
EAST = (21.15, 42.55)  # in n1b
SOUTH = (21.05, 41.95)  # in s1a, another station
SMALL_AREA = {
    "type": "Polygon",
    "coordinates": [[[21.04, 42.54], [21.06, 42.54], [21.06, 42.56], [21.04, 42.56], [21.04, 42.54]]],
}


def _incident(unit, code, day, where, hour_minute=None):
    """One incident as an import writes it."""
    number = Incident.objects.count()
    Incident.objects.create(
        source="test",
        source_id=str(number),
        category=IncidentCategory.objects.get(code=code),
        occurred_on=day,
        occurred_time=time(*hour_minute) if hour_minute else None,
        lon=where[0],
        lat=where[1],
        sector=unit,
        unit_path=unit.path,
    )


@pytest.fixture
def planted(tree):
    """Burglaries: five in n1a in the window (three at one spot), four in n1b,
    two in another station, and two in n1a outside the window; thefts in n1a."""
    n1a, n1b, s1a = tree.n1a, tree.n1b, tree.s1a
    _incident(n1a, "burglary", date(2025, 3, 3), A, (22, 0))  # a Monday
    _incident(n1a, "burglary", date(2025, 3, 10), A, (22, 30))  # a Monday
    _incident(n1a, "burglary", date(2025, 4, 5), A, (2, 15))  # a Saturday
    _incident(n1a, "burglary", date(2025, 4, 7), B)  # a Monday, time unknown
    _incident(n1a, "burglary", date(2026, 5, 31), C, (9, 0))  # a Sunday, the window's last day
    for day in (2, 9, 16, 23):
        _incident(n1b, "burglary", date(2025, 3, day), EAST, (12, 0))
    _incident(s1a, "burglary", date(2025, 3, 5), SOUTH, (1, 0))
    _incident(s1a, "burglary", date(2025, 3, 6), SOUTH, (1, 0))
    _incident(n1a, "burglary", date(2024, 5, 31), A, (22, 0))  # before the window
    _incident(n1a, "burglary", date(2026, 6, 1), A, (22, 0))  # this month: not complete
    _incident(n1a, "theft", date(2025, 3, 4), A, (14, 0))
    _incident(n1a, "theft", date(2025, 3, 5), A, (15, 0))


def _problem(actor_for, tree, *, area=None, incident_codes=("burglary",), concern_codes=()):
    return services.open_problem(
        actor_for("commander_n1"),
        unit=tree.n1a,
        title="Burglaries",
        area=area,
        incident_categories=IncidentCategory.objects.filter(code__in=incident_codes),
        concern_categories=ConcernCategory.objects.filter(code__in=concern_codes),
    )


def test_counts_by_month_inside_the_place_against_the_rest_of_the_station(planted, tree, actor_for):
    problem = _problem(actor_for, tree)
    panel = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY)
    assert (panel.start, panel.end, len(panel.months)) == (date(2024, 6, 1), date(2026, 5, 31), 24)
    assert panel.area == selectors.AREA_PLACE
    assert panel.surroundings == tree.n1
    march, april, may_2026 = 9, 10, 23  # months after June 2024
    expected_inside = [0] * 24
    expected_inside[march], expected_inside[april], expected_inside[may_2026] = 2, 2, 1
    assert panel.incidents.inside == expected_inside
    expected_outside = [0] * 24
    expected_outside[march] = 4  # n1b; the other station's are not the surroundings
    assert panel.incidents.outside == expected_outside
    assert panel.incidents.categories == [IncidentCategory.objects.get(code="burglary").name]
    # A 0.1° square at 42.5° N: 8.19 km × 11.1 km.
    assert panel.area_km2 == pytest.approx(91.0, rel=0.01)
    assert panel.surroundings_km2 == pytest.approx(91.0, rel=0.01)
    assert panel.incidents.inside_density == pytest.approx(5 / panel.area_km2 / 24)
    assert panel.incidents.density_ratio == pytest.approx(5 / 4 * panel.surroundings_km2 / panel.area_km2)
    assert not panel.partial
    # Indexed to the monthly mean (5/24): two in a month is 960.
    assert panel.incidents.inside_index[march] == pytest.approx(960.0)


def test_every_category_counts_when_the_problem_names_none(planted, tree, actor_for):
    problem = _problem(actor_for, tree, incident_codes=())
    panel = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY)
    assert panel.incidents.categories == []
    assert panel.incidents.inside_total == 7  # and the two thefts


def test_a_drawn_area_is_compared_with_the_rest_of_the_station(planted, tree, actor_for):
    problem = _problem(actor_for, tree, area=SMALL_AREA)
    panel = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY)
    assert panel.area == selectors.AREA_DRAWN
    assert panel.incidents.inside_total == 3  # the spot A
    assert panel.incidents.outside_total == 6  # B and C in n1a, four in n1b
    # 0.02° × 0.02° at 42.55° N: 1.639 km × 2.221 km.
    assert panel.area_km2 == pytest.approx(3.64, rel=0.01)
    assert panel.surroundings_km2 == pytest.approx(182.0 - 3.64, rel=0.01)


def test_the_hour_and_weekday_profile_counts_unknown_times_apart(planted, tree, actor_for):
    problem = _problem(actor_for, tree)
    profile = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY).profile
    monday, saturday, sunday = profile.rows[0], profile.rows[5], profile.rows[6]
    assert monday.cells[22].count == 2 and monday.cells[22].level == selectors.HEAT_LEVELS
    assert saturday.cells[2].count == 1 and sunday.cells[9].count == 1
    assert saturday.cells[2].level == 3  # half the busiest cell, shaded 3 of 5
    assert monday.total == 2  # the Monday burglary with no time is not in an hour
    assert (profile.total, profile.unknown_hour, profile.known, profile.peak) == (5, 1, 4, 2)
    assert sum(profile.hour_totals) == 4 and profile.hour_totals[22] == 2
    assert sum(row.total for row in profile.rows) == 4


def test_repeat_locations_and_their_share(planted, tree, actor_for):
    problem = _problem(actor_for, tree)
    repeats = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY).repeats
    assert (repeats.locations, repeats.at_repeats, repeats.total) == (1, 3, 5)
    assert repeats.share == pytest.approx(60.0)
    (top,) = repeats.top
    assert (top.lon, top.lat, top.count) == (A[0], A[1], 3)


def test_incidents_a_few_metres_apart_are_one_location_and_far_apart_are_not(tree, actor_for):
    # On one meridian: 10 m apart inside one 25 m square (from 30 % to 70 % of its
    # height), and 200 m away.
    metre = 1 / selectors.METRES_PER_DEGREE
    row = math.floor(42.55 / (selectors.REPEAT_CELL_M * metre))
    lat = (row + 0.3) * selectors.REPEAT_CELL_M * metre
    _incident(tree.n1a, "burglary", date(2025, 1, 6), (21.05, lat))
    _incident(tree.n1a, "burglary", date(2025, 1, 7), (21.05, lat + 10 * metre))
    _incident(tree.n1a, "burglary", date(2025, 1, 8), (21.05, lat + 200 * metre))
    problem = _problem(actor_for, tree)
    repeats = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY).repeats
    assert (repeats.locations, repeats.at_repeats, repeats.total) == (1, 2, 3)


def _concern(where, on):
    concern = submit(lat=where[1], lon=where[0]).concern
    moment = timezone.make_aware(datetime.combine(on, time(12, 0)))
    Concern.objects.filter(pk=concern.pk).update(created_at=moment)


def test_concerns_are_the_second_series(tree, actor_for):
    _concern(A, date(2025, 3, 15))
    _concern(B, date(2025, 3, 16))
    _concern(EAST, date(2025, 3, 17))
    _concern(A, date(2026, 6, 2))  # this month: outside the window
    problem = _problem(actor_for, tree, concern_codes=("public-order",))
    panel = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY)
    assert panel.concerns.categories == [ConcernCategory.objects.get(code="public-order").name]
    assert (panel.concerns.inside[9], panel.concerns.outside[9]) == (2, 1)
    assert (panel.concerns.inside_total, panel.concerns.outside_total) == (2, 1)
    assert panel.rows[9] == (date(2025, 3, 1), 0, 0, 2, 1)


def test_a_sector_officer_sees_only_their_sector_and_is_told_so(planted, tree, actor_for, officer_n1a):
    problem = services.open_problem(
        actor_for("officer_n1a"),
        unit=tree.n1a,
        title="Burglaries at the spot",
        area=SMALL_AREA,
        incident_categories=IncidentCategory.objects.filter(code="burglary"),
    )
    panel = selectors.data_panel(actor_for("officer_n1a"), problem, today=TODAY)
    assert (panel.sectors_seen, panel.sectors_total, panel.partial) == (1, 2, True)
    assert panel.incidents.inside_total == 3
    assert panel.incidents.outside_total == 2  # B and C: the rest of n1a, not n1b
    assert panel.surroundings_km2 == pytest.approx(91.0 - 3.64, rel=0.01)


def test_a_linked_near_repeat_run_shows_its_knox_table_to_who_may_see_it(
    planted, tree, actor_for, officer_n1a
):
    commander = actor_for("commander_n1")
    run = analytics_services.request_run(
        commander,
        kind="near_repeat",
        scope=Scope(unit=tree.n1, categories=("burglary",)),
        params={
            "space_bandwidth": 100,
            "space_bands": 2,
            "time_bandwidth": 7,
            "time_bands": 2,
            "permutations": 9,
        },
    )
    run = analytics_services.execute_run(run.pk)
    assert run.status == "done"
    problem = services.open_problem(commander, unit=tree.n1a, title="Burglaries", owner=officer_n1a)
    services.link_sources(
        commander,
        problem=problem,
        found=[services.Found(kind=SourceKind.NEAR_REPEAT, label="Near-repeat", refs={"run": run})],
    )
    panel = selectors.data_panel(commander, problem, today=TODAY)
    (shown,) = panel.near_repeats
    assert shown.run == run and panel.hidden_runs == 0
    assert shown.columns == run.result["time"]["labels"]
    assert [row.label for row in shown.rows] == run.result["space"]["labels"]
    observed = sum(cell["observed"] for row in shown.rows for cell in row.cells)
    assert observed == sum(cell["observed"] for cell in run.result["cells"])
    # The sector officer may see the problem but not the station's analyses.
    hidden = selectors.data_panel(actor_for("officer_n1a"), problem, today=TODAY)
    assert (hidden.near_repeats, hidden.hidden_runs) == ([], 1)


def test_an_empty_panel_has_no_index_and_no_repeats(tree, actor_for):
    problem = _problem(actor_for, tree)
    panel = selectors.data_panel(actor_for("commander_n1"), problem, today=TODAY)
    assert panel.incidents.inside_total == 0 and panel.incidents.inside_index == [None] * 24
    assert panel.incidents.density_ratio is None
    assert panel.profile.total == 0 and panel.repeats.top == [] and panel.repeats.share is None
