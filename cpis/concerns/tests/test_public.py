"""What the public may read of concerns (the approved summary, approximate
places) and "me too": the public reports page and its GeoJSON, the report
form's nearby fragment, supporting a report, and the services behind them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from cpis.concerns import selectors, services
from cpis.concerns.models import Concern, ConcernEvent, ConcernSupport, EventKind, Status
from cpis.concerns.tests.factories import submit
from cpis.core import pow
from cpis.core.anonymous_places import snap
from cpis.core.errors import InvalidInput
from cpis.organisation.tests.factories import OfficerFactory

# Distinctive values a public output must never carry.
RAW = "Fqinji im Zeqir Qorraj ZQXRAW shet drogë pas shtëpisë"
PLACE = "Rruga ZQXPLACE nr 12"
EMAIL = "zqx.reporter@example.org"
PHONE = "+383 44 987 654"
NAME = "Zeqir ZQXNAME"
LAT, LON = 42.5512347, 21.0498761
SUMMARY = "Dyshime për shitje droge pranë një parku publik."


def _exact_strings():
    return ["42.551234", "21.049876", "42.5512347", "21.0498761"]


@pytest.fixture
def leader(actor_for):
    return actor_for("coordinator_n1")  # a station lead: publishes in both sectors of n1


def _report(**overrides):
    fields = {
        "category_code": "narcotics",
        "description": RAW,
        "lat": LAT,
        "lon": LON,
        "place_text": PLACE,
        "reporter_email": EMAIL,
        "reporter_phone": PHONE,
        "reporter_name": NAME,
    }
    fields.update(overrides)
    return submit(**fields).concern


def _public(leader, summary=SUMMARY, **overrides):
    concern = _report(**overrides)
    return services.approve_public_summary(leader, concern=concern, summary=summary)


def _assert_nothing_private(text):
    for private in (RAW, "ZQXRAW", "ZQXPLACE", EMAIL, "987 654", "ZQXNAME", *_exact_strings()):
        assert private not in text, private


# --- the services ------------------------------------------------------------------------


def test_an_approved_summary_makes_a_concern_public_with_a_history_row(tree, leader):
    concern = _public(leader)
    assert concern.is_public
    assert list(selectors.public_concerns()) == [concern]
    event = ConcernEvent.objects.get(concern=concern, kind=EventKind.PUBLISHED)
    assert event.text == SUMMARY and not event.is_public


@pytest.mark.parametrize(
    ("summary", "error"),
    [
        ("", services.SummaryRequired),
        ("Shkruani në zqx@example.org për më shumë.", services.SummaryHasContact),
        ("Telefononi 044 123 456 natën.", services.SummaryHasContact),
        (f"  {RAW.upper()}  ", services.SummaryRepeatsReport),
        ("x" * 501, InvalidInput),
    ],
)
def test_a_summary_with_contact_or_the_reporters_words_is_refused_and_nothing_changes(
    tree, leader, summary, error
):
    concern = _report()
    with pytest.raises(error):
        services.approve_public_summary(leader, concern=concern, summary=summary)
    concern.refresh_from_db()
    assert concern.public_summary == "" and concern.public_summary_approved_at is None
    assert not selectors.public_concerns().exists()


def test_sensitive_and_held_concerns_cannot_be_published(tree, leader):
    sensitive = _report(category_code="domestic-violence")
    with pytest.raises(services.SensitiveCategoryNotPublished):
        services.approve_public_summary(leader, concern=sensitive, summary=SUMMARY)
    held = _report(description="WIN http://a.example http://b.example http://c.example")
    assert held.is_held
    with pytest.raises(services.HeldConcernNotPublished):
        services.approve_public_summary(leader, concern=held, summary=SUMMARY)
    assert not selectors.public_concerns().exists()


def test_only_leads_at_the_place_or_the_assigned_officer_publish(tree, actor_for, persona, leader):
    concern = _report()
    with pytest.raises((PermissionDenied, Http404)):
        services.approve_public_summary(actor_for("officer_n1a"), concern=concern, summary=SUMMARY)
    with pytest.raises((PermissionDenied, Http404)):
        services.approve_public_summary(actor_for("commander_s1"), concern=concern, summary=SUMMARY)
    officer = OfficerFactory(unit=tree.n1a, user=persona("officer_n1a"))
    services.assign_concern(leader, concern=concern, officer=officer)
    concern.refresh_from_db()
    services.approve_public_summary(actor_for("officer_n1a"), concern=concern, summary=SUMMARY)
    assert selectors.public_concerns().get() == concern


def test_a_concern_moved_to_a_sensitive_category_or_held_again_drops_out_at_once(tree, leader):
    moved = _public(leader)
    held = _public(leader, summary="Zhurmë natën në lagje.")
    services.triage_concern(
        leader, concern=moved, category=selectors.list_categories().get(code="trafficking")
    )
    Concern.objects.filter(pk=held.pk).update(is_held=True)
    assert not selectors.public_concerns().exists()
    assert selectors.list_public_reports() == []


def test_withdrawing_takes_a_concern_off_the_public_side(tree, leader):
    concern = _public(leader)
    services.withdraw_public_summary(leader, concern=concern)
    assert not selectors.public_concerns().exists()
    assert ConcernEvent.objects.filter(concern=concern, kind=EventKind.UNPUBLISHED).exists()


# --- the public page and its GeoJSON ---------------------------------------------------------


def test_the_public_page_shows_approved_summaries_at_snapped_places_and_nothing_private(tree, client, leader):
    public = _public(leader)
    unapproved = _report(description="ZQXUNAPPROVED raw words")
    Concern.objects.filter(pk=unapproved.pk).update(public_summary="ZQXDRAFT summary not approved")
    _report(category_code="domestic-violence", description="ZQXSENSITIVE")
    page = client.get("/reports/")
    assert page.status_code == 200
    text = page.content.decode()
    assert SUMMARY in text and public.category.name in text
    assert "ZQXDRAFT" not in text and "ZQXUNAPPROVED" not in text and "ZQXSENSITIVE" not in text
    _assert_nothing_private(text)

    data = client.get("/reports/reports.geojson").json()
    [feature] = data["features"]
    assert feature["properties"]["summary"] == SUMMARY
    lat, lon = snap(LAT, LON)
    assert feature["geometry"]["coordinates"] == [lon, lat]
    assert (lat, lon) != (LAT, LON)
    _assert_nothing_private(client.get("/reports/reports.geojson").content.decode())


def test_the_public_page_filters_by_category_and_sector(tree, client, leader):
    _public(leader)
    _public(
        leader,
        category_code="traffic-safety",
        summary="Shpejtësi e madhe pranë shkollës.",
        lat=42.55,
        lon=21.15,
    )
    by_category = client.get("/reports/reports.geojson?category=traffic-safety").json()["features"]
    assert [f["properties"]["category_code"] for f in by_category] == ["traffic-safety"]
    by_sector = client.get(f"/reports/reports.geojson?sector={tree.n1a.pk}").json()["features"]
    assert [f["properties"]["category_code"] for f in by_sector] == ["narcotics"]
    assert client.get("/reports/reports.geojson?category=domestic-violence").status_code == 400
    assert client.get("/reports/?sector=nope").status_code == 400


# --- "me too" ---------------------------------------------------------------------------------


def _nearby(client, lat=LAT + 0.001, lon=LON, category="narcotics"):
    return client.get(
        "/reports/nearby/", {"category": category, "lat": lat, "lon": lon}, HTTP_HX_REQUEST="true"
    )


def test_the_nearby_fragment_offers_open_public_reports_of_the_category_only(tree, client, leader):
    near = _public(leader)
    _public(leader, summary="Shumë larg nga këtu.", lat=LAT + 0.02)
    closed = _public(leader, summary="Një raport i mbyllur.")
    services.close_concern(leader, concern=closed, status=Status.REFERRED, reason="Komuna.")
    _report(description="ZQXUNAPPROVED nearby")
    text = _nearby(client).content.decode()
    assert SUMMARY in text and f"/reports/{near.reference}/support/" in text
    assert "Shumë larg" not in text and "mbyllur" not in text and "ZQXUNAPPROVED" not in text
    _assert_nothing_private(text)
    assert "me-too-challenge" in text
    assert _nearby(client, category="traffic-safety").content.decode().strip() == ""
    assert _nearby(client, lat="abc").content.decode().strip() == ""


def _support(client, concern, **data):
    fields = {"pow": pow.solve(pow.new_challenge()), **data}
    return client.post(f"/reports/{concern.reference}/support/", fields)


def test_me_too_counts_once_per_person(tree, leader):
    concern = _public(leader)
    first = Client()
    _nearby(first)
    assert _support(first, concern).status_code == 200
    again = _support(first, concern)
    assert again.status_code == 200 and not again.context["support"].counted
    concern.refresh_from_db()
    assert concern.support_count == 1

    # Another browser with an e-mail counts; the same e-mail from a third browser does not.
    second, third = Client(), Client()
    _nearby(second)
    _nearby(third)
    assert _support(second, concern, email="Fqinje@Example.org").context["support"].counted
    assert not _support(third, concern, email="fqinje@example.org").context["support"].counted
    concern.refresh_from_db()
    assert concern.support_count == ConcernSupport.objects.filter(concern=concern).count() == 2
    # The table keeps no e-mail or session in clear.
    hashes = list(ConcernSupport.objects.values_list("session_hash", "email_hash"))
    assert all("example.org" not in h for pair in hashes for h in pair)


def test_the_count_shows_to_staff(tree, client, persona, leader):
    concern = _public(leader)
    citizen = Client()
    _nearby(citizen)
    _support(citizen, concern)
    client.force_login(persona("leader_n1a"))
    assert "1 citizen said “me too”" in client.get(f"/staff/concerns/{concern.pk}/").content.decode()
    assert "1 “me too”" in client.get("/staff/concerns/").content.decode()
    assert client.get(f"/api/v1/concerns/{concern.pk}").json()["support_count"] == 1


def _unchanged(concern):
    concern.refresh_from_db()
    return concern.support_count == 0 and not ConcernSupport.objects.exists()


def test_bad_support_requests_are_refused_and_change_nothing(tree, client, leader):
    concern = _public(leader)
    # No proof of work, or a spent one.
    _nearby(client)
    assert client.post(f"/reports/{concern.reference}/support/", {"pow": ""}).status_code == 400
    spent = pow.solve(pow.new_challenge())
    assert pow.verify(spent)
    assert client.post(f"/reports/{concern.reference}/support/", {"pow": spent}).status_code == 400
    # A bad e-mail.
    assert _support(client, concern, email="not-an-address").status_code == 400
    # A browser that never saw the choices (no session): cookies are needed.
    assert _support(Client(), concern).status_code == 400
    assert _unchanged(concern)


@pytest.mark.parametrize("kind", ["unknown", "unapproved", "closed", "sensitive"])
def test_only_open_public_reports_can_be_supported(tree, client, leader, kind):
    concern = _public(leader)
    _public(leader, summary="Zhurmë natën në lagje.")  # so that the browser is offered a choice
    if kind == "unknown":
        concern.reference = "ZZZZZZZZ"
    elif kind == "unapproved":
        services.withdraw_public_summary(leader, concern=concern)
    elif kind == "closed":
        services.close_concern(leader, concern=concern, status=Status.REFERRED, reason="Komuna.")
    else:
        services.triage_concern(
            leader, concern=concern, category=selectors.list_categories().get(code="trafficking")
        )
    _nearby(client)
    response = _support(client, concern)
    assert response.status_code == 404
    assert not ConcernSupport.objects.exists()
    assert not Concern.objects.filter(support_count__gt=0).exists()


def test_supports_are_rate_limited_per_client(tree, client, leader, settings):
    settings.SUBMISSION_LIMIT_PER_HOUR = 1
    concern = _public(leader)
    other = _public(leader, summary="Zhurmë natën në lagje.")
    _nearby(client)
    assert _support(client, concern).status_code == 200
    assert _support(client, other).status_code == 429
    other.refresh_from_db()
    assert other.support_count == 0


# --- the staff page ---------------------------------------------------------------------------


def test_a_leader_publishes_from_the_concern_page(tree, client, persona):
    concern = _report()
    client.force_login(persona("leader_n1a"))
    page = client.get(f"/staff/concerns/{concern.pk}/").content.decode()
    assert "Approve and publish" in page or "publish" in page
    response = client.post(f"/staff/concerns/{concern.pk}/publish/", {"summary": SUMMARY})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.is_public
    refused = client.post(f"/staff/concerns/{concern.pk}/publish/", {"summary": f"Shkruani {EMAIL}"})
    assert refused.status_code == 400
    concern.refresh_from_db()
    assert concern.public_summary == SUMMARY
    assert client.post(f"/staff/concerns/{concern.pk}/unpublish/").status_code == 302
    concern.refresh_from_db()
    assert not concern.is_public


def test_the_report_page_offers_me_too_and_the_complaint_form(tree, client):
    page = client.get("/report/").content.decode()
    assert 'hx-get="/reports/nearby/"' in page
    assert 'id="me-too-form"' in page
    assert 'href="/complaint/"' in page


def test_a_support_given_with_an_email_is_found_by_that_email_and_erased(tree, leader, persona):
    from cpis.concerns.personal_data import KINDS
    from cpis.core.subjects import Terms

    kind = next(k for k in KINDS if k.subject_type == "concerns.concernsupport")
    concern = _public(leader)
    citizen = Client()
    _nearby(citizen)
    _support(citizen, concern, email="Jeta.K@example.org")
    [hit] = kind.find(Terms.of(emails=["jeta.k@EXAMPLE.org"]))
    assert concern.reference in hit.summary and "jeta" not in hit.summary.lower()
    assert kind.find(Terms.of(emails=["someone.else@example.org"])) == []
    assert kind.export(hit.id)
    kind.erase(hit.id, legal_reason="", by_user_id=persona("admin").pk, request_reference="DSR-1")
    concern.refresh_from_db()
    assert concern.support_count == 0 and not ConcernSupport.objects.exists()


def test_the_public_page_runs_the_same_queries_however_many_reports_it_lists(tree, client, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _public(leader)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/")
    for n in range(4):
        _public(leader, summary=f"Zhurmë natën në lagjen {n}.", lat=LAT + n * 0.01)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/reports/").context["reports"]) == 5
    assert len(many) == len(few)


def test_the_api_publishes_and_withdraws_with_the_same_rules(tree, client, persona):
    concern = _report()
    client.force_login(persona("leader_n1a"))
    url = f"/api/v1/concerns/{concern.pk}/public-summary"
    refused = client.post(url, {"summary": f"Shkruani {EMAIL}"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"]
    assert not selectors.public_concerns().exists()
    body = client.post(url, {"summary": SUMMARY}, content_type="application/json").json()
    assert body["is_public"] and body["public_summary"] == SUMMARY
    assert client.delete(url).json()["is_public"] is False
    client.force_login(persona("commander_s1"))
    assert client.post(url, {"summary": SUMMARY}, content_type="application/json").status_code == 404
