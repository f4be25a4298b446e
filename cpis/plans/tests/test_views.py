"""The action plan's staff pages."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cpis.core.tests.helpers import PDF
from cpis.plans.models import (
    Acknowledgement,
    Evaluation,
    Indicator,
    Plan,
    ProgressStatus,
    ProgressUpdate,
    ReviewOutcome,
)
from cpis.plans.selectors import spec_from_plan
from cpis.plans.workbook import write_workbook


def test_the_dashboard_shows_progress_heat_table_and_indicators(
    plan, client_for, django_assert_max_num_queries
):
    client = client_for("commander_n1")
    # The page itself, and one or two per counted indicator source.
    sources = len({i.source for i in Indicator.objects.filter(activity__plan=plan) if i.source})
    with django_assert_max_num_queries(20 + 2 * sources):
        response = client.get(reverse("plans:plan", args=[plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2.4.10" in page  # the heat table lists every activity
    assert "I have read the strategy" in page or "Kam lexuar strategjinë" in page


def test_the_dashboard_filters_by_responsible_unit(plan, tree, client_for):
    response = client_for("directorate").get(reverse("plans:plan", args=[plan.pk]), {"unit": tree.n1.pk})
    assert response.status_code == 200
    codes = {row.activity.code for row in response.context["heat"]}
    assert "2.4.1" in codes  # station commanders'
    assert "2.4.3" not in codes  # the directorate's template


def test_professional_standards_and_citizens_do_not_see_the_plan(plan, client_for):
    url = reverse("plans:plan", args=[plan.pk])
    assert client_for("standards").get(url).status_code == 404
    assert client_for("citizen").get(url).status_code == 302


def test_a_commander_posts_progress_with_a_file_and_the_coordinator_accepts_it(plan, tree, client_for):
    url = reverse("plans:activity", args=[plan.pk, "2.4.1"])
    commander = client_for("commander_n1")
    page = commander.get(url)
    assert page.status_code == 200
    assert page.context["form"] is not None
    response = commander.post(
        url,
        {
            "unit": tree.n1.pk,
            "status": ProgressStatus.IN_PROGRESS,
            "percent": 30,
            "milestone": "",
            "narrative": "U identifikuan dy lokacione.",
            "reported_on": "2013-04-02",
            "evidence": [SimpleUploadedFile("raporti.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    evidence = update.evidence.get()
    download = commander.get(reverse("plans:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"

    coordinator = client_for("strategy_coordinator")
    assert update.pk in [
        u.pk for u in coordinator.get(reverse("plans:reviews", args=[plan.pk])).context["updates"]
    ]
    coordinator.post(reverse("plans:review", args=[update.pk]), {"outcome": "accepted", "note": ""})
    update.refresh_from_db()
    assert update.review == ReviewOutcome.ACCEPTED


def test_a_bad_update_is_shown_again_with_its_error_and_saves_nothing(plan, tree, client_for):
    url = reverse("plans:activity", args=[plan.pk, "2.4.1"])
    response = client_for("commander_n1").post(
        url,
        {
            "unit": tree.n1.pk,
            "status": ProgressStatus.DONE,
            "narrative": "x",
            "reported_on": "2013-04-02",
            "evidence": [SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not ProgressUpdate.objects.exists()


def test_a_commander_has_no_form_where_the_station_is_not_responsible(plan, client_for):
    page = client_for("commander_n1").get(reverse("plans:activity", args=[plan.pk, "1.1.1"]))
    assert page.context["form"] is None


def test_the_coordinator_enters_a_value_and_a_target(plan, client_for):
    indicator = plan.activities.get(code="2.2.1").indicators.get(position=0)
    url = reverse("plans:indicators", args=[plan.pk])
    client = client_for("strategy_coordinator")
    assert (
        client.post(url, {"indicator": indicator.pk, "period": "2013 H1", "value": "14"}).status_code == 302
    )
    assert (
        client.post(url, {"indicator": indicator.pk, "action": "target", "target": "20"}).status_code == 302
    )
    indicator.refresh_from_db()
    assert indicator.target == 20
    assert indicator.values.get().value == 14
    assert (
        client.post(url, {"indicator": indicator.pk, "period": "2013 H1", "value": "-3"}).status_code == 400
    )
    assert client_for("commander_n1").post(url, {"indicator": indicator.pk, "value": "1"}).status_code == 403


def test_freeze_narrate_sign_and_download_the_reports(plan, client_for):
    coordinator, directorate = client_for("strategy_coordinator"), client_for("directorate")
    response = coordinator.post(reverse("plans:evaluations", args=[plan.pk]), {"period": "2012 H2"})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("plans:evaluation", args=[evaluation.pk])
    url = reverse("plans:evaluation", args=[evaluation.pk])
    for goal in ("1", "2", "3"):
        directorate.post(url, {"goal": goal, "text": f"Vlerësimi i qëllimit {goal}."})
    directorate.post(url, {"action": "sign"})
    evaluation.refresh_from_db()
    assert evaluation.is_signed
    assert directorate.post(url, {"goal": "1", "text": "ndryshim"}).status_code == 302
    assert evaluation.narratives.get(goal_number="1").text == "Vlerësimi i qëllimit 1."

    pdf = coordinator.get(reverse("plans:evaluation_pdf", args=[evaluation.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = coordinator.get(reverse("plans:evaluation_xlsx", args=[evaluation.pk]))
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_import_lists_every_problem_and_imports_nothing(plan, client_for):
    spec = spec_from_plan(plan)
    spec.code = "new-plan"
    spec.activities()[0].due_rule = "someday"
    upload = SimpleUploadedFile("plan.xlsx", write_workbook(spec))
    response = client_for("strategy_coordinator").post(reverse("plans:import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["problems"]
    assert Plan.objects.count() == 1
    assert client_for("commander_n1").get(reverse("plans:import")).status_code == 403


def test_an_officer_confirms_being_informed(plan, client_for, persona):
    client_for("officer_n1a").post(reverse("plans:acknowledge", args=[plan.pk]))
    assert Acknowledgement.objects.filter(user=persona("officer_n1a")).exists()


def test_the_export_downloads_the_workbook(plan, client_for):
    response = client_for("commander_n1").get(reverse("plans:export", args=[plan.pk]))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["Activities"].max_row == 73


def test_deadlines_page_lists_overdue_activities(plan, client_for):
    response = client_for("commander_n1").get(reverse("plans:deadlines", args=[plan.pk]))
    assert response.status_code == 200
    # Nothing was reported: every dated activity is overdue by now.
    assert len(response.context["deadlines"].overdue) > 30


def test_odd_query_and_form_values_give_no_server_error(plan, client_for):
    client = client_for("strategy_coordinator")
    assert client.get(reverse("plans:plan", args=[plan.pk]), {"unit": "²"}).status_code == 200
    url = reverse("plans:indicators", args=[plan.pk])
    assert client.post(url, {"indicator": "abc", "value": "1"}).status_code == 400
    assert client.post(url, {}).status_code == 400
