"""Browse by place and the neighbourhood page (issue #15, items 3 and 4): every
region, municipality and sector reached from the home page by links alone, at
readable addresses; the old sector addresses redirected; the sitemap; and each
section of a sector's page from real records, with its figures as HTML, JSON and
CSV — and never a reporter's text, contact or exact point, nor a sensitive category."""

import csv
import datetime as dt
import io
import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.utils import timezone

from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.core.anonymous_places import snap
from cpis.forums.tests.factories import ForumFactory, MeetingFactory, PressReleaseFactory
from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import SectorRole, Unit, UnitKind
from cpis.organisation.tests.factories import MunicipalityFactory, OfficerFactory, UnitFactory
from cpis.portal.selectors import figure_months
from cpis.problems.models import AgreedBy, Outcome, PriorityStatus, SectorPriority
from cpis.problems.services import problems as problem_services
from cpis.problems.services import summaries as summary_services

SECRET = "Agim at number 12 sells drugs from the blue garage"
REPORTER_EMAIL = "arta.reporter@example.org"
REPORTER_PHONE = "+38344777666"
# Exact points, as typed digits that a leak would carry (the snapped cell centres differ).
EXACT = [(42.5512345, 21.0523456), (42.5587654, 21.0611111), (42.5533333, 21.0644444)]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


# Not pages a citizen browses to: files, feeds, data, the staff side, the API.
SKIP = re.compile(r"^/(static|media|staff|api|admin|accounts|open311|track)/|\.(ics|json|csv|xml)$|/feed/$")


def crawl(client, start: str = "/", limit: int = 300) -> set[str]:
    """The site's own pages reachable from `start` by following links only."""
    seen, queue = {start}, deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urldefrag(href).url
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


@pytest.fixture
def substation_sector(tree):
    """A sector under a substation of station N1, as the national tree has them."""
    substation = UnitFactory(parent=tree.n1, code="n1-n", kind=UnitKind.SUBSTATION, name_sq="Nënstacioni N")
    return UnitFactory(parent=substation, code="n1c", kind=UnitKind.SECTOR, name_sq="Sektori C")


def test_every_sector_is_reached_from_the_home_page_by_links_alone(tree, client, substation_sector):
    reached = crawl(client)
    sectors = Unit.objects.filter(kind=UnitKind.SECTOR)
    expected = {"/places/north/n1/n1a/", "/places/north/n1/n1b/", "/places/south/s1/s1a/"}
    expected.add("/places/north/n1/n1-n/n1c/")
    assert {s.path.removeprefix("kp/") for s in sectors} == {e.removeprefix("/places/") for e in expected}
    assert expected <= reached
    assert {"/places/north/", "/places/north/n1/", "/places/south/", "/places/south/s1/"} <= reached


def test_a_station_is_shown_by_its_municipality_and_lists_every_sector_under_it(
    tree, client, substation_sector
):
    tree.n1.municipality = MunicipalityFactory(code="graçanica", name_en="Gračanica")
    tree.n1.save()
    client.cookies["cpis_language"] = "en"
    html = client.get("/places/north/").content.decode()
    assert 'href="/places/north/n1/">Gračanica</a>' in html
    station = client.get("/places/north/n1/").content.decode()
    for path in ("/places/north/n1/n1a/", "/places/north/n1/n1b/", "/places/north/n1/n1-n/n1c/"):
        assert f'href="{path}"' in station


def test_an_unknown_place_is_404(tree, client):
    assert client.get("/places/north/nowhere/").status_code == 404
    assert client.get("/places/north/n1/figures.json").status_code == 404  # a station has no figures


def test_the_old_sector_address_redirects_permanently_to_the_place(tree, client):
    response = client.get(f"/sectors/{tree.n1a.pk}/")
    assert response.status_code == 301
    assert response["Location"] == "/places/north/n1/n1a/"
    assert client.get("/sectors/999999/").status_code == 404


def test_the_sitemap_lists_every_place_the_solved_problems_and_the_forum_pages(tree, client, actor_for):
    problem = problem_services.open_problem(actor_for("leader_n1a"), unit=tree.n1a, title="Market thefts")
    problem = problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.SOLVED, reason="It stopped."
    )
    summary_services.save_summary(
        actor_for("leader_n1a"),
        problem=problem,
        title_sq="Vjedhjet u ndalën",
        body_sq="Ndriçim.",
        title_sr="Крађе",
        body_sr="Осветљење.",
    )
    summary_services.submit_summary(actor_for("leader_n1a"), problem=problem)
    summary = summary_services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)
    release = PressReleaseFactory(
        forum=ForumFactory(unit=tree.n1a), is_published=True, published_at=timezone.now()
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/places/",
        "/places/north/",
        "/places/north/n1/",
        "/places/north/n1/n1a/",
        "/places/south/s1/s1a/",
        f"/solved/{summary.pk}/",
        f"/forums/sectors/{tree.n1a.pk}/",
        f"/forums/news/{release.pk}/",
        "/complaints/",
    ):
        assert f"<loc>http://testserver{path}</loc>" in body, path
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /staff/" in robots


# --- the neighbourhood page -------------------------------------------------------------


@pytest.fixture
def last_month():
    """A day in the last whole month: inside the page's twelve months."""
    return figure_months()[-1] + dt.timedelta(days=9)


@pytest.fixture
def neighbourhood(tree, actor_for, last_month):
    """A sector with a team, an agreed priority, a planned public meeting, a solved
    problem, forum news, incidents and concerns — and sensitive ones beside them."""
    officer = OfficerFactory(
        unit=tree.n1,
        first_name="Drita",
        last_name="Berisha",
        personal_phone="+383 49 111 222",
        home_address="Rr. Fshehtë 7",
    )
    officer.assignments.create(sector=tree.n1a, role=SectorRole.LEADER, start_date=dt.date(2025, 1, 1))
    SectorPriority.objects.create(
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        issue="Vjedhjet në treg",
        what_is_done="Patrullime natën",
        status=PriorityStatus.AGREED,
        agreed_on=dt.date(2026, 3, 5),
        agreed_by_kind=AgreedBy.STATION,
        rank=1,
    )
    forum = ForumFactory(unit=tree.n1a, name="KLSP Sektori A")
    MeetingFactory(forum=forum, is_public=True, place="Shkolla Ismail Qemali")
    PressReleaseFactory(
        forum=forum, title="Ndriçimi i tregut", is_published=True, published_at=timezone.now()
    )
    problem = problem_services.open_problem(actor_for("leader_n1a"), unit=tree.n1a, title="Market thefts")
    problem = problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.SOLVED, reason="It stopped."
    )
    summary_services.save_summary(
        actor_for("leader_n1a"),
        problem=problem,
        title_sq="Vjedhjet në treg u ndalën",
        body_sq="Ndriçim.",
        title_sr="Крађе",
        body_sr="Осветљење.",
    )
    summary_services.submit_summary(actor_for("leader_n1a"), problem=problem)
    summary_services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)

    def incident(number, code, lat, lon, day=last_month):
        Incident.objects.create(
            source="test",
            source_id=str(number),
            category=IncidentCategory.objects.get(code=code),
            occurred_on=day,
            lat=lat,
            lon=lon,
            place="Rr. Agim Ramadani 12",
            sector=tree.n1a,
            unit_path=tree.n1a.path,
        )

    incident(1, "burglary", *EXACT[0])
    incident(2, "burglary", EXACT[0][0] + 0.0001, EXACT[0][1] + 0.0001)  # the same 200 m cell
    incident(3, "theft", *EXACT[1])
    incident(4, "domestic-violence", *EXACT[2])  # never published
    incident(5, "sexual-offence", *EXACT[2])  # never published
    incident(6, "burglary", *EXACT[1], day=last_month - dt.timedelta(days=800))  # outside the months
    incident(7, "burglary", *EXACT[1], day=timezone.localdate())  # this month: not yet counted
    incident(8, "theft", None, None)  # no point: counted, not mapped
    Incident.objects.create(  # another sector's
        source="test",
        source_id="9",
        category=IncidentCategory.objects.get(code="burglary"),
        occurred_on=last_month,
        lat=42.55,
        lon=21.15,
        sector=tree.n1b,
        unit_path=tree.n1b.path,
    )
    concerns = [
        submit(
            description=SECRET,
            reporter_email=REPORTER_EMAIL,
            reporter_phone=REPORTER_PHONE,
            reporter_name="Arta Reporter",
            lat=EXACT[1][0],
            lon=EXACT[1][1],
        ),
        submit(category_code="domestic-violence", description=SECRET, lat=EXACT[2][0], lon=EXACT[2][1]),
        submit(description=SECRET, unverified=True, lat=EXACT[1][0], lon=EXACT[1][1]),  # held: not counted
    ]
    ids = [c.concern.pk for c in concerns]
    moment = timezone.make_aware(dt.datetime.combine(last_month, dt.time(12)))
    Concern.objects.filter(pk__in=ids).update(created_at=moment)
    assert [Concern.objects.get(pk=i).sector_id for i in ids] == [tree.n1a.pk] * 3
    return tree.n1a


def _page(client):
    client.cookies["cpis_language"] = "en"
    response = client.get("/places/north/n1/n1a/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


def _assert_nothing_private(text):
    assert SECRET not in text and "Agim" not in text
    assert REPORTER_EMAIL not in text and "Arta Reporter" not in text
    assert "+38344777666" not in text and "44777666" not in text
    assert "+383 49 111 222" not in text and "Fshehtë" not in text  # the officer's personal data
    assert "Rr. Agim Ramadani" not in text  # an incident's place as the source wrote it
    for lat, lon in EXACT:
        assert f"{lat}" not in text and f"{lon}" not in text
        assert f"{lat:.5f}" not in text and f"{lon:.5f}" not in text


def test_each_section_of_the_neighbourhood_page_shows_the_sectors_records(neighbourhood, client):
    html = _page(client)
    assert "Drita Berisha" in _section(html, "team")
    assert "Vjedhjet në treg" in html and "Patrullime natën" in html
    meetings = _section(html, "meetings")
    assert "KLSP Sektori A" in meetings and "Shkolla Ismail Qemali" in meetings
    assert f"/forums/sectors/{neighbourhood.pk}/meetings.ics" in meetings
    assert "Ndriçimi i tregut" in _section(html, "news")
    assert "Vjedhjet në treg u ndalën" in html.split('id="solved-title"')[1]
    figures = _section(html, "figures")
    incidents = figures.split('id="figures-incidents"')[1].split("</table>")[0]
    assert re.search(
        r'data-category="burglary"><th scope="row">Burglary</th>(<td>0</td>){11}<td>2</td>', incidents
    )
    assert re.search(r'data-category="theft"><th scope="row">Theft</th>(<td>0</td>){11}<td>2</td>', incidents)
    assert "Domestic violence" not in incidents and "Sexual offence" not in incidents
    concerns = figures.split('id="figures-concerns"')[1].split("</table>")[0]
    assert re.search(
        r'data-category="public-order"><th scope="row">Public order</th>(<td>0</td>){11}<td>1</td>', concerns
    )
    assert "Domestic violence" not in concerns
    assert 'href="/places/north/n1/n1a/figures.json"' in figures
    _assert_nothing_private(html)


def test_the_figures_as_json_are_the_pages_with_the_map_snapped_to_anonymous_cells(neighbourhood, client):
    response = client.get("/places/north/n1/n1a/figures.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    _assert_nothing_private(response.content.decode())
    body = json.loads(response.content)
    assert body["sector"]["place"] == "north/n1/n1a" and len(body["months"]) == 12
    by_code = {c["code"]: c for c in body["incidents"]["categories"]}
    assert set(by_code) == {"burglary", "theft"}
    assert by_code["burglary"]["counts"][-1] == 2 and by_code["burglary"]["total"] == 2
    assert by_code["theft"]["total"] == 2 and body["incidents"]["total"] == 4
    assert [c["code"] for c in body["concerns"]["categories"]] == ["public-order"]
    assert body["concerns"]["total"] == 1
    points = {
        (f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]): f["properties"]
        for f in body["map"]["features"]
    }
    # Two burglaries in one cell: one point, counted twice; the theft and the concern
    # share the second cell; the unplaced theft and the sensitive records are nowhere.
    assert set(points) == {snap(*EXACT[0]), snap(*EXACT[1])}
    assert points[snap(*EXACT[0])]["incidents"] == 2
    assert points[snap(*EXACT[1])] | {"counts": None} == {"incidents": 1, "concerns": 1, "counts": None}
    for lat, lon in points:
        assert (lat, lon) not in EXACT


def test_the_figures_as_csv_carry_the_same_counts_and_cells(neighbourhood, client):
    response = client.get("/places/north/n1/n1a/figures.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    _assert_nothing_private(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    month = figure_months()[-1].strftime("%Y-%m")
    counted = {(r["kind"], r["category"]): int(r["count"]) for r in rows if r["month"] == month}
    assert counted == {
        ("incidents", "burglary"): 2,
        ("incidents", "theft"): 2,
        ("concerns", "public-order"): 1,
    }
    assert sum(int(r["count"]) for r in rows) == 5
    cells = client.get("/places/north/n1/n1a/map.csv").content.decode("utf-8-sig")
    _assert_nothing_private(cells)
    mapped = {
        (r["kind"], r["category"], float(r["lat"]), float(r["lon"])): int(r["count"])
        for r in csv.DictReader(io.StringIO(cells))
    }
    assert mapped == {
        ("incidents", "burglary", *snap(*EXACT[0])): 2,
        ("incidents", "theft", *snap(*EXACT[1])): 1,
        ("concerns", "public-order", *snap(*EXACT[1])): 1,
    }


def test_another_sectors_page_counts_only_its_own(neighbourhood, tree, client):
    body = client.get("/places/north/n1/n1b/figures.json").json()
    assert body["incidents"]["total"] == 1 and body["concerns"]["total"] == 0
    assert "Drita Berisha" not in client.get("/places/north/n1/n1b/").content.decode()


def test_a_sector_with_nothing_yet_says_so(tree, client):
    html = _page(client)
    assert "No public meeting is planned yet." in html
    assert "The forums of this sector have published no news yet." in html
    assert "None in these twelve months." in html
