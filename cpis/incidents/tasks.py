"""Background entry points: thin, idempotent, each calls one service."""

from typing import Any

from django.db import transaction
from django_tasks import task

from cpis.organisation.access import Actor

from . import services
from .models import ImportRun


@task()
def run_import_task(run_id: int) -> str:
    """Read a queued import's file (a run that already ran is left alone)."""
    try:
        run = services.run_import(run_id)
    except services.NotQueued:
        return "not queued"
    return run.status


@transaction.atomic
def queue_import(actor: Actor, **options: Any) -> ImportRun:
    """services.start_import, and the task that reads the file once the
    queued run is committed."""
    run = services.start_import(actor, **options)
    transaction.on_commit(lambda: run_import_task.enqueue(run.pk))
    return run
