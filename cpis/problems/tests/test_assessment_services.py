"""The assessment against the database: incidents planted in the test tree's
sectors around a response date, and what assess_problem and the daily
recomputation make of them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cpis.core.errors import InvalidInput
from cpis.incidents.models import IncidentCategory
from cpis.organisation.geo import sector_index
from cpis.organisation.models import UnitKind
from cpis.organisation.tests.factories import UnitFactory, square
from cpis.problems.models import Assessment, Change, ControlKind, Reading
from cpis.problems.services import assessment as services
from cpis.problems.services import problems as problem_services
from cpis.problems.services.problems import NotOnTheTeam, ProblemClosed

from .assessment_helpers import (
    AFTER_END,
    BUFFER_BOX,
    CONTROL_BOX,
    RESPONSE,
    TARGET_BOX,
    WINDOW,
    Plan,
    place,
    plant,
)

LATER = date(2025, 6, 1)  # the after-window has ended


@pytest.fixture
def burglary_problem(problem):
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    return problem


def assess(actor, problem, **options):
    options = {"response_date": RESPONSE, "window_days": WINDOW, "buffer_m": 400, "today": LATER} | options
    return services.assess_problem(actor, problem=problem, **options)


def test_a_planted_fall_in_the_target_is_found(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), buffer=(30, 30), control=(200, 200)))
    # On the response day itself: in neither window.
    place(tree.n1a, TARGET_BOX, [RESPONSE] * 5, seed=99)
    found = assess(actor_for("officer_n1a"), burglary_problem)
    assert (found.target_before, found.target_after) == (60, 20)
    assert (found.buffer_before, found.buffer_after) == (30, 30)
    assert (found.control_before, found.control_after) == (200, 200)
    assert found.rate_ratio == pytest.approx(20 / 60)
    assert found.rate_ratio_high < 1  # a fall beyond chance
    assert found.relative_effect == pytest.approx((60 * 200) / (20 * 200))
    assert found.relative_effect_low > 1
    # The buffer did not move: the WDQ is 0 and reads as neither.
    assert found.wdq == pytest.approx(0.0)
    assert found.reading == Reading.NEITHER
    assert found.series["total_net_effect"] == pytest.approx(40.0)
    assert (found.data_until, found.control_kind, found.categories) == (
        AFTER_END,
        ControlKind.STATION,
        ["burglary"],
    )
    assert sum(found.series["target"]) == 80 and len(found.series["weeks"]) == 2 * 26
    change = Change.objects.get(problem=burglary_problem, what="assessed")
    assert change.details["reading"] == "neither" and change.details["provisional"] is False


def test_displacement_into_the_buffer_reads_as_displacement(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), buffer=(20, 60), control=(200, 200)))
    found = assess(actor_for("officer_n1a"), burglary_problem)
    # SM = 20/200 − 60/200 = −0.2, BDM = 60/200 − 20/200 = 0.2: WDQ = −1.
    assert found.wdq == pytest.approx(-1.0)
    assert found.reading == Reading.DISPLACEMENT
    assert found.series["total_net_effect"] == pytest.approx(0.0)


def test_no_effect_gives_a_rate_ratio_interval_that_covers_one(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(45, 40), buffer=(25, 27), control=(200, 210)))
    found = assess(actor_for("officer_n1a"), burglary_problem)
    assert found.rate_ratio_low < 1 < found.rate_ratio_high
    assert found.relative_effect_low < 1 < found.relative_effect_high
    assert found.reading in {Reading.NEITHER, Reading.NO_EFFECT}


def test_other_categories_and_other_stations_are_not_counted(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(30, 10), control=(100, 100)))
    plant(tree, Plan(target=(50, 50), control=(50, 50)), code="assault", seed=2)
    place(tree.s1a, (21.02, 21.08, 41.92, 41.98), [RESPONSE - timedelta(days=3)] * 40, seed=5)
    found = assess(actor_for("commander_n1"), burglary_problem)
    assert (found.target_before, found.target_after, found.control_before, found.control_after) == (
        30,
        10,
        100,
        100,
    )


def test_the_counts_do_not_depend_on_who_asks(tree, burglary_problem, actor_for):
    """A sector officer sees only their sector's incidents, but the
    assessment is the problem's: the rest of the station counts all the same."""
    plant(tree, Plan(target=(30, 10), control=(100, 90)))
    by_officer = assess(actor_for("officer_n1a"), burglary_problem)
    assert (by_officer.control_before, by_officer.control_after) == (100, 90)
    by_commander = assess(actor_for("commander_n1"), burglary_problem)
    assert by_commander.pk == by_officer.pk and by_commander.control_after == 90
    assert Assessment.objects.count() == 1


def test_a_drawn_area_is_the_target(tree, burglary_problem, actor_for):
    """A small square in the middle of N1A: incidents elsewhere in N1A lie in
    the buffer or the control."""
    burglary_problem.area = square(21.03, 42.53, 0.04)
    burglary_problem.save()
    plant(tree, Plan(target=(30, 10)))  # all over 21.02–21.08 × 42.52–42.58
    inside = place(tree.n1a, (21.04, 21.06, 42.54, 42.56), [RESPONSE - timedelta(days=5)] * 7, seed=8)
    found = assess(actor_for("officer_n1a"), burglary_problem)
    assert found.target_before >= len(inside)
    assert found.target_before + found.buffer_before + found.control_before == 30 + len(inside)
    assert found.target_before < 30 + len(inside)


def test_a_control_place_in_another_station(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), buffer=(10, 10), control=(200, 200)))
    s1_days = [RESPONSE - timedelta(days=d) for d in range(1, 81)] + [
        RESPONSE + timedelta(days=d) for d in range(1, 41)
    ]
    place(tree.s1a, (21.02, 21.08, 41.92, 41.98), s1_days, seed=4)
    found = assess(actor_for("directorate"), burglary_problem, control_unit=tree.s1a)
    assert (found.control_kind, found.control_unit) == (ControlKind.UNIT, tree.s1a)
    assert (found.control_before, found.control_after) == (80, 40)
    # The control halved as the target fell to a third: RES = (60 · 40) / (20 · 80) = 1.5.
    assert found.relative_effect == pytest.approx(1.5)
    # A place the actor does not see is refused.
    with pytest.raises(InvalidInput):
        assess(actor_for("commander_n1"), burglary_problem, control_unit=tree.s1a)


def test_the_buffer_reaches_into_the_next_station(tree, burglary_problem, actor_for):
    """A station N2 west of N1A: its incidents within 400 m of N1A's western
    edge are in the buffer; those further away are not the control (the
    control is the rest of N1)."""
    n2 = UnitFactory(parent=tree.north, code="n2", kind=UnitKind.STATION)
    n2a = UnitFactory(parent=n2, code="n2a", kind=UnitKind.SECTOR, boundary=square(20.9, 42.5))
    plant(tree, Plan(target=(40, 20), control=(100, 100)))
    near = place(n2a, (20.9970, 20.9990, 42.52, 42.58), [RESPONSE + timedelta(days=9)] * 12, seed=6)
    place(n2a, (20.91, 20.97, 42.52, 42.58), [RESPONSE + timedelta(days=9)] * 50, seed=7)
    found = assess(actor_for("commander_n1"), burglary_problem)
    assert (found.buffer_before, found.buffer_after) == (0, len(near))
    assert found.control_after == 100
    # N2's one sector the buffer reaches is read, not the whole of N2.
    assert found.series["paths"] == [tree.n1.path, n2a.path]


def test_while_the_after_window_runs_the_assessment_is_provisional_and_compares_rates(
    tree, burglary_problem, actor_for
):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    today = RESPONSE + timedelta(days=91)
    found = assess(actor_for("officer_n1a"), burglary_problem, today=today)
    assert found.data_until == today and found.series["after_days"] == 91
    assert found.target_after <= 20
    # A rate over 91 days against one over 182.
    assert found.rate_ratio == pytest.approx((found.target_after / 91) / (60 / 182))
    assert Change.objects.get(problem=burglary_problem, what="assessed").details["provisional"] is True


def test_the_daily_job_recomputes_open_and_provisional_assessments(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    assess(actor_for("officer_n1a"), burglary_problem, today=RESPONSE + timedelta(days=30))
    line = services.recompute_assessments(today=LATER)
    assert line.startswith("Assessments recomputed: 1")
    found = Assessment.objects.get(problem=burglary_problem)
    assert (found.target_after, found.data_until) == (20, AFTER_END)
    # Now final: one line in the history, by the system; the same figures again add none.
    assert Change.objects.filter(problem=burglary_problem, what="reassessed").count() == 1
    services.recompute_assessments(today=LATER + timedelta(days=1))
    assert Change.objects.filter(problem=burglary_problem, what="reassessed").count() == 1
    # A closed problem whose after-window had ended is left alone.
    problem_services.close_problem(actor_for("leader_n1a"), problem=burglary_problem, outcome="solved")
    computed_at = Assessment.objects.get(problem=burglary_problem).computed_at
    assert services.recompute_assessments(today=LATER).startswith("Assessments recomputed: 0")
    assert Assessment.objects.get(problem=burglary_problem).computed_at == computed_at


def test_the_daily_job_counts_an_assessment_it_can_no_longer_compute(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    assess(actor_for("officer_n1a"), burglary_problem)
    burglary_problem.incident_categories.clear()
    assert "1 could not be" in services.recompute_assessments(today=LATER)


def test_an_assessment_lets_the_problem_close_as_solved(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    assess(actor_for("officer_n1a"), burglary_problem)
    burglary_problem.refresh_from_db()
    closed = problem_services.close_problem(
        actor_for("leader_n1a"), problem=burglary_problem, outcome="solved"
    )
    assert closed.outcome == "solved"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"window_days": 27}, "window"),
        ({"window_days": 731}, "window"),
        ({"buffer_m": 49}, "buffer"),
        ({"buffer_m": 5001}, "buffer"),
        ({"response_date": LATER + timedelta(days=1)}, "future"),
        ({"response_date": date(2020, 1, 1)}, "later response date"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(tree, burglary_problem, actor_for, options, message):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    with pytest.raises(InvalidInput, match=message):
        assess(actor_for("officer_n1a"), burglary_problem, **options)
    assert not Assessment.objects.exists()
    assert not Change.objects.filter(what="assessed").exists()


def test_a_problem_without_categories_or_boundary_is_refused(tree, problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    with pytest.raises(InvalidInput, match="categories"):
        assess(actor_for("officer_n1a"), problem)
    problem.incident_categories.set([IncidentCategory.objects.get(code="burglary")])
    tree.n1a.boundary = None
    tree.n1a.save()
    with pytest.raises(InvalidInput, match="boundary"):
        assess(actor_for("officer_n1a"), problem)
    assert not Assessment.objects.exists()


def test_a_control_place_inside_the_buffer_is_refused(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    with pytest.raises(InvalidInput, match="inside the target"):
        assess(actor_for("commander_n1"), burglary_problem, control_unit=tree.n1a)


def test_who_may_assess(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), control=(200, 200)))
    with pytest.raises(Http404):
        assess(actor_for("commander_s1"), burglary_problem)
    with pytest.raises(NotOnTheTeam):
        assess(actor_for("strategy_coordinator"), burglary_problem)
    assert assess(actor_for("leader_n1a"), burglary_problem).reading
    problem_services.close_problem(actor_for("leader_n1a"), problem=burglary_problem, outcome="solved")
    burglary_problem.refresh_from_db()
    with pytest.raises(ProblemClosed):
        assess(actor_for("leader_n1a"), burglary_problem)


def _statements(run) -> list[str]:
    """The SQL `run` sends, without the savepoints of nested transactions."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_assessing_takes_a_fixed_handful_of_queries(tree, burglary_problem, actor_for):
    plant(tree, Plan(target=(60, 20), buffer=(10, 10), control=(200, 200)))
    actor = actor_for("commander_n1")
    sector_index()  # the process's sector index, built once (two queries) and kept
    # The categories, the lock, the sectors' paths, the points (the category ids and
    # one query), the assessment (read, then written) and the history line.
    first = _statements(lambda: assess(actor, burglary_problem))
    assert len(first) == 8, first
    assert sum('"incidents_incident"' in sql for sql in first) == 1
    # Again with ten times the incidents: the same queries.
    plant(tree, Plan(target=(600, 200), control=(2000, 2000)), seed=3)
    sector_index()
    assert len(_statements(lambda: assess(actor, burglary_problem))) == 8


def test_points_only_query_reads_in_the_windows(tree, burglary_problem, actor_for):
    """Incidents outside both windows do not count."""
    plant(tree, Plan(target=(10, 10), control=(50, 50)))
    place(tree.n1a, TARGET_BOX, [RESPONSE - timedelta(days=WINDOW + 1)] * 9, seed=11)
    place(tree.n1a, TARGET_BOX, [AFTER_END + timedelta(days=1)] * 9, seed=12)
    place(tree.n1b, CONTROL_BOX, [RESPONSE - timedelta(days=WINDOW)] * 3, seed=13)
    place(tree.n1b, BUFFER_BOX, [AFTER_END] * 2, seed=14)
    found = assess(actor_for("officer_n1a"), burglary_problem)
    assert (found.target_before, found.target_after) == (10, 10)
    assert (found.control_before, found.buffer_after) == (53, 2)


def test_a_station_the_buffer_reaches_at_many_sectors_is_read_whole():
    from cpis.problems.selectors.assessment import _reached

    paths = {1: "kp/a/s1/x/", 2: "kp/a/s1/y/", 3: "kp/a/s1/z/", 4: "kp/b/s2/w/", 5: "kp/b/s2/v/"}
    assert _reached([1, 2, 3, 4, 5], paths) == ["kp/a/s1/", "kp/b/s2/v/", "kp/b/s2/w/"]
    assert _reached([4, 99], paths) == ["kp/b/s2/w/"]  # a sector not in the table is skipped
