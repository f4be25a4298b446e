"""Outlets, topics and reports for the media tests."""

from datetime import date

import pytest

from cpis.media import services
from cpis.media.categories import seed as seed_topics
from cpis.media.models import Outlet, OutletKind, Topic


@pytest.fixture
def topics(db):
    """The seed topics, by code (put back after a transactional test's flush)."""
    if not Topic.objects.exists():
        seed_topics(Topic)
    return {t.code: t for t in Topic.objects.all()}


@pytest.fixture
def outlets(db):
    return {
        "tv": Outlet.objects.create(name="TV Agimi", kind=OutletKind.TV, language="sq", reach=1000),
        "online": Outlet.objects.create(name="Portali Sinjali", kind=OutletKind.ONLINE, language="sq"),
        "radio": Outlet.objects.create(name="Radio Zvono", kind=OutletKind.RADIO, language="sr"),
    }


@pytest.fixture
def log(actor_for, outlets, topics):
    """log(unit, tone=..., day=..., ...) → a report logged by the system."""
    counter = iter(range(1, 100_000))

    def make(
        unit, *, tone="neutral", day=date(2025, 3, 10), topic="crime", outlet="tv", url="", units=None, **more
    ):
        n = next(counter)
        return services.log_item(
            actor_for("admin"),
            published_on=day,
            outlet=outlets[outlet],
            headline=more.pop("headline", f"Report number {n}"),
            topic=topics[topic],
            tone=tone,
            units=units or [unit],
            url=url,
            **more,
        )

    return make


@pytest.fixture(autouse=True)
def _english():
    """Messages and labels are asserted in English: the site's default language
    is Albanian, whose catalogue translates them (a test of another language
    overrides it inside)."""
    from django.utils import translation

    with translation.override("en"):
        yield
