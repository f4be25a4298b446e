"""A sector's priorities: proposed from the computed ranking, agreed at a
forum meeting or by the station, edited, linked to problems, retired — each
step in the history — and what the public sector page shows of them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import translation

from cpis.analytics.tests.conftest import TODAY, plant
from cpis.concerns.tests.factories import submit
from cpis.core.errors import InvalidInput
from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.organisation.access import Actor
from cpis.problems.models import AgreedBy, Change, PriorityStatus, SectorPriority
from cpis.problems.selectors import priorities as selectors
from cpis.problems.services import priorities as services
from cpis.problems.services import problems as problem_services

PRISHTINA = ZoneInfo("Europe/Belgrade")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


@pytest.fixture
def ranked(tree):
    """In sector n1a: ten burglaries in the last ten days against none a year
    ago, and six concerns about public order — both rise to the top."""
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=d) for d in range(10)], lon=21.05, lat=42.55)
    for _ in range(6):
        assert submit(actor=Actor.system(), category_code="public-order").concern.sector_id == tree.n1a.pk
    return tree


@pytest.fixture
def priority(tree, actor_for) -> SectorPriority:
    """A proposal in n1a, made as the ranking makes one."""
    return SectorPriority.objects.create(
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        issue="Burglary",
        proposal={
            "subject": "incidents",
            "code": "burglary",
            "name": "Burglary",
            "names": {"sq": "Vjedhje me thyerje", "sr": "Провална крађа", "en": "Burglary"},
        },
    )


def _meeting(unit, *, held=True, day=date(2026, 6, 10)):
    return MeetingFactory(
        forum=ForumFactory(unit=unit),
        starts_at=datetime(day.year, day.month, day.day, 18, 0, tzinfo=PRISHTINA),
        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
    )


def _history(priority):
    return list(Change.objects.filter(priority=priority).values_list("what", flat=True))


def test_the_ranking_becomes_proposals_and_a_second_run_adds_none(ranked, actor_for):
    actor = actor_for("leader_n1a")
    made = services.propose_priorities(actor, sector=ranked.n1a)
    by_code = {p.proposal["code"]: p for p in made}
    assert {"burglary", "public-order"} <= set(by_code)
    burglary, order = by_code["burglary"], by_code["public-order"]
    assert (burglary.status, burglary.issue, burglary.from_concerns) == (
        PriorityStatus.PROPOSED,
        "Burglary",
        False,
    )
    assert burglary.proposal["subject"] == "incidents" and burglary.proposal["score"] > 0
    assert any("28 days" in reason for reason in burglary.proposal["reasons"])
    assert burglary.proposal["names"]["en"] == "Burglary" and burglary.proposal["names"]["sr"]
    assert order.from_concerns and order.proposal["subject"] == "concerns"
    assert sorted(p.rank for p in made) == list(range(1, len(made) + 1))
    assert _history(burglary) == ["proposed"]
    # Open ones are not proposed twice; a retired one comes back while the data says so.
    assert services.propose_priorities(actor, sector=ranked.n1a) == []
    services.retire_priority(actor, priority=burglary, note="Not ours")
    again = services.propose_priorities(actor, sector=ranked.n1a)
    assert [p.proposal["code"] for p in again] == ["burglary"]
    assert again[0].rank == len(made) + 1
    assert SectorPriority.objects.filter(unit=ranked.n1a).exclude(status="retired").count() == len(made)


def test_only_the_sectors_leads_propose_and_agree(ranked, actor_for, priority):
    with pytest.raises(PermissionDenied):
        services.propose_priorities(actor_for("officer_n1a"), sector=ranked.n1a)
    with pytest.raises(Http404):
        services.propose_priorities(actor_for("commander_s1"), sector=ranked.n1a)
    with pytest.raises(PermissionDenied):
        services.agree_priority(actor_for("officer_n1a"), priority=priority, by=AgreedBy.STATION)
    with pytest.raises(InvalidInput):
        services.propose_priorities(actor_for("commander_n1"), sector=ranked.n1)  # a station, not a sector
    assert not SectorPriority.objects.exclude(pk=priority.pk).exists()


def test_agreeing_at_a_forum_needs_a_held_meeting_of_a_forum_serving_the_sector(tree, actor_for, priority):
    actor = actor_for("commander_n1")
    with pytest.raises(services.AgreedNeedsMeeting):
        services.agree_priority(actor, priority=priority, by=AgreedBy.FORUM)
    for meeting in (_meeting(tree.n1b), _meeting(tree.n1a, held=False), _meeting(tree.s1a)):
        with pytest.raises(services.MeetingNotOfSector):
            services.agree_priority(actor, priority=priority, by=AgreedBy.FORUM, meeting=meeting)
    priority.refresh_from_db()
    assert priority.status == PriorityStatus.PROPOSED and _history(priority) == []
    # The station's forum serves its sectors too.
    meeting = _meeting(tree.n1, day=date(2026, 6, 3))
    agreed = services.agree_priority(actor, priority=priority, by=AgreedBy.FORUM, meeting=meeting)
    assert (agreed.status, agreed.agreed_by_kind, agreed.meeting, agreed.agreed_on) == (
        PriorityStatus.AGREED,
        AgreedBy.FORUM,
        meeting,
        date(2026, 6, 3),
    )
    assert agreed.agreed_by.username == "commander_n1"
    change = Change.objects.get(priority=priority, what="agreed")
    assert change.details == {"kind": "forum", "meeting": meeting.pk, "on": "2026-06-03", "from": "proposed"}


def test_the_database_refuses_a_forum_agreement_without_a_meeting(priority):
    priority.status, priority.agreed_by_kind, priority.agreed_on = "agreed", "forum", TODAY
    with pytest.raises(IntegrityError), transaction.atomic():
        priority.save()


def test_the_station_agrees_on_a_past_day_or_today_never_later(actor_for, priority):
    actor = actor_for("leader_n1a")
    with pytest.raises(InvalidInput):
        services.agree_priority(
            actor, priority=priority, by=AgreedBy.STATION, agreed_on=TODAY + timedelta(days=1)
        )
    with pytest.raises(InvalidInput):
        services.agree_priority(actor, priority=priority, by="phone")
    agreed = services.agree_priority(actor, priority=priority, by=AgreedBy.STATION)
    assert (agreed.agreed_on, agreed.meeting) == (TODAY, None)
    earlier = services.agree_priority(actor, priority=agreed, by=AgreedBy.STATION, agreed_on=date(2026, 5, 1))
    assert earlier.agreed_on == date(2026, 5, 1)
    assert _history(priority) == ["agreed", "agreed"]


def test_edit_link_and_retire_are_in_the_history(tree, actor_for, priority, problem):
    actor = actor_for("leader_n1a")
    services.update_priority(
        actor, priority=priority, issue="Break-ins at the market", what_is_done="Night patrols", rank=2
    )
    services.update_priority(
        actor, priority=priority, issue="Break-ins at the market", what_is_done="Night patrols", rank=2
    )  # nothing changed: no history line
    with pytest.raises(InvalidInput):
        services.update_priority(actor, priority=priority, issue=" ", what_is_done="", rank=1)
    with pytest.raises(InvalidInput):
        services.update_priority(actor, priority=priority, issue="x", what_is_done="", rank=0)
    priority.refresh_from_db()
    assert (priority.issue, priority.what_is_done, priority.rank) == (
        "Break-ins at the market",
        "Night patrols",
        2,
    )

    services.link_problem(actor, priority=priority, problem=problem)
    services.link_problem(actor, priority=priority, problem=problem)  # once only
    elsewhere = problem_services.open_problem(actor_for("commander_n1"), unit=tree.n1b, title="Elsewhere")
    with pytest.raises(InvalidInput):
        services.link_problem(actor_for("commander_n1"), priority=priority, problem=elsewhere)
    station_wide = problem_services.open_problem(actor_for("commander_n1"), unit=tree.n1, title="Station")
    services.link_problem(actor_for("commander_n1"), priority=priority, problem=station_wide)
    assert set(selectors.list_linked_problems(priority)) == {problem, station_wide}
    services.unlink_problem(actor, priority=priority, problem=station_wide)
    assert list(priority.problems.all()) == [problem]

    services.retire_priority(actor, priority=priority, note="Done")
    priority.refresh_from_db()
    assert (priority.status, priority.retired_on) == (PriorityStatus.RETIRED, TODAY)
    with pytest.raises(services.PriorityRetired):
        services.update_priority(actor, priority=priority, issue="x", what_is_done="", rank=1)
    assert _history(priority) == [
        "changed",
        "problem_linked",
        "problem_linked",
        "problem_unlinked",
        "retired",
    ]
    assert Change.objects.get(priority=priority, what="changed").details == {
        "fields": ["issue", "what_is_done", "rank"]
    }


def test_the_public_sees_agreed_priorities_only_with_the_issue_in_their_language(tree, actor_for, priority):
    actor = actor_for("leader_n1a")
    assert selectors.list_public_priorities(tree.n1a) == []
    services.agree_priority(actor, priority=priority, by=AgreedBy.STATION, agreed_on=date(2026, 6, 1))
    services.update_priority(actor, priority=priority, issue="Burglary", what_is_done="Patrols", rank=1)
    with translation.override("sr"):
        (shown,) = selectors.list_public_priorities(tree.n1a)
    assert (shown.issue, shown.what_is_done, shown.agreed_on) == (
        "Провална крађа",
        "Patrols",
        date(2026, 6, 1),
    )
    with translation.override("sr-latn"):
        assert selectors.list_public_priorities(tree.n1a)[0].issue == "Provalna krađa"
    # Once the issue is written in words of the sector's own, it is shown as written.
    services.update_priority(
        actor, priority=priority, issue="Vjedhje në treg", what_is_done="Patrols", rank=1
    )
    with translation.override("sr"):
        assert selectors.list_public_priorities(tree.n1a)[0].issue == "Vjedhje në treg"
    services.retire_priority(actor, priority=priority)
    assert selectors.list_public_priorities(tree.n1a) == []


def test_the_sector_panel_offers_proposals_only_to_those_who_may_agree(tree, actor_for, priority, problem):
    lead = selectors.sector_panel(actor_for("leader_n1a"), tree.n1a)
    officer = selectors.sector_panel(actor_for("officer_n1a"), tree.n1a)
    assert list(lead.proposed or []) == [priority] and lead.may_agree
    assert officer.proposed is None and not officer.may_agree
    assert list(officer.problems) == [problem]
    with pytest.raises(Http404):
        selectors.sector_panel(actor_for("commander_s1"), tree.n1a)
