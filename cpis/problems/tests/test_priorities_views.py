"""The staff pages of a sector's priorities: the list, the sector's page and
the panel its profile loads, proposing from the ranking, and one priority's
steps; and the public sector page's "our priorities"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.problems.models import AgreedBy, Change, PriorityStatus, SectorPriority
from cpis.problems.services import priorities as services


@pytest.fixture
def english(client_for, settings):
    def make(name: str):
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def priority(tree) -> SectorPriority:
    return SectorPriority.objects.create(
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        issue="Burglary",
        proposal={"score": 4.5, "reasons": ["Rose."]},
    )


@pytest.fixture
def meeting(tree):
    return MeetingFactory(
        forum=ForumFactory(unit=tree.n1a, name="KLSP Sektori A"),
        starts_at=datetime(2026, 3, 5, 18, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
        status=MeetingStatus.HELD,
    )


def test_the_staff_sector_profile_loads_the_panel(tree, english):
    page = english("officer_n1a").get(reverse("organisation:sector", args=[tree.n1a.pk])).content.decode()
    assert f'hx-get="{reverse("problems:sector_panel", args=[tree.n1a.pk])}"' in page


def test_the_panel_shows_agreed_priorities_and_proposals_to_the_leads(
    tree, english, actor_for, priority, problem
):
    agreed = SectorPriority.objects.create(
        unit=tree.n1a, unit_path=tree.n1a.path, issue="Speeding near schools"
    )
    services.agree_priority(actor_for("leader_n1a"), priority=agreed, by=AgreedBy.STATION)
    url = reverse("problems:sector_panel", args=[tree.n1a.pk])
    fragment = english("leader_n1a").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="sector-problem-solving"' in fragment
    assert "Speeding near schools" in fragment and "by the station" in fragment
    assert 'id="proposed-priorities"' in fragment and "Burglary" in fragment and 'id="propose"' in fragment
    assert problem.title in fragment
    officer = english("officer_n1a").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Speeding near schools" in officer
    assert "Burglary" not in officer and 'id="propose"' not in officer
    assert english("commander_s1").get(url, HTTP_HX_REQUEST="true").status_code == 404
    # Opened directly, it is the sector's page.
    assert "<html" in english("leader_n1a").get(url).content.decode()


def test_proposing_from_a_quiet_ranking_says_so_and_makes_nothing(tree, english):
    client = english("leader_n1a")
    response = client.post(reverse("problems:propose_priorities", args=[tree.n1a.pk]), follow=True)
    assert "Everything the ranking puts forward" in response.content.decode()
    assert not SectorPriority.objects.exists()
    assert (
        english("officer_n1a").post(reverse("problems:propose_priorities", args=[tree.n1a.pk])).status_code
        == 403
    )


def test_agreeing_on_the_priority_page_needs_the_meeting(tree, english, priority, meeting):
    client = english("commander_n1")
    url = reverse("problems:priority_step", args=[priority.pk, "agree"])
    page = client.get(reverse("problems:priority", args=[priority.pk])).content.decode()
    assert "KLSP Sektori A · 2026-03-05" in page and "Rose." in page
    refused = client.post(url, {"by": "forum", "meeting": ""})
    assert refused.status_code == 400
    assert "Choose the forum meeting" in refused.content.decode()
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED
    done = client.post(url, {"by": "forum", "meeting": meeting.pk})
    assert done.status_code == 302
    priority.refresh_from_db()
    assert (priority.status, priority.meeting, priority.agreed_on) == (
        PriorityStatus.AGREED,
        meeting,
        date(2026, 3, 5),
    )
    shown = client.get(reverse("problems:priority", args=[priority.pk])).content.decode()
    assert "at the meeting of KLSP Sektori A" in shown and "agreed at a forum meeting" in shown


def test_edit_link_unlink_and_retire_from_the_priority_page(tree, english, priority, problem):
    client = english("leader_n1a")

    def step(action, data):
        return client.post(reverse("problems:priority_step", args=[priority.pk, action]), data)

    assert step("edit", {"issue": "Break-ins", "what_is_done": "Patrols", "rank": 3}).status_code == 302
    assert step("link", {"problem": problem.pk}).status_code == 302
    assert list(priority.problems.all()) == [problem]
    assert step("unlink", {"problem": problem.pk}).status_code == 302
    assert step("retire", {"note": "Over"}).status_code == 302
    assert step("nonsense", {}).status_code == 404
    priority.refresh_from_db()
    assert (priority.issue, priority.rank, priority.status) == ("Break-ins", 3, PriorityStatus.RETIRED)
    assert list(Change.objects.filter(priority=priority).values_list("what", flat=True)) == [
        "changed",
        "problem_linked",
        "problem_unlinked",
        "retired",
    ]
    assert english("officer_n1a").post(
        reverse("problems:priority_step", args=[priority.pk, "edit"]), {"issue": "x", "rank": 1}
    ).status_code in {400, 403}


def test_the_list_filters_by_status(tree, english, actor_for, priority):
    agreed = SectorPriority.objects.create(unit=tree.n1a, unit_path=tree.n1a.path, issue="Speeding")
    services.agree_priority(actor_for("leader_n1a"), priority=agreed, by=AgreedBy.STATION)
    page = (
        english("director_north").get(reverse("problems:priorities"), {"status": "agreed"}).content.decode()
    )
    assert "Speeding" in page and "Burglary" not in page
    assert "Sector A" not in english("commander_s1").get(reverse("problems:priorities")).content.decode()


def test_the_public_sector_page_shows_the_issue_what_is_done_and_the_date_but_no_one(
    tree, client, actor_for, priority, meeting
):
    services.update_priority(
        actor_for("leader_n1a"),
        priority=priority,
        issue="Vjedhjet në treg",
        what_is_done="Patrullime natën",
        rank=1,
    )
    services.agree_priority(actor_for("leader_n1a"), priority=priority, by=AgreedBy.FORUM, meeting=meeting)
    client.cookies["cpis_language"] = "en"
    page = client.get(reverse("portal:sector", args=[tree.n1a.pk]), follow=True).content.decode()
    section = page.split('id="public-priorities"')[1].split("</ol>")[0]
    assert (
        "Vjedhjet në treg" in section
        and "Patrullime natën" in section
        and "Agreed on March 5, 2026" in section
    )
    assert "leader_n1a" not in page and "KLSP Sektori A" not in section
