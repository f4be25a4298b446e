"""The Scanning tab: a problem's sources, and the concerns and incidents that
match its area and categories, offered to those who work it to link while
it is open; the count of offers for its overview."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import Polygon, mapping

from cpis.analytics.tests.conftest import plant
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.incidents.models import Incident, IncidentCategory
from cpis.problems.models import Change, Source, SourceKind
from cpis.problems.selectors import sources
from cpis.problems.services import problems as services
from cpis.problems.services.problems import Found

TODAY = timezone.localdate()
# A triangle of about 1.6 × 2.2 km: its bounds' north-east corner lies outside it.
TRIANGLE = mapping(Polygon([(21.04, 42.54), (21.06, 42.54), (21.04, 42.56)]))


@pytest.fixture
def english(client_for, settings):
    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _incidents(source: str) -> list[Incident]:
    return list(Incident.objects.filter(source=source).order_by("id"))


@pytest.fixture
def records(tree):
    """Concerns and incidents in and around the triangle of sector n1a."""
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=2)], lon=21.045, lat=42.546, source="in")
    plant(tree.n1a, "assault", [TODAY - timedelta(days=2)], lon=21.046, lat=42.546, source="other")
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=3)], lon=21.09, lat=42.59, source="out")
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=3)], lon=21.058, lat=42.558, source="corner")
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=200)], lon=21.045, lat=42.545, source="old")
    old = submit(lat=42.547, lon=21.047).concern
    Concern.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))
    return {
        "concern": submit(lat=42.546, lon=21.046).concern,
        "concern_outside": submit(lat=42.59, lon=21.09).concern,
        "concern_corner": submit(lat=42.558, lon=21.058).concern,
        "concern_other": submit(category_code="traffic-safety", lat=42.545, lon=21.045).concern,
        "concern_n1b": submit(lat=42.55, lon=21.15).concern,
        "concern_old": old,
        "incident": _incidents("in")[0],
        "incident_other": _incidents("other")[0],
        "incident_outside": _incidents("out")[0],
        "incident_corner": _incidents("corner")[0],
        "incident_old": _incidents("old")[0],
    }


def _open(actor, unit, *, area):
    return services.open_problem(
        actor,
        unit=unit,
        title="Burglaries and disorder at the market",
        area=area,
        incident_categories=[IncidentCategory.objects.get(code="burglary")],
        concern_categories=[ConcernCategory.objects.get(code="public-order")],
    )


@pytest.fixture
def area_problem(tree, actor_for, officer_n1a, records):
    """A problem of sector n1a whose target area is the triangle, owned by officer_n1a."""
    return _open(actor_for("officer_n1a"), tree.n1a, area=TRIANGLE)


def _offered(response) -> tuple[set[int], set[int]]:
    offers = response.context["offers"]
    return {c.pk for c in offers.concerns}, {i.pk for i in offers.incidents}


def test_new_matching_concerns_and_incidents_in_the_area_are_offered_and_no_others(
    tree, english, area_problem, records
):
    response = english("officer_n1a").get(reverse("problems:sources", args=[area_problem.pk]))
    assert response.status_code == 200
    assert _offered(response) == ({records["concern"].pk}, {records["incident"].pk})
    page = response.content.decode()
    assert "Offered to link" in page and records["concern"].reference in page
    for name in ("concern_outside", "concern_corner", "concern_other", "concern_n1b", "concern_old"):
        assert records[name].reference not in page, name
    assert "1 concern matches" in page and "1 incident matches" in page
    offers = sources.count_offers(area_problem)
    assert (offers.concern_count, offers.incident_count, offers.concerns) == (1, 1, [])


def test_without_an_area_the_places_sectors_are_matched(tree, english, actor_for, officer_n1a, records):
    problem = _open(actor_for("officer_n1a"), tree.n1a, area={})
    response = english("officer_n1a").get(reverse("problems:sources", args=[problem.pk]))
    concerns, incidents = _offered(response)
    assert concerns == {records["concern"].pk, records["concern_outside"].pk, records["concern_corner"].pk}
    assert incidents == {
        records["incident"].pk,
        records["incident_outside"].pk,
        records["incident_corner"].pk,
    }


def test_the_owner_links_ticked_offers_and_linking_twice_does_not_duplicate(
    tree, english, actor_for, area_problem, records
):
    client = english("officer_n1a")
    url = reverse("problems:sources", args=[area_problem.pk])
    ticked = {"concerns": [records["concern"].pk], "incidents": [records["incident"].pk]}
    done = client.post(url, ticked, follow=True)
    assert "The ticked records have been linked to the problem." in done.content.decode()
    linked = Source.objects.filter(problem=area_problem)
    assert {(s.kind, s.concern_id, s.incident_id) for s in linked} == {
        (SourceKind.CONCERN, records["concern"].pk, None),
        (SourceKind.INCIDENT, None, records["incident"].pk),
    }
    assert Change.objects.filter(problem=area_problem, what="source_linked").count() == 2
    assert _offered(done) == (set(), set())
    assert records["concern"].reference in done.content.decode()  # now among the sources
    assert sources.count_offers(area_problem).total == 0

    again = client.post(url, ticked, follow=True)
    assert "no longer offered" in again.content.decode()
    services.link_sources(
        actor_for("officer_n1a"),
        problem=area_problem,
        found=[Found(SourceKind.CONCERN, "again", refs={"concern": records["concern"]})],
    )
    assert Source.objects.filter(problem=area_problem).count() == 2


def test_a_record_that_is_not_offered_is_not_linked_by_its_number(tree, english, area_problem, records):
    client = english("officer_n1a")
    url = reverse("problems:sources", args=[area_problem.pk])
    client.post(
        url,
        {
            "concerns": [records["concern_corner"].pk, records["concern_other"].pk],
            "incidents": [records["incident_old"].pk, records["incident_corner"].pk],
        },
    )
    assert not Source.objects.filter(problem=area_problem).exists()
    refused = client.post(url, {}, follow=True)
    assert "Tick the concerns or incidents to link." in refused.content.decode()


def test_only_who_works_the_problem_is_offered_records_to_link(tree, english, area_problem, records):
    url = reverse("problems:sources", args=[area_problem.pk])
    viewer = english("strategy_coordinator")  # sees every problem, works none
    page = viewer.get(url)
    assert page.status_code == 200 and page.context["offers"] is None
    assert "Offered to link" not in page.content.decode()
    viewer.post(url, {"concerns": [records["concern"].pk]})
    assert not Source.objects.filter(problem=area_problem).exists()
    lead = english("commander_n1")
    assert _offered(lead.get(url))[0] == {records["concern"].pk}
    assert english("commander_s1").get(url).status_code == 404


def test_a_closed_problem_offers_nothing(tree, english, actor_for, area_problem, records):
    services.close_problem(actor_for("commander_n1"), problem=area_problem, outcome="not_a_problem")
    area_problem.refresh_from_db()
    assert sources.count_offers(area_problem).total == 0
    page = english("officer_n1a").get(reverse("problems:sources", args=[area_problem.pk]))
    assert "Offered to link" not in page.content.decode()


def test_offers_are_read_in_a_fixed_number_of_queries(tree, english, area_problem, records):
    client = english("officer_n1a")
    url = reverse("problems:sources", args=[area_problem.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        submit(lat=42.545 + n * 0.001, lon=21.045)
    plant(tree.n1a, "burglary", [TODAY] * 8, lon=21.045, lat=42.545, source="more")
    response = client.get(url)
    assert len(response.context["offers"].concerns) == 9 and len(response.context["offers"].incidents) == 9
    assert queries() == few


def test_offers_are_the_newest_fifty_with_the_count_of_all(tree, actor_for, area_problem, records):
    plant(tree.n1a, "burglary", [TODAY] * 60, lon=21.045, lat=42.545, source="many")
    offers = sources.list_offers(actor_for("officer_n1a"), area_problem)
    assert offers.incident_count == 61 and len(offers.incidents) == sources.OFFER_LIMIT
    assert records["incident"] not in offers.incidents  # two days old: after the newest fifty


def test_the_overview_tells_those_who_work_it_how_many_records_match(area_problem, english, officer_n1a):
    from cpis.problems.models import Action

    page = english("officer_n1a").get(reverse("problems:detail", args=[area_problem.pk])).content.decode()
    offers = sources.count_offers(area_problem)
    assert offers.total > 0
    assert f"{offers.total} new concerns and incidents match" in page
    # Someone who only reads the problem is not asked to link anything.
    assert (
        "new concerns and incidents match"
        not in english("strategy_coordinator")
        .get(reverse("problems:detail", args=[area_problem.pk]))
        .content.decode()
    )
    # The owner's overdue actions are counted on the problems bar.
    Action.objects.create(
        problem=area_problem,
        title="Patrol",
        technique="formal_surveillance",
        owner_officer=officer_n1a,
        due_on=TODAY - timedelta(days=3),
    )
    bar = english("officer_n1a").get(reverse("problems:list")).content.decode()
    assert '1<span class="visually-hidden"> of my actions are overdue' in bar
