"""Run by tests/test_sqlite_concurrency.py in its own process, against a
file SQLite database configured as in production (WAL, IMMEDIATE, timeout):
threads submit concerns at once, some retrying each other's keys."""

import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpis.settings.test")
import django

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402

THREADS, PER_THREAD = int(sys.argv[1]), int(sys.argv[2])


def main() -> None:
    call_command("migrate", verbosity=0)
    from cpis.concerns import services
    from cpis.organisation.access import Actor
    from cpis.organisation.models import UnitKind
    from cpis.organisation.services import create_unit

    system = Actor.system()
    root = create_unit(system, parent=None, kind=UnitKind.DIRECTORATE, code="kp", name_sq="KP")
    region = create_unit(system, parent=root, kind=UnitKind.REGION, code="r", name_sq="R")
    station = create_unit(system, parent=region, kind=UnitKind.STATION, code="s", name_sq="S")
    square = {"type": "Polygon", "coordinates": [[[21, 42], [22, 42], [22, 43], [21, 43], [21, 42]]]}
    create_unit(system, parent=station, kind=UnitKind.SECTOR, code="a", name_sq="A", boundary=square)
    connection.close()
    errors: list[str] = []
    codes: dict[str, set[str]] = {}
    lock = threading.Lock()

    def worker(number: int) -> None:
        close_old_connections()
        for i in range(PER_THREAD):
            # Every other submission reuses the key of the thread before it:
            # concurrent duplicates must come back with the same code or a 409.
            key = f"k-{(number - (i % 2)) % THREADS}-{i}"
            try:
                result = services.submit_concern(
                    Actor.anonymous(),
                    category_code="public-order",
                    description=f"Zhurmë {key}",
                    language="sq",
                    channel="web",
                    idempotency_key=key,
                    lat=42.5,
                    lon=21.5,
                )
                with lock:
                    codes.setdefault(key, set()).add(result.tracking_code)
            except services.SubmissionInProgress:
                pass
            except Exception as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from cpis.concerns.models import Concern

    print(  # noqa: T201 - the report the test reads
        json.dumps(
            {
                "errors": errors,
                "rows": Concern.objects.count(),
                "keys": len(codes),
                "codes_per_key": max((len(v) for v in codes.values()), default=0),
            }
        )
    )


main()
