"""The near-repeat push: where a category's last year shows near repeats, each new
event inside its window of raised risk tells the sector team once, with the
radius, the last day of raised risk and the places the records name."""

from datetime import timedelta

import numpy as np
import pytest
import time_machine
from django.utils import timezone, translation

from cpis.analytics import services
from cpis.analytics.models import NearRepeatPattern
from cpis.incidents.models import Incident, IncidentCategory
from cpis.notifications.models import Kind, Notification

from .conftest import N1A, TODAY, background, plant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


@pytest.fixture
def chains(tree):
    """A year of burglaries in n1a with chains (a burglary, then two more within
    100 m and a week), the newest chain ending today at a place named on its records."""
    rng = np.random.default_rng(7)
    background(tree.n1a, "burglary", years=1, per_week=20, seed=8, box=N1A)
    for start in rng.integers(8, 330, 60):
        x, y = rng.uniform(21.01, 21.09), rng.uniform(42.51, 42.59)
        days = [TODAY - timedelta(days=int(start) + d) for d in (0, 2, 5)]
        plant(
            tree.n1a,
            "burglary",
            days,
            lon=x + rng.normal(0, 3e-4, 3),
            lat=y + rng.normal(0, 3e-4, 3),
            source="c",
        )
    plant(tree.n1a, "burglary", [TODAY - timedelta(days=3), TODAY], lon=21.0503, lat=42.5502, source="new")
    Incident.objects.filter(source="new").update(place="Rruga Agim Ramadani")
    return tree


def test_a_new_burglary_in_a_near_repeat_pattern_tells_the_sector_team_once(chains, persona):
    officer, leader = persona("officer_n1a"), persona("leader_n1a")
    commander, elsewhere = persona("commander_n1"), persona("commander_s1")
    type(officer).objects.filter(pk__in=[officer.pk, leader.pk]).update(language="en")
    told = services.push_near_repeat_alerts(today=TODAY, permutations=99)
    alerts = Notification.objects.filter(kind=Kind.NEAR_REPEAT)
    assert told == alerts.count() > 0
    assert set(alerts.values_list("recipient_id", flat=True)) == {officer.pk, leader.pk}
    assert not alerts.filter(recipient__in=[commander, elsewhere]).exists()
    # Today's burglary at a named place: the radius, the last day of raised risk, the place.
    newest = alerts.filter(recipient=officer, body__contains="Rruga Agim Ramadani").order_by("-title")[0]
    until = (TODAY + timedelta(days=7)).strftime("%m/%d/%Y")
    assert newest.title.startswith("Near-repeat risk in Sector A: Burglary on 06/17/2026"), newest.title
    assert newest.title.endswith(f"m until {until}"), newest.title
    # Events older than the window of raised risk tell nobody.
    assert not alerts.filter(title__contains="06/09/2026").exists()
    # The next day's push tells nobody again of the same events.
    assert services.push_near_repeat_alerts(today=TODAY, permutations=99) == 0
    assert alerts.count() == told


def test_a_burglary_imported_later_in_the_day_is_told_at_the_next_check(chains, persona):
    officer, leader = persona("officer_n1a"), persona("leader_n1a")
    type(officer).objects.filter(pk__in=[officer.pk, leader.pk]).update(language="en")
    services.push_near_repeat_alerts(today=TODAY, permutations=99)
    pattern = NearRepeatPattern.objects.get()
    assert (pattern.unit, pattern.category.code) == (chains.north, "burglary")
    assert pattern.distance_m > 0 and pattern.days >= 7 and pattern.ratio > 1
    daily = Notification.objects.filter(kind=Kind.NEAR_REPEAT).count()
    # Nothing recorded since: the check tells nobody (the daily push told of everything before).
    assert services.push_near_repeat_for_new_incidents() == 0

    with time_machine.travel(f"{TODAY.isoformat()} 15:00 +02:00", tick=False):
        plant(chains.n1a, "burglary", [TODAY], lon=21.0801, lat=42.5207, source="later")
        Incident.objects.filter(source="later").update(place="Rruga UÇK")
        # Recorded today, but of a day long past: outside every window of raised risk.
        plant(chains.n1a, "burglary", [TODAY - timedelta(days=40)], lon=21.02, lat=42.58, source="late")
        # A category without a pattern tells nobody.
        plant(chains.n1a, "robbery", [TODAY], lon=21.03, lat=42.53, source="later")
        told = services.push_near_repeat_for_new_incidents()
        assert told == 2
        new = Notification.objects.filter(kind=Kind.NEAR_REPEAT).order_by("-id")[:2]
        assert {n.recipient_id for n in new} == {officer.pk, leader.pk}
        assert all("Rruga UÇK" in n.body and "Burglary on 06/17/2026" in n.title for n in new)
        # The next check, and the next day's push, tell nobody again of the same burglary.
        assert services.push_near_repeat_for_new_incidents() == 0
        assert services.push_near_repeat_alerts(today=TODAY, permutations=99) == 0
    assert Notification.objects.filter(kind=Kind.NEAR_REPEAT).count() == daily + 2


def test_without_a_pattern_nobody_is_told(tree, persona):
    persona("officer_n1a")
    background(tree.n1a, "burglary", years=1, per_week=20, seed=8, box=N1A)
    # A pattern kept from an earlier day that today's test no longer finds goes.
    NearRepeatPattern.objects.create(
        unit=tree.north,
        path=tree.north.path,
        category=IncidentCategory.objects.get(code="burglary"),
        distance_m=200,
        days=7,
        ratio=1.5,
        events=900,
        window_start=TODAY - timedelta(days=365),
        window_end=TODAY - timedelta(days=1),
        checked_until=timezone.now(),
    )
    assert services.push_near_repeat_alerts(today=TODAY, permutations=99) == 0
    assert not NearRepeatPattern.objects.exists()
    plant(tree.n1a, "burglary", [TODAY], lon=21.05, lat=42.55, source="later")
    assert services.push_near_repeat_for_new_incidents() == 0
    assert not Notification.objects.filter(kind=Kind.NEAR_REPEAT).exists()


def test_the_region_s_pattern_is_shown_to_its_sector_teams_and_to_no_other_region(tree, english):
    from django.urls import reverse

    NearRepeatPattern.objects.create(
        unit=tree.north,
        path=tree.north.path,
        category=IncidentCategory.objects.get(code="burglary"),
        distance_m=400,
        days=14,
        ratio=1.83,
        events=912,
        window_start=TODAY - timedelta(days=364),
        window_end=TODAY,
        checked_until=timezone.now(),
    )
    page = english("officer_n1a").get(reverse("analytics:near_repeat")).content.decode()
    assert "Patterns that alert sector teams" in page
    assert "North" in page and "912 events" in page and "1.83" in page
    elsewhere = english("commander_s1").get(reverse("analytics:near_repeat")).content.decode()
    assert "912 events" not in elsewhere and "No significant pattern in the last test." in elsewhere


@pytest.mark.parametrize(
    ("distance", "ending"),
    [(600, "raised within 600 m on the same day"), (0, "raised at the same place on the same day")],
)
def test_a_same_day_pattern_is_told_as_the_same_day_not_as_zero_days(tree, persona, distance, ending):
    officer = persona("officer_n1a")
    type(officer).objects.filter(pk=officer.pk).update(language="en")
    NearRepeatPattern.objects.create(
        unit=tree.north,
        path=tree.north.path,
        category=IncidentCategory.objects.get(code="burglary"),
        distance_m=distance,
        days=0,
        ratio=1.5,
        events=900,
        window_start=TODAY - timedelta(days=365),
        window_end=TODAY - timedelta(days=1),
        checked_until=timezone.now() - timedelta(hours=1),
    )
    plant(tree.n1a, "burglary", [TODAY], lon=21.05, lat=42.55, source="later")
    assert services.push_near_repeat_for_new_incidents() == 1
    title = Notification.objects.get(kind=Kind.NEAR_REPEAT).title
    assert title.startswith("Near-repeat risk" if distance else "Repeat risk") and title.endswith(ending), (
        title
    )
