"""Concern benchmarks (issue #3) on the real stack: gunicorn and PostgreSQL
on the loopback, the national demo (50,000 concerns), clients on this same
machine.

1. Ceiling: the same server's minimal view (/healthz/live, no database).
2. Submission: POST /api/v1/concerns with a token and a fresh
   Idempotency-Key, N concurrent clients: throughput, p50 and p99.
3. Retry storm: 50 clients for 60 s, every submission sent twice with the
   same key: rows must equal distinct keys, with no 5xx.
4. The staff queue over 50,000 concerns, in process: server time, and the
   query count for page sizes 25, 50, 100 and 200.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth) and runs `cpis` from .venv.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import stack
from stack import run_cpis

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = "cpis_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8791
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SUBMIT_SECONDS = int(os.environ.get("BENCH_SUBMIT_SECONDS", "20"))
STORM_SECONDS = int(os.environ.get("BENCH_STORM_SECONDS", "60"))
CEILING_SECONDS = int(os.environ.get("BENCH_CEILING_SECONDS", "10"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
    "DATABASE_URL": DB_URL,
    "SUBMISSION_LIMIT_PER_HOUR": "100000000",
    "DB_CONN_MAX_AGE": "600",
    "LOG_LEVEL": "WARNING",
}


def cpis(*args: str) -> str:
    return run_cpis(ENV, *args)


def reset_database() -> None:
    stack.reset_database(DB_NAME)


def load(method: str, path: str, seconds: float, *, make_body=None, token: str = "", retries: int = 0):
    """CLIENTS threads, each with a keep-alive connection, for `seconds`.
    Returns (latencies in seconds, status counts, keys sent)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    keys: set[str] = set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        local_lat, local_status, local_keys = [], {}, set()
        while time.monotonic() < deadline:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = None
            if make_body is not None:
                key = uuid.uuid4().hex
                local_keys.add(key)
                headers |= {"Content-Type": "application/json", "Idempotency-Key": key}
                body = json.dumps(make_body())
            for _attempt in range(1 + retries):
                start = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                    status = 0
                local_lat.append(time.perf_counter() - start)
                local_status[status] = local_status.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(local_lat)
            keys.update(local_keys)
            for status, count in local_status.items():
                statuses[status] = statuses.get(status, 0) + count

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, keys


def summary(name: str, latencies: list[float], statuses: dict[int, int], seconds: float) -> dict:
    ordered = sorted(latencies)
    return {
        "name": name,
        "requests": len(ordered),
        "per_second": len(ordered) / seconds,
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "statuses": statuses,
    }


def body() -> dict:
    return {
        "category": "traffic-safety",
        "description": "Bench: semafori nuk punon.",
        "lat": 42.66,
        "lon": 21.16,
    }


def staff_queue() -> dict:
    """Server time of the staff queue page for the directorate (all 50,000
    concerns) and its query count per page size, in process."""
    os.environ.update({k: v for k, v in ENV.items() if k in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cpis.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username="directorate"))
    counts = {}
    for per_page in (25, 50, 100, 200):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/staff/concerns/?per_page={per_page}").status_code == 200
        counts[per_page] = len(queries)
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        response = client.get("/staff/concerns/?status=open")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    from cpis.concerns.models import Concern

    return {
        "concerns": Concern.objects.count(),
        "median_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * sorted(timings)[int(len(timings) * 0.95)],
        "queries_by_page_size": counts,
    }


def main() -> None:
    print("Preparing PostgreSQL database with the national demo…", flush=True)
    reset_database()
    cpis("migrate", "--no-input")
    cpis("load_demo", "--scale", "national")
    token = cpis("create_api_token", "directorate", "bench").strip()
    cpis("collectstatic", "--no-input", "--verbosity", "0")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cpis.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=ENV,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz/ready")
                break
            except OSError:
                time.sleep(0.2)
        load("GET", "/healthz/live", 2)  # warm-up
        load("POST", "/api/v1/concerns", 2, make_body=body, token=token)
        results = []
        lat, st, _ = load("GET", "/healthz/live", CEILING_SECONDS)
        ceiling = summary("ceiling: GET /healthz/live (same server, no database)", lat, st, CEILING_SECONDS)
        results.append(ceiling)
        lat, st, _ = load("POST", "/api/v1/concerns", SUBMIT_SECONDS, make_body=body, token=token)
        submit = summary(f"submit: POST /api/v1/concerns, {CLIENTS} clients", lat, st, SUBMIT_SECONDS)
        results.append(submit)
        import psycopg

        with psycopg.connect(DB_URL.replace("postgres://", "postgresql://")) as conn:
            before = conn.execute("SELECT count(*) FROM concerns_concern").fetchone()[0]
        lat, st, keys = load(
            "POST", "/api/v1/concerns", STORM_SECONDS, make_body=body, token=token, retries=1
        )
        with psycopg.connect(DB_URL.replace("postgres://", "postgresql://")) as conn:
            after = conn.execute("SELECT count(*) FROM concerns_concern").fetchone()[0]
        storm = summary(
            f"retry storm: every POST sent twice with its key, {CLIENTS} clients", lat, st, STORM_SECONDS
        )
        storm |= {"distinct_keys": len(keys), "new_rows": after - before}
        results.append(storm)
    finally:
        server.terminate()
        server.wait(timeout=30)
    queue = staff_queue()
    report = {
        "results": results,
        "staff_queue": queue,
        "ratio_to_ceiling": submit["per_second"] / ceiling["per_second"],
    }
    (ROOT / "bench" / "results" / "concerns.json").write_text(json.dumps(report, indent=2) + "\n")
    print("| benchmark | requests | req/s | p50 ms | p99 ms | statuses |")
    print("|---|---:|---:|---:|---:|---|")
    for row in results:
        cells = [row["name"], f"{row['requests']:,}", f"{row['per_second']:,.0f}", f"{row['p50_ms']:.1f}"]
        cells += [f"{row['p99_ms']:.1f}", str(row["statuses"])]
        print("| " + " | ".join(cells) + " |")
    print(
        f"\nSubmission throughput is {100 * report['ratio_to_ceiling']:.0f} % of the ceiling (aim ≥ 40 %); "
        f"p99 {submit['p99_ms']:.0f} ms (aim < 250 ms)."
    )
    print(
        f"Retry storm: {storm['distinct_keys']:,} distinct keys, {storm['new_rows']:,} new rows, "
        f"5xx: {sum(v for k, v in storm['statuses'].items() if k >= 500 or k == 0)}."
    )
    print(
        f"Staff queue over {queue['concerns']:,} concerns: median {queue['median_ms']:.0f} ms, "
        f"p95 {queue['p95_ms']:.0f} ms; queries by page size {queue['queries_by_page_size']}."
    )
    ok = storm["distinct_keys"] == storm["new_rows"] and not any(
        k >= 500 or k == 0 for k in storm["statuses"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
