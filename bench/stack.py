"""What the benchmarks on the real stack share: run `cpis` from .venv
against a benchmark database, make that database afresh, and say on what
machine a result was measured."""

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def run_cpis(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "cpis"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def per_engine(script: str, engines: Sequence[str], child: Callable[[str, Path], None]) -> list[dict] | None:
    """One child process per engine, since Django holds one default database a
    process. Called as `script --child ENGINE OUT …`, the script is the child:
    `child(engine, out)` measures that engine and writes its JSON to `out`, and
    this returns None. Otherwise it runs `script` once per engine (`--engine X`
    picks one), passing on the other arguments (`--reuse`, `--scale …`), and
    returns what each child wrote."""
    argv = sys.argv[1:]
    if "--child" in argv:
        at = argv.index("--child")
        child(argv[at + 1], Path(argv[at + 2]))
        return None
    if "--engine" in argv:
        at = argv.index("--engine")
        engines, argv = [argv[at + 1]], argv[:at] + argv[at + 2 :]
    results = []
    for engine in engines:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            subprocess.run([sys.executable, script, "--child", engine, out.name, *argv], check=True)
            results.append(json.loads(Path(out.name).read_text()))
    return results


def reset_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def machine(*packages: str) -> dict:
    """The facts a result is read with: the CPU, its cores and load, Python, the
    database server's version (of Django's connection) and Django's, and those
    of `packages`."""
    import importlib.metadata
    import os
    import platform

    from django.db import connection

    cpu = platform.processor() or platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        server = cursor.fetchone()[0]
    facts = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        connection.vendor: server,
        "django": importlib.metadata.version("django"),
    }
    return facts | {name: importlib.metadata.version(name) for name in packages}


def timed(function: Callable[[], object], runs: int) -> dict:
    """Milliseconds of `function` over `runs` calls after one warm-up: median, min, max."""
    import statistics
    import time

    function()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(1000 * (time.perf_counter() - start))
    return {"median": statistics.median(timings), "min": min(timings), "max": max(timings)}


def statements(captured: Sequence[dict]) -> list[str]:
    """The SQL of captured queries without the transaction's own statements."""
    return [q["sql"] for q in captured if q["sql"] not in {"BEGIN", "COMMIT"} and "SAVEPOINT" not in q["sql"]]


def finish(name: str, report: dict, failures: Sequence[str], met: str) -> None:
    """Write bench/results/<name>.json, print each missed aim and exit non-zero
    when there is one, else print `met`."""
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    for failure in failures:
        print("MISSED: " + failure)
    if failures:
        sys.exit(1)
    print(met)


def signed_in(username: str):
    """Django's test client signed in as `username` (after django.setup()), its second
    factor marked as given (ADR 0013), as a person's session has it before staff pages."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    from cpis.accounts.models import User

    user = User.objects.get(username=username)
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    device = next(devices_for_user(user), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
