"""The citizens' side: a sector's forums, upcoming public meetings and their
iCalendar feed, published minutes and forum news. No sign-in, no contacts."""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.core.views import ACCESS_ATTRIBUTE
from cpis.forums import public_urls
from cpis.forums.models import ForumKind, MeetingStatus

from .factories import ForumFactory, MeetingFactory, MemberFactory, PressReleaseFactory


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_ical(raw: str) -> list[list[tuple[str, str]]]:
    """Unfold (RFC 5545 §3.1) and split into VEVENTs of (name, value) pairs."""
    unfolded = re.sub(r"\r\n[ \t]", "", raw)
    events: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] | None = None
    for line in unfolded.split("\r\n")[:-1]:
        name, _colon, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current.append((name, value))
    return events


@pytest.fixture
def sector_forums(tree):
    sector = ForumFactory(unit=tree.n1a, name="Komiteti, Sektori A; Lagja 1")
    station = ForumFactory(unit=tree.n1, kind=ForumKind.MCSC, name="Këshilli Komunal N1")
    return sector, station


def test_every_public_page_is_marked_public():
    assert {getattr(p.callback, ACCESS_ATTRIBUTE, None) for p in public_urls.urlpatterns} == {"public"}


def test_the_sector_page_shows_public_meetings_minutes_and_news_but_never_contacts(
    tree, sector_forums, client
):
    forum, station_forum = sector_forums
    member = MemberFactory(
        forum=forum, name="Drita Gashi", phone="+383 44 777 888", email="drita@example.net"
    )
    MeetingFactory(forum=forum, is_public=True, place="Shkolla e mesme")
    MeetingFactory(forum=forum, is_public=False, place="Zyra e fshehtë")
    held = MeetingFactory(
        forum=station_forum,
        starts_at=timezone.now() - timedelta(days=10),
        status=MeetingStatus.HELD,
        minutes="Procesverbali publik",
        minutes_published=True,
    )
    held.members_present.set([])
    unpublished = MeetingFactory(
        forum=forum,
        starts_at=timezone.now() - timedelta(days=5),
        status=MeetingStatus.HELD,
        minutes="I brendshëm",
    )
    PressReleaseFactory(forum=forum, title="Lajm i publikuar", is_published=True, published_at=timezone.now())
    draft = PressReleaseFactory(forum=forum, title="Draft i brendshëm")
    PressReleaseFactory(
        forum=ForumFactory(unit=tree.n1b), title="Lajm tjetër", is_published=True, published_at=timezone.now()
    )

    response = client.get(reverse("forums_public:sector", args=[tree.n1a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Shkolla e mesme" in page
    assert "Zyra e fshehtë" not in page
    assert "Lajm i publikuar" in page
    assert "Draft i brendshëm" not in page and "Lajm tjetër" not in page
    assert reverse("forums_public:minutes", args=[held.pk]) in page
    for secret in (member.name, member.phone, member.email):
        assert secret not in page
    minutes = client.get(reverse("forums_public:minutes", args=[held.pk]))
    assert "Procesverbali publik" in minutes.content.decode()
    assert member.phone not in minutes.content.decode()
    assert client.get(reverse("forums_public:minutes", args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("forums_public:release", args=[draft.pk])).status_code == 404


def test_the_sector_page_works_in_every_language(tree, sector_forums, client):
    for language in ("sq", "sr", "sr-latn", "en"):
        client.cookies["cpis_language"] = language
        response = client.get(reverse("forums_public:sector", args=[tree.n1a.pk]))
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_the_public_pages_take_few_queries(tree, sector_forums, client, django_assert_max_num_queries):
    forum, _station = sector_forums
    for day in range(1, 8):
        MeetingFactory(forum=forum, is_public=True, starts_at=timezone.now() + timedelta(days=day))
    with django_assert_max_num_queries(8):
        client.get(reverse("forums_public:sector", args=[tree.n1a.pk]))
    with django_assert_max_num_queries(4):
        client.get(reverse("forums_public:calendar", args=[tree.n1a.pk]))


def test_the_calendar_feed_is_rfc_5545_with_the_sectors_public_planned_meetings_only(
    tree, sector_forums, client
):
    forum, station_forum = sector_forums
    agenda = "1. Siguria në trafik, ndriçimi; parkimi\n2. Të ndryshme: çështje të banorëve të lagjes së re"
    first = MeetingFactory(forum=forum, is_public=True, place="Shkolla, salla 2; kati i parë", agenda=agenda)
    MeetingFactory(forum=station_forum, is_public=True, starts_at=timezone.now() + timedelta(days=20))
    MeetingFactory(forum=forum, is_public=False)
    MeetingFactory(forum=forum, is_public=True, status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=forum, is_public=True, starts_at=timezone.now() - timedelta(days=3))
    MeetingFactory(forum=ForumFactory(unit=tree.n1b), is_public=True)
    MeetingFactory(forum=ForumFactory(unit=tree.s1), is_public=True)

    response = client.get(reverse("forums_public:calendar", args=[tree.n1a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # CRLF only, no bare line feeds
    assert all(len(line.encode("utf-8")) <= 75 for line in raw.split("\r\n"))
    assert any(line.startswith(" ") for line in raw.split("\r\n"))  # the long agenda was folded
    events = parse_ical(raw)
    assert len(events) == raw.count("BEGIN:VEVENT") == 2
    by_uid = {dict(e)["UID"]: dict(e) for e in events}
    event = by_uid[f"forum-meeting-{first.pk}@localhost"]
    assert event["LOCATION"] == "Shkolla\\, salla 2\\; kati i parë"
    assert _unescape(event["LOCATION"]) == "Shkolla, salla 2; kati i parë"
    assert _unescape(event["DESCRIPTION"]) == agenda
    assert "\\n" in event["DESCRIPTION"]
    assert _unescape(event["SUMMARY"]).startswith("Komiteti, Sektori A; Lagja 1")
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTART"])
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    assert event["DTSTART"] == first.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] > event["DTSTART"]


def test_the_calendar_of_a_place_that_is_not_a_sector_is_not_found(tree, client):
    assert client.get(reverse("forums_public:calendar", args=[tree.n1.pk])).status_code == 404
    assert client.get(reverse("forums_public:sector", args=[999999])).status_code == 404
