"""What concerns put on a person's "my work today": their own open and overdue
concerns, and for who triages the new, held and overdue ones of their places —
never a concern of a place they cannot see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.concerns import services, work
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.core.registry import Urgency
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory

SOUTH = {"lat": 41.95, "lon": 21.05}  # sector s1a


def counts(items):
    return {(item.urgency, item.url.split("?")[1]): item.count for item in items}


@pytest.fixture
def queue(tree, persona):
    """At n1a: two concerns assigned to officer_n1a (one overdue), one to another
    officer, one new, one held; at s1a one new, and one given to officer_n1a's
    profile there (a place the officer does not see)."""
    me = OfficerFactory(unit=tree.n1, user=persona("officer_n1a"))
    AssignmentFactory(officer=me, sector=tree.n1a)
    other = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=other, sector=tree.n1a)
    system = Actor.system()
    mine = submit().concern
    services.assign_concern(system, concern=mine, officer=me)
    late = submit(category_code="traffic-safety").concern
    services.assign_concern(system, concern=late, officer=me)
    Concern.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    services.assign_concern(system, concern=submit().concern, officer=other)
    submit(description="Zhurmë natën te parku.")
    submit(description="BUY NOW http://a.example http://b.example http://c.example")
    submit(**SOUTH)
    elsewhere = submit(**SOUTH).concern
    Concern.objects.filter(pk=elsewhere.pk).update(assigned_officer=me, status="assigned")
    return me


def test_an_officer_sees_the_open_concerns_assigned_to_them_and_the_overdue_apart(queue, actor_for):
    assert counts(work.today(actor_for("officer_n1a"))) == {
        (Urgency.OVERDUE, "status=open&mine=on&overdue=on"): 1,
        (Urgency.NOW, "status=open&mine=on"): 2,
    }


def test_a_sector_leader_triages_the_new_held_and_overdue_concerns_of_the_sector(queue, actor_for):
    found = counts(work.today(actor_for("leader_n1a")))
    assert found[(Urgency.NOW, "status=received")] == 1
    assert found[(Urgency.NOW, "held=1")] == 1
    assert found[(Urgency.OVERDUE, "status=open&overdue=on")] == 1
    # The leader has no officer profile: nothing is assigned to them.
    assert found[(Urgency.NOW, "status=open&mine=on")] == 0


def test_a_station_commander_counts_only_the_concerns_of_their_station(queue, actor_for):
    south = counts(work.today(actor_for("commander_s1")))
    assert south[(Urgency.NOW, "status=received")] == 1  # the other one is assigned
    assert south[(Urgency.OVERDUE, "status=open&overdue=on")] == 0
    assert counts(work.today(actor_for("directorate")))[(Urgency.NOW, "status=received")] == 2


def test_professional_standards_and_the_strategy_coordinator_get_no_concern_work(queue, actor_for):
    assert all(item.count == 0 for item in work.today(actor_for("standards")))
    assert all(item.count == 0 for item in work.today(actor_for("strategy_coordinator")))


def test_the_queue_link_lists_the_concerns_assigned_to_me(queue, client_for):
    page = client_for("officer_n1a").get(reverse("concerns:queue") + "?status=open&mine=on")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    everyone = client_for("officer_n1a").get(reverse("concerns:queue") + "?status=open")
    assert len(everyone.context["page"].object_list) == 4  # and the other officer's, and the new one
