"""Reviewing held responses and free text: counted or set aside with a
reason, never deleted; text cleared or withheld (and then never released);
every decision with who and when; only at the reviewer's places."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cpis.core.errors import DomainError
from cpis.surveys.models import Decision, DecisionKind, Response, ResponseStatus, TextReview
from cpis.surveys.selectors import responses as selectors
from cpis.surveys.services import responses
from cpis.surveys.services import review as services

from .responses_factories import good_answers, record

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def held(tree, wave):
    return record(wave, tree.n1a, verified=False).response


def test_a_station_lead_counts_a_held_response_and_the_decision_keeps_who_and_when(
    tree, held, actor_for, persona
):
    accepted = services.accept_response(actor_for("commander_n1"), response=held, note="Looks genuine")
    assert accepted.status == ResponseStatus.ACCEPTED and accepted.reviewed_at is not None
    decision = Decision.objects.get(response=held)
    assert decision.kind == DecisionKind.ACCEPTED and decision.note == "Looks genuine"
    assert decision.decided_by == persona("commander_n1") and decision.decided_at == accepted.reviewed_at
    assert not decision.device_cleared
    assert held.held_reason == "unverified"  # why it was held stays on record


def test_counting_a_second_response_from_a_device_clears_its_device_link_and_says_so(tree, wave, actor_for):
    device = responses.device_of("phone", wave.pk)
    first = record(wave, tree.n1a, device=device).response
    second = record(wave, tree.n1a, device=device, answers=good_answers(safe_dark=1)).response
    assert second.held_reason == "device"
    services.accept_response(actor_for("coordinator_n1"), response=second)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == first.status == ResponseStatus.ACCEPTED
    assert second.device == "" and first.device == device
    assert Decision.objects.get(response=second).device_cleared


def test_a_rejected_response_is_kept_with_its_reason(tree, held, actor_for):
    reviewer = actor_for("commander_n1")
    with pytest.raises(DomainError, match="Say why"):
        services.reject_response(reviewer, response=held, reason="  ")
    services.reject_response(reviewer, response=held, reason="Sent by a script")
    held.refresh_from_db()
    assert held.status == ResponseStatus.REJECTED
    assert Decision.objects.get(response=held).note == "Sent by a script"
    assert Response.objects.filter(pk=held.pk).exists()
    assert held not in Response.objects.counted()


def test_only_a_held_response_is_decided(tree, wave, held, actor_for):
    reviewer = actor_for("commander_n1")
    counted = record(wave, tree.n1a).response
    with pytest.raises(services.NotHeld):
        services.accept_response(reviewer, response=counted)
    services.reject_response(reviewer, response=held, reason="Spam")
    with pytest.raises(services.NotHeld):
        services.accept_response(reviewer, response=held)
    assert Decision.objects.count() == 1


def test_free_text_is_cleared_or_withheld_and_withheld_text_is_never_released(tree, wave, actor_for):
    reviewer = actor_for("commander_n1")
    text = "Policia erdhi shpejt."
    one = record(wave, tree.n1a, answers=good_answers(issue_text=text)).response
    two = record(wave, tree.n1a, answers=good_answers(issue_text="Emri i fqinjit tim është ...")).response
    assert "issue_text" not in selectors.releasable_answers(one)  # not yet reviewed
    services.clear_text(reviewer, response=one)
    services.withhold_text(reviewer, response=two, reason="Names a neighbour")
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.text_review == TextReview.CLEARED and selectors.releasable_answers(one)["issue_text"] == text
    assert two.text_review == TextReview.WITHHELD and "issue_text" not in selectors.releasable_answers(two)
    assert two.answers["issue_text"]  # kept for reviewers, not released
    assert selectors.releasable_answers(two)["safe_dark"] == 4
    with pytest.raises(services.NoTextToReview):
        services.clear_text(reviewer, response=two)
    services.withhold_text(reviewer, response=one, reason="A name spotted later")
    assert [d.kind for d in selectors.list_decisions(one)] == [
        DecisionKind.TEXT_CLEARED,
        DecisionKind.TEXT_WITHHELD,
    ]


def test_reviewers_decide_only_at_their_places(tree, held, actor_for):
    with pytest.raises(Http404):
        services.accept_response(actor_for("commander_s1"), response=held)
    with pytest.raises(PermissionDenied):
        services.accept_response(actor_for("officer_n1a"), response=held)  # takes responses, does not review
    held.refresh_from_db()
    assert held.status == ResponseStatus.HELD and not Decision.objects.exists()


# --- pages -------------------------------------------------------------------------------------


def test_the_review_list_shows_the_held_responses_of_the_reviewers_places_with_why(tree, held, client_for):
    page = client_for("commander_n1").get("/staff/surveys/review/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert f"/staff/surveys/review/{held.pk}/" in page.content.decode()
    assert "without the browser" in page.content.decode()
    elsewhere = client_for("commander_s1").get("/staff/surveys/review/")
    assert f"/staff/surveys/review/{held.pk}/" not in elsewhere.content.decode()
    assert client_for("officer_n1a").get("/staff/surveys/review/").status_code == 403
    assert client_for("standards").get("/staff/surveys/review/").status_code == 404


def test_the_text_tab_lists_free_text_waiting(tree, wave, client_for):
    response = record(
        wave, tree.n1a, answers=good_answers(issue_text="Dritat e rrugës nuk punojnë.")
    ).response
    page = client_for("coordinator_n1").get("/staff/surveys/review/?show=text")
    assert f"/staff/surveys/review/{response.pk}/" in page.content.decode()


def test_a_reviewer_decides_on_the_responses_page(tree, held, client_for):
    client = client_for("commander_n1")
    page = client.get(f"/staff/surveys/review/{held.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Do not count" in page.content.decode()
    refused = client.post(f"/staff/surveys/review/{held.pk}/reject/", {"reason": ""})
    assert refused.status_code == 400
    done = client.post(f"/staff/surveys/review/{held.pk}/accept/", {"note": "ok"})
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.status == ResponseStatus.ACCEPTED
    assert client_for("commander_s1").get(f"/staff/surveys/review/{held.pk}/").status_code == 404
    assert (
        client_for("commander_s1")
        .post(f"/staff/surveys/review/{held.pk}/reject/", {"reason": "x"})
        .status_code
        == 404
    )
