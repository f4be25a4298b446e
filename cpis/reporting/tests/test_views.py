"""The reporting chain's pages."""

from datetime import date

import pytest
from django.urls import reverse

from cpis.reporting.models import Report, Status

MONTH = date(2025, 3, 1)


@pytest.fixture
def report_url(tree):
    return reverse("reporting:sector_month", args=[tree.n1a.pk, MONTH.year, MONTH.month])


def test_a_sector_leader_starts_writes_and_submits(tree, client_for, report_url):
    client = client_for("leader_n1a")
    assert client.get(report_url).status_code == 200
    response = client.post(report_url)
    report = Report.objects.get()
    assert response.url == reverse("reporting:detail", args=[report.pk])
    url = reverse("reporting:detail", args=[report.pk])
    fields = {"issues": "Zhurmë natën.", "actions": "Patrullë.", "needs": "", "remarks": ""}
    assert client.post(url, {**fields, "submit": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    pdf = client.get(reverse("reporting:pdf", args=[report.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_an_empty_submission_shows_the_error_and_changes_nothing(tree, client_for, report_url):
    client = client_for("leader_n1a")
    client.post(report_url)
    report = Report.objects.get()
    response = client.post(
        reverse("reporting:detail", args=[report.pk]),
        {"issues": "", "actions": "", "needs": "", "remarks": "", "submit": "1"},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_the_station_coordinator_returns_with_a_comment(tree, client_for, report_url):
    leader = client_for("leader_n1a")
    leader.post(report_url)
    report = Report.objects.get()
    detail = reverse("reporting:detail", args=[report.pk])
    leader.post(detail, {"issues": "a", "actions": "b", "needs": "", "remarks": "", "submit": "1"})
    coordinator = client_for("coordinator_n1")
    assert report.pk in [r.pk for r in coordinator.get(reverse("reporting:home")).context["waiting"]]
    page = coordinator.get(detail)
    assert page.context["review_form"] is not None
    coordinator.post(
        reverse("reporting:review", args=[report.pk]),
        {"decision": "returned", "comment": "Më shumë.", "version": 1, "stage": "station"},
    )
    report.refresh_from_db()
    assert report.status == Status.RETURNED


def test_other_places_get_404_and_the_roll_up_lists_missing_sectors(tree, client_for, report_url):
    client_for("leader_n1a").post(report_url)
    report = Report.objects.get()
    assert client_for("commander_s1").get(reverse("reporting:detail", args=[report.pk])).status_code == 404
    response = client_for("director_north").get(
        reverse("reporting:rollup", args=[tree.north.pk]), {"month": "2025-03"}
    )
    assert response.status_code == 200
    assert [s.code for s in response.context["rollup"].missing] == ["n1a", "n1b"]


def test_odd_months_give_no_server_error(tree, client_for):
    client = client_for("director_north")
    page = client.get(reverse("reporting:rollup", args=[tree.north.pk]), {"month": "9999-12"})
    assert page.status_code == 200
    assert tree.north.name_sq in page.content.decode()
    leader = client_for("leader_n1a")
    url = reverse("reporting:sector_month", args=[tree.n1a.pk, 99999999999999999999, 1])
    assert leader.get(url).status_code == 404


def test_every_roll_up_link_a_reader_is_given_opens(tree, client_for):
    """From the reporting home, the roll-up and its "one level up" lead only where the
    reader may go: a sector leader's stops at the sector, a station commander's climbs
    to the station and no further than the region they may not see."""
    import re

    for persona in ("leader_n1a", "commander_n1", "director_north"):
        client = client_for(persona)
        seen, queue = set(), [reverse("reporting:home")]
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            assert response.status_code == 200, (persona, url, response.status_code)
            links = re.findall(r'href="(/staff/reports/rollup/[^"]+)"', response.content.decode())
            queue.extend(link.replace("&amp;", "&") for link in links)
        assert any("/rollup/" in url for url in seen), persona
