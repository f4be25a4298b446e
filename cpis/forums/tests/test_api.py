"""The forums JSON API: staff only (but for a sector's public meetings),
scoped to the caller's places, paginated, and never a member's contacts."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry
from cpis.core.tests.helpers import json_keys, statuses
from cpis.forums.models import ActionStatus, ForumKind, ForumStatus, Gender, MeetingStatus

from .factories import ActionItemFactory, ForumFactory, MeetingFactory, MemberFactory

PHONE = "+383 44 555 111"
EMAIL = "drita@example.net"


def _past(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def forums(tree):
    """A forum in sector N1A with a member, a held meeting and an overdue item;
    one at station S1 with a member."""
    north = ForumFactory(unit=tree.n1a, name="KLSP Sektori A", established_on=date(2020, 1, 1))
    drita = MemberFactory(forum=north, name="Drita Gashi", phone=PHONE, email=EMAIL, gender=Gender.FEMALE)
    meeting = MeetingFactory(forum=north, starts_at=_past(30), status=MeetingStatus.HELD, other_attendees=4)
    meeting.members_present.set([drita])
    ActionItemFactory(
        meeting=meeting, text="Ndriçimi i rrugës", due_on=timezone.localdate() - timedelta(days=2)
    )
    south = ForumFactory(unit=tree.s1, kind=ForumKind.MCSC, name="Këshilli Komunal S1")
    MemberFactory(forum=south, name="Milan Jović", phone="+383 44 999 000", email="milan@example.net")
    south_meeting = MeetingFactory(forum=south, starts_at=_past(10), status=MeetingStatus.HELD)
    ActionItemFactory(meeting=south_meeting, text="Takim me shkollën")
    return {"north": north, "south": south, "meeting": meeting, "south_meeting": south_meeting}


def _no_personal_data(response) -> None:
    """No phone or e-mail key anywhere, and no member's phone or e-mail value."""
    body = response.content.decode()
    for value in (PHONE, EMAIL, "+383 44 999 000", "milan@example.net"):
        assert value not in body

    found = {k for k in json_keys(json.loads(body)) if "phone" in k or "email" in k or "address" in k}
    assert found == set()


# --- authentication ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/forums", "/api/v1/forums/actions", "/api/v1/forums/1", "/api/v1/forums/1/meetings"]
)
def test_staff_endpoints_need_credentials(tree, client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_bad_token_is_refused(tree, client):
    assert client.get("/api/v1/forums", HTTP_AUTHORIZATION="Bearer cpis_x_y").status_code == 401


def test_a_browser_session_may_read(forums, client_for):
    response = client_for("commander_n1").get("/api/v1/forums")
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["items"]] == ["KLSP Sektori A"]


# --- forums ------------------------------------------------------------------------------


def test_the_list_is_scoped_to_the_callers_places_and_names_no_contacts(forums, api):
    response = api("commander_s1").get("/api/v1/forums")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [f["name"] for f in data["items"]] == ["Këshilli Komunal S1"]
    _no_personal_data(response)
    north = api("commander_n1").get("/api/v1/forums").json()
    assert [f["name"] for f in north["items"]] == ["KLSP Sektori A"]
    assert north["items"][0]["member_count"] == 1
    assert north["items"][0]["women_count"] == 1
    assert north["items"][0]["held_last_year"] == 1


def test_the_directorate_sees_every_forum_and_filters_them(forums, api, tree):
    client = api("directorate")
    assert client.get("/api/v1/forums").json()["count"] == 2
    assert [f["kind"] for f in client.get("/api/v1/forums?kind=mcsc").json()["items"]] == ["mcsc"]
    assert client.get(f"/api/v1/forums?unit_id={tree.north.pk}").json()["count"] == 1
    assert client.get("/api/v1/forums?status=dormant").json()["count"] == 0
    forums["south"].status = ForumStatus.DORMANT
    forums["south"].save()
    assert client.get("/api/v1/forums?status=dormant").json()["count"] == 1


def test_a_bad_filter_is_a_422_and_a_place_not_yours_is_a_404(forums, api, tree):
    client = api("commander_s1")
    assert client.get("/api/v1/forums?kind=club").status_code == 422
    assert client.get(f"/api/v1/forums?unit_id={tree.n1.pk}").status_code == 404
    assert client.get("/api/v1/forums?limit=0").status_code == 422


def test_the_list_is_paginated(tree, api):
    for i in range(5):
        ForumFactory(unit=tree.n1b, name=f"Forumi {i}")
    client = api("commander_n1")
    page = client.get("/api/v1/forums?limit=2&offset=2").json()
    assert set(page) == {"items", "count"}
    assert page["count"] == 5
    assert [f["name"] for f in page["items"]] == ["Forumi 2", "Forumi 3"]
    assert client.get("/api/v1/forums?limit=2&offset=4").json()["items"][0]["name"] == "Forumi 4"


def test_the_list_takes_the_same_queries_for_any_page_size(tree, api, django_assert_max_num_queries):
    client = api("commander_n1")
    for i in range(6):
        forum = ForumFactory(unit=tree.n1a if i % 2 else tree.n1b)
        members = [MemberFactory(forum=forum) for _ in range(2)]
        MeetingFactory(forum=forum, starts_at=_past(5 + i), status=MeetingStatus.HELD).members_present.set(
            members
        )
    for limit in (1, 6):
        with django_assert_max_num_queries(6):
            assert len(client.get(f"/api/v1/forums?limit={limit}").json()["items"]) == limit


def test_a_forum_comes_with_its_sustainability_figures(forums, api):
    response = api("leader_n1a").get(f"/api/v1/forums/{forums['north'].pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "KLSP Sektori A"
    figures = data["sustainability"]
    assert figures["members_now"] == 1
    assert figures["women_now"] == 1
    assert figures["women_share"] == 100
    this_year = figures["years"][-1]
    assert this_year["year"] == timezone.localdate().year
    assert sum(y["held"] for y in figures["years"]) == 1
    assert sum(p["meetings"] for p in figures["attendance"]) == 1
    assert [p["average"] for p in figures["attendance"] if p["meetings"]] == [5.0]
    assert figures["by_gender"] == [{"label": "Woman", "count": 1}]
    _no_personal_data(response)
    assert not AccessLogEntry.objects.reads().exists()


def test_another_places_forum_is_a_404(forums, api):
    north = f"/api/v1/forums/{forums['north'].pk}"
    assert statuses(api("commander_s1"), north, f"{north}/meetings", "/api/v1/forums/999999") == [
        404,
        404,
        404,
    ]
    assert api("standards").get(f"/api/v1/forums/{forums['south'].pk}").status_code == 404


# --- meetings ----------------------------------------------------------------------------


def test_a_forums_meetings_within_a_date_range(forums, api):
    forum = forums["north"]
    MeetingFactory(forum=forum, starts_at=_past(400), status=MeetingStatus.HELD)
    upcoming = MeetingFactory(forum=forum)  # planned, in a week
    client = api("officer_n1a")
    url = f"/api/v1/forums/{forum.pk}/meetings"
    every = client.get(url).json()
    assert every["count"] == 3
    assert every["items"][0]["id"] == upcoming.pk
    held = every["items"][1]
    assert held["id"] == forums["meeting"].pk
    assert held["members_present"] == 1
    assert held["other_attendees"] == 4
    today = timezone.localdate()
    recent = client.get(f"{url}?from={today - timedelta(days=60)}&to={today}").json()
    assert [m["id"] for m in recent["items"]] == [forums["meeting"].pk]
    assert client.get(f"{url}?from={today}").json()["count"] == 1
    assert client.get(f"{url}?from={today}&to={today - timedelta(days=1)}").status_code == 422
    assert client.get(f"{url}?from=yesterday").status_code == 422
    _no_personal_data(client.get(url))


def test_meetings_take_the_same_queries_for_any_page_size(forums, api, django_assert_max_num_queries):
    forum = forums["north"]
    for days in range(40, 46):
        MeetingFactory(forum=forum, starts_at=_past(days), status=MeetingStatus.HELD)
    client = api("commander_n1")
    for limit in (1, 7):
        with django_assert_max_num_queries(6):
            data = client.get(f"/api/v1/forums/{forum.pk}/meetings?limit={limit}").json()
        assert len(data["items"]) == limit


# --- action items ------------------------------------------------------------------------


def test_action_items_by_state_and_place(forums, api, tree):
    client = api("commander_n1")
    open_items = client.get("/api/v1/forums/actions").json()
    assert [i["text"] for i in open_items["items"]] == ["Ndriçimi i rrugës"]
    assert open_items["items"][0]["overdue"] is True
    assert open_items["items"][0]["forum_name"] == "KLSP Sektori A"
    assert (open_items["open_count"], open_items["overdue_count"]) == (1, 1)
    assert client.get("/api/v1/forums/actions?show=overdue").json()["count"] == 1
    assert client.get("/api/v1/forums/actions?show=done").json()["count"] == 0
    assert client.get(f"/api/v1/forums/actions?unit_id={tree.n1b.pk}").json()["count"] == 0
    assert client.get("/api/v1/forums/actions?show=late").status_code == 422
    assert client.get(f"/api/v1/forums/actions?unit_id={tree.s1.pk}").status_code == 404
    south = api("commander_s1").get("/api/v1/forums/actions?show=all").json()
    assert [i["text"] for i in south["items"]] == ["Takim me shkollën"]
    assert south["items"][0]["overdue"] is False


def test_action_items_take_the_same_queries_for_any_page_size(forums, api, django_assert_max_num_queries):
    for i in range(6):
        ActionItemFactory(
            meeting=MeetingFactory(forum=forums["north"], starts_at=_past(50 + i), status=MeetingStatus.HELD),
            status=ActionStatus.OPEN,
        )
    client = api("director_north")
    for limit in (1, 7):
        with django_assert_max_num_queries(7):
            assert len(client.get(f"/api/v1/forums/actions?limit={limit}").json()["items"]) == limit


# --- the public side ---------------------------------------------------------------------


def test_anyone_sees_a_sectors_upcoming_public_meetings(forums, client, tree):
    station_forum = ForumFactory(unit=tree.n1, kind=ForumKind.MCSC, name="Këshilli Komunal N1")
    public = MeetingFactory(forum=forums["north"], is_public=True, place="Shkolla e mesme", agenda="Trafiku")
    station = MeetingFactory(
        forum=station_forum, is_public=True, starts_at=timezone.now() + timedelta(days=3), duration_minutes=90
    )
    MeetingFactory(forum=forums["north"], is_public=False, place="Zyra")
    MeetingFactory(forum=forums["north"], is_public=True, status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=forums["south"], is_public=True)
    response = client.get(f"/api/v1/forums/public/sectors/{tree.n1a.pk}/meetings")
    assert response.status_code == 200
    data = response.json()
    assert data["sector_id"] == tree.n1a.pk
    assert [m["id"] for m in data["meetings"]] == [station.pk, public.pk]
    assert data["meetings"][1]["place"] == "Shkolla e mesme"
    assert data["meetings"][1]["agenda"] == "Trafiku"
    assert data["meetings"][0]["forum_name"] == "Këshilli Komunal N1"
    first = data["meetings"][0]
    assert first["ends_at"] > first["starts_at"]
    _no_personal_data(response)


def test_the_public_meetings_of_something_not_a_sector_are_a_404(tree, client):
    assert client.get(f"/api/v1/forums/public/sectors/{tree.n1.pk}/meetings").status_code == 404
    assert client.get("/api/v1/forums/public/sectors/999999/meetings").status_code == 404
