"""Subscribing (double opt-in, one subscription per address and area, expiry)
and the fan-out (only matching subscriptions, never twice, through the outbox
at its rate), against the real database."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cpis.alerts import selectors, services
from cpis.alerts.models import Delivery, Event, Status, Subscription, SubscriptionSector
from cpis.core import outbox
from cpis.core.models import OutboxMessage


def _alerts() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(record_type=services.RECORD_TYPE, bulk=True).order_by("pk"))


def _confirmations() -> list[OutboxMessage]:
    """The one-off e-mails queued (confirmations, manage links)."""
    return list(OutboxMessage.objects.filter(bulk=False).order_by("pk"))


def _recipients() -> list[str]:
    return sorted(message.to_email for message in _alerts())


# --- double opt-in ----------------------------------------------------------------------


def test_subscribing_sends_only_a_confirmation_and_alerts_start_once_confirmed(tree, meeting_at):
    subscription = services.subscribe(
        email="  Citizen@Example.org ",
        area=services.sector_area(tree.n1a.pk),
        topics=["meetings"],
        language="sq",
    )
    assert subscription.status == Status.PENDING and subscription.email == "citizen@example.org"
    (confirmation,) = _confirmations()
    assert confirmation.to_email == "citizen@example.org" and confirmation.language == "sq"
    assert confirmation.headers == {}
    link = next(line for line in confirmation.body.splitlines() if "/alerts/confirm/" in line)
    token = link.rsplit("/alerts/confirm/", 1)[1].strip("/")

    meeting_at(tree.n1a)
    assert services.fan_out() == {}  # nothing for an unconfirmed address
    assert _alerts() == []

    assert services.confirm(token=token).status == Status.CONFIRMED
    assert services.confirm(token=token).status == Status.CONFIRMED  # a second click changes nothing
    meeting_at(tree.n1a)
    assert services.fan_out() == {"meetings": 1}
    assert _recipients() == ["citizen@example.org"]


def test_the_same_address_and_area_is_one_subscription_and_the_confirmation_is_rate_limited(tree, settings):
    settings.ALERTS_CONFIRMATIONS_PER_HOUR = 2
    area = services.sector_area(tree.n1a.pk)
    first = services.subscribe(email="a@example.org", area=area, topics=["meetings"], language="sq")
    again = services.subscribe(email="A@example.org", area=area, topics=["solved"], language="en")
    assert first.pk == again.pk and Subscription.objects.count() == 1
    again.refresh_from_db()
    assert (again.meetings, again.solved, again.language) == (False, True, "en")  # nothing was sent yet
    assert len(_confirmations()) == 2 and first.secret == again.secret
    with pytest.raises(services.TooManyConfirmations):
        services.subscribe(email="a@example.org", area=area, topics=["meetings"], language="sq")
    assert len(_confirmations()) == 2
    # Another area is another subscription.
    services.subscribe(
        email="b@example.org", area=services.sector_area(tree.n1b.pk), topics=["meetings"], language="sq"
    )
    assert Subscription.objects.count() == 2


def test_subscribing_again_when_confirmed_sends_the_manage_link_and_changes_nothing(tree, subscribe):
    subscription = subscribe("a@example.org", topics=["meetings"])
    again = services.subscribe(
        email="a@example.org", area=services.sector_area(tree.n1a.pk), topics=["solved"], language="sr"
    )
    again.refresh_from_db()
    assert again.status == Status.CONFIRMED and (again.meetings, again.solved, again.language) == (
        True,
        False,
        "en",
    )
    (message,) = _confirmations()
    assert selectors.manage_token(subscription.secret) in message.body


def test_an_unconfirmed_subscription_expires_with_its_link_and_is_deleted(tree, settings):
    settings.ALERTS_CONFIRM_DAYS = 7
    subscription = services.subscribe(
        email="late@example.org", area=services.sector_area(tree.n1a.pk), topics=["meetings"], language="sq"
    )
    token = selectors.confirm_token(subscription.secret)
    OutboxMessage.objects.update(sent_at=timezone.now())  # the confirmation went out
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        with pytest.raises(services.BadLink):
            services.confirm(token=token)
        assert services.purge() == 1
    assert not Subscription.objects.exists()
    assert OutboxMessage.objects.get().to_email == "removed@invalid"


def test_unsubscribed_rows_are_kept_a_while_then_deleted(tree, subscribe, settings):
    settings.ALERTS_UNSUBSCRIBED_KEEP_DAYS = 30
    subscription = subscribe("gone@example.org")
    assert services.unsubscribe(token=selectors.manage_token(subscription.secret)) == 1
    assert services.purge() == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert services.purge() == 1
    assert not Subscription.objects.exists()


def test_subscribing_after_unsubscribing_needs_a_new_confirmation_with_a_new_link(tree, subscribe):
    subscription = subscribe("back@example.org")
    old = selectors.manage_token(subscription.secret)
    services.unsubscribe(token=old)
    again = services.subscribe(
        email="back@example.org", area=services.sector_area(tree.n1a.pk), topics=["meetings"], language="en"
    )
    assert again.pk == subscription.pk and again.status == Status.PENDING
    assert selectors.get_by_manage_token(old) is None
    assert selectors.manage_secret(old) != again.secret


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "area", "topics", "error", "message"),
    [
        ("not an address", ("sector",), ["meetings"], services.InvalidEmail, "Enter a valid e-mail address."),
        ("a@example.org", ("sector",), [], services.NoTopicChosen, "Choose at least one kind of alert."),
        (
            "a@example.org",
            ("circle", 42.55, 21.05, 100),
            ["meetings"],
            services.RadiusOutOfBounds,
            "The radius must be between 200 and 3000 metres.",
        ),
        (
            "a@example.org",
            ("circle", 42.55, 21.05, 3001),
            ["meetings"],
            services.RadiusOutOfBounds,
            "The radius must be between 200 and 3000 metres.",
        ),
        (
            "a@example.org",
            ("circle", 45.0, 19.0, 500),
            ["meetings"],
            services.OutsideTheCountry,
            "The centre of the circle is outside Kosovo's sectors. Choose a point inside Kosovo on the map.",
        ),
        (
            "a@example.org",
            ("circle", float("nan"), 21.05, 500),
            ["meetings"],
            services.OutsideTheCountry,
            "The centre of the circle is outside Kosovo's sectors. Choose a point inside Kosovo on the map.",
        ),
        ("a@example.org", ("sector", 0), ["meetings"], services.NoSuchSector, "There is no such sector."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    tree, email, area, topics, error, message
):
    def attempt() -> None:
        if area[0] == "sector":
            where = services.sector_area(area[1] if len(area) > 1 else tree.n1a.pk)
        else:
            where = services.circle_area(lat=area[1], lon=area[2], radius_m=area[3])
        services.subscribe(email=email, area=where, topics=topics, language="en")

    with pytest.raises(error) as refused:
        attempt()
    assert str(refused.value) == message
    assert not Subscription.objects.exists() and not OutboxMessage.objects.exists()


def test_a_tampered_or_unknown_token_is_a_bad_link(tree, subscribe):
    subscription = subscribe("a@example.org")
    token = selectors.manage_token(subscription.secret)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "nonsense"):
        with pytest.raises(services.BadLink):
            services.unsubscribe(token=bad)
        with pytest.raises(services.BadLink):
            services.change_topics(token=bad, topics=["meetings"])
        with pytest.raises(services.BadLink):
            services.confirm(token=bad)
    # A manage token is no confirmation token, and the other way round.
    with pytest.raises(services.BadLink):
        services.confirm(token=token)
    assert selectors.get_by_manage_token(selectors.confirm_token(subscription.secret)) is None
    # A well-signed link whose subscription is gone unsubscribes nothing, quietly.
    assert services.unsubscribe(token=selectors.manage_token("gone")) == 0
    subscription.refresh_from_db()
    assert subscription.status == Status.CONFIRMED


# --- circles ------------------------------------------------------------------------------


def test_a_circle_follows_every_sector_it_touches_and_only_those(tree):
    near_border = services.circle_area(lat=42.55, lon=21.098, radius_m=500)
    inside = services.circle_area(lat=42.55, lon=21.05, radius_m=500)
    assert near_border.sector_ids == sorted([tree.n1a.pk, tree.n1b.pk])
    assert inside.sector_ids == [tree.n1a.pk]
    subscription = services.subscribe(
        email="c@example.org", area=near_border, topics=["meetings"], language="en"
    )
    assert sorted(
        SubscriptionSector.objects.filter(subscription=subscription).values_list("sector_id", flat=True)
    ) == [
        tree.n1a.pk,
        tree.n1b.pk,
    ]
    # The same circle typed again (to a metre) is the same area.
    same = services.circle_area(lat=42.550001, lon=21.098001, radius_m=500)
    assert same.key == near_border.key


# --- fan-out --------------------------------------------------------------------------------


def test_only_subscriptions_whose_area_and_topic_match_get_the_alert(tree, subscribe, meeting_at):
    subscribe("n1a@example.org")
    subscribe("n1a-priorities@example.org", topics=["priorities"])
    subscribe("n1b@example.org", area=services.sector_area(tree.n1b.pk))
    subscribe("s1a@example.org", area=services.sector_area(tree.s1a.pk))
    subscribe("circle-a@example.org", area=services.circle_area(lat=42.55, lon=21.05, radius_m=500))
    subscribe("circle-b@example.org", area=services.circle_area(lat=42.55, lon=21.15, radius_m=500))
    subscribe("pending@example.org", area=services.sector_area(tree.n1a.pk), confirmed=False)

    meeting_at(tree.n1a)
    assert services.fan_out() == {"meetings": 2}
    assert _recipients() == ["circle-a@example.org", "n1a@example.org"]

    OutboxMessage.objects.all().delete()
    meeting_at(tree.n1)  # a station's forum serves both its sectors
    services.fan_out()
    assert _recipients() == [
        "circle-a@example.org",
        "circle-b@example.org",
        "n1a@example.org",
        "n1b@example.org",
    ]

    OutboxMessage.objects.all().delete()
    meeting_at(tree.n1a, public=False)  # a closed meeting is not news
    meeting_at(tree.north)  # nor a region's: above the station
    assert services.fan_out() == {}


def test_an_alert_goes_out_once_whatever_runs_twice(tree, subscribe, meeting_at):
    subscribe("once@example.org")
    meeting = meeting_at(tree.n1a)
    assert services.fan_out() == {"meetings": 1}
    assert services.fan_out() == {}
    news = selectors.list_news_since("meetings", timezone.now() - timedelta(hours=1))
    assert services.fan_out_news(news[0]) == 0
    meeting.place = "Another hall"
    meeting.save()  # changed after it went out: still the same event
    assert services.fan_out() == {}
    assert _recipients() == ["once@example.org"]
    assert Delivery.objects.count() == 1 and Event.objects.get().recipients == 1


def test_a_meeting_made_public_later_is_news_then(tree, subscribe, meeting_at):
    subscribe("later@example.org")
    meeting = meeting_at(tree.n1a, public=False)
    assert services.fan_out() == {}
    meeting.is_public = True
    meeting.save()
    assert services.fan_out() == {"meetings": 1}


def test_a_priority_agreed_and_a_summary_published_reach_who_follows_them(
    tree, subscribe, agree_priority, publish_summary
):
    subscribe("all@example.org")
    subscribe("sr@example.org", topics=["solved"], language="sr")
    subscribe("meetings-only@example.org", topics=["meetings"])
    agree_priority(tree.n1a)
    publish_summary(tree.n1a)
    assert services.fan_out() == {"priorities": 1, "solved": 2}
    by_address = {}
    for message in _alerts():
        by_address.setdefault(message.to_email, []).append(message)
    assert sorted(by_address) == ["all@example.org", "sr@example.org"]
    assert {m.subject for m in by_address["all@example.org"]} == {
        "New priority agreed: Burglary at night",
        "Problem solved: A safer market",
    }
    (serbian,) = by_address["sr@example.org"]
    assert "Безбеднија пијаца" in serbian.subject and "Крађе су опале." in serbian.body


def test_every_alert_carries_its_own_one_click_unsubscribe(tree, subscribe, meeting_at, settings):
    settings.SITE_URL = "https://cpis.example"
    first = subscribe("one@example.org")
    second = subscribe("two@example.org")
    meeting_at(tree.n1a)
    services.fan_out()
    for subscription in (first, second):
        message = OutboxMessage.objects.get(record_id=str(subscription.pk))
        url = f"https://cpis.example/alerts/unsubscribe/{selectors.manage_token(subscription.secret)}/"
        assert message.headers["List-Unsubscribe"] == f"<{url}>"
        assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body
        assert (
            f"https://cpis.example/alerts/manage/{selectors.manage_token(subscription.secret)}/"
            in message.body
        )
    outbox.deliver_due()
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["one@example.org"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert selectors.manage_token(first.secret) in sent["one@example.org"].extra_headers["List-Unsubscribe"]


def test_unsubscribing_drops_the_alerts_not_sent_yet(tree, subscribe, meeting_at, settings):
    settings.OUTBOX_RATE_PER_MINUTE = 0
    subscription = subscribe("stop@example.org")
    meeting_at(tree.n1a)
    services.fan_out()
    assert len(_alerts()) == 1
    services.unsubscribe(token=selectors.manage_token(subscription.secret))
    assert _alerts() == []
    meeting_at(tree.n1a)
    assert services.fan_out() == {}


def test_sending_keeps_to_the_configured_rate(
    tree, subscribe, meeting_at, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RATE_PER_MINUTE = 3
    for number in range(5):
        subscribe(f"r{number}@example.org")
    start = timezone.now().replace(second=5, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        meeting_at(tree.n1a)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.fan_out() == {"meetings": 5}
        # The sweep enqueued after commit sent what the minute allows.
        assert len(mail.outbox) == 3
        assert outbox.deliver_due() == 0
        # A one-off message past the rate waits too, for the next minute.
        reply = outbox.queue(
            record_type="test", record_id=1, to_email="x@example.org", language="en", subject="s", body="b"
        )
        assert outbox.deliver(reply.pk) is False
        assert len(mail.outbox) == 3
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert outbox.deliver_due() == 3  # the one-off message first, then the oldest alerts
        assert mail.outbox[3].to == ["x@example.org"]
        assert len(mail.outbox) == 6
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert outbox.deliver_due() == 0
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0


def test_the_scheduler_fans_out_news_and_sends_it_within_the_rate(
    tree, subscribe, meeting_at, settings, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    settings.OUTBOX_RATE_PER_MINUTE = 1
    subscribe("first@example.org")
    subscribe("second@example.org")
    meeting_at(tree.n1a)
    printed = StringIO()
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_scheduled", "--once", stdout=printed)
        assert "2 alerts queued." in printed.getvalue()
        assert len(mail.outbox) == 1  # one a minute
        assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_concern_made_public_reaches_who_follows_new_reports_with_the_summary_only(
    tree, subscribe, actor_for
):
    from cpis.concerns import services as concerns
    from cpis.concerns.tests.factories import submit

    subscribe("reports@example.org", topics=["reports"])
    subscribe("meetings-only@example.org", topics=["meetings"])
    subscribe("elsewhere@example.org", topics=["reports"], area=services.sector_area(tree.s1a.pk))
    concern = submit(description="ZQX the raw words of the reporter", reporter_email="r@example.org").concern
    assert concern.sector == tree.n1a
    assert services.fan_out() == {}  # not public until an officer approves a summary
    concerns.approve_public_summary(
        actor_for("leader_n1a"), concern=concern, summary="Cars speeding near the school at noon."
    )
    assert services.fan_out() == {"reports": 1}
    (alert,) = _alerts()
    assert alert.to_email == "reports@example.org"
    assert "Cars speeding near the school at noon." in alert.body and "ZQX" not in alert.body
    assert "r@example.org" not in alert.body
    assert services.fan_out() == {}  # never twice
