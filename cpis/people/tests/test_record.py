"""Each item of an officer's record equals a count made here from the rows the
fixture wrote (tests/conftest.py), not from the code under test."""

import statistics

import pytest
from django.http import Http404

from cpis.accounts.models import AccessLogEntry
from cpis.organisation.access import Actor
from cpis.people.record import KEYS, OfficerRecord, may_view_record, officer_record, percentile

from .conftest import END, START


def p90(values):
    return statistics.quantiles(values, n=10, method="inclusive")[8]


@pytest.fixture
def record(work, actor_for) -> OfficerRecord:
    return officer_record(actor_for("commander_n1"), work.officer, start=START, end=END)


def test_the_items_come_in_the_contracts_order(record):
    assert tuple(item.key for item in record.items) == KEYS
    assert all(item.label and item.display for item in record.items)


def test_concerns_handled_count_those_received_in_the_period_and_assigned_to_the_officer(work, record):
    item = record.item("concerns_handled")
    assert item.value == work.handled == 5
    assert str(work.closed) in item.detail


def test_first_response_is_the_median_and_90th_percentile_of_the_hours(work, record):
    item = record.item("first_response")
    assert item.value == pytest.approx(statistics.median(work.first_response_hours), abs=0.01)
    assert "90" in item.display
    assert percentile(sorted(work.first_response_hours), 90) == pytest.approx(p90(work.first_response_hours))


def test_time_to_close_is_measured_to_the_last_closing(work, record):
    assert record.item("time_to_close").value == pytest.approx(statistics.median(work.close_hours), abs=0.01)
    assert work.close_hours == [26, 100, 30]


def test_reopened_and_the_reporters_answers(work, record):
    assert record.item("reopened").value == work.reopened == 1
    feedback = record.item("reporter_feedback")
    share = 100 * work.resolved / (work.resolved + work.not_resolved)
    assert feedback.value == pytest.approx(share, abs=0.1)
    assert f"{work.resolved}" in feedback.display and f"{work.not_resolved}" in feedback.display


def test_meetings_outreach_and_audience(work, record):
    assert record.item("meetings_attended").value == work.meetings == 4
    assert record.item("outreach_delivered").value == work.outreach == 3
    assert record.item("audience_reached").value == work.audience == 150


def test_problems_and_their_outcomes(work, record):
    assert record.item("problems_owned").value == work.problems_owned
    outcomes = record.item("problem_outcomes")
    assert outcomes.value == work.solved_or_reduced
    assert f"{work.assessed} of {work.problems_closed}" in outcomes.detail
    assert f"{work.fell} show a fall" in outcomes.detail


def test_partners_training_and_tenure(work, record):
    assert record.item("partners_engaged").value == work.partners
    training = record.item("training_completed")
    assert training.value == work.courses
    assert f"{work.course_days} days" in training.detail
    tenure = record.item("tenure")
    assert tenure.value == work.tenure_months
    assert tenure.display == "2 y 9 m"


def test_an_empty_period_counts_nothing(work, actor_for):
    from datetime import date

    empty = officer_record(
        actor_for("personnel"), work.officer, start=date(2010, 1, 1), end=date(2010, 12, 31)
    )
    assert empty.item("concerns_handled").value == 0
    assert empty.item("first_response").value is None
    assert empty.item("reporter_feedback").value is None
    assert empty.item("tenure").value is None


def test_to_json_names_the_officer_the_period_and_each_item(work, record):
    data = record.to_json()
    assert data["officer"] == work.officer.pk
    assert data["start"] == "2025-01-01" and data["end"] == "2025-12-31"
    assert [item["key"] for item in data["items"]] == list(KEYS)
    assert set(data["items"][0]) == {"key", "value", "display", "detail"}


def test_an_officer_id_works_like_the_officer(work, actor_for, record):
    again = officer_record(actor_for("commander_n1"), work.officer.pk, start=START, end=END)
    assert again.to_json() == record.to_json()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("self", True),
        ("leader_n1a", True),
        ("commander_n1", True),
        ("director_north", True),
        ("directorate", True),
        ("personnel", True),
        ("commander_s1", False),
        ("officer_n1a", False),
        ("coordinator_n1", False),
        ("strategy_coordinator", False),
        ("standards", False),
        ("admin", False),
        ("safeguarding_n1", False),
    ],
)
def test_who_may_read_an_officers_record(work, actor_for, name, allowed):
    actor = Actor.for_user(work.user) if name == "self" else actor_for(name)
    assert may_view_record(actor, work.officer) is allowed
    before = AccessLogEntry.objects.reads().count()
    if allowed:
        officer_record(actor, work.officer, start=START, end=END)
        entry = AccessLogEntry.objects.reads().order_by("-seq").first()
        assert AccessLogEntry.objects.reads().count() == before + 1
        assert (entry.subject_type, entry.subject_id, entry.user_id) == (
            "people.record",
            str(work.officer.pk),
            actor.user_id,
        )
    else:
        with pytest.raises(Http404):
            officer_record(actor, work.officer, start=START, end=END)
        assert AccessLogEntry.objects.reads().count() == before


def test_a_period_that_ends_before_it_starts_is_refused(work, actor_for):
    from cpis.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        officer_record(actor_for("personnel"), work.officer, start=END, end=START)


def test_the_record_takes_a_bounded_number_of_queries(work, actor_for, django_assert_max_num_queries):
    actor = actor_for("commander_n1")
    with django_assert_max_num_queries(16):
        officer_record(actor, work.officer, start=START, end=END)
