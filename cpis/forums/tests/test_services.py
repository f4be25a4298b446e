"""Writes for forums: each checks the place first, refuses bad input with a
clear message and changes nothing when it refuses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.core.errors import InvalidInput
from cpis.forums import services
from cpis.forums.models import (
    ActionItem,
    ActionStatus,
    Decision,
    Forum,
    ForumKind,
    ForumMember,
    ForumStatus,
    Gender,
    Meeting,
    MeetingStatus,
    ProposedSite,
    SiteStatus,
    TensionReport,
)
from cpis.organisation.tests.factories import MunicipalityFactory

from .factories import ActionItemFactory, ForumFactory, MeetingFactory, MemberFactory, PressReleaseFactory


def _forum_input(unit, **changes):
    values = {
        "kind": ForumKind.LPSC,
        "name": "Komiteti Lokal për Siguri Publike Llapnasellë",
        "language": "sq",
        "unit": unit,
        "established_on": date(2013, 3, 1),
        "meetings_per_year": 6,
    }
    values.update(changes)
    return services.ForumInput(**values)


def _member_input(**changes):
    values = {
        "name": "Drita Gashi",
        "role": "chair",
        "community": "albanian",
        "gender": Gender.FEMALE,
        "term_start": date(2013, 3, 1),
    }
    values.update(changes)
    return services.MemberInput(**values)


def _past(days: int):
    return timezone.now() - timedelta(days=days)


# --- forums ---------------------------------------------------------------------------


def test_a_sector_leader_registers_an_lpsc_at_the_sector_with_its_municipality(tree, actor_for):
    tree.n1a.municipality = MunicipalityFactory()
    tree.n1a.save()
    forum = services.create_forum(actor_for("leader_n1a"), data=_forum_input(tree.n1a))
    assert forum.unit_path == tree.n1a.path
    assert forum.municipality == tree.n1a.municipality
    assert forum.status == ForumStatus.ACTIVE


def test_a_municipal_council_belongs_to_a_station_and_nothing_is_saved_otherwise(tree, actor_for):
    with pytest.raises(services.CouncilNeedsStation):
        services.create_forum(actor_for("commander_n1"), data=_forum_input(tree.n1a, kind=ForumKind.MCSC))
    assert not Forum.objects.exists()
    council = services.create_forum(
        actor_for("commander_n1"), data=_forum_input(tree.n1, kind=ForumKind.MCSC)
    )
    assert council.unit == tree.n1


def test_a_forum_cannot_serve_a_region(tree, actor_for):
    with pytest.raises(services.WrongPlace):
        services.create_forum(actor_for("director_north"), data=_forum_input(tree.north))


def test_a_sector_officer_may_not_register_a_forum_and_another_station_gets_404(tree, actor_for):
    with pytest.raises(PermissionDenied):
        services.create_forum(actor_for("officer_n1a"), data=_forum_input(tree.n1a))
    with pytest.raises(Http404):
        services.create_forum(actor_for("commander_s1"), data=_forum_input(tree.n1a))
    assert not Forum.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "   "}, "name"),
        ({"established_on": date(2090, 1, 1)}, "today"),
        ({"meetings_per_year": 60}, "52"),
        ({"kind": "club"}, "kind"),
    ],
)
def test_bad_forum_input_is_refused_with_a_message(tree, actor_for, changes, message):
    with pytest.raises(InvalidInput, match=message):
        services.create_forum(actor_for("leader_n1a"), data=_forum_input(tree.n1a, **changes))
    assert not Forum.objects.exists()


def test_dissolving_a_forum_records_the_day_and_reviving_it_clears_it(tree, actor_for):
    actor = actor_for("commander_n1")
    forum = ForumFactory(unit=tree.n1a)
    services.update_forum(actor, forum=forum, data=_forum_input(tree.n1a, status=ForumStatus.DISSOLVED))
    forum.refresh_from_db()
    assert forum.dissolved_on == timezone.localdate()
    services.update_forum(actor, forum=forum, data=_forum_input(tree.n1a, status=ForumStatus.DORMANT))
    forum.refresh_from_db()
    assert forum.dissolved_on is None


def test_moving_a_forum_needs_the_right_to_manage_the_new_place(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    with pytest.raises(Http404):  # the leader of n1a does not even see n1b
        services.update_forum(actor_for("leader_n1a"), forum=forum, data=_forum_input(tree.n1b))
    forum.refresh_from_db()
    assert forum.unit == tree.n1a


# --- members ----------------------------------------------------------------------------


def test_the_sector_leader_adds_a_member_with_contact_and_skills(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    member = services.add_member(
        actor_for("leader_n1a"),
        forum=forum,
        data=_member_input(phone="+383 44 123 456", email="drita@example.net", skills="Ndërmjetësim"),
    )
    assert (member.phone, member.email, member.skills) == (
        "+383 44 123 456",
        "drita@example.net",
        "Ndërmjetësim",
    )


def test_a_regional_director_keeps_members_but_cannot_write_their_contacts(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    actor = actor_for("director_north")
    with pytest.raises(InvalidInput):
        services.add_member(actor, forum=forum, data=_member_input(phone="+383 44 1"))
    member = services.add_member(actor, forum=forum, data=_member_input())
    assert member.phone == ""


def test_updating_a_member_without_contact_fields_keeps_the_stored_contact(tree, actor_for):
    member = MemberFactory(forum=ForumFactory(unit=tree.n1a), phone="+383 44 999 000")
    services.update_member(
        actor_for("director_north"), member=member, data=_member_input(name="Drita Gashi-Berisha")
    )
    member.refresh_from_db()
    assert member.name == "Drita Gashi-Berisha"
    assert member.phone == "+383 44 999 000"


@pytest.mark.parametrize(
    "changes",
    [
        {"term_end": date(2012, 1, 1)},
        {"phone": "call me"},
        {"email": "not an address"},
        {"community": "martian"},
    ],
)
def test_bad_member_input_is_refused(tree, actor_for, changes):
    forum = ForumFactory(unit=tree.n1a)
    with pytest.raises(InvalidInput):
        services.add_member(actor_for("leader_n1a"), forum=forum, data=_member_input(**changes))
    assert not ForumMember.objects.exists()


# --- meetings ---------------------------------------------------------------------------


def test_scheduling_a_meeting_for_a_dissolved_forum_is_refused(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a, status=ForumStatus.DISSOLVED, dissolved_on=date(2015, 1, 1))
    data = services.MeetingInput(
        kind="regular", starts_at=timezone.now() + timedelta(days=3), place="Shkolla"
    )
    with pytest.raises(services.ForumDissolved):
        services.schedule_meeting(actor_for("leader_n1a"), forum=forum, data=data)


def test_recording_a_meeting_held_keeps_attendance_minutes_decisions_and_action_items(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    present, absent = MemberFactory(forum=forum), MemberFactory(forum=forum)
    meeting = MeetingFactory(forum=forum, starts_at=_past(2))
    services.record_meeting_held(
        actor_for("leader_n1a"),
        meeting=meeting,
        present=[present],
        other_attendees=12,
        minutes="U diskutua për ndriçimin.",
        decisions=["Shkresë për komunën", "  "],
        action_items=[
            services.ActionInput(
                text="Shkresa", owner_name="Kryetari", due_on=timezone.localdate() + timedelta(days=9)
            )
        ],
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.members_present.all()) == [present]
    assert absent not in meeting.members_present.all()
    assert meeting.other_attendees == 12
    assert [d.text for d in meeting.decisions.all()] == ["Shkresë për komunën"]
    assert meeting.action_items.get().status == ActionStatus.OPEN


def test_a_meeting_in_the_future_cannot_be_recorded_as_held(tree, actor_for):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(services.MeetingInFuture):
        services.record_meeting_held(
            actor_for("leader_n1a"), meeting=meeting, present=[], other_attendees=0, minutes="x"
        )


def test_only_members_whose_term_covers_the_day_can_be_present_and_nothing_changes(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    former = MemberFactory(forum=forum, term_end=date(2013, 1, 1))
    other_forum_member = MemberFactory(forum=ForumFactory(unit=tree.n1a))
    meeting = MeetingFactory(forum=forum, starts_at=_past(2))
    for present in ([former], [other_forum_member]):
        with pytest.raises(services.NotAMember):
            services.record_meeting_held(
                actor_for("leader_n1a"),
                meeting=meeting,
                present=present,
                other_attendees=3,
                minutes="Procesverbali",
                decisions=["Vendim"],
            )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert not Decision.objects.exists()


def test_an_action_item_cannot_fall_due_before_its_meeting_and_the_meeting_stays_planned(tree, actor_for):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a), starts_at=_past(5))
    with pytest.raises(InvalidInput):
        services.record_meeting_held(
            actor_for("leader_n1a"),
            meeting=meeting,
            present=[],
            other_attendees=0,
            minutes="Procesverbali",
            action_items=[services.ActionInput(text="x", owner_name="y", due_on=date(2000, 1, 1))],
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert not ActionItem.objects.exists()


def test_a_held_meeting_cannot_be_cancelled_changed_or_recorded_again(tree, actor_for):
    actor = actor_for("leader_n1a")
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a), starts_at=_past(1), status=MeetingStatus.HELD)
    with pytest.raises(services.MeetingNotPlanned):
        services.cancel_meeting(actor, meeting=meeting)
    with pytest.raises(services.MeetingNotPlanned):
        services.record_meeting_held(actor, meeting=meeting, present=[], other_attendees=0, minutes="x")
    data = services.MeetingInput(kind="regular", starts_at=_past(1), place="Tjetër")
    with pytest.raises(services.MeetingNotPlanned):
        services.update_meeting(actor, meeting=meeting, data=data)


def test_minutes_can_be_published_only_for_a_held_meeting_with_minutes(tree, actor_for):
    actor = actor_for("leader_n1a")
    planned = MeetingFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(services.MinutesMissing):
        services.publish_minutes(actor, meeting=planned)
    held = MeetingFactory(
        forum=planned.forum, status=MeetingStatus.HELD, minutes="Procesverbali", starts_at=_past(3)
    )
    assert services.publish_minutes(actor, meeting=held).minutes_published
    assert not services.publish_minutes(actor, meeting=held, publish=False).minutes_published


def test_a_sector_officer_may_not_cancel_a_meeting(tree, actor_for):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(actor_for("officer_n1a"), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


# --- action items -------------------------------------------------------------------------


def test_an_action_item_is_overdue_only_after_its_due_day_and_only_while_open(tree):
    due = date(2026, 3, 10)
    item = ActionItemFactory(
        meeting__forum=ForumFactory(unit=tree.n1a), meeting__starts_at=_past(400), due_on=due
    )
    assert not item.is_overdue(due)
    assert item.is_overdue(due + timedelta(days=1))
    assert list(ActionItem.objects.overdue(due)) == []
    assert list(ActionItem.objects.overdue(due + timedelta(days=1))) == [item]
    item.status, item.done_at = ActionStatus.DONE, timezone.now()
    item.save()
    assert not item.is_overdue(due + timedelta(days=30))
    assert list(ActionItem.objects.overdue(due + timedelta(days=30))) == []


def test_completing_an_action_item_records_when_and_cannot_be_done_twice(tree, actor_for):
    item = ActionItemFactory(meeting__forum=ForumFactory(unit=tree.n1a), meeting__starts_at=_past(3))
    actor = actor_for("commander_n1")
    services.complete_action_item(actor, item=item, note="Komuna vendosi dy llamba.")
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert item.done_at is not None
    assert item.note == "Komuna vendosi dy llamba."
    with pytest.raises(services.ActionItemDone):
        services.complete_action_item(actor, item=item)


# --- sites, tension, trainers, press releases ----------------------------------------------------


def test_a_site_becomes_established_only_with_the_forum_set_up_there(tree, actor_for):
    actor = actor_for("commander_n1")
    site = services.identify_site(
        actor, unit=tree.n1b, description="Lagje e re", identified_on=date(2013, 5, 2)
    )
    with pytest.raises(services.SiteNeedsForum):
        services.change_site_status(actor, site=site, status=SiteStatus.ESTABLISHED)
    forum = ForumFactory(unit=tree.n1b)
    services.change_site_status(actor, site=site, status=SiteStatus.ESTABLISHED, forum=forum)
    site.refresh_from_db()
    assert (site.status, site.forum) == (SiteStatus.ESTABLISHED, forum)
    services.change_site_status(actor, site=site, status=SiteStatus.NOT_NEEDED, forum=forum, note="U bashkua")
    site.refresh_from_db()
    assert site.forum is None


def test_a_station_commander_of_another_station_cannot_record_a_site_here(tree, actor_for):
    with pytest.raises(Http404):
        services.identify_site(
            actor_for("commander_s1"), unit=tree.n1a, description="x", identified_on=date(2014, 1, 1)
        )
    assert not ProposedSite.objects.exists()


def test_a_tension_report_needs_a_known_level_and_a_summary(tree, actor_for):
    forum = ForumFactory(unit=tree.n1a)
    actor = actor_for("leader_n1a")
    with pytest.raises(InvalidInput):
        services.report_tension(
            actor, forum=forum, reported_on=date(2014, 2, 2), level="extreme", summary="x"
        )
    with pytest.raises(InvalidInput):
        services.report_tension(actor, forum=forum, reported_on=date(2014, 2, 2), level="high", summary=" ")
    report = services.report_tension(
        actor, forum=forum, reported_on=date(2014, 2, 2), level="high", summary="Grindje"
    )
    assert TensionReport.objects.get() == report


def test_a_trainer_engagement_is_recorded_by_those_who_keep_the_forum(tree, actor_for):
    member = MemberFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(PermissionDenied):
        services.record_trainer_engagement(
            actor_for("officer_n1a"),
            member=member,
            on=date(2015, 4, 1),
            initiative="Shkolla",
            audience="Nxënës",
        )
    engagement = services.record_trainer_engagement(
        actor_for("leader_n1a"), member=member, on=date(2015, 4, 1), initiative="Shkolla", audience="Nxënës"
    )
    assert engagement.member == member


def test_a_press_release_keeps_its_first_publication_day_and_can_be_withdrawn(tree, actor_for):
    actor = actor_for("leader_n1a")
    forum = ForumFactory(unit=tree.n1a)
    release = services.save_press_release(actor, forum=forum, title="Takim", body="Teksti", language="sq")
    assert not release.is_published
    first = services.publish_press_release(actor, release=release).published_at
    services.publish_press_release(actor, release=release, publish=False)
    again = services.publish_press_release(actor, release=release)
    assert again.is_published and again.published_at == first
    with pytest.raises(InvalidInput):
        services.save_press_release(
            actor, forum=forum, title=" ", body="Teksti", language="sq", release=release
        )


def test_a_press_release_of_another_forum_cannot_be_saved_through_this_one(tree, actor_for):
    release = PressReleaseFactory(forum=ForumFactory(unit=tree.n1a))
    with pytest.raises(InvalidInput):
        services.save_press_release(
            actor_for("leader_n1a"),
            forum=ForumFactory(unit=tree.n1a),
            title="T",
            body="B",
            language="sq",
            release=release,
        )


def test_meeting_records_stay_unchanged_when_the_minutes_are_missing(tree, actor_for):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a), starts_at=_past(1))
    with pytest.raises(InvalidInput):
        services.record_meeting_held(
            actor_for("leader_n1a"), meeting=meeting, present=[], other_attendees=0, minutes=""
        )
    assert Meeting.objects.get().status == MeetingStatus.PLANNED


# --- decisions and action items added after the meeting ----------------------------------


def test_a_decision_is_added_to_a_held_meeting_after_the_ones_it_has(tree, actor_for):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a), starts_at=_past(2), status=MeetingStatus.HELD)
    Decision.objects.create(meeting=meeting, text="Ndriçim te shkolla", position=0)
    leader = actor_for("leader_n1a")
    decision = services.add_decision(leader, meeting=meeting, text="  Patrullë e përbashkët të premten.  ")
    assert (decision.text, decision.position) == ("Patrullë e përbashkët të premten.", 1)
    assert list(meeting.decisions.order_by("position").values_list("text", flat=True)) == [
        "Ndriçim te shkolla",
        "Patrullë e përbashkët të premten.",
    ]
    with pytest.raises(InvalidInput, match="Write the decision"):
        services.add_decision(leader, meeting=meeting, text="  ")
    planned = MeetingFactory(forum=meeting.forum)
    with pytest.raises(InvalidInput, match="held"):
        services.add_decision(leader, meeting=planned, text="Too early")
    with pytest.raises(PermissionDenied):
        services.add_decision(actor_for("officer_n1a"), meeting=meeting, text="Not mine")
    with pytest.raises(Http404):
        services.add_decision(actor_for("commander_s1"), meeting=meeting, text="Not my place")
    assert meeting.decisions.count() == 2 and not planned.decisions.exists()


def test_an_action_item_is_added_to_a_held_meeting_and_followed_as_open(tree, actor_for, persona):
    meeting = MeetingFactory(forum=ForumFactory(unit=tree.n1a), starts_at=_past(2), status=MeetingStatus.HELD)
    leader = actor_for("leader_n1a")
    due = timezone.localdate() + timedelta(days=14)
    owner = persona("officer_n1a")
    item = services.add_action_item(
        leader,
        meeting=meeting,
        data=services.ActionInput(
            text="Takim me komunën", owner_name="Kryetari", due_on=due, owner_user_id=owner.pk
        ),
    )
    item.refresh_from_db()
    assert (item.meeting, item.text, item.owner_name, item.owner_user_id, item.due_on, item.status) == (
        meeting,
        "Takim me komunën",
        "Kryetari",
        owner.pk,
        due,
        ActionStatus.OPEN,
    )
    early = services.ActionInput(
        text="x", owner_name="y", due_on=timezone.localdate(meeting.starts_at) - timedelta(days=1)
    )
    with pytest.raises(InvalidInput, match="before its meeting"):
        services.add_action_item(leader, meeting=meeting, data=early)
    with pytest.raises(InvalidInput, match="who will do it"):
        services.add_action_item(
            leader, meeting=meeting, data=services.ActionInput(text="x", owner_name=" ", due_on=due)
        )
    planned = MeetingFactory(forum=meeting.forum)
    with pytest.raises(InvalidInput, match="held"):
        services.add_action_item(
            leader, meeting=planned, data=services.ActionInput(text="x", owner_name="y", due_on=due)
        )
    ok = services.ActionInput(text="x", owner_name="y", due_on=due)
    with pytest.raises(PermissionDenied):
        services.add_action_item(actor_for("officer_n1a"), meeting=meeting, data=ok)
    with pytest.raises(Http404):
        services.add_action_item(actor_for("commander_s1"), meeting=meeting, data=ok)
    assert list(ActionItem.objects.all()) == [item]
