"""Neighbourhood page benchmark (issue #15; target < 150 ms server time for the busiest
sector on the national demo).

Builds, for each engine, a throwaway database with the whole national demo (`cpis
load_demo --scale national`: 331 sectors, about 1,000,000 incidents over five years,
50,000 concerns, forums, problems, surveys) — `cpis_bench_neighbourhood` on PostgreSQL
127.0.0.1:5432 (trust auth), var/bench_neighbourhood.sqlite3 for SQLite; `--reuse` keeps
the last ones — and finds the busiest sector: the one with the most incidents.

Measured in the same process and run, each the median, min and max of RUNS requests
after one warm-up, anonymous, through Django's test client (the whole middleware stack,
the view, the template):
1. the sector's neighbourhood page, GET /places/<place>/;
2. its open data: figures.json (counts and the map's snapped cells), figures.csv, map.csv;
3. the floors: the same server's lightest view (/healthz/live: the middleware, no
   database, no template), and the bare SQL of the page's figures — the two GROUP BY
   counts (incidents and concerns by category and month for the sector) through Django's
   cursor, with nothing built from them.

Before any time counts, the page's figures (incidents and concerns by category and month)
are checked against the floor SQL's. Exits non-zero if the page's median on PostgreSQL is
150 ms or more.

    python bench/neighbourhood.py [--reuse] [--engine postgresql|sqlite]
"""

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_neighbourhood"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench_neighbourhood.sqlite3'}",
}
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
TARGET_MS = 150.0


def setup(engine: str, reuse: bool) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
        "DATABASE_URL": DATABASES[engine],
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    if not reuse:
        print(f"{engine}: building the national demo (about 1,000,000 incidents)…", flush=True)
        start = time.perf_counter()
        django_command = [sys.executable, "-m", "django"]
        child_env = {**os.environ, **env}
        if engine == "postgresql":
            stack.reset_database(DB_NAME)
            subprocess.run([*django_command, "migrate", "--no-input", "-v0"], env=child_env, check=True)
            subprocess.run(
                [*django_command, "load_demo", "--scale", "national"],
                env=child_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            subprocess.run(
                [*django_command, "load_demo", "--fresh", "--scale", "national"],
                env=child_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        print(f"{engine}: built in {time.perf_counter() - start:.0f} s.", flush=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)  # the page's static manifest
    call_command("migrate", interactive=False, verbosity=0)  # on a kept database: a new index, say
    with connection.cursor() as cursor:
        # The planner's statistics and the visibility map, as autovacuum leaves a live database.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(function, runs: int = RUNS) -> dict:
    return stack.timed(function, runs)


def floor_sql(sector, start: date, end: date):
    """The bare SQL of the page's figures: incidents and concerns of the sector by
    category and month, public categories only, as the page counts them."""
    from django.db import connection
    from django.utils import timezone

    if connection.vendor == "postgresql":
        month_incident = "date_trunc('month', occurred_on)::date"
        zone = timezone.get_current_timezone_name()
        month_concern = f"date_trunc('month', created_at AT TIME ZONE '{zone}')::date"
    else:
        month_incident = "substr(occurred_on, 1, 7)"
        month_concern = None  # local months from Python below: SQLite has no time zones
    incidents = (
        f"SELECT category_id, {month_incident}, COUNT(*) FROM incidents_incident "
        "WHERE unit_path = %s AND occurred_on >= %s AND occurred_on < %s AND category_id NOT IN "
        "(SELECT id FROM incidents_incidentcategory WHERE code IN ('domestic-violence', 'sexual-offence')) "
        "GROUP BY 1, 2"
    )
    concerns_where = (
        "FROM concerns_concern c JOIN concerns_category k ON k.id = c.category_id "
        "WHERE c.sector_id = %s AND NOT c.is_held AND c.duplicate_of_id IS NULL AND NOT k.is_sensitive "
        "AND c.status NOT IN ('duplicate', 'rejected') AND c.created_at >= %s AND c.created_at < %s"
    )
    zone = timezone.get_current_timezone()
    from datetime import UTC, datetime
    from datetime import time as clock

    bounds = [datetime.combine(start, clock.min, tzinfo=zone), datetime.combine(end, clock.min, tzinfo=zone)]

    def run() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(incidents, [sector.path, start, end])
            counted = {("incidents", c, str(m)[:7]): n for c, m, n in cursor.fetchall()}
            if month_concern:
                cursor.execute(
                    f"SELECT c.category_id, {month_concern}, COUNT(*) {concerns_where} GROUP BY 1, 2",
                    [sector.pk, *bounds],
                )
                counted |= {("concerns", c, str(m)[:7]): n for c, m, n in cursor.fetchall()}
            else:
                # SQLite keeps UTC times as text: compare and read them as such.
                utc = [b.astimezone(UTC).replace(tzinfo=None).isoformat(" ") for b in bounds]
                cursor.execute(f"SELECT c.category_id, c.created_at {concerns_where}", [sector.pk, *utc])
                for c, moment in cursor.fetchall():
                    if isinstance(moment, str):
                        moment = datetime.fromisoformat(moment)
                    if moment.tzinfo is None:
                        moment = moment.replace(tzinfo=UTC)
                    key = ("concerns", c, timezone.localtime(moment, zone).strftime("%Y-%m"))
                    counted[key] = counted.get(key, 0) + 1
        return counted

    return run


def measure(engine: str) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    from cpis.concerns.models import Category
    from cpis.incidents.models import Incident, IncidentCategory
    from cpis.organisation.models import Unit
    from cpis.portal import selectors

    busiest = (
        Incident.objects.filter(sector__isnull=False)
        .values("sector_id")
        .annotate(n=Count("id"))
        .order_by("-n", "sector_id")
        .first()
    )
    sector = Unit.objects.get(pk=busiest["sector_id"])
    page = selectors.place_url(sector)
    client = Client(SERVER_NAME="127.0.0.1")

    # The answers first: the page's tables are the floor's counts.
    setup_test_environment()  # the page's context, for this check only (not timed)
    response = client.get(page)
    teardown_test_environment()
    assert response.status_code == 200, response.status_code
    figures = response.context["figures"]
    floor = floor_sql(sector, figures.start, figures.end)
    codes = {("incidents", c.code): c.pk for c in IncidentCategory.objects.all()}
    codes |= {("concerns", c.code): c.pk for c in Category.objects.all()}
    shown = {
        (table.kind, codes[(table.kind, series.code)], month.strftime("%Y-%m")): n
        for table in (figures.incidents, figures.concerns)
        for series in table.series
        for month, n in zip(figures.months, series.counts, strict=True)
        if n
    }
    assert shown == floor(), "the page's figures differ from the floor's SQL"

    rows = {}
    for name, url in (
        ("page", page),
        ("figures.json", page + "figures.json"),
        ("figures.csv", page + "figures.csv"),
        ("map.csv", page + "map.csv"),
        ("floor: /healthz/live", "/healthz/live"),
    ):
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        count = len(queries.captured_queries)  # now: each request clears the log it reads from
        rows[name] = {**timed(lambda url=url: client.get(url)), "queries": count}
    rows["floor: bare SQL of the figures"] = {**timed(floor), "queries": 2}
    result = {
        "engine": engine,
        "sector": {"id": sector.pk, "place": selectors.place_slug(sector), "incidents": busiest["n"]},
        "months": [m.strftime("%Y-%m") for m in figures.months],
        "counted": {"incidents": figures.incidents.total, "concerns": figures.concerns.total},
        "rows": rows,
        "machine": stack.machine(),
    }
    for name, row in rows.items():
        print(
            f"{engine:<10} {name:<32} median {row['median']:7.1f} ms  (min {row['min']:.1f}, "
            f"max {row['max']:.1f})  {row['queries']} queries",
            flush=True,
        )
    return result


def child(engine: str, reuse: bool, out: Path) -> None:
    setup(engine, reuse)
    out.write_text(json.dumps(measure(engine)))


def main() -> None:
    reuse = "--reuse" in sys.argv
    results = stack.per_engine(__file__, list(DATABASES), lambda engine, out: child(engine, reuse, out))
    if results is None:
        return

    print(f"\nThe busiest sector's neighbourhood page, median (min–max) of {RUNS} requests, ms")
    print("| engine | request | median | min | max | queries |")
    print("|---|---|---:|---:|---:|---:|")
    failures = []
    for result in results:
        for name, row in result["rows"].items():
            print(
                f"| {result['engine']} | {name} | {row['median']:.1f} | {row['min']:.1f} | {row['max']:.1f} "
                f"| {row['queries']} |"
            )
        page = result["rows"]["page"]["median"]
        if result["engine"] == "postgresql" and page >= TARGET_MS:
            failures.append(f"postgresql: the page's median {page:.1f} ms ≥ {TARGET_MS:.0f} ms")
    for result in results:
        print(f"{result['engine']}: sector {result['sector']} · counted {result['counted']}")
        print("Machine: " + json.dumps(result["machine"]))
    report = {
        "workload": "the neighbourhood page of the busiest sector (most incidents) on the national demo, "
        "anonymous, and its open data; floors: /healthz/live and the bare SQL of the figures",
        "runs": RUNS,
        "target_ms": TARGET_MS,
        "results": results,
        "met": not failures,
        "date": time.strftime("%Y-%m-%d"),
    }
    stack.finish(
        "neighbourhood", report, failures, f"Met: the page's median under {TARGET_MS:.0f} ms on PostgreSQL."
    )


if __name__ == "__main__":
    main()
