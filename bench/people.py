"""An officer's community-policing record for a year (issue #16): target < 100 ms on
the national demo (PostgreSQL).

Builds the national demo (`cpis load_demo --scale national`) in a throwaway database
— `cpis_bench_people` on PostgreSQL 127.0.0.1:5432 (trust auth), or
var/bench_people.sqlite3 for SQLite (`--reuse` keeps the last one; `--scale standard`
measures the standard demo instead, said in the result) — and measures, for the
personnel department reading the record of (a) the community officer with the most
concerns assigned in the last twelve months and (b) the demo's sector officer, the
median, min and max of RUNS calls after one warm-up:

1. the record: `people.record.officer_record(actor, officer, start, end)` — the
   policy check, the access-log entry (sealed into the chain) and the thirteen
   items' queries;
2. the page: GET /staff/people/officers/<id>/record/?period=custom&start&end through
   Django's test client, signed in;
3. the floors: the record's statements replayed as bare SQL through Django's cursor,
   and the stack's page that reads nothing (GET /healthz/live).

Before any time counts, the record is checked against the page (every item's display
is on it) and the number of queries is the same on two calls. Exits non-zero when the
record's median is 100 ms or more.

    python bench/people.py [--reuse] [--engine postgresql|sqlite] [--scale national|standard]
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_people"
SQLITE_FILE = ROOT / "var" / "bench_people.sqlite3"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{SQLITE_FILE}",
}
RUNS = int(os.environ.get("BENCH_RUNS", "31"))
TARGET_MS = 100.0


def setup(engine: str, reuse: bool, scale: str) -> None:
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

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    if not reuse:
        print(f"{engine}: loading the {scale} demo…", flush=True)
        start = time.perf_counter()
        call_command("load_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"{engine}: loaded in {time.perf_counter() - start:.0f} s.", flush=True)
    elif not get_user_model().objects.filter(username="personnel").exists():
        sys.exit(f"{engine}: the kept database has no demo; run without --reuse.")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(function, runs: int = RUNS) -> dict:
    return stack.timed(function, runs)


def measure_officer(label: str, officer, actor, client, start, end) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpis.people.record import officer_record

    url = f"/staff/people/officers/{officer.pk}/record/?period=custom&start={start}&end={end}"
    found = officer_record(actor, officer, start=start, end=end)
    html = client.get(url).content.decode()
    for item in found.items:
        assert item.display.replace("&", "&amp;") in html, (label, item)
    with CaptureQueriesContext(connection) as first:
        officer_record(actor, officer, start=start, end=end)
    with CaptureQueriesContext(connection) as second:
        officer_record(actor, officer, start=start, end=end)
    sql = stack.statements(first.captured_queries)
    assert len(sql) == len(stack.statements(second.captured_queries)), label
    reads = [s for s in sql if s.lstrip().upper().startswith("SELECT")]

    def replay() -> None:
        with connection.cursor() as cursor:
            for statement in reads:
                cursor.execute(statement)
                cursor.fetchall()

    row = {
        "officer": label,
        "items": found.to_json()["items"],
        "record_ms": timed(lambda: officer_record(actor, officer, start=start, end=end)),
        "page_ms": timed(lambda: client.get(url)),
        "floor_sql_ms": timed(replay),
        "floor_stack_ms": timed(lambda: client.get("/healthz/live")),
        "queries": len(sql),
    }
    median = {key: row[key]["median"] for key in row if key.endswith("_ms")}
    print(
        f"{connection.vendor:<10} {label:<40} record {median['record_ms']:6.1f} ms "
        f"({row['queries']} queries)  "
        f"page {median['page_ms']:6.1f} ms  floors: bare SQL {median['floor_sql_ms']:5.1f} ms, "
        f"stack {median['floor_stack_ms']:5.1f} ms",
        flush=True,
    )
    return row


def measure(engine: str, scale: str) -> dict:
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from cpis.accounts.models import AccessLogEntry, User
    from cpis.accounts.services import reset_second_factor
    from cpis.concerns.models import Concern
    from cpis.organisation.access import Actor
    from cpis.organisation.models import Officer

    end = timezone.localdate()
    start = end - timedelta(days=364)
    user = User.objects.get(username="personnel")
    reset_second_factor(user=user)
    actor = Actor.for_user(user)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    since = timezone.now() - timedelta(days=365)
    counts = dict(
        Concern.objects.filter(created_at__gte=since, assigned_officer__isnull=False)
        .values_list("assigned_officer")
        .annotate(n=Count("pk"))
        .values_list("assigned_officer", "n")
    )
    busiest_id = max(counts, key=lambda officer_id: (counts[officer_id], -officer_id))
    busiest = Officer.objects.get(pk=busiest_id)
    sector_officer = Officer.objects.get(user__username="sector.officer")
    rows = [
        measure_officer(
            f"busiest officer ({counts[busiest_id]} concerns)", busiest, actor, client, start, end
        ),
        measure_officer("the demo's sector officer", sector_officer, actor, client, start, end),
    ]
    return {
        "engine": engine,
        "scale": scale,
        "concerns": Concern.objects.count(),
        "officers": Officer.objects.count(),
        "access_log_entries": AccessLogEntry.objects.count(),
        "period": [start.isoformat(), end.isoformat()],
        "rows": rows,
        "machine": stack.machine(),
    }


def child(engine: str, reuse: bool, scale: str, out: Path) -> None:
    setup(engine, reuse, scale)
    out.write_text(json.dumps(measure(engine, scale)))


def main() -> None:
    reuse = "--reuse" in sys.argv
    scale = sys.argv[sys.argv.index("--scale") + 1] if "--scale" in sys.argv else "national"
    results = stack.per_engine(__file__, ["postgresql"], lambda engine, out: child(engine, reuse, scale, out))
    if results is None:
        return

    print(f"\nAn officer's record for a year, {scale} demo, median (min–max) of {RUNS} calls, ms")
    print(
        "| engine | officer | record | page | floor: the record's bare SQL "
        "| floor: stack, no database | queries |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    failures = []
    for result in results:
        for row in result["rows"]:
            cells = [
                f"{row[k]['median']:.1f} ({row[k]['min']:.1f}–{row[k]['max']:.1f})"
                for k in ("record_ms", "page_ms", "floor_sql_ms", "floor_stack_ms")
            ]
            print(
                f"| {result['engine']} | {row['officer']} | " + " | ".join(cells) + f" | {row['queries']} |"
            )
            if row["record_ms"]["median"] >= TARGET_MS:
                failures.append(f"{result['engine']}, {row['officer']}: {row['record_ms']['median']:.1f} ms")
    print("Machine: " + json.dumps(results[0]["machine"]))
    report = {
        "workload": f"an officer's record for a year on the {scale} demo, read by personnel",
        "runs": RUNS,
        "target_ms": TARGET_MS,
        "results": results,
        "met": not failures,
        "date": time.strftime("%Y-%m-%d"),
    }
    stack.finish("people", report, failures, f"Met: the record under {TARGET_MS:.0f} ms.")


if __name__ == "__main__":
    main()
