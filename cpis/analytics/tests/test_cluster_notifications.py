"""A new emerging cluster from the scan is told to the policing roles over its
sector, once; a cluster the scan only extends tells nobody again."""

import pytest
import time_machine
from django.utils import translation

from cpis.analytics import analyses, services
from cpis.notifications.models import Kind, Notification
from cpis.organisation.access import Actor

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +02:00", tick=False), translation.override("en"):
        yield


def test_a_new_cluster_tells_the_policing_roles_over_its_sector_once(city, persona):
    commander, leader = persona("commander_n1"), persona("leader_n1a")
    elsewhere, standards = persona("commander_s1"), persona("standards")
    outcome = analyses.scan(
        Actor.system(),
        analyses.Scope(unit=city.n1, categories=("burglary",)),
        replicates=99,
        days=365,
        cell=500,
    )
    [cluster] = services.save_clusters(outcome)
    services.save_clusters(outcome)
    told = Notification.objects.filter(kind=Kind.EMERGING_CLUSTER)
    assert set(told.values_list("recipient_id", flat=True)) == {commander.pk, leader.pk}
    assert not told.filter(recipient__in=[elsewhere, standards]).exists()
    assert told.filter(recipient=commander).get().key == f"analytics.cluster:{cluster.pk}"
    # Clusters are told daily by default: in the inbox, waiting for the digest.
    assert set(told.values_list("mode", flat=True)) == {"daily"}
