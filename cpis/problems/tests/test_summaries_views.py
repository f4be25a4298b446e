"""The Public summary tab of a problem: write, submit, approve or return,
withdraw — each through the page, a refusal shown on it."""

import pytest
from django.urls import reverse

from cpis.problems.models import Outcome, PublicSummary, SummaryStatus
from cpis.problems.services import problems as problem_services

from .test_summaries import TEXTS


@pytest.fixture
def english(client_for, settings):
    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def solved(problem, actor_for):
    return problem_services.close_problem(
        actor_for("leader_n1a"), problem=problem, outcome=Outcome.REDUCED, reason="Fewer break-ins."
    )


def test_the_tab_of_an_open_problem_says_when_a_summary_can_be_written(problem, english):
    page = english("officer_n1a").get(reverse("problems:summary", args=[problem.pk])).content.decode()
    assert "closed as solved or reduced" in page and 'id="summary-form"' not in page


def test_written_submitted_and_approved_through_the_tab(solved, english):
    url = reverse("problems:summary", args=[solved.pk])
    writer = english("officer_n1a")
    assert 'id="summary-form"' in writer.get(url).content.decode()

    refused = writer.post(url, {**TEXTS, "body_sq": "Shkruani te zyrtari@example.org"})
    assert refused.status_code == 400
    assert "Remove the e-mail address" in refused.content.decode()
    assert not PublicSummary.objects.exists()

    assert writer.post(url, TEXTS).status_code == 302
    page = writer.get(url).content.decode()
    assert "Krađe na pijaci su zaustavljene" in page  # the Latin, generated
    step = "problems:summary_step"
    assert writer.post(reverse(step, args=[solved.pk, "submit"])).status_code == 302
    assert PublicSummary.objects.get().status == SummaryStatus.SUBMITTED
    # The writer is offered no review, and a review they post is refused.
    assert 'id="review-form"' not in writer.get(url).content.decode()
    assert writer.post(reverse(step, args=[solved.pk, "approve"])).status_code == 403

    reviewer = english("commander_n1")
    assert 'id="review-form"' in reviewer.get(url).content.decode()
    returned = reviewer.post(reverse(step, args=[solved.pk, "return"]), {"note": ""})
    assert returned.status_code == 400 and "Say what should change" in returned.content.decode()
    assert reviewer.post(reverse(step, args=[solved.pk, "approve"]), {"note": "Fine."}).status_code == 302
    summary = PublicSummary.objects.get()
    assert summary.status == SummaryStatus.PUBLISHED
    shown = reviewer.get(url).content.decode()
    assert reverse("portal:solved_problem", args=[summary.pk]) in shown and 'id="withdraw-form"' in shown

    assert reviewer.post(reverse(step, args=[solved.pk, "withdraw"]), {"note": ""}).status_code == 302
    assert PublicSummary.objects.get().status == SummaryStatus.WITHDRAWN


def test_the_tab_of_another_stations_problem_is_not_found(solved, english):
    assert english("commander_s1").get(reverse("problems:summary", args=[solved.pk])).status_code == 404
