"""Service statistics [Evaluation 1]: every figure equals the same figure computed
here, independently, from concerns planted with known times (a product-limit
estimate written out, statsmodels' intervals and log-rank test); the page, the CSV
and the API are scoped by place; the evaluation's sections name no officer."""

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
import time_machine
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from cpis.analytics import analyses
from cpis.analytics.evaluation import section_deployment, section_service
from cpis.analytics.stats.service import logrank_p, newcombe, summarise, wilson
from cpis.concerns.models import Category, ClosureAnswer, Concern, ConcernEvent, EventKind, Status
from cpis.core.tracking import new_reference
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment
from cpis.organisation.tests.factories import OfficerFactory
from cpis.surveys.models import QuestionnaireVersion, Response

from .conftest import TODAY, plant

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=UTC)  # 12:00 in Belgrade, TODAY
START, END = date(2026, 1, 1), date(2026, 6, 16)
BEFORE_START, BEFORE_END = date(2025, 1, 1), date(2025, 6, 16)
BEFORE_AS_OF = NOW - timedelta(days=(START - BEFORE_START).days)
HOUR, DAY = 3600.0, 86400.0


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@dataclass
class Planted:
    concern_id: int
    unit_code: str
    received: datetime
    contact: datetime | None
    closed: datetime | None
    due_days: int
    answers: list[tuple[bool, datetime]]
    counted: bool = True  # not held, not a duplicate


def _plant_concern(
    unit,
    category,
    *,
    received,
    contact,
    closed,
    staff,
    status=None,
    held=False,
    duplicate_of=None,
    answers=(),
):
    status = status or (Status.RESOLVED if closed else Status.IN_PROGRESS if contact else Status.RECEIVED)
    concern = Concern.objects.create(
        reference=new_reference(),
        category=category,
        description="x",
        language="sq",
        channel="web",
        unit=unit,
        unit_path=unit.path,
        sector=unit,
        status=status,
        closed_at=closed,
        is_held=held,
        duplicate_of=duplicate_of,
    )
    Concern.objects.filter(pk=concern.pk).update(created_at=received)
    ConcernEvent.objects.create(concern=concern, kind=EventKind.SUBMITTED, at=received, is_public=True)
    # An internal note is no response to the citizen.
    ConcernEvent.objects.create(concern=concern, kind=EventKind.NOTE, at=received, actor=staff)
    if contact is not None:
        kind = EventKind.REPLY if concern.pk % 2 else EventKind.STATUS
        ConcernEvent.objects.create(concern=concern, kind=kind, at=contact, actor=staff, is_public=True)
        ConcernEvent.objects.create(
            concern=concern,
            kind=EventKind.STATUS,
            at=contact + timedelta(hours=1),
            actor=staff,
            is_public=True,
        )
        before = contact - (contact - received) / 2
        # The citizen's own message and the approval of a public summary are no answer.
        ConcernEvent.objects.create(concern=concern, kind=EventKind.CITIZEN, at=before, is_public=True)
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.PUBLISHED, at=before, actor=staff, is_public=True
        )
    for resolved, at in answers:
        ClosureAnswer.objects.create(
            concern=concern, closed_at=closed or at, resolved=resolved, answered_at=at
        )
    return concern


def _plant_cohort(tree, staff, rng, *, start, end, as_of, n, late_factor=1.0):
    """n concerns received between start and end in n1a, n1b and s1a, some
    answered and closed by as_of, some after it, some never."""
    categories = list(Category.objects.filter(is_active=True)[:3])
    units = [tree.n1a, tree.n1b, tree.s1a]
    zone = timezone.get_current_timezone()
    first = datetime.combine(start, datetime.min.time(), tzinfo=zone).timestamp()
    last = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone).timestamp() - 1
    planted = []
    for i in range(n):
        unit = units[i % 3]
        category = categories[i % len(categories)]
        received = datetime.fromtimestamp(rng.uniform(first, last), tz=UTC).replace(microsecond=0)
        contact = received + timedelta(hours=float(rng.exponential(30 * late_factor)))
        closed = contact + timedelta(days=float(rng.exponential(12 * late_factor)))
        if rng.random() < 0.1:
            contact, closed = None, None  # never answered
        elif rng.random() < 0.15:
            closed = None  # answered, never closed
        answers = []
        if closed is not None and rng.random() < 0.6:
            answers.append((bool(rng.random() < 0.7), closed + timedelta(days=float(rng.uniform(0, 20)))))
        concern = _plant_concern(
            unit, category, received=received, contact=contact, closed=closed, staff=staff, answers=answers
        )
        planted.append(Planted(concern.pk, unit.code, received, contact, closed, category.due_days, answers))
    # Left out of the cohort: a held concern, a duplicate, one received the day after the period.
    _plant_concern(tree.n1a, categories[0], received=planted[0].received, contact=None, closed=None,
                   staff=staff, held=True)  # fmt: skip
    _plant_concern(tree.n1a, categories[0], received=planted[0].received, contact=None, closed=None,
                   staff=staff, status=Status.DUPLICATE,
                   duplicate_of=Concern.objects.get(pk=planted[0].concern_id))  # fmt: skip
    after = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone) + timedelta(hours=1)
    _plant_concern(tree.n1a, categories[0], received=after, contact=None, closed=None, staff=staff)
    return planted


def km_quantile(durations, observed, q):
    """The product-limit estimate written out: the smallest time at which 1 − S(t) ≥ q."""
    survival = 1.0
    for t in sorted({d for d, o in zip(durations, observed, strict=True) if o}):
        at_risk = sum(1 for d in durations if d >= t)
        deaths = sum(1 for d, o in zip(durations, observed, strict=True) if o and d == t)
        survival *= 1 - deaths / at_risk
        if 1 - survival >= q - 1e-9:
            return t
    return None


def expected(planted, as_of):
    """The figures of `planted` as they stand at `as_of`, computed row by row."""
    contact_h, contact_seen, closure_d, closure_seen = [], [], [], []
    within = late = undecided = 0
    resolved = answered = 0
    for p in planted:
        waited = (as_of - p.received).total_seconds()
        seen = p.contact is not None and p.contact <= as_of
        contact_h.append(((p.contact - p.received).total_seconds() if seen else waited) / HOUR)
        contact_seen.append(seen)
        shut = p.closed is not None and p.closed <= as_of
        closure_d.append(((p.closed - p.received).total_seconds() if shut else waited) / DAY)
        closure_seen.append(shut)
        due = p.due_days * DAY
        if shut:
            if (p.closed - p.received).total_seconds() <= due:
                within += 1
            else:
                late += 1
        elif waited > due:
            late += 1
        else:
            undecided += 1
        for ok, at in p.answers:
            if at <= as_of:
                answered += 1
                resolved += ok
    return {
        "contact": (contact_h, contact_seen),
        "closure": (closure_d, closure_seen),
        "within": (within, within + late),
        "undecided": undecided,
        "resolved": (resolved, answered),
    }


def _close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


def _check_durations(summary, durations, observed, edges):
    assert summary.n == len(durations) and summary.events == sum(observed)
    assert summary.censored == len(durations) - sum(observed)
    for q, value in zip(
        (0.25, 0.5, 0.75, 0.9), (summary.q25, summary.median, summary.q75, summary.p90), strict=True
    ):
        assert _close(value, km_quantile(durations, observed, q)), q
    bins = [0] * len(edges)
    for d, o in zip(durations, observed, strict=True):
        if o:
            bins[max(i for i, e in enumerate(edges) if d >= e)] += 1
    assert list(summary.histogram) == bins


@pytest.fixture
def planted(tree):
    from cpis.accounts.tests.factories import UserFactory

    staff = UserFactory(username="desk")
    rng = np.random.default_rng(16)
    now = _plant_cohort(tree, staff, rng, start=START, end=END, as_of=NOW, n=90)
    before = _plant_cohort(tree, staff, rng, start=BEFORE_START, end=BEFORE_END, as_of=BEFORE_AS_OF, n=70,
                           late_factor=1.6)  # fmt: skip
    return now, before


def test_every_figure_equals_an_independent_computation(tree, planted):
    now, before = planted
    report = analyses.service_statistics(Actor.system(), unit=tree.root, start=START, end=END)
    truth = expected(now, NOW)
    total = report.total
    assert total.received == len(now)
    _check_durations(total.first_contact, *truth["contact"], analyses.service.FIRST_CONTACT_EDGES_H)
    _check_durations(total.closure, *truth["closure"], analyses.service.CLOSURE_EDGES_D)
    assert (total.within_due.k, total.within_due.n) == truth["within"]
    assert total.not_yet_due == truth["undecided"]
    assert (total.reporters_resolved.k, total.reporters_resolved.n) == truth["resolved"]
    # Some concerns are still waiting, so the censoring is exercised.
    assert 0 < total.closure.censored < total.closure.n and total.first_contact.censored > 0

    # Per place one level down: the regions; north holds n1a and n1b.
    places = {p.unit.code: p for p in report.places}
    assert set(places) == {"north", "south"}
    north = [p for p in now if p.unit_code in {"n1a", "n1b"}]
    truth_north = expected(north, NOW)
    assert places["north"].received == len(north)
    _check_durations(places["north"].closure, *truth_north["closure"], analyses.service.CLOSURE_EDGES_D)
    assert (places["north"].within_due.k, places["north"].within_due.n) == truth_north["within"]

    # By month of receipt (local time).
    zone = timezone.get_current_timezone()
    for month in report.months:
        rows = [p for p in now if timezone.localtime(p.received, zone).date().replace(day=1) == month.month]
        assert month.received == len(rows)
        assert _close(month.closure.median, km_quantile(*expected(rows, NOW)["closure"], 0.5))
    assert [m.month for m in report.months] == [date(2026, m, 1) for m in range(1, 7)]

    # A year earlier, as it stood a year before: answers and closings after that are not yet seen.
    truth_before = expected(before, BEFORE_AS_OF)
    previous = report.comparison.previous
    assert previous.received == len(before)
    _check_durations(previous.closure, *truth_before["closure"], analyses.service.CLOSURE_EDGES_D)
    assert (previous.within_due.k, previous.within_due.n) == truth_before["within"]
    assert (previous.reporters_resolved.k, previous.reporters_resolved.n) == truth_before["resolved"]
    assert any(p.closed is not None and p.closed > BEFORE_AS_OF for p in before)  # the follow-up is cut

    from statsmodels.duration.survfunc import survdiff
    from statsmodels.stats.proportion import confint_proportions_2indep

    k1, n1 = truth["within"]
    k2, n2 = truth_before["within"]
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    difference = report.comparison.within_due_difference
    assert difference is not None
    assert math.isclose(difference[0], k1 / n1 - k2 / n2)
    assert math.isclose(difference[1], low, abs_tol=1e-9) and math.isclose(difference[2], high, abs_tol=1e-9)
    durations = truth["closure"][0] + truth_before["closure"][0]
    status = truth["closure"][1] + truth_before["closure"][1]
    groups = [0] * len(now) + [1] * len(before)
    _chisq, p_value = survdiff(np.array(durations), np.array(status, dtype=int), np.array(groups))
    assert math.isclose(report.comparison.closure_p, p_value, rel_tol=1e-6)


def test_workload_and_satisfaction_per_place(tree, planted):
    now, _before = planted
    for sector, count in ((tree.n1a, 2), (tree.n1b, 1), (tree.s1a, 3)):
        for _ in range(count):
            officer = OfficerFactory(unit=sector.parent)
            Assignment.objects.create(officer=officer, sector=sector, start_date=TODAY - timedelta(days=100))
    gone = OfficerFactory(unit=tree.n1)  # served until last month: not counted today
    Assignment.objects.create(
        officer=gone,
        sector=tree.n1a,
        start_date=TODAY - timedelta(days=400),
        end_date=TODAY - timedelta(days=30),
    )
    plant(tree.n1a, "burglary", [START + timedelta(days=d) for d in range(0, 150, 10)], lon=21.05, lat=42.55)
    plant(tree.n1a, "burglary", [START - timedelta(days=3)], lon=21.05, lat=42.55, source="before")
    version = QuestionnaireVersion.objects.filter(questionnaire__code="after-concern").first()
    answers = [(tree.n1a, 5), (tree.n1a, 2), (tree.n1b, 4), (tree.s1a, 3), (tree.s1a, "n/a")]
    for sector, score in answers:
        Response.objects.create(
            version=version,
            sector=sector,
            channel="after_concern",
            answers={"fixed": "yes", "handled_well": score},
            submitted_at=NOW - timedelta(days=20),
        )
    Response.objects.create(  # outside the period
        version=version, sector=tree.n1a, channel="after_concern", answers={"handled_well": 5},
        submitted_at=NOW - timedelta(days=400),
    )  # fmt: skip
    report = analyses.service_statistics(Actor.system(), unit=tree.n1, start=START, end=END)
    places = {p.unit.code: p for p in report.places}
    assert places["n1a"].officers == 2 and places["n1b"].officers == 1 and report.total.officers == 3
    assert places["n1a"].incidents == 15 and report.total.incidents == 15
    received_a = sum(1 for p in now if p.unit_code == "n1a")
    assert places["n1a"].received == received_a
    assert math.isclose(places["n1a"].concerns_per_officer, received_a / 2)
    assert math.isclose(places["n1a"].incidents_per_officer, 15 / 2)
    assert (places["n1a"].survey_satisfied.k, places["n1a"].survey_satisfied.n) == (1, 2)
    assert (report.total.survey_satisfied.k, report.total.survey_satisfied.n) == (2, 3)


def test_the_kernel_agrees_with_its_peers():
    from statsmodels.duration.survfunc import survdiff
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

    for k, n in ((0, 7), (3, 10), (55, 60), (20, 20)):
        low, high = proportion_confint(k, n, method="wilson")
        ours = wilson(k, n)
        assert ours is not None and math.isclose(ours[0], low, abs_tol=1e-12)
        assert math.isclose(ours[1], high, abs_tol=1e-12)
    for k1, n1, k2, n2 in ((5, 20, 9, 21), (0, 10, 3, 12), (40, 41, 30, 40)):
        low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
        _diff, ours_low, ours_high = newcombe(k1, n1, k2, n2)
        assert math.isclose(ours_low, low, abs_tol=1e-12) and math.isclose(ours_high, high, abs_tol=1e-12)
    rng = np.random.default_rng(3)
    a, b = rng.exponential(5, 40), rng.exponential(8, 35)
    oa, ob = rng.random(40) < 0.8, rng.random(35) < 0.7
    _chisq, p = survdiff(np.r_[a, b], np.r_[oa, ob].astype(int), np.r_[np.zeros(40), np.ones(35)])
    assert math.isclose(logrank_p(a, oa, b, ob), p, rel_tol=1e-6)
    # With nothing censored the estimate is the plain empirical distribution.
    x = rng.exponential(3, 51)
    summary = summarise(x, np.ones(51, dtype=bool), (0.0, 1.0, 5.0))
    assert summary.median == np.quantile(x, 0.5, method="inverted_cdf")
    assert summary.p90 == np.quantile(x, 0.9, method="inverted_cdf")
    assert math.isclose(summary.cdf[1], float((x <= 1.0).mean()))
    # Nearly everything still open: the median is not reached and says so.
    summary = summarise([1.0, 50.0, 50.0, 50.0], [True, False, False, False], (0.0,))
    assert summary.median is None and summary.q25 == 1.0


def test_a_station_commander_sees_their_station_and_not_another(tree, planted, english, api):
    client = english("commander_n1")
    url = reverse("analytics:service")
    page = client.get(url, {"place": tree.n1.pk, "since": START.isoformat(), "until": END.isoformat()})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sector A" in body and "Kaplan" in body
    late = analyses.service_statistics(Actor.system(), unit=tree.n1, start=START, end=END).late_open
    assert late and reverse("concerns:detail", args=[late[0]]) in body  # the records behind the figure
    assert client.get(url, {"place": tree.s1.pk}).status_code == 404
    assert client.get(url, {"place": tree.root.pk}).status_code == 404
    # The CSV: the station, then its sectors.
    response = client.get(url, {"place": tree.n1.pk, "since": START.isoformat(), "until": END.isoformat(),
                                "format": "csv"})  # fmt: skip
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:2] == ["place", "received"] and [r[0] for r in rows[1:]] == [
        "Station N1",
        "Sector A",
        "Sector B",
    ]
    n1 = [p for p in planted[0] if p.unit_code in {"n1a", "n1b"}]
    assert int(rows[1][1]) == len(n1)
    # The API, scoped alike.
    data = (
        api("commander_n1")
        .get("/api/v1/analytics/service", {"place": tree.n1.pk, "since": START, "until": END})
        .json()
    )
    assert data["total"]["received"] == len(n1)
    assert [p["place_id"] for p in data["places"]] == [tree.n1a.pk, tree.n1b.pk]
    truth = expected(n1, NOW)
    assert _close(data["total"]["closure_days"]["median"], km_quantile(*truth["closure"], 0.5))
    assert (data["total"]["within_due"]["k"], data["total"]["within_due"]["n"]) == truth["within"]
    assert api("commander_n1").get("/api/v1/analytics/service", {"place": tree.s1.pk}).status_code == 404
    assert api("commander_s1").get("/api/v1/analytics/service", {"place": tree.s1.pk}).status_code == 200


def test_a_sector_officer_sees_only_their_sectors_concerns(tree, planted, actor_for):
    actor = actor_for("officer_n1a")
    report = analyses.service_statistics(actor, unit=tree.n1a, start=START, end=END)
    assert report.total.received == sum(1 for p in planted[0] if p.unit_code == "n1a")
    assert report.places == []
    with pytest.raises(Http404):
        analyses.service_statistics(actor, unit=tree.n1b, start=START, end=END)


def test_the_sections_name_no_officer(tree, planted):
    officers = []
    for sector, count in ((tree.n1a, 1), (tree.n1b, 4), (tree.s1a, 2)):
        for _ in range(count):
            officer = OfficerFactory(
                unit=sector.parent, first_name="Arbenita", last_name=f"Zeqiri{sector.code}"
            )
            Assignment.objects.create(officer=officer, sector=sector, start_date=TODAY - timedelta(days=400))
            officers.append(officer)
    plant(tree.n1a, "burglary", [START + timedelta(days=d) for d in range(0, 160, 4)], lon=21.05, lat=42.55)
    for function, element in ((section_service, 1), (section_deployment, 3)):
        section = function(tree.root, START, END)
        assert section is not None and section.element == element
        stored = json.dumps(section.to_json(), ensure_ascii=False)
        for officer in officers:
            assert officer.last_name not in stored and officer.first_name not in stored
        assert "desk" not in stored  # the staff user who answered the concerns
    service = section_service(tree.root, START, END).to_json()
    report = analyses.service_statistics(Actor.system(), unit=tree.root, start=START, end=END)
    first_row = service["tables"][0]["rows"][0]
    assert first_row[1] == report.total.received
    assert first_row[4] == round(report.total.closure.median, 1)
    deployment = section_deployment(tree.root, START, END).to_json()
    rows = {r[0]: r for r in deployment["tables"][0]["rows"]}
    assert rows["North"][1:3] == [5, 40] and rows["South"][1:3] == [2, 0]
    under = deployment["tables"][1]["rows"]
    assert under and under[0][0] == "Sector A"  # 40 incidents for one officer
    assert section_service(tree.root, date(2010, 1, 1), date(2010, 6, 30)) is None


def test_the_sections_are_named_to_the_evaluation():
    from cpis.core import registry

    functions = registry.evaluation_sections()
    assert section_service in functions and section_deployment in functions
