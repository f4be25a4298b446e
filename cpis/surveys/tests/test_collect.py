"""Officers and facilitators taking responses on a phone: the survey and
sector they serve (their own sector first), door, meeting or outreach, then
one respondent after another."""

import uuid
from datetime import timedelta

from django.utils import timezone

from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory
from cpis.outreach.models import OutreachActivity
from cpis.surveys.models import Response, WaveStatus
from cpis.surveys.selectors import responses as selectors

from .responses_factories import make_wave


def _url(wave, sector, query="channel=door"):
    return f"/staff/surveys/collect/{wave.pk}/sectors/{sector.pk}/?{query}"


def _answers(**changes):
    data = {
        "q_safe_dark": "2",
        "q_confidence": "3",
        "q_issue_text": "Ndriçimi mungon.",
        "language": "sq",
        "gender": "male",
        "submission_key": uuid.uuid4().hex,
        "started": "",
    }
    data.update(changes)
    return data


def test_the_setup_starts_at_the_officers_own_sector(tree, wave, persona, client_for, actor_for):
    officer = OfficerFactory(unit=tree.n1, user=persona("coordinator_n1"))
    AssignmentFactory(officer=officer, sector=tree.n1b)
    page = client_for("coordinator_n1").get("/staff/surveys/collect/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["wave"] == wave and form.initial["sector"] == tree.n1b
    assert set(form.fields["sector"].queryset) == {tree.n1a, tree.n1b}
    assert selectors.default_sector(actor_for("officer_n1a"), selectors.list_wave_sectors(wave)) == tree.n1a


def test_only_open_waves_over_the_officers_sectors_are_offered(tree, wave, actor_for):
    make_wave(tree.south, name="Jugu")
    make_wave(tree.n1a, status=WaveStatus.CLOSED, name="E mbyllur")
    national = make_wave(tree.root, name="Kombëtare")
    assert set(selectors.list_collect_waves(actor_for("officer_n1a"))) == {wave, national}
    assert list(selectors.list_wave_sectors(national, actor_for("officer_n1a"), "collect")) == [tree.n1a]


def test_starting_goes_to_the_answers_page_with_the_place(tree, wave, client_for):
    forum = ForumFactory(unit=tree.n1a)
    meeting = MeetingFactory(forum=forum, starts_at=timezone.now() - timedelta(hours=1))
    client = client_for("officer_n1a")
    query = {
        "wave": wave.pk,
        "sector": tree.n1a.pk,
        "channel": "meeting",
        "meeting": meeting.pk,
        "start": "1",
    }
    started = client.get("/staff/surveys/collect/", query)
    assert started.status_code == 302
    assert started["Location"] == _url(wave, tree.n1a, f"channel=meeting&meeting={meeting.pk}")
    missing = client.get("/staff/surveys/collect/", {**query, "meeting": ""})
    assert missing.status_code == 400 and missing.context["form"].errors["meeting"]


def test_each_saved_respondent_gives_a_fresh_form_for_the_next(tree, wave, client_for, persona):
    client = client_for("officer_n1a")
    page = client.get(_url(wave, tree.n1a))
    assert page.status_code == 200 and page.context["taken_today"] == 0
    saved = client.post(_url(wave, tree.n1a), _answers(), follow=True)
    assert saved.redirect_chain == [(_url(wave, tree.n1a), 302)]
    assert saved.context["taken_today"] == 1
    assert saved.context["form"].initial["submission_key"] != ""  # a new form, a new key
    client.post(_url(wave, tree.n1a), _answers(q_safe_dark="5"))
    responses = Response.objects.order_by("pk")
    assert [r.answers["safe_dark"] for r in responses] == [2, 5]
    first = responses[0]
    assert first.entered_by == persona("officer_n1a") and first.channel == "door"
    assert first.text_review == "pending" and first.gender == "male" and first.status == "accepted"


def test_a_resent_entry_is_saved_once(tree, wave, client_for):
    client = client_for("officer_n1a")
    data = _answers()
    client.post(_url(wave, tree.n1a), data)
    again = client.post(_url(wave, tree.n1a), data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "saved already" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_response_at_a_meeting_or_an_event_is_linked_to_it(tree, wave, client_for):
    client = client_for("officer_n1a")
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1), starts_at=timezone.now() - timedelta(days=1))
    client.post(_url(wave, tree.n1a, f"channel=meeting&meeting={meeting.pk}"), _answers())
    event = OutreachActivity.objects.create(kind="campaign", topic="", unit=tree.n1a, unit_path=tree.n1a.path)
    client.post(_url(wave, tree.n1a, f"channel=outreach&outreach={event.pk}"), _answers())
    at_meeting, at_event = Response.objects.order_by("pk")
    assert (at_meeting.channel, at_meeting.meeting) == ("meeting", meeting)
    assert (at_event.channel, at_event.outreach) == ("outreach", event)


def test_a_meeting_of_another_sector_sends_the_officer_back_to_choose(tree, wave, client_for):
    other = MeetingFactory(forum=ForumFactory(unit=tree.n1b), starts_at=timezone.now())
    page = client_for("officer_n1a").get(_url(wave, tree.n1a, f"channel=meeting&meeting={other.pk}"))
    assert page.status_code == 302 and page["Location"].startswith("/staff/surveys/collect/?")


def test_bad_answers_are_shown_and_nothing_saved(tree, wave, client_for):
    refused = client_for("officer_n1a").post(_url(wave, tree.n1a), _answers(q_issue_text="x" * 2001))
    assert refused.status_code == 400 and refused.context["form"].errors["q_issue_text"]
    assert not Response.objects.exists()


def test_an_officer_takes_responses_only_in_their_sectors(tree, wave, client_for):
    client = client_for("officer_n1a")
    assert client.get(_url(wave, tree.n1b)).status_code == 404
    assert client.post(_url(wave, tree.n1b), _answers()).status_code == 404
    south = make_wave(tree.south, name="Jugu")
    assert client.get(_url(south, tree.s1a)).status_code == 404
    assert client_for("standards").get("/staff/surveys/collect/").status_code == 404
    assert client_for("strategy_coordinator").get("/staff/surveys/collect/").status_code == 403
    assert not Response.objects.exists()


def test_no_open_wave_says_so(tree, client_for):
    page = client_for("officer_n1a").get("/staff/surveys/collect/")
    assert page.status_code == 200 and 'id="no-wave"' in page.content.decode()
