"""The citizens' pages: subscribe with no account, confirm with a button,
change topics, unsubscribe by a mail client's one-click POST (no cookies, no
CSRF token) or the page's button, and the Atom feeds; bad input is refused
with a message and changes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from cpis.alerts import selectors, services
from cpis.alerts.models import Status, Subscription
from cpis.core import pow
from cpis.core.models import OutboxMessage


def _form(**overrides) -> dict:
    data = {
        "area": "sector",
        "email": "citizen@example.org",
        "topics": ["meetings", "solved"],
        "pow": pow.solve(pow.new_challenge()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def english_client(client):
    client.cookies["cpis_language"] = "en"
    return client


def test_the_sector_page_links_to_its_alerts_and_feed(tree, english_client):
    page = english_client.get(f"/sectors/{tree.n1a.pk}/", follow=True).content.decode()
    assert f'href="/alerts/?sector={tree.n1a.pk}"' in page
    assert f'href="/alerts/feed/sector/{tree.n1a.pk}/"' in page


def test_a_citizen_subscribes_to_a_sector_and_gets_only_the_confirmation(tree, english_client):
    page = english_client.get(f"/alerts/?sector={tree.n1a.pk}")
    assert page.status_code == 200 and "Sector A" in page.content.decode()
    response = english_client.post("/alerts/", _form(sector=tree.n1a.pk))
    assert response.status_code == 200
    assert "We sent a message to citizen@example.org" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Status.PENDING and subscription.language == "en"
    assert (subscription.meetings, subscription.priorities, subscription.solved) == (True, False, True)
    (message,) = OutboxMessage.objects.all()
    assert "/alerts/confirm/" in message.body


def test_a_citizen_subscribes_to_a_circle(tree, english_client):
    response = english_client.post("/alerts/", _form(area="circle", lat=42.55, lon=21.098, radius=800))
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert (subscription.radius_m, subscription.sector_id) == (800, None)
    assert subscription.areas.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"topics": []}, "Choose at least one kind of alert."),
        (
            {"area": "circle", "lat": 42.55, "lon": 21.05, "radius": 5000},
            "The radius must be between 200 and 3000 metres.",
        ),
        (
            {"area": "circle", "lat": 45.0, "lon": 19.0, "radius": 500},
            "The centre of the circle is outside Kosovo",
        ),
        ({"area": "circle", "radius": 500}, "Click the map to set the centre of the circle."),
        ({"sector": 999999}, "There is no such sector."),
        ({"sector": None}, "Open this page from your sector"),
        ({"pow": "forged"}, "The security check failed."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(tree, english_client, fields, message):
    data = _form(sector=tree.n1a.pk)
    data.update({key: value for key, value in fields.items() if value is not None})
    for key, value in fields.items():
        if value is None:
            data.pop(key)
    response = english_client.post("/alerts/", data)
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Subscription.objects.exists() and not OutboxMessage.objects.exists()


def test_the_answer_is_the_same_for_an_address_already_subscribed(tree, english_client, subscribe):
    subscribe("citizen@example.org")
    response = english_client.post("/alerts/", _form(sector=tree.n1a.pk))
    assert (
        response.status_code == 200
        and "We sent a message to citizen@example.org" in response.content.decode()
    )
    assert Subscription.objects.count() == 1


def test_too_many_subscriptions_from_one_connection_are_refused(tree, english_client, settings):
    settings.SUBMISSION_LIMIT_PER_HOUR = 1
    assert english_client.post("/alerts/", _form(sector=tree.n1a.pk)).status_code == 200
    response = english_client.post("/alerts/", _form(sector=tree.n1b.pk, email="other@example.org"))
    assert response.status_code == 429 and "Too many subscriptions" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_following_the_link_shows_a_button_and_only_the_button_confirms(tree, english_client):
    subscription = services.subscribe(
        email="c@example.org", area=services.sector_area(tree.n1a.pk), topics=["meetings"], language="en"
    )
    url = f"/alerts/confirm/{selectors.confirm_token(subscription.secret)}/"
    page = english_client.get(url)
    assert (
        page.status_code == 200
        and "Confirm that you want e-mail alerts for sector Sector A" in page.content.decode()
    )
    subscription.refresh_from_db()
    assert subscription.status == Status.PENDING  # a mail scanner's GET confirms nothing
    done = english_client.post(url)
    assert (
        done.status_code == 200 and "You will get e-mail alerts for sector Sector A." in done.content.decode()
    )
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED


@pytest.mark.parametrize("path", ["confirm", "manage", "unsubscribe"])
def test_a_bad_token_says_the_link_is_not_valid(tree, english_client, path):
    for method in ("get", "post"):
        response = getattr(english_client, method)(f"/alerts/{path}/nonsense:abc/")
        assert response.status_code == 404
        assert "This link is not valid or has expired." in response.content.decode()


def test_a_mail_client_unsubscribes_in_one_click_without_cookies_or_csrf(tree, subscribe):
    subscription = subscribe("leave@example.org")
    mail_client = Client(enforce_csrf_checks=True)
    url = f"/alerts/unsubscribe/{selectors.manage_token(subscription.secret)}/"
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # no session, no CSRF cookie or token was sent
    subscription.refresh_from_db()
    assert subscription.status == Status.UNSUBSCRIBED and subscription.unsubscribed_at <= timezone.now()
    assert (
        mail_client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )


def test_the_unsubscribe_page_asks_first_and_its_button_unsubscribes(tree, english_client, subscribe):
    subscription = subscribe("leave@example.org")
    url = f"/alerts/unsubscribe/{selectors.manage_token(subscription.secret)}/"
    page = english_client.get(url)
    assert "Stop the e-mail alerts for sector Sector A?" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED
    assert "You will get no more alerts" in english_client.post(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Status.UNSUBSCRIBED
    assert "These alerts are already off." in english_client.get(url).content.decode()


def test_the_manage_page_changes_the_topics(tree, english_client, subscribe):
    subscription = subscribe("m@example.org")
    url = f"/alerts/manage/{selectors.manage_token(subscription.secret)}/"
    assert english_client.get(url).status_code == 200
    response = english_client.post(url, {"topics": ["priorities"]})
    assert response.status_code == 200 and "Saved." in response.content.decode()
    subscription.refresh_from_db()
    assert (subscription.meetings, subscription.priorities, subscription.solved) == (False, True, False)
    refused = english_client.post(url, {})
    assert refused.status_code == 400 and "Choose at least one kind of alert." in refused.content.decode()
    subscription.refresh_from_db()
    assert subscription.priorities


def test_the_feeds_list_the_same_news_as_atom(
    tree, english_client, meeting_at, agree_priority, publish_summary
):
    meeting_at(tree.n1)
    agree_priority(tree.n1a, issue="Speeding near the school")
    publish_summary(tree.n1a)
    agree_priority(tree.s1a, issue="Elsewhere")
    response = english_client.get(f"/alerts/feed/sector/{tree.n1a.pk}/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Forum meeting on" in feed and "New priority agreed: Speeding near the school" in feed
    assert "Problem solved: A safer market" in feed and "Elsewhere" not in feed
    circle = english_client.get("/alerts/feed/circle/?lat=42.55&lon=21.15&radius=500").content.decode()
    assert (
        "Forum meeting on" in circle and "Speeding near the school" not in circle
    )  # sector B: the station's forum only
    assert english_client.get("/alerts/feed/circle/?lat=42.55&lon=21.15&radius=50").status_code == 400
    assert english_client.get("/alerts/feed/circle/?lat=x").status_code == 400
    assert english_client.get("/alerts/feed/sector/999999/").status_code == 404
