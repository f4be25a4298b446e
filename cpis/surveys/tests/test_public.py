"""The citizens' survey pages: find the sector by name or on the map, the
open surveys there, answer anonymously; one counted response per device and
wave, every real response kept, a replayed POST the same thank-you."""

import uuid

from django.core import signing
from django.test import Client
from django.utils import timezone

from cpis.core import pow
from cpis.organisation.tests.factories import SettlementFactory
from cpis.surveys.forms.responses import STARTED_SALT
from cpis.surveys.models import Response, ResponseStatus, WaveStatus
from cpis.surveys.views.public import DEVICE_COOKIE

from .responses_factories import make_wave


def _url(wave, sector):
    return f"/surveys/{wave.pk}/sectors/{sector.pk}/"


def _started(*, seconds_ago: int) -> str:
    """The page's signed start time, as if it had been opened `seconds_ago`."""
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=STARTED_SALT)


def _form(page=None, **changes):
    """The answers a citizen sends, with the page's key and start time (or new ones)."""
    context = page.context if page is not None else None
    data = {
        "q_safe_dark": "4",
        "q_rely": "3",
        "q_fair": "",
        "q_top_issue": "theft",
        "q_know_officer": "1",
        "community": "",
        "gender": "female",
        "age_band": "35-44",
        "municipality": "",
        "submission_key": context["form"].initial["submission_key"] if context else uuid.uuid4().hex,
        "started": _started(seconds_ago=300),
        "pow": pow.solve(pow.new_challenge()),
    }
    data.update(changes)
    return data


def test_a_place_found_by_name_leads_to_its_sectors_surveys(tree, wave, client):
    SettlementFactory(name_sq="Çagllavicë", name_sr="Чаглавица", lon=21.05, lat=42.55)
    page = client.get("/surveys/?q=caglav")
    assert page.status_code == 200
    assert f"/surveys/sectors/{tree.n1a.pk}/" in page.content.decode()
    sector = client.get(f"/surveys/sectors/{tree.n1a.pk}/")
    assert _url(wave, tree.n1a) in sector.content.decode()


def test_a_point_on_the_map_leads_to_its_sector(tree, client):
    found = client.get("/surveys/?lat=42.55&lon=21.15")
    assert found.status_code == 302 and found["Location"] == f"/surveys/sectors/{tree.n1b.pk}/"
    outside = client.get("/surveys/?lat=40.0&lon=21.0", HTTP_ACCEPT_LANGUAGE="en")
    assert outside.status_code == 400 and "No sector covers this point" in outside.content.decode()
    page = client.get("/surveys/")
    assert 'id="pick-map"' in page.content.decode() and "pick-location.js" in page.content.decode()


def test_a_sector_lists_only_the_open_waves_that_cover_it(tree, client):
    open_here = make_wave(tree.n1, name="Vala N1")
    closed = make_wave(tree.north, status=WaveStatus.CLOSED, name="Vala e mbyllur")
    south = make_wave(tree.south, name="Vala e jugut")
    page = client.get(f"/surveys/sectors/{tree.n1a.pk}/").content.decode()
    assert _url(open_here, tree.n1a) in page
    assert _url(closed, tree.n1a) not in page and _url(south, tree.n1a) not in page
    assert client.get(_url(south, tree.n1a)).status_code == 404
    assert client.get(_url(closed, tree.n1a)).status_code == 404
    assert client.get(f"/surveys/sectors/{tree.n1.pk}/").status_code == 404  # a station is not a sector


def test_a_citizen_answers_anonymously_and_only_a_hash_of_the_device_is_kept(tree, wave, client):
    page = client.get(_url(wave, tree.n1a))
    assert page.status_code == 200
    assert 'name="submission_key"' in page.content.decode() and 'id="pow-challenge"' in page.content.decode()
    assert "name" not in {f.split("_")[-1] for f in page.context["form"].fields}  # no names asked
    cookie = page.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/surveys/"
    done = client.post(_url(wave, tree.n1a), _form(page), HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    response = Response.objects.get()
    assert response.status == ResponseStatus.ACCEPTED and response.channel == "portal"
    assert response.answers == {"safe_dark": 4, "rely": 3, "top_issue": "theft", "know_officer": 1}
    assert (response.gender, response.age_band, response.language) == ("female", "35-44", "en")
    assert len(response.device) == 64 and cookie.value.split(":")[0] not in response.device


def test_a_replayed_post_gives_the_same_thank_you_and_no_second_response(tree, wave, client):
    page = client.get(_url(wave, tree.n1a))
    data = _form(page)
    first = client.post(_url(wave, tree.n1a), data)
    again = client.post(_url(wave, tree.n1a), data)  # the very same body, its proof spent
    assert first.status_code == again.status_code == 200
    assert "thanks" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_second_response_from_the_same_browser_is_held_and_kept(tree, wave, client):
    client.post(_url(wave, tree.n1a), _form(client.get(_url(wave, tree.n1a))))
    again = client.get(_url(wave, tree.n1a), HTTP_ACCEPT_LANGUAGE="en")
    assert "already sent from this phone" in again.content.decode()
    second = client.post(_url(wave, tree.n1a), _form(again, q_safe_dark="1"))
    assert second.status_code == 200 and second.context["again"]
    assert Response.objects.count() == 2
    assert Response.objects.counted().count() == 1
    assert Response.objects.get(status=ResponseStatus.HELD).held_reason == "device"
    other_browser = Client()
    other_browser.post(_url(wave, tree.n1a), _form(other_browser.get(_url(wave, tree.n1a))))
    assert Response.objects.counted().count() == 2


def test_a_forged_device_cookie_counts_as_a_new_browser_but_never_reuses_a_value(tree, wave, client):
    client.cookies[DEVICE_COOKIE] = "forged"
    page = client.get(_url(wave, tree.n1a))
    assert page.cookies[DEVICE_COOKIE].value != "forged"  # a bad signature: a fresh id is given


def test_answers_without_proof_of_work_are_held_not_lost(tree, wave, client):
    client.post(_url(wave, tree.n1a), _form(client.get(_url(wave, tree.n1a)), pow=""))
    assert Response.objects.get().held_reason == "unverified"


def test_a_forged_proof_is_refused_and_nothing_stored(tree, wave, client):
    refused = client.post(_url(wave, tree.n1a), _form(pow="bm9wZQ=="), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "security check" in refused.content.decode()
    assert not Response.objects.exists()


def test_answers_sent_at_once_after_the_page_opened_are_held(tree, wave, client):
    page = client.get(_url(wave, tree.n1a))
    client.post(_url(wave, tree.n1a), _form(page, started=page.context["form"].initial["started"]))
    assert Response.objects.get().held_reason == "fast"


def test_a_missing_or_forged_start_time_counts_as_no_time_at_all(tree, wave, client):
    client.post(_url(wave, tree.n1a), _form(started=""))
    client.post(_url(wave, tree.n1a), _form(started="1700000000:forged"))
    assert list(Response.objects.values_list("held_reason", flat=True)) == ["fast", "fast"]


def test_bad_answers_are_shown_beside_their_question_and_nothing_is_stored(tree, wave, client):
    refused = client.post(
        _url(wave, tree.n1a), _form(q_safe_dark="9", community="martian"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    form = refused.context["form"]
    assert form.errors["q_safe_dark"] and form.errors["community"]
    assert not Response.objects.exists()


def test_answers_are_rate_limited_per_connection(tree, wave, client, settings):
    settings.SUBMISSION_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert client.post(_url(wave, tree.n1a), _form()).status_code == 200
    refused = client.post(_url(wave, tree.n1a), _form())
    assert refused.status_code == 429
    assert Response.objects.count() == 2


def test_the_page_is_in_the_citizens_language(tree, wave, client):
    serbian = client.get(_url(wave, tree.n1a), HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    assert "Осећам се безбедно" in serbian
    albanian = client.get(_url(wave, tree.n1a)).content.decode()
    assert "Ndihem i sigurt" in albanian


def test_the_same_page_key_with_other_answers_is_refused_and_the_first_kept(tree, wave, client):
    page = client.get(_url(wave, tree.n1a))
    client.post(_url(wave, tree.n1a), _form(page))
    changed = client.post(_url(wave, tree.n1a), _form(page, q_safe_dark="1"), HTTP_ACCEPT_LANGUAGE="en")
    assert changed.status_code == 400
    assert "already used for a different submission" in changed.content.decode()
    assert list(Response.objects.values_list("answers__safe_dark", flat=True)) == [4]
