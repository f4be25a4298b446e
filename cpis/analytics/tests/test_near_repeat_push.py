"""The near-repeat push: where a category's last year shows near repeats, each new
event inside its window of raised risk tells the sector team once, with the
radius, the last day of raised risk and the places the records name."""

from datetime import timedelta

import numpy as np
import pytest
import time_machine
from django.utils import translation

from cpis.analytics import services
from cpis.incidents.models import Incident
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


def test_without_a_pattern_nobody_is_told(tree, persona):
    persona("officer_n1a")
    background(tree.n1a, "burglary", years=1, per_week=20, seed=8, box=N1A)
    assert services.push_near_repeat_alerts(today=TODAY, permutations=99) == 0
    assert not Notification.objects.filter(kind=Kind.NEAR_REPEAT).exists()
