"""Logging, changing and deleting outreach activities against the database."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from cpis.core.errors import InvalidInput
from cpis.organisation.tests.factories import MunicipalityFactory, OfficerFactory, SettlementFactory
from cpis.outreach import services
from cpis.outreach.models import Kind, OutreachActivity, Topic


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English, the source language."""
    with translation.override("en"):
        yield


def log(actor, unit, **fields):
    values = {"kind": Kind.SCHOOL_LECTURE, "topic": Topic.NARCOTICS, "happened_on": date(2014, 3, 12)}
    values |= {"audience": 60, **fields}
    return services.log_activity(actor, unit=unit, **values)


def test_a_sector_officer_logs_a_lecture_in_their_sector(tree, actor_for, officer_for):
    me = officer_for("officer_n1a", sector=tree.n1a)
    activity = log(
        actor_for("officer_n1a"),
        tree.n1a,
        officer_ids=[me.pk],
        place="  Shkolla fillore „Naim Frashëri”  ",
        notes="Nxënësit e klasës së 8-të.",
    )
    assert activity.unit_path == tree.n1a.path
    assert activity.place == "Shkolla fillore „Naim Frashëri”"
    assert activity.created_by.username == "officer_n1a"
    assert list(activity.officers.all()) == [me]


def test_an_officer_cannot_log_in_another_sector_or_station(tree, actor_for):
    actor = actor_for("officer_n1a")
    for elsewhere in (tree.n1, tree.n1b, tree.s1a):
        with pytest.raises(Http404):
            log(actor, elsewhere)
    assert not OutreachActivity.objects.exists()


def test_the_strategy_coordinator_and_professional_standards_do_not_log(tree, actor_for):
    with pytest.raises(PermissionDenied):
        log(actor_for("strategy_coordinator"), tree.n1a)
    with pytest.raises(Http404):
        log(actor_for("standards"), tree.n1a)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"topic": ""}, "topic"),
        ({"topic": "astrology"}, "topic"),
        ({"audience": -1}, "audience"),
        ({"audience": 100_001}, "audience"),
        ({"happened_on": date(1998, 5, 1)}, "past"),
        ({"place": "x" * 201}, "too long"),
        ({"notes": "=HYPERLINK()\x00"}, "not allowed"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(tree, actor_for, fields, message):
    with pytest.raises(InvalidInput, match=message):
        log(actor_for("leader_n1a"), tree.n1a, **fields)
    assert not OutreachActivity.objects.exists()


def test_an_activity_cannot_be_in_the_future(tree, actor_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput, match="future"):
        log(actor_for("leader_n1a"), tree.n1a, happened_on=tomorrow)


def test_the_place_is_a_sector_or_a_station(tree, actor_for):
    with pytest.raises(InvalidInput, match="sector or a station"):
        log(actor_for("director_north"), tree.north)


def test_a_topic_is_kept_only_for_lectures_and_campaigns(tree, actor_for):
    meeting = log(actor_for("leader_n1a"), tree.n1a, kind=Kind.COMMUNITY_MEETING, topic=Topic.WEAPONS)
    campaign = log(actor_for("leader_n1a"), tree.n1a, kind=Kind.CAMPAIGN, topic=Topic.TRAFFIC_SAFETY)
    assert meeting.topic == ""
    assert campaign.topic == Topic.TRAFFIC_SAFETY


def test_officers_must_serve_at_the_station_of_the_place(tree, actor_for):
    colleague = OfficerFactory(unit=tree.n1b)  # home unit under station N1
    stranger = OfficerFactory(unit=tree.s1)
    activity = log(actor_for("leader_n1a"), tree.n1a, officer_ids=[colleague.pk])
    assert list(activity.officers.all()) == [colleague]
    with pytest.raises(InvalidInput, match="serve at this station"):
        log(actor_for("leader_n1a"), tree.n1a, officer_ids=[colleague.pk, stranger.pk])
    assert OutreachActivity.objects.count() == 1


def test_the_settlement_must_lie_in_the_municipality_of_the_place(tree, actor_for):
    here, elsewhere = MunicipalityFactory(), MunicipalityFactory()
    tree.n1a.municipality = here
    tree.n1a.save()
    village = SettlementFactory(municipality=here)
    assert log(actor_for("leader_n1a"), tree.n1a, settlement=village).settlement == village
    with pytest.raises(InvalidInput, match="municipality"):
        log(actor_for("leader_n1a"), tree.n1a, settlement=SettlementFactory(municipality=elsewhere))


def _change(actor, activity, **fields):
    values = {
        "kind": activity.kind,
        "topic": activity.topic,
        "happened_on": activity.happened_on,
        "unit": activity.unit,
        "audience": activity.audience,
        "place": activity.place,
    }
    return services.update_activity(actor, activity=activity, **(values | fields))


def test_the_author_changes_and_deletes_their_own_entry_within_seven_days(tree, actor_for):
    actor = actor_for("officer_n1a")
    with time_machine.travel(timezone.now() - timedelta(days=6, hours=23)):
        activity = log(actor, tree.n1a)
    changed = _change(actor, activity, audience=75, kind=Kind.MEDIA)
    assert (changed.audience, changed.kind, changed.topic) == (75, Kind.MEDIA, "")
    assert changed.updated_by.username == "officer_n1a"
    services.delete_activity(actor, activity=changed)
    assert not OutreachActivity.objects.exists()


def test_after_seven_days_the_author_can_no_longer_change_it_but_the_coordinator_can(tree, actor_for):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        activity = log(actor_for("officer_n1a"), tree.n1a)
    with pytest.raises(services.EditWindowClosed):
        _change(actor_for("officer_n1a"), activity, audience=99)
    with pytest.raises(services.EditWindowClosed):
        services.delete_activity(actor_for("officer_n1a"), activity=activity)
    activity.refresh_from_db()
    assert activity.audience == 60
    assert _change(actor_for("coordinator_n1"), activity, audience=99).audience == 99
    services.delete_activity(actor_for("commander_n1"), activity=activity)
    assert not OutreachActivity.objects.exists()


def test_an_officer_cannot_change_a_colleagues_entry(tree, actor_for):
    activity = log(actor_for("officer_n1a"), tree.n1a)
    with pytest.raises(services.NotYourEntry):
        _change(actor_for("leader_n1a"), activity, audience=1)
    with pytest.raises(Http404):
        services.delete_activity(actor_for("commander_s1"), activity=activity)
    assert OutreachActivity.objects.filter(audience=60).exists()


def test_moving_an_entry_needs_the_right_to_log_at_the_new_place(tree, actor_for):
    activity = log(actor_for("officer_n1a"), tree.n1a)
    with pytest.raises(Http404):
        _change(actor_for("officer_n1a"), activity, unit=tree.n1b)
    assert _change(actor_for("commander_n1"), activity, unit=tree.n1b).unit_path == tree.n1b.path


def test_officers_already_on_an_entry_may_stay_after_they_moved_away(tree, actor_for):
    officer = OfficerFactory(unit=tree.n1)
    activity = log(actor_for("leader_n1a"), tree.n1a, officer_ids=[officer.pk])
    officer.unit = tree.s1
    officer.save()
    changed = _change(actor_for("leader_n1a"), activity, officer_ids=[officer.pk], audience=61)
    assert list(changed.officers.all()) == [officer]
