"""The demo concerns give the public reports map something to show: approved
summaries on a share of recent concerns in public categories, never in
sensitive ones, and supports counted as the service counts them."""

import pytest
from django.db.models import Count, F
from django.utils import timezone

from cpis.concerns import demo, selectors
from cpis.concerns.models import Concern
from cpis.organisation.demo import load_demo as load_organisation


@pytest.fixture
def loaded(db):
    today = timezone.localdate()
    load_organisation(scale="small", seed=7, today=today)
    return demo.load_demo(scale="small", seed=7, today=today)


def test_the_demo_publishes_summaries_on_a_realistic_share_and_the_map_shows_them(loaded, client):
    public = selectors.public_concerns()
    recent = Concern.objects.filter(
        created_at__gte=timezone.now() - timezone.timedelta(days=demo.PUBLIC_DAYS),
        category__is_sensitive=False,
    )
    assert 0.2 * recent.count() <= public.count() <= 0.5 * recent.count()
    assert (
        not Concern.objects.filter(category__is_sensitive=True)
        .exclude(public_summary_approved_at=None)
        .exists()
    )
    assert not public.filter(public_summary=F("description")).exists()
    assert public.filter(support_count__gt=0).exists()
    counted = Concern.objects.annotate(n=Count("supports")).exclude(n=F("support_count"))
    assert not counted.exists()
    assert any("public" in line for line in loaded)
    assert len(client.get("/reports/reports.geojson").json()["features"]) > 20
