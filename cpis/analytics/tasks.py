"""Background entry points: thin, idempotent, each calls one service."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cpis.organisation.access import Actor

from . import services
from .models import AnalysisRun


@task()
def execute_run_task(run_id: int) -> str:
    return services.execute_run(run_id).status


def queue_run(actor: Actor, **options: Any) -> AnalysisRun:
    """services.request_run, and the task that carries it out once the run is committed."""
    run = services.request_run(actor, **options)
    transaction.on_commit(lambda: execute_run_task.enqueue(run.pk))
    return run


@task()
def daily_scan_task() -> int:
    return services.run_daily_scan(today=timezone.localdate())


def daily_job() -> str:
    """Run by `cpis run_scheduled` once a day: the emerging-cluster scan goes to the queue."""
    daily_scan_task.enqueue()
    return "Emerging-cluster scan enqueued."


@task()
def near_repeat_push_task() -> int:
    return services.push_near_repeat_alerts(today=timezone.localdate())


def near_repeat_job() -> str:
    """Run by `cpis run_scheduled` once a day: the near-repeat push goes to the queue."""
    near_repeat_push_task.enqueue()
    return "Near-repeat push enqueued."


def near_repeat_new_job() -> str:
    """Run by `cpis run_scheduled` every few minutes: incidents recorded since the
    last call are checked against the stored near-repeat patterns at once."""
    told = services.push_near_repeat_for_new_incidents()
    return f"{told} near-repeat alerts for newly recorded incidents." if told else ""
