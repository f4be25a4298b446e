"""The media pages: the quick entry, the list and the coverage page scoped by place,
a report with its edit and delete, the outlets, and the import with its dry run."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cpis.media.models import MediaItem, Outlet


def test_the_quick_entry_starts_with_today_and_my_place(tree, client_for, outlets, topics):
    response = client_for("commander_n1").get(reverse("media:log"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["published_on"] == timezone.localdate()
    assert form.initial["unit"] == tree.n1.pk
    page = response.content.decode()
    assert 'type="radio" name="tone"' in page
    assert "style=" not in page and "<script>" not in page


def test_the_quick_entry_logs_a_report_and_refuses_it_twice(tree, client_for, outlets, topics):
    client = client_for("coordinator_n1")
    data = {
        "outlet": outlets["tv"].pk,
        "published_on": "2025-04-01",
        "headline": "Forum in Sector A",
        "tone": "positive",
        "topic": topics["forums"].pk,
        "unit": tree.n1a.pk,
        "more_units": [tree.n1b.pk],
    }
    response = client.post(reverse("media:log"), data)
    item = MediaItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media:detail", args=[item.pk]) + "?logged=1"
    assert sorted(item.places.values_list("unit_id", flat=True)) == sorted([tree.n1a.pk, tree.n1b.pk])
    client.cookies["cpis_language"] = "en"
    again = client.post(reverse("media:log"), data)
    assert again.status_code == 400
    assert "already in the media log" in again.content.decode()
    assert MediaItem.objects.count() == 1


def test_a_sector_officer_is_not_shown_the_media_pages(tree, client_for):
    client = client_for("officer_n1a")
    for name in ("media:list", "media:coverage", "media:log", "media:import"):
        assert client.get(reverse(name)).status_code == 404


def test_another_stations_commander_sees_nothing_of_this_one(tree, client_for, log):
    north = log(tree.n1a, headline="North report")
    south = log(tree.s1a, headline="South report")
    client = client_for("commander_s1")
    page = client.get(reverse("media:list")).content.decode()
    assert "South report" in page and "North report" not in page
    assert client.get(reverse("media:detail", args=[north.pk])).status_code == 404
    assert client.get(reverse("media:edit", args=[north.pk])).status_code == 404
    assert client.post(reverse("media:delete", args=[north.pk])).status_code == 404
    assert client.get(reverse("media:list"), {"unit": tree.n1.pk}).status_code == 200
    coverage = client.get(reverse("media:coverage"), {"start": "2025-01-01", "end": "2025-12-31"}).context[
        "figures"
    ]
    assert coverage.totals.total == 1
    assert MediaItem.objects.filter(pk=north.pk).exists()
    assert client.get(reverse("media:detail", args=[south.pk])).status_code == 200


def test_the_coverage_page_draws_the_chart_and_the_tables(tree, client_for, log):
    log(tree.n1a, day=date(2025, 2, 1), tone="positive")
    log(tree.n1a, day=date(2025, 2, 2), tone="negative")
    log(tree.n1a, day=date(2024, 2, 2), tone="negative")
    response = client_for("director_north").get(
        reverse("media:coverage"), {"start": "2025-01-01", "end": "2025-03-31"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="positive"' in page and 'class="negative"' in page
    figures = response.context["figures"]
    assert [m.counts.total for m in figures.months] == [0, 2, 0]
    assert figures.last_year.total == 1


def test_the_author_edits_and_a_commander_deletes(tree, client_for, log, persona, outlets, topics):
    client = client_for("coordinator_n1")
    client.post(
        reverse("media:log"),
        {
            "outlet": outlets["tv"].pk,
            "published_on": "2025-04-01",
            "headline": "First words",
            "tone": "neutral",
            "topic": topics["crime"].pk,
            "unit": tree.n1a.pk,
        },
    )
    item = MediaItem.objects.get()
    response = client.post(
        reverse("media:edit", args=[item.pk]),
        {
            "outlet": outlets["tv"].pk,
            "published_on": "2025-04-01",
            "headline": "Better words",
            "tone": "positive",
            "topic": topics["crime"].pk,
            "unit": tree.n1a.pk,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.headline, item.tone) == ("Better words", "positive")
    assert client_for("commander_n1").post(reverse("media:delete", args=[item.pk])).status_code == 302
    assert not MediaItem.objects.exists()


def test_outlets_are_listed_to_all_and_added_by_the_directorate(tree, client_for, outlets):
    page = client_for("commander_n1").get(reverse("media:outlets"))
    assert page.status_code == 200 and "TV Agimi" in page.content.decode()
    assert not page.context["may_add"]
    refused = client_for("commander_n1").post(
        reverse("media:outlets"), {"name": "X", "kind": "tv", "language": "sq"}
    )
    assert refused.status_code == 403
    added = client_for("directorate").post(
        reverse("media:outlets"), {"name": "Radio Jehona", "kind": "radio", "language": "sq"}
    )
    assert added.status_code == 302
    assert Outlet.objects.filter(name="Radio Jehona").exists()
    assert not Outlet.objects.filter(name="X").exists()


def test_the_import_checks_then_imports(tree, client_for, outlets, topics):
    client = client_for("coordinator_n1")
    csv = (
        "Date,Outlet,Headline,Topic,Tone,Places\n"
        "2025-03-01,TV Agimi,Forum meets,forums,positive,n1a\n"
        "2025-03-02,Nobody,Bad row,crime,neutral,n1a\n"
    )
    upload = SimpleUploadedFile("media.csv", csv.encode(), content_type="text/csv")
    response = client.post(reverse("media:import"), {"file": upload})
    assert response.status_code == 302
    staged_url = response["Location"]
    page = client.get(staged_url)
    mapping = dict(page.context["form"].initial)
    assert mapping["col_outlet"] == "Outlet"
    check = client.post(staged_url, {**mapping, "check": "1"})
    assert check.status_code == 200
    result = check.context["result"]
    assert (len(result.valid), [e.line for e in result.errors]) == (1, [3])
    assert 'id="row-errors"' in check.content.decode()
    refused = client.post(staged_url, {**mapping, "import": "1"})
    assert refused.status_code == 400
    assert not MediaItem.objects.exists()
    done = client.post(staged_url, {**mapping, "import": "1", "valid_rows_only": "on"})
    assert done.status_code == 302
    assert list(MediaItem.objects.values_list("headline", flat=True)) == ["Forum meets"]


@pytest.mark.parametrize("name", ["media:list", "media:coverage", "media:outlets"])
def test_the_pages_answer_the_media_roles(tree, client_for, name):
    for persona in ("coordinator_n1", "director_north", "directorate", "strategy_coordinator"):
        assert client_for(persona).get(reverse(name)).status_code == 200
