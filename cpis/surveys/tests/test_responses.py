"""Recording a response: every check, nothing written when one fails, the
same response for the same submission, and suspicious ones held, never lost."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.core.errors import DomainError
from cpis.core.idempotency import IdempotencyKeyReused
from cpis.core.models import IdempotencyRecord
from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.organisation.tests.factories import MunicipalityFactory
from cpis.outreach.models import OutreachActivity
from cpis.surveys.models import Response, ResponseStatus, TextReview, WaveStatus
from cpis.surveys.services import responses as services

from .responses_factories import good_answers, make_wave, record

pytestmark = pytest.mark.usefixtures("english")


def _nothing_written():
    assert not Response.objects.exists()
    assert not IdempotencyRecord.objects.exists()  # the key was freed for a corrected retry


def test_a_portal_response_is_counted_with_its_answers_and_the_sectors_municipality(tree, wave):
    municipality = MunicipalityFactory()
    tree.n1a.municipality = municipality
    tree.n1a.save()
    recorded = record(
        wave, tree.n1a, answers=good_answers(top_issue="drugs"), community="serb", age_band="25-34"
    )
    response = recorded.response
    assert not recorded.replayed and not recorded.held
    assert response.status == ResponseStatus.ACCEPTED
    assert response.answers["top_issue"] == "drugs" and response.answers["safe_dark"] == 4
    assert response.municipality == municipality
    assert (response.community, response.gender, response.age_band) == ("serb", "", "25-34")
    assert response.version == wave.version and response.channel == "portal"
    assert response.text_review == TextReview.NONE
    assert response.entered_by is None


def test_answers_from_a_spreadsheet_or_a_form_are_stored_as_numbers(tree, wave):
    answers = good_answers(safe_dark="5", safety_score=10.0, know_officer=0)
    response = record(wave, tree.n1a, answers=answers).response
    assert response.answers["safe_dark"] == 5 and response.answers["safety_score"] == 10
    assert response.answers["know_officer"] == 0


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("safe_dark", 0),
        ("safe_dark", 6),
        ("safe_dark", "a lot"),
        ("safe_dark", True),
        ("safe_dark", 2.5),
        ("safety_score", 11),
        ("safety_score", -1),
        ("know_officer", 2),
        ("top_issue", "aliens"),
        ("top_issue", ["traffic"]),
        ("no_such_question", 3),
        ("issue_text", "x" * 2001),
        ("issue_text", "bad\x00text"),
        ("issue_text", 42),
    ],
)
def test_a_value_that_does_not_fit_its_question_is_refused_and_nothing_is_written(tree, wave, code, value):
    with pytest.raises(services.AnswersInvalid) as refused:
        record(wave, tree.n1a, answers=good_answers(**{code: value}))
    assert [problem.field for problem in refused.value.problems] == [code]
    assert refused.value.status_code == 400
    _nothing_written()


def test_every_bad_answer_is_named_at_once(tree, wave):
    with pytest.raises(services.AnswersInvalid) as refused:
        record(
            wave,
            tree.n1a,
            answers=good_answers(safe_dark=9, top_issue="aliens"),
            community="martian",
            municipality_id=999_999,
        )
    fields = {problem.field for problem in refused.value.problems}
    assert fields == {"safe_dark", "top_issue", "community", "municipality"}
    _nothing_written()


def test_several_choices_are_a_list_of_distinct_option_codes(tree, wave):
    top_issue = wave.version.questions.get(code="top_issue")
    top_issue.kind = "multiple"
    top_issue.save()
    response = record(wave, tree.n1a, answers=good_answers(top_issue=["theft", "traffic"])).response
    assert response.answers["top_issue"] == ["traffic", "theft"]  # in the options' order
    for bad in (["traffic", "traffic"], ["traffic", "aliens"], "traffic"):
        with pytest.raises(services.AnswersInvalid):
            record(wave, tree.n1a, answers=good_answers(top_issue=bad))
    assert Response.objects.count() == 1


def test_a_required_question_must_be_answered(tree, wave):
    question = wave.version.questions.get(code="rely")
    question.required = True
    question.save()
    with pytest.raises(services.AnswersInvalid) as refused:
        record(wave, tree.n1a, answers=good_answers(rely=None))
    assert refused.value.problems[0].field == "rely"
    assert "required" in refused.value.problems[0].message
    _nothing_written()


def test_blank_answers_are_no_answers(tree, wave):
    response = record(
        wave, tree.n1a, answers={"safe_dark": 3, "rely": "", "top_issue": None, "issue_text": " "}
    )
    assert response.response.answers == {"safe_dark": 3}


@pytest.mark.parametrize("status", [WaveStatus.PLANNED, WaveStatus.CLOSED])
def test_only_an_open_wave_takes_responses(tree, status):
    wave = make_wave(tree.north, status=status)
    with pytest.raises(services.WaveNotOpen):
        record(wave, tree.n1a)
    _nothing_written()


def test_the_wave_must_cover_the_sector_and_ask_the_version_given(tree, wave):
    with pytest.raises(services.SectorNotInWave):
        record(wave, tree.s1a)
    with pytest.raises(services.SectorNotInWave):
        record(wave, tree.n1)  # a station is not a sector
    other = make_wave(tree.north, name="Tjetër")
    other.version = type(wave.version).objects.get(questionnaire__code="after-concern")
    other.save()
    with pytest.raises(DomainError, match="version"):
        record(wave, tree.n1a, version_id=other.version_id)
    _nothing_written()


def test_the_same_submission_gives_the_same_response(tree, wave):
    key = uuid.uuid4().hex
    first = record(wave, tree.n1a, idempotency_key=key)
    again = record(wave, tree.n1a, idempotency_key=key)
    assert again.replayed and again.response.pk == first.response.pk
    assert Response.objects.count() == 1


def test_the_same_key_with_other_answers_is_refused_with_422(tree, wave):
    key = uuid.uuid4().hex
    record(wave, tree.n1a, idempotency_key=key)
    with pytest.raises(IdempotencyKeyReused) as refused:
        record(wave, tree.n1a, idempotency_key=key, answers=good_answers(safe_dark=1))
    assert refused.value.status_code == 422
    assert Response.objects.count() == 1


def test_a_refused_submission_can_be_corrected_and_sent_again_under_its_key(tree, wave):
    key = uuid.uuid4().hex
    with pytest.raises(services.AnswersInvalid):
        record(wave, tree.n1a, idempotency_key=key, answers=good_answers(safe_dark=7))
    assert record(wave, tree.n1a, idempotency_key=key).response.answers["safe_dark"] == 4


def test_free_text_waits_for_review(tree, wave):
    response = record(
        wave, tree.n1a, answers=good_answers(issue_text="Makinat ecin shpejt pranë shkollës.")
    ).response
    assert response.text_review == TextReview.PENDING
    assert response.status == ResponseStatus.ACCEPTED


# --- holds -----------------------------------------------------------------------------


def test_a_portal_response_without_proof_of_work_is_held_not_lost(tree, wave):
    recorded = record(wave, tree.n1a, verified=False)
    assert recorded.held and recorded.response.held_reason == "unverified"


def test_a_response_answered_faster_than_it_can_be_read_is_held(tree, wave):
    now = timezone.now()
    assert record(wave, tree.n1a, started_at=now).response.held_reason == "fast"
    assert record(wave, tree.n1a, started_at=now - timedelta(minutes=3)).response.status == "accepted"


def test_officers_entering_answers_are_not_timed(tree, wave, actor_for):
    response = record(
        wave, tree.n1a, actor=actor_for("officer_n1a"), channel="door", started_at=timezone.now()
    )
    assert response.response.status == ResponseStatus.ACCEPTED


def test_a_straight_lined_grid_with_a_link_is_held_but_straight_lining_alone_is_not(tree, wave):
    grid = {"safe_dark": 5, "rely": 5, "fair": 5, "listen": 5, "confidence": 5}
    honest = record(wave, tree.n1a, answers=grid)
    assert honest.response.status == ResponseStatus.ACCEPTED
    spam = record(wave, tree.n1a, answers={**grid, "issue_text": "cheap pills at www.example.com"})
    assert spam.response.held_reason == "straight_links"


def test_free_text_full_of_links_is_held(tree, wave):
    text = "see http://a.example http://b.example http://c.example"
    assert record(wave, tree.n1a, answers=good_answers(issue_text=text)).response.held_reason == "links"


def test_a_second_response_from_the_same_device_in_the_wave_is_held_and_both_are_kept(tree, wave):
    device = services.device_of("browser-1", wave.pk)
    first = record(wave, tree.n1a, device=device)
    second = record(wave, tree.n1a, device=device, answers=good_answers(safe_dark=1))
    assert first.response.status == ResponseStatus.ACCEPTED
    assert second.held and second.response.held_reason == "device"
    assert Response.objects.count() == 2 and Response.objects.counted().count() == 1
    other_wave = make_wave(tree.n1, name="Vala tjetër")
    elsewhere = record(other_wave, tree.n1a, device=services.device_of("browser-1", other_wave.pk))
    assert elsewhere.response.status == ResponseStatus.ACCEPTED  # one per device *and wave*


def test_the_device_hash_differs_by_wave_and_never_holds_the_cookie(tree):
    one, two = services.device_of("cookie-id", 1), services.device_of("cookie-id", 2)
    assert one != two and "cookie-id" not in one and len(one) == 64


def test_reasons_accumulate(tree, wave):
    held = record(wave, tree.n1a, verified=False, started_at=timezone.now()).response
    assert held.held_reason == "unverified,fast"


# --- staff channels -------------------------------------------------------------------------


def test_an_officer_records_a_door_response_in_their_sector(tree, wave, actor_for, persona):
    response = record(wave, tree.n1a, actor=actor_for("officer_n1a"), channel="door").response
    assert response.entered_by == persona("officer_n1a") and response.channel == "door"


def test_an_officer_cannot_record_outside_their_sector(tree, wave, actor_for):
    with pytest.raises(Http404):
        record(wave, tree.n1b, actor=actor_for("officer_n1a"), channel="door")
    with pytest.raises(PermissionDenied):  # sees the sector, takes no responses
        record(wave, tree.n1a, actor=actor_for("strategy_coordinator"), channel="door")
    with pytest.raises(Http404):
        record(make_wave(tree.root), tree.s1a, actor=actor_for("officer_n1a"), channel="door")
    with pytest.raises(Http404):
        record(wave, tree.n1a, channel="door")  # nobody signed in
    assert not Response.objects.exists()


def test_a_meeting_response_names_a_recent_meeting_of_a_forum_serving_the_sector(tree, wave, actor_for):
    officer = actor_for("officer_n1a")
    with pytest.raises(services.EventRequired):
        record(wave, tree.n1a, actor=officer, channel="meeting")
    station_forum = ForumFactory(unit=tree.n1)
    meeting = MeetingFactory(forum=station_forum, starts_at=timezone.now() - timedelta(days=2))
    response = record(wave, tree.n1a, actor=officer, channel="meeting", meeting_id=meeting.pk).response
    assert response.meeting == meeting
    elsewhere = MeetingFactory(forum=ForumFactory(unit=tree.n1b), starts_at=timezone.now())
    old = MeetingFactory(forum=station_forum, starts_at=timezone.now() - timedelta(days=90))
    cancelled = MeetingFactory(forum=station_forum, starts_at=timezone.now(), status=MeetingStatus.CANCELLED)
    for bad in (elsewhere, old, cancelled):
        with pytest.raises(services.EventNotOfSector):
            record(wave, tree.n1a, actor=officer, channel="meeting", meeting_id=bad.pk)
    with pytest.raises(DomainError):
        record(wave, tree.n1a, actor=officer, channel="door", meeting_id=meeting.pk)
    assert Response.objects.count() == 1


def test_an_outreach_response_names_a_recent_event_at_the_sector(tree, wave, actor_for):
    officer = actor_for("officer_n1a")
    event = OutreachActivity.objects.create(kind="school_lecture", unit=tree.n1a, unit_path=tree.n1a.path)
    response = record(wave, tree.n1a, actor=officer, channel="outreach", outreach_id=event.pk).response
    assert response.outreach == event
    other = OutreachActivity.objects.create(kind="school_lecture", unit=tree.n1b, unit_path=tree.n1b.path)
    with pytest.raises(services.EventNotOfSector):
        record(wave, tree.n1a, actor=officer, channel="outreach", outreach_id=other.pk)
    with pytest.raises(services.EventRequired):
        record(wave, tree.n1a, actor=officer, channel="outreach")


def test_unknown_ids_and_channels_are_refused_in_words(tree, wave):
    with pytest.raises(DomainError, match="channel"):
        record(wave, tree.n1a, channel="pigeon")
    with pytest.raises(DomainError, match="sector"):
        record(wave, tree.n1a, sector_id=999_999)
    with pytest.raises(DomainError, match="wave"):
        record(wave, tree.n1a, wave_id=999_999)
    _nothing_written()
