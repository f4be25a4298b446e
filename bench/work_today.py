"""The staff home, "my work today" (issue #15): what every app asks of a person
now, counted at their places, on the national demo; target < 150 ms server time
for the directorate.

Builds, for each engine, the national demo (`cpis load_demo --scale national`:
331 sectors, 50,000 concerns, 5,516 forum action items, 500 problems with their
actions, three survey waves with 29,000 responses, the action plan, the daily
scan's clusters…) in a throwaway database — `cpis_bench_work_today` on
PostgreSQL 127.0.0.1:5432 (trust auth), var/bench_work_today.sqlite3 for SQLite
(`--reuse` keeps the last ones) — and measures in the same process and run, for
the directorate (every place in the country), a station commander, a sector
officer and professional standards, each the median, min and max of RUNS
requests after one warm-up, through Django's test client, signed in:

1. the page: GET /staff/ (middleware, session, every app's work items, the
   template);
2. the work items alone: `core.registry.work_today(actor)` (the queries and
   their Python, no request);
3. the floors: the same stack's page that reads nothing (GET /healthz/live
   through the same client: the middleware, no database), and the bare SQL of
   the work items — the statements the page ran, replayed through Django's
   cursor;
4. for comparison, what the old home computed: the five totals of each of the
   person's places (`organisation.selectors.summarise_unit`).

Before any time counts, the page is checked to show every item `work_today`
counts, with its count and link, and the same number of queries on every
request. Exits non-zero if the directorate's median page time is 150 ms or more
on any engine.

    python bench/work_today.py [--reuse] [--engine postgresql|sqlite]
"""

import json
import os
import sys
import time
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_work_today"
SQLITE_FILE = ROOT / "var" / "bench_work_today.sqlite3"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{SQLITE_FILE}",
}
RUNS = int(os.environ.get("BENCH_RUNS", "31"))
PERSONAS = ("directorate", "station.commander", "sector.officer", "professional.standards")
TARGET_MS = 150.0
TARGET_PERSONA = "directorate"


def setup(engine: str, reuse: bool) -> None:
    # Signed in by the test client: no second factor to give.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
            "DATABASE_URL": DATABASES[engine],
            "LOG_LEVEL": "WARNING",
            "MFA_REQUIRED_ROLES": "",
        }
    )
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    if not reuse:
        if engine == "postgresql":
            stack.reset_database(DB_NAME)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)  # the page's static manifest
    call_command("migrate", interactive=False, verbosity=0)
    if not reuse:
        print(f"{engine}: loading the national demo…", flush=True)
        start = time.perf_counter()
        call_command("load_demo", scale="national", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"{engine}: loaded in {time.perf_counter() - start:.0f} s.", flush=True)
    elif not get_user_model().objects.filter(username=TARGET_PERSONA).exists():
        sys.exit(f"{engine}: the kept database has no national demo; run without --reuse.")
    with connection.cursor() as cursor:
        # The planner's statistics, as a live database has them.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(function, runs: int = RUNS) -> dict:
    return stack.timed(function, runs)


def measure_persona(username: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from cpis.accounts.models import User
    from cpis.accounts.services import reset_second_factor
    from cpis.core import registry
    from cpis.organisation import selectors as organisation
    from cpis.organisation.access import Actor

    user = User.objects.get(username=username)
    reset_second_factor(user=user)
    actor = Actor.for_user(user)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    url = reverse("organisation:home")
    client.get(url)  # once first: a session's once-a-minute writes

    # The answers first: the page shows every item the apps count, with its count and link.
    items = registry.work_today(actor)
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get(url)
    assert response.status_code == 200, (username, response.status_code)
    html = response.content.decode()
    for item in items:
        shown = f'href="{item.url.replace("&", "&amp;")}"><strong class="work-count">{item.count}</strong>'
        assert shown in html, (username, item)
    page_sql = stack.statements(page_queries.captured_queries)
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert len(stack.statements(again.captured_queries)) == len(page_sql), username
    with CaptureQueriesContext(connection) as item_queries:
        registry.work_today(actor)
    items_sql = stack.statements(item_queries.captured_queries)

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in items_sql:
                cursor.execute(sql)
                cursor.fetchall()

    places = list(organisation.list_home_units(actor))
    row = {
        "persona": username,
        "items": [
            {"label": i.label, "count": i.count, "urgency": i.urgency.name, "url": i.url} for i in items
        ],
        "page_ms": timed(lambda: client.get(url)),
        "items_ms": timed(lambda: registry.work_today(actor)),
        "floor_stack_ms": timed(lambda: client.get("/healthz/live")),
        "floor_sql_ms": timed(replay),
        "old_totals_ms": timed(lambda: [organisation.summarise_unit(unit) for unit in places]),
        "page_queries": len(page_sql),
        "items_queries": len(items_sql),
        "items_sql": [sql[:200] for sql in items_sql],
    }
    median = {key: row[key]["median"] for key in row if key.endswith("_ms")}
    print(
        f"{connection.vendor:<10} {username:<22} {len(items):>2} items: page {median['page_ms']:6.1f} ms "
        f"({row['page_queries']} queries)  items alone {median['items_ms']:6.1f} ms "
        f"({row['items_queries']})  floors: stack {median['floor_stack_ms']:5.1f} ms, "
        f"bare SQL {median['floor_sql_ms']:5.1f} ms  old five totals {median['old_totals_ms']:6.1f} ms",
        flush=True,
    )
    return row


def measure(engine: str) -> dict:
    from cpis.concerns.models import Concern

    rows = [measure_persona(username) for username in PERSONAS]
    return {"engine": engine, "concerns": Concern.objects.count(), "rows": rows, "machine": stack.machine()}


def child(engine: str, reuse: bool, out: Path) -> None:
    setup(engine, reuse)
    out.write_text(json.dumps(measure(engine)))


def main() -> None:
    reuse = "--reuse" in sys.argv
    results = stack.per_engine(__file__, list(DATABASES), lambda engine, out: child(engine, reuse, out))
    if results is None:
        return

    print(f"\nMy work today on the national demo, median (min–max) of {RUNS} requests, ms")
    print(
        "| engine | who (items) | page | work items alone | floor: stack, no database "
        "| floor: the items' bare SQL | old home's five totals | queries: page / items |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    for result in results:
        for row in result["rows"]:
            cells = [
                f"{row[k]['median']:.1f} ({row[k]['min']:.1f}–{row[k]['max']:.1f})"
                for k in ("page_ms", "items_ms", "floor_stack_ms", "floor_sql_ms", "old_totals_ms")
            ]
            print(
                f"| {result['engine']} | {row['persona']} ({len(row['items'])}) | "
                + " | ".join(cells)
                + f" | {row['page_queries']} / {row['items_queries']} |"
            )
            if row["persona"] == TARGET_PERSONA and row["page_ms"]["median"] >= TARGET_MS:
                failures.append(
                    f"{result['engine']}, {TARGET_PERSONA}: median {row['page_ms']['median']:.1f} ms "
                    f"≥ {TARGET_MS:.0f} ms"
                )
    print("Machine: " + json.dumps(results[0]["machine"]))
    report = {
        "workload": "the staff home (my work today) on the national demo, for the directorate, a station "
        "commander, a sector officer and professional standards",
        "runs": RUNS,
        "target_ms": TARGET_MS,
        "results": results,
        "met": not failures,
        "date": time.strftime("%Y-%m-%d"),
    }
    stack.finish(
        "work_today",
        report,
        failures,
        f"Met: the directorate's page under {TARGET_MS:.0f} ms on every engine measured.",
    )


if __name__ == "__main__":
    main()
