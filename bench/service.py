"""Service statistics (issue #16, Evaluation 1) for the whole country for a year, on the
national demo; target < 1 s.

Builds the national demo (`cpis load_demo --scale national`: 331 sectors, 75,000
concerns over 2012–2026 with their status histories, incidents, survey waves with the
questionnaires after a concern…) in a throwaway PostgreSQL database,
`cpis_bench_service` on 127.0.0.1:5432 (trust auth; `--reuse` keeps the last one), and
measures in the same process, for the directorate (every place in the country) and the
last 365 days, each the median, min and max of RUNS runs after one warm-up:

1. the analysis: `analyses.service_statistics(actor, unit=country)` — the cohort of
   this year and of the same dates a year earlier with first contact, closure and the
   reporters' answers, the Kaplan–Meier quartiles per region and month, the due-time
   shares with their intervals, the log-rank tests, officers, incidents and the
   questionnaires after a concern per region;
2. the floor: the same statements the analysis ran, replayed through Django's cursor
   and fetched (the database's share, without any statistics or Python objects);
3. the API (`GET /api/v1/analytics/service`) and the page
   (`GET /staff/analytics/service/`) through Django's test client, signed in.

Before any time counts, the cohort's size is checked against a count made
independently with the ORM. Exits non-zero if the analysis's median is 1 s or more.

    python bench/service.py [--reuse]
"""

import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_service"
DATABASE = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
TARGET_MS = 1000.0
PERSONA = "directorate"


def setup(reuse: bool) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
            "DATABASE_URL": DATABASE,
            "LOG_LEVEL": "WARNING",
            "MFA_REQUIRED_ROLES": "",
        }
    )
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    if not reuse:
        stack.reset_database(DB_NAME)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    if not reuse:
        print("loading the national demo…", flush=True)
        start = time.perf_counter()
        call_command("load_demo", scale="national", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"loaded in {time.perf_counter() - start:.0f} s.", flush=True)
    elif not get_user_model().objects.filter(username=PERSONA).exists():
        sys.exit("the kept database has no national demo; run without --reuse.")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(function, runs: int = RUNS) -> dict:
    return stack.timed(function, runs)


def measure() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from cpis.accounts.models import User
    from cpis.accounts.services import reset_second_factor
    from cpis.analytics import analyses
    from cpis.analytics.selectors import today
    from cpis.concerns.models import Concern, Status
    from cpis.organisation.access import Actor
    from cpis.organisation.models import Unit

    user = User.objects.get(username=PERSONA)
    reset_second_factor(user=user)
    actor = Actor.for_user(user)
    country = Unit.objects.get(parent=None)
    end = today()
    start = end - timedelta(days=364)

    def run() -> analyses.ServiceReport:
        return analyses.service_statistics(actor, unit=country, start=start, end=end)

    with CaptureQueriesContext(connection) as captured:
        report = run()
    statements = [q["sql"] for q in captured.captured_queries if q["sql"] not in {"BEGIN", "COMMIT"}]
    # The cohort, counted independently: received in the year, not held, not a duplicate.
    zone = timezone.get_current_timezone()
    expected = (
        Concern.objects.filter(
            created_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=zone),
            created_at__lt=datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone),
            is_held=False,
            duplicate_of__isnull=True,
        )
        .exclude(status=Status.DUPLICATE)
        .count()
    )
    assert report.total.received == expected, (report.total.received, expected)
    assert sum(p.received for p in report.places) == report.total.received

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    query = {"place": country.pk, "since": start.isoformat(), "until": end.isoformat()}
    api_url, page_url = "/api/v1/analytics/service", reverse("analytics:service")
    assert client.get(api_url, query).status_code == 200
    assert client.get(page_url, query).status_code == 200
    total = report.total
    row = {
        "period": [start.isoformat(), end.isoformat()],
        "received": total.received,
        "received_a_year_earlier": report.comparison.previous.received,
        "first_contact_median_h": total.first_contact.median,
        "closure_median_d": total.closure.median,
        "within_due": [total.within_due.k, total.within_due.n],
        "regions": len(report.places),
        "queries": len(statements),
        "analysis_ms": timed(run),
        "floor_sql_ms": timed(replay),
        "api_ms": timed(lambda: client.get(api_url, query)),
        "page_ms": timed(lambda: client.get(page_url, query)),
        "statements": [sql[:200] for sql in statements],
    }
    return {"concerns": Concern.objects.count(), "row": row, "machine": stack.machine("scipy", "numpy")}


def main() -> None:
    setup("--reuse" in sys.argv)
    result = measure()
    row = result["row"]
    print(f"\nService statistics, the country, {row['period'][0]} – {row['period'][1]}, "
          f"median (min–max) of {RUNS} runs, ms")  # fmt: skip
    print("| what | time |")
    print("|---|---:|")
    for key, label in (
        ("analysis_ms", "the analysis (service_statistics)"),
        ("floor_sql_ms", "floor: its statements' bare SQL, fetched"),
        ("api_ms", "GET /api/v1/analytics/service"),
        ("page_ms", "GET /staff/analytics/service/"),
    ):
        print(f"| {label} | {row[key]['median']:.0f} ({row[key]['min']:.0f}–{row[key]['max']:.0f}) |")
    print(
        f"{row['received']:,} concerns this year, {row['received_a_year_earlier']:,} a year earlier, "
        f"{row['regions']} regions, {row['queries']} queries."
    )
    print("Machine: " + json.dumps(result["machine"]))
    met = row["analysis_ms"]["median"] < TARGET_MS
    report = {
        "workload": "service statistics for the whole country for the last 365 days, on the national demo",
        "runs": RUNS,
        "target_ms": TARGET_MS,
        "result": result,
        "met": met,
        "date": time.strftime("%Y-%m-%d"),
    }
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "service.json").write_text(json.dumps(report, indent=2) + "\n")
    if not met:
        print(f"MISSED: median {row['analysis_ms']['median']:.0f} ms ≥ {TARGET_MS:.0f} ms")
        sys.exit(1)
    print(f"Met: under {TARGET_MS:.0f} ms.")


if __name__ == "__main__":
    main()
