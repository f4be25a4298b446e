"""Demo subscriptions: residents of the sectors whose forums plan public
meetings, confirmed, at example.org addresses (a reserved domain: nothing
reaches a real person), and one circle around the first such sector's
centre. The watermarks start at the load, so the demo's own history is not
sent; what staff do after it is (`cpis run_scheduled` runs the fan-out)."""

import secrets
from datetime import date

import shapely
from django.db import transaction
from django.utils import timezone

from cpis.forums.models import Meeting, MeetingStatus
from cpis.organisation.geo import geometry_from_geojson
from cpis.organisation.models import Unit, UnitKind

from . import geo
from .models import Event, Status, Subscription, SubscriptionSector, Topic, Watermark
from .selectors import serving_paths
from .services import OVERLAP

SECTORS = {"small": 6, "standard": 12, "national": 24}
LANGUAGES = ("sq", "sr", "sq", "en")


def clear_demo() -> None:
    Subscription.objects.all().delete()
    Event.objects.all().delete()
    Watermark.objects.all().delete()


def _sectors_with_public_meetings(limit: int) -> list[Unit]:
    forum_paths = set(
        Meeting.objects.filter(status=MeetingStatus.PLANNED, is_public=True)
        .values_list("forum__unit_path", flat=True)
        .distinct()
    )
    chosen = []
    for sector in Unit.objects.filter(kind=UnitKind.SECTOR, boundary__isnull=False).order_by("path"):
        if forum_paths & set(serving_paths(sector.path)):
            chosen.append(sector)
        if len(chosen) >= limit:
            break
    return chosen


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    sectors = _sectors_with_public_meetings(SECTORS.get(scale, 12))
    if not sectors:
        return []
    now = timezone.now()
    made = []
    for number, sector in enumerate(sectors):
        subscription = Subscription.objects.create(
            email=f"banori.{sector.code}@example.org",
            language=LANGUAGES[number % len(LANGUAGES)],
            sector=sector,
            area_key=f"sector:{sector.pk}",
            secret=secrets.token_urlsafe(24),
            status=Status.CONFIRMED,
            confirm_sent_at=now,
            confirmed_at=now,
            reports=True,
        )
        SubscriptionSector.objects.create(subscription=subscription, sector=sector)
        made.append(subscription)
    centre = shapely.Point(geometry_from_geojson(sectors[0].boundary).representative_point())
    lat, lon, radius = round(centre.y, 5), round(centre.x, 5), 1500
    circle = Subscription.objects.create(
        email="banorja.rrethi@example.org",
        language="sq",
        lat=lat,
        lon=lon,
        radius_m=radius,
        area_key=f"circle:{lat:.5f},{lon:.5f},{radius}",
        secret=secrets.token_urlsafe(24),
        status=Status.CONFIRMED,
        confirm_sent_at=now,
        confirmed_at=now,
        solved=False,
    )
    SubscriptionSector.objects.bulk_create(
        [
            SubscriptionSector(subscription=circle, sector_id=sector_id)
            for sector_id in geo.sectors_touched(lat=lat, lon=lon, radius_m=radius)
        ]
    )
    for topic in Topic.values:
        # Past the fan-out's look-back, so that nothing the demo wrote goes out.
        Watermark.objects.update_or_create(topic=topic, defaults={"scanned_to": now + OVERLAP})
    return [
        f"Alerts: {len(made)} confirmed sector subscriptions (banori.<sector code>@example.org) "
        f"and one circle of {radius} m; news from now on is sent by `cpis run_scheduled`."
    ]
