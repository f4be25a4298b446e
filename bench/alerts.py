"""Alerts fan-out benchmark (issue #15): one event matching 10,000
subscriptions, queued through the outbox, on SQLite and PostgreSQL.

Builds, for each engine, a throwaway database — `cpis_bench_alerts` on
PostgreSQL 127.0.0.1:5432 (trust auth), var/bench_alerts.sqlite3 for SQLite —
with the organisation demo at national scale (331 sectors), a forum in one
sector, MATCHING confirmed subscriptions that the forum's meetings concern
(four in five follow the sector, one in five a 1 km circle around its centre;
Albanian, Serbian and English), as many again elsewhere that must not match,
and some pending and unsubscribed ones in the sector that must not either.

Measured in the same process and run, each the median, min and max of RUNS:
1. the fan-out: `services.fan_out_news` of a newly planned public meeting —
   finding the matching subscriptions, rendering the alert once per
   language, signing each subscriber's links, and bulk-inserting the
   dedupe keys and the outbox rows in one transaction;
2. the floor: a plain bulk insert of the same rows (the same outbox rows,
   body and headers included, and the same dedupe keys) with the same
   prepared INSERTs (multi-row INSERTs) in one transaction — nothing else;
3. for reference, the same rows through the ORM's `bulk_create`, which the
   fan-out does not use: it spends most of its time building SQL.
Before timing, a run is checked: MATCHING outbox rows, each to a matching
address with its own List-Unsubscribe, and none to the others.

Then the rate: with OUTBOX_RATE_PER_MINUTE = RATE, two sweeps in the same
minute send RATE messages and then none; the rest wait for the next minutes.
Exits non-zero when a fan-out median is 2 s or more.

    python bench/alerts.py [--engine postgresql|sqlite]
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_alerts"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench_alerts.sqlite3'}",
}
MATCHING = int(os.environ.get("BENCH_SUBSCRIPTIONS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
RATE = 600
TARGET_S = 2.0
SEED = 2012


def setup(engine: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
            "DATABASE_URL": DATABASES[engine],
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "OUTBOX_RATE_PER_MINUTE": str(RATE),
        }
    )
    sys.path.insert(0, str(ROOT))
    if engine == "postgresql":
        stack.reset_database(DB_NAME)
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "bench_alerts.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from cpis.organisation import demo as organisation_demo

    call_command("migrate", interactive=False, verbosity=0)
    organisation_demo.load_demo(scale="national", seed=SEED, today=timezone.localdate())


def build() -> dict:
    """The subscriptions; returns the sector, its forum and the matching addresses."""
    import secrets

    from django.db import connection, transaction
    from django.utils import timezone

    from cpis.alerts import geo
    from cpis.alerts.models import Status, Subscription, SubscriptionSector
    from cpis.forums.tests.factories import ForumFactory
    from cpis.organisation.geo import geometry_from_geojson
    from cpis.organisation.models import Unit, UnitKind

    sectors = list(Unit.objects.filter(kind=UnitKind.SECTOR, boundary__isnull=False).order_by("path"))
    sector, others = (
        sectors[len(sectors) // 2],
        [
            s
            for s in sectors
            if s.path[:-1].rsplit("/", 1)[0] != sectors[len(sectors) // 2].path[:-1].rsplit("/", 1)[0]
        ],
    )
    centre = geometry_from_geojson(sector.boundary).representative_point()
    circle_sectors = geo.sectors_touched(lat=centre.y, lon=centre.x, radius_m=1000)
    assert sector.pk in circle_sectors
    now = timezone.now()
    languages = ("sq", "sr", "en", "sq", "sr")
    rows, areas, matching = [], [], set()

    def add(email: str, *, at: Unit | None, status: str = Status.CONFIRMED, n: int) -> Subscription:
        subscription = Subscription(
            email=email,
            language=languages[n % len(languages)],
            sector=at,
            lat=None if at else round(centre.y, 5),
            lon=None if at else round(centre.x, 5),
            radius_m=None if at else 1000,
            area_key=f"sector:{at.pk}" if at else f"circle:{n}",
            secret=secrets.token_urlsafe(24),
            status=status,
            confirm_sent_at=now,
            confirmed_at=now if status == Status.CONFIRMED else None,
            unsubscribed_at=now if status == Status.UNSUBSCRIBED else None,
        )
        rows.append(subscription)
        return subscription

    for n in range(MATCHING):
        email = f"m{n}@example.org"
        add(email, at=sector if n % 5 else None, n=n)
        matching.add(email)
    for n in range(MATCHING):
        add(f"x{n}@example.org", at=others[n % len(others)], n=n)
    for n in range(200):
        add(f"p{n}@example.org", at=sector, status=Status.PENDING, n=n)
        add(f"u{n}@example.org", at=sector, status=Status.UNSUBSCRIBED, n=n)
    with transaction.atomic():
        Subscription.objects.bulk_create(rows, batch_size=2000)
        for subscription in rows:
            if subscription.sector_id:
                areas.append(SubscriptionSector(subscription=subscription, sector_id=subscription.sector_id))
            else:
                areas += [SubscriptionSector(subscription=subscription, sector_id=s) for s in circle_sectors]
        SubscriptionSector.objects.bulk_create(areas, batch_size=5000)
        forum = ForumFactory(unit=sector, name="Komiteti Lokal për Siguri Publike")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "sector": sector,
        "forum": forum,
        "matching": matching,
        "subscriptions": len(rows),
        "areas": len(areas),
    }


def new_news(forum):
    from datetime import timedelta

    from django.utils import timezone

    from cpis.alerts import selectors
    from cpis.forums.tests.factories import MeetingFactory

    meeting = MeetingFactory(forum=forum, is_public=True, starts_at=timezone.now() + timedelta(days=7))
    news = [
        n
        for n in selectors.list_news_since("meetings", meeting.updated_at - timedelta(seconds=1))
        if n.record.pk == meeting.pk
    ]
    return news[0]


def clear() -> None:
    from cpis.alerts.models import Delivery, Event
    from cpis.core.models import OutboxMessage

    OutboxMessage.objects.all().delete()
    Delivery.objects.all().delete()
    Event.objects.all().delete()


def check(news, matching: set[str]) -> None:
    from cpis.alerts import services
    from cpis.core.models import OutboxMessage

    assert services.fan_out_news(news) == MATCHING
    assert services.fan_out_news(news) == 0  # never twice
    rows = list(OutboxMessage.objects.values_list("to_email", "headers", "body"))
    assert len(rows) == MATCHING
    assert {row[0] for row in rows} == matching
    assert len({row[1]["List-Unsubscribe"] for row in rows}) == MATCHING
    assert all(row[1]["List-Unsubscribe"][1:-1] in row[2] for row in rows)


def time_fan_out(forum) -> float:
    from cpis.alerts import services

    news = new_news(forum)
    start = time.perf_counter()
    queued = services.fan_out_news(news)
    elapsed = time.perf_counter() - start
    assert queued == MATCHING
    return elapsed


def _same_rows(forum):
    """The rows one fan-out writes, read back: (outbox values, subscription ids, news)."""
    from cpis.alerts import services
    from cpis.alerts.models import Delivery
    from cpis.core.models import OutboxMessage

    news = new_news(forum)
    services.fan_out_news(news)
    values = list(OutboxMessage.objects.values_list(*FIELDS))
    keys = list(Delivery.objects.values_list("subscription_id", flat=True))
    clear()
    return values, keys, news


FIELDS = ("record_type", "record_id", "to_email", "language", "subject", "body", "headers")


def time_floor(forum) -> float:
    """The floor: the same rows — the outbox rows the fan-out wrote and the
    same dedupe keys, under a fresh event — written with the same prepared
    INSERTs (multi-row INSERTs) in one transaction, nothing else."""
    from django.db import transaction

    from cpis.alerts import services
    from cpis.alerts.models import Event
    from cpis.core import outbox

    values, keys, news = _same_rows(forum)
    event = Event.objects.create(key="floor", topic="meetings", place_path="x/", happened_at=news.happened_at)
    start = time.perf_counter()
    with transaction.atomic():
        services._insert_deliveries([(pk, event.pk) for pk in keys])
        queued = outbox.queue_bulk([outbox.BulkMessage(*row) for row in values])
    elapsed = time.perf_counter() - start
    assert queued == MATCHING
    return elapsed


def time_orm_bulk_create(forum) -> float:
    """For reference: the same rows through the ORM's bulk_create."""
    from django.db import transaction

    from cpis.alerts.models import Delivery, Event
    from cpis.core.models import OutboxMessage

    values, keys, news = _same_rows(forum)
    event = Event.objects.create(key="orm", topic="meetings", place_path="x/", happened_at=news.happened_at)
    start = time.perf_counter()
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [Delivery(subscription_id=pk, event=event) for pk in keys], batch_size=2000
        )
        copies = [OutboxMessage(**dict(zip(FIELDS, row, strict=True)), bulk=True) for row in values]
        OutboxMessage.objects.bulk_create(copies, batch_size=2000)
    elapsed = time.perf_counter() - start
    assert len(copies) == MATCHING
    return elapsed


def rate() -> dict:
    """Two sweeps within one minute send RATE messages, then none."""
    from django.core import mail

    from cpis.core import outbox
    from cpis.core.models import OutboxMessage

    while time.time() % 60 > 40:  # both sweeps inside one calendar minute
        time.sleep(1)
    mail.outbox = []
    start = time.perf_counter()
    first = outbox.deliver_due(limit=100_000)
    sweep = time.perf_counter() - start
    second = outbox.deliver_due(limit=100_000)
    left = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    assert first == RATE
    assert second == 0
    assert len(mail.outbox) == RATE
    return {
        "rate_per_minute": RATE,
        "first_sweep_sent": first,
        "first_sweep_seconds": round(sweep, 3),
        "second_sweep_same_minute_sent": second,
        "left_for_later_minutes": left,
    }


def summary(values: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(values), 3),
        "min_s": round(min(values), 3),
        "max_s": round(max(values), 3),
    }


def main() -> None:
    engine = sys.argv[sys.argv.index("--engine") + 1] if "--engine" in sys.argv else "sqlite"
    setup(engine)
    built = build()
    check(new_news(built["forum"]), built["matching"])
    clear()
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(time_fan_out, built["forum"])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        clear()
    fan_out, floor, orm = [], [], []
    for _ in range(RUNS):
        fan_out.append(time_fan_out(built["forum"]))
        clear()
        floor.append(time_floor(built["forum"]))
        clear()
        orm.append(time_orm_bulk_create(built["forum"]))
        clear()
    time_fan_out(built["forum"])  # queued, for the rate
    result = {
        "engine": engine,
        "machine": stack.machine(),
        "matching_subscriptions": MATCHING,
        "subscriptions": built["subscriptions"],
        "subscription_sectors": built["areas"],
        "runs": RUNS,
        "fan_out": summary(fan_out),
        "floor_same_rows_plain_insert": summary(floor),
        "reference_same_rows_orm_bulk_create": summary(orm),
        "ratio_to_floor": round(statistics.median(fan_out) / statistics.median(floor), 2),
        "rate": rate(),
        "target_s": TARGET_S,
    }
    out = ROOT / "bench" / "results" / f"alerts_{engine}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if result["fan_out"]["median_s"] >= TARGET_S:
        sys.exit(f"fan-out median {result['fan_out']['median_s']} s ≥ {TARGET_S} s")


if __name__ == "__main__":
    main()
