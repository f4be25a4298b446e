"""The pages and the API over the same rules: who reads (404 for the rest, every
read logged), the officer acknowledging on their page, a signed evaluation that
neither a page nor the API changes, the promotion list's readers and the forms
the personnel department edits."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.appraisals import spec
from cpis.appraisals.models import Evaluation, FormVersion, Rating, Status, VersionStatus
from cpis.appraisals.tests.factories import officer_at, signed_directly

SCORES = {c["code"]: 4 for c in spec.AMENDED}


@pytest.fixture
def evaluation(tree, persona):
    officer = officer_at(tree.n1a, persona("officer_n1a"), first_name="Arben", last_name="Krasniqi")
    return signed_directly(
        {"officer": officer, "unit": tree.n1a, "supervisor": persona("commander_n1"),
         "supervisor_unit": tree.n1, "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)},
        SCORES,
    )  # fmt: skip


@pytest.fixture
def waiting(evaluation):
    """The same evaluation, submitted to the officer and not yet signed."""
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Status.SUBMITTED, signed_at=None, submitted_at=timezone.now()
    )
    evaluation.refresh_from_db()
    return evaluation


def _detail(evaluation):
    return reverse("appraisals:detail", args=[evaluation.pk])


@pytest.mark.parametrize("name", ["officer_n1a", "commander_n1", "director_north", "personnel"])
def test_readers_see_the_page_and_the_read_is_logged(name, evaluation, client_for):
    response = client_for(name).get(_detail(evaluation))
    assert response.status_code == 200
    assert "Arben Krasniqi" in response.content.decode()
    assert (
        AccessLogEntry.objects.filter(
            subject_type="appraisals.evaluation", subject_id=str(evaluation.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "name", ["coordinator_n1", "commander_s1", "standards", "strategy_coordinator", "admin"]
)
def test_anyone_else_gets_not_found_on_the_page_and_the_api(name, evaluation, client_for, api):
    assert client_for(name).get(_detail(evaluation)).status_code == 404
    assert api(name).get(f"/api/v1/appraisals/{evaluation.pk}").status_code == 404
    listed = api(name).get("/api/v1/appraisals").json()
    assert listed["count"] == 0
    # The refusals are logged as such; no read is.
    assert not AccessLogEntry.objects.reads().filter(subject_type="appraisals.evaluation").exists()


def test_the_officer_acknowledges_with_a_comment_on_the_page(waiting, client_for):
    client = client_for("officer_n1a")
    page = client.get(_detail(waiting)).content.decode()
    assert 'id="acknowledge-form"' in page
    response = client.post(
        reverse("appraisals:act", args=[waiting.pk, "acknowledge"]), {"comment": "E pranoj vlerësimin."}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.ACKNOWLEDGED and waiting.officer_comment == "E pranoj vlerësimin."


def test_the_commander_cannot_acknowledge_for_the_officer(waiting, client_for):
    client_for("commander_n1").post(
        reverse("appraisals:act", args=[waiting.pk, "acknowledge"]), {"comment": "x"}
    )
    assert Evaluation.objects.get(pk=waiting.pk).status == Status.SUBMITTED


def test_a_signed_evaluation_is_changed_neither_by_the_pages_nor_by_the_api(evaluation, client_for, api):
    before = (
        evaluation.score,
        list(Rating.objects.filter(evaluation=evaluation).values_list("score", flat=True)),
    )
    commander, officer = client_for("commander_n1"), client_for("officer_n1a")
    ratings = {f"score_{code}": "1" for code in SCORES} | {"submit": "1"}
    commander.post(reverse("appraisals:act", args=[evaluation.pk, "rate"]), ratings)
    officer.post(reverse("appraisals:act", args=[evaluation.pk, "acknowledge"]), {"comment": "later"})
    officer.post(reverse("appraisals:act", args=[evaluation.pk, "appeal"]), {"reasons": "later"})
    commander.post(reverse("appraisals:act", args=[evaluation.pk, "sign"]))
    response = api("commander_n1").post(
        f"/api/v1/appraisals/{evaluation.pk}/ratings",
        {"ratings": {"teamwork": {"score": 1}}, "submit": True},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "signed" in response.json()["detail"] or response.json()
    assert (
        api("officer_n1a")
        .post(
            f"/api/v1/appraisals/{evaluation.pk}/acknowledge",
            {"comment": "x"},
            content_type="application/json",
        )
        .status_code
        == 409
    )
    after = Evaluation.objects.get(pk=evaluation.pk)
    assert (after.status, after.officer_comment) == (Status.SIGNED, "")
    assert (
        after.score,
        list(Rating.objects.filter(evaluation=after).values_list("score", flat=True)),
    ) == before
    page = commander.get(_detail(evaluation)).content.decode()
    assert 'id="ratings-form"' not in page and 'id="sign-form"' not in page


def test_the_api_shows_the_evaluation_with_the_parts_of_its_score(evaluation, api):
    body = api("director_north").get(f"/api/v1/appraisals/{evaluation.pk}").json()
    assert body["officer_name"] == "Arben Krasniqi" and body["status"] == "signed"
    assert {c["code"] for c in body["criteria"]} == set(SCORES)
    assert sum(float(p["part"]) for p in body["parts"]) == pytest.approx(4.0)
    assert body["next_steps"] == []


@pytest.mark.parametrize(("name", "status"), [
    ("director_north", 200), ("personnel", 200), ("directorate", 200),
    ("commander_n1", 404), ("leader_n1a", 404), ("officer_n1a", 404), ("standards", 404),
    ("coordinator_n1", 404),
])  # fmt: skip
def test_promotion_lists_are_for_the_regions_command_and_personnel(
    name, status, tree, evaluation, client_for, api
):
    query = {"rank": "officer", "region": tree.north.pk}
    response = client_for(name).get(reverse("appraisals:promotion"), query)
    assert response.status_code == status
    answer = api(name).get(
        "/api/v1/appraisals/promotion-list", {"rank": "officer", "region_id": tree.north.pk}
    )
    assert answer.status_code == status
    if status == 200:
        assert "Arben Krasniqi" in response.content.decode()
        [line] = answer.json()
        assert line["position"] == 1 and float(line["score"]) == 4.0


def test_personnel_define_a_form_and_publishing_checks_the_weights(tree, client_for):
    client = client_for("personnel")
    response = client.post(
        reverse("appraisals:form_new"),
        {"code": "senior", "name_sq": "Oficerët e lartë", "ranks": ["captain", "major"]},
    )
    assert response.status_code == 302
    version = FormVersion.objects.get(form__code="senior")
    url = reverse("appraisals:version", args=[version.pk])
    leadership = {"code": "leadership", "label_sq": "Udhëheqja", "weight": "60",
                  "is_community_policing": "on", "evidence_keys": ["problems_owned"]}  # fmt: skip
    client.post(url, leadership)
    client.cookies["cpis_language"] = "en"
    page = client.post(url, {"publish": "1"}, follow=True).content.decode()
    assert "The weights of the criteria add up to 60; they must add up to 100." in page
    assert FormVersion.objects.get(pk=version.pk).status == VersionStatus.DRAFT
    client.post(url, {"code": "community", "label_sq": "Komuniteti", "weight": "40"})
    client.post(url, {"publish": "1"})
    assert FormVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED
    assert version.criteria.get(code="leadership").evidence_keys == ["problems_owned"]


def test_a_commander_does_not_edit_forms(tree, client_for):
    response = client_for("commander_n1").post(
        reverse("appraisals:form_new"), {"code": "x", "name_sq": "X", "ranks": ["officer"]}
    )
    assert response.status_code == 403
    assert client_for("officer_n1a").get(reverse("appraisals:forms")).status_code == 404
