"""Reads of concerns against the database: what each place sees, the queue's
filters and summary, who may be assigned or moved to, what Open311 may
publish, the export and the plan's counts."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.http import Http404
from django.utils import timezone

from cpis.concerns import selectors, services
from cpis.concerns.models import Concern, Status
from cpis.concerns.tests.factories import submit
from cpis.core.periods import half_year_of
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory

SOUTH = {"lat": 41.95, "lon": 21.05}  # sector s1a
N1B = {"lat": 42.55, "lon": 21.15}


@pytest.fixture
def concerns(tree):
    """At n1a: one received, one assigned and overdue, one held; at n1b one
    closed; at s1a one received."""
    officer = OfficerFactory(unit=tree.n1, first_name="Besnik", last_name="Gashi")
    AssignmentFactory(officer=officer, sector=tree.n1a)
    fresh = submit(description="Zhurmë natën te parku.").concern
    late = submit(category_code="traffic-safety").concern
    services.assign_concern(Actor.system(), concern=late, officer=officer)
    Concern.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    held = submit(description="BUY NOW http://a.example http://b.example http://c.example").concern
    closed = submit(**N1B).concern
    services.close_concern(
        Actor.system(), concern=closed, status=Status.REJECTED, reason="Nuk është çështje policore."
    )
    south = submit(**SOUTH).concern
    return {"fresh": fresh, "late": late, "held": held, "closed": closed, "south": south, "officer": officer}


def _refs(rows):
    return {c.reference for c in rows}


def test_each_place_sees_its_own_concerns_and_professional_standards_none(concerns, actor_for):
    everything = {c.reference for c in Concern.objects.all()}
    assert _refs(selectors.visible_concerns(actor_for("directorate"))) == everything
    assert _refs(selectors.visible_concerns(actor_for("coordinator_n1"))) == everything - {
        concerns["south"].reference
    }
    assert _refs(selectors.visible_concerns(actor_for("officer_n1a"))) == _refs(
        [concerns["fresh"], concerns["late"], concerns["held"]]
    )
    assert not selectors.visible_concerns(actor_for("standards")).exists()
    assert selectors.get_concern(actor_for("coordinator_n1"), concerns["fresh"].pk) == concerns["fresh"]
    with pytest.raises(Http404):
        selectors.get_concern(actor_for("coordinator_n1"), concerns["south"].pk)


def test_the_queue_filters_and_keeps_held_concerns_for_moderation(concerns, actor_for):
    lead = actor_for("coordinator_n1")
    queue = selectors.QueueFilters
    assert list(selectors.list_queue(lead)) == [concerns["closed"], concerns["late"], concerns["fresh"]]
    assert list(selectors.list_queue(lead, queue(held=True))) == [concerns["held"]]
    assert _refs(selectors.list_queue(lead, queue(status="open"))) == _refs(
        [concerns["late"], concerns["fresh"]]
    )
    assert list(selectors.list_queue(lead, queue(status=Status.REJECTED))) == [concerns["closed"]]
    assert list(selectors.list_queue(lead, queue(category="traffic-safety"))) == [concerns["late"]]
    assert list(selectors.list_queue(lead, queue(overdue=True))) == [concerns["late"]]
    assert list(selectors.list_queue(lead, queue(unassigned=True, status="open"))) == [concerns["fresh"]]
    assert list(selectors.list_queue(lead, queue(assigned_officer=concerns["officer"].pk))) == [
        concerns["late"]
    ]
    assert list(selectors.list_queue(lead, queue(unit_path=concerns["closed"].unit_path))) == [
        concerns["closed"]
    ]
    assert list(selectors.list_queue(lead, queue(query="parku"))) == [concerns["fresh"]]
    typed = concerns["fresh"].reference.lower()
    assert list(selectors.list_queue(lead, queue(query=f"{typed[:4]}-{typed[4:]}"))) == [concerns["fresh"]]


def test_the_queue_summary_counts_open_overdue_unassigned_and_held(concerns, actor_for):
    assert selectors.summarise_queue(actor_for("coordinator_n1")) == {
        "open": 2,
        "overdue": 1,
        "unassigned": 1,
        "held": 1,
    }
    assert selectors.summarise_queue(actor_for("commander_s1")) == {
        "open": 1,
        "overdue": 0,
        "unassigned": 1,
        "held": 0,
    }


def test_a_typed_reference_finds_a_concern_only_where_the_actor_sees_it(concerns, actor_for):
    reference = concerns["south"].reference
    typed = f" {reference[:4].lower()}-{reference[4:]} "
    assert selectors.find_by_reference(actor_for("commander_s1"), typed) == concerns["south"]
    assert selectors.find_by_reference(actor_for("commander_n1"), typed) is None


def test_officers_and_sectors_to_choose_are_those_of_the_concerns_station(tree, concerns, actor_for):
    OfficerFactory(unit=tree.s1)
    OfficerFactory(unit=tree.n1a, is_active=False)
    assert list(selectors.list_assignable_officers(concerns["fresh"])) == [concerns["officer"]]
    assert list(selectors.list_triage_sectors(actor_for("coordinator_n1"), concerns["fresh"])) == [
        tree.n1a,
        tree.n1b,
    ]
    assert list(selectors.list_triage_sectors(actor_for("leader_n1a"), concerns["fresh"])) == [tree.n1a]


def test_contact_details_are_for_leads_and_the_assigned_officer(tree, concerns, actor_for, persona):
    late = concerns["late"]
    assert selectors.can_view_contact(actor_for("leader_n1a"), late)
    assert not selectors.can_view_contact(actor_for("officer_n1a"), late)
    officer = concerns["officer"]
    officer.user = persona("officer_n1a")
    officer.save()
    late.refresh_from_db()
    assert selectors.can_view_contact(actor_for("officer_n1a"), late)
    assert not selectors.can_view_contact(actor_for("officer_n1a"), concerns["fresh"])


def test_open311_publishes_no_held_concern_and_filters_by_status_and_reference(concerns):
    published = _refs(selectors.list_published())
    assert concerns["held"].reference not in published and len(published) == 4
    assert _refs(selectors.list_published(statuses={"closed"})) == {concerns["closed"].reference}
    assert concerns["closed"].reference not in _refs(selectors.list_published(statuses={"open"}))
    assert list(selectors.list_published(category_codes=["traffic-safety"])) == [concerns["late"]]
    assert list(selectors.list_published(references=[concerns["south"].reference], statuses={"closed"})) == [
        concerns["south"]
    ]
    assert selectors.list_published(references=[concerns["held"].reference]).count() == 0


def test_the_export_carries_the_history_and_no_personal_data(tree, actor_for):
    concern = submit(reporter_name="Agim Gashi", reporter_email="agim@example.org").concern
    services.triage_concern(actor_for("coordinator_n1"), concern=concern)
    (row,) = selectors.export_rows(actor_for("coordinator_n1"), selectors.QueueFilters())
    record = dict(zip(selectors.EXPORT_HEADER, row, strict=True))
    assert (record["reference"], record["status"], record["category"]) == (
        concern.reference,
        Status.TRIAGED,
        "public-order",
    )
    assert record["status_history"].endswith(f" {Status.TRIAGED}")
    assert "Agim" not in repr(row) and "agim@example.org" not in repr(row)


def test_the_plans_counts_follow_the_place_and_the_half_year(tree, actor_for):
    submit()
    submit(channel="phone", actor=actor_for("officer_n1a"))
    rejected = submit(**SOUTH).concern
    services.close_concern(actor_for("commander_s1"), concern=rejected, status=Status.REJECTED, reason="Jo.")
    now = half_year_of(timezone.localdate())
    before = half_year_of(date(2014, 3, 1))
    assert selectors.count_received([before, now]) == [0, 3]
    assert selectors.count_received([now], path=tree.n1.path) == [2]
    assert selectors.count_reported_by_officers([now]) == [1]
    assert selectors.count_reported_by_officers([now], path=tree.s1.path) == [0]
    assert selectors.count_outcome_returned([now]) == [1]
    assert selectors.count_outcome_returned([now], path=tree.n1.path) == [0]


def test_matching_concerns_are_those_seen_of_the_categories_since_then_in_the_sectors_or_bounds(
    tree, concerns, actor_for
):
    public_order = concerns["fresh"].category_id
    coordinator = actor_for("coordinator_n1")
    since = timezone.now() - timedelta(days=1)

    def refs(**where):
        rows = selectors.list_matching(coordinator, category_ids=[public_order], since=since, **where)
        return _refs(rows)

    # Not the held one, not the rejected one in n1b, not another category, not the south's.
    assert refs() == _refs([concerns["fresh"]])
    assert refs(sector_ids=[tree.n1b.pk]) == set()
    assert refs(bounds=(21.04, 42.54, 21.06, 42.56)) == _refs([concerns["fresh"]])
    assert refs(bounds=(21.1, 42.5, 21.2, 42.6)) == set()
    assert refs(exclude_ids=[concerns["fresh"].pk]) == set()
    later = selectors.list_matching(coordinator, category_ids=[public_order], since=timezone.now())
    assert not later.exists()


def test_service_times_follow_the_workflow(concerns, actor_for):
    """The first answer is the first reply or status change (not a note); closing sets
    the closure; held concerns are left out; a commander of another
    station sees none of them."""
    from cpis.concerns.models import ConcernEvent, EventKind

    fresh, late, closed = concerns["fresh"], concerns["late"], concerns["closed"]
    closed.refresh_from_db()
    services.add_note(Actor.system(), concern=fresh, text="Noted.")
    today = timezone.localdate()
    times = selectors.service_times(Actor.system(), start=today, end=today)
    rows = {int(i): n for n, i in enumerate(times.id)}
    held = concerns["held"]
    assert held.pk not in rows and {fresh.pk, late.pk, closed.pk, concerns["south"].pk} <= set(rows)
    assert np.isnan(times.first_contact[rows[fresh.pk]]) and np.isnan(times.closed[rows[fresh.pk]])
    # Assigning moves the status on, which the citizen reads with the tracking code.
    moved = ConcernEvent.objects.get(concern=late, kind=EventKind.STATUS)
    assert times.first_contact[rows[late.pk]] == pytest.approx(moved.at.timestamp(), abs=1e-6)
    closing = ConcernEvent.objects.get(concern=closed, kind=EventKind.STATUS)
    assert times.first_contact[rows[closed.pk]] == pytest.approx(closing.at.timestamp(), abs=1e-6)
    assert times.closed[rows[closed.pk]] == pytest.approx(closed.closed_at.timestamp(), abs=1e-6)
    assert set(times.period) == {0}
    lately = selectors.service_times(
        Actor.system(), start=today, end=today, also=(today - timedelta(days=30), today - timedelta(days=1))
    )
    assert len(lately) == len(times) and set(lately.period) == {0}
    assert len(selectors.service_times(actor_for("commander_s1"), path="", start=today, end=today)) == 1
    assert [c.pk for c in selectors.list_concerns_by_id(actor_for("commander_s1"), rows)] == [
        concerns["south"].pk
    ]
