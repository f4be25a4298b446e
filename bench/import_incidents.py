"""Incident import benchmark (issue: "Import of 1,000,000 incidents from CSV
into PostgreSQL: ≥ 100,000 rows/s").

Writes a CSV of 1,000,000 synthetic Kosovo incidents (as a records system
exports them: in record order, dates rising, a few columns that are not
imported), builds a throwaway PostgreSQL database with the organisation demo
(331 sectors to place the points in), and measures, in the same run:

1. ours: `import_incidents` of the whole file into an empty table — read,
   check, place in sectors, COPY — median of RUNS runs;
2. the re-import of the same file (nothing changes: every row unchanged);
3. the ORM path (`use_copy=False`) on the first 100,000 rows, for scale;
4. `incident_points` (what analytics reads) over the million rows, median
   of RUNS, against the issue's 1–2 s;
5. the physical limit: a bare `COPY … FROM STDIN (FORMAT csv)` of the same
   file into an unindexed table, median of RUNS runs;
6. the table's own floor: a `COPY` of the rows the import wrote (already
   checked, placed and in the table's columns, read back from it) into the
   emptied incidents table with its indexes and constraints, median of RUNS:
   what the database alone costs, with no reading, checking or placing.

Needs PostgreSQL on 127.0.0.1:5432 (trust auth). Exits non-zero if the import
stays under the target.
"""

import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import stack
from stack import run_cpis

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_import"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TARGET_ROWS_PER_SECOND = 100_000
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cpis.settings.demo",
    "DATABASE_URL": DB_URL,
    "LOG_LEVEL": "WARNING",
}
MAPPING = {
    "source_id": "record_no",
    "category": "offence",
    "occurred_on": "date",
    "occurred_time": "time",
    "lat": "latitude",
    "lon": "longitude",
    "place": "place",
}
# Labels as they come from different systems: codes, Albanian and Serbian names, aliases.
LABELS = [
    ("Vjedhje", 22), ("Vjedhje e rëndë", 8), ("Break and Enter", 4), ("Sulm", 13), ("public-order", 11),
    ("Rrezikimi i trafikut publik", 10), ("Dëmtim prone", 7), ("Dhuna në familje", 6), ("Auto Theft", 5),
    ("Narkotikë", 4), ("Mashtrim", 3), ("Grabitje", 2), ("Armë", 2), ("Крађа", 2), ("other", 1),
]  # fmt: skip


def write_csv(path: Path, rows: int, seed: int = 2012) -> None:
    """`rows` incidents around Kosovo's towns and villages over five years."""
    geography = json.loads((ROOT / "cpis/organisation/demo_data/kosovo.json").read_text(encoding="utf-8"))
    places = [
        (m["seat"]["lon"], m["seat"]["lat"], m.get("population") or 5000, m["name"]["sq"])
        for m in geography["municipalities"]
    ]
    places += [(s["lon"], s["lat"], s.get("population") or 300, s["name"]["sq"])
               for m in geography["municipalities"] for s in m["settlements"]]  # fmt: skip
    rng = np.random.default_rng(seed)
    weights = np.array([p[2] for p in places], dtype=float)
    at = rng.choice(len(places), rows, p=weights / weights.sum())
    lon = np.array([p[0] for p in places])[at] + rng.normal(0, 0.012, rows)
    lat = np.array([p[1] for p in places])[at] + rng.normal(0, 0.009, rows)
    label_p = np.array([w for _l, w in LABELS], dtype=float)
    label = rng.choice(len(LABELS), rows, p=label_p / label_p.sum())
    last = np.datetime64("2026-10-31")
    days = np.sort(rng.integers(0, 5 * 365, rows))[::-1]
    day = (last - days.astype("timedelta64[D]")).astype(str)
    hour = rng.integers(-3, 24, rows)  # about one in nine without a time
    minute = rng.integers(0, 60, rows)
    officer = rng.integers(10000, 99999, rows)
    names = [p[3] for p in places]
    with path.open("w", encoding="utf-8") as out:
        out.write("record_no,offence,date,time,latitude,longitude,place,station_officer\n")
        for start in range(0, rows, 100_000):
            stop = min(start + 100_000, rows)
            out.write(
                "".join(
                    f"KP-{i + 1:08d},{LABELS[label[i]][0]},{day[i]},"
                    f"{'' if hour[i] < 0 else f'{hour[i]:02d}:{minute[i]:02d}'},"
                    f"{lat[i]:.6f},{lon[i]:.6f},{names[at[i]]},KP-{officer[i]}\n"
                    for i in range(start, stop)
                )
            )


class BackendCpu:
    """CPU seconds of this database's PostgreSQL backends while a block runs,
    sampled from /proc every 0.1 s (backends that end are seen until then)."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if DB_NAME.encode() not in (entry / "cmdline").read_bytes():
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[int(entry.name)] = (int(fields[11]) + int(fields[12])) / self.tick

    def __enter__(self) -> "BackendCpu":
        self.sample()
        self.start = dict(self.seen)

        def loop() -> None:
            while not self.stop.wait(0.1):
                self.sample()

        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.sample()
        self.seconds = sum(cpu - self.start.get(pid, 0.0) for pid, cpu in self.seen.items())


def drop_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def machine() -> dict:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    libraries = {name: version(name) for name in ("django", "numpy", "shapely", "psycopg")}
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), **libraries}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="cpis-bench-import-"))
    csv_path = work / "incidents.csv"
    print(f"Writing {ROWS:,} incidents to {csv_path}…", flush=True)
    write_csv(csv_path, ROWS)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"Preparing PostgreSQL database {DB_NAME} with the organisation demo…", flush=True)
    stack.reset_database(DB_NAME)
    run_cpis(ENV, "migrate", "--no-input")
    os.environ.update({k: ENV[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from cpis.incidents.models import Incident
    from cpis.incidents.services import import_incidents
    from cpis.organisation.access import Actor
    from cpis.organisation.demo import load_demo
    from cpis.organisation.models import Unit

    load_demo(scale="standard", seed=2012)
    sectors = Unit.objects.sectors().count()

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Incident._meta.db_table}")
            cursor.execute("CHECKPOINT")

    cpu: dict[str, list[float]] = {"python": [], "postgresql": []}

    def ours(path: Path, **options) -> tuple[float, object]:
        before = resource.getrusage(resource.RUSAGE_SELF)
        with BackendCpu() as backends:
            start = time.perf_counter()
            run = import_incidents(
                Actor.system(), path_or_file=path, source="bench", mapping=MAPPING, **options
            )
            seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        cpu["python"].append(used)
        cpu["postgresql"].append(backends.seconds)
        return seconds, run

    def bare_copy() -> float:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_bare_copy")
            cursor.execute(
                "CREATE TABLE bench_bare_copy (record_no text, offence text, date text, time text, "
                "latitude text, longitude text, place text, station_officer text)"
            )
            cursor.execute("CHECKPOINT")
            start = time.perf_counter()
            with (
                csv_path.open("rb") as data,
                cursor.copy("COPY bench_bare_copy FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while block := data.read(1 << 20):
                    copy.write(block)
            seconds = time.perf_counter() - start
            cursor.execute("DROP TABLE bench_bare_copy")
        return seconds

    from cpis.incidents.writing import COPY_COLUMNS

    copy_columns = ", ".join(COPY_COLUMNS)
    table = Incident._meta.db_table

    def table_floor() -> float:
        """COPY the rows the import wrote back into the emptied table."""
        with connection.cursor() as cursor:
            rows = bytearray()
            with cursor.copy(f"COPY (SELECT {copy_columns} FROM {table} ORDER BY id) TO STDOUT") as out:
                for block in out:
                    rows += block
            empty()
            start = time.perf_counter()
            into = f"COPY {table} ({copy_columns}) FROM STDIN"
            with connection.cursor() as writer, writer.copy(into) as copy:
                view = memoryview(rows)
                for at in range(0, len(view), 1 << 20):
                    copy.write(view[at : at + (1 << 20)])
            return time.perf_counter() - start

    import_seconds, runs = [], []
    floor_seconds = []
    ceiling_seconds = []
    for attempt in range(RUNS):
        ceiling_seconds.append(bare_copy())
        empty()
        seconds, run = ours(csv_path)
        assert run.status == "done", run.error
        assert run.created == ROWS, run.created
        import_seconds.append(seconds)
        runs.append(run)
        floor_seconds.append(table_floor())
        print(
            f"  run {attempt + 1}: import {seconds:.2f} s (CPU: Python {cpu['python'][-1]:.1f} s, "
            f"PostgreSQL {cpu['postgresql'][-1]:.1f} s), bare COPY {ceiling_seconds[-1]:.2f} s, "
            f"COPY of its rows into the table {floor_seconds[-1]:.2f} s",
            flush=True,
        )
    reimport_seconds, again = ours(csv_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS), (again.created, again.updated)
    assert Incident.objects.count() == ROWS
    placed = Incident.objects.filter(sector__isnull=False).count()
    from cpis.incidents.selectors import incident_points

    points_seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        points = incident_points(Actor.system())
        points_seconds.append(time.perf_counter() - start)
    assert len(points) == ROWS

    orm_rows = min(ROWS, 100_000)
    orm_path = work / "orm.csv"
    with csv_path.open(encoding="utf-8") as whole, orm_path.open("w", encoding="utf-8") as part:
        for _ in range(orm_rows + 1):
            part.write(next(whole))
    empty()
    orm_seconds, orm_run = ours(orm_path, use_copy=False)
    assert orm_run.created == orm_rows

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    import_s = statistics.median(import_seconds)
    ceiling_s = statistics.median(ceiling_seconds)
    floor_s = statistics.median(floor_seconds)
    data = {
        "rows": ROWS,
        "csv_megabytes": round(size_mb, 1),
        "sectors": sectors,
        "placed_in_a_sector": placed,
        "runs": RUNS,
        "seconds": {
            "import_median": import_s,
            "import_runs": import_seconds,
            "reimport_all_unchanged": reimport_seconds,
            "orm_path_100k": orm_seconds,
            "incident_points_median": statistics.median(points_seconds),
            "peer_bare_copy_median": ceiling_s,
            "peer_bare_copy_runs": ceiling_seconds,
            "floor_table_copy_median": floor_s,
            "floor_table_copy_runs": floor_seconds,
        },
        "rows_per_second": {
            "import": ROWS / import_s,
            "reimport": ROWS / reimport_seconds,
            "orm_path": orm_rows / orm_seconds,
            "peer_bare_copy": ROWS / ceiling_s,
            "floor_table_copy": ROWS / floor_s,
        },
        "cpu_seconds_per_import": {
            "python_median": statistics.median(cpu["python"][:RUNS]),
            "postgresql_backend_median": statistics.median(cpu["postgresql"][:RUNS]),
            "python_runs": cpu["python"][:RUNS],
            "postgresql_backend_runs": cpu["postgresql"][:RUNS],
        },
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
        "load_average": os.getloadavg(),
        "bound_on_two_idle_cores_rows_per_second": ROWS
        / max(statistics.median(cpu["python"][:RUNS]), statistics.median(cpu["postgresql"][:RUNS])),
        "machine": {**machine(), "postgresql": server},
    }
    (ROOT / "bench" / "results" / "import_incidents.json").write_text(json.dumps(data, indent=2) + "\n")
    print(f"{ROWS:,} rows ({size_mb:.0f} MB CSV), {placed:,} placed in {sectors} sectors; median of {RUNS}.")
    points_s = statistics.median(points_seconds)
    target = TARGET_ROWS_PER_SECOND
    print("| step | seconds | rows/s | aim |")
    print("|---|---:|---:|---|")
    rows_table = [
        ("import (COPY path, empty table)", import_s, ROWS, f"≥ {target:,} rows/s"),
        ("re-import, all unchanged", reimport_seconds, ROWS, "all counted unchanged"),
        ("ORM path (--no-copy) on PostgreSQL, 100,000 rows", orm_seconds, orm_rows, "for scale"),
        (f"incident_points, {ROWS:,} rows", points_s, ROWS, "1–2 s for a million"),
        ("peer: bare COPY into an unindexed table", ceiling_s, ROWS, "physical limit"),
        ("floor: COPY of the import's own rows into the table", floor_s, ROWS, "the table's cost"),
    ]
    for name, seconds, rows, aim in rows_table:
        print(f"| {name} | {seconds:.2f} | {rows / seconds:,.0f} | {aim} |")
    load = os.getloadavg()[0]
    print(
        f"The import runs at {ceiling_s / import_s:.0%} of the bare COPY's speed and at "
        f"{floor_s / import_s:.0%} of the table's own COPY floor; load average {load:.1f}."
    )
    python_cpu, pg_cpu = statistics.median(cpu["python"][:RUNS]), statistics.median(cpu["postgresql"][:RUNS])
    bound = ROWS / max(python_cpu, pg_cpu)
    print(
        f"CPU per import: Python {python_cpu:.1f} s, PostgreSQL backend {pg_cpu:.1f} s; on two idle cores, "
        f"overlapped, the bound is {bound:,.0f} rows/s."
    )
    connection.close()
    drop_database()
    if ROWS / import_s < TARGET_ROWS_PER_SECOND:
        print(f"MISSED: {ROWS / import_s:,.0f} rows/s (target {TARGET_ROWS_PER_SECOND:,})")
        sys.exit(1)


if __name__ == "__main__":
    main()
