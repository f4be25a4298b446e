"""What forums put on "my work today": action items overdue or due within a week
(one's own, and all of the places one keeps the forums of), and the meetings of
the coming week where one serves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cpis.core.registry import Urgency
from cpis.forums import work
from cpis.forums.models import ActionStatus, MeetingStatus
from cpis.forums.tests.factories import ActionItemFactory, ForumFactory, MeetingFactory


def counts(items):
    return {
        (item.urgency, item.url.rsplit("/", 2)[-2] + item.url.partition("?")[2]): item.count for item in items
    }


@pytest.fixture
def forums(tree, persona):
    """The LPSC of n1a with an overdue item of officer_n1a, an item due in three
    days, one due in a month, one done; a meeting in two days and one in two
    weeks; the forum of s1a with an overdue item and a meeting tomorrow."""
    day = timezone.localdate()
    north = ForumFactory(unit=tree.n1a)
    south = ForumFactory(unit=tree.s1a)
    held = MeetingFactory(
        forum=north, status=MeetingStatus.HELD, starts_at=timezone.now() - timedelta(days=30)
    )
    ActionItemFactory(meeting=held, due_on=day - timedelta(days=2), owner_user=persona("officer_n1a"))
    ActionItemFactory(meeting=held, due_on=day + timedelta(days=3))
    ActionItemFactory(meeting=held, due_on=day + timedelta(days=30))
    ActionItemFactory(
        meeting=held, due_on=day - timedelta(days=5), status=ActionStatus.DONE, done_at=timezone.now()
    )
    next_meeting = MeetingFactory(forum=north, starts_at=timezone.now() + timedelta(days=2))
    MeetingFactory(forum=north, starts_at=timezone.now() + timedelta(days=14))
    MeetingFactory(forum=north, starts_at=timezone.now() + timedelta(days=1), status=MeetingStatus.CANCELLED)
    ActionItemFactory(meeting__forum=south, due_on=day - timedelta(days=1))
    MeetingFactory(forum=south, starts_at=timezone.now() + timedelta(days=1))
    return next_meeting


def test_an_officer_is_told_of_their_own_overdue_item_and_the_meeting_of_their_sector(forums, actor_for):
    assert counts(work.today(actor_for("officer_n1a"))) == {
        (Urgency.OVERDUE, "actionsshow=overdue"): 1,
        (Urgency.SOON, "actions"): 0,
        # One meeting: the link opens it.
        (Urgency.SOON, str(forums.pk)): 1,
    }


def test_the_sector_leader_sees_every_item_of_the_sectors_forums(forums, actor_for):
    found = counts(work.today(actor_for("leader_n1a")))
    assert found[(Urgency.OVERDUE, "actionsshow=overdue")] == 1
    assert found[(Urgency.SOON, "actions")] == 1  # due in three days; not the one in a month
    assert found[(Urgency.SOON, str(forums.pk))] == 1


def test_a_station_commander_of_another_station_sees_only_its_own(forums, actor_for):
    found = counts(work.today(actor_for("commander_s1")))
    assert found[(Urgency.OVERDUE, "actionsshow=overdue")] == 1
    assert found[(Urgency.SOON, "actions")] == 0
    assert sum(count for (urgency, _url), count in found.items() if urgency == Urgency.SOON) == 1


def test_the_directorate_is_told_of_overdue_items_but_not_of_every_meeting(forums, actor_for):
    found = counts(work.today(actor_for("directorate")))
    assert found[(Urgency.OVERDUE, "actionsshow=overdue")] == 2
    assert len(found) == 2  # no meeting line: it serves in no sector or station


def test_professional_standards_get_no_forum_work(forums, actor_for):
    assert work.today(actor_for("standards")) == []
