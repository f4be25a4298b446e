import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cpis.analytics.models import AnalysisRun, ClusterStatus, EmergingCluster, RunStatus
from cpis.organisation.models import UnitKind
from cpis.organisation.tests.factories import UnitFactory, square

from .conftest import TODAY, plant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("who", "place"),
    [("officer_n1a", "n1a"), ("commander_n1", "n1"), ("directorate", "root")],
)
def test_pages_render_for_a_sector_a_station_and_the_country(city, english, who, place):
    client = english(who)
    unit = getattr(city, place)
    query = {"place": unit.pk, "subject": "incidents", "category": "burglary"}
    for name in ("trends", "hotspots", "deployment", "clusters", "near_repeat"):
        response = client.get(reverse(f"analytics:{name}"), query)
        assert response.status_code == 200, name
        assert unit.name in response.content.decode() or name == "near_repeat"
    geojson = client.get(reverse("analytics:hotspots_geojson"), {**query, "cell": 250})
    assert geojson.status_code == 200 and geojson.json()["type"] == "FeatureCollection"
    density = client.get(reverse("analytics:density"), query)
    assert density.json()["image"].startswith("data:image/png;base64,")


def test_a_place_outside_ones_own_is_not_found(city, english):
    client = english("commander_s1")
    assert client.get(reverse("analytics:trends"), {"place": city.n1.pk}).status_code == 200
    # The form ignores a place the actor cannot choose and falls back to their own.
    page = client.get(reverse("analytics:trends"), {"place": city.n1.pk}).content.decode()
    assert city.s1.name in page and "Station N1" not in page
    assert client.get(reverse("analytics:sector_priorities", args=[city.n1a.pk])).status_code == 404


def test_professional_standards_have_no_analytics(city, english):
    assert english("standards").get(reverse("analytics:trends")).status_code == 404


def test_trends_export_csv(city, english):
    response = english("commander_n1").get(
        reverse("analytics:trends"), {"place": city.n1.pk, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Burglary" in text and "Year to date" in text


def _analyse(client, view, city, **settings):
    """Post the form of a background analysis (`view`) of the burglaries at station N1."""
    scope = {"place": city.n1.pk, "subject": "incidents", "category": "burglary"}
    return client.post(reverse(view), {**scope, **settings})


def test_near_repeat_runs_in_the_background_and_shows_the_knox_table(
    city, english, django_capture_on_commit_callbacks
):
    client = english("commander_n1")
    bands = {"space_bandwidth": 100, "space_bands": 3, "time_bandwidth": 7, "time_bands": 2}
    with django_capture_on_commit_callbacks(execute=True):
        response = _analyse(
            client, "analytics:near_repeat", city, **bands, metric="manhattan", mode="exact", permutations=19
        )
    run = AnalysisRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("analytics:run", args=[run.pk])
    assert run.status == RunStatus.DONE and run.progress == 1.0  # the test queue runs it at once
    page = client.get(response["Location"]).content.decode()
    assert "Knox table of" in page and "Same location" in page and "More than 300 m" in page
    csv = client.get(reverse("analytics:run_csv", args=[run.pk]))
    assert csv.content.decode().count("\n") == 1 + 5 * 3
    # The poll of a finished run asks the page to reload.
    assert client.get(response["Location"], headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_near_repeat_with_bad_settings_changes_nothing(city, english):
    client = english("commander_n1")
    response = client.post(reverse("analytics:near_repeat"), {"place": city.n1.pk, "space_bandwidth": -1})
    assert response.status_code == 200 and not AnalysisRun.objects.exists()
    assert "error" in response.content.decode()


def test_a_run_of_another_place_is_not_found(city, english):
    run = AnalysisRun.objects.create(kind="scan", subject="incidents", unit=city.n1, path=city.n1.path)
    assert english("commander_s1").get(reverse("analytics:run", args=[run.pk])).status_code == 404


def test_scan_on_demand_then_review_the_cluster(city, english, django_capture_on_commit_callbacks):
    client = english("commander_n1")
    with django_capture_on_commit_callbacks(execute=True):
        response = _analyse(
            client, "analytics:clusters", city, days=365, window=30, radius=1000, cell=500, replicates=99
        )
    run = AnalysisRun.objects.get(kind="scan")
    assert response.status_code == 302 and run.status == RunStatus.DONE
    cluster = EmergingCluster.objects.get(unit=city.n1a)
    page = client.get(reverse("analytics:clusters"), {"place": city.n1.pk}).content.decode()
    assert "Take up" in page and cluster.category_label in page
    features = client.get(reverse("analytics:clusters_geojson"), {"place": city.n1.pk}).json()["features"]
    assert [f["id"] for f in features] == [cluster.pk]
    # Taking a cluster up opens a problem (cpis/problems); here it can only be dismissed.
    client.post(
        reverse("analytics:cluster_review", args=[cluster.pk]), {"decision": "accept", "note": "SARA"}
    )
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CANDIDATE
    client.post(
        reverse("analytics:cluster_review", args=[cluster.pk]), {"decision": "dismiss", "note": "Noise"}
    )
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.DISMISSED and cluster.note == "Noise"
    again = client.post(
        reverse("analytics:cluster_review", args=[cluster.pk]), {"decision": "dismiss"}, follow=True
    )
    assert "already been reviewed" in again.content.decode()


def test_a_sector_officer_cannot_review_clusters(city, english):
    cluster = EmergingCluster.objects.create(
        subject="incidents",
        category="burglary",
        category_label="Burglary",
        unit=city.n1a,
        path=city.n1a.path,
        centre_lat=42.55,
        centre_lon=21.05,
        radius_m=500,
        start_date=TODAY,
        end_date=TODAY,
        observed=10,
        expected=2,
        llr=8,
        p_value=0.001,
        recurrence_days=1000,
        first_detected_on=TODAY,
        last_detected_on=TODAY,
    )
    response = english("officer_n1a").post(
        reverse("analytics:cluster_review", args=[cluster.pk]), {"decision": "dismiss"}
    )
    assert response.status_code == 403
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.CANDIDATE


def test_the_sector_profile_loads_its_priorities(city, english):
    client = english("leader_n1a")
    profile = client.get(reverse("organisation:sector", args=[city.n1a.pk])).content.decode()
    url = reverse("analytics:sector_priorities", args=[city.n1a.pk])
    assert f'hx-get="{url}"' in profile
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Burglary" in fragment and "<html" not in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and "Burglary" in page


def test_deployment_csv(city, english):
    response = english("directorate").get(
        reverse("analytics:deployment"), {"place": city.n1.pk, "format": "csv"}
    )
    rows = response.content.decode().strip().splitlines()
    assert rows[0].lstrip("\ufeff").startswith("Sector,Officers,Incidents") and len(rows) == 3


def test_odd_dates_and_huge_grids_get_a_message_not_an_error(city, english):
    client = english("directorate")
    for query in ({"until": "0003-01-01"}, {"since": "0001-03-01", "until": "0001-04-01"}):
        for name in ("trends", "hotspots", "deployment"):
            response = client.get(reverse(f"analytics:{name}"), {"place": city.root.pk, **query})
            assert response.status_code == 200, (name, query)
    assert "after 1900" in client.get(reverse("analytics:hotspots"), {"until": "0003-01-01"}).content.decode()
    page = client.get(reverse("analytics:hotspots"), {"place": city.root.pk, "cell": 100}).content.decode()
    assert "notice-error" not in page  # the country's 100 m grid is large, not too large
    # A sector some 300 km north-east of the others: the country's 100 m grid would have ~8 million cells.
    far = UnitFactory(parent=city.s1, code="far", kind=UnitKind.SECTOR, boundary=square(25.0, 44.0))
    plant(far, "burglary", [TODAY] * 3, lon=25.05, lat=44.05, source="far")
    page = client.get(reverse("analytics:hotspots"), {"place": city.root.pk, "cell": 100}).content.decode()
    assert "notice-error" in page
    assert "The grid would be too large: choose larger cells or a smaller place." in page
    # An incident imported with swapped coordinates does not stretch the grid over the world.
    plant(city.n1a, "burglary", [TODAY], lon=42.55, lat=21.05, source="swapped")
    geojson = client.get(reverse("analytics:hotspots_geojson"), {"place": city.n1.pk, "cell": 100})
    assert geojson.status_code == 200


def test_priorities_are_for_sectors_only(city, english):
    client = english("commander_n1")
    assert client.get(reverse("analytics:sector_priorities", args=[city.n1.pk])).status_code == 404


def test_professional_standards_cannot_open_the_near_repeat_page(city, english):
    assert english("standards").get(reverse("analytics:near_repeat")).status_code == 404
