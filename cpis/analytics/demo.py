"""Demo analytics: the daily emerging-cluster scan run once over the demo
incidents and concerns (so candidate problems are waiting), and one
near-repeat analysis of burglaries in the capital's region."""

from datetime import date

from cpis.organisation.demo import delete_demo_rows
from cpis.organisation.models import Unit, UnitKind

from . import services
from .models import AnalysisRun, EmergingCluster, RunKind, Subject

# Fewer replicates than the daily job's 999 keep `make demo` quick; with 199 the
# smallest p is 0.005, a recurrence interval of 200 days, still above the signal line.
DEMO_REPLICATES = 199


def clear_demo() -> None:
    delete_demo_rows(EmergingCluster, AnalysisRun)


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    clusters = services.run_daily_scan(today=today, replicates=DEMO_REPLICATES)
    region = Unit.objects.filter(kind=UnitKind.REGION).order_by("path").first()
    lines = [f"Analytics: {clusters} emerging clusters from the daily scan."]
    if region is None:
        return lines
    run = AnalysisRun.objects.create(
        kind=RunKind.NEAR_REPEAT,
        subject=Subject.INCIDENTS,
        unit=region,
        path=region.path,
        params={"categories": ["burglary"], "start": None, "end": None, "permutations": 199},
    )
    services.execute_run(run.pk)
    run.refresh_from_db()
    lines.append(f"Analytics: near-repeat analysis of burglaries in {region.name} ({run.status}).")
    told = services.push_near_repeat_alerts(today=today, permutations=DEMO_REPLICATES)
    lines.append(f"Analytics: {told} near-repeat alerts pushed to sector teams.")
    return lines
