"""The incident pages: the list of my places with filters, the taxonomy,
and an import from upload to run page to the rejected rows."""

import csv
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpis.incidents.models import ImportRun, Incident, RunStatus

CSV = (
    "source_id,category,occurred_on,occurred_time,lat,lon,place,victim\n"
    "W-1,Vjedhje e rëndë,2024-03-02,21:40,42.55,21.05,Rr. Agim Ramadani,Filan Fisteku\n"
    "W-2,Nope,2024-03-02,,42.55,21.05,,\n"
    "W-3,theft,31.02.2024,,42.55,21.15,,\n"
    "W-4,assault,2024-03-03,,41.95,21.05,Prizren,\n"
)


def test_the_list_shows_my_places_filtered_in_few_queries(
    tree, add, client_for, django_assert_max_num_queries
):
    for day in range(1, 31):
        add(tree.n1a if day % 2 else tree.n1b, "burglary" if day % 3 else "theft", day=date(2024, 4, day))
    theirs = add(tree.s1a, "burglary", day=date(2024, 4, 2))
    client = client_for("commander_n1")
    client.get(reverse("incidents:list"))  # sessions, grants: warm
    with django_assert_max_num_queries(10):
        response = client.get(reverse("incidents:list"))
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert len(shown) == 30 and theirs not in shown
    assert [i.occurred_on for i in shown] == sorted((i.occurred_on for i in shown), reverse=True)
    filtered = client.get(
        reverse("incidents:list"),
        {"category": "theft", "since": "2024-04-10", "until": "2024-04-20", "unit": tree.n1b.pk},
    )
    got = list(filtered.context["page"].object_list)
    assert got and all(i.category.code == "theft" and i.sector == tree.n1b for i in got)
    assert all(date(2024, 4, 10) <= i.occurred_on <= date(2024, 4, 20) for i in got)
    # A place outside mine is not a choice: the filter ignores it.
    other = client.get(reverse("incidents:list"), {"unit": tree.s1a.pk})
    assert theirs not in list(other.context["page"].object_list)


def test_the_list_answers_htmx_with_its_rows_only(tree, add, client_for):
    add(tree.n1a)
    response = client_for("commander_n1").get(reverse("incidents:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "<table>" in body


def test_who_sees_the_pages(tree, client_for):
    assert client_for("officer_n1a").get(reverse("incidents:list")).status_code == 200
    assert client_for("strategy_coordinator").get(reverse("incidents:categories")).status_code == 200
    assert client_for("standards").get(reverse("incidents:list")).status_code == 404
    assert client_for("citizen").get(reverse("incidents:list")).status_code == 302
    assert client_for("commander_n1").get(reverse("incidents:import")).status_code == 403
    assert client_for("standards").get(reverse("incidents:import")).status_code == 404
    assert client_for("directorate").get(reverse("incidents:import")).status_code == 200


def test_the_categories_page_lists_the_taxonomy_with_its_labels(tree, taxonomy, client_for):
    page = client_for("commander_n1").get(reverse("incidents:categories")).content.decode()
    assert "Break and Enter" in page and "Провална крађа" in page and "vehicle-theft" in page


def in_english(client):
    client.cookies["cpis_language"] = "en"
    return client


def test_an_upload_runs_in_the_background_and_offers_its_rejects(
    tree, taxonomy, client_for, django_capture_on_commit_callbacks
):
    client = in_english(client_for("directorate"))
    upload = SimpleUploadedFile("kp-2024.csv", CSV.encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("incidents:import"), {"file": upload, "source": "kp-ims"})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("incidents:run", args=[run.pk])
    assert (run.status, run.created, run.rejected, run.created_by.username) == (
        RunStatus.DONE,
        2,
        2,
        "directorate",
    )
    assert not run.upload  # the uploaded file is gone once read
    assert set(Incident.objects.values_list("source_id", flat=True)) == {"W-1", "W-4"}
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200 and reverse("incidents:rejects", args=[run.pk]) in body
    assert 'hx-trigger="every 1s"' not in body  # done: no more polling
    download = client.get(reverse("incidents:rejects", args=[run.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [(r["line"], r["reason"], r["source_id"]) for r in rows] == [
        ("3", "Unknown category “Nope”.", "W-2"),
        ("4", "“31.02.2024” is not a valid date.", "W-3"),
    ]
    # Someone who may not import finds neither the run nor its rejects.
    other = client_for("commander_n1")
    assert other.get(reverse("incidents:run", args=[run.pk])).status_code == 404
    assert other.get(reverse("incidents:rejects", args=[run.pk])).status_code == 404


def test_a_queued_run_page_asks_again_until_it_is_done(tree, taxonomy, client_for):
    client = client_for("directorate")
    upload = SimpleUploadedFile("kp.csv", CSV.encode("utf-8"))
    response = client.post(reverse("incidents:import"), {"file": upload, "source": "kp-ims"})
    run = ImportRun.objects.get()  # no on-commit here: still queued
    assert run.status == RunStatus.QUEUED and run.upload
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="run-status"')


def test_a_file_whose_columns_do_not_fit_is_refused_on_the_form(tree, taxonomy, client_for):
    upload = SimpleUploadedFile("kp.csv", b"id,what,when\n1,theft,2024-01-01\n")
    response = in_english(client_for("directorate")).post(
        reverse("incidents:import"), {"file": upload, "source": "kp-ims", "column_category": "kind"}
    )
    assert response.status_code == 400
    assert "The file has no column “kind” (for category)." in response.content.decode()
    assert not ImportRun.objects.exists()
    response = client_for("directorate").post(reverse("incidents:import"), {"file": upload})
    assert response.status_code == 400 and response.context["form"].errors["source"]


def test_the_rejects_are_written_in_the_language_of_whoever_uploaded(
    tree, taxonomy, client_for, django_capture_on_commit_callbacks
):
    from django.utils import translation

    client = client_for("directorate")
    client.cookies["cpis_language"] = "sr"
    upload = SimpleUploadedFile("kp.csv", CSV.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("incidents:import"), {"file": upload, "source": "kp-ims"})
    run = ImportRun.objects.get()
    assert run.language == "sr"
    download = client.get(reverse("incidents:rejects", args=[run.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    with translation.override("sr"):
        expected = translation.gettext("Unknown category “%(label)s”.") % {"label": "Nope"}
    assert rows[0]["reason"] == expected
