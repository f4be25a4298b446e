"""What was done at a place between two dates: the counts beside a place's survey
scores, scoped to the place and to what the actor may see."""

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.core.errors import InvalidInput
from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.incidents.models import Incident, IncidentCategory
from cpis.outreach.models import Kind, OutreachActivity
from cpis.problems.models import AgreedBy, Outcome, PriorityStatus, Problem, SectorPriority
from cpis.problems.selectors import activity as selectors
from cpis.problems.services import problems as services

TODAY = timezone.localdate()
SINCE, UNTIL = TODAY - timedelta(days=29), TODAY  # 30 days; the 30 before are the comparison


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _concern(day: dt.date, *, lon: float = 21.05) -> None:
    concern = submit(lon=lon, lat=42.55).concern
    Concern.objects.filter(pk=concern.pk).update(created_at=_at(day), is_held=False)


def _incidents(unit, days) -> None:
    category = IncidentCategory.objects.order_by("pk").first()
    Incident.objects.bulk_create(
        Incident(
            source="test",
            source_id=f"{unit.pk}-{i}",
            category=category,
            occurred_on=day,
            lon=21.05,
            lat=42.55,
            sector=unit,
            unit_path=unit.path,
        )
        for i, day in enumerate(days)
    )


def _problem(actor, unit, title, *, opened: dt.date, closed: dt.date | None = None, outcome=""):
    problem = services.open_problem(actor, unit=unit, title=title, description="…")
    if closed is not None:
        services.close_problem(actor, problem=problem, outcome=outcome, reason="Counted from the records.")
        Problem.objects.filter(pk=problem.pk).update(closed_at=_at(closed))
    Problem.objects.filter(pk=problem.pk).update(created_at=_at(opened))
    return problem


def _priority(unit, issue, agreed_on):
    return SectorPriority.objects.create(
        unit=unit,
        unit_path=unit.path,
        issue=issue,
        status=PriorityStatus.AGREED,
        agreed_by_kind=AgreedBy.STATION,
        agreed_on=agreed_on,
    )


@pytest.fixture
def records(tree, actor_for, categories):
    """In N1A: problems opened and closed inside and outside the period, a priority agreed
    in it and one before, meetings of its forum and its station's, outreach; concerns and
    incidents in both periods. In S1A (another station): the same kinds, to be left out."""
    lead_n1, lead_s1 = actor_for("commander_n1"), actor_for("commander_s1")
    inside = TODAY - timedelta(days=5)
    earlier = SINCE - timedelta(days=10)
    _problem(lead_n1, tree.n1a, "Market burglaries", opened=inside)
    _problem(
        lead_n1, tree.n1a, "Speeding by the school", opened=earlier, closed=inside, outcome=Outcome.SOLVED
    )
    _problem(lead_n1, tree.n1a, "Graffiti", opened=earlier, closed=inside, outcome=Outcome.REDUCED)
    _problem(lead_n1, tree.n1a, "Noise", opened=earlier, closed=earlier, outcome=Outcome.NOT_SOLVED)
    _problem(lead_s1, tree.s1a, "Southern thefts", opened=inside, closed=inside, outcome=Outcome.SOLVED)
    _priority(tree.n1a, "Burglary", inside)
    _priority(tree.n1a, "Speeding", earlier)
    _priority(tree.s1a, "Thefts", inside)
    sector_forum, station_forum = ForumFactory(unit=tree.n1a), ForumFactory(unit=tree.n1)
    MeetingFactory(forum=sector_forum, starts_at=_at(inside), status=MeetingStatus.HELD)
    MeetingFactory(forum=station_forum, starts_at=_at(inside), status=MeetingStatus.HELD)
    MeetingFactory(forum=sector_forum, starts_at=_at(earlier), status=MeetingStatus.HELD)
    MeetingFactory(forum=sector_forum, starts_at=_at(inside), status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=ForumFactory(unit=tree.s1a), starts_at=_at(inside), status=MeetingStatus.HELD)
    for unit, kind, day, audience in (
        (tree.n1a, Kind.SCHOOL_LECTURE, inside, 40),
        (tree.n1a, Kind.PUBLIC_CONTACT, inside, 12),
        (tree.n1a, Kind.PUBLIC_CONTACT, earlier, 7),
        (tree.s1a, Kind.PUBLIC_CONTACT, inside, 100),
    ):
        OutreachActivity.objects.create(
            kind=kind,
            topic="narcotics" if kind == Kind.SCHOOL_LECTURE else "",
            unit=unit,
            unit_path=unit.path,
            happened_on=day,
            audience=audience,
        )
    for day in (inside, inside, inside, earlier):
        _concern(day)
    _concern(inside, lon=21.15)  # in N1B
    _incidents(tree.n1a, [inside, earlier, earlier, SINCE - timedelta(days=40)])
    _incidents(tree.s1a, [inside])
    return tree


def test_the_activity_counts_what_was_done_in_the_sector_in_the_period(records, actor_for):
    tree = records
    found = selectors.place_activity(actor_for("leader_n1a"), tree.n1a, since=SINCE, until=UNTIL)
    assert found.before.start == SINCE - timedelta(days=30) and found.before.end == SINCE - timedelta(days=1)
    assert [p.title for p in found.opened] == ["Market burglaries"] and found.opened_count == 1
    assert {p.title for p in found.closed} == {"Speeding by the school", "Graffiti"}
    assert {(o.outcome, o.count) for o in found.outcomes} == {("solved", 1), ("reduced", 1)}
    assert [p.issue for p in found.priorities] == ["Burglary"]
    # Held in the period: the sector's forum's meeting; the station's forum is not the sector
    # leader's to see, but its commander counts it beside the sector's.
    assert found.meetings_count == 1
    commander = selectors.place_activity(actor_for("commander_n1"), tree.n1a, since=SINCE, until=UNTIL)
    assert commander.meetings_count == 2
    assert (found.outreach_total.activities, found.outreach_total.audience) == (2, 52)
    [trend] = found.trends
    assert (trend.concerns, trend.concerns_before) == (3, 1)
    assert (trend.incidents, trend.incidents_before) == (1, 2)  # the one 40 days before is older still


def test_a_stations_activity_has_a_trend_for_each_sector(records, actor_for):
    tree = records
    found = selectors.place_activity(actor_for("commander_n1"), tree.n1, since=SINCE, until=UNTIL)
    trends = {t.sector.pk: t for t in found.trends}
    assert set(trends) == {tree.n1a.pk, tree.n1b.pk}
    assert trends[tree.n1b.pk].concerns == 1
    assert found.total.concerns == 4 and found.total.incidents == 1
    assert "Southern thefts" not in {p.title for p in found.opened}


def test_a_period_that_runs_backwards_is_refused(records, actor_for):
    with pytest.raises(InvalidInput):
        selectors.place_activity(actor_for("leader_n1a"), records.n1a, since=UNTIL, until=SINCE)


def test_the_fragment_shows_the_counts_for_the_dates_given(records, client_for):
    tree = records
    url = reverse("problems:sector_activity", args=[tree.n1a.pk])
    response = client_for("leader_n1a").get(
        url,
        {"since": SINCE.isoformat(), "until": UNTIL.isoformat()},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="activity"')
    assert "1 problem opened." in html and "Market burglaries" in html
    assert re.search(r"2 problems closed: Solved 1, Reduced 1\.", html)
    assert "1 priority agreed." in html and "1 forum meeting held." in html
    assert "2 outreach activities, reaching 52 people." in html
    assert "Southern thefts" not in html and "Thefts" not in html
    row = re.search(rf'<tr id="trend-{tree.n1a.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["3", "1", "1", "2"]


def test_the_fragment_is_a_page_without_script(records, client_for):
    url = reverse("problems:sector_activity", args=[records.n1a.pk])
    response = client_for("leader_n1a").get(url, {"since": SINCE.isoformat(), "until": UNTIL.isoformat()})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_the_fragment_of_a_place_outside_the_actors_places_is_not_found(records, client_for):
    url = reverse("problems:sector_activity", args=[records.n1a.pk])
    assert client_for("commander_s1").get(url).status_code == 404
    assert client_for("standards").get(url).status_code == 404


def test_bad_dates_get_a_clear_error(records, client_for):
    url = reverse("problems:sector_activity", args=[records.n1a.pk])
    client = client_for("leader_n1a")
    response = client.get(url, {"since": "yesterday"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()
    response = client.get(
        url, {"since": UNTIL.isoformat(), "until": SINCE.isoformat()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.content.decode()
