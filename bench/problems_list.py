"""Problem list benchmark (issue #13): the list of problems with 10,000 of them,
on PostgreSQL and on SQLite.

Builds, for each engine, a throwaway database — `cpis_bench_problems` on
PostgreSQL 127.0.0.1:5432 (trust auth), var/bench_problems.sqlite3 for SQLite
(`--reuse` keeps the last ones) — with the organisation demo at national scale
(331 sectors, their stations and regions, 1,047 officers) and PROBLEMS
problems spread over its places — 85 % at sectors, 12 % at stations, 3 % at
regions — in every SARA stage, a fifth of them closed with an outcome, most
with an owner, with their categories, history lines, response actions (some
still open, which the list counts), teams, target areas (a 300 m circle for
half of them) and, for those assessed, an assessment with its weekly series.

Measured in the same process and run, for a national role (the directorate:
all the problems) and a station commander (their station's), for page sizes
25 and 100, each the median, min and max of RUNS requests after one warm-up:
1. the staff list page (GET problems:list?per_page=N through Django's test
   client, signed in: middleware, the filter form, the page, the template),
   and its rows alone as htmx asks for them when a filter or page changes;
2. the API list (GET /api/v1/problems?limit=N with the persona's token);
3. the floor: the bare SQL of one page — the page's rows of the problem table
   with the same WHERE (the persona's places), ORDER BY and LIMIT, plus its
   COUNT(*) — through Django's cursor.

Before any time counts, the page's and the API's rows and count are checked
against the floor's; the queries per request are counted and must be the same
for both page sizes. Exits non-zero if a query count depends on the page size
or a median on PostgreSQL is 100 ms or more.

    python bench/problems_list.py [--reuse] [--engine postgresql|sqlite]
"""

import importlib.metadata
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "cpis_bench_problems"
DATABASES = {
    "postgresql": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench_problems.sqlite3'}",
}
PROBLEMS = int(os.environ.get("BENCH_PROBLEMS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "21"))
PAGE_SIZES = (25, 100)
PERSONAS = ("directorate", "station.commander")
TARGET_MS = 100.0
SEED = 2012


def machine() -> dict:
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        server = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        connection.vendor: server,
        "django": importlib.metadata.version("django"),
    }


# --- the data ---------------------------------------------------------------------------


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
        print(f"{engine}: preparing a database with the national organisation demo…", flush=True)
        if engine == "postgresql":
            stack.reset_database(DB_NAME)
        else:
            (ROOT / "var" / "bench_problems.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the page's static manifest
    from django.db import connection, transaction
    from django.utils import timezone

    from cpis.organisation import demo as organisation_demo
    from cpis.problems.models import Problem

    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)  # on a kept database: a new index, say
    if not reuse:
        today = timezone.localdate()
        with transaction.atomic():
            organisation_demo.load_demo(scale="national", seed=SEED, today=today)
            lines = build_problems(today)
        print(f"{engine}: {lines} Built in {time.perf_counter() - start:.0f} s.", flush=True)
    elif Problem.objects.count() != PROBLEMS:
        sys.exit(f"{engine}: the kept database has no {PROBLEMS:,} problems; run without --reuse.")
    with connection.cursor() as cursor:
        # The planner's statistics and the visibility map, as autovacuum leaves a live
        # database: not measured while it catches up with 50,000 new rows.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _circle(lon: float, lat: float, metres: float = 300, vertices: int = 48) -> dict:
    per_lat = 111_320.0
    per_lon = per_lat * math.cos(math.radians(lat))
    ring = [
        [
            round(lon + metres * math.cos(2 * math.pi * k / vertices) / per_lon, 7),
            round(lat + metres * math.sin(2 * math.pi * k / vertices) / per_lat, 7),
        ]
        for k in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _centre(unit) -> tuple[float, float]:
    """The mean of the vertices of the unit's first ring (inside it, near enough), or Kosovo's middle."""
    try:
        coordinates = unit.boundary["coordinates"]
        while isinstance(coordinates[0][0], list):
            coordinates = coordinates[0]
        xs, ys = zip(*coordinates, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    except (TypeError, KeyError, IndexError, ValueError):
        return 20.9, 42.6


def _series(rng: random.Random, response: date, window: int) -> dict:
    """The weekly series an assessment keeps for its chart (the shape the service writes)."""
    starts = list(range(-window, window, 7))
    level = rng.uniform(1, 8)
    counts = {
        area: [max(0, round(rng.gauss(level * scale, 1.5))) for _ in starts]
        for area, scale in (("target", 1), ("buffer", 1.5), ("control", 12))
    }
    return {
        "weeks": [(response + timedelta(days=s)).isoformat() for s in starts],
        "days": [7] * len(starts),
        **counts,
        "after_days": window,
        "success_measure": rng.uniform(-0.6, 0.1),
        "buffer_measure": rng.uniform(-0.3, 0.3),
        "total_net_effect": rng.uniform(-20, 5),
        "buffer_change": [rng.uniform(0.6, 1.4), 0.5, 1.8],
        "paths": [],
    }


def build_problems(today: date) -> str:
    """PROBLEMS problems over the national demo's places, with what the list reads
    (place, owner, stage, outcome, open actions) and what it does not (categories,
    history, teams, areas, assessments) in realistic amounts, written in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cpis.concerns.models import Category as ConcernCategory
    from cpis.incidents.models import IncidentCategory
    from cpis.organisation.models import Officer, Unit, UnitKind
    from cpis.problems.models import (
        Action,
        ActionStatus,
        Assessment,
        Change,
        MemberKind,
        Outcome,
        Problem,
        Reading,
        Stage,
        TeamMember,
        Technique,
    )
    from cpis.problems.selectors.problems import station_path

    rng = random.Random(SEED)
    units = list(Unit.objects.filter(kind__in=(UnitKind.SECTOR, UnitKind.STATION, UnitKind.REGION)))
    by_kind = {kind: [u for u in units if u.kind == kind] for kind in ("sector", "station", "region")}
    officers: dict[str, list] = {}
    for officer in Officer.objects.filter(is_active=True).select_related("unit"):
        officers.setdefault(station_path(officer.unit.path), []).append(officer)
    in_region = {
        r.path: [o for path, staff in officers.items() if path.startswith(r.path) for o in staff]
        for r in by_kind["region"]
    }
    users = get_user_model().objects.in_bulk(field_name="username")
    leader, commander = users["sector.leader"], users["station.commander"]
    incident_categories = list(IncidentCategory.objects.order_by("code"))
    concern_categories = list(ConcernCategory.objects.order_by("code"))
    techniques = [t for t, _label in Technique.choices]
    stages = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT, Stage.CLOSED]
    outcomes = [Outcome.SOLVED, Outcome.REDUCED, Outcome.DISPLACED, Outcome.NOT_SOLVED, Outcome.NOT_A_PROBLEM]
    now = timezone.now()

    problems, plans = [], []
    for number in range(PROBLEMS):
        kind = rng.choices(["sector", "station", "region"], [85, 12, 3])[0]
        unit = rng.choice(by_kind[kind])
        staff = in_region[unit.path] if kind == "region" else officers.get(station_path(unit.path), [])
        owner = rng.choice(staff) if staff and rng.random() < 0.9 else None
        opened = now - timedelta(days=rng.uniform(0, 3 * 365))
        stage = rng.choices(stages, [25, 20, 25, 10, 20])[0]
        category = rng.choice(incident_categories)
        closed_at = min(opened + timedelta(days=rng.uniform(30, 300)), now) if stage == Stage.CLOSED else None
        problems.append(
            Problem(
                title=f"{category.name_sq} në {unit.name_sq} ({number + 1})"[:200],
                description=f"{category.name_sq}: raste të përsëritura në {unit.name_sq}, të raportuara nga "
                "banorët dhe të regjistruara nga policia; takime me forumin dhe partnerët.",
                unit=unit,
                unit_path=unit.path,
                area=_circle(*_centre(unit)) if kind == "sector" and rng.random() < 0.5 else {},
                owner=owner,
                stage=stage,
                outcome=rng.choice(outcomes) if closed_at else "",
                outcome_reason="Vlerësimi i të dhënave dhe raporti i forumit." if closed_at else "",
                routine_activity="Shënjestrat janë të pambrojtura në orët kur kryesit lëvizin në zonë."
                if stage != Stage.SCANNING
                else "",
                opened_by=leader,
                closed_at=closed_at,
                closed_by=commander if closed_at else None,
                created_at=opened,
            )
        )
        plans.append((category, staff))
    Problem.objects.bulk_create(problems, batch_size=500)
    assert all(p.pk for p in problems)

    incident_links, concern_links, changes, actions, team, assessments = [], [], [], [], [], []
    IncidentLink = Problem.incident_categories.through
    ConcernLink = Problem.concern_categories.through
    for problem, (category, staff) in zip(problems, plans, strict=True):
        incident_links.append(IncidentLink(problem_id=problem.pk, incidentcategory_id=category.pk))
        if rng.random() < 0.3:
            other = rng.choice(incident_categories)
            if other != category:
                incident_links.append(IncidentLink(problem_id=problem.pk, incidentcategory_id=other.pk))
        if rng.random() < 0.6:
            concern_links.append(
                ConcernLink(problem_id=problem.pk, category_id=rng.choice(concern_categories).pk)
            )
        reached = stages.index(problem.stage)
        changes.append(
            Change(
                problem=problem, by=leader, at=problem.created_at, what="opened", details={"to": "scanning"}
            )
        )
        for step in range(1, min(reached, 3) + 1):
            changes.append(
                Change(
                    problem=problem,
                    by=leader,
                    at=problem.created_at + timedelta(days=10 * step),
                    what="stage",
                    details={"from": stages[step - 1], "to": stages[step], "note": ""},
                )
            )
        if problem.closed_at:
            changes.append(
                Change(
                    problem=problem,
                    by=commander,
                    at=problem.closed_at,
                    what="closed",
                    details={"from": "response", "outcome": problem.outcome, "note": problem.outcome_reason},
                )
            )
        if reached >= 2 and staff:  # response and on: actions, some still open
            start = timezone.localdate(problem.created_at) + timedelta(days=30)
            for i in range(rng.randint(1, 5)):
                due = start + timedelta(days=14 * (i + 1))
                status = rng.choices(
                    [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED],
                    [2, 3, 6, 1] if problem.stage != Stage.CLOSED else [0, 0, 9, 1],
                )[0]
                actions.append(
                    Action(
                        problem=problem,
                        title=f"Veprimi {i + 1}: patrullë dhe takime me banorët",
                        technique=rng.choice(techniques),
                        owner_officer=problem.owner or rng.choice(staff),
                        due_on=due,
                        status=status,
                        done_on=min(due, today) if status == ActionStatus.DONE else None,
                        evidence="Procesverbali i takimit." if status == ActionStatus.DONE else "",
                        created_by=leader,
                    )
                )
        if staff and rng.random() < 0.4:
            team.append(
                TeamMember(
                    problem=problem, kind=MemberKind.OFFICER, officer=rng.choice(staff), added_by=leader
                )
            )
        if problem.stage == Stage.ASSESSMENT or (
            problem.closed_at and problem.outcome != Outcome.NOT_A_PROBLEM
        ):
            response = timezone.localdate(problem.created_at) + timedelta(days=60)
            rr = rng.uniform(0.3, 1.3)
            assessments.append(
                Assessment(
                    problem=problem,
                    response_date=response,
                    categories=[category.code],
                    target_before=rng.randint(10, 80),
                    target_after=rng.randint(5, 80),
                    buffer_before=rng.randint(10, 120),
                    buffer_after=rng.randint(10, 120),
                    control_before=rng.randint(200, 2000),
                    control_after=rng.randint(200, 2000),
                    rate_ratio=rr,
                    rate_ratio_low=rr * 0.7,
                    rate_ratio_high=rr * 1.4,
                    relative_effect=rr,
                    relative_effect_low=rr * 0.7,
                    relative_effect_high=rr * 1.4,
                    wdq=rng.uniform(-1.5, 1.5),
                    reading=rng.choice([r for r, _label in Reading.choices]),
                    series=_series(rng, response, 182),
                    data_until=min(response + timedelta(days=182), today),
                    recorded_by=leader,
                )
            )
    for model, rows in (
        (IncidentLink, incident_links),
        (ConcernLink, concern_links),
        (Change, changes),
        (Action, actions),
        (TeamMember, team),
        (Assessment, assessments),
    ):
        model.objects.bulk_create(rows, batch_size=500)
    return (
        f"{len(problems):,} problems, {len(actions):,} actions, {len(assessments):,} assessments, "
        f"{len(changes):,} history lines."
    )


# --- the measure -------------------------------------------------------------------------


def timed(function, runs: int = RUNS) -> tuple[dict, object]:
    function()  # warm-up
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(1000 * (time.perf_counter() - start))
    return {"median": statistics.median(timings), "min": min(timings), "max": max(timings)}, result


def floor_query(engine: str, paths: list[str]):
    """The bare SQL of one page for these places: its rows of the problem table
    with the list's WHERE, ORDER BY and LIMIT, and its COUNT(*)."""
    from django.db import connection

    like = [p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for p in paths]
    escape = " ESCAPE '\\'" if engine == "sqlite" else ""
    where = " OR ".join([f"unit_path LIKE %s{escape}"] * len(paths))

    def floor(size: int) -> tuple[list[int], int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM problems_problem WHERE {where} ORDER BY created_at DESC, id DESC LIMIT %s",
                [*like, size],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COUNT(*) FROM problems_problem WHERE {where}", like)
            return ids, cursor.fetchone()[0]

    return floor


def captured(client, url: str, **headers) -> tuple[object, list[str]]:
    """One request with its queries (read at once: each request clears the log)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, stack.statements(queries.captured_queries)


def measure_persona(engine: str, username: str) -> list[dict]:
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    from cpis.accounts.models import User
    from cpis.accounts.services import create_api_token, reset_second_factor
    from cpis.organisation.access import Actor
    from cpis.problems.policy import policy

    user = User.objects.get(username=username)
    reset_second_factor(user=user)
    floor = floor_query(engine, sorted(Actor.for_user(user).paths(policy.roles_for("view"))))
    page_client = Client(SERVER_NAME="127.0.0.1")
    page_client.force_login(user)
    token = create_api_token(user=user, name="bench")[1]
    api_client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    rows = []
    for size in PAGE_SIZES:
        page_url = f"{reverse('problems:list')}?per_page={size}"
        api_url = f"/api/v1/problems?limit={size}"
        page_client.get(page_url)  # once first: a session's or a token's once-a-minute writes
        api_client.get(api_url)

        # The answers first: the page, its rows alone (htmx), the API and the floor agree.
        floor_ids, floor_count = floor(size)
        setup_test_environment()  # the page's context, for this check only (not timed)
        response, page_sql = captured(page_client, page_url)
        _rows_response, rows_sql = captured(page_client, page_url, HTTP_HX_REQUEST="true")
        teardown_test_environment()
        page = response.context["page"]
        assert [p.pk for p in page] == floor_ids, username
        assert page.paginator.count == floor_count, username
        response, api_sql = captured(api_client, api_url)
        body = response.json()
        assert [p["id"] for p in body["items"]] == floor_ids, username
        assert body["count"] == floor_count, username

        page_ms, _ = timed(lambda url=page_url: page_client.get(url))
        rows_ms, _ = timed(lambda url=page_url: page_client.get(url, HTTP_HX_REQUEST="true"))
        api_ms, _ = timed(lambda url=api_url: api_client.get(url))
        floor_ms, _ = timed(lambda size=size: floor(size))
        rows.append(
            {
                "persona": username,
                "problems_visible": floor_count,
                "page_size": size,
                "page_ms": page_ms,
                "rows_only_ms": rows_ms,
                "api_ms": api_ms,
                "floor_ms": floor_ms,
                "page_queries": len(page_sql),
                "rows_only_queries": len(rows_sql),
                "api_queries": len(api_sql),
                "page_sql": [sql[:160] for sql in page_sql],  # which queries, not their every column
                "api_sql": [sql[:160] for sql in api_sql],
            }
        )
        print(
            f"{engine:<10} {username:<18} {floor_count:>6,} problems, {size:>3} a page: "
            f"page {page_ms['median']:6.1f} ms ({len(page_sql)} queries)  rows only (htmx) "
            f"{rows_ms['median']:6.1f} ms  API {api_ms['median']:6.1f} ms ({len(api_sql)} queries)  "
            f"floor {floor_ms['median']:5.1f} ms",
            flush=True,
        )
    return rows


def measure(engine: str) -> dict:
    from cpis.problems.models import Problem

    rows = [row for username in PERSONAS for row in measure_persona(engine, username)]
    return {"engine": engine, "problems": Problem.objects.count(), "rows": rows, "machine": machine()}


# --- one command for both engines --------------------------------------------------------


def child(engine: str, reuse: bool, out: Path) -> None:
    setup(engine, reuse)
    out.write_text(json.dumps(measure(engine)))


def main() -> None:
    reuse = "--reuse" in sys.argv
    results = stack.per_engine(__file__, list(DATABASES), lambda engine, out: child(engine, reuse, out))
    if results is None:
        return

    problems_by_engine = {r["engine"]: r["problems"] for r in results}
    print(f"\nThe problem list over {PROBLEMS:,} problems, median (min–max) of {RUNS} requests, ms")
    print(
        "| engine | who (problems visible) | page size | staff page | its rows alone (htmx) | API "
        "| floor: bare page SQL + COUNT | queries: page / API |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    failures = []
    for result in results:
        for row in result["rows"]:
            cells = [
                f"{row[k]['median']:.1f} ({row[k]['min']:.1f}–{row[k]['max']:.1f})"
                for k in ("page_ms", "rows_only_ms", "api_ms", "floor_ms")
            ]
            who = f"{row['persona']} ({row['problems_visible']:,})"
            print(
                f"| {result['engine']} | {who} | {row['page_size']} | "
                + " | ".join(cells)
                + f" | {row['page_queries']} / {row['api_queries']} |"
            )
        for persona in PERSONAS:
            mine = [r for r in result["rows"] if r["persona"] == persona]
            for key in ("page_queries", "rows_only_queries", "api_queries"):
                if len({r[key] for r in mine}) != 1:
                    failures.append(
                        f"{result['engine']}, {persona}: {key.split('_')[0]} queries depend on the page "
                        f"size: {[r[key] for r in mine]}"
                    )
            if result["engine"] == "postgresql":
                for r in mine:
                    for key in ("page_ms", "api_ms"):
                        if r[key]["median"] >= TARGET_MS:
                            failures.append(
                                f"postgresql, {persona}, {r['page_size']} a page: {key.split('_')[0]} "
                                f"median {r[key]['median']:.1f} ms ≥ {TARGET_MS:.0f} ms"
                            )
    print("Machine: " + json.dumps(results[0]["machine"]))
    report = {
        "workload": f"the problem list (staff page and API) over {PROBLEMS:,} problems on the national "
        "demo's places, page sizes 25 and 100, a national role and a station commander",
        "problems": problems_by_engine,
        "runs": RUNS,
        "target_ms": TARGET_MS,
        "results": results,
        "met": not failures,
        "date": time.strftime("%Y-%m-%d"),
    }
    stack.finish(
        "problems_list",
        report,
        failures,
        f"Met: every median under {TARGET_MS:.0f} ms on PostgreSQL, the same queries for both page sizes.",
    )


if __name__ == "__main__":
    main()
