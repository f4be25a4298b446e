"""Solved problems shown to citizens [3.2.5]: the list linked from the home
page, each summary's page, the sector page's own, and the Atom feeds — only
summaries a second person approved, in the reader's language, with no names."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from cpis.organisation.models import Role
from cpis.organisation.tests.factories import RoleGrantFactory
from cpis.problems.models import Outcome
from cpis.problems.services import problems as problem_services
from cpis.problems.services import summaries as services

ATOM = "{http://www.w3.org/2005/Atom}"
TEXTS = {
    "title_sq": "Vjedhjet në treg u ndalën",
    "title_sr": "Крађе на пијаци су заустављене",
    "body_sq": "Banorët, komuna dhe policia ndriçuan tregun.",
    "body_sr": "Становници, општина и полиција осветлили су пијацу.",
}


@pytest.fixture
def closed(tree, actor_for):
    def make(title, unit=None, by="leader_n1a"):
        problem = problem_services.open_problem(actor_for(by), unit=unit or tree.n1a, title=title)
        return problem_services.close_problem(
            actor_for(by), problem=problem, outcome=Outcome.SOLVED, reason="It stopped."
        )

    return make


@pytest.fixture
def published(closed, actor_for):
    """A summary of a solved n1a problem, written by the sector leader and approved by the commander."""
    problem = closed("Market thefts")
    services.save_summary(actor_for("leader_n1a"), problem=problem, **TEXTS)
    services.submit_summary(actor_for("leader_n1a"), problem=problem)
    return services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)


@pytest.fixture
def unpublished(closed, actor_for):
    """A draft, one waiting for review and one returned: none of them public."""
    texts = {name: f"{value} (x)" for name, value in TEXTS.items()}
    draft = closed("Draft")
    services.save_summary(actor_for("leader_n1a"), problem=draft, **{**texts, "title_sq": "Skicë e pabotuar"})
    waiting = closed("Waiting")
    services.save_summary(actor_for("leader_n1a"), problem=waiting, **{**texts, "title_sq": "Në pritje"})
    services.submit_summary(actor_for("leader_n1a"), problem=waiting)
    returned = closed("Returned")
    services.save_summary(actor_for("leader_n1a"), problem=returned, **{**texts, "title_sq": "E kthyer"})
    services.submit_summary(actor_for("leader_n1a"), problem=returned)
    services.review_summary(actor_for("commander_n1"), problem=returned, approve=False, note="No.")
    return ["Skicë e pabotuar", "Në pritje", "E kthyer"]


def _in(client, language):
    client.cookies["cpis_language"] = language
    return client


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert (
        root.find(f"{ATOM}title").text
        and root.find(f"{ATOM}id").text
        and root.find(f"{ATOM}updated") is not None
    )
    assert root.find(f"{ATOM}author/{ATOM}name").text
    return root


def test_the_home_page_links_to_the_solved_problems(tree, client):
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:solved")}"' in page


def test_a_published_summary_is_on_the_list_its_page_the_sector_and_the_feeds(
    tree, client, published, unpublished
):
    client = _in(client, "sq")
    listing = client.get(reverse("portal:solved")).content.decode()
    assert TEXTS["title_sq"] in listing
    assert (
        f'<link rel="alternate" type="application/atom+xml" href="{reverse("portal:solved_feed")}"' in listing
    )
    detail = client.get(reverse("portal:solved_problem", args=[published.pk])).content.decode()
    assert TEXTS["body_sq"] in detail and "Sektori A" in detail
    sector = client.get(reverse("portal:sector", args=[tree.n1a.pk]), follow=True).content.decode()
    feed_url = reverse("portal:sector_solved_feed", args=[tree.n1a.pk])
    assert TEXTS["title_sq"] in sector.split('id="sector-solved"')[1]
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}"' in sector
    for page in (listing, detail, sector):
        for title in unpublished:
            assert title not in page
        assert "leader_n1a" not in page and "commander_n1" not in page  # no one's name

    for url in (reverse("portal:solved_feed"), feed_url):
        root = _feed(client, url)
        entries = root.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == [TEXTS["title_sq"]]
        (entry,) = entries
        assert (
            entry.find(f"{ATOM}link")
            .get("href")
            .endswith(reverse("portal:solved_problem", args=[published.pk]))
        )
        assert entry.find(f"{ATOM}summary").text == TEXTS["body_sq"]
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert b"leader_n1a" not in client.get(url).content


def test_a_draft_or_returned_summary_has_no_public_page(tree, client, unpublished):
    from cpis.problems.models import PublicSummary

    for summary in PublicSummary.objects.all():
        assert client.get(reverse("portal:solved_problem", args=[summary.pk])).status_code == 404
    assert not _feed(client, reverse("portal:solved_feed")).findall(f"{ATOM}entry")


def test_another_sectors_page_and_feed_do_not_list_it(tree, client, published):
    sector = client.get(reverse("portal:sector", args=[tree.n1b.pk]), follow=True).content.decode()
    assert TEXTS["title_sq"] not in sector
    assert not _feed(client, reverse("portal:sector_solved_feed", args=[tree.n1b.pk])).findall(f"{ATOM}entry")
    assert (
        client.get(reverse("portal:sector_solved_feed", args=[tree.n1.pk])).status_code == 404
    )  # not a sector


def test_the_list_filters_by_region_or_station(tree, client, published, closed, actor_for, persona):
    south = closed("South", unit=tree.s1a, by="commander_s1")
    services.save_summary(
        actor_for("commander_s1"), problem=south, **{**TEXTS, "title_sq": "Gara me makina u ndalën"}
    )
    services.submit_summary(actor_for("commander_s1"), problem=south)
    RoleGrantFactory(user=persona("no_role"), unit=tree.s1, role=Role.STATION_COORDINATOR)
    services.review_summary(actor_for("no_role"), problem=south, approve=True)
    client = _in(client, "sq")
    everything = client.get(reverse("portal:solved")).content.decode()
    assert "Gara me makina u ndalën" in everything and TEXTS["title_sq"] in everything
    assert f'<option value="{tree.north.pk}"' in everything and f'<option value="{tree.s1.pk}"' in everything
    north = client.get(reverse("portal:solved"), {"place": tree.north.pk}).content.decode()
    assert TEXTS["title_sq"] in north and "Gara me makina u ndalën" not in north
    bogus = client.get(reverse("portal:solved"), {"place": "x"})
    assert bogus.status_code == 200 and "Gara me makina u ndalën" in bogus.content.decode()


@pytest.mark.parametrize(
    ("language", "title", "body"),
    [
        ("sq", TEXTS["title_sq"], TEXTS["body_sq"]),
        ("sr", TEXTS["title_sr"], TEXTS["body_sr"]),
        ("sr-latn", "Krađe na pijaci su zaustavljene", "Stanovnici, opština i policija osvetlili su pijacu."),
        ("en", TEXTS["title_sq"], TEXTS["body_sq"]),  # no English written: the Albanian
    ],
)
def test_the_summary_is_shown_in_the_readers_language(tree, client, published, language, title, body):
    client = _in(client, language)
    page = client.get(reverse("portal:solved_problem", args=[published.pk])).content.decode()
    assert title in page and body in page
    if language == "sr-latn":
        assert "Крађе" not in page
    feed = _feed(client, reverse("portal:solved_feed"))
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == title
    sector = client.get(reverse("portal:sector", args=[tree.n1a.pk]), follow=True).content.decode()
    assert title in sector


def test_english_is_shown_when_it_was_written(tree, client, closed, actor_for):
    problem = closed("With English")
    services.save_summary(
        actor_for("leader_n1a"), problem=problem, **TEXTS, title_en="Market thefts stopped", body_en="Lights."
    )
    services.submit_summary(actor_for("leader_n1a"), problem=problem)
    summary = services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)
    page = _in(client, "en").get(reverse("portal:solved_problem", args=[summary.pk])).content.decode()
    assert "Market thefts stopped" in page and 'lang="en"' in page


def test_the_lists_queries_do_not_grow_with_the_summaries(tree, client, closed, actor_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(title):
        problem = closed(title)
        services.save_summary(actor_for("leader_n1a"), problem=problem, **{**TEXTS, "title_sq": title})
        services.submit_summary(actor_for("leader_n1a"), problem=problem)
        services.review_summary(actor_for("commander_n1"), problem=problem, approve=True)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    publish("Një")
    urls = [
        reverse("portal:solved"),
        reverse("portal:solved_feed"),
        "/places/north/n1/n1a/",
    ]
    one = [count(url) for url in urls]
    for title in ("Dy", "Tre", "Katër"):
        publish(title)
    assert [count(url) for url in urls] == one
