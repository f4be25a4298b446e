"""The media demo: a few thousand reports consistent with the forums demo, and the
figures the coverage selectors and the evaluation's section give equal to the tone
planted in it (within the sampling error)."""

import math
from collections import Counter
from datetime import date

from cpis.forums import demo as forums_demo
from cpis.forums.models import PressRelease
from cpis.media import demo, selectors
from cpis.media.evaluation import section
from cpis.media.models import MediaItem, MediaPlace, Outlet
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Unit, UnitKind

TODAY = date(2026, 11, 1)


def _planted(items, active, start, end):
    """The expected positive and negative shares of these reports, from the planted rule."""
    positive = negative = 0.0
    for day, topic, path in items:
        p, _n, q = demo.shares(topic, forum_active=path in active, day=day, start=start, end=end)
        positive += p
        negative += q
    return positive / len(items), negative / len(items)


def test_the_demo_plants_a_tone_the_figures_find(db):
    """One test, as loading the demo takes seconds."""
    load_organisation(scale="small", seed=2012, today=TODAY)
    forums_demo.load_demo(scale="small", seed=2012, today=TODAY)
    lines = demo.load_demo(scale="small", seed=2012, today=TODAY)
    assert lines and lines[0].startswith("Media:")
    start, end = demo.window(TODAY)

    total = MediaItem.objects.count()
    assert 2000 < total < 4000
    assert Outlet.objects.count() == len(demo.OUTLETS)
    assert not MediaItem.objects.filter(published_on__lt=start).exists()
    assert not MediaItem.objects.filter(published_on__gt=end).exists()
    assert MediaPlace.objects.count() == total  # one place each
    kinds = set(MediaPlace.objects.values_list("unit__kind", flat=True))
    assert kinds == {UnitKind.SECTOR, UnitKind.STATION, UnitKind.REGION}
    # Links to press releases go to a release of the report's station, published before it.
    through = MediaItem.press_releases.through
    links = list(through.objects.values_list("mediaitem_id", "pressrelease_id"))
    assert links
    for item_id, release_id in links[:50]:
        item = MediaItem.objects.get(pk=item_id)
        release = PressRelease.objects.select_related("forum").get(pk=release_id)
        place = item.places.get().unit_path
        assert release.forum.unit_path.split("/")[:3] == place.split("/")[:3]
        assert 0 <= (item.published_on - release.published_at.date()).days <= 10

    # The planted tone: sectors with an active forum against the other sectors.
    active = demo.forum_sectors()
    rows = list(
        MediaPlace.objects.filter(unit__kind=UnitKind.SECTOR).values_list(
            "item__published_on", "item__topic__code", "unit_path", "item__tone"
        )
    )
    for group in (True, False):
        chosen = [r for r in rows if (r[2] in active) is group]
        observed = Counter(r[3] for r in chosen)
        n = len(chosen)
        assert n > 200
        expected_positive, expected_negative = _planted([r[:3] for r in chosen], active, start, end)
        se = math.sqrt(expected_positive * (1 - expected_positive) / n)
        assert abs(observed["positive"] / n - expected_positive) < 4 * se, group
        se = math.sqrt(expected_negative * (1 - expected_negative) / n)
        assert abs(observed["negative"] / n - expected_negative) < 4 * se, group

    # The national section for the last full half-year against the planted truth.
    half = (date(2026, 1, 1), date(2026, 6, 30))
    root = Unit.objects.get(parent__isnull=True)
    result = section(root, *half)
    assert result is not None
    comparison = result.to_json()["tables"][1]["rows"][0]
    items = list(
        MediaPlace.objects.filter(item__published_on__range=half).values_list(
            "item__published_on", "item__topic__code", "unit_path"
        )
    )
    assert comparison[2] == len(items)
    p, q = _planted(items, active, start, end)
    n = len(items)
    se = math.sqrt((p + q - (p - q) ** 2) / n)
    assert abs(comparison[5] - (p - q)) < 4 * se
    assert comparison[6] < comparison[5] < comparison[7]
    # ... and the coverage page's figures for a region equal the section's for it.
    region = Unit.objects.filter(kind=UnitKind.REGION).order_by("path").first()
    regional = section(region, *half)
    assert regional is not None
    from cpis.organisation.access import Actor

    figures = selectors.coverage(Actor.system(), selectors.Filters(unit=region, start=half[0], end=half[1]))
    assert figures.totals.total == regional.to_json()["tables"][0]["rows"][-1][4]

    # Deterministic: cleared and loaded again, the same log.
    first = list(MediaItem.objects.order_by("published_on", "headline").values_list("headline", "tone")[:200])
    demo.clear_demo()
    assert not MediaItem.objects.exists()
    demo.load_demo(scale="small", seed=2012, today=TODAY)
    again = list(MediaItem.objects.order_by("published_on", "headline").values_list("headline", "tone")[:200])
    assert first == again
