"""Opening a problem from what scanning found, through the pages: an emerging
cluster (taken up in the same transaction), concerns picked in the queue, a
hotspot cell, a near-repeat run, a forum meeting's decision and a tension
report. Each keeps its source linked; an actor outside the source's place
gets 404."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import Point, mapping, shape

from cpis.analytics.models import AnalysisRun, ClusterStatus, EmergingCluster, RunKind
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.tests.factories import submit
from cpis.core.models import RunStatus
from cpis.forums.models import Decision, MeetingStatus, TensionLevel, TensionReport
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.incidents.models import IncidentCategory
from cpis.problems.models import Change, Problem, Source, SourceKind

TODAY = timezone.localdate()


@pytest.fixture
def english(client_for, settings):
    """client_for, with pages in English (the assertions read English text)."""

    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _open_url(**params) -> str:
    return f"{reverse('problems:open_from')}?{urlencode(params, doseq=True)}"


def _form(unit, *, title="A problem", incident=(), concern=(), use_area=True, **extra):
    data = {
        "title": title,
        "description": "",
        "unit": unit.pk,
        "incident_categories": [IncidentCategory.objects.get(code=c).pk for c in incident],
        "concern_categories": [ConcernCategory.objects.get(code=c).pk for c in concern],
        **extra,
    }
    if use_area:
        data["use_area"] = "on"
    return data


@pytest.fixture
def cluster(tree):
    """A candidate cluster of burglaries in sector n1a, with its circle."""
    return EmergingCluster.objects.create(
        subject="incidents",
        category="burglary",
        category_label="Burglary",
        unit=tree.n1a,
        path=tree.n1a.path,
        centre_lat=42.55,
        centre_lon=21.05,
        radius_m=450,
        start_date=TODAY - timedelta(days=20),
        end_date=TODAY,
        observed=45,
        expected=6.2,
        llr=30.1,
        p_value=0.001,
        recurrence_days=2000,
        area=mapping(Point(21.05, 42.55).buffer(0.005)),
        first_detected_on=TODAY,
        last_detected_on=TODAY,
    )


# --- an emerging cluster ---------------------------------------------------------------


def test_a_lead_takes_a_cluster_up_as_a_problem_with_the_cluster_linked(tree, english, cluster):
    client = english("leader_n1a")
    clusters_page = client.get(reverse("analytics:clusters"), {"place": tree.n1.pk}).content.decode()
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    assert url.replace("&", "&amp;") in clusters_page and "Take up as a problem" in clusters_page

    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == "Burglary in Sector A"
    assert form["unit"].value() == tree.n1a.pk
    assert form["incident_categories"].value() == [IncidentCategory.objects.get(code="burglary").pk]
    assert "450 m around 42.55000, 21.05000" in page.content.decode()

    response = client.post(
        url, _form(tree.n1a, title="Burglaries by the market", incident=["burglary"], note="SARA")
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "problems:sources", args=[problem.pk]
    )
    cluster.refresh_from_db()
    assert problem.unit == tree.n1a and problem.area == cluster.area
    assert list(problem.incident_categories.values_list("code", flat=True)) == ["burglary"]
    source = problem.sources.get()
    assert (
        source.kind == SourceKind.CLUSTER and source.cluster == cluster and source.details["observed"] == 45
    )
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.ACCEPTED and cluster.note == "SARA"
    assert cluster.reviewed_by.username == "leader_n1a"
    assert list(Change.objects.filter(problem=problem).values_list("what", flat=True)) == [
        "opened",
        "source_linked",
    ]

    # The cluster, now taken up, links to its problem; the Scanning tab shows it as a source.
    accepted = client.get(reverse("analytics:clusters"), {"place": tree.n1.pk, "status": "accepted"})
    found_url = reverse("problems:found", args=["cluster", cluster.pk])
    assert found_url in accepted.content.decode()
    assert client.get(found_url)["Location"] == reverse("problems:sources", args=[problem.pk])
    tab = client.get(reverse("problems:sources", args=[problem.pk])).content.decode()
    assert "Emerging cluster" in tab and source.label in tab


def test_the_place_boundary_may_be_chosen_instead_of_the_clusters_circle(tree, english, cluster):
    client = english("commander_n1")
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    client.post(url, _form(tree.n1a, incident=["burglary"], use_area=False))
    assert Problem.objects.get().area == {}


def test_a_failure_to_open_leaves_the_cluster_a_candidate(tree, english, cluster):
    client = english("commander_n1")
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    # The form refuses an empty title.
    assert client.post(url, _form(tree.n1a, title="")).status_code == 400
    # The service refuses the area after the cluster was reviewed: both are undone.
    EmergingCluster.objects.filter(pk=cluster.pk).update(
        area={"type": "Point", "coordinates": [21.05, 42.55]}
    )
    refused = client.post(url, _form(tree.n1a, incident=["burglary"]))
    assert refused.status_code == 400 and "The target area must be a polygon." in refused.content.decode()
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CANDIDATE and cluster.reviewed_at is None
    assert not Problem.objects.exists() and not Source.objects.exists()


def test_a_cluster_is_taken_up_as_one_problem_only(tree, english, cluster):
    client = english("commander_n1")
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    client.post(url, _form(tree.n1a, incident=["burglary"]))
    problem = Problem.objects.get()
    page = client.get(url).content.decode()
    assert "A problem has already been opened from this cluster." in page
    assert reverse("problems:sources", args=[problem.pk]) in page
    again = client.post(url, _form(tree.n1a, incident=["burglary"]))
    assert again.status_code == 400 and Problem.objects.count() == 1


def test_a_cluster_taken_up_before_problems_existed_opens_its_problem_once(tree, english, cluster):
    EmergingCluster.objects.filter(pk=cluster.pk).update(status=ClusterStatus.ACCEPTED)
    client = english("commander_n1")
    assert client.get(reverse("problems:found", args=["cluster", cluster.pk]))["Location"] == _open_url(
        **{"from": "cluster", "id": cluster.pk}
    )
    client.post(_open_url(**{"from": "cluster", "id": cluster.pk}), _form(tree.n1a, incident=["burglary"]))
    assert Problem.objects.get().sources.get().cluster == cluster
    assert client.post(_open_url(**{"from": "cluster", "id": cluster.pk}), _form(tree.n1a)).status_code == 400
    assert Problem.objects.count() == 1


def test_a_sector_officer_may_not_take_a_cluster_up(tree, english, cluster):
    client = english("officer_n1a")
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    page = client.get(url).content.decode()
    assert (
        "Only the leads of its place may take up an emerging cluster." in page
        and '<form method="post">' not in page
    )
    assert client.post(url, _form(tree.n1a, incident=["burglary"])).status_code == 403
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CANDIDATE and not Problem.objects.exists()


def test_a_dismissed_cluster_is_not_opened(tree, english, cluster):
    EmergingCluster.objects.filter(pk=cluster.pk).update(status=ClusterStatus.DISMISSED)
    client = english("commander_n1")
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    assert "This cluster has been dismissed." in client.get(url).content.decode()
    assert client.post(url, _form(tree.n1a, incident=["burglary"])).status_code == 400
    assert not Problem.objects.exists()


# --- concerns picked in the queue --------------------------------------------------------


def test_concerns_picked_in_the_queue_open_one_problem_with_each_linked(tree, english):
    first = submit().concern
    second = submit(lat=42.56, lon=21.06).concern
    client = english("coordinator_n1")
    queue = client.get(reverse("concerns:queue")).content.decode()
    assert f'formaction="{reverse("problems:open_from_concerns")}"' in queue
    picked = client.post(
        reverse("problems:open_from_concerns"),
        {"concerns": [first.pk, second.pk], "officer": "", "next": "/staff/concerns/"},
    )
    url = _open_url(**{"from": "concern", "id": [first.pk, second.pk]})
    assert picked["Location"] == url
    form = client.get(url).context["form"]
    assert form["title"].value() == "Public order in Sector A"
    assert form["unit"].value() == tree.n1a.pk
    assert form["concern_categories"].value() == [first.category_id]
    client.post(url, _form(tree.n1a, concern=["public-order"]))
    problem = Problem.objects.get()
    assert {s.concern for s in problem.sources.all()} == {first, second}
    assert {s.kind for s in problem.sources.all()} == {SourceKind.CONCERN}
    assert first.reference in problem.sources.get(concern=first).label


def test_picking_no_concern_goes_back_to_the_queue_with_a_message(tree, english):
    response = english("coordinator_n1").post(
        reverse("problems:open_from_concerns"), {"next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("concerns:queue")
    assert "Select at least one concern." in response.content.decode()


def test_concerns_of_another_place_are_not_found(tree, english):
    mine = submit().concern
    theirs = submit(lat=41.95, lon=21.05).concern
    client = english("coordinator_n1")
    assert client.get(_open_url(**{"from": "concern", "id": [mine.pk, theirs.pk]})).status_code == 404
    assert client.get(_open_url(**{"from": "concern", "id": ["x"]})).status_code == 404
    assert client.get(_open_url(**{"from": "concern"})).status_code == 404


# --- a hotspot cell, a near-repeat run ----------------------------------------------------


def test_a_hotspot_cell_opens_a_problem_with_the_cell_as_its_area(tree, english):
    client = english("coordinator_n1")
    params = {
        "from": "hotspot",
        "place": tree.n1.pk,
        "lat": "42.550000",
        "lon": "21.050000",
        "cell": "500",
        "subject": "incidents",
        "category": "burglary",
        "since": "2025-01-01",
        "until": "",
    }
    url = _open_url(**params)
    form = client.get(url).context["form"]
    assert form["title"].value() == "Burglary hotspot in Sector A" and form["unit"].value() == tree.n1a.pk
    client.post(url, _form(tree.n1a, incident=["burglary"]))
    problem = Problem.objects.get()
    area = shape(problem.area)
    assert area.contains(Point(21.05, 42.55)) and not area.contains(Point(21.054, 42.55))
    assert abs(area.bounds[3] - area.bounds[1] - 500 / 111_000) < 0.0002  # 500 m north to south
    source = problem.sources.get()
    assert source.kind == SourceKind.HOTSPOT and source.details["cell_m"] == 500
    assert source.details["place"] == tree.n1.pk and source.details["since"] == "2025-01-01"
    tab = client.get(reverse("problems:sources", args=[problem.pk])).content.decode()
    assert f"{reverse('analytics:hotspots')}?place={tree.n1.pk}" in tab


def test_a_hotspot_cell_far_from_the_place_or_badly_written_is_not_found(tree, english):
    client = english("coordinator_n1")
    base = {"from": "hotspot", "place": tree.n1.pk, "cell": "500"}
    assert client.get(_open_url(**base, lat="41.95", lon="21.05")).status_code == 404  # in the south
    assert client.get(_open_url(**base, lat="nan", lon="21.05")).status_code == 404
    assert client.get(_open_url(**{**base, "cell": "5"}, lat="42.55", lon="21.05")).status_code == 404


def test_the_hotspots_page_links_each_hot_cell_to_a_problem(tree, english):
    from cpis.analytics.tests.conftest import N1A, background, surge

    background(tree.n1a, "burglary", years=1, per_week=4, seed=1, box=N1A)
    surge(tree.n1a, "burglary", lon=21.05, lat=42.55, seed=5, source="surge")
    client = english("coordinator_n1")
    page = client.get(
        reverse("analytics:hotspots"),
        {"place": tree.n1.pk, "subject": "incidents", "category": "burglary", "permutations": 99},
    ).content.decode()
    assert "Open a problem here" in page
    link = page.split("Open a problem here")[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert "from=hotspot" in link and "category=burglary" in link
    form = client.get(link).context["form"]
    assert form["incident_categories"].value() == [IncidentCategory.objects.get(code="burglary").pk]


@pytest.fixture
def near_repeat_run(tree, actor_for):
    """A finished near-repeat analysis of the burglaries at station N1."""
    from cpis.analytics import analyses, services
    from cpis.analytics.tests.conftest import surge

    surge(tree.n1a, "burglary", lon=21.05, lat=42.55, seed=5, source="surge")
    scope = analyses.Scope(unit=tree.n1, subject="incidents", categories=("burglary",))
    bands = {"space_bandwidth": 100, "space_bands": 3, "time_bandwidth": 7, "time_bands": 2}
    run = services.request_run(
        actor_for("coordinator_n1"),
        kind=RunKind.NEAR_REPEAT,
        scope=scope,
        params={**bands, "permutations": 19},
    )
    return services.execute_run(run.pk)


def test_a_near_repeat_run_opens_a_problem_with_the_run_linked(tree, english, near_repeat_run):
    assert near_repeat_run.status == RunStatus.DONE
    client = english("coordinator_n1")
    url = _open_url(**{"from": "run", "id": near_repeat_run.pk})
    run_page = client.get(reverse("analytics:run", args=[near_repeat_run.pk])).content.decode()
    assert url.replace("&", "&amp;") in run_page
    form = client.get(url).context["form"]
    assert (
        form["title"].value() == "Near repeats of Burglary in Station N1"
        and form["unit"].value() == tree.n1.pk
    )
    client.post(url, _form(tree.n1, incident=["burglary"]))
    source = Problem.objects.get(unit=tree.n1).sources.get()
    assert source.kind == SourceKind.NEAR_REPEAT and source.run == near_repeat_run
    assert source.details["categories"] == ["burglary"]


def test_a_scan_run_or_one_still_running_is_not_a_near_repeat_source(tree, english):
    scan = AnalysisRun.objects.create(kind=RunKind.SCAN, subject="incidents", unit=tree.n1, path=tree.n1.path)
    queued = AnalysisRun.objects.create(
        kind=RunKind.NEAR_REPEAT, subject="incidents", unit=tree.n1, path=tree.n1.path
    )
    client = english("coordinator_n1")
    for run in (scan, queued):
        assert client.get(_open_url(**{"from": "run", "id": run.pk})).status_code == 404


# --- a forum meeting's decision, a tension report -----------------------------------------


@pytest.fixture
def forum_records(tree):
    forum = ForumFactory(unit=tree.n1a, name="LPSC Sektori A")
    meeting = MeetingFactory(
        forum=forum, status=MeetingStatus.HELD, starts_at=timezone.now() - timedelta(days=3)
    )
    decision = Decision.objects.create(
        meeting=meeting, text="Ndriçimi i rrugës te tregu\nTë kërkohet nga komuna."
    )
    report = TensionReport.objects.create(
        forum=forum, reported_on=TODAY, level=TensionLevel.HIGH, summary="Grindje mes të rinjve."
    )
    return {"forum": forum, "meeting": meeting, "decision": decision, "report": report}


def test_a_meetings_decision_opens_a_problem_at_the_forums_place(tree, english, forum_records):
    client = english("leader_n1a")
    decision = forum_records["decision"]
    url = _open_url(**{"from": "decision", "id": decision.pk})
    meeting_page = client.get(reverse("forums:meeting", args=[forum_records["meeting"].pk])).content.decode()
    assert url.replace("&", "&amp;") in meeting_page
    form = client.get(url).context["form"]
    assert form["title"].value() == "Ndriçimi i rrugës te tregu" and form["unit"].value() == tree.n1a.pk
    assert form["description"].value() == decision.text
    client.post(url, _form(tree.n1a, title="Street lighting at the market"))
    source = Problem.objects.get().sources.get()
    assert source.kind == SourceKind.DECISION and source.decision == decision
    tab = client.get(reverse("problems:sources", args=[source.problem_id])).content.decode()
    assert reverse("forums:meeting", args=[forum_records["meeting"].pk]) in tab


def test_a_tension_report_opens_a_problem_at_the_forums_place(tree, english, forum_records):
    client = english("leader_n1a")
    report = forum_records["report"]
    url = _open_url(**{"from": "tension", "id": report.pk})
    forum_page = client.get(reverse("forums:detail", args=[forum_records["forum"].pk])).content.decode()
    assert url.replace("&", "&amp;") in forum_page
    form = client.get(url).context["form"]
    assert form["title"].value() == "Community tension reported by LPSC Sektori A"
    client.post(url, _form(tree.n1a, title="Tension among young people"))
    source = Problem.objects.get(unit=tree.n1a).sources.get()
    assert source.kind == SourceKind.TENSION and source.tension_report == report


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cluster", "concern", "hotspot", "run", "decision", "tension"])
def test_an_actor_outside_the_sources_place_gets_404(tree, english, cluster, forum_records, kind):
    if kind == "hotspot":
        params = {"place": tree.n1.pk, "lat": "42.55", "lon": "21.05", "cell": "500"}
    else:
        record = {
            "cluster": cluster,
            "concern": submit().concern if kind == "concern" else None,
            "run": AnalysisRun.objects.create(
                kind=RunKind.NEAR_REPEAT,
                subject="incidents",
                unit=tree.n1,
                path=tree.n1.path,
                status=RunStatus.DONE,
                result={},
            ),
            "decision": forum_records["decision"],
            "tension": forum_records["report"],
        }[kind]
        params = {"id": record.pk}
    url = _open_url(**{"from": kind, **params})
    assert english("coordinator_n1").get(url).status_code == 200
    client = english("commander_s1")
    assert client.get(url).status_code == 404
    assert client.post(url, _form(tree.s1a)).status_code == 404
    assert not Problem.objects.exists()


def test_who_may_open_no_problem_anywhere_is_refused(tree, english, cluster):
    url = _open_url(**{"from": "cluster", "id": cluster.pk})
    assert english("strategy_coordinator").get(url).status_code == 403
    assert english("standards").get(url).status_code == 404


def test_an_unknown_kind_is_not_found(tree, english):
    client = english("coordinator_n1")
    assert client.get(_open_url(**{"from": "nothing", "id": 1})).status_code == 404
    assert client.get(reverse("problems:found", args=["hotspot", 1])).status_code == 404
